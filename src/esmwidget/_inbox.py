"""Front end -> kernel: the routing that `AnyWidget` and described objects share."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from ._buffers import put_buffers
from ._clean import shorten
from ._comm import Incoming
from ._commands import Reply, run_command
from ._protocol import COMMAND_KIND, PROTECTED_KEYS, PROTECTED_PREFIXES, PYTHON_ERROR_KIND

__all__ = [
    "MsgCallback",
    "call_each",
    "is_protected",
    "no_reply",
    "register",
    "report_error",
    "route",
    "sent_by_front_end",
]

logger = logging.getLogger("esmwidget")

MsgCallback = Callable[[Any, Any, list[bytes]], None]
# Sends a custom message to the page: `Channel.send_custom`.
Send = Callable[[Any, Sequence[Any]], None]


def is_protected(key: str) -> bool:
    """Code, style and identity keys, which a front end may never write (docs/protocol.md)."""
    return key in PROTECTED_KEYS or key.startswith(PROTECTED_PREFIXES)


def register(callbacks: list[MsgCallback], callback: MsgCallback, *, remove: bool) -> None:
    """Add `callback` once, or remove it (missing is fine)."""
    if remove:
        with contextlib.suppress(ValueError):
            callbacks.remove(callback)
    elif callback not in callbacks:
        callbacks.append(callback)


def sent_by_front_end(locks: list[dict[str, Any]], name: str, current: Callable[[], Any]) -> bool:
    """Whether `name` holds exactly what the front end just sent (so it is not sent back)."""
    for lock in locks:
        if name in lock:
            try:
                return bool(current() == lock[name])
            except Exception:
                return False
    return False


def route(
    incoming: Incoming,
    *,
    label: str,
    owner: Any,
    commands: dict[str, str],
    on_custom: Callable[[Any, list[bytes]], None],
    reply: Reply,
    on_update: Callable[[dict[str, Any]], None],
    on_request_state: Callable[[], None],
    on_dropped: Callable[[list[str]], None],
    tasks: set[Any],
) -> None:
    """Dispatch one front-end message; bad input is logged, never raised.

    ``update`` states arrive with their buffers put back; one that cannot be read is dropped
    whole, and `on_dropped(keys)` sends the page Python's values of its keys. ``custom`` messages
    go to a command (replying through `reply`) or to `on_custom(content, buffers)`. A handler
    that raises is logged and shown in the page (``esmwidget-python-error``).
    """
    method, data, buffers = incoming
    if method == "update":
        state = _update_state(label, data, buffers)
        if isinstance(state, dict):
            on_update(state)
        elif state is not None:
            on_dropped(state)
    elif method == "request_state":
        on_request_state()
    elif method == "custom":
        content = data.get("content")
        if isinstance(content, dict) and content.get("kind") == COMMAND_KIND:
            run_command(owner, commands, content, buffers, reply, tasks=tasks)
            return
        try:
            on_custom(content, buffers)
        except Exception as error:
            report_error(label, _name(on_custom), error, reply)
    else:
        logger.warning(
            "esmwidget: %s ignored unknown comm method %s; expected update, request_state or "
            "custom.",
            label,
            shorten(method),
        )


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


def no_reply(content: Any, buffers: Sequence[Any] = ()) -> None:
    """The reply of a widget whose comm is gone: nothing to send."""
    del content, buffers


def _name(function: Any) -> str:
    return str(getattr(function, "__qualname__", None) or repr(function))


def _update_state(
    label: str, data: dict[str, Any], buffers: list[bytes]
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
        put_buffers(state, [] if paths is None else paths, buffers)
    except ValueError as error:
        logger.warning("esmwidget: %s ignored an update: %s", label, error)
        return list(state)
    return state
