"""Static HTML: nbconvert's page, with its widget state, renders esmwidget widgets from the npm
package on a CDN. The CDN is a local server laid out like jsdelivr, unpkg and cdnjs, holding the
files of the ``npm pack`` tarball; the page is nbconvert's own, unmodified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .apps import npm_pack
from .cdn import LocalCDN, route_public_cdns
from .notebook import TIMEOUT, code_cell, notebook_json
from .sources import COUNTER

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


@pytest.fixture(scope="module")
def npm_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of `npm pack`'s tarball, as a CDN would serve them."""
    return npm_pack(tmp_path_factory.mktemp("npm-pack"))


def execute_to_html(tmp: Path, source: str, *extra: str) -> Path:
    """`jupyter nbconvert --execute` a one-cell notebook into HTML; widget state is stored."""
    nb = tmp / "widgets.ipynb"
    nb.write_text(json.dumps(notebook_json([code_cell(source)])))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
    env["IPYTHONDIR"] = str(tmp / "ipython")
    command = [sys.executable, "-m", "nbconvert", "--execute", str(nb), "--output-dir", str(tmp)]
    subprocess.run(
        [*command, *extra], env=env, capture_output=True, text=True, timeout=180, check=True
    )
    return tmp / "widgets.html"


def test_npm_package_holds_the_amd_loader_and_its_types(npm_package: Path) -> None:
    package = json.loads((npm_package / "package.json").read_text())
    assert package["main"] == "dist/index.js"
    assert (npm_package / package["main"]).read_text().startswith("// esmwidget ")
    assert (npm_package / package["types"]).is_file()
    assert "private" not in package


def test_nbconvert_page_renders_the_widget_from_the_cdn(
    page: Page, npm_package: Path, tmp_path: Path
) -> None:
    html = execute_to_html(tmp_path, COUNTER, "--to", "html")
    text = html.read_text()
    assert "application/vnd.jupyter.widget-state+json" in text  # nbconvert stored the state
    cdn = LocalCDN(
        {
            "esmwidget": npm_package,
            "@jupyter-widgets/html-manager": NODE_MODULES / "@jupyter-widgets/html-manager",
        },
        requirejs=NODE_MODULES / "requirejs" / "require.js",
    )
    with cdn.running():
        elsewhere = route_public_cdns(page.context, cdn)
        page.goto(html.as_uri(), timeout=TIMEOUT)
        button = page.locator("button.counter")
        expect(button).to_have_text("count is 0")
        expect(button).to_have_css("color", "rgb(0, 128, 128)")
        for _ in range(3):
            button.click()
        expect(button).to_have_text("count is 3")  # the page's own model state
        expect(page.locator(".esmwidget-error")).to_have_count(0)
    # The module came from the package at the range the kernel sent, as a CDN would serve it.
    loaded = [r for r in cdn.requests if r.startswith("/npm/esmwidget@")]
    assert loaded == ["/npm/esmwidget@~0.1.*/dist/index.js"]
    assert elsewhere == []
