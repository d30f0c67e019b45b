"""The anywidget internals published packages import, served by the anywidget alias.

A survey of packages on PyPI found these (see docs/migrating.md): ``anywidget._util``'s buffer
helpers and constants, ``anywidget._file_contents.FileContents`` in class bodies, and
``anywidget._descriptor.MimeBundleDescriptor``. Each maps to esmwidget's own piece.
"""

from __future__ import annotations

import importlib.machinery
import os
import types
from pathlib import Path
from typing import Any

from .._assets.assets import PLACEHOLDER_ESM
from .._wire.buffers import put_buffers, remove_buffers
from .._wire.protocol import VIEW_MIME_TYPE

__all__ = ["FileContents", "modules"]


class FileContents(os.PathLike[str]):
    """anywidget's file-backed asset: ``str()`` is the file's text, and it is a path.

    As ``_esm``/``_css`` esmwidget takes it for the file it names, which it reads and (with
    ``ANYWIDGET_HMR=1``) watches itself: ``start_thread`` and the thread methods do nothing.
    """

    def __init__(self, path: str | os.PathLike[str], start_thread: bool = True) -> None:
        del start_thread
        self.path = Path(path)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def __repr__(self) -> str:
        return f"FileContents({str(self.path)!r})"

    def watch_in_thread(self) -> None:
        """Nothing to do: esmwidget's watcher follows the file when hot reload is on."""

    def stop_thread(self) -> None:
        """Nothing to do: see `watch_in_thread`."""


def try_file_contents(x: Any) -> FileContents | None:
    """The helper of anywidget's: a `FileContents` if `x` names an existing file, else None."""
    if isinstance(x, FileContents):
        return x
    if isinstance(x, Path | str) and "\n" not in str(x):
        path = Path(x)
        if path.is_file():
            return FileContents(path)
    return None


def modules() -> dict[str, types.ModuleType]:
    """The internal modules the alias provides, by their anywidget name."""
    from .._widgets.descriptor import MimeBundleDescriptor  # noqa: PLC0415 - the alias's own import

    util = alias_module(
        "anywidget._util",
        put_buffers=put_buffers,
        remove_buffers=remove_buffers,
        try_file_contents=try_file_contents,
        _WIDGET_MIME_TYPE=VIEW_MIME_TYPE,
        _DEFAULT_ESM=PLACEHOLDER_ESM,
    )
    contents = alias_module("anywidget._file_contents", FileContents=FileContents)
    descriptor = alias_module("anywidget._descriptor", MimeBundleDescriptor=MimeBundleDescriptor)
    return {m.__name__: m for m in (util, contents, descriptor)}


def alias_module(
    name: str, doc: str | None = None, *, package: bool = False, **names: Any
) -> types.ModuleType:
    """A module of the anywidget alias, holding `names`.

    It has a spec, as imported modules have: ``importlib.util.find_spec("anywidget")`` (which
    altair calls when it is imported) raises ValueError for a module whose ``__spec__`` is None.
    """
    module = types.ModuleType(name, doc or f"{name}, served by esmwidget's anywidget alias")
    module.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=package)
    if package:
        module.__path__ = []  # a package, so `import anywidget.widget` works
    for key, value in names.items():
        setattr(module, key, value)
    return module
