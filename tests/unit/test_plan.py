"""The part plan: what is decided (and refused) once per template, before any row is stamped out."""

import pytest

from framework.component import mount
from framework.dom.memory import MemoryDom
from tests.unit.render_support import render


def test_a_new_element_sends_nothing_for_attributes_that_start_absent():
    dom = MemoryDom()
    mounted = mount(t"<p class={None} title={None} ?hidden={False}>x</p>", "#app", backend=dom)
    assert "UNATTR" not in dom.counts
    paragraph = dom.container("#app").find("p")[0]
    assert paragraph.attrs == {}
    mounted.part.set(t"<p class={'a'} title={'t'} ?hidden={True}>x</p>")
    mounted.flush()
    assert paragraph.attrs == {"class": "a", "title": "t", "hidden": ""}
    dom.reset_counts()
    mounted.part.set(t"<p class={None} title={None} ?hidden={False}>x</p>")
    mounted.flush()
    assert dict(dom.counts) == {"UNATTR": 3}
    assert paragraph.attrs == {}


@pytest.mark.parametrize(
    "template",
    [
        lambda v: t"<iframe srcdoc={v}></iframe>",
        lambda v: t"<iframe SRCDOC={v}></iframe>",
        lambda v: t"<div .innerHTML={v}></div>",
        lambda v: t"<div .outerHTML={v}></div>",
    ],
)
def test_bindings_that_parse_html_are_refused(template):
    from framework.template.safety import UnsafeValueError

    with pytest.raises(UnsafeValueError, match="parsed as HTML"):
        render(lambda: template("<script>parent.pwned=1</script>"))


@pytest.mark.parametrize(
    ("modifier", "error"),
    [("prevent", None), ("enter", None), ("prevnt", "prevnt"), ("ctrl", "ctrl")],
)
def test_event_modifiers_are_checked_when_the_template_is_first_rendered(modifier, error):
    from string.templatelib import Interpolation, Template

    template = Template(
        f"<button onclick.{modifier}=", Interpolation(print, "print"), ">x</button>"
    )
    if error is None:
        render(lambda: template)
    else:
        with pytest.raises(ValueError, match=rf"unknown event modifier\(s\) \['{error}'\]"):
            render(lambda: template)
