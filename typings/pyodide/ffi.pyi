"""What the framework uses of `pyodide.ffi`: JavaScript values and Python-to-JS proxies."""

from collections.abc import Callable, Iterable
from typing import Any

class JsProxy:
    """A JavaScript value seen from Python; its members are JavaScript's."""

    def __getattr__(self, name: str) -> Any: ...
    def to_py(self, *, depth: int = -1) -> Any: ...

class JsBuffer(JsProxy):
    """An ArrayBuffer or typed array."""

    def to_bytes(self) -> bytes: ...

class JsDoubleProxy[T](JsProxy):
    """A Python object lent to JavaScript; alive until destroy()."""

    def destroy(self) -> None: ...
    def unwrap(self) -> T: ...

class JsOnceCallable(JsProxy):
    """A Python callable lent to JavaScript for one call, released after it."""

    def destroy(self) -> None: ...

class JsException(JsProxy, Exception):
    """A JavaScript error raised in Python; `JsException(name, message)` makes one."""

    name: str
    message: str
    stack: str

    def __init__(self, name: str, message: str = "", stack: str = "", /) -> None: ...

def create_proxy[T](
    obj: T, /, *, capture_this: bool = False, roundtrip: bool = True
) -> JsDoubleProxy[T]: ...
def create_once_callable(obj: Callable[..., object], /) -> JsOnceCallable: ...

# The result is a JsProxy for containers and the value itself for str, int, float, bool, None.
def to_js(
    obj: object,
    /,
    *,
    depth: int = -1,
    dict_converter: Callable[[Iterable[Any]], Any] | None = None,
) -> Any: ...
