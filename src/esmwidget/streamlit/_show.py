"""`show()`: one widget as a Streamlit component, kept by key, talking both ways."""

from __future__ import annotations

import logging
import threading
from importlib import resources
from typing import Any

import comm
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from .._pages.export import with_dependencies
from .._sync import registry
from .._sync.inbox import is_protected
from .._widgets.widget import AnyWidget
from .._wire.saved_state import manager_state
from ._bridge import Page, PageComm, decode_page_message

__all__ = ["show"]

logger = logging.getLogger("esmwidget")

# The component's name in Streamlit's registry, and the protocol its page module speaks
# (js/src/streamlit/link.js PROTOCOL).
COMPONENT = "esmwidget.widget"
MODULE = "streamlit.js"
PROTOCOL = 1
# Where a session keeps its pages: a name no app picks for its own state.
SESSION_KEY = "__esmwidget_streamlit_pages__"
# The component's own key in `st.session_state`, apart from the app's names.
KEY_PREFIX = "esmwidget-"

_mount_lock = threading.Lock()
_mount: Any = None


def show(
    widget: Any, key: str | int | None = None, *, width: Any = "stretch", height: Any = "content"
) -> Any:
    """Show `widget` in the app and return it holding the page's latest state.

    `key` keeps the view's state across reruns, as it does for ``st.slider``: a widget made anew
    at each run starts from the values the page set. Without a key, the widget's class and how
    many widgets of that class this run has shown so far make one; give a key when a `show` is
    conditional. `width` and `height` are Streamlit's (``"stretch"``, ``"content"`` or pixels).

    Python's changes made before `show()` reach the page with this run; a change from another
    thread (a hot reload, a background task) reruns the session.
    """
    model = _model_of(widget)
    if model is None:
        st.error(
            f"esmwidget.streamlit.show() takes an esmwidget or anywidget widget (or an object "
            f"whose class has a MimeBundleDescriptor); got {type(widget).__qualname__}: "
            f"{_short(widget)}. Pass an instance of your AnyWidget subclass."
        )
        return widget
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        logger.warning("esmwidget.streamlit.show() ran outside `streamlit run`; nothing is shown.")
        return widget
    pages = _pages()
    pages.start(ctx.cursors)  # a new dict at every run
    name = _key(model, key, pages)
    page = pages.get(name)
    if page is None:
        page = pages[name] = Page(key=name, session_id=ctx.session_id)
    children = _children(model)
    _bind(page, model, children)
    changed = _read_page(page, model, children)
    if changed & pages.shown:
        # A widget this run already drew under another key changed: draw them all again.
        st.rerun()
    pages.shown.update(id(w) for w in [model, *children])
    component = _component()
    component(
        key=KEY_PREFIX + name,
        data=_run_data(page, model),
        on_outbox_change=_nothing,
        width=width,
        height=height,
    )
    return widget


def _model_of(widget: Any) -> Any:
    if isinstance(widget, AnyWidget):
        return widget
    try:
        from .._widgets.descriptor import model_for  # noqa: PLC0415 - described objects only

        return model_for(widget)
    except TypeError:
        return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Pages(dict[str, Page]):
    """A session's pages by key, and what the current run showed.

    Of the current run: the unkeyed shows by class, and the widgets drawn (by `id`).
    """

    run: object = None
    unkeyed: dict[str, int]
    shown: set[int]

    def start(self, run: object) -> None:
        """Forget the last run's shows when `run` is another run."""
        if self.run is not run:
            self.run, self.unkeyed, self.shown = run, {}, set()


def _pages() -> _Pages:
    pages = st.session_state.get(SESSION_KEY)
    if not isinstance(pages, _Pages):
        pages = _Pages()
        st.session_state[SESSION_KEY] = pages
    return pages


def _key(model: Any, key: str | int | None, pages: _Pages) -> str:
    if key is not None:
        name = str(key)
        if not name or "__" in name:
            msg = (
                f"esmwidget.streamlit.show(key={key!r}): a key is a non-empty string without "
                "'__' (Streamlit reserves it). Pass another key."
            )
            raise ValueError(msg)
        return name
    cls = type(model)
    base = f"{cls.__module__}.{cls.__qualname__}".replace("__", "_")
    n = pages.unkeyed.get(base, 0)
    pages.unkeyed[base] = n + 1
    return f"{base}-{n}"


def _bind(page: Page, model: Any, children: list[Any]) -> None:
    """Talk to `model` and its `children` through comms that reach `page`."""
    fresh = page.widget is not model
    page.widget = model
    for widget in [model, *children]:
        comm = getattr(widget, "comm", None)
        if not isinstance(comm, PageComm):
            if comm is None:
                continue  # closed, or an ipywidgets widget with no comm
            page_comm = PageComm(str(widget.model_id), _rerun)
            widget.comm = page_comm
            _forget(comm)
            comm = page_comm
        comm.pages.add(page)
    if fresh and page.page_state:
        # A widget made anew at this run: the page's values come back, as a keyed
        # Streamlit widget's do.
        model.set_state(dict(page.page_state))


def _forget(replaced: Any) -> None:
    """Drop the comm a widget opened before a page showed it from comm's registry.

    With no kernel, comm's default manager keeps every comm (and so every widget made at every
    run) for the life of the process.
    """
    manager = comm.get_comm_manager()
    registered = manager.comms.get(replaced.comm_id)
    if registered is not None and registered is replaced:
        manager.unregister_comm(registered)


def _children(model: Any) -> list[Any]:
    """The widgets `model` references, directly or through others."""
    found = []
    for model_id in with_dependencies([model], _state_of):
        widget = registry.get(model_id)
        if widget is not None and widget is not model and hasattr(widget, "comm"):
            found.append(widget)
    return found


def _state_of(model: Any) -> dict[str, Any]:
    state: dict[str, Any] = model.get_state()
    return state


def _read_page(page: Page, model: Any, children: list[Any]) -> set[int]:
    """Apply what the page wrote since the last run, in order, each message once.

    Returns the widgets (by `id`) the messages went to.
    """
    touched: set[int] = set()
    state = st.session_state.get(KEY_PREFIX + page.key)
    outbox = state.get("outbox") if isinstance(state, dict) else None
    if not isinstance(outbox, dict):
        return touched
    instance = outbox.get("instance")
    if not isinstance(instance, str):
        return touched
    if instance != page.instance:
        page.instance, page.read = instance, 0
    seen = outbox.get("seen")
    if isinstance(seen, int):
        page.confirmed(instance, seen)
    messages = outbox.get("messages")
    # A page reaches only the widgets it shows: never another session's by a guessed id.
    shown = {str(child.model_id): child for child in children}
    page_keys: set[str] = set()
    for message in messages if isinstance(messages, list) else []:
        # A message stays in the page's outbox until Python's answer reaches the page: skip what
        # was read (a malformed one too, so its warning is logged once).
        seq = message.get("seq") if isinstance(message, dict) else None
        if isinstance(seq, int):
            if seq <= page.read:
                continue
            page.read = seq
        decoded = decode_page_message(message)
        if decoded is None:
            continue
        model_id, data = decoded.model_id, decoded.data
        target = model if decoded.root else shown.get(model_id)
        comm = getattr(target, "comm", None)
        if not isinstance(comm, PageComm):
            logger.warning(
                "esmwidget.streamlit: %r: a message for model %s, which this page does not show",
                page.key,
                model_id,
            )
            continue
        comm.deliver(data, decoded.buffers)
        touched.add(id(target))
        if decoded.root and data["method"] == "update":
            page_keys.update(k for k in data["state"] if isinstance(k, str) and not is_protected(k))
    if page_keys:
        # What Python kept of the page's values (it may have refused or changed some).
        current = model.get_state()
        page.page_state.update({k: current[k] for k in page_keys if k in current})
    return touched


def _run_data(page: Page, model: Any) -> dict[str, Any]:
    states = with_dependencies([model], _state_of)
    return {
        "protocol": PROTOCOL,
        "key": page.key,
        "root": str(model.model_id),
        "models": manager_state(states)["state"],
        "messages": page.pending(),
        "acked": {"instance": page.instance, "seq": page.read} if page.instance else None,
    }


def _component() -> Any:
    """The component's mount function, registered once per process.

    Its module is served as a file from the package's `_static` folder, which the package's own
    `esmwidget/pyproject.toml` declares to Streamlit, so the browser loads it once. Where
    Streamlit finds no declaration (an install that dropped the file), the module goes inline
    with every run instead, 39 KB each time.
    """
    global _mount  # noqa: PLW0603 - registered once per process
    with _mount_lock:
        if _mount is None:
            try:
                _mount = st.components.v2.component(COMPONENT, js=MODULE, isolate_styles=False)
            except StreamlitAPIException:
                logger.info("esmwidget.streamlit: no component declaration found; inlining")
                js = resources.files("esmwidget").joinpath(f"_static/{MODULE}").read_text("utf-8")
                _mount = st.components.v2.component(COMPONENT, js=js, isolate_styles=False)
        return _mount


def _nothing() -> None:
    """The component's state callback: Streamlit returns state only for names with one."""


def _rerun(session_id: str) -> None:
    """Ask `session_id` for a run, unless this thread is running its script now."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and ctx.session_id == session_id:
        return
    try:
        from streamlit.runtime import Runtime  # noqa: PLC0415

        if not Runtime.exists():
            return
        info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
        if info is not None:
            # With the page's last client state, as Streamlit reruns after a source change:
            # `None` would run the main page, not the one the user is on.
            info.session.request_rerun(info.session._client_state)
    except Exception:  # Streamlit's internals moved: the page updates at its next run
        logger.debug(
            "esmwidget.streamlit: could not ask session %s for a run", session_id, exc_info=True
        )
