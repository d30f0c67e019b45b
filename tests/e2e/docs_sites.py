"""The sample documentation project of tests/e2e/test_docs_sites.py: the same notebooks built by
Sphinx with myst-nb, Sphinx with nbsphinx and MkDocs with mkdocs-jupyter, each configured as a
user who wants an offline site would (no MathJax or highlight.js from a CDN)."""

from __future__ import annotations

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

# Each notebook: its name, and its code cells.
NOTEBOOKS = {
    "counter": [COUNTER + "\nCounter(count=1)"],
    "second": [COUNTER + "\nCounter(count=5)"],
    "broken": [BROKEN],
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
plugins:
  - mkdocs-jupyter:
      execute: true
  - esmwidget
""",
}

INDEX_MD = "# Widgets\n\n```{toctree}\ncounter\nsecond\nbroken\n```\n"
INDEX_RST = "Widgets\n=======\n\n.. toctree::\n\n   counter\n   second\n   broken\n"


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


def build(builder: str, root: Path) -> tuple[Path, str]:
    """Build the sample project with `builder` under `root`; return the site folder and the log."""
    root.mkdir(parents=True, exist_ok=True)
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
        command, cwd=root, capture_output=True, text=True, timeout=600, check=False
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
