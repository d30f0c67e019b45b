"""Offline pages: `esmwidget.export_html` and ``jupyter nbconvert --to esmwidget`` write one HTML
file whose widgets run with no kernel and no network. Opened from ``file://`` in Chromium with
every other request aborted: the widgets render, clicks update them, child widgets render, and
a model shown in several places stays one model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import traitlets
from playwright.sync_api import Page, expect

import esmwidget
from esmwidget import experimental

from .conftest import abort_requests
from .notebook import TIMEOUT
from .sources import COUNTER
from .test_hosts_static import execute_to_html

pytestmark = pytest.mark.e2e

COUNTER_ESM = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'counter';
  const show = () => { b.textContent = `count is ${model.get('count')}`; };
  b.onclick = () => { model.set('count', model.get('count') + 1); model.save_changes(); };
  model.on('change:count', show); show(); el.append(b);
} }"""


class Counter(esmwidget.AnyWidget):
    _esm = COUNTER_ESM
    _css = ".counter { color: rgb(0, 128, 128) }"
    count = traitlets.Int(0).tag(sync=True)
    token = traitlets.Unicode("secret-token").tag(sync=True, export=False)


class Card(esmwidget.AnyWidget):
    """A parent drawing its child widget inside itself, with a caption from its own state."""

    _esm = """export default { async render({ model, el, host }) {
  const caption = document.createElement('p'); caption.className = 'caption';
  caption.textContent = model.get('caption');
  const slot = document.createElement('div'); slot.className = 'slot';
  el.append(caption, slot);
  const child = await host.getWidget(model.get('body'));
  await child.render({ el: slot });
} }"""
    caption = traitlets.Unicode("").tag(sync=True)
    body = esmwidget.WidgetTrait()


class Bytes(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
  const d = model.get('data'); const s = document.createElement('span'); s.className = 'bytes';
  s.textContent = [d instanceof DataView, d.byteLength, d.getUint8(1)].join(' ');
  el.append(s);
} }"""
    data = traitlets.Bytes(b"").tag(sync=True)


class Hostile(esmwidget.AnyWidget):
    # `</script><!--` in code and in state must not end or comment out anything in the page.
    _esm = """// </script><!-- a comment a naive page would break on
export default { render({ model, el }) { const s = document.createElement('span');
  s.className = 'hostile'; s.textContent = model.get('text'); el.append(s); } }"""
    text = traitlets.Unicode("</script><!-- <b>not bold</b>").tag(sync=True)


class Caller(esmwidget.AnyWidget):
    _esm = """export default { render({ el, experimental }) {
  const s = document.createElement('span'); s.className = 'call'; el.append(s);
  experimental.invoke('ping', {}).then(() => { s.textContent = 'answered'; },
    (e) => { s.textContent = e.message; });
} }"""


@experimental.dataclass(
    esm="""export default { render({ model, el }) { const s = document.createElement('span');
  s.className = 'point'; s.textContent = 'x=' + model.get('x'); el.append(s); } }"""
)
class Point:
    x: int = 5


@pytest.fixture
def offline(page: Page) -> list[str]:
    """Abort every request that is not for a file: or blob: URL, and list it."""
    return abort_requests(page, r"^(?!(file|blob|data):)")


def test_export_html_runs_widgets_with_no_kernel_and_no_network(
    page: Page, offline: list[str], tmp_path: Path, comms: object
) -> None:
    # `comms` (esmwidget.testing): the widgets live in this test process on fake comms, closed
    # at teardown, so none of them lingers into later tests.
    shared = Counter(count=3)
    others = [Counter(count=10 + i) for i in range(3)]
    card = Card(caption="inside a card", body=shared)
    path = esmwidget.export_html(
        tmp_path / "page.html",
        shared,
        card,
        shared,  # a second view of the same model
        *others,
        Bytes(data=bytes(range(7))),
        Hostile(),
        Caller(),
        Point(),
    )
    text = path.read_text()
    assert text.count("count is ${model.get('count')}") == 1  # one copy of the module text
    assert "secret-token" not in text  # export=False keeps a trait out of the page

    page.goto(path.as_uri(), timeout=TIMEOUT)
    top = page.locator("body > .esmwidget-output > .esmwidget-view")
    buttons = page.locator("button.counter")
    expect(buttons).to_have_count(6)  # shared x3 (twice on its own, once in the card), others x3
    expect(buttons.nth(0)).to_have_text("count is 3")
    expect(buttons.nth(0)).to_have_css("color", "rgb(0, 128, 128)")
    expect(page.locator(".caption")).to_have_text("inside a card")

    # A click in the card's child reaches every view of that one model, and no other model.
    page.locator(".slot button.counter").click()
    for view in (top.nth(0), top.nth(2), page.locator(".slot")):
        expect(view.locator("button.counter")).to_have_text("count is 4")
    expect(buttons.nth(3)).to_have_text("count is 10")
    buttons.nth(3).click()
    expect(buttons.nth(3)).to_have_text("count is 11")
    expect(buttons.nth(0)).to_have_text("count is 4")

    expect(page.locator(".bytes")).to_have_text("true 7 1")
    expect(page.locator(".hostile")).to_have_text("</script><!-- <b>not bold</b>")
    expect(page.locator(".point")).to_have_text("x=5")
    expect(page.locator(".call")).to_contain_text("no kernel connection")
    expect(page.locator(".esmwidget-error")).to_have_count(0)
    assert offline == []


def test_nbconvert_exporter_writes_a_page_whose_widgets_run_offline(
    page: Page, offline: list[str], tmp_path: Path
) -> None:
    html = execute_to_html(tmp_path, COUNTER + "\nw.count = 2\ndisplay(w)\nw", "--to", "esmwidget")
    text = html.read_text()
    assert "html-manager" not in text  # only esmwidget widgets: no CDN loader at all
    state = json.loads(
        text.split('<script type="application/vnd.jupyter.widget-state+json">')[1]
        .split("</script>")[0]
        .replace("\\u003c", "<")
    )
    assert len(state["state"]) == 1
    page.goto(html.as_uri(), timeout=TIMEOUT)
    buttons = page.locator("button.counter")
    expect(buttons).to_have_count(2)  # the cell shows the widget twice: both views, one model
    expect(buttons.first).to_have_text("count is 2")
    buttons.first.click()
    expect(buttons.last).to_have_text("count is 3")
    expect(buttons.first).to_have_css("color", "rgb(0, 128, 128)")
    # nbconvert's lab page asks cdnjs for require.js and MathJax; the widgets need neither.
    assert all(url.startswith("https://cdnjs.cloudflare.com/") for url in offline), offline
