"""Run packages written for anywidget on esmwidget: ``install_anywidget_alias()``."""

from __future__ import annotations

import sys
import types

from . import experimental
from ._serialization import widget_serialization
from ._traits import WidgetTrait
from ._version import __version__
from ._widget import AnyWidget

__all__ = ["install_anywidget_alias"]

_ALIAS_MARK = "__esmwidget_alias__"


def install_anywidget_alias() -> None:
    """Make ``import anywidget`` resolve to esmwidget's compatible API.

    Call it before importing an anywidget-based package; its widgets then subclass
    `esmwidget.AnyWidget` and render through esmwidget's front end, and ipywidgets is never
    imported. Calling it again is harmless.

    Raises
    ------
    RuntimeError
        If the real anywidget was already imported in this process.
    """
    current = sys.modules.get("anywidget")
    if current is not None:
        if getattr(current, _ALIAS_MARK, False):
            return
        msg = (
            "esmwidget.compat.install_anywidget_alias() was called after the real anywidget "
            f"was imported (from {getattr(current, '__file__', '?')!r}), so widgets already "
            "defined use it. Call it first: at the top of the notebook, before importing any "
            "package that uses anywidget (restart the kernel if needed)."
        )
        raise RuntimeError(msg)
    alias = types.ModuleType("anywidget", "esmwidget's anywidget-compatible API")
    alias.AnyWidget = AnyWidget  # type: ignore[attr-defined]
    alias.Widget = AnyWidget  # type: ignore[attr-defined]
    alias.WidgetTrait = WidgetTrait  # type: ignore[attr-defined]
    alias.widget_serialization = widget_serialization  # type: ignore[attr-defined]
    alias.experimental = experimental  # type: ignore[attr-defined]
    alias.__version__ = __version__  # type: ignore[attr-defined]
    setattr(alias, _ALIAS_MARK, True)
    sys.modules["anywidget"] = alias
    sys.modules["anywidget.experimental"] = experimental
