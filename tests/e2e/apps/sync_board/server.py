"""The board's server: one shared copy of the board, and server code that reads and writes it.

POST /api/announce {"text": ...} appends a message written by the server; GET /api/board is the
server's copy, so a test can see that a message posted from the page reached server code.
"""

from itertools import count

from model import BOARD, Message
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from framework.server import SyncServer
from framework.sync.deltas import Json

sync = SyncServer()
board = sync.store(BOARD, list[Message], shared=True)
announcements = count(1)


async def announce(request: Request) -> Response:
    text = (await request.json())["text"]
    message = {"id": f"server-{next(announcements)}", "text": text, "author": "server"}

    def append(messages: Json) -> Json:
        assert isinstance(messages, list)
        return [*messages, message]

    return JSONResponse(await board.update(append))


async def read(request: Request) -> Response:
    return JSONResponse(board.value)


api = sync.api(Route("/announce", announce, methods=["POST"]), Route("/board", read))
