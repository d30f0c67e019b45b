"""``%%vfile NAME.js``: a widget's JS or CSS in its own notebook cell (anywidget compatible)."""

from __future__ import annotations

from typing import Any

from .vfiles import clear_vfiles, write_vfile

__all__ = ["load_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%vfile`` and ``%clear_vfiles`` (run ``%load_ext esmwidget``)."""

    def vfile(line: str, cell: str) -> None:
        name = line.strip()
        if not name:
            msg = "%%vfile needs a name, for example `%%vfile widget.js`; use it as "
            msg += '_esm = "vfile:widget.js".'
            raise ValueError(msg)
        # The raw cell text, without the newline IPython appends to cell bodies.
        write_vfile(name, cell[:-1] if cell.endswith("\n") else cell)

    def clear(line: str) -> None:
        del line
        clear_vfiles()

    ipython.register_magic_function(vfile, magic_kind="cell", magic_name="vfile")
    ipython.register_magic_function(clear, magic_kind="line", magic_name="clear_vfiles")
