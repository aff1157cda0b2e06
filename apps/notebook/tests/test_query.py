"""The search box's text made safe for FTS5 and for LIKE."""

import pytest
from query import fts5_query, like_pattern, search_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", []),
        ("   \t\n", []),
        ("milk  bread", ["milk", "bread"]),
        ('- * " ( ) ^', []),  # no letter or digit: nothing FTS5 could match
        ("-milk C++ don't", ["-milk", "C++", "don't"]),
        ("café 東京 ²", ["café", "東京", "²"]),
    ],
)
def test_search_words_keep_words_with_a_letter_or_digit(text: str, words: list[str]) -> None:
    assert search_words(text) == words


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", None),
        ("- *", None),
        ("milk", '"milk"*'),
        ("milk OR bread", '"milk"* "OR"* "bread"*'),  # OR is a word, not the operator
        ('say "hi"', '"say"* """hi"""*'),  # quotes doubled inside the string
        ("NEAR(a b) col:x ^start", '"NEAR(a"* "b)"* "col:x"* "^start"*'),
    ],
)
def test_fts5_query_quotes_each_word_as_a_prefix(text: str, query: str | None) -> None:
    assert fts5_query(text) == query


@pytest.mark.parametrize(
    ("word", "pattern"),
    [
        ("milk", "%milk%"),
        ("100%", "%100\\%%"),
        ("a_b", "%a\\_b%"),
        ("back\\slash", "%back\\\\slash%"),
    ],
)
def test_like_pattern_makes_wildcards_literal(word: str, pattern: str) -> None:
    assert like_pattern(word) == pattern
