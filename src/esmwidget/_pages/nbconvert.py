"""``jupyter nbconvert --to esmwidget``: the lab HTML page, its esmwidget widgets live offline.

Registered as the nbconvert exporter ``esmwidget`` (pyproject entry point). The notebook needs
its widget state: from ``--execute`` (nbconvert stores it) or saved by JupyterLab with "Save
Widget State Automatically".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from traitlets import default

from .._wire.protocol import STATE_MIME_TYPE, VIEW_MIME_TYPE
from .carried import Carried
from .page import FILES_MIME_TYPE, json_tag, renders, runtime_tag

__all__ = ["OfflineHTMLExporter", "foreign_views"]

TEMPLATES = Path(__file__).parent / "nbconvert_templates"


class OfflineHTMLExporter(HTMLExporter):
    """HTML whose esmwidget widgets run in the page, with no kernel and no CDN."""

    export_from_notebook = "HTML with offline widgets (esmwidget)"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "esmwidget"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self) -> list[str]:
        return [*super()._default_extra_template_basedirs(), str(TEMPLATES)]

    def default_filters(self) -> Any:
        """The lab page's filters, and the test for views only ipywidgets' manager renders."""
        yield from super().default_filters()  # type: ignore[no-untyped-call]
        yield ("esmwidget_foreign_views", foreign_views)

    def _init_resources(self, resources: dict[str, Any]) -> dict[str, Any]:
        resources = super()._init_resources(resources)  # type: ignore[no-untyped-call]
        resources["esmwidget_runtime"] = runtime_tag()
        return resources

    def _preprocess(self, nb: Any, resources: Any) -> Any:
        """The notebook as run (``--execute`` runs it here), and the files its widgets name.

        A widget class is found from its saved ``module.Class`` name, with the notebook's folder
        searched as its kernel's was; a class defined in the notebook cannot be, and the log says
        which files stay behind.
        """
        nb, resources = super()._preprocess(nb, resources)  # type: ignore[no-untyped-call]
        folder = (resources.get("metadata") or {}).get("path") or None
        state = nb.get("metadata", {}).get("widgets", {}).get(STATE_MIME_TYPE, {}).get("state")
        carried = Carried()
        if isinstance(state, dict):
            carried.add_saved(state, Path(folder) if folder else None)
        for line in carried.missed:
            self.log.warning("esmwidget: %s", line)
        files = carried.inline()
        resources["esmwidget_files"] = "" if files is None else json_tag(FILES_MIME_TYPE, files)
        return nb, resources


def foreign_views(nb: Any) -> bool:
    """Whether the notebook shows widgets of other libraries (which need ipywidgets' manager)."""
    widgets = nb.get("metadata", {}).get("widgets", {})
    state = widgets.get(STATE_MIME_TYPE, {}).get("state", {})
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(VIEW_MIME_TYPE)
            entry = state.get(view.get("model_id")) if isinstance(view, dict) else None
            if entry is not None and not renders(
                entry.get("model_name"), entry.get("model_module")
            ):
                return True
    return False
