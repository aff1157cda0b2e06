"""Fine-grained reactivity: signals, computed values, effects, batching and owner scopes.

How it works (docs/reactivity.md is the guide):

* Push, then pull. A write bumps the signal's version and *notifies* its observers: a computed is
  only marked outdated (nothing is recomputed yet) and an effect is queued. Values are *pulled*: a
  computed revalidates when it is read, by refreshing its sources in the order it read them and
  comparing their versions with the ones it saw last time. So computeds are lazy, and the graph is
  glitch-free: the bottom of a diamond recomputes once, after both branches are up to date.
* Dependencies are re-tracked on every run. A run that reads the same sources in the same order as
  the previous one (the steady state of a re-render) allocates nothing: it overwrites versions.
* A computed subscribes to its sources only while something observes it, so a computed nobody
  watches any more holds no reference from the signals it read and can be garbage collected.
* Effects never run inside a write: they are queued and flushed once per microtask (see flush()).
* Walks of the graph (notifying, revalidating, subscribing, unsubscribing) use explicit stacks,
  not recursion, so a chain of computeds may be far deeper than Python's recursion limit (the
  browser's stack is small). A first computation does nest (a computed's function calls its
  sources' `.value`), so runs nested past a fixed depth are unwound and resumed from the top
  (see _Unwind): a chain never computed before can be read first from its far end.

Standard library only, no js/pyodide imports: it runs, and is tested, on plain CPython too.
"""

# Two rules are waived for the whole file, on purpose:
# - UP046/UP047 (PEP 695 generics): this module must stay importable on the host's Python 3.11.
# - PLW0603 (global statements): the tracking state lives in module globals because a global load
#   is the cheapest lookup on the hot read path (every .value read checks the current observer).
# ruff: noqa: UP046, UP047, PLW0603

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ContextDecorator
from itertools import count
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, cast, overload

__all__ = [
    "MAX_FLUSH_PASSES",
    "Computed",
    "Effect",
    "Owner",
    "ReactiveCycleError",
    "ReactiveError",
    "Scope",
    "Signal",
    "Watch",
    "after_flush",
    "batch",
    "computed",
    "create_root",
    "effect",
    "flush",
    "flush_after",
    "get_owner",
    "on_cleanup",
    "run_with_owner",
    "set_error_handler",
    "set_scheduler",
    "signal",
    "untracked",
]

T = TypeVar("T")
P = ParamSpec("P")

Cleanup = Callable[[], object]
Scheduler = Callable[[Callable[[], None]], object]
ErrorHandler = Callable[[Exception], object]
WriteGuard = Callable[["Signal[Any]"], object]

# An effect re-triggered more often than this within one flush is treated as a cycle.
MAX_FLUSH_PASSES = 100
# Computed runs nested deeper than this (a function reading a computed never computed before,
# which runs inside it) are unwound and resumed from the top: see _Unwind.
_MAX_NESTED_RUNS = 50


class ReactiveError(RuntimeError):
    """A misuse of the reactive graph (for example a computed that writes a signal)."""


class ReactiveCycleError(ReactiveError):
    """A computed that reads itself, or effects that keep re-triggering each other."""

    def __init__(self, message: str, origin: object = None) -> None:
        super().__init__(message)
        # For a computed cycle: the nodes the error passed through on its way out, innermost first.
        self.path: list[str] = [_describe(origin)] if origin is not None else []
        self._origin = origin

    def _passing(self, node: object) -> None:
        """Record a computed the error propagates through; the message closes at the origin."""
        if self._origin is None:
            return
        self.path.append(_describe(node))
        if node is self._origin:
            self._origin = None
            self.args = ("computed cycle: " + " -> ".join(reversed(self.path)),)


class _Unwind(BaseException):
    """Raised instead of starting a computed run nested too deep, and caught at the outermost
    read, which brings `node` up to date first and then starts over.

    A computed's first run happens inside the run of whoever reads it (its function calls the
    source's `.value`), so the first read of a long chain nests one run per level, as deep as
    the chain. Past _MAX_NESTED_RUNS, the runs in progress are abandoned (a computed may run at
    any time, or more than once: it has no side effects) and the deepest one is computed from
    the top, so the Python stack never holds more than that many runs. A BaseException, so a
    user's `except Exception` in a computed does not stop it on its way up.
    """

    def __init__(self, node: Computed[Any]) -> None:
        super().__init__()
        self.node = node


# ---------------------------------------------------------------------------------------------
# Module state. Module globals (not a context object) because the read path is the hot path:
# a global load is the cheapest lookup Python has.

_observer: _Observer | None = None  # the computed or effect whose run is tracking reads
_owner: Owner | None = None  # the scope or effect that will own effects created now
_batch_depth = 0  # > 0 while writes must only queue effects (batch(), writes, effect runs)
_queue: list[Effect] = []  # effects notified and waiting for the next flush
_flushing = False
_scheduled = False  # a flush is already scheduled with the loop or the custom scheduler
_scheduler: Scheduler | None = None
_write_guard: WriteGuard | None = None  # see set_write_guard
_global_version = 0  # bumped by every write; lets an unobserved computed skip revalidation
_epochs = count(1)  # one number per tracking run, to skip repeated reads of the same source
_nesting = 0  # computed runs in progress, one inside the other
_deferred: list[Exception] = []  # errors the default handler raises at the end of a flush
# Callbacks for the end of the next flush (an ordered set: registering twice runs once).
_after_flush: dict[Callable[[], object], None] = {}
# Callbacks for the start of the next flush, before any effect runs (the same kind of set).
_before_flush: dict[Callable[[], object], None] = {}


def _defer(error: Exception) -> None:
    _deferred.append(error)


_error_handler: ErrorHandler = _defer


def _same(old: object, new: object) -> bool:
    """Equal values do not notify. `is` first (cheap, and true for NaN itself); an `==` that
    raises or returns something without a truth value (numpy arrays) counts as changed."""
    if old is new:
        return True
    try:
        return bool(old == new)
    except Exception:  # noqa: BLE001 - any failure to compare means "changed"
        return False


def _describe(node: object) -> str:
    """A readable name for error messages: the given name, else the function and its location."""
    kind = type(node).__name__.lower()
    name = getattr(node, "_name", None)
    if name:
        return f"{kind} {name!r}"
    fn = getattr(node, "_fn", None)
    if fn is None:
        return kind
    code = getattr(fn, "__code__", None)
    where = f" ({code.co_filename}:{code.co_firstlineno})" if code is not None else ""
    return f"{kind} {getattr(fn, '__qualname__', repr(fn))!r}{where}"


# ---------------------------------------------------------------------------------------------
# Sources and observers


class _Observer(Protocol):
    """What tracking needs from a computed or an effect."""

    _sources: list[_Source]
    _versions: list[int]  # the version of each source when this observer last read it
    _dropped: list[_Source] | None  # sources the current run stopped reading, to unsubscribe
    _index: int  # position in _sources the current run has reached
    _run_epoch: int
    _derived: bool  # True for a Computed (marked outdated when notified), False for an Effect

    def _live(self) -> bool: ...


class _Source:
    """Something that can be read and tracked: a Signal or a Computed."""

    __slots__ = ("__weakref__", "_epoch", "_name", "_observers", "_version")
    _derived = False  # True for a Computed: only a derived source needs _refresh() before reads

    def __init__(self, name: str | None) -> None:
        # dict as an ordered set: O(1) unsubscribe, and effects are notified in subscription order
        self._observers: dict[_Observer, None] = {}
        self._version = 0
        self._epoch = 0  # the run epoch of the last observer that tracked this source
        self._name = name

    def _refresh(self) -> None:
        """Bring the value up to date before its version is compared. Signals always are."""


def _track(observer: _Observer, source: _Source) -> None:
    """Record that `observer`'s current run read `source` (the caller skipped repeated reads)."""
    source._epoch = observer._run_epoch
    index = observer._index
    observer._index = index + 1
    sources = observer._sources
    if index < len(sources):
        if sources[index] is source:  # same dependency as last run: no allocation
            observer._versions[index] = source._version
            return
        # The dependencies changed from here on: keep the old tail to unsubscribe at the end.
        observer._dropped = sources[index:]
        del sources[index:]
        del observer._versions[index:]
    sources.append(source)
    observer._versions.append(source._version)
    # Subscribe now rather than at the end of the run: a write later in the same run must notify.
    if observer._live():
        observers = source._observers  # _subscribe, inlined: each first read of a row comes here
        if not observers and source._derived:
            _attach(source)
        observers[observer] = None


def _end_tracking(observer: _Observer) -> None:
    """After a run: forget the sources it no longer read."""
    sources = observer._sources
    index = observer._index
    dropped = observer._dropped
    if index < len(sources):  # this run read fewer sources than the last one
        dropped = sources[index:]
        del sources[index:]
        del observer._versions[index:]
    elif dropped is None:
        return
    observer._dropped = None
    if observer._live():
        kept = set(sources)  # a dropped source may still be read elsewhere in the run
        for source in dropped:
            if source not in kept:
                _unsubscribe(source, observer)


def _subscribe(source: _Source, observer: _Observer) -> None:
    observers = source._observers
    if not observers and source._derived:
        _attach(source)
    observers[observer] = None


def _unsubscribe(source: _Source, observer: _Observer) -> None:
    observers = source._observers
    if observer in observers:
        del observers[observer]
        if not observers and source._derived:
            _detach(source)


# The graph walks below are loops over explicit stacks, not recursion: a chain of computeds may
# be far deeper than Python's recursion limit. Their nodes are typed Any because a source is a
# Signal or a Computed and an observer a Computed or an Effect, told apart by `_derived`; a
# typing.cast() here would be a function call per node on the hot path.


def _attach(computed: Any) -> None:
    """A computed gets its first observer: subscribe it to its sources, and so on up through the
    sources that were unobserved computeds too. Notifications were missed while unobserved, so
    each validates once before trusting its cache. Each computed joins its source's observers
    after that source is attached, the order a recursive walk would give."""
    computed._outdated, computed._notified = True, False
    if not computed._sources:  # never computed (a row's Computed, watched as it is made)
        return
    stack = [(computed, iter(computed._sources))]
    while stack:
        node, sources = stack[-1]
        for source in sources:
            observers = source._observers
            if not observers and source._derived:
                source._outdated, source._notified = True, False
                stack.append((source, iter(source._sources)))
                break
            observers[node] = None
        else:
            stack.pop()
            if stack:
                node._observers[stack[-1][0]] = None


def _detach(computed: Any) -> None:
    """A computed lost its last observer: let go of its sources, and so on up through the
    computeds that this leaves unobserved, so nothing keeps them alive. Each is released once,
    when its last observer goes (a diamond does not walk the shared part twice)."""
    pending: list[Any] | None = None  # allocated only when the walk goes further up
    node = computed
    while True:
        for source in node._sources:
            observers = source._observers
            if node in observers:
                del observers[node]
                if not observers and source._derived:
                    if pending is None:
                        pending = []
                    pending.append(source)
        if not pending:
            return
        node = pending.pop()


def _propagate(observers: dict[Any, None]) -> None:
    """A source changed: mark the computeds downstream outdated (nothing is recomputed yet) and
    queue the effects, depth-first in subscription order. A computed already notified since its
    last refresh is not walked again.

    The stack holds the iterators to come back to. A computed with a single observer needs no
    entry (there is nothing left to come back to at its level), so a chain is walked down in the
    inner loop, and a write that only reaches effects allocates no stack at all.
    """
    queue = _queue
    stack: list[Iterator[Any]] | None = None
    current = iter(observers)
    while True:
        for observer in current:
            node = observer
            while node._derived and not node._notified:
                node._notified = node._outdated = True
                below = node._observers
                if len(below) != 1:
                    break
                (node,) = below  # its only observer: go on down
            else:  # an effect, or a computed notified before: the walk ends here
                if not node._derived and not node._queued:
                    node._queued = True
                    queue.append(node)
                continue
            if below:  # a computed with several observers: visit them, then come back
                if stack is None:
                    stack = []
                stack.append(current)
                current = iter(below)
                break
        else:
            if not stack:
                return
            current = stack.pop()


# ---------------------------------------------------------------------------------------------
# Signal


class Signal(_Source, Generic[T]):
    """A value that tracks its readers and notifies them when it changes.

    A write of an equal value (`==`) notifies no one; `equals=` replaces that test, for values
    whose `==` is costly or means something else (`equals=operator.is_` compares identity)."""

    __slots__ = ("_equals", "_value")

    def __init__(
        self,
        value: T,
        *,
        name: str | None = None,
        equals: Callable[[T, T], bool] | None = None,
    ) -> None:
        # _Source.__init__ inlined (as in Computed): a list makes one per row.
        self._observers: dict[_Observer, None] = {}
        self._version = self._epoch = 0
        self._name = name
        self._value = value
        self._equals = equals

    @property
    def value(self) -> T:
        observer = _observer
        if observer is not None and self._epoch != observer._run_epoch:
            _track(observer, self)
        return self._value

    @value.setter
    def value(self, new: T) -> None:
        equals = self._equals
        if not (_same(self._value, new) if equals is None else equals(self._value, new)):
            self._write(new)

    def peek(self) -> T:
        """The value, without making the current computed or effect depend on it."""
        return self._value

    def set(self, value: T) -> None:
        self.value = value

    def update(self, fn: Callable[[T], T]) -> None:
        """Set the value to fn(current). Reads without tracking, so an effect may call it."""
        self.value = fn(self._value)

    def _write(self, new: T) -> None:
        global _global_version, _batch_depth
        if isinstance(_observer, Computed):
            raise ReactiveError(
                f"{_describe(_observer)} wrote {_describe(self)}: a computed must not have side "
                "effects (it may run at any time, or never); write from an effect or a handler"
            )
        if _write_guard is not None:
            _write_guard(self)  # raises before anything changes: see set_write_guard
        self._value = new
        self._version += 1
        _global_version += 1
        if self._observers:
            _batch_depth += 1  # effects notified now run at the end of the write, or later
            _propagate(self._observers)
            _end_batch()

    def __repr__(self) -> str:
        name = f"name={self._name!r}, " if self._name else ""
        return f"Signal({name}value={self._value!r})"


def signal(
    value: T, *, name: str | None = None, equals: Callable[[T, T], bool] | None = None
) -> Signal[T]:
    return Signal(value, name=name, equals=equals)


# ---------------------------------------------------------------------------------------------
# Computed


class Computed(_Source, Generic[T]):
    """A value derived from other signals and computeds: lazy, cached, glitch-free."""

    __slots__ = (
        "_checked_at",
        "_dropped",
        "_error",
        "_error_tb",
        "_fn",
        "_index",
        "_notified",
        "_outdated",
        "_run_epoch",
        "_running",
        "_sources",
        "_value",
        "_versions",
    )
    _derived = True
    _index: int  # position in _sources the current run has reached
    _run_epoch: int

    def __init__(self, fn: Callable[[], T], *, name: str | None = None) -> None:
        # _Source.__init__ inlined: a row of a long list makes one, and the call costs more
        # than the stores.
        self._observers: dict[_Observer, None] = {}
        self._version = self._epoch = 0
        self._name = name
        self._fn = fn
        self._value: T = cast("T", None)
        self._error: Exception | None = None  # a raising fn re-raises on every read until it heals
        self._error_tb: Any = None
        self._sources: list[_Source] = []
        self._versions: list[int] = []
        self._dropped: list[_Source] | None = None
        # _index and _run_epoch are first set by the first run (only a run reads them).
        self._checked_at = -1  # the _global_version of the last validation
        self._outdated = True  # must validate before trusting the cache, even while observed
        self._notified = False  # observers were already notified; do not propagate again
        self._running = False

    @property
    def value(self) -> T:
        # Observed and not outdated: the cache holds, skip the call (_notified is then False
        # too: _propagate sets it only together with _outdated).
        if self._outdated or not self._observers or self._running:
            self._refresh()
        observer = _observer
        if observer is not None and self._epoch != observer._run_epoch:
            _track(observer, self)
        if self._error is not None:
            raise self._error.with_traceback(self._error_tb)
        return self._value

    def peek(self) -> T:
        """The up-to-date value, without making the current computed or effect depend on it."""
        self._refresh()
        if self._error is not None:
            raise self._error.with_traceback(self._error_tb)
        return self._value

    def _live(self) -> bool:
        return bool(self._observers)

    def _refresh(self) -> None:
        if self._running:
            raise ReactiveCycleError(f"{_describe(self)} reads itself", origin=self)
        self._notified = False
        if self._observers and not self._outdated:
            return  # subscribed, and nothing it depends on was written since
        self._outdated = False
        if self._checked_at == _global_version:
            return  # nothing at all was written since the last validation
        self._checked_at = _global_version
        # Never computed: nothing to compare, so run it (what _revalidate would do, one call
        # fewer: the first read of each row's computed).
        if not _nesting:  # a read from outside any computed run: where _Unwind stops
            try:
                if self._version:
                    _revalidate(self)
                else:
                    self._recompute()
            except _Unwind as unwind:
                _resume(self, unwind.node)
        elif _nesting < _MAX_NESTED_RUNS:
            if self._version:
                _revalidate(self)
            else:
                self._recompute()
        else:
            _unvalidate(self)
            raise _Unwind(self)

    def _recompute(self) -> None:
        global _observer, _owner, _nesting
        previous_observer, previous_owner = _observer, _owner
        # No owner: an effect created inside a computed would belong to whoever read it first.
        _observer, _owner = self, None
        self._running = True
        self._run_epoch = next(_epochs)
        self._index = 0
        _nesting += 1
        try:
            value = self._fn()
        except Exception as error:  # noqa: BLE001 - cached and re-raised to every reader
            self._fail(error)
        except _Unwind:
            self._abandon()
            raise
        else:  # a new version only for a new value: equal results stop propagation here
            if self._version == 0 or self._error is not None or not _same(self._value, value):
                self._value = value
                self._error = self._error_tb = None
                self._version += 1
        finally:
            _nesting -= 1
            self._running = False
            _observer, _owner = previous_observer, previous_owner
            if self._index < len(self._sources) or self._dropped is not None:
                _end_tracking(self)  # the run read other sources than the last one

    def _abandon(self) -> None:
        """This run is being unwound (see _Unwind): the next read must run it again, whatever
        the versions it has seen so far say."""
        if self._dropped is not None:  # the run diverged: keep what it read (one source or more)
            _end_tracking(self)
        self._index = len(self._sources)  # nothing more for the finally clause to forget
        self._versions[:] = [-1] * len(self._sources)  # no version matches: it will recompute
        _unvalidate(self)

    def _fail(self, error: Exception) -> None:
        if isinstance(error, ReactiveCycleError):
            error._passing(self)
        self._error, self._error_tb = error, error.__traceback__
        self._version += 1

    def __repr__(self) -> str:
        state = f"value={self._value!r}" if self._version else "not computed"
        return f"Computed({_describe(self)}, {state})"


def computed(fn: Callable[[], T], *, name: str | None = None) -> Computed[T]:
    """Computed(fn); also usable as a decorator."""
    return Computed(fn, name=name)


def _unvalidate(node: Any) -> None:
    """Undo the stamps of a validation that did not finish, so the next read checks again."""
    node._checked_at = -1
    node._outdated = True


def _resume(root: Computed[Any], deepest: Computed[Any]) -> None:
    """Finish revalidating `root` after an _Unwind: compute the run that would have nested too
    deep from here (at the top of the stack), then start over on the one that read it, and so
    on back to `root`. A run unwound again pushes the next one down."""
    pending = [root, deepest]
    while pending:
        node = pending[-1]
        node._notified = node._outdated = False  # its validation was undone: stamp it again
        node._checked_at = _global_version
        try:
            _revalidate(node)
        except _Unwind as unwind:
            pending.append(unwind.node)
        else:
            pending.pop()


def _revalidate(root: Any) -> None:  # noqa: PLR0912 - one loop, kept whole: the deep path
    """Bring `root` up to date; Computed._refresh found it may be outdated.

    A pull, depth-first with an explicit stack: a node compares its sources' versions in read
    order, first descending into a derived source that may be outdated itself, and recomputes at
    the first source whose version moved. The sources after that one are not looked at (the new
    run may not read them), so a computed read behind a condition that changed is not refreshed
    for nothing. Each node is recomputed at most once per write: descending into a node stamps
    its _checked_at, so meeting it again through another path costs one comparison.

    The node being scanned and its position are locals; the stacks hold its ancestors and the
    index each one is at, and exist only once the walk descends (a computed whose sources are
    all signals, the common case, allocates nothing).
    """
    parents: list[Any] | None = None
    indexes: list[int]  # allocated with parents
    node, index = root, 0
    try:
        while True:
            sources, versions = node._sources, node._versions
            recompute = not node._version  # never computed: nothing to compare
            descend = None
            while not recompute and index < len(sources):
                source = sources[index]
                if source._derived:
                    if source._running:  # a cycle through a computed being evaluated: the node
                        error = ReactiveCycleError(f"{_describe(source)} reads itself", source)
                        node._fail(error)  # caches the error, as if its function raised it
                        break
                    # The cheap tests of Computed._refresh, inlined: this is the deep path.
                    source._notified = False
                    if not source._observers or source._outdated:
                        source._outdated = False
                        if source._checked_at != _global_version:
                            source._checked_at = _global_version
                            descend = source
                            break
                recompute = source._version != versions[index]
                index += 1
            if descend is not None:
                if parents is None:
                    parents, indexes = [], []
                parents.append(node)
                indexes.append(index)  # when it is done, compare its version at this index
                node, index = descend, 0
                continue
            # The node is done. Unwind: each parent compares the new version with the one it saw.
            while True:
                if recompute:
                    node._recompute()
                if not parents:
                    return
                parent, index = parents.pop(), indexes.pop()
                recompute = node._version != parent._versions[index]
                node = parent
                if not recompute:
                    index += 1  # go on scanning the parent's next sources
                    break
    except _Unwind:  # the nodes stamped on the way down were not brought up to date
        for stamped in (node, *(parents or ())):
            _unvalidate(stamped)
        raise


# ---------------------------------------------------------------------------------------------
# Owners: scopes and effects


class Owner:
    """Owns effects, child scopes and cleanups, and releases them all when disposed."""

    __slots__ = (
        "__weakref__",
        "_children",
        "_cleanups",
        "_disposed",
        "_name",
        "_on_error",
        "_owner",
        "_queued",
    )

    def __init__(
        self, owner: Owner | None, name: str | None, on_error: ErrorHandler | None = None
    ) -> None:
        self._owner = owner
        self._children: dict[Owner, None] | None = None  # ordered set; O(1) removal on dispose
        self._cleanups: list[Cleanup] | None = None
        self._disposed = False
        self._queued = False  # only effects are ever queued; here so the flush needs no isinstance
        self._name = name
        self._on_error = on_error
        if owner is not None:
            if owner._children is None:
                owner._children = {}
            owner._children[self] = None

    @property
    def disposed(self) -> bool:
        return self._disposed

    def dispose(self) -> None:
        """Dispose the owned effects and scopes (newest first), then run the cleanups (last
        registered first). Idempotent."""
        global _batch_depth
        _batch_depth += 1  # writes made by cleanups notify once, after everything is released
        try:
            self._dispose()
        finally:
            _end_batch()
        if not _flushing:
            _raise_deferred()

    def _dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        self._clean()
        owner = self._owner
        if owner is not None:
            self._owner = None
            if owner._children is not None:
                owner._children.pop(self, None)

    def _clean(self) -> None:
        children = self._children
        if children:
            self._children = None  # children skip removing themselves from a dict we drop
            for child in reversed(children):
                child._dispose()
        cleanups = self._cleanups
        if cleanups:
            self._cleanups = None
            _run_cleanups(self, cleanups)

    def _add_cleanup(self, fn: Cleanup) -> None:
        if self._disposed:  # too late to register: release right away rather than leak
            _run_cleanups(self, [fn])
        elif self._cleanups is None:
            self._cleanups = [fn]
        else:
            self._cleanups.append(fn)


def _run_cleanups(owner: Owner, cleanups: list[Cleanup]) -> None:
    """Last registered first, untracked and unowned; one failing does not skip the rest."""
    global _observer, _owner
    previous_observer, previous_owner = _observer, _owner
    _observer = _owner = None
    try:
        for fn in reversed(cleanups):
            try:
                fn()
            except Exception as error:  # noqa: BLE001 - reported; the other cleanups still run
                _report(error, owner)
    finally:
        _observer, _owner = previous_observer, previous_owner


class Scope(Owner):
    """An owner that runs code: effects and scopes created in scope.run() belong to it.

    By default a scope belongs to the current owner (and is disposed with it); pass parent= to
    attach it elsewhere, or detached=True for a root that only dispose() releases. on_error
    receives the errors of the effects and cleanups below it (an error boundary); if it raises,
    that error goes to the next handler up, and finally to the global one.
    """

    __slots__ = ()

    def __init__(
        self,
        *,
        parent: Owner | None = None,
        detached: bool = False,
        on_error: ErrorHandler | None = None,
        name: str | None = None,
    ) -> None:
        owner = None if detached else parent if parent is not None else _owner
        super().__init__(owner, name, on_error)

    def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call fn owned by this scope. Reads inside are not tracked by the caller's effect: a
        scope is a boundary (a child component's setup must not re-run its parent)."""
        if self._disposed:
            raise ReactiveError(f"{_describe(self)} is disposed; create a new scope")
        try:
            return run_with_owner(self, fn, *args, **kwargs)
        finally:
            if self._disposed and self._children:  # disposed by fn: what fn made after goes too
                self._clean()

    def __repr__(self) -> str:
        return f"Scope({self._name!r}, disposed={self._disposed})"


class Effect(Owner):
    """Runs fn now, and again whenever something it read changed (batched, see flush())."""

    __slots__ = ("_dropped", "_fn", "_index", "_run_epoch", "_sources", "_versions")
    _derived = False  # an observer that is queued, not marked outdated (see _propagate)

    def __init__(self, fn: Callable[[], object], *, name: str | None = None) -> None:
        global _batch_depth
        super().__init__(_owner, name)
        self._fn = fn
        self._sources: list[_Source] = []
        self._versions: list[int] = []
        self._dropped: list[_Source] | None = None
        self._index = 0
        self._run_epoch = 0
        _batch_depth += 1  # writes in the first run queue; they do not re-enter this run
        try:
            self._run()
        except BaseException:
            self._dispose()  # the caller never gets the object, so it could not dispose it
            raise
        finally:
            _end_batch()

    def _live(self) -> bool:
        return not self._disposed

    def _changed(self) -> bool:
        """Did any source change since the last run? Checked in read order, so a computed read
        only behind a condition that changed is not refreshed needlessly."""
        versions = self._versions
        for index, source in enumerate(self._sources):
            if source._derived:
                source._refresh()
            if source._version != versions[index]:
                return True
        return False

    def _notify(self) -> None:
        if not self._queued:
            self._queued = True
            _queue.append(self)

    def _run(self) -> None:
        global _observer, _owner
        if self._children or self._cleanups:
            self._clean()  # the previous run's nested effects and cleanups go first
            if self._disposed:
                return  # a cleanup disposed this effect (or its owner): it must not run again
        previous_observer, previous_owner = _observer, _owner
        _observer = _owner = self
        self._run_epoch = next(_epochs)
        self._index = 0
        try:
            result = self._fn()
        finally:
            _observer, _owner = previous_observer, previous_owner
            if self._index < len(self._sources) or self._dropped is not None:
                _end_tracking(self)  # the run read other sources than the last one
            if self._disposed:  # disposed during its own run: release what the run made
                self._sources.clear()
                self._versions.clear()
                if self._children:  # effects created after the disposal: nothing else owns them
                    self._clean()
        if callable(result):
            self._add_cleanup(result)

    def _dispose(self) -> None:
        if self._disposed:
            return
        self._queued = False
        for source in self._sources:
            _unsubscribe(source, self)
        if self._dropped is not None:  # disposed mid-run, after its sources began to change
            for source in self._dropped:
                _unsubscribe(source, self)
            self._dropped = None
        self._sources.clear()
        self._versions.clear()
        super()._dispose()

    def __repr__(self) -> str:
        return f"Effect({_describe(self)}, disposed={self._disposed})"


class Watch:
    """Calls `callback(value)` now and whenever one Signal or Computed changes, batched and
    flushed like an effect: what a template slot bound to a signal needs, and no more. An Effect
    re-tracks whatever its function reads on every run and owns what it creates; a Watch follows
    exactly one source and owns nothing, so a row of a long list that binds one costs an object
    and a subscription. The callback runs untracked and unowned (it must not create effects)."""

    __slots__ = ("__weakref__", "_callback", "_disposed", "_queued", "_source", "_version")
    _derived = False  # queued on notification, as an effect (see _propagate)
    # Never owned, never named, no error boundary: class attributes, so a row pays no store for
    # them (the flush and the error reporter read them as they read an effect's).
    _owner: Owner | None = None
    _on_error: ErrorHandler | None = None
    _name: str | None = None

    def __init__(self, source: Signal[T] | Computed[T], callback: Callable[[T], object]) -> None:
        self._callback = callback
        self._queued = self._disposed = False
        self._source = source
        self._version = 0  # the source's version when the callback last saw it
        # Any: a Watch is an observer the _Observer protocol does not describe (it tracks
        # nothing), and a source's _derived tells a Computed from a Signal (see _propagate).
        observers: dict[Any, None] = source._observers
        if not observers and source._derived:
            _attach(source)  # first: a computed is attached before it computes
        observers[self] = None
        try:
            self._run()
        except BaseException:
            self.dispose()  # the caller never gets the object, so it could not dispose it
            raise

    def _changed(self) -> bool:
        """Did the source change since the callback last saw it? (See _run_queued.)"""
        source = self._source
        if source._derived:
            source._refresh()
        return source._version != self._version

    def _run(self) -> None:
        global _observer, _owner
        source: Any = self._source
        previous_observer, previous_owner = _observer, _owner
        _observer = _owner = None
        try:
            if source._derived:  # Computed.peek(), inlined: a row's watch runs here once
                source._refresh()
                if source._error is not None:
                    raise source._error.with_traceback(source._error_tb)
            self._version = source._version
            self._callback(source._value)
        finally:
            _observer, _owner = previous_observer, previous_owner

    @property
    def source(self) -> Signal[Any] | Computed[Any]:
        """The Signal or Computed it follows."""
        return self._source

    def dispose(self) -> None:
        """Stop following the source. Idempotent."""
        if not self._disposed:
            self._disposed = True
            self._queued = False
            # _unsubscribe, inlined: each row of a list that is released comes here
            source = self._source
            observers: dict[Any, None] = source._observers
            if self in observers:
                del observers[self]
                if not observers and source._derived:
                    _detach(source)

    @staticmethod
    def dispose_all(watches: Iterable[Watch]) -> None:
        """dispose() of each, in one loop: a cleared list's rows release one Watch each, and a
        call per row costs more than the unsubscription itself."""
        for watch in watches:
            if watch._disposed:
                continue
            watch._disposed = True
            watch._queued = False
            source: Any = watch._source
            observers: dict[Any, None] = source._observers
            if watch in observers:
                del observers[watch]
                if not observers and source._derived:
                    _detach(source)

    def __repr__(self) -> str:
        return f"Watch({_describe(self._source)}, disposed={self._disposed})"


def effect(fn: Callable[[], object], *, name: str | None = None) -> Effect:
    """Effect(fn); also usable as a decorator. If fn returns a callable, it is a cleanup."""
    return Effect(fn, name=name)


def create_root(fn: Callable[[Callable[[], None]], T]) -> T:
    """Run fn(dispose) in a new detached scope; dispose() releases everything created inside."""
    scope = Scope(detached=True)
    return scope.run(fn, scope.dispose)


def get_owner() -> Owner | None:
    """The scope or effect that effects created now would belong to."""
    return _owner


def run_with_owner(owner: Owner | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call fn with `owner` as the current owner and no tracking, for example from an event
    handler or a callback that must create effects inside a component's scope."""
    global _observer, _owner
    previous_observer, previous_owner = _observer, _owner
    _observer, _owner = None, owner
    try:
        return fn(*args, **kwargs)
    finally:
        _observer, _owner = previous_observer, previous_owner


def on_cleanup(fn: Cleanup) -> Cleanup:
    """Register fn to run when the current owner is disposed or, inside an effect, before its
    next run. Returns fn, so it works as a decorator."""
    owner = _owner
    if owner is None:
        raise ReactiveError("on_cleanup() needs an owner: call it in an effect or in Scope.run()")
    if owner._disposed and not _flushing:
        owner._add_cleanup(fn)  # runs fn right away: too late to register
        _raise_deferred()
    else:
        owner._add_cleanup(fn)
    return fn


# ---------------------------------------------------------------------------------------------
# Batching, untracked reads


class _Batch(ContextDecorator):
    """batch(): writes inside notify effects once, when the outermost batch exits."""

    def __enter__(self) -> None:
        global _batch_depth
        _batch_depth += 1

    def __exit__(self, *exc_info: object) -> None:
        _end_batch()


_BATCH = _Batch()  # the depth counter is global, so one reusable instance serves every batch


def batch() -> _Batch:
    """`with batch():` or `@batch()`: run the effects triggered by the writes inside once, at
    the end of the outermost batch (or at the next flush when an event loop is running)."""
    return _BATCH


def _end_batch() -> None:
    global _batch_depth
    _batch_depth -= 1
    if _batch_depth == 0 and (_queue or _after_flush):
        _schedule()


class _Untracked:
    __slots__ = ("_previous",)

    def __enter__(self) -> None:
        global _observer
        self._previous = _observer
        _observer = None

    def __exit__(self, *exc_info: object) -> None:
        global _observer
        _observer = self._previous


@overload
def untracked(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T: ...
@overload
def untracked(fn: None = None) -> _Untracked: ...
def untracked(fn: Callable[..., T] | None = None, *args: Any, **kwargs: Any) -> T | _Untracked:
    """untracked(fn, *args) returns fn(*args) read without tracking; `with untracked():` does
    the same for a block."""
    global _observer
    if fn is None:
        return _Untracked()
    previous = _observer
    _observer = None
    try:
        return fn(*args, **kwargs)
    finally:
        _observer = previous


# ---------------------------------------------------------------------------------------------
# Scheduling and flushing


def set_scheduler(scheduler: Scheduler | None) -> Scheduler | None:
    """Use scheduler(flush) to schedule flushes (the browser passes one that calls
    queueMicrotask). None restores the default. Returns the previous scheduler."""
    global _scheduler
    previous, _scheduler = _scheduler, scheduler
    return previous


def set_write_guard(guard: WriteGuard | None) -> WriteGuard | None:
    """Install a check that every Signal write passes first, or None; returns the previous one.

    The component layer uses it to make render read-only: a guard that raises stops the write
    before any value, observer or store sees it."""
    global _write_guard
    previous, _write_guard = _write_guard, guard
    return previous


def set_error_handler(handler: ErrorHandler | None) -> ErrorHandler | None:
    """Send errors raised by effects and cleanups to handler(error). None restores the default,
    which collects them and raises them at the end of the flush. Returns the previous handler."""
    global _error_handler
    previous = None if _error_handler is _defer else _error_handler
    _error_handler = _defer if handler is None else handler
    return previous


def _schedule() -> None:
    """Queue a flush: custom scheduler, else the running event loop, else right now."""
    global _scheduled
    if _flushing or _scheduled:
        return  # the running flush picks the new effects up; or one is already coming
    if _scheduler is not None:
        _scheduled = True
        _scheduler(flush)
        return
    loop = _running_loop()
    if loop is None:
        flush()  # plain scripts and tests without a loop: effects run at the end of the write
        return
    _scheduled = True
    loop.call_soon(flush)


def _running_loop() -> Any:
    # If asyncio was never imported, no loop can be running: do not import it just to ask.
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def flush_after(fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
    """Run fn, then flush: the effects its writes queue run at its end, and no flush is
    scheduled for them meanwhile (a DOM event's handler, whose caller flushes and commits at
    once: in the browser a scheduled flush is a microtask, two calls between JS and Python for
    nothing). If fn raises, a flush is scheduled for what it wrote, as a write outside it."""
    global _scheduled
    held = _scheduled
    _scheduled = True  # a flush is coming: the one below
    try:
        fn(*args, **kwargs)
    except BaseException:
        _scheduled = held
        if _queue or _after_flush:
            _schedule()
        raise
    flush()
    _scheduled = held  # one scheduled before fn still comes (and finds nothing to do)


def flush() -> None:
    """Run the queued effects now, and those they trigger, until nothing is pending.

    Each effect runs at most once per pass; an owner queued in the same pass runs before the
    effects it owns (its re-run disposes them). An error in one effect does not stop the others:
    it goes to the error handler. Calling flush() from inside a flush does nothing.
    """
    global _flushing, _scheduled
    if _flushing:
        return
    _flushing, _scheduled = True, False
    try:
        if _before_flush:
            _run_before_flush()
        _drain()
        _run_after_flush()
    finally:
        _flushing = False
    _raise_deferred()


def after_flush(fn: Callable[[], object]) -> None:
    """Run fn once at the end of the next flush, after every effect has settled: the hook for
    work that must see the final state of a whole batch (a Store writes to storage here, once).

    Registering the same callable again before it runs has no effect. Outside a batch this
    requests a flush like a write does; effects triggered by fn's own writes run in the same
    flush, and an error fn raises goes to the error handler without stopping the others.
    """
    _after_flush[fn] = None
    if _batch_depth == 0:
        _schedule()


def before_flush(fn: Callable[[], object]) -> None:
    """Run fn once at the start of the next flush, before any queued effect runs (no flush is
    requested for it). For work held back until the frame is painted that must still come
    before any effect: the renderer's release of removed rows (Renderer.release_later), whose
    effects must not run once their rows are gone. Registering the same callable again before
    then has no effect."""
    _before_flush[fn] = None


def _run_callbacks(callbacks: Iterable[Callable[[], object]]) -> None:
    for fn in callbacks:
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - reported; the other callbacks still run
            _report(error, None)


def _run_before_flush() -> None:
    global _before_flush
    callbacks, _before_flush = _before_flush, {}
    _run_callbacks(callbacks)


def _run_after_flush() -> None:
    global _after_flush
    for _ in range(MAX_FLUSH_PASSES):
        if not _after_flush:
            return
        callbacks, _after_flush = _after_flush, {}
        _run_callbacks(callbacks)
        _drain()  # the effects the callbacks' writes triggered
    if _after_flush:
        stuck, _after_flush = list(_after_flush), {}
        _report(
            ReactiveCycleError(
                f"after_flush cycle: {getattr(stuck[0], '__qualname__', stuck[0])!r} kept "
                f"registering callbacks for {MAX_FLUSH_PASSES} passes of one flush"
            ),
            None,
        )


def _drain() -> None:
    global _queue
    for _ in range(MAX_FLUSH_PASSES):
        if not _queue:
            return
        pending, _queue = _queue, []
        try:
            for queued in pending:
                if queued._queued:
                    _run_queued(queued)
        except BaseException:  # KeyboardInterrupt and friends: leave a consistent queue behind
            for stranded in (*pending, *_queue):
                stranded._queued = False
            _queue = []
            raise
    if _queue:
        _report_runaway()


def _run_queued(effect: Effect) -> None:
    owner = effect._owner
    while owner is not None:
        if owner._queued and isinstance(owner, Effect):
            _run_queued(owner)  # outermost first; its re-run disposes and recreates this one
            break
        owner = owner._owner
    if effect._queued and not effect._disposed:
        effect._queued = False
        try:
            # No source changed when it was notified through a computed whose value came out
            # equal; and refreshing those computeds may have disposed it.
            if effect._changed() and not effect._disposed:
                effect._run()
        except Exception as error:  # noqa: BLE001 - reported; the other effects still run
            _report(error, effect)


def _report_runaway() -> None:
    global _queue
    stuck, _queue = _queue, []
    for queued in stuck:
        queued._queued = False
    names = ", ".join(_describe(queued) for queued in stuck[:3])
    more = f" and {len(stuck) - 3} more" if len(stuck) > 3 else ""
    error = ReactiveCycleError(
        f"effect cycle: still re-triggered after {MAX_FLUSH_PASSES} passes of one flush: "
        f"{names}{more}. An effect probably writes a signal it reads (directly or through a "
        "computed); read it with .peek() or untracked(), or only write when the value differs."
    )
    _report(error, stuck[0])


def _report(error: Exception, origin: Owner | None) -> None:
    """The nearest owner's on_error, else the global handler. A handler that raises passes its
    error on up."""
    node = origin
    while node is not None:
        handler = node._on_error
        if handler is not None:
            try:
                handler(error)
            except Exception as raised:  # noqa: BLE001 - a boundary rethrowing to its parent
                error = raised
            else:
                return
        node = node._owner
    try:
        _error_handler(error)
    except Exception as raised:  # noqa: BLE001 - never lose it: raise it at the end instead
        _deferred.append(raised)


def _raise_deferred() -> None:
    if not _deferred:
        return
    errors = _deferred[:]
    _deferred.clear()
    if len(errors) == 1:
        raise errors[0]
    raise ExceptionGroup(f"{len(errors)} reactive effects or cleanups failed", errors)
