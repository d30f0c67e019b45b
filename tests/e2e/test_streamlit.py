"""esmwidget widgets in a real Streamlit app: `streamlit run` on 127.0.0.1 serving the multipage
app in streamlit_app/ (one server for the module, with ANYWIDGET_HMR=1), Chromium with every
request beyond 127.0.0.1 aborted. The Python-level cases are tests/unit/test_streamlit.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .apps import running
from .conftest import abort_requests
from .notebook import KERNEL_TIMEOUT, TIMEOUT
from .server import free_port, streamlit_command, tail

pytestmark = pytest.mark.e2e

pytest.importorskip("streamlit")

APP = Path(__file__).resolve().parent / "streamlit_app"
OFF_HOST = r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://"


@dataclass
class StreamlitApp:
    url: str
    folder: Path
    log: Path


@pytest.fixture(scope="module")
def streamlit_app(
    tmp_path_factory: pytest.TempPathFactory, compat_packages: Path
) -> Iterator[StreamlitApp]:
    """The test app, copied (the hot reload test edits it), served once for the module."""
    folder = tmp_path_factory.mktemp("streamlit") / "app"
    shutil.copytree(APP, folder)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, ANYWIDGET_HMR="1", ESMWIDGET_COMPAT_PKGS=str(compat_packages))
    command = streamlit_command("Home.py", port)
    with running(command, url + "_stcore/health", folder, env) as log:
        yield StreamlitApp(url, folder, log)
    errors = [line for line in tail(log, 400).splitlines() if "Traceback" in line]
    assert errors == [], tail(log)


@pytest.fixture
def offline(page: Page) -> list[str]:
    return abort_requests(page, OFF_HOST)


def open_app(page: Page, app: StreamlitApp, name: str = "Home") -> None:
    """Open the app, then one of its pages from the sidebar (Streamlit's own navigation)."""
    page.goto(app.url, timeout=TIMEOUT)
    expect(page.locator("button.counter").first).to_be_visible(timeout=KERNEL_TIMEOUT)
    if name != "Home":
        page.locator(f"[data-testid=stSidebarNav] a:has-text('{name}')").click()


def text(page: Page, content: str) -> None:
    expect(page.get_by_text(content, exact=True)).to_be_visible()


def test_the_counter_example(page: Page, streamlit_app: StreamlitApp, offline: list[str]) -> None:
    loads: list[str] = []
    page.on("request", lambda r: loads.append(r.url) if r.url.endswith("/streamlit.js") else None)
    open_app(page, streamlit_app)
    counter, kept, other = (page.locator("button.counter").nth(i) for i in range(3))
    expect(counter).to_have_text("count is 0")
    expect(counter).to_have_css("color", "rgb(0, 128, 128)")  # `_css`
    text(page, "python sees 0")

    # Three clicks: each reruns the script; the rerun's text and the view agree on 3.
    for _ in range(3):
        counter.click()
    text(page, "python sees 3")
    expect(counter).to_have_text("count is 3")

    # A Streamlit button sets the kept widget in Python: its view shows it.
    expect(kept).to_have_text("count is 5")
    page.get_by_role("button", name="set to 42").click()
    text(page, "kept is 42")
    expect(kept).to_have_text("count is 42")

    # The third widget, another key, stayed apart, and keeps its own clicks.
    text(page, "other is 0")
    other.click()
    text(page, "other is 1")
    expect(counter).to_have_text("count is 3")
    text(page, "python sees 3")
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert offline == []
    # The loader came once, as a file the package declares, not with each of the runs.
    assert len(loads) == 1, loads


def test_two_browser_sessions_stay_apart(
    browser: Browser, page: Page, streamlit_app: StreamlitApp
) -> None:
    open_app(page, streamlit_app)
    page.locator("button.counter").first.click()
    text(page, "python sees 1")
    second = browser.new_context().new_page()
    try:
        open_app(second, streamlit_app)
        text(second, "python sees 0")
        second.locator("button.counter").nth(2).click()
        text(second, "other is 1")
        text(second, "python sees 0")
        expect(second.locator("button.counter").first).to_have_text("count is 0")
    finally:
        second.context.close()
    page.locator("button.counter").first.click()
    text(page, "python sees 2")
    text(page, "other is 0")


def test_columns_tabs_expanders_and_fragments(page: Page, streamlit_app: StreamlitApp) -> None:
    open_app(page, streamlit_app, "Layouts")
    text(page, "layouts see 0 0 0")
    buttons = page.locator("button.counter")
    expect(buttons).to_have_count(4)
    for i in range(3):  # column, tab, expander: each click reruns the page
        buttons.nth(i).click()
        expect(buttons.nth(i)).to_have_text("count is 1")
    text(page, "layouts see 1 1 1")
    buttons.nth(3).click()  # in the fragment: only the fragment reruns
    text(page, "fragment sees 1")
    expect(buttons.nth(3)).to_have_text("count is 1")

    # Away to the other tab and back: the view in the tab kept its state.
    page.get_by_role("tab", name="two").click()
    text(page, "the other tab")
    page.get_by_role("tab", name="one").click()
    expect(buttons.nth(1)).to_have_text("count is 1")
    buttons.nth(1).click()
    text(page, "layouts see 1 2 1")


def test_messages_commands_files_binary_and_child_widgets(
    page: Page, streamlit_app: StreamlitApp, offline: list[str]
) -> None:
    open_app(page, streamlit_app, "Messages")
    log = page.locator("pre.log")
    expect(log).to_contain_text("data 1,2,3")  # a Bytes trait arrives as a DataView
    text(page, "python got nothing")

    page.locator(".messenger-ping").click()  # a custom message with a 3-byte buffer
    text(page, "python got ping with [3]")
    expect(log).to_contain_text("python says pong with 5")  # and Python's answer, 5 bytes

    page.locator(".messenger-ask").click()  # a command: experimental.invoke
    expect(log).to_contain_text("answer 42 with 4")

    page.locator(".messenger-load").click()  # a file beside the module, by import.meta.url
    expect(log).to_contain_text("table has 4 rows")

    # The card draws its child widget through host.getWidget; the child's clicks reach its
    # own Python object.
    expect(page.locator(".card-title")).to_have_text("a card")
    child = page.locator("button.counter")
    expect(child).to_have_text("count is 7")
    child.click()
    text(page, "child is 8")
    expect(child).to_have_text("count is 8")
    assert offline == []


def test_a_non_widget_and_a_broken_module_show_their_errors(
    page: Page, streamlit_app: StreamlitApp
) -> None:
    open_app(page, streamlit_app, "Errors")
    error = page.locator("[data-testid=stAlertContentError]")
    expect(error).to_contain_text("takes an esmwidget or anywidget widget")
    expect(error).to_contain_text("got dict")
    box = page.locator(".esmwidget-error")
    expect(box).to_contain_text("could not load _esm")
    expect(box).to_contain_text("SyntaxError")
    text(page, "the rest renders")


def test_an_anywidget_package_through_the_alias(
    page: Page, streamlit_app: StreamlitApp, offline: list[str]
) -> None:
    open_app(page, streamlit_app, "Packages")
    canvas = page.locator("canvas#sliderCanvas")
    expect(canvas).to_be_visible()
    text(page, "slider at 0.00 0.00")
    # 400x400 canvas, radius 180 around (200, 200): (300, 100) is x = y = 0.56.
    canvas.click(position={"x": 300, "y": 100})
    text(page, "slider at 0.56 0.56")
    expect(page.locator("#sliderValues")).to_have_text("X: 0.56, Y: 0.56")
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert offline == []


def test_saving_the_module_updates_the_view_and_keeps_its_state(
    page: Page, streamlit_app: StreamlitApp
) -> None:
    open_app(page, streamlit_app, "Reload")
    live = page.locator("button.live")
    expect(live).to_have_text("v1 count is 0")
    live.click()
    live.click()
    text(page, "live sees 2")
    source = streamlit_app.folder / "live" / "live.js"
    source.write_text(source.read_text().replace("v1 count", "v2 count"))
    expect(live).to_have_text("v2 count is 2")
    live.click()
    text(page, "live sees 3")
    expect(live).to_have_text("v2 count is 3")
