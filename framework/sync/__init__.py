"""Synced stores: the core shared by the browser client and the host's server.

Pure Python (no network, no browser, no storage) that runs on the host's CPython 3.11 and in the
page's Pyodide, so both sides apply changes with the same code:

* `deltas`: the ops that change a store's JSON value, `diff`, `apply` and the conflict rule;
* `messages`: the protocol's JSON messages, parsed strictly, with limits;
* `authority`: the server's copy of a store (order, versions, log, idempotent pushes);
* `replica`: a client's copy (confirmed value, pending mutations, rebase, saved state);
* `schema`: a Store schema's shape and its pydantic validator.

docs/sync.md describes the protocol and the conflict rule.
"""

from __future__ import annotations

from framework.sync.authority import Authority, PushResult, RefusedError
from framework.sync.deltas import DICT, LIST, VALUE, DeltaError, Shape, apply, diff
from framework.sync.messages import (
    Ack,
    Change,
    Changes,
    ErrorCode,
    ErrorMessage,
    Hello,
    Limits,
    Mutation,
    ProtocolError,
    Push,
    Snapshot,
    encode,
    parse_client,
    parse_server,
)
from framework.sync.replica import Replica, ReplicaStateError

__all__ = [
    "DICT",
    "LIST",
    "VALUE",
    "Ack",
    "Authority",
    "Change",
    "Changes",
    "DeltaError",
    "ErrorCode",
    "ErrorMessage",
    "Hello",
    "Limits",
    "Mutation",
    "ProtocolError",
    "Push",
    "PushResult",
    "RefusedError",
    "Replica",
    "ReplicaStateError",
    "Shape",
    "Snapshot",
    "apply",
    "diff",
    "encode",
    "parse_client",
    "parse_server",
]
