"""Run packages written for anywidget on esmwidget: ``install_anywidget_alias()``."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence

from . import experimental
from ._version import __version__
from ._widgets.serialization import widget_serialization
from ._widgets.traits import WidgetTrait
from ._widgets.widget import AnyWidget

__all__ = ["install_anywidget_alias"]

_ALIAS_MARK = "__esmwidget_alias__"
# The submodules the alias serves, beside `anywidget` itself; and the internals published
# packages import (esmwidget._interop.anywidget_internals). Other internals are refused.
_SUBMODULES = (
    "anywidget.experimental",
    "anywidget.widget",
    "anywidget._version",
    "anywidget._util",
    "anywidget._file_contents",
    "anywidget._descriptor",
)


class _InternalsFinder(importlib.abc.MetaPathFinder):
    """Refuse `anywidget.<internal>` with a message naming the alias, while it is installed."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        del path, target
        alias = sys.modules.get("anywidget")
        if not fullname.startswith("anywidget.") or not getattr(alias, _ALIAS_MARK, False):
            return None
        msg = (
            f"No module named {fullname!r}: `import anywidget` is esmwidget's alias "
            "(esmwidget.compat.install_anywidget_alias), which provides "
            f"{', '.join(['anywidget', *_SUBMODULES])}, not anywidget's internal modules."
        )
        raise ModuleNotFoundError(msg, name=fullname)


_FINDER = _InternalsFinder()


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
    from ._interop.anywidget_internals import alias_module, modules  # noqa: PLC0415 - only here

    alias = alias_module("anywidget", "esmwidget's anywidget-compatible API", package=True)
    alias.AnyWidget = AnyWidget  # type: ignore[attr-defined]
    alias.Widget = AnyWidget  # type: ignore[attr-defined]
    alias.WidgetTrait = WidgetTrait  # type: ignore[attr-defined]
    alias.widget_serialization = widget_serialization  # type: ignore[attr-defined]
    alias.experimental = experimental  # type: ignore[attr-defined]
    alias.__version__ = __version__  # type: ignore[attr-defined]
    # `from anywidget.widget import AnyWidget` and `from anywidget._version import __version__`
    # appear in published packages.
    widget = alias_module("anywidget.widget", "anywidget.AnyWidget, served by esmwidget")
    widget.AnyWidget = AnyWidget  # type: ignore[attr-defined]
    version = alias_module("anywidget._version", "anywidget.__version__, served by esmwidget")
    version.__version__ = __version__  # type: ignore[attr-defined]
    alias.widget = widget  # type: ignore[attr-defined]
    alias._version = version  # type: ignore[attr-defined]
    setattr(alias, _ALIAS_MARK, True)
    sys.modules["anywidget"] = alias
    sys.modules["anywidget.experimental"] = experimental
    sys.modules["anywidget.widget"] = widget
    sys.modules["anywidget._version"] = version
    for name, module in modules().items():
        sys.modules[name] = module
        setattr(alias, name.rsplit(".", 1)[1], module)
    if _FINDER not in sys.meta_path:
        sys.meta_path.append(_FINDER)
