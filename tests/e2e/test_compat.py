"""anywidget-based packages from PyPI run unchanged on esmwidget in a real page.

Each package is installed from PyPI (no dependencies, so neither the real anywidget nor
ipywidgets) into `tests/e2e/.compat-pkgs/`; the notebook cell calls
``install_anywidget_alias()`` and only then puts that folder on ``sys.path`` and imports the
package. Their front-end modules are bundled in the wheels (no network imports at run time).

Each test shows two widgets of the package, each in its own cell, and checks they stay apart:
each shows its own content, a UI action on one reaches only its Python object, a Python set on
the other reaches only its view. What each test does (browser -> Python; Python -> page):

- drawdata `ScatterWidget` (d3, SVG): drawing fills `data`; setting `data` redraws the dots.
- wigglystuff `Slider2D` (canvas): a click sets `x`/`y`; setting them moves the readout.
- wigglystuff `Pip` around a `ColorPicker`: the child's input sets `color`, and back.
- searchselect `SearchSelect` (Svelte): typing sets `query`; `selected` ticks a row.

`Pip` (a `WidgetTrait` child drawn with ``host.getWidget``) and the hand-written parent/child
pair at the end are the composition tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import abort_requests
from .notebook import Cell, Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]


@pytest.fixture
def offline(page: Page) -> list[str]:
    """Abort every request that leaves 127.0.0.1 and list it: the tests assert none was made."""
    return abort_requests(page, r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")


def prelude(packages: Path) -> str:
    """The alias first, then the folder with the packages: `import anywidget` is esmwidget's."""
    return (
        "from esmwidget.compat import install_anywidget_alias\n"
        "install_anywidget_alias()\n"
        "import sys\n"
        f"sys.path.insert(0, {str(packages)!r})\n"
    )


def eventually(read: Callable[[], str], expected: str, tries: int = 20) -> bool:
    """Whether `read()` returns `expected` within a few tries (an event the page sends after
    what it shows); each try is a cell run, so there is no timed wait."""
    return any(read() == expected for _ in range(tries))


def rendered(cell: Cell, selector: str) -> Locator:
    """Wait for `selector` in the cell's output; no error box there."""
    target = cell.output.locator(selector)
    expect(target.first).to_be_visible()
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
    return target


def assert_on_esmwidget(nb: Notebook, cell: Cell, name: str, offline: list[str]) -> None:
    """`name` is an esmwidget widget, ipywidgets was never imported, no error box showed, the
    loader found no mistake to report (a correct widget is silent), and the page asked nothing
    of the network."""
    got = nb.py(
        f"(isinstance({name}, __import__('esmwidget').AnyWidget), "
        "sys.modules['anywidget'].__name__, 'ipywidgets' in sys.modules, "
        "[m for m in sys.modules if m.startswith('ipywidgets')])"
    )
    assert got == "(True, 'anywidget', False, [])"
    assert nb.py("getattr(sys.modules['anywidget'], '__esmwidget_alias__', False)") == "True"
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
    console: list[str] = nb.page.console_messages_e2e  # type: ignore[attr-defined]
    mistakes = ("model.get(", "Python ignored", "Python kept its value")
    noise = [line for line in console if "[esmwidget]" in line and any(m in line for m in mistakes)]
    assert noise == [], f"a working package drew mistake reports: {noise}"
    assert offline == [], f"requests beyond 127.0.0.1: {offline}"


def test_drawdata_scatter_widget(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    nb = open_notebook()
    cell = nb.run(prelude(compat_packages) + "import drawdata\nw = drawdata.ScatterWidget()\nw")
    svg = rendered(cell, "svg.dd-scatter-svg")
    other = nb.run("w2 = drawdata.ScatterWidget()\nw2")
    rendered(other, "svg.dd-scatter-svg")
    dots = cell.output.locator("svg.dd-scatter-svg circle.drawn")
    other_dots = other.output.locator("svg.dd-scatter-svg circle.drawn")
    expect(dots).to_have_count(0)

    # Browser -> page: a drag across the drawing area draws dots. drawdata 0.5.2 pushes them
    # into the array `model.get("data")` returned, so its `model.set` at the end of the drag sees
    # no change and sends nothing: the same happens on anywidget (koaning/drawdata#40, "Data is
    # missing before second click on widget"). The next click sends them all.
    box = svg.bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5
    nb.page.mouse.move(x0, y0)
    nb.page.mouse.down()
    for step in range(1, 11):
        nb.page.mouse.move(x0 + step * 15, y0 + step * 3)
    nb.page.mouse.up()
    expect(dots.first).to_be_attached()
    dragged = dots.count()
    assert dragged > 0

    # Browser -> Python: a click adds one more dot and sends every dot drawn so far, to this
    # widget only.
    svg.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.3})
    expect(dots).to_have_count(dragged + 1)
    assert nb.py("(len(w.data), sorted({d['label'] for d in w.data}))") == f"({dragged + 1}, ['a'])"
    assert nb.py("w2.data") == "[]"
    expect(other_dots).to_have_count(0)

    # Python -> page: replacing `data` redraws that widget from scratch, and only it.
    nb.run("w2.data = [dict(x=100 + 10 * i, y=200, color='red', batch=0) for i in range(3)]")
    expect(other_dots).to_have_count(3)
    expect(other_dots.first).to_have_attribute("cx", "100")
    expect(dots).to_have_count(dragged + 1)
    nb.run("w.data = []")
    expect(dots).to_have_count(0)
    expect(other_dots).to_have_count(3)
    assert_on_esmwidget(nb, cell, "w", offline)
    assert_on_esmwidget(nb, other, "w2", offline)


def test_wigglystuff_slider2d(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    nb = open_notebook()
    cell = nb.run(prelude(compat_packages) + "from wigglystuff import Slider2D\ns = Slider2D()\ns")
    canvas = rendered(cell, "canvas#sliderCanvas")
    other = nb.run("s2 = Slider2D(x=0.25)\ns2")
    rendered(other, "canvas#sliderCanvas")
    readout = cell.output.locator("#sliderValues")
    other_readout = other.output.locator("#sliderValues")
    expect(readout).to_have_text("X: 0.00, Y: 0.00")
    expect(other_readout).to_have_text("X: 0.25, Y: 0.00")

    # Browser -> Python: 400x400 canvas, radius 180 around (200, 200); (300, 100) maps to
    # x = y = 100/180 = 0.5556 in the default bounds (-1, 1).
    canvas.click(position={"x": 300, "y": 100})
    expect(readout).to_have_text("X: 0.56, Y: 0.56")
    assert nb.py("(round(s.x, 2), round(s.y, 2), s2.x, s2.y)") == "(0.56, 0.56, 0.25, 0.0)"
    expect(other_readout).to_have_text("X: 0.25, Y: 0.00")

    # Python -> page.
    nb.run("s2.x = -0.5\ns2.y = 0.25")
    expect(other_readout).to_have_text("X: -0.50, Y: 0.25")
    expect(readout).to_have_text("X: 0.56, Y: 0.56")
    assert_on_esmwidget(nb, cell, "s", offline)
    assert_on_esmwidget(nb, other, "s2", offline)


def test_wigglystuff_pip_renders_its_child_through_host_get_widget(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """A real package's composition: `Pip.child` is an `anywidget.WidgetTrait`."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from wigglystuff import ColorPicker, Pip\n"
        "picker = ColorPicker(color='#112233')\np = Pip(picker)\np"
    )
    stage = rendered(cell, ".pip-root .pip-stage")
    other = nb.run("picker2 = ColorPicker(color='#445566')\np2 = Pip(picker2)\np2")
    other_stage = rendered(other, ".pip-root .pip-stage")
    color = stage.locator("input[type=color]")
    label = stage.locator(".colorpicker-label")
    other_color = other_stage.locator("input[type=color]")
    expect(color).to_have_value("#112233")
    expect(label).to_have_text("#112233")
    expect(other_color).to_have_value("#445566")
    expect(cell.output.locator(".pip-root button.pip-pop")).to_be_attached()

    # Browser -> Python through the child drawn inside the parent.
    color.fill("#ff0000")
    assert nb.py("(picker.color, p.child is picker)") == "('#ff0000', True)"
    assert nb.py("(picker2.color, p2.child is picker2)") == "('#445566', True)"

    # Python -> the child inside the parent.
    nb.run("picker2.color = '#00ff00'")
    expect(other_color).to_have_value("#00ff00")
    expect(other_stage.locator(".colorpicker-label")).to_have_text("#00ff00")
    expect(color).to_have_value("#ff0000")
    expect(label).to_have_text("#ff0000")
    assert_on_esmwidget(nb, cell, "p", offline)
    assert_on_esmwidget(nb, other, "p2", offline)


def test_searchselect(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from searchselect import SearchSelect\n"
        "q = SearchSelect(items=['apple', 'banana', 'cherry', 'blueberry'])\nq"
    )
    search = rendered(cell, "input[placeholder='Filter items...']")
    other = nb.run("q2 = SearchSelect(items=['red', 'green', 'blue'])\nq2")
    other_search = rendered(other, "input[placeholder='Filter items...']")
    rows = cell.output.locator("[aria-label='Select row']")
    other_rows = other.output.locator("[aria-label='Select row']")
    expect(rows).to_have_count(4)
    expect(other_rows).to_have_count(3)

    # Browser -> Python: the query is matched in Python and the matches come back.
    search.first.press_sequentially("berry")
    expect(rows).to_have_count(1)
    assert nb.py("(q.query, q.filtered)") == "('berry', ['blueberry'])"
    assert nb.py("q2.query") == ""
    expect(other_rows).to_have_count(3)

    # Python -> page.
    nb.run("q2.selected = ['green']")
    expect(other.output.locator("[aria-label='Select row'][aria-checked='true']")).to_have_count(1)
    expect(cell.output.locator("[aria-label='Select row'][aria-checked='true']")).to_have_count(0)
    nb.run("q.query = ''\nq.selected = ['cherry']")
    expect(rows).to_have_count(4)
    expect(search.first).to_have_value("")
    expect(cell.output.locator("[aria-label='Select row'][aria-checked='true']")).to_have_count(1)
    expect(other_search.first).to_have_value("")
    assert_on_esmwidget(nb, cell, "q", offline)
    assert_on_esmwidget(nb, other, "q2", offline)

    # Positive control for `offline`: a request to another host is caught and listed.
    with nb.page.expect_event("requestfailed"):
        nb.js("() => { fetch('https://example.invalid/probe').catch(() => {}); }")
    assert offline == ["https://example.invalid/probe"]


def test_bitjet_binary_trait_arrives_as_a_dataview(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """bitjet reads `bytes` as a DataView and writes a select and a range input back."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from bitjet import BitView\n"
        "w = BitView(data=b'\\x0f\\xf0' * 4, datawidth=16)\nw"
    )
    meta = rendered(cell, ".bitjet [data-role=meta]")
    other = nb.run("w2 = BitView(data=b'\\x01' * 3, datawidth=8)\nw2")
    other_meta = rendered(other, ".bitjet [data-role=meta]")
    expect(meta).to_contain_text("8 bytes")
    expect(other_meta).to_contain_text("3 bytes")
    mode = nb.py("w2.mode")
    cell.output.locator("select[data-role=mode]").select_option("byte")
    assert nb.py("w.mode") == "byte"
    assert nb.py("w2.mode") == mode
    nb.run("w2.data = b'x' * 10")
    expect(other_meta).to_contain_text("10 bytes")
    expect(meta).to_contain_text("8 bytes")
    nb.run("w.mode = 'bit'\nw.data = b'x' * 12")
    expect(meta).to_contain_text("12 bytes")
    assert_on_esmwidget(nb, cell, "w", offline)
    assert_on_esmwidget(nb, other, "w2", offline)


def test_moutils_shell_custom_messages_both_ways(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """moutils' shell: a click sends a string; Python streams dicts back from an asyncio task."""
    nb = open_notebook()
    # moutils wraps its widgets for marimo when marimo is importable (this venv has it).
    cell = nb.run(
        "import sys\nsys.modules['marimo'] = None\n"
        + prelude(compat_packages)
        + "from moutils import shell\nw = shell('echo hello-esmwidget')\nw"
    )
    button = rendered(cell, "button")
    other = nb.run("w2 = shell('echo second-shell')\nw2")
    other_button = rendered(other, "button")
    expect(button).to_have_text("▶ echo hello-esmwidget")
    expect(other_button).to_have_text("▶ echo second-shell")
    button.click()
    output = cell.output.locator("pre")
    expect(output).to_contain_text("hello-esmwidget")
    expect(output).to_contain_text("Process completed successfully")
    expect(other.output).not_to_contain_text("hello-esmwidget")
    expect(other.output).not_to_contain_text("Process completed")
    nb.run("w2.command = 'echo other'")
    expect(other_button).to_have_text("▶ echo other")
    expect(button).to_have_text("▶ echo hello-esmwidget")
    assert_on_esmwidget(nb, cell, "w", offline)
    assert_on_esmwidget(nb, other, "w2", offline)


JSWIDGET_CODE = (
    'w.js_code = """\n'
    "const b = document.createElement('button'); b.className = 'jsw-btn';\n"
    "b.textContent = 'n=' + (data.n ?? 0); b.onclick = () => sendMessage({clicked: true});\n"
    "const s = document.createElement('span'); s.className = 'jsw-buf'; el.append(b, s);\n"
    "onData(d => { b.textContent = 'n=' + d.n; });\n"
    "onBuffers(() => {\n"
    "  s.textContent = Array.from(new Uint8Array(getBuffer('v'))).join(',');\n"
    "});\n"
    '"""\n'
)


def test_jswidget_traits_added_after_display_and_buffers(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """jswidget adds traits with `add_traits` after the comm opened and sends them in one
    `hold_sync` update with binary buffers; clicks come back as custom messages."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "import numpy as np\nfrom jswidget import JSWidget\n"
        "w = JSWidget(width=300, height=60)\n" + JSWIDGET_CODE + "got = []\n"
        "w.on_msg(lambda _w, content, buffers: got.append(content))\nw"
    )
    button = rendered(cell, ".jsw-btn")
    other = nb.run(
        "w2 = JSWidget(width=300, height=60)\n"
        + JSWIDGET_CODE.replace("w.js_code", "w2.js_code")
        + "got2 = []\nw2.on_msg(lambda _w, content, buffers: got2.append(content))\nw2"
    )
    other_button = rendered(other, ".jsw-btn")
    button.click()
    expect(button).to_be_visible()
    assert nb.py("got, got2") == "[{'clicked': True}] []"
    nb.run("w.set_buffers(v=np.arange(4, dtype=np.uint8))")
    expect(cell.output.locator(".jsw-buf")).to_have_text("0,1,2,3")
    expect(other.output.locator(".jsw-buf")).to_have_text("")
    nb.run("w2.update_data(n=5)")
    expect(other_button).to_have_text("n=5")
    expect(button).to_have_text("n=0")
    nb.run("w.update_data(n=7)")
    expect(button).to_have_text("n=7")
    assert_on_esmwidget(nb, cell, "w", offline)
    assert_on_esmwidget(nb, other, "w2", offline)


def test_plotly_figure_widget(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """plotly's FigureWidget: a 5 MB module whose default export is a factory; legend clicks
    write traits from the page; Python relayouts reach it; its views count themselves in
    `_view_count`, which plotly sets to a number to learn it is displayed."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from plotly.graph_objs._figurewidget import FigureWidget\n"
        "import plotly.graph_objects as go\n"
        "fig = FigureWidget(data=[go.Bar(y=[1, 3, 2], name='a'), go.Bar(y=[2, 1, 3], name='b')])\n"
        "fig"
    )
    rendered(cell, ".js-plotly-plot .main-svg")
    other = nb.run("fig2 = FigureWidget(data=[go.Scatter(y=[3, 1, 2], name='c')])\nfig2")
    rendered(other, ".js-plotly-plot .main-svg")
    expect(cell.output.locator(".legend .traces")).to_have_count(2)
    expect(other.output.locator(".scatterlayer .trace")).to_have_count(1)
    cell.output.locator(".legend .traces .legendtoggle").first.click()
    # The page hides the trace, then tells Python (plotly's restyle event); wait for both.
    expect(cell.output.locator(".legend .traces").first).to_have_css("opacity", "0.5")
    assert eventually(lambda: nb.py("fig.data[0].visible"), "legendonly")
    assert nb.py("fig2.data[0].visible") != "legendonly"
    expect(other.output.locator(".scatterlayer .trace")).to_have_count(1)
    nb.run("fig2.layout.title.text = 'Hello esmwidget'")
    expect(other.output.locator(".gtitle")).to_have_text("Hello esmwidget")
    expect(cell.output.locator(".gtitle")).to_have_count(0)
    assert eventually(lambda: nb.py("fig._view_count, fig2._view_count"), "1 1")
    assert_on_esmwidget(nb, cell, "fig", offline)
    assert_on_esmwidget(nb, other, "fig2", offline)


COMPOSITION = '''import esmwidget, traitlets

class Child(esmwidget.AnyWidget):
    _esm = """export default {
  initialize({ model }) { return { describe: () => 'child exports ' + model.get('clicks') }; },
  render({ model, el }) {
    const b = document.createElement('button'); b.className = 'child';
    const show = () => { b.textContent = `child ${model.get('clicks')}`; };
    b.onclick = () => { model.set('clicks', model.get('clicks') + 1); model.save_changes(); };
    model.on('change:clicks', show); show(); el.append(b);
    return () => { (window.__compat_cleanups ??= []).push('child v1'); };
  },
};"""
    clicks = traitlets.Int(0).tag(sync=True)

class Parent(esmwidget.AnyWidget):
    _esm = """export default {
  async render({ model, el, host, signal }) {
    const ref = model.get('child');
    const frame = document.createElement('div'); frame.className = 'parent';
    const info = document.createElement('span'); info.className = 'info';
    const mirror = document.createElement('span'); mirror.className = 'mirror';
    const slot = document.createElement('div'); slot.className = 'slot';
    frame.append(info, mirror, slot); el.append(frame);
    const child = await host.getWidget(ref);
    info.textContent = ref.startsWith('IPY_MODEL_') + ' ' + child.exports.describe();
    const m = await host.getModel(ref.replace('IPY_MODEL_', 'anywidget:'));
    const show = () => { mirror.textContent = 'mirror ' + m.get('clicks'); };
    m.on('change:clicks', show); show();
    await child.render({ el: slot, signal });
  },
};"""
    child = esmwidget.WidgetTrait()

c = Child()
p = Parent(child=c)
p
'''

CHILD_V2 = '''c._esm = """export default {
  render({ model, el }) {
    const b = document.createElement('button'); b.className = 'child';
    b.textContent = `child v2 ${model.get('clicks')}`; el.append(b);
    return () => { (window.__compat_cleanups ??= []).push('child v2'); };
  },
};"""'''


def test_parent_renders_child_through_host_get_widget(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(COMPOSITION)
    parent = rendered(cell, ".parent")
    button = parent.locator(".slot button.child")
    expect(button).to_have_text("child 0")
    # `initialize`'s exports object reaches the parent; getModel takes an `anywidget:` ref.
    expect(parent.locator(".info")).to_have_text("true child exports 0")
    expect(parent.locator(".mirror")).to_have_text("mirror 0")

    # A click on the child, inside the parent, reaches Python.
    button.click()
    expect(button).to_have_text("child 1")
    expect(parent.locator(".mirror")).to_have_text("mirror 1")
    assert nb.py("c.clicks") == "1"

    # Python -> the child inside the parent.
    nb.run("c.clicks = 5")
    expect(button).to_have_text("child 5")
    expect(parent.locator(".mirror")).to_have_text("mirror 5")

    # A new child module re-renders inside the parent, after the old render's cleanup.
    nb.run(CHILD_V2)
    expect(button).to_have_text("child v2 5")
    nb.wait_js("() => (window.__compat_cleanups || []).includes('child v1')")

    # Closing the child runs its render cleanup; the parent, which owns the slot, stays.
    nb.run("c.close()")
    nb.wait_js("() => (window.__compat_cleanups || []).includes('child v2')")
    expect(parent.locator(".info")).to_be_visible()
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
