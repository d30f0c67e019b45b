"""Front end -> kernel: one `Inbox` per `Sync` routes each message the page sends to it."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from .._wire.buffers import put_buffers
from .._wire.clean import from_page, shorten
from .._wire.protocol import (
    COMMAND_KIND,
    COMMAND_RESPONSE_KIND,
    FILE_KIND,
    PART_KIND,
    PARTS_KEY,
    PROTECTED_KEYS,
    PROTECTED_PREFIXES,
    PYTHON_ERROR_KIND,
    VIEW_COUNT,
    CommandResponse,
)
from .comm import Incoming
from .commands import Reply, run_command

if TYPE_CHECKING:
    from .parts import Uploads
    from .sync import Sync

__all__ = [
    "Inbox",
    "MsgCallback",
    "call_each",
    "is_protected",
    "locked",
    "register",
    "report_error",
    "same_in_js",
]

logger = logging.getLogger("esmwidget")

MsgCallback = Callable[[Any, Any, list[bytes]], None]
# Sends a custom message to the page: `Channel.send_custom`.
Send = Callable[[Any, Sequence[Any]], None]


def is_protected(key: str) -> bool:
    """Code, style and identity keys, which a front end may never write (docs/protocol.md).

    `_view_count` is the exception: the page's views count themselves in it.
    """
    return key in PROTECTED_KEYS or (key.startswith(PROTECTED_PREFIXES) and key != VIEW_COUNT)


def register(callbacks: list[MsgCallback], callback: MsgCallback, *, remove: bool) -> None:
    """Add `callback` once, or remove it (missing is fine)."""
    if remove:
        with contextlib.suppress(ValueError):
            callbacks.remove(callback)
    elif callback not in callbacks:
        callbacks.append(callback)


def locked(locks: list[dict[str, Any]], name: str) -> bool:
    """Whether the page is writing `name` right now (its update is being applied)."""
    return any(name in lock for lock in locks)


def same_in_js(a: Any, b: Any) -> bool:
    """Equal as the page's JavaScript sees it.

    Numbers compare by value (1 is 1.0), but a boolean is never a number: Python's
    ``True == 1`` holds, and a `Float` trait turns ``true`` into 1.0, which the page must be told.
    """
    if a is b:
        return True
    kind_a, kind_b = type(a), type(b)
    if kind_a is bool or kind_b is bool:
        return kind_a is kind_b and a == b
    if kind_a in _NUMBERS and kind_b in _NUMBERS:
        return bool(a == b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_in_js(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_in_js(a[k], b[k]) for k in a)
    return bool(a == b)


_NUMBERS = (int, float)


class Inbox:
    """The page -> kernel half of one `Sync`; bad input is logged, never raised.

    ``update`` states arrive with their buffers put back and go through the owner's public
    `set_state` (packages override it to intercept what the page sends); one that cannot be read
    is dropped whole, and the page is sent Python's values of its keys. ``custom`` messages go to
    a command, to the parts of a large binary value, or to the widget's custom-message handler.
    A handler that raises is logged and shown in the page (``esmwidget-python-error``).
    """

    def __init__(self, sync: Sync) -> None:
        self.sync = sync

    def receive(self, incoming: Incoming) -> None:
        """One message from the page."""
        sync = self.sync
        subject = sync.subject()
        if subject is None:
            return  # a described object that is gone
        method, data, buffers = incoming
        if method == "update":
            state = _update_state(sync.label, data, buffers, sync.uploads)
            if isinstance(state, dict):
                sync.owner.set_state(state)
            elif state is not None:
                sync.correct(state)
        elif method == "request_state":
            sync.send_state()
        elif method == "custom":
            self.custom(subject, data.get("content"), buffers)
        else:
            logger.warning(
                "esmwidget: %s ignored unknown comm method %s; expected update, request_state or "
                "custom.",
                sync.label,
                shorten(method),
            )

    def custom(self, subject: Any, raw: Any, buffers: list[bytes]) -> None:
        """A custom message: a command, a part of an upload, or the widget's own."""
        sync = self.sync
        try:
            content, _ = from_page(raw)
        except (ValueError, RecursionError) as error:
            # No browser sends these as JSON; a reply could not carry them back either.
            why = str(error) if isinstance(error, ValueError) else "it is nested too deeply"
            logger.warning("esmwidget: %s ignored a custom message: %s", sync.label, why)
            _refuse_command(raw, why, sync.reply)
            return
        kind = content.get("kind") if isinstance(content, dict) else None
        if kind == COMMAND_KIND:
            run_command(subject, sync.commands, content, buffers, sync.reply, tasks=sync.tasks)
        elif kind == FILE_KIND:
            sync.send_file(content)
        elif kind == PART_KIND:
            try:
                sync.uploads.add(content, buffers)
            except ValueError as error:
                logger.warning("esmwidget: %s ignored a part of an upload: %s", sync.label, error)
        else:
            # ipywidgets' hook: a widget (or described object) may define it; else the callbacks.
            handler = getattr(subject, "_handle_custom_msg", sync.dispatch)
            try:
                handler(content, buffers)
            except Exception as error:
                report_error(sync.label, _name(handler), error, sync.reply)


def call_each(
    callbacks: Sequence[MsgCallback], args: tuple[Any, Any, list[bytes]], label: str, reply: Send
) -> None:
    """Call every callback with `args`; each one that raises is reported, the others still run."""
    for callback in list(callbacks):
        try:
            callback(*args)
        except Exception as error:
            report_error(label, f"on_msg callback {_name(callback)}", error, reply)


def report_error(label: str, where: str, error: Exception, reply: Send) -> None:
    """Log a Python handler's exception and tell the page, where the author is looking."""
    logger.error("esmwidget: %s: %s raised %r", label, where, error, exc_info=error)
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    content = {
        "kind": PYTHON_ERROR_KIND,
        "where": where,
        "error": {"type": type(error).__name__, "message": str(error), "traceback": trace},
    }
    with contextlib.suppress(Exception):  # a report must never raise into the kernel
        reply(content, [])


def _name(function: Any) -> str:
    return str(getattr(function, "__qualname__", None) or repr(function))


def _refuse_command(content: Any, why: str, reply: Reply) -> None:
    """Answer a command request the page cannot have sent, so its `invoke` does not wait."""
    if not isinstance(content, dict) or content.get("kind") != COMMAND_KIND:
        return
    request_id = content.get("id")
    if isinstance(request_id, str):
        error = {"type": "ValueError", "message": f"the command request was refused: {why}"}
        message = {"id": request_id, "kind": COMMAND_RESPONSE_KIND, "error": error}
        with contextlib.suppress(Exception):
            reply(cast("CommandResponse", message), [])


def _update_state(
    label: str, data: dict[str, Any], buffers: list[bytes], uploads: Uploads
) -> dict[str, Any] | list[str] | None:
    """The state of an update, buffers in place; else the keys of one dropped (None: no keys)."""
    state = data.get("state")
    if not isinstance(state, dict):
        logger.warning(
            "esmwidget: %s ignored an update whose state is %s; expected an object.",
            label,
            shorten(state),
        )
        return None
    paths = data.get("buffer_paths")
    try:
        if PARTS_KEY in data:
            buffers = uploads.take(data[PARTS_KEY], buffers)
        put_buffers(state, [] if paths is None else paths, buffers)
    except ValueError as error:
        logger.warning("esmwidget: %s ignored an update: %s", label, error)
        # The keys it named: in the state, and those whose values were to come as buffers.
        named = dict.fromkeys(key for key in state if isinstance(key, str))
        if isinstance(paths, list):
            for path in paths:
                if isinstance(path, list) and path and isinstance(path[0], str):
                    named[path[0]] = None
        return list(named)
    return state
