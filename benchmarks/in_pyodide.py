"""Run a benchmark file inside Pyodide under Node: Python 3.14, the interpreter users run.

The file runs as `__main__` with `sys.argv = [file, *args]` and `sys.platform == "emscripten"`,
so a benchmark calls `run_file(__file__, argv)` from the host and measures when it finds itself
inside. The repository (and any extra folder) is mounted at its own path; the framework's
browser wheels (pydantic and the rest) are loaded from the local cache, never a network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NODE_SCRIPT = """
const [pyodidePath, wheelsJson, mountsJson, file, argsJson] = process.argv.slice(1);
const { loadPyodide } = await import(pyodidePath);
const py = await loadPyodide();
await py.loadPackage(JSON.parse(wheelsJson), { messageCallback: () => {} });
for (const folder of JSON.parse(mountsJson)) py.mountNodeFS(folder, folder);
py.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(JSON.parse(mountsJson)[0])})
sys.argv = [${JSON.stringify(file)}, *${argsJson}]
exec(compile(open(${JSON.stringify(file)}).read(), ${JSON.stringify(file)}, "exec"),
     {"__name__": "__main__", "__file__": ${JSON.stringify(file)}})
`);
"""


def run_file(
    file: str | Path, args: Sequence[str], mounts: Sequence[Path] = (), wheels: bool = True
) -> None:
    """Run `file` in Pyodide with `args`; the repository and `mounts` are mounted."""
    sys.path.insert(0, str(ROOT))
    from framework.cli import assets
    from framework.cli.pyodide_tests import find_node

    pyodide = assets.npm_root() / "pyodide" / "pyodide.mjs"
    loaded = (
        [str(assets.wheel_dir() / w.filename) for w in assets.wheels("browser")] if wheels else []
    )
    command = [
        find_node(),
        "--input-type=module",
        "-e",
        NODE_SCRIPT,
        pyodide.as_uri(),
        json.dumps(loaded),
        json.dumps([str(ROOT), *map(str, mounts)]),
        str(Path(file).resolve()),
        json.dumps(list(args)),
    ]
    subprocess.run(command, check=True)
