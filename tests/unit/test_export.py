"""`esmwidget.to_html` / `export_html` and the nbconvert exporter's page data. What the page
runtime reads is tested in js/test/page.test.js, the pages themselves in test_hosts_offline.py."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import sys
from pathlib import Path

import nbformat
import pytest
import traitlets

import esmwidget
from esmwidget._pages.nbconvert import OfflineHTMLExporter, foreign_views

ESM = "export default { render({ model, el }) { el.textContent = model.get('label'); } }"
LONG_ESM = ESM + "\n// " + "padding " * 30


class Label(esmwidget.AnyWidget):
    _esm = LONG_ESM
    label = traitlets.Unicode("").tag(sync=True)


class Box(esmwidget.AnyWidget):
    _esm = ESM
    body = esmwidget.WidgetTrait()
    items = traitlets.List().tag(sync=True, **esmwidget.widget_serialization)


def saved_state(page: str) -> dict:
    block = re.search(
        r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', page, re.S
    )
    assert block is not None
    return json.loads(block[1])


def views(page: str) -> list[str]:
    tags = re.findall(
        r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', page
    )
    return [json.loads(tag)["model_id"] for tag in tags]


def test_a_page_shows_the_widgets_given_and_carries_what_they_reference(comms):
    child, item, unrelated = Label(label="child"), Label(label="item"), Label(label="not shown")
    box = Box(body=child, items=[item])
    page = esmwidget.to_html(box)
    assert views(page) == [box.model_id]
    state = saved_state(page)
    assert state["version_major"] == 2
    assert set(state["state"]) == {box.model_id, child.model_id, item.model_id}
    assert unrelated.model_id not in page
    entry = state["state"][box.model_id]
    assert entry["model_name"] == "AnyModel"
    assert entry["model_module"] == "esmwidget"
    assert entry["state"]["body"] == f"IPY_MODEL_{child.model_id}"


def test_each_long_module_text_is_saved_once(comms):
    widgets = [Label(label=str(i)) for i in range(4)]
    page = esmwidget.to_html(*widgets)
    assert page.count("padding " * 30) == 1
    states = saved_state(page)["state"]
    holders = [states[w.model_id]["state"]["_esm"] for w in widgets]
    assert holders[0] == LONG_ESM
    assert holders[1:] == [{"esmwidget_same_as": widgets[0].model_id}] * 3


def test_nothing_in_the_state_can_end_the_script_element(comms):
    w = Label(label="</script><script>alert(1)</script><!--")
    page = esmwidget.to_html(w, title="<b>Title</b> & more")
    data = page.split('widget-state+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    assert saved_state(page)["state"][w.model_id]["state"]["label"].startswith("</script>")
    assert "<title>&lt;b&gt;Title&lt;/b&gt; &amp; more</title>" in page


def test_binary_values_travel_as_base64_buffers(comms):
    class Blob(esmwidget.AnyWidget):
        _esm = ESM
        data = traitlets.Bytes(b"").tag(sync=True)

    w = Blob(data=b"\x00\x01\xff")
    entry = saved_state(esmwidget.to_html(w))["state"][w.model_id]
    assert "data" not in entry["state"]
    assert entry["buffers"] == [{"encoding": "base64", "path": ["data"], "data": "AAH/"}]


def test_traits_tagged_export_false_stay_out_of_the_page(comms):
    class Secret(esmwidget.AnyWidget):
        _esm = ESM
        token = traitlets.Unicode("hunter2").tag(sync=True, export=False)
        shown = traitlets.Unicode("visible").tag(sync=True)

    page = esmwidget.to_html(Secret())
    assert "hunter2" not in page
    assert "visible" in page


def test_export_html_writes_the_file_titled_after_it(comms, tmp_path):
    path = esmwidget.export_html(tmp_path / "report.html", Label(label="x"))
    assert path == tmp_path / "report.html"
    assert "<title>report</title>" in path.read_text(encoding="utf-8")


def test_a_non_widget_is_refused_with_what_to_pass(comms):
    with pytest.raises(TypeError, match=r"got 'dict', which is not a widget\. Pass AnyWidget"):
        esmwidget.to_html({"a": 1})


def test_nan_is_refused_with_the_reason(comms):
    class Number(esmwidget.AnyWidget):
        _esm = ESM
        value = traitlets.Float(0.0).tag(sync=True)

    # The kernel itself sends NaN as the string "nan", with a warning (jupyter_client).
    with pytest.warns(UserWarning, match="Message serialization failed"):
        number = Number(value=float("nan"))
    with pytest.raises(ValueError, match=r"holds NaN or infinity"):
        esmwidget.to_html(number)


def view_output(model_id: str) -> dict:
    view = {"version_major": 2, "version_minor": 1, "model_id": model_id}
    return {
        "output_type": "display_data",
        "data": {"application/vnd.jupyter.widget-view+json": view},
    }


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        ({"a": ("AnyModel", "esmwidget")}, False),
        ({"a": ("AnyModel", "anywidget")}, False),
        (
            {"a": ("AnyModel", "esmwidget"), "b": ("IntSliderModel", "@jupyter-widgets/controls")},
            True,
        ),
    ],
)
def test_the_nbconvert_page_adds_the_html_manager_only_for_other_widgets(models, expected):
    state = {
        mid: {"model_name": name, "model_module": module, "model_module_version": "*", "state": {}}
        for mid, (name, module) in models.items()
    }
    nb = {
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": state}}},
        "cells": [{"cell_type": "code", "outputs": [view_output(mid) for mid in models]}],
    }
    assert foreign_views(nb) is expected


def test_the_nbconvert_page_carries_files_from_the_notebooks_folder_and_names_what_it_cannot(
    tmp_path: Path,
):
    # A class in a module beside the notebook is found as the kernel found it; one defined in
    # the notebook cannot be, and the exporter's log says which files stay behind.
    refs = 'export default { render() { fetch(new URL("./t.json", import.meta.url)); } };'
    (tmp_path / "nbfiles_here").mkdir()
    (tmp_path / "nbfiles_here" / "w.js").write_text(refs)
    (tmp_path / "nbfiles_here" / "t.json").write_text('{"x": 1}')
    (tmp_path / "nbfiles_here" / "__init__.py").write_text(
        "import pathlib, esmwidget\n"
        "class W(esmwidget.AnyWidget):\n"
        "    _esm = pathlib.Path(__file__).parent / 'w.js'\n"
    )
    state = {
        mid: {
            "model_name": "AnyModel",
            "model_module": "esmwidget",
            "model_module_version": "*",
            "state": {"_esm": refs, "_anywidget_id": class_id},
        }
        for mid, class_id in (("a", "nbfiles_here.W"), ("b", "__main__.Inline"))
    }
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    nb.cells = [
        nbformat.v4.new_code_cell(
            outputs=[{**view_output(mid), "metadata": {}} for mid in ("a", "b")]
        )
    ]
    exporter = OfflineHTMLExporter()
    logged = io.StringIO()
    exporter.log.addHandler(logging.StreamHandler(logged))
    body, _ = exporter.from_notebook_node(nb, {"metadata": {"path": str(tmp_path)}})
    assert str(tmp_path) not in sys.path  # the notebook's folder was searched only meanwhile
    files = json.loads(
        body.split('<script type="application/vnd.esmwidget.files+json">')[1]
        .split("</script>")[0]
        .replace("\\u003c", "<")
    )
    (digest,) = files["classes"]["nbfiles_here.W"].values()
    assert base64.b64decode(files["files"][digest]["data"]) == b'{"x": 1}'
    assert "__main__.Inline" not in files["classes"]
    assert "__main__.Inline's module loads t.json beside it" in logged.getvalue()


def test_a_page_carries_the_layout_and_classes_a_widget_was_given(comms):
    ipywidgets = pytest.importorskip("ipywidgets")
    w = Label(label="x", layout=ipywidgets.Layout(width="300px"), tooltip="hi")
    w.add_class("card")
    state = saved_state(esmwidget.to_html(w))["state"]
    mine = state[w.model_id]["state"]
    assert (mine["tooltip"], mine["_dom_classes"]) == ("hi", ["card"])
    layout = state[mine["layout"].removeprefix("IPY_MODEL_")]
    assert (layout["model_name"], layout["state"]["width"]) == ("LayoutModel", "300px")
