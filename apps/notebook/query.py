"""What the user typed in the search box, made safe for SQLite: an FTS5 query or LIKE patterns.

FTS5 has a query language of its own (`OR`, `NOT`, `-`, `*`, `^`, `"`, `NEAR(...)`, `col:`),
and a search box must not make the user learn it, nor fail with a syntax error when they type
`don't` or `C++`. So each whitespace-separated word becomes one quoted FTS5 string (a `"`
inside doubled), which FTS5 reads as plain text, never as an operator, matched as a prefix:
`"OR"*` finds the word "or", `"x-ray"*` the phrase "x ray". A word with no letter or digit
(`-`, `*`, `"`) has nothing FTS5 could match, and would make the whole search match nothing, so
it is left out. All words must match (FTS5's implicit AND), as with LIKE.

Pure functions, no SQLite here: notes.py runs the queries.
"""

LIKE_ESCAPE = "\\"  # the ESCAPE character of every LIKE pattern made here


def search_words(text: str) -> list[str]:
    """The words of the search text that can match something: split at whitespace, keeping
    those with at least one letter or digit."""
    return [word for word in text.split() if any(char.isalnum() for char in word)]


def fts5_query(text: str) -> str | None:
    """The FTS5 MATCH expression for the search text, or None when it has no word to search
    for (every note matches)."""
    words = search_words(text)
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def like_pattern(word: str) -> str:
    """A LIKE pattern that finds `word` anywhere, its `%`, `_` and escape character literal
    (use with `ESCAPE '\\'`)."""
    escaped = "".join(LIKE_ESCAPE + char if char in "%_\\" else char for char in word)
    return f"%{escaped}%"
