"""Refs: ref={r} gives the element once it is in the document."""

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal
from framework.template.ref import Ref


def test_ref_gives_the_node():
    ref = Ref()

    class Focus(Component):
        def render(self):
            return t"<input ref={ref}>"

    dom = MemoryDom()
    mount(Focus(), "#app", backend=dom)
    assert ref.current is dom.container("#app").find("input")[0]


def test_a_ref_is_empty_before_its_element_exists_and_after_it_goes():
    ref, shown = Ref(), Signal(True)

    class Toggle(Component):
        def render(self):
            return t"<div>{t'<input ref={ref}>' if shown.value else None}</div>"

    assert ref.current is None
    dom = MemoryDom()
    mounted = mount(Toggle(), "#app", backend=dom)
    assert ref.current is dom.container("#app").find("input")[0]
    shown.value = False
    mounted.flush()
    assert ref.current is None
