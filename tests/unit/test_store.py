"""Store: typed, reactive, persisted state, and what happens on every fault.

The storage is a MemoryStorage that simulates the browser (quota, unavailability, corrupt
values, other tabs with `storage`-event rules). Flushes are explicit: the autouse fixture
installs a scheduler that only records requests, so "written once, at the end of the flush" is
observable. Rows P1-P11, P14-P18 and P21-P23 of the reliability matrix; the browser runs P8, P9,
P12-P19 again end-to-end (tests/e2e/test_store.py).
"""

import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel, Field

from framework import (
    Component,
    CorruptDataError,
    InvalidDataError,
    MemoryDom,
    MemoryStorage,
    MigrationError,
    NewerVersionError,
    OtherTabError,
    StorageFullError,
    StorageUnavailableError,
    Store,
    StoreError,
    batch,
    effect,
    flush,
    mount,
)
from framework.reactive import set_error_handler, set_scheduler
from framework.storage import StorageUnavailableWarning, set_storage_backend


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


class Theme(BaseModel):
    color: str = "blue"
    contrast: bool = False  # added in a later release: older data lacks it


class Settings(BaseModel):
    name: str = "guest"
    theme: Theme = Field(default_factory=Theme)


@pytest.fixture(autouse=True)
def scheduled() -> Iterator[list[Callable[[], None]]]:
    requests: list[Callable[[], None]] = []
    previous_scheduler = set_scheduler(requests.append)
    previous_handler = set_error_handler(None)
    yield requests
    set_error_handler(lambda error: None)
    flush()
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)


@pytest.fixture
def disk() -> MemoryStorage:
    """A storage that, like localStorage, outlives the stores built on it."""
    return MemoryStorage(persistent=True)


def todo_store(disk: MemoryStorage, **options: Any) -> Store[list[Todo]]:
    return Store("todos", list[Todo], default=list, backend=disk, **options)


MILK = Todo(id="1", title="milk")
EGGS = Todo(id="2", title="eggs", completed=True)


def writes(storage: MemoryStorage, key: str = "todos") -> int:
    """How many times `key` was written (the storage probe writes another key)."""
    return storage.written.count(key)


def stored(disk: MemoryStorage, key: str = "todos") -> Any:
    text = disk.get_item(key)
    return None if text is None else json.loads(text)


# --- the contract the TO-DO app relies on -------------------------------------------------------


def test_todo_contract_plain_layout_keeps_a_bare_json_array(disk):
    set_storage_backend("local", lambda: disk)
    try:
        todos = Store("todos-framework", list[Todo], default=list, area="local", layout="plain")
        assert todos.value == []
        assert todos.persistent is True
        assert todos.error is None
        todos.value = [MILK]
        todos.update(lambda items: [*items, EGGS])
        flush()
        assert stored(disk, "todos-framework") == [
            {"id": "1", "title": "milk", "completed": False},
            {"id": "2", "title": "eggs", "completed": True},
        ]
        assert json.loads(todos.export()) == stored(disk, "todos-framework")
        reopened = Store("todos-framework", list[Todo], default=list, layout="plain")
        assert reopened.value == [MILK, EGGS], "the state survives a reload"
    finally:
        set_storage_backend("local", None)


def test_default_layout_is_a_versioned_envelope(disk):
    todos = todo_store(disk)
    todos.value = [MILK]
    flush()
    assert stored(disk) == {"v": 0, "data": [{"id": "1", "title": "milk", "completed": False}]}
    with_version = Store("settings", Settings, backend=disk, version=3, migrations=())
    with_version.update(lambda s: s.model_copy(update={"name": "Ada"}))
    flush()
    assert stored(disk, "settings")["v"] == 3


def test_default_is_optional_when_the_schema_has_defaults(disk):
    assert Store("todos", list[Todo], backend=disk).value == []
    assert Store("settings", Settings, backend=disk).value == Settings()
    assert Store("prefs", dict[str, int], default={"a": 1}, backend=disk).value == {"a": 1}


# --- reactivity and write-through -----------------------------------------------------------------


def test_reading_in_an_effect_tracks_and_a_change_re_runs_it(disk):
    todos = todo_store(disk)
    seen: list[int] = []
    effect(lambda: seen.append(len(todos.value)))
    todos.value = [MILK]
    flush()
    assert seen == [0, 1]


def test_a_change_re_renders_only_the_component_that_read_the_store(disk):
    todos = todo_store(disk)
    renders = {"count": 0, "title": 0}

    class TodoCount(Component):
        def render(self):
            renders["count"] += 1
            return t"<p>{len(todos.value)} left</p>"

    class Title(Component):
        def render(self):
            renders["title"] += 1
            return t"<h1>todos</h1>"

    class App(Component):
        def render(self):
            return t"<main>{Title()}{TodoCount()}</main>"

    dom = MemoryDom()
    mounted = mount(App(), "#app", backend=dom)
    todos.value = [MILK, EGGS]
    mounted.flush()
    assert dom.container("#app").find("p")[0].text_content == "2 left"
    assert renders == {"count": 2, "title": 1}


def test_writes_are_persisted_once_per_flush_at_its_end(disk, scheduled):
    todos = todo_store(disk)
    todos.value = [MILK]
    todos.value = [MILK, EGGS]
    todos.update(lambda items: items[:1])
    assert writes(disk) == 0, "nothing is written before the flush"
    assert scheduled, "a flush was requested"
    flush()
    assert writes(disk) == 1
    assert stored(disk)["data"] == [MILK.model_dump()]


def test_a_batch_is_written_once(disk):
    todos = todo_store(disk)
    with batch():
        for index in range(10):
            todos.update(lambda items, i=index: [*items, Todo(id=str(i), title="t")])
    flush()
    assert writes(disk) == 1
    assert len(stored(disk)["data"]) == 10


def test_an_equal_value_notifies_nobody_and_writes_nothing(disk):
    todos = todo_store(disk)
    todos.value = [MILK]
    flush()
    runs: list[int] = []
    effect(lambda: runs.append(len(todos.value)))
    todos.value = [Todo(id="1", title="milk")]  # a different but equal list
    flush()
    assert runs == [1]
    assert writes(disk) == 1


def test_reassigning_an_object_edited_in_place_notifies_and_persists(disk):
    todos = todo_store(disk)
    todos.value = [MILK.model_copy()]
    flush()
    seen: list[bool] = []
    effect(lambda: seen.append(todos.value[0].completed))
    items = todos.value
    items[0].completed = True  # in place: the store cannot see this...
    todos.value = items  # ...until the same object is assigned again
    flush()
    assert seen == [False, True]
    assert stored(disk)["data"][0]["completed"] is True


def test_assignment_is_validated_and_coerces_dicts_to_models(disk):
    todos = todo_store(disk)
    todos.value = [{"id": "7", "title": "bread"}]
    assert todos.value == [Todo(id="7", title="bread")]


def test_an_invalid_assignment_raises_and_changes_nothing(disk):
    todos = todo_store(disk)
    todos.value = [MILK]
    flush()
    with pytest.raises(InvalidDataError, match=r"0\.title: Field required") as caught:
        todos.value = [{"id": "8"}]
    assert caught.value.kind == "invalid"
    assert "nothing was changed" in caught.value.message
    flush()
    assert todos.value == [MILK]
    assert todos.error is None
    assert writes(disk) == 1


def test_peek_does_not_track(disk):
    todos = todo_store(disk)
    runs: list[int] = []
    effect(lambda: runs.append(len(todos.peek())))
    todos.value = [MILK]
    flush()
    assert runs == [0]


def test_area_memory_is_not_persistent_and_not_an_error():
    scratch = Store("scratch", list[Todo], area="memory")
    scratch.value = [MILK]
    flush()
    assert (scratch.persistent, scratch.error, scratch.value) == (False, None, [MILK])


# --- P1: unreadable stored text -----------------------------------------------------------------

NOT_JSON = {
    "truncated": '{"v":1,"data":',
    "undefined": "undefined",
    "NaN": "NaN",
    "BOM-prefixed": '\ufeff{"v":0,"data":[]}',
    "empty-string": "",
}
BAD_ENVELOPES = {
    "version-not-a-number": '{"v":"one","data":[]}',
    "version-negative": '{"v":-1,"data":[]}',
}
CORRUPT = [
    *(
        pytest.param(raw, layout, id=f"{layout}-{name}")
        for name, raw in NOT_JSON.items()
        for layout in ("envelope", "plain")
    ),
    *(pytest.param(raw, "envelope", id=name) for name, raw in BAD_ENVELOPES.items()),
]


@pytest.mark.parametrize(("raw", "layout"), CORRUPT)
def test_corrupt_data_is_quarantined_and_the_next_change_is_saved_again(disk, raw, layout):
    disk.set_item("todos", raw)
    todos = todo_store(disk, layout=layout)
    assert todos.value == [], "starts from defaults"
    error = todos.error
    assert isinstance(error, CorruptDataError)
    assert (error.kind, error.key, error.quarantine_key) == ("corrupt", "todos", "todos.quarantine")
    assert disk.get_item("todos.quarantine") == raw
    assert "not valid JSON" in error.message or "envelope's version 'v'" in error.message
    assert "reset()" in error.message, "the message says what to do"
    assert todos.dirty is False

    todos.value = [MILK]  # the app keeps working, and its work is saved
    flush()
    assert todo_store(disk, layout=layout).value == [MILK]
    assert todos.dirty is False
    assert disk.get_item("todos.quarantine") == raw, "the quarantine copy stays"


def test_a_second_different_bad_value_gets_the_next_quarantine_slot(disk):
    disk.set_item("todos", "first garbage")
    todo_store(disk)
    todo_store(disk)  # the same garbage again: the same slot
    disk.set_item("todos", "second garbage")
    again = todo_store(disk)
    assert again.error is not None
    assert again.error.quarantine_key == "todos.quarantine.2"
    assert disk.get_item("todos.quarantine") == "first garbage"
    assert disk.get_item("todos.quarantine.2") == "second garbage"
    assert disk.get_item("todos.quarantine.3") is None


def test_when_no_backup_fits_the_original_is_still_protected(disk):
    raw = "x" * 50
    disk.set_item("todos", raw)
    disk.quota = len("todos") + len(raw)  # exactly full: the backup copy cannot be written
    todos = todo_store(disk)
    assert todos.error is not None
    assert todos.error.quarantine_key is None
    assert "backup copy could not be written" in todos.error.message
    todos.value = [MILK]
    flush()
    assert disk.get_item("todos") == raw


# --- P2-P7: schema changes, versions and migrations -----------------------------------------------


class TodoV2(BaseModel):
    id: str
    text: str
    done: bool = False


def add_ids(items: list[str]) -> list[dict[str, Any]]:
    return [{"id": str(index), "title": title} for index, title in enumerate(items)]


def rename_fields(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": i["id"], "text": i["title"], "done": i.get("completed", False)} for i in items]


def v2_store(disk: MemoryStorage, migrations: list[Any] | None = None) -> Store[list[TodoV2]]:
    chain = [add_ids, rename_fields] if migrations is None else migrations
    return Store("todos", list[TodoV2], default=list, backend=disk, version=2, migrations=chain)


def test_migrations_run_in_order_and_the_result_is_written_back_once(disk):
    disk.set_item("todos", json.dumps({"v": 0, "data": ["milk", "eggs"]}))
    calls: list[str] = []

    def first(data: Any) -> Any:
        calls.append("0->1")
        return add_ids(data)

    def second(data: Any) -> Any:
        calls.append("1->2")
        return rename_fields(data)

    todos = v2_store(disk, [first, second])
    assert calls == ["0->1", "1->2"]
    assert todos.value == [TodoV2(id="0", text="milk"), TodoV2(id="1", text="eggs")]
    assert todos.error is None
    assert writes(disk) == 1, "only the test's own write so far"
    flush()
    assert writes(disk) == 2
    assert stored(disk) == {
        "v": 2,
        "data": [
            {"id": "0", "text": "milk", "done": False},
            {"id": "1", "text": "eggs", "done": False},
        ],
    }
    flush()
    assert writes(disk) == 2, "written back once"


def test_data_from_the_middle_of_the_chain_runs_only_the_later_migrations(disk):
    disk.set_item("todos", json.dumps({"v": 1, "data": [{"id": "a", "title": "milk"}]}))
    todos = v2_store(disk, [pytest.fail, rename_fields])
    assert todos.value == [TodoV2(id="a", text="milk")]


def test_a_changed_schema_without_a_version_bump_is_invalid_data(disk):
    disk.set_item("todos", json.dumps({"v": 0, "data": [{"id": "1", "title": "milk"}]}))
    todos = Store("todos", list[TodoV2], default=list, backend=disk)
    error = todos.error
    assert isinstance(error, InvalidDataError)
    assert error.kind == "invalid"
    assert "0.text: Field required" in error.message
    assert disk.get_item("todos.quarantine") == disk.get_item("todos")


def test_a_missing_migration_is_a_typed_error_and_the_data_is_kept(disk):
    raw = json.dumps({"v": 0, "data": ["milk"]})
    disk.set_item("todos", raw)
    todos = v2_store(disk, [rename_fields])  # only 1 -> 2 is registered
    error = todos.error
    assert isinstance(error, MigrationError)
    assert error.kind == "migration"
    assert "only has migrations from version 1 to 2" in error.message
    assert todos.value == []
    assert disk.get_item("todos.quarantine") == raw


def test_a_failing_migration_is_reported_with_its_cause_and_the_data_is_kept(disk):
    raw = json.dumps({"v": 1, "data": [{"no-title": True}]})
    disk.set_item("todos", raw)
    todos = v2_store(disk)
    error = todos.error
    assert isinstance(error, MigrationError)
    assert "migration from version 1 to 2 failed: KeyError" in error.message
    assert isinstance(error.__cause__, KeyError)
    assert todos.value == []
    assert disk.get_item("todos") == raw


def test_data_from_a_newer_version_is_refused_and_left_in_place(disk):
    raw = json.dumps({"v": 3, "data": [{"id": "1", "text": "from the future", "tags": []}]})
    disk.set_item("todos", raw)
    todos = v2_store(disk)
    error = todos.error
    assert isinstance(error, NewerVersionError)
    assert error.kind == "newer_version"
    assert "downgrade not supported" in error.message
    assert error.quarantine_key is None, "not copied: it is not broken, only newer"
    assert disk.get_item("todos.quarantine") is None
    todos.value = [TodoV2(id="2", text="older app")]
    flush()
    assert disk.get_item("todos") == raw


@pytest.mark.parametrize(
    "legacy",
    [
        pytest.param(json.dumps(["milk", "eggs"]), id="json-without-envelope"),
        pytest.param(json.dumps({"v": 0, "data": ["milk", "eggs"]}), id="envelope-v0"),
    ],
)
def test_a_legacy_value_without_a_version_counts_as_version_0(disk, legacy):
    disk.set_item("todos", legacy)
    todos = v2_store(disk)
    assert todos.value == [TodoV2(id="0", text="milk"), TodoV2(id="1", text="eggs")]
    flush()
    assert stored(disk)["v"] == 2


def test_a_brython_style_raw_string_is_handed_to_the_version_0_migration(disk):
    disk.set_item("todos", "milk;eggs")  # what a Brython app kept with storage['todos'] = ...

    def from_text(data: Any) -> Any:
        return add_ids(data.split(";"))

    todos = v2_store(disk, [from_text, rename_fields])
    assert [item.text for item in todos.value] == ["milk", "eggs"]
    assert todos.error is None


@pytest.mark.parametrize(
    "raw",
    [
        *NOT_JSON.values(),
        *BAD_ENVELOPES.values(),
        "[object Object]",
        '  [{"id": "1", "title": "mi',
    ],
)
def test_corrupt_text_is_quarantined_without_calling_any_migration(disk, raw):
    disk.set_item("todos", raw)
    calls: list[Any] = []

    def recording(data: Any) -> Any:
        calls.append(data)
        return add_ids(data)

    todos = v2_store(disk, [recording, rename_fields])
    assert calls == [], "corrupt text is never handed to a migration"
    assert isinstance(todos.error, CorruptDataError)
    assert disk.get_item("todos.quarantine") == raw
    assert disk.get_item("todos") == raw


def test_a_raw_string_the_version_0_migration_cannot_read_is_corrupt(disk):
    disk.set_item("todos", "not json")

    def from_list_only(data: Any) -> Any:
        if not isinstance(data, list):
            raise TypeError("expected a list of titles")
        return add_ids(data)

    todos = v2_store(disk, [from_list_only, rename_fields])
    error = todos.error
    assert isinstance(error, CorruptDataError)
    assert "not JSON and the migration from version 0 could not read it" in error.message
    assert "expected a list of titles" in error.message
    assert disk.get_item("todos.quarantine") == "not json"


def test_missing_nested_fields_are_filled_from_defaults_and_the_rest_is_kept(disk):
    disk.set_item(
        "settings", json.dumps({"v": 0, "data": {"name": "Ada", "theme": {"color": "red"}}})
    )
    settings = Store("settings", Settings, backend=disk)
    assert settings.value == Settings(name="Ada", theme=Theme(color="red", contrast=False))
    assert settings.error is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layout": "columns"}, "layout must be 'envelope' or 'plain'"),
        ({"layout": "plain", "version": 1}, "layout='plain' stores no version"),
        ({"version": 1, "migrations": [add_ids, add_ids]}, "2 migrations cannot lead to version 1"),
        ({"version": -1}, "version must be a whole number"),
        ({"area": "cookie"}, "area must be 'local', 'session' or 'memory'"),
    ],
)
def test_bad_options_are_refused_at_construction(options, message):
    with pytest.raises(ValueError, match=message):
        Store("todos", list[Todo], **({"area": "memory"} | options))


def test_a_default_that_does_not_fit_the_schema_is_a_typeerror():
    with pytest.raises(TypeError, match="the default does not fit the schema"):
        Store("todos", list[Todo], default=[{"id": 1}], area="memory")
    with pytest.raises(TypeError, match="key must be a non-empty str"):
        Store("", list[Todo], area="memory")


# --- P8, P22: a full storage ----------------------------------------------------------------------


def test_a_full_storage_keeps_the_stored_value_and_flags_the_unsaved_state(disk):
    todos = todo_store(disk)
    todos.value = [MILK]
    flush()
    saved = disk.get_item("todos")
    disk.quota = len("todos") + len(saved) + 10
    big = [Todo(id=str(index), title="x" * 40) for index in range(5)]
    todos.value = big
    flush()
    error = todos.error
    assert isinstance(error, StorageFullError)
    assert error.kind == "full"
    assert "storage is full" in error.message
    assert disk.get_item("todos") == saved, "the stored value stays intact"
    assert todos.value == big, "the new state is kept in memory..."
    assert todos.dirty is True, "...and flagged as not saved: never a silent divergence"
    with pytest.raises(StorageFullError):
        todos.save()

    disk.quota = None  # the user freed some space
    todos.save()
    assert (todos.error, todos.dirty) == (None, False)
    assert stored(disk)["data"] == [item.model_dump() for item in big]


def test_after_a_full_storage_the_next_change_retries(disk):
    todos = todo_store(disk)
    disk.quota = 10
    todos.value = [MILK]
    flush()
    assert isinstance(todos.error, StorageFullError)
    disk.quota = None
    todos.value = [MILK, EGGS]
    flush()
    assert (todos.error, todos.dirty) == (None, False)
    assert len(stored(disk)["data"]) == 2


def test_a_near_quota_five_megabyte_state_is_not_partially_written(disk):
    notes = Store("notes", list[str], backend=disk)
    notes.value = ["small"]
    flush()
    before = disk.get_item("notes")
    disk.quota = 5_000_000
    for index in range(4):
        disk.set_item(f"filler{index}", "f" * 1_000_000)
    notes.value = ["n" * 5_000_000]
    flush()
    assert isinstance(notes.error, StorageFullError)
    assert disk.get_item("notes") == before


# --- P9: an unusable storage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda: MemoryStorage(available=False), id="access-throws"),
        pytest.param(lambda: MemoryStorage(quota=0), id="quota-0"),
    ],
)
def test_an_unusable_storage_falls_back_to_memory_with_one_warning(broken):
    set_storage_backend("local", broken)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            todos = Store("todos", list[Todo], area="local")
            other = Store("settings", Settings, area="local")
        assert [w.category for w in caught] == [StorageUnavailableWarning]
        assert todos.persistent is False
        assert isinstance(todos.error, StorageUnavailableError)
        assert todos.error.kind == "unavailable"
        assert other.error is not None
        todos.value = [MILK]  # the app keeps working, in memory
        flush()
        assert todos.value == [MILK]
        assert todos.dirty is False
        todos.reset()
        assert isinstance(todos.error, StorageUnavailableError), "a standing condition"
    finally:
        set_storage_backend("local", None)


def test_a_storage_that_stops_working_later_is_reported_and_the_state_kept(disk):
    todos = todo_store(disk)
    disk.available = False
    todos.value = [MILK]
    flush()
    assert isinstance(todos.error, StorageUnavailableError)
    assert (todos.value, todos.dirty) == ([MILK], True)
    disk.available = True
    todos.save()
    assert (todos.error, todos.dirty) == (None, False)


# --- export and import ----------------------------------------------------------------------------


def test_export_then_import_round_trips_and_persists(disk):
    todos = todo_store(disk)
    todos.value = [MILK, EGGS]
    text = todos.export()
    other = Store("todos-copy", list[Todo], default=list, backend=disk)
    other.import_(text)
    assert other.value == [MILK, EGGS]
    flush()
    assert stored(disk, "todos-copy") == json.loads(text)
    other.import_(text.encode())  # the bytes of an uploaded file
    assert other.value == [MILK, EGGS]


def test_import_migrates_an_older_export(disk):
    todos = v2_store(disk)
    todos.import_(json.dumps({"v": 1, "data": [{"id": "9", "title": "old export"}]}))
    assert todos.value == [TodoV2(id="9", text="old export")]


@pytest.mark.parametrize(
    ("text", "error_type"),
    [
        pytest.param('[{"id": "1", "title": "mi', CorruptDataError, id="truncated"),
        pytest.param(b"\xff\xfe not utf-8", CorruptDataError, id="not-utf8"),
        pytest.param('{"v": 0, "data": [{"id": 1}]}', InvalidDataError, id="invalid"),
        pytest.param('{"v": 5, "data": []}', NewerVersionError, id="newer"),
    ],
)
def test_a_bad_import_raises_and_changes_nothing(disk, text, error_type):
    todos = todo_store(disk)
    todos.value = [MILK]
    flush()
    before = disk.get_item("todos")
    with pytest.raises(error_type) as caught:
        todos.import_(text)
    assert isinstance(caught.value, StoreError)
    assert caught.value.message.startswith("import into 'todos' refused")
    assert "nothing was changed" in caught.value.message
    flush()
    assert (todos.value, todos.error, disk.get_item("todos")) == ([MILK], None, before)


def test_import_of_something_else_than_text_is_a_typeerror(disk):
    with pytest.raises(TypeError, match="exported JSON text"):
        todo_store(disk).import_([MILK])  # type: ignore[arg-type]


def test_import_is_an_explicit_replacement_that_lifts_the_protection(disk):
    disk.set_item("todos", "garbage")
    todos = todo_store(disk)
    todos.import_(json.dumps([MILK.model_dump()]))
    flush()
    assert todos.error is None
    assert stored(disk) == {"v": 0, "data": [MILK.model_dump()]}
    assert disk.get_item("todos.quarantine") == "garbage"


# --- P12-P18: other tabs (the `storage` event), simulated ------------------------------------------


@pytest.fixture
def tabs(disk) -> tuple[Store[list[Todo]], Store[list[Todo]], MemoryStorage]:
    """Two tabs with the same Store; returns (tab A's store, tab B's store, tab B's storage)."""
    tab_b = disk.another_tab()
    return todo_store(disk), todo_store(tab_b), tab_b


def test_a_change_in_one_tab_shows_up_in_the_other_without_echo(disk, tabs):
    store_a, store_b, tab_b = tabs
    seen_b: list[list[Todo]] = []
    effect(lambda: seen_b.append(store_b.value))
    store_a.value = [MILK]
    flush()
    assert store_b.value == [MILK]
    assert seen_b == [[], [MILK]]
    assert (writes(disk), writes(tab_b)) == (1, 0), "tab B did not write it back"


def test_the_last_writer_wins(tabs):
    store_a, store_b, _ = tabs
    store_a.value = [MILK]
    flush()
    store_b.value = [EGGS]
    flush()
    assert store_a.value == store_b.value == [EGGS]


def test_clear_in_another_tab_resets_to_defaults(disk, tabs):
    store_a, store_b, tab_b = tabs
    store_a.value = [MILK]
    flush()
    before = writes(disk)
    tab_b.clear()  # localStorage.clear() in tab B: only the other tabs hear it
    flush()
    assert store_a.value == []
    assert store_b.value == [MILK], "tab B's own store is not told (browser rule)"
    assert store_a.error is None
    assert writes(disk) == before, "the defaults are not written back"


def test_removal_in_another_tab_resets_to_defaults_without_parsing(tabs):
    store_a, _, tab_b = tabs
    store_a.value = [MILK]
    flush()
    tab_b.remove_item("todos")
    assert store_a.value == []
    assert store_a.error is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param('{"v":0,"data":[{"id":', "corrupt", id="corrupt"),
        pytest.param('{"v":0,"data":[{"id":"1"}]}', "invalid", id="invalid"),
        pytest.param('{"v":9,"data":[]}', "newer_version", id="newer"),
    ],
)
def test_an_unusable_value_from_another_tab_is_refused_and_reported(tabs, raw, reason):
    store_a, _, tab_b = tabs
    store_a.value = [MILK]
    flush()
    renders: list[list[Todo]] = []
    effect(lambda: renders.append(store_a.value))
    tab_b.set_item("todos", raw)
    flush()
    assert store_a.value == [MILK], "the current state is kept"
    assert renders == [[MILK]], "the garbage never reached a subscriber"
    error = store_a.error
    assert isinstance(error, OtherTabError)
    assert (error.kind, error.reason.kind) == ("other_tab", reason)
    assert "another tab" in error.message
    assert store_a.dirty, "this tab's state is not what the key holds"


def test_same_value_and_unrelated_keys_from_another_tab_notify_nobody(tabs):
    store_a, store_b, tab_b = tabs
    store_a.value = [MILK]
    flush()
    runs: list[int] = []
    effect(lambda: runs.append(len(store_b.value)))
    tab_b.set_item("other-key", "whatever")
    store_a.value = [Todo(id="1", title="milk")]  # equal: not even written
    store_a.save()
    flush()
    assert runs == [1]


def test_older_data_from_another_tab_is_migrated_but_not_written_back(disk):
    tab_b = disk.another_tab()
    todos = v2_store(disk)
    tab_b.set_item("todos", json.dumps({"v": 1, "data": [{"id": "1", "title": "old tab"}]}))
    flush()
    assert todos.value == [TodoV2(id="1", text="old tab")]
    assert writes(disk) == 0, "no write war with the older tab"


def test_a_valid_value_from_another_tab_lifts_the_protection(disk):
    disk.set_item("todos", "garbage")
    todos = todo_store(disk)
    disk.another_tab().set_item("todos", json.dumps([MILK.model_dump()]))
    assert (todos.value, todos.error) == ([MILK], None)
    todos.value = [EGGS]
    flush()
    assert stored(disk)["data"] == [EGGS.model_dump()]


def test_close_stops_following_other_tabs(tabs):
    store_a, store_b, _ = tabs
    store_b.close()
    store_a.value = [MILK]
    flush()
    assert store_b.value == []


# --- P21: only the latest load is applied ---------------------------------------------------------


def test_a_load_overtaken_by_a_newer_one_is_not_applied(disk):
    # Loads are synchronous, so "out of order" means re-entrant: while the older load runs its
    # migration, the storage changes and a newer load starts and completes.
    disk.set_item("todos", json.dumps({"v": 0, "data": ["stale"]}))
    stores: list[Store[list[TodoV2]]] = []

    def migrate_while_a_newer_load_happens(data: Any) -> Any:
        if stores:
            disk.set_item("todos", json.dumps({"v": 2, "data": [{"id": "n", "text": "newest"}]}))
            stores[0].reload()
        return add_ids(data)

    stores.append(v2_store(disk, [migrate_while_a_newer_load_happens, rename_fields]))
    todos = stores[0]
    assert [item.text for item in todos.value] == ["stale"]
    disk.set_item("todos", json.dumps({"v": 0, "data": ["stale again"]}))
    todos.reload()
    assert todos.value == [TodoV2(id="n", text="newest")]
    flush()
    assert stored(disk)["data"] == [{"id": "n", "text": "newest"}], "the stale result not written"


# --- P23: a huge invalid value --------------------------------------------------------------------


def test_an_error_about_a_megabyte_value_has_a_bounded_message(disk):
    blob = "A" * 1_000_000
    disk.set_item("todos", json.dumps({"v": 0, "data": [{"id": blob, "title": 1}] * 50}))
    todos = todo_store(disk)
    error = todos.error
    assert isinstance(error, InvalidDataError)
    assert len(error.message) < 1_000
    assert "AAAAAAAAAA" not in error.message
    assert "and 47 more" in error.message
