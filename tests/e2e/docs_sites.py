"""The sample documentation project of tests/e2e/test_docs_sites.py: the same notebooks built by
Sphinx with myst-nb, Sphinx with nbsphinx and MkDocs with mkdocs-jupyter, each configured as a
user who wants an offline site would (no MathJax or highlight.js from a CDN)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

COUNTER = '''import esmwidget, traitlets

class Counter(esmwidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        const button = document.createElement("button");
        button.className = "counter";
        const show = () => { button.textContent = `count is ${model.get("count")}`; };
        button.addEventListener("click", () => {
          model.set("count", model.get("count") + 1);
          model.save_changes();
        });
        model.on("change:count", show);
        show();
        el.append(button);
      },
    };
    """
    _css = ".counter { color: rgb(0, 128, 128); }"
    count = traitlets.Int(0).tag(sync=True)
'''

BROKEN = '''import esmwidget

class Broken(esmwidget.AnyWidget):
    _esm = "export default { render({ el }) { el.textContent = ; } }"

class Remote(esmwidget.AnyWidget):
    _esm = """
    import confetti from "https://esm.sh/canvas-confetti@1.6.0";
    export default { render({ el }) { el.textContent = typeof confetti; } };
    """

display(Broken())
Remote()
'''

# A widget package the site documents (on the build's PYTHONPATH, as an installed package would
# be): its module loads a JSON file in a subfolder, a WebAssembly engine and a module worker that
# fetches a file of its own, all beside it.
WASM_ADD = bytes.fromhex(
    "0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
)
PACKAGE = {
    "__init__.py": """import pathlib, esmwidget

class Engine(esmwidget.AnyWidget):
    _esm = pathlib.Path(__file__).parent / "static" / "widget.js"
""",
    "static/widget.js": """export default {
  async render({ el }) {
    const table = await (await fetch(new URL("./data/table.json", import.meta.url))).json();
    const { instance } = await WebAssembly.instantiateStreaming(
      fetch(new URL("./engine.wasm", import.meta.url)),
    );
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    const said = await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
    worker.terminate();
    const sum = instance.exports.add(2, 3);
    el.innerHTML = `<span class="engine">${table.rows} ${sum} ${said}</span>`;
  },
};
""",
    "static/worker.js": """const url = new URL("./data/table.json", import.meta.url);
const table = await (await fetch(url)).json();
postMessage(`worker-${table.rows}`);
""",
    "static/data/table.json": '{"rows": 3}',
    "static/engine.wasm": WASM_ADD,
    "static/unused.bin": b"not named by the module: not carried",
}

# Each notebook: its name, and its code cells.
NOTEBOOKS = {
    "counter": [COUNTER + "\nCounter(count=1)"],
    "second": [COUNTER + "\nCounter(count=5)"],
    "broken": [BROKEN],
    "engine": ["from sitewidget import Engine\nEngine()"],
}

CONFIGS = {
    "myst-nb": """
project = "widgets"
extensions = ["myst_nb", "esmwidget.sphinx"]
nb_execution_mode = "force"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
""",
    "nbsphinx": """
project = "widgets"
extensions = ["nbsphinx", "esmwidget.sphinx"]
nbsphinx_execute = "always"
# MathJax would come from a CDN: this site has no equations.
nbsphinx_assume_equations = False
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
""",
    "mkdocs": """
site_name: widgets
theme:
  name: mkdocs
  # highlight.js would come from a CDN.
  highlightjs: false
nav:
  - index.md
  - counter.ipynb
  - second.ipynb
  - broken.ipynb
  - engine.ipynb
plugins:
  - mkdocs-jupyter:
      execute: true
  - esmwidget
""",
}

INDEX_MD = "# Widgets\n\n```{toctree}\ncounter\nsecond\nbroken\nengine\n```\n"
INDEX_RST = "Widgets\n=======\n\n.. toctree::\n\n   counter\n   second\n   broken\n   engine\n"


def write_notebooks(folder: Path, notebooks: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, cells in notebooks.items():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# The {name} page")]
        nb.cells += [nbformat.v4.new_code_cell(code) for code in cells]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, folder / f"{name}.ipynb")


def write_package(folder: Path) -> None:
    """The documented widget package, `sitewidget`, under `folder`."""
    for name, content in PACKAGE.items():
        target = folder / "sitewidget" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)


def build(builder: str, root: Path) -> tuple[Path, str]:
    """Build the sample project with `builder` under `root`; return the site folder and the log."""
    root.mkdir(parents=True, exist_ok=True)
    write_package(root / "packages")
    env = {**os.environ, "PYTHONPATH": str(root / "packages")}
    bin_dir = Path(sys.executable).parent
    if builder == "mkdocs":
        write_notebooks(root / "docs", NOTEBOOKS)
        (root / "docs" / "index.md").write_text("# Widgets\n")
        (root / "mkdocs.yml").write_text(CONFIGS[builder])
        site = root / "site"
        command = [str(bin_dir / "mkdocs"), "build", "--strict", "--site-dir", str(site)]
    else:
        source = root / "source"
        write_notebooks(source, NOTEBOOKS)
        index = ("index.md", INDEX_MD) if builder == "myst-nb" else ("index.rst", INDEX_RST)
        (source / index[0]).write_text(index[1])
        (source / "conf.py").write_text(CONFIGS[builder])
        site = root / "html"
        command = [str(bin_dir / "sphinx-build"), "-b", "html", str(source), str(site)]
    done = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    log = done.stdout + done.stderr
    if done.returncode != 0:
        raise AssertionError(f"{builder} build failed ({done.returncode}):\n{log[-4000:]}")
    return site, log


# A builder's own warnings and errors: Sphinx writes "<where>: WARNING: ..." (or "WARNING: ...")
# and MkDocs "WARNING -  ...". Other log lines of the build's process are not the builder's: the
# kernel's note that it runs over TCP, or a ZMQ callback error the kernel client logs while a
# kernel shuts down (seen once in a full run, from tornado).
_BUILDER_WARNING = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL): |^(WARNING|ERROR|CRITICAL)\s+-\s")


_COLOR = re.compile(r"\x1b\[[0-9;]*m")


def warnings_in(log: str) -> list[str]:
    """The builder's own warnings and errors in a build's output (colours taken out)."""
    plain = _COLOR.sub("", log)
    return [line for line in plain.splitlines() if _BUILDER_WARNING.search(line)]
