"""What changes outside JupyterLab: Colab, marimo, and hosts built on ipywidgets.

Each is detected without importing the host: Colab by its ``google.colab.output`` module being
loaded, marimo by its replacement of ``comm.create_comm``, Panel and shinywidgets through
ipywidgets' widget-construction callback (docs/hosts.md says what each host needs).
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

from .._wire.protocol import VIEW_MIME_TYPE, ViewBundle

__all__ = ["announce", "enable_colab", "marimo_identity", "mimebundle"]

# The `_model_module` marimo's comm provider requires before it hands out a real comm; any other
# value gets a no-op comm. marimo's front end runs `_esm` itself, so the name picks no loader.
MARIMO_MODULE = "anywidget"

# The `google.colab.output` modules whose widget manager is on (one per process in Colab).
_colab_enabled: weakref.WeakSet[Any] = weakref.WeakSet()


def mimebundle(text: str, model_id: str | None) -> dict[str, Any] | tuple[dict[str, Any], Any]:
    """The display data of a widget: its text, and its view when `model_id` is given.

    In Colab the view also names Colab's custom widget manager in the metadata: Colab's display
    hook misses execute results otherwise (manzt/anywidget#63).
    """
    data: dict[str, Any] = {"text/plain": text}
    if model_id is None:
        return data
    view: ViewBundle = {"version_major": 2, "version_minor": 1, "model_id": model_id}
    data[VIEW_MIME_TYPE] = view
    url = enable_colab()
    if url is None:
        return data
    return data, {VIEW_MIME_TYPE: {"colab": {"custom_widget_manager": {"url": url}}}}


def enable_colab() -> str | None:
    """In Colab, turn on its custom widget manager once; return that manager's URL, if any."""
    output = sys.modules.get("google.colab.output")
    if output is None:
        return None
    if output not in _colab_enabled:
        _colab_enabled.add(output)
        output.enable_custom_widget_manager()
    url = getattr(getattr(output, "_widgets", None), "_installed_url", None)
    return url if isinstance(url, str) and url else None


def marimo_identity(state: dict[str, Any], create_comm: object) -> dict[str, Any]:
    """The open state to send through `create_comm`: marimo's provider needs anywidget's module."""
    module = getattr(create_comm, "__module__", None) or ""
    if not module.startswith("marimo."):
        return state
    return {**state, "_model_module": MARIMO_MODULE, "_view_module": MARIMO_MODULE}


_WIDGET_MODULE = "ipywidgets.widgets.widget"


def announce(widget: Any) -> None:
    """Run ipywidgets' widget-construction callback for a new esmwidget widget.

    ipywidgets runs it for each of its own widgets; hosts built on ipywidgets (Panel,
    shinywidgets) give widgets their comm there. Nothing happens while ipywidgets is not imported.
    """
    module = sys.modules.get(_WIDGET_MODULE)
    widget_class = getattr(module, "Widget", None)
    constructed = getattr(widget_class, "_call_widget_constructed", None)
    if constructed is not None:
        constructed(widget)
