"""A new build waiting: `update_available` and `apply_update()`, with a fake page bridge, and
the offline guide's notice run as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework import apply_update, effect, flush, update_available
from framework.component import set_default_backend
from framework.dom.memory import MemoryDom
from framework.testing import settle
from framework.updates import set_update_bridge, update_found

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "offline.md"
(NOTICE,) = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)[:1]


class FakePage:
    """The page's worker registration: counts the times it was told to apply."""

    def __init__(self) -> None:
        self.applied = 0

    def apply(self) -> None:
        self.applied += 1


@pytest.fixture
def page() -> Iterator[FakePage]:
    fake = FakePage()
    set_update_bridge(fake)
    yield fake
    set_update_bridge(None)


def test_nothing_waits_until_the_page_finds_a_new_version(page: FakePage) -> None:
    assert update_available.value is False
    update_found()
    assert update_available.value is True


def test_a_reader_reruns_when_a_new_version_is_found(page: FakePage) -> None:
    seen: list[bool] = []
    reader = effect(lambda: seen.append(update_available.value))
    update_found()
    flush()
    update_found()  # found again (another check): no second notice
    flush()
    reader.dispose()
    assert seen == [False, True]


def test_apply_update_tells_the_page_to_switch_once_per_call(page: FakePage) -> None:
    update_found()
    apply_update()
    assert page.applied == 1


@pytest.mark.parametrize("bridge", [True, False], ids=["nothing waiting", "no worker"])
def test_apply_update_without_a_waiting_version_says_when_to_call_it(
    page: FakePage, bridge: bool
) -> None:
    if not bridge:
        set_update_bridge(None)
        update_found()  # found, but no page can apply it (a test without a bridge)
    with pytest.raises(RuntimeError, match=r"no new version .*`update_available\.value` is true"):
        apply_update()
    assert page.applied == 0


def test_the_app_cannot_set_update_available(page: FakePage) -> None:
    with pytest.raises(AttributeError):
        update_available.value = True  # type: ignore[misc]
    assert update_available.value is False


def test_removing_the_bridge_forgets_a_waiting_version(page: FakePage) -> None:
    update_found()
    set_update_bridge(None)
    assert update_available.value is False


def test_the_guides_notice_appears_and_its_button_applies_the_update(page: FakePage) -> None:
    dom = MemoryDom()
    set_default_backend(lambda: dom)
    exec(compile(NOTICE, str(GUIDE), "exec"), {"__name__": "__main__"})
    app = dom.container("#app")
    assert app.find("button") == []
    update_found()
    settle(dom)
    (button,) = app.find("button")
    assert " ".join(app.text_content.split()) == "A new version is available - reload"
    dom.dispatch(button, "click")
    assert page.applied == 1
