"""Pyodide's JavaScript API object (`loadPyodide()`'s result), seen from Python."""

from typing import Any

def __getattr__(name: str) -> Any: ...
