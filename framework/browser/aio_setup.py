"""Connect `framework.aio` to the page: the HTTP transport, the DOM event binder, and the
`browser.*` import names of Brython's modules."""

from __future__ import annotations

from framework.aio.events import set_event_binder
from framework.aio.transport import set_transport
from framework.browser import promises
from framework.browser.events import proxy_binder
from framework.browser.transport import BrowserTransport
from framework.brython import install_import_alias


def install_aio() -> None:
    set_transport(BrowserTransport())
    set_event_binder(proxy_binder)
    promises.install()  # any promise rejection becomes a readable JsException
    install_import_alias()
