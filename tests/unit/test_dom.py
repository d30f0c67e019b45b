"""The parts of an ipywidgets DOM widget an esmwidget widget has: `layout`, CSS classes,
`tooltip`, `tabbable`. None is in the state until set; `layout` needs ipywidgets. (That
``isinstance`` sees a DOM widget, and what libraries then do with it: test_ipywidgets.py and
test_dashboards.py.)"""

from __future__ import annotations

import sys

import pytest
import traitlets

import esmwidget
from esmwidget.testing import FrontEnd

DOM = {"layout", "_dom_classes", "tooltip", "tabbable"}


class Counter(esmwidget.AnyWidget):
    _esm = "export default {}"
    count = traitlets.Int(0).tag(sync=True)


def test_a_widget_that_never_uses_them_sends_none_of_them(comms):
    w = Counter(count=1)
    assert len(comms) == 1
    assert DOM.isdisjoint(comms[0].sent[0].data["state"])
    assert DOM.isdisjoint(w.keys)
    assert DOM.isdisjoint(w.get_state())
    assert repr(w._repr_mimebundle_()["text/plain"]) == repr("Counter(count=1)")


def test_classes_tooltip_and_tabbable_are_sent_once_set_and_kept_in_the_state(comms):
    w = Counter()
    page = FrontEnd(w)
    assert w.add_class("card").add_class("wide") is w
    w.add_class("card")  # already there: nothing sent
    w.remove_class("wide")
    w.tooltip = "clicks so far"
    w.tabbable = True
    page.sync()
    updates = [m["state"] for m in comms[0].messages("update")]
    assert updates == [
        {"_dom_classes": ["card"]},
        {"_dom_classes": ["card", "wide"]},
        {"_dom_classes": ["card"]},
        {"tooltip": "clicks so far"},
        {"tabbable": True},
    ]
    assert page.request_state()["_dom_classes"] == ["card"]
    assert w.keys[-3:] == ["_dom_classes", "tooltip", "tabbable"]
    assert repr(w._repr_mimebundle_()["text/plain"]) == repr("Counter(count=0)")


def test_they_can_be_given_at_construction_and_go_with_the_first_state(comms):
    Counter(tooltip="hello", _dom_classes=("a", "b"), count=2)
    state = comms[0].sent[0].data["state"]
    assert (state["tooltip"], state["_dom_classes"], state["count"]) == ("hello", ["a", "b"], 2)
    assert len(comms) == 1


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("tooltip", 3, "Counter.tooltip must be a string or None, not 3"),
        ("tabbable", "yes", "Counter.tabbable must be True, False or None, not 'yes'"),
        ("_dom_classes", ["ok", ""], "CSS class names (non-empty strings), not ''"),
    ],
)
def test_wrong_values_are_refused_naming_the_key_and_the_value(comms, name, value, expected):
    w = Counter()
    with pytest.raises(TypeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        setattr(w, name, value)
    assert comms[0].messages("update") == []


def test_a_trait_of_the_same_name_takes_the_place_of_the_dom_key(comms):
    class Tipped(esmwidget.AnyWidget):
        _esm = "export default {}"
        tooltip = traitlets.Unicode("mine").tag(sync=True)

    w = Tipped(tooltip="given")
    assert comms[0].sent[0].data["state"]["tooltip"] == "given"
    assert w.keys.count("tooltip") == 1


def test_layout_is_an_ipywidgets_layout_made_at_first_use(comms):
    ipywidgets = pytest.importorskip("ipywidgets")
    w = Counter()
    assert len(comms) == 1
    layout = w.layout  # the Layout widget opens its own comm, and the widget names it
    assert isinstance(layout, ipywidgets.Layout)
    assert w.layout is layout
    assert comms[0].messages("update")[-1]["state"] == {"layout": "IPY_MODEL_" + layout.model_id}
    w.layout.width = "300px"  # a live change goes over the Layout's comm
    layout_comm = next(c for c in comms if c.comm_id == layout.model_id)
    assert layout_comm.messages("update")[-1]["state"] == {"width": "300px"}


def test_layout_at_construction_and_as_a_dict(comms):
    ipywidgets = pytest.importorskip("ipywidgets")
    given = ipywidgets.Layout(width="300px", border="2px solid red")
    w = Counter(layout=given)
    assert comms[-1].sent[0].data["state"]["layout"] == "IPY_MODEL_" + given.model_id
    w.layout = {"height": "80px"}
    assert isinstance(w.layout, ipywidgets.Layout)
    assert w.layout.height == "80px"
    with pytest.raises(TypeError, match=r"Counter.layout must be an ipywidgets Layout or a dict"):
        w.layout = "300px"


def test_without_ipywidgets_layout_says_how_to_get_it(comms, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # importing it now fails
    w = Counter()
    with pytest.raises(AttributeError, match=r"pip install ipywidgets"):
        w.layout  # noqa: B018
    assert not hasattr(w, "layout")  # code that asks first goes on without one
    w.add_class("still-works")
    assert w.get_state("_dom_classes") == {"_dom_classes": ["still-works"]}
