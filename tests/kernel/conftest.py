"""A real ipykernel driven through jupyter_client, with this test acting as the front end."""

from __future__ import annotations

import queue
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


class KernelPage:
    """Executes code and plays a widget front end over the real shell and iopub channels."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.session = client.session

    def execute(self, code: str) -> list[dict[str, Any]]:
        """Run code; return every iopub message of that execution, up to its idle status."""
        msg_id = self.client.execute(textwrap.dedent(code))
        messages = self._until_idle(msg_id)
        reply = self.client.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=TIMEOUT)
        if reply["content"]["status"] != "ok":
            errors = [m["content"] for m in messages if m["msg_type"] == "error"]
            msg = f"cell failed: {errors or reply['content']}"
            raise AssertionError(msg)
        return messages

    def stdout(self, code: str) -> str:
        """Run code and return what it printed."""
        return "".join(
            m["content"]["text"]
            for m in self.execute(code)
            if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
        )

    def send_comm(
        self,
        msg_type: str,
        content: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        buffers: list[bytes] | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        """Send a comm message on the shell channel; return its id and the iopub it caused."""
        msg = self.session.msg(msg_type, content, metadata=metadata or {})
        self.session.send(self.client.shell_channel.socket, msg, buffers=buffers or [])
        msg_id = msg["header"]["msg_id"]
        return msg_id, self._until_idle(msg_id)

    def comm_msg(
        self, comm_id: str, data: dict[str, Any], buffers: list[bytes] | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        return self.send_comm("comm_msg", {"comm_id": comm_id, "data": data}, buffers=buffers)

    def wait_for(self, predicate: Any, timeout: float = 10) -> dict[str, Any]:
        """Return the next iopub message, whatever its parent, for which `predicate` is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            if predicate(msg):
                return msg
        msg = f"no matching iopub message within {timeout}s"
        raise AssertionError(msg)

    def _until_idle(self, msg_id: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return messages
        msg = f"no idle status for {msg_id} within {TIMEOUT}s; got {messages}"
        raise AssertionError(msg)


@pytest.fixture(scope="module")
def kernel() -> Iterator[KernelPage]:
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=TIMEOUT)
    try:
        yield KernelPage(client)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def comm_msgs(messages: list[dict[str, Any]], method: str | None = None) -> list[dict[str, Any]]:
    """The comm_msg messages among `messages`, optionally only those of one method."""
    return [
        m
        for m in messages
        if m["msg_type"] == "comm_msg"
        and (method is None or m["content"]["data"].get("method") == method)
    ]
