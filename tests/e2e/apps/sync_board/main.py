"""A message board synced with the app's server (server.py): the page shows the board and its
sync status and posts messages; the server's own messages show up live."""

from string.templatelib import Template

from model import BOARD, Message

from framework import Component, Store, each, mount

board = Store("board-e2e", list[Message], default=list, area="local", layout="plain", server=BOARD)


class Board(Component):
    def post(self) -> None:
        number = len(board.peek()) + 1
        board.update(
            lambda messages: [
                *messages,
                Message(id=f"page-{number}", text=f"hello {number}", author="page"),
            ]
        )

    def row(self, message: Message) -> Template:
        return t"<li>{message.author}: {message.text}</li>"

    def render(self) -> Template:
        status = board.status
        state = "" if status is None else status.state
        return t"""<p id="status" data-state={state}>{str(status)}</p>
<button id="post" onclick={self.post}>Post</button>
<ul id="board">{each(board.value, self.row, key=lambda message: message.id)}</ul>"""


mount(Board(), "#app")
