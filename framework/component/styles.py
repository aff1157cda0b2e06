"""A component class's scoped styles: its `styles` string, rewritten once, when the class is
defined, to match only the elements its own templates create.

The scope attribute is `data-s-` and a hash of the class's module, name and CSS, so it is the
same on every load (a prerendered page and the app agree) and two classes never share one
unless they have the same name and the same styles.
"""

from __future__ import annotations

import zlib

from framework.template.scoped_css import CSSScopeError, scope_css

SCOPE_PREFIX = "data-s-"


def scope_styles(cls: type) -> tuple[str | None, str]:
    """The class's scope attribute and its scoped CSS; (None, "") for a class without styles."""
    css = getattr(cls, "styles", "")
    if not isinstance(css, str):
        raise TypeError(
            f"{cls.__name__}.styles must be a str of CSS, got {type(css).__name__}: "
            'styles = """.title { color: teal; }"""'
        )
    if not css.strip():
        return None, ""
    name = f"{cls.__module__}.{cls.__qualname__}"
    scope = f"{SCOPE_PREFIX}{zlib.crc32(f'{name}\n{css}'.encode()):08x}"
    try:
        return scope, scope_css(css, scope)
    except CSSScopeError as error:
        error.add_note(f"in the styles of {name}")
        raise
