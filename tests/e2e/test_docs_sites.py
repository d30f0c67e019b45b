"""esmwidget widgets alive in documentation sites: the sample project of docs_sites.py built by
real Sphinx + myst-nb, Sphinx + nbsphinx and MkDocs + mkdocs-jupyter (each once for the module),
served from 127.0.0.1 and opened in Chromium with every other request aborted."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import docs_sites
from .apps import running
from .server import free_port

pytestmark = pytest.mark.e2e

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")
pytest.importorskip("nbsphinx")
pytest.importorskip("mkdocs_jupyter")

BUILDERS = ("myst-nb", "nbsphinx", "mkdocs")


@dataclass
class Site:
    builder: str
    folder: Path
    url: str
    log: str

    def page(self, name: str) -> str:
        return f"{self.url}{name}/" if self.builder == "mkdocs" else f"{self.url}{name}.html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """Every builder's site, built once, under one static server."""
    root = tmp_path_factory.mktemp("sites")
    built = {builder: docs_sites.build(builder, root / builder) for builder in BUILDERS}
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    base = f"http://127.0.0.1:{port}/"
    with running(command, base, root, {}):
        yield {
            builder: Site(builder, folder, base + folder.relative_to(root).as_posix() + "/", log)
            for builder, (folder, log) in built.items()
        }


@pytest.fixture
def requests_off_site(page: Page) -> list[str]:
    """Abort every request beyond 127.0.0.1 and list it."""
    blocked: list[str] = []

    def route(route_: object) -> None:
        request = route_.request  # type: ignore[attr-defined]
        if re.match(r"^(https?://127\.0\.0\.1[:/]|blob:|data:)", request.url):
            route_.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request.url)
            route_.abort()  # type: ignore[attr-defined]

    page.context.route("**/*", route)
    return blocked


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_counter_renders_from_saved_state_and_reacts(
    builder: str, sites: dict[str, Site], page: Page, requests_off_site: list[str]
) -> None:
    site = sites[builder]
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if "/_static/esmwidget/" in r.url else None)

    page.goto(site.page("counter"))
    button = page.locator("button.counter")
    expect(button).to_have_text("count is 1")  # the state the notebook's execution saved
    expect(button).to_have_css("color", "rgb(0, 128, 128)")  # its `_css`, a site file too
    button.click()
    expect(button).to_have_text("count is 2")

    page.goto(site.page("second"))
    expect(page.locator("button.counter")).to_have_text("count is 5")
    assert requests_off_site == []

    # Both pages load the same runtime and the same module file: written once for the site.
    runtimes = {url for url in loaded if "/runtime-" in url}
    modules = {url for url in loaded if url.endswith(".js") and "/runtime-" not in url}
    assert len(runtimes) == 1, loaded
    assert len(modules) == 1, loaded
    assert sum("/runtime-" in url for url in loaded) == 2
    files = sorted(p.name for p in (site.folder / "_static" / "esmwidget").iterdir())
    assert len([f for f in files if f.startswith("runtime-")]) == 1, files


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_documented_widget_loads_its_own_files_from_the_site(
    builder: str, sites: dict[str, Site], page: Page, requests_off_site: list[str]
) -> None:
    # The widget's class comes from a package; the build finds it and writes the files its
    # module names (JSON in a subfolder, WebAssembly, a worker and the worker's own fetch) into
    # the site, in one folder with the module. instantiateStreaming needs the site to serve the
    # engine as wasm.
    site = sites[builder]
    page.goto(site.page("engine"))
    expect(page.locator(".engine")).to_have_text("3 5 worker-3")
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert requests_off_site == []
    (folder,) = (site.folder / "_static" / "esmwidget").glob("files-*")
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    # The three files the module names (not the package's other file), and the module.
    assert [name for name in written if not name.startswith("module-")] == [
        "data/table.json",
        "engine.wasm",
        "worker.js",
    ], written
    assert (folder / "engine.wasm").read_bytes() == docs_sites.WASM_ADD


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_build_prints_no_warning(builder: str, sites: dict[str, Site]) -> None:
    assert docs_sites.warnings_in(sites[builder].log) == []


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_broken_module_and_an_unreachable_import_say_so_in_the_page(
    builder: str, sites: dict[str, Site], page: Page, requests_off_site: list[str]
) -> None:
    page.goto(sites[builder].page("broken"))
    boxes = page.locator(".esmwidget-error")
    expect(boxes).to_have_count(2)
    expect(boxes.filter(has_text="SyntaxError")).to_have_count(1)
    remote = boxes.filter(has_text="https://esm.sh/canvas-confetti@1.6.0")
    expect(remote).to_have_count(1)
    expect(remote).to_contain_text("cannot be reached")
    assert requests_off_site == ["https://esm.sh/canvas-confetti@1.6.0"]


def test_a_page_without_widget_state_gets_one_warning_naming_it(tmp_path: Path) -> None:
    """A notebook shown as saved without its widget state (not executed in the build)."""
    source = tmp_path / "source"
    view = {"version_major": 2, "version_minor": 0, "model_id": "0123abcd"}
    nb = docs_sites.nbformat.v4.new_notebook()
    cell = docs_sites.nbformat.v4.new_code_cell("Counter()")
    cell.outputs = [
        docs_sites.nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "Counter()"},
        )
    ]
    nb.cells = [docs_sites.nbformat.v4.new_markdown_cell("# Saved"), cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    source.mkdir()
    docs_sites.nbformat.write(nb, source / "saved.ipynb")
    (source / "index.md").write_text("# Widgets\n\n```{toctree}\nsaved\n```\n")
    (source / "conf.py").write_text(
        'extensions = ["myst_nb", "esmwidget.sphinx"]\nnb_execution_mode = "off"\n'
    )
    done = docs_sites.subprocess.run(
        [
            str(Path(sys.executable).with_name("sphinx-build")),
            "-b",
            "html",
            str(source),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    warnings = docs_sites.warnings_in(done.stdout + done.stderr)
    assert len(warnings) == 1, warnings
    assert "saved.html shows 1 widget output(s) but holds no saved widget state" in warnings[0]
    assert "nb_execution_mode" in warnings[0]
