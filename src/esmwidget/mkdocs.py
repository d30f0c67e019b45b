"""MkDocs plugin ``esmwidget``: esmwidget widgets in notebooks (mkdocs-jupyter) come alive.

```yaml
plugins:
  - mkdocs-jupyter: {execute: true}
  - esmwidget
```

Each page with saved esmwidget widget state loads esmwidget's page runtime from the site's
``_static/esmwidget/``, where every module text is written once per site; no request leaves the
site. Other ipywidgets on a page keep mkdocs-jupyter's usual scripts. See docs/hosts.md,
"Documentation sites".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin, get_plugin_logger

from ._pages.site import Site, rewrite

__all__ = ["EsmwidgetPlugin"]

log = get_plugin_logger(__name__)


class EsmwidgetPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Rewrites each built page whose notebook saved esmwidget widget state."""

    def __init__(self) -> None:
        self.site: Site | None = None

    def on_pre_build(self, *, config: Any) -> None:
        """A new build: the site's shared files are written anew."""
        self.site = Site(Path(config["site_dir"]))

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """The page with its esmwidget widgets alive (unchanged when it has none)."""
        site = self.site or Site(Path(config["site_dir"]))
        result = rewrite(output, site, page.file.dest_uri)
        if result.views_without_state:
            log.warning(
                "%s shows %d widget output(s) but holds no saved widget state, so they cannot "
                "render. Execute the notebook in the build (mkdocs-jupyter: execute: true), or "
                "save it from JupyterLab with Settings > Save Widget State Automatically on.",
                page.file.src_uri,
                result.views_without_state,
            )
        for line in result.missed:
            log.warning("%s: %s", page.file.src_uri, line)
        return result.html
