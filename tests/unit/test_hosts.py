"""Host contracts proven without the host's page (docs/hosts.md): VS Code's reading of the
nbextension, Colab's widget manager switch and metadata, and marimo's comm provider."""

from __future__ import annotations

import json
import re
import sys
import sysconfig
import types
from dataclasses import dataclass
from pathlib import Path

import comm
import pytest
import traitlets

import esmwidget
from esmwidget.experimental import MimeBundleDescriptor

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(sysconfig.get_path("data"))  # the environment prefix the wheel installed into
VIEW = "application/vnd.jupyter.widget-view+json"


class Counter(esmwidget.AnyWidget):
    _esm = "export default { render({ el }) { el.textContent = 'hi'; } }"
    count = traitlets.Int(0).tag(sync=True)


# -- VS Code and the classic Notebook: the installed nbextension --------------------------------

# vscode-jupyter (src/notebooks/controllers/ipywidgets/scriptSourceProvider/
# baseIPyWidgetScriptManager.ts, extractRequireConfigFromWidgetEntry) reads the requirejs map of
# every `<prefix>/share/jupyter/nbextensions/*/extension.js` from its text: it finds one of these
# calls, cuts from the next `{` to the first `)`, drops comments and line breaks, and reads the
# `key: value` pairs of the last `{...}` object in that cut. This is that reading, step by step.
VSCODE_PATTERNS = (
    'window["require"]["config"]({',
    "window['requirejs']['config']({",
    'window["requirejs"]["config"]({',
    "window.requirejs?.config({",
    "requirejs?.config({",
    "requirejs.config({",
    "require.config({",
)


def vscode_require_map(text: str) -> dict[str, str]:
    start = -1
    for pattern in reversed(VSCODE_PATTERNS):
        start = text.find(pattern)
        if start > 0:
            break
    assert start > 0, "VS Code finds no requirejs config call"
    config = text[text.index("{", start) : text.index(")", start)]
    config = re.sub(r"//[^\n]*|/\*.*?\*/", "", config, flags=re.DOTALL)
    config = "".join(line.strip() for line in config.splitlines() if line.strip())
    innermost = config.split("{")[-1].split("}")[0]
    pairs = [entry.strip() for entry in innermost.split(",") if ":" in entry]
    strip = lambda s: re.sub(r"""^['"]|['"]$""", "", s.strip())  # noqa: E731
    return {strip(k): strip(v) for k, v in (pair.split(":", 1) for pair in pairs)}


def test_vscode_reads_the_requirejs_map_of_the_installed_nbextension():
    nbextensions = DATA / "share" / "jupyter" / "nbextensions"
    extension = nbextensions / "esmwidget" / "extension.js"
    assert vscode_require_map(extension.read_text()) == {
        "esmwidget": "nbextensions/esmwidget/index"
    }
    # The mapped path, relative to the copied share/jupyter folder, is the AMD loader.
    index = (nbextensions.parent / "nbextensions/esmwidget/index").with_suffix(".js")
    head = index.read_text()[:400]
    assert 'define(["@jupyter-widgets/base"], function (base) {' in head
    assert index.read_bytes() == (ROOT / "dist" / "index.js").read_bytes()


def test_the_classic_notebook_loads_the_nbextension_at_page_start():
    switch = DATA / "etc" / "jupyter" / "nbconfig" / "notebook.d" / "esmwidget.json"
    assert json.loads(switch.read_text()) == {"load_extensions": {"esmwidget/extension": True}}
    # The classic widget manager is a dependency: nothing else to install by hand.
    widgets = DATA / "etc" / "jupyter" / "nbconfig" / "notebook.d" / "widgetsnbextension.json"
    assert json.loads(widgets.read_text())["load_extensions"] == {
        "jupyter-js-widgets/extension": True
    }


def test_the_vscode_cdn_url_is_a_file_of_the_npm_package():
    # VS Code, Colab and static pages fetch `<cdn>/npm/<_model_module>@<version>/dist/index.js`.
    package = json.loads((ROOT / "package.json").read_text())
    assert package["name"] == Counter._model_module.default_value == "esmwidget"
    assert package["main"] == "dist/index.js"
    assert "private" not in package
    assert "dist/" in package["files"]


# -- Colab --------------------------------------------------------------------------------------


@dataclass
class ColabOutput:
    """Stands in for `google.colab.output`: the two names Colab's contract uses."""

    calls: int = 0
    url: str | None = "https://ssl.gstatic.com/colaboratory-static/widgets/manager.min.js"

    def module(self) -> types.ModuleType:
        module = types.ModuleType("google.colab.output")
        module.enable_custom_widget_manager = self.enable  # type: ignore[attr-defined]
        module._widgets = types.SimpleNamespace(_installed_url=self.url)  # type: ignore[attr-defined]
        return module

    def enable(self) -> None:
        self.calls += 1


@pytest.fixture
def colab(monkeypatch):
    fake = ColabOutput()
    monkeypatch.setitem(sys.modules, "google.colab.output", fake.module())
    return fake


def test_colab_gets_its_widget_manager_enabled_once_and_named_in_every_view(comms, colab):
    widgets = [Counter() for _ in range(3)]
    bundles = [w._repr_mimebundle_() for w in widgets]
    assert colab.calls == 1
    for w, bundle in zip(widgets, bundles, strict=True):
        data, metadata = bundle
        assert data[VIEW]["model_id"] == w.model_id
        assert metadata == {VIEW: {"colab": {"custom_widget_manager": {"url": colab.url}}}}


def test_described_objects_carry_the_colab_metadata_too(comms, colab):
    @dataclass
    class Point:
        x: int = 0
        _repr_mimebundle_ = MimeBundleDescriptor(_esm="export default {}")

    data, metadata = Point()._repr_mimebundle_()
    assert VIEW in data
    assert metadata[VIEW]["colab"]["custom_widget_manager"]["url"] == colab.url


def test_colab_without_an_installed_manager_url_gets_the_plain_bundle(comms, monkeypatch):
    fake = ColabOutput(url=None)
    monkeypatch.setitem(sys.modules, "google.colab.output", fake.module())
    bundle = Counter()._repr_mimebundle_()
    assert isinstance(bundle, dict)
    assert fake.calls == 1


def test_outside_colab_the_bundle_has_no_metadata(comms):
    bundle = Counter()._repr_mimebundle_()
    assert isinstance(bundle, dict)
    assert set(bundle) == {"text/plain", VIEW}


# -- marimo -------------------------------------------------------------------------------------


@pytest.fixture
def marimo_comms(monkeypatch):
    """marimo's own comm provider, as its kernel installs it at start."""
    provider = pytest.importorskip("marimo._plugins.ui._impl.anywidget.comm_provider")
    monkeypatch.setattr(comm, "create_comm", comm.create_comm)  # restored after the test
    provider.install_anywidget_comm_provider()
    return pytest.importorskip("marimo")


def test_marimo_hands_out_a_real_comm_and_mo_ui_anywidget_syncs(marimo_comms):
    from marimo._plugins.ui._impl.comm import MarimoComm  # noqa: PLC0415 - marimo only here

    w = Counter()
    assert isinstance(w.comm, MarimoComm)  # not marimo's no-op comm
    ui = marimo_comms.ui.anywidget(w)
    assert ui.value["count"] == 0
    ui._convert_value({"count": 5})  # what marimo calls for each front-end change
    assert w.count == 5
    assert ui.value["count"] == 5
    w.count = 7
    assert ui.value["count"] == 7
    # Python still knows itself as esmwidget; only marimo's open message says anywidget.
    assert w._model_module == "esmwidget"
    w.close()


def test_under_marimo_updates_are_not_paced(marimo_comms, monkeypatch):
    # marimo has no Jupyter Server rate limit, and its comms are sent to from the cell's thread:
    # a fast loop goes straight through, with no pacer thread involved.
    from esmwidget._sync import pace as _pace  # noqa: PLC0415

    pacer = _pace.Pacer(rate=1, burst=1, timer=lambda delay, callback: None)
    monkeypatch.setattr("esmwidget._sync.sync.pacer", pacer)
    w = Counter()
    ui = marimo_comms.ui.anywidget(w)
    for i in range(1, 51):
        w.count = i
    assert ui.value["count"] == 50
    assert pacer.pending == {}
    w.close()


def test_set_state_refuses_code_and_identity_like_the_comm_does(comms, caplog):
    w = Counter()
    w.set_state({"_esm": "export default { render() { alert(1) } }", "count": 2})
    assert w.count == 2
    assert "alert" not in w._esm
    assert "refused a front-end write to '_esm'" in caplog.text
