"""The page's JavaScript global scope (`globalThis`), as Pyodide exposes it to Python."""

from typing import Any

# Any global: a JsProxy, or a number/string/None converted to Python; its shape lives in JS.
def __getattr__(name: str) -> Any: ...
