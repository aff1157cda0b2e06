"""A board of messages: the one schema of the page's Store and of server.py's store."""

from pydantic import BaseModel, Field


class Message(BaseModel):
    id: str
    text: str = Field(min_length=1)
    author: str


BOARD = "board"  # the store's name on the server
