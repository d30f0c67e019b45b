"""esmwidget: Jupyter widgets written as plain ES modules, on traitlets and comm."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._interop.ipywidgets import install as _adapt_ipywidgets_when_imported
from ._interop.labextension import labextension_paths as _jupyter_labextension_paths
from ._interop.labextension import nbextension_paths as _jupyter_nbextension_paths
from ._log import install as _log_to_the_kernel
from ._version import __version__
from ._widgets.serialization import widget_serialization
from ._widgets.traits import WidgetTrait
from ._widgets.widget import AnyWidget

if TYPE_CHECKING:
    from ._assets.bundle import BundleError
    from ._pages.export import export_html, to_html

# ipywidgets' containers and links take esmwidget widgets once the user imports ipywidgets.
_adapt_ipywidgets_when_imported()
_log_to_the_kernel()


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext esmwidget``: registers the ``%%vfile NAME`` cell magic and ``%clear_vfiles``."""
    from ._assets.magics import load_ipython_extension as load  # noqa: PLC0415 - psygnal on demand

    load(ipython)


__all__ = [
    "AnyWidget",
    "BundleError",
    "WidgetTrait",
    "__version__",
    "export_html",
    "to_html",
    "widget_serialization",
]

# Public for the `jupyter labextension` / `nbextension` commands; not part of the widget API.
__all__ += ["_jupyter_labextension_paths", "_jupyter_nbextension_paths"]


def __getattr__(name: str) -> Any:
    # Exporting is rare: its modules (html, base64, importlib.resources) load on first use and
    # stay off `import esmwidget`; so does the build-directory reader.
    if name in ("export_html", "to_html"):
        from ._pages import export as _export  # noqa: PLC0415

        return getattr(_export, name)
    if name == "BundleError":  # the build-directory reader loads only for file-backed assets
        from ._assets.bundle import BundleError  # noqa: PLC0415

        return BundleError
    msg = f"module 'esmwidget' has no attribute {name!r}"
    raise AttributeError(msg)
