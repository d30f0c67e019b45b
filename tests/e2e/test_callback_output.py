"""What a Python callback prints or raises, when the page sets off the callback, appears below the
widget in the output of the cell that displayed it: JupyterLab, Notebook 7, the classic Notebook
and Voilà. The kernel goes on, and ipywidgets' Output capture still takes what it is given."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from . import sources
from .classic import ClassicNotebook
from .notebook import KERNEL_TIMEOUT, TIMEOUT, Notebook, code_cell, notebook_json
from .server import JupyterServer

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

CELL = (
    "import ipywidgets\n" + sources.COUNTER_CLASS + "w = Counter()\n"
    "out = ipywidgets.Output()\n"
    "def said(change):\n"
    "    print(f\"python saw {change['new']}\")\n"
    "    if change['new'] == 2:\n"
    "        raise ValueError('boom at two')\n"
    "def captured(change):\n"
    "    with out:\n"
    "        print(f\"captured {change['new']}\")\n"
    "w.observe(captured, 'count')\n"  # first: traitlets stops at an observer that raises
    "w.observe(said, 'count')\n"
    "display(w, out)"
)


def click_and_check(output: Locator, *, capture: bool = True) -> None:
    button = output.locator("button.counter")
    expect(button).to_have_text("count is 0", timeout=KERNEL_TIMEOUT)
    button.click()
    below = output.locator(".esmwidget-callback-output")
    expect(below).to_contain_text("python saw 1")
    button.click()
    expect(below).to_contain_text("python saw 2")
    expect(below).to_contain_text("ValueError: boom at two")  # the observer's traceback
    expect(button).to_have_text("count is 2")  # the value stands: the observer failed, not it
    expect(below).not_to_contain_text("captured")
    if capture:  # Output capture keeps what it is given: inside the Output widget
        expect(output.locator(".widget-output")).to_contain_text("captured 2")


def test_in_jupyterlab_and_the_kernel_goes_on(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(CELL)
    click_and_check(cell.output)
    assert nb.py("w.count") == "2"
    later = nb.run("print('still running')")
    expect(later.output).to_contain_text("still running")
    expect(later.output.locator(".esmwidget-callback-output")).to_have_count(0)


def test_in_notebook7(open_notebook: OpenNotebook) -> None:
    nb = open_notebook(app="notebook")
    click_and_check(nb.run(CELL).output)


def test_in_the_classic_notebook(page: Page, jupyter_server: JupyterServer) -> None:
    nb = ClassicNotebook.create(page, jupyter_server, "classic-callback-output.ipynb")
    try:
        # This environment has no ipywidgets front end for the classic Notebook (its
        # nbextension is not installed), so the Output widget does not draw there.
        click_and_check(nb.run(CELL), capture=False)
    finally:
        jupyter_server.shutdown_kernels_for("classic-callback-output.ipynb")


def test_in_voila(page: Page, jupyter_server: JupyterServer) -> None:
    name = "voila-callback-output.ipynb"
    (Path(jupyter_server.root) / name).write_text(json.dumps(notebook_json([code_cell(CELL)])))
    try:
        page.goto(jupyter_server.page_url(f"/voila/render/{name}"), timeout=TIMEOUT)
        click_and_check(page.locator("body"))
    finally:
        jupyter_server.shutdown_kernels_for(name)
