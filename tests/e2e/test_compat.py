"""Issue 9's proof: anywidget-based packages from PyPI run unchanged on esmwidget in a real page.

Each package is installed from PyPI (no dependencies, so neither the real anywidget nor
ipywidgets) into `tests/e2e/.compat-pkgs/`; the notebook cell calls
``install_anywidget_alias()`` and only then puts that folder on ``sys.path`` and imports the
package. Their front-end modules are bundled in the wheels (no network imports at run time).

What each test does (browser -> Python; Python -> page):

- drawdata `ScatterWidget` (d3, SVG): drawing fills `data`; setting `data` redraws the dots.
- wigglystuff `Slider2D` (canvas): a click sets `x`/`y`; setting them moves the readout.
- wigglystuff `Pip` around a `ColorPicker`: the child's input sets `color`, and back.
- searchselect `SearchSelect` (Svelte): typing sets `query`; `selected` ticks a row.

`Pip` (a `WidgetTrait` child drawn with ``host.getWidget``) and the hand-written parent/child
pair at the end are the composition tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import abort_requests
from .notebook import Cell, Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

COMPAT_DIR = Path(__file__).resolve().parent / ".compat-pkgs"
# Pinned: the tests click on these versions' DOM. drawdata is wigglystuff's one dependency
# besides anywidget (which the alias serves).
PACKAGES = (
    "drawdata==0.5.2",
    "wigglystuff==0.5.36",
    "searchselect==0.1.0",
    # From the survey in docs/migrating.md: each exercises something the first three do not.
    "bitjet==1.0.0",
    "moutils==0.3.12",
    "jswidget==0.1.1",
    "plotly==7.1.0",
)
FORBIDDEN = ("anywidget", "ipywidgets")


@pytest.fixture(scope="session")
def compat_packages() -> Path:
    """Install `PACKAGES` with ``pip --no-deps --target`` once; reruns reuse the folder."""
    stamp = COMPAT_DIR / ".installed"
    wanted = "\n".join(PACKAGES) + "\n"
    if stamp.is_file() and stamp.read_text() == wanted:
        return COMPAT_DIR
    staging = COMPAT_DIR.with_name(COMPAT_DIR.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile"]
    command += ["--disable-pip-version-check", "--quiet", "--target", str(staging), *PACKAGES]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"pip install of {PACKAGES} timed out: {e}")
    if result.returncode != 0:
        pytest.fail(f"pip install of {PACKAGES} failed:\n{result.stdout}\n{result.stderr}")
    leaked = [name for name in FORBIDDEN if (staging / name).exists()]
    assert not leaked, f"--no-deps still installed {leaked} into {staging}"
    shutil.rmtree(COMPAT_DIR, ignore_errors=True)
    staging.rename(COMPAT_DIR)
    stamp.write_text(wanted)
    return COMPAT_DIR


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
    dots = cell.output.locator("svg.dd-scatter-svg circle.drawn")
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

    # Browser -> Python: a click adds one more dot and sends every dot drawn so far.
    svg.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.3})
    expect(dots).to_have_count(dragged + 1)
    assert nb.py("(len(w.data), sorted({d['label'] for d in w.data}))") == f"({dragged + 1}, ['a'])"

    # Python -> page: replacing `data` redraws from scratch.
    nb.run("w.data = [dict(x=100 + 10 * i, y=200, color='red', batch=0) for i in range(3)]")
    expect(dots).to_have_count(3)
    expect(dots.first).to_have_attribute("cx", "100")
    nb.run("w.data = []")
    expect(dots).to_have_count(0)
    assert_on_esmwidget(nb, cell, "w", offline)


def test_wigglystuff_slider2d(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    nb = open_notebook()
    cell = nb.run(prelude(compat_packages) + "from wigglystuff import Slider2D\ns = Slider2D()\ns")
    canvas = rendered(cell, "canvas#sliderCanvas")
    readout = cell.output.locator("#sliderValues")
    expect(readout).to_have_text("X: 0.00, Y: 0.00")

    # Browser -> Python: 400x400 canvas, radius 180 around (200, 200); (300, 100) maps to
    # x = y = 100/180 = 0.5556 in the default bounds (-1, 1).
    canvas.click(position={"x": 300, "y": 100})
    expect(readout).to_have_text("X: 0.56, Y: 0.56")
    assert nb.py("(round(s.x, 2), round(s.y, 2))") == "(0.56, 0.56)"

    # Python -> page.
    nb.run("s.x = -0.5\ns.y = 0.25")
    expect(readout).to_have_text("X: -0.50, Y: 0.25")
    assert_on_esmwidget(nb, cell, "s", offline)


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
    color = stage.locator("input[type=color]")
    label = stage.locator(".colorpicker-label")
    expect(color).to_have_value("#112233")
    expect(label).to_have_text("#112233")
    expect(cell.output.locator(".pip-root button.pip-pop")).to_be_attached()

    # Browser -> Python through the child drawn inside the parent.
    color.fill("#ff0000")
    assert nb.py("(picker.color, p.child is picker)") == "('#ff0000', True)"

    # Python -> the child inside the parent.
    nb.run("picker.color = '#00ff00'")
    expect(color).to_have_value("#00ff00")
    expect(label).to_have_text("#00ff00")
    assert_on_esmwidget(nb, cell, "p", offline)


def test_searchselect(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from searchselect import SearchSelect\n"
        "q = SearchSelect(items=['apple', 'banana', 'cherry', 'blueberry'])\nq"
    )
    search = rendered(cell, "input[placeholder='Filter items...']")
    rows = cell.output.locator("[aria-label='Select row']")
    expect(rows).to_have_count(4)

    # Browser -> Python: the query is matched in Python and the matches come back.
    search.first.press_sequentially("berry")
    expect(rows).to_have_count(1)
    assert nb.py("(q.query, q.filtered)") == "('berry', ['blueberry'])"

    # Python -> page.
    nb.run("q.query = ''\nq.selected = ['cherry']")
    expect(rows).to_have_count(4)
    expect(search.first).to_have_value("")
    expect(cell.output.locator("[aria-label='Select row'][aria-checked='true']")).to_have_count(1)
    assert_on_esmwidget(nb, cell, "q", offline)

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
    expect(meta).to_contain_text("8 bytes")
    cell.output.locator("select[data-role=mode]").select_option("byte")
    assert nb.py("w.mode") == "byte"
    nb.run("w.mode = 'bit'\nw.data = b'x' * 10")
    expect(meta).to_contain_text("10 bytes")
    assert_on_esmwidget(nb, cell, "w", offline)


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
    expect(button).to_have_text("▶ echo hello-esmwidget")
    button.click()
    output = cell.output.locator("pre")
    expect(output).to_contain_text("hello-esmwidget")
    expect(output).to_contain_text("Process completed successfully")
    nb.run("w.command = 'echo other'")
    expect(button).to_have_text("▶ echo other")
    assert_on_esmwidget(nb, cell, "w", offline)


def test_jswidget_traits_added_after_display_and_buffers(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """jswidget adds traits with `add_traits` after the comm opened and sends them in one
    `hold_sync` update with binary buffers; clicks come back as custom messages."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "import numpy as np\nfrom jswidget import JSWidget\n"
        "w = JSWidget(width=300, height=60)\n"
        'w.js_code = """\n'
        "const b = document.createElement('button'); b.className = 'jsw-btn';\n"
        "b.textContent = 'n=' + (data.n ?? 0); b.onclick = () => sendMessage({clicked: true});\n"
        "const s = document.createElement('span'); s.className = 'jsw-buf'; el.append(b, s);\n"
        "onData(d => { b.textContent = 'n=' + d.n; });\n"
        "onBuffers(() => {\n"
        "  s.textContent = Array.from(new Uint8Array(getBuffer('v'))).join(',');\n"
        "});\n"
        '"""\n'
        "got = []\nw.on_msg(lambda _w, content, buffers: got.append(content))\nw"
    )
    button = rendered(cell, ".jsw-btn")
    button.click()
    expect(button).to_be_visible()
    assert nb.py("got") == "[{'clicked': True}]"
    nb.run("w.set_buffers(v=np.arange(4, dtype=np.uint8))")
    expect(cell.output.locator(".jsw-buf")).to_have_text("0,1,2,3")
    nb.run("w.update_data(n=5)")
    expect(button).to_have_text("n=5")
    assert_on_esmwidget(nb, cell, "w", offline)


def test_plotly_figure_widget(
    open_notebook: OpenNotebook, compat_packages: Path, offline: list[str]
) -> None:
    """plotly's FigureWidget: a 5 MB module whose default export is a factory; legend clicks
    write traits from the page; Python relayouts reach it."""
    nb = open_notebook()
    cell = nb.run(
        prelude(compat_packages) + "from plotly.graph_objs._figurewidget import FigureWidget\n"
        "import plotly.graph_objects as go\n"
        "fig = FigureWidget(data=[go.Bar(y=[1, 3, 2], name='a'), go.Bar(y=[2, 1, 3], name='b')])\n"
        "fig"
    )
    rendered(cell, ".js-plotly-plot .main-svg")
    cell.output.locator(".legend .traces .legendtoggle").first.click()
    # The page hides the trace, then tells Python (plotly's restyle event); wait for both.
    expect(cell.output.locator(".legend .traces").first).to_have_css("opacity", "0.5")
    assert eventually(lambda: nb.py("fig.data[0].visible"), "legendonly")
    nb.run("fig.layout.title.text = 'Hello esmwidget'")
    expect(cell.output.locator(".gtitle")).to_have_text("Hello esmwidget")
    assert_on_esmwidget(nb, cell, "fig", offline)


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
