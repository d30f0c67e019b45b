"""Standalone HTML: widgets in one page that needs no kernel and no network.

Loader, modules, styles and state are inlined, and each long `_esm`/`_css` is saved once.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .._sync import registry as _registry
from .._wire.protocol import REFERENCE_PREFIX
from .._wire.saved_state import manager_state
from .carried import Carried
from .page import document, renders, view_tag

__all__ = ["export_html", "to_html"]

_LINKS = ("LinkModel", "DirectionalLinkModel")


def to_html(*widgets: Any, title: str = "esmwidget") -> str:
    """Return one self-contained HTML page showing `widgets`, live, with no kernel.

    Clicks and other changes update the page's own state: views of one widget stay in step,
    child widgets render, and ``jslink``-ed values follow each other. Nothing is sent anywhere
    (commands fail with a message saying there is no kernel). The page loads nothing from the
    network unless a widget's own module imports from a URL.

    Parameters
    ----------
    *widgets
        `AnyWidget` instances or objects with a `MimeBundleDescriptor`, shown in this order. The
        widgets they reference (child widgets, link ends) come along without a view.
    title
        The page title.

    Raises
    ------
    TypeError
        If an argument is not a widget.

    Examples
    --------
    >>> page = esmwidget.to_html(Counter(count=3))  # doctest: +SKIP
    """
    models = [_model_of(widget) for widget in widgets]
    states = with_dependencies(models)
    body = "\n".join(_output(str(model.model_id), states[str(model.model_id)]) for model in models)
    return document(title, body, manager_state(states), page_files(states))


def page_files(states: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The widgets' own files the page's modules name, each stored once by content.

    ``{"classes": {class id: {path: digest}}, "files": {digest: {"type", "data" (base64)}}}``;
    None when no widget names any (docs/front-end.md, "Files beside the module").
    """
    carried = Carried()
    for model_id, state in states.items():
        owner = _registry.get(model_id)
        files_of = getattr(owner, "_esmwidget_files", None)
        files = files_of() if callable(files_of) else None
        class_id, esm, css = (state.get(key) for key in ("_anywidget_id", "_esm", "_css"))
        if files is not None and isinstance(class_id, str):
            carried.add(
                class_id,
                files,
                esm if isinstance(esm, str) else "",
                css if isinstance(css, str) else "",
            )
    return carried.inline()


def export_html(path: str | os.PathLike[str], *widgets: Any, title: str | None = None) -> Path:
    """Write `to_html(*widgets)` to `path` (UTF-8) and return the path.

    The title defaults to the file name without its suffix.
    """
    target = Path(path)
    page = to_html(*widgets, title=title if title is not None else target.stem)
    target.write_text(page, encoding="utf-8")
    return target


def _model_of(widget: Any) -> Any:
    if hasattr(widget, "get_state") and isinstance(getattr(widget, "model_id", None), str):
        return widget
    from .._widgets.descriptor import model_for  # noqa: PLC0415 - described objects only

    try:
        return model_for(widget)
    except TypeError:
        msg = (
            f"esmwidget.to_html() got {type(widget).__qualname__!r}, which is not a widget. "
            "Pass AnyWidget instances or objects whose class has a MimeBundleDescriptor."
        )
        raise TypeError(msg) from None


def _exported_state(model: Any) -> dict[str, Any]:
    # A trait tagged `export=False` stays out of exported pages (a token, a local path).
    state: dict[str, Any] = model.get_state()
    traits = model.traits() if callable(getattr(model, "traits", None)) else {}
    hidden = {name for name, trait in traits.items() if trait.metadata.get("export") is False}
    return {key: value for key, value in state.items() if key not in hidden}


def with_dependencies(
    models: list[Any], state_of: Callable[[Any], dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """The states of `models`, of every widget they reference, and of links between those.

    `state_of` reads one widget's state: by default what a page written to a file may hold.
    """
    read = _exported_state if state_of is None else state_of
    states: dict[str, dict[str, Any]] = {}
    queue = list(models)
    while queue:
        model = queue.pop(0)
        model_id = str(model.model_id)
        if model_id in states:
            continue
        states[model_id] = read(model)
        for ref in _references(states[model_id]):
            child = _registry.get(ref)
            if child is not None:
                queue.append(child)
    for model_id, widget in list(_registry.ipywidgets_instances().items()):
        if getattr(widget, "_model_name", None) in _LINKS and model_id not in states:
            state = read(widget)
            ends = [list(_references(state.get(key))) for key in ("source", "target")]
            if all(end and set(end) <= set(states) for end in ends):
                states[model_id] = state
    return states


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.startswith(REFERENCE_PREFIX):
            yield value[len(REFERENCE_PREFIX) :]
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _references(item)


def _output(model_id: str, state: dict[str, Any]) -> str:
    if state.get("_view_name") is None:
        return ""
    if renders(state.get("_model_name"), state.get("_model_module")):
        return f'<div class="esmwidget-output">{view_tag(model_id)}</div>'
    name = f"{state.get('_model_module')}.{state.get('_model_name')}"
    return (
        f'<div class="esmwidget-output esmwidget-foreign">{html.escape(name)} needs its own '
        "front end and a CDN to render; it is not shown in this offline page.</div>"
    )
