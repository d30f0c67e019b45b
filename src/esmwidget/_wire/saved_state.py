"""The widget-state document, as ipywidgets' embedding and notebook metadata hold it."""

from __future__ import annotations

import base64
from typing import Any

from .buffers import remove_buffers
from .protocol import SAME_AS, SAME_AS_MIN_LENGTH

__all__ = ["manager_state"]


def manager_state(states: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The widget-state document (version 2.0, as ipywidgets' embedding writes it).

    `states` maps model ids to full states; binary values become base64 buffers, and a long
    `_esm`/`_css` seen before is saved as a reference to the first model holding it.
    """
    holders: dict[tuple[str, str], str] = {}
    saved: dict[str, Any] = {}
    for model_id, full in states.items():
        state, paths, buffers = remove_buffers(full)
        for key in ("_esm", "_css"):
            text = state.get(key)
            if isinstance(text, str) and len(text) >= SAME_AS_MIN_LENGTH:
                holder = holders.setdefault((key, text), model_id)
                if holder != model_id:
                    state = {**state, key: {SAME_AS: holder}}
        entry: dict[str, Any] = {
            "model_name": state.get("_model_name", ""),
            "model_module": state.get("_model_module", ""),
            "model_module_version": state.get("_model_module_version", ""),
            "state": state,
        }
        if buffers:
            entry["buffers"] = [
                {"encoding": "base64", "path": path, "data": base64.b64encode(buf).decode()}
                for path, buf in zip(paths, buffers, strict=True)
            ]
        saved[model_id] = entry
    return {"version_major": 2, "version_minor": 0, "state": saved}
