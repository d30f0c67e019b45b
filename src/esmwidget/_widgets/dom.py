"""The parts of an ipywidgets `DOMWidget` that code written for one uses.

`layout`, CSS classes, `tooltip` and `tabbable` (docs/ipywidgets.md, "Layout and CSS classes").
The front end needs nothing new: esmwidget's model and view are ipywidgets' DOM widget model and
view, which apply these keys. They are state keys, not traits, and none is sent while unset:
a widget that never uses them opens one comm, with the state its traits make, and imports no
ipywidgets. `layout` is an ipywidgets `Layout`, a widget with its own comm, made at first use.
A subclass may declare a synced trait of one of these names; its trait then wins.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .serialization import to_references

if TYPE_CHECKING:
    from .._sync.sync import Sync

__all__ = ["DOM_KEYS", "DomParts"]

DOM_KEYS = ("layout", "_dom_classes", "tooltip", "tabbable")


class DomParts:
    """`layout`, `_dom_classes`, `tooltip`, `tabbable`, `add_class`, `remove_class`."""

    _esmwidget_dom: dict[str, Any]
    _esmwidget_link: Sync

    @property
    def layout(self) -> Any:
        """The widget's ipywidgets `Layout` (width, height, border, grid area...).

        Made at first use; assign a `Layout` or a dict of its properties.

        Raises
        ------
        AttributeError
            Without ipywidgets, which draws the layout (so ``hasattr(w, "layout")`` is False).
        """
        layout = self._esmwidget_dom.get("layout")
        if layout is None:
            layout = _layout_class(self)()
            self._esmwidget_put("layout", layout)
        return layout

    @layout.setter
    def layout(self, value: Any) -> None:
        layout_class = _layout_class(self)
        if isinstance(value, dict):
            value = layout_class(**value)
        if not isinstance(value, layout_class):
            msg = (
                f"{type(self).__name__}.layout must be an ipywidgets Layout or a dict of its "
                f"properties, not {value!r}. For example: layout=Layout(width='300px')."
            )
            raise TypeError(msg)
        self._esmwidget_put("layout", value)

    @property
    def _dom_classes(self) -> tuple[str, ...]:
        """CSS classes on the widget's element (``add_class``/``remove_class`` change them)."""
        return tuple(self._esmwidget_dom.get("_dom_classes", ()))

    @_dom_classes.setter
    def _dom_classes(self, value: Iterable[object]) -> None:
        classes = tuple(value) if not isinstance(value, str) else (value,)
        bad = [name for name in classes if not isinstance(name, str) or not name.strip()]
        if bad:
            msg = (
                f"{type(self).__name__}._dom_classes takes CSS class names (non-empty strings), "
                f"not {bad[0]!r}."
            )
            raise TypeError(msg)
        self._esmwidget_put("_dom_classes", classes)

    def add_class(self, name: str) -> DomParts:
        """Add a CSS class to the widget's element; return the widget (as ipywidgets does)."""
        if name not in self._dom_classes:
            self._dom_classes = (*self._dom_classes, name)
        return self

    def remove_class(self, name: str) -> DomParts:
        """Remove a CSS class from the widget's element; return the widget."""
        if name in self._dom_classes:
            self._dom_classes = tuple(c for c in self._dom_classes if c != name)
        return self

    @property
    def tooltip(self) -> str | None:
        """The element's tooltip (its ``title``), or None."""
        return self._esmwidget_dom.get("tooltip")

    @tooltip.setter
    def tooltip(self, value: object) -> None:
        if value is not None and not isinstance(value, str):
            msg = f"{type(self).__name__}.tooltip must be a string or None, not {value!r}."
            raise TypeError(msg)
        self._esmwidget_put("tooltip", value)

    @property
    def tabbable(self) -> bool | None:
        """Whether the element is reached with Tab (None: the browser's default)."""
        return self._esmwidget_dom.get("tabbable")

    @tabbable.setter
    def tabbable(self, value: object) -> None:
        if value is not None and not isinstance(value, bool):
            msg = f"{type(self).__name__}.tabbable must be True, False or None, not {value!r}."
            raise TypeError(msg)
        self._esmwidget_put("tabbable", value)

    # -- for AnyWidget ----------------------------------------------------------------------

    def _esmwidget_put(self, key: str, value: Any) -> None:
        self._esmwidget_dom[key] = value
        self._esmwidget_link.set_by_python(key, value, dom_json)

    def _esmwidget_dom_keys(self) -> list[str]:
        """The DOM keys this widget has set, which its state then holds."""
        return [key for key in DOM_KEYS if key in self._esmwidget_dom]


def dom_json(value: Any, owner: Any) -> Any:
    """A DOM key's value as the page reads it: the layout as a widget reference."""
    del owner
    return to_references(value)


def _layout_class(widget: Any) -> Any:
    try:
        module = sys.modules.get("ipywidgets") or __import__("ipywidgets")
    except ImportError:
        msg = (
            f"{type(widget).__name__}.layout needs ipywidgets, which is not installed: its "
            "Layout widget carries the layout to the page. Install it (pip install ipywidgets) "
            "to use layout as on any ipywidgets widget; add_class and tooltip need nothing."
        )
        raise AttributeError(msg) from None
    return module.Layout
