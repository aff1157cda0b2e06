"""The router guide's page-props example and its error messages, run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from framework import Component, MemoryLocation, PropError, Router
from framework.component import set_default_backend
from framework.dom.memory import MemoryDom
from framework.router import Match, page

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "router.md"
TEXT = GUIDE.read_text(encoding="utf-8")
(ROUTE_TABLE, *_) = re.findall(r"```python\n(.*?)```", TEXT, re.S)
(MESSAGES,) = re.findall(r"```text\n(PropError.*?)```", TEXT, re.S)


@pytest.fixture
def guide() -> tuple[dict[str, Any], MemoryDom]:
    """The route table example, run against the in-memory DOM: its names and the DOM."""
    dom = MemoryDom()
    set_default_backend(lambda: dom)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(ROUTE_TABLE, str(GUIDE), "exec"), namespace)
    return namespace, dom


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/about", ["About us", "Page 1"]),
        ("/articles/intro?page=2", ["Getting started", "Page 2"]),
        ("/articles/api", ["The API", "Page 1"]),
        ("/articles/faq", ["Not written yet", "Page 1"]),
    ],
)
def test_the_guides_pages_get_their_props(
    guide: tuple[dict[str, Any], MemoryDom], path: str, shown: list[str]
) -> None:
    namespace, dom = guide
    namespace["router"].navigate(path)
    namespace["app"].flush()
    main = dom.container("#app").find("main")[0]
    assert [main.find("h1")[0].text_content, main.find("p")[0].text_content] == shown


class Article(Component):
    title: str
    page: int = 1

    def render(self):
        return t"<h1>{self.title}</h1>"


class TodoPage(Component):
    id: int

    def render(self):
        return t"<h1>{self.id}</h1>"


def article_props(match: Match) -> dict[str, Any]:
    return {"page": 2}


def make_mistake(kind: str) -> None:
    """Each mistake the guide shows the message of."""
    if kind == "fixed":
        Router({"/about": page(Article, props={"title": 3})}, location=MemoryLocation("/"))
    elif kind == "function":
        routes = {"/articles/{slug}": page(Article, props=article_props)}
        Router(routes, location=MemoryLocation("/articles/a")).view()
    else:
        Router({"/todos/{slug}": TodoPage}, location=MemoryLocation("/"))


def without_places(message: str) -> str:
    """A message with its `file:line` places blanked: the guide's are examples."""
    return re.sub(r"\S+\.py:\d+", "FILE:LINE", message)


@pytest.mark.parametrize(("kind", "line"), [("fixed", 0), ("function", 1), ("parameter", 2)])
def test_the_guides_error_messages_are_the_real_ones(kind: str, line: int) -> None:
    with pytest.raises(PropError) as raised:
        make_mistake(kind)
    shown = MESSAGES.splitlines()[line].removeprefix("PropError: ")
    assert without_places(str(raised.value)) == without_places(shown)
