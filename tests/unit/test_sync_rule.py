"""The conflict rule (docs/sync.md), one test per sentence, with two clients that edit while
offline and the server that orders their edits: every test ends with both clients holding the
server's value (rows S1-S3 of the reliability matrix)."""

import pytest

from framework.sync import DICT, VALUE, Mutation
from tests.unit.sync_support import Network, ids, todo


def offline_pair(value, **options):
    """Two clients synced on `value`, then both offline."""
    net = Network(value, **options)
    net.sync()
    net.disconnect("a")
    net.disconnect("b")
    return net


def set_field(key, **fields):
    return lambda items: [{**item, **fields} if item["id"] == key else item for item in items]


def delete(key):
    return lambda items: [item for item in items if item["id"] != key]


def insert_after(after, new):
    def change(items):
        at = 0 if after is None else ids(items).index(after) + 1
        return [*items[:at], new, *items[at:]]

    return change


def move_after(key, after):
    def change(items):
        moved = next(item for item in items if item["id"] == key)
        return insert_after(after, moved)(delete(key)(items))

    return change


@pytest.mark.parametrize(("first", "second"), [("a", "b"), ("b", "a")])
def test_the_servers_order_decides_between_writes_to_the_same_field(first, second):
    net = offline_pair([todo("1")])
    net.edit("a", set_field("1", title="from a"))
    net.edit("b", set_field("1", title="from b"))
    net.sync(first)
    net.sync(second)
    assert net.server.value == [todo("1", f"from {second}")]  # the later one at the server
    net.sync()
    assert net.converged()


def test_other_fields_of_the_item_are_kept():
    net = offline_pair([todo("1")])
    net.edit("a", set_field("1", title="renamed"))
    net.edit("b", set_field("1", completed=True))
    net.sync("a")
    net.sync("b")
    net.sync()
    assert net.server.value == [todo("1", "renamed", completed=True)]
    assert net.converged()


@pytest.mark.parametrize("deleter_first", [True, False])
def test_an_item_deleted_on_one_side_and_edited_on_the_other_stays_deleted(deleter_first):
    net = offline_pair([todo("1"), todo("2")])
    net.edit("a", delete("1"))
    net.edit("b", set_field("1", title="edited"))
    order = ("a", "b") if deleter_first else ("b", "a")
    net.sync(order[0])
    net.sync(order[1])
    net.sync()
    assert net.server.value == [todo("2")]
    assert net.converged()


def test_a_late_put_of_a_deleted_id_is_dropped_not_resurrected():
    # A put of an id the server saw deleted (a client replacing the item whole, or reusing the
    # id) finds its tombstone.
    net = offline_pair([todo("1")])
    net.edit("a", delete("1"))
    net.sync("a")
    late = {"op": "put", "id": "1", "item": todo("1", "back"), "after": None}
    result = net.server.push("client-b", [Mutation(1, [late])])
    assert result.changes.changes[0].ops == []  # accepted, and it did nothing
    assert net.server.value == []
    net.sync()
    assert net.converged()


def test_adds_on_both_sides_are_both_kept():
    net = offline_pair([todo("1")])
    net.edit("a", insert_after("1", todo("from-a")))
    net.edit("b", insert_after("1", todo("from-b")))
    net.sync("a")
    net.sync("b")
    net.sync()
    # each add goes after "1" when the server applies it: b's came second, so it is nearer
    assert ids(net.server.value) == ["1", "from-b", "from-a"]
    assert net.converged()


def test_a_move_of_a_deleted_item_is_dropped():
    net = offline_pair([todo("1"), todo("2"), todo("3")])
    net.edit("a", delete("3"))
    net.edit("b", move_after("3", None))
    net.sync("a")
    net.sync("b")
    net.sync()
    assert ids(net.server.value) == ["1", "2"]
    assert net.converged()


@pytest.mark.parametrize(
    ("edit", "anchor", "result"),
    [
        (insert_after("2", todo("new")), "2", ["1", "3", "4", "new"]),
        (move_after("1", "3"), "3", ["2", "4", "1"]),
    ],
)
def test_an_item_placed_after_an_item_deleted_meanwhile_goes_to_the_end(edit, anchor, result):
    net = offline_pair([todo("1"), todo("2"), todo("3"), todo("4")])
    net.edit("a", edit)
    net.edit("b", delete(anchor))
    net.sync("b")
    net.sync("a")
    net.sync()
    assert ids(net.server.value) == result
    assert net.converged()


def test_an_add_goes_where_the_op_says_relative_to_the_items_there_when_applied():
    net = offline_pair([todo("1"), todo("2")])
    net.edit("a", insert_after(None, todo("front")))
    net.edit("b", move_after("1", "2"))
    net.sync("b")
    net.sync("a")
    net.sync()
    assert ids(net.server.value) == ["front", "2", "1"]
    assert net.converged()


@pytest.mark.parametrize(("first", "second"), [("a", "b"), ("b", "a")])
def test_a_dict_key_written_on_both_sides_takes_the_servers_last(first, second):
    net = offline_pair({"theme": "light", "size": 1}, shape=DICT, validate=None)
    net.edit("a", lambda d: {**d, "theme": "dark"})
    net.edit("b", lambda d: {key: value for key, value in d.items() if key != "theme"})
    net.sync(first)
    net.sync(second)
    net.sync()
    expected = {"size": 1} if second == "b" else {"theme": "dark", "size": 1}
    assert net.server.value == expected  # a deleted key can be set again: last writer wins
    assert net.converged()


def test_a_whole_value_written_on_both_sides_takes_the_servers_last():
    net = offline_pair({"count": 0}, shape=VALUE, validate=None)
    net.edit("a", lambda v: {"count": 1})
    net.edit("b", lambda v: {"count": 2})
    net.sync("b")
    net.sync("a")
    net.sync()
    assert net.server.value == {"count": 1}
    assert net.converged()


def test_a_mutation_resent_after_a_lost_ack_is_applied_once():
    net = Network([todo("1")])
    net.sync()
    net.edit("a", insert_after("1", todo("once")))
    net.disconnect("a", delivered=1)  # the server got it; the ack was lost
    net.settle()
    net.edit("b", delete("once"))
    net.sync("b")
    net.sync("a")  # resends the add: already processed, so it does not come back
    assert net.server.version == 2
    assert ids(net.server.value) == ["1"]
    assert net.converged()


def test_a_client_behind_the_servers_log_gets_a_snapshot_and_keeps_its_edits():
    net = Network([todo("1")], log_length=2)
    net.sync()
    net.disconnect("a")
    net.edit("a", set_field("1", completed=True))
    net.edit("a", insert_after("1", todo("offline")))
    for n in range(4):  # more changes than the log keeps (2, and the store has 1 item)
        net.edit("b", set_field("1", title=f"b{n}"))
    net.settle()
    seen = len(net.received["a"])
    net.sync("a")
    assert [m.type for m in net.received["a"][seen:]][:2] == ["snapshot", "ack"]
    assert ids(net.server.value) == ["1", "offline"]
    assert net.server.value[0]["completed"] is True  # a's field, b's title: both kept
    assert net.server.value[0]["title"] == "b3"
    net.sync()
    assert net.converged()


def test_server_code_reaches_connected_clients_live_and_offline_ones_on_reconnect():
    net = Network([todo("1")])
    net.sync()
    net.disconnect("b")
    net.server_update(set_field("1", title="from the server"))
    net.settle()
    assert net.value("a") == [todo("1", "from the server")]
    assert net.value("b") == [todo("1")]
    net.sync("b")
    assert net.converged()
