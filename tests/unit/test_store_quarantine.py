"""A quarantined Store keeps working and says so (issue 24, item 2).

Unusable stored data is copied aside to `<key>.quarantine[.n]`; after that the store saves the
user's changes again, so nothing done after a quarantine is lost on reload. It says so once (a
warning of the `framework.store` logger: the page's warnings panel in dev, the console in a
build), in `error`, and reactively in `quarantined`. Data that is the only copy (a newer
version, or a copy that did not fit) stays protected. "A reload" is a new Store on the same
storage; "a tab running the old code" is a Store with the old model on `another_tab()`.
"""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from framework import (
    InvalidDataError,
    MemoryStorage,
    NewerVersionError,
    Store,
    effect,
    flush,
)
from framework.reactive import set_error_handler, set_scheduler
from framework.storage import set_storage_backend, storage_backend


class Book(BaseModel):  # the model of the release before
    id: str
    title: str


class RatedBook(BaseModel):  # the new release: a required field added, no migration
    id: str
    title: str
    rating: int


DUNE = Book(id="1", title="Dune")
EMMA = RatedBook(id="2", title="Emma", rating=4)
KEY = "books"
COPY = "books.quarantine"


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def scheduled() -> Iterator[None]:
    previous_scheduler = set_scheduler(lambda run: None)  # flushed explicitly, as a page is
    previous_handler = set_error_handler(None)
    yield
    flush()
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)


@pytest.fixture
def logged() -> Iterator[list[str]]:
    records = Records()
    log = logging.getLogger("framework.store")
    log.addHandler(records)
    yield records.messages
    log.removeHandler(records)


def registered_local_storage() -> MemoryStorage:
    """A persistent storage registered as the "local" area, as the browser layer does."""
    disk = MemoryStorage(persistent=True)
    set_storage_backend("local", lambda: disk)
    return disk


@pytest.fixture(params=["backend", "local-area"])
def disk(request: pytest.FixtureRequest) -> Iterator[MemoryStorage]:
    """localStorage, passed as backend= or registered for area "local"."""
    if request.param == "backend":
        yield MemoryStorage(persistent=True)
        return
    yield registered_local_storage()
    set_storage_backend("local", None)


def open_store(disk: MemoryStorage, schema: Any = list[RatedBook], **options: Any) -> Store[Any]:
    """The app's Store at page load (a reload is another call)."""
    where: dict[str, Any] = {} if disk.persistent and _is_registered(disk) else {"backend": disk}
    return Store(KEY, schema, default=list, **where, **options)


def _is_registered(disk: MemoryStorage) -> bool:
    return storage_backend("local") is disk


def add(store: Store[Any], item: Any) -> None:
    store.update(lambda items: [*items, item])
    flush()


OLD_LIST = json.dumps({"v": 0, "data": [DUNE.model_dump()]})
UNUSABLE = [
    pytest.param(OLD_LIST, "invalid", id="model-changed"),
    pytest.param('{"v":0,"data":[{"id":"1","tit', "corrupt", id="truncated"),
    pytest.param(json.dumps({"v": 0, "data": "Dune;Emma"}), "invalid", id="wrong-shape"),
]


# --- after a quarantine the store saves again --------------------------------------------------


def test_a_model_change_then_an_addition_then_a_reload_keeps_both(disk, logged):
    old_app = open_store(disk, list[Book])
    add(old_app, DUNE)
    old_app.close()
    stored_before = disk.get_item(KEY)

    new_app = open_store(disk)  # the release with the required field: the list is invalid
    assert new_app.value == []
    assert isinstance(new_app.error, InvalidDataError)
    assert new_app.quarantined == (COPY,)
    add(new_app, EMMA)
    new_app.close()

    reloaded = open_store(disk)
    assert reloaded.value == [EMMA], "the addition made after the quarantine was saved"
    assert reloaded.error is None
    assert reloaded.quarantined == (COPY,), "the banner still has something to show"
    assert disk.get_item(COPY) == stored_before, "the old data is kept aside, unchanged"
    assert sum(COPY in message for message in logged) == 1, logged


@pytest.mark.parametrize(("raw", "kind"), UNUSABLE)
def test_unusable_data_is_copied_aside_and_the_next_change_persists(disk, raw, kind):
    disk.set_item(KEY, raw)
    books = open_store(disk)
    assert books.error is not None
    assert (books.error.kind, books.error.quarantine_key) == (kind, COPY)
    assert (books.value, books.dirty, books.quarantined) == ([], False, (COPY,))
    add(books, EMMA)
    assert books.dirty is False
    assert open_store(disk).value == [EMMA]
    assert disk.get_item(COPY) == raw


@pytest.mark.parametrize(("raw", "kind"), UNUSABLE)
def test_the_warning_is_logged_once_per_copy_with_the_fix(disk, logged, raw, kind):
    disk.set_item(KEY, raw)
    books = open_store(disk)
    books.reload()  # the same data again: nothing new to say
    books.reload()
    (message,) = logged
    assert COPY in message and "saves the next change" in message
    assert "reset()" in message
    if kind == "invalid":
        assert "migration" in message


def test_the_quarantine_warning_names_the_field_the_model_now_requires(disk):
    disk.set_item(KEY, OLD_LIST)
    books = open_store(disk)
    assert books.error is not None
    assert "0.rating: Field required" in books.error.message


def test_a_migration_then_brings_the_quarantined_copy_back(disk):
    disk.set_item(KEY, OLD_LIST)
    books = open_store(disk)
    add(books, EMMA)

    def rate_unrated(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"rating": 0, **item} for item in items]

    fixed = open_store(disk, version=1, migrations=[rate_unrated])
    fixed.import_(disk.get_item(COPY) or "")
    assert fixed.value == [RatedBook(id="1", title="Dune", rating=0)]
    fixed.discard_quarantine()
    assert fixed.quarantined == ()
    assert disk.get_item(COPY) is None


def test_quarantine_copies_are_never_overwritten(disk):
    disk.set_item(KEY, "first garbage")
    add(open_store(disk), EMMA)
    disk.set_item(KEY, "second garbage")
    books = open_store(disk)
    assert books.quarantined == (COPY, f"{COPY}.2")
    add(books, EMMA)
    disk.set_item(KEY, "first garbage")  # an old value again: its copy is reused
    assert open_store(disk).quarantined == (COPY, f"{COPY}.2")
    assert disk.get_item(COPY) == "first garbage"
    assert disk.get_item(f"{COPY}.2") == "second garbage"


def test_quarantined_is_reactive_and_discard_empties_it(disk):
    books = open_store(disk)
    seen: list[tuple[str, ...]] = []
    effect(lambda: seen.append(books.quarantined))
    disk.another_tab().set_item(KEY, OLD_LIST)  # a value this tab cannot use arrives
    flush()
    books.discard_quarantine()
    flush()
    assert seen == [(), (COPY,), ()]
    assert disk.get_item(COPY) is None


# --- what stays protected: the only copy ---------------------------------------------------------

NEWER = json.dumps({"v": 5, "data": [{"id": "9", "title": "From the future", "stars": 5}]})


def test_data_from_a_newer_version_stays_protected_until_reset(disk):
    disk.set_item(KEY, NEWER)
    books = open_store(disk)
    assert isinstance(books.error, NewerVersionError)
    assert books.quarantined == (), "not copied: it is not broken, only newer"
    add(books, EMMA)
    assert disk.get_item(KEY) == NEWER, "newer data is never overwritten implicitly"
    assert books.dirty is True
    with pytest.raises(NewerVersionError):
        books.save()
    assert "reset() or import_()" in books.error.message

    books.reset()
    flush()
    assert (books.error, books.dirty, disk.get_item(KEY)) == (None, False, '{"v":0,"data":[]}')


def test_a_value_whose_copy_does_not_fit_stays_protected(disk):
    disk.set_item(KEY, OLD_LIST)
    disk.quota = len(KEY) + len(OLD_LIST) + 20  # no room for a copy
    books = open_store(disk)
    assert books.error is not None
    assert (books.error.quarantine_key, books.quarantined) == (None, ())
    add(books, EMMA)
    assert disk.get_item(KEY) == OLD_LIST, "the only copy is kept"


# --- other tabs --------------------------------------------------------------------------------


@pytest.fixture
def old_tab(disk: MemoryStorage) -> Store[list[Book]]:
    """A tab still running the release before, on the same storage."""
    return Store(KEY, list[Book], default=list, backend=disk.another_tab())


def test_a_tab_running_the_old_code_never_clobbers_a_quarantine_copy(disk, old_tab):
    add(old_tab, DUNE)
    first = disk.get_item(KEY)
    books = open_store(disk)  # the new release in this tab: the old list is set aside
    add(books, EMMA)
    assert old_tab.value == [Book(id="2", title="Emma")], "it reads the new data as it can"

    add(old_tab, Book(id="3", title="Ulysses"))  # the old tab writes the old model again
    assert books.value == [EMMA], "this tab keeps its state"
    assert books.error is not None and books.error.kind == "other_tab"
    assert books.quarantined == (COPY, f"{COPY}.2")
    add(books, RatedBook(id="4", title="Persuasion", rating=5))
    assert [item.id for item in open_store(disk).value] == ["2", "4"]
    assert disk.get_item(COPY) == first
    assert [book["id"] for book in json.loads(disk.get_item(f"{COPY}.2") or "")["data"]] == [
        "2",
        "3",
    ]


def test_a_copy_made_in_another_tab_shows_in_quarantined(disk):
    books = open_store(disk)
    other = disk.another_tab()
    other.set_item(COPY, OLD_LIST)
    assert books.quarantined == (COPY,)
    other.clear()
    assert books.quarantined == ()


def test_newer_data_from_another_tab_is_not_overwritten(disk):
    books = open_store(disk)
    add(books, EMMA)
    disk.another_tab().set_item(KEY, NEWER)
    flush()
    add(books, RatedBook(id="5", title="Middlemarch", rating=5))
    assert disk.get_item(KEY) == NEWER
    assert books.dirty is True
