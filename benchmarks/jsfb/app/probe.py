"""Benchmark instrumentation, not part of the app: hands the Pyodide API object to the page.

The runner reads live PyProxy counts and heap sizes through it. Storing a JS object on a JS
object passes the object itself, so this creates no PyProxy.
"""

from framework import prerendering

if not prerendering():  # the build renders the first view without a browser: nothing to hand
    import js  # type: ignore[import-not-found]
    import pyodide_js  # type: ignore[import-not-found]

    js.globalThis.__pyodide__ = pyodide_js
