"""Front end -> kernel: the routing that `AnyWidget` and described objects share."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from ._buffers import put_buffers
from ._comm import Incoming
from ._commands import Reply, run_command
from ._protocol import COMMAND_KIND, PROTECTED_KEYS, PROTECTED_PREFIXES

__all__ = ["MsgCallback", "is_protected", "register", "route", "sent_by_front_end"]

logger = logging.getLogger("esmwidget")

MsgCallback = Callable[[Any, Any, list[bytes]], None]


def is_protected(key: str) -> bool:
    """Code, style and identity keys, which a front end may never write (PROTOCOL.md 1b)."""
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
    callbacks: list[MsgCallback],
    reply: Reply,
    on_update: Callable[[dict[str, Any]], None],
    on_request_state: Callable[[], None],
) -> None:
    """Dispatch one front-end message; bad input is logged, never raised.

    ``update`` states arrive with their buffers put back; ``custom`` messages go to a command
    (replying through `reply`) or to every callback as ``(owner, content, buffers)``.
    """
    method, data, buffers = incoming
    if method == "update":
        state = _update_state(label, data, buffers)
        if state is not None:
            on_update(state)
    elif method == "request_state":
        on_request_state()
    elif method == "custom":
        content = data.get("content")
        if isinstance(content, dict) and content.get("kind") == COMMAND_KIND:
            run_command(owner, commands, content, buffers, reply)
            return
        for callback in list(callbacks):
            try:
                callback(owner, content, buffers)
            except Exception:
                logger.exception("esmwidget: on_msg callback %r raised", callback)
    else:
        logger.warning(
            "esmwidget: %s ignored unknown comm method %r; expected update, request_state or "
            "custom.",
            label,
            method,
        )


def _update_state(label: str, data: dict[str, Any], buffers: list[bytes]) -> dict[str, Any] | None:
    state = data.get("state")
    paths = data.get("buffer_paths") or []
    if not isinstance(state, dict) or not isinstance(paths, list):
        logger.warning(
            "esmwidget: %s ignored an update whose state is %r; expected an object.", label, state
        )
        return None
    try:
        put_buffers(state, paths, buffers)
    except ValueError as error:
        logger.warning("esmwidget: %s ignored an update: %s", label, error)
        return None
    return state
