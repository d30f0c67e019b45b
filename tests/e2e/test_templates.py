"""The proof in a real JupyterLab page: a widget from an installed generated package.

`esmwidget create` renders each template; pip builds the project's wheel (the typescript and
react ones run npm and esbuild through hatch-jupyter-builder) and installs it, without
dependencies, into a temporary folder the notebook cell puts on ``sys.path``, so the shared venv
is left untouched. The cell imports the class, displays it, and the test clicks the button.

Each project also gets a WebAssembly engine where its template keeps files the module loads
(beside ``widget.js``, or ``public/`` for the bundled ones), and its module instantiates it with
``instantiateStreaming`` from a URL relative to ``import.meta.url``: the wheel must carry it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .notebook import Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

# template -> (package, class); different names so all three install side by side.
PACKAGES = {
    "vanilla": ("vanilla_counter", "VanillaCounter"),
    "typescript": ("ts_counter", "TsCounter"),
    "react": ("react_counter", "ReactCounter"),
}


WASM_ADD = bytes.fromhex(
    "0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
)
LOAD = 'WebAssembly.instantiateStreaming(fetch(new URL("./engine.wasm", import.meta.url)))'
ADD = "(instance.exports.add as (a: number, b: number) => number)(2, 3)"
SHOW_SUM = f"""
    {LOAD}.then(({{ instance }}) => {{
      const sum = document.createElement("span");
      sum.className = "wasm";
      sum.textContent = `wasm ${{{ADD}}}`;
      el.append(sum);
    }});
    el.append(button);"""
# Where each template keeps the engine, and the edits that make its module use it.
ENGINE = {
    "vanilla": (
        "src/vanilla_counter/engine.wasm",
        {
            "src/vanilla_counter/widget.js": [
                (
                    "\n    el.append(button);",
                    SHOW_SUM.replace(" as (a: number, b: number) => number", ""),
                )
            ]
        },
    ),
    "typescript": (
        "public/engine.wasm",
        {"js/widget.ts": [("\n    el.append(button);", SHOW_SUM)]},
    ),
    "react": (
        "public/engine.wasm",
        {
            "js/widget.tsx": [
                (
                    'import "./widget.css";',
                    'import "./widget.css";\nimport { useEffect, useState } from "react";',
                ),
                (
                    'useTrait("count");',
                    'useTrait("count");\n'
                    "  const [sum, setSum] = useState<number | null>(null);\n"
                    f"  useEffect(() => {{\n    {LOAD}.then(({{ instance }}) => setSum({ADD}));\n"
                    "  }, []);",
                ),
                (
                    "</button>",
                    '</button>\n      {sum !== null && <span className="wasm">wasm {sum}</span>}',
                ),
            ]
        },
    ),
}


def add_engine(template: str, root: Path) -> None:
    """Put the engine where `template` keeps the module's files, and make the module use it."""
    place, edits = ENGINE[template]
    (root / place).parent.mkdir(parents=True, exist_ok=True)
    (root / place).write_bytes(WASM_ADD)
    for name, replacements in edits.items():
        text = (root / name).read_text()
        for old, new in replacements:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        (root / name).write_text(text)


def run(args: list[str]) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"{' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three generated packages, built from source and installed into one folder."""
    if shutil.which("npm") is None:
        pytest.skip("the typescript and react templates build with npm, which is not installed")
    work = tmp_path_factory.mktemp("templates")
    for template, (package, _) in PACKAGES.items():
        create = [sys.executable, "-m", "esmwidget", "create", package, "--template", template]
        run([*create, "--dir", str(work / package)])
        add_engine(template, work / package)
    target = work / "installed"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet"]
    pip += ["--disable-pip-version-check", "--target", str(target)]
    run([*pip, *(str(work / package) for package, _ in PACKAGES.values())])
    return target


@pytest.mark.parametrize("template", PACKAGES)
def test_an_installed_generated_widget_renders_and_counts_clicks(
    template: str, installed: Path, open_notebook: OpenNotebook
) -> None:
    package, class_name = PACKAGES[template]
    nb = open_notebook()
    cell = nb.run(
        f"import sys\nsys.path.insert(0, {str(installed)!r})\n"
        f"from {package} import {class_name}\nw = {class_name}()\nw"
    )
    assert nb.py(f"sys.modules[{package!r}].__file__").startswith(str(installed))
    button = cell.output.locator(f".{package} button")
    expect(button).to_have_text("count is 0")
    for n in (1, 2, 3):
        button.click()
        expect(button).to_have_text(f"count is {n}")
    assert nb.py("w.count") == "3"
    nb.run("w.count = 42")
    expect(button).to_have_text("count is 42")
    expect(button).to_have_css("font-weight", "700")  # the package's stylesheet applies
    # The engine the wheel carries, instantiated from the module's own folder.
    expect(cell.output.locator(f".{package} .wasm")).to_have_text("wasm 5")
    assert nb.py("w._esmwidget_link.files_sent") == "1"
    expect(cell.output.locator(".esmwidget-error")).to_have_count(0)
