"""{{name}}: a Jupyter widget made with esmwidget."""

from __future__ import annotations

import pathlib

import esmwidget
import traitlets

__all__ = ["{{class_name}}"]

# Paths from this file, never from the working directory, so they work once installed.
_HERE = pathlib.Path(__file__).parent


class {{class_name}}(esmwidget.AnyWidget):
    """A button that counts its clicks."""

    _esm = _HERE / "widget.js"
    _css = _HERE / "widget.css"
    count = traitlets.Int(0).tag(sync=True)
