"""Where the Jupyter extension commands find the prebuilt front ends in the package."""

from __future__ import annotations

__all__ = ["labextension_paths", "nbextension_paths"]


def labextension_paths() -> list[dict[str, str]]:
    """Return the `_jupyter_labextension_paths` entry for ``jupyter labextension develop``."""
    return [{"src": "labextension", "dest": "esmwidget"}]


def nbextension_paths() -> list[dict[str, str]]:
    """Return the `_jupyter_nbextension_paths` entry for ``jupyter nbextension install --py``.

    The wheel installs the classic nbextension and its ``notebook.d`` switch by itself; this is
    for the classic ``jupyter nbextension`` commands (and ``--symlink`` in a checkout).
    """
    return [
        {
            "section": "notebook",
            "src": "nbextension",
            "dest": "esmwidget",
            "require": "esmwidget/extension",
        }
    ]
