"""String storage: the Brython-compatible `storage` mapping, its JSON helpers, MemoryStorage's
browser-like behaviour (quota, unavailability, other tabs), and the probe-then-fallback registry.

Rows P8-P11, P14, P17 and P22 of the reliability matrix at the string level; the Store's side is
tests/unit/test_store.py.
"""

import datetime
import importlib
import json
import sys
import warnings
from collections.abc import Iterator

import pytest

from framework.storage import (
    MemoryStorage,
    QuotaExceededError,
    Storage,
    StorageAccessError,
    StorageChange,
    StorageUnavailableWarning,
    set_storage_backend,
    storage_backend,
)
from framework.storage.areas import PROBE_KEY


@pytest.fixture(autouse=True)
def areas() -> Iterator[dict[str, MemoryStorage]]:
    """A fresh in-memory storage behind each area for every test."""
    backends = {"local": MemoryStorage(persistent=True), "session": MemoryStorage()}
    previous = {
        area: set_storage_backend(area, lambda b=backend: b) for area, backend in backends.items()
    }
    yield backends
    for area, factory in previous.items():
        set_storage_backend(area, factory)


@pytest.fixture
def storage() -> Storage:
    from framework.storage.local_storage import storage

    return storage


# --- Brython's documented examples, as written ------------------------------------------------

BRYTHON_MODULES = ["framework.brython.local_storage", "framework.brython.session_storage"]


@pytest.mark.parametrize("module", BRYTHON_MODULES)
def test_brython_doc_example_set_print_delete_then_keyerror(module, capsys):
    storage = importlib.import_module(module).storage
    namespace = {"storage": storage}
    exec("storage['foo'] = 'bar'\nprint(storage['foo'])", namespace)
    assert capsys.readouterr().out == "bar\n"
    exec("del storage['foo']", namespace)
    with pytest.raises(KeyError, match="foo"):
        exec("print(storage['foo']) # raises KeyError", namespace)


def test_brython_import_alias_serves_the_same_storage_objects():
    from framework.brython import install_import_alias, uninstall_import_alias

    install_import_alias()
    try:
        local = importlib.import_module("browser.local_storage")
        session = importlib.import_module("browser.session_storage")
    finally:
        uninstall_import_alias()
    from framework.storage import local_storage, session_storage

    assert local.storage is local_storage.storage
    assert session.storage is session_storage.storage
    assert "browser" not in sys.modules


def test_local_and_session_storage_are_separate(areas):
    from framework.storage.local_storage import storage as local
    from framework.storage.session_storage import storage as session

    local["who"] = "local"
    session["who"] = "session"
    assert (local["who"], session["who"]) == ("local", "session")
    assert areas["local"].get_item("who") == "local"
    assert areas["session"].get_item("who") == "session"


# --- every dict method of the Brython doc -----------------------------------------------------


def test_get_returns_value_or_default(storage):
    storage["a"] = "1"
    assert storage.get("a") == "1"
    assert storage.get("missing") is None
    assert storage.get("missing", "fallback") == "fallback"


def test_pop_removes_and_returns(storage):
    storage["a"] = "1"
    assert storage.pop("a") == "1"
    assert "a" not in storage
    assert storage.pop("a", "gone") == "gone"
    with pytest.raises(KeyError):
        storage.pop("a")


def test_keys_values_items_are_list_copies(storage):
    storage["a"] = "1"
    storage["b"] = "2"
    keys, values, items = storage.keys(), storage.values(), storage.items()
    assert (keys, values, items) == (["a", "b"], ["1", "2"], [("a", "1"), ("b", "2")])
    assert all(type(result) is list for result in (keys, values, items))
    keys.append("c")
    values.clear()
    storage["d"] = "4"
    assert keys == ["a", "b", "c"], "a copy: later writes do not show up in it"
    assert storage.keys() == ["a", "b", "d"]


def test_len_contains_iter_clear(storage):
    storage["a"] = "1"
    storage["b"] = "2"
    assert len(storage) == 2
    assert "a" in storage
    assert "z" not in storage
    assert list(storage) == ["a", "b"]
    for key in storage:  # iterating over a copy: deleting while iterating is safe
        del storage[key]
    assert len(storage) == 0
    storage["c"] = "3"
    storage.clear()
    assert (len(storage), storage.keys()) == (0, [])


def test_del_missing_key_raises_keyerror(storage):
    with pytest.raises(KeyError, match="nothing"):
        del storage["nothing"]


def test_overwrite_keeps_one_entry(storage):
    storage["a"] = "1"
    storage["a"] = "2"
    assert (storage["a"], len(storage)) == ("2", 1)


# --- P10: the empty string is a value ---------------------------------------------------------


def test_empty_string_round_trips_as_empty_string(storage):
    storage["empty"] = ""
    assert storage["empty"] == ""
    assert storage.get("empty", "default") == ""
    assert "empty" in storage
    assert storage.items() == [("empty", "")]
    assert storage.pop("empty") == ""
    assert "empty" not in storage


def test_unicode_and_json_looking_strings_are_kept_verbatim(storage):
    value = 'こんにちは \U0001f363 {"v": 1} \x00 '
    storage["text"] = value
    assert storage["text"] == value


# --- P11: only strings, and a refused write writes nothing ------------------------------------

NOT_STRINGS = [
    pytest.param(1, id="int"),
    pytest.param(None, id="None"),
    pytest.param(b"bytes", id="bytes"),
    pytest.param({"a"}, id="set"),
    pytest.param(("a",), id="tuple"),
    pytest.param(datetime.datetime(2026, 1, 1), id="datetime"),
    pytest.param(object(), id="object"),
]


@pytest.mark.parametrize("value", NOT_STRINGS)
def test_non_string_value_raises_typeerror_and_writes_nothing(storage, value):
    with pytest.raises(TypeError, match="values must be str"):
        storage["key"] = value
    assert len(storage) == 0


@pytest.mark.parametrize("key", [p for p in NOT_STRINGS if p.id not in ("set",)])
def test_non_string_key_raises_typeerror_everywhere(storage, key):
    with pytest.raises(TypeError, match="keys must be str"):
        storage[key] = "value"
    assert len(storage) == 0
    for operation in (
        lambda: storage[key],
        lambda: storage.get(key),
        lambda: storage.pop(key, None),
        lambda: key in storage,
    ):
        with pytest.raises(TypeError, match="keys must be str"):
            operation()
    with pytest.raises(TypeError, match="keys must be str"):
        del storage[key]


# --- JSON helpers (storage.json) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        {"theme": "dark", "size": 3, "tags": ["a", "b"], "nested": {"ok": True, "none": None}},
        [1, 2.5, "three", False],
        [],
        {},
    ],
)
def test_json_set_serialises_dicts_and_lists_and_get_parses_them(storage, value):
    storage.json.set("prefs", value)
    assert json.loads(storage["prefs"]) == value  # plain JSON text, readable by any code
    assert storage.json.get("prefs") == value


def test_json_set_stores_a_string_as_it_is_and_get_falls_back_to_it(storage):
    storage.json.set("name", "Ada")
    assert storage["name"] == "Ada"
    assert storage.json.get("name") == "Ada"
    storage["broken"] = '{"v": 1'  # written by someone else, not JSON
    assert storage.json.get("broken") == '{"v": 1'


def test_json_get_missing_returns_default(storage):
    assert storage.json.get("missing") is None
    assert storage.json.get("missing", {"fresh": True}) == {"fresh": True}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({1, 2}, id="set"),
        pytest.param(b"raw", id="bytes"),
        pytest.param(datetime.date(2026, 1, 1), id="date"),
        pytest.param(object(), id="object"),
        pytest.param({"nested": {1, 2}}, id="nested-set"),
        pytest.param(float("nan"), id="nan"),
        pytest.param([float("inf")], id="infinity"),
    ],
)
def test_json_set_of_unserialisable_value_raises_typeerror_and_writes_nothing(storage, value):
    storage.json.set("key", "before")
    with pytest.raises(TypeError, match=r"storage\.json\.set\('key', \.\.\.\): the value cannot"):
        storage.json.set("key", value)
    assert storage["key"] == "before"


# --- MemoryStorage: quota and unavailability (P8, P9, P22 at the string level) ----------------


def test_a_write_over_quota_raises_and_keeps_the_previous_value(storage, areas):
    areas["local"].quota = 40
    storage["a"] = "x" * 10
    with pytest.raises(QuotaExceededError, match="quota of 40"):
        storage["a"] = "y" * 50
    assert storage["a"] == "x" * 10
    with pytest.raises(QuotaExceededError):
        storage["b"] = "z" * 30
    assert "b" not in storage


def test_a_five_megabyte_value_near_a_full_storage_is_refused_whole(areas):
    backend = MemoryStorage(quota=5_000_000)
    for index in range(4_000):
        backend.set_item(f"filler{index}", "f" * 1_000)  # 4 MB of 1 KB values
    backend.set_item("doc", "old")
    with pytest.raises(QuotaExceededError):
        backend.set_item("doc", "n" * 5_000_000)
    assert backend.get_item("doc") == "old"


def test_an_unavailable_storage_raises_on_every_operation():
    backend = MemoryStorage({"a": "1"}, available=False)
    for operation in (
        lambda: backend.get_item("a"),
        lambda: backend.set_item("a", "2"),
        lambda: backend.remove_item("a"),
        backend.clear,
        backend.keys,
        lambda: len(backend),
    ):
        with pytest.raises(StorageAccessError):
            operation()
    backend.available = True
    assert backend.get_item("a") == "1"


# --- other tabs: the `storage` event rules (P12, P14, P17) -------------------------------------


@pytest.fixture
def two_tabs() -> tuple[MemoryStorage, MemoryStorage, list[StorageChange], list[StorageChange]]:
    tab_a = MemoryStorage()
    tab_b = tab_a.another_tab()
    heard_a: list[StorageChange] = []
    heard_b: list[StorageChange] = []
    tab_a.subscribe(heard_a.append)
    tab_b.subscribe(heard_b.append)
    return tab_a, tab_b, heard_a, heard_b


def test_a_write_notifies_the_other_tab_only(two_tabs):
    tab_a, tab_b, heard_a, heard_b = two_tabs
    tab_a.set_item("k", "1")
    assert tab_b.get_item("k") == "1"
    assert heard_b == [StorageChange("k", None, "1")]
    assert heard_a == [], "the writer never hears its own write"
    tab_b.set_item("k", "2")
    assert heard_a == [StorageChange("k", "1", "2")]


def test_no_event_for_same_value_missing_key_removal_or_clearing_empty_storage(two_tabs):
    tab_a, _tab_b, _heard_a, heard_b = two_tabs
    tab_a.remove_item("missing")
    tab_a.clear()
    tab_a.set_item("k", "same")
    tab_a.set_item("k", "same")
    assert heard_b == [StorageChange("k", None, "same")]


def test_remove_and_clear_notify_with_none(two_tabs):
    tab_a, _tab_b, _heard_a, heard_b = two_tabs
    tab_a.set_item("k", "1")
    tab_a.remove_item("k")
    tab_a.set_item("j", "2")
    tab_a.clear()
    assert heard_b[1:] == [
        StorageChange("k", "1", None),
        StorageChange("j", None, "2"),
        StorageChange(None, None, None),
    ]


def test_unsubscribe_stops_notifications_and_a_failing_listener_does_not_stop_others(
    monkeypatch,
):
    tab_a = MemoryStorage()
    tab_b = tab_a.another_tab()
    reported: list[BaseException] = []
    monkeypatch.setattr("framework.storage.memory.report_error", reported.append)
    heard: list[StorageChange] = []

    def broken(change: StorageChange) -> None:
        raise RuntimeError("listener bug")

    tab_b.subscribe(broken)
    unsubscribe = tab_b.subscribe(heard.append)
    tab_a.set_item("k", "1")
    assert len(heard) == 1
    assert [str(error) for error in reported] == ["listener bug"]
    unsubscribe()
    unsubscribe()  # idempotent
    tab_a.set_item("k", "2")
    assert len(heard) == 1


# --- the registry: probe, then fall back to memory with one warning (P9) -----------------------


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda: MemoryStorage(available=False), id="access-throws"),
        pytest.param(lambda: MemoryStorage(quota=0), id="quota-0"),
    ],
)
def test_an_unusable_area_falls_back_to_memory_with_one_warning(broken):
    set_storage_backend("local", broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        backend = storage_backend("local")
        again = storage_backend("local")
        from framework.storage.local_storage import storage

        storage["still"] = "works"
    assert again is backend
    assert [w.category for w in caught] == [StorageUnavailableWarning]
    assert "localStorage cannot be used" in str(caught[0].message)
    assert "lost when the page closes" in str(caught[0].message)
    assert backend.persistent is False
    assert backend.unavailable_reason is not None
    assert storage["still"] == "works"


def test_a_full_storage_that_holds_data_is_not_mistaken_for_an_unusable_one():
    full = MemoryStorage({"todos": "[]"}, quota=len("todos[]"), persistent=True)
    set_storage_backend("local", lambda: full)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert storage_backend("local") is full
    assert full.get_item("todos") == "[]"


def test_the_probe_leaves_nothing_behind(areas):
    set_storage_backend("local", lambda: areas["local"])
    storage_backend("local")
    assert areas["local"].get_item(PROBE_KEY) is None
    assert len(areas["local"]) == 0


def test_outside_the_browser_an_area_defaults_to_memory():
    set_storage_backend("session", None)
    backend = storage_backend("session")
    assert isinstance(backend, MemoryStorage)
    assert backend.unavailable_reason is None


def test_unknown_area_is_refused():
    with pytest.raises(ValueError, match="unknown storage area 'cookie'"):
        storage_backend("cookie")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="use 'local' or 'session'"):
        Storage("disk")["k"]  # type: ignore[arg-type]
