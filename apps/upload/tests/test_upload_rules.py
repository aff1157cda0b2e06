"""The checks the page makes before sending a file, and one file's progress state."""

import pytest
from entry import CANCELLED, DONE, INVALID, READY, Entry
from rules import Limits, human_size, problem_with

from framework.aio import Progress

LIMITS = Limits(max_file_bytes=1024, allowed_extensions=(".txt", ".png"))


class FakeFile:
    """What Entry reads of a browser File."""

    def __init__(self, name: str, size: int, media_type: str = "text/plain") -> None:
        self.name, self.size, self.type = name, size, media_type


@pytest.mark.parametrize(
    ("name", "size", "words"),
    [
        ("empty.txt", 0, "is empty (0 bytes)"),
        ("big.txt", 1025, "the limit is 1 KiB"),
        ("x.exe", 10, "is a .exe file; the server accepts .txt, .png"),
        ("README", 10, "a file without an extension"),
    ],
)
def test_refusals_say_why(name: str, size: int, words: str) -> None:
    problem = problem_with(name, size, LIMITS)
    assert problem is not None
    assert words in problem
    assert name in problem


@pytest.mark.parametrize(("name", "size"), [("a.txt", 1), ("A.PNG", 1024)])
def test_acceptable_files_pass(name: str, size: int) -> None:
    assert problem_with(name, size, LIMITS) is None


def test_any_type_when_the_server_allows_any() -> None:
    assert problem_with("x.exe", 10, Limits(1024, None)) is None
    assert Limits(1024, None).accept is None
    assert LIMITS.accept == ".txt,.png"


def test_limits_from_the_servers_json() -> None:
    limits = Limits.from_json({"max_file_bytes": 5, "allowed_extensions": [".md"], "max_files": 2})
    assert limits == Limits(5, (".md",))
    assert limits.describe() == "Up to 5 bytes per file; .md."


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 bytes"), (1023, "1023 bytes"), (2048, "2 KiB"), (3 << 20, "3 MiB")]
)
def test_human_sizes(size: int, text: str) -> None:
    assert human_size(size) == text


def test_an_entry_follows_its_upload() -> None:
    entry = Entry(FakeFile("a.txt", 1000), None)
    assert entry.status.value == READY
    assert entry.fraction == 0.0
    entry.report(Progress(550, 1100))  # the multipart body is larger than the file
    assert entry.fraction == 0.5
    entry.finish(DONE, "Stored")
    assert entry.fraction == 1.0
    assert entry.task is None


def test_an_entry_with_a_problem_is_never_ready() -> None:
    entry = Entry(FakeFile("big.txt", 5000), "too big")
    assert entry.status.value == INVALID
    assert entry.message.value == "too big"
    other = Entry(FakeFile("a.txt", 1), None)
    assert other.key != entry.key
    other.finish(CANCELLED, "Cancelled")
    assert other.status.value == CANCELLED
