"""Widgets of one class stay apart, as on anywidget: each model evaluates its own module, traits
set before ``super().__init__()`` go out with the first state, and the page counts views in
``_view_count`` when Python set it to a number. Real JupyterLab, real kernel."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from .notebook import Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

# The pattern published packages use: an engine in a top-level variable, created by `initialize`
# when there is none yet, that owns its element and its listeners. With one evaluation shared by
# the class, the second widget would take over the first one's element.
ENGINE = '''import esmwidget, traitlets

class Engine(esmwidget.AnyWidget):
    _esm = """
let engine = null;
export default {
  initialize({ model }) {
    if (engine) return;
    const canvas = document.createElement("div");
    canvas.className = "engine";
    const draw = () => { canvas.textContent = `${model.get("name")}: ${model.get("count")}`; };
    engine = { canvas, draw };
    model.on("change:count", () => engine.draw());
    canvas.onclick = () => { model.set("count", model.get("count") + 1); model.save_changes(); };
  },
  render({ el }) { engine.draw(); el.append(engine.canvas); },
};
"""
    name = traitlets.Unicode().tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)

a = Engine(name="a")
a
'''

# The opt-in: a module exporting `shareModule = true` is evaluated once for all its widgets.
SHARED = '''class Shared(esmwidget.AnyWidget):
    _esm = """
let evaluations = (globalThis.__e2e_shared_runs = (globalThis.__e2e_shared_runs ?? 0) + 1);
export const shareModule = true;
export default {
  render({ model, el }) {
    el.innerHTML = `<span class="shared">${model.get("name")} ${evaluations}</span>`;
  },
};
"""
    name = traitlets.Unicode().tag(sync=True)

display(Shared(name="one"), Shared(name="two"))
'''

EARLY = '''import esmwidget, traitlets

class Early(esmwidget.AnyWidget):
    _esm = """export default {
  render({ model, el }) {
    const show = () => { el.innerHTML = `<span class="early">${model.get("label")}</span>`; };
    model.on("change:label", show);
    show();
  },
};"""
    label = traitlets.Unicode("class default").tag(sync=True)

    def __init__(self, **kwargs):
        # Before super().__init__(), as ipywidgets and anywidget allow.
        self._css = ".early { color: rgb(200, 0, 0) }"
        self.label = "set before super"
        super().__init__(**kwargs)

e = Early()
e
'''

VIEWED = '''import esmwidget, traitlets

class Viewed(esmwidget.AnyWidget):
    _esm = """export default {
  render({ model, el }) {
    const span = document.createElement("span");
    span.className = "viewed";
    const show = () => { span.textContent = `views ${model.get("_view_count")}`; };
    model.on("change:_view_count", show);
    show();
    el.append(span);
  },
};"""

v = Viewed()
v._view_count = 0  # as plotly's FigureWidget does, to learn that it is displayed
display(v)
display(v)
'''


def mistakes(nb: Notebook) -> list[str]:
    """The loader's reports of keys Python would not take, from the browser console."""
    console: list[str] = nb.page.console_messages_e2e  # type: ignore[attr-defined]
    return [line for line in console if "[esmwidget]" in line and "Python" in line]


def test_a_top_level_engine_per_widget_keeps_two_widgets_apart(
    open_notebook: OpenNotebook,
) -> None:
    nb = open_notebook()
    first = nb.run(ENGINE).output.locator(".engine")
    expect(first).to_have_text("a: 0")
    second = nb.run('b = Engine(name="b", count=10)\nb').output.locator(".engine")
    expect(second).to_have_text("b: 10")
    expect(first).to_have_text("a: 0")  # its own element, still in its own view

    # A click on one reaches only its Python object; a Python set on the other, only its view.
    first.click()
    expect(first).to_have_text("a: 1")
    assert nb.py("a.count, b.count") == "1 10"
    nb.run("b.count = 20")
    expect(second).to_have_text("b: 20")
    expect(first).to_have_text("a: 1")
    assert nb.js("() => document.querySelectorAll('.engine').length") == 2

    # The opt-in: one evaluation for every widget of a module that asks for it.
    shared = nb.run(SHARED).output.locator(".shared")
    expect(shared).to_have_text(["one 1", "two 1"])
    expect(nb.page.locator(".esmwidget-error")).to_have_count(0)


def test_a_trait_set_before_super_init_renders(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    span = nb.run(EARLY).output.locator(".early")
    expect(span).to_have_text("set before super")
    expect(span).to_have_css("color", "rgb(200, 0, 0)")
    nb.run('e.label = "then from Python"')
    expect(span).to_have_text("then from Python")


def test_the_page_counts_views_in_view_count_with_no_mistake_note(
    open_notebook: OpenNotebook,
) -> None:
    nb = open_notebook()
    cell = nb.run(VIEWED)
    spans = cell.output.locator(".viewed")
    expect(spans).to_have_text(["views 2", "views 2"])
    assert nb.py("v._view_count") == "2"
    # Views taken off the page count down again.
    cell.clear_output()
    assert any(nb.py("v._view_count") == "0" for _ in range(10))
    expect(nb.page.locator(".esmwidget-error")).to_have_count(0)
    assert mistakes(nb) == []
