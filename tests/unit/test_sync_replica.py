"""A client's copy of a store: local edits show at once and become pending mutations, changes
from the server advance the confirmed value, acks drop what the server processed, the rest is
rebased, a gap asks to resume, and the whole state survives a reload as JSON (row S2)."""

import json

import pytest

from framework.sync import (
    DICT,
    LIST,
    Ack,
    Change,
    Changes,
    ErrorMessage,
    Hello,
    Mutation,
    Push,
    Replica,
    ReplicaStateError,
    Snapshot,
)
from framework.sync.messages import Limits
from tests.unit.sync_support import STORE, Network, ids, todo


def replica(value=(), **options):
    return Replica(STORE, LIST, list(value), client="me", **options)


def test_a_local_edit_shows_at_once_and_is_pending():
    mine = replica()
    assert mine.edit([todo("a")]) == []  # offline: nothing to send yet
    assert mine.value == [todo("a")] and mine.confirmed == []
    assert mine.pending == (
        Mutation(1, [{"op": "put", "id": "a", "item": todo("a"), "after": None}]),
    )
    assert mine.edit([todo("a")]) == []  # no change: no mutation
    assert mine.pending_count == 1


def test_connecting_says_hello_with_the_version_and_resends_everything_pending():
    mine = replica(version=None)
    mine.edit([todo("a")])
    mine.edit([todo("a"), todo("b")])
    hello, push = mine.connect()
    assert hello == Hello(STORE, "me", None)
    assert [m.id for m in push.mutations] == [1, 2]
    assert mine.edit([todo("b")]) == [Push(STORE, [Mutation(3, [{"op": "delete", "id": "a"}])])]
    mine.disconnect()
    assert [m.id for m in mine.connect()[1].mutations] == [1, 2, 3]  # all again: acks may be lost


def test_pushes_respect_the_limits():
    mine = replica(limits=Limits(max_mutations=2, max_ops=3))
    mine.connect()
    pushes = mine.edit([todo(str(n)) for n in range(7)])  # 7 puts: 3 mutations, 2 pushes
    assert [[len(m.ops) for m in push.mutations] for push in pushes] == [[3, 3], [1]]
    mine.disconnect()
    _hello, *pushes = mine.connect()
    assert [[m.id for m in push.mutations] for push in pushes] == [[1, 2], [3]]


def test_server_changes_advance_the_confirmed_value_and_the_ack_drops_what_was_processed():
    mine = replica([todo("a")], version=3)
    mine.connect()
    mine.edit([todo("a"), todo("mine")])
    theirs = {"op": "set", "id": "a", "fields": {"title": "theirs"}}
    mine.receive(Changes(STORE, [Change(4, [theirs])]))
    assert mine.confirmed == [todo("a", "theirs")] and mine.version == 4
    assert mine.value == [todo("a", "theirs"), todo("mine")]  # pending on top
    put = mine.pending[0].ops[0]
    mine.receive(Changes(STORE, [Change(5, [put])]))
    assert mine.pending_count == 1  # applied, but not acked yet
    mine.receive(Ack(STORE, 1, 5))
    assert mine.pending == () and mine.value == mine.confirmed


def test_an_ack_ahead_of_the_confirmed_version_waits_for_it():
    mine = replica(version=0)
    mine.connect()
    (push,) = mine.edit([todo("a")])
    mine.receive(Ack(STORE, 1, 1))
    assert mine.pending_count == 1  # its change (version 1) has not arrived
    mine.receive(Changes(STORE, [Change(1, push.mutations[0].ops)]))
    assert mine.pending_count == 0 and mine.value == [todo("a")]


def test_a_refused_mutation_is_dropped_and_its_error_kept():
    mine = replica(version=0)
    mine.connect()
    mine.edit([todo("a")])
    mine.edit([todo("a"), todo("b")])
    error = ErrorMessage(STORE, "invalid", "title: too long", 1)
    mine.receive(error)
    assert mine.last_error == error
    assert [m.id for m in mine.pending] == [2] and mine.value == [todo("b")]


def test_a_pending_edit_of_an_item_deleted_meanwhile_is_dropped_on_rebase():
    mine = replica([todo("a"), todo("b")], version=1)
    mine.edit([todo("a", "edited"), todo("b", "edited too")])
    mine.receive(Changes(STORE, [Change(2, [{"op": "delete", "id": "a"}])]))
    assert mine.value == [todo("b", "edited too")]
    assert mine.pending[0].ops == [{"op": "set", "id": "b", "fields": {"title": "edited too"}}]
    mine.receive(Changes(STORE, [Change(3, [{"op": "delete", "id": "b"}])]))
    assert mine.pending == ()  # nothing of it can apply any more


def test_a_pending_dict_edit_is_kept_for_the_server_to_order():
    mine = Replica(STORE, DICT, {"k": 1}, client="me", version=1)
    mine.edit({})
    mine.receive(Changes(STORE, [Change(2, [{"op": "delete_key", "key": "k"}])]))
    assert mine.pending_count == 1  # a key can be set again before this delete arrives


def test_a_gap_in_the_changes_asks_to_resume_once():
    mine = replica(version=2)
    mine.connect()
    mine.receive(Snapshot(STORE, 2, []))
    resume = mine.receive(Changes(STORE, [Change(4, [])]))
    assert resume == [Hello(STORE, "me", 2)] and mine.version == 2
    assert mine.receive(Changes(STORE, [Change(5, [])])) == []  # already resuming
    mine.receive(Changes(STORE, [Change(3, []), Change(4, []), Change(5, [])]))
    assert mine.version == 5
    assert mine.receive(Changes(STORE, [Change(5, []), Change(6, [])])) == []  # overlap: skipped
    assert mine.version == 6


def test_a_snapshot_replaces_the_confirmed_value_and_pending_edits_rebase_on_it():
    mine = replica()
    mine.edit([todo("offline")])
    mine.receive(Snapshot(STORE, 9, [todo("server")]))
    assert mine.version == 9
    assert ids(mine.value) == ["offline", "server"]


def test_a_message_for_another_store_is_a_bug_of_the_transport():
    with pytest.raises(ValueError, match="'other'"):
        replica().receive(Ack("other", 1, 1))


def test_offline_edits_past_the_limit_are_squashed_into_their_net_change():
    mine = replica([todo("a")], version=1, max_pending=3)
    mine.connect()
    mine.edit([todo("a", "sent")])  # sent: stays as it is
    mine.disconnect()
    for n in range(10):
        mine.edit([todo("a", "sent"), *[todo(str(k)) for k in range(n + 1)]])
    mine.edit([todo("a", "sent"), todo("9", "last")])
    assert mine.pending_count <= 3
    assert mine.pending[0].id == 1
    assert mine.value == [todo("a", "sent"), todo("9", "last")]
    # what the server would apply gives the same value
    net_value = [todo("a")]
    from framework.sync import apply

    for mutation in mine.pending:
        net_value = apply(net_value, mutation.ops, LIST)
    assert net_value == mine.value


def test_the_whole_state_survives_a_reload_as_json():
    mine = replica([todo("a")], version=4)
    mine.connect()
    mine.edit([todo("a", "x")])
    mine.edit([todo("a", "x"), todo("b")])
    saved = json.loads(json.dumps(mine.dump()))
    back = Replica.load(saved, STORE, LIST)
    assert (back.value, back.confirmed, back.version, back.pending) == (
        mine.value,
        mine.confirmed,
        mine.version,
        mine.pending,
    )
    assert back.client == "me" and not back.online
    back.edit([todo("b")])
    assert back.pending[-1].id == 3  # ids go on from where they were


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(format=2), "format 1"),
        (lambda d: d.update(store="other"), "store 'other'"),
        (lambda d: d.update(version="4"), "bad version"),
        (lambda d: d.update(client=""), "bad client id"),
        (lambda d: d.update(pending=[[9, []]]), "bad pending mutation"),
        (lambda d: d.update(pending=[[2, []], [1, []]]), "must increase"),
        (lambda d: d.update(pending=[[1, [{"op": "zap"}]]]), '"op" must be one of'),
        (lambda d: d.update(confirmed=[{"no": "id"}]), "id"),
        (lambda d: d.pop("confirmed"), "confirmed"),
    ],
)
def test_saved_state_that_cannot_be_loaded_is_refused_with_the_reason(change, reason):
    mine = replica(version=1)
    mine.edit([todo("a")])
    mine.edit([todo("b")])
    saved = mine.dump()
    change(saved)
    with pytest.raises(ReplicaStateError) as refused:
        Replica.load(saved, STORE, LIST)
    assert reason in str(refused.value) and "start from the server's value" in str(refused.value)


def test_a_reload_while_offline_loses_no_pending_edit():
    net = Network([todo("a")])
    net.sync()
    net.disconnect("a")
    net.edit("a", lambda items: [*items, todo("offline")])
    net.edit("a", lambda items: [{**items[0], "completed": True}, items[1]])
    net.reload("a")
    net.reload("a")
    net.sync()
    assert net.server.value == [todo("a", completed=True), todo("offline")]
    assert net.converged()
