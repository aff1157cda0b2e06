"""`framework.aio`: await DOM events, HTTP requests, timers and futures without blocking the page.

Brython's `browser.aio` API (`run`, `sleep`, `event`, `ajax`, `get`, `post`, `Request`,
`Future`) on Pyodide's event loop, with what it lacks: a finite default timeout, cancellation
that aborts the request, retries, progress and distinct errors. See docs/aio.md.
"""

from framework.aio.client import (
    DEFAULT_TIMEOUT,
    MAX_RETRY_WAIT,
    ajax,
    delete,
    get,
    patch,
    post,
    put,
)
from framework.aio.errors import (
    BlockingNotSupported,
    HTTPError,
    NetworkError,
    RequestTimeout,
    ResponseJSONError,
)
from framework.aio.events import event, set_event_binder
from framework.aio.futures import Future
from framework.aio.mock import MockTransport
from framework.aio.request import Request
from framework.aio.running import (
    CancelledError,
    Queue,
    Semaphore,
    Task,
    gather,
    run,
    shield,
    sleep,
    timeout,
    wait_for,
)
from framework.aio.transport import (
    Form,
    HTTPRequest,
    HTTPResponse,
    Progress,
    Transport,
    get_transport,
    set_transport,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_RETRY_WAIT",
    "BlockingNotSupported",
    "CancelledError",
    "Form",
    "Future",
    "HTTPError",
    "HTTPRequest",
    "HTTPResponse",
    "MockTransport",
    "NetworkError",
    "Progress",
    "Queue",
    "Request",
    "RequestTimeout",
    "ResponseJSONError",
    "Semaphore",
    "Task",
    "Transport",
    "ajax",
    "delete",
    "event",
    "gather",
    "get",
    "get_transport",
    "patch",
    "post",
    "put",
    "run",
    "set_event_binder",
    "set_transport",
    "shield",
    "sleep",
    "timeout",
    "wait_for",
]
