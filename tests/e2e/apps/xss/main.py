"""Every sink of the renderer, fed from the test: text, attributes, URL attributes, srcset,
dangerous_html and a value read from localStorage (reliability matrix T1-T19, T22).

Hooks on window (each applies its change before it returns):
* `__xss_set__(sink, value)`: sink is "text", "attr", "url", "srcset" or "html"
  (html goes through dangerous_html; an empty string clears it).
* `__xss_try__(source)`: mount into #scratch a template that binds data where structure or
  code goes: an attribute *name* (source is the name), <script src>, srcdoc, .innerHTML,
  .outerHTML; returns the error it raised, or "mounted".
"""

from string.templatelib import Interpolation, Template

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, dangerous_html, mount

SINKS = {name: Signal("") for name in ("text", "attr", "url", "srcset", "html")}
STORED = js.localStorage.getItem("xss-note")  # untrusted like any input (T22)


class Probe(Component):
    # The embed and the object are not rendered (display: none), so they load nothing: each
    # change of their URL would otherwise replace their frame, and that churn, under a busy
    # machine, crashed Playwright's driver (FrameManager.frameAttached). The tests read the
    # URL attributes the framework writes, which do not depend on a frame.
    def render(self):
        text, attr, url = SINKS["text"].value, SINKS["attr"].value, SINKS["url"].value
        srcset, html = SINKS["srcset"].value, SINKS["html"].value
        return t"""<div id="probe">
            <div id="text-sink">{text}</div>
            <div id="attr-sinks">
              <div id="attr-title" title={attr} class={attr} data-note="note: {attr}"></div>
              <input id="attr-value" value={attr} placeholder={attr}>
            </div>
            <div id="url-sinks">
              <a id="a-href" href={url}>link</a>
              <iframe id="iframe-src" title="frame" src={url}></iframe>
              <embed id="embed-src" style="display: none" src={url}>
              <object id="object-data" style="display: none" data={url}></object>
              <form id="form-action" action={url}>
                <button id="button-formaction" type="submit" formaction={url}>go</button>
                <input id="input-formaction" type="submit" formaction={url}>
              </form>
              <map name="probe-map"><area id="area-href" href={url} shape="rect" coords="0,0,9,9" alt="area"></map>
              <svg width="40" height="40">
                <a id="svg-a-href" href={url}><text y="10">svg</text></a>
                <a id="svg-a-xlink" xlink:href={url}><text y="30">xlink</text></a>
              </svg>
              <img id="img-srcset" alt="" srcset={srcset}>
              <picture><source id="source-srcset" srcset={srcset}><img alt=""></picture>
            </div>
            <div id="html-sink">{dangerous_html(html) if html else None}</div>
            <div id="stored-sink">{STORED}</div>
        </div>"""


root = mount(Probe(), "#app")


def set_sink(sink, value):
    SINKS[sink].value = value
    root.flush()


PAYLOAD = '<img src=x onerror="parent.__pwned__=1"><script>parent.__pwned__=1</script>'
STRUCTURAL = {
    "script-src": lambda: t"<script src={'javascript:window.__pwned__=1'}></script>",
    "srcdoc": lambda: t'<iframe title="srcdoc" srcdoc={PAYLOAD}></iframe>',
    ".innerHTML": lambda: t"<div .innerHTML={PAYLOAD}></div>",
    ".outerHTML": lambda: t"<div .outerHTML={PAYLOAD}></div>",
}


def try_template(source):
    if source in STRUCTURAL:
        template = STRUCTURAL[source]()
    else:
        name = Interpolation(source, "name")
        template = Template('<div class="named" ', name, '="1">named</div>')
    try:
        mount(template, "#scratch")
    except Exception as error:  # noqa: BLE001 - the test reads what was raised
        return f"{type(error).__name__}: {error}"
    return "mounted"


scratch = js.document.createElement("div")
scratch.id = "scratch"
js.document.body.append(scratch)
js.window.__xss_set__ = create_proxy(set_sink)
js.window.__xss_try__ = create_proxy(try_template)
