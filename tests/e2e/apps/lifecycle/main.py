"""A component with everything that must be released on unmount (event handlers, a two-way
binding, a Signal text slot, nested child components in a keyed list), mounted and unmounted
on demand, plus counters of what is alive.

Hooks for the test, on window:
* `__lifecycle_mount__()` / `__lifecycle_unmount__()`: mount() / unmount() the Widget in #scratch.
* `__lifecycle_stats__()`: JSON of the Python side: registered handlers, live component hosts,
  and Pyodide's count of live PyProxies (Python objects handed to JS).
* `__lifecycle_leak_proxy__()`: deliberately leaks one PyProxy (proves the counter can see one).

Pyodide's own leak checks use its PyProxy allocation tracing: once enabled, every PyProxy created
is recorded in `pyodide._module.pyproxy_alloc_map` until it is destroyed. Tracing starts here,
before the first mount, so the framework's one dispatcher proxy is counted too.
"""

import gc
import json

import js
import pyodide_js
from pyodide.ffi import create_proxy

from framework import Component, Signal, keyed, mount
from framework.component.host import ComponentHost

pyodide_js._module.enable_pyproxy_allocation_tracing()


def live_proxies():
    return pyodide_js._module.pyproxy_alloc_map.size


PROXIES_AT_START = live_proxies()


class Child(Component):
    n: int

    def setup(self):
        self.hits = Signal(0)

    def hit(self):
        self.hits.value += 1

    def render(self):
        return t'<i class="child" onclick={self.hit}>{self.n}:{self.hits.value}</i>'


class Widget(Component):
    def setup(self):
        self.clicks = Signal(0)
        self.text = Signal("hi")
        self.on = Signal(False)

    def click(self):
        self.clicks.value += 1

    def render(self):
        children = [
            keyed(i, t"<li onmouseover={(lambda: None)}>{Child(n=i)}</li>") for i in range(3)
        ]
        return t"""<div class="widget">
            <button type="button" class="widget-button" onclick={self.click}>clicked {self.clicks.value}</button>
            <input class="widget-input" bind:value={self.text}>
            <input type="checkbox" class="widget-check" bind:checked={self.on}>
            <span class="widget-echo">{self.text}</span>
            <ul>{children}</ul>
        </div>"""


class Toggle(Component):
    """Mounts and unmounts the Widget through rendering: a click on .toggle flips it."""

    def setup(self):
        self.shown = Signal(False)

    def flip(self):
        self.shown.value = not self.shown.value

    def render(self):
        return t"""<section>
            <button type="button" class="toggle" onclick={self.flip}>toggle</button>
            {Widget() if self.shown.value else None}
        </section>"""


root = mount(Toggle(), "#app")
mounted = []
leaked = []


def mount_widget():
    mounted.append(mount(Widget(), "#scratch"))


def unmount_widget():
    mounted.pop().unmount()


def stats():
    gc.collect()
    hosts = sum(isinstance(o, ComponentHost) for o in gc.get_objects())
    return json.dumps(
        {
            "handlers": len(root.renderer.events.owners),
            "hosts": hosts,
            "proxies": live_proxies(),
            "proxies_at_start": PROXIES_AT_START,
            "hooks": len(HOOKS),
            "js_refs": pyodide_js._module._hiwire_num_refs(),
        }
    )


def leak_proxy():
    leaked.append(create_proxy(lambda: None))


scratch = js.document.createElement("div")
scratch.id = "scratch"
js.document.body.append(scratch)
HOOKS = {
    "__lifecycle_mount__": mount_widget,
    "__lifecycle_unmount__": unmount_widget,
    "__lifecycle_stats__": stats,
    "__lifecycle_leak_proxy__": leak_proxy,
}
for name, hook in HOOKS.items():
    setattr(js.window, name, create_proxy(hook))
