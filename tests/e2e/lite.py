"""An offline JupyterLite site with esmwidget, for tests/e2e/test_jupyterlite.py and the recipe in
docs/hosts.md ("JupyterLite"). Network is needed only while building (PyPI through pip, the npm
registry through npm); the site itself requests nothing beyond its own server:

- the Pyodide runtime comes from the npm package ``pyodide`` at the kernel's Pyodide version;
- the pure wheels the kernel loads at start (micropip, ipython, jedi and their dependencies in
  Pyodide's lock) come from PyPI at the lock's versions, with their names and sha256 written into
  the site's copy of ``pyodide-lock.json`` (PyPI's files are not Pyodide's own builds);
- the esmwidget wheel and its pure dependencies are served by piplite with the PyPI fallback off,
  so ``%pip install esmwidget`` installs from the site;
- the lab extensions are exactly the Pyodide kernel's, ipywidgets' manager and esmwidget's.

Downloads are kept in ``tests/e2e/.lite-cache/`` between runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(__file__).resolve().parent / ".lite-cache"
# What the kernel's worker loads at start: micropip from the lock, then (through piplite) its
# own ipykernel, comm and pyodide-kernel, and jedi and ipython from the lock.
KERNEL_START = ("micropip", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython")
# The kernel brings its own stand-in for widgetsnbextension (no classic Notebook files needed).
STAND_INS = ("widgetsnbextension",)
PURE = ["--only-binary=:all:", "--platform", "any", "--implementation", "py", "--abi", "none"]
PYODIDE_SKIP = ("*.d.ts", "*.map", "console*.html", "README.md")

# A static server that names the types module workers and WebAssembly need.
SERVER = r"""
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".ipynb": "application/json"}
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])),
    functools.partial(Handler, directory=sys.argv[2])).serve_forever()
"""


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        **kwargs,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def esmwidget_wheel(work: Path) -> Path:
    """The wheel of this checkout, built from a copy (the build writes a version file)."""
    source = work / "src"
    skip = {".venv", ".git", "node_modules", ".cache", "tests", "benchmarks", "build", "dist"}
    shutil.copytree(
        ROOT,
        source,
        ignore=lambda folder, names: (
            (skip & set(names) if Path(folder) == ROOT else set())
            | {n for n in names if n in {"__pycache__", ".ipynb_checkpoints", "test-results"}}
        ),
    )
    out = work / "wheel"
    # The front end is built already (scripts/setup.sh): only the Python side is packed.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", source, "-w", out],
        env={**_env(), "SKIP_JUPYTER_BUILDER": "1"},
    )
    (wheel,) = out.glob("esmwidget-*.whl")
    return wheel


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERLITE_")}


def requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        (meta,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        text = z.read(meta).decode()
    found = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    return [r for r in found if norm(re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0]) not in STAND_INS]


def _download(python: str, into: Path, *args: str) -> None:
    """``pip download`` pure wheels for Pyodide's Python into `into`."""
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            *PURE,
            "--python-version",
            python,
            "-d",
            into,
            *args,
        ]
    )


def pure_wheels(reqs: list[str], into: Path, python: str) -> list[Path]:
    into.mkdir(parents=True, exist_ok=True)
    _download(python, into, *reqs)
    wheels = sorted(into.glob("*.whl"))
    impure = [w.name for w in wheels if not w.name.endswith("-none-any.whl")]
    if impure:
        raise RuntimeError(f"Pyodide needs pure wheels; these are not: {impure}")
    return [w for w in wheels if norm(w.name.split("-")[0]) not in STAND_INS]


def pyodide_runtime(version: str) -> Path:
    """The npm package ``pyodide@version``, unpacked (cached)."""
    npm = CACHE / "npm"
    npm.mkdir(parents=True, exist_ok=True)
    tarball = npm / f"pyodide-{version}.tgz"
    if not tarball.is_file():
        _run(["npm", "pack", f"pyodide@{version}", "--pack-destination", npm, "--silent"], cwd=npm)
    unpacked = npm / f"pyodide-{version}"
    if not (unpacked / "package" / "pyodide.mjs").is_file():
        with tarfile.open(tarball) as tar:
            tar.extractall(unpacked, filter="data")
    return unpacked / "package"


def lock_closure(packages: dict[str, dict[str, object]], seeds: list[str]) -> list[str]:
    by_norm = {norm(key): key for key in packages}
    found: list[str] = []

    def visit(name: str) -> None:
        key = by_norm.get(norm(name))
        if key is None or key in found:
            return
        found.append(key)
        for dep in packages[key]["depends"]:  # type: ignore[attr-defined]
            visit(dep)

    for seed in seeds:
        visit(seed)
    return found


def _cached(folder: Path, name: str, version: str) -> list[Path]:
    return [
        w
        for w in folder.glob("*.whl")
        if norm(w.name.split("-")[0]) == norm(name) and w.name.split("-")[1] == version
    ]


def ship_lock_wheels(pyodide: Path, seeds: list[str], python: str) -> dict[str, str]:
    """PyPI's wheels of the lock's packages the kernel needs, beside pyodide.mjs, in the lock."""
    lock_path = pyodide / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    packages = lock["packages"]
    wheels = CACHE / "lock-wheels"
    shipped: dict[str, str] = {}
    for key in lock_closure(packages, seeds):
        entry = packages[key]
        if not entry["file_name"].endswith("-none-any.whl"):
            raise RuntimeError(f"{key} is not a pure wheel in Pyodide's lock: {entry['file_name']}")
        name, version = entry["name"], entry["version"]

        if not _cached(wheels, name, version):
            wheels.mkdir(parents=True, exist_ok=True)
            _download(python, wheels, "--no-deps", f"{name}=={version}")
        (wheel,) = _cached(wheels, name, version)
        shutil.copy2(wheel, pyodide / wheel.name)
        entry["file_name"], entry["sha256"] = wheel.name, digest(wheel)
        shipped[key] = wheel.name
    lock["packages"] = {key: value for key, value in packages.items() if key in shipped}
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True))
    return shipped


def build(work: Path, contents: Path) -> Path:
    """Build the site from the notebooks in `contents` under `work`; return its folder."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION  # noqa: PLC0415

    python = "3.14"  # Pyodide 314.x is CPython 3.14
    wheel = esmwidget_wheel(work)
    deps = pure_wheels(requirements(wheel), work / "deps", python)
    lite = work / "lite"
    pyodide = lite / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for path in sorted(pyodide_runtime(PYODIDE_VERSION).iterdir()):
        if path.is_file() and not any(path.match(p) for p in PYODIDE_SKIP):
            shutil.copy2(path, pyodide / path.name)
    # micropip takes a dependency from the lock when the lock has it (typing-extensions).
    ship_lock_wheels(pyodide, [*KERNEL_START, *(norm(d.name.split("-")[0]) for d in deps)], python)
    (lite / "pypi").mkdir()
    for path in [wheel, *deps]:
        shutil.copy2(path, lite / "pypi" / path.name)
    kernel = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension"
    manager = [d for d in deps if norm(d.name.split("-")[0]) == "jupyterlab-widgets"]
    site = work / "site"
    (lite / "jupyter-lite.json").write_text(
        json.dumps(
            {
                "jupyter-lite-schema-version": 0,
                "jupyter-config-data": {
                    "litePluginSettings": {
                        "@jupyterlite/pyodide-kernel-extension:kernel": {
                            "disablePyPIFallback": True
                        },
                    }
                },
            }
        )
    )
    (lite / "jupyter_lite_config.json").write_text(
        json.dumps(
            {
                "LiteBuildConfig": {
                    # Only these extensions, not every one the build's environment has.
                    "ignore_sys_prefix": ["federated_extensions"],
                    "federated_extensions": [str(kernel), *map(str, manager), str(wheel)],
                    "contents": [str(contents)],
                    "output_dir": str(site),
                    "no_sourcemaps": True,
                }
            }
        )
    )
    _run(
        [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", lite],
        cwd=lite,
        env=_env(),
    )
    settings = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"][
        "litePluginSettings"
    ]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if settings.get("pyodideUrl") != "./static/pyodide/pyodide.mjs":
        raise RuntimeError(f"the site would load Pyodide from elsewhere: {settings}")
    return site
