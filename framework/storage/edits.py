"""Dev-only detection of in-place edits of a Store's value (`todos.value.append(x)`).

An in-place edit changes the object the store holds without telling it: nothing re-renders and
nothing is saved. Found where it happened, at the cost of a little work that only dev pays
(`framework build` turns it off at boot):

* Snapshot: the store's encoded text, taken when a value is assigned or loaded. At the end of
  each flush after the value was read, the value is encoded again; a difference that no
  assignment explains is an in-place edit, reported once through `report_error`.
* The line: a read from an event handler or other untracked code (renders, computeds and
  effects are left out: they run per row and per change) turns on `sys.monitoring` line events
  for that one function's code. At each of its lines the value is compared with the snapshot,
  so the first line after which it differs is the one that edited it. The events are turned
  off again at the flush.
  Without a line (an edit made elsewhere with a value read earlier), the report names the read.
"""

from __future__ import annotations

import linecache
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FrameType

from framework import reactive
from framework.errors import report_error
from framework.reactive import after_flush
from framework.storage.errors import StoreEditError

__all__ = ["EditWatch", "edit_detection", "set_edit_detection"]

_FRAMEWORK_DIR = str(Path(__file__).resolve().parents[1])
_TOOL_NAME = "framework: Store in-place edits"
_enabled = True


def set_edit_detection(enabled: bool) -> bool:
    """Turn the detection on (dev, tests: the default) or off (a build); returns the previous."""
    global _enabled
    previous, _enabled = _enabled, enabled
    return previous


def edit_detection() -> bool:
    return _enabled


@dataclass(frozen=True)
class Site:
    """Where user code did something: file, line, function."""

    file: str
    line: int
    function: str

    def __str__(self) -> str:
        source = linecache.getline(self.file, self.line).strip()
        shown = f'File "{self.file}", line {self.line}, in {self.function}'
        return f"{shown}\n    {source}" if source else shown


class EditWatch:
    """One store's snapshot, the places its value was read, and the line that edited it."""

    def __init__(self, key: str, encode: Callable[[], str]) -> None:
        self._key = key
        self._encode = encode  # the current state as stored text
        self._snapshot: str | None = None
        self._read_at: Site | None = None
        self._edited_at: Site | None = None
        self.codes: set[CodeType] = set()  # the functions whose lines are watched for it

    def assigned(self) -> None:
        """A value was assigned or loaded: it is the new reference point."""
        self._snapshot = self._text()
        self._edited_at = None

    def read(self) -> None:
        """The value was handed out to untracked code (a handler, a timer, a script): watch the
        reading function's lines, and check the value at the end of the flush. Tracked reads
        (renders, computeds, effects) are left alone: they run per row and on every change."""
        if reactive._observer is not None:
            return
        frame = _user_frame(sys._getframe(2))
        if frame is None:
            return  # the framework itself reading (export, a repr)
        if self._snapshot is None:
            self._snapshot = self._text()
        self._read_at = Site(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)
        _lines.watch(frame, self)
        after_flush(self.check)

    def _text(self) -> str:
        """The state as stored text; an edit can make it unencodable, which also differs."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pydantic's serializer warns on wrong types
                return self._encode()
        except Exception as error:  # noqa: BLE001 - any failure is a difference, not a crash
            return f"<not encodable: {type(error).__name__}: {error}>"

    def probe(self, code: CodeType, line: int) -> None:
        """A line of a watched function is done: did it edit the value?"""
        if self._edited_at is None and self._snapshot not in (None, self._text()):
            self._edited_at = Site(code.co_filename, line, code.co_name)

    def check(self) -> None:
        """At the end of a flush: report an edit no assignment explains, once."""
        if self._snapshot is not None:
            text = self._text()
            if text != self._snapshot:
                self._snapshot = text
                report_error(_edit_error(self._key, self._edited_at, self._read_at))
                self._edited_at = None
        _lines.release(self)


def _edit_error(key: str, edited_at: Site | None, read_at: Site | None) -> StoreEditError:
    if edited_at is not None:
        where = f"at\n  {edited_at}"
    elif read_at is not None:
        where = f"after it was read at\n  {read_at}"
    else:
        where = "(where: unknown)"
    return StoreEditError(
        f"Store({key!r}): its value was changed in place {where}\n"
        "An in-place change is not seen by the store: it is not saved and nothing re-renders. "
        f"Assign a new value instead, e.g. store.value = [*store.value, item], or "
        f"store.update(lambda items: [*items, item]); for a model, "
        "item.model_copy(update={...}). (Assigning the same object again, "
        "store.value = store.value, also saves it.) The stored value is still the previous one.",
        key=key,
    )


def _user_frame(frame: FrameType | None) -> FrameType | None:
    """The first frame outside the framework: the code that read the value."""
    while frame is not None and frame.f_code.co_filename.startswith(_FRAMEWORK_DIR):
        frame = frame.f_back
    return frame


class _LineEvents:
    """sys.monitoring LINE and PY_RETURN events for the functions that read a store's value."""

    def __init__(self) -> None:
        self._tool: int | None = None
        self._watchers: dict[CodeType, set[EditWatch]] = {}
        self._last_line: dict[CodeType, int] = {}

    def watch(self, frame: FrameType, watcher: EditWatch) -> None:
        code = frame.f_code
        watchers = self._watchers.get(code)
        if watchers is None:
            tool = self._tool_id()
            if tool is None:
                return
            watchers = self._watchers[code] = set()
            events = sys.monitoring.events
            sys.monitoring.set_local_events(tool, code, events.LINE | events.PY_RETURN)
        self._last_line[code] = frame.f_lineno
        watchers.add(watcher)
        watcher.codes.add(code)

    def release(self, watcher: EditWatch) -> None:
        """Stop the events of the watcher's functions, but those still running (their edit is
        still to come: the flush ran inside them, as it does without an event loop)."""
        running = _running_codes()
        for code in list(watcher.codes):
            if code in running:
                continue
            watcher.codes.discard(code)
            watchers = self._watchers.get(code, set())
            watchers.discard(watcher)
            if not watchers and self._tool is not None:
                self._watchers.pop(code, None)
                self._last_line.pop(code, None)
                sys.monitoring.set_local_events(self._tool, code, 0)

    def _tool_id(self) -> int | None:
        if self._tool is None:
            monitoring = getattr(sys, "monitoring", None)
            if monitoring is None:
                return None
            for tool in (4, 3):  # ids the debugger, coverage and profilers leave free
                if monitoring.get_tool(tool) is None:
                    monitoring.use_tool_id(tool, _TOOL_NAME)
                    monitoring.register_callback(tool, monitoring.events.LINE, self._on_line)
                    monitoring.register_callback(tool, monitoring.events.PY_RETURN, self._on_return)
                    self._tool = tool
                    break
        return self._tool

    def _on_line(self, code: CodeType, line: int) -> None:
        self._probe(code)
        self._last_line[code] = line

    def _on_return(self, code: CodeType, offset: int, value: object) -> None:
        self._probe(code)

    def _probe(self, code: CodeType) -> None:
        line = self._last_line.get(code)
        if line is not None:
            for watcher in list(self._watchers.get(code, ())):
                watcher.probe(code, line)


def _running_codes() -> set[CodeType]:
    codes = set()
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        codes.add(frame.f_code)
        frame = frame.f_back
    return codes


_lines = _LineEvents()
