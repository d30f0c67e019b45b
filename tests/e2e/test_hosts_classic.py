"""The classic Notebook page (nbclassic): the wheel's nbextension loads the loader by itself.

Nothing is installed by hand: `pip install esmwidget` brought the nbextension, its
``notebook.d`` switch and the classic widget manager (widgetsnbextension).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .classic import ClassicNotebook
from .server import JupyterServer
from .sources import COUNTER

pytestmark = pytest.mark.e2e


def test_counter_renders_and_syncs_in_the_classic_notebook(
    page: Page, jupyter_server: JupyterServer
) -> None:
    nb = ClassicNotebook.create(page, jupyter_server, "classic-counter.ipynb")
    try:
        output = nb.run(COUNTER)
        button = output.locator("button.counter")
        expect(button).to_have_text("count is 0")
        expect(button).to_have_css("color", "rgb(0, 128, 128)")  # _css applied
        for _ in range(3):
            button.click()
        expect(button).to_have_text("count is 3")
        assert nb.py("w.count") == "3"  # the clicks reached Python
        nb.run("w.count = 42")
        expect(button).to_have_text("count is 42")  # a Python set reached the page
        expect(output.locator(".esmwidget-error")).to_have_count(0)
        loaded = page.evaluate("() => requirejs.defined('esmwidget')")
        assert loaded is True  # through the nbextension's requirejs map, not a fallback
    finally:
        jupyter_server.shutdown_kernels_for("classic-counter.ipynb")
