"""Front-end values made sendable, and any value made short enough to log.

A page can send text no kernel can send back: JavaScript strings may hold a lone surrogate
(``"caf😀".slice(0, 4)``), which UTF-8, and so the kernel's JSON packing, cannot encode.
`from_page` replaces each one with U+FFFD, as a browser's own UTF-8 encoder does, and refuses
NaN and infinity, which no browser sends as JSON and the kernel would send back as strings.
`shorten` and `clip` bound what one message can put in a log line or in a reason sent to the page.
"""

from __future__ import annotations

import math
import reprlib
from typing import Any

__all__ = ["clip", "from_page", "shorten", "without_surrogates"]

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3
_REPR.maxlong = 40

REASON_LIMIT = 300


def shorten(value: Any) -> str:
    """`repr(value)` cut to about a hundred characters, saying how long a long string was."""
    text = _REPR.repr(value)
    if isinstance(value, str | bytes) and len(value) > _REPR.maxstring:
        text += f" ({len(value)} {'characters' if isinstance(value, str) else 'bytes'})"
    return text


def clip(text: str, limit: int = REASON_LIMIT) -> str:
    """`text` cut to `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def from_page(value: Any) -> tuple[Any, bool]:
    """A value from the page, made safe to keep and to send back.

    Returns ``(value, changed)``: every lone surrogate in its strings (and keys) replaced by
    U+FFFD; an unchanged value is returned as is, without a copy.

    Raises
    ------
    ValueError
        If it holds NaN or infinity.
    RecursionError
        If it is nested more deeply than Python's recursion limit allows.
    """
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{value} is not a JSON number: the page cannot have sent it"
        raise ValueError(msg)
    if isinstance(value, list):
        items = [from_page(item) for item in value]
        if any(changed for _, changed in items):
            return [item for item, _ in items], True
    elif isinstance(value, dict):
        pairs = [(_text(key), from_page(item)) for key, item in value.items()]
        if any(k[1] or v[1] for k, v in pairs):
            return {k[0]: v[0] for k, v in pairs}, True
    return value, False


def _text(value: str) -> tuple[str, bool]:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # UTF-16 keeps well-formed pairs and turns each lone half into U+FFFD.
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace"), True
    return value, False


def without_surrogates(value: Any) -> Any:
    """`value` (JSON-like, tuples too) with every lone surrogate in its strings replaced."""
    if isinstance(value, str):
        return _text(value)[0]
    if isinstance(value, list | tuple):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value
