"""What the apps use of PyScript's `pyscript` module: the page's window and document."""

from pyodide.ffi import JsProxy

window: JsProxy
document: JsProxy
