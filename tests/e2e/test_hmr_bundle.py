"""Build directories: a widget whose `_esm`/`_css` is esbuild's output directory.

esbuild splits the widget into an entry, a shared chunk and a lazily imported chunk, and writes
the CSS next to them. The widget shows its label from the shared chunk, asks the lazy chunk
whether it sees the same shared module instance, and is styled by the CSS file. A rebuild with
new chunk names reaches the live view in place: new label and colour, same count, no cell run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .notebook import Notebook
from .test_hmr import OpenNotebook, last_count, wait_watching

pytestmark = pytest.mark.e2e

ESBUILD = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "esbuild"
GREEN = "rgb(0, 128, 0)"
RED = "rgb(200, 0, 0)"

INDEX = """\
import "./style.css";
import { label, shared } from "./shared.js";

export default {
  async render({ model, el }) {
    const { sees } = await import("./lazy.js");
    const button = document.createElement("button");
    button.className = "bundle";
    const draw = () => {
      const instances = sees(shared) ? "one-instance" : "two-instances";
      button.textContent = `${label()} ${model.get("count")} ${instances}`;
    };
    button.addEventListener("click", () => {
      model.set("count", model.get("count") + 1);
      model.save_changes();
    });
    model.on("change:count", draw);
    draw();
    el.append(button);
  },
};
"""

LAZY = """\
import { shared } from "./shared.js";
export const sees = (other) => other === shared;
"""


def shared_js(label: str) -> str:
    return f'export const shared = {{}};\nexport const label = () => "{label}";\n'


def style_css(color: str) -> str:
    return f".bundle {{ color: {color}; }}\n"


def build(src: Path, dist: Path, label: str, color: str) -> list[str]:
    """Write the sources and run esbuild with code splitting; return the emitted file names."""
    (src / "index.js").write_text(INDEX, encoding="utf-8")
    (src / "lazy.js").write_text(LAZY, encoding="utf-8")
    (src / "shared.js").write_text(shared_js(label), encoding="utf-8")
    (src / "style.css").write_text(style_css(color), encoding="utf-8")
    subprocess.run(
        [
            str(ESBUILD),
            str(src / "index.js"),
            "--bundle",
            "--splitting",
            "--format=esm",
            "--chunk-names=chunk-[hash]",
            f"--outdir={dist}",
            "--log-level=warning",
        ],
        check=True,
    )
    return sorted(p.name for p in dist.iterdir())


def bundle_cell(dist: Path) -> str:
    return f"""import pathlib, traitlets
import esmwidget
%env ANYWIDGET_HMR=1
class Bundled(esmwidget.AnyWidget):
    _esm = pathlib.Path({str(dist)!r})
    _css = pathlib.Path({str(dist)!r})
    count = traitlets.Int(0).tag(sync=True)
b = Bundled(); b"""


def test_build_directory_with_chunks_renders_and_rebuilds_in_place(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    src, dist = tmp_path / "src", tmp_path / "dist"
    src.mkdir()
    first = build(src, dist, "alpha", GREEN)
    # The proof needs real chunks: an entry, the shared chunk, the lazy chunk and the CSS.
    assert {"index.js", "index.css"} <= set(first)
    assert len([name for name in first if name.startswith("chunk-")]) == 2, first

    nb: Notebook = open_notebook()
    cell = nb.run(bundle_cell(dist))
    button = cell.output.locator("button.bundle")
    expect(button).to_have_text("alpha 0 one-instance")
    expect(button).to_have_css("color", GREEN)
    wait_watching(int(nb.py("__import__('os').getpid()")), dist)
    for n in (1, 2):
        button.click()
        expect(button).to_have_text(f"alpha {n} one-instance")
    counts = nb.execution_counts()

    second = build(src, dist, "beta", RED)
    assert set(second) - set(first), "the rebuild should emit chunks with new names"
    expect(button).to_have_text("beta 2 one-instance")
    expect(button).to_have_css("color", RED)
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
    assert nb.execution_counts() == counts, "a cell was re-run"

    button.click()
    expect(button).to_have_text("beta 3 one-instance")
    assert nb.py("b.count") == "3"
    assert last_count(nb.execution_counts()) == last_count(counts) + 1
