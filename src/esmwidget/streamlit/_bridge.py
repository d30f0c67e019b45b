"""The link between a widget and the Streamlit pages that show it, with no Streamlit import.

Streamlit has no comm: a page reaches Python only by writing its component's state, which reruns
the script, and Python reaches the page only through the data a run gives the component. So each
`show()` of a widget, in one browser session, is a `Page` that carries messages both ways with
numbers, and each direction says which numbers it has read: nothing is lost when runs overlap or
one is cut short, and nothing is applied twice. A widget shown anywhere talks through a
`PageComm` in place of its comm; its state goes to the page whole at every run.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .._wire.clean import shorten

__all__ = ["MESSAGE_LIMIT", "Page", "PageComm", "PageMessage", "decode_page_message"]

logger = logging.getLogger("esmwidget")

# Python's messages a page has not confirmed: past this, the oldest go (a page that never writes
# its state never confirms; each run would otherwise send them all again).
MESSAGE_LIMIT = 256


@dataclass(eq=False)
class Page:
    """One `show(widget, key=...)` in one browser session, kept in that session's state."""

    key: str
    session_id: str
    widget: Any = None
    # The values the page set that Python took, as `get_state` gives them: a widget made anew at
    # each run starts from them, as a Streamlit widget keeps its value by key.
    page_state: dict[str, Any] = field(default_factory=dict)
    # The page's messages read so far: its instance (a new page has a new one) and number.
    instance: str = ""
    read: int = 0
    # Python's custom messages for the page, with their numbers, until the page confirms them.
    to_page: list[dict[str, Any]] = field(default_factory=list)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def queue(self, model_id: str, content: Any, buffers: list[Any]) -> None:
        """Queue a custom message for the page's next run."""
        encoded = [base64.b64encode(bytes(buffer)).decode() for buffer in buffers]
        with self.lock:
            self.sent += 1
            self.to_page.append(
                {"seq": self.sent, "model_id": model_id, "content": content, "buffers": encoded}
            )
            if len(self.to_page) > MESSAGE_LIMIT:
                dropped = self.to_page.pop(0)
                logger.warning(
                    "esmwidget.streamlit: %r: dropped message %d for the page, which has not "
                    "confirmed the %d after it",
                    self.key,
                    dropped["seq"],
                    MESSAGE_LIMIT,
                )

    def confirmed(self, instance: str, seen: int) -> None:
        """The page applied Python's messages up to `seen`."""
        if instance != self.instance:
            return
        with self.lock:
            self.to_page = [message for message in self.to_page if message["seq"] > seen]

    def pending(self) -> list[dict[str, Any]]:
        """Python's messages the page has not confirmed, oldest first."""
        with self.lock:
            return list(self.to_page)


class PageComm:
    """A widget's comm while Streamlit pages show it (`AnyWidget.comm` adopts it).

    It keeps the widget's model id. Custom messages go to every page showing the widget; state
    goes whole with each run, so an update sent from another thread (a hot reload, a background
    task) asks those pages' sessions for a run.
    """

    def __init__(self, comm_id: str, rerun: Callable[[str], None]) -> None:
        self.comm_id = comm_id
        self.pages: weakref.WeakSet[Page] = weakref.WeakSet()
        self._rerun = rerun
        self._on_msg: Callable[[dict[str, Any]], None] | None = None
        self._on_close: Callable[[dict[str, Any]], None] | None = None
        self.closed = False

    def on_msg(self, callback: Callable[[dict[str, Any]], None] | None) -> None:
        self._on_msg = callback

    def on_close(self, callback: Callable[[dict[str, Any]], None] | None) -> None:
        self._on_close = callback

    def send(
        self,
        data: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: list[Any] | None = None,
    ) -> None:
        del metadata
        if self.closed or not data:
            return
        pages = list(self.pages)
        if data.get("method") == "custom":
            for page in pages:
                page.queue(self.comm_id, data.get("content"), list(buffers or []))
        for session_id in {page.session_id for page in pages}:
            self._rerun(session_id)

    def close(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        del data, metadata, buffers
        self.closed = True

    def deliver(self, data: dict[str, Any], buffers: list[bytes]) -> None:
        """Hand one page message to the widget, as its comm would."""
        if self._on_msg is not None:
            self._on_msg({"content": {"comm_id": self.comm_id, "data": data}, "buffers": buffers})


@dataclass(frozen=True)
class PageMessage:
    """One message a page wrote: `data` and `buffers` as its comm message would carry them."""

    seq: int
    model_id: str
    # For the widget `show()` was given, whichever Python object backs it at this run.
    root: bool
    data: dict[str, Any]
    buffers: list[bytes]


def decode_page_message(message: Any) -> PageMessage | None:
    """One message a page wrote, checked and decoded; None (logged) if malformed."""
    try:
        return _decode(message)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        logger.warning(
            "esmwidget.streamlit: ignored a malformed message from the page (%s): %s",
            error,
            shorten(message),
        )
        return None


def _decode(message: Any) -> PageMessage:
    seq, model_id, method = message["seq"], message["model_id"], message["method"]
    _require(isinstance(seq, int) and isinstance(model_id, str), "seq is a number, model_id text")
    raw = message.get("buffers") or []
    _require(isinstance(raw, list), "buffers is a list")
    if method == "update":
        state = message["state"]
        _require(isinstance(state, dict), "state is an object")
        paths = [item["path"] for item in raw]
        buffers = [base64.b64decode(item["data"], validate=True) for item in raw]
        data = {"method": "update", "state": state, "buffer_paths": paths}
    else:
        _require(method == "custom", "method is update or custom")
        buffers = [base64.b64decode(item, validate=True) for item in raw]
        data = {"method": "custom", "content": message.get("content")}
    return PageMessage(seq, model_id, message.get("root") is True, data, buffers)


def _require(condition: bool, expected: str) -> None:
    if not condition:
        msg = f"expected: {expected}"
        raise ValueError(msg)
