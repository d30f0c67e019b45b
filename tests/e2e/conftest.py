"""Fixtures for the browser end-to-end tests: one `jupyter lab` per session, one page per test."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from .chromium import CHROMIUM, CHROMIUM_ARGS
from .notebook import TIMEOUT, Notebook
from .server import JupyterServer

_SERVER: JupyterServer | None = None

expect.set_options(timeout=TIMEOUT)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    if rep.failed and _SERVER is not None and _SERVER.proc is not None:
        rep.sections.append(("jupyter server log (tail)", _SERVER.log_tail(60)))
    return rep


# Package scope, not session: Playwright's sync API keeps an asyncio loop running in the main
# thread while it is open, which breaks `asyncio.run()` in any test that runs after it (the unit
# tests do). Both fixtures end when the last e2e test has run.
@pytest.fixture(scope="package")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    global _SERVER  # noqa: PLW0603 - the report hook needs the log path
    server = JupyterServer(tmp_path_factory.mktemp("jupyter"))
    server.start()
    _SERVER = server
    try:
        yield server
    finally:
        _SERVER = None
        server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT)
        try:
            yield b
        finally:
            b.close()


def abort_requests(page: Page, pattern: str) -> list[str]:
    """Abort every request of `page`'s context whose URL matches `pattern`; return the list of
    them, which tests assert is empty (or holds only what they expect)."""
    attempts: list[str] = []

    def abort(route: Route) -> None:
        attempts.append(route.request.url)
        route.abort()

    page.context.route(re.compile(pattern), abort)
    return attempts


def _slug(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]


def _page_extensions(pg: Page) -> object:
    """Which federated extensions the server offered this page (a rebuild can drop ours)."""
    try:
        return pg.evaluate(
            """() => {
              const el = document.getElementById('jupyter-config-data');
              if (!el) return 'no page config';
              return JSON.parse(el.textContent).federated_extensions
                .map(e => e.name + ' ' + e.load);
            }"""
        )
    except Exception as e:  # diagnostics only
        return f"<unavailable: {e}>"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    pg.on("requestfailed", lambda r: console.append(f"[requestfailed] {r.url} {r.failure}"))
    pg.on(
        "response",
        lambda r: console.append(f"[http {r.status}] {r.url}") if r.status >= 400 else None,
    )
    pg.console_messages_e2e = console  # type: ignore[attr-defined]
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        out = Path(request.config.rootpath) / "test-results" / _slug(request.node.nodeid)
        out.mkdir(parents=True, exist_ok=True)
        try:
            pg.screenshot(path=str(out / "screenshot.png"), full_page=True, timeout=30_000)
        except Exception as e:
            console.append(f"[e2e] screenshot failed: {e}")
        console.append(f"[e2e] federated extensions in the page config: {_page_extensions(pg)}")
        (out / "console.log").write_text("\n".join(console) + "\n")
        if _SERVER is not None:
            (out / "server.log.tail").write_text(_SERVER.log_tail(300) + "\n")
        print(f"\n[e2e] artifacts in {out}\n[e2e] console (last 40):")
        print("\n".join(console[-40:]))
    context.close()


@pytest.fixture
def open_notebook(
    page: Page, jupyter_server: JupyterServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Notebook]]:
    """`open_notebook(nb=None, app="lab", name=None)`: write a notebook, open it, kernel idle."""
    opened: list[str] = []

    def _open(
        nb: dict[str, Any] | None = None, app: str = "lab", name: str | None = None
    ) -> Notebook:
        name = name or f"{_slug(request.node.name)}-{len(opened)}.ipynb"
        opened.append(name)
        return Notebook.create(page, jupyter_server, name, nb, app=app)

    yield _open
    for name in opened:
        try:
            jupyter_server.shutdown_kernels_for(name)
        except Exception as e:
            print(f"[e2e] could not stop the kernel of {name}: {e}")


COMPAT_DIR = Path(__file__).resolve().parent / ".compat-pkgs"
# Pinned: the tests click on these versions' DOM. drawdata is wigglystuff's one dependency
# besides anywidget (which the alias serves).
PACKAGES = (
    "drawdata==0.5.2",
    "wigglystuff==0.5.36",
    "searchselect==0.1.0",
    # From the survey in docs/migrating.md: each exercises something the first three do not.
    "bitjet==1.0.0",
    "moutils==0.3.12",
    "jswidget==0.1.1",
    "plotly==7.1.0",
)
FORBIDDEN = ("anywidget", "ipywidgets")


@pytest.fixture(scope="session")
def compat_packages() -> Path:
    """Install `PACKAGES` with ``pip --no-deps --target`` once; reruns reuse the folder."""
    stamp = COMPAT_DIR / ".installed"
    wanted = "\n".join(PACKAGES) + "\n"
    if stamp.is_file() and stamp.read_text() == wanted:
        return COMPAT_DIR
    staging = COMPAT_DIR.with_name(COMPAT_DIR.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile"]
    command += ["--disable-pip-version-check", "--quiet", "--target", str(staging), *PACKAGES]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"pip install of {PACKAGES} timed out: {e}")
    if result.returncode != 0:
        pytest.fail(f"pip install of {PACKAGES} failed:\n{result.stdout}\n{result.stderr}")
    leaked = [name for name in FORBIDDEN if (staging / name).exists()]
    assert not leaked, f"--no-deps still installed {leaked} into {staging}"
    shutil.rmtree(COMPAT_DIR, ignore_errors=True)
    staging.rename(COMPAT_DIR)
    stamp.write_text(wanted)
    return COMPAT_DIR
