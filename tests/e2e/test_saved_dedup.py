"""Saved widget state carries each module once, and restores from it.

JupyterLab saves every live model's state into the notebook when "Save Widget State
Automatically" is on. N widgets of one class used to save N copies of its `_esm` and `_css`; the
loader's serializers now keep the text in the first model and save `{"esmwidget_same_as": id}` in
the others. These tests save such a notebook from a real kernel, count the copies in the file,
and reopen it with a new kernel: untrusted, its restored models hold the full text but run
nothing (docs/protocol.md, "Security"); trusted, every instance renders its saved state.
"""

from __future__ import annotations

import json
import random
import string
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .notebook import TIMEOUT, WIDGET_STATE_MIME, Notebook
from .server import JupyterServer

pytestmark = pytest.mark.e2e

SAVE_STATE = "@jupyter-widgets/jupyterlab-manager:plugin"
INSTANCES = 8
ESM_PAD = 50_000
CSS_PAD = 400


def pad(seed: int, size: int) -> str:
    """The same letters in the kernel and here: seeded, never typed into the notebook."""
    return "".join(random.Random(seed).choices(string.ascii_letters, k=size))


# The padding is made in the kernel, so the cell source does not contain it: every copy of it in
# the saved file is a copy of the module or the stylesheet in the widget state.
CELL = f'''import random, string, esmwidget, traitlets
def pad(seed, size):
    return "".join(random.Random(seed).choices(string.ascii_letters, k=size))
class Dedup(esmwidget.AnyWidget):
    _esm = """window.__dedup_loaded = (window.__dedup_loaded || 0) + 1;
export default {{
  initialize() {{ window.__dedup_initialized = (window.__dedup_initialized || 0) + 1; }},
  render({{ model, el }}) {{
    const s = document.createElement('span'); s.className = 'dedup';
    const show = () => {{ s.textContent = 'saved ' + model.get('i') + ' ' + model.get('label'); }};
    model.on('change:label', show); show(); el.append(s);
  }},
}};
/* """ + pad(7, {ESM_PAD}) + " */\\n"
    _css = ".dedup {{ color: rgb(0, 128, 128) }} /* " + pad(8, {CSS_PAD}) + " */"
    i = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("fresh").tag(sync=True)
ws = [Dedup(i=i) for i in range({INSTANCES})]
display(*ws)
'''


@pytest.fixture
def save_widget_state(jupyter_server: JupyterServer) -> Iterator[None]:
    """Turn on "Save Widget State Automatically" for pages opened now; off again afterwards."""
    url = f"/lab/api/settings/{SAVE_STATE}"
    jupyter_server.api("PUT", url, {"raw": json.dumps({"saveState": True})})
    try:
        yield
    finally:
        jupyter_server.api("PUT", url, {"raw": "{}"})


def saved_widget_state(path: Path) -> tuple[str, dict[str, dict]]:
    """The file's text and its saved models, once the save that wrote them has landed."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        raw = path.read_text()
        widgets = json.loads(raw)["metadata"].get("widgets", {}).get(WIDGET_STATE_MIME)
        if widgets and len(widgets["state"]) >= INSTANCES:
            return raw, widgets["state"]
        if time.monotonic() > deadline:
            msg = f"{path.name}: no widget state with {INSTANCES} models was saved"
            raise AssertionError(msg)
        time.sleep(0.2)


def reopen(nb: Notebook, path: str) -> Notebook:
    """Open `path` in a new page of the same browser context, with a new kernel."""
    page = nb.page.context.new_page()
    console = getattr(nb.page, "console_messages_e2e", [])
    page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    page.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    again = Notebook(page, nb.server, path)
    again.open()
    return again


def restored_models(nb: Notebook, ids: list[str]) -> list[dict[str, object]]:
    """What the widget manager holds for each saved model id (a bounded wait)."""
    nb.expose_widget_manager()
    nb.wait_js("() => window.__e2e_wm.restoredStatus === true")
    nb.js(
        """(ids) => {
          window.__e2e_models = null;
          Promise.all(ids.map((id) => window.__e2e_wm.get_model(id))).then(
            (ms) => { window.__e2e_models = ms.map((m) => ({
              live: !!m.comm_live,
              esm: typeof m.get('_esm') === 'string' ? m.get('_esm').length : null,
              css: typeof m.get('_css') === 'string' ? m.get('_css').length : null,
              i: m.get('i'), label: m.get('label') })); },
            (e) => { window.__e2e_models = String(e && e.stack || e); });
        }""",
        ids,
    )
    models = nb.wait_js("() => window.__e2e_models")
    assert isinstance(models, list), models
    return models


def test_saved_notebook_holds_each_module_once_and_restores_from_it(
    open_notebook: Callable[..., Notebook], save_widget_state: None
) -> None:
    nb = open_notebook()
    nb.run(CELL)
    spans = nb.cell(0).output.locator("span.dedup")
    expect(spans).to_have_count(INSTANCES)
    nb.run("ws[3].label = 'changed'")  # saved state that differs from what the class creates
    expect(spans.nth(3)).to_have_text("saved 3 changed")
    # The module as the page has it (named after its cell line, src/esmwidget/_widgets/origin.py).
    esm_len = int(nb.py("len(ws[0]._esmwidget_read(['_esm'])['_esm'])"))
    css_len = int(nb.py("len(ws[0]._css)"))
    nb.save()

    path = Path(nb.server.root) / nb.path
    raw, state = saved_widget_state(path)
    esm_pad, css_pad = pad(7, ESM_PAD), pad(8, CSS_PAD)
    assert raw.count(esm_pad) == 1
    assert raw.count(css_pad) == 1
    dedup = {
        k: v["state"]
        for k, v in state.items()
        if v["state"].get("_anywidget_id", "").endswith("Dedup")
    }
    assert len(dedup) == INSTANCES
    holders = [k for k, s in dedup.items() if isinstance(s["_esm"], str)]
    assert len(holders) == 1
    holder = holders[0]
    assert len(dedup[holder]["_esm"]) == esm_len
    for model_id, s in dedup.items():
        if model_id != holder:
            assert s["_esm"] == {"esmwidget_same_as": holder}
            assert s["_css"] == {"esmwidget_same_as": holder}
    # Each copy was about 50 KB: eight of them would make a file over 400 KB.
    assert len(raw) < esm_len + 20_000, len(raw)
    saved_labels = sorted((s["i"], s.get("label", "fresh")) for s in dedup.values())
    assert saved_labels == [(i, "changed" if i == 3 else "fresh") for i in range(INSTANCES)]
    nb.server.shutdown_kernels_for(nb.path)

    # Untrusted (a changed copy: no signature): models restored with the full text, no code run.
    doc = json.loads(raw)
    doc["metadata"]["e2e_copy"] = True
    untrusted_path = f"untrusted-{nb.path}"
    (Path(nb.server.root) / untrusted_path).write_text(json.dumps(doc))
    untrusted = reopen(nb, untrusted_path)
    assert f"Notebook {untrusted_path} is not trusted" in nb.server.log_tail(2000)
    ids = sorted(dedup)
    models = restored_models(untrusted, ids)
    assert models == [
        {
            "live": False,
            "esm": esm_len,
            "css": css_len,
            "i": dedup[m]["i"],
            "label": dedup[m].get("label", "fresh"),
        }
        for m in ids
    ]
    with pytest.raises(PlaywrightTimeoutError):
        untrusted.page.wait_for_function("() => window.__dedup_loaded !== undefined", timeout=3000)
    assert untrusted.page.evaluate("() => window.__dedup_initialized") is None
    assert untrusted.cells.locator("span.dedup").count() == 0
    nb.server.shutdown_kernels_for(untrusted_path)
    untrusted.page.close()

    # Trusted (the notebook as JupyterLab saved and signed it), a new kernel: every instance
    # renders its saved state, from the model that holds the text or from a reference.
    trusted = reopen(nb, nb.path)
    spans = trusted.cell(0).output.locator("span.dedup")
    expect(spans).to_have_count(INSTANCES)
    for i in range(INSTANCES):
        expect(spans.nth(i)).to_have_text(f"saved {i} {'changed' if i == 3 else 'fresh'}")
    expect(spans.first).to_have_css("color", "rgb(0, 128, 128)")
    assert trusted.cell(0).output.locator(".esmwidget-error").count() == 0
    assert all(not m["live"] and m["esm"] == esm_len for m in restored_models(trusted, ids))
    nb.server.shutdown_kernels_for(nb.path)
