"""Wire shapes of the Jupyter widget protocol 2.1.0 as esmwidget speaks it; no logic."""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict

from .._version import MODULE_VERSION

PROTOCOL_VERSION = "2.1.0"
CONTROL_PROTOCOL_VERSION = "1.0.0"
TARGET_NAME = "jupyter.widget"
CONTROL_TARGET_NAME = "jupyter.widget.control"
VIEW_MIME_TYPE = "application/vnd.jupyter.widget-view+json"
STATE_MIME_TYPE = "application/vnd.jupyter.widget-state+json"
MODULE_NAME = "esmwidget"
MODEL_NAME = "AnyModel"
VIEW_NAME = "AnyView"
# The identity keys of every esmwidget model and their values; `_view_name` is None for a model
# drawn by no view (docs/protocol.md, "Opening a widget"). `AnyWidget` declares them as traits.
IDENTITY: Final[dict[str, Any]] = {
    "_model_name": MODEL_NAME,
    "_model_module": MODULE_NAME,
    "_model_module_version": MODULE_VERSION,
    "_view_name": VIEW_NAME,
    "_view_module": MODULE_NAME,
    "_view_module_version": MODULE_VERSION,
    "_view_count": None,
}

COMMAND_KIND: Final = "anywidget-command"
COMMAND_RESPONSE_KIND: Final = "anywidget-command-response"
HMR_ERROR_KIND = "esmwidget-hmr-error"
HMR_OK_KIND = "esmwidget-hmr-ok"
# A Python handler of the widget's custom messages raised: the page shows it (js/src/runtime.js).
PYTHON_ERROR_KIND = "esmwidget-python-error"
# Python refused keys of an update from the page, and says why; the page logs each reason in
# the browser console and notes rejected values above the views (js/src/runtime.js).
REFUSED_KIND: Final = "esmwidget-refused"
# A large binary value from the page comes in parts (custom messages of this kind, one buffer
# each), then the update names its uploads under PARTS_KEY (docs/protocol.md, "Large binary
# values"; js/src/parts.js).
PART_KIND: Final = "esmwidget-part"
# The page asks for one of the widget's own files by its path relative to the module's folder,
# and gets it back as one buffer, or an error with an HTTP-like status (docs/protocol.md,
# "Files beside the module"; js/src/files.js).
FILE_KIND: Final = "esmwidget-file"
FILE_RESPONSE_KIND: Final = "esmwidget-file-response"
# Kernel -> page, with hot reload: files the page loaded were saved, deleted or are back; the page
# forgets them and loads the module again.
FILES_CHANGED_KIND: Final = "esmwidget-files-changed"
PARTS_KEY: Final = "esmwidget_parts"

# Saved widget state holds each long `_esm`/`_css` text once; later models with the same text
# save `{SAME_AS: <model id of the first>}` (js/src/saved.js reads and writes it in JupyterLab).
SAME_AS = "esmwidget_same_as"
SAME_AS_MIN_LENGTH = 128

# Keys a front end may never write (docs/protocol.md, "Security"): code, style and identity.
PROTECTED_KEYS = frozenset({"_esm", "_css", "_anywidget_id"})
PROTECTED_PREFIXES = ("_model_", "_view_")
# The identity key the page does write: ipywidgets' views count themselves in `_view_count`
# when Python set it to a number (plotly's FigureWidget does, to learn it is displayed).
VIEW_COUNT = "_view_count"

# A reference to another widget in state, as ipywidgets writes it; anywidget 0.11 wrote the
# second form, which is still read.
REFERENCE_PREFIX = "IPY_MODEL_"
ANYWIDGET_REFERENCE_PREFIX = "anywidget:"

BufferPath = list[str | int]


class FileResponse(TypedDict, total=False):
    """Kernel -> page: one file the page asked for (its bytes as the one buffer), or why not."""

    kind: Literal["esmwidget-file-response"]
    id: str
    path: str
    type: str
    error: dict[str, Any]


class OpenData(TypedDict):
    """The data of a ``comm_open``: the full state, binary values as buffers."""

    state: dict[str, Any]
    buffer_paths: list[BufferPath]


class StateMsg(TypedDict):
    """Kernel -> page: changed state (``update``), or the page's values back (``echo_update``)."""

    method: Literal["update", "echo_update"]
    state: dict[str, Any]
    buffer_paths: list[BufferPath]


class CustomMsg(TypedDict):
    """Either way: a custom message (the module's own, a command call or reply, a loader event)."""

    method: Literal["custom"]
    content: Any


class ModelStates(TypedDict):
    model_name: str
    model_module: str
    model_module_version: str
    state: dict[str, Any]


class UpdateStatesMsg(TypedDict):
    method: Literal["update_states"]
    states: dict[str, ModelStates]
    buffer_paths: list[BufferPath]


class CommandError(TypedDict):
    type: str
    message: str
    traceback: str


class CommandResponse(TypedDict, total=False):
    id: str
    kind: Literal["anywidget-command-response"]
    response: Any
    error: CommandError


class _Refusal(TypedDict):
    key: str
    # "protected": code, style or identity; "unsynced": a trait without .tag(sync=True);
    # "unknown": not the widget's state at all; "invalid": validation rejected the value (its
    # views were sent Python's value).
    why: Literal["protected", "unsynced", "unknown", "invalid"]
    reason: str


class Refusal(_Refusal, total=False):
    """One key of a front-end update that Python did not take."""

    value: str  # "invalid": the value received, as Python shows it (shortened)


class _RefusedMsg(TypedDict):
    kind: Literal["esmwidget-refused"]
    refused: list[Refusal]


class RefusedMsg(_RefusedMsg, total=False):
    more: int  # refusals left out of `refused` (one message tells at most a few)


class ViewBundle(TypedDict):
    version_major: int
    version_minor: int
    model_id: str
