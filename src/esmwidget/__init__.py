"""esmwidget: Jupyter widgets written as plain ES modules, on traitlets and comm."""

from __future__ import annotations

from ._labextension import labextension_paths as _jupyter_labextension_paths
from ._serialization import widget_serialization
from ._version import __version__
from ._widget import AnyWidget

__all__ = ["AnyWidget", "__version__", "widget_serialization"]

# Public for `jupyter labextension develop`; not part of the widget API.
__all__ += ["_jupyter_labextension_paths"]
