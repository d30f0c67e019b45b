"""Voilà (served by the test server's voila extension, ``/voila/render/<nb>``): the page loads the
installed lab extensions, so esmwidget works with nothing Voilà-specific."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .notebook import KERNEL_TIMEOUT, TIMEOUT, code_cell, notebook_json
from .server import JupyterServer

pytestmark = pytest.mark.e2e

# A click sets `count`; Python answers each change by setting `said`, which the module shows.
ECHO = '''import esmwidget, traitlets
class Echo(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'counter';
  const said = document.createElement('span'); said.className = 'said';
  const show = () => {
    b.textContent = `count is ${model.get('count')}`; said.textContent = model.get('said');
  };
  b.onclick = () => { model.set('count', model.get('count') + 1); model.save_changes(); };
  model.on('change', show); show(); el.append(b, said);
} }"""
    _css = ".counter { color: rgb(0, 128, 128) }"
    count = traitlets.Int(0).tag(sync=True)
    said = traitlets.Unicode("python has not answered").tag(sync=True)

    @traitlets.observe("count")
    def _answer(self, change):
        self.said = f"python saw {change['new']}"
Echo()'''


def test_counter_in_voila_reaches_python_and_back(
    page: Page, jupyter_server: JupyterServer
) -> None:
    name = "voila-echo.ipynb"
    (Path(jupyter_server.root) / name).write_text(json.dumps(notebook_json([code_cell(ECHO)])))
    try:
        page.goto(jupyter_server.page_url(f"/voila/render/{name}"), timeout=TIMEOUT)
        button = page.locator("button.counter")
        expect(button).to_have_text("count is 0", timeout=KERNEL_TIMEOUT)
        expect(button).to_have_css("color", "rgb(0, 128, 128)")
        expect(page.locator(".said")).to_have_text("python has not answered")
        for _ in range(3):
            button.click()
        expect(button).to_have_text("count is 3")
        expect(page.locator(".said")).to_have_text("python saw 3")  # page -> Python -> page
        expect(page.locator(".esmwidget-error")).to_have_count(0)
    finally:
        jupyter_server.shutdown_kernels_for(name)
