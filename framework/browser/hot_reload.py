"""The page's half of hot reload (`framework serve`): the dev server's `hot` events, applied.

The server sends the new source of each edited module (framework/cli/reload.py); boot.js hands
the event to `apply_update`, which writes each file where the app was unpacked (tracebacks show
the new lines; a module imported later reads it) and swaps the module in
(framework/component/hot.py). A module that fails to compile or run leaves the old code running
and shows why in the error overlay, until an edit applies; an edit that cannot be applied in
place reloads the page, saying why in the console.
"""

from __future__ import annotations

import json
import traceback
from typing import Any

import js
from pyodide.ffi import create_proxy

from framework.component import hot

# The overlay block for a failed edit (boot.js's `report`): replaced by the next failure,
# removed by the next edit that applies.
OVERLAY_KIND = "hot"
_HOT_FILE = hot.__file__


def install_hot_reload() -> None:
    """Keep the mounted components from now on, and take the server's `hot` events."""
    hot.enable()
    js.__framework__.applyHot = create_proxy(apply_update)


def apply_update(data: str) -> None:
    """Apply one `hot` event: {"modules": [{"module", "path", "source"}, ...]}."""
    modules: list[dict[str, Any]] = json.loads(data)["modules"]
    for module in modules:
        hot.write_source(module["path"], module["source"])
    applied: list[str] = []
    for module in modules:
        outcome = hot.swap_module(module["module"], module["source"])
        if isinstance(outcome, hot.NeedsReload):
            js.__framework__.fullReload(f"{module['path']} cannot be swapped in: {outcome.reason}")
            return
        if isinstance(outcome, hot.Failed):
            heading = f"{module['path']} could not be applied (the previous code keeps running)"
            js.__framework__.report(OVERLAY_KIND, heading, describe(outcome.error))
            return
        applied.append(f"{module['path']} ({', '.join(outcome.classes) or 'no classes'})")
    js.__framework__.report(OVERLAY_KIND, "", "")
    js.console.info(f"framework: hot reload: {'; '.join(applied)}")


def describe(error: BaseException) -> str:
    """The error as Python prints it, without hot reload's own frames above the user's code."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != _HOT_FILE]
    lines = (
        ["Traceback (most recent call last):\n", *traceback.format_list(frames)] if frames else []
    )
    lines.extend(traceback.format_exception_only(error))
    return "".join(lines)
