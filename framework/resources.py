"""resource(): data an async function loads, as reactive state: `value`, `loading`, `error`.

    class Profile(Component):
        user_id: int

        def setup(self) -> None:
            self.user = resource(self.load_user, source=lambda: self.user_id)

        async def load_user(self, user_id: int) -> dict[str, str]:
            request = await aio.get(f"/api/users/{user_id}", format="json", raise_for_status=True)
            return request.data

docs/resources.md is the guide. What it guarantees:

* Each load runs as an `aio.run` task. When the source's value changes (or `refresh()` is
  called), the task in flight is cancelled, which through aio aborts its HTTP request, and a
  new load starts with the new value.
* No stale result is ever shown: each load has a generation number, and only the newest one
  writes its outcome. A load that swallows the cancellation and finishes anyway, or an older
  load that finishes after a newer one, is dropped.
* A failed load sets `error`, and reading `value` then raises it: a render that does not check
  `error` fails, so the component's error boundary (its fallback, the error overlay) shows the
  error instead of it being lost. A failure that no render or effect reads at all is reported
  (report_error: the overlay) when it happens.
* The resource belongs to the owner it is created under (a component's setup: the component),
  and is disposed with it: its load in flight is cancelled and nothing it loads is written.
* Made under a Suspense (framework/suspense.py), its first load holds that boundary's fallback
  until it ends; one given `initial=` has data to show already and holds nothing.

Standard library and the framework's core only: no js import (runs in the unit tier).
"""

# UP046/UP047 (PEP 695 generics) are waived like in reactive.py: host-side mypy (Python 3.11)
# reads this module through framework/__init__.py.
# ruff: noqa: UP046, UP047

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, overload

from framework.aio.running import run
from framework.errors import report_error
from framework.reactive import (
    Computed,
    Effect,
    Scope,
    Signal,
    after_flush,
    batch,
    on_cleanup,
    untracked,
)
from framework.suspense import SuspenseBoundary, nearest_boundary
from framework.template.readonly import refuse_during_render

__all__ = ["Resource", "resource"]

T = TypeVar("T")
S = TypeVar("S")

# What `source=` takes: a function of signals, or a Signal or Computed itself. Its value None
# means "nothing to load yet" (no user chosen): no load runs.
Source = Callable[[], S | None] | Signal[S] | Signal[S | None] | Computed[S] | Computed[S | None]


class _NoSource:
    """The key of a resource without `source=`: its load is called with no argument."""

    def __repr__(self) -> str:
        return "no source"


_NO_SOURCE: Any = _NoSource()
_NO_INITIAL: Any = object()  # resource() without initial=: its first load holds a Suspense


class Resource(Generic[T]):
    """Reactive state of an async load: `value`, `loading`, `error`, `refresh()`, `dispose()`.

    Made by `resource()`; the class is public for annotations (`self.user: Resource[User]`)."""

    def __init__(
        self,
        load: Callable[..., Awaitable[T]],
        source: Source[Any] | None,
        initial: T,
        name: str | None = None,
        suspends: bool = True,
    ) -> None:
        self._name = name or getattr(load, "__qualname__", None) or "resource"
        # Render re-runs: a resource made there would be made, and its request sent, each time.
        refuse_during_render("create a resource (create it once, in setup())")
        _require_running_loop(self._name)
        self._load = load
        self._value = Signal(initial, name=f"{self._name}.value")
        self._loading = Signal(False, name=f"{self._name}.loading")
        self._error: Signal[Exception | None] = Signal(None, name=f"{self._name}.error")
        self._traceback: Any = None  # the failed load's, so each re-raise shows where it failed
        self._generation = 0  # bumped by each load started and by dispose: only the newest writes
        self._task: asyncio.Future[None] | None = None
        self._source = _readable(source, self._name)
        # The Suspense its first load holds, found before the first load can end.
        self._boundary: SuspenseBoundary | None = nearest_boundary() if suspends else None
        # A scope of its own under the current owner: disposed with a component, or by dispose().
        self._scope = Scope(name=f"resource {self._name}")
        self._scope.run(self._begin)
        if self._boundary is not None:
            if self._loading.peek():
                self._boundary.hold(self)
            else:  # nothing to load yet (source None), or failed at once: holds nothing
                self._boundary = None

    # -- what components read ------------------------------------------------------------------

    @property
    def value(self) -> T:
        """The last loaded value (`initial` until a load succeeds; kept while a new one runs).
        Tracked. Raises the last load's error if it failed: check `error` first to show your
        own message, else the component's error boundary shows it."""
        error = self._error.value
        if error is not None:
            raise error.with_traceback(self._traceback)
        return self._value.value

    @property
    def loading(self) -> bool:
        """Whether a load is in flight. Tracked."""
        return self._loading.value

    @property
    def error(self) -> Exception | None:
        """What the last load raised, None once a new load starts or after a success. Tracked."""
        return self._error.value

    @property
    def disposed(self) -> bool:
        return self._scope.disposed

    # -- what handlers call --------------------------------------------------------------------

    def refresh(self) -> None:
        """Load again with the source's current value; a load in flight is cancelled. Does
        nothing once the resource is disposed (its component unmounted)."""
        refuse_during_render(f"refresh {self._name!r}")
        if not self._scope.disposed:
            untracked(self._follow_source)

    def dispose(self) -> None:
        """Cancel the load in flight and stop following the source; its owner's disposal does
        this too. Idempotent."""
        self._scope.dispose()

    # -- how it works --------------------------------------------------------------------------

    def _begin(self) -> None:
        on_cleanup(self._stop)
        Effect(self._follow_source, name=f"resource {self._name}")

    def _follow_source(self) -> None:
        """The effect: read the source (tracked), then start a load with its value."""
        try:
            key = _NO_SOURCE if self._source is None else self._source.value
        except Exception as error:  # noqa: BLE001 - a failing source is this resource's error
            untracked(self._restart, None, error)
            return
        untracked(self._restart, key, None)

    def _restart(self, key: Any, source_error: Exception | None) -> None:
        self._generation += 1
        generation = self._generation
        self._cancel_task()
        if source_error is not None:
            self._finish(generation, error=source_error)
            return
        if key is None:  # nothing to load yet: the value stays what it was
            self._loading.value = False
            return
        with batch():
            self._loading.value = True
            self._error.value = None
        self._task = run(self._settle(generation, key))

    async def _settle(self, generation: int, key: Any) -> None:
        """The load's task: run it, and write its outcome if no newer load started since. A
        cancellation passes through (the task ends cancelled, the request aborted). The load is
        called here, not before: a task cancelled before its first step leaves no coroutine
        behind that was never awaited."""
        try:
            pending = self._load() if key is _NO_SOURCE else self._load(key)
            if not inspect.isawaitable(pending):
                raise TypeError(
                    f"resource {self._name!r}: its load function returned "
                    f"{type(pending).__name__}, not an awaitable: make it `async def`"
                )
            value = await pending
        except Exception as error:  # noqa: BLE001 - kept in `error`, raised by `value`
            self._finish(generation, error=error)
        else:
            self._finish(generation, value=value)

    def _finish(self, generation: int, value: Any = None, error: Exception | None = None) -> None:
        if generation != self._generation:
            return  # an older load, or one of a disposed resource: its outcome is stale
        self._task = None
        self._release_boundary()
        with batch():
            if error is None:
                self._value.value = value
            self._traceback = None if error is None else error.__traceback__
            self._error.value = error
            self._loading.value = False
        if error is not None:
            # Checked once the effects these writes trigger have run: a render that reads the
            # resource meets the error itself (and its error boundary reports it).
            after_flush(self._report_if_unwatched)

    def _report_if_unwatched(self) -> None:
        """A failure no render or effect reads would go unseen: report it (the overlay)."""
        error = self._error.peek()
        watched = self._value._observers or self._loading._observers or self._error._observers
        if error is not None and not watched:
            report_error(error)

    def _cancel_task(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    def _stop(self) -> None:
        """Its owner is disposed: nothing in flight may write any more."""
        self._generation += 1
        self._cancel_task()
        self._release_boundary()

    def _release_boundary(self) -> None:
        """The first load is over (or will never end): the Suspense waits for it no more."""
        boundary, self._boundary = self._boundary, None
        if boundary is not None:
            boundary.release(self)

    def __repr__(self) -> str:
        state = "disposed" if self.disposed else f"loading={self._loading.peek()}"
        return f"Resource({self._name!r}, {state})"


def _require_running_loop(name: str) -> None:
    """Loads run as tasks: refuse at once, rather than fail in the first load's effect."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            f"resource {name!r} needs a running event loop to load in: the browser has one, "
            "and so does each test under `framework test`; a script starts one with "
            "asyncio.run(main()) and creates the resource inside main()"
        ) from None


def _readable(source: Source[Any] | None, name: str) -> Signal[Any] | Computed[Any] | None:
    """A Signal or Computed as given; a function wrapped in a Computed, so that a new value
    equal to the last one starts no new load."""
    if source is None or isinstance(source, Signal | Computed):
        return source
    if not callable(source):
        raise TypeError(
            f"resource {name!r}: source= takes a function, a Signal or a Computed, not "
            f"{type(source).__name__} (write source=lambda: ... to follow a value)"
        )
    return Computed(source, name=f"{name} source")


@overload
def resource(
    load: Callable[[], Awaitable[T]], *, initial: T, name: str | None = None
) -> Resource[T]: ...
@overload
def resource(
    load: Callable[[], Awaitable[T]], *, name: str | None = None
) -> Resource[T | None]: ...
@overload
def resource(
    load: Callable[[S], Awaitable[T]], *, source: Source[S], initial: T, name: str | None = None
) -> Resource[T]: ...
@overload
def resource(
    load: Callable[[S], Awaitable[T]], *, source: Source[S], name: str | None = None
) -> Resource[T | None]: ...
def resource(
    load: Callable[..., Awaitable[Any]],
    *,
    source: Source[Any] | None = None,
    initial: Any = _NO_INITIAL,
    name: str | None = None,
) -> Resource[Any]:
    """Load data with `load` (an async function) now, and again whenever `source` changes.

    Without `source`, `load()` runs once (and on `refresh()`). With it, `load(value)` runs with
    the source's value, and again when that value changes (cancelling the load in flight); a
    value of None loads nothing. `initial` is `value` until a load succeeds (None without it).
    Under a Suspense, the first load holds its fallback unless `initial` is given."""
    known = initial is not _NO_INITIAL
    return Resource(load, source, initial if known else None, name, suspends=not known)
