"""Documentation sites (Sphinx, MkDocs): the esmwidget widgets of each built page come alive.

Builders that render notebooks (myst-nb, nbsphinx, mkdocs-jupyter) write each page's saved widget
state and view tags, then load ipywidgets' HTML manager, which fetches every widget's front end
from a CDN. After the build, `rewrite` turns a page into one whose esmwidget widgets run from
the site itself: the page runtime and each distinct `_esm`/`_css` text are written once per site
as content-addressed files under `_static/esmwidget/`, the saved state names those files
(``{"esmwidget_url": path}``, read by js/src/page/index.js), and the CDN scripts go when nothing
else on the page needs them. Pages with other widgets keep the builder's scripts for those.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .carried import Carried, saved_text

__all__ = ["SITE_FILE", "STATIC_FOLDER", "PageResult", "Site", "rewrite"]

# The key of a reference to a site file, relative to the page (js/src/saved.js SITE_FILE).
SITE_FILE = "esmwidget_url"
STATIC_FOLDER = "_static/esmwidget"

_STATE = re.compile(
    r'(<script\b[^>]*type="application/vnd\.jupyter\.widget-state\+json"[^>]*>)(.*?)(</script>)',
    re.S,
)
_VIEW = re.compile(r'<script\b[^>]*type="application/vnd\.jupyter\.widget-view\+json"', re.S)
_SCRIPT_SRC = re.compile(r'[ \t]*<script\b[^>]*\bsrc="([^"]+)"[^>]*>\s*</script>[ \t]*\n?', re.S)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>[ \t]*\n?", re.S)
_URL = re.compile(r"^\s*https?://\S+\s*$")
_USES_REQUIRE = re.compile(r"\b(?:require|requirejs|define)\s*\(")
# What the builders load for ipywidgets: the HTML manager, and require.js, which it needs.
_MANAGER = ("@jupyter-widgets/html-manager", "embed-amd.js")
_REQUIRE = re.compile(r"/require(?:\.min)?\.js(?:\?.*)?$")
# Models the page runtime draws itself, and ipywidgets' links between them (and layouts of them).
_OWN_MODULES = ("esmwidget", "anywidget")
_LINKS = ("LinkModel", "DirectionalLinkModel")
_RUNTIME = "page.js"
# How a module and a stylesheet are named in the folder of their files.
_BESIDE = {"_esm": "module-", "_css": "style-"}


@dataclass
class Site:
    """A site's output folder, where the shared files go (each written once)."""

    root: Path
    written: set[str] = field(default_factory=set)
    runtime_path: str | None = None

    def file(self, text: str, suffix: str, prefix: str = "", folder: str = STATIC_FOLDER) -> str:
        """Write `text` in `folder` by its hash; return its site path."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
        return self.put(f"{folder}/{prefix}{digest}{suffix}", text.encode("utf-8"))

    def put(self, name: str, data: bytes) -> str:
        """Write `data` at the site path `name` (once per build); return `name`."""
        if name not in self.written:
            target = self.root / name
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            self.written.add(name)
        return name

    def files_folder(self, carried: Carried, class_id: str) -> str:
        """A folder holding a widget class's files at their paths, named by their contents.

        The class's module and stylesheet go in it too, so each URL relative to them (a module's
        `import.meta.url`, a stylesheet's `url()`) names the file beside it, served by the site
        as any file is: the browser asks for it only when a module does.
        """
        paths = carried.classes[class_id]
        digest = hashlib.sha256(json.dumps(sorted(paths.items())).encode()).hexdigest()[:20]
        folder = f"{STATIC_FOLDER}/files-{digest}"
        for path, file_digest in paths.items():
            self.put(f"{folder}/{path}", carried.files[file_digest][1])
        return folder

    def runtime(self) -> str:
        """The page runtime's site path (read and written once per site)."""
        if self.runtime_path is None:
            text = resources.files("esmwidget").joinpath(f"_static/{_RUNTIME}").read_text("utf-8")
            self.runtime_path = self.file(text, ".js", prefix="runtime-")
        return self.runtime_path


@dataclass(frozen=True)
class PageResult:
    """A rewritten page, how many esmwidget widgets it holds, and its views with no state.

    `missed` says, per widget class, why files its module names could not come along.
    """

    html: str
    widgets: int
    views_without_state: int
    missed: tuple[str, ...] = ()


def rewrite(html: str, site: Site, page_path: str) -> PageResult:
    """The page at `page_path` (relative to the site root) with its esmwidget widgets alive.

    Idempotent: a page rewritten before (an incremental build) comes back unchanged.
    """
    up = "../" * page_path.count("/")
    match = _STATE.search(html)
    if match is None:
        return PageResult(html, 0, len(_VIEW.findall(html)))
    try:
        document = json.loads(match.group(2))
        models: dict[str, Any] = document["state"]
    except (ValueError, KeyError, TypeError):
        return PageResult(html, 0, 0)  # not saved state esmwidget can read: left as it was
    own = [entry for entry in models.values() if _is_own(entry)]
    if not own:
        return PageResult(html, 0, 0)
    # The files modules name and every text first (one model may name another's text), then the
    # site files in their place.
    carried = Carried()
    carried.add_saved(models)
    texts = [
        (entry["state"], key, suffix, saved_text(models, entry["state"], key))
        for entry in own
        if isinstance(entry.get("state"), dict)
        for key, suffix in (("_esm", ".js"), ("_css", ".css"))
    ]
    folders = {class_id: site.files_folder(carried, class_id) for class_id in carried.classes}
    for state, key, suffix, text in texts:
        if isinstance(text, str) and text and not _URL.match(text):
            folder = folders.get(state.get("_anywidget_id"))
            if folder is None:
                state[key] = {SITE_FILE: up + site.file(text, suffix)}
            else:  # beside its files, named apart from them
                name = site.file(text, suffix, prefix=_BESIDE[key], folder=folder)
                state[key] = {SITE_FILE: up + name}
    body = json.dumps(document).replace("</", "<\\/")
    html = html[: match.start(2)] + body + html[match.end(2) :]
    if all(_is_own(entry) or _is_link(entry) or _is_layout(entry) for entry in models.values()):
        html = _without_widget_scripts(html)
    runtime = up + site.runtime()
    if runtime not in html:
        tag = f'<script src="{runtime}"></script>\n'
        at = html.rfind("</body>")
        html = html + tag if at < 0 else html[:at] + tag + html[at:]
    return PageResult(html, len(own), 0, tuple(carried.missed))


def _is_own(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("model_name") == "AnyModel"
        and entry.get("model_module") in _OWN_MODULES
    )


def _is_link(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("model_name") in _LINKS


def _is_layout(entry: Any) -> bool:
    # An ipywidgets Layout, which the page runtime applies to the view of the widget naming it.
    return isinstance(entry, dict) and entry.get("model_name") == "LayoutModel"


def _is_manager(text: str) -> bool:
    return any(part in text for part in _MANAGER)


def _without_widget_scripts(html: str) -> str:
    """Drop ipywidgets' HTML manager, and require.js when no other script on the page uses it.

    The manager comes as a script tag, or as nbconvert's inline script that adds one.
    """
    kept = _SCRIPT_SRC.sub(lambda m: "" if _is_manager(m.group(1)) else m.group(0), html)
    kept = _INLINE_SCRIPT.sub(lambda m: "" if _is_manager(m.group(1)) else m.group(0), kept)
    if any(_USES_REQUIRE.search(script) for script in _INLINE_SCRIPT.findall(kept)):
        return kept
    return _SCRIPT_SRC.sub(lambda m: "" if _REQUIRE.search(m.group(1)) else m.group(0), kept)
