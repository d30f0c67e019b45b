"""The only module that talks to `comm`: one `Channel` per widget on the `jupyter.widget` target."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import comm

from .._wire.buffers import JSON_SCALARS, remove_buffers
from .._wire.clean import shorten
from .._wire.protocol import PROTOCOL_VERSION, TARGET_NAME, CustomMsg, OpenData, StateMsg
from .hosts import marimo_identity

if TYPE_CHECKING:
    from comm.base_comm import BaseComm

__all__ = ["Channel", "Incoming"]

logger = logging.getLogger("esmwidget")

# (method, data, buffers) of one front-end message, already checked to be well formed.
Incoming = tuple[str, dict[str, Any], list[bytes]]


class Channel:
    """One widget's comm: opens it with the full state, sends and receives protocol messages.

    `comm.create_comm` is looked up at call time, because kernels and hosts (ipykernel at import,
    marimo, Solara) replace it; binding it at import would freeze the no-op `DummyComm`.
    """

    def __init__(
        self,
        state: dict[str, Any],
        on_message: Callable[[Incoming], None],
        on_peer_close: Callable[[], None],
    ) -> None:
        json_state, buffer_paths, buffers = remove_buffers(state)
        create_comm = comm.create_comm
        data: OpenData = {
            "state": marimo_identity(json_state, create_comm),
            "buffer_paths": buffer_paths,
        }
        self._on_message = on_message
        self._on_peer_close = on_peer_close
        self.closed = False

        # comm annotates `data` as dict[str, Any], which a TypedDict is not (cast once, here).
        self.comm: BaseComm = create_comm(
            target_name=TARGET_NAME,
            data=cast("dict[str, Any]", data),
            metadata={"version": PROTOCOL_VERSION},
            # comm annotates buffers as list[bytes]; memoryviews work at runtime and avoid copies.
            buffers=cast("list[bytes]", buffers),
        )
        self.comm.on_msg(self._receive)
        self.comm.on_close(self._peer_closed)
        self.paced = paced(self.comm)

    def adopt(self, new: BaseComm) -> None:
        """Carry on over `new`, a comm a host opened for this widget with its state.

        Hosts built on ipywidgets (Panel, shinywidgets) give each widget a comm of their own by
        assigning ``widget.comm``; the old comm is left as it was, only no longer listened to.
        """
        if new is self.comm:
            return
        # As ipywidgets does, rely on `on_msg` only: hosts' placeholder comms have nothing else.
        _listen(self.comm, None, None)
        _listen(new, self._receive, self._peer_closed)
        self.paced = paced(new)
        self.comm = new
        self.closed = False

    @property
    def comm_id(self) -> str:
        """The comm id, which is the widget's model id."""
        return str(self.comm.comm_id)

    def send_state(self, method: Literal["update", "echo_update"], state: dict[str, Any]) -> None:
        """Send an ``update`` or ``echo_update`` carrying `state`, binary values as buffers."""
        if self.closed:
            return
        json_state, buffer_paths, buffers = remove_buffers(state)
        msg: StateMsg = {"method": method, "state": json_state, "buffer_paths": buffer_paths}
        self.comm.send(cast("dict[str, Any]", msg), buffers=cast("list[bytes]", buffers))

    def send_update(self, name: str, value: Any) -> None:
        """Send an ``update`` of one key: `send_state` without the buffer walk for a scalar."""
        if self.closed:
            return
        if type(value) not in JSON_SCALARS:
            self.send_state("update", {name: value})
            return
        msg: StateMsg = {"method": "update", "state": {name: value}, "buffer_paths": []}
        self.comm.send(cast("dict[str, Any]", msg), buffers=[])

    def send_custom(self, content: Any, buffers: Sequence[Any] = ()) -> None:
        """Send a ``custom`` message."""
        if self.closed:
            return
        msg: CustomMsg = {"method": "custom", "content": content}
        self.comm.send(
            cast("dict[str, Any]", msg),
            buffers=cast("list[bytes]", [memoryview(b) for b in buffers]),
        )

    def close(self) -> None:
        """Close the comm; the front end removes the model and its views."""
        if self.closed:
            return
        self.closed = True
        self.comm.close()

    def _receive(self, msg: dict[str, Any]) -> None:
        try:
            data = msg["content"]["data"]
            method = data["method"]
        except (KeyError, TypeError):
            logger.warning(
                "esmwidget: ignored a malformed comm message without data.method: %s",
                shorten(msg.get("content")),
            )
            return
        if not isinstance(method, str):
            logger.warning("esmwidget: ignored a comm message whose method is %s", shorten(method))
            return
        buffers = [bytes(b) for b in (msg.get("buffers") or [])]
        try:
            self._on_message((method, data, buffers))
        except Exception:
            # Front-end input must never raise into the kernel (docs/protocol.md, "Security").
            logger.exception("esmwidget: error while handling a %s message", shorten(method))

    def _peer_closed(self, msg: dict[str, Any]) -> None:
        del msg
        if not self.closed:
            self.closed = True
            self._on_peer_close()


def _listen(comm_: Any, on_msg: Any, on_close: Any) -> None:
    for name, callback in (("on_msg", on_msg), ("on_close", on_close)):
        register = getattr(comm_, name, None)
        if callable(register):
            register(callback)


def paced(channel_comm: object) -> bool:
    """Whether updates on `channel_comm` are paced (`_pace`): only an ipykernel kernel's comms.

    Jupyter Server's rate limit stands between an ipykernel kernel and the page. Other hosts
    (marimo, Panel's and Solara's servers) have none, and send from their own threads only.
    """
    if not type(channel_comm).__module__.startswith("ipykernel."):
        return False
    app = sys.modules.get("ipykernel.kernelapp")
    return app is not None and bool(app.IPKernelApp.initialized())
