"""Environment switches, one small function each, read at call time."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["echo_enabled", "hmr_enabled", "watchable"]

_SWITCHES = ("ANYWIDGET_HMR", "ESMWIDGET_HMR")
_ECHO_OFF = {"no", "n", "false", "off", "0", "0.0"}
_VENDORED = {"site-packages", "dist-packages"}


def hmr_enabled() -> bool:
    """True when ``ANYWIDGET_HMR=1`` (anywidget's name) or ``ESMWIDGET_HMR=1`` is set.

    Read each time a widget is created, so ``%env ANYWIDGET_HMR=1`` after ``import esmwidget``
    works (anywidget reads it once, when the class is defined).
    """
    return any(os.environ.get(name, "").strip() == "1" for name in _SWITCHES)


def watchable(path: Path) -> bool:
    """Installed packages are never watched: their files change only on upgrade."""
    return not _VENDORED.intersection(path.parts)


def echo_enabled() -> bool:
    """False when ``JUPYTER_WIDGETS_ECHO`` is set to no/n/false/off/0 (ipywidgets' switch).

    Read per message, so a notebook can flip it at run time (docs/protocol.md, "State updates").
    """
    return os.environ.get("JUPYTER_WIDGETS_ECHO", "").strip().lower() not in _ECHO_OFF
