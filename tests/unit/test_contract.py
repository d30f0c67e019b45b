"""The contract every widget kind keeps with its views, as one suite: an `AnyWidget` subclass and
objects made widgets with `esmwidget.experimental` (an evented dataclass, pydantic, msgspec,
traitlets) each open one comm with their full state, send Python's changes, take the page's
(validated, echoed), refuse code, style and identity keys, answer commands and close.

The kind-specific behaviour stays in test_widget.py and test_descriptor.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
import traitlets

import esmwidget
from esmwidget import experimental as ex
from esmwidget.testing import CommandFailedError, FrontEnd

from .test_descriptor import ESM, Model, Struct

pytestmark = pytest.mark.filterwarnings("ignore:esmwidget. changes made in Python:UserWarning")


class Widget(esmwidget.AnyWidget):
    _esm = ESM
    x = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("a").tag(sync=True)

    @ex.command
    def shout(self, msg: Any, buffers: list[bytes]) -> tuple[Any, list[bytes]]:
        return self.label.upper() + msg, []


@ex.dataclass(esm=ESM)
class Evented:
    x: int = 0
    label: str = "a"

    @ex.command
    def shout(self, msg: Any, buffers: list[bytes]) -> tuple[Any, list[bytes]]:
        return self.label.upper() + msg, []


class Traits(traitlets.HasTraits):
    x = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("a").tag(sync=True)
    _repr_mimebundle_ = ex.MimeBundleDescriptor(_esm=ESM)


@dataclasses.dataclass
class Kind:
    """How a test makes one widget of a kind and tells Python about a change to it."""

    name: str
    make: Callable[[], Any]
    # Objects without change events are told with `_repr_mimebundle_.send_state()`
    # (docs/objects.md).
    announces: bool = True
    commands: bool = False

    def set(self, obj: Any, **values: Any) -> None:
        for key, value in values.items():
            setattr(obj, key, value)
        if not self.announces:
            obj._repr_mimebundle_.send_state(list(values))


KINDS = [
    Kind("AnyWidget", Widget, commands=True),
    Kind("evented dataclass", Evented, commands=True),
    Kind("pydantic", Model, announces=False),
    Kind("msgspec", Struct, announces=False),
    Kind("traitlets", Traits),
]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name)
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


def test_one_comm_opens_with_the_full_state(comms, kind):
    obj = kind.make()
    page = FrontEnd(obj)
    assert len(comms) == 1
    assert page.state["_esm"] == ESM
    assert (page.state["x"], page.state["label"]) == (0, "a")
    assert page.state["_model_module"] == "esmwidget"
    assert page.state["_view_count"] is None


def test_a_python_change_reaches_the_page(comms, kind):
    obj = kind.make()
    page = FrontEnd(obj)
    kind.set(obj, x=5)
    page.sync()
    assert page.state["x"] == 5
    assert comms[0].messages("update")[-1]["state"]["x"] == 5
    page.set(x=4)  # the page's own change is echoed, not sent back as an update
    assert comms[0].messages("update")[-1]["state"]["x"] == 5
    assert (obj.x, page.state["x"]) == (4, 4)


def test_a_page_change_is_validated_applied_and_echoed(comms, kind):
    obj = kind.make()
    page = FrontEnd(obj)
    page.set(x=7)
    assert obj.x == 7
    assert {"method": "echo_update", "state": {"x": 7}, "buffer_paths": []} in comms[0].messages()
    page.set(x="not a number")
    assert obj.x == 7
    assert page.state["x"] == 7  # Python's value sent back
    assert [r["key"] for r in page.refused if r["why"] == "invalid"] == ["x"]


@pytest.mark.parametrize("key", ["_esm", "_css", "_anywidget_id", "_model_name", "_view_module"])
def test_code_style_and_identity_are_refused(comms, kind, key):
    obj = kind.make()
    page = FrontEnd(obj)
    before = page.request_state()[key] if key in page.state else None
    page.set(**{key: "alert(1)"})
    assert [(r["key"], r["why"]) for r in page.refused] == [(key, "protected")]
    assert page.request_state().get(key) == before


def test_request_state_sends_everything_again(comms, kind):
    obj = kind.make()
    page = FrontEnd(obj)
    page.state.clear()
    state = page.request_state()
    assert (state["x"], state["label"], state["_esm"]) == (0, "a", ESM)


@pytest.mark.parametrize("kind", [k for k in KINDS if k.commands], ids=lambda k: k.name)
def test_commands_answer_with_a_result(comms, kind):
    obj = kind.make()
    page = FrontEnd(obj)
    kind.set(obj, label="hey")
    assert page.invoke("shout", "!") == ("HEY!", [])
    with pytest.raises(CommandFailedError, match="missing"):
        page.invoke("missing")
