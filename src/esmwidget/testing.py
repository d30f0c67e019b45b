"""Test widgets without a kernel or browser: a fake comm whose wire is a list, and a fake front end.

Installed as a pytest plugin, so any project that depends on esmwidget gets the ``comms`` fixture.

Examples
--------
>>> def test_counter(comms):
...     w = Counter()
...     page = FrontEnd(w)
...     page.set(count=3)
...     assert w.count == 3
"""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import comm
import pytest
from comm.base_comm import BaseComm, CommManager

from ._sync.pace import pacer
from ._wire.buffers import put_buffers, remove_buffers
from ._wire.protocol import (
    COMMAND_KIND,
    COMMAND_RESPONSE_KIND,
    CONTROL_TARGET_NAME,
    FILE_KIND,
    FILE_RESPONSE_KIND,
    REFUSED_KIND,
    Refusal,
)

__all__ = ["CommandFailedError", "FakeComm", "FrontEnd", "Sent", "comms", "install_fake_comms"]

_counter = itertools.count()


@dataclass
class Sent:
    """One message the kernel side published.

    Its type, data, metadata, buffers (as bytes), and `extra`: the other keyword arguments of
    ``publish_msg`` (``target_name`` and ``target_module`` for a ``comm_open``).
    """

    msg_type: str
    data: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    buffers: list[bytes] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class FakeComm(BaseComm):
    """A real `BaseComm` whose wire is a list: tests read `sent` and call `receive`."""

    def __init__(self, **kwargs: Any) -> None:
        self.sent: list[Sent] = []
        super().__init__(**kwargs)

    def publish_msg(
        self,
        msg_type: str,
        data: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: Sequence[Any] | None = None,
        **keys: Any,
    ) -> None:
        """Record the message as the page would receive it (buffers copied to bytes).

        `data` goes through the kernel's own JSON packing and back, so a value ipykernel could
        not send raises here as it would there, and tuples arrive as lists.
        """
        self.sent.append(
            Sent(
                msg_type,
                _wire(data or {}),
                dict(metadata or {}),
                [bytes(b) for b in buffers or ()],
                keys,
            )
        )

    def handle_msg(self, msg: dict[str, Any]) -> None:
        """Deliver to the callback. `BaseComm.handle_msg` imports IPython; the fake does not."""
        if self._msg_callback is not None:
            self._msg_callback(msg)

    def receive(self, data: dict[str, Any], buffers: Sequence[bytes] = ()) -> None:
        """Deliver a front-end -> kernel ``comm_msg`` without headers (as marimo does)."""
        self.handle_msg(
            {"content": {"comm_id": self.comm_id, "data": data}, "buffers": list(buffers)}
        )

    def messages(self, method: str | None = None) -> list[dict[str, Any]]:
        """Data of the ``comm_msg`` messages sent so far, optionally only those of `method`."""
        return [
            s.data
            for s in self.sent
            if s.msg_type == "comm_msg" and (method is None or s.data.get("method") == method)
        ]


def _wire(data: dict[str, Any]) -> Any:
    """`data` after the kernel's JSON packing (jupyter_client's when installed) and parsing."""
    try:
        from jupyter_client.session import json_packer  # noqa: PLC0415
    except ImportError:  # pragma: no cover - jupyter_client comes with ipykernel
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        return json.loads(text.encode("utf-8"))
    return json.loads(json_packer(data))


@dataclass
class FakeComms:
    """Every comm opened while installed, in order, and the fake comm manager they live in."""

    opened: list[FakeComm]
    manager: CommManager

    def __iter__(self) -> Iterator[FakeComm]:
        return iter(self.opened)

    def __len__(self) -> int:
        return len(self.opened)

    def __getitem__(self, index: int) -> FakeComm:
        return self.opened[index]

    def open_control(self) -> FakeComm:
        """Open a ``jupyter.widget.control`` comm as a front end does on connect."""
        handler = self.manager.targets[CONTROL_TARGET_NAME]
        control = FakeComm(target_name=CONTROL_TARGET_NAME, primary=False)
        self.manager.register_comm(control)
        handler(control, {"content": {"data": {}}, "metadata": {"version": "1.0.0"}})
        return control


def install_fake_comms(monkeypatch: pytest.MonkeyPatch) -> FakeComms:
    """Route `comm.create_comm` and `comm.get_comm_manager` to fakes for one test."""
    manager = CommManager()
    opened: list[FakeComm] = []

    def create_comm(**kwargs: Any) -> FakeComm:
        kwargs.setdefault("comm_id", uuid.UUID(int=next(_counter)).hex)
        fake = FakeComm(**kwargs)
        opened.append(fake)
        return fake

    monkeypatch.setattr(comm, "create_comm", create_comm)
    monkeypatch.setattr(comm, "get_comm_manager", lambda: manager)
    # Fake comms record every update at once: the pace a real kernel keeps (docs/performance.md,
    # "Streaming") would make what a test sees depend on timing.
    monkeypatch.setattr(pacer, "enabled", False)
    return FakeComms(opened, manager)


@pytest.fixture
def comms(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeComms]:
    """Every comm the code under test opened, in order (a fresh fake comm manager per test).

    At teardown the front end closes every comm still open, so widgets from one test never
    show up in the next (for example in the control comm's ``update_states``).
    """
    fakes = install_fake_comms(monkeypatch)
    yield fakes
    for fake in fakes:
        if not fake._closed:
            fake.handle_close({"content": {"comm_id": fake.comm_id, "data": {}}})


def _fake_comm_of(widget: Any) -> Any:
    model = getattr(widget, "_repr_mimebundle_", None)
    opener = getattr(model, "_open", None)
    if opener is not None and not hasattr(widget, "comm"):
        return opener().comm  # a described object: open its comm as displaying it would
    return getattr(widget, "comm", None)


class CommandFailedError(Exception):
    """A command replied with an error; `type` and `message` come from Python's exception."""

    def __init__(self, error: dict[str, Any]) -> None:
        self.type = str(error.get("type"))
        self.message = str(error.get("message"))
        self.traceback = str(error.get("traceback", ""))
        super().__init__(f"{self.type}: {self.message}")


class FrontEnd:
    """Plays the JavaScript side of one widget over its `FakeComm`.

    `widget` is an `AnyWidget`, or an object made a widget with `esmwidget.experimental` (its
    comm is opened here, as displaying it would). `state` starts from the ``comm_open`` state;
    `sync()` applies the messages the kernel sent since the last call, and `set`, `send`,
    `request_state` and `invoke` call it, as a browser model would (binary values as bytes).
    """

    def __init__(self, widget: Any) -> None:
        fake = _fake_comm_of(widget)
        self.comm = fake
        opening = fake.sent[0]
        self.state: dict[str, Any] = copy.deepcopy(opening.data["state"])
        put_buffers(self.state, opening.data["buffer_paths"], opening.buffers)
        self._seen = 1
        self.custom: list[tuple[Any, list[bytes]]] = []
        # What Python said it did not take, as the browser console shows it: key, why, reason.
        self.refused: list[Refusal] = []
        self.sync()

    def sync(self) -> None:
        """Apply every message the kernel sent since the last call."""
        for sent in self.comm.sent[self._seen :]:
            self._seen += 1
            data = sent.data
            method = data.get("method")
            if method in {"update", "echo_update"}:
                state = copy.deepcopy(data["state"])
                put_buffers(state, data["buffer_paths"], sent.buffers)
                self.state.update(state)
            elif method == "custom":
                content = data["content"]
                self.custom.append((content, sent.buffers))
                if isinstance(content, dict) and content.get("kind") == REFUSED_KIND:
                    self.refused.extend(content["refused"])

    def set(self, **values: Any) -> None:
        """``model.set(...)`` then ``save_changes()``: one update, binary values as buffers."""
        state, paths, buffers = remove_buffers(values)
        self.state.update(values)
        self.comm.receive(
            {"method": "update", "state": state, "buffer_paths": paths}, [bytes(b) for b in buffers]
        )
        self.sync()

    def send(self, content: Any, buffers: Sequence[bytes] = ()) -> None:
        """``model.send(content, callbacks, buffers)``."""
        self.comm.receive({"method": "custom", "content": content}, buffers)
        self.sync()

    def request_state(self) -> dict[str, Any]:
        """Send ``request_state`` and return the state from the reply."""
        self.comm.receive({"method": "request_state"})
        self.sync()
        return self.state

    def invoke(
        self, name: str, msg: Any = None, buffers: Sequence[bytes] = ()
    ) -> tuple[Any, list[bytes]]:
        """``experimental.invoke(name, msg, {buffers})``: return ``(response, buffers)``.

        Raises
        ------
        CommandFailedError
            If Python replied with an error.
        LookupError
            If no reply arrived (the command is still running or nothing answered).
        """
        request_id = uuid.uuid4().hex
        before = len(self.custom)
        self.send({"id": request_id, "kind": COMMAND_KIND, "name": name, "msg": msg}, buffers)
        for content, reply_buffers in self.custom[before:]:
            if (
                isinstance(content, dict)
                and content.get("kind") == COMMAND_RESPONSE_KIND
                and content.get("id") == request_id
            ):
                if "error" in content:
                    raise CommandFailedError(content["error"])
                return content.get("response"), reply_buffers
        msg_ = f"command {name!r} sent no reply"
        raise LookupError(msg_)

    def file(self, path: str) -> tuple[bytes, str]:
        """Ask for one of the widget's own files as the page does: ``(bytes, media type)``.

        `path` is relative to the module's folder, as in ``new URL("./engine.wasm",
        import.meta.url)``. What a packaged widget's tests use to check its wheel carries a file.

        Raises
        ------
        FileNotFoundError
            If the widget refused the request or has no such file; the message is the widget's.
        """
        request_id = uuid.uuid4().hex
        before = len(self.custom)
        self.send({"kind": FILE_KIND, "id": request_id, "path": path})
        for content, reply_buffers in self.custom[before:]:
            if (
                isinstance(content, dict)
                and content.get("kind") == FILE_RESPONSE_KIND
                and content.get("id") == request_id
            ):
                if "error" in content:
                    raise FileNotFoundError(content["error"]["message"])
                return bytes(reply_buffers[0]), str(content["type"])
        msg = f"the widget sent no answer for the file {path!r}"
        raise FileNotFoundError(msg)
