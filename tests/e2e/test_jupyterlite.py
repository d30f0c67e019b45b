"""esmwidget in JupyterLite (the Pyodide kernel, in the browser): a site built offline by
lite.py, served from 127.0.0.1, opened in Chromium with every other request aborted. The user's
steps: open the notebook, run it (``%pip install esmwidget`` installs from the site), click."""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from . import docs_sites, lite, test_files
from .apps import running
from .conftest import abort_requests
from .notebook import KERNEL_TIMEOUT
from .server import free_port

pytestmark = pytest.mark.e2e

pytest.importorskip("jupyterlite_core")
pytest.importorskip("jupyterlite_pyodide_kernel")

COUNTER = docs_sites.COUNTER + "\ncounter = Counter()\ncounter"


def files_cell() -> str:
    """A cell that writes test_files.py's widget folder into Pyodide's file system and shows it."""
    files = {
        "secret.txt": test_files.SECRET.encode(),
        "filewidget/widget.js": test_files.WIDGET_JS.encode(),
        "filewidget/widget.css": test_files.WIDGET_CSS.encode(),
        "filewidget/data/table.json": b'{"rows": 3}',
        "filewidget/engine.wasm": test_files.WASM_ADD,
        "filewidget/workers/worker.js": test_files.WORKER_JS.encode(),
        "filewidget/workers/helper.js": test_files.HELPER_JS.encode(),
        "filewidget/dot.png": test_files.DOT_PNG,
    }
    encoded = {name: base64.b64encode(data).decode() for name, data in files.items()}
    return (
        "import base64, pathlib, esmwidget\n"
        'root = pathlib.Path("/tmp/lite-files")\n'
        f"for name, data in {encoded!r}.items():\n"
        "    (root / name).parent.mkdir(parents=True, exist_ok=True)\n"
        "    (root / name).write_bytes(base64.b64decode(data))\n"
        "class Files(esmwidget.AnyWidget):\n"
        '    _esm = root / "filewidget" / "widget.js"\n'
        '    _css = root / "filewidget" / "widget.css"\n'
        "Files()"
    )


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
    (contents / "files.ipynb").write_text(
        json.dumps(notebook(["%pip install esmwidget", files_cell()]))
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


def open_and_run_all(page: Page, url: str) -> None:
    page.goto(url)
    expect(
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first
    ).to_be_attached(timeout=KERNEL_TIMEOUT)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()


def test_the_counter_works_offline_in_jupyterlite(page: Page, lite_site: str) -> None:
    blocked = abort_requests(page, r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")
    open_and_run_all(page, f"{lite_site}lab/index.html?path=counter.ipynb")

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


def test_a_widget_loads_its_own_files_from_the_in_browser_kernel(
    page: Page, lite_site: str
) -> None:
    # The kernel reads the files from Pyodide's file system and sends them as in JupyterLab:
    # JSON in a subfolder, WebAssembly with instantiateStreaming, a module worker, an image and
    # an image in the stylesheet; the file outside the folder is refused.
    blocked = abort_requests(page, r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")
    open_and_run_all(page, f"{lite_site}lab/index.html?path=files.ipynb")
    expect(page.locator(".files-out")).to_have_text(
        "3 5 worker-3 1 refused", timeout=KERNEL_TIMEOUT
    )
    expect(page.locator(".files-box")).to_have_css("background-image", re.compile(r'^url\("blob:'))
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert blocked == []
