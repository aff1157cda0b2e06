"""The conformance runner: one table of cases (cases.py), run through the real renderer against
any DOM backend and observed the same way, so two backends can be compared.

A case is a function of a Stage. It mounts a template or a component, changes state, fires
events, and says at each step what it expects: the container's DOM (serialised with
memory.Element.to_html(properties=True): attributes in order, escaping, void elements, and the
properties set on each element), the handlers that ran and the element each ran for, errors.
The stage records an Observation per step: what was expected and what the backend shows.

A Harness adapts one backend. MemoryHarness is here; the browser's is in main.py, which runs
this same table in a real page against the real applier (tests/e2e/test_backend_conformance.py).
A backend conforms when every observation matches: in the unit tier the memory backend is held to
the expectations, in the browser both backends are, and to each other.

This folder is also an app (`framework serve tests/conformance`), so its modules import each
other by plain names and import nothing from `tests`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from string.templatelib import Template
from typing import Any, Protocol

from framework import Component, MemoryDom, mount, set_error_reporter

SELECTOR = "#conformance"
Case = Callable[["Stage"], None]


class Harness(Protocol):
    """What the runner needs of a backend besides the Backend protocol itself."""

    def start(self) -> Any:
        """A fresh backend with an empty element for SELECTOR."""

    def serialise(self) -> str:
        """The content of SELECTOR's element, as memory.Element.to_html(properties=True)."""

    def element(self, element_id: str) -> Any:
        """The document's element with that id."""

    def fire(self, element_id: str, event_type: str) -> None:
        """Dispatch an event of that type at the element, as a user's action would."""

    def element_id(self, element: Any) -> str:
        """The id attribute of an element the backend handed to a handler or a Ref."""

    def same(self, first: Any, second: Any) -> bool:
        """Whether two handles name the same node."""


@dataclass(frozen=True)
class Observation:
    step: str
    expected: str
    actual: str

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass
class Result:
    name: str
    observations: list[Observation] = field(default_factory=list)

    @property
    def failures(self) -> list[Observation]:
        return [o for o in self.observations if not o.ok]

    def as_json(self) -> list[list[str]]:
        return [[o.step, o.expected, o.actual] for o in self.observations]


class Stage:
    """One run of a case against one backend."""

    def __init__(self, harness: Harness, result: Result) -> None:
        self.harness, self.result = harness, result
        self.backend = harness.start()
        self.mounted: Any = None
        self.events: list[str] = []
        self.errors: list[str] = []

    # -- driving -----------------------------------------------------------------------------

    def mount(self, root: Callable[[], Template] | Any) -> None:
        """Mount a template, a component call, or a function returning a template (it
        re-renders when a signal it read changes)."""
        if callable(root):
            root = _view(root)()
        self.mounted = mount(root, SELECTOR, backend=self.backend)

    def flush(self) -> None:
        self.mounted.flush()

    def fire(self, element_id: str, event_type: str) -> None:
        self.harness.fire(element_id, event_type)

    def handler(self, label: str) -> Callable[[Any], None]:
        """An event handler that records `label@<id of the element it ran for>`."""

        def record(event: Any) -> None:
            self.events.append(f"{label}@{self.harness.element_id(event.currentTarget)}")

        return record

    def element(self, element_id: str) -> Any:
        return self.harness.element(element_id)

    # -- observing ---------------------------------------------------------------------------

    def observe(self, step: str, expected: str, actual: str) -> None:
        self.result.observations.append(Observation(step, expected, actual))

    def expect(self, step: str, html: str) -> None:
        """After pending work is flushed, the container holds exactly `html`."""
        self.flush()
        self.observe(step, html, self.harness.serialise())

    def expect_events(self, step: str, *expected: str) -> None:
        """The handlers that ran since the last check, in order, as `label@id`."""
        self.observe(step, " ".join(expected), " ".join(self.events))
        self.events.clear()

    def expect_errors(self, step: str, *expected: str) -> None:
        """The types of the errors reported (not raised) since the last check."""
        self.observe(step, " ".join(expected), " ".join(self.errors))
        self.errors.clear()

    def expect_same(self, step: str, kept: Any, element_id: str) -> None:
        """The element with that id is still the node `kept` (moved, not recreated)."""
        same = self.harness.same(kept, self.harness.element(element_id))
        self.observe(step, "the same node", "the same node" if same else "another node")

    def expect_raises(self, step: str, action: Callable[[], Any]) -> None:
        """`action` raises (the type may differ: a JS error in the browser)."""
        try:
            action()
        except Exception:  # noqa: BLE001 - any error is the expected outcome
            outcome = "raised"
        else:
            outcome = "returned"
        self.observe(step, "raised", outcome)


def _view(render: Callable[[], Template]) -> type[Component]:
    class View(Component):
        def render(self) -> Template:
            return render()

    return View


def run_case(name: str, case: Case, harness: Harness) -> Result:
    """Run one case; every case ends by unmounting, which must leave the container empty."""
    result = Result(name)
    stage = Stage(harness, result)
    previous = set_error_reporter(lambda error: stage.errors.append(type(error).__name__))
    try:
        case(stage)
        stage.expect_errors("no error was left unchecked")
        if stage.mounted is not None:
            stage.mounted.unmount()
            stage.observe("unmounted", "", harness.serialise())
    except Exception as error:  # noqa: BLE001 - a case that breaks is a failed observation
        lines = traceback.format_exception_only(error)
        stage.observe("the case ran to its end", "", "".join(lines).strip())
    finally:
        set_error_reporter(previous)
    return result


def run_table(table: dict[str, Case], harness: Harness) -> list[Result]:
    return [run_case(name, case, harness) for name, case in table.items()]


class MemoryHarness:
    """The memory backend, or a subclass of it (a deliberately diverging one, in tests)."""

    def __init__(self, backend: type[MemoryDom] = MemoryDom) -> None:
        self.backend_class = backend
        self.dom = backend()

    def start(self) -> MemoryDom:
        self.dom = self.backend_class()
        self.dom.container(SELECTOR)
        return self.dom

    def serialise(self) -> str:
        return "".join(child.to_html(properties=True) for child in self._container().children)

    def element(self, element_id: str) -> Any:
        return self.dom.find(f"#{element_id}")

    def fire(self, element_id: str, event_type: str) -> None:
        self.dom.dispatch(self.element(element_id), event_type)

    def element_id(self, element: Any) -> str:
        return str(element.attrs.get("id", ""))

    def same(self, first: Any, second: Any) -> bool:
        return first is second

    def _container(self) -> Any:
        return self.dom.find(SELECTOR)
