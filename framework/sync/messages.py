"""The sync protocol's messages: JSON objects with a `type`, parsed strictly.

From a client to the server:

* `{"type": "hello", "protocol": 1, "store": S, "client": C, "version": V | null}`: (re)connect
  to store S as client C, whose confirmed value is at version V (null: it has none yet).
* `{"type": "push", "store": S, "mutations": [{"id": N, "ops": [...]}, ...]}`: local edits, each
  a mutation with the client's own increasing id (ids may skip numbers, never go back).

From the server to a client:

* `{"type": "snapshot", "store": S, "version": V, "value": ...}`: the whole value at version V
  (the answer to a hello without a version, or one older than the server's log).
* `{"type": "changes", "store": S, "changes": [{"version": V, "ops": [...]}, ...]}`: accepted
  mutations, as applied, in version order (consecutive: each is the version before it + 1).
* `{"type": "ack", "store": S, "mutation": N, "version": V}`: the client's mutations up to id N
  are processed (applied or refused), and what was applied of them is in versions up to V.
* `{"type": "error", "store": S | null, "code": CODE, "message": TEXT, "mutation": N | null}`:
  something this client sent was refused; `mutation` names the refused mutation, if one was.

`parse_client` and `parse_server` accept only these shapes: an unknown type, a missing or extra
field, a value of the wrong type, a message over `Limits.max_message_bytes`, too many mutations
in a push or too many ops in a mutation raise ProtocolError, whose `code` goes into the error
message sent back and whose text says what was wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Any, TypeAlias

from framework.sync.deltas import DeltaError, Json, Op, check_op

__all__ = [
    "DEFAULT_LIMITS",
    "PROTOCOL",
    "Ack",
    "Change",
    "Changes",
    "ClientMessage",
    "ErrorCode",
    "ErrorMessage",
    "Hello",
    "Limits",
    "Mutation",
    "ProtocolError",
    "Push",
    "ServerMessage",
    "Snapshot",
    "encode",
    "parse_client",
    "parse_server",
]

PROTOCOL = 1


class ErrorCode:
    """The `code` of an error message: stable strings for code to switch on."""

    BAD_JSON = "bad_json"  # not JSON text
    BAD_MESSAGE = "bad_message"  # JSON, but not a message of the protocol
    UNKNOWN_TYPE = "unknown_type"
    PROTOCOL = "protocol"  # a protocol version this side does not speak
    TOO_LARGE = "too_large"  # over Limits.max_message_bytes
    TOO_MANY_MUTATIONS = "too_many_mutations"  # over Limits.max_mutations
    TOO_MANY_OPS = "too_many_ops"  # over Limits.max_ops
    BAD_OPS = "bad_ops"  # ops that do not fit the store (a dict op on a list store)
    INVALID = "invalid"  # the value after the mutation fails the store's model
    # Refused by the server around the store (framework.server): nothing was applied
    UNKNOWN_STORE = "unknown_store"  # the server has no store of that name
    FORBIDDEN = "forbidden"  # the authorisation hook refused this identity the read or write
    NOT_SUBSCRIBED = "not_subscribed"  # a push before a hello for that store
    TOO_MANY_STORES = "too_many_stores"  # over the server's stores per connection
    RATE_LIMITED = "rate_limited"  # over the server's mutations per second per connection


class ProtocolError(ValueError):
    """A message that breaks the protocol; `code` is an ErrorCode value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What one message may hold. Over a limit, the message is refused whole."""

    max_message_bytes: int = 1_000_000
    max_mutations: int = 100  # per push
    max_ops: int = 1_000  # per mutation
    # Nesting of arrays and objects. Checked before parsing: deep enough nesting overflows
    # the parser's stack, which in Pyodide kills the interpreter instead of raising.
    max_depth: int = 64


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Mutation:
    """A client's local edit: its id (increasing per client) and its ops."""

    id: int
    ops: list[Op]


@dataclass(frozen=True)
class Change:
    """An accepted mutation as the server applied it, and the version it made."""

    version: int
    ops: list[Op]


@dataclass(frozen=True)
class Hello:
    store: str
    client: str
    version: int | None
    protocol: int = PROTOCOL
    type: str = field(default="hello", init=False)


@dataclass(frozen=True)
class Push:
    store: str
    mutations: list[Mutation]
    type: str = field(default="push", init=False)


@dataclass(frozen=True)
class Snapshot:
    store: str
    version: int
    value: Json
    type: str = field(default="snapshot", init=False)


@dataclass(frozen=True)
class Changes:
    store: str
    changes: list[Change]
    type: str = field(default="changes", init=False)


@dataclass(frozen=True)
class Ack:
    store: str
    mutation: int
    version: int
    type: str = field(default="ack", init=False)


@dataclass(frozen=True)
class ErrorMessage:
    store: str | None
    code: str
    message: str
    mutation: int | None = None
    type: str = field(default="error", init=False)


ClientMessage: TypeAlias = Hello | Push
ServerMessage: TypeAlias = Snapshot | Changes | Ack | ErrorMessage

_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_MAX_STORE_NAME = 200
_MAX_ERROR_TEXT = 2_000


def encode(message: ClientMessage | ServerMessage) -> str:
    """The message as compact JSON text (what goes on the wire)."""
    return json.dumps(_plain(message), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_change(change: Change) -> str:
    """One change as the JSON text it has inside a `changes` message: encoded once by the
    server, then joined with its neighbours for each client (`encode_changes`)."""
    plain = {"version": change.version, "ops": change.ops}
    return json.dumps(plain, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_changes(store: str, encoded: Sequence[str]) -> str:
    """A `changes` message from changes encoded by `encode_change`: the same text as
    `encode(Changes(store, changes))`, without encoding them again."""
    name = json.dumps(store, ensure_ascii=False)
    return f'{{"type":"changes","store":{name},"changes":[{",".join(encoded)}]}}'


def _plain(message: ClientMessage | ServerMessage) -> dict[str, Any]:
    if isinstance(message, Push):
        mutations = [{"id": m.id, "ops": m.ops} for m in message.mutations]
        return {"type": "push", "store": message.store, "mutations": mutations}
    if isinstance(message, Changes):
        changes = [{"version": c.version, "ops": c.ops} for c in message.changes]
        return {"type": "changes", "store": message.store, "changes": changes}
    return {"type": message.type, **vars(message)}


# -- parsing ---------------------------------------------------------------------------------------


def parse_client(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> ClientMessage:
    """A message from a client (hello or push), checked field by field; else ProtocolError."""
    data = _load(text, limits)
    kind = data.get("type")
    if kind == "hello":
        fields = _fields(
            data, "hello", {"protocol": int, "store": str, "client": str, "version": int | None}
        )
        if fields["protocol"] != PROTOCOL:
            raise ProtocolError(
                ErrorCode.PROTOCOL,
                f"hello: protocol {fields['protocol']} is not spoken here (this server speaks "
                f"{PROTOCOL}); reload the page to get the current client",
            )
        _check_client(fields["client"])
        return Hello(
            store=_store(fields["store"]),
            client=fields["client"],
            version=_version(fields["version"], "hello.version"),
        )
    if kind == "push":
        fields = _fields(data, "push", {"store": str, "mutations": list})
        mutations = fields["mutations"]
        if len(mutations) > limits.max_mutations:
            raise ProtocolError(
                ErrorCode.TOO_MANY_MUTATIONS,
                f"push: {len(mutations)} mutations, over the limit of {limits.max_mutations} per "
                "push; send them in several pushes",
            )
        return Push(
            store=_store(fields["store"]),
            mutations=[
                _mutation(m, f"push.mutations[{i}]", limits) for i, m in enumerate(mutations)
            ],
        )
    raise _unknown_type(kind, ("hello", "push"))


def parse_server(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> ServerMessage:
    """A message from the server (snapshot, changes, ack or error); else ProtocolError."""
    data = _load(text, limits)
    kind = data.get("type")
    if kind == "snapshot":
        fields = _fields(data, "snapshot", {"store": str, "version": int, "value": object})
        version = _count(fields["version"], "snapshot.version")
        return Snapshot(store=_store(fields["store"]), version=version, value=fields["value"])
    if kind == "changes":
        fields = _fields(data, "changes", {"store": str, "changes": list})
        changes = [
            _change(c, f"changes.changes[{i}]", limits) for i, c in enumerate(fields["changes"])
        ]
        for before, after in pairwise(changes):
            if after.version != before.version + 1:
                raise ProtocolError(
                    ErrorCode.BAD_MESSAGE,
                    f"changes: version {after.version} follows {before.version}; the changes of a "
                    "message must be consecutive",
                )
        return Changes(store=_store(fields["store"]), changes=changes)
    if kind == "ack":
        fields = _fields(data, "ack", {"store": str, "mutation": int, "version": int})
        return Ack(
            store=_store(fields["store"]),
            mutation=_count(fields["mutation"], "ack.mutation"),
            version=_count(fields["version"], "ack.version"),
        )
    if kind == "error":
        fields = _fields(
            data,
            "error",
            {"store": str | None, "code": str, "message": str, "mutation": int | None},
        )
        mutation = fields["mutation"]
        return ErrorMessage(
            store=None if fields["store"] is None else _store(fields["store"]),
            code=fields["code"][:100],
            message=fields["message"][:_MAX_ERROR_TEXT],
            mutation=None if mutation is None else _count(mutation, "error.mutation"),
        )
    raise _unknown_type(kind, ("snapshot", "changes", "ack", "error"))


def _load(text: str | bytes, limits: Limits) -> dict[str, Any]:
    size = len(text) if isinstance(text, bytes) else _utf8_length(text, limits.max_message_bytes)
    if size > limits.max_message_bytes:
        raise ProtocolError(
            ErrorCode.TOO_LARGE,
            f"a message of {size:,} bytes is over the limit of {limits.max_message_bytes:,}; "
            "send smaller changes",
        )
    depth = _depth(text if isinstance(text, str) else text.decode("utf-8", "replace"))
    if depth > limits.max_depth:
        raise ProtocolError(
            ErrorCode.TOO_LARGE,
            f"a message nested {depth:,} levels deep is over the limit of {limits.max_depth}",
        )
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise ProtocolError(ErrorCode.BAD_JSON, f"a message must be JSON text: {error}") from None
    if not isinstance(data, dict):
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE, f"a message must be a JSON object, not {type(data).__name__}"
        )
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text (brackets inside strings do not count)."""
    brackets = _BRACKET.findall(_STRING.sub("", text))
    return max(accumulate(1 if bracket in "[{" else -1 for bracket in brackets), default=0)


def _utf8_length(text: str, limit: int) -> int:
    # A str of n characters is at most 4n bytes: encode only when that could pass the limit.
    return len(text) if len(text) * 4 <= limit else len(text.encode("utf-8", "surrogatepass"))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _unknown_type(kind: object, known: tuple[str, ...]) -> ProtocolError:
    return ProtocolError(
        ErrorCode.UNKNOWN_TYPE,
        f'"type" must be one of {", ".join(known)}, not {_short(kind)}',
    )


def _fields(
    data: Mapping[str, Any], kind: str, types: Mapping[str, Any], label: str = ""
) -> dict[str, Any]:
    """The message's fields but `type`, exactly those in `types`, each of its type; `kind`
    prefixes the names in errors, `label` names the object (default: "a <kind> message")."""
    fields = {name: value for name, value in data.items() if name != "type"}
    missing = sorted(types.keys() - fields.keys())
    extra = sorted(fields.keys() - types.keys())
    if missing or extra:
        problems = [f"missing {missing}"] * bool(missing) + [f"unexpected {extra}"] * bool(extra)
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE,
            f"{label or f'a {kind} message'} has the fields {sorted(types)}: {', '.join(problems)}",
        )
    for name, expected in types.items():
        _check_type(fields[name], expected, f"{kind}.{name}")
    return fields


def _check_type(value: object, expected: Any, where: str) -> None:
    if expected is object:
        return
    # bool is an int to isinstance, never to the protocol
    if isinstance(value, bool) or not isinstance(value, expected):
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE, f"{where} must be {_name(expected)}, not {_short(value)}"
        )


def _name(expected: Any) -> str:
    names = {int: "an integer", str: "a string", list: "an array", dict: "an object"}
    if expected in names:
        return names[expected]
    return " or ".join("null" if t is type(None) else names[t] for t in expected.__args__)


def _count(value: int, where: str) -> int:
    if value < 0:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"{where} must be 0 or more, not {value}")
    return value


def _version(value: int | None, where: str) -> int | None:
    return None if value is None else _count(value, where)


def _store(name: str) -> str:
    if not name or len(name) > _MAX_STORE_NAME:
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE,
            f"a store name has 1 to {_MAX_STORE_NAME} characters, not {len(name)}",
        )
    return name


def _check_client(client: str) -> None:
    if not _CLIENT_ID.fullmatch(client):
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE,
            f"hello.client must be 1 to 64 letters, digits, '-' or '_', not {_short(client)}",
        )


def _mutation(data: object, where: str, limits: Limits) -> Mutation:
    fields = _object(data, where, {"id": int, "ops": list})
    return Mutation(id=_count(fields["id"], f"{where}.id"), ops=_ops(fields["ops"], where, limits))


def _change(data: object, where: str, limits: Limits) -> Change:
    fields = _object(data, where, {"version": int, "ops": list})
    version = _count(fields["version"], f"{where}.version")
    return Change(version=version, ops=_ops(fields["ops"], where, limits))


def _object(data: object, where: str, types: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"{where} must be an object, not {_short(data)}")
    if "type" in data:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"{where} has an unexpected field 'type'")
    return _fields(data, where, types, label=where)


def _ops(ops: list[Any], where: str, limits: Limits) -> list[Op]:
    if len(ops) > limits.max_ops:
        raise ProtocolError(
            ErrorCode.TOO_MANY_OPS,
            f"{where}: {len(ops)} ops, over the limit of {limits.max_ops} per mutation",
        )
    checked: list[Op] = []
    for index, op in enumerate(ops):
        try:
            checked.append(check_op(op))
        except DeltaError as error:
            raise ProtocolError(ErrorCode.BAD_MESSAGE, f"{where}.ops[{index}]: {error}") from None
    return checked


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
