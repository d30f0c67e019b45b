"""`AnyWidget`: a traitlets object whose synced traits drive an ES module in the browser."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

import traitlets

from .._assets.assets import PLACEHOLDER_ESM, Asset, live_source
from .._sync import registry as _registry
from .._sync.hosts import announce
from .._sync.inbox import MsgCallback
from .._sync.sync import Echo, Sync, not_synced
from .._wire.protocol import IDENTITY, Refusal
from .dom import DOM_KEYS, DomParts, dom_json
from .traits import AnyWidgetMeta, AssetTrait

if TYPE_CHECKING:
    from pathlib import Path

    from .._assets.files import Files
    from .._assets.hmr import Source

__all__ = ["AnyWidget"]

logger = logging.getLogger("esmwidget")


class AnyWidget(DomParts, traitlets.HasTraits, metaclass=AnyWidgetMeta):
    """Base class for widgets whose front end is an ES module.

    Subclass it, give `_esm` and optionally `_css`, and tag the traits to share with the browser
    with ``.tag(sync=True)``. Each instance opens exactly one comm when it is created.

    Like an ipywidgets DOM widget it has `layout` (with ipywidgets installed), `add_class`,
    `remove_class`, `tooltip` and `tabbable`; each is sent only once set.

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

    # The identity keys (_wire/protocol.py, IDENTITY), as traits.
    _model_name = traitlets.Unicode(IDENTITY["_model_name"]).tag(sync=True)
    _model_module = traitlets.Unicode(IDENTITY["_model_module"]).tag(sync=True)
    _model_module_version = traitlets.Unicode(IDENTITY["_model_module_version"]).tag(sync=True)
    _view_name = traitlets.Unicode(IDENTITY["_view_name"], allow_none=True).tag(sync=True)
    _view_module = traitlets.Unicode(IDENTITY["_view_module"]).tag(sync=True)
    _view_module_version = traitlets.Unicode(IDENTITY["_view_module_version"]).tag(sync=True)
    _view_count = traitlets.Int(IDENTITY["_view_count"], allow_none=True).tag(sync=True)
    _esm = AssetTrait(Asset(PLACEHOLDER_ESM)).tag(sync=True)
    _css = AssetTrait(Asset("")).tag(sync=True)
    _anywidget_id = traitlets.Unicode().tag(sync=True)

    _esmwidget_commands: ClassVar[dict[str, str]] = {}
    # What the module may load by relative URL (docs/front-end.md, "Files beside the module"):
    # set by the metaclass from `_files` or a file-backed `_esm`.
    _esmwidget_file_set: ClassVar[Files | None] = None
    _esmwidget_sync: ClassVar[dict[str, dict[str, Any]] | None] = None
    _esmwidget_link: Sync

    @traitlets.default("_anywidget_id")
    def _default_anywidget_id(self) -> str:
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    def setup_instance(self, *args: Any, **kwargs: Any) -> None:
        """Give the instance its link before any trait is set (traitlets calls this in ``__new__``).

        notify_change reads the link, and a subclass may set traits or register `on_msg`
        callbacks before it calls ``super().__init__()``, as ipywidgets allows; the link opens
        the comm in ``__init__``, so such values go out with the first state.
        """
        self._esmwidget_link = Sync(
            self, label="?", subject=lambda: self, commands=self._esmwidget_commands
        )
        self._esmwidget_dom = {}
        super().setup_instance(*args, **kwargs)

    def __init__(self, **kwargs: Any) -> None:
        link = self._esmwidget_link
        # `layout=`, `tooltip=`...: set before the comm opens, so they go with the first state.
        dom = {
            key: kwargs.pop(key) for key in DOM_KEYS if key in kwargs and not self.has_trait(key)
        }
        super().__init__(**kwargs)
        for key, value in dom.items():
            setattr(self, key, value)
        link.label = self._anywidget_id
        link.open(self._esmwidget_asset_sources())
        announce(self)

    # -- identity ---------------------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """The model id the front end knows this widget by (its comm id)."""
        channel = self._esmwidget_link.channel
        assert channel is not None
        return channel.comm_id

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
        link = self._esmwidget_link
        return link.channel.comm if link.live and link.channel is not None else None

    @comm.setter
    def comm(self, value: Any) -> None:
        channel = self._esmwidget_link.channel
        if value is None or channel is None:
            return
        channel.adopt(value)
        _registry.add(channel.comm_id, self)

    @property
    def keys(self) -> list[str]:
        """Names of the synced traits, in a stable order, and the DOM keys set (`layout`...)."""
        return [*_sync_keys(type(self)), *self._esmwidget_dom_keys()]

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
        keys = self.keys if key is None else [key] if isinstance(key, str) else key
        state: dict[str, Any] = {}
        traits = self._traits
        for name in keys:
            trait = traits.get(name)
            if trait is None and name in DOM_KEYS:
                state[name] = dom_json(getattr(self, name), self)
                continue
            if trait is None or not trait.metadata.get("sync"):
                raise KeyError(self._esmwidget_not_synced(name, trait is None))
            to_json = trait.metadata.get("to_json")
            value = getattr(self, name)
            state[name] = value if to_json is None else to_json(value, self)
        return state

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

    # -- embedding (ipywidgets.embed, Panel, ipywidgets_bokeh) -----------------------------

    def get_view_spec(self) -> dict[str, Any]:
        """The view data ipywidgets' embedding writes for this widget."""
        return {"version_major": 2, "version_minor": 0, "model_id": self.model_id}

    def _get_embed_state(self, drop_defaults: bool = False) -> dict[str, Any]:
        # ipywidgets' per-widget embed entry, binary values as base64 buffers.
        del drop_defaults
        from .._wire.saved_state import manager_state  # noqa: PLC0415 - embedding only

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
        Every update from the page goes through here, so a subclass may override it.
        """
        self._esmwidget_link.apply_update(dict(state))

    def send_state(self, key: str | Iterable[str] | None = None) -> None:
        """Send synced traits (all when `key` is None) to the front end as one ``update``."""
        self._esmwidget_link.send_state([key] if isinstance(key, str) else key)

    def hold_sync(self) -> contextlib.AbstractContextManager[None]:
        """Batch every synced change made inside the block into a single ``update`` at its end."""
        return self._esmwidget_link.hold_sync()

    def notify_change(self, change: traitlets.Bunch) -> None:
        """Send a synced trait's new value to the front end, then run the observers."""
        if change.get("type") == "change":
            sync = self._esmwidget_sync
            if sync is None:
                sync = _sync_table(type(self))
            metadata = sync.get(change["name"])
            if metadata is not None:
                link = self._esmwidget_link
                link.set_by_python(change["name"], change["new"], metadata.get("to_json"))
        super().notify_change(change)

    # -- what the link asks of this widget kind (_sync.Owner) -------------------------------

    def _esmwidget_read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        return self.get_state(keys)

    def _esmwidget_refusal(self, key: str) -> Refusal | None:
        trait = self._traits.get(key)
        if trait is not None and trait.metadata.get("sync"):
            return None
        name = type(self).__name__
        if trait is None:
            return not_synced(key, name, self.keys)
        reason = (
            f"{name}.{key} is a trait without .tag(sync=True), so the page cannot set it. "
            f"Declare it as `{key} = traitlets.{type(trait).__name__}(...).tag(sync=True)`."
        )
        return Refusal(key=key, why="unsynced", reason=reason)

    def _esmwidget_holds(self, key: str) -> bool:
        trait = self._traits.get(key)
        return trait is not None and bool(trait.metadata.get("sync"))

    def _esmwidget_echoes(self, key: str) -> bool:
        return self._traits[key].metadata.get("echo_update") is not False

    def _esmwidget_write(self, patch: dict[str, Any], echo: Echo) -> dict[str, str]:
        accepted: list[str] = []
        rejected: dict[str, str] = {}
        taken: dict[str, Any] = {}  # what each accepted key holds once set
        try:
            self._esmwidget_apply(patch, echo, accepted, rejected, taken)
        except Exception:
            if not all(_kept(self._trait_values.get(name), taken[name]) for name in accepted):
                raise  # a cross-validation (`@validate`) undid the values: they are refused
            # The values were taken; an observer of them raised. That is the observer's error,
            # not the page's: its traceback goes where the cell's output is (the page shows it
            # below the widget), and the values stand.
            traceback.print_exc()
        return rejected

    def _esmwidget_apply(
        self,
        patch: dict[str, Any],
        echo: Echo,
        accepted: list[str],
        rejected: dict[str, str],
        taken: dict[str, Any],
    ) -> None:
        traits = self._traits
        with self.hold_trait_notifications():
            for name, raw in patch.items():
                from_json = traits[name].metadata.get("from_json")
                try:
                    value = raw if from_json is None else from_json(raw, self)
                    old = self._trait_values.get(name)
                    if _NUMBERS.issuperset((type(old), type(value))) and (
                        type(old) is not type(value) and old == value
                    ):
                        # traitlets holds back cross-validation (`@validate`) in this block,
                        # and skips it for a value equal to the old one (`True` for 1): run it.
                        trait = traits[name]
                        value = trait._cross_validate(self, trait.validate(self, value))
                    # set_trait validates (once), and writes `read_only` traits too, as
                    # ipywidgets does: those are read-only for Python code, not for the module.
                    self.set_trait(name, value)
                except Exception as error:
                    rejected[name] = str(error) or type(error).__name__
                else:
                    accepted.append(name)
                    taken[name] = self._trait_values.get(name)
            echo(accepted)  # before the observers, which run as this block ends

    def _esmwidget_asset_changed(self, key: str, text: str) -> bool:
        trait = self._traits.get(key)
        if isinstance(trait, AssetTrait):
            trait.asset.text = text
        if getattr(self, key) == text:
            return False
        setattr(self, key, text)
        return True

    def _esmwidget_asset_path(self, key: str) -> Path | None:
        trait = self._traits.get(key)
        return trait.asset.path if isinstance(trait, AssetTrait) else None

    def _esmwidget_files(self) -> Files | None:
        return self._esmwidget_file_set

    def _esmwidget_asset_sources(self) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for key in ("_esm", "_css"):
            trait = self._traits.get(key)
            if not isinstance(trait, AssetTrait) or key in self._trait_values:
                continue  # not an asset, or given explicitly to this instance
            source = live_source(trait.asset)
            if source is not None:
                trait.asset.text = source.text  # new instances start from the latest save
                sources[key] = source
        return sources

    # -- messages ---------------------------------------------------------------------------

    def send(self, content: Any, buffers: Sequence[Any] | None = None) -> None:
        """Send a custom message; the module receives it with ``model.on("msg:custom", ...)``."""
        self._esmwidget_link.send(content, buffers)

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Register (or with ``remove=True`` unregister) ``callback(widget, content, buffers)``.

        It is called for each custom message the front end sends with ``model.send(...)``. A
        callback that raises is shown in the widget's views and logged; the others still run.
        """
        if callback == cast("object", self._handle_custom_msg):
            # Code written for ipywidgets overrides `_handle_custom_msg` *and* registers it;
            # it is already called for every message (with `content, buffers`, not the widget).
            return
        self._esmwidget_link.on_msg(callback, remove)

    def _handle_custom_msg(self, content: Any, buffers: list[bytes]) -> None:
        """Hand a custom message from the front end to the `on_msg` callbacks.

        ipywidgets' hook of the same name: a subclass may override it, and is then called as
        ``self._handle_custom_msg(content, buffers)`` for each message instead.
        """
        self._esmwidget_link.dispatch(content, buffers)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the comm: the front end removes the views, and the widget can be collected."""
        self._esmwidget_link.close()

    # -- display ----------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | tuple[dict[str, Any], Any]:
        del kwargs
        return self._esmwidget_link.bundle(self._esmwidget_text_repr(), self._view_name is not None)

    def _esmwidget_text_repr(self) -> str:
        # Cheap by design: scalar user traits only, cut short (anywidget #899).
        parts = []
        for name in _sync_keys(type(self)):
            if name.startswith("_"):
                continue
            value = getattr(self, name)
            text = repr(value) if isinstance(value, int | float | str | bool) else "..."
            parts.append(f"{name}={text[:40]}")
        text = f"{type(self).__name__}({', '.join(parts)})"
        if not self._esmwidget_link.live:
            text += " [closed]"
        return text if len(text) <= 110 else text[:107] + "..."


_NUMBERS = frozenset({bool, int, float})


def _kept(now: Any, taken: Any) -> bool:
    """Whether a key still holds what it was set to (a rollback puts the old value back)."""
    try:
        return now is taken or bool(now == taken)
    except Exception:  # an array, say, that does not compare to one answer: taken as undone
        return False


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
