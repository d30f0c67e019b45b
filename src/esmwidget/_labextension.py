"""Where `jupyter labextension develop` finds the prebuilt front end in a source checkout."""

from __future__ import annotations

__all__ = ["labextension_paths"]


def labextension_paths() -> list[dict[str, str]]:
    """Return the `_jupyter_labextension_paths` entry for ``jupyter labextension develop``."""
    return [{"src": "labextension", "dest": "esmwidget"}]
