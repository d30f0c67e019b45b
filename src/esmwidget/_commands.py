"""Commands: Python methods the front end calls with `experimental.invoke(name, msg)`."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ._protocol import COMMAND_RESPONSE_KIND, CommandResponse

__all__ = ["collect_commands", "command", "run_command"]

logger = logging.getLogger("esmwidget")

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_esmwidget_command"
_tasks: set[Any] = set()  # running async commands (asyncio is imported on first use)


def command(method: F) -> F:
    """Mark a widget method as a command the front end can call.

    The method receives ``(self, msg, buffers)`` and returns ``(response, buffers)`` (or just a
    JSON-able response). It may be ``async def``. An exception becomes an error reply, so
    ``invoke`` rejects in JavaScript with the Python error type and message.

    Examples
    --------
    >>> import esmwidget
    >>> from esmwidget.experimental import command
    >>> class Echo(esmwidget.AnyWidget):
    ...     @command
    ...     def echo(self, msg, buffers):
    ...         return {"echo": msg}, buffers
    """
    setattr(method, _MARK, method.__name__)
    return method


def collect_commands(cls: type) -> dict[str, str]:
    """Map command name -> attribute name over the MRO (subclasses override)."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            name = getattr(value, _MARK, None)
            if isinstance(name, str):
                found[name] = attr
    return found


Reply = Callable[[CommandResponse, Sequence[Any]], None]


def run_command(
    widget: object,
    commands: dict[str, str],
    request: dict[str, Any],
    buffers: list[bytes],
    reply: Reply,
) -> None:
    """Run one command request and send its reply (now, or when an async command finishes)."""
    request_id = request.get("id")
    name = request.get("name")
    if not isinstance(request_id, str):
        logger.warning("esmwidget: ignored a command request without a string id: %r", request)
        return
    owner = type(widget).__qualname__
    if not isinstance(name, str) or name not in commands:
        available = ", ".join(sorted(commands)) or "none"
        message = (
            f"{owner} has no command {name!r}. Available commands: {available}. "
            "Mark a method with @esmwidget.experimental.command to expose it."
        )
        logger.warning("esmwidget: %s", message)
        reply(_error(request_id, "UnknownCommandError", message, ""), [])
        return
    method = getattr(widget, commands[name])
    try:
        result = method(request.get("msg"), buffers)
    except Exception as error:
        reply(_failure(request_id, owner, name, error), [])
        return
    if inspect.isawaitable(result):
        _schedule(request_id, owner, name, result, reply)
        return
    _reply_result(request_id, result, reply)


def _schedule(request_id: str, owner: str, name: str, awaitable: Any, reply: Reply) -> None:
    async def finish() -> None:
        try:
            result = await awaitable
        except Exception as error:
            reply(_failure(request_id, owner, name, error), [])
            return
        _reply_result(request_id, result, reply)

    import asyncio  # noqa: PLC0415 - 30 ms at import time, and only async commands need it

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        # No running loop (a plain script or the fake comm in tests): finish right here.
        asyncio.run(finish())
        return
    task = loop.create_task(finish())
    _tasks.add(task)  # keep a reference until done, or the task may be collected mid-flight
    task.add_done_callback(_tasks.discard)


def _reply_result(request_id: str, result: Any, reply: Reply) -> None:
    response, out_buffers = result, []
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list | tuple):
        response, out_buffers = result[0], list(result[1])
    reply({"id": request_id, "kind": COMMAND_RESPONSE_KIND, "response": response}, out_buffers)


def _failure(request_id: str, owner: str, name: str, error: Exception) -> CommandResponse:
    logger.warning("esmwidget: command %s.%s failed: %r", owner, name, error)
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return _error(request_id, type(error).__name__, str(error), trace)


def _error(request_id: str, kind: str, message: str, trace: str) -> CommandResponse:
    return {
        "id": request_id,
        "kind": COMMAND_RESPONSE_KIND,
        "error": {"type": kind, "message": message, "traceback": trace},
    }
