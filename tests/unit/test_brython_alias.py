"""`import browser.aio` and friends resolve to framework.brython inside apps."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import pytest

from framework import aio
from framework.aio.testing import run_sync
from framework.brython import install_import_alias, uninstall_import_alias


def _installed() -> bool:
    return any(type(finder).__name__ == "BrowserAliasFinder" for finder in sys.meta_path)


@pytest.fixture(autouse=True)
def restore_alias() -> Iterator[None]:
    """Leave the import alias as other test files found it."""
    was_installed = _installed()
    yield
    uninstall_import_alias()
    if was_installed:
        install_import_alias()


@pytest.fixture
def alias() -> None:
    install_import_alias()


def test_from_browser_import_aio_and_ajax_gives_the_framework_modules(alias: None) -> None:
    from browser import aio as brython_aio  # type: ignore[import-not-found]
    from browser import ajax as brython_ajax  # type: ignore[import-not-found]

    import framework.brython.aio
    import framework.brython.ajax

    assert brython_aio is framework.brython.aio
    assert brython_ajax is framework.brython.ajax
    assert brython_aio.Future is aio.Future and brython_aio.get is aio.get
    assert brython_ajax.Ajax.__module__ == "framework.ajax"


def test_import_browser_dot_module(alias: None) -> None:
    timer = importlib.import_module("browser.timer")
    assert timer is importlib.import_module("framework.brython.timer")
    assert sys.modules["browser"] is importlib.import_module("framework.brython")


def test_a_brython_module_we_do_not_provide_says_which_exist(alias: None) -> None:
    with pytest.raises(ImportError, match=r"browser.websocket is a Brython module .* browser.aio"):
        importlib.import_module("browser.websocket")


def test_installing_twice_adds_one_finder(alias: None) -> None:
    install_import_alias()
    names = [type(f).__name__ for f in sys.meta_path]
    assert names.count("BrowserAliasFinder") == 1


def test_without_the_alias_browser_is_not_importable() -> None:
    uninstall_import_alias()
    with pytest.raises(ImportError):
        importlib.import_module("browser")


def test_timer_set_timeout_resolves_a_future_as_in_brython_docs(alias: None) -> None:
    from browser import timer  # type: ignore[import-not-found]

    async def main() -> str:
        fut = aio.Future()
        timer.set_timeout(lambda: fut.set_result("timeout!"), 2000)
        return await fut

    assert run_sync(main()) == "timeout!"


def test_timer_interval_repeats_until_cleared(alias: None) -> None:
    from browser import timer  # type: ignore[import-not-found]

    async def main() -> list[int]:
        ticks: list[int] = []
        interval = timer.set_interval(lambda: ticks.append(len(ticks)), 100)
        await aio.sleep(0.35)
        timer.clear_interval(interval)
        await aio.sleep(1)
        once = timer.set_timeout(lambda: ticks.append(99), 100)
        timer.clear_timeout(once)
        await aio.sleep(1)
        return ticks

    assert run_sync(main()) == [0, 1, 2]
