"""`widget_serialization`: traits that hold other widgets travel as ``IPY_MODEL_<id>``."""

from __future__ import annotations

from typing import Any

from .._sync import registry as _registry
from .._wire.protocol import ANYWIDGET_REFERENCE_PREFIX, REFERENCE_PREFIX

__all__ = ["from_references", "model_id_of", "to_references", "widget_serialization"]

_PREFIXES = (REFERENCE_PREFIX, ANYWIDGET_REFERENCE_PREFIX)


def model_id_of(value: Any) -> str | None:
    """The model id of `value` if it is a widget, else None.

    A widget is anything with a string `model_id` and a `_model_name`: esmwidget's widgets, the
    models of described objects, and ipywidgets' widgets.
    """
    model_id = getattr(value, "model_id", None)
    return model_id if isinstance(model_id, str) and hasattr(value, "_model_name") else None


def to_references(value: Any) -> Any:
    """`value` with every widget in it (in dicts, lists and tuples too) as ``IPY_MODEL_<id>``."""
    if isinstance(value, dict):
        return {key: to_references(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_references(item) for item in value]
    model_id = model_id_of(value)
    return value if model_id is None else REFERENCE_PREFIX + model_id


def from_references(value: Any) -> Any:
    """`value` with every widget reference in it resolved to the live widget.

    Raises
    ------
    ValueError
        If a reference names no live widget.
    """
    if isinstance(value, dict):
        return {key: from_references(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_references(item) for item in value]
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


def _widget_to_json(value: Any, owner: Any) -> Any:
    del owner
    return to_references(value)


def _json_to_widget(value: Any, owner: Any) -> Any:
    del owner
    return from_references(value)


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
