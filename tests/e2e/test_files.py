"""A widget's own files in real JupyterLab: a file-backed module loads a JSON file in a subfolder,
a WebAssembly engine with `instantiateStreaming`, a module worker (with its own relative import
and fetch), an image, and an image in its `_css`, all by URLs relative to ``import.meta.url``;
the files go to the page once for two widgets, and nothing outside the folder ever does."""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocket, expect

import esmwidget

from .classic import ClassicNotebook
from .conftest import abort_requests
from .notebook import KERNEL_TIMEOUT, TIMEOUT, Notebook, code_cell, notebook_json
from .server import JupyterServer
from .test_hosts_static import execute_to_html

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

WASM_ADD = bytes.fromhex(
    "0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
)


def _png_1x1() -> bytes:
    """A valid 1x1 RGBA PNG, built here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


DOT_PNG = _png_1x1()
SECRET = "TOP SECRET beside the widget folder"

WIDGET_JS = """export default {
  async render({ el }) {
    const out = document.createElement("span");
    out.className = "files-out";
    el.append(out);
    const table = await (await fetch(new URL("./data/table.json", import.meta.url))).json();
    const { instance } = await WebAssembly.instantiateStreaming(
      fetch(new URL("./engine.wasm", import.meta.url)),
    );
    const worker = new Worker(new URL("./workers/worker.js", import.meta.url), { type: "module" });
    const said = await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
    worker.terminate();
    const img = new Image();
    img.src = new URL("./dot.png", import.meta.url);
    await img.decode();
    let escape = "read";
    try { await fetch(new URL("../secret.txt", import.meta.url)); } catch { escape = "refused"; }
    el.classList.add("files-box");
    const sum = instance.exports.add(2, 3);
    out.textContent = [table.rows, sum, said, img.naturalWidth, escape].join(" ");
  },
};
"""
WORKER_JS = """import { greet } from "./helper.js";
const table = await (await fetch(new URL("../data/table.json", import.meta.url))).json();
postMessage(greet(table.rows));
"""
HELPER_JS = 'export function greet(n) { return "worker-" + n; }\n'
WIDGET_CSS = ".files-box { background-image: url(./dot.png); }\n"


def widget_folder(root: Path) -> Path:
    (root / "secret.txt").write_text(SECRET)
    folder = root / "filewidget"
    (folder / "data").mkdir(parents=True)
    (folder / "workers").mkdir()
    (folder / "widget.js").write_text(WIDGET_JS)
    (folder / "widget.css").write_text(WIDGET_CSS)
    (folder / "data" / "table.json").write_text('{"rows": 3}')
    (folder / "engine.wasm").write_bytes(WASM_ADD)
    (folder / "workers" / "worker.js").write_text(WORKER_JS)
    (folder / "workers" / "helper.js").write_text(HELPER_JS)
    (folder / "dot.png").write_bytes(DOT_PNG)
    return folder


def test_a_module_loads_its_own_files_once_and_nothing_else(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    folder = widget_folder(tmp_path)
    nb = open_notebook()
    frames: list[bytes] = []

    def watch(ws: WebSocket) -> None:
        def keep(payload: str | bytes) -> None:
            frames.append(payload if isinstance(payload, bytes) else payload.encode())

        ws.on("framereceived", keep)

    nb.page.on("websocket", watch)
    nb.reload()  # so the kernel's websocket is watched from its start
    cell = nb.run(
        "import esmwidget, pathlib\n"
        "class Files(esmwidget.AnyWidget):\n"
        f"    _esm = pathlib.Path({str(folder / 'widget.js')!r})\n"
        f"    _css = pathlib.Path({str(folder / 'widget.css')!r})\n"
        "a, b = Files(), Files()\n"
        "display(a, b)"
    )
    outputs = cell.output.locator(".files-out")
    expect(outputs).to_have_text(["3 5 worker-3 1 refused", "3 5 worker-3 1 refused"])
    box = cell.output.locator(".files-box").first
    expect(box).to_have_css("background-image", re.compile(r'^url\("blob:'))
    # Four files, each sent once for two widgets, two views and the stylesheet; the worker's
    # relative import travels inside worker.js.
    assert nb.py("a._esmwidget_link.files_sent + b._esmwidget_link.files_sent") == "4"
    assert not [frame for frame in frames if SECRET.encode() in frame]
    assert any(WASM_ADD in frame for frame in frames), "the watch sees the files that were sent"
    console: list[str] = nb.page.console_messages_e2e  # type: ignore[attr-defined]
    refused = [line for line in console if "../secret.txt" in line]
    assert len(refused) == 1, console
    assert "leads outside" in refused[0]
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)


def test_an_offline_page_carries_the_files_once(page: Page, tmp_path: Path, comms: object) -> None:
    # `comms` (esmwidget.testing): the widgets live in this test process on fake comms.
    folder = widget_folder(tmp_path)

    class Files(esmwidget.AnyWidget):
        _esm = folder / "widget.js"
        _css = folder / "widget.css"

    offline = abort_requests(page, r"^(?!(file|blob|data):)")
    path = esmwidget.export_html(tmp_path / "files.html", Files(), Files())
    text = path.read_text()
    assert SECRET not in text
    assert text.count('"type":"application/wasm"') == 1  # each file once, by content
    page.goto(path.as_uri())
    outputs = page.locator(".files-out")
    expect(outputs).to_have_text(["3 5 worker-3 1 refused", "3 5 worker-3 1 refused"])
    # A page opened from a file has an opaque origin: its files are data: URLs there.
    expect(page.locator(".files-box").first).to_have_css(
        "background-image", re.compile(r'^url\("data:image/png;base64,')
    )
    assert offline == []


PACKAGE_INIT = """import pathlib, esmwidget

class Files(esmwidget.AnyWidget):
    _esm = pathlib.Path(__file__).parent / "widget.js"
    _css = pathlib.Path(__file__).parent / "widget.css"
"""


def test_an_nbconvert_page_carries_the_files_of_a_class_from_a_module(
    page: Page, tmp_path: Path
) -> None:
    # The notebook imports its widget from a package beside it, as its kernel did; the exporter
    # finds the class from the saved state and carries the files its module names, once each.
    folder = widget_folder(tmp_path)
    (folder / "__init__.py").write_text(PACKAGE_INIT)
    html = execute_to_html(
        tmp_path, "from filewidget import Files\ndisplay(Files())\nFiles()", "--to", "esmwidget"
    )
    text = html.read_text()
    assert SECRET not in text
    assert text.count('"type":"application/wasm"') == 1
    offline = abort_requests(page, r"^(?!(file|blob|data):)")
    page.goto(html.as_uri())
    expect(page.locator(".files-out")).to_have_text(
        ["3 5 worker-3 1 refused", "3 5 worker-3 1 refused"]
    )
    expect(page.locator(".files-box").first).to_have_css(
        "background-image", re.compile(r'^url\("data:image/png;base64,')
    )
    # nbconvert's lab page asks cdnjs for require.js and MathJax; the widgets need neither.
    assert all(url.startswith("https://cdnjs.cloudflare.com/") for url in offline), offline


FILES_CELL = (
    "import esmwidget, pathlib\n"
    "class Files(esmwidget.AnyWidget):\n"
    "    _esm = pathlib.Path({js!r})\n"
    "    _css = pathlib.Path({css!r})\n"
    "w = Files()\n"
    "w"
)


def test_the_same_widget_in_notebook7(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    folder = widget_folder(tmp_path)
    nb = open_notebook(app="notebook")
    cell = nb.run(FILES_CELL.format(js=str(folder / "widget.js"), css=str(folder / "widget.css")))
    expect(cell.output.locator(".files-out")).to_have_text("3 5 worker-3 1 refused")


def test_the_same_widget_in_the_classic_notebook(
    page: Page, jupyter_server: JupyterServer, tmp_path: Path
) -> None:
    folder = widget_folder(tmp_path)
    nb = ClassicNotebook.create(page, jupyter_server, "classic-files.ipynb")
    try:
        output = nb.run(
            FILES_CELL.format(js=str(folder / "widget.js"), css=str(folder / "widget.css"))
        )
        expect(output.locator(".files-out")).to_have_text("3 5 worker-3 1 refused")
        expect(output.locator(".files-box")).to_have_css(
            "background-image", re.compile(r'^url\("blob:')
        )
    finally:
        jupyter_server.shutdown_kernels_for("classic-files.ipynb")


def test_the_same_widget_in_voila(
    page: Page, jupyter_server: JupyterServer, tmp_path: Path
) -> None:
    folder = widget_folder(tmp_path)
    name = "voila-files.ipynb"
    cell = FILES_CELL.format(js=str(folder / "widget.js"), css=str(folder / "widget.css"))
    (Path(jupyter_server.root) / name).write_text(json.dumps(notebook_json([code_cell(cell)])))
    try:
        page.goto(jupyter_server.page_url(f"/voila/render/{name}"), timeout=TIMEOUT)
        expect(page.locator(".files-out")).to_have_text(
            "3 5 worker-3 1 refused", timeout=KERNEL_TIMEOUT
        )
        expect(page.locator(".files-box")).to_have_css(
            "background-image", re.compile(r'^url\("blob:')
        )
    finally:
        jupyter_server.shutdown_kernels_for(name)


DATA_WIDGET_JS = """export default {
  async render({ model, el }) {
    const table = await (await fetch(new URL("./data/table.json", import.meta.url))).json();
    const button = document.createElement("button");
    button.className = "rows";
    const show = () => { button.textContent = `rows ${table.rows} count ${model.get("count")}`; };
    button.onclick = () => { model.set("count", model.get("count") + 1); model.save_changes(); };
    model.on("change:count", show);
    show();
    el.append(button);
  },
};
"""


def test_hot_reload_of_a_data_file_keeps_state(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    folder = tmp_path / "datawidget"
    (folder / "data").mkdir(parents=True)
    (folder / "widget.js").write_text(DATA_WIDGET_JS)
    table = folder / "data" / "table.json"
    table.write_text('{"rows": 3}')
    nb = open_notebook()
    nb.run("%env ANYWIDGET_HMR=1")
    cell = nb.run(
        "import esmwidget, pathlib, traitlets\n"
        "class Data(esmwidget.AnyWidget):\n"
        f"    _esm = pathlib.Path({str(folder / 'widget.js')!r})\n"
        "    count = traitlets.Int(0).tag(sync=True)\n"
        "w = Data()\n"
        "w"
    )
    button = cell.output.locator("button.rows")
    expect(button).to_have_text("rows 3 count 0")
    button.click()
    expect(button).to_have_text("rows 3 count 1")
    counts = nb.execution_counts()

    # A save of the data file reloads the module's views; the state stays.
    table.write_text('{"rows": 4}')
    expect(button).to_have_text("rows 4 count 1")
    # Deleted: the same box as a deleted module, above a widget that keeps working.
    table.unlink()
    box = cell.output.locator(".esmwidget-error")
    expect(box).to_contain_text("data/table.json was deleted")
    expect(button).to_have_text("rows 4 count 1")
    # Back: the box goes, the view shows the new data.
    table.write_text('{"rows": 5}')
    expect(button).to_have_text("rows 5 count 1")
    expect(box).to_have_count(0)
    assert nb.execution_counts() == counts, "a cell was re-run"
    assert nb.py("w.count") == "1"
