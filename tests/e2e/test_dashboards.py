"""Dashboard frameworks serving esmwidget widgets: Panel (``panel serve``), shinywidgets
(``shiny run``) and Solara (``solara run``), each in its own server, in Chromium.

What each page does: the counter renders, two clicks reach Python (which answers in a text the
framework draws), and a button the framework draws sets the count from Python.

- Panel: ``pn.panel(counter)`` (its IPyWidget pane, through ipywidgets_bokeh, which loads
  esmwidget's npm package from unpkg: the local CDN answers).
- shinywidgets: ``render_widget`` returns the counter itself (with ipywidgets imported, an
  esmwidget widget is a DOM widget to shinywidgets), and ``reactive_read`` follows its count. The
  loader comes from the environment's nbextension.
- Solara: a plain ipywidgets page, ``ipywidgets.VBox([counter, ...])``, and a page of Solara
  components that take the counter as a child (``solara.Column(children=[counter, ...])``).
  Solara's server fetches its own front end from jsDelivr; the local CDN serves it from the npm
  registry.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import sources
from .apps import npm_pack, running
from .cdn import LocalCDN, route_public_cdns
from .notebook import KERNEL_TIMEOUT, TIMEOUT
from .server import free_port, tail

pytestmark = pytest.mark.e2e

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
REGISTRY_CACHE = Path(__file__).resolve().parent / ".cdn-pkgs"

# The counter every browser test uses, as a module of the app.
COUNTER = sources.COUNTER_CLASS

APPS = {
    "panel": COUNTER
    + """
import panel as pn

pn.extension("ipywidgets")
counter = Counter()
said = pn.pane.Markdown("python saw 0")
counter.observe(lambda change: setattr(said, "object", f"python saw {change['new']}"), "count")
setter = pn.widgets.Button(name="set from python")
setter.on_click(lambda event: setattr(counter, "count", 50))
pn.Column(pn.panel(counter), said, setter).servable()
""",
    "shiny": COUNTER
    + """
from shiny import App, reactive, render, ui
from shinywidgets import output_widget, reactive_read, render_widget

app_ui = ui.page_fluid(
    output_widget("box"), ui.output_text("said"), ui.input_action_button("set", "set from python")
)


def server(input, output, session):
    counter = Counter()

    @render_widget
    def box():
        return counter

    @render.text
    def said():
        return f"python saw {reactive_read(counter, 'count')}"

    @reactive.effect
    @reactive.event(input.set)
    def _():
        counter.count = 50


app = App(app_ui, server)
""",
    "solara": COUNTER
    + """
import ipywidgets

counter = Counter()
said = ipywidgets.Label("python saw 0")
counter.observe(lambda change: setattr(said, "value", f"python saw {change['new']}"), "count")
setter = ipywidgets.Button(description="set from python")
setter.on_click(lambda button: setattr(counter, "count", 50))
page = ipywidgets.VBox([counter, said, setter])
""",
    "solara-components": COUNTER
    + """
import solara


@solara.component
def Page():
    counter = solara.use_memo(Counter, [])
    count, set_count = solara.use_state(0)

    def follow():
        def changed(change):
            set_count(change["new"])

        counter.observe(changed, "count")
        return lambda: counter.unobserve(changed, "count")

    solara.use_effect(follow, [counter])
    solara.Column(
        children=[
            counter,  # the widget itself, no Box around it
            solara.Text(f"python saw {count}"),
            solara.Button("set from python", on_click=lambda: setattr(counter, "count", 50)),
        ]
    )
""",
}


def command(framework: str, port: int) -> list[str]:
    bin_dir = Path(sys.executable).parent
    host = ["--port", str(port)]
    if framework == "panel":
        origin = f"127.0.0.1:{port}"
        return [str(bin_dir / "panel"), "serve", "app.py", "--address", "127.0.0.1", *host,
                "--allow-websocket-origin", origin]  # fmt: skip
    if framework == "shiny":
        return [str(bin_dir / "shiny"), "run", "app.py", "--host", "127.0.0.1", *host]
    # solara, either app
    return [str(bin_dir / "solara"), "run", "app.py", "--host", "127.0.0.1", *host, "--no-open"]


@pytest.fixture(scope="module")
def cdn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCDN]:
    """The local CDN: esmwidget from its npm pack tarball, anything else from the registry."""
    server = LocalCDN(
        {"esmwidget": npm_pack(tmp_path_factory.mktemp("npm-pack"))},
        requirejs=NODE_MODULES / "requirejs" / "require.js",
        registry_cache=REGISTRY_CACHE,
    )
    with server.running():
        yield server


@pytest.fixture(params=list(APPS))
def dashboard(
    request: pytest.FixtureRequest, tmp_path: Path, cdn: LocalCDN, page: Page
) -> Iterator[str]:
    """The framework's server on the app, on a free port, stopped by PID; yields the page URL."""
    framework = request.param
    (tmp_path / "app.py").write_text(APPS[framework])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SOLARA"))}
    env.update(
        HOME=str(tmp_path / "home"),
        SOLARA_ASSETS_CDN=f"{cdn.url}/npm/",
        SOLARA_ASSETS_PROXY_CACHE_DIR=str(tmp_path / "solara-cache"),
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="False",
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}{'/app' if framework == 'panel' else '/'}"
    with running(command(framework, port), url, tmp_path, env) as log_path:
        route_public_cdns(page.context, cdn)
        yield url
    errors = [line for line in tail(log_path, 400).splitlines() if "Traceback" in line]
    assert errors == [], tail(log_path)


def test_counter_in_a_dashboard_reaches_python_and_back(page: Page, dashboard: str) -> None:
    page.goto(dashboard, timeout=TIMEOUT)
    button = page.locator("button.counter")
    expect(button).to_have_text("count is 0", timeout=KERNEL_TIMEOUT)
    expect(button).to_have_css("color", "rgb(0, 128, 128)")
    button.click()
    button.click()
    expect(button).to_have_text("count is 2")
    expect(page.get_by_text("python saw 2")).to_be_visible()  # the clicks reached Python
    page.get_by_role("button", name="set from python").click()
    expect(button).to_have_text("count is 50")  # a Python set reached the page
    expect(page.locator(".esmwidget-error")).to_have_count(0)
