"""esmwidget widgets among ipywidgets in real JupyterLab: inside containers, linked with jslink,
holding an ipywidgets child, closed by close_all, and restored after a page reload.

The kernel imports ipywidgets itself (esmwidget never does); these cells are what a user writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, expect

from . import sources
from .notebook import Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

# A parent whose module draws its `child` (any widget) with host.getWidget.
HOLDER = '''
class Holder(esmwidget.AnyWidget):
    _esm = """export default { async render({ model, el, host }) {
  const slot = document.createElement('div'); slot.className = 'holder-slot'; el.append(slot);
  const child = await host.getWidget(model.get('child'));
  await child.render({ el: slot });
} }"""
    child = esmwidget.WidgetTrait()
'''


def nudge(slider: Locator, times: int) -> None:
    """Move an ipywidgets slider with the keyboard, as a user would."""
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press("ArrowRight")


@pytest.mark.parametrize(
    ("container", "selector"),
    [
        ("HBox", ".widget-hbox"),
        ("VBox", ".widget-vbox"),
        ("GridBox", ".widget-gridbox"),
        ("Accordion", ".widget-accordion"),
        ("Tab", ".widget-tab"),
        ("Stack", ".widget-container"),
    ],
)
def test_counter_inside_an_ipywidgets_container(
    open_notebook: OpenNotebook, container: str, selector: str
) -> None:
    nb = open_notebook()
    code = (
        "import ipywidgets\n" + sources.COUNTER_CLASS + "w = Counter()\n"
        f"box = ipywidgets.{container}([w, ipywidgets.IntSlider(description='s')])\n"
    )
    if container in ("Accordion", "Tab", "Stack"):
        code += "box.selected_index = 0\n"
    cell = nb.run(code + "box")
    button = cell.output.locator(f"{selector} button.counter").first
    expect(button).to_have_text("count is 0")
    button.click()
    button.click()
    expect(button).to_have_text("count is 2")
    assert nb.py("w.count") == "2"
    nb.run("w.count = 40")
    expect(button).to_have_text("count is 40")


def test_jslink_and_jsdlink_move_values_in_the_page(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        sources.COUNTER_CLASS + "import ipywidgets\n"
        "w = Counter(count=1)\n"
        "s = ipywidgets.IntSlider(value=1, max=100)\n"
        "t = ipywidgets.IntText(value=0)\n"
        "link = ipywidgets.jslink((s, 'value'), (w, 'count'))\n"
        "dlink = ipywidgets.jsdlink((w, 'count'), (t, 'value'))\n"
        "ipywidgets.VBox([s, w, t])"
    )
    button = cell.output.locator("button.counter")
    text = cell.output.locator(".widget-text input")
    expect(button).to_have_text("count is 1")
    button.click()  # counter -> slider (jslink, both ways) and -> text (jsdlink)
    expect(cell.output.locator(".widget-readout")).to_have_text("2")
    expect(text).to_have_value("2")
    nudge(cell.output.locator(".widget-slider"), 3)  # slider -> counter
    expect(button).to_have_text("count is 5")
    expect(text).to_have_value("5")
    assert nb.py("(w.count, s.value, t.value)") == "(5, 5, 5)"


def test_an_ipywidgets_child_drawn_by_host_get_widget(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import esmwidget, ipywidgets\n" + HOLDER + "s = ipywidgets.IntSlider(value=3)\n"
        "h = Holder(child=s)\nh"
    )
    slider = cell.output.locator(".holder-slot .widget-slider")
    expect(slider.locator(".widget-readout")).to_have_text("3")
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
    nudge(slider, 2)
    expect(slider.locator(".widget-readout")).to_have_text("5")
    assert nb.py("s.value") == "5"
    nb.run("s.value = 9")
    expect(slider.locator(".widget-readout")).to_have_text("9")


def test_close_all_closes_esmwidget_widgets_and_their_views(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.COUNTER + "\nimport ipywidgets\ndisplay(w, ipywidgets.IntSlider())")
    expect(cell.output.locator("button.counter")).to_have_count(1)
    expect(cell.output.locator(".widget-slider")).to_have_count(1)
    nb.run("ipywidgets.Widget.close_all()")
    expect(cell.output.locator("button.counter")).to_have_count(0)
    expect(cell.output.locator(".widget-slider")).to_have_count(0)
    assert nb.py("w.comm is None") == "True"


def test_a_saved_notebook_with_an_hbox_comes_back_after_a_reload(
    open_notebook: OpenNotebook,
) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import ipywidgets\n" + sources.COUNTER_CLASS + "w = Counter()\n"
        "ipywidgets.HBox([w, ipywidgets.IntSlider(value=7)])"
    )
    button = cell.output.locator(".widget-hbox button.counter")
    button.click()
    expect(button).to_have_text("count is 1")
    nb.save()
    nb.reload()
    output = nb.cell(0).output
    button = output.locator(".widget-hbox button.counter")
    expect(button).to_have_text("count is 1")
    expect(output.locator(".widget-readout")).to_have_text("7")
    button.click()
    expect(button).to_have_text("count is 2")
    assert nb.py("w.count") == "2"


def test_what_never_needed_adapting_still_works(open_notebook: OpenNotebook) -> None:
    """interactive_output and Output capture show esmwidget widgets; Python-side links move."""
    nb = open_notebook()
    cell = nb.run(
        "import ipywidgets, traitlets\n" + sources.COUNTER_CLASS + "w = Counter()\n"
        "s = ipywidgets.IntSlider(value=4)\n"
        "ipywidgets.link((s, 'value'), (w, 'count'))\n"
        "def show(n):\n    display(Counter(count=n * 10))\n"
        "out = ipywidgets.interactive_output(show, {'n': s})\n"
        "captured = ipywidgets.Output()\n"
        "with captured:\n    display(w)\n"
        "ipywidgets.VBox([s, out, captured])"
    )
    shown = cell.output.locator("button.counter")
    expect(shown).to_have_count(2)
    expect(shown.nth(0)).to_have_text("count is 40")  # interactive_output's
    expect(shown.nth(1)).to_have_text("count is 4")  # the captured one, linked in Python
    nudge(cell.output.locator(".widget-slider"), 1)
    expect(shown.nth(0)).to_have_text("count is 50")
    expect(shown.nth(1)).to_have_text("count is 5")


def test_layout_classes_and_tooltip_as_on_an_ipywidgets_widget(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import ipywidgets\n" + sources.COUNTER_CLASS + "w = Counter(layout=ipywidgets.Layout("
        "width='300px', border='3px solid rgb(255, 0, 0)'), tooltip='clicks so far')\n"
        "w.add_class('tall-counter')\n"
        "w"
    )
    view = cell.output.locator("button.counter").locator("xpath=..")  # the view's element
    expect(view).to_have_css("width", "300px")
    expect(view).to_have_css("border-top-color", "rgb(255, 0, 0)")
    expect(view).to_have_class(re.compile(r"\btall-counter\b"))
    expect(view).to_have_attribute("title", "clicks so far")
    nb.run("w.layout.width = '420px'\nw.remove_class('tall-counter')")  # live changes
    expect(view).to_have_css("width", "420px")
    expect(view).not_to_have_class(re.compile(r"\btall-counter\b"))
    # A widget that never used them opened one comm and set nothing.
    assert nb.py("len([c for c in [Counter()] if c.keys[-1] == 'count'])") == "1"


def test_app_layout_places_the_widget_directly(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import ipywidgets\n" + sources.COUNTER_CLASS + "w = Counter()\n"
        "app = ipywidgets.AppLayout(header=ipywidgets.Label('the header'), center=w)\n"
        "app"
    )
    button = cell.output.locator(".widget-gridbox button.counter")
    expect(button).to_have_text("count is 0")
    expect(button.locator("xpath=..")).to_have_css("grid-area", "center")
    button.click()
    button.click()
    expect(button).to_have_text("count is 2")
    assert nb.py("w.count") == "2"
