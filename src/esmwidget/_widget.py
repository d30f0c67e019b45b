"""`AnyWidget`: a traitlets object whose synced traits drive an ES module in the browser."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar, cast

import traitlets

from . import _registry
from ._assets import PLACEHOLDER_ESM, Asset, live_source
from ._comm import Channel, Incoming
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
from ._ipywidgets import announce
from ._protocol import (
    HMR_ERROR_KIND,
    HMR_OK_KIND,
    MODEL_NAME,
    MODULE_NAME,
    VIEW_NAME,
)
from ._traits import AnyWidgetMeta, AssetTrait
from ._version import MODULE_VERSION

__all__ = ["AnyWidget"]

logger = logging.getLogger("esmwidget")


class AnyWidget(traitlets.HasTraits, metaclass=AnyWidgetMeta):
    """Base class for widgets whose front end is an ES module.

    Subclass it, give `_esm` and optionally `_css`, and tag the traits to share with the browser
    with ``.tag(sync=True)``. Each instance opens exactly one comm when it is created.

    `_esm` / `_css` may be inline source, a `pathlib.Path`, a one-line file name ending in
    ``.js``/``.mjs``/``.css``, ``vfile:NAME`` (a ``%%vfile`` cell), or an http(s) URL. Files
    hot-reload when ``ANYWIDGET_HMR=1``.

    Examples
    --------
    >>> import esmwidget, traitlets
    >>> class Counter(esmwidget.AnyWidget):
    ...     _esm = "export default { render({ model, el }) { el.textContent = 'hi' } }"
    ...     count = traitlets.Int(0).tag(sync=True)
    >>> Counter(count=2).count
    2
    """

    _model_name = traitlets.Unicode(MODEL_NAME).tag(sync=True)
    _model_module = traitlets.Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = traitlets.Unicode(MODULE_VERSION).tag(sync=True)
    _view_name = traitlets.Unicode(VIEW_NAME, allow_none=True).tag(sync=True)
    _view_module = traitlets.Unicode(MODULE_NAME).tag(sync=True)
    _view_module_version = traitlets.Unicode(MODULE_VERSION).tag(sync=True)
    _view_count = traitlets.Int(None, allow_none=True).tag(sync=True)
    _esm = AssetTrait(Asset(PLACEHOLDER_ESM)).tag(sync=True)
    _css = AssetTrait(Asset("")).tag(sync=True)
    _anywidget_id = traitlets.Unicode().tag(sync=True)

    _esmwidget_commands: ClassVar[dict[str, str]] = {}
    _esmwidget_sync: ClassVar[dict[str, dict[str, Any]] | None] = None
    _esmwidget_channel: Channel | None = None

    @traitlets.default("_anywidget_id")
    def _default_anywidget_id(self) -> str:
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    def __init__(self, **kwargs: Any) -> None:
        self._esmwidget_hold_depth = 0
        self._esmwidget_held_keys: dict[str, None] = {}
        self._esmwidget_locks: list[dict[str, Any]] = []
        self._esmwidget_msg_callbacks: list[MsgCallback] = []
        self._esmwidget_hmr_links: list[Any] = []
        super().__init__(**kwargs)
        self._esmwidget_watch_assets()
        self._esmwidget_channel = Channel(
            self.get_state(), self._esmwidget_on_message, self._esmwidget_on_peer_close
        )
        _registry.add(self._esmwidget_channel.comm_id, self)
        ensure_control_target()
        announce(self)

    # -- identity ---------------------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """The model id the front end knows this widget by (its comm id)."""
        assert self._esmwidget_channel is not None
        return self._esmwidget_channel.comm_id

    @property
    def _model_id(self) -> str:
        # The name ipywidgets and hosts built for it (marimo's `mo.ui.anywidget`) read.
        return self.model_id

    @property
    def comm(self) -> Any:
        """The underlying comm (None after close), for code written against ipywidgets.

        Hosts built on ipywidgets (Panel, shinywidgets) assign a comm of their own, opened with
        this widget's state and id; the widget then talks through it.
        """
        if self._esmwidget_channel is None or self._esmwidget_channel.closed:
            return None
        return self._esmwidget_channel.comm

    @comm.setter
    def comm(self, value: Any) -> None:
        channel = self._esmwidget_channel
        if value is None or channel is None:
            return
        channel.adopt(value)
        _registry.add(channel.comm_id, self)

    @property
    def keys(self) -> list[str]:
        """Names of the synced traits, in a stable order."""
        return list(_sync_keys(type(self)))

    # -- state ------------------------------------------------------------------------------

    def get_state(
        self, key: str | Iterable[str] | None = None, drop_defaults: bool = False
    ) -> dict[str, Any]:
        """Return the JSON form of synced traits (all, one name, or several), binary kept as is.

        `drop_defaults` is accepted for code written against ipywidgets and changes nothing:
        the front-end module has no defaults of its own, so every key is sent.

        Raises
        ------
        KeyError
            If a name is not a synced trait.
        """
        del drop_defaults
        keys = _sync_keys(type(self)) if key is None else [key] if isinstance(key, str) else key
        state: dict[str, Any] = {}
        traits = self._traits
        for name in keys:
            trait = traits.get(name)
            if trait is None or not trait.metadata.get("sync"):
                raise KeyError(self._esmwidget_not_synced(name, trait is None))
            to_json = trait.metadata.get("to_json")
            value = getattr(self, name)
            state[name] = value if to_json is None else to_json(value, self)
        return state

    # -- embedding (ipywidgets.embed, Panel, ipywidgets_bokeh) -----------------------------

    def get_view_spec(self) -> dict[str, Any]:
        """The view data ipywidgets' embedding writes for this widget."""
        return {"version_major": 2, "version_minor": 0, "model_id": self.model_id}

    def _get_embed_state(self, drop_defaults: bool = False) -> dict[str, Any]:
        # ipywidgets' per-widget embed entry, binary values as base64 buffers.
        del drop_defaults
        from ._export import manager_state  # noqa: PLC0415 - embedding only

        entry: dict[str, Any] = manager_state({self.model_id: self.get_state()})["state"]
        return dict(entry[self.model_id])

    @staticmethod
    def get_manager_state(
        drop_defaults: bool = False, widgets: Iterable[Any] | None = None
    ) -> dict[str, Any]:
        """The widget-state document of `widgets` (all live esmwidget widgets when None)."""
        chosen = [w for _, w in _registry.live()] if widgets is None else list(widgets)
        state = {w.model_id: w._get_embed_state(drop_defaults) for w in chosen}
        return {"version_major": 2, "version_minor": 0, "state": state}

    def set_state(self, state: dict[str, Any]) -> None:
        """Apply state in the front end's JSON form, exactly as an ``update`` from it is applied.

        Code, style and identity keys are refused, values are validated and echoed; hosts that
        deliver front-end changes through this method (marimo) get the same rules as the comm.
        """
        self._esmwidget_apply_update(dict(state))

    def _esmwidget_not_synced(self, name: str, missing: bool) -> str:
        own = [k for k in self.keys if not k.startswith("_")] or ["none yet"]
        problem = (
            f"has no trait named {name!r}"
            if missing
            else f"has a trait {name!r}, but it is not tagged sync=True"
        )
        return (
            f"{type(self).__qualname__} {problem}. Its synced traits are: {', '.join(own)}. "
            "Declare it as `name = traitlets.<Type>(...).tag(sync=True)`."
        )

    def send_state(self, key: str | Iterable[str] | None = None) -> None:
        """Send synced traits (all when `key` is None) to the front end as one ``update``."""
        if self._esmwidget_channel is not None:
            self._esmwidget_channel.send_state("update", self.get_state(key))

    @contextlib.contextmanager
    def hold_sync(self) -> Iterator[None]:
        """Batch every synced change made inside the block into a single ``update`` at its end."""
        self._esmwidget_hold_depth += 1
        try:
            yield
        finally:
            self._esmwidget_hold_depth -= 1
            if self._esmwidget_hold_depth == 0 and self._esmwidget_held_keys:
                keys = [k for k in self._esmwidget_held_keys if self._esmwidget_should_send(k)]
                self._esmwidget_held_keys = {}
                if keys:
                    self.send_state(keys)

    def notify_change(self, change: traitlets.Bunch) -> None:
        """Send a synced trait's new value to the front end, then run the observers."""
        channel = self._esmwidget_channel
        if channel is not None and not channel.closed:
            sync = self._esmwidget_sync
            if sync is None:
                sync = _sync_table(type(self))
            name = change["name"]
            metadata = sync.get(name)
            if metadata is not None and change.get("type") == "change":
                if self._esmwidget_hold_depth:
                    self._esmwidget_held_keys[name] = None
                elif not self._esmwidget_locks:
                    # The hot path (a Python-side set): send the new value without a state walk.
                    to_json = metadata.get("to_json")
                    value = change["new"]
                    channel.send_update(name, value if to_json is None else to_json(value, self))
                elif self._esmwidget_should_send(name):
                    self.send_state(name)
        super().notify_change(change)

    def _esmwidget_should_send(self, name: str) -> bool:
        # A value the front end just sent is not sent back unless validation changed it.
        locks = self._esmwidget_locks
        return not sent_by_front_end(locks, name, lambda: self.get_state(name)[name])

    # -- messages ---------------------------------------------------------------------------

    def send(self, content: Any, buffers: Sequence[Any] | None = None) -> None:
        """Send a custom message; the module receives it with ``model.on("msg:custom", ...)``."""
        if self._esmwidget_channel is not None:
            self._esmwidget_channel.send_custom(content, list(buffers or ()))

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Register (or with ``remove=True`` unregister) ``callback(widget, content, buffers)``.

        It is called for each custom message the front end sends with ``model.send(...)``. A
        callback that raises is shown in the widget's views and logged; the others still run.
        """
        if callback == cast("object", self._handle_custom_msg):
            # Code written for ipywidgets overrides `_handle_custom_msg` *and* registers it;
            # it is already called for every message (with `content, buffers`, not the widget).
            return
        register(self._esmwidget_msg_callbacks, callback, remove=remove)

    def _handle_custom_msg(self, content: Any, buffers: list[bytes]) -> None:
        """Hand a custom message from the front end to the `on_msg` callbacks.

        ipywidgets' hook of the same name: a subclass may override it, and is then called as
        ``self._handle_custom_msg(content, buffers)`` for each message instead.
        """
        channel = self._esmwidget_channel
        reply = channel.send_custom if channel is not None else no_reply
        call_each(
            self._esmwidget_msg_callbacks, (self, content, buffers), self._anywidget_id, reply
        )

    def _esmwidget_on_message(self, incoming: Incoming) -> None:
        channel = self._esmwidget_channel
        assert channel is not None
        route(
            incoming,
            label=self._anywidget_id,
            owner=self,
            commands=self._esmwidget_commands,
            on_custom=self._handle_custom_msg,
            reply=channel.send_custom,
            # Through the public method, as ipywidgets does: packages override set_state to
            # intercept what the page sends (chunked uploads, renamed keys).
            on_update=self.set_state,
            on_request_state=self.send_state,
        )

    def _esmwidget_apply_update(self, state: dict[str, Any]) -> None:
        accepted, rejected = self._esmwidget_validate_incoming(state)
        echo = {
            k: state[k]
            for k in accepted
            if self._traits[k].metadata.get("echo_update") is not False
        }
        if echo and echo_enabled() and self._esmwidget_channel is not None:
            self._esmwidget_channel.send_state("echo_update", echo)
        lock = {k: state[k] for k in accepted}
        self._esmwidget_locks.append(lock)
        try:
            with self.hold_sync(), self.hold_trait_notifications():
                for name, value in accepted.items():
                    # set_trait, as ipywidgets does: a `read_only` trait is read-only for Python
                    # code, and its module is what writes it (a zoom level, a selection).
                    self.set_trait(name, value)
        except Exception as error:
            logger.warning(
                "esmwidget: %s rejected the update %r: %s", self._anywidget_id, state, error
            )
            rejected.extend(accepted)
        finally:
            self._esmwidget_locks.remove(lock)
        if rejected and self._esmwidget_channel is not None:
            # Put the front end back in line with the values Python kept.
            self.send_state(dict.fromkeys(rejected))

    def _esmwidget_validate_incoming(
        self, state: dict[str, Any]
    ) -> tuple[dict[str, Any], list[str]]:
        accepted: dict[str, Any] = {}
        rejected: list[str] = []
        traits = self._traits
        owner = self._anywidget_id
        for name, raw in state.items():
            if is_protected(name):
                logger.warning(
                    "esmwidget: %s refused a front-end write to %r: code, style and identity "
                    "keys are set from Python only.",
                    owner,
                    name,
                )
                continue
            trait = traits.get(name)
            if trait is None or not trait.metadata.get("sync"):
                logger.warning(
                    "esmwidget: %s ignored front-end key %r: it is not a synced trait.", owner, name
                )
                continue
            try:
                from_json = trait.metadata.get("from_json")
                value = raw if from_json is None else from_json(raw, self)
                accepted[name] = trait._validate(self, value)
            except Exception as error:
                logger.warning(
                    "esmwidget: %s rejected front-end value %r for %r: %s", owner, raw, name, error
                )
                rejected.append(name)
        return accepted, rejected

    # -- hot module replacement ------------------------------------------------------------

    def _esmwidget_watch_assets(self) -> None:
        sources: dict[str, Any] = {}
        for key in ("_esm", "_css"):
            trait = self._traits.get(key)
            if not isinstance(trait, AssetTrait) or key in self._trait_values:
                continue  # not an asset, or given explicitly to this instance
            source = live_source(trait.asset)
            if source is not None:
                trait.asset.text = source.text  # new instances start from the latest save
                sources[key] = source
        if sources:
            from ._hmr import attach  # noqa: PLC0415

            self._esmwidget_hmr_links = attach(self, sources)

    def _esmwidget_hmr_update(self, key: str, text: str) -> None:
        trait = self._traits.get(key)
        if isinstance(trait, AssetTrait):
            trait.asset.text = text
        if getattr(self, key) == text:
            # Back after a deletion with the same text: no trait change, so tell the views to
            # drop their HMR error and render again.
            self.send({"kind": HMR_OK_KIND, "key": key})
            return
        setattr(self, key, text)

    def _esmwidget_hmr_failed(self, key: str, message: str) -> None:
        trait = self._traits.get(key)
        path = trait.asset.path if isinstance(trait, AssetTrait) else None
        error = {"kind": HMR_ERROR_KIND, "key": key, "message": message}
        self.send({**error, "path": str(path)} if path is not None else error)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the comm: the front end removes the views, and the widget can be collected."""
        channel = self._esmwidget_channel
        if channel is None or channel.closed:
            return
        channel.close()
        self._esmwidget_closed()

    def _esmwidget_on_peer_close(self) -> None:
        self._esmwidget_closed()

    def _esmwidget_closed(self) -> None:
        channel = self._esmwidget_channel
        if channel is not None:
            _registry.discard(channel.comm_id)
            channel.comm.on_msg(None)
            channel.comm.on_close(None)
        self._esmwidget_msg_callbacks.clear()
        if self._esmwidget_hmr_links:
            from ._hmr import detach  # noqa: PLC0415

            detach(self._esmwidget_hmr_links)
            self._esmwidget_hmr_links = []

    # -- display ----------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | tuple[dict[str, Any], Any]:
        del kwargs
        channel = self._esmwidget_channel
        shown = self._view_name is not None and channel is not None and not channel.closed
        model_id = channel.comm_id if shown and channel is not None else None
        return mimebundle(self._esmwidget_text_repr(), model_id)

    def _esmwidget_text_repr(self) -> str:
        # Cheap by design: scalar user traits only, cut short (anywidget #899).
        parts = []
        for name in self.keys:
            if name.startswith("_"):
                continue
            value = getattr(self, name)
            text = repr(value) if isinstance(value, int | float | str | bool) else "..."
            parts.append(f"{name}={text[:40]}")
        text = f"{type(self).__name__}({', '.join(parts)})"
        if self._esmwidget_channel is not None and self._esmwidget_channel.closed:
            text += " [closed]"
        return text if len(text) <= 110 else text[:107] + "..."


def _sync_keys(cls: type[AnyWidget]) -> tuple[str, ...]:
    # Cached per class; `add_traits` makes a new class, so the cache never goes stale.
    keys: tuple[str, ...] | None = cls.__dict__.get("_esmwidget_keys")
    if keys is None:
        keys = tuple(sorted(cls.class_traits(sync=True)))
        cls._esmwidget_keys = keys  # type: ignore[attr-defined]
    return keys


def _sync_table(cls: type[AnyWidget]) -> dict[str, dict[str, Any]]:
    # Synced name -> the trait's metadata dict (the live one: `.tag()` updates it in place, so
    # a `to_json` tagged later is still seen). Stored in the slot the metaclass gave `cls`.
    traits = cls.class_traits()
    table = {name: traits[name].metadata for name in _sync_keys(cls)}
    cls._esmwidget_sync = table
    return table
