import dataclasses
import gc
import logging
import weakref

import msgspec
import psygnal
import pydantic
import pytest
import traitlets

import esmwidget
from esmwidget import experimental as ex
from esmwidget._assets.vfiles import write_vfile
from esmwidget.testing import CommandFailedError, FrontEnd

# Objects without change events warn once per class; those tests are about other things.
pytestmark = pytest.mark.filterwarnings("ignore:esmwidget. changes made in Python:UserWarning")

ESM = "export default { render({ model, el }) { el.textContent = model.get('x') } }"


@ex.dataclass(esm=ESM)
class Evented:
    x: int = 0
    label: str = "a"
    blob: bytes = b""

    @ex.command
    def shout(self, msg, buffers):
        return self.label.upper() + msg, []

    @ex.command
    def fail(self, msg, buffers):
        raise ValueError("nope")


class Model(pydantic.BaseModel):
    x: int = 0
    label: str = "a"
    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


class Struct(msgspec.Struct, weakref=True):
    x: int = 0
    label: str = "a"
    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


class Traits(traitlets.HasTraits):
    x = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("a").tag(sync=True)
    hidden = traitlets.Int(0)
    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


@dataclasses.dataclass
class Plain:
    x: int = 0
    label: str = "a"
    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


class Hooks:
    def __init__(self):
        self.values = {"x": 0, "label": "a"}

    def _get_anywidget_state(self, include):
        return dict(self.values)

    def _set_anywidget_state(self, state):
        self.values.update(state)

    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


def test_the_comm_opens_lazily_once_with_the_full_state(comms):
    obj = Evented(x=3)
    assert len(comms) == 0
    bundle = obj._repr_mimebundle_()
    again = obj._repr_mimebundle_()
    assert len(comms) == 1
    assert bundle == again
    model_id = bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert model_id == comms[0].comm_id
    state = comms[0].sent[0].data["state"]
    assert {k: state[k] for k in ("x", "label", "_esm", "_model_name", "_view_name")} == {
        "x": 3,
        "label": "a",
        "_esm": ESM,
        "_model_name": "AnyModel",
        "_view_name": "AnyView",
    }
    assert state["_anywidget_id"].endswith("Evented")
    assert comms[0].sent[0].data["buffer_paths"] == [["blob"]]


@pytest.mark.parametrize("factory", [Evented, Model, Struct, Traits, Hooks, Plain])
def test_front_end_updates_reach_every_kind_of_object(comms, factory):
    obj = factory()
    page = FrontEnd(obj)
    page.set(x=5)
    values = obj.values if isinstance(obj, Hooks) else {"x": obj.x}
    assert values["x"] == 5
    assert comms[0].messages()[0] == {
        "method": "echo_update",
        "state": {"x": 5},
        "buffer_paths": [],
    }
    assert page.request_state()["x"] == 5


def test_objects_without_events_warn_once_how_to_add_them(comms):
    @dataclasses.dataclass
    class Silent:
        x: int = 0
        _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)

    obj = Silent()
    with pytest.warns(UserWarning, match=r"will not reach the front end.*psygnal"):
        obj._repr_mimebundle_()


@pytest.mark.parametrize(("factory", "bad"), [(Evented, "x"), (Model, "x"), (Struct, "x")])
def test_invalid_front_end_values_leave_the_object_and_resend(comms, caplog, factory, bad):
    obj = factory(x=2)
    page = FrontEnd(obj)
    with caplog.at_level(logging.WARNING, "esmwidget"):
        page.set(**{bad: "not a number"})
    assert obj.x == 2
    update, refused = comms[0].messages()
    assert update == {"method": "update", "state": {"x": 2}, "buffer_paths": []}
    assert page.state["x"] == 2
    # The page is told why, after the correction: the module's change handlers run first.
    [refusal] = refused["content"]["refused"]
    assert (refusal["key"], refusal["why"], refusal["value"]) == ("x", "invalid", "'not a number'")
    assert "int" in refusal["reason"]
    assert "rejected front-end value 'not a number' for 'x'" in caplog.text


def test_protected_and_unknown_keys_are_refused(comms, caplog):
    obj = Evented()
    page = FrontEnd(obj)
    with caplog.at_level(logging.WARNING, "esmwidget"):
        page.set(_esm="alert(1)", nope=1)
    assert obj._repr_mimebundle_.get_state()["_esm"] == ESM
    assert "refused a front-end write to '_esm'" in caplog.text
    assert "ignored front-end key 'nope'" in caplog.text
    assert [(r["key"], r["why"]) for r in page.refused] == [("_esm", "protected")]
    assert "Evented has no synced state 'nope'" in caplog.text


def test_custom_messages_and_commands(comms):
    obj = Evented(label="hey")
    page = FrontEnd(obj)
    got = []
    ex.on_msg(obj, lambda o, content, buffers: got.append((o, content, buffers)))
    page.send({"ping": 1}, [b"z"])
    assert got == [(obj, {"ping": 1}, [b"z"])]
    ex.send(obj, {"pong": 2}, [b"q"])
    page.sync()
    assert page.custom[-1] == ({"pong": 2}, [b"q"])
    assert page.invoke("shout", "!") == ("HEY!", [])
    with pytest.raises(CommandFailedError, match="ValueError: nope"):
        page.invoke("fail")


def test_binary_fields_both_ways(comms):
    obj = Evented(blob=b"\x00\x01")
    page = FrontEnd(obj)
    assert comms[0].sent[0].buffers == [b"\x00\x01"]
    page.set(blob=b"\xff\xfe")
    assert obj.blob == b"\xff\xfe"


def test_pydantic_binary_stays_binary(comms):
    class WithBytes(pydantic.BaseModel):
        data: bytes = b"\x01\x02"
        _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)

    obj = WithBytes()
    obj._repr_mimebundle_()
    assert comms[0].sent[0].buffers == [b"\x01\x02"]


def test_composition_with_ipy_model_references(comms):
    child = esmwidget.AnyWidget()

    @ex.dataclass(esm=ESM)
    class Parent:
        child: object = None

    parent = Parent(child=child)
    parent._repr_mimebundle_()
    assert comms[1].sent[0].data["state"]["child"] == f"IPY_MODEL_{child.model_id}"


def test_file_backed_esm_and_css_together(comms, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.js").write_text(ESM)
    (tmp_path / "w.css").write_text(".w { color: red }")

    @ex.widget(esm="w.js", css="w.css")
    @dataclasses.dataclass
    class FromFiles:
        x: int = 0

    obj = FromFiles()
    obj._repr_mimebundle_()
    state = comms[0].sent[0].data["state"]
    assert (state["_esm"], state["_css"]) == (ESM, ".w { color: red }")


def test_the_comm_closes_when_the_object_is_collected(comms):
    obj = Evented()
    obj._repr_mimebundle_()
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None
    assert comms[0].sent[-1].msg_type == "comm_close"


def test_objects_without_weakrefs_get_one_warning_with_the_fix(comms):
    class Slotted:
        __slots__ = ("x",)

        def __init__(self):
            self.x = 1

        def _get_anywidget_state(self, include):
            return {"x": self.x}

        _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)

    obj = Slotted()
    with pytest.warns(UserWarning, match=r"__slots__ = \('__weakref__',\)"):
        obj._repr_mimebundle_()


def test_unsupported_objects_get_a_clear_type_error(comms):
    class Nothing:
        _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)

    obj = Nothing()
    with pytest.raises(TypeError, match="Use a dataclass, a traitlets HasTraits, a pydantic"):
        obj._repr_mimebundle_()


def test_send_to_a_non_widget_says_how_to_make_one():
    with pytest.raises(TypeError, match=r"decorate the class with"):
        ex.send(object(), {})


def test_psygnal_evented_dataclass_is_detected(comms):
    @ex.widget(esm=ESM)
    @psygnal.evented
    @dataclasses.dataclass
    class Ev:
        x: int = 0

    obj = Ev()
    FrontEnd(obj)
    obj.x = 2
    assert comms[0].messages()[-1]["state"] == {"x": 2}


def test_object_first_shown_after_a_vfile_rerun_starts_from_the_latest_text(comms):
    write_vfile("objects-late.js", "export default { render() {} } // first")

    @ex.dataclass(esm="vfile:objects-late.js")
    class Late:
        x: int = 0

    write_vfile("objects-late.js", "export default { render() {} } // second")
    obj = Late()
    obj._repr_mimebundle_()
    assert comms[0].sent[0].data["state"]["_esm"].endswith("// second")
    write_vfile("objects-late.js", "export default { render() {} } // third")
    assert comms[0].messages()[-1]["state"]["_esm"].endswith("// third")


def test_a_dataclass_field_of_the_wrong_type_is_refused_in_traitlets_words(comms, caplog):
    @dataclasses.dataclass
    class Point:
        x: int = 0
        _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm="export default {}")

    obj = Point()
    FrontEnd(obj).set(x="a")
    assert obj.x == 0
    assert "The 'x' field of a Point expected an int, not the str 'a'." in caplog.text
