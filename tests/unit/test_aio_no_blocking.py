"""A10: the library never blocks the page: no time.sleep in the part of framework/ that is
shipped to the browser (the CLI and the sync server are host-side, left out of the wheel)."""

from __future__ import annotations

import re
from pathlib import Path

FRAMEWORK = Path(__file__).resolve().parents[2] / "framework"
BLOCKING = re.compile(r"\btime\.sleep\(|from time import [^\n]*\bsleep\b")


def test_no_module_of_the_framework_calls_time_sleep() -> None:
    browser_side = [
        p
        for p in FRAMEWORK.rglob("*.py")
        if not {"cli", "server"} & set(p.relative_to(FRAMEWORK).parts)
    ]
    assert len(browser_side) > 10
    offenders = [
        f"{path.relative_to(FRAMEWORK)}:{number}"
        for path in browser_side
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BLOCKING.search(line)
    ]
    assert offenders == []
