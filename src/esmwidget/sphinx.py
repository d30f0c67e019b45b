"""Sphinx extension: esmwidget widgets in executed notebooks come alive in the built HTML.

```python
extensions = ["myst_nb", "esmwidget.sphinx"]  # or ["nbsphinx", "esmwidget.sphinx"]
```

After an HTML build, each page with saved esmwidget widget state loads esmwidget's page runtime
from the site's ``_static/esmwidget/``, where every module text is written once per site; no
request leaves the site. Other ipywidgets on a page keep the builder's usual scripts. See
docs/hosts.md, "Documentation sites".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._pages.site import Site, rewrite
from ._version import __version__

__all__ = ["setup"]


def setup(app: Any) -> dict[str, Any]:
    """Register with Sphinx: rewrite the HTML pages once the build has written them."""
    app.connect("build-finished", _build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def _build_finished(app: Any, exception: BaseException | None) -> None:
    if exception is not None or getattr(app.builder, "format", None) != "html":
        return
    from sphinx.util import logging  # noqa: PLC0415 - only inside a Sphinx build

    logger = logging.getLogger(__name__)
    root = Path(app.outdir)
    site = Site(root)
    suffix = getattr(app.builder, "out_suffix", ".html")
    for path in sorted(root.rglob(f"*{suffix}")):
        page = path.relative_to(root).as_posix()
        if page.startswith(("_static/", "_sources/", "_images/")):
            continue
        html = path.read_text(encoding="utf-8")
        result = rewrite(html, site, page)
        if result.html != html:
            path.write_text(result.html, encoding="utf-8")
        if result.views_without_state:
            logger.warning(
                "esmwidget: %s shows %d widget output(s) but holds no saved widget state, so "
                "they cannot render. Execute the notebook during the build (myst-nb: "
                "nb_execution_mode = 'force'; nbsphinx: nbsphinx_execute = 'always'), or save "
                "it from JupyterLab with Settings > Save Widget State Automatically on.",
                page,
                result.views_without_state,
                type="esmwidget",
                subtype="no_widget_state",
            )
        for line in result.missed:
            logger.warning("esmwidget: %s: %s", page, line, type="esmwidget", subtype="files")
