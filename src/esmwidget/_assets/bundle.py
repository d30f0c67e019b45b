"""Read a file-backed `_esm`/`_css`: one file, or a bundler's output directory with its chunks.

The front end imports `_esm` from a Blob URL, which has no directory: a relative import such as
``import "./chunk-X.js"`` cannot resolve there. So each relative import of a module is inlined
as a ``data:`` URL (the imported file's own imports inlined first). The synced `_esm` stays one
self-contained module: it runs in every host, survives saved widget state, and a rebuild of any
chunk is a change of `_esm` like any other save.
"""

from __future__ import annotations

import binascii
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BundleError", "Loaded", "find_entry", "load"]

# `from "./x.js"` (import/export ... from), `import("./x.js")` and `import "./x.js"`, with single
# or double quotes, as bundlers write them (also minified: `}from"./x.js"`). Only relative
# specifiers: bare names and URLs are the browser's business.
_RELATIVE_IMPORT = re.compile(
    r"""(?P<lead>\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(?P<quote>["'])(?P<spec>\.\.?/[^"'\s]+)(?P=quote)"""
)
_MODULE_SUFFIXES = (".js", ".mjs")
_MEDIA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}
_ENTRY_NAMES = ("index.js", "index.mjs", "widget.js", "widget.mjs", "main.js", "main.mjs")


class BundleError(ValueError):
    """A module directory or import graph that cannot become one module."""

    __module__ = "esmwidget"


@dataclass(frozen=True)
class Loaded:
    """The text to sync and the files it was made from."""

    text: str
    files: frozenset[Path]
    """Every file read, plus relative imports not found yet (a rebuild may still write them)."""
    directory: Path | None = None
    """The watched build directory when the value was a directory."""


def load(path: Path, *, stylesheet: bool) -> Loaded:
    """Read `path` (a file or a directory) as a module (`_esm`) or a stylesheet (`_css`).

    Raises
    ------
    FileNotFoundError
        If `path` (or a directory's entry module) does not exist.
    BundleError
        If a directory has no clear entry module, the modules import each other in a cycle, or
        a file is not UTF-8 text.
    OSError
        If a file cannot be read.
    """
    if path.is_dir():
        if stylesheet:
            return _stylesheets(path)
        inliner = _Inliner()  # its reads are cached: finding the entry reads every module once
        loaded = inliner.load(find_entry(path, inliner.read))
        return Loaded(loaded.text, loaded.files | {path}, directory=path)
    if stylesheet:
        return Loaded(_read(path), frozenset({path}))
    return _Inliner().load(path)


def find_entry(directory: Path, read: Callable[[Path], str] | None = None) -> Path:
    """The entry module of a build directory.

    The one top-level ``.js``/``.mjs`` file no other top-level module imports (chunks are
    always imported by something); when several qualify, ``index.js``, ``widget.js`` or
    ``main.js`` (or ``.mjs``).
    """
    modules = sorted(p for p in directory.iterdir() if p.suffix in _MODULE_SUFFIXES and p.is_file())
    imported = {
        (module.parent / match["spec"]).resolve()
        for module in modules
        for match in _RELATIVE_IMPORT.finditer((read or _read)(module))
    }
    # Every module imported by another one means a cycle: pick by name, and inlining names it.
    candidates = [m for m in modules if m.resolve() not in imported] or modules
    if len(candidates) == 1:
        return candidates[0]
    for name in _ENTRY_NAMES:
        if directory / name in candidates:
            return directory / name
    if not modules:
        msg = (
            f"{directory} has no .js or .mjs module. Build the widget into it first, or point "
            "_esm at the module file."
        )
        raise FileNotFoundError(msg)
    names = ", ".join(p.name for p in candidates)
    msg = (
        f"{directory} has several entry modules ({names}) and none is called index.js, "
        f"widget.js or main.js. Point _esm at one of them, for example "
        f"pathlib.Path({str(candidates[0])!r}); the chunks it imports are still included "
        "and watched."
    )
    raise BundleError(msg)


class _Inliner:
    """One pass over an import graph; a module imported twice is read and encoded once."""

    def __init__(self) -> None:
        self.texts: dict[Path, str] = {}
        self.urls: dict[Path, str] = {}
        self.files: set[Path] = set()
        self.visiting: list[Path] = []

    def read(self, path: Path) -> str:
        resolved = path.resolve()
        text = self.texts.get(resolved)
        if text is None:
            text = self.texts[resolved] = _read(resolved)
        return text

    def load(self, entry: Path) -> Loaded:
        text = self.inline(entry.resolve(), self.read(entry))
        return Loaded(text, frozenset(self.files))

    def inline(self, path: Path, text: str) -> str:
        self.files.add(path)
        self.visiting.append(path)
        try:
            return _RELATIVE_IMPORT.sub(lambda match: self.replace(path, match), text)
        finally:
            self.visiting.pop()

    def replace(self, importer: Path, match: re.Match[str]) -> str:
        target = (importer.parent / match["spec"]).resolve()
        if not target.is_file():
            # Left as written: a comment mentioning a path, or a chunk a rebuild is still
            # writing (watched, so its arrival refreshes the module). A real import of a
            # missing file fails in the browser with the specifier in the message.
            self.files.add(target)
            return match[0]
        return f"{match['lead']}{match['quote']}{self.url(target)}{match['quote']}"

    def url(self, path: Path) -> str:
        if path in self.visiting:
            cycle = " -> ".join(p.name for p in [*self.visiting[self.visiting.index(path) :], path])
            msg = (
                f"{self.visiting[0]}: modules import each other in a cycle ({cycle}), which "
                "cannot be inlined. Bundle into one file, or change the code or the bundler's "
                "chunking so that chunks do not import each other in a loop."
            )
            raise BundleError(msg)
        url = self.urls.get(path)
        if url is None:
            media = _MEDIA_TYPES.get(path.suffix, "text/javascript")
            text = self.read(path)
            if media == "text/javascript":
                # Named in stack traces and devtools by its file rather than a long data URL.
                text = f"{self.inline(path, text)}\n//# sourceURL={_display_name(path)}\n"
            else:
                self.files.add(path)
            encoded = binascii.b2a_base64(text.encode("utf-8"), newline=False).decode("ascii")
            url = self.urls[path] = f"data:{media};base64,{encoded}"
        return url


def _stylesheets(directory: Path) -> Loaded:
    sheets = sorted(p for p in directory.iterdir() if p.suffix == ".css" and p.is_file())
    text = "\n".join(f"/* {sheet.name} */\n{_read(sheet)}" for sheet in sheets)
    return Loaded(text, frozenset({directory, *sheets}), directory=directory)


def _display_name(path: Path) -> str:
    return f"esmwidget:///{path.parent.name}/{path.name}"


def _read(path: Path) -> str:
    """The UTF-8 text of `path`; BundleError, naming the file and the byte, when it is not."""
    try:
        return _read_text(path)
    except UnicodeDecodeError as error:
        byte = error.object[error.start : error.start + 1].hex()
        msg = (
            f"file {str(path)!r} is not UTF-8 text: byte 0x{byte} at position {error.start} "
            f"cannot be decoded ({error.reason}). Save the file as UTF-8."
        )
        raise BundleError(msg) from None


def _read_text(path: Path) -> str:
    # An atomic save (write a temporary file, rename it over) leaves the path missing for an
    # instant: look again briefly before calling the file deleted.
    for _ in range(5):
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            time.sleep(0.02)
    return path.read_text(encoding="utf-8")
