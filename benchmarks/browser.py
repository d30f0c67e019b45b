"""Browser figures: esmwidget against anywidget, real JupyterLab in headless Chromium.

Usage::

    make bench-browser          # installs benchmarks/.venv with JupyterLab, then runs this
    python benchmarks/browser.py [--repeats N] [--json PATH] [--tiny] [--figure GROUP ...]

Runs in `benchmarks/.venv`, which has both packages, both lab extensions, ipywidgets, JupyterLab
and Playwright. One JupyterLab server (the e2e tests' `JupyterServer`, on 127.0.0.1) serves both
packages to Debian's Chromium; every session is a new browser context, a new notebook and a new
kernel, driven by the e2e tests' `Notebook`. The packages alternate (esmwidget then anywidget, then
anywidget then esmwidget, ...), so load from elsewhere on the machine falls on both. Times are
taken inside the page (`performance.now` in a MutationObserver), not by polling from Python.
See docs/performance.md, section "Browser".
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.metadata
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # the e2e harness: tests/e2e/server.py and notebook.py

import _browser_cells as cells  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from run import describe_machine, format_table, load_average  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.notebook import TIMEOUT, WIDGET_STATE_MIME, Notebook  # noqa: E402
from tests.e2e.server import JupyterServer  # noqa: E402

PACKAGES = cells.PACKAGES
SAVE_STATE_SETTINGS = {
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
    # JupyterLab shows 50 outputs of a cell and hides the rest behind a button; show all 100.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"maxNumberOutputs": 1000},
}
# JupyterLab shows 50 outputs of a cell and hides the rest behind a button: show them all.
MANY_OUTPUTS_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"maxNumberOutputs": 5000},
}
GROUPS = ("bundle", "session", "hmr", "notebook", "scale", "stream", "big")
SETTLE = 0.25  # seconds of quiet before each timed action


@dataclass(frozen=True)
class Sizes:
    clicks: int  # clicks per session
    bytes_size: int  # bytes set per sample
    bytes_sets: int  # sets per session
    hmr_saves: int  # saves per session
    module_bytes: int  # length of `_esm` for the notebook-size figure
    instances: int  # widgets in the notebook-size figure
    views: tuple[int, ...]  # widgets displayed by one cell, one session each
    stream_sets: int  # sets of a small trait in the streaming loop
    stream_rate: int  # sets per second
    big_size: int  # bytes of the big payload, both ways
    big_sets: int  # big payloads per direction per session


FULL = Sizes(
    clicks=10,
    bytes_size=10 * cells.MIB,
    bytes_sets=3,
    hmr_saves=5,
    module_bytes=100_000,
    instances=100,
    views=(200, 1000),
    stream_sets=5000,
    stream_rate=1000,
    big_size=100 * cells.MIB,
    big_sets=2,
)
TINY = Sizes(
    clicks=1,
    bytes_size=cells.MIB,
    bytes_sets=1,
    hmr_saves=1,
    module_bytes=10_000,
    instances=10,
    views=(20,),
    stream_sets=200,
    stream_rate=1000,
    big_size=cells.MIB,
    big_sets=1,
)
LONG = 300_000  # ms: a thousand views of the slower package, a 100 MiB round trip

# figure: (title, metrics shown in the table)
FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cell_first": ("cell run to widget in the DOM, first widget in the page", ("ms",)),
    "cell_again": ("cell run to widget in the DOM, second instance", ("ms",)),
    "click": ("click -> Python observer -> DOM", ("ms",)),
    "bytes": ("{bytes} bytes trait, kernel set -> byteLength in the DOM", ("ms",)),
    "bytes_keydown": ("{bytes} bytes trait, Shift+Enter -> byteLength in the DOM", ("ms",)),
    "hmr": ("HMR: file written -> new label in the DOM", ("ms",)),
    "hmr_css": ("HMR: CSS file written -> new colour computed", ("ms",)),
    "fetched": ("lab extension JS the page fetched (own package)", ("bytes",)),
    "labextension": ("lab extension static/*.js", ("bytes", "gzip_bytes", "files")),
    "amd": (
        "AMD/nbextension bundle (dist/index.js vs nbextension/index.js)",
        ("bytes", "gzip_bytes"),
    ),
    "notebook": (
        "saved notebook, {instances} widgets with a {module} byte module",
        ("file_bytes", "widget_state_bytes", "models", "esm_copies"),
    ),
    **{
        f"floor_{n}": (
            f"{n:,} plain HTML outputs of one cell (JupyterLab alone), Shift+Enter -> all laid out",
            ("ms",),
        )
        for n in (20, 200, 1000)
    },
    **{
        f"views_{n}": (
            f"{n:,} views of one class, Shift+Enter -> all laid out",
            ("ms", "longest_task_ms", "js_heap_mib", "heap_kib_per_view", "click_last_ms"),
        )
        for n in (20, 200, 1000)
    },
    **{
        f"shared_{n}": (
            f"{n:,} views of one class whose module exports shareModule (one evaluation)",
            ("ms",),
        )
        for n in (20, 200, 1000)
    },
    "stream": (
        "{stream_sets:,} sets at {stream_rate:,}/s -> the last value in the DOM",
        (
            "last_value_ms",
            "views_updated",
            "longest_frame_gap_ms",
            "frames",
            "loop_overrun_ms",
            "kernel_cpu_us_per_set",
        ),
    ),
    "big_to_page": (
        "{big:,} bytes trait, kernel set -> byteLength in the DOM",
        ("ms", "kernel_peak_mib", "page_mib"),
    ),
    "big_to_kernel": (
        "{big:,} bytes trait, page click -> bytes in Python",
        # kernel_peak_mib stays in the JSON only: it read 0 in most runs (docs/performance.md).
        ("ms", "page_mib"),
    ),
    "big_default_limit": (
        "{big:,} bytes from the page, Jupyter Server's default 10 MiB message limit",
        ("arrived",),
    ),
}


class SettingsServer(JupyterServer):
    """The e2e server with some JupyterLab settings of its own."""

    settings: ClassVar[dict[str, dict[str, Any]]] = {}

    def write_settings(self, env: dict[str, str]) -> None:
        super().write_settings(env)
        settings_dir = Path(env["JUPYTERLAB_SETTINGS_DIR"])
        for rel, value in self.settings.items():
            p = settings_dir / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            merged = json.loads(p.read_text()) if p.exists() else {}
            p.write_text(json.dumps({**merged, **value}))


class SaveStateServer(SettingsServer):
    """jupyterlab-manager's "save widget state" turned on."""

    settings = SAVE_STATE_SETTINGS


class ManyOutputsServer(SettingsServer):
    """Every output of a cell shown."""

    settings = MANY_OUTPUTS_SETTINGS


class BigMessagesServer(SettingsServer):
    """Jupyter Server taking websocket messages of up to 2 GiB from the page (the default is
    10 MiB): anywidget sends a large value from the page in one message."""

    def write_settings(self, env: dict[str, str]) -> None:
        super().write_settings(env)
        config = Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json"
        tornado = {"websocket_max_message_size": 2 * 1024**3}
        config.write_text(json.dumps({"ServerApp": {"tornado_settings": tornado}}))


class Samples:
    """Every number measured, by (figure, metric, package), with the load at each session."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        self.details: dict[str, Any] = {}

    def add(self, figure: str, metric: str, package: str, value: float) -> None:
        self.values[figure, metric, package].append(value)


# -- the page --------------------------------------------------------------------------------


def arm(
    page: Page,
    trigger: str | None,
    selector: str,
    text: str | None,
    style: tuple[str, str] | None = None,
    count: int | None = None,
) -> None:
    state = page.evaluate(
        "([t, s, x, y, n]) => window.__bench.arm(t, s, x, y, n)",
        [trigger, selector, text, list(style) if style else None, count],
    )
    if state != "armed":
        msg = f"{selector} {text!r} was already in the DOM before the timed action"
        raise RuntimeError(msg)


def wait_done(page: Page, timeout: int = TIMEOUT) -> dict[str, float]:
    """Wait until the armed condition holds (and its trigger was seen); the page's timestamps."""
    page.wait_for_function(
        "() => window.__bench.t1 !== null"
        " && (window.__bench.trigger === null || window.__bench.t0 !== null)",
        timeout=timeout,
    )
    return page.evaluate(
        "() => { const b = window.__bench; return {t0: b.t0, t1: b.t1, t1_epoch: b.t1_epoch}; }"
    )


def clock_offset(page: Page) -> float:
    """The page's wall clock (timeOrigin + now, ms) minus this process's `time.time()` (ms).

    The sample with the shortest round trip wins; its error is at most half that round trip.
    """
    best: tuple[float, float] | None = None
    for _ in range(7):
        before = time.time()
        page_ms = page.evaluate("() => performance.timeOrigin + performance.now()")
        after = time.time()
        rtt = after - before
        if best is None or rtt < best[0]:
            best = (rtt, page_ms - (before + after) / 2 * 1000)
    assert best is not None
    return best[1]


def page_memory(page: Page) -> dict[str, float]:
    """The page's JS heap and ArrayBuffer memory after a full garbage collection, in MiB."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        usage = cdp.send("Runtime.getHeapUsage")
    finally:
        cdp.detach()
    heap = usage["usedSize"] / cells.MIB
    buffers = usage.get("backingStorageSize", 0) / cells.MIB
    return {"heap": heap, "buffers": buffers, "total": heap + buffers}


def kernel_json(nb: Notebook, expr: str) -> Any:
    return json.loads(nb.py(f"json.dumps({expr})"))


def settle(nb: Notebook) -> None:
    """Before each timed action: the kernel idle, then a quarter second for the page and kernel
    to finish what the previous step started (status messages, layout)."""
    nb.wait_kernel_idle()
    time.sleep(SETTLE)


def timed_cell(nb: Notebook, code: str, selector: str, text: str | None) -> float:
    """Shift+Enter on `code` until `selector` (with `text`) is in the DOM, in ms."""
    settle(nb)
    arm(nb.page, "keydown", selector, text)
    nb.run(code)
    t = wait_done(nb.page)
    return t["t1"] - t["t0"]


def watched_inodes(pid: int) -> set[str]:
    """Inodes (hex) that the process's inotify descriptors watch (from /proc)."""
    found: set[str] = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if "inotify" not in os.readlink(fd):
                continue
            info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
        except OSError:
            continue
        for line in info.splitlines():
            found.update(p[4:] for p in line.split() if p.startswith("ino:"))
    return found


def wait_watching(pid: int, path: Path, timeout: float = 60.0) -> None:
    """Wait until the kernel watches `path` or its folder (anywidget watches the file, esmwidget
    the folder): a save made before the watch exists would be missed. A readiness wait only."""
    want = {f"{path.stat().st_ino:x}", f"{path.parent.stat().st_ino:x}"}
    deadline = time.monotonic() + timeout
    while not want & watched_inodes(pid):
        if time.monotonic() > deadline:
            msg = f"kernel {pid} never watched {path} within {timeout}s"
            raise RuntimeError(msg)
        time.sleep(0.05)


# -- sessions --------------------------------------------------------------------------------


@contextlib.contextmanager
def notebook_session(browser: Browser, server: JupyterServer, name: str):
    """A new browser context with the timing helper, a new notebook, its kernel idle."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)
    context.add_init_script(cells.PAGE_HELPER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield Notebook.create(page, server, name)
    except Exception:
        print(f"# page errors: {errors[-5:]}", file=sys.stderr)
        print(server.log_tail(30), file=sys.stderr)
        raise
    finally:
        context.close()
        with contextlib.suppress(Exception):
            server.shutdown_kernels_for(name)


def run_session(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    groups: list[str],
    samples: Samples,
) -> None:
    """Cell run, clicks, 10 MB and HMR for one package in one new notebook and kernel."""
    add = lambda figure, metric, value: samples.add(figure, metric, package, value)  # noqa: E731
    with notebook_session(browser, server, f"bench-{package}-{repeat}.ipynb") as nb:
        page = nb.page
        nb.run(cells.setup_cell(package))
        if "session" in groups:
            for figure, tag in (("cell_first", "a"), ("cell_again", "b")):
                ms = timed_cell(
                    nb,
                    cells.widget_cell(tag),
                    f'div.bench[data-tag="{tag}"] .bench-count',
                    "count 0",
                )
                add(figure, "ms", ms)

            button = page.locator('div.bench[data-tag="a"] button.bench-count')
            for k in range(1, sizes.clicks + 1):
                settle(nb)
                arm(page, "click", 'div.bench[data-tag="a"] .bench-echo', f"echo {k}")
                button.click()
                t = wait_done(page)
                add("click", "ms", t["t1"] - t["t0"])

            nb.run(cells.payloads_cell(sizes.bytes_sets, sizes.bytes_size))
            pending = []
            for k in range(sizes.bytes_sets):
                settle(nb)
                offset = clock_offset(page)
                text = f"bytes {sizes.bytes_size} {k + 1}"
                arm(page, "keydown", 'div.bench[data-tag="a"] .bench-bytes', text)
                nb.run(cells.bytes_cell("a", k))
                t = wait_done(page)
                add("bytes_keydown", "ms", t["t1"] - t["t0"])
                pending.append((k, t["t1_epoch"] - offset))
            sent = json.loads(nb.py("json.dumps(sent)"))
            for k, dom_ms in pending:
                add("bytes", "ms", dom_ms - sent[str(k)] * 1000)

        if "hmr" in groups:
            folder = Path(server.root) / f"hmr-{package}-{repeat}"
            folder.mkdir()
            js = folder / "hot.js"
            css = folder / "hot.css"
            js.write_text(cells.hmr_esm("v0"), encoding="utf-8")
            css.write_text(cells.hmr_css(0), encoding="utf-8")
            nb.run(cells.HMR_ON)
            nb.run(cells.hmr_cell(package, str(js), str(css)))
            page.locator("button.hmr-bench", has_text="v0").wait_for(timeout=TIMEOUT)
            wait_watching(int(nb.py("os.getpid()")), js)
            for k in range(1, sizes.hmr_saves + 1):
                settle(nb)
                offset = clock_offset(page)
                arm(page, None, "button.hmr-bench", f"v{k}")
                written = time.time()
                js.write_text(cells.hmr_esm(f"v{k}"), encoding="utf-8")  # in place, as editors do
                t = wait_done(page)
                add("hmr", "ms", t["t1_epoch"] - offset - written * 1000)
            for k in range(1, sizes.hmr_saves + 1):
                settle(nb)
                offset = clock_offset(page)
                arm(page, None, "button.hmr-bench", None, ("color", f"rgb(0, 0, {k})"))
                written = time.time()
                css.write_text(cells.hmr_css(k), encoding="utf-8")
                t = wait_done(page)
                add("hmr_css", "ms", t["t1_epoch"] - offset - written * 1000)

        fetched = page.evaluate(cells.RESOURCES, list(PACKAGES))
        add("fetched", "bytes", fetched[package]["decoded_bytes"])
        samples.details.setdefault("fetched", {})[f"{package}/{repeat}"] = fetched


def run_notebook_size(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    samples: Samples,
) -> None:
    """`instances` widgets rendered, the notebook saved with widget state; its size on disk."""
    name = f"size-{package}-{repeat}.ipynb"
    with notebook_session(browser, server, name) as nb:
        path = Path(server.root) / name
        before = path.stat().st_mtime_ns
        nb.run(cells.big_module_cell(package, sizes.module_bytes, sizes.instances))
        nb.wait_js("(n) => document.querySelectorAll('span.big').length === n", sizes.instances)
        nb.command("docmanager:save")
        nb.wait_js("() => window.jupyterapp.shell.currentWidget.context.model.dirty === false")
        deadline = time.monotonic() + TIMEOUT / 1000
        while path.stat().st_mtime_ns == before:
            if time.monotonic() > deadline:
                msg = f"{name} was not saved"
                raise RuntimeError(msg)
            time.sleep(0.1)
        raw = path.read_bytes()
    saved = json.loads(raw)
    widgets = saved["metadata"].get("widgets", {}).get(WIDGET_STATE_MIME)
    if not widgets:
        msg = f"{name}: no widget state saved (is saveState on?)"
        raise RuntimeError(msg)
    states = widgets["state"]
    esm_copies = sum(
        1
        for m in states.values()
        if len(str(m.get("state", {}).get("_esm", ""))) >= sizes.module_bytes
    )
    add = lambda metric, value: samples.add("notebook", metric, package, value)  # noqa: E731
    add("file_bytes", len(raw))
    add("widget_state_bytes", len(json.dumps(saved["metadata"]["widgets"])))
    add("models", len(states))
    add("esm_copies", esm_copies)
    samples.details.setdefault("notebook", {})[package] = {
        "model_names": sorted({f"{m['model_module']}.{m['model_name']}" for m in states.values()}),
    }


def run_scale(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    samples: Samples,
) -> None:
    """One cell displays N widgets of one class: time until all are laid out, the longest task,
    the page's heap, then a click on the last one until its own update is back. In esmwidget's
    sessions, also N plain HTML outputs (what JupyterLab itself takes to show N outputs) and N
    views of a module that exports `shareModule` (one evaluation for all)."""
    for count in sizes.views:
        if package == PACKAGES[0]:
            with notebook_session(browser, server, f"floor-{count}-{repeat}.ipynb") as nb:
                nb.run("from IPython.display import display, HTML")
                settle(nb)
                arm(nb.page, "keydown", "button.many", None, count=count)
                nb.run(cells.html_cell(count), timeout=LONG)
                t = wait_done(nb.page, timeout=LONG)
                samples.add(f"floor_{count}", "ms", package, t["t1"] - t["t0"])
            # The opt-in: the module evaluated once for every widget, as before each widget
            # had its own evaluation (docs/front-end.md, "One module, many widgets").
            name = f"shared-{count}-{repeat}.ipynb"
            with notebook_session(browser, server, name) as nb:
                nb.run("import json\n" + cells.many_setup_cell(package, shared=True))
                settle(nb)
                arm(nb.page, "keydown", "button.many", None, count=count)
                nb.run(cells.many_cell(count), timeout=LONG)
                t = wait_done(nb.page, timeout=LONG)
                samples.add(f"shared_{count}", "ms", package, t["t1"] - t["t0"])
        figure = f"views_{count}"
        add = lambda metric, value: samples.add(figure, metric, package, value)  # noqa: E731, B023
        with notebook_session(browser, server, f"many-{package}-{count}-{repeat}.ipynb") as nb:
            page = nb.page
            nb.run("import json\n" + cells.many_setup_cell(package))
            settle(nb)
            before = page_memory(page)["heap"]
            arm(page, "keydown", "button.many", None, count=count)
            nb.run(cells.many_cell(count), timeout=LONG)
            t = wait_done(page, timeout=LONG)
            add("ms", t["t1"] - t["t0"])
            add("longest_task_ms", page.evaluate("() => window.__bench.longest_task()"))
            settle(nb)
            after = page_memory(page)["heap"]
            add("js_heap_mib", after)
            add("heap_kib_per_view", (after - before) * 1024 / count)
            last = (count - 1) * 1000 + 1
            arm(page, "click", "button.many", f"many {last}", count=count)
            page.locator("button.many").nth(count - 1).click()
            t = wait_done(page)
            add("click_last_ms", t["t1"] - t["t0"])


def run_stream(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    samples: Samples,
) -> None:
    """Python sets a small trait `stream_sets` times at `stream_rate` per second."""
    add = lambda metric, value: samples.add("stream", metric, package, value)  # noqa: E731
    n, rate = sizes.stream_sets, sizes.stream_rate
    with notebook_session(browser, server, f"stream-{package}-{repeat}.ipynb") as nb:
        page = nb.page
        nb.run("import json\n" + cells.stream_setup_cell(package))
        page.locator("span.stream", has_text="value 0").wait_for(timeout=TIMEOUT)
        nb.run(cells.plain_cell(n, rate), timeout=LONG)
        settle(nb)
        offset = clock_offset(page)
        page.evaluate("() => { window.__stream_seen = 0; window.__bench.frames_start(); }")
        arm(page, None, "span.stream", f"value {n}")
        nb.run(cells.stream_cell(n, rate), timeout=LONG)
        t = wait_done(page, timeout=LONG)
        frames = page.evaluate("() => window.__bench.frames_stop()")
        seen = page.evaluate("() => window.__stream_seen")
        wall, cpu, last_set = kernel_json(nb, "streamed")
        base_wall, base_cpu, _ = kernel_json(nb, "baseline")
        add("last_value_ms", t["t1_epoch"] - offset - last_set * 1000)
        add("views_updated", seen)
        add("frames", frames["frames"])
        add("longest_frame_gap_ms", frames["longest_gap_ms"])
        add("loop_overrun_ms", (wall - n / rate) * 1000)
        add("kernel_cpu_us_per_set", (cpu - base_cpu) / n * 1e6)
        samples.details.setdefault("stream_baseline", {})[f"{package}/{repeat}"] = {
            "wall_s": base_wall,
            "cpu_s": base_cpu,
        }


@contextlib.contextmanager
def big_notebook(browser: Browser, server: JupyterServer, name: str, package: str, size: int):
    """A new notebook showing `Huge` (a `size`-byte payload both ways), its view drawn."""
    with notebook_session(browser, server, name) as nb:
        nb.run("import json\n" + cells.big_setup_cell(package, size))
        nb.page.locator("span.big-bytes", has_text="bytes 0").wait_for(timeout=TIMEOUT)
        yield nb


def run_default_limit(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    samples: Samples,
) -> None:
    """Does a `big_size` value set in the page reach Python through a server left as it is?
    A yes or no: checked in the first repeat only."""
    if repeat > 0:
        return
    size = sizes.big_size
    with big_notebook(browser, server, f"limit-{package}-{repeat}.ipynb", package, size) as nb:
        page = nb.page
        settle(nb)
        page.locator("button.big-send").click()
        deadline = time.monotonic() + 60
        got = None
        while got is None and time.monotonic() < deadline:
            time.sleep(1)
            with contextlib.suppress(Exception):  # the page may be reconnecting its kernel
                got = kernel_json(nb, "got.get(1)")
        arrived = got is not None and got[1] == size
        samples.add("big_default_limit", "arrived", package, 1.0 if arrived else 0.0)


def run_big(
    browser: Browser,
    server: JupyterServer,
    package: str,
    repeat: int,
    sizes: Sizes,
    samples: Samples,
) -> None:
    """A `big_size` bytes trait from the page to Python, then (new kernel) from Python to the
    page: the time, the kernel's peak resident memory above what it held before, the page's
    memory afterwards. A new kernel per direction, since the peak only grows."""
    size = sizes.big_size
    add = lambda figure, metric, value: samples.add(figure, metric, package, value)  # noqa: E731
    with big_notebook(browser, server, f"big-in-{package}-{repeat}.ipynb", package, size) as nb:
        page = nb.page
        for k in range(1, sizes.big_sets + 1):
            settle(nb)
            offset = clock_offset(page)
            arm(page, "click", "span.big-bytes", f"bytes {size} {k}")
            page.locator("button.big-send").click()
            t = wait_done(page, timeout=LONG)
            clicked = t["t1_epoch"] - (t["t1"] - t["t0"]) - offset
            deadline = time.monotonic() + LONG / 1000
            while (got := kernel_json(nb, f"got.get({k})")) is None:
                if time.monotonic() > deadline:
                    msg = f"{package}: Python never got payload {k}"
                    raise RuntimeError(msg)
                time.sleep(0.2)
            if got[1] != size:
                msg = f"{package}: Python got {got[1]} bytes, not {size}"
                raise RuntimeError(msg)
            add("big_to_kernel", "ms", got[0] * 1000 - clicked)
        settle(nb)
        # The peak when the last value arrived, above the kernel's peak before the first.
        add("big_to_kernel", "kernel_peak_mib", got[2] - float(nb.py("base")))
        add("big_to_kernel", "page_mib", page_memory(page)["total"])
    with big_notebook(browser, server, f"big-out-{package}-{repeat}.ipynb", package, size) as nb:
        page = nb.page
        growth = 0.0
        for k in range(1, sizes.big_sets + 1):
            nb.run(cells.big_payload_cell(size, k))
            settle(nb)
            offset = clock_offset(page)
            arm(page, "keydown", "span.big-bytes", f"bytes {size} {100 + k}")
            nb.run(cells.big_set_cell(k))
            t = wait_done(page, timeout=LONG)
            sent = kernel_json(nb, f"sent[{k}]")
            add("big_to_page", "ms", t["t1_epoch"] - offset - sent * 1000)
            settle(nb)
            growth = max(growth, float(nb.py(f"after[{k}] - before")))
        add("big_to_page", "kernel_peak_mib", growth)
        add("big_to_page", "page_mib", page_memory(page)["total"])


# -- static sizes ----------------------------------------------------------------------------


def file_sizes(paths: list[Path]) -> dict[str, float]:
    data = [p.read_bytes() for p in paths]
    return {
        "bytes": sum(len(d) for d in data),
        "gzip_bytes": sum(len(gzip.compress(d, 9, mtime=0)) for d in data),
        "files": len(data),
    }


def bundle_sizes(samples: Samples) -> None:
    """Our built files against those in anywidget's wheel (installed in this environment)."""
    spec = importlib.util.find_spec("anywidget")
    assert spec is not None
    assert spec.origin is not None
    anywidget_dir = Path(spec.origin).parent
    ours = sorted((REPO / "src/esmwidget/labextension/static").glob("*.js"))
    theirs = sorted((anywidget_dir / "labextension/static").glob("*.js"))
    amd = {
        "esmwidget": [REPO / "dist/index.js"],
        "anywidget": [anywidget_dir / "nbextension/index.js"],
    }
    for package, files in (("esmwidget", ours), ("anywidget", theirs)):
        if not files:
            msg = f"no lab extension files for {package}: run `npm run build` first"
            raise SystemExit(msg)
        for metric, value in file_sizes(files).items():
            samples.add("labextension", metric, package, value)
        for metric, value in file_sizes(amd[package]).items():
            samples.add("amd", metric, package, value)
    samples.details["bundle_files"] = {
        "esmwidget": [str(p.relative_to(REPO)) for p in ours + amd["esmwidget"]],
        "anywidget": [p.name for p in theirs] + ["nbextension/index.js"],
    }


# -- report ----------------------------------------------------------------------------------


def summarize(samples: Samples, titles: dict[str, str]) -> list[dict]:
    rows = []
    for figure, (_, shown) in FIGURES.items():
        metrics = dict.fromkeys(m for (f, m, _) in samples.values if f == figure)
        for metric in metrics:
            row: dict[str, Any] = {
                "figure": figure,
                "title": titles[figure],
                "metric": metric,
                "shown": metric in shown,
            }
            for package in PACKAGES:
                values = samples.values.get((figure, metric, package))
                row[package] = (
                    {
                        "median": statistics.median(values),
                        "min": min(values),
                        "max": max(values),
                        "runs": values,
                    }
                    if values
                    else None
                )
            mine, theirs = row["esmwidget"], row["anywidget"]
            row["ratio"] = (
                mine["median"] / theirs["median"] if mine and theirs and theirs["median"] else None
            )
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, help="sessions per package (default 5)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--tiny", action="store_true", help="small sizes, one session each")
    parser.add_argument("--figure", action="append", choices=GROUPS, help="only these groups")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.tiny else 5)
    groups = args.figure or list(GROUPS)
    sizes = TINY if args.tiny else FULL

    missing = [p for p in (*PACKAGES, "jupyterlab") if importlib.util.find_spec(p) is None]
    if missing:
        print(
            f"browser.py: {', '.join(missing)} not importable by {sys.executable}. "
            "Run `make bench-browser`, which installs everything into benchmarks/.venv.",
            file=sys.stderr,
        )
        return 2
    os.environ.pop("ANYWIDGET_HMR", None)  # the kernels inherit the server's environment

    machine = describe_machine(list(PACKAGES))
    for name in ("jupyterlab", "jupyterlab_widgets", "playwright", "watchfiles"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            machine["versions"][name] = importlib.metadata.version(name)
    titles = {
        f: t.format(
            bytes=f"{sizes.bytes_size:,}",
            instances=sizes.instances,
            module=f"{sizes.module_bytes:,}",
            stream_sets=sizes.stream_sets,
            stream_rate=sizes.stream_rate,
            big=sizes.big_size,
        )
        for f, (t, _) in FIGURES.items()
    }
    print(f"# {machine['cpu']}, {machine['nproc']} cores, Python {machine['python']}")
    print(f"# {', '.join(f'{k} {v}' for k, v in machine['versions'].items())}")
    print(f"# {repeats} session(s) per package; load {machine['load_start']}")

    samples = Samples()
    loads: list[str] = []
    if "bundle" in groups:
        bundle_sizes(samples)
    started = time.perf_counter()

    def each(label: str, fn: Callable[[str, int], None]) -> None:
        for repeat in range(repeats):
            order = PACKAGES if repeat % 2 == 0 else PACKAGES[::-1]
            for package in order:
                loads.append(f"{label} {package} {repeat}: {load_average()}")
                fn(package, repeat)
            print(f"# {label} {repeat + 1}/{repeats} done ({time.perf_counter() - started:.0f} s)")

    with (
        tempfile.TemporaryDirectory(prefix="esmwidget-browser-") as tmp,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT)
        machine["versions"]["chromium"] = browser.version
        try:
            session_groups = [g for g in groups if g in ("session", "hmr")]
            if session_groups:
                server = JupyterServer(Path(tmp) / "lab")
                server.start()
                try:
                    each(
                        "session",
                        lambda p, r: run_session(
                            browser, server, p, r, sizes, session_groups, samples
                        ),
                    )
                finally:
                    server.stop()
            heavy = {
                "scale": run_scale,
                "stream": run_stream,
                "big": run_default_limit,
            }
            if any(g in groups for g in heavy):
                server = ManyOutputsServer(Path(tmp) / "lab-many-outputs")
                server.start()
                try:
                    for group, run in heavy.items():
                        if group in groups:
                            each(
                                group,
                                lambda p, r, run=run: run(browser, server, p, r, sizes, samples),
                            )
                finally:
                    server.stop()
            if "big" in groups:
                server = BigMessagesServer(Path(tmp) / "lab-big-messages")
                server.start()
                try:
                    each("big", lambda p, r: run_big(browser, server, p, r, sizes, samples))
                finally:
                    server.stop()
            if "notebook" in groups:
                server = SaveStateServer(Path(tmp) / "lab-save-state")
                server.start()
                try:
                    each(
                        "notebook",
                        lambda p, r: run_notebook_size(browser, server, p, r, sizes, samples),
                    )
                finally:
                    server.stop()
        finally:
            browser.close()
    machine["load_end"] = load_average()
    machine["load_per_session"] = loads

    rows = summarize(samples, titles)
    print()
    print(format_table(rows))
    if args.tiny:
        print("\n# --tiny: one session at small sizes checks the command, it measures nothing")
    print(f"# load: start {machine['load_start']}, end {machine['load_end']}")
    result = {
        "schema": 1,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine,
        "settings": {"tiny": args.tiny, "repeats": repeats, "groups": groups, "sizes": vars(sizes)},
        "results": rows,
        "details": samples.details,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
