"""A click to the rerun's text in a real Streamlit app: esmwidget.streamlit against a plain
`st.button` and against anywidget's way into Streamlit today (the `streamlit-anywidget` package,
an iframe component around the real anywidget's module).

Usage (the benchmarks' venv with Streamlit, `make bench-streamlit`)::

    benchmarks/.venv/bin/python benchmarks/streamlit.py [--clicks 20] [--json out.json]

Each case is its own `streamlit run` on 127.0.0.1. The figure is the wall time from Playwright's
click to the moment the page shows the rerun's text ``python sees N``, polled each animation
frame: the same overhead in every case. Prints medians with [min-max] and the ratios to
`st.button`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.server import free_port, streamlit_command  # noqa: E402

COUNTER = '''
import traitlets

ESM = """export default { render({ model, el }) {
  const b = document.createElement("button"); b.className = "counter";
  const draw = () => { b.textContent = `count is ${model.get("count")}`; };
  b.addEventListener("click", () => {
    model.set("count", model.get("count") + 1);
    model.save_changes();
  });
  model.on("change:count", draw); draw(); el.append(b);
} };
"""
'''

APPS = {
    "st.button": """
import streamlit as st
if "n" not in st.session_state:
    st.session_state.n = 0
if st.button("count", key="counter"):
    st.session_state.n += 1
st.write(f"python sees {st.session_state.n}")
""",
    "esmwidget.streamlit": COUNTER
    + """
import streamlit as st, esmwidget
from esmwidget.streamlit import show
class Counter(esmwidget.AnyWidget):
    _esm = ESM
    count = traitlets.Int(0).tag(sync=True)
counter = show(Counter(), key="counter")
st.write(f"python sees {counter.count}")
""",
    "streamlit-anywidget": COUNTER
    + """
import streamlit as st, anywidget
from streamlit_anywidget import anywidget as show
class Counter(anywidget.AnyWidget):
    _esm = ESM
    count = traitlets.Int(0).tag(sync=True)
if "w" not in st.session_state:
    st.session_state.w = Counter()
show(st.session_state.w, key="counter")
st.write(f"python sees {st.session_state.w.count}")
""",
}


def serve(app: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    (folder / "app.py").write_text(app)
    port = free_port()
    command = streamlit_command("app.py", port)
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen(command, cwd=folder, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=5)
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError(
                    f"streamlit did not start:\n{(folder / 'server.log').read_text()}"
                ) from None
            time.sleep(0.2)
        else:
            return proc, url


def target(page: Page, case: str) -> Page | Frame:
    """Where the counter's button is: the page, or streamlit-anywidget's iframe."""
    if case != "streamlit-anywidget":
        return page
    page.wait_for_selector("iframe")
    frame = page.frames[-1]
    for candidate in page.frames:
        if candidate is not page.main_frame:
            frame = candidate
    return frame


# A click whose text has not shown after this long counts as lost (the case stops there).
LOST_MS = 15_000


def measure(case: str, clicks: int) -> tuple[list[float], str | None]:
    """Milliseconds per click, and what went wrong if a click's text never showed."""
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = serve(APPS[case], Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.route(
                    "**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort()
                )
                page.goto(url)
                page.get_by_text("python sees 0").wait_for(timeout=60_000)
                where = target(page, case)
                button = where.locator("button", has_text="count").first
                button.wait_for(timeout=60_000)
                times = []
                for n in range(1, clicks + 1):
                    start = time.perf_counter()
                    button.click()
                    try:
                        page.wait_for_function(
                            "n => [...document.querySelectorAll('[data-testid=stMarkdown] p')]"
                            ".some(p => p.textContent === `python sees ${n}`)",
                            arg=n,
                            polling="raf",
                            timeout=LOST_MS,
                        )
                    except PlaywrightTimeout:
                        shown = button.inner_text()
                        said = page.locator("[data-testid=stMarkdown] p").all_inner_texts()
                        browser.close()
                        return times, f"click {n} lost: the view shows {shown!r}, Python {said}"
                    times.append((time.perf_counter() - start) * 1000)
                    time.sleep(0.2)  # let the rerun settle before the next click
                browser.close()
                return times, None
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cases = [
        c
        for c in APPS
        if c != "streamlit-anywidget" or importlib.util.find_spec("streamlit_anywidget")
    ]
    results: dict[str, Any] = {}
    for case in cases:
        times, failure = measure(case, args.clicks)
        results[case] = {
            "clicks": len(times),
            "median_ms": statistics.median(times) if times else None,
            "min_ms": min(times, default=None),
            "max_ms": max(times, default=None),
            "failure": failure,
        }
    base = results["st.button"]["median_ms"]
    print(f"click to the rerun's text, {args.clicks} clicks each")
    print("(median [min-max], and the ratio to st.button)")
    for case, r in results.items():
        if r["median_ms"] is not None:
            r["ratio"] = r["median_ms"] / base
            spread = f"[{r['min_ms']:.1f}-{r['max_ms']:.1f}]"
            figure = f"{r['median_ms']:7.1f} ms {spread}  {r['ratio']:.2f}x"
            print(f"  {case:22} {figure}  ({r['clicks']} clicks)")
        if r["failure"]:
            print(f"  {case:22} {r['failure']}")
    if "streamlit-anywidget" not in results:
        print("  (streamlit-anywidget not installed: `make bench-streamlit` installs it)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
