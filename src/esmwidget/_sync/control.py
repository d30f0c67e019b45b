"""The `jupyter.widget.control` comm: answers `request_states` so page reloads restore widgets."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any, cast

import comm

from .._wire.buffers import remove_buffers
from .._wire.protocol import (
    CONTROL_PROTOCOL_VERSION,
    CONTROL_TARGET_NAME,
    BufferPath,
    ModelStates,
    UpdateStatesMsg,
)
from . import registry as _registry

if TYPE_CHECKING:
    from comm.base_comm import BaseComm

__all__ = ["ensure_control_target"]

logger = logging.getLogger("esmwidget")
_hooked_shells: set[int] = set()


def ensure_control_target() -> None:
    """Own the control target on the current comm manager, taking it back if someone else took it.

    ipywidgets registers the same target at import and only knows its own widgets; the last
    registration wins. Called on every widget creation and after every cell (docs/protocol.md,
    "Page reloads: the control comm").
    """
    _reassert()
    _hook_post_execute()


def _hook_post_execute() -> None:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return
    shell = ipython.get_ipython()
    if shell is None or id(shell) in _hooked_shells:
        return
    _hooked_shells.add(id(shell))
    shell.events.register("post_execute", _reassert)


def _reassert() -> None:
    manager = comm.get_comm_manager()
    targets = getattr(manager, "targets", None)
    if isinstance(targets, dict) and targets.get(CONTROL_TARGET_NAME) is not _on_control_open:
        manager.register_target(CONTROL_TARGET_NAME, _on_control_open)


def _on_control_open(channel: BaseComm, msg: dict[str, Any]) -> None:
    version = str((msg.get("metadata") or {}).get("version", ""))
    if version.split(".", maxsplit=1)[0] != CONTROL_PROTOCOL_VERSION.split(".")[0]:
        logger.warning(
            "esmwidget: closed a %s comm with control protocol version %r; expected %s.",
            CONTROL_TARGET_NAME,
            version,
            CONTROL_PROTOCOL_VERSION,
        )
        channel.close()
        return

    def on_msg(message: dict[str, Any]) -> None:
        try:
            method = message["content"]["data"]["method"]
        except (KeyError, TypeError):
            logger.warning("esmwidget: ignored a malformed control message: %r", message)
            return
        if method != "request_states":
            logger.warning("esmwidget: ignored unknown control method %r", method)
            return
        try:
            data, buffers = update_states()
        except Exception:
            logger.exception("esmwidget: could not collect widget states for request_states")
            return
        channel.send(cast("dict[str, Any]", data), buffers=cast("list[bytes]", buffers))

    channel.on_msg(on_msg)


def update_states() -> tuple[UpdateStatesMsg, list[memoryview]]:
    """Build the ``update_states`` reply: full state of every live widget, ours and ipywidgets'."""
    states: dict[str, ModelStates] = {}
    all_paths: list[BufferPath] = []
    all_buffers: list[memoryview] = []
    widgets = dict(_registry.ipywidgets_instances())
    widgets.update(dict(_registry.live()))
    for model_id, widget in widgets.items():
        full = widget.get_state()
        state, paths, buffers = remove_buffers(full)
        states[model_id] = {
            "model_name": full.get("_model_name", widget._model_name),
            "model_module": full.get("_model_module", widget._model_module),
            "model_module_version": full.get(
                "_model_module_version",
                widget._model_module_version,
            ),
            "state": state,
        }
        all_paths.extend([model_id, "state", *path] for path in paths)
        all_buffers.extend(buffers)
    reply: UpdateStatesMsg = {
        "method": "update_states",
        "states": states,
        "buffer_paths": all_paths,
    }
    return reply, all_buffers
