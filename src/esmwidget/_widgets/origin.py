"""Where a widget's module was written, so the page's errors point there.

The page names each module with a sourceURL pragma after its text (lines stand; only the wire
has it, `widget._esm` is unchanged):

- a file-backed `_esm` by its file: ``esmwidget:///static/widget.js`` (`line 3 of
  static/widget.js`);
- an inline `_esm` by the class and where its string starts, in a notebook cell or a ``.py``
  file: ``esmwidget:///cell/Counter._esm#L12`` (the string's line 1 is the cell's line 12, so an
  error on its line 3 is shown as `line 14 of the cell`). js/src/errors.js reads both.
"""

from __future__ import annotations

import linecache
import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import traitlets

__all__ = ["named_module", "record_definition"]

_PACKAGE = str(Path(__file__).resolve().parents[1])
_TRAITLETS = str(Path(traitlets.__file__).resolve().parent)
_SOURCE_URL = re.compile(r"//[#@]\s*sourceURL=\S+")
_ASSIGNMENT = re.compile(r"""^\s*_esm\s*=\s*[rRuU]{0,2}("{3}|'{3}|"|')""")
# Where IPython keeps a cell's code (ipykernel's temporary files, or IPython's own names).
_CELL = re.compile(r"(^<ipython-input-)|(/ipykernel_\d+/\d+\.py$)|(^<cell)")


def named_module(value: Any, widget: Any) -> Any:
    """`_esm` as the page gets it: with a sourceURL naming where it was written, when known."""
    if not isinstance(value, str) or _SOURCE_URL.search(value):
        return value
    trait = getattr(widget, "_traits", {}).get("_esm")
    asset = getattr(trait, "asset", None)
    if asset is None or value != asset.text or asset.url or asset.vfile:
        return value
    name = _file_name(asset.path) if asset.path is not None else _inline_name(type(widget), trait)
    return value if name is None else f"{value}\n//# sourceURL=esmwidget:///{name}\n"


def _file_name(path: Path) -> str | None:
    return None if path.is_dir() else f"{path.parent.name}/{path.name}"


def _inline_name(cls: type, trait: Any) -> str | None:
    if hasattr(trait, "_esmwidget_origin"):
        cached: str | None = trait._esmwidget_origin
        return cached
    name = None
    owner = next((k for k in cls.__mro__ if vars(k).get("_esm") is trait), None)
    if owner is not None:
        name = _where_written(owner, trait.asset.text)
    trait._esmwidget_origin = name
    return name


def record_definition(trait: Any, skip: int = 1) -> None:
    """Note on `trait` the file and line of the class statement being run (for `_inline_name`).

    Classes defined in a notebook cell have no source `inspect` can find; the frame running the
    class statement knows its cell (IPython keeps each cell's code in `linecache`).
    """
    frame: FrameType | None = sys._getframe(skip + 1)
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is not None:
        trait._esmwidget_defined_at = (frame.f_code.co_filename, frame.f_lineno)


def _internal(filename: str) -> bool:
    return filename.startswith((_PACKAGE, _TRAITLETS)) or filename.startswith("<frozen")


def _where_written(owner: type, text: str) -> str | None:
    """``cell/Class._esm#L<n>`` or ``file.py/Class._esm#L<n>``: the line the string starts on."""
    trait = vars(owner).get("_esm")
    defined_at = getattr(trait, "_esmwidget_defined_at", None)
    if defined_at is None:
        return None
    source_file, class_line = defined_at
    lines = linecache.getlines(source_file)
    first = text.split("\n", 1)[0]
    for number in range(max(class_line, 1), len(lines) + 1):
        line = lines[number - 1]
        match = _ASSIGNMENT.match(line)
        if match is None:
            continue
        rest = line[match.end() :].rstrip("\n")
        if first and not rest.startswith(first):
            return None  # not the string we hold (a name, a call): say nothing rather than wrong
        place = "cell" if _CELL.search(source_file) else Path(source_file).name or "source"
        return f"{place}/{owner.__qualname__}._esm#L{number}"
    return None
