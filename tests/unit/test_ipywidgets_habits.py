"""Code written for ipywidgets (and so for anywidget) works unchanged: the custom-message hook,
`get_state(drop_defaults=...)`, and `read_only` traits that the module writes."""

from __future__ import annotations

import logging

import pytest
import traitlets

import esmwidget
from esmwidget import experimental
from esmwidget.experimental import MimeBundleDescriptor
from esmwidget.testing import FrontEnd

ESM = "export default { render() {} }"


def test_an_overridden_handle_custom_msg_is_called_with_content_and_buffers(comms, caplog):
    class Echo(esmwidget.AnyWidget):
        _esm = ESM

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seen = []
            self.on_msg(self._handle_custom_msg)  # what published packages also do

        def _handle_custom_msg(self, content, buffers):
            self.seen.append((content, buffers))
            self.send({"echo": content})

    w = Echo()
    page = FrontEnd(w)
    page.send({"n": 1}, [b"\x01"])
    assert w.seen == [({"n": 1}, [b"\x01"])]  # once, with (content, buffers)
    assert page.custom == [({"echo": {"n": 1}}, [])]
    assert "Traceback" not in caplog.text


def test_on_msg_callbacks_get_the_widget_content_and_buffers(comms):
    class Plain(esmwidget.AnyWidget):
        _esm = ESM

    w, calls = Plain(), []
    w.on_msg(lambda widget, content, buffers: calls.append((widget, content, buffers)))
    FrontEnd(w).send("hi", [b"x"])
    assert calls == [(w, "hi", [b"x"])]


def test_a_raising_callback_is_shown_in_the_page_and_the_others_still_run(comms, caplog):
    class Plain(esmwidget.AnyWidget):
        _esm = ESM

    def broken(widget, content):  # the wrong arity: a TypeError when called
        del widget, content

    w, calls = Plain(), []
    w.on_msg(broken)
    w.on_msg(lambda widget, content, buffers: calls.append(content))
    page = FrontEnd(w)
    with caplog.at_level(logging.ERROR, logger="esmwidget"):
        page.send("ping")
    assert calls == ["ping"]
    ((report, _),) = page.custom
    assert report["kind"] == "esmwidget-python-error"
    assert report["where"].startswith("on_msg callback ")
    assert "broken" in report["where"]
    assert report["error"]["type"] == "TypeError"
    assert "positional argument" in report["error"]["message"]
    assert "Traceback" in report["error"]["traceback"]
    assert "broken" in caplog.text


def test_a_raising_handle_custom_msg_is_shown_in_the_page(comms):
    class Strict(esmwidget.AnyWidget):
        _esm = ESM

        def _handle_custom_msg(self, content, buffers):
            raise ValueError(f"cannot handle {content!r}")

    page = FrontEnd(Strict())
    page.send("what")
    ((report, _),) = page.custom
    assert report["where"].endswith("Strict._handle_custom_msg")
    assert report["error"]["message"] == "cannot handle 'what'"


def test_described_objects_report_raising_callbacks_too(comms):
    class Thing(traitlets.HasTraits):
        x = traitlets.Int(0).tag(sync=True)
        _repr_mimebundle_ = MimeBundleDescriptor(_esm=ESM)

    obj = Thing()
    experimental.on_msg(obj, lambda o, content, buffers: 1 / 0)
    page = FrontEnd(obj)
    page.send("boom")
    ((report, _),) = page.custom
    assert report["error"]["type"] == "ZeroDivisionError"


def test_get_state_overrides_that_pass_drop_defaults_work(comms):
    class Renamed(esmwidget.AnyWidget):
        _esm = ESM
        value = traitlets.Int(3).tag(sync=True)

        def get_state(self, key=None, drop_defaults=False):
            state = super().get_state(key=key, drop_defaults=drop_defaults)
            if "value" in state:
                state["value"] *= 10
            return state

    w = Renamed()
    assert FrontEnd(w).state["value"] == 30
    assert w.get_state(drop_defaults=True)["value"] == 30  # every key still sent


def test_the_module_writes_read_only_traits_python_code_cannot(comms):
    class Map(esmwidget.AnyWidget):
        _esm = ESM
        zoom = traitlets.Int(1, read_only=True).tag(sync=True)

    w = Map()
    FrontEnd(w).set(zoom=7)
    assert w.zoom == 7
    with pytest.raises(traitlets.TraitError, match="read-only"):
        w.zoom = 3


def test_read_only_values_are_still_validated_and_code_keys_still_refused(comms, caplog):
    class Map(esmwidget.AnyWidget):
        _esm = ESM
        zoom = traitlets.Int(1, read_only=True).tag(sync=True)

    w = Map()
    page = FrontEnd(w)
    page.set(zoom="far")
    assert w.zoom == 1
    assert page.state["zoom"] == 1  # the page was told the value Python kept
    page.set(_esm="export default { render() { alert(1) } }")
    assert "alert" not in w._esm
    assert "refused a front-end write to '_esm'" in caplog.text


def test_described_traitlets_objects_take_read_only_writes_from_the_module(comms):
    class Selection(traitlets.HasTraits):
        picked = traitlets.List(read_only=True).tag(sync=True)
        _repr_mimebundle_ = MimeBundleDescriptor(_esm=ESM)

    obj = Selection()
    FrontEnd(obj).set(picked=[1, 2])
    assert obj.picked == [1, 2]


def test_an_overridden_set_state_receives_every_update_from_the_page(comms):
    class Chunked(esmwidget.AnyWidget):
        _esm = ESM
        data = traitlets.Unicode("").tag(sync=True)

        def set_state(self, state):
            # As packages do: assemble chunks the page sends, then hand on the rest.
            chunks = sorted(k for k in state if k.startswith("chunk_"))
            if chunks:
                state = {"data": "".join(state.pop(k) for k in chunks), **state}
            super().set_state(state)

    w = Chunked()
    FrontEnd(w).set(chunk_1="b", chunk_0="a")
    assert w.data == "ab"
