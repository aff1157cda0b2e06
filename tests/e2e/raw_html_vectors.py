"""Markup that tries to run code through dangerous_html(), by class (reliability matrix T18,
T24-T28), and the harness that inserts it and checks that nothing ran.

Written for this framework after the classes of the public corpora (DOMPurify's fixtures, the
html5sec vectors, the OWASP filter-evasion cheat sheet) and of PyScript's own ways to run Python.
Each vector's payload calls a detector with the vector's index, so a hit names its vector:

* `PWN`: a JavaScript expression that records a hit (`PWNE`: the same, as character references);
* `PYPWN`: a Python statement that records a hit;
* `PYHANDLER`: the name of a Python function (polyscript's `<type>-<event>="name"`) that does.

The harness (raw_html_harness.js) inserts each vector in its own container, copies the result
through innerHTML once more (a serialise-and-parse round trip is where mutation XSS appears),
instantiates every <template>, dispatches the event of every handler-like attribute, clicks every
link and submit button (letting only javascript: navigations through), waits, and reports hits.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

HARNESS = (Path(__file__).parent / "raw_html_harness.js").read_text(encoding="utf-8")
RUNTIME_TYPE = "xsstest"  # an interpreter type the tests register with polyscript at run time


class Vector(NamedTuple):
    kind: str
    markup: str  # with the placeholders above
    live: bool  # runs (or changes the page) through plain innerHTML in Chromium: the control

    def for_index(self, index: int) -> str:
        pwn = f"top.__hit__({index})"
        return (
            self.markup.replace("PYPWN", f"import js; js.__hit__({index})")
            .replace("PYHANDLER", f"pwn.hit_{index}")
            .replace("PWNE", "".join(f"&#{ord(c)};" for c in pwn))
            .replace("PWN", pwn)
        )


def _kind(kind: str, live: tuple[str, ...], inert: tuple[str, ...]) -> list[Vector]:
    """`inert`: kept from the corpora, but the control does not see them act in today's Chromium
    even through innerHTML: harmless there, or in need of the network (MicroPython and the
    editors load from a CDN), or acting where the detectors do not look (a link's default
    target, a refresh an hour later)."""
    return [Vector(kind, m, True) for m in live] + [Vector(kind, m, False) for m in inert]


EVENT_HANDLERS = _kind(
    "event handler",
    live=(
        "<img src=x onerror=PWN>",
        "<img src=x ONERROR=PWN>",
        '<img src="x"/onerror=PWN>',
        "<img src=x onerror\t=PWN>",
        "<img src=x onerror\n=PWN>",
        '<img src=x onerror="PWNE">',
        "<img src=x onerror='PWN'>",
        "<img src=x onerror=PWN onerror=void(0)>",
        "<img src=x style=display:none onerror=PWN>",
        "<svg onload=PWN>",
        "<svg/onload=PWN>",
        "<svg><g onload=PWN></g></svg>",
        "<svg><svg onload=PWN></svg></svg>",
        "<details open ontoggle=PWN>d</details>",
        "<input autofocus onfocus=PWN>",
        "<select autofocus onfocus=PWN></select>",
        "<textarea autofocus onfocusin=PWN></textarea>",
        "<button autofocus onfocus=PWN>b</button>",
        "<video><source onerror=PWN></video>",
        "<audio src=x onerror=PWN></audio>",
        "<iframe onload=PWN></iframe>",
        "<object data=x onerror=PWN></object>",
        "<div onmouseover=PWN>hover</div>",
        "<a onclick=PWN>a</a>",
        "<form onsubmit=PWN><button>s</button></form>",
        "<div onanimationstart=PWN style=animation:none>x</div>",
        "<p onpointerover=PWN>p</p>",
        "<div popover onbeforetoggle=PWN>p</div>",
        "<div contenteditable onbeforeinput=PWN>e</div>",
        "<math onclick=PWN><mi>m</mi></math>",
        "<svg><a onclick=PWN><text y=20>t</text></a></svg>",
        "<x-widget onclick=PWN>custom</x-widget>",
    ),
    inert=(
        "<img/src=x/onerror=PWN>",
        "<body onload=PWN>",
        "<body onpageshow=PWN>",
        "<marquee onstart=PWN>m</marquee>",
        "<div ontransitionend=PWN>x</div>",
        "<img src=x o&#110;error=PWN>",
    ),
)

SCRIPT_URLS = _kind(
    "script URL",
    live=(
        '<a href="javascript:PWN">a</a>',
        '<a href="JaVaScRiPt:PWN">a</a>',
        '<a href=" javascript:PWN">a</a>',
        '<a href="&#x0A;javascript:PWN">a</a>',
        '<a href="java&#x09;script:PWN">a</a>',
        '<a href="jav&#x0D;ascript:PWN">a</a>',
        '<a href="javascript&colon;PWN">a</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;PWN">a</a>',
        '<a href="\x01javascript:PWN">a</a>',
        '<a href="javas&#99;ript:PWN">a</a>',
        '<a href="javascript://%0APWN">a</a>',
        '<a href="javascript:PWN" target=_self>a</a>',
        '<map name=m><area href="javascript:PWN" shape=rect coords=0,0,9,9></map>',
        '<form action="javascript:PWN"><button>s</button></form>',
        '<form><button formaction="javascript:PWN">s</button></form>',
        '<form><button formaction="JAVASCRIPT:PWN" formmethod=post>s</button></form>',
        '<form><input type=submit formaction="javascript:PWN"></form>',
        '<form><input type=image src=x formaction="javascript:PWN"></form>',
        '<form id=f></form><button form=f formaction="javascript:PWN">b</button>',
        '<iframe src="javascript:PWN"></iframe>',
        '<svg><a href="javascript:PWN"><text y=20>s</text></a></svg>',
        '<svg><a xlink:href="javascript:PWN"><text y=20>s</text></a></svg>',
    ),
    inert=(
        '<a href="vbscript:PWN">a</a>',
        '<iframe src="data:text/html,<script>PWN</script>"></iframe>',
        '<embed src="javascript:PWN">',
        '<object data="javascript:PWN"></object>',
        '<svg><image href="javascript:PWN"/></svg>',
        '<math href="javascript:PWN"><mi>m</mi></math>',
        '<math><mtext href="javascript:PWN">m</mtext></math>',
        '<frameset><frame src="javascript:PWN"></frameset>',
        '<img src="javascript:PWN">',
        '<video poster="javascript:PWN"></video>',
        '<isindex action="javascript:PWN">',
    ),
)

NAMESPACES = _kind(
    "SVG/MathML namespace",
    live=(
        "<svg><foreignObject><img src=x onerror=PWN></foreignObject></svg>",
        "<svg><style><img src=x onerror=PWN></style></svg>",
        "<math><style><img src=x onerror=PWN></style></math>",
        "<svg><title><img src=x onerror=PWN></title></svg>",
        "<svg><desc><img src=x onerror=PWN></desc></svg>",
        '<math><annotation-xml encoding="text/html"><img src=x onerror=PWN></annotation-xml></math>',
        "<math><mtext><img src=x onerror=PWN></mtext></math>",
        "<math><mi><svg><foreignObject><img src=x onerror=PWN></foreignObject></svg></mi></math>",
        "<svg><p><img src=x onerror=PWN></p></svg>",
        "<math><maction actiontype=toggle onclick=PWN><mi>t</mi></maction></math>",
        "<svg><font><img src=x onerror=PWN></font></svg>",
        "<math><mglyph><img src=x onerror=PWN></mglyph></math>",
    ),
    inert=(
        "<svg><script>PWN</script></svg>",
        '<svg><script href="data:text/javascript,PWN"></script></svg>',
        '<svg><use href="data:image/svg+xml,<svg id=x xmlns=%22http://www.w3.org/2000/svg%22><image href=x onerror=%22PWN%22/></svg>#x"/></svg>',
    ),
)

MUTATIONS = _kind(
    "mutation XSS",
    live=(
        '<noscript><p title="</noscript><img src=x onerror=PWN>"></noscript>',
        '<svg></p><style><a id="</style><img src=1 onerror=PWN>">',
        '<svg><p><style><img src="</style><img src=x onerror=PWN//">',
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=PWN>",
        "<math><mtext><table><mglyph><style><img src=x onerror=PWN>",
        "<math><mi><mglyph><style><img src=x onerror=PWN>",
        '<noembed><img title="</noembed><img src=x onerror=PWN>"></noembed>',
        '<noframes><img title="</noframes><img src=x onerror=PWN>"></noframes>',
        '<xmp><img title="</xmp><img src=x onerror=PWN>"></xmp>',
        '<iframe><img title="</iframe><img src=x onerror=PWN>"></iframe>',
        '<textarea><img title="</textarea><img src=x onerror=PWN>"></textarea>',
        '<title><img title="</title><img src=x onerror=PWN>"></title>',
    ),
    inert=(
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=PWN&gt;">',
        '<a title="a&lt;/a&gt;&lt;img src=x onerror=PWN&gt;">a</a>',
        "<select><style><img src=x onerror=PWN></style></select>",
        "<svg><style>&lt;/style&gt;&lt;img src=x onerror=PWN&gt;</style></svg>",
    ),
)

SMIL = _kind(
    "SVG animation",
    live=(
        '<svg><a><animate attributeName=href values="javascript:PWN" /><text y=20>x</text></a></svg>',
        '<svg><a><set attributeName=href to="javascript:PWN" /><text y=20>x</text></a></svg>',
        '<svg><a><animate attributeName=href from="javascript:PWN" to="javascript:PWN" dur=9s /><text y=20>x</text></a></svg>',
        '<svg><a href="#"><animate attributeName=href values="&#106;avascript:PWN" /><text y=20>x</text></a></svg>',
        '<svg><a id=s1><text y=20>x</text></a><animate href="#s1" attributeName=href values="javascript:PWN" /></svg>',
        "<svg><animate onbegin=PWN attributeName=x dur=1s />",
        "<svg><set onbegin=PWN attributeName=x to=1 />",
        "<svg><animate onend=PWN attributeName=x dur=0.01s />",
        '<svg><rect><animateMotion onbegin=PWN dur=1s path="M0 0" /></rect></svg>',
        "<svg><rect><animateTransform onbegin=PWN attributeName=transform type=scale dur=1s /></rect></svg>",
    ),
    inert=(
        '<svg><a><animate attributeName=xlink:href values="javascript:PWN" /><text y=20>x</text></a></svg>',
        '<svg><a><set attributeName=xlink:href to="javascript:PWN" /><text y=20>x</text></a></svg>',
        '<svg><a><animate attributeName=HREF values="javascript:PWN" /><text y=20>x</text></a></svg>',
        "<svg><discard onbegin=PWN />",
    ),
)

SRCDOC = _kind(
    "srcdoc",
    live=(
        '<iframe srcdoc="<script>PWN</script>"></iframe>',
        '<iframe srcdoc="&lt;img src=x onerror=PWN&gt;"></iframe>',
        '<iframe srcdoc="<svg onload=PWN>"></iframe>',
        '<iframe SRCDOC="<script>PWN</script>"></iframe>',
        '<iframe srcdoc="<iframe srcdoc=&quot;<script>PWN</script>&quot;></iframe>"></iframe>',
    ),
    inert=("<iframe srcdoc='<script type=\"py\">PYPWN</script>'></iframe>",),
)

TEMPLATES = _kind(
    "template",
    live=(
        "<template><img src=x onerror=PWN></template>",
        "<template><svg onload=PWN></svg></template>",
        "<template><template><img src=x onerror=PWN></template></template>",
        '<div><template shadowrootmode="open"><img src=x onerror=PWN></template></div>',
        "<table><template><img src=x onerror=PWN></template></table>",
        '<template><a href="javascript:PWN">a</a></template>',
    ),
    inert=(),
)

COMMENTS = _kind(
    "comment or CDATA",
    live=(
        "<!-- --!><img src=x onerror=PWN>-->",
        "<!--><img src=x onerror=PWN>-->",
        "<!---><img src=x onerror=PWN>-->",
        "<![CDATA[><img src=x onerror=PWN>]]>",
        '<?xml version="1.0"?><img src=x onerror=PWN>',
        '<p title="<!--">--><img src=x onerror=PWN>',
    ),
    inert=(
        "<!--<img src=x onerror=PWN>-->",
        "<svg><![CDATA[><img src=x onerror=PWN>]]></svg>",
        "<svg><![CDATA[</svg><img src=x onerror=PWN>]]></svg>",
        "<math><![CDATA[</math><img src=x onerror=PWN>]]></math>",
        "<!--[if IE]><img src=x onerror=PWN><![endif]-->",
        "<svg><title><!--</title><img src=x onerror=PWN>--></title></svg>",
    ),
)

PYTHON_SCRIPTS = _kind(
    "PyScript script",
    live=(
        '<script type="py">PYPWN</script>',
        '<script type="PY">PYPWN</script>',
        '<script type="pyodide">PYPWN</script>',
        '<script type="pyodide" env="py-script">PYPWN</script>',
        '<svg><script type="pyodide" env="py-script">PYPWN</script></svg>',
    ),
    inert=(
        '<script type="mpy">PYPWN</script>',
        '<script type="micropython">PYPWN</script>',
        '<script type="py-game">PYPWN</script>',
        '<script type="py-editor" setup>PYPWN</script>',
        '<script type="mpy-editor" setup>PYPWN</script>',
        f'<script type="{RUNTIME_TYPE}">PYPWN</script>',
        '<svg><script type="py">PYPWN</script></svg>',
        '<math><script type="py">PYPWN</script></math>',
        '<template><script type="py">PYPWN</script></template>',
        '<template><script type="mpy">PYPWN</script></template>',
        "<py-script>PYPWN</py-script>",
        "<mpy-script>PYPWN</mpy-script>",
        "<py-game-script>PYPWN</py-game-script>",
        f"<{RUNTIME_TYPE}-script>PYPWN</{RUNTIME_TYPE}-script>",
        "<svg><py-script>PYPWN</py-script></svg>",
        '<py-config>{"packages": []}</py-config>',
        "<mpy-config>{}</mpy-config>",
    ),
)

PYTHON_ATTRIBUTES = _kind(
    "PyScript attribute",
    live=(
        '<button py-click="PYHANDLER">b</button>',
        '<button PY-CLICK="PYHANDLER">b</button>',
        '<button py-click="PYHANDLER" py-env="py-script">b</button>',
        '<button mpy-click="PYHANDLER" mpy-env="py-script">b</button>',
        '<button pyodide-click="PYHANDLER" pyodide-env="py-script">b</button>',
        '<button pyodide-click="PYHANDLER">b</button>',
        '<button micropython-click="PYHANDLER" micropython-env="py-script">b</button>',
        f'<button {RUNTIME_TYPE}-click="PYHANDLER" {RUNTIME_TYPE}-env="py-script">b</button>',
        '<div py-mouseover="PYHANDLER">d</div>',
        '<svg><rect py-click="PYHANDLER" width=9 height=9 /></svg>',
        '<math py-click="PYHANDLER"><mi>m</mi></math>',
        '<form py-submit="PYHANDLER"><button>s</button></form>',
        '<input py-input="PYHANDLER">',
        '<img src=x py-error="PYHANDLER">',
        '<details open py-toggle="PYHANDLER">d</details>',
        '<template><button py-click="PYHANDLER">t</button></template>',
        '<div data-note="x" py-click="PYHANDLER" aria-label="y">d</div>',
    ),
    inert=('<button py-game-click="PYHANDLER">b</button>',),
)

# What would change the whole page rather than the slot (T28): detected by their effect on the
# page (base URL, a custom property set by a stylesheet) and by their presence.
PAGE_LEVEL = _kind(
    "page-level element",
    live=(
        '<base href="https://evil.example/">',
        '<base href="//evil.example/"><a href="x">x</a>',
        '<link rel="stylesheet" href="data:text/css,:root{--pwned:INDEX}">',
        "<style>:root{--pwned:INDEX}</style>",
        "<svg><style>:root{--pwned:INDEX}</style></svg>",
    ),
    inert=(
        "<base target=_blank>",
        '<base href="javascript:PWN//">',
        '<meta http-equiv="refresh" content="0;url=javascript:PWN">',
        '<meta http-equiv="refresh" content="3600;url=https://evil.example/">',
        '<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">',
        '<meta name="referrer" content="unsafe-url">',
        '<link rel="import" href="data:text/html,<script>PWN</script>">',
        '<link rel="modulepreload" href="data:text/javascript,PWN">',
    ),
)

SCRIPTED = [
    *EVENT_HANDLERS, *SCRIPT_URLS, *NAMESPACES, *MUTATIONS, *SMIL, *SRCDOC, *TEMPLATES,
    *COMMENTS, *PYTHON_SCRIPTS, *PYTHON_ATTRIBUTES,
]  # fmt: skip
VECTORS = [*SCRIPTED, *PAGE_LEVEL]


def markups() -> list[str]:
    """Every vector with its index filled in (the index is what a hit reports)."""
    return [v.for_index(i).replace("INDEX", str(i)) for i, v in enumerate(VECTORS)]


# T26: markup that names elements after properties (DOM clobbering), and the properties that
# must keep their values: `document.x`, `window.x`, `form.x` (the inserted form) and `app.x`
# (the app's own form around the slot, whose `__fw` and `__fwId` route its events).
CLOBBERING = [
    ("<form><input name=attributes><input name=tagName></form>", ["form.attributes", "form.tagName"]),
    ("<img name=createElement>", ["document.createElement"]),
    ("<form name=getElementById></form>", ["document.getElementById"]),
    ("<img name=querySelector>", ["document.querySelector"]),
    ("<img name=addEventListener>", ["document.addEventListener"]),
    ("<embed name=body><img name=body>", ["document.body"]),
    ("<img name=cookie>", ["document.cookie"]),
    ("<img name=defaultView>", ["document.defaultView"]),
    ("<img name=currentScript>", ["document.currentScript"]),
    ("<form><input name=nodeName><input name=parentNode></form>", ["form.nodeName", "form.parentNode"]),
    ("<form><input name=removeAttribute><input name=setAttribute></form>", ["form.removeAttribute", "form.setAttribute"]),
    ("<a id=DOMPurify></a><img name=DOMPurify>", ["window.DOMPurify"]),
    ("<img id=pyscript name=pyscript>", ["window.pyscript"]),
    ("<a id=__framework_sanitize__></a>", ["window.__framework_sanitize__"]),
    ("<form id=__framework_dom__></form>", ["window.__framework_dom__"]),
    ("<input name=__fw>", ["app.__fw"]),
    ("<input name=__fwId>", ["app.__fwId"]),
    ("<input name=action><input name=submit>", ["app.action", "app.submit"]),
]  # fmt: skip
