"""Convergence: three clients and a server, a seeded random schedule of local edits (add, edit,
delete, move), server writes, deliveries in any interleaving, connections dropped (messages on
their way lost, or delivered and their ack lost), reconnects that resume, and reloads from the
saved state. Whatever happened, once everyone is online and every message delivered, all clients
hold the server's value, nothing is pending, and every add that nobody deleted is there."""

import random
from functools import cache

import pytest

from tests.unit.sync_support import Network, ids, pick, todo, validate_todos

STEPS = 300
CLIENTS = ("a", "b", "c")


class Schedule:
    """One seeded run: what each step does, and what was added and deleted by whom."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        initial = [todo(f"s{n}") for n in range(4)]
        self.net = Network(
            initial,
            CLIENTS,
            max_pending=self.rng.choice([2, 100]),  # 2: offline edits get squashed
            log_length=self.rng.choice([3, 1_000]),  # 3: resumes often need a snapshot
        )
        self.added = set(ids(initial))
        self.deleted: set[str] = set()
        self.count = 0
        self.history = {0: initial}  # the server's value at each version a push ended on

    def run(self) -> None:
        for name in CLIENTS:
            self.net.connect(name)
        for _ in range(STEPS):
            self.step(pick(self.rng, list(CLIENTS)))
        for name in CLIENTS:
            if not self.net.replicas[name].online:
                self.net.connect(name)
        self.net.settle()

    def step(self, name: str) -> None:
        net, roll = self.net, self.rng.random()
        if roll < 0.35:
            net.edit(name, self.local_edit)
        elif roll < 0.55 and net.up[name]:
            net.deliver_up(name)
            self.history[net.server.version] = net.server.value
        elif roll < 0.8 and net.down[name]:
            net.deliver_down(name)
            self.check_confirmed(name)
            assert validate_todos(net.value(name)) == net.value(name)  # rebased: still valid
        elif roll < 0.88:
            if net.replicas[name].online:
                net.disconnect(name, delivered=self.rng.randrange(len(net.up[name]) + 1))
            else:
                net.connect(name)
        elif roll < 0.92:
            net.reload(name, delivered=self.rng.randrange(len(net.up[name]) + 1))
        elif roll < 0.95:
            net.server_update(self.local_edit)
            self.history[net.server.version] = net.server.value

    def local_edit(self, items: list) -> list:
        kind = self.rng.choice(["add", "add", "edit", "edit", "delete", "move"])
        if kind == "add" or not items:
            self.count += 1
            key = f"n{self.count}"
            self.added.add(key)
            at = self.rng.randrange(len(items) + 1)
            return [*items[:at], todo(key, f"new {self.count}"), *items[at:]]
        chosen = pick(self.rng, items)
        others = [item for item in items if item is not chosen]
        if kind == "delete":
            self.deleted.add(chosen["id"])
            return others
        if kind == "move":
            at = self.rng.randrange(len(others) + 1)
            return [*others[:at], chosen, *others[at:]]
        if self.rng.random() < 0.5:
            edited = {**chosen, "title": f"t{self.rng.randrange(1000)}"}
        else:
            edited = {**chosen, "completed": not chosen["completed"]}
        return [edited if item is chosen else item for item in items]

    def check_confirmed(self, name: str) -> None:
        """A client's confirmed value is the server's value at its version."""
        replica = self.net.replicas[name]
        if replica.version in self.history:
            assert replica.confirmed == self.history[replica.version]


@cache
def run(seed: int) -> Schedule:
    schedule = Schedule(seed)
    schedule.run()
    return schedule


@pytest.mark.parametrize("seed", range(20))
def test_every_client_converges_to_the_server_and_keeps_every_add(seed):
    schedule = run(seed)
    net = schedule.net
    assert net.converged(), {name: r.value for name, r in net.replicas.items()}
    assert sorted(ids(net.server.value)) == sorted(schedule.added - schedule.deleted)


def test_the_schedules_exercise_what_they_claim():
    """The random runs reach the cases above: without this, a change to the schedule could
    quietly stop testing resumes, snapshots, lost acks or conflicts."""
    seen = {"deleted": 0, "resent": 0}
    for seed in range(20):
        schedule = run(seed)
        for received in schedule.net.received.values():
            for message in received:
                seen[message.type] = seen.get(message.type, 0) + 1
        seen["deleted"] += len(schedule.deleted)
        seen["resent"] += schedule.net.resent
    assert seen["snapshot"] > 40 and seen["changes"] > 400 and seen["ack"] > 200
    assert seen["deleted"] > 100 and seen["resent"] > 500
