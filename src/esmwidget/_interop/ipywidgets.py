"""Where the user has ipywidgets: its containers, links and ``close_all`` take esmwidget widgets.

esmwidget never imports ipywidgets. When the user's code does (before or after esmwidget, in any
cell), ipywidgets is adapted right after its ``widgets/widget.py`` runs, before its containers are
defined. Its checks are widened; nothing else changes (docs/ipywidgets.md):

- ``isinstance(w, Widget)`` and ``isinstance(w, DOMWidget)`` are true for an esmwidget widget, so
  every ``Instance(DOMWidget)`` trait takes it (ipyvue's children, which Solara's components use;
  the areas of ``AppLayout``; ipyleaflet's ``WidgetControl``) and so does every library that
  checks for a widget (shinywidgets). The widget has the `layout` and CSS classes they then use
  (`_widgets/dom.py`). ``issubclass(AnyWidget, Widget)`` stays false: code that walks
  ipywidgets' own classes or registry is not misled;
- the children of every container (``Box`` and its subclasses: ``HBox``, ``VBox``, ``GridBox``,
  ``Tab``, ``Accordion``, ``Stack``, yours) and the ends of ``jslink``/``jsdlink`` also accept
  esmwidget widgets;
- its ``widget_serialization`` writes an esmwidget widget as ``"IPY_MODEL_<id>"`` (and reads the
  reference back), as it does its own widgets;
- ``Widget.close_all()`` closes esmwidget widgets too, and ``Widget.get_manager_state()`` (what
  ``ipywidgets.embed`` saves) includes them.

New esmwidget widgets also go through ipywidgets' widget-construction callback, where Panel and
shinywidgets give widgets a comm of their own (`announce` in `_sync/hosts.py`).

The front end needs nothing: ipywidgets' container and link views resolve the references through
the widget manager, which holds esmwidget's models like any other.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import traitlets

from .._sync import registry as _registry
from .._wire.protocol import REFERENCE_PREFIX

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

__all__ = ["esm_model_id", "install"]

_WIDGET_MODULE = "ipywidgets.widgets.widget"
_EMBED_MODULE = "ipywidgets.embed"
_MARK = "__esmwidget_adapted__"
_SCALARS = (str, bytes, int, float, bool, type(None))


def esm_model_id(value: Any) -> str | None:
    """The model id of an esmwidget widget (plain or described object), else None."""
    if isinstance(value, _SCALARS):
        return None
    from .._widgets.descriptor import MimeBundleDescriptor, ObjectModel, model_for  # noqa: PLC0415
    from .._widgets.widget import AnyWidget  # noqa: PLC0415

    if isinstance(value, AnyWidget | ObjectModel):
        return value.model_id
    if isinstance(getattr(type(value), "_repr_mimebundle_", None), MimeBundleDescriptor):
        return model_for(value).model_id
    return None


def install() -> None:
    """Adapt ipywidgets now if it is imported, else as soon as it is (``import esmwidget``)."""
    pending = False
    for name, adapter in _ADAPTERS.items():
        module = sys.modules.get(name)
        if module is not None:
            adapter(module)
        else:
            pending = True
    if pending and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def adapt(module: types.ModuleType) -> None:
    """Widen the checks of ipywidgets' `widget` module, once."""
    widget_class = getattr(module, "Widget", None)
    if widget_class is None or getattr(widget_class, _MARK, False):
        return
    setattr(widget_class, _MARK, True)
    _widen_isinstance(widget_class)
    _adapt_serialization(module, widget_class)
    _adapt_close_all(widget_class)
    _adapt_manager_state(widget_class)
    for cls in _subclasses(widget_class):
        _widen_traits(cls, widget_class)
    original = widget_class.__dict__.get("__init_subclass__")

    def init_subclass(cls: type, /, **kwargs: Any) -> None:
        if original is not None:
            original.__func__(cls, **kwargs)
        else:
            super(widget_class, cls).__init_subclass__(**kwargs)
        _widen_traits(cls, widget_class)

    widget_class.__init_subclass__ = classmethod(init_subclass)


# -- isinstance ----------------------------------------------------------------------------

_DOM_MODULE = "ipywidgets.widgets.domwidget"


def _widen_isinstance(widget_class: type) -> None:
    """``isinstance(w, Widget)`` and ``isinstance(w, DOMWidget)``: true for `AnyWidget`s too.

    traitlets' metaclass is every HasTraits class's, so its check is wrapped in place: any
    check installed before (another library's) still runs first, and only those two classes
    answer differently. `DOMWidget` is defined after this runs; it is looked up when asked.
    """
    from .._widgets.widget import AnyWidget  # noqa: PLC0415

    meta = traitlets.MetaHasTraits
    if getattr(meta, _MARK, False):
        return
    earlier = meta.__dict__.get("__instancecheck__")
    base_check = type.__instancecheck__
    check = earlier if earlier is not None else base_check

    def instancecheck(cls: type, instance: Any) -> bool:
        if check(cls, instance):
            return True
        if cls is not widget_class:
            dom = sys.modules.get(_DOM_MODULE)
            if dom is None or cls is not getattr(dom, "DOMWidget", None):
                return False
        return base_check(AnyWidget, instance)

    meta.__instancecheck__ = instancecheck  # type: ignore[method-assign]
    setattr(meta, _MARK, True)


# -- serialization -------------------------------------------------------------------------


def _adapt_serialization(module: Any, widget_class: type) -> None:
    old_to, old_from = module._widget_to_json, module._json_to_widget

    def widget_to_json(x: Any, obj: Any) -> Any:
        # ipywidgets' own function recurses through the module global, so containers of
        # esmwidget widgets come back here for each item.
        if not isinstance(x, dict | list | tuple | widget_class):
            model_id = esm_model_id(x)
            if model_id is not None:
                return REFERENCE_PREFIX + model_id
        return old_to(x, obj)

    def json_to_widget(x: Any, obj: Any) -> Any:
        if isinstance(x, str) and x.startswith(REFERENCE_PREFIX):
            found = _registry.get(x[len(REFERENCE_PREFIX) :])
            if found is not None:
                return found
        return old_from(x, obj)

    replacements = {old_to: widget_to_json, old_from: json_to_widget}
    module._widget_to_json, module._json_to_widget = widget_to_json, json_to_widget
    serialization = module.widget_serialization
    for key, value in list(serialization.items()):
        serialization[key] = replacements.get(value, value)
    # Traits tagged before now hold the old functions in their metadata.
    for cls in _subclasses(widget_class):
        for trait in cls.__dict__.values():
            metadata = getattr(trait, "metadata", None)
            if isinstance(metadata, dict):
                for key in ("to_json", "from_json"):
                    if metadata.get(key) in replacements:
                        metadata[key] = replacements[metadata[key]]


def _adapt_close_all(widget_class: Any) -> None:
    original = widget_class.close_all.__func__

    def close_all(cls: type) -> None:
        original(cls)
        for _, widget in _registry.live():
            widget.close()

    close_all.__doc__ = original.__doc__
    widget_class.close_all = classmethod(close_all)


def _adapt_manager_state(widget_class: Any) -> None:
    # `Widget.get_manager_state()` (what embed_minimal_html saves when given no state) covers
    # every live widget: esmwidget's too.
    original = widget_class.get_manager_state

    def get_manager_state(drop_defaults: bool = False, widgets: Any = None) -> dict[str, Any]:
        result: dict[str, Any] = original(drop_defaults=drop_defaults, widgets=widgets)
        if widgets is None:
            for model_id, widget in _registry.live():
                embed = getattr(widget, "_get_embed_state", None)
                if embed is not None and model_id not in result["state"]:
                    result["state"][model_id] = embed(drop_defaults=drop_defaults)
        return result

    get_manager_state.__doc__ = original.__doc__
    widget_class.get_manager_state = staticmethod(get_manager_state)


# -- traits holding widgets ----------------------------------------------------------------


def _widen_traits(cls: type, widget_class: type) -> None:
    """Let `cls`'s container children and link ends hold esmwidget widgets.

    Only these two: they use nothing but a widget's model id. Traits elsewhere that take a
    `Widget` (AppLayout's areas, for one) then set its `layout`, which esmwidget widgets lack.
    """
    for name, trait in list(cls.__dict__.items()):
        children = name == "children" and cls.__name__ == "Box"
        if not (children or type(trait).__name__ == "WidgetTraitTuple"):
            continue
        for inner in (getattr(trait, "_trait", None), *(getattr(trait, "_traits", None) or ())):
            if getattr(inner, "klass", None) is widget_class and not getattr(inner, _MARK, False):
                inner.validate = _accepting_esmwidget(inner.validate)
                setattr(inner, _MARK, True)


def _accepting_esmwidget(validate: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def validate_widget(obj: Any, value: Any) -> Any:
        try:
            return validate(obj, value)
        except traitlets.TraitError:
            if esm_model_id(value) is None:
                raise
            return value

    return validate_widget


def _subclasses(cls: type) -> list[type]:
    seen: list[type] = [cls]
    sub: type
    for sub in cls.__subclasses__():
        seen.extend(s for s in _subclasses(sub) if s not in seen)
    return seen


# -- embedding -----------------------------------------------------------------------------


def adapt_embed(module: Any) -> None:
    """Let `ipywidgets.embed` follow references to esmwidget widgets.

    ``embed_minimal_html`` and Panel's IPyWidget pane collect the state of the widgets a page
    shows and of those they reference; `AnyWidget` has the embedding methods they call.
    """
    old = module._find_widget_refs_by_state
    if getattr(old, _MARK, False):
        return

    def find_widget_refs_by_state(widget: Any, state: dict[str, Any]) -> Any:
        yield from old(widget, state)
        for key in tuple(state):
            value = getattr(widget, key, None)
            items = value if isinstance(value, list | tuple) else [value]
            if isinstance(value, dict):
                items = list(value.values())
            yield from (item for item in items if _is_any_widget(item))

    setattr(find_widget_refs_by_state, _MARK, True)
    module._find_widget_refs_by_state = find_widget_refs_by_state


def _is_any_widget(item: Any) -> bool:
    from .._widgets.widget import AnyWidget  # noqa: PLC0415

    return isinstance(item, AnyWidget)


_ADAPTERS: dict[str, Callable[[Any], None]] = {_WIDGET_MODULE: adapt, _EMBED_MODULE: adapt_embed}


# -- the import hook -----------------------------------------------------------------------


# Plain classes with the finder and loader methods: importlib.abc costs 8 ms of import time.
class _Finder:
    """Finds nothing itself: wraps the loader of ipywidgets' `widget` module to adapt it.

    The other finders find the module; its loader is wrapped so that `adapt` runs right after.
    """

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in _ADAPTERS:
            return None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is None:
                    return None
                # A Loader by its methods, not by the importlib.abc base class.
                spec.loader = cast("Loader", _AdaptingLoader(spec.loader))
                return spec
        return None


class _AdaptingLoader:
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        module: types.ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        if all(name in sys.modules for name in _ADAPTERS) and _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        _ADAPTERS[module.__name__](module)


_FINDER = _Finder()
