"""The first Python in the page: unpack the app, then hand over to the framework.

It runs as PyScript's <script type="py"> (top-level await is allowed there), after PyScript
has loaded the wheels (the framework is one of them).
"""

import json

import js
import pyodide_js
from pyodide.http import pyfetch

plan = json.loads(js.document.getElementById("framework-plan").textContent)


async def unpack_app() -> bool:
    """Unpack the app archive; False (and the overlay says why) if it cannot be had. Not
    raised: PyScript would show its own banner for an error the overlay already shows."""
    try:
        js.__framework__.stage("packages")
        # The wheels are loaded: they are PyScript's `packages`, fetched while Pyodide started.
        response = await pyfetch(plan["app"])
        if not response.ok:
            raise RuntimeError(f"the app archive {plan['app']} answered HTTP {response.status}")
        pyodide_js.unpackArchive(await response.buffer(), "zip")
    except BaseException as error:  # noqa: BLE001 - every failure must reach the overlay
        import traceback

        js.__framework__.error("".join(traceback.format_exception(error)))
        return False
    return True


if await unpack_app():
    from framework.browser.boot import start

    await start(plan)
