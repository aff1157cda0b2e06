"""Names a template may use, and what to say about one it may not (the closest known name)."""

from __future__ import annotations

import difflib

from framework.dom import protocol


def unknown_event(name: str) -> str:
    """The message for `on<name>` when name is no DOM event (protocol.json's `events`): the
    closest one, and how a custom event is written."""
    close = difflib.get_close_matches(name, protocol.EVENTS, n=1, cutoff=0.6)
    guess = f"did you mean on{close[0]}? " if close else ""
    return (
        f"unknown event 'on{name}': {guess}(a custom event is written with a colon: "
        f"on:{name}={{...}})"
    )
