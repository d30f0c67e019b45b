"""Warnings that point at the user's line: the first frame outside the esmwidget package."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from types import FrameType

__all__ = ["warn_user"]

_PACKAGE = str(Path(__file__).resolve().parent)


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """`warnings.warn` with the stack level of the caller's caller outside esmwidget."""
    level = 2  # for warnings.warn, 1 is this line and 2 the caller's
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
