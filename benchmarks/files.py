"""A widget's own files, measured in real JupyterLab: a large file fetched by the module against
the same bytes as a `Bytes` trait, and 200 views of one class sharing one 5 MB file.

Usage (the browser benchmarks' venv, `make bench-browser-setup`)::

    benchmarks/.venv/bin/python benchmarks/files.py [--repeats 3] [--json out.json]

Only esmwidget: anywidget cannot load a file beside its module, which is the point. Prints
medians with [min-max], the file/Bytes ratio, the transfers and the page's memory. (The
kernel's peak RSS is not reported: `ru_maxrss` carried over from earlier sessions, so it
measured nothing per case.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser import (  # noqa: E402
    LONG,
    ManyOutputsServer,
    arm,
    kernel_json,
    notebook_session,
    page_memory,
    settle,
    wait_done,
)
from playwright.sync_api import sync_playwright  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

MIB = 1024 * 1024

FILE_ESM = """export default { async render({ el }) {
  const data = await (await fetch(new URL("./blob.bin", import.meta.url))).arrayBuffer();
  const s = document.createElement("span"); s.className = "got";
  s.textContent = `bytes ${data.byteLength}`; el.append(s);
} };
"""
BYTES_ESM = """export default { render({ model, el }) {
  const s = document.createElement("span"); s.className = "got";
  s.textContent = `bytes ${model.get("data").byteLength}`; el.append(s);
} };
"""
SETUP = """import esmwidget, json, os, pathlib, traitlets
class FileWidget(esmwidget.AnyWidget):
    _esm = pathlib.Path({path!r})
class BytesWidget(esmwidget.AnyWidget):
    _esm = {bytes_esm!r}
    data = traitlets.Bytes(b"").tag(sync=True)
payload = pathlib.Path({blob!r}).read_bytes()
"""


def one(browser: Any, server: Any, folder: Path, size: int, kind: str, views: int) -> dict:
    """One session: Shift+Enter -> `views` views showing `size` bytes, with the file or Bytes."""
    blob = folder / "blob.bin"
    name = f"files-{kind}-{size}-{views}-{time.monotonic_ns()}.ipynb"
    with notebook_session(browser, server, name) as nb:
        nb.run(SETUP.format(path=str(folder / "widget.js"), bytes_esm=BYTES_ESM, blob=str(blob)))
        settle(nb)
        before = page_memory(nb.page)["total"]
        arm(nb.page, "keydown", "span.got", f"bytes {size}", count=views)
        make = "FileWidget()" if kind == "file" else "BytesWidget(data=payload)"
        nb.run(f"ws = [{make} for _ in range({views})]; display(*ws)", timeout=LONG)
        t = wait_done(nb.page, timeout=LONG)
        sent = kernel_json(nb, "sum(w._esmwidget_link.files_sent for w in ws)")
        return {
            "ms": t["t1"] - t["t0"],
            "files_sent": sent,
            "page_mib": page_memory(nb.page)["total"] - before,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cases = [(10 * MIB, 1), (50 * MIB, 1), (5 * MIB, 200)]
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = ManyOutputsServer(root / "server")
        server.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for size, views in cases:
                    folder = root / f"widget-{size}"
                    folder.mkdir()
                    (folder / "widget.js").write_text(FILE_ESM)
                    (folder / "blob.bin").write_bytes(bytes(range(256)) * (size // 256))
                    for _ in range(args.repeats):
                        for kind in ("file", "bytes"):
                            row = one(browser, server, folder, size, kind, views)
                            key = f"{size // MIB} MiB, {views} view(s), {kind}"
                            for metric, value in row.items():
                                results.setdefault(key, {}).setdefault(metric, []).append(value)
                browser.close()
        finally:
            server.stop()
    print("| case | ms | file/Bytes | files sent | page MiB |")
    print("|---|---|---|---|---|")
    for key, metrics in results.items():
        ms = metrics["ms"]
        bytes_key = key.replace(", file", ", bytes")
        ratio = (
            f"{statistics.median(ms) / statistics.median(results[bytes_key]['ms']):.2f}x"
            if key.endswith("file")
            else ""
        )
        print(
            f"| {key} | {statistics.median(ms):,.0f} [{min(ms):,.0f}-{max(ms):,.0f}] | {ratio} | "
            f"{statistics.median(metrics['files_sent']):.0f} | "
            f"{statistics.median(metrics['page_mib']):.1f} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
