"""Scenarios of the reactive core in one page: a counter, keyed lists (component rows and
template rows), nested components passing events up, an error boundary and two-way bindings.

The test drives it like a user (clicks, typing). `window.__components_reset__()` unmounts the
app and mounts a fresh one, so every test starts from the same state without a new page boot.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, keyed, mount

FIRST_ITEMS = [(1, "alpha"), (2, "beta"), (3, "gamma"), (4, "delta")]


class Counter(Component):
    label: str = "Count"

    def setup(self):
        self.count = Signal(0)

    def increment(self):
        self.count.value += 1

    def render(self):
        return t'<button type="button" class="counter" onclick={self.increment}>{self.label}: {self.count.value}</button>'


# -- keyed lists ---------------------------------------------------------------------------------


class Row(Component):
    """A row with local state (likes), so a recreated row would visibly lose it."""

    item_id: int
    label: str

    def setup(self):
        self.likes = Signal(0)

    def like(self):
        self.likes.value += 1

    def render(self):
        item_id = self.item_id
        return t"""<li class="row" data-id={item_id}>
            <span class="label">{self.label}</span>
            <button type="button" class="like" onclick={self.like}>likes {self.likes.value}</button>
            <button type="button" class="up" onclick={(lambda: self.emit("up", item_id))}>up</button>
            <button type="button" class="remove" onclick={(lambda: self.emit("remove", item_id))}>remove</button>
        </li>"""


class KeyedList(Component):
    """`rows="component"` renders Row components with key=; `rows="template"` keyed templates."""

    rows: str

    def setup(self):
        self.items = Signal(list(FIRST_ITEMS))
        self.draft = Signal("")
        self.next_id = len(FIRST_ITEMS) + 1

    def add(self):
        label = self.draft.value.strip()
        if label:
            self.items.value = [*self.items.value, (self.next_id, label)]
            self.next_id += 1
        self.draft.value = ""

    def remove(self, item_id):
        self.items.value = [item for item in self.items.value if item[0] != item_id]

    def move_up(self, item_id):
        items = list(self.items.value)
        index = [item[0] for item in items].index(item_id)
        if index > 0:
            items[index - 1], items[index] = items[index], items[index - 1]
            self.items.value = items

    def swap_ends(self):
        items = list(self.items.value)
        items[0], items[-1] = items[-1], items[0]
        self.items.value = items

    def reverse(self):
        self.items.value = self.items.value[::-1]

    def template_row(self, item_id, label):
        return keyed(
            item_id,
            t"""<li class="row" data-id={item_id}>
                <span class="label">{label}</span>
                <button type="button" class="up" onclick={(lambda: self.move_up(item_id))}>up</button>
                <button type="button" class="remove" onclick={(lambda: self.remove(item_id))}>remove</button>
            </li>""",
        )

    def render(self):
        if self.rows == "component":
            rows = [
                Row(item_id=i, label=label, key=i, on_up=self.move_up, on_remove=self.remove)
                for i, label in self.items.value
            ]
        else:
            rows = [self.template_row(i, label) for i, label in self.items.value]
        return t"""<section class="keyed-list" id={f"list-{self.rows}"}>
            <form onsubmit.prevent={self.add}>
              <input class="draft" placeholder="New item" bind:value={self.draft}>
              <button type="submit" class="add">Add</button>
            </form>
            <button type="button" class="swap" onclick={self.swap_ends}>Swap ends</button>
            <button type="button" class="reverse" onclick={self.reverse}>Reverse</button>
            <ul class="rows">{rows}</ul>
        </section>"""


# -- nested components with events ---------------------------------------------------------------


class Leaf(Component):
    name: str

    def render(self):
        return t'<button type="button" class="leaf" data-name={self.name} onclick={(lambda: self.emit("pick", self.name))}>{self.name}</button>'


class Branch(Component):
    title: str

    def setup(self):
        self.picks = Signal(0)

    def on_leaf(self, name):
        self.picks.value += 1
        self.emit("pick", f"{self.title}/{name}")

    def render(self):
        leaves = [Leaf(name=name, key=name, on_pick=self.on_leaf) for name in ("x", "y")]
        return t'<fieldset class="branch" data-title={self.title}><legend class="picks">{self.title}: {self.picks.value}</legend>{leaves}</fieldset>'


class Tree(Component):
    def setup(self):
        self.last = Signal("nothing")
        self.seen = Signal(0)

    def pick(self, path):
        self.last.value = path

    def count_click(self):
        self.seen.value += 1

    def render(self):
        return t"""<section id="tree" onclick={self.count_click}>
            <p class="last">picked {self.last.value}</p>
            <p class="seen">clicks seen by the section: {self.seen.value}</p>
            {Branch(title="left", on_pick=self.pick)}
            {Branch(title="right", on_pick=self.pick)}
            <button type="button" class="stopped" onclick.stop={(lambda: None)}>stopped here</button>
        </section>"""


# -- error boundary ------------------------------------------------------------------------------


class Fragile(Component):
    """Raises while `broken` is set; shows its own fallback."""

    broken: Signal

    def render(self):
        if self.broken.value:
            raise ValueError("fragile render failed on purpose: code 7781")
        return t'<p class="fragile">fragile is fine</p>'

    def fallback(self, error):
        return t'<p class="fragile-fallback" role="alert">fragile is unavailable ({type(error).__name__})</p>'


class Brittle(Component):
    """Raises while `broken` is set; shows the framework's default fallback."""

    broken: Signal

    def render(self):
        if self.broken.value:
            raise KeyError("brittle")
        return t'<p class="brittle">brittle is fine</p>'


class Boundaries(Component):
    def setup(self):
        self.broken = Signal(False)

    def set_broken(self, value):
        self.broken.value = value

    def render(self):
        return t"""<section id="boundary">
            <button type="button" class="break" onclick={(lambda: self.set_broken(True))}>Break</button>
            <button type="button" class="repair" onclick={(lambda: self.set_broken(False))}>Repair</button>
            {Fragile(broken=self.broken)}
            {Brittle(broken=self.broken)}
            {Counter(label="Still working")}
        </section>"""


# -- two-way binding -----------------------------------------------------------------------------


class Form(Component):
    def setup(self):
        self.name = Signal("Ada")
        self.agree = Signal(False)
        self.size = Signal("m")
        self.color = Signal("green")
        self.notes = Signal("first line")

    def fill_from_code(self):
        self.name.value = "Grace"
        self.agree.value = True
        self.size.value = "l"
        self.color.value = "blue"
        self.notes.value = "set\nfrom code"

    def summary(self):
        return (
            f"name={self.name.value!r} agree={self.agree.value!r} size={self.size.value!r} "
            f"color={self.color.value!r} notes={self.notes.value!r}"
        )

    def render(self):
        return t"""<form id="form" onsubmit.prevent={(lambda: None)}>
            <input class="name" bind:value={self.name}>
            <span class="echo">{self.name}</span>
            <label><input type="checkbox" class="agree" bind:checked={self.agree}> agree</label>
            <label><input type="radio" name="size" value="s" bind:group={self.size}> S</label>
            <label><input type="radio" name="size" value="m" bind:group={self.size}> M</label>
            <label><input type="radio" name="size" value="l" bind:group={self.size}> L</label>
            <select class="color" bind:value={self.color}>
              <option value="red">Red</option>
              <option value="green">Green</option>
              <option value="blue">Blue</option>
            </select>
            <textarea class="notes" bind:value={self.notes}></textarea>
            <button type="button" class="from-code" onclick={self.fill_from_code}>Fill from code</button>
            <output class="state">{self.summary()}</output>
        </form>"""


# -- scoped styles -------------------------------------------------------------------------------


class TealCard(Component):
    styles = """
        .title { color: rgb(0, 128, 128); }
        @media (min-width: 1px) { .title::after { content: " (teal)"; } }
    """

    def render(self):
        return t'<h3 class="title teal">teal title</h3>'


class PlumCard(Component):
    styles = ".title, .other { color: rgb(142, 69, 133); }"

    def render(self):
        return t'<h3 class="title plum">plum title</h3>{TealCard()}'


class ScopedStyles(Component):
    def render(self):
        return t"""<section id="scoped">
            {PlumCard()}
            <h3 class="title plain">plain title</h3>
        </section>"""


class App(Component):
    def render(self):
        return t"""<main>
            <section id="counter">{Counter()}</section>
            {KeyedList(rows="component")}
            {KeyedList(rows="template")}
            {Tree()}
            {Boundaries()}
            {Form()}
            {ScopedStyles()}
        </main>"""


mounted = [mount(App(), "#app")]


def reset():
    mounted.pop().unmount()
    mounted.append(mount(App(), "#app"))


js.window.__components_reset__ = create_proxy(reset)
