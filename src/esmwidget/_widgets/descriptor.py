"""Widgets from any Python object: `MimeBundleDescriptor` placed as `_repr_mimebundle_`."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._assets.assets import PLACEHOLDER_ESM, Asset, live_source, resolve_asset
from .._assets.files import Files, files_for
from .._sync.commands import collect_commands
from .._sync.inbox import MsgCallback
from .._sync.sync import Echo, Sync, not_synced
from .._warnings import warn_user
from .._wire.protocol import IDENTITY, Refusal
from .serialization import from_references, to_references
from .state import StateAdapter, adapter_for

if TYPE_CHECKING:
    from .._assets.hmr import Source
    from .._sync.comm import Channel

__all__ = ["MimeBundleDescriptor", "ObjectModel", "model_for"]

T = TypeVar("T")
_warned: set[str] = set()


class MimeBundleDescriptor(Generic[T]):
    """Turn any object into a widget: put an instance on the class as ``_repr_mimebundle_``.

    Parameters
    ----------
    _esm, _css
        The module and stylesheet, as for `AnyWidget`: inline text, a `pathlib.Path`, a
        path-like string or an http(s) URL. File-backed values hot-reload with
        ``ANYWIDGET_HMR=1``.
    autodetect_observer
        Follow changes made in Python through psygnal events or traitlets observers.
    no_view
        Open the comm but show no view (a model other widgets reference).
    **extra_state
        More keys sent with the state.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> from esmwidget.experimental import MimeBundleDescriptor
    >>> @dataclass
    ... class Point:
    ...     x: int = 0
    ...     _repr_mimebundle_ = MimeBundleDescriptor(_esm="export default { render() {} }")
    """

    def __init__(
        self,
        *,
        _esm: str | Path | None = None,
        _css: str | Path | None = None,
        autodetect_observer: bool = True,
        no_view: bool = False,
        **extra_state: Any,
    ) -> None:
        self._values = {"_esm": _esm, "_css": _css}
        self.assets: dict[str, Asset] = {}
        self.autodetect_observer = autodetect_observer
        self.no_view = no_view
        self.extra_state = extra_state
        self.owner_name = "?"
        self.commands: dict[str, str] = {}
        self.name = "_repr_mimebundle_"
        # Resolve right away so a missing file fails where the class is defined.
        self._resolve("?")

    def _resolve(self, owner: str) -> None:
        self.assets = {
            "_esm": resolve_asset(owner, "_esm", self._values["_esm"])
            if self._values["_esm"] is not None
            else Asset(PLACEHOLDER_ESM),
            "_css": resolve_asset(owner, "_css", self._values["_css"])
            if self._values["_css"] is not None
            else Asset(""),
        }

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner_name = f"{owner.__module__}.{owner.__qualname__}"
        self._resolve(self.owner_name)
        self.commands = collect_commands(owner)

    def files(self) -> Files | None:
        """The files the class's module may load beside it (its file-backed `_esm`'s folder)."""
        return files_for(self.owner_name, self.assets["_esm"].path, None)

    def __get__(self, instance: T | None, owner: type[T] | None = None) -> Any:
        if instance is None:
            return self
        return model_for(instance, self)


_MODELS: dict[int, ObjectModel] = {}


def model_for(obj: Any, descriptor: MimeBundleDescriptor[Any] | None = None) -> ObjectModel:
    """The widget model of `obj`, created on first use (the comm opens at first display).

    Raises
    ------
    TypeError
        If `obj`'s class has no `MimeBundleDescriptor`.
    """
    model = _MODELS.get(id(obj))
    if model is not None and model.target() is obj:
        return model
    if descriptor is None:
        found = [
            value
            for klass in type(obj).__mro__
            for value in vars(klass).values()
            if isinstance(value, MimeBundleDescriptor)
        ]
        if not found:
            msg = (
                f"{type(obj).__qualname__} is not a widget: decorate the class with "
                "@esmwidget.experimental.widget(esm=...) or give it "
                "`_repr_mimebundle_ = MimeBundleDescriptor(_esm=...)`."
            )
            raise TypeError(msg)
        descriptor = found[0]
    model = ObjectModel(obj, descriptor)
    _MODELS[id(obj)] = model
    return model


class ObjectModel:
    """The comm-side model of one described object: a `Sync` and how to read and write it."""

    _model_name = IDENTITY["_model_name"]
    _model_module = IDENTITY["_model_module"]
    _model_module_version = IDENTITY["_model_module_version"]

    def __init__(self, obj: Any, descriptor: MimeBundleDescriptor[Any]) -> None:
        self.descriptor = descriptor
        self.adapter: StateAdapter = adapter_for(obj)
        self.extra: dict[str, Any] = {
            "_esm": descriptor.assets["_esm"].text,
            "_css": descriptor.assets["_css"].text,
            "_anywidget_id": descriptor.owner_name,
            **descriptor.extra_state,
        }
        try:
            self.target: Callable[[], Any] = weakref.ref(obj)
            weakref.finalize(obj, _finalize, id(obj), self)
        except TypeError:
            self.target = lambda: obj
            _warn_once(
                type(obj).__qualname__,
                f"{type(obj).__qualname__} objects cannot be weakly referenced, so their widget "
                "comm stays open until the kernel stops. Add `__slots__ = ('__weakref__',)` to "
                "the class (or remove __slots__) so it closes when the object is collected.",
            )
        self.link = Sync(
            self,
            label=descriptor.owner_name,
            subject=self.target,
            commands=descriptor.commands,
        )

    # -- identity and display --------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """The model id; opens the comm if it is not open yet."""
        return self._open().comm_id

    @property
    def comm(self) -> Any:
        """The comm (None after close); a host may give it one of its own, as on `AnyWidget`."""
        channel = self._open()
        return None if channel.closed else channel.comm

    @comm.setter
    def comm(self, value: Any) -> None:
        if value is not None:
            self._open().adopt(value)

    def __call__(self, **kwargs: Any) -> dict[str, Any] | tuple[dict[str, Any], Any] | None:
        """Return the mimebundle (IPython calls ``obj._repr_mimebundle_(include, exclude)``)."""
        del kwargs
        channel = self._open()
        if self.descriptor.no_view or channel.closed:
            return None
        return self.link.bundle(repr(self.target()))

    def get_state(self, keys: Iterable[str] | None = None) -> dict[str, Any]:
        """The full (or partial) state: identity, `_esm`/`_css`, extra keys and the object's."""
        obj = self.target()
        state: dict[str, Any] = {
            **IDENTITY,
            **({"_view_name": None} if self.descriptor.no_view else {}),
            **self.extra,
            **({} if obj is None else to_references(self.adapter.get(obj))),
        }
        return state if keys is None else {k: state[k] for k in keys if k in state}

    def _open(self) -> Channel:
        link = self.link
        if link.channel is None:
            # Start from the latest save or %%vfile text (the class may be older than both),
            # and follow the object's own events once the channel exists.
            link.open(self._asset_sources())
            self._follow()
        assert link.channel is not None
        return link.channel

    # -- Python -> front end ---------------------------------------------------------------

    def send_state(self, keys: Iterable[str] | None = None) -> None:
        """Send the current values of `keys` (all when None) as one ``update``."""
        self.link.send_state(keys)

    def changed(self, *names: str) -> None:
        """Tell the front end that these fields changed (called by the observers)."""
        self.link.changed(names)

    def hold_sync(self) -> contextlib.AbstractContextManager[None]:
        """Batch the changes made inside the block into one ``update``."""
        return self.link.hold_sync()

    def send(self, content: Any, buffers: Sequence[Any] | None = None) -> None:
        """Send a custom message to the module (``model.on("msg:custom", ...)``)."""
        self._open()
        self.link.send(content, buffers)

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Register ``callback(obj, content, buffers)`` for custom messages from the module."""
        self.link.on_msg(callback, remove)

    def set_state(self, state: dict[str, Any]) -> None:
        """Apply state in the front end's JSON form, as an ``update`` from it is applied."""
        self.link.apply_update(dict(state))

    def _follow(self) -> None:
        obj = self.target()
        if obj is None or not self.descriptor.autodetect_observer:
            return
        events = getattr(obj, "events", None)
        group = _signal_group(events)
        if group is not None:
            group.connect(self._on_psygnal)
            self.link.on_closed.append(lambda: group.disconnect(self._on_psygnal))
            return
        if self.adapter.kind == "traitlets":
            obj.observe(self._on_traitlets)
            self.link.on_closed.append(lambda: obj.unobserve(self._on_traitlets))
            return
        if not hasattr(obj, "_get_anywidget_state"):
            _warn_once(
                f"notifier:{type(obj).__qualname__}",
                f"esmwidget: changes made in Python to {type(obj).__qualname__} objects will not "
                "reach the front end: they emit no events. Use "
                "@esmwidget.experimental.dataclass (psygnal events), psygnal.evented, or a "
                "traitlets HasTraits; or call `obj._repr_mimebundle_.send_state()` after changes.",
            )

    def _on_psygnal(self, info: Any) -> None:
        signal = getattr(info, "signal", None)
        name = getattr(signal, "name", None)
        if isinstance(name, str):
            self.changed(name)

    def _on_traitlets(self, change: Any) -> None:
        obj = self.target()
        name = change["name"]
        if obj is not None and name in obj.traits(sync=True):
            self.changed(name)

    # -- what the link asks of this widget kind (_sync.Owner) ------------------------------

    def _esmwidget_read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        return self.get_state(keys)

    def _esmwidget_refusal(self, key: str) -> Refusal | None:
        obj = self.target()
        if obj is None:
            reason = f"the {self.descriptor.owner_name} object is gone"
            return Refusal(key=key, why="unknown", reason=reason)
        fields = self.adapter.fields(obj)
        if key not in self.extra and key in fields:
            return None
        return not_synced(key, self.descriptor.owner_name, fields)

    def _esmwidget_holds(self, key: str) -> bool:
        obj = self.target()
        if key in IDENTITY or key in self.extra:
            return True
        return obj is not None and key in self.adapter.fields(obj)

    def _esmwidget_echoes(self, key: str) -> bool:
        del key
        return True

    def _esmwidget_write(self, patch: dict[str, Any], echo: Echo) -> dict[str, str]:
        obj = self.target()
        if obj is None:
            return {}
        resolved = {key: from_references(value) for key, value in patch.items()}
        values = self.adapter.validate(obj, resolved)  # raises: the whole patch is refused
        echo(patch)
        self.adapter.apply(obj, values)
        return {}

    def _esmwidget_asset_changed(self, key: str, text: str) -> bool:
        self.descriptor.assets[key].text = text
        if self.extra.get(key) == text:
            return False
        self.extra[key] = text
        self.send_state([key])
        return True

    def _esmwidget_asset_path(self, key: str) -> Path | None:
        return self.descriptor.assets[key].path

    def _esmwidget_files(self) -> Files | None:
        return self.descriptor.files()

    def _asset_sources(self) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for key, asset in self.descriptor.assets.items():
            source = live_source(asset)
            if source is not None:
                asset.text = self.extra[key] = source.text
                sources[key] = source
        return sources

    # -- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the comm (also done automatically when the object is collected)."""
        self.link.close()


def _finalize(key: int, model: ObjectModel) -> None:
    if _MODELS.get(key) is model:
        del _MODELS[key]
    model.close()


def _signal_group(events: Any) -> Any:
    import sys  # noqa: PLC0415

    psygnal = sys.modules.get("psygnal")
    group_type = getattr(psygnal, "SignalGroup", None)
    if group_type is not None and isinstance(events, group_type):
        return events
    return None


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        warn_user(message)
