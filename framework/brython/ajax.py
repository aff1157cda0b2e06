"""`browser.ajax` for framework apps: Brython's callback API, backed by `framework.ajax`."""

from framework.ajax import (
    Ajax,
    BlockingNotSupported,
    connect,
    delete,
    file_upload,
    get,
    head,
    options,
    patch,
    post,
    put,
    trace,
)

__all__ = [
    "Ajax",
    "BlockingNotSupported",
    "connect",
    "delete",
    "file_upload",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "trace",
]
