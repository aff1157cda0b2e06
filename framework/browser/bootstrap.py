"""The first Python in the page: load the wheels, unpack the app, hand over to the framework.

It runs as PyScript's <script type="py"> (top-level await is allowed there) and imports nothing
of the framework, which is one of the wheels it loads.
"""

import asyncio
import json

import js  # type: ignore[import-not-found]
import pyodide_js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]
from pyodide.http import pyfetch  # type: ignore[import-not-found]

plan = json.loads(js.document.getElementById("framework-plan").textContent)
try:
    js.__framework__.stage("packages")
    # PyScript has loaded the wheels (its `packages`, fetched while Pyodide started); asking
    # again only makes sure, at no cost, and names a wheel that failed.
    archive = asyncio.ensure_future(pyfetch(plan["app"]))
    await pyodide_js.loadPackage(to_js(plan["wheels"]))
    response = await archive
    if not response.ok:
        raise RuntimeError(f"the app archive {plan['app']} answered HTTP {response.status}")
    pyodide_js.unpackArchive(await response.buffer(), "zip")
except BaseException as error:
    import traceback

    js.__framework__.error("".join(traceback.format_exception(error)))
    raise

from framework.browser.boot import start

await start(plan)
