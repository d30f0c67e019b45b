"""Commands: Python methods the front end calls with `experimental.invoke(name, msg)`."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .._wire.clean import clip, shorten, without_surrogates
from .._wire.protocol import COMMAND_RESPONSE_KIND, CommandResponse

__all__ = ["collect_commands", "command", "run_command"]

logger = logging.getLogger("esmwidget")

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_esmwidget_command"


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
    *,
    tasks: set[Any],
) -> None:
    """Run one command request and send exactly one reply (now, or when an async one finishes).

    An async command runs as a task kept in `tasks`, which the widget cancels when it closes.
    """
    request_id = request.get("id")
    name = request.get("name")
    if not isinstance(request_id, str):
        logger.warning(
            "esmwidget: ignored a command request without a string id: %s", shorten(request)
        )
        return
    owner = type(widget).__qualname__
    if not isinstance(name, str) or name not in commands:
        available = ", ".join(sorted(commands)) or "none"
        message = (
            f"{owner} has no command {shorten(name)}. Available commands: {available}. "
            "Mark a method with @esmwidget.experimental.command to expose it."
        )
        logger.warning("esmwidget: %s", message)
        _send(reply, _error(request_id, "UnknownCommandError", message, ""), [])
        return
    method = getattr(widget, commands[name])
    try:
        result = method(request.get("msg"), buffers)
    except Exception as error:
        _send(reply, _failure(request_id, owner, name, error), [])
        return
    if inspect.isawaitable(result):
        _schedule(request_id, owner, name, result, reply, tasks=tasks)
        return
    _reply_result(request_id, f"{owner}.{name}", result, reply)


def _schedule(
    request_id: str, owner: str, name: str, awaitable: Any, reply: Reply, *, tasks: set[Any]
) -> None:
    async def finish() -> None:
        try:
            result = await awaitable
        except Exception as error:
            _send(reply, _failure(request_id, owner, name, error), [])
            return
        _reply_result(request_id, f"{owner}.{name}", result, reply)

    import asyncio  # noqa: PLC0415 - 30 ms at import time, and only async commands need it

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        # No running loop (a plain script or the fake comm in tests): finish right here.
        asyncio.run(finish())
        return
    task = loop.create_task(finish())
    tasks.add(task)  # keep a reference until done, or the task may be collected mid-flight
    task.add_done_callback(tasks.discard)


def _reply_result(request_id: str, where: str, result: Any, reply: Reply) -> None:
    response, out_buffers = result, []
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list | tuple):
        response, out_buffers = result[0], list(result[1])
    message: CommandResponse = {"id": request_id, "kind": COMMAND_RESPONSE_KIND}
    message["response"] = response
    problem = _send(reply, message, out_buffers)
    if problem is None:
        return
    text = (
        f"{where} returned {shorten(response)}"
        + (f" with buffers {shorten(out_buffers)}" if out_buffers else "")
        + f", which cannot be sent to the page ({clip(str(problem))}). Return JSON values "
        "(str, int, float, bool, None, and lists and dicts of them), and bytes as buffers: "
        "`return response, [data]`."
    )
    logger.warning("esmwidget: %s", text)
    _send(reply, _error(request_id, "TypeError", text, ""), [])


def _send(reply: Reply, message: CommandResponse, buffers: list[Any]) -> Exception | None:
    """Send one reply; text with lone surrogates is repaired. The error when it cannot go."""
    try:
        reply(message, buffers)
    except UnicodeEncodeError:
        try:
            reply(without_surrogates(message), buffers)
        except (TypeError, ValueError) as error:
            return error
    except (TypeError, ValueError) as error:
        return error
    return None


def _failure(request_id: str, owner: str, name: str, error: Exception) -> CommandResponse:
    logger.warning("esmwidget: command %s.%s failed: %s", owner, name, shorten(error))
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return _error(request_id, type(error).__name__, clip(str(error), 2000), trace)


def _error(request_id: str, kind: str, message: str, trace: str) -> CommandResponse:
    return {
        "id": request_id,
        "kind": COMMAND_RESPONSE_KIND,
        "error": {"type": kind, "message": message, "traceback": trace},
    }
