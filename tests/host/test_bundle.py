"""The framework wheel the browser loads: its modules, the data they read, no host-side code."""

from __future__ import annotations

import io
import json
import zipfile

from framework.cli.bundle import FRAMEWORK_ROOT, build_framework_wheel


def test_the_wheel_carries_the_dom_protocol_and_no_host_code() -> None:
    with zipfile.ZipFile(io.BytesIO(build_framework_wheel().data)) as wheel:
        names = wheel.namelist()
        shipped = json.loads(wheel.read("framework/dom/protocol.json"))
    assert shipped == json.loads((FRAMEWORK_ROOT / "dom" / "protocol.json").read_text())
    assert "framework/dom/protocol.py" in names
    assert not [n for n in names if n.startswith(("framework/cli/", "framework/server/"))]
