"""framework.files.plan_reload: what a tab does when another tab of the app saved a folder;
files.reloaded: how the app learns what that changed here.

The browser's side (framework/browser/files.js) gathers the times, applies the plan and reports
the paths it changed (record_reload); the rule itself is here, with times in milliseconds as
IndexedDB's entries hold them. End to end with two Chromium tabs: tests/e2e/test_files.py.
"""

from __future__ import annotations

import logging

import pytest

from framework import files
from framework.reactive import effect, flush

SAVED_HERE = 1_000.0  # when this tab last saved or loaded each file
THEIRS = 2_000.0  # the other tab's save
MINE = 1_500.0  # this tab's write since its last save


def test_files_this_tab_has_not_touched_are_reloaded_and_deleted_ones_removed() -> None:
    plan = files.plan_reload(
        paths=["/data/notes.db", "/data/gone.json", "/data/new.json"],
        database={"/data/notes.db": THEIRS, "/data/new.json": THEIRS},
        saved={"/data/notes.db": SAVED_HERE, "/data/gone.json": SAVED_HERE},
        local={"/data/notes.db": SAVED_HERE, "/data/gone.json": SAVED_HERE},
    )
    assert plan == files.ReloadPlan(
        reload=("/data/notes.db", "/data/new.json"), remove=("/data/gone.json",), kept=()
    )


def test_only_the_announced_files_are_looked_at() -> None:
    plan = files.plan_reload(
        paths=["/data/a"],
        database={"/data/a": THEIRS, "/data/b": THEIRS},
        saved={"/data/a": SAVED_HERE, "/data/b": SAVED_HERE},
        local={"/data/a": SAVED_HERE, "/data/b": SAVED_HERE},
    )
    assert plan.reload == ("/data/a",)


@pytest.mark.parametrize(
    ("saved", "local"),
    [
        pytest.param({"/data/a": SAVED_HERE}, {"/data/a": MINE}, id="written here"),
        pytest.param({}, {"/data/a": MINE}, id="created here"),
        pytest.param({"/data/a": SAVED_HERE}, {}, id="deleted here"),
        pytest.param({"/data/a": -1.0}, {"/data/a": SAVED_HERE}, id="to write again"),
    ],
)
def test_a_file_changed_here_and_not_saved_keeps_this_tabs_version_with_a_warning(
    saved: dict[str, float], local: dict[str, float], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="framework.files"):
        plan = files.plan_reload(["/data/a"], {"/data/a": THEIRS}, saved, local)
    assert plan == files.ReloadPlan(reload=(), remove=(), kept=("/data/a",))
    assert "/data/a was saved by another tab" in caplog.text


def test_a_file_deleted_in_both_tabs_needs_nothing() -> None:
    plan = files.plan_reload(["/data/a"], database={}, saved={}, local={})
    assert plan == files.ReloadPlan(reload=(), remove=(), kept=())


def test_a_folder_is_never_a_conflict(caplog: pytest.LogCaptureFixture) -> None:
    """A folder's time moves whenever a file in it is added here: not a change to warn about."""
    with caplog.at_level(logging.WARNING, logger="framework.files"):
        plan = files.plan_reload(
            paths=["/data/notes", "/data/old"],
            database={"/data/notes": THEIRS},
            saved={"/data/notes": SAVED_HERE, "/data/old": SAVED_HERE},
            local={"/data/notes": MINE, "/data/old": MINE},
            directories=["/data/notes", "/data/old"],
        )
    assert plan == files.ReloadPlan(reload=("/data/notes",), remove=("/data/old",), kept=())
    assert caplog.text == ""


# -- files.reloaded: the app is told what another tab's save changed here ----------------------


def test_each_reload_that_changed_files_here_is_counted_with_its_paths_sorted() -> None:
    before = files.reloaded.value.count
    files.record_reload(["/data/state.json", "/data/notes.db", "/data/state.json"])
    assert files.reloaded.value == files.ReloadedFiles(
        before + 1, ("/data/notes.db", "/data/state.json")
    )
    files.record_reload(["/data/gone.json"])
    assert files.reloaded.value == files.ReloadedFiles(before + 2, ("/data/gone.json",))


def test_what_reads_it_runs_again_after_a_reload_and_not_after_one_that_changed_nothing() -> None:
    seen: list[tuple[str, ...]] = []
    watcher = effect(lambda: seen.append(files.reloaded.value.paths))
    try:
        files.record_reload([])  # every file kept this tab's version: nothing changed here
        flush()
        files.record_reload(["/data/notes.db"])
        flush()
    finally:
        watcher.dispose()
    assert seen[1:] == [("/data/notes.db",)]  # [0]: the effect's first run
