"""A widget's own files: what its module may load by a URL relative to ``import.meta.url``.

A file-backed `_esm` offers the files of its folder and below (a bundler's output folder, a
package's ``static/`` folder); an inline one offers the files named in the class's `_files`. The
page asks for a file when a module that names it loads; only then is it read and sent, and
nothing outside the offered files is ever read (docs/front-end.md, "Files beside the module").
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

__all__ = [
    "FileError",
    "Files",
    "files_for",
    "media_type",
    "names_in",
    "read_offered",
    "referenced",
]

# What the loader rewrites (js/src/files.js REFERENCE and CSS_REFERENCE; tests/unit/test_wire.py
# checks that both sides have the same patterns): a module's `new URL("./x", import.meta.url)`,
# and a stylesheet's `url(./x)`.
REFERENCE = r"""new\s+URL\(\s*(["'`])([^"'`$\n]+?)\1\s*,\s*import\.meta\.url\s*\)"""
CSS_REFERENCE = r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)"""
_NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.IGNORECASE)

# Types the browser checks: `instantiateStreaming` needs application/wasm, a module worker a
# JavaScript type, `FontFace` and CSS a font or image type. Others come from `mimetypes`.
_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".parquet": "application/vnd.apache.parquet",
    ".arrow": "application/vnd.apache.arrow.file",
}
# A widget's own file is read whole into one message: the page's limit for one answer.
MAX_FILE_BYTES = 512 * 1024 * 1024


class FileError(LookupError):
    """The page asked for a file the widget does not offer, or that cannot be read."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status  # as HTTP would say it: 403 refused, 404 missing


def media_type(name: str) -> str:
    """The Content-Type a file is served with, from its suffix."""
    suffix = PurePosixPath(name).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class Files:
    """The files one widget class offers: a folder and everything below it, or named files."""

    owner: str
    folder: Path | None = None
    named: Mapping[str, Path | bytes] = field(default_factory=dict)

    def describe(self) -> str:
        """Where the files come from, for messages."""
        if self.folder is not None:
            return f"the folder {str(self.folder)!r}"
        return f"{self.owner}._files ({', '.join(sorted(self.named)) or 'empty'})"

    def read(self, requested: str) -> tuple[bytes, str, Path | None]:
        """The bytes, media type and place on disk of the file at the relative path `requested`.

        The place is None for bytes given in `_files`; hot reload watches the others.

        Raises
        ------
        FileError
            403 for a path that leads outside the offered files (``../``, absolute, encoded
            escapes, symlinks), 404 for a file that is not there or cannot be read.
        """
        name = _clean(requested, self)
        if self.folder is None:
            entry = self.named.get(name)
            if entry is None:
                msg = f"{self.owner}: no file {name!r} in {self.describe()}."
                raise FileError(msg, status=404)
            if isinstance(entry, bytes):
                return entry, media_type(name), None
            return _read_file(entry, name, self), media_type(name), entry
        try:
            real = (self.folder / name).resolve(strict=True)
        except OSError:
            msg = f"{self.owner}: no file {name!r} in {self.describe()}."
            raise FileError(msg, status=404) from None
        if not real.is_relative_to(self.folder.resolve()):
            msg = f"{self.owner}: {name!r} leads outside {self.describe()} (a link); refused."
            raise FileError(msg, status=403)
        return _read_file(real, name, self), media_type(name), real


def read_offered(files: Files | None, owner: str, requested: str) -> tuple[bytes, str, Path | None]:
    """`files.read(requested)`, or, for a widget that offers no files, the error that says how.

    Raises
    ------
    FileError
        As `Files.read`; 404 when `files` is None.
    """
    if files is None:
        msg = (
            f"{owner} offers no files: give it a file-backed _esm (its folder's files are "
            "offered) or a _files folder or mapping."
        )
        raise FileError(msg, status=404)
    return files.read(requested)


def files_for(owner: str, esm_path: Path | None, declared: object) -> Files | None:
    """The files a widget class offers: `declared` (its `_files`) or its module's folder.

    Raises
    ------
    TypeError
        If `declared` is neither a folder, a mapping of names to paths or bytes, nor None.
    FileNotFoundError
        If a declared folder or file does not exist.
    """
    if declared is None:
        if esm_path is None:
            return None
        return Files(owner, folder=esm_path if esm_path.is_dir() else esm_path.parent)
    if isinstance(declared, str | os.PathLike):
        folder = Path(declared).expanduser().resolve()
        if not folder.is_dir():
            msg = f"{owner}._files: {str(declared)!r} is not a folder (looked at {str(folder)!r})."
            raise FileNotFoundError(msg)
        return Files(owner, folder=folder)
    if isinstance(declared, Mapping):
        named: dict[str, Path | bytes] = {}
        for key, value in declared.items():
            name = _clean(str(key), Files(owner))
            if isinstance(value, bytes | bytearray | memoryview):
                named[name] = bytes(value)
            elif isinstance(value, str | os.PathLike):
                path = Path(value).expanduser().resolve()
                if not path.is_file():
                    msg = f"{owner}._files[{key!r}]: {str(value)!r} is not a file."
                    raise FileNotFoundError(msg)
                named[name] = path
            else:
                msg = (
                    f"{owner}._files[{key!r}] is {type(value).__name__}; expected a "
                    "pathlib.Path or bytes."
                )
                raise TypeError(msg)
        return Files(owner, named=named)
    msg = (
        f"{owner}._files is {declared!r} ({type(declared).__name__}); expected a folder "
        "(pathlib.Path) or a mapping of relative names to pathlib.Path or bytes."
    )
    raise TypeError(msg)


def referenced(files: Files, esm: str, css: str = "") -> dict[str, tuple[bytes, str]]:
    """The files a module and its stylesheet name by relative URL, and those they name in turn.

    What a page with no kernel must carry. Paths refused or missing are left out: the page fails
    to load them, as it does with a kernel.
    """
    found: dict[str, tuple[bytes, str]] = {}
    pending = [*names_in(esm, REFERENCE, ""), *names_in(css, CSS_REFERENCE, "")]
    while pending:
        path = pending.pop()
        if path in found:
            continue
        try:
            data, media, _ = files.read(path)
        except FileError:
            continue
        found[path] = (data, media)
        if media == "text/javascript":
            folder = path.rpartition("/")[0]
            base = f"{folder}/" if folder else ""
            pending += names_in(data.decode("utf-8", "replace"), REFERENCE, base)
    return found


def names_in(text: str, pattern: str, base: str = "") -> Iterator[str]:
    """The relative paths `text` names with `pattern`, joined to `base` as the loader joins them."""
    for match in re.finditer(pattern, text):
        reference = match.group(2)
        if _NOT_RELATIVE.match(reference) or reference.startswith("#"):
            continue
        parts: list[str] = []
        for part in re.split(r"[?#]", base + reference)[0].split("/"):
            if part in ("", "."):
                continue
            if part == ".." and parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        yield "/".join(parts)


def _clean(requested: str, files: Files) -> str:
    """`requested` as a normalized relative POSIX path inside the offered files, or refuse it."""
    text = unquote(requested)  # an encoded `..%2F` is the same escape
    if "\x00" in text or "\\" in text:
        msg = f"{files.owner}: {requested!r} is not a file name; refused."
        raise FileError(msg, status=403)
    text = text.split("?", 1)[0].split("#", 1)[0]
    path = PurePosixPath(text)
    parts = [part for part in path.parts if part not in ("", ".")]
    if path.is_absolute() or not parts or ".." in parts:
        msg = (
            f"{files.owner}: {requested!r} leads outside {files.describe()}; only files in it "
            "and below are offered."
        )
        raise FileError(msg, status=403)
    if any(part.startswith(".") for part in parts):
        # `.env`, `.git/`: a folder's hidden files are never a widget's assets.
        msg = f"{files.owner}: {requested!r} is a hidden file; hidden files are not offered."
        raise FileError(msg, status=403)
    return "/".join(parts)


def _read_file(path: Path, name: str, files: Files) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            msg = f"{files.owner}: {name!r} is {size:,} bytes, over {MAX_FILE_BYTES:,}."
            raise FileError(msg, status=404)
        if path.suffix.lower() in (".js", ".mjs"):
            # A module worker's own relative imports cannot resolve from its Blob URL either:
            # they are inlined, as for `_esm` (bundle.py).
            from .bundle import BundleError, load  # noqa: PLC0415 - only for module files

            try:
                return load(path, stylesheet=False).text.encode("utf-8")
            except BundleError as error:
                msg = f"{files.owner}: {name!r} in {files.describe()}: {error}"
                raise FileError(msg, status=404) from None
        return path.read_bytes()
    except OSError as error:
        msg = f"{files.owner}: {name!r} in {files.describe()} cannot be read: {error}"
        raise FileError(msg, status=404) from None
