"""Widgets from any Python object: `MimeBundleDescriptor` placed as `_repr_mimebundle_`."""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import _registry
from ._assets import PLACEHOLDER_ESM, Asset, live_source, resolve_asset
from ._comm import Channel, Incoming
from ._commands import collect_commands
from ._control import ensure_control_target
from ._env import echo_enabled
from ._hosts import mimebundle
from ._inbox import (
    MsgCallback,
    call_each,
    is_protected,
    no_reply,
    register,
    route,
    sent_by_front_end,
)
from ._protocol import (
    HMR_ERROR_KIND,
    HMR_OK_KIND,
    MODEL_NAME,
    MODULE_NAME,
    REFERENCE_PREFIX,
    VIEW_NAME,
)
from ._state import StateAdapter, adapter_for
from ._version import MODULE_VERSION
from ._warnings import warn_user

__all__ = ["MimeBundleDescriptor", "ObjectModel", "model_for"]

logger = logging.getLogger("esmwidget")
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
    """The comm-side model of one described object: state sync, messages, commands, HMR."""

    _model_name = MODEL_NAME
    _model_module = MODULE_NAME
    _model_module_version = MODULE_VERSION

    def __init__(self, obj: Any, descriptor: MimeBundleDescriptor[Any]) -> None:
        self.descriptor = descriptor
        self.adapter: StateAdapter = adapter_for(obj)
        self.extra: dict[str, Any] = {
            "_esm": descriptor.assets["_esm"].text,
            "_css": descriptor.assets["_css"].text,
            "_anywidget_id": descriptor.owner_name,
            **descriptor.extra_state,
        }
        self._channel: Channel | None = None
        self._callbacks: list[MsgCallback] = []
        self._locks: list[dict[str, Any]] = []
        self._hold: list[str] | None = None
        self._hmr_links: list[Any] = []
        self._disconnect: Callable[[], None] | None = None
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

    # -- identity and display --------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """The model id; opens the comm if it is not open yet."""
        return self._open().comm_id

    def __call__(self, **kwargs: Any) -> dict[str, Any] | tuple[dict[str, Any], Any] | None:
        """Return the mimebundle (IPython calls ``obj._repr_mimebundle_(include, exclude)``)."""
        del kwargs
        obj = self.target()
        channel = self._open()
        if self.descriptor.no_view or channel.closed:
            return None
        return mimebundle(repr(obj), channel.comm_id)

    def get_state(self, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """The full (or partial) state: identity, `_esm`/`_css`, extra keys and the object's."""
        obj = self.target()
        state: dict[str, Any] = {
            "_model_name": MODEL_NAME,
            "_model_module": MODULE_NAME,
            "_model_module_version": MODULE_VERSION,
            "_view_name": None if self.descriptor.no_view else VIEW_NAME,
            "_view_module": MODULE_NAME,
            "_view_module_version": MODULE_VERSION,
            "_view_count": None,
            **self.extra,
            **({} if obj is None else _references(self.adapter.get(obj))),
        }
        return state if keys is None else {k: state[k] for k in keys if k in state}

    def _open(self) -> Channel:
        if self._channel is None:
            # Start from the latest save or %%vfile text (the class may be older than both),
            # and connect the listeners only once the channel exists.
            sources = self._asset_sources()
            self._channel = Channel(self.get_state(), self._on_message, self._on_peer_close)
            _registry.add(self._channel.comm_id, self)
            ensure_control_target()
            self._follow()
            if sources:
                from ._hmr import attach  # noqa: PLC0415

                self._hmr_links = attach(self, sources)
        return self._channel

    # -- Python -> front end ---------------------------------------------------------------

    def send_state(self, keys: Sequence[str] | None = None) -> None:
        """Send the current values of `keys` (all when None) as one ``update``."""
        if self._channel is not None:
            self._channel.send_state("update", self.get_state(keys))

    def changed(self, *names: str) -> None:
        """Tell the front end that these fields changed (called by the observers)."""
        if self._channel is None or self._channel.closed:
            return
        if self._hold is not None:
            self._hold.extend(names)
            return
        keys = [name for name in names if self._should_send(name)]
        if keys:
            self.send_state(keys)

    @contextlib.contextmanager
    def hold_sync(self) -> Iterator[None]:
        """Batch the changes made inside the block into one ``update``."""
        outer = self._hold is None
        if outer:
            self._hold = []
        try:
            yield
        finally:
            if outer:
                held, self._hold = self._hold or [], None
                self.changed(*dict.fromkeys(held))

    def _should_send(self, name: str) -> bool:
        return not sent_by_front_end(self._locks, name, lambda: self.get_state([name]).get(name))

    def send(self, content: Any, buffers: Sequence[Any] | None = None) -> None:
        """Send a custom message to the module (``model.on("msg:custom", ...)``)."""
        self._open().send_custom(content, list(buffers or ()))

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Register ``callback(obj, content, buffers)`` for custom messages from the module."""
        register(self._callbacks, callback, remove=remove)

    def _follow(self) -> None:
        obj = self.target()
        if obj is None or not self.descriptor.autodetect_observer:
            return
        events = getattr(obj, "events", None)
        group = _signal_group(events)
        if group is not None:
            group.connect(self._on_psygnal)
            self._disconnect = lambda: group.disconnect(self._on_psygnal)
            return
        if self.adapter.kind == "traitlets":
            obj.observe(self._on_traitlets)
            self._disconnect = lambda: obj.unobserve(self._on_traitlets)
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

    # -- front end -> Python ---------------------------------------------------------------

    def _on_message(self, incoming: Incoming) -> None:
        obj = self.target()
        if obj is None or self._channel is None:
            return
        route(
            incoming,
            label=self.extra["_anywidget_id"],
            owner=obj,
            commands=self.descriptor.commands,
            on_custom=partial(self._dispatch, obj),
            reply=self._channel.send_custom,
            on_update=partial(self._apply_update, obj),
            on_request_state=self.send_state,
        )

    def _dispatch(self, obj: Any, content: Any, buffers: list[bytes]) -> None:
        reply = self._channel.send_custom if self._channel is not None else no_reply
        call_each(self._callbacks, (obj, content, buffers), self.extra["_anywidget_id"], reply)

    def _apply_update(self, obj: Any, state: dict[str, Any]) -> None:
        owner = self.extra["_anywidget_id"]
        allowed = self.adapter.fields(obj)
        patch = {}
        for key, value in state.items():
            if is_protected(key) or key in self.extra:
                logger.warning("esmwidget: %s refused a front-end write to %r", owner, key)
            elif key not in allowed:
                logger.warning("esmwidget: %s ignored front-end key %r", owner, key)
            else:
                patch[key] = _resolve_references(value)
        if not patch:
            return
        try:
            values = self.adapter.validate(obj, patch)
        except Exception as error:
            logger.warning("esmwidget: %s rejected the update %r: %s", owner, patch, error)
            self.send_state(list(patch))
            return
        if echo_enabled() and self._channel is not None:
            self._channel.send_state("echo_update", {k: state[k] for k in patch})
        lock = dict(patch)
        self._locks.append(lock)
        try:
            with self.hold_sync():
                self.adapter.apply(obj, values)
        except Exception as error:
            logger.warning("esmwidget: %s could not apply %r: %s", owner, patch, error)
            self.send_state(list(patch))
        finally:
            self._locks.remove(lock)

    # -- HMR -------------------------------------------------------------------------------

    def _asset_sources(self) -> dict[str, Any]:
        sources: dict[str, Any] = {}
        for key, asset in self.descriptor.assets.items():
            source = live_source(asset)
            if source is not None:
                asset.text = self.extra[key] = source.text
                sources[key] = source
        return sources

    def _esmwidget_hmr_update(self, key: str, text: str) -> None:
        self.descriptor.assets[key].text = text
        if self.extra.get(key) == text:
            self.send({"kind": HMR_OK_KIND, "key": key})
            return
        self.extra[key] = text
        self.send_state([key])

    def _esmwidget_hmr_failed(self, key: str, message: str) -> None:
        path = self.descriptor.assets[key].path
        error = {"kind": HMR_ERROR_KIND, "key": key, "message": message}
        self.send({**error, "path": str(path)} if path is not None else error)

    # -- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the comm (also done automatically when the object is collected)."""
        if self._channel is not None and not self._channel.closed:
            self._channel.close()
        self._release()

    def _on_peer_close(self) -> None:
        self._release()

    def _release(self) -> None:
        if self._channel is not None:
            _registry.discard(self._channel.comm_id)
        if self._disconnect is not None:
            with contextlib.suppress(Exception):
                self._disconnect()
            self._disconnect = None
        if self._hmr_links:
            from ._hmr import detach  # noqa: PLC0415

            detach(self._hmr_links)
            self._hmr_links = []
        self._callbacks.clear()


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


def _references(state: dict[str, Any]) -> dict[str, Any]:
    return {key: _to_reference(value) for key, value in state.items()}


def _to_reference(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _to_reference(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_reference(v) for v in value]
    model_id = getattr(value, "model_id", None)
    if isinstance(model_id, str) and hasattr(value, "_model_name"):
        return REFERENCE_PREFIX + model_id
    return value


def _resolve_references(value: Any) -> Any:
    from ._serialization import widget_serialization  # noqa: PLC0415

    return widget_serialization["from_json"](value, None)


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        warn_user(message)
