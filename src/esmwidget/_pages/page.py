"""The HTML of pages that run widgets with no kernel: escaped data tags and the inlined runtime.

The runtime (``_static/page.js``, built from ``js/src/page``) reads the same two tag types
ipywidgets' embedding and nbconvert write: one widget-state tag and one widget-view tag per view.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources
from typing import Any

from .._wire.protocol import MODEL_NAME, MODULE_NAME, STATE_MIME_TYPE, VIEW_MIME_TYPE

# The widgets' own files in a page with no kernel (js/src/page/index.js reads them).
FILES_MIME_TYPE = "application/vnd.esmwidget.files+json"

__all__ = ["FILES_MIME_TYPE", "document", "json_tag", "renders", "runtime_tag", "view_tag"]

# Model modules whose `AnyModel` runs an `_esm` in the page (anywidget's saved state works too);
# js/src/page/index.js renders the same ones.
_OWN_MODULES = (MODULE_NAME, "anywidget")

_STYLE = (
    "body { margin: 24px; font-family: system-ui, sans-serif; }\n"
    ".esmwidget-output { margin: 12px 0; }\n"
    ".esmwidget-foreign { color: #666; font-style: italic; }"
)


def renders(model_name: object, model_module: object) -> bool:
    """Whether the page runtime renders models of this name and module (others need a CDN)."""
    return model_name == MODEL_NAME and model_module in _OWN_MODULES


def json_tag(mime: str, value: Any) -> str:
    """A ``<script type=mime>`` data block holding `value` as JSON.

    Every ``<`` is written as its JSON escape (the same character to a JSON parser), so no string in
    the state, code included, can end the element or open a comment.
    """
    try:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError as error:
        msg = (
            f"cannot write the page's {mime} data: {error}. A float trait holds NaN or infinity, "
            "which JSON (and so the page) cannot carry; set it to a finite number or None."
        )
        raise ValueError(msg) from None
    text = text.replace("<", "\\u003c")
    return f'<script type="{mime}">{text}</script>'


def view_tag(model_id: str) -> str:
    """The view of one model, where the page renders it."""
    view = {"version_major": 2, "version_minor": 1, "model_id": model_id}
    return json_tag(VIEW_MIME_TYPE, view)


@functools.cache
def runtime_tag() -> str:
    """The page runtime as an inline module script (run once the document is parsed).

    Raises
    ------
    FileNotFoundError
        In a source checkout whose front end was never built.
    """
    source = resources.files("esmwidget") / "_static" / "page.js"
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = (
            f"esmwidget's page runtime {source} is missing: this checkout's front end was never "
            "built. Run `npm install && npm run build` in the checkout (installed wheels have it)."
        )
        raise FileNotFoundError(msg) from None
    if "</script" in text.lower() or "<!--" in text:  # js/build-bundles.mjs refuses these too
        msg = f"{source} contains '</script' or '<!--' and cannot be inlined; rebuild it."
        raise ValueError(msg)
    return f'<script type="module">{text}</script>'


def document(
    title: str, body: str, state: dict[str, Any], files: dict[str, Any] | None = None
) -> str:
    """A complete page: `body` (view tags and markup), the state, the files and the runtime.

    `files` are the widgets' own files (`export.page_files`), when they name any.
    """
    if files is not None:
        body = f"{body}\n{json_tag(FILES_MIME_TYPE, files)}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}\n{json_tag(STATE_MIME_TYPE, state)}\n{runtime_tag()}\n</body>\n</html>\n"
    )
