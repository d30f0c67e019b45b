"""The widgets' own files a page with no kernel carries, each stored once by its content.

A module's ``new URL("./engine.wasm", import.meta.url)`` needs the file beside it. An exported
page holds the files its modules and stylesheets name (docs/front-end.md, "Files beside the
module"). Live widgets say where their files are. For saved state (`nbconvert --to esmwidget`,
documentation sites) the widget class is found again from its ``_anywidget_id``, the
``module.Class`` name the kernel saved, by importing its module as the kernel did.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._assets.files import CSS_REFERENCE, REFERENCE, Files, names_in, referenced
from .._wire.protocol import SAME_AS
from .page import renders

__all__ = ["Carried", "class_files", "saved_text"]


@dataclass
class Carried:
    """Files by widget class and path (their digests), and each distinct file once by digest."""

    classes: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Why a widget's files could not be carried, one line per widget class.
    missed: list[str] = field(default_factory=list)

    def add(self, class_id: str, files: Files, esm: str, css: str) -> None:
        """Carry the files that `esm` and `css` name (and those they name in turn)."""
        if class_id in self.classes:
            return
        paths: dict[str, str] = {}
        for path, (data, media) in referenced(files, esm, css).items():
            digest = hashlib.sha256(data).hexdigest()
            paths[path] = digest
            self.files.setdefault(digest, (media, data))
        if paths:
            self.classes[class_id] = paths

    def inline(self) -> dict[str, Any] | None:
        """The page's files tag with the bytes inside (js/src/files.js `PageFiles`)."""
        if not self.classes:
            return None
        files = {
            digest: {"type": media, "data": base64.b64encode(data).decode()}
            for digest, (media, data) in self.files.items()
        }
        return {"classes": self.classes, "files": files}

    def add_saved(self, models: Mapping[str, Any], folder: Path | None = None) -> None:
        """Carry the files of the esmwidget models in a saved widget-state document's ``state``.

        `folder` (a notebook's) is where the kernel found modules the notebook imported.
        """
        for entry in models.values():
            if not isinstance(entry, dict) or not renders(
                entry.get("model_name"), entry.get("model_module")
            ):
                continue
            state = entry.get("state")
            if not isinstance(state, dict):
                continue
            class_id = state.get("_anywidget_id")
            if not isinstance(class_id, str) or class_id in self.classes:
                continue
            esm, css = saved_text(models, state, "_esm"), saved_text(models, state, "_css")
            esm, css = esm if isinstance(esm, str) else "", css if isinstance(css, str) else ""
            named = sorted({*names_in(esm, REFERENCE), *names_in(css, CSS_REFERENCE)})
            if not named:
                continue
            files, why = class_files(class_id, folder)
            if files is None:
                line = (
                    f"{class_id}'s module loads {', '.join(named)} beside it, which this page "
                    f"cannot carry: {why}. Define the widget class in a module (a .py file beside "
                    "the notebook, or a package) so the page can find its files."
                )
                if line not in self.missed:
                    self.missed.append(line)
                continue
            self.add(class_id, files, esm, css)


def saved_text(models: Mapping[str, Any], state: Mapping[str, Any], key: str) -> Any:
    """A saved `_esm`/`_css`: its text, following the "same as" references saved state holds."""
    value = state.get(key)
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get(SAME_AS), str):
        holder = value[SAME_AS]
        if holder in seen or holder not in models:
            return value
        seen.add(holder)
        value = (models[holder].get("state") or {}).get(key)
    return value


def class_files(class_id: str, folder: Path | None = None) -> tuple[Files | None, str]:
    """The files the widget class named `class_id` (``module.Qual.Name``) offers, or why not."""
    parts = class_id.split(".")
    if parts[0] == "__main__":
        return None, "the class was defined in the notebook itself"
    with _searching(folder):
        for cut in range(len(parts) - 1, 0, -1):
            module_name = ".".join(parts[:cut])
            try:
                target: Any = importlib.import_module(module_name)
            except ImportError:
                continue
            except Exception as error:  # a module that fails is reported, not raised
                return None, f"importing {module_name} failed ({type(error).__name__}: {error})"
            for name in parts[cut:]:
                target = getattr(target, name, None)
            break
        else:
            return None, f"no module of {class_id!r} can be imported here"
    if not isinstance(target, type):
        return None, f"{class_id} is not a class in its module"
    return _offered(target), "it offers no files"


def _offered(cls: type) -> Files | None:
    files = getattr(cls, "_esmwidget_file_set", None)
    if isinstance(files, Files):
        return files
    from .._widgets.descriptor import MimeBundleDescriptor  # noqa: PLC0415 - described classes

    for klass in cls.__mro__:
        for value in vars(klass).values():
            if isinstance(value, MimeBundleDescriptor):
                return value.files()
    return None


@contextlib.contextmanager
def _searching(folder: Path | None) -> Iterator[None]:
    """Modules beside the notebook import, as they did in its kernel (whose folder it was)."""
    entry = str(folder) if folder is not None else ""
    added = bool(entry) and entry not in sys.path
    if added:
        sys.path.append(entry)
    try:
        yield
    finally:
        if added:
            sys.path.remove(entry)
