"""The protocol's messages: each one survives encode -> parse unchanged, and anything else (not
JSON, an unknown type, a missing, extra or mistyped field, a message over a limit) is refused
with a ProtocolError whose code says which, and whose text says where."""

import json

import pytest

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
    encode_change,
    encode_changes,
    parse_client,
    parse_server,
)

PUT = {"op": "put", "id": "a", "item": {"id": "a", "title": "milk"}, "after": None}

CLIENT_MESSAGES = [
    Hello("todos", "client-1", None),
    Hello("todos", "c_2", 17),
    Push("todos", [Mutation(1, [PUT]), Mutation(3, [{"op": "delete", "id": 7}])]),
]
SERVER_MESSAGES = [
    Snapshot("todos", 0, []),
    Snapshot("prefs", 4, {"theme": "dark", "size": 1.5, "tags": ["é", None]}),
    Changes("todos", [Change(5, [PUT]), Change(6, [])]),
    Changes("todos", []),
    Ack("todos", 3, 9),
    ErrorMessage("todos", ErrorCode.INVALID, "title: too long", 4),
    ErrorMessage(None, ErrorCode.BAD_JSON, "not JSON"),
]


@pytest.mark.parametrize("message", CLIENT_MESSAGES, ids=repr)
def test_a_client_message_round_trips(message):
    assert parse_client(encode(message)) == message


@pytest.mark.parametrize("message", SERVER_MESSAGES, ids=repr)
def test_a_server_message_round_trips(message):
    assert parse_server(encode(message)) == message


@pytest.mark.parametrize(
    "message",
    [m for m in SERVER_MESSAGES if isinstance(m, Changes)]
    + [Changes('st"ore é', [Change(1, [{"op": "set_key", "key": "k\u2028", "value": "é"}])])],
    ids=repr,
)
def test_changes_joined_from_encoded_changes_are_the_encoded_message(message):
    # the server encodes each change once and joins them per client
    joined = encode_changes(message.store, [encode_change(c) for c in message.changes])
    assert joined == encode(message)
    assert parse_server(joined) == message


def test_the_wire_form_is_plain_json():
    assert json.loads(encode(Ack("todos", 3, 9))) == {
        "type": "ack",
        "store": "todos",
        "mutation": 3,
        "version": 9,
    }
    assert json.loads(encode(Push("s", [Mutation(1, [])]))) == {
        "type": "push",
        "store": "s",
        "mutations": [{"id": 1, "ops": []}],
    }


def hello(**fields):
    return json.dumps(
        {"type": "hello", "protocol": 1, "store": "s", "client": "c", "version": 0} | fields
    )


def push(mutations, **fields):
    return json.dumps({"type": "push", "store": "s", "mutations": mutations} | fields)


REFUSED_FROM_CLIENTS = [
    ("{", ErrorCode.BAD_JSON, "must be JSON"),
    ('{"type": "hello", "version": NaN}', ErrorCode.BAD_JSON, "NaN is not JSON"),
    ("[1, 2]", ErrorCode.BAD_MESSAGE, "must be a JSON object, not list"),
    ('{"type": "snapshot"}', ErrorCode.UNKNOWN_TYPE, "must be one of hello, push, not 'snapshot'"),
    ("{}", ErrorCode.UNKNOWN_TYPE, "not None"),
    (hello(protocol=2), ErrorCode.PROTOCOL, "protocol 2 is not spoken here"),
    (
        hello(version="3"),
        ErrorCode.BAD_MESSAGE,
        "hello.version must be an integer or null, not '3'",
    ),
    (hello(version=True), ErrorCode.BAD_MESSAGE, "hello.version must be"),
    (hello(version=-1), ErrorCode.BAD_MESSAGE, "hello.version must be 0 or more"),
    (hello(client="a b"), ErrorCode.BAD_MESSAGE, "hello.client must be 1 to 64 letters"),
    (hello(client="x" * 65), ErrorCode.BAD_MESSAGE, "hello.client must be 1 to 64 letters"),
    (hello(store=""), ErrorCode.BAD_MESSAGE, "a store name has 1 to 200 characters"),
    (hello(extra=1), ErrorCode.BAD_MESSAGE, "unexpected ['extra']"),
    (
        json.dumps({"type": "hello", "store": "s"}),
        ErrorCode.BAD_MESSAGE,
        "missing ['client', 'protocol', 'version']",
    ),
    (push({"id": 1}), ErrorCode.BAD_MESSAGE, "push.mutations must be an array"),
    (push([{"id": 1}]), ErrorCode.BAD_MESSAGE, "push.mutations[0] has the fields"),
    (
        push([{"id": "1", "ops": []}]),
        ErrorCode.BAD_MESSAGE,
        "push.mutations[0].id must be an integer",
    ),
    (
        push([{"id": 1, "ops": [{"op": "set", "id": "a"}]}]),
        ErrorCode.BAD_MESSAGE,
        "push.mutations[0].ops[0]: a 'set' op has fields",
    ),
    (push([{"id": 1, "ops": [{"op": "drop"}]}]), ErrorCode.BAD_MESSAGE, '"op" must be one of'),
]


@pytest.mark.parametrize(("text", "code", "message"), REFUSED_FROM_CLIENTS)
def test_a_bad_client_message_is_refused_with_its_code_and_where(text, code, message):
    with pytest.raises(ProtocolError) as refused:
        parse_client(text)
    assert refused.value.code == code
    assert message in refused.value.message


REFUSED_FROM_THE_SERVER = [
    ('{"type": "push"}', ErrorCode.UNKNOWN_TYPE),
    ('{"type": "ack", "store": "s", "mutation": 1}', ErrorCode.BAD_MESSAGE),
    ('{"type": "snapshot", "store": "s", "version": 1.0, "value": 1}', ErrorCode.BAD_MESSAGE),
    (
        encode(Changes("s", [Change(3, []), Change(5, [])])),
        ErrorCode.BAD_MESSAGE,
    ),  # not consecutive
    (
        '{"type": "error", "store": "s", "code": 1, "message": "m", "mutation": null}',
        ErrorCode.BAD_MESSAGE,
    ),
]


@pytest.mark.parametrize(("text", "code"), REFUSED_FROM_THE_SERVER)
def test_a_bad_server_message_is_refused(text, code):
    with pytest.raises(ProtocolError) as refused:
        parse_server(text)
    assert refused.value.code == code


LIMITS = Limits(max_message_bytes=400, max_mutations=2, max_ops=3)
DELETE = {"op": "delete", "id": "a"}


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (Push("s", [Mutation(1, [DELETE])] * 3), ErrorCode.TOO_MANY_MUTATIONS),
        (Push("s", [Mutation(1, [DELETE] * 4)]), ErrorCode.TOO_MANY_OPS),
        (
            Push("s", [Mutation(1, [{"op": "set", "id": "a", "fields": {"t": "x" * 400}}])]),
            ErrorCode.TOO_LARGE,
        ),
        # 150 characters of 3 bytes each: the limit counts bytes
        (
            Push("s", [Mutation(1, [{"op": "set", "id": "a", "fields": {"t": "€" * 150}}])]),
            ErrorCode.TOO_LARGE,
        ),
    ],
)
def test_a_message_over_a_limit_is_refused_whole(message, code):
    with pytest.raises(ProtocolError) as refused:
        parse_client(encode(message), LIMITS)
    assert refused.value.code == code


def test_a_message_at_the_limits_passes():
    message = Push("s", [Mutation(1, [DELETE] * 3), Mutation(2, [])])
    assert parse_client(encode(message), LIMITS) == message


def test_bytes_are_measured_before_parsing():
    with pytest.raises(ProtocolError) as refused:
        parse_client(b" " * 401 + b"{}", LIMITS)
    assert refused.value.code == ErrorCode.TOO_LARGE
    assert "401" not in refused.value.message  # 403 bytes: the message says the real size
    assert "403 bytes" in refused.value.message


def test_a_deeply_nested_message_is_refused_before_parsing():
    # Parsing it would overflow the parser's stack: in Pyodide that kills the interpreter.
    text = '{"type": "hello", "store": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ProtocolError) as refused:
        parse_client(text, Limits(max_message_bytes=10**6))
    assert refused.value.code == ErrorCode.TOO_LARGE
    assert "nested 100,001 levels deep" in refused.value.message


@pytest.mark.parametrize(("depth", "refused"), [(64, False), (65, True)])
def test_the_depth_limit_counts_arrays_and_objects_not_brackets_in_strings(depth, refused):
    value = "[]"
    for _ in range(depth - 7):  # 6 levels from the message to the put's item, 1 for "[]"
        value = "[" + value + "]"
    op = (
        '{"op": "put", "id": "a", "item": {"id": "a", "x": '
        + value
        + ', "s": "[[[[{{{{"}, "after": null}'
    )
    text = '{"type": "push", "store": "s", "mutations": [{"id": 1, "ops": [' + op + "]}]}"
    if refused:
        with pytest.raises(ProtocolError):
            parse_client(text)
    else:
        assert parse_client(text).mutations[0].ops[0]["item"]["s"] == "[[[[{{{{"
