"""The server's copy of a store: one version per accepted mutation, a mutation sent again is
applied once, a mutation that does not validate is refused whole (to its client only), a client
behind the log gets a snapshot, server code writes like a client, and the state survives
dump/load (rows S1 and S4 of the reliability matrix)."""

import pytest

from framework.sync import LIST, Authority, ErrorCode, Limits, Mutation, RefusedError, Snapshot
from framework.sync.messages import Changes
from tests.unit.sync_support import STORE, Network, todo, validate_todo, validate_todos


def put(key, after=None):
    return {"op": "put", "id": key, "item": todo(key), "after": after}


def set_title(key, title):
    return {"op": "set", "id": key, "fields": {"title": title}}


@pytest.fixture(params=["whole value", "per item"])
def server(request):
    """Every test holds both ways of validating a mutation: the whole value after it, and only
    the items it wrote (what the server does for `list[Model]`)."""
    per_item = validate_todo if request.param == "per item" else None
    return Authority(STORE, LIST, [], validate=validate_todos, validate_item=per_item, log_length=5)


def test_each_accepted_mutation_is_one_version(server):
    result = server.push(
        "c", [Mutation(1, [put("a")]), Mutation(2, [put("b", "a"), set_title("a", "A")])]
    )
    assert server.version == 2
    assert [change.version for change in result.changes.changes] == [1, 2]
    assert server.value == [todo("a", "A"), todo("b")]
    assert (result.ack.mutation, result.ack.version) == (2, 2)


def test_a_mutation_sent_again_after_a_lost_ack_is_applied_once(server):
    server.push("c", [Mutation(1, [put("a")]), Mutation(2, [set_title("a", "x")])])
    server.push("other", [Mutation(1, [set_title("a", "y")])])
    again = server.push("c", [Mutation(1, [put("a")]), Mutation(2, [set_title("a", "x")])])
    assert again.changes is None and again.errors == []
    assert (again.ack.mutation, again.ack.version) == (2, 3)
    assert server.value == [todo("a", "y")]  # the resend did not undo the later write
    assert server.version == 3


def test_mutation_ids_are_per_client_and_may_skip(server):
    server.push("c", [Mutation(5, [put("a")])])
    server.push("d", [Mutation(1, [put("b")])])  # another client's ids are its own
    server.push("c", [Mutation(9, [put("c")]), Mutation(7, [put("d")])])  # 7 after 9: seen
    assert [item["id"] for item in server.value] == ["c", "b", "a"]


def test_an_invalid_mutation_is_refused_whole_and_later_ones_still_apply(server):
    too_long = "x" * 41
    result = server.push(
        "c",
        [
            Mutation(1, [put("a"), set_title("a", too_long)]),  # the put alone would be valid
            Mutation(2, [put("b")]),
        ],
    )
    assert server.value == [todo("b")]
    (error,) = result.errors
    assert (error.code, error.mutation) == (ErrorCode.INVALID, 1)
    assert "title" in error.message and "nothing of it was applied" in error.message
    assert (result.ack.mutation, result.ack.version) == (2, 1)  # refused is processed too
    assert [change.version for change in result.changes.changes] == [1]


@pytest.mark.parametrize(
    ("ops", "code"),
    [
        ([{"op": "set_key", "key": "k", "value": 1}], ErrorCode.BAD_OPS),
        ([{"op": "set", "id": "a"}], ErrorCode.BAD_OPS),
        (
            [
                {
                    "op": "put",
                    "id": "a",
                    "item": {"id": "a", "title": "t", "color": "red"},
                    "after": None,
                }
            ],
            ErrorCode.INVALID,
        ),
        (
            [{"op": "put", "id": "a", "item": {"id": "a", "title": 5}, "after": None}],
            ErrorCode.INVALID,
        ),
        ([{"op": "delete", "id": "a"}] * 4, ErrorCode.TOO_MANY_OPS),
    ],
)
def test_a_mutation_that_does_not_fit_is_refused_with_its_code(ops, code):
    server = Authority(STORE, LIST, [], validate=validate_todos, limits=Limits(max_ops=3))
    result = server.push("c", [Mutation(1, ops)])
    assert [error.code for error in result.errors] == [code]
    assert (server.value, server.version, result.changes) == ([], 0, None)


def test_too_many_mutations_in_one_push_are_refused_and_not_acked():
    server = Authority(STORE, LIST, [], limits=Limits(max_mutations=2))
    result = server.push("c", [Mutation(n, [put(str(n))]) for n in (1, 2, 3)])
    assert [error.code for error in result.errors] == [ErrorCode.TOO_MANY_MUTATIONS]
    assert (server.value, result.ack.mutation) == ([], 0)


def test_a_refused_delta_reaches_only_its_client_and_others_are_unaffected():
    net = Network([todo("a")])
    net.sync()
    net.edit("a", lambda items: [{**items[0], "title": "x" * 41}])  # the server's model refuses
    net.edit("b", lambda items: [{**items[0], "completed": True}])
    net.settle()
    assert net.server.value == [todo("a", completed=True)]
    assert net.converged()
    assert net.replicas["a"].last_error.code == ErrorCode.INVALID
    assert net.replicas["b"].last_error is None
    errors_to_b = [m for m in net.received["b"] if m.type == "error"]
    assert errors_to_b == []


def test_pull_gives_the_changes_since_a_version_in_the_log(server):
    for n in range(1, 4):
        server.push("c", [Mutation(n, [put(str(n))])])
    missed = server.pull(1)
    assert isinstance(missed, Changes)
    assert [change.version for change in missed.changes] == [2, 3]
    assert server.pull(3) == Changes(STORE, [])


@pytest.mark.parametrize("since", [None, 0, 1, 8])
def test_pull_gives_a_snapshot_behind_the_log_or_ahead_of_the_server(server, since):
    server.push("c", [Mutation(1, [put("a")])])
    for n in range(2, 8):  # the log keeps the last 5 (more than the items): versions 3..7
        server.push("c", [Mutation(n, [set_title("a", str(n))])])
    assert server.pull(since) == Snapshot(STORE, 7, server.value)
    assert isinstance(server.pull(2), Changes)


def test_hello_answers_with_what_was_missed_then_the_ack(server):
    server.push("c", [Mutation(4, [put("a")])])
    assert server.hello("c", 0) == [server.pull(0), server.ack("c")]
    assert server.ack("c").mutation == 4
    assert server.ack("new").mutation == 0


def test_server_code_writes_like_a_client(server):
    changes = server.update(lambda items: [*items, todo("s", "from the server")])
    assert server.value == [todo("s", "from the server")]
    assert changes.changes[0].ops == [put("s") | {"item": todo("s", "from the server")}]
    assert server.update(lambda items: items) is None  # nothing changed: no version
    with pytest.raises(RefusedError) as refused:
        server.update(lambda items: [{**items[0], "title": "x" * 41}])
    assert refused.value.code == ErrorCode.INVALID
    assert server.version == 1


def test_server_code_may_edit_its_copy_in_place(server):
    server.update(lambda items: [*items, todo("a")])
    before = server.value
    changes = server.update(lambda items: items[0].update(title="renamed") or items)
    assert changes.changes[0].ops == [{"op": "set", "id": "a", "fields": {"title": "renamed"}}]
    assert before == [todo("a")]  # the value clients were sent is untouched


def test_a_value_the_model_coerces_is_broadcast_as_the_server_holds_it(server):
    result = server.push(
        "c",
        [Mutation(1, [{"op": "put", "id": "a", "item": {"id": "a", "title": "t"}, "after": None}])],
    )
    # the model adds `completed: false`: the change sent is what makes the server's value
    assert server.value == [todo("a", "t")]
    (change,) = result.changes.changes
    assert change.ops == [put("a") | {"item": todo("a", "t")}]


def test_tombstones_last_as_long_as_the_log(server):
    server.push("c", [Mutation(1, [put("a")]), Mutation(2, [{"op": "delete", "id": "a"}])])
    server.push("late", [Mutation(1, [put("a")])])
    assert server.value == []  # deleted: a late put does not bring it back
    for n in range(3, 9):
        server.push("c", [Mutation(n, [put(str(n))])])
    server.push("late", [Mutation(2, [put("a")])])  # past the log's horizon: an id like any
    assert "a" in [item["id"] for item in server.value]


def test_the_state_survives_dump_and_load(server):
    server.push(
        "c", [Mutation(1, [put("a")]), Mutation(2, [put("b"), {"op": "delete", "id": "a"}])]
    )
    loaded = Authority.load(server.dump(), STORE, LIST, validate=validate_todos, log_length=5)
    assert (loaded.value, loaded.version) == (server.value, server.version)
    assert loaded.pull(0) == server.pull(0)
    assert loaded.push("c", [Mutation(2, [put("x")])]).changes is None  # seen before the dump
    assert loaded.push("d", [Mutation(1, [put("a")])]).changes.changes[0].ops == []  # tombstone


def test_a_model_that_changed_since_the_dump_sends_everyone_a_snapshot(server):
    server.push("c", [Mutation(1, [put("a")])])
    saved = server.dump()
    saved["value"] = [{"id": "a", "title": "a"}]  # saved before `completed` existed
    loaded = Authority.load(saved, STORE, LIST, validate=validate_todos)
    assert loaded.value == [todo("a")]
    assert isinstance(loaded.pull(0), Snapshot)


def test_a_dump_of_another_format_is_refused():
    with pytest.raises(ValueError, match="format 1"):
        Authority.load({"format": 99}, STORE, LIST)


def test_per_item_validation_validates_only_the_items_a_mutation_wrote():
    validated = []

    def counting(item):
        validated.append(item["id"])
        return validate_todo(item)

    items = [todo(str(n)) for n in range(1_000)]
    server = Authority(STORE, LIST, items, validate=validate_todos, validate_item=counting)
    server.push("c", [Mutation(1, [set_title("7", "seven"), put("new", "3")])])
    server.push(
        "c", [Mutation(2, [{"op": "delete", "id": "9"}, {"op": "move", "id": "1", "after": None}])]
    )
    assert sorted(validated) == ["7", "new"]  # not the 999 others, nor a delete or a move
    refused = server.push("c", [Mutation(3, [set_title("5", "x" * 41)])])
    assert [error.code for error in refused.errors] == [ErrorCode.INVALID]
    assert server.value[6] == todo("5")  # nothing of it applied


def test_changes_replayed_on_an_older_dump_give_the_same_state(server):
    server.push("c", [Mutation(1, [put("a")]), Mutation(2, [put("b")])])
    older = server.dump()
    server.push("c", [Mutation(3, [set_title("a", "x"), {"op": "delete", "id": "b"}])])
    server.push("d", [Mutation(1, [put("c", after="a")])])
    loaded = Authority.load(older, STORE, LIST, log_length=5)
    for change in server.changes_since(older["version"]):
        loaded.replay(change)
    assert loaded.dump() == server.dump()
    with pytest.raises(ValueError, match="does not follow"):
        loaded.replay(server.changes_since(0)[0])


def test_changes_since_a_version_the_log_no_longer_holds_is_none(server):
    server.push("c", [Mutation(1, [put("a")])])
    for n in range(2, 10):  # the log keeps 5 changes: more than the store's one item
        server.push("c", [Mutation(n, [set_title("a", str(n))])])
    assert [c.version for c in server.changes_since(5)] == [6, 7, 8, 9]
    assert server.changes_since(3) is None
    assert server.changes_since(9) == []


def test_the_log_keeps_as_many_changes_as_the_store_has_items(server):
    for n in range(1, 21):  # 20 items, each one change: a client behind by 20 needs them all
        server.push("c", [Mutation(n, [put(str(n))])])
    assert isinstance(server.pull(0), Changes)
    assert len(server.pull(0).changes) == 20
    server.push("c", [Mutation(21, [{"op": "delete", "id": str(n)} for n in range(1, 19)])])
    assert isinstance(server.pull(0), Snapshot)  # 2 items left: a snapshot is smaller
    assert [c.version for c in server.pull(16).changes] == [17, 18, 19, 20, 21]
