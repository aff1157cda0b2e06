"""Live reload: saving a file of the app updates the open page, with no reload by the user."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from framework.cli import assets, bytecode
from tests.e2e.conftest import BOOT_TIMEOUT_MS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

MAIN = """\
from pyscript import document

document.querySelector("#app").textContent = {text!r}
"""


def write_app(folder: Path, source: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "main.py").write_text(source)
    return folder


def test_editing_main_updates_the_page(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = write_app(tmp_path / "live", MAIN.format(text="first version"))
    app_page.open(served_app(app, reload=True).url)
    assert app_page.text("#app") == "first version"

    (app / "main.py").write_text(MAIN.format(text="second version"))

    expect(app_page.page.locator("#app")).to_have_text("second version", timeout=BOOT_TIMEOUT_MS)
    app_page.wait_settled()
    assert app_page.ready


def test_fixing_a_broken_app_recovers_the_page(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = write_app(tmp_path / "live", "raise RuntimeError('not written yet')\n")
    app_page.open(served_app(app, reload=True).url)
    assert app_page.error is not None

    (app / "main.py").write_text(MAIN.format(text="fixed"))

    expect(app_page.page.locator("#app")).to_have_text("fixed", timeout=BOOT_TIMEOUT_MS)
    app_page.wait_settled()
    assert app_page.ready
    assert app_page.error is None
    assert app_page.page.locator("#framework-error").count() == 0


SERVER = """\
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def answer(request):
    return JSONResponse({{"version": {version}}})


api = Starlette(routes=[Route("/answer", answer)])
"""
ASK_THE_API = "() => fetch('./api/answer').then((response) => response.json())"
API_RELOAD_WITHIN_S = 2.0


def test_editing_server_py_changes_the_api_and_keeps_the_page(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = write_app(tmp_path / "live", MAIN.format(text="page with an api"))
    (app / "server.py").write_text(SERVER.format(version=1))
    app_page.open(served_app(app, reload=True).url)
    page = app_page.page
    page.evaluate("() => { window.marker = 'kept'; }")  # gone if the page reloads
    assert page.evaluate(ASK_THE_API) == {"version": 1}

    (app / "server.py").write_text(SERVER.format(version=2))
    edited = time.monotonic()
    while page.evaluate(ASK_THE_API) != {"version": 2}:
        assert time.monotonic() - edited < API_RELOAD_WITHIN_S, "the API kept its old code"
        page.wait_for_timeout(20)
    assert page.evaluate("() => window.marker") == "kept"

    (app / "server.py").write_text(SERVER.format(version=3) + "def broken(:\n")
    overlay = page.locator("#framework-error")
    expect(overlay).to_contain_text("server.py could not be loaded", timeout=10_000)
    expect(overlay).to_contain_text("SyntaxError")
    expect(overlay).to_contain_text("The previous API keeps running.")
    assert page.evaluate(ASK_THE_API) == {"version": 2}
    assert app_page.error is None  # reported, not a failed page

    (app / "server.py").write_text(SERVER.format(version=4))
    reported = overlay.filter(has_text="server.py could not be loaded")
    expect(reported).to_have_count(0, timeout=10_000)  # fixed: the report goes
    assert page.evaluate(ASK_THE_API) == {"version": 4}
    assert page.evaluate("() => window.marker") == "kept"
    assert app_page.text("#app") == "page with an api"


NEW_IMPORT_WHEELS = ("annotated_types", "typing_extensions")  # what `import annotated_types` needs

# Every text the loader's packages line shows, in every document of the page, however briefly:
# the page may load twice for one save (an editor that truncates, then writes), and a message
# shown between two polls of `expect` must still count.
RECORD_PACKAGES_LINE = """
addEventListener("DOMContentLoaded", () => {
  const line = document.querySelector('#framework-loading [data-stage="packages"]');
  if (!line) return;
  const record = () => globalThis.recordPackagesLine(line.textContent);
  record();
  new MutationObserver(record).observe(line, { childList: true, characterData: true, subtree: true });
});
"""


def test_a_new_import_is_compiled_at_once_and_the_loader_names_it(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    # The runtime, the wheels and what the suite compiled already, but for the wheels of the new
    # import (the smallest pinned package: what is tested is the path of a new import, not how
    # long pydantic takes to compile, half a minute on two busy cores).
    cache = tmp_path / "cache"
    (cache / "compiled").mkdir(parents=True)
    for folder in ("npm", "wheels"):
        (cache / folder).symlink_to(assets.cache_dir() / folder)
    for path in bytecode.compiled_dir().glob("*"):
        if not any(name in path.name for name in NEW_IMPORT_WHEELS):
            (cache / "compiled" / path.name).symlink_to(path)
    app = write_app(tmp_path / "live", MAIN.format(text="no packages"))
    # No snapshot: making one for the new import is not what this test is about (seconds).
    env = {"FRAMEWORK_CACHE": str(cache), "FRAMEWORK_NO_SNAPSHOT": "1"}
    server = served_app(app, reload=True, env=env)
    shown: list[str] = []

    def record(text: str) -> None:  # Playwright wants a Python function, not list.append
        shown.append(text)

    app_page.page.expose_function("recordPackagesLine", record)
    app_page.page.add_init_script(RECORD_PACKAGES_LINE)
    app_page.open(server.url)

    with app_page.page.expect_navigation(timeout=BOOT_TIMEOUT_MS):
        (app / "main.py").write_text("import annotated_types\n" + MAIN.format(text="imported"))
    expect(app_page.page.locator("#app")).to_have_text("imported", timeout=BOOT_TIMEOUT_MS)
    named = re.compile(r"compiling .*\bannotated-types\b")
    assert any(named.search(text) for text in shown), (
        f"the loader never named the package it compiled; it showed {shown}\n"
        f"console: {app_page.console}\nserver:\n{server.output()}"
    )
    assert "compiling to bytecode, once: annotated_types" in server.output()
    app_page.wait_settled()  # main.py wrote the text; the page is marked ready once it returns
    assert app_page.ready
