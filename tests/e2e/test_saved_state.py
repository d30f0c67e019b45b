"""Saved widget state in an untrusted notebook must not run its ES module (docs/protocol.md)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .notebook import WIDGET_STATE_MIME, WIDGET_VIEW_MIME, Notebook, code_cell, notebook_json

pytestmark = pytest.mark.e2e

MODEL_ID = "0123456789abcdef0123456789abcdef"
PWN_ESM = """export default {
  initialize() { window.__esmwidget_pwned = true; },
  render({ el }) { window.__esmwidget_pwned = true; el.textContent = 'pwned'; },
};
"""


def saved_state_notebook() -> dict[str, object]:
    state = {
        "_esm": PWN_ESM,
        "_css": "",
        "_anywidget_id": "__main__.Pwn",
        "_model_module": "esmwidget",
        "_model_module_version": "~0.1.*",
        "_model_name": "AnyModel",
        "_view_module": "esmwidget",
        "_view_module_version": "~0.1.*",
        "_view_name": "AnyView",
        "_view_count": None,
    }
    widgets = {
        WIDGET_STATE_MIME: {
            "version_major": 2,
            "version_minor": 0,
            "state": {
                MODEL_ID: {
                    "model_name": "AnyModel",
                    "model_module": "esmwidget",
                    "model_module_version": "~0.1.*",
                    "state": state,
                }
            },
        }
    }
    output = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {
            "text/plain": "Pwn()",
            WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 1, "model_id": MODEL_ID},
        },
    }
    cells = [code_cell("w = Pwn(); w", outputs=[output], execution_count=1)]
    return notebook_json(cells, metadata={"widgets": widgets})


def test_untrusted_saved_state_runs_no_code(open_notebook: Callable[..., Notebook]) -> None:
    nb = open_notebook(saved_state_notebook())
    page = nb.page
    # The server saw an unsigned notebook: its outputs are untrusted.
    assert f"Notebook {nb.path} is not trusted" in nb.server.log_tail(2000)

    # Positive control: the widget manager restored the saved model as an esmwidget AnyModel
    # (so the extension is loaded and the code path under test really ran).
    nb.expose_widget_manager()
    nb.wait_js("() => window.__e2e_wm.restoredStatus === true")
    nb.js(
        f"""() => {{
          window.__e2e_model = null;
          window.__e2e_wm.get_model({json.dumps(MODEL_ID)}).then(
            m => {{ window.__e2e_model = {{ok: true, name: m.get('_model_name'),
                                          live: !!m.comm_live, id: m.get('_anywidget_id')}}; }},
            e => {{ window.__e2e_model = {{ok: false, error: String(e && e.stack || e)}}; }});
        }}"""
    )
    model = nb.wait_js("() => window.__e2e_model")
    assert model == {"ok": True, "name": "AnyModel", "live": False, "id": "__main__.Pwn"}

    # The untrusted output falls back to text/plain: no view, so render never runs.
    expect(nb.cell(0).output).to_contain_text("Pwn()")

    # Let the page settle; fail fast if the module ever runs.
    with pytest.raises(PlaywrightTimeoutError):
        page.wait_for_function("() => window.__esmwidget_pwned !== undefined", timeout=5000)
    assert page.evaluate("() => window.__esmwidget_pwned") is None
    assert nb.cell(0).output.get_by_text("pwned").count() == 0

    # Control: the same module from a live kernel comm does run (the probe can detect it).
    nb.run(
        "import esmwidget\n"
        f"class Pwn(esmwidget.AnyWidget):\n    _esm = {PWN_ESM!r}\n"
        "live = Pwn(); live"
    )
    nb.wait_js("() => window.__esmwidget_pwned === true")
