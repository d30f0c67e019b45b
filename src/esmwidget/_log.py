"""Where esmwidget's log lines go: the kernel's own log, never into a notebook cell.

Python's fallback for a logger with no handler writes to ``sys.stderr``. In a kernel that is the
stream of whichever cell or message the kernel is handling: a hot reload's line, written from the
file watcher's thread, landed under an unrelated cell, and a refused value's line under the widget
it concerns only by chance. esmwidget's lines go instead to the kernel process's own error stream
(the terminal or log of the Jupyter server), where the fallback would have sent them outside a
kernel. An application that configured logging (handlers on the root logger) gets them through
its handlers, as before.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["install"]


class _KernelLog(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if logging.getLogger().handlers:
            return  # the application's handlers have the record
        stream = sys.__stderr__
        if stream is None:
            return
        try:
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:  # as logging does: a failing stream never raises here
            self.handleError(record)


def install() -> None:
    """Give the ``esmwidget`` logger its handler (once)."""
    logger = logging.getLogger("esmwidget")
    if not any(isinstance(handler, _KernelLog) for handler in logger.handlers):
        logger.addHandler(_KernelLog(logging.WARNING))
