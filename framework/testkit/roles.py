"""The ARIA role and the accessible name of an element of the in-memory DOM.

What a user (and a screen reader) knows an element by: a test that looks for "the button named
Save" keeps passing when the markup around it changes, and fails when a user could no longer
find it. A subset of WAI-ARIA's implicit roles (HTML-AAM) and of the accessible name
computation (accname): the elements and attributes apps write, not every corner of the specs.
"""

from __future__ import annotations

import re

from framework.dom.tree import Element, Node, Text

_WHITESPACE = re.compile(r"\s+")
_TEXT_INPUTS = frozenset({"text", "email", "tel", "url", "password"})
_BUTTON_INPUTS = frozenset({"button", "submit", "reset", "image"})
_FORM_FIELDS = frozenset({"input", "select", "textarea", "meter", "progress", "output"})
_INPUT_ROLES = {
    "checkbox": "checkbox",
    "radio": "radio",
    "number": "spinbutton",
    "range": "slider",
    "search": "searchbox",
}
_TAG_ROLES = {
    "a": "link",
    "area": "link",
    "img": "img",
    **{f"h{level}": "heading" for level in range(1, 7)},
    "button": "button",
    "textarea": "textbox",
    "option": "option",
    "ul": "list",
    "ol": "list",
    "menu": "list",
    "li": "listitem",
    "form": "form",
    "nav": "navigation",
    "main": "main",
    "dialog": "dialog",
    "header": "banner",
    "footer": "contentinfo",
    "aside": "complementary",
    "article": "article",
    "table": "table",
    "tr": "row",
    "td": "cell",
    "th": "columnheader",
    "p": "paragraph",
    "progress": "progressbar",
    "meter": "meter",
    "hr": "separator",
    "fieldset": "group",
    "output": "status",
}
# Roles whose name comes from their content when no label gives one (accname's "name from
# content"): a button's name is its text, a list's is not.
_NAME_FROM_CONTENT = frozenset(
    {
        "button",
        "link",
        "heading",
        "cell",
        "columnheader",
        "option",
        "listitem",
        "checkbox",
        "radio",
        "tab",
        "menuitem",
        "row",
        "tooltip",
    }
)
_NOT_RENDERED = frozenset({"script", "style", "template", "head"})


def normalize(text: str) -> str:
    """Text as a user reads it: runs of whitespace are one space, none at either end."""
    return _WHITESPACE.sub(" ", text).strip()


def role_of(element: Element) -> str | None:
    """The explicit `role=` (its first token), else the element's implicit role, else None."""
    explicit = element.attrs.get("role", "").split()
    if explicit:
        return explicit[0]
    return implicit_role(element)


def implicit_role(element: Element) -> str | None:
    tag = element.tag
    if tag == "input":
        return _input_role(element)
    if tag == "select":
        multiple = element.multiple or element.attrs.get("size", "1") not in ("", "0", "1")
        return "listbox" if multiple else "combobox"
    if tag in ("a", "area") and "href" not in element.attrs:
        return None  # a placeholder link, not a link
    if tag == "img" and element.attrs.get("alt") == "":
        return "presentation"  # alt="" says: decoration
    return _TAG_ROLES.get(tag)


def _input_role(element: Element) -> str | None:
    kind = element.type
    if kind in _BUTTON_INPUTS:
        return "button"
    if kind in _TEXT_INPUTS:
        return "combobox" if "list" in element.attrs else "textbox"
    return _INPUT_ROLES.get(kind)


def heading_level(element: Element) -> int | None:
    """`aria-level`, else the number of an h1-h6; None for an element that is not a heading."""
    level = element.attrs.get("aria-level", "")
    if level.isdigit():
        return int(level)
    if re.fullmatch(r"h[1-6]", element.tag):
        return int(element.tag[1])
    return None


def is_hidden(element: Element) -> bool:
    """Hidden from users: it or an ancestor has `hidden`, `aria-hidden="true"` or
    `display: none`, or is not rendered at all (a template's content)."""
    node: Element | None = element
    while node is not None:
        if (
            "hidden" in node.attrs
            or node.attrs.get("aria-hidden") == "true"
            or node.style.get("display") == "none"
            or node.tag in _NOT_RENDERED
        ):
            return True
        node = node.parent
    return False


def accessible_name(element: Element, root: Element) -> str:
    """The name a screen reader announces (`root` resolves aria-labelledby's ids): the first
    of aria-labelledby, aria-label, the native name (a field's labels, a button input's value,
    an image's alt), the content for the roles named by it, then title or placeholder."""
    return (
        _labelled_by(element, root)
        or normalize(element.attrs.get("aria-label", ""))
        or _native_name(element, root)
        or (normalize(_content_text(element)) if role_of(element) in _NAME_FROM_CONTENT else "")
        or normalize(element.attrs.get("title", "") or element.attrs.get("placeholder", ""))
    )


def _labelled_by(element: Element, root: Element) -> str:
    found = [_by_id(root, name) for name in element.attrs.get("aria-labelledby", "").split()]
    return normalize(" ".join(_content_text(part) for part in found if part is not None))


def _native_name(element: Element, root: Element) -> str:
    if element.tag in _FORM_FIELDS:
        labels = [_content_text(label, element) for label in labels_of(element, root)]
        if normalize(" ".join(labels)):
            return normalize(" ".join(labels))
    if element.tag == "input" and element.type in _BUTTON_INPUTS:
        default = {"submit": "Submit", "reset": "Reset"}.get(element.type, "")
        return normalize(element.attrs.get("value", default) or element.attrs.get("alt", ""))
    if element.tag == "img":
        return normalize(element.attrs.get("alt", ""))
    return ""


def labels_of(element: Element, root: Element) -> list[Element]:
    """The <label>s of a form field: those naming its id with `for`, and the one holding it."""
    found: list[Element] = []
    field_id = element.attrs.get("id")
    if field_id:
        found = root.select(lambda n: n.tag == "label" and n.attrs.get("for") == field_id)
    node = element.parent
    while node is not None:
        if node.tag == "label" and node not in found and "for" not in node.attrs:
            found.append(node)
        node = node.parent
    return found


def labelled_control(label: Element, root: Element) -> Element | None:
    """The form field a <label> names: the one its `for` gives, else the first it holds."""
    target = label.attrs.get("for")
    if target is not None:
        return _by_id(root, target)
    inside = label.select(lambda n: n.tag in _FORM_FIELDS or n.tag == "button")
    return inside[0] if inside else None


def _by_id(root: Element, element_id: str) -> Element | None:
    found = root.select(lambda n: n.attrs.get("id") == element_id)
    return found[0] if found else None


def _content_text(node: Node, skip: Element | None = None) -> str:
    """The text a user sees in a subtree: its texts and its images' alt texts."""
    if isinstance(node, Text):
        return node.data
    if not isinstance(node, Element) or node is skip or node.tag in _NOT_RENDERED:
        return ""
    if node.tag == "img":
        return " " + node.attrs.get("alt", "") + " "
    return "".join(_content_text(child, skip) for child in node.children)
