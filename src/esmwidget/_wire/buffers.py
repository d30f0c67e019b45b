"""Move binary values out of (and back into) nested JSON state along `buffer_paths`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .clean import shorten
from .protocol import BufferPath

__all__ = ["JSON_SCALARS", "as_buffer", "put_buffers", "remove_buffers"]

# Exact types of values that are never binary and hold nothing binary.
JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
_NOT_BINARY = (str, int, float, bool, type(None), dict, list, tuple)


def as_buffer(value: Any) -> memoryview | None:
    """Return `value` as a flat byte memoryview if it exposes the buffer protocol, else None.

    bytes, bytearray and memoryview are the common case; numpy arrays and anything else with
    the buffer protocol also qualify. Non-contiguous buffers are copied, multi-dimensional or
    typed ones are cast to bytes so the front end receives exactly the array's data.
    """
    if isinstance(value, _NOT_BINARY):
        return None
    try:
        view = memoryview(value)
    except TypeError:
        return None
    if not view.contiguous:
        view = memoryview(view.tobytes())
    if view.ndim != 1 or view.format != "B":
        view = view.cast("B")
    return view


def remove_buffers(
    state: dict[str, Any],
) -> tuple[dict[str, Any], list[BufferPath], list[memoryview]]:
    """Split binary values out of `state`.

    In a dict the key is dropped, in a list the slot becomes ``None``; containers are copied
    only where something was removed, so the input is never modified.

    Returns
    -------
    tuple
        ``(state_without_buffers, buffer_paths, buffers)``, paths and buffers in the same order.
    """
    if all(type(v) in JSON_SCALARS for v in state.values()):
        return state, [], []  # the common case (one number, one string): nothing to walk
    paths: list[BufferPath] = []
    buffers: list[memoryview] = []
    stripped = _strip(state, [], paths, buffers)
    assert isinstance(stripped, dict)
    return stripped, paths, buffers


def _strip(value: Any, path: BufferPath, paths: list[BufferPath], buffers: list[memoryview]) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] | None = None
        for key, item in value.items():
            buffer = as_buffer(item)
            if buffer is not None:
                if out is None:
                    out = dict(value)
                del out[key]
                paths.append([*path, key])
                buffers.append(buffer)
                continue
            new = _strip(item, [*path, key], paths, buffers)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list | tuple):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            buffer = as_buffer(item)
            if buffer is not None:
                if items is None:
                    items = list(value)
                items[index] = None
                paths.append([*path, index])
                buffers.append(buffer)
                continue
            new = _strip(item, [*path, index], paths, buffers)
            if new is not item:
                if items is None:
                    items = list(value)
                items[index] = new
        return value if items is None else items
    return value


def put_buffers(state: dict[str, Any], buffer_paths: Any, buffers: Sequence[Any]) -> None:
    """Insert `buffers` into `state` in place, at `buffer_paths`, as `bytes`.

    ipykernel delivers memoryviews over ZMQ frames and marimo delivers bytes; both become bytes
    so that `traitlets.Bytes` traits accept them. Every path is checked before anything is
    written, so a bad message leaves `state` as it was.

    Raises
    ------
    ValueError
        If `buffer_paths` is not a list of paths, the number of paths and buffers differ, or a
        path does not lead into the state (a key into an object, an index into an array).
    """
    if not isinstance(buffer_paths, list):
        msg = f"buffer_paths is {shorten(buffer_paths)}; expected a list of paths."
        raise ValueError(msg)  # noqa: TRY004 - callers handle one error type for a bad message
    if len(buffer_paths) != len(buffers):
        msg = (
            f"buffer_paths has {len(buffer_paths)} entries but the message carries "
            f"{len(buffers)} buffers; they must pair up one to one."
        )
        raise ValueError(msg)
    slots = [_slot(state, path) for path in buffer_paths]
    for (target, step), buffer in zip(slots, buffers, strict=True):
        target[step] = bytes(buffer)


def _slot(state: dict[str, Any], path: Any) -> tuple[Any, Any]:
    """The container and key (or index) `path` ends at; ValueError when it leads nowhere."""
    if not isinstance(path, list) or not path:
        msg = (
            f"buffer path {shorten(path)} is not a path; expected a non-empty list of keys "
            "and indices into the state."
        )
        raise ValueError(msg)
    target: Any = state
    for depth, step in enumerate(path):
        if isinstance(target, dict) and isinstance(step, str):
            if depth == len(path) - 1:
                return target, step
            if step in target:
                target = target[step]
                continue
        elif isinstance(target, list) and type(step) is int and 0 <= step < len(target):
            if depth == len(path) - 1:
                return target, step
            target = target[step]
            continue
        msg = (
            f"buffer path {shorten(path)} does not lead into the state: step {depth} "
            f"({shorten(step)}) is not a key or index of {type(target).__name__} there."
        )
        raise ValueError(msg)
    raise AssertionError  # pragma: no cover - the loop returns at the last step
