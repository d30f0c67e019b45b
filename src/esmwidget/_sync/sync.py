"""One widget's sync with its views: what `AnyWidget` and described objects share.

`Sync` owns the channel and everything around it: batching (`hold_sync`), values just received
from the page (not sent back unless validation changed them), applying a front-end update (refuse
code and identity keys, echo, write once, correct what was rejected), custom messages and
commands, hot-reload events, closing, and the view bundle. The widget kind supplies only what
differs, through the `Owner` methods: how to read its state and how to write a patch into it.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .._env import echo_enabled
from .._wire.clean import clip, from_page, shorten
from .._wire.protocol import (
    FILE_RESPONSE_KIND,
    FILES_CHANGED_KIND,
    HMR_ERROR_KIND,
    HMR_OK_KIND,
    PROTECTED_PREFIXES,
    REFUSED_KIND,
    Refusal,
    RefusedMsg,
)
from . import registry as _registry
from .comm import Channel
from .control import ensure_control_target
from .hosts import mimebundle
from .inbox import Inbox, MsgCallback, call_each, is_protected, locked, register, same_in_js
from .pace import pacer
from .parts import Uploads

if TYPE_CHECKING:
    from pathlib import Path

    from .._assets.files import Files

__all__ = ["Owner", "Sync"]

logger = logging.getLogger("esmwidget")

PROTECTED_REASON = "code, style and identity keys are set from Python only."
# What one front-end message can produce: refusals told to the page, and keys named in a log line.
MAX_TOLD = 20
MAX_LOGGED = 5
MAX_REMEMBERED = 1000  # keys a page was told it may not write, per widget

# `write` tells `apply_update` which keys it echoes: called once, before any observer runs.
Echo = Callable[[Iterable[str]], None]
# A trait's `to_json(value, widget)` serializer.
ToJson = Callable[[Any, Any], Any]


class Owner(Protocol):
    """What a widget kind provides to its `Sync`."""

    def _esmwidget_read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        """The JSON form of `keys` (all when None), binary values kept as they are."""
        ...

    def _esmwidget_refusal(self, key: str) -> Refusal | None:
        """Why the page may not write `key`, or None when it may (protected keys never get here)."""
        ...

    def _esmwidget_write(self, patch: dict[str, Any], echo: Echo) -> dict[str, str]:
        """Validate and write `patch` (JSON values from the page), each value validated once.

        Calls `echo(keys)` with the keys it accepted, before any observer runs; returns the keys
        it rejected, each with the reason (their views are sent Python's value). Raises to
        reject the whole patch.
        """
        ...

    def _esmwidget_holds(self, key: str) -> bool:
        """Whether `key` is in the state Python sends (a protected key may be)."""
        ...

    def _esmwidget_echoes(self, key: str) -> bool:
        """Whether a front-end write of `key` is echoed (a trait tag ``echo_update=False``)."""
        ...

    def _esmwidget_asset_changed(self, key: str, text: str) -> bool:
        """Hot reload: take the new text of `key`; False when it is the text the views have."""
        ...

    def _esmwidget_asset_path(self, key: str) -> Path | None:
        """The file `key` (``_esm`` or ``_css``) is read from, if any."""
        ...

    def set_state(self, state: dict[str, Any]) -> None:
        """Apply a front-end update (overridable, as on ipywidgets)."""
        ...

    def _esmwidget_files(self) -> Files | None:
        """The files the module may load by relative URL (`_assets/files.py`), if any."""
        ...


class Sync:
    """The page side of one widget: a channel and what goes through it."""

    def __init__(
        self,
        owner: Owner,
        *,
        label: str,
        subject: Callable[[], Any],
        commands: dict[str, str],
    ) -> None:
        self.owner = owner
        self.label = label  # `_anywidget_id`, in log messages
        # What callbacks get as their first argument and commands run on: the widget, or the
        # described object (held weakly by its model).
        self.subject = subject
        self.commands = commands
        self.channel: Channel | None = None
        self.locks: list[dict[str, Any]] = []
        self.hold_depth = 0
        self.held: dict[str, None] = {}
        self.callbacks: list[MsgCallback] = []
        self.hmr_links: list[Any] = []
        self.on_closed: list[Callable[[], None]] = []
        self.tasks: set[Any] = set()  # async commands still running; cancelled at close
        self.uploads = Uploads()  # large binary values arriving in parts
        # Keys the page was told it may not write: told once, however often it tries.
        self.refused_keys: set[str] = set()
        self.inbox = Inbox(self)  # page -> kernel
        self.files_sent = 0  # the widget's own files sent to the page (each page asks once)

    # -- opening and identity ------------------------------------------------------------------

    def open(self, sources: dict[str, Any] | None = None) -> Channel:
        """Open the comm with the full state; follow the hot-reload `sources` from then on."""
        channel = self.channel = Channel(
            self.owner._esmwidget_read(None), self.inbox.receive, self.closed
        )
        _registry.add(channel.comm_id, self.owner)
        ensure_control_target()
        if sources:
            from .._assets.hmr import attach  # noqa: PLC0415 - psygnal only with hot reload

            self.hmr_links = attach(self, sources)
        return channel

    @property
    def live(self) -> bool:
        """The comm is open."""
        return self.channel is not None and not self.channel.closed

    def bundle(self, text: str, view: bool = True) -> dict[str, Any] | tuple[dict[str, Any], Any]:
        """The display data: `text`, and the view while the comm is open and `view` is true."""
        channel = self.channel
        model_id = channel.comm_id if view and channel is not None and not channel.closed else None
        return mimebundle(text, model_id)

    # -- Python -> page --------------------------------------------------------------------------

    def send_state(self, keys: Iterable[str] | None = None) -> None:
        """Send `keys` (all when None) as one ``update``, after any paced update (`_pace`)."""
        pacer.flush()
        self.send_now(keys)

    def send_now(self, keys: Iterable[str] | None = None) -> None:
        """Send `keys` (all when None) as one ``update``, with the values they have now."""
        if self.channel is not None:
            self.channel.send_state("update", self.owner._esmwidget_read(keys))

    def changed(self, names: Sequence[str]) -> None:
        """Python changed these keys: send them, the one place that decides how.

        They go now, at the end of the `hold_sync` block, or, faster than the server lets
        through, as soon as the pace allows (`_pace`); a key the page is writing now is left to
        `apply_update`, which answers for it.
        """
        channel = self.channel
        if channel is None or channel.closed:
            return
        if self.hold_depth:
            self.held.update(dict.fromkeys(names))
            return
        if self.locks:
            names = [name for name in names if self.should_send(name)]
            if not names:
                return
        if channel.paced and not pacer.allow():
            pacer.defer(self, names)
        else:
            self.send_now(names)

    def set_by_python(self, name: str, value: Any, to_json: ToJson | None) -> None:
        """A trait set: `changed`, with its fast path, the value sent as is (no state read)."""
        channel = self.channel
        if channel is None or channel.closed:
            return
        if self.hold_depth or self.locks:
            self.changed((name,))
        elif channel.paced and not pacer.allow():
            pacer.defer(self, (name,))
        else:
            channel.send_update(name, value if to_json is None else to_json(value, self.owner))

    def should_send(self, name: str) -> bool:
        """False for a key the page is writing now (`apply_update` answers for those)."""
        return not locked(self.locks, name)

    @contextlib.contextmanager
    def hold_sync(self) -> Iterator[None]:
        """Batch the changes made inside the block into one ``update`` at its end."""
        self.hold_depth += 1
        try:
            yield
        finally:
            self.hold_depth -= 1
            if self.hold_depth == 0 and self.held:
                held, self.held = list(self.held), {}
                self.changed(held)

    def send(self, content: Any, buffers: Sequence[Any] | None = None) -> None:
        """Send a custom message to the module (``model.on("msg:custom", ...)``)."""
        if self.channel is not None:
            pacer.flush()
            self.channel.send_custom(content, list(buffers or ()))

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Register ``callback(subject, content, buffers)`` for the module's custom messages."""
        register(self.callbacks, callback, remove=remove)

    def dispatch(self, content: Any, buffers: list[bytes]) -> None:
        """Hand a custom message to every callback; one that raises is reported to the page."""
        call_each(self.callbacks, (self.subject(), content, buffers), self.label, self.reply)

    # -- page -> Python --------------------------------------------------------------------------

    def apply_update(self, state: dict[str, Any]) -> None:
        """Apply what the page sent; views get Python's value where it kept another, and why."""
        patch: dict[str, Any] = {}
        refused: list[Refusal] = []
        corrections: list[str] = []  # keys whose views must be sent Python's value
        for key, value in state.items():
            if is_protected(key):
                refused.append(
                    Refusal(key=clip(key, 200), why="protected", reason=PROTECTED_REASON)
                )
                corrections.append(key)
                continue
            refusal = self.owner._esmwidget_refusal(key)
            if refusal is not None:
                refused.append(refusal)
                continue
            try:
                patch[key], repaired = from_page(value)
            except (ValueError, RecursionError) as error:
                reason = str(error) if isinstance(error, ValueError) else "it is nested too deeply"
                refused.append(Refusal(key=key, why="invalid", reason=reason, value=shorten(value)))
                corrections.append(key)
                continue
            if repaired:
                corrections.append(key)  # the views hold the text before the repair
        rejected: dict[str, str] = {}
        if patch:
            lock = dict(patch)
            self.locks.append(lock)
            try:
                with self.hold_sync():
                    rejected = self.owner._esmwidget_write(
                        patch, lambda keys: self.echo(patch, keys)
                    )
                    corrections += self.kept_otherwise(patch, rejected)
            except Exception as error:
                rejected = dict.fromkeys(patch, str(error) or type(error).__name__)
            finally:
                self.locks.remove(lock)
        for key, reason in rejected.items():
            value = shorten(state[key])
            refused.append(Refusal(key=key, why="invalid", reason=clip(reason), value=value))
        corrections += [key for key in rejected if key not in corrections]
        self.correct(corrections)
        self.refuse(refused)

    def kept_otherwise(self, patch: dict[str, Any], rejected: dict[str, str]) -> list[str]:
        """Accepted keys of `patch` that Python holds otherwise than sent (a clamp, a cast)."""
        accepted = [key for key in patch if key not in rejected]
        try:
            now = self.owner._esmwidget_read(accepted)
        except Exception:
            return accepted
        return [key for key in accepted if not same_in_js(now.get(key), patch[key])]

    def correct(self, keys: Iterable[str]) -> None:
        """Send Python's value of each of `keys` it holds: the views may hold another."""
        held = [key for key in keys if self.owner._esmwidget_holds(key)]
        if held:
            self.send_state(held)

    def refuse(self, refused: list[Refusal]) -> None:
        """Log the refusals, a few lines at most; tell the page those it should hear of."""
        if not refused:
            return
        for why in ("protected", "unsynced", "unknown", "invalid"):
            group = [r for r in refused if r["why"] == why]
            if group:
                logger.warning("esmwidget: %s %s", self.label, _log_line(why, group))
        news = [r for r in refused if self.tells(r)]
        if news and self.channel is not None:
            pacer.flush()
            told = RefusedMsg(kind=REFUSED_KIND, refused=news[:MAX_TOLD])
            if len(news) > MAX_TOLD:
                told["more"] = len(news) - MAX_TOLD
            self.channel.send_custom(told, [])

    def tells(self, refusal: Refusal) -> bool:
        """Whether the page hears of `refusal`: each rejected value, other keys once each.

        A key that is not the widget's state at all stays in the kernel log: modules set such
        keys for their own views on purpose (plotly's FigureWidget does), and ipywidgets ignores
        them silently too.
        """
        why, key = refusal["why"], refusal["key"]
        if why == "invalid":
            return True
        if why == "unknown" or key in self.refused_keys or len(self.refused_keys) >= MAX_REMEMBERED:
            return False
        self.refused_keys.add(key)
        return True

    def echo(self, patch: dict[str, Any], keys: Iterable[str]) -> None:
        """Send ``echo_update`` for the accepted `keys` of `patch`, as received."""
        if self.channel is None or not echo_enabled():
            return
        echoed = {k: patch[k] for k in keys if self.owner._esmwidget_echoes(k)}
        if echoed:
            pacer.flush()
            self.channel.send_state("echo_update", echoed)

    # -- hot reload (the listener `_hmr.attach` connects) --------------------------------------

    def _esmwidget_hmr_update(self, key: str, text: str) -> None:
        if not self.owner._esmwidget_asset_changed(key, text):
            # Back after a deletion with the same text: no state change, so tell the views to
            # drop their hot-reload error.
            self.send({"kind": HMR_OK_KIND, "key": key})

    def _esmwidget_hmr_assets(self, changed: dict[Path, str]) -> None:
        """Files the page loaded were saved, deleted or are back (path -> the name it asked for).

        For saved ones, the page forgets them and loads the module again; a deleted one is shown
        above the views, which keep what they show, as a deleted module is, until it is back.
        """
        back = sorted(name for path, name in changed.items() if path.exists())
        if back:
            self.send({"kind": FILES_CHANGED_KIND, "paths": back})
        for path, name in sorted(changed.items(), key=lambda item: item[1]):
            key = f"file:{name}"
            if name in back:
                self.send({"kind": HMR_OK_KIND, "key": key})
                continue
            # The views keep what they show, as for a deleted module.
            message = f"{name} was deleted (or renamed); the widget loads it again once it is back."
            self.send({"kind": HMR_ERROR_KIND, "key": key, "message": message, "path": str(path)})

    def _esmwidget_hmr_failed(self, key: str, message: str) -> None:
        path = self.owner._esmwidget_asset_path(key)
        error = {"kind": HMR_ERROR_KIND, "key": key, "message": message}
        self.send({**error, "path": str(path)} if path is not None else error)

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the comm: the views go away, and everything the widget held is let go."""
        if self.channel is not None and not self.channel.closed:
            pacer.flush()
            self.channel.close()
        self.closed()

    def closed(self) -> None:
        """The comm closed (from either side)."""
        channel = self.channel
        if channel is not None:
            _registry.discard(channel.comm_id)
            with contextlib.suppress(Exception):
                channel.comm.on_msg(None)
                channel.comm.on_close(None)
        self.callbacks.clear()
        self.uploads.clear()
        pacer.forget(self)
        for task in list(self.tasks):
            task.cancel()  # the page's invoke() rejected at close; nothing waits for the reply
        if self.hmr_links:
            from .._assets.hmr import detach  # noqa: PLC0415

            detach(self.hmr_links)
            self.hmr_links = []
        for callback in self.on_closed:
            with contextlib.suppress(Exception):
                callback()
        self.on_closed.clear()

    def send_file(self, request: dict[str, Any]) -> None:
        """Answer the page's request for one of the widget's own files: its bytes, or why not.

        A refused or missing file is one log line and an error the page's fetch sees; nothing
        outside the offered files is read.
        """
        from .._assets.files import FileError, read_offered  # noqa: PLC0415 - widgets with files

        request_id, path = request.get("id"), request.get("path")
        if not isinstance(request_id, str) or not isinstance(path, str):
            logger.warning("esmwidget: %s ignored a file request without id or path", self.label)
            return
        answer: dict[str, Any] = {"kind": FILE_RESPONSE_KIND, "id": request_id, "path": path}
        files = self.owner._esmwidget_files()
        try:
            data, media, real = read_offered(files, self.label, path)
        except FileError as error:
            logger.warning("esmwidget: %s", error)
            self.reply({**answer, "error": {"status": error.status, "message": str(error)}}, [])
            return
        self.files_sent += 1
        self.reply({**answer, "type": media}, [data])
        if real is not None:
            self._follow_file(real, path)

    def _follow_file(self, real: Path, name: str) -> None:
        """With hot reload on, watch a file the page loaded as `name` (`_esmwidget_hmr_assets`)."""
        from .._assets.hmr import WatchedFile  # noqa: PLC0415

        for source, _, _ in self.hmr_links:
            if isinstance(source, WatchedFile) and not source.stylesheet:
                source.add_asset(real, name)
                return

    def reply(self, content: Any, buffers: Sequence[Any] = ()) -> None:
        if self.channel is not None:
            pacer.flush()
            self.channel.send_custom(content, buffers)


def not_synced(key: str, owner: str, known: Iterable[str]) -> Refusal:
    """The page may not write `key`: `owner` syncs only `known` (and a close match, if any)."""
    names = sorted(k for k in known if not k.startswith(PROTECTED_PREFIXES) and not is_protected(k))
    close = [] if len(key) > 100 else difflib.get_close_matches(key, names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    listed = clip(", ".join(map(repr, names)), 200) or "none"
    reason = f"{owner} has no synced state {shorten(key)} (it syncs {listed}).{hint}"
    return Refusal(key=key, why="unknown", reason=reason)


def _log_line(why: str, group: list[Refusal]) -> str:
    """One log line for the refusals of one kind in a message: a few named, the rest counted."""
    first = group[0]
    if len(group) == 1:
        key, reason = first["key"], first["reason"]
        if why == "invalid":
            return f"rejected front-end value {first.get('value')} for {key!r}: {reason}"
        verb = "refused a front-end write to" if why == "protected" else "ignored front-end key"
        return f"{verb} {shorten(key)}: {reason}"
    names = ", ".join(shorten(r["key"]) for r in group[:MAX_LOGGED])
    if len(group) > MAX_LOGGED:
        names += f" and {len(group) - MAX_LOGGED} more"
    if why == "invalid":
        return f"rejected {len(group)} front-end values ({names}); the first: {first['reason']}"
    verb = "refused front-end writes to" if why == "protected" else "ignored"
    return f"{verb} {len(group)} front-end keys ({names}): {first['reason']}"
