"""With ipywidgets installed, its containers, links and close_all take esmwidget widgets.

Each case runs in a fresh interpreter, because the order of the imports is what is tested and
ipywidgets, once imported, stays imported (and adapted) for the rest of a process.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ipywidgets") is None, reason="ipywidgets is not installed"
)

WIDGETS = """
import json
import traitlets
from esmwidget.experimental import dataclass

class Counter(esmwidget.AnyWidget):
    _esm = "export default {}"
    count = traitlets.Int(0).tag(sync=True)

@dataclass(esm="export default {}")
class Point:
    x: int = 1
"""

ORDERS = {
    "ipywidgets first": "import ipywidgets\nimport esmwidget\n" + WIDGETS,
    "esmwidget first": "import esmwidget\n" + WIDGETS + "import ipywidgets\n",
}


def run(order: str, code: str) -> object:
    """Run the imports in `order`, then `code`; return what it printed as JSON."""
    script = ORDERS[order] + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("order", ORDERS)
def test_every_container_takes_esmwidget_children_as_references(order):
    out = run(
        order,
        """
        c, p, s = Counter(), Point(), ipywidgets.IntSlider()
        refs = {}
        for name in ["HBox", "VBox", "GridBox", "Box", "Tab", "Accordion", "Stack"]:
            box = getattr(ipywidgets, name)([c, s, p])
            refs[name] = box.get_state("children")["children"]
        ids = (c.model_id, s.model_id, p._repr_mimebundle_.model_id)
        expected = ["IPY_MODEL_" + m for m in ids]
        same = all(r == expected for r in refs.values())
        print(json.dumps({"same": same, "names": sorted(refs)}))
        """,
    )
    assert out == {
        "same": True,
        "names": ["Accordion", "Box", "GridBox", "HBox", "Stack", "Tab", "VBox"],
    }


@pytest.mark.parametrize("order", ORDERS)
def test_jslink_and_jsdlink_take_esmwidget_ends(order):
    out = run(
        order,
        """
        c, s = Counter(), ipywidgets.IntSlider()
        link = ipywidgets.jslink((s, "value"), (c, "count"))
        dlink = ipywidgets.jsdlink((c, "count"), (s, "value"))
        print(json.dumps([link.get_state("target")["target"], dlink.get_state("source")["source"],
                          ["IPY_MODEL_" + c.model_id, "count"]]))
        """,
    )
    target, source, expected = out
    assert target == source == expected


@pytest.mark.parametrize("order", ORDERS)
def test_close_all_closes_esmwidget_widgets_too(order):
    out = run(
        order,
        """
        c, p, s = Counter(), Point(), ipywidgets.IntSlider()
        model = p._repr_mimebundle_
        model.model_id  # open the described object's comm
        ipywidgets.Widget.close_all()
        print(json.dumps([c.comm is None, s.comm is None, model.link.channel.closed]))
        """,
    )
    assert out == [True, True, True]


@pytest.mark.parametrize("order", ORDERS)
def test_what_is_still_refused_is_refused_with_ipywidgets_own_error(order):
    out = run(
        order,
        """
        errors = []
        s = ipywidgets.IntSlider()
        for make in (lambda: ipywidgets.HBox([object()]),
                     lambda: ipywidgets.jslink((Counter(), "nope"), (s, "value")),
                     lambda: ipywidgets.AppLayout(center=Point())):  # no layout: not a DOM widget
            try:
                make()
                errors.append(None)
            except (traitlets.TraitError, TypeError) as error:
                errors.append(type(error).__name__ + ": " + str(error)[:60])
        print(json.dumps(errors))
        """,
    )
    assert out[0].startswith("TraitError: The 'children' trait of a HBox instance")
    assert out[1].startswith("TypeError: No such trait: Counter.nope")
    assert out[2].startswith("TraitError: The 'center' trait of an AppLayout instance")


@pytest.mark.parametrize("order", ORDERS)
def test_an_esmwidget_widget_is_an_ipywidgets_dom_widget_to_isinstance(order):
    out = run(
        order,
        """
        from ipywidgets.widgets.domwidget import DOMWidget
        c = Counter()
        print(json.dumps([isinstance(c, ipywidgets.Widget), isinstance(c, DOMWidget),
                          isinstance(c, ipywidgets.Button), issubclass(Counter, ipywidgets.Widget),
                          isinstance(Point(), DOMWidget),
                          isinstance(ipywidgets.Button(), DOMWidget),
                          isinstance(1, ipywidgets.Widget)]))
        """,
    )
    assert out == [True, True, False, False, False, True, False]


@pytest.mark.parametrize("order", ORDERS)
def test_layout_templates_place_it_directly(order):
    out = run(
        order,
        """
        a, b, c = Counter(), Counter(), Counter()
        app = ipywidgets.AppLayout(header=a, center=b)
        grid = ipywidgets.GridspecLayout(2, 2)
        grid[0, :] = c
        two = ipywidgets.TwoByTwoLayout(top_left=Counter(), bottom_right=Counter())
        print(json.dumps([
            app.get_state("children")["children"] == ["IPY_MODEL_" + a.model_id,
                                                      "IPY_MODEL_" + b.model_id],
            b.layout.grid_area, c.layout.grid_area is not None,
            [w.layout.grid_area for w in two.children],
            b.get_state("layout")["layout"] == "IPY_MODEL_" + b.layout.model_id,
        ]))
        """,
    )
    assert out[0] is True
    assert out[1] == "center"
    assert out[2] is True
    assert out[3] == ["top-left", "bottom-right"]
    assert out[4] is True


def test_an_instancecheck_installed_before_still_runs_first():
    # Another library may have wrapped traitlets' check already: both answer.
    script = textwrap.dedent(
        """
        import json, traitlets
        from traitlets.traitlets import MetaHasTraits
        class Marked: pass
        def theirs(cls, instance):
            return isinstance(instance, Marked) or type.__instancecheck__(cls, instance)
        MetaHasTraits.__instancecheck__ = theirs
        import esmwidget, ipywidgets
        class Counter(esmwidget.AnyWidget):
            _esm = "export default {}"
        print(json.dumps([isinstance(Marked(), ipywidgets.Widget),
                          isinstance(Counter(), ipywidgets.DOMWidget),
                          isinstance(object(), ipywidgets.Widget)]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, False]


def test_a_reference_from_the_front_end_resolves_to_the_esmwidget_widget():
    out = run(
        "esmwidget first",
        """
        from ipywidgets.widgets.widget import widget_serialization
        c = Counter()
        back = widget_serialization["from_json"](["IPY_MODEL_" + c.model_id], None)
        print(json.dumps(back[0] is c))
        """,
    )
    assert out is True


def test_importing_esmwidget_alone_leaves_ipywidgets_unimported():
    out = subprocess.run(
        [sys.executable, "-c", "import esmwidget, sys; print('ipywidgets' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
