"""The unit kit's listings on tests/testkit_parity.py's page: the same as the end-to-end kit's
in Chromium (tests/e2e/test_testkit_playwright.py checks those), so that the two kits' rules
(framework/testkit/ and its JavaScript port, framework/cli/e2e/engine.py) stay one."""

from __future__ import annotations

from string.templatelib import Template
from typing import Any

import pytest

from framework import MemoryDom, mount
from framework.testing import ElementNotFound, Screen
from tests.testkit_parity import LISTINGS, PAGE


@pytest.mark.parametrize(
    ("kind", "arguments", "title", "listing"), LISTINGS, ids=[case[0] for case in LISTINGS]
)
def test_a_query_that_finds_nothing_lists_the_page(
    kind: str, arguments: dict[str, Any], title: str, listing: list[str]
) -> None:
    dom = MemoryDom()
    mount(Template(PAGE), "#app", backend=dom)
    with pytest.raises(ElementNotFound) as failure:
        getattr(Screen(dom), f"get_by_{kind}")(**arguments)
    lines = str(failure.value).splitlines()
    assert lines[1] == f"{title}:"
    assert [line.removeprefix("  ") for line in lines[2:]] == listing, "\n".join(lines)
