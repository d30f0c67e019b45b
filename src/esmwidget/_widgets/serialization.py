"""`widget_serialization`: traits that hold other widgets travel as ``IPY_MODEL_<id>``."""

from __future__ import annotations

from typing import Any

from .._sync import registry as _registry
from .._wire.protocol import ANYWIDGET_REFERENCE_PREFIX, REFERENCE_PREFIX

__all__ = ["widget_serialization"]

_PREFIXES = (REFERENCE_PREFIX, ANYWIDGET_REFERENCE_PREFIX)


def _widget_to_json(value: Any, owner: Any) -> Any:
    if isinstance(value, dict):
        return {key: _widget_to_json(item, owner) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_widget_to_json(item, owner) for item in value]
    model_id = getattr(value, "model_id", None)
    if isinstance(model_id, str) and hasattr(value, "_model_name"):
        return REFERENCE_PREFIX + model_id
    return value


def _json_to_widget(value: Any, owner: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_to_widget(item, owner) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_to_widget(item, owner) for item in value]
    if isinstance(value, str):
        for prefix in _PREFIXES:
            if value.startswith(prefix):
                model_id = value[len(prefix) :]
                widget = _registry.get(model_id)
                if widget is None:
                    msg = (
                        f"widget reference {value!r} names no live widget in this kernel; "
                        "it may have been closed."
                    )
                    raise ValueError(msg)
                return widget
    return value


widget_serialization: dict[str, Any] = {
    "to_json": _widget_to_json,
    "from_json": _json_to_widget,
}
"""Trait metadata for traits holding widgets (or lists/dicts of them).

Examples
--------
>>> import esmwidget, traitlets
>>> class Parent(esmwidget.AnyWidget):
...     children = traitlets.List().tag(sync=True, **esmwidget.widget_serialization)
"""
