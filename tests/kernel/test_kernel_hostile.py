"""Broken and hostile front-end messages against a real ipykernel: the kernel answers each one."""

import json

import pytest
from jupyter_client.jsonutil import json_default

from .conftest import comm_msgs

pytestmark = pytest.mark.kernel

SETUP = """
import asyncio, gc, pathlib, weakref
import esmwidget, traitlets
from esmwidget.experimental import command

class Label(esmwidget.AnyWidget):
    _esm = "export default { render({ model, el }) { el.textContent = model.get('text') } }"
    text = traitlets.Unicode("").tag(sync=True)
    size = traitlets.Float(1.0).tag(sync=True)

    @command
    def where(self, msg, buffers):
        return pathlib.Path("/tmp"), []

    @command
    async def forever(self, msg, buffers):
        await asyncio.Event().wait()

w = Label(text="start")
display(w)
"""


@pytest.fixture(scope="module")
def comm_id(kernel):
    messages = kernel.execute(SETUP)
    (opened,) = [m for m in messages if m["msg_type"] == "comm_open"]
    return opened["content"]["comm_id"]


def _as_a_browser_sends(kernel, comm_id, data):
    """Send `data` as JSON with \\u escapes, which is how a page can send a lone surrogate."""
    session = kernel.session
    packer = session.pack
    session.pack = lambda obj: json.dumps(obj, default=json_default, ensure_ascii=True).encode()
    try:
        return kernel.comm_msg(comm_id, data)[1]
    finally:
        session.pack = packer


def test_a_lone_surrogate_is_repaired_and_the_page_told(kernel, comm_id):
    update = {"method": "update", "state": {"text": "caf\ud83d"}, "buffer_paths": []}
    messages = _as_a_browser_sends(kernel, comm_id, update)
    sent = [m["content"]["data"] for m in comm_msgs(messages)]
    assert {"method": "update", "state": {"text": "caf\ufffd"}, "buffer_paths": []} in sent
    assert kernel.stdout("print(ascii(w.text))") == "'caf\\ufffd'\n"


def test_an_update_with_broken_buffer_paths_is_answered_with_pythons_values(kernel, comm_id):
    kernel.execute("w.text = 'kept'")
    update = {"method": "update", "state": {"text": "new"}, "buffer_paths": [["text", 3, True]]}
    _, messages = kernel.comm_msg(comm_id, update, buffers=[b"x"])
    sent = [m["content"]["data"] for m in comm_msgs(messages)]
    assert sent == [{"method": "update", "state": {"text": "kept"}, "buffer_paths": []}]
    assert kernel.stdout("print(w.text)") == "kept\n"


def test_a_value_kept_otherwise_is_sent_back(kernel, comm_id):
    update = {"method": "update", "state": {"size": True}, "buffer_paths": []}
    _, messages = kernel.comm_msg(comm_id, update)
    sent = [m["content"]["data"] for m in comm_msgs(messages)]
    assert sent[-1] == {"method": "update", "state": {"size": 1.0}, "buffer_paths": []}


def test_a_command_with_an_unsendable_result_still_answers(kernel, comm_id):
    request = {"id": "r1", "kind": "anywidget-command", "name": "where", "msg": None}
    _, messages = kernel.comm_msg(comm_id, {"method": "custom", "content": request})
    (reply,) = comm_msgs(messages, "custom")
    content = reply["content"]["data"]["content"]
    assert content["id"] == "r1"
    assert content["error"]["type"] == "TypeError"
    assert "Label.where returned" in content["error"]["message"]
    assert "PosixPath" in content["error"]["message"]


def test_a_pending_command_is_cancelled_when_its_widget_closes(kernel, comm_id):
    request = {"id": "r2", "kind": "anywidget-command", "name": "forever", "msg": None}
    kernel.comm_msg(comm_id, {"method": "custom", "content": request})
    kernel.execute("ref = weakref.ref(w); w.close(); del w")
    # Let the cancelled task finish, then nothing holds the closed widget.
    out = kernel.stdout("await asyncio.sleep(0.1); gc.collect(); print(ref() is None)")
    assert out == "True\n"
