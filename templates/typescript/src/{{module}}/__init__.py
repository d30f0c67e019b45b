"""{{name}}: a Jupyter widget made with esmwidget."""

from __future__ import annotations

import pathlib

import esmwidget
import traitlets

__all__ = ["{{class_name}}"]

# esbuild writes the bundle here from js/: `npm run build`, which building the package
# runs for you.
# Paths from this file, never from the working directory, so they work once installed.
_STATIC = pathlib.Path(__file__).parent / "static"


class {{class_name}}(esmwidget.AnyWidget):
    """A button that counts its clicks."""

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"
    count = traitlets.Int(0).tag(sync=True)
