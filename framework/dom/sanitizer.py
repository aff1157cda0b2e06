"""dangerous_html() on the memory backend: the markup's tree sanitised as DOMPurify 3.4.18 sanitises
it in the browser (framework/browser/sanitize.js), so that a unit test sees what a page shows.

The rules are DOMPurify's defaults, restated here as facts (its allowlists below, read from its
source), plus our configuration, from protocol.json `raw_html`: forbidden elements, whatever
PyScript would run, and the `user-content-` prefix on every id and name. The nodes are checked in
document order, as DOMPurify checks them: an element it does not allow goes, its content moving up
in its place (unless the element is one whose content goes too); a disallowed attribute goes; an
allowed attribute whose value fails the URL rule goes (it is not neutralised).

Where the memory tree cannot tell what the browser's would be, this removes more, never less:

- html.parser is not the browser's parser. It never moves an element out of `<svg>` or `<math>`
  (the browser's does, for `<p>`, `<img>` ...), so such an element stays foreign here and goes by
  DOMPurify's namespace rules. It makes an element of every tag, where the browser's parser
  ignores some tags (keeping what they hold): here too `<html>`, `<head>` and `<body>` go, and
  so do table parts outside their table, a form inside a form and a select inside a select. After
  a `<frameset>` (which replaces the whole body, unless text came before it) nothing is kept.
- DOMPurify removes a form whose controls are named after the form properties it reads (DOM
  clobbering): here every form goes when any element of the markup has such a name.
- DOMPurify also drops an id or name that is a property of `document` or of a form (its
  SANITIZE_DOM), but it checks the value after adding the prefix, and no property starts with
  `user-content-`: so it drops none, and neither does this.

One gap remains: the browser asks PyScript's live registry which interpreter types exist, where
this knows the types PyScript registers itself (protocol.json `python_attribute_prefixes`). An
element named after a type that an app defines at run time loses its content in the browser, and
keeps it here (the element itself goes in both, being on no allowlist).

Whether a vector is inert is decided in Chromium (tests/e2e/test_raw_html.py), which also checks
this module against DOMPurify: on every vector it keeps no element or attribute that DOMPurify
does not.
"""

from __future__ import annotations

import re

from framework.dom import protocol
from framework.dom.tree import HTML, MATHML, SVG, Comment, Element, Node, Text


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- DOMPurify's default allowlists, in lower case (as it compares names) -------------------------

# Its HTML list less html, head and body, which the browser never makes inside a body.
_HTML_ELEMENTS = _names("""
    a abbr acronym address area article aside audio b bdi bdo big blink blockquote br button
    canvas caption center cite code col colgroup content data datalist dd decorator del details
    dfn dialog dir div dl dt element em fieldset figcaption figure font footer form h1 h2 h3 h4
    h5 h6 header hgroup hr i img input ins kbd label legend li main map mark marquee menu
    menuitem meter nav nobr ol optgroup option output p picture pre progress q rp rt ruby s samp
    search section select shadow slot small source spacer span strike strong style sub summary
    sup table tbody td template textarea tfoot th thead time tr track tt u ul var video wbr
""")
_SVG_ELEMENTS = _names("""
    a altglyph altglyphdef altglyphitem animatecolor animatemotion animatetransform circle
    clippath defs desc ellipse filter font g glyph glyphref hkern image line lineargradient
    marker mask metadata mpath path pattern polygon polyline radialgradient rect stop style svg
    switch symbol text textpath title tref tspan view vkern
""")
_SVG_FILTER_ELEMENTS = _names("""
    feblend fecolormatrix fecomponenttransfer fecomposite feconvolvematrix fediffuselighting
    fedisplacementmap fedistantlight fedropshadow feflood fefunca fefuncb fefuncg fefuncr
    fegaussianblur feimage femerge femergenode femorphology feoffset fepointlight
    fespecularlighting fespotlight fetile feturbulence
""")
_MATHML_ELEMENTS = _names("""
    math menclose merror mfenced mfrac mglyph mi mlabeledtr mmultiscripts mn mo mover mpadded
    mphantom mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable mtd mtext
    mtr munder munderover
""")
ELEMENTS = (
    _HTML_ELEMENTS | _SVG_ELEMENTS | _SVG_FILTER_ELEMENTS | _MATHML_ELEMENTS
) - protocol.FORBIDDEN_ELEMENTS

# The names it knows as SVG or MathML, allowed or not, for its namespace rules.
SVG_NAMES = (
    _SVG_ELEMENTS
    | _SVG_FILTER_ELEMENTS
    | _names("""
    animate color-profile cursor discard font-face font-face-format font-face-name font-face-src
    font-face-uri foreignobject hatch hatchpath mesh meshgradient meshpatch meshrow
    missing-glyph script set solidcolor unknown use
""")
)
MATHML_NAMES = _MATHML_ELEMENTS | _names("""
    annotation annotation-xml maction maligngroup malignmark mlongdiv mprescripts mscarries
    mscarry msgroup msline msrow mstack none semantics
""")
_HTML_AND_SVG_NAMES = _names("a font script style title")  # an HTML element may have these
_MATHML_TEXT_POINTS = _names("mi mo mn ms mtext")  # MathML elements that hold HTML
_HTML_POINT = "annotation-xml"  # and the one that holds HTML or SVG

# Disallowed elements whose content goes with them (the content of any other moves up).
CONTENT_DROPPED = _names("""
    annotation-xml audio colgroup desc foreignobject head iframe math mi mn mo ms mtext noembed
    noframes noscript plaintext script selectedcontent style svg template thead title video xmp
""")

ATTRIBUTES = (
    _names("""
    accept action align alt autocapitalize autocomplete autopictureinpicture autoplay background
    bgcolor border capture cellpadding cellspacing checked cite class clear color cols colspan
    command commandfor controls controlslist coords crossorigin datetime decoding default dir
    disabled disablepictureinpicture disableremoteplayback download draggable enctype
    enterkeyhint exportparts face for headers height hidden high href hreflang id inert
    inputmode integrity ismap kind label lang list loading loop low max maxlength media method
    min minlength multiple muted name nonce noshade novalidate nowrap open optimum part pattern
    placeholder playsinline popover popovertarget popovertargetaction poster preload pubdate
    radiogroup readonly rel required rev reversed role rows rowspan scope selected shape size
    sizes slot span spellcheck src srclang srcset start step style summary tabindex title
    translate type usemap valign value width wrap xmlns
""")
    | _names("""
    accent-height accumulate additive alignment-baseline amplitude ascent attributename
    attributetype azimuth basefrequency baseline-shift begin bias by class clip clip-path
    clip-rule clippathunits color color-interpolation color-interpolation-filters color-profile
    color-rendering cx cy d diffuseconstant direction display divisor dominant-baseline dur dx
    dy edgemode elevation end exponent fill fill-opacity fill-rule filter filterunits
    flood-color flood-opacity font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight fx fy g1 g2 glyph-name glyphref gradienttransform gradientunits
    height href id image-rendering in in2 intercept k k1 k2 k3 k4 kernelmatrix kernelunitlength
    kerning keypoints keysplines keytimes lang lengthadjust letter-spacing lighting-color local
    marker-end marker-mid marker-start markerheight markerunits markerwidth mask mask-type
    maskcontentunits maskunits max media method min mode name numoctaves offset opacity operator
    order orient orientation origin overflow paint-order path pathlength patterncontentunits
    patterntransform patternunits pointer-events points preservealpha preserveaspectratio
    primitiveunits r radius refx refy repeatcount repeatdur restart result rotate rx ry scale
    seed shape-rendering slope specularconstant specularexponent spreadmethod startoffset
    stddeviation stitchtiles stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width style
    surfacescale systemlanguage tabindex tablevalues targetx targety text-anchor text-decoration
    text-orientation text-rendering textlength transform transform-origin type u1 u2 unicode
    values vector-effect version vert-adv-y vert-origin-x vert-origin-y viewbox visibility width
    word-spacing wrap writing-mode x x1 x2 xchannelselector xmlns y y1 y2 ychannelselector z
    zoomandpan
""")
    | _names("""
    accent accentunder align bevelled close columnalign columnlines columnspacing columnspan
    denomalign depth dir display displaystyle encoding fence frame height href id largeop length
    linethickness lquote lspace mathbackground mathcolor mathsize mathvariant maxsize minsize
    movablelimits notation numalign open rowalign rowlines rowspacing rowspan rquote rspace
    scriptlevel scriptminsize scriptsizemultiplier selection separator separators stretchy
    subscriptshift supscriptshift symmetric voffset width xmlns
""")
    | _names("xlink:href xlink:title xml:id xml:space xmlns:xlink")
)

# Allowed attributes whose values are never checked as URLs.
NOT_URLS = _names(
    "alt class for id label name pattern placeholder role summary title value style xmlns"
)
# A data: URL passes only in these attributes of these elements.
DATA_URL_ATTRIBUTES = _names("src href xlink:href")
DATA_URL_ELEMENTS = _names("audio video img source image track")
_LABELLING = _names("label output")  # the only elements that keep a `for`

# Its patterns, as JavaScript reads them: \w and case folding are ASCII only. (A JavaScript string
# holds a character above U+FFFF as two code units in U+D800-U+DFFF, hence that range here.)
_DATA_ATTRIBUTE = re.compile("data-[-\\w.\u00b7-\U0010ffff]+", re.ASCII)
_ARIA_ATTRIBUTE = re.compile(r"aria-[-\w]+", re.ASCII)
_ALLOWED_URL = re.compile(
    r"(?:(?:f|ht)tps?|mailto|tel|callto|sms|cid|xmpp|matrix):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|\Z)",
    re.IGNORECASE | re.ASCII,
)
_IGNORED_IN_URL = re.compile("[\u0000-\u0020\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]")
_BREAKS_OUT = re.compile(
    r"(?:--!?|\])>|</(?:style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)",
    re.IGNORECASE | re.ASCII,
)
_MARKUP = re.compile(r"<[/\w!]", re.ASCII)
# What String.prototype.trim removes, which DOMPurify does to every attribute value but `value`.
_JS_SPACE = "".join(
    [
        "\t\n\v\f\r \u00a0\u1680",
        *map(chr, range(0x2000, 0x200B)),
        "\u2028\u2029\u202f\u205f\u3000\ufeff",
    ]
)
# Elements whose text the browser serialises unescaped.
_RAW_TEXT = _names("style script xmp iframe noembed noframes plaintext")

# The properties DOMPurify reads on a form: a control named after one of them hides it, so it
# removes that form whole.
_FORM_PROPERTIES = _names("""
    nodeName textContent removeChild attributes removeAttribute removeAttributeNode
    getAttributeNode setAttribute namespaceURI insertBefore hasChildNodes nodeType childNodes
""")

# The browser's parser ignores these tags inside an element of the same name (keeping the content).
_NOT_NESTED = _names("form select")
# Where the browser's parser makes a table part (or anywhere in a template); it ignores the tag
# elsewhere, keeping the content.
_TABLE_SECTIONS = frozenset({"table", "template"})
_TABLE_PARTS = {
    "caption": _TABLE_SECTIONS,
    "colgroup": _TABLE_SECTIONS,
    "col": _TABLE_SECTIONS | {"colgroup"},
    "thead": _TABLE_SECTIONS,
    "tbody": _TABLE_SECTIONS,
    "tfoot": _TABLE_SECTIONS,
    "tr": _TABLE_SECTIONS | {"thead", "tbody", "tfoot"},
    "td": frozenset({"tr", "template"}),
    "th": frozenset({"tr", "template"}),
}


def sanitize(root: Element) -> None:
    """Sanitise root's content in place, as DOMPurify sanitises markup parsed into a body."""
    if any(_is(node, "frameset") for node in root.walk()):
        _replace(root.children[:], [])
        return
    forms_clobbered = any(
        isinstance(node, Element)
        and (node.attrs.get("id") in _FORM_PROPERTIES or node.attrs.get("name") in _FORM_PROPERTIES)
        for node in root.walk()
    )
    _sanitize_children(root, forms_clobbered)


def _sanitize_children(parent: Element, forms_clobbered: bool) -> None:
    # A removed node's place is taken by the content it leaves (checked next) or by its sibling.
    index = 0
    while index < len(parent.children):
        node = parent.children[index]
        if _keeps(node, parent, forms_clobbered):
            if isinstance(node, Element):
                _sanitize_children(node, forms_clobbered)
            index += 1


def _keeps(node: Node, parent: Element, forms_clobbered: bool) -> bool:
    """Check one node; False when it was removed."""
    if isinstance(node, Comment):
        _remove(node)
        return False
    if not isinstance(node, Element):
        return True  # text
    tag = node.tag
    if (forms_clobbered and _is(node, "form")) or _runs_python(tag) or _hides_markup(node):
        _remove(node)
        return False
    if tag not in ELEMENTS or not _made_by_parser(node, parent):
        _remove(node, keep_content=tag not in CONTENT_DROPPED)
        return False
    if not _fits_namespace(node, parent) or "is" in node.attrs:
        # DOMPurify removes a customised built-in element (`is`) whole, as it drops that attribute.
        _remove(node)
        return False
    _sanitize_attributes(node)
    return True


def _runs_python(tag: str) -> bool:
    """What PyScript would run, which goes with its content: Python source is not text."""
    return (
        tag == protocol.SCRIPT_ELEMENT
        or tag.endswith(protocol.SCRIPT_ELEMENT_SUFFIX)
        or tag.startswith(protocol.PYTHON_ATTRIBUTE_PREFIXES)
    )


def _hides_markup(element: Element) -> bool:
    """Text alone, with markup in it, where the element's HTML would show that markup as tags:
    DOMPurify takes it for a parser trick (mutation XSS) and removes the element whole."""
    children = element.children
    if _is(element, "template") or any(isinstance(child, Element) for child in children):
        return False  # a template's content is not its children in the DOM
    text = "".join(child.data for child in children if isinstance(child, Text))
    if not _MARKUP.search(text):
        return False
    unescaped = element.namespace == HTML and element.tag in _RAW_TEXT
    return unescaped or any(isinstance(child, Comment) for child in children)


def _made_by_parser(element: Element, parent: Element) -> bool:
    """Whether the browser's parser makes this element here, where html.parser made it."""
    if element.namespace != HTML:
        return True
    if element.tag in _NOT_NESTED:
        return not _inside(parent, element.tag)
    contexts = _TABLE_PARTS.get(element.tag)
    return contexts is None or (parent.namespace == HTML and parent.tag in contexts)


def _inside(node: Element | None, tag: str) -> bool:
    while node is not None:
        if _is(node, tag):
            return True
        node = node.parent
    return False


def _fits_namespace(element: Element, parent: Element) -> bool:
    """DOMPurify's namespace rules: an element is where a spec-conforming parser could put it."""
    fits = {SVG: _fits_svg, MATHML: _fits_mathml}.get(element.namespace, _fits_html)
    return fits(element.tag, parent.namespace, parent.tag)


def _fits_svg(tag: str, outer: str, outer_tag: str) -> bool:
    if outer == HTML:
        return tag == "svg"
    if outer == MATHML:
        return tag == "svg" and (outer_tag == _HTML_POINT or outer_tag in _MATHML_TEXT_POINTS)
    return tag in SVG_NAMES


def _fits_mathml(tag: str, outer: str, outer_tag: str) -> bool:
    if outer == HTML:
        return tag == "math"
    if outer == SVG:
        return tag == "math" and outer_tag == _HTML_POINT
    return tag in MATHML_NAMES


def _fits_html(tag: str, outer: str, outer_tag: str) -> bool:
    if (outer == SVG and outer_tag != _HTML_POINT) or (
        outer == MATHML and outer_tag not in _MATHML_TEXT_POINTS
    ):
        return False
    return tag not in MATHML_NAMES and (tag in _HTML_AND_SVG_NAMES or tag not in SVG_NAMES)


def _sanitize_attributes(element: Element) -> None:
    # Last to first, as DOMPurify goes: an id or name it prefixes is set again, so it moves to
    # the end (in that order).
    for name in reversed(list(element.attrs)):
        written = element.attrs[name]
        value = written if name == "value" else written.strip(_JS_SPACE)
        if name in ("id", "name") and not value.startswith(protocol.NAMED_PROPERTY_PREFIX):
            del element.attrs[name]
            value = protocol.NAMED_PROPERTY_PREFIX + value
        if (
            _breaks_out(name, value)
            or name.startswith(protocol.PYTHON_ATTRIBUTE_PREFIXES)
            or not _allowed(element.tag, name, value)
        ):
            element.attrs.pop(name, None)
        elif value != written:
            element.attrs[name] = value


def _breaks_out(name: str, value: str) -> bool:
    """A value that would end a comment or a raw-text element if the markup were parsed again,
    or an SVG animation of an href."""
    return bool(_BREAKS_OUT.search(value)) or (name == "attributename" and "href" in value)


def _allowed(tag: str, name: str, value: str) -> bool:
    if name == "for" and tag not in _LABELLING:
        return False
    if _DATA_ATTRIBUTE.fullmatch(name) or _ARIA_ATTRIBUTE.fullmatch(name):
        return True  # with any value
    if name not in ATTRIBUTES:
        return False
    if name in NOT_URLS or _ALLOWED_URL.match(_IGNORED_IN_URL.sub("", value)):
        return True
    if name in DATA_URL_ATTRIBUTES and tag in DATA_URL_ELEMENTS and value.startswith("data:"):
        return True
    return value == ""


def _is(node: Node, tag: str) -> bool:
    return isinstance(node, Element) and node.namespace == HTML and node.tag == tag


def _remove(node: Node, keep_content: bool = False) -> None:
    content = node.children[:] if keep_content and isinstance(node, Element) else []
    _replace([node], content)


def _replace(nodes: list[Node], content: list[Node]) -> None:
    """Take `nodes` (siblings, in order) out of their parent, `content` in their place."""
    if not nodes or nodes[0].parent is None:
        return
    parent = nodes[0].parent
    start = parent.children.index(nodes[0])
    for node in nodes:
        node.parent = None
    for node in content:
        if node.parent is not None:
            node.parent.children.remove(node)
        node.parent = parent
    parent.children[start : start + len(nodes)] = content
