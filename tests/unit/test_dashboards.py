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


def test_shinywidgets_renders_the_widget_inside_an_ipywidgets_box():
    needs("shinywidgets")
    out = run(
        """
        import ipywidgets
        box = ipywidgets.Box([counter])  # before shinywidgets, which wants a session for widgets
        from shinywidgets._as_widget import as_widget
        try:
            as_widget(counter)  # shinywidgets draws ipywidgets DOM widgets only
            refused = None
        except TypeError as error:
            refused = str(error)[:40]
        print(json.dumps([as_widget(box) is box, box.get_state("children")["children"], refused]))
        """
    )
    assert out[0] is True
    assert len(out[1]) == 1
    assert out[1][0].startswith("IPY_MODEL_")
    assert out[2].startswith("Don't know how to coerce")


def test_solara_renders_the_widget_in_its_components_through_a_box():
    needs("solara")
    out = run(
        """
        import ipywidgets, solara

        def widgets(w):
            yield w
            for child in getattr(w, "children", ()):
                yield from widgets(child)

        root, rc = solara.render(solara.Column(children=[ipywidgets.Box([counter])]))
        print(json.dumps(any(w is counter for w in widgets(root))))
        """
    )
    assert out is True


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
