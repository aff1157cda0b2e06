"""The table of conformance cases: what every DOM backend must show for each template and update.

Each case drives the real renderer through a Stage (runner.py) and states the DOM it expects
after each step, serialised as memory.Element.to_html(properties=True): attributes in the order
the DOM keeps them, then each property set on the element as ` .name=<JSON>`. The cases that
follow a protocol table (URL attributes, non-bubbling events) are made from protocol.json, so a
name added there is checked in both backends without a new line here.
"""

from __future__ import annotations

from collections.abc import Callable
from string.templatelib import Interpolation, Template
from typing import Any

from framework import Component, Ref, Signal, UnsafeValueError, dangerous_html, keyed, mount
from framework.dom import ops, protocol

Stage = Any  # runner.Stage: not imported, so that this module needs nothing but the framework
CASES: dict[str, Callable[[Stage], None]] = {}

BAD_URL = "javascript:alert(1)"
NEUTRALISED = protocol.BLOCKED_PREFIX + BAD_URL  # a bound URL that would run script
PNG = "data:image/png;base64,iVBORw0KGgo="


def case(function: Callable[[Stage], None]) -> Callable[[Stage], None]:
    CASES[function.__name__] = function
    return function


# -- text ------------------------------------------------------------------------------------------


@case
def text_is_escaped_and_updated(stage: Stage) -> None:
    value = Signal("a < b & c > d")
    stage.mount(lambda: t"<p id=p>{value.value}</p>")
    stage.expect("first render", '<p id="p">a &lt; b &amp; c &gt; d</p>')
    for step, (new, shown) in enumerate(
        [
            ("héllo ✓", "héllo ✓"),
            (42, "42"),
            ("", ""),
            (None, ""),
            ("<b>no</b>", "&lt;b&gt;no&lt;/b&gt;"),
        ]
    ):
        value.value = new
        stage.expect(f"update {step}", f'<p id="p">{shown}</p>')


@case
def a_signal_in_a_slot_updates_its_text(stage: Stage) -> None:
    count = Signal(1)
    stage.mount(lambda: t"<span>{count}</span> and {count}")
    stage.expect("first render", "<span>1</span> and 1")
    count.value = 2
    stage.expect("after the signal changed", "<span>2</span> and 2")


@case
def text_between_top_level_slots(stage: Stage) -> None:
    first, second = Signal("a"), Signal("b")
    stage.mount(lambda: t"{first.value}-{second.value}<i>x</i>{first.value}")
    stage.expect("first render", "a-b<i>x</i>a")
    first.value, second.value = "", "c"
    stage.expect("after an update", "-c<i>x</i>")


# -- attributes --------------------------------------------------------------------------------


@case
def attribute_values_update_and_go(stage: Stage) -> None:
    title: Signal[Any] = Signal("t")
    extra = Signal("x")
    stage.mount(lambda: t'<p id="p" title={title.value} data-k="a {extra.value} b">.</p>')
    stage.expect("first render", '<p id="p" title="t" data-k="a x b">.</p>')
    title.value = 'say "hi" & <go>'
    stage.expect(
        "quotes are escaped",
        '<p id="p" title="say &quot;hi&quot; &amp; &lt;go&gt;" data-k="a x b">.</p>',
    )
    title.value = None
    stage.expect("None removes the attribute", '<p id="p" data-k="a x b">.</p>')
    extra.value = "y"
    title.value = True
    stage.expect("re-added at the end; True is bare", '<p id="p" data-k="a y b" title>.</p>')
    title.value = False
    stage.expect("False removes it", '<p id="p" data-k="a y b">.</p>')


@case
def attribute_names_are_lower_case_on_html_elements(stage: Stage) -> None:
    stage.mount(lambda: t"<div id=d data-Mixed={'m'} tabIndex={3} ARIA-Label={'l'}></div>")
    stage.expect("first render", '<div id="d" data-mixed="m" tabindex="3" aria-label="l"></div>')


@case
def boolean_attributes_toggle(stage: Stage) -> None:
    disabled = Signal(True)
    stage.mount(
        lambda: t"<button id=b ?disabled={disabled.value} ?hidden={not disabled.value}>go</button>"
    )
    stage.expect("first render", '<button id="b" disabled>go</button>')
    disabled.value = False
    stage.expect("toggled", '<button id="b" hidden>go</button>')
    disabled.value = True
    stage.expect("toggled back", '<button id="b" disabled>go</button>')


@case
def class_forms(stage: Stage) -> None:
    value: Signal[Any] = Signal("a b")
    stage.mount(lambda: t'<p id="p" class={value.value}>.</p><i class="x {value.value} y">.</i>')
    stage.expect("a string", '<p id="p" class="a b">.</p><i class="x a b y">.</i>')
    value.value = ["c", "", None, "d"]
    stage.expect("a list", '<p id="p" class="c d">.</p><i class="x c d y">.</i>')
    value.value = {"on": True, "off": False}
    stage.expect("a dict", '<p id="p" class="on">.</p><i class="x on y">.</i>')
    value.value = ""
    stage.expect("empty removes it", '<p id="p">.</p><i class="x y">.</i>')


@case
def style_properties_and_the_style_attribute(stage: Stage) -> None:
    style: Signal[dict[str, Any]] = Signal({"color": "red", "margin_top": "1px"})
    stage.mount(lambda: t"<p id=p style={style.value}>.</p>")
    stage.expect("first render", '<p id="p" style="color: red; margin-top: 1px;">.</p>')
    style.value = {"color": "blue", "--gap": "2px"}
    stage.expect("changed, removed, added", '<p id="p" style="color: blue; --gap: 2px;">.</p>')
    style.value = {}
    stage.expect("the attribute stays, empty", '<p id="p" style>.</p>')
    style.value = {"display": "none"}
    stage.expect("set again", '<p id="p" style="display: none;">.</p>')


# -- properties --------------------------------------------------------------------------------


@case
def properties_are_set_not_attributes(stage: Stage) -> None:
    text, on = Signal("abc"), Signal(True)
    stage.mount(
        lambda: t'<input id=t value={text.value}><input id=c type="checkbox" checked={on.value}>'
    )
    stage.expect(
        "first render", '<input id="t" .value="abc"><input id="c" type="checkbox" .checked=true>'
    )
    text.value, on.value = 'x"y', False
    stage.expect(
        "updated", '<input id="t" .value="x\\"y"><input id="c" type="checkbox" .checked=false>'
    )


@case
def properties_take_the_dom_type(stage: Stage) -> None:
    value: Signal[Any] = Signal(5)
    stage.mount(lambda: t"<input id=i .value={value.value}><div id=d .myData={value.value}></div>")
    stage.expect("a number", '<input id="i" .value="5"><div id="d" .myData=5></div>')
    value.value = None
    stage.expect("None", '<input id="i" .value=""><div id="d" .myData=null></div>')


@case
def reflected_properties_write_attributes_and_content(stage: Stage) -> None:
    value = Signal("one")
    stage.mount(
        lambda: (
            t"<p id=p .className={value.value} .title={value.value} .textContent={value.value}><b>old</b></p>"
        )
    )
    stage.expect(
        "first render",
        '<p id="p" class="one" title="one" .className="one" .title="one" .textContent="one">one</p>',
    )
    value.value = "two"
    stage.expect(
        "updated",
        '<p id="p" class="two" title="two" .className="two" .title="two" .textContent="two">two</p>',
    )


@case
def a_progress_or_meter_value_writes_its_attribute(stage: Stage) -> None:
    value = Signal(0)
    stage.mount(lambda: t"<progress id=p max=100 value={value.value}></progress>")
    stage.expect("first render", '<progress id="p" max="100" value="0" .value=0></progress>')
    value.value = 50
    stage.expect("updated", '<progress id="p" max="100" value="50" .value=50></progress>')


# -- URLs ----------------------------------------------------------------------------------------


def _bound_attribute(name: str, value: str) -> Template:
    """`<span NAME={value}>`: a t-string cannot put a slot in an attribute name, so it is built."""
    return Template(f'<span id="s" {name}=', Interpolation(value, "value"), "></span>")


@case
def every_bound_url_attribute_is_neutralised(stage: Stage) -> None:
    names = sorted(protocol.URL_ATTRIBUTES)
    stage.mount(lambda: t"<div>{[_bound_attribute(name, BAD_URL) for name in names]}</div>")
    spans = "".join(f'<span id="s" {name}="{NEUTRALISED}"></span>' for name in names)
    stage.expect("every URL attribute", f"<div>{spans}</div>")


@case
def bound_urls_that_are_safe_stay(stage: Stage) -> None:
    url: Signal[str] = Signal("https://example.org/?q=javascript:")
    stage.mount(
        lambda: t"<a id=a href={url.value}>l</a><img id=i src={PNG}><a id=f href={PNG}>i</a>"
    )
    stage.expect(
        "first render",
        f'<a id="a" href="https://example.org/?q=javascript:">l</a><img id="i" src="{PNG}">'
        f'<a id="f" href="unsafe:{PNG}">i</a>',
    )
    url.value = " \tJaVa\nScRipt:x"
    stage.expect(
        "a disguised script URL",
        f'<a id="a" href="unsafe: \tJaVa\nScRipt:x">l</a><img id="i" src="{PNG}">'
        f'<a id="f" href="unsafe:{PNG}">i</a>',
    )


@case
def bound_srcset_candidates_are_each_checked(stage: Stage) -> None:
    stage.mount(lambda: t"<img id=i srcset={'a.png 1x, ' + BAD_URL + ' 2x, ' + PNG + ' 3x'}>")
    stage.expect("first render", f'<img id="i" srcset="a.png 1x, {NEUTRALISED} 2x, {PNG} 3x">')


# -- raw HTML ------------------------------------------------------------------------------------
# dangerous_html(): DOMPurify in the browser (framework/browser/sanitize.js), its rules restated
# for the memory backend (framework/dom/sanitizer.py). Each expectation is what DOMPurify does.

# The URL attributes on DOMPurify's allowlist: a value its URL rule refuses removes the attribute.
# The others are on no allowlist, so they go whatever their value.
ALLOWED_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "xlink:href", "poster", "cite", "background", "usemap"}
)


def _raw(stage: Stage, markup: str) -> None:
    stage.mount(lambda: t"<div id=raw>{dangerous_html(markup)}</div>")


@case
def raw_html_loses_script_like_elements(stage: Stage) -> None:
    _raw(
        stage,
        "<b>kept</b><script>x()</script><SCRIPT type=py>1</SCRIPT><py-script>1</py-script>"
        "<mpy-script>1</mpy-script><py-config>{}</py-config><mpy-config>{}</mpy-config>"
        "<py-game-script>1</py-game-script><x-script>1</x-script><pyodide-repl>1</pyodide-repl>"
        "<micropython-thing><b>1</b></micropython-thing><i>end</i>",
    )
    stage.expect("first render", '<div id="raw"><b>kept</b><i>end</i></div>')


@case
def raw_html_loses_scripts_in_svg_and_templates(stage: Stage) -> None:
    _raw(
        stage,
        '<svg><script type="py">1</script><py-script>1</py-script><circle r="1"></circle></svg>'
        '<template><p onclick="x()">t</p><script>x()</script></template>',
    )
    stage.expect(
        "first render",
        '<div id="raw"><svg><circle r="1"></circle></svg><template><p>t</p></template></div>',
    )


@case
def raw_html_loses_attributes_that_run_code(stage: Stage) -> None:
    prefixes = ["on", *protocol.PYTHON_ATTRIBUTE_PREFIXES]
    names = [f"{prefix}click" for prefix in prefixes] + sorted(protocol.HTML_SINKS) + ["ONLOAD"]
    attributes = " ".join(f'{name}="x()"' for name in names)
    _raw(stage, f'<button title="t" {attributes} class="c">b</button>')
    stage.expect("first render", '<div id="raw"><button title="t" class="c">b</button></div>')


@case
def raw_html_loses_page_level_elements_and_animations(stage: Stage) -> None:
    _raw(
        stage,
        '<style>p{}</style><link rel="stylesheet" href="/x.css"><meta http-equiv="refresh" '
        'content="0"><base href="/"><p>p</p><iframe src="/f">f</iframe><object data="/o"></object>'
        '<svg><a href="/x"><animate attributeName="href" values="javascript:x()"></animate>'
        '<set attributeName="href" to="javascript:x()"></set><text>t</text></a></svg>',
    )
    stage.expect(
        "first render", '<div id="raw"><p>p</p><svg><a href="/x"><text>t</text></a></svg></div>'
    )


@case
def raw_html_keeps_the_content_of_unknown_elements(stage: Stage) -> None:
    _raw(
        stage,
        '<x-widget title="t">custom <b>bold</b></x-widget><foo><i>foo</i></foo>'
        "<marquee>m</marquee><noscript><b>gone</b></noscript>",
    )
    stage.expect(
        "first render", '<div id="raw">custom <b>bold</b><i>foo</i><marquee>m</marquee></div>'
    )


@case
def raw_html_keeps_svg_and_mathml(stage: Stage) -> None:
    _raw(
        stage,
        '<svg width="9"><title>t</title><g fill="teal"><circle r="1"></circle></g></svg>'
        "<math><mi>x</mi><mo>=</mo><mn>1</mn></math>"
        "<svg><foreignObject><p>gone</p></foreignObject><desc><b>gone</b></desc></svg>",
    )
    stage.expect(
        "first render",
        '<div id="raw"><svg width="9"><title>t</title><g fill="teal"><circle r="1"></circle></g>'
        "</svg><math><mi>x</mi><mo>=</mo><mn>1</mn></math><svg><desc></desc></svg></div>",
    )


@case
def raw_html_loses_comments_and_text_that_hides_markup(stage: Stage) -> None:
    _raw(stage, "<!--c--><p>a<!--c-->b</p><p>&lt;b&gt;<!--c--></p><p>&lt;i&gt;</p>")
    stage.expect("first render", '<div id="raw"><p>ab</p><p>&lt;i&gt;</p></div>')


def _raw_url_case(name: str) -> Callable[[Stage], None]:
    def raw_url_attribute(stage: Stage) -> None:
        _raw(stage, f'<span {name}="{BAD_URL}" title="t"></span><span {name}="/ok">ok</span>')
        kept = f' {name}="/ok"' if name in ALLOWED_URL_ATTRIBUTES else ""
        stage.expect(
            "first render",
            f'<div id="raw"><span title="t"></span><span{kept}>ok</span></div>',
        )

    return raw_url_attribute


for _name in sorted(protocol.URL_ATTRIBUTES):
    CASES[f"raw_html_url_attribute_{_name}"] = _raw_url_case(_name)


@case
def raw_html_urls_by_scheme(stage: Stage) -> None:
    _raw(
        stage,
        '<a href="https://example.org/?q=javascript:">1</a><a href="mailto:a@example.org">2</a>'
        '<a href="#top">3</a><a href="x:y">4</a><a href=" /trimmed ">5</a>'
        '<a href="vbscript:x">6</a><a href="&#106;avascript:x()">7</a>'
        '<a href="java&#x09;script:x()">8</a><a href="javascript&colon;x()">9</a>',
    )
    stage.expect(
        "first render",
        '<div id="raw"><a href="https://example.org/?q=javascript:">1</a>'
        '<a href="mailto:a@example.org">2</a><a href="#top">3</a><a>4</a>'
        '<a href="/trimmed">5</a><a>6</a><a>7</a><a>8</a><a>9</a></div>',
    )


@case
def raw_html_data_urls_only_in_media(stage: Stage) -> None:
    svg = "data:image/svg+xml,&lt;svg onload=x()&gt;"
    _raw(
        stage,
        f'<img src="{PNG}"><img src="{svg}"><video src="{PNG}" poster="{PNG}"></video>'
        f'<span src="{PNG}"></span><a href="{PNG}">a</a>',
    )
    stage.expect(
        "first render",
        f'<div id="raw"><img src="{PNG}"><img src="{svg}"><video src="{PNG}"></video>'
        "<span></span><a>a</a></div>",
    )


@case
def raw_html_srcset_is_one_url(stage: Stage) -> None:
    _raw(stage, f'<img srcset="a.png 1x, {BAD_URL} 2x"><img srcset="{BAD_URL} 1x, a.png 2x">')
    stage.expect("first render", f'<div id="raw"><img srcset="a.png 1x, {BAD_URL} 2x"><img></div>')


@case
def raw_html_prefixes_ids_and_names(stage: Stage) -> None:
    _raw(
        stage,
        '<h2 id="intro">i</h2><img name="createElement"><p name=" n " title="t">p</p>'
        '<p id="user-content-x">x</p><a href="#intro" id="">l</a>'
        '<form action="/f"><input name="attributes"></form>',
    )
    stage.expect(
        "first render",
        '<div id="raw"><h2 id="user-content-intro">i</h2><img name="user-content-createElement">'
        '<p title="t" name="user-content-n">p</p><p id="user-content-x">x</p>'
        '<a href="#intro" id="user-content-">l</a></div>',
    )


@case
def raw_html_is_replaced(stage: Stage) -> None:
    content: Signal[Any] = Signal(dangerous_html("<b>one</b><i>two</i>"))
    stage.mount(lambda: t"<div id=raw>{content.value}<hr></div>")
    stage.expect("first render", '<div id="raw"><b>one</b><i>two</i><hr></div>')
    content.value = dangerous_html("<u>three</u>")
    stage.expect("other markup", '<div id="raw"><u>three</u><hr></div>')
    content.value = "<u>text</u>"
    stage.expect("a str is text", '<div id="raw">&lt;u&gt;text&lt;/u&gt;<hr></div>')


# -- events ------------------------------------------------------------------------------------


@case
def events_bubble_to_ancestors(stage: Stage) -> None:
    outer, inner = stage.handler("outer"), stage.handler("inner")
    stage.mount(
        lambda: (
            t"<div id=box onclick={outer}><p id=p><button id=b onclick={inner}>b</button></p></div>"
        )
    )
    stage.fire("b", "click")
    stage.expect_events("from the button", "inner@b", "outer@box")
    stage.fire("p", "click")
    stage.expect_events("from between them", "outer@box")


@case
def stop_ends_the_route(stage: Stage) -> None:
    outer, inner = stage.handler("outer"), stage.handler("inner")
    stage.mount(
        lambda: t"<div id=box onclick={outer}><button id=b onclick.stop={inner}>b</button></div>"
    )
    stage.fire("b", "click")
    stage.expect_events("stopped at the button", "inner@b")


@case
def handlers_change_and_go(stage: Stage) -> None:
    handler: Signal[Any] = Signal(stage.handler("first"))
    stage.mount(lambda: t"<button id=b onclick={handler.value}>b</button>")
    stage.fire("b", "click")
    stage.expect_events("the first handler", "first@b")
    handler.value = stage.handler("second")
    stage.expect("the DOM is unchanged", '<button id="b">b</button>')
    stage.fire("b", "click")
    stage.expect_events("the new handler", "second@b")
    handler.value = None
    stage.flush()
    stage.fire("b", "click")
    stage.expect_events("no handler")


@case
def a_handler_updates_the_dom(stage: Stage) -> None:
    count = Signal(0)

    def increment() -> None:
        count.value += 1

    stage.mount(lambda: t"<button id=b onclick={increment}>{count.value}</button>")
    for clicks in (1, 2):
        stage.fire("b", "click")
        stage.expect(f"after {clicks} clicks", f'<button id="b">{clicks}</button>')


def _non_bubbling_case(event_type: str) -> Callable[[Stage], None]:
    def event_reaches_its_target_only(stage: Stage) -> None:
        outer, inner = stage.handler("outer"), stage.handler("inner")
        stage.mount(
            lambda: Template(
                f'<div id="box" on{event_type}=',
                Interpolation(outer, "outer"),
                ">",
                f'<span id="in" on{event_type}=',
                Interpolation(inner, "inner"),
                "></span></div>",
            )
        )
        stage.fire("in", event_type)
        stage.expect_events("at the inner element", "inner@in")
        stage.fire("box", event_type)
        stage.expect_events("at the outer element", "outer@box")

    return event_reaches_its_target_only


for _event in sorted(protocol.NON_BUBBLING_EVENTS):
    CASES[f"{_event}_does_not_bubble"] = _non_bubbling_case(_event)


# -- keyed lists -----------------------------------------------------------------------------------


def _rows(keys: list[int]) -> str:
    return "".join(f'<li id="k{key}">{key}</li>' for key in keys)


@case
def keyed_rows_move_across_flushes(stage: Stage) -> None:
    keys = Signal([1, 2, 3, 4, 5])
    stage.mount(
        lambda: t"<ul id=list>{[keyed(k, t'<li id={f"k{k}"}>{k}</li>') for k in keys.value]}</ul>"
    )
    stage.expect("first render", f'<ul id="list">{_rows([1, 2, 3, 4, 5])}</ul>')
    five, two = stage.element("k5"), stage.element("k2")
    for order in ([5, 1, 2, 3, 4], [2, 5, 4], [2, 5, 4, 6, 1], [1, 6, 4, 5, 2], [6, 2]):
        keys.value = order
        stage.expect(f"order {order}", f'<ul id="list">{_rows(order)}</ul>')
    stage.expect_same("row 2 moved, kept", two, "k2")
    keys.value = [5]
    stage.expect("a new row 5", f'<ul id="list">{_rows([5])}</ul>')
    stage.observe(
        "row 5 was recreated", "True", str(not stage.harness.same(five, stage.element("k5")))
    )
    keys.value = []
    stage.expect("emptied", '<ul id="list"></ul>')
    keys.value = [7, 8]
    stage.expect("filled again", f'<ul id="list">{_rows([7, 8])}</ul>')


@case
def a_list_between_siblings(stage: Stage) -> None:
    keys = Signal([1, 2, 3])
    stage.mount(
        lambda: (
            t"<ul id=list><li>first</li>{[keyed(k, t'<li id={f"k{k}"}>{k}</li>') for k in keys.value]}<li>last</li></ul>"
        )
    )
    stage.expect(
        "first render", f'<ul id="list"><li>first</li>{_rows([1, 2, 3])}<li>last</li></ul>'
    )
    keys.value = [3, 1]
    stage.expect(
        "moved and removed", f'<ul id="list"><li>first</li>{_rows([3, 1])}<li>last</li></ul>'
    )
    keys.value = []
    stage.expect("cleared", '<ul id="list"><li>first</li><li>last</li></ul>')
    keys.value = [2]
    stage.expect("one again", f'<ul id="list"><li>first</li>{_rows([2])}<li>last</li></ul>')


@case
def rows_keep_routing_events_after_moves(stage: Stage) -> None:
    keys = Signal([1, 2, 3])
    stage.mount(
        lambda: (
            t"<ul>{[keyed(k, t'<li><button id={f"b{k}"} onclick={stage.handler(f"row{k}")}>{k}</button></li>') for k in keys.value]}</ul>"
        )
    )
    keys.value = [3, 2, 1]
    stage.flush()
    for key in (1, 3):
        stage.fire(f"b{key}", "click")
    stage.expect_events("each row's handler", "row1@b1", "row3@b3")


@case
def parts_beside_lists_stay_addressed_as_the_lists_change(stage: Stage) -> None:
    # The applier finds a row's parts from its root: a part after a list counts from the end, a
    # part between two lists is kept by id (framework/browser/applier.js, stableSteps).
    head, tail = Signal([1]), Signal([7])
    middle, end = Signal("m"), Signal("e")
    mid, last = stage.handler("mid"), stage.handler("end")
    stage.mount(
        lambda: (
            t"<div id=box>{[keyed(k, t'<i>{k}</i>') for k in head.value]}"
            t"<b id=mid title={middle.value} onclick={mid}>{middle.value}</b>"
            t"{[keyed(k, t'<u>{k}</u>') for k in tail.value]}"
            t"<p id=end onclick={last}>{end.value}</p></div>"
        )
    )

    def shown(heads: list[int], tails: list[int], m: str, e: str) -> str:
        items = "".join(f"<i>{k}</i>" for k in heads)
        under = "".join(f"<u>{k}</u>" for k in tails)
        return (
            f'<div id="box">{items}<b id="mid" title="{m}">{m}</b>{under}<p id="end">{e}</p></div>'
        )

    head.value, tail.value = [1, 2, 3], [7, 8]
    middle.value, end.value = "m2", "e2"
    stage.expect("the lists grew, then the parts changed", shown([1, 2, 3], [7, 8], "m2", "e2"))
    head.value, tail.value = [], [9]
    middle.value, end.value = "m3", "e3"
    stage.expect("the lists shrank, then the parts changed", shown([], [9], "m3", "e3"))
    stage.fire("mid", "click")
    stage.fire("end", "click")
    stage.expect_events("both parts route their clicks", "mid@mid", "end@end")


@case
def nested_rows_route_events_innermost_first(stage: Stage) -> None:
    keys = Signal([1, 2])
    stop = Signal(False)

    def row(k: int) -> Template:
        handler = stage.handler(f"inner{k}")
        inner = t"<button id={f'b{k}'} onclick.stop={handler}>{k}</button>"
        plain = t"<button id={f'b{k}'} onclick={handler}>{k}</button>"
        return t"<li id={f'r{k}'} onclick={stage.handler(f'row{k}')}>{inner if stop.value else plain}</li>"

    stage.mount(
        lambda: (
            t"<section id=s onclick={stage.handler('list')}><ul>{[keyed(k, row(k)) for k in keys.value]}</ul></section>"
        )
    )
    keys.value = [0, 2, 1]
    stage.flush()
    stage.fire("b1", "click")
    stage.expect_events("the button, its row, the list", "inner1@b1", "row1@r1", "list@s")
    stage.fire("r0", "click")
    stage.expect_events("a new row, then the list", "row0@r0", "list@s")
    stop.value = True
    stage.flush()
    stage.fire("b2", "click")
    stage.expect_events("stopped at the button", "inner2@b2")


@case
def a_handler_keeps_its_event_past_the_dispatch(stage: Stage) -> None:
    kept: list[Any] = []
    stage.mount(lambda: t"<p id=p><button id=b onclick={kept.append}>b</button></p>")
    stage.fire("b", "click")
    event = kept[0]
    shown = f"{event.type}@{stage.harness.element_id(event.currentTarget)}"
    stage.observe("the kept event, read after its dispatch", "click@b", shown)


@case
def a_handler_reads_its_own_event_while_it_causes_another(stage: Stage) -> None:
    seen: list[str] = []
    outer_events: list[Any] = []

    def name(event: Any) -> str:
        return str(stage.harness.element_id(event.currentTarget))

    def inner(event: Any) -> None:  # reads the outer event first while its own is dispatched
        seen.append(f"inner@{name(event)}/outer@{name(outer_events[0])}")

    def outer(event: Any) -> None:
        outer_events.append(event)
        stage.fire("b", "click")
        seen.append(f"after@{name(event)}")

    stage.mount(
        lambda: t"<div><button id=a onclick={outer}>a</button><i id=b onclick={inner}>b</i></div>"
    )
    stage.fire("a", "click")
    stage.observe("each handler's own event", "inner@b/outer@a after@a", " ".join(seen))


@case
def unkeyed_lists_grow_and_shrink(stage: Stage) -> None:
    items = Signal(["a", "b"])
    stage.mount(lambda: t"<ol>{[t'<li>{item}</li>' for item in items.value]}</ol>")
    stage.expect("first render", "<ol><li>a</li><li>b</li></ol>")
    items.value = ["a", "b", "c", "d"]
    stage.expect("grown", "<ol><li>a</li><li>b</li><li>c</li><li>d</li></ol>")
    items.value = ["d"]
    stage.expect("shrunk", "<ol><li>d</li></ol>")


# -- components --------------------------------------------------------------------------------


class Counter(Component):
    label: str

    def setup(self) -> None:
        self.count = Signal(0)

    def increment(self) -> None:
        self.count.value += 1
        self.emit("change", self.label, self.count.value)

    def render(self) -> Template:
        return t"<button id={self.label} onclick={self.increment}>{self.label}: {self.count.value}</button>"


class Panel(Component):
    title: str

    def setup(self) -> None:
        self.changes = Signal(0)

    def changed(self, label: str, count: int) -> None:
        self.changes.value += 1

    def render(self) -> Template:
        return t"<section id=panel><h1>{self.title} ({self.changes.value})</h1>{[Counter(label=name, on_change=self.changed, key=name) for name in ('a', 'b')]}</section>"


@case
def nested_components_keep_their_state(stage: Stage) -> None:
    title = Signal("T")
    stage.mount(lambda: t"<main>{Panel(title=title.value)}</main>")
    stage.expect(
        "first render",
        '<main><section id="panel"><h1>T (0)</h1><button id="a">a: 0</button>'
        '<button id="b">b: 0</button></section></main>',
    )
    stage.fire("b", "click")
    stage.fire("b", "click")
    stage.expect(
        "a child's own state, and the parent told",
        '<main><section id="panel"><h1>T (2)</h1><button id="a">a: 0</button>'
        '<button id="b">b: 2</button></section></main>',
    )
    title.value = "U"
    stage.expect(
        "a new prop keeps the children's state",
        '<main><section id="panel"><h1>U (2)</h1><button id="a">a: 0</button>'
        '<button id="b">b: 2</button></section></main>',
    )


@case
def components_swap_in_place(stage: Stage) -> None:
    shown = Signal(True)
    stage.mount(
        lambda: t"<div id=d>{Counter(label='c') if shown.value else t'<p>none</p>'}<hr></div>"
    )
    stage.expect("a component", '<div id="d"><button id="c">c: 0</button><hr></div>')
    shown.value = False
    stage.expect("a template", '<div id="d"><p>none</p><hr></div>')
    shown.value = True
    stage.expect("a fresh component", '<div id="d"><button id="c">c: 0</button><hr></div>')


@case
def a_ref_gives_the_element(stage: Stage) -> None:
    ref = Ref()
    stage.mount(lambda: t"<p><b id=target ref={ref}>x</b></p>")
    stage.flush()
    stage.observe("the ref's element", "target", stage.harness.element_id(ref.current))


class OnlyAList(Component):
    """A render that is nothing but a list: its content lives beside its own anchor."""

    items: list[str]

    def render(self) -> Template:
        return t"{[keyed(item, t'<b>{item}</b>') for item in self.items]}"


@case
def a_component_that_is_only_a_list_goes_when_it_is_removed(stage: Stage) -> None:
    shown = Signal(True)
    stage.mount(
        lambda: t"<div id=d>{OnlyAList(items=['x', 'y']) if shown.value else None}<hr></div>"
    )
    stage.expect("the list", '<div id="d"><b>x</b><b>y</b><hr></div>')
    shown.value = False
    stage.expect("removed with its items", '<div id="d"><hr></div>')
    shown.value = True  # and unmounted at the end of the case, list and all


# -- selects -------------------------------------------------------------------------------------
# A select shows its bound value whatever renders its options (protocol.json's select_value): on
# its own the DOM selects the first option when the options arrive after the value.


def _options(values: tuple[str, ...] | list[str]) -> list[Template]:
    return [t"<option id={'o' + v} value={v}>{v}</option>" for v in values]


def _option_html(values: tuple[str, ...] | list[str]) -> str:
    return "".join(f'<option id="o{v}" value="{v}" .value="{v}">{v}</option>' for v in values)


def _shows(stage: Stage, step: str, expected: str, select: str = "s") -> None:
    stage.flush()
    stage.observe(step, expected, str(stage.element(select).value))


def _chosen(stage: Stage, select: str = "s") -> str:
    return " ".join(str(option.value) for option in stage.element(select).selectedOptions)


@case
def a_select_shows_its_value_when_its_options_come_from_a_slot(stage: Stage) -> None:
    choice = Signal("3")
    stage.mount(lambda: t"<select id=s bind:value={choice}>{_options(('5', '4', '3'))}</select>")
    stage.expect(
        "first render", f'<select id="s" .value="3">{_option_html(("5", "4", "3"))}</select>'
    )
    stage.element("o4").selected = True  # the user's choice
    stage.fire("s", "change")
    stage.observe("the user's choice is bound", "4", choice.value)
    _shows(stage, "and shown", "4")
    choice.value = "5"
    _shows(stage, "a value set from code", "5")
    choice.value = "9"
    _shows(stage, "a value no option has: none", "")


@case
def a_select_shows_its_value_when_options_are_added_later(stage: Stage) -> None:
    choice, values = Signal("b"), Signal[list[str]]([])
    stage.mount(
        lambda: (
            t"<select id=s bind:value={choice}><optgroup label=g>{_options(values.value)}</optgroup></select>"
        )
    )
    stage.expect("no options", '<select id="s" .value=""><optgroup label="g"></optgroup></select>')
    values.value = ["a", "b", "c"]
    stage.expect(
        "the options arrive",
        f'<select id="s" .value="b"><optgroup label="g">{_option_html(["a", "b", "c"])}'
        "</optgroup></select>",
    )
    values.value = ["z", "a", "b", "c", "d"]
    _shows(stage, "more options, before and after", "b")


@case
def a_select_keeps_its_value_when_options_are_removed(stage: Stage) -> None:
    choice, values = Signal("b"), Signal(["a", "b", "c"])
    stage.mount(
        lambda: (
            t"<select id=s bind:value={choice}>{[keyed(v, o) for v, o in zip(values.value, _options(values.value), strict=True)]}</select>"
        )
    )
    _shows(stage, "first render", "b")
    values.value = ["c", "b"]
    _shows(stage, "the first option removed, the others moved", "b")
    values.value = ["c"]
    _shows(stage, "its own option removed: none", "")
    values.value = ["c", "b"]
    _shows(stage, "its option back", "b")
    values.value = []
    stage.expect("every option removed", '<select id="s" .value=""></select>')


class Picker(Component):
    ident: str
    values: tuple[str, ...]

    def setup(self) -> None:
        self.choice = Signal("c")

    def render(self) -> Template:
        return t"<select id={self.ident} bind:value={self.choice}>{[keyed(v, t'<option>{v}</option>') for v in self.values]}</select>"


@case
def selects_in_a_list_of_components_show_their_values(stage: Stage) -> None:
    values, idents = Signal[tuple[str, ...]](()), Signal(["p1", "p2"])
    stage.mount(
        lambda: t"<div>{[Picker(ident=i, values=values.value, key=i) for i in idents.value]}</div>"
    )
    stage.expect(
        "no options yet",
        '<div><select id="p1" .value=""></select><select id="p2" .value=""></select></div>',
    )
    values.value = ("a", "b", "c", "d")
    options = "<option>a</option><option>b</option><option>c</option><option>d</option>"
    stage.expect(
        "the options arrive",
        f'<div><select id="p1" .value="c">{options}</select><select id="p2" .value="c">{options}'
        "</select></div>",
    )
    idents.value = ["p3", "p1", "p2"]
    _shows(stage, "a new row", "c", "p3")
    _shows(stage, "a moved row", "c", "p1")
    values.value = ("d", "c")
    _shows(stage, "options removed and moved", "c", "p2")


class Group(Component):
    label: str
    values: tuple[str, ...]

    def render(self) -> Template:
        return t"<optgroup label={self.label}>{_options(self.values)}</optgroup>"


@case
def a_select_shows_its_value_when_a_component_renders_its_options(stage: Stage) -> None:
    choice, values = Signal("y"), Signal[tuple[str, ...]](("x",))
    stage.mount(
        lambda: t"<select id=s bind:value={choice}>{Group(label='g', values=values.value)}</select>"
    )
    stage.expect(
        "no option has its value yet",
        f'<select id="s" .value=""><optgroup label="g">{_option_html(("x",))}</optgroup></select>',
    )
    values.value = ("x", "y")
    _shows(stage, "its option arrives", "y")
    stage.element("ox").selected = True
    stage.fire("s", "change")
    values.value = ("w", "x", "y")
    _shows(stage, "the user's choice stays when options change", "x")


@case
def a_select_multiple_round_trips_a_list(stage: Stage) -> None:
    chosen, values = Signal(["b", "c"]), Signal(["a", "b", "c"])
    stage.mount(
        lambda: t"<select id=s multiple bind:value={chosen}>{_options(values.value)}</select>"
    )
    stage.flush()
    stage.observe("first render", "b c", _chosen(stage))
    stage.element("oa").selected = True  # the user adds one to the choice
    stage.fire("s", "change")
    stage.observe("the user's choice is bound", "['a', 'b', 'c']", repr(chosen.value))
    chosen.value = ["c"]
    stage.flush()
    stage.observe("a list set from code", "c", _chosen(stage))
    values.value = ["d", "c", "a"]
    stage.flush()
    stage.observe("options added and removed", "c", _chosen(stage))
    chosen.value = []
    stage.flush()
    stage.observe("an empty list: none", "", _chosen(stage))


# -- errors --------------------------------------------------------------------------------------


class Broken(Component):
    fail: bool

    def render(self) -> Template:
        if self.fail:
            raise ValueError("broken")
        return t"<p>fine</p>"


@case
def a_failing_render_shows_the_fallback(stage: Stage) -> None:
    fail = Signal(False)
    stage.mount(lambda: t"<div id=d>{Broken(fail=fail.value)}</div>")
    stage.expect("fine", '<div id="d"><p>fine</p></div>')
    fail.value = True
    stage.expect(
        "the fallback",
        '<div id="d"><div class="framework-error-boundary" role="alert">'
        "Broken failed to render: ValueError</div></div>",
    )
    stage.expect_errors("reported", "ValueError")


@case
def a_failing_handler_is_reported_and_the_rest_runs(stage: Stage) -> None:
    def fail() -> None:
        raise ZeroDivisionError

    outer = stage.handler("outer")
    stage.mount(lambda: t"<div id=box onclick={outer}><button id=b onclick={fail}>b</button></div>")
    stage.fire("b", "click")
    stage.expect_errors("reported", "ZeroDivisionError")
    stage.expect_events("the outer handler still ran", "outer@box")
    stage.expect("the DOM is unchanged", '<div id="box"><button id="b">b</button></div>')


@case
def a_string_is_never_an_event_handler(stage: Stage) -> None:
    try:
        stage.mount(t"<b onclick={'x()'}>b</b>")  # not in a component: no error boundary
    except UnsafeValueError as error:
        outcome = type(error).__name__
    else:
        outcome = "mounted"
    stage.observe("refused at render", "UnsafeValueError", outcome)
    stage.mounted = None  # nothing was mounted to unmount


@case
def an_unknown_node_is_an_error(stage: Stage) -> None:
    stage.mount(lambda: t"<p id=p>x</p>")
    stage.expect_raises(
        "text of a node never made", lambda: stage.backend.apply([ops.TEXT, 10**6, "x"])
    )
    stage.expect_raises(
        "attribute of a node never made", lambda: stage.backend.apply([ops.ATTR, 10**6, "a", "b"])
    )
    stage.expect("the DOM is unchanged", '<p id="p">x</p>')


@case
def mounting_where_no_element_matches_is_an_error(stage: Stage) -> None:
    stage.expect_raises(
        "no such element", lambda: mount(t"<p>x</p>", "#nowhere", backend=stage.backend)
    )


@case
def a_failed_row_of_a_list_falls_back_to_a_list_item(stage: Stage) -> None:
    fail = Signal(False)
    stage.mount(lambda: t"<ul id=u>{[Broken(fail=fail.value)]}</ul>")
    fail.value = True
    stage.expect(
        "an <li>, which a <ul> may hold",
        '<ul id="u"><li class="framework-error-boundary" role="alert">'
        "Broken failed to render: ValueError</li></ul>",
    )
    stage.expect_errors("reported", "ValueError")


# -- scoped styles -------------------------------------------------------------------------------


class Styled(Component):
    styles = ".title { color: rgb(1, 2, 3); }"

    def render(self) -> Template:
        return t"<h2 class=title>styled</h2>{Broken(fail=False)}"


@case
def a_styled_components_elements_carry_its_scope(stage: Stage) -> None:
    stage.mount(lambda: t"<div id=d>{Styled()}</div>")
    scope = Styled._scope
    stage.expect(
        "its own <h2>, not its child's <p>",
        f'<div id="d"><h2 {scope} class="title">styled</h2><p>fine</p></div>',
    )


# -- portals -------------------------------------------------------------------------------------


@case
def a_portal_renders_in_its_target_and_bubbles_where_it_stands(stage: Stage) -> None:
    from framework import dialog  # the portal ops (PORTAL, TRAP_FOCUS, RELEASE_FOCUS)

    shown = Signal(False)
    owner, inside = stage.handler("owner"), stage.handler("inside")

    def view() -> Template:
        button = t"<button id=inside onclick={inside}>in</button>"
        modal = dialog(button, label="d", to="#layer") if shown.value else None
        return t"<div id=layer></div><section id=owner onclick={owner}>{modal}</section>"

    stage.mount(view)
    stage.expect("closed", '<div id="layer"></div><section id="owner"></section>')
    shown.value = True
    stage.expect(
        "open: in the target, not where it stands",
        '<div id="layer"><div data-framework-portal role="dialog" aria-modal="true" '
        'aria-label="d" tabindex="-1"><button id="inside">in</button></div></div>'
        '<section id="owner"></section>',
    )
    stage.fire("inside", "click")
    stage.expect_events("a click bubbles where it stands", "inside@inside", "owner@owner")
    shown.value = False
    stage.expect("closed again", '<div id="layer"></div><section id="owner"></section>')


# -- transitions ---------------------------------------------------------------------------------


@case
def transition_rows_enter_leave_and_go_with_their_list(stage: Stage) -> None:
    from framework import transition  # the transition ops (ENTER, LEAVE, FLIP, END_LEAVES)

    keys = Signal([1, 2])
    animated = Signal(True)

    def view() -> Template:
        rows = [keyed(k, t"<li id={f'k{k}'}>{k}</li>") for k in keys.value]
        return t"<ul id=list>{transition('row', rows) if animated.value else 'none'}</ul>"

    stage.mount(view)
    stage.expect("first render: nothing plays", f'<ul id="list">{_rows([1, 2])}</ul>')
    entering = '<li id="k3" class="row-enter-from row-enter-active">3</li>'
    keys.value = [1, 2, 3]  # FLIP too: nothing above the new row moved
    stage.expect("a new row enters", f'<ul id="list">{_rows([1, 2])}{entering}</ul>')
    keys.value = [2, 3]
    stage.expect(
        "a removed row stays while it leaves",
        f'<ul id="list"><li id="k1" class="row-leave-from row-leave-active">1</li>'
        f"{_rows([2])}{entering}</ul>",
    )
    animated.value = False
    stage.expect("torn down: the leaving row goes at once", '<ul id="list">none</ul>')
