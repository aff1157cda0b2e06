"""The sync core is shared: the host's server runs it on CPython 3.11 (no t-strings, no PEP 695
generics), so every module of framework/sync imports here and a small round trip works."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import framework

SYNC = Path(framework.__file__).parent / "sync"
MODULES = sorted(
    f"framework.sync.{path.stem}" for path in SYNC.glob("*.py") if path.stem != "__init__"
)


def test_this_is_the_hosts_python():
    assert sys.version_info[:2] >= (3, 11)


@pytest.mark.parametrize("module", ["framework.sync", *MODULES])
def test_each_sync_module_imports_on_the_host(module: str) -> None:
    importlib.import_module(module)


def test_a_client_and_the_server_agree_on_the_host() -> None:
    from framework.sync import LIST, Authority, Replica, encode, parse_client

    server = Authority("todos", LIST, [])
    client = Replica("todos", LIST, [], client="c1", version=0)
    client.connect()
    (push,) = client.edit([{"id": "1", "title": "milk"}])
    result = server.push("c1", parse_client(encode(push)).mutations)
    assert result.changes is not None
    for message in [result.changes, result.ack]:
        client.receive(message)
    assert client.value == server.value == [{"id": "1", "title": "milk"}]
    assert client.pending_count == 0
