"""mount() and its handle: unmounting releases everything the mount registered."""

import pytest

from framework.component import mount
from framework.dom.memory import MemoryDom
from framework.template.keyed import keyed
from tests.unit.render_support import Counter


def test_mount_unmount_1000_times_leaves_nothing_registered():
    dom = MemoryDom()
    for _ in range(1000):
        mounted = mount(Counter(), "#app", backend=dom)
        mounted.unmount()
    assert mounted.renderer.events.owners == {}
    assert len(dom.nodes) == 0


def test_an_unmounted_memory_dom_is_freed_with_what_it_rendered():
    import gc
    import weakref

    dom = MemoryDom()
    mounted = mount(Counter(start=1), "#app", backend=dom)
    mounted.unmount()
    gone = weakref.ref(dom)
    del dom, mounted
    gc.collect()
    assert gone() is None


def test_mount_without_a_document_says_how_to_give_it_one(monkeypatch):
    from framework.component import mounting

    monkeypatch.setattr(mounting, "_default_backend", None)
    with pytest.raises(RuntimeError, match=r"backend=MemoryDom\(\)"):
        mount(Counter(), "#app")


@pytest.mark.parametrize(
    "root",
    [
        lambda: t"{[keyed(v, t'<b>{v}</b>') for v in ('x', 'y')]}",
        lambda: t"<div>{[keyed(v, t'<b>{v}</b>') for v in ('x', 'y')]}</div>",
        lambda: t"{[t'<i>{v}</i>' for v in ('x', 'y')]}<hr>",
    ],
    ids=["only a list", "a list in an element", "a list then an element"],
)
def test_a_root_template_with_a_list_unmounts_to_an_empty_container(root):
    dom = MemoryDom()
    mounted = mount(root(), "#app", backend=dom)
    mounted.unmount()
    assert dom.container("#app").children == []
