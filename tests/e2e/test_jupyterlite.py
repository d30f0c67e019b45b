"""esmwidget in JupyterLite (the Pyodide kernel, in the browser): a site built offline by
lite.py, served from 127.0.0.1, opened in Chromium with every other request aborted. The user's
steps: open the notebook, run it (``%pip install esmwidget`` installs from the site), click."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from . import docs_sites, lite
from .apps import running
from .conftest import abort_requests
from .notebook import KERNEL_TIMEOUT
from .server import free_port

pytestmark = pytest.mark.e2e

pytest.importorskip("jupyterlite_core")
pytest.importorskip("jupyterlite_pyodide_kernel")

COUNTER = docs_sites.COUNTER + "\ncounter = Counter()\ncounter"


def notebook(cells: list[str]) -> dict[str, object]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": c,
            }
            for c in cells
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python (Pyodide)",
                "language": "python",
                "name": "python",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture(scope="module")
def lite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site, built once for the module; yields its URL."""
    work = tmp_path_factory.mktemp("lite")
    contents = work / "contents"
    contents.mkdir()
    (contents / "counter.ipynb").write_text(
        json.dumps(notebook(["%pip install esmwidget", COUNTER]))
    )
    site = lite.build(work, contents)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with running([sys.executable, "-c", lite.SERVER, str(port), str(site)], url, work, {}):
        yield url


def run_new_cell(page: Page, code: str, expected: str | None = None) -> None:
    """Add a cell at the end and run it; wait for `expected` in its output, if given."""
    page.locator(".jp-Notebook .jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    cell = page.locator(".jp-Notebook .jp-Cell").last
    cell.locator(".cm-content").click()
    page.keyboard.insert_text(code)
    page.keyboard.press("Control+Enter")
    if expected is None:
        return
    expect(cell.locator(".jp-OutputArea-output").filter(has_text=expected)).to_have_count(
        1, timeout=KERNEL_TIMEOUT
    )


def test_the_counter_works_offline_in_jupyterlite(page: Page, lite_site: str) -> None:
    blocked = abort_requests(page, r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")
    page.goto(f"{lite_site}lab/index.html?path=counter.ipynb")
    expect(
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first
    ).to_be_attached(timeout=KERNEL_TIMEOUT)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()

    button = page.locator("button.counter")
    expect(button).to_have_text("count is 0", timeout=KERNEL_TIMEOUT)
    expect(button).to_have_css("color", "rgb(0, 128, 128)")
    button.click()
    expect(button).to_have_text("count is 1")
    run_new_cell(page, 'print("COUNT", counter.count)', "COUNT 1")  # the page reached Python
    run_new_cell(page, "counter.count = 42")  # Python reaches the page
    expect(button).to_have_text("count is 42")
    # Nothing esmwidget starts needs what Pyodide lacks: no watcher, no thread of its own.
    run_new_cell(
        page,
        "import sys, threading\n"
        'print("EXTRA", "watchfiles" in sys.modules, threading.active_count())',
        "EXTRA False 1",
    )
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert blocked == []
