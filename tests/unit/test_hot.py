"""Hot reload on the memory DOM: a module's new code swapped into mounted components, state kept."""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from framework import MemoryDom, mount
from framework.component import Mounted, hot
from framework.component import host as hosting
from framework.testing import Screen, User

NAME = "hot_counter"

COUNTER = """
from framework import Component, Signal


class Base(Component):
    def text(self, count):
        return f"Clicks: {count}"


class Counter(Base):
    step: int = 1

    def setup(self):
        self.count = Signal(0)

    def bump(self):
        self.count.value += self.step

    def render(self):
        return t"<button onclick={self.bump}>{self.text(self.count.value)}</button>"


class Field(Component):
    def render(self):
        return t"<label>Name <input></label>"


class Page(Component):
    def render(self):
        return t"<main>{Counter()}{Field()}</main>"
"""

Load = Callable[[str], ModuleType]


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Load]:
    """Import `source` as the module NAME from a file, with hot reload on; undone afterwards."""
    sys.path.insert(0, str(tmp_path))
    hot.enable()

    def importing(source: str) -> ModuleType:
        (tmp_path / f"{NAME}.py").write_text(source)
        __import__(NAME)
        return sys.modules[NAME]

    yield importing
    sys.path.remove(str(tmp_path))
    sys.modules.pop(NAME, None)
    hosting.live_hosts = None


def clicked_page(load: Load, clicks: int = 3) -> tuple[Mounted, Screen, User]:
    """The Page mounted, its counter clicked `clicks` times and "Ada" typed into its field."""
    module = load(COUNTER)
    dom = MemoryDom()
    page = mount(module.Page(), "#app", backend=dom)
    screen, user = Screen(dom), User(dom)
    for _ in range(clicks):
        user.click(screen.get_by_role("button"))
    user.type(screen.get_by_label_text("Name"), "Ada")
    return page, screen, user


def swap(source: str, page: Mounted | None = None) -> hot.Outcome:
    """The module's code replaced by `source`, and the page's DOM brought up to date."""
    outcome = hot.swap_module(NAME, source)
    if page is not None:
        page.flush()
    return outcome


def test_a_new_label_renders_and_the_instance_keeps_its_signals(load: Load) -> None:
    page, screen, user = clicked_page(load)
    field = screen.get_by_label_text("Name")

    outcome = swap(COUNTER.replace("Clicks:", "Count:"), page)

    assert outcome == hot.Applied(NAME, ("Base", "Counter", "Field", "Page"), 3)
    assert screen.get_by_role("button").text_content == "Count: 3"
    user.click(screen.get_by_role("button"))
    assert screen.get_by_role("button").text_content == "Count: 4"
    assert screen.get_by_label_text("Name") is field  # an unchanged template keeps its DOM
    assert field.value == "Ada"


def test_new_methods_run_on_the_old_instances_and_the_class_keeps_its_identity(
    load: Load,
) -> None:
    page, screen, user = clicked_page(load, clicks=2)
    counter_class = sys.modules[NAME].Counter
    button = screen.get_by_role("button")

    swap(COUNTER.replace("self.count.value += self.step", "self.count.value += 10"), page)

    user.click(screen.get_by_role("button"))
    assert screen.get_by_role("button").text_content == "Clicks: 12"
    assert screen.get_by_role("button") is button  # same markup: updated in place
    assert sys.modules[NAME].Counter is counter_class
    live = [host.instance for host in hosting.live_hosts or () if host.component is counter_class]
    assert len(live) == 1 and isinstance(live[0], counter_class)


def test_super_calls_in_the_new_code_find_the_kept_class(load: Load) -> None:
    page, screen, _ = clicked_page(load, clicks=1)
    calls_super = COUNTER.replace(
        "    def bump(self):",
        "    def text(self, count):\n        return super().text(count) + '!'\n\n    def bump(self):",
    )

    assert isinstance(swap(calls_super, page), hot.Applied)

    assert screen.get_by_role("button").text_content == "Clicks: 1!"


@pytest.mark.parametrize(
    ("broken", "error"),
    [
        (COUNTER.replace("def bump(self):", "def bump(self:"), SyntaxError),
        (COUNTER + "\nfrom framework import no_such_name\n", ImportError),
    ],
    ids=["syntax error", "import error"],
)
def test_code_that_fails_keeps_the_old_code_running(
    load: Load, broken: str, error: type[Exception]
) -> None:
    page, screen, user = clicked_page(load, clicks=1)
    module = sys.modules[NAME]

    outcome = swap(broken.replace("Clicks:", "Count:"))

    assert isinstance(outcome, hot.Failed) and isinstance(outcome.error, error)
    assert sys.modules[NAME] is module
    user.click(screen.get_by_role("button"))
    assert screen.get_by_role("button").text_content == "Clicks: 2"
    assert isinstance(swap(COUNTER.replace("Clicks:", "Fixed:"), page), hot.Applied)
    assert screen.get_by_role("button").text_content == "Fixed: 2"


STORE = """
from framework import Store

visits = Store("visits", int, default=0, area="memory")
"""
MODEL = """
from pydantic import BaseModel


class Todo(BaseModel):
    title: str
"""


@pytest.mark.parametrize(
    ("first", "edited", "reason"),
    [
        (STORE, STORE, "module-level visits (Store) would start over"),
        (MODEL, MODEL.replace("str", "str = ''"), "defines the pydantic model Todo"),
        (
            "from framework import Signal\nshared = Signal(0)\n",
            "from framework import Signal\nshared = Signal(1)\n",
            "module-level shared (Signal)",
        ),
        (
            "from framework import Signal\nclass Tabs:\n    def __init__(self):\n"
            "        self.open = Signal(0)\ntabs = Tabs()\n",
            "from framework import Signal\nclass Tabs:\n    def __init__(self):\n"
            "        self.open = Signal(1)\ntabs = Tabs()\n",
            "module-level tabs (Tabs)",
        ),
        (COUNTER, COUNTER + "\nprint('hello')\n", "runs `print('hello')` when the module runs"),
        (COUNTER, COUNTER + "\nfor i in range(3):\n    pass\n", "a for loop at module level"),
        (
            COUNTER,
            COUNTER.replace("class Counter(Base):", "class Counter(Component):"),
            "the base classes of Counter changed",
        ),
    ],
    ids=[
        "a Store",
        "a pydantic model",
        "a module-level signal",
        "an object holding a signal",
        "a call",
        "a loop",
        "bases",
    ],
)
def test_edits_that_cannot_be_applied_in_place_ask_for_a_reload(
    load: Load, first: str, edited: str, reason: str
) -> None:
    module = load(first)

    outcome = swap(edited)

    assert isinstance(outcome, hot.NeedsReload)
    assert reason in outcome.reason
    assert sys.modules[NAME] is module  # nothing was swapped


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            ("    step: int = 1\n", ""),
            "Counter no longer has the prop step that its mounted instances have",
        ),
        (("    step: int = 1\n", "    step: int = 1\n    size: int\n"), "new required prop size"),
        (
            ("self.count = Signal(0)", "self.count = Signal(0)\n        self.total = Signal(0)"),
            "Counter.setup() now makes total, which its mounted instances do not have",
        ),
    ],
    ids=["a prop removed", "a required prop added", "a field added to setup()"],
)
def test_changes_mounted_instances_cannot_take_ask_for_a_reload(
    load: Load, edit: tuple[str, str], reason: str
) -> None:
    clicked_page(load, clicks=1)

    outcome = swap(COUNTER.replace(*edit))

    assert isinstance(outcome, hot.NeedsReload)
    assert reason in outcome.reason


def test_a_new_prop_with_a_default_reaches_mounted_instances(load: Load) -> None:
    page, screen, user = clicked_page(load, clicks=1)
    edited = COUNTER.replace("    step: int = 1\n", "    step: int = 1\n    suffix: str = '!'\n")

    edited = edited.replace("{self.text(", "{self.suffix}{self.text(")

    assert isinstance(swap(edited, page), hot.Applied)

    user.click(screen.get_by_role("button"))
    assert screen.get_by_role("button").text_content == "!Clicks: 2"


def test_the_entry_module_asks_for_a_reload() -> None:
    outcome = hot.swap_module("__main__", "x = 1\n")

    assert outcome == hot.NeedsReload(
        "__main__", "it is the entry module, which runs once, at start"
    )


def test_a_parents_new_markup_keeps_its_childrens_state(load: Load) -> None:
    page, screen, user = clicked_page(load)
    field = screen.get_by_label_text("Name")
    edited = COUNTER.replace(
        't"<main>{Counter()}{Field()}</main>"',
        't"<section><h1>App</h1>{Counter()}{Field()}</section>"',
    )

    assert isinstance(swap(edited, page), hot.Applied)

    assert screen.get_by_role("heading").text_content == "App"
    assert screen.get_by_role("button").text_content == "Clicks: 3"
    assert screen.get_by_label_text("Name") is field  # moved into the new markup, not made anew
    assert field.value == "Ada"
    user.click(screen.get_by_role("button"))
    assert screen.get_by_role("button").text_content == "Clicks: 4"
    assert len(hosting.live_hosts or ()) == 3  # Page, Counter, Field: none left behind


PAIR = """
from framework import Component, Signal


class Counter(Component):
    label: str = ""

    def setup(self):
        self.count = Signal(0)

    def bump(self):
        self.count.value += 1

    def render(self):
        return t"<button onclick={self.bump}>{self.label} {self.count.value}</button>"


class Other(Component):
    def render(self):
        return t"<p>other</p>"


class Page(Component):
    def render(self):
        return MARKUP
"""


def pair_page(load: Load, markup: str) -> tuple[Mounted, Screen]:
    """A Page rendering `markup`, its buttons clicked 1, 2, ... times in order."""
    module = load(PAIR.replace("MARKUP", markup))
    dom = MemoryDom()
    page = mount(module.Page(), "#app", backend=dom)
    screen, user = Screen(dom), User(dom)
    for clicks, button in enumerate(screen.get_all_by_role("button"), start=1):
        for _ in range(clicks):
            user.click(button)
    return page, screen


def buttons(screen: Screen) -> list[str]:
    return [button.text_content for button in screen.get_all_by_role("button")]


def mounted_classes() -> list[str]:
    return sorted(host.component.__name__ for host in hosting.live_hosts or ())


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (
            "t\"<main>{Counter(label='a')}{Counter(label='b')}</main>\"",
            "t\"<div>{Counter(label='a')}<hr>{Counter(label='b')}</div>\"",
            ["a 1", "b 2"],
        ),
        (
            "t\"<main>{Counter(label='a')}{Counter(label='b')}</main>\"",
            "t\"<div>{Other()}{t'<p>{Counter(label=\"a\")}</p>'}{Counter(label='b')}</div>\"",
            ["a 1", "b 2"],
        ),
        (
            "t\"<main>{Counter(label='a', key='a')}{Counter(label='b', key='b')}</main>\"",
            "t\"<div>{Counter(label='b', key='b')}{Counter(label='a', key='a')}</div>\"",
            ["b 2", "a 1"],
        ),
        (
            "t\"<ul>{[Counter(label=n, key=n) for n in ('a', 'b', 'c')]}</ul>\"",
            "t\"<ol>{[Counter(label=n, key=n) for n in ('c', 'a')]}</ol>\"",
            ["c 3", "a 1"],
        ),
    ],
    ids=[
        "in order",
        "another class and a nested template around them",
        "keyed slots",
        "a keyed list",
    ],
)
def test_children_of_one_class_are_matched_in_order_or_by_key(
    load: Load, before: str, after: str, shown: list[str]
) -> None:
    page, screen = pair_page(load, before)

    assert isinstance(swap(PAIR.replace("MARKUP", after), page), hot.Applied)

    assert buttons(screen) == shown


@pytest.mark.parametrize(
    ("after", "mounted"),
    [
        ('t"<div>{Other()}</div>"', ["Other", "Page"]),
        ('t"<div>none</div>"', ["Page"]),
        ('t"<div><ul>{[Other()]}</ul></div>"', ["Other", "Page"]),
    ],
    ids=["its class changed", "it disappeared", "another class in a list"],
)
def test_a_child_the_new_markup_does_not_call_is_unmounted(
    load: Load, after: str, mounted: list[str]
) -> None:
    page, screen = pair_page(load, 't"<main>{Counter()}</main>"')

    assert isinstance(swap(PAIR.replace("MARKUP", after), page), hot.Applied)

    assert screen.query_by_role("button") is None
    assert mounted_classes() == mounted


@pytest.mark.parametrize(
    "before",
    [
        't"<main>{Counter(key=1)}{Counter(key=2)}</main>"',
        't"<main><ul>{[Counter(key=1), Counter(key=2)]}</ul></main>"',
    ],
    ids=["a slot", "a list"],
)
def test_new_markup_that_fails_to_render_leaves_no_child_behind(load: Load, before: str) -> None:
    page, screen = pair_page(load, before)
    broken = PAIR.replace("MARKUP", 't"<div>{Counter(key=1)}{Counter(key=2)}{object()}</div>"')

    swap(broken, page)  # the counters were taken, then put back: Page shows its fallback

    assert screen.query_by_role("button") is None
    assert mounted_classes() == ["Page"]
    assert isinstance(swap(PAIR.replace("MARKUP", before), page), hot.Applied)
    assert buttons(screen) == [" 0", " 0"]  # mounted afresh: the fallback had replaced them
