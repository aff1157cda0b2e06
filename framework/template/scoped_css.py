"""Scoped CSS: a component's stylesheet rewritten so that each rule matches only its own elements.

Every element a component's templates create carries the attribute `data-s-<hash>` (scoping.py);
`scope_css()` adds `[data-s-<hash>]` to the subject of every selector (its last compound, before
any pseudo-element), so `.title` becomes `.title[data-s-1a2b3c4d]`. Ancestors are left as they
are (`.dark .title` still follows a `.dark` on the body). `:global(...)` unwraps its selector
unscoped; in the subject it hands the scope to the compound before it (`.card :global(.x)`
styles `.x` inside this component's `.card`). Grouping at-rules (@media, @supports, @container,
@layer, @scope) are rewritten inside; the others (@keyframes, @font-face, @import) are kept.

A small scanner, not a CSS parser: it knows strings, escapes, comments and bracket depth, which
is all selector rewriting needs. A rule's declarations are copied as written (nested rules in
them are not rewritten).
"""

from __future__ import annotations

GROUPING_AT_RULES = frozenset({"media", "supports", "container", "layer", "scope", "document"})
# Pseudo-elements CSS2 wrote with one colon: the scope goes before them too.
_LEGACY_PSEUDO_ELEMENTS = (":before", ":after", ":first-line", ":first-letter")
_COMBINATORS = frozenset(">+~")
_GLOBAL = ":global("


class CSSScopeError(ValueError):
    """A component's styles could not be scoped (an unclosed block, string or bracket)."""


def scope_css(css: str, attribute: str) -> str:
    """css with every selector's subject also requiring `[attribute]`."""
    return _rules(_strip_comments(css), f"[{attribute}]")


def scope_selector_list(selectors: str, attribute: str) -> str:
    """One selector list (`h1, .a > .b:hover`) scoped, for tests and tools."""
    return _selector_list(selectors, f"[{attribute}]")


def _rules(css: str, mark: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(css):
        end = _scan_to(css, i, "{;")
        prelude = css[i:end].strip()
        if end == len(css):
            if prelude:
                raise CSSScopeError(f"styles end inside a rule: {prelude[:40]!r}")
            break
        if css[end] == ";":  # an at-statement (@import, @charset, @layer a, b;)
            out.append(f"{prelude};")
            i = end + 1
            continue
        close = _matching_brace(css, end)
        body = css[end + 1 : close]
        if prelude.startswith("@"):
            name = prelude[1:].split(None, 1)[0].split("(", 1)[0].lower()
            inner = _rules(body, mark) if name in GROUPING_AT_RULES else body
            out.append(f"{prelude} {{{inner}}}")
        else:
            out.append(f"{_selector_list(prelude, mark)} {{{body}}}")
        i = close + 1
    return "\n".join(out)


def _selector_list(selectors: str, mark: str) -> str:
    return ", ".join(_selector(part.strip(), mark) for part in _split(selectors, ","))


def _selector(selector: str, mark: str) -> str:
    """Add mark to the last compound that is not :global(...), then unwrap every :global."""
    if not selector:
        raise CSSScopeError("an empty selector in a selector list")
    pieces = _compounds(selector)  # compounds, with combinators (and spaces) between them
    compounds = [index for index, piece in enumerate(pieces) if not _is_combinator(piece)]
    for index in reversed(compounds):
        if not pieces[index].startswith(_GLOBAL):
            pieces[index] = _mark_compound(pieces[index], mark)
            break
    return "".join(_unwrap_global(piece) for piece in pieces)


def _is_combinator(piece: str) -> bool:
    return not piece.strip() or piece.strip() in _COMBINATORS


def _compounds(selector: str) -> list[str]:
    """Split a complex selector into compounds and the combinators between them."""
    pieces: list[str] = []
    start = i = 0
    while i < len(selector):
        char = selector[i]
        if char.isspace() or char in _COMBINATORS:
            j = i
            while j < len(selector) and (selector[j].isspace() or selector[j] in _COMBINATORS):
                j += 1
            combinator = selector[i:j].strip()
            pieces += [selector[start:i], f" {combinator} " if combinator else " "]
            start = i = j
            continue
        i = _skip(selector, i)
    pieces.append(selector[start:])
    return [piece for piece in pieces if piece]


def _mark_compound(compound: str, mark: str) -> str:
    """Insert mark before the compound's pseudo-element, if any, else at its end."""
    i = 0
    while i < len(compound):
        if compound.startswith("::", i) or compound.lower().startswith(_LEGACY_PSEUDO_ELEMENTS, i):
            return compound[:i] + mark + compound[i:]
        i = _skip(compound, i)
    return compound + mark


def _unwrap_global(piece: str) -> str:
    while (start := piece.find(_GLOBAL)) >= 0:
        open_at = start + len(_GLOBAL) - 1
        close = _skip(piece, open_at) - 1
        piece = piece[:start] + piece[open_at + 1 : close] + piece[close + 1 :]
    return piece


def _split(text: str, separator: str) -> list[str]:
    """text split at separator where it is not inside brackets or strings."""
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        if text[i] == separator:
            parts.append(text[start:i])
            start = i + 1
            i += 1
        else:
            i = _skip(text, i)
    parts.append(text[start:])
    return parts


def _skip(text: str, i: int) -> int:
    """The index after the token at i: a whole string, escape, or (...) / [...] group."""
    char = text[i]
    if char == "\\":
        return i + 2
    if char in "\"'":
        end = i + 1
        while end < len(text) and text[end] != char:
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            raise CSSScopeError(f"an unclosed string in {text.strip()[:60]!r}")
        return end + 1
    if char in "([":
        closer = ")" if char == "(" else "]"
        j = i + 1
        while j < len(text) and text[j] != closer:
            j = _skip(text, j)
        if j >= len(text):
            raise CSSScopeError(f"an unclosed {char!r} in {text.strip()[:60]!r}")
        return j + 1
    return i + 1


def _scan_to(text: str, i: int, stops: str) -> int:
    """The index of the first of stops at or after i, outside brackets and strings."""
    while i < len(text) and text[i] not in stops:
        i = _skip(text, i)
    return i


def _matching_brace(text: str, open_at: int) -> int:
    depth = 0
    i = open_at
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        if char in "\"'\\":
            i = _skip(text, i)
        else:
            i += 1
    raise CSSScopeError(f"a block is never closed: {text[:open_at].strip()[-40:]!r}")


def _strip_comments(css: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(css):
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            if end < 0:
                raise CSSScopeError("a comment is never closed")
            i = end + 2
        elif css[i] in "\"'\\":
            j = _skip(css, i)
            out.append(css[i:j])
            i = j
        else:
            out.append(css[i])
            i += 1
    return "".join(out)
