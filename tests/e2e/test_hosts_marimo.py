"""marimo (the release on PyPI): esmwidget widgets in ``marimo edit`` and ``marimo run``.

marimo runs the widget's module with its own front end; what esmwidget must get right is the
kernel side: marimo's comm provider hands a real comm only to anywidget-identified comms, and
``mo.ui.anywidget`` reads ``_model_id``, ``get_state`` and calls ``set_state``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .apps import running
from .notebook import KERNEL_TIMEOUT, TIMEOUT
from .server import free_port

pytestmark = pytest.mark.e2e

APP = '''import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    import esmwidget
    import traitlets
    from esmwidget import experimental

    class Counter(esmwidget.AnyWidget):
        _esm = """export default { render({ model, el }) {
      const b = document.createElement('button'); b.className = 'counter';
      const show = () => { b.textContent = `count is ${model.get('count')}`; };
      b.onclick = () => { model.set('count', model.get('count') + 1); model.save_changes(); };
      model.on('change:count', show); show(); el.append(b);
    } }"""
        _css = ".counter { color: rgb(0, 128, 128) }"
        count = traitlets.Int(0).tag(sync=True)

    @experimental.dataclass(esm="""export default { render({ model, el }) {
      const s = document.createElement('span'); s.className = 'point';
      s.textContent = 'x=' + model.get('x'); el.append(s); } }""")
    class Point:
        x: int = 5
    return Counter, Point, mo


@app.cell
def _(Counter, mo):
    ui = mo.ui.anywidget(Counter())
    ui
    return (ui,)


@app.cell
def _(mo, ui):
    mo.md(f"value count is {ui.value['count']}")
    return


@app.cell
def _(Counter):
    bare = Counter(count=5)
    bare
    return (bare,)


@app.cell
def _(Point):
    Point()
    return


@app.cell
def _(bare, mo, ui):
    def set_both(_):
        ui.widget.count = 50
        bare.count = 500

    setter = mo.ui.button(label="set from python", on_click=set_both)
    reader = mo.ui.button(label="read bare", value="", on_click=lambda _: f"bare is {bare.count}")
    mo.hstack([setter, reader])
    return (reader,)


@app.cell
def _(mo, reader):
    mo.md(f"python read: {reader.value}")
    return
'''


@pytest.fixture(params=["edit", "run"])
def marimo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """`marimo edit|run` on the app, on a free port, stopped by PID; yields its URL."""
    (tmp_path / "counter_app.py").write_text(APP)
    # Cells run when the page opens (in edit mode marimo waits for a click otherwise).
    (tmp_path / ".marimo.toml").write_text("[runtime]\nauto_instantiate = true\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MARIMO"))}
    env["HOME"] = env["XDG_CONFIG_HOME"] = str(tmp_path / "home")  # no user marimo config
    port = free_port()
    marimo = Path(sys.executable).with_name("marimo")
    command = [str(marimo), request.param, "counter_app.py", "--headless"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    if request.param == "edit":
        command.append("--no-token")
    ready = f"http://127.0.0.1:{port}/health"
    with running(command, ready, tmp_path, env) as log_path:
        yield f"http://127.0.0.1:{port}/"
    assert "returning no-op comm" not in log_path.read_text(errors="replace")


def test_counter_in_marimo_syncs_both_ways_and_updates_value(page: Page, marimo_url: str) -> None:
    page.goto(marimo_url, timeout=TIMEOUT)
    buttons = page.locator("button.counter")
    expect(buttons).to_have_count(2, timeout=KERNEL_TIMEOUT)
    ui, bare = buttons.nth(0), buttons.nth(1)
    expect(ui).to_have_text("count is 0")
    expect(bare).to_have_text("count is 5")
    expect(ui).to_have_css("color", "rgb(0, 128, 128)")
    expect(page.locator(".point")).to_have_text("x=5")  # a described object, shown bare

    # Page -> Python: `mo.ui.anywidget(w).value` follows, and the cell reading it re-runs.
    ui.click()
    ui.click()
    expect(ui).to_have_text("count is 2")
    expect(page.get_by_text("value count is 2")).to_be_visible()
    # A bare widget's clicks reach Python too.
    bare.click()
    page.get_by_role("button", name="read bare").click()
    expect(page.get_by_text("python read: bare is 6")).to_be_visible()

    # Python -> page, for both.
    page.get_by_role("button", name="set from python").click()
    expect(ui).to_have_text("count is 50")
    expect(bare).to_have_text("count is 500")
