"""The page's Content-Security-Policy: a fresh nonce per response, carried by every script tag."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from framework.cli.server import create_app


def fetch_page(client: TestClient) -> tuple[str, str]:
    response = client.get("/")
    return response.headers["content-security-policy"], response.text


def test_every_script_carries_the_nonce_of_its_response(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    with TestClient(create_app(None, cwd=tmp_path, live_reload=False)) as client:
        first_policy, first_page = fetch_page(client)
        second_policy, _ = fetch_page(client)
    nonce = re.search(r"'nonce-([^']+)'", first_policy)
    assert nonce is not None
    assert len(nonce.group(1)) >= 22  # at least 128 bits
    assert nonce.group(1) not in second_policy  # fresh for each response
    scripts = re.findall(r"<script\b[^>]*>", first_page)
    assert scripts
    for tag in scripts:
        if 'type="application/json"' in tag:  # data, never run
            continue
        assert f'nonce="{nonce.group(1)}"' in tag, tag


def test_policy_blocks_inline_script_plugins_and_base(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    with TestClient(create_app(None, cwd=tmp_path, live_reload=False)) as client:
        policy, _ = fetch_page(client)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'strict-dynamic'" in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_policy_enforces_trusted_types_with_the_framework_policies_only(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    with TestClient(create_app(None, cwd=tmp_path, live_reload=False)) as client:
        policy, _ = fetch_page(client)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["require-trusted-types-for"] == "'script'"
    # no 'allow-duplicates': once the page's scripts have made these, no one else can
    assert directives["trusted-types"].split() == [
        "framework",
        "framework-template",
        "framework-view",
        "default",
    ]
