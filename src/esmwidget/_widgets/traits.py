"""The traits of `AnyWidget`: `_esm`/`_css` assets, the metaclass that makes them, `WidgetTrait`.

`WidgetTrait` is a synced trait holding another widget, sent as ``IPY_MODEL_<id>``.
"""

from __future__ import annotations

from typing import Any, cast

import traitlets
from traitlets.traitlets import MetaHasTraits

from .._assets.assets import Asset, resolve_asset
from .._assets.files import files_for
from .._sync.commands import collect_commands
from .dom import DOM_KEYS
from .origin import named_module, record_definition
from .serialization import widget_serialization

__all__ = ["AnyWidgetMeta", "AssetTrait", "WidgetTrait"]


class AssetTrait(traitlets.Unicode):  # type: ignore[type-arg]
    """A synced `Unicode` defaulting to an asset's current text (file-backed assets change)."""

    def __init__(self, asset: Asset) -> None:
        super().__init__()
        self.asset = asset
        self.default_value = traitlets.Undefined  # type: ignore[assignment] # dynamic default

    def make_dynamic_default(self) -> str:
        """Return the asset's current text, so instances created after a reload get it."""
        return self.asset.text


class AnyWidgetMeta(MetaHasTraits):
    """Turns `_esm`/`_css` class attributes into synced traits once, when the class is defined."""

    def __new__(
        mcls,
        name: str,
        bases: tuple[type, ...],
        classdict: dict[str, Any],
        **kwargs: Any,
    ) -> AnyWidgetMeta:
        owner = f"{classdict.get('__module__', '?')}.{classdict.get('__qualname__', name)}"
        _refuse_hiding_traits(classdict.get("__qualname__", name), bases, classdict)
        for key in ("_esm", "_css"):
            value = classdict.get(key)
            if key in classdict and not isinstance(value, traitlets.TraitType):
                trait = AssetTrait(resolve_asset(owner, key, value))
                named = {"to_json": named_module} if key == "_esm" else {}
                if key == "_esm" and trait.asset.path is None:
                    record_definition(trait)
                classdict[key] = trait.tag(sync=True, **named)
        # Each class gets its own slot for the synced-trait table, filled on first use
        # (`_sync_table`), so an instance finds it with one attribute lookup.
        classdict["_esmwidget_sync"] = None
        cls = cast("AnyWidgetMeta", super().__new__(mcls, name, bases, classdict, **kwargs))
        if "_files" in classdict or "_esm" in classdict:
            # The files the module may load by relative URL (_assets/files.py), from this
            # class's `_esm` and `_files`, either of them inherited; checked now, so a wrong
            # `_files` fails here, not when the page first asks.
            esm = getattr(cls, "_esm", None)
            esm_path = esm.asset.path if isinstance(esm, AssetTrait) else None
            files = files_for(owner, esm_path, getattr(cls, "_files", None))
            cls._esmwidget_file_set = files  # type: ignore[attr-defined]
        cls._esmwidget_commands = collect_commands(cls)  # type: ignore[attr-defined]
        return cls


def _refuse_hiding_traits(name: str, bases: tuple[type, ...], classdict: dict[str, Any]) -> None:
    """Refuse a trait named like a method or property of the widget API (`keys`, `close`).

    It would hide that member, and the widget would break far from the cause.
    """
    for key, value in classdict.items():
        if not isinstance(value, traitlets.TraitType) or key in DOM_KEYS:
            continue  # a trait named `layout` or `tooltip` takes the place of the DOM key
        for base in bases:
            for klass in base.__mro__:
                member = vars(klass).get(key)
                if member is None or isinstance(member, traitlets.TraitType):
                    continue
                if not klass.__module__.startswith(("esmwidget", "traitlets")):
                    continue
                what = "property" if isinstance(member, property) else "attribute"
                if callable(member):
                    what = "method"
                msg = (
                    f"{name}.{key} is a trait, but {key!r} is a {what} of esmwidget's widget "
                    f"API ({klass.__name__}.{key}): the trait would hide it and break the "
                    f"widget. Rename the trait (for example to {key + '_'!r} or "
                    f"{'my_' + key.lstrip('_')!r})."
                )
                raise TypeError(msg)


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
