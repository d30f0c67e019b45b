import asyncio
import sys
import types

import pytest
import traitlets

import esmwidget
from esmwidget.experimental import command
from esmwidget.testing import CommandFailedError, FrontEnd


class Calc(esmwidget.AnyWidget):
    total = traitlets.Int(0).tag(sync=True)

    @command
    def add(self, msg, buffers):
        self.total += msg["n"]
        return {"total": self.total}, [b"".join(buffers)]

    @command
    def plain(self, msg, buffers):
        return msg * 2

    @command
    def fail(self, msg, buffers):
        raise ValueError(f"bad n: {msg!r}")

    @command
    async def later(self, msg, buffers):
        await asyncio.sleep(0)
        return {"later": msg}, []

    @command
    async def later_fail(self, msg, buffers):
        await asyncio.sleep(0)
        raise RuntimeError("async boom")


class MoreCalc(Calc):
    @command
    def plain(self, msg, buffers):  # overrides the parent's command
        return msg * 3


def test_command_reply_has_the_anywidget_wire_shape(comms):
    w = Calc()
    page = FrontEnd(w)
    assert page.invoke("add", {"n": 2}, [b"a", b"b"]) == ({"total": 2}, [b"ab"])
    request, reply = comms[0].sent[-2:]
    assert request.data["method"] == "update"  # total changed on the way
    assert reply.data["method"] == "custom"
    assert set(reply.data["content"]) == {"id", "kind", "response"}
    assert reply.data["content"]["kind"] == "anywidget-command-response"
    assert reply.buffers == [b"ab"]


def test_command_may_return_just_a_response(comms):
    assert FrontEnd(Calc()).invoke("plain", 21) == (42, [])


def test_subclass_overrides_a_command(comms):
    assert FrontEnd(MoreCalc()).invoke("plain", 2) == (6, [])


def test_failing_command_replies_with_the_error(comms):
    page = FrontEnd(Calc())
    with pytest.raises(CommandFailedError, match=r"ValueError: bad n: 3") as info:
        page.invoke("fail", 3)
    assert "raise ValueError" in info.value.traceback


def test_unknown_command_replies_with_an_error(comms):
    page = FrontEnd(Calc())
    with pytest.raises(
        CommandFailedError, match=r"UnknownCommandError: Calc has no command 'nope'"
    ):
        page.invoke("nope")


def test_async_commands_without_a_running_loop(comms):
    page = FrontEnd(Calc())
    assert page.invoke("later", 5) == ({"later": 5}, [])
    with pytest.raises(CommandFailedError, match="RuntimeError: async boom"):
        page.invoke("later_fail")


def test_async_commands_inside_a_running_loop(comms):
    async def main():
        w = Calc()
        page = FrontEnd(w)
        page.send({"id": "r1", "kind": "anywidget-command", "name": "later", "msg": 1})
        assert comms[0].messages("custom") == []  # not done yet: the task is scheduled
        await asyncio.sleep(0.01)
        page.sync()
        return comms[0].messages("custom")

    assert asyncio.run(main()) == [
        {
            "method": "custom",
            "content": {"id": "r1", "kind": "anywidget-command-response", "response": {"later": 1}},
        }
    ]


def test_command_requests_do_not_reach_on_msg(comms):
    w = Calc()
    seen = []
    w.on_msg(lambda *args: seen.append(args))
    FrontEnd(w).invoke("plain", 1)
    assert seen == []


def test_control_comm_answers_request_states_for_every_widget(comms):
    class Blob(esmwidget.AnyWidget):
        data = traitlets.Bytes(b"\x01").tag(sync=True)

    a, b = Calc(total=1), Blob()
    control = comms.open_control()
    control.receive({"method": "request_states"})
    reply = control.sent[-1]
    assert reply.data["method"] == "update_states"
    # Every live widget of the process: these two among them (other tests' may still be alive).
    assert {a.model_id, b.model_id} <= set(reply.data["states"])
    assert reply.data["states"][a.model_id] == {
        "model_name": "AnyModel",
        "model_module": "esmwidget",
        "model_module_version": "~0.1.*",
        "state": comms[0].sent[0].data["state"],
    }
    paths = reply.data["buffer_paths"]
    assert [b.model_id, "state", "data"] in paths
    assert reply.buffers[paths.index([b.model_id, "state", "data"])] == b"\x01"


def test_control_comm_ignores_unknown_methods(comms, caplog):
    Calc()
    control = comms.open_control()
    control.receive({"method": "nope"})
    assert control.sent == []
    assert "ignored unknown control method 'nope'" in caplog.text


def test_closed_widgets_leave_update_states(comms):
    a, b = Calc(), Calc()
    b.close()
    control = comms.open_control()
    control.receive({"method": "request_states"})
    states = set(control.sent[-1].data["states"])
    assert a.model_id in states
    assert b.model_id not in states


def test_control_target_is_taken_back_and_serves_ipywidgets_too(comms, monkeypatch):
    # A stand-in for ipywidgets' module: its handler owns the target until our next widget.
    class FakeIpyWidget:
        _model_name = "IntSliderModel"
        _model_module = "@jupyter-widgets/controls"
        _model_module_version = "2.0.0"

        def get_state(self):
            return {"_model_name": "IntSliderModel", "value": 3}

    fake_module = types.ModuleType("ipywidgets.widgets.widget")
    fake_module._instances = {"ipy1": FakeIpyWidget()}
    monkeypatch.setitem(sys.modules, "ipywidgets.widgets.widget", fake_module)

    Calc()
    comms.manager.register_target("jupyter.widget.control", lambda c, m: None)
    w = Calc()
    control = comms.open_control()
    control.receive({"method": "request_states"})
    states = control.sent[-1].data["states"]
    assert {comms[0].comm_id, w.model_id, "ipy1"} <= set(states)
    assert states["ipy1"]["model_module"] == "@jupyter-widgets/controls"
