"""Turn a widget's `_esm`/`_css` class value (inline text, file, or URL) into the text to sync."""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._env import hmr_enabled, watchable

if TYPE_CHECKING:
    from .hmr import Source

__all__ = ["PLACEHOLDER_ESM", "Asset", "live_source", "resolve_asset"]

# Only path-like characters, ending in a module or stylesheet suffix: one-line inline code such as
# `export default {}; // foo.js` has spaces, braces or semicolons and is never taken for a path.
_PATH_LIKE = re.compile(r"^[\w.~:/\\@+-][\w .~:/\\@+-]*\.(?:js|mjs|css)$")
# Case-insensitive, as the loader's (js/src/load.js); tests/unit/test_wire.py keeps them equal.
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

PLACEHOLDER_ESM = """\
export default {
  render({ model, el }) {
    const id = model.get("_anywidget_id");
    el.innerHTML = `<div class="esmwidget-placeholder" style="font-family: monospace; \
padding: 0.5em; border: 1px dashed #999">${id.replace(/[<>&]/g, "")} has no <code>_esm</code> yet. \
Give the class one, for example:<pre>_esm = &quot;&quot;&quot;
export default {
  render({ model, el }) {
    el.textContent = "hello";
  }
}
&quot;&quot;&quot;</pre></div>`;
  },
};
"""


@dataclass
class Asset:
    """The synced text of one `_esm` or `_css` value, and the file it came from, if any."""

    text: str
    path: Path | None = None
    """The file or build directory the text was read from."""
    url: str | None = None
    vfile: str | None = None
    stylesheet: bool = False


def live_source(asset: Asset) -> Source | None:
    """The ``%%vfile`` or watched file that keeps `asset` current, or None.

    Files are watched only with HMR on and outside installed packages; psygnal and watchfiles
    are imported only then.
    """
    if asset.vfile is not None:
        from .vfiles import vfile  # noqa: PLC0415

        return vfile(asset.vfile)
    if asset.path is not None and hmr_enabled() and watchable(asset.path):
        from .hmr import watcher  # noqa: PLC0415

        return watcher().file(asset.path, stylesheet=asset.stylesheet)
    return None


def resolve_asset(owner: str, name: str, value: object) -> Asset:
    """Resolve the value given to `owner.name` (`_esm` or `_css`) into an `Asset`.

    Parameters
    ----------
    owner
        The class's qualified name, used in error messages.
    name
        ``"_esm"`` or ``"_css"``.
    value
        Inline source, an ``http(s)://`` URL (passed through for the browser to load), a
        `pathlib.Path` (or another path-like object) to a file or a build directory, or a
        one-line string of path characters ending in ``.js``, ``.mjs`` or ``.css``. A module's
        relative imports are inlined (see `esmwidget._bundle`).

    Raises
    ------
    FileNotFoundError
        If the value names a file that does not exist.
    BundleError
        If a build directory has no clear entry module, or its modules import in a cycle.
    TypeError
        If the value is neither text nor a path.
    """
    if isinstance(value, Path):
        return _read(owner, name, value)
    if isinstance(value, os.PathLike):  # anywidget's FileContents, among others
        return _read(owner, name, Path(os.fspath(value)))
    if not isinstance(value, str):
        msg = (
            f"{owner}.{name} is {value!r} ({type(value).__name__}); expected inline source text, "
            "an http(s) URL, or a pathlib.Path to a file."
        )
        raise TypeError(msg)
    if _URL.match(value):
        return Asset(value, url=value)
    if value.startswith("vfile:") and "\n" not in value:
        return _virtual(owner, name, value[len("vfile:") :])
    if "\n" not in value and _PATH_LIKE.match(value.strip()):
        return _path_or_source(owner, name, value)
    return Asset(value)


def _path_or_source(owner: str, name: str, value: str) -> Asset:
    """A one-line string of path characters: the file it names, or source if no file can."""
    try:
        return _read(owner, name, Path(value.strip()))
    except FileNotFoundError:
        raise
    except OSError:
        return Asset(value)  # no file can have that name (too long, say): it is source


def _virtual(owner: str, name: str, vfile_name: str) -> Asset:
    from .vfiles import vfile  # noqa: PLC0415 - psygnal only when virtual files are used

    source = vfile(vfile_name)
    if source is None:
        msg = (
            f"{owner}.{name}: virtual file {vfile_name!r} is not defined. Run `%load_ext "
            f"esmwidget` and a cell starting with `%%vfile {vfile_name}` before this class."
        )
        raise FileNotFoundError(msg)
    return Asset(source.text, vfile=vfile_name)


# Set while `esmwidget types` imports widget classes: it reads their traits, not their front
# end, which a bundled template builds only after the types are written.
_FRONT_END_OPTIONAL: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "esmwidget_front_end_optional", default=False
)


@contextlib.contextmanager
def front_end_optional() -> Iterator[None]:
    """Within the block, a widget class whose `_esm`/`_css` file is missing is still defined."""
    token = _FRONT_END_OPTIONAL.set(True)
    try:
        yield
    finally:
        _FRONT_END_OPTIONAL.reset(token)


def _read(owner: str, name: str, path: Path) -> Asset:
    resolved = path.expanduser().resolve()
    if not resolved.exists() and _FRONT_END_OPTIONAL.get():
        return Asset("" if name == "_css" else PLACEHOLDER_ESM)
    if not resolved.exists():
        msg = (
            f"{owner}.{name}: file {str(path)!r} does not exist (looked for {str(resolved)!r}). "
            "Pass inline source, an http(s) URL, or a pathlib.Path to an existing file or "
            "build directory."
        )
        raise FileNotFoundError(msg)
    from .bundle import BundleError, load  # noqa: PLC0415 - only for file-backed assets

    stylesheet = name == "_css"
    try:
        loaded = load(resolved, stylesheet=stylesheet)
    except (FileNotFoundError, BundleError) as error:
        msg = f"{owner}.{name}: {error}"
        raise type(error)(msg) from None
    return Asset(loaded.text, path=resolved, stylesheet=stylesheet)
