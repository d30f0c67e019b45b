"""The ``%%vfile NAME`` store: module and stylesheet texts written by notebook cells."""

from __future__ import annotations

from psygnal import Signal

__all__ = ["VirtualFile", "clear_vfiles", "vfile", "write_vfile"]


class VirtualFile:
    """In-memory module or stylesheet text written by a ``%%vfile NAME`` cell."""

    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text

    def write(self, text: str) -> None:
        """Replace the text; every live widget using it updates."""
        if text != self.text:
            self.text = text
            self.changed.emit(text)


_vfiles: dict[str, VirtualFile] = {}


def vfile(name: str) -> VirtualFile | None:
    """The virtual file called `name` (``NAME.js``, without the ``vfile:`` prefix), if any."""
    return _vfiles.get(name)


def write_vfile(name: str, text: str) -> VirtualFile:
    """Create or update a virtual file."""
    existing = _vfiles.get(name)
    if existing is None:
        existing = _vfiles[name] = VirtualFile(name, text)
    else:
        existing.write(text)
    return existing


def clear_vfiles() -> None:
    """Forget every virtual file (live widgets keep their last text)."""
    _vfiles.clear()
