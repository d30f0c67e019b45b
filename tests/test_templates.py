"""The project templates of `esmwidget create`.

Fast: each template's file list against its snapshot in ``tests/snapshots/templates/`` (rewrite
them with ``UPDATE_SNAPSHOTS=1 pytest tests/test_templates.py``, then review the diff), every
placeholder filled, the config files parse, the vendored ``.d.ts`` matches ``js/src/types.d.ts``.

Slow (the proof): esmwidget's wheel is built once and installed into a fresh virtual environment,
whose ``esmwidget create`` (templates read from the wheel) renders each template. Each project's
wheel is built in a second fresh environment (hatchling and hatch-jupyter-builder installed once,
no build isolation; the bundled templates run ``npm install`` and ``npm run build`` there), must
hold the module and the stylesheet, is installed next to esmwidget, imported, and the project's
own tests run against the installed package.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from esmwidget._authoring.create import TEMPLATES, create

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "templates"
NAME = "my_widget"
CLASS_NAME = "MyWidget"
BIN = "Scripts" if os.name == "nt" else "bin"
# The module and the stylesheet each template's wheel must hold.
ASSETS = {
    "vanilla": ("my_widget/widget.js", "my_widget/widget.css"),
    "typescript": ("my_widget/static/widget.js", "my_widget/static/widget.css"),
    "react": ("my_widget/static/widget.js", "my_widget/static/widget.css"),
}
BUNDLED = {"typescript", "react"}
# Where a project keeps a file its module loads beside it, and where the wheel holds it.
ENGINE = {
    "vanilla": ("src/my_widget/engine.wasm", "my_widget/engine.wasm"),
    "typescript": ("public/engine.wasm", "my_widget/static/engine.wasm"),
    "react": ("public/engine.wasm", "my_widget/static/engine.wasm"),
}
WASM_ADD = bytes.fromhex(
    "0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
)
# Asks the installed widget for its engine as the page would, in the user's environment.
ASK_ENGINE = """
import pytest
from esmwidget.testing import FrontEnd, install_fake_comms

install_fake_comms(pytest.MonkeyPatch())
import my_widget

data, media = FrontEnd(my_widget.MyWidget()).file("engine.wasm")
print(data.hex(), media)
"""


def listing(root: Path) -> str:
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return "\n".join(files) + "\n"


@pytest.fixture(params=TEMPLATES)
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    template = str(request.param)
    create(NAME, template=template, directory=tmp_path / NAME)
    return template, tmp_path / NAME


def test_file_list_matches_the_snapshot(rendered: tuple[str, Path]) -> None:
    template, root = rendered
    snapshot = SNAPSHOTS / f"{template}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(listing(root), encoding="utf-8")
    assert listing(root) == snapshot.read_text(encoding="utf-8"), (
        f"the {template} template's files changed; if on purpose, run "
        "UPDATE_SNAPSHOTS=1 pytest tests/test_templates.py and commit the snapshot"
    )


def test_every_placeholder_is_filled(rendered: tuple[str, Path]) -> None:
    _, root = rendered
    left = [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if "{{" in str(p) or (p.is_file() and "{{" in p.read_text(encoding="utf-8"))
    ]
    assert left == []


def test_the_project_files_parse_and_say_what_they_should(rendered: tuple[str, Path]) -> None:
    template, root = rendered
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "my-widget"
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert pyproject["project"]["dependencies"][0].startswith("esmwidget>=")
    init = (root / "src" / NAME / "__init__.py").read_text(encoding="utf-8")
    compile(init, "__init__.py", "exec")
    assert f"class {CLASS_NAME}(esmwidget.AnyWidget):" in init
    assert "count = traitlets.Int(0).tag(sync=True)" in init

    notebook = json.loads((root / "example.ipynb").read_text(encoding="utf-8"))
    first, second = ("".join(cell["source"]) for cell in notebook["cells"][:2])
    assert "%env ANYWIDGET_HMR=1" in first
    assert "%load_ext autoreload\n%autoreload 2" in second

    readme = (root / "README.md").read_text(encoding="utf-8")
    for step in ("pip install -e", "python -m build", "twine upload", "pytest"):
        assert step in readme
    assert (
        "from esmwidget.testing import FrontEnd" in (root / "tests" / "test_widget.py").read_text()
    )
    assert "node_modules/" in (root / ".gitignore").read_text() or template not in BUNDLED

    if template in BUNDLED:
        package = json.loads((root / "package.json").read_text(encoding="utf-8"))
        assert package["scripts"]["build"].endswith(f"--outdir=src/{NAME}/static")
        assert "--watch" in package["scripts"]["dev"]
        json.loads((root / "tsconfig.json").read_text(encoding="utf-8"))
        hook = pyproject["tool"]["hatch"]["build"]["hooks"]["jupyter-builder"]
        assert hook["ensured-targets"] == [
            f"src/{NAME}/static/widget.js",
            f"src/{NAME}/static/widget.css",
        ]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_vanilla_module_is_an_es_module(tmp_path: Path) -> None:
    create(NAME, directory=tmp_path / "p")
    module = tmp_path / "check.mjs"
    shutil.copy(tmp_path / "p" / "src" / NAME / "widget.js", module)
    proc = subprocess.run(
        ["node", "--check", str(module)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_the_templates_folder_holds_no_build_output() -> None:
    """force-include ships templates/ whole, ignoring .gitignore: node_modules would go too."""
    junk = ("node_modules", "static", "dist", "package-lock.json")
    found = [str(p.relative_to(REPO)) for p in (REPO / "templates").rglob("*") if p.name in junk]
    assert found == [], "remove these from templates/ (they would ship in esmwidget's wheel)"


def author_types(text: str) -> str:
    """The author-facing part of a types file: from the first divider to the wire shapes."""
    start = text.index("// ----")
    end = (
        text.rindex("// ----", 0, text.index("// Wire shapes"))
        if "// Wire shapes" in text
        else None
    )
    return text[start:end].rstrip() + "\n"


def test_the_vendored_types_are_esmwidgets_own() -> None:
    ours = author_types((REPO / "js" / "src" / "types.d.ts").read_text(encoding="utf-8"))
    vendored = REPO / "templates" / "typescript" / "js" / "esmwidget.d.ts"
    assert author_types(vendored.read_text(encoding="utf-8")) == ours, (
        "js/src/types.d.ts changed: copy its author-facing part into "
        "templates/typescript/js/esmwidget.d.ts"
    )


# ---------------------------------------------------------------------------------------------
# The proof: build, install, import, test
# ---------------------------------------------------------------------------------------------


@dataclass
class Venv:
    root: Path

    @property
    def python(self) -> str:
        return str(self.root / BIN / ("python.exe" if os.name == "nt" else "python"))

    def script(self, name: str) -> str:
        return str(self.root / BIN / name)


def clean_env(**extra: str) -> dict[str, str]:
    dropped = {"PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "ANYWIDGET_HMR", "ESMWIDGET_HMR"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def run(args: list[str], cwd: Path | None = None, **extra_env: str) -> str:
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=clean_env(**extra_env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"{' '.join(args)} (in {cwd}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def make_venv(path: Path, *packages: str) -> Venv:
    run([sys.executable, "-m", "venv", str(path)])
    venv = Venv(path)
    run([venv.python, "-m", "pip", "install", "--quiet", *packages])
    return venv


def pip(venv: Venv, *args: str) -> None:
    run([venv.python, "-m", "pip", *args, "--quiet"])


def build_esmwidget_wheel(venv: Venv, stage: Path) -> Path:
    """esmwidget's wheel, Python side and templates, built from a copy of the working tree.

    A copy, so the build writes nothing into the checkout; without the labextension, which these
    tests do not load (SKIP_JUPYTER_BUILDER=1 skips the npm build).
    """
    for name in ("pyproject.toml", "package.json", "README.md", "install.json"):
        shutil.copy(REPO / name, stage / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "labextension", "node_modules")
    shutil.copytree(REPO / "src", stage / "src", ignore=skip)
    shutil.copytree(REPO / "templates", stage / "templates", ignore=skip)
    out = stage / "dist"
    run([venv.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(stage)], SKIP_JUPYTER_BUILDER="1")  # fmt: skip
    (wheel,) = out.glob("esmwidget-*.whl")
    return wheel


@dataclass
class Envs:
    """Two fresh environments: the widget author's and a user's, both with esmwidget's wheel."""

    author: Venv  # build tools (installed once, builds run without isolation), watchfiles
    user: Venv  # esmwidget and pytest only: where `pip install my-widget` lands


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> Envs:
    tools = ("build", "hatchling", "editables", "hatch-jupyter-builder", "hatch-nodejs-version")
    author = make_venv(tmp_path_factory.mktemp("author") / "venv", *tools)
    wheel = build_esmwidget_wheel(author, tmp_path_factory.mktemp("esmwidget-src"))
    pip(author, "install", str(wheel), "watchfiles", "pytest")
    user = make_venv(tmp_path_factory.mktemp("user") / "venv", str(wheel), "pytest")
    return Envs(author, user)


@dataclass
class Project:
    template: str
    root: Path
    files: str  # as created, before any build


@pytest.fixture(scope="module", params=TEMPLATES)
def project(
    request: pytest.FixtureRequest, envs: Envs, tmp_path_factory: pytest.TempPathFactory
) -> Project:
    """A project rendered by the user environment's `esmwidget create`: templates from the wheel."""
    template = str(request.param)
    if template in BUNDLED and shutil.which("npm") is None:
        pytest.skip(f"the {template} template builds with npm, which is not installed")
    root = tmp_path_factory.mktemp(template) / NAME
    create_cmd = [envs.user.script("esmwidget"), "create", NAME, "--template", template]
    run([*create_cmd, "--dir", str(root)])
    return Project(template, root, listing(root))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_generated_project_builds_installs_and_passes_its_tests(
    project: Project, envs: Envs, tmp_path: Path
) -> None:
    template, root = project.template, project.root
    assert project.files == (SNAPSHOTS / f"{template}.txt").read_text(encoding="utf-8")
    source, carried = ENGINE[template]  # a file the module would load beside it
    (root / source).parent.mkdir(parents=True, exist_ok=True)
    (root / source).write_bytes(WASM_ADD)

    dist = tmp_path / "dist"
    pip(envs.author, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(root))
    (wheel,) = dist.glob("my_widget-0.1.0-*.whl")
    with zipfile.ZipFile(wheel) as zipped:
        names = set(zipped.namelist())
        module, stylesheet = ASSETS[template]
        assert {module, stylesheet, f"{NAME}/__init__.py"} <= names, sorted(names)
        assert b"count" in zipped.read(module)
        assert b".my_widget" in zipped.read(stylesheet)
        assert not any("node_modules" in n or n.startswith("js/") for n in names), sorted(names)
        assert zipped.read(carried) == WASM_ADD

    pip(envs.user, "install", "--no-index", str(wheel))  # its dependency, esmwidget, is there
    code = f"import {NAME}; print({NAME}.{CLASS_NAME}(count=3).count, {NAME}.__file__)"
    count, location = run([envs.user.python, "-c", code], cwd=tmp_path).split()
    assert count == "3"
    assert "site-packages" in location  # the installed copy, not the project's source
    answer = run([envs.user.python, "-c", ASK_ENGINE], cwd=tmp_path).split()
    assert answer == [WASM_ADD.hex(), "application/wasm"]

    out = run([envs.user.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root)
    assert "4 passed" in out, out


# Runs in the author's environment, in the project folder, against the editable install.
DEV_LOOP = """
import os, sys, time
from pathlib import Path

os.environ["ANYWIDGET_HMR"] = "1"
import pytest
from esmwidget.testing import install_fake_comms

comms = install_fake_comms(pytest.MonkeyPatch())
import my_widget

assert "site-packages" not in my_widget.__file__, my_widget.__file__
widget = my_widget.MyWidget()
time.sleep(1)  # let the file watcher start
for path, old, new in [(sys.argv[1], "count is", "clicked"), (sys.argv[2], "bold", "normal")]:
    text = Path(path).read_text(encoding="utf-8")
    assert old in text, path
    Path(path).write_text(text.replace(old, new), encoding="utf-8")
seen = set()
deadline = time.monotonic() + 60
while seen != {"_esm", "_css"} and time.monotonic() < deadline:
    time.sleep(0.2)
    for update in comms[0].messages("update"):
        if "clicked" in update["state"].get("_esm", ""):
            seen.add("_esm")
        if "normal" in update["state"].get("_css", ""):
            seen.add("_css")
print(sorted(seen))
"""
# What a developer edits: the file-backed module, or the sources esbuild bundles.
SOURCES = {
    "vanilla": (f"src/{NAME}/widget.js", f"src/{NAME}/widget.css"),
    "typescript": ("js/widget.ts", "js/widget.css"),
    "react": ("js/widget.tsx", "js/widget.css"),
}


@contextlib.contextmanager
def esbuild_watcher(root: Path) -> Iterator[None]:
    """`npm run dev` in `root` until the block ends, after its first build."""
    log_path = root / "dev.log"
    with log_path.open("w") as log:
        watcher = subprocess.Popen(
            ["npm", "run", "dev"],
            cwd=root,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # npm, sh and esbuild in one group, stopped together
        )
        try:
            deadline = time.monotonic() + 60
            while "watching for changes" not in log_path.read_text():
                assert watcher.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
            yield
        finally:
            os.killpg(watcher.pid, signal.SIGTERM)
            watcher.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.skipif(os.name == "nt", reason="stops the watcher's process group (POSIX)")
def test_the_dev_loop_hot_reloads_an_editable_install(project: Project, envs: Envs) -> None:
    template, root = project.template, project.root
    pip(envs.author, "install", "--no-deps", "--no-build-isolation", "-e", str(root))
    watcher = esbuild_watcher(root) if template in BUNDLED else contextlib.nullcontext()
    with watcher:
        out = run([envs.author.python, "-c", DEV_LOOP, *SOURCES[template]], cwd=root)
    assert out.split() == ["['_css',", "'_esm']"], out


def test_the_committed_model_types_are_what_esmwidget_types_writes(
    rendered: tuple[str, Path],
) -> None:
    template, root = rendered
    if template not in BUNDLED:
        pytest.skip(
            "the vanilla template has no build step; its README shows the // @ts-check route"
        )
    from esmwidget._authoring.types import generate, load_target  # noqa: PLC0415

    sys.path.insert(0, str(root / "src"))
    try:
        cls = load_target(f"{NAME}:{CLASS_NAME}")
    finally:
        sys.path.remove(str(root / "src"))
        sys.modules.pop(NAME, None)
    expected = generate([cls], command=f"esmwidget types {NAME}:{CLASS_NAME}").text
    assert (root / "js" / "model.ts").read_text(encoding="utf-8") == expected


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_renaming_a_trait_in_python_fails_the_front_ends_typecheck(
    project: Project, envs: Envs
) -> None:
    if project.template not in BUNDLED:
        pytest.skip("the vanilla template has no typecheck step")
    root = project.root
    if not (root / "node_modules").is_dir():
        run(["npm", "install"], cwd=root)
    # The author's environment is active: its `esmwidget` writes js/model.ts.
    path = f"{envs.author.root / BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    init = root / "src" / NAME / "__init__.py"
    original = init.read_text(encoding="utf-8")
    run(["npm", "run", "typecheck"], cwd=root, PATH=path)  # as created, it compiles
    renamed = original.replace("count = traitlets.Int(0)", "clicks = traitlets.Int(0)")
    assert renamed != original
    init.write_text(renamed, encoding="utf-8")
    try:
        proc = subprocess.run(
            ["npm", "run", "typecheck"],
            cwd=root,
            env=clean_env(PATH=path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert "clicks: number;" in (root / "js" / "model.ts").read_text(encoding="utf-8")
        assert proc.returncode != 0, proc.stdout
        assert re.search(r'js/widget\.tsx?\(\d+,\d+\).*"count"', proc.stdout), proc.stdout
    finally:
        init.write_text(original, encoding="utf-8")
        run(["npm", "run", "types"], cwd=root, PATH=path)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_printed_next_steps_work_in_a_new_environment(envs: Envs, tmp_path: Path) -> None:
    # esmwidget is not on PyPI yet: the steps must name the wheel the user's esmwidget came from,
    # or `pip install -e '.[dev]'` finds no `esmwidget>=...` to install.
    printed = run([envs.user.script("esmwidget"), "create", NAME, "--dir", str(tmp_path / NAME)])
    steps = [
        line.strip()
        for line in printed.split("Next, in a new virtual environment:")[1].splitlines()
    ]
    steps = [step for step in steps if step]
    assert steps[:3] == [
        f"cd {tmp_path / NAME}",
        "python -m venv .venv",
        "source .venv/bin/activate",
    ]
    assert re.match(r"pip install \S+esmwidget-[^ ]+\.whl ", steps[3]), steps[3]
    assert steps[-1] == "jupyter lab example.ipynb"
    # Every step up to JupyterLab, as printed, in one shell, then the project's own tests.
    script = "\n".join(["set -e", *steps[:-1], "python -m pytest -q -p no:cacheprovider"])
    out = run(["bash", "-c", script.replace("python -m venv", f"{sys.executable} -m venv", 1)])
    assert "4 passed" in out, out
