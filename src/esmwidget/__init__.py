"""esmwidget: Jupyter widgets written as plain ES modules, on traitlets and comm."""

from __future__ import annotations

from ._labextension import labextension_paths as _jupyter_labextension_paths
from ._labextension import nbextension_paths as _jupyter_nbextension_paths
from ._serialization import widget_serialization
from ._traits import WidgetTrait
from ._version import __version__
from ._widget import AnyWidget


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext esmwidget``: registers the ``%%vfile NAME`` cell magic and ``%clear_vfiles``."""
    from ._magics import load_ipython_extension as load  # noqa: PLC0415 - psygnal on demand

    load(ipython)


__all__ = ["AnyWidget", "WidgetTrait", "__version__", "widget_serialization"]

# Public for the `jupyter labextension` / `nbextension` commands; not part of the widget API.
__all__ += ["_jupyter_labextension_paths", "_jupyter_nbextension_paths"]
