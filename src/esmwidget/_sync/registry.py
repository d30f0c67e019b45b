"""Weak registry of live widgets by model id: no process-global strong references."""

from __future__ import annotations

import sys
import weakref
from collections.abc import Iterator
from typing import Any

__all__ = ["add", "discard", "get", "ipywidgets_instances", "live"]

_LIVE: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


def add(model_id: str, widget: Any) -> None:
    """Record a live widget."""
    _LIVE[model_id] = widget


def discard(model_id: str) -> None:
    """Forget a widget (after close)."""
    _LIVE.pop(model_id, None)


def get(model_id: str) -> Any | None:
    """Return the live widget with `model_id`, ours or ipywidgets', or None."""
    widget = _LIVE.get(model_id)
    if widget is not None:
        return widget
    return ipywidgets_instances().get(model_id)


def live() -> Iterator[tuple[str, Any]]:
    """Yield ``(model_id, widget)`` for our live widgets."""
    yield from list(_LIVE.items())


def ipywidgets_instances() -> dict[str, Any]:
    """Ipywidgets' own live widgets when ipywidgets is imported, else an empty dict."""
    # Only look when ipywidgets was imported by someone else: we never import it.
    module = sys.modules.get("ipywidgets.widgets.widget")
    instances = getattr(module, "_instances", None)
    return instances if isinstance(instances, dict) else {}
