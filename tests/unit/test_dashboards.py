"""Dashboard frameworks accept esmwidget widgets, at the Python level (their servers, in a
browser: tests/e2e/test_dashboards.py). Each runs in a fresh interpreter: importing Panel
replaces `comm.create_comm`, and ipywidgets, once imported, stays imported."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

COUNTER = """
import json
import esmwidget, traitlets

class Counter(esmwidget.AnyWidget):
    _esm = "export default { render({ el }) { el.textContent = 'hi'; } }"
    count = traitlets.Int(3).tag(sync=True)

counter = Counter()
"""


def needs(module: str) -> None:
    """Skip unless `module` is installed, without importing it into the test process."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def run(code: str) -> object:
    script = COUNTER + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_panel_shows_the_widget_itself_in_its_ipywidget_pane():
    needs("panel")
    out = run(
        """
        import panel as pn
        pane = pn.panel(counter)
        explicit = pn.pane.IPyWidget(counter)
        model = explicit.get_root().children[0]  # the Bokeh model the page gets
        saved = model.bundle["state"]["state"][counter.model_id]
        print(json.dumps([type(pane).__name__, model.bundle["spec"]["model_id"] == counter.model_id,
                          saved["model_name"], saved["state"]["count"]]))
        """
    )
    assert out == ["IPyWidget", True, "AnyModel", 3]


def test_shinywidgets_takes_the_widget_itself():
    needs("shinywidgets")
    out = run(
        """
        import ipywidgets  # adapted: the widget is a DOM widget to shinywidgets' check
        counter.layout  # made before shinywidgets, which wants a session for new widgets
        from shinywidgets._as_widget import as_widget
        from shinywidgets._render_widget_base import set_layout_defaults
        widget = as_widget(counter)
        # What render_widget does with the widget it is given: it reads its layout.
        _, fill = set_layout_defaults(widget)
        print(json.dumps([widget is counter, fill,
                          counter.get_state("layout")["layout"].startswith("IPY_MODEL_")]))
        """
    )
    assert out[0] is True
    assert out[1] is True  # no height set: the widget fills its output
    assert out[2] is True


def test_solara_components_take_the_widget_as_a_child():
    needs("solara")
    out = run(
        """
        import solara

        def widgets(w):
            yield w
            for child in getattr(w, "children", ()):
                yield from widgets(child)

        root, rc = solara.render(solara.Column(children=[counter]))
        card, _ = solara.render(solara.Card("title", children=[counter]))
        print(json.dumps([any(w is counter for w in widgets(root)),
                          any(w is counter for w in widgets(card))]))
        """
    )
    assert out == [True, True]


def test_ipyleaflet_takes_the_widget_in_a_map_control():
    needs("ipyleaflet")
    out = run(
        """
        import ipyleaflet  # WidgetControl.widget is an Instance(DOMWidget) trait
        control = ipyleaflet.WidgetControl(widget=counter, position="topright")
        m = ipyleaflet.Map(center=(52, 5), zoom=4)
        m.add(control)
        reference = control.get_state("widget")["widget"]
        print(json.dumps([control.widget is counter, control in m.controls,
                          reference == "IPY_MODEL_" + counter.model_id]))
        """
    )
    assert out == [True, True, True]


def test_ipywidgets_embedding_saves_esmwidget_widgets_and_their_containers():
    needs("ipywidgets")
    out = run(
        """
        import ipywidgets
        from ipywidgets import embed
        alone = embed.embed_data(views=[counter])["manager_state"]["state"]
        nested = embed.dependency_state([ipywidgets.HBox([counter])])
        print(json.dumps([sorted(m["model_name"] for m in alone.values()),
                          counter.model_id in nested, nested[counter.model_id]["state"]["count"]]))
        """
    )
    assert out == [["AnyModel"], True, 3]
