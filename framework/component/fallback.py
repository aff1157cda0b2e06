"""The default fallback of a failed component: a message in an element that is valid where the
component stands, decided from the tag of the element around it.

In a <ul> a <div> is invalid HTML (and a browser's parser would move it), so a failed row of a
list shows an <li>; a failed row of a table a <tr> with a cell, a failed cell a <td>; in
phrasing content (a <p>, a <button>, a link) a <span>. In a <select> it shows nothing: an
<option> would be a choice the user could pick. A component's own fallback() is used as written.
"""

from __future__ import annotations

from collections.abc import Callable
from string.templatelib import Template


def _div(text: str) -> Template:
    return t'<div class="framework-error-boundary" role="alert">{text}</div>'


def _span(text: str) -> Template:
    return t'<span class="framework-error-boundary" role="alert">{text}</span>'


def _li(text: str) -> Template:
    return t'<li class="framework-error-boundary" role="alert">{text}</li>'


def _row(text: str) -> Template:
    return t'<tr class="framework-error-boundary" role="alert"><td>{text}</td></tr>'


def _cell(text: str) -> Template:
    return t'<td class="framework-error-boundary" role="alert">{text}</td>'


def _dd(text: str) -> Template:
    return t'<dd class="framework-error-boundary" role="alert">{text}</dd>'


def _nothing(text: str) -> Template | None:
    return None


# Elements whose content is phrasing content only: a <div> there is invalid, a <span> is not.
PHRASING_PARENTS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "a", "em", "strong", "small", "s",
    "cite", "q", "dfn", "abbr", "data", "time", "code", "var", "samp", "kbd", "sub", "sup", "i",
    "b", "u", "mark", "bdi", "bdo", "label", "button", "legend", "summary", "output",
})  # fmt: skip

Fallback = Callable[[str], Template | None]
_BY_PARENT: dict[str, Fallback] = dict.fromkeys(PHRASING_PARENTS, _span) | {
    "ul": _li, "ol": _li, "menu": _li,
    "table": _row, "thead": _row, "tbody": _row, "tfoot": _row,
    "tr": _cell,
    "dl": _dd,
    "select": _nothing, "optgroup": _nothing, "datalist": _nothing, "option": _nothing,
    "colgroup": _nothing,
}  # fmt: skip


def default_fallback(name: str, error: Exception, parent_tag: str) -> Template | None:
    """The message that `name` failed, in the element that fits inside `parent_tag`."""
    text = f"{name} failed to render: {type(error).__name__}"
    return _BY_PARENT.get(parent_tag, _div)(text)
