"""`WidgetTrait`: a synced trait holding another widget, sent as ``IPY_MODEL_<id>``."""

from __future__ import annotations

from typing import Any

import traitlets

from ._serialization import widget_serialization

__all__ = ["WidgetTrait"]


class WidgetTrait(traitlets.TraitType):  # type: ignore[type-arg]
    """A trait whose value is a widget (or None with ``allow_none=True``).

    It is tagged ``sync=True`` with `widget_serialization` already, so the front end receives
    ``"IPY_MODEL_<model_id>"`` and resolves it with ``widget_manager.get_model`` (or
    ``host.getWidget``). References from the front end are resolved back to the widget.

    Examples
    --------
    >>> import esmwidget
    >>> class Card(esmwidget.AnyWidget):
    ...     body = esmwidget.WidgetTrait(allow_none=True)
    """

    info_text = "a widget (an object with a model_id, such as an esmwidget.AnyWidget)"

    def __init__(
        self, default_value: Any = None, *, allow_none: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(default_value=default_value, allow_none=allow_none, **kwargs)
        self.tag(sync=True, **widget_serialization)

    def validate(self, obj: Any, value: Any) -> Any:
        """Accept widgets: anything with a string `model_id` and a `_model_name`."""
        if isinstance(getattr(value, "model_id", None), str) and hasattr(value, "_model_name"):
            return value
        return self.error(obj, value)
