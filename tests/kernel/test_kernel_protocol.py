"""The widget protocol against a real ipykernel, this test playing the front end."""

import pytest

from .conftest import comm_msgs

pytestmark = pytest.mark.kernel

SETUP = """
import asyncio
import esmwidget, traitlets
from esmwidget.experimental import command

class Counter(esmwidget.AnyWidget):
    _esm = "export default { render({ model, el }) { el.textContent = model.get('count') } }"
    count = traitlets.Int(0).tag(sync=True)
    blob = traitlets.Bytes(b"").tag(sync=True)

    @command
    def double(self, msg, buffers):
        return {"doubled": msg * 2}, [b"".join(buffers)[::-1]]

    @command
    def fail(self, msg, buffers):
        raise KeyError("no such thing")

    @command
    async def slow(self, msg, buffers):
        await asyncio.sleep(0.05)
        return {"slow": msg}, []

received = []
w = Counter(count=1, blob=b"\\x00\\x01")
w.on_msg(lambda widget, content, buffers: received.append((content, [bytes(b) for b in buffers])))
display(w)
"""


@pytest.fixture(scope="module")
def widget(kernel):
    messages = kernel.execute(SETUP)
    opens = [m for m in messages if m["msg_type"] == "comm_open"]
    displays = [m for m in messages if m["msg_type"] == "display_data"]
    return opens, displays


def test_comm_open_and_display_carry_the_same_model_id(widget):
    opens, displays = widget
    assert len(opens) == 1
    content = opens[0]["content"]
    assert content["target_name"] == "jupyter.widget"
    assert opens[0]["metadata"] == {"version": "2.1.0"}
    state = content["data"]["state"]
    assert state["_model_name"] == "AnyModel"
    assert state["_model_module"] == "esmwidget"
    assert state["_view_count"] is None
    assert state["count"] == 1
    assert content["data"]["buffer_paths"] == [["blob"]]
    assert [bytes(b) for b in opens[0]["buffers"]] == [b"\x00\x01"]
    view = displays[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == content["comm_id"]
    assert displays[0]["content"]["data"]["text/plain"] == "Counter(blob=..., count=1)"


def test_update_is_echoed_under_the_update_and_applied(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    msg_id, messages = kernel.comm_msg(
        comm_id, {"method": "update", "state": {"count": 7}, "buffer_paths": []}
    )
    echoes = comm_msgs(messages, "echo_update")
    assert [e["content"]["data"] for e in echoes] == [
        {"method": "echo_update", "state": {"count": 7}, "buffer_paths": []}
    ]
    assert echoes[0]["parent_header"]["msg_id"] == msg_id
    assert kernel.stdout("print(w.count)") == "7\n"


def test_binary_update_from_the_front_end(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    kernel.comm_msg(
        comm_id,
        {"method": "update", "state": {}, "buffer_paths": [["blob"]]},
        buffers=[b"\xff" * 1000],
    )
    assert kernel.stdout("print(w.blob == b'\\xff' * 1000)") == "True\n"


def test_invalid_update_keeps_python_state_and_resends(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    kernel.execute("w.count = 2")
    # Python's module as it goes to the page (named after its cell line, js/src/errors.js).
    esm = kernel.stdout("print(w._esmwidget_read(['_esm'])['_esm'], end='')")
    _, messages = kernel.comm_msg(
        comm_id, {"method": "update", "state": {"count": "two", "_esm": "x"}, "buffer_paths": []}
    )
    # Python's value goes back, then why: the page logs it and notes the rejected value.
    assert [m["content"]["data"] for m in comm_msgs(messages)] == [
        {"method": "update", "state": {"_esm": esm, "count": 2}, "buffer_paths": []},
        {
            "method": "custom",
            "content": {
                "kind": "esmwidget-refused",
                "refused": [
                    {
                        "key": "_esm",
                        "why": "protected",
                        "reason": "code, style and identity keys are set from Python only.",
                    },
                    {
                        "key": "count",
                        "why": "invalid",
                        "reason": "The 'count' trait of a Counter instance expected an int, "
                        "not the str 'two'.",
                        "value": "'two'",
                    },
                ],
            },
        },
    ]
    assert kernel.stdout("print(w.count, w._esm[:6])") == "2 export\n"


def test_request_state_replies_with_the_full_state(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    kernel.execute("w.count = 3")
    msg_id, messages = kernel.comm_msg(comm_id, {"method": "request_state"})
    (reply,) = comm_msgs(messages, "update")
    assert reply["parent_header"]["msg_id"] == msg_id
    state = reply["content"]["data"]["state"]
    assert state["count"] == 3
    assert state["_model_module_version"] == "~0.1.*"
    assert set(state) == set(widget[0][0]["content"]["data"]["state"])


def test_control_comm_update_states(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    control_id = "control-0001"
    kernel.send_comm(
        "comm_open",
        {"comm_id": control_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    _, messages = kernel.comm_msg(control_id, {"method": "request_states"})
    (reply,) = comm_msgs(messages, "update_states")
    data = reply["content"]["data"]
    assert data["states"][comm_id]["model_name"] == "AnyModel"
    assert data["states"][comm_id]["state"]["count"] == 3
    assert [comm_id, "state", "blob"] in data["buffer_paths"]


def test_custom_messages_both_ways(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    kernel.comm_msg(comm_id, {"method": "custom", "content": {"hi": 1}}, buffers=[b"ab"])
    assert kernel.stdout("print(received)") == "[({'hi': 1}, [b'ab'])]\n"
    messages = kernel.execute("w.send({'to': 'js'}, [b'xy'])")
    (custom,) = comm_msgs(messages, "custom")
    assert custom["content"]["data"]["content"] == {"to": "js"}
    assert [bytes(b) for b in custom["buffers"]] == [b"xy"]


def _invoke(kernel, comm_id, name, msg, buffers=()):
    request = {"id": f"req-{name}", "kind": "anywidget-command", "name": name, "msg": msg}
    _, messages = kernel.comm_msg(
        comm_id, {"method": "custom", "content": request}, buffers=list(buffers)
    )
    return comm_msgs(messages, "custom")


def test_command_round_trip(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    (reply,) = _invoke(kernel, comm_id, "double", 21, [b"abc"])
    assert reply["content"]["data"]["content"] == {
        "id": "req-double",
        "kind": "anywidget-command-response",
        "response": {"doubled": 42},
    }
    assert [bytes(b) for b in reply["buffers"]] == [b"cba"]


def test_failing_and_unknown_commands_reply_with_errors(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    (reply,) = _invoke(kernel, comm_id, "fail", None)
    error = reply["content"]["data"]["content"]["error"]
    assert (error["type"], error["message"]) == ("KeyError", "'no such thing'")
    (reply,) = _invoke(kernel, comm_id, "missing", None)
    error = reply["content"]["data"]["content"]["error"]
    assert error["type"] == "UnknownCommandError"
    assert "Counter has no command 'missing'" in error["message"]
    assert kernel.stdout("print('kernel alive')") == "kernel alive\n"


def test_async_command_replies_after_awaiting(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    replies = _invoke(kernel, comm_id, "slow", "x")
    if not replies:
        # the task finishes after the request's idle status: wait for the reply itself
        replies = [
            kernel.wait_for(
                lambda m: (
                    m["msg_type"] == "comm_msg"
                    and m["content"]["data"].get("content", {}).get("id") == "req-slow"
                )
            )
        ]
    (reply,) = replies
    assert reply["content"]["data"]["content"] == {
        "id": "req-slow",
        "kind": "anywidget-command-response",
        "response": {"slow": "x"},
    }


def test_a_fast_loop_of_sets_is_merged_and_ends_on_the_last_value(kernel, widget):
    comm_id = widget[0][0]["content"]["comm_id"]
    kernel.execute("w.count = -1")

    def count_of(message):
        data = message["content"].get("data", {})
        ours = message["msg_type"] == "comm_msg" and message["content"]["comm_id"] == comm_id
        if ours and data.get("method") == "update" and "count" in data["state"]:
            return data["state"]["count"]
        return None

    messages = kernel.execute("for i in range(5000):\n    w.count = i")
    counts = [c for c in map(count_of, messages) if c is not None]
    # The pacer's thread may send the last values after the cell is done: wait for them.
    while not counts or counts[-1] != 4999:
        counts.append(count_of(kernel.wait_for(lambda m: count_of(m) is not None)))
    assert len(counts) < 1000  # well under Jupyter Server's 1,000 messages a second
    assert counts == sorted(counts)  # in order
    assert kernel.stdout("print(w.count)") == "4999\n"


def test_close_sends_comm_close(kernel, widget):
    messages = kernel.execute("w.close()")
    closes = [m for m in messages if m["msg_type"] == "comm_close"]
    assert [c["content"]["comm_id"] for c in closes] == [widget[0][0]["content"]["comm_id"]]
