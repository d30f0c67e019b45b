"""Python-side trait sets reach the page at a pace Jupyter Server lets through.

Jupyter Server drops iopub messages above 1,000 a second (``iopub_msg_rate_limit``, averaged
over 3 s), silently for widget updates: a loop that sets a trait 1,000 times a second lost about
one update in eight, and when the last one is dropped the view keeps a stale value for good. So
the updates that Python-side sets send are paced, process-wide: a burst of `BURST` goes at once,
then `RATE` a second. A set beyond that marks its key pending on its widget, and a timer thread
sends the widget's latest values when the pace allows, one update per widget, so sets made in
between are merged and the last value always goes. Every other message (custom messages, echoes,
corrections, replies, closing) first sends whatever is pending, so nothing overtakes an earlier
set. docs/performance.md, "Streaming".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

__all__ = ["BURST", "RATE", "Pacer", "pacer"]

logger = logging.getLogger("esmwidget")

RATE = 500.0  # updates a second, sustained, for the whole kernel
BURST = 200.0  # updates sent at once before the pace applies


class Paced(Protocol):
    """What the pacer sends for: a widget's `Sync`."""

    def send_now(self, keys: Iterable[str]) -> None: ...


Timer = Callable[[float, Callable[[], None]], None]


class _Ticker:
    """One long-lived daemon thread that runs callbacks after a delay.

    One thread, not a `threading.Timer` per tick: ipykernel gives every thread that publishes
    its own socket to the iopub thread, so a thread per tick would use up file descriptors.
    """

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.queue: list[tuple[float, Callable[[], None]]] = []
        self.thread: threading.Thread | None = None

    def __call__(self, delay: float, callback: Callable[[], None]) -> None:
        with self.condition:
            self.queue.append((time.monotonic() + delay, callback))
            self.queue.sort(key=lambda item: item[0])
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, daemon=True, name="esmwidget-pace")
                self.thread.start()
            self.condition.notify()

    def _run(self) -> None:
        while True:
            with self.condition:
                while not self.queue or self.queue[0][0] > time.monotonic():
                    wait = self.queue[0][0] - time.monotonic() if self.queue else None
                    self.condition.wait(wait)
                _, callback = self.queue.pop(0)
            try:
                callback()
            except Exception:
                logger.exception("esmwidget: a paced update failed")


_thread_timer = _Ticker()


class Pacer:
    """A token bucket for Python-side updates, with the keys waiting for a token."""

    def __init__(
        self,
        *,
        rate: float = RATE,
        burst: float = BURST,
        clock: Callable[[], float] = time.monotonic,
        timer: Timer = _thread_timer,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.timer = timer
        self.enabled = True
        self.tokens = burst
        self.stamp = clock()
        self.pending: dict[Paced, dict[str, None]] = {}
        self.lock = threading.Lock()  # guards `pending` and `scheduled`
        # Held while pending updates are sent: no other message (and no new set) may go out
        # between taking an update from `pending` and sending it, or it could overtake it.
        self.sending = threading.Lock()
        self.sender: int | None = None  # the thread holding `sending`
        self.scheduled = False

    def allow(self) -> bool:
        """Whether an update may go now (it takes a token); False while others wait."""
        if not self.enabled:
            return True
        if self.pending or self.sending.locked():
            return False
        return self._take()

    def defer(self, link: Paced, keys: Iterable[str]) -> None:
        """Send `keys` of `link` when the pace allows, with the values they have then."""
        with self.lock:
            waiting = self.pending.get(link)
            if waiting is None:
                waiting = self.pending[link] = {}
            waiting.update(dict.fromkeys(keys))
            self._schedule()

    def flush(self) -> None:
        """Send everything pending now, oldest first: another message is about to go."""
        if not self.pending and not self.sending.locked():
            return
        if self.sender == threading.get_ident():
            return  # called from inside a send: what it would flush is being sent now
        with self.sending:
            with self.lock:
                due, self.pending = list(self.pending.items()), {}
            self._send(due)

    def forget(self, link: Paced) -> None:
        """Drop what `link` had pending (its comm is gone)."""
        with self.lock:
            self.pending.pop(link, None)

    def _take(self) -> bool:
        now = self.clock()
        tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if tokens >= 1 - 1e-9:  # a whole token, give or take the clock's rounding
            self.tokens = max(0.0, tokens - 1)
            return True
        self.tokens = tokens
        return False

    def _schedule(self) -> None:
        # Called with the lock held.
        if self.scheduled or not self.pending:
            return
        self.scheduled = True
        wait = max(0.0, (1 - self.tokens) / self.rate)
        self.timer(wait, self._tick)

    def _tick(self) -> None:
        with self.sending:
            with self.lock:
                self.scheduled = False
                due = []
                while self.pending and self._take():
                    link = next(iter(self.pending))
                    due.append((link, self.pending.pop(link)))
            self._send(due)
            with self.lock:
                self._schedule()  # what was set meanwhile, or did not get a token

    def _send(self, due: list[tuple[Paced, dict[str, None]]]) -> None:
        # Called with `sending` held.
        self.sender = threading.get_ident()
        try:
            for link, keys in due:
                try:
                    link.send_now(keys)
                except Exception:
                    # The pacer's thread must never die of one widget (it would strand others).
                    logger.exception("esmwidget: sending a paced update failed")
        finally:
            self.sender = None


pacer = Pacer()
"""The process-wide pacer, for the comms of an ipykernel kernel (`_comm.paced`)."""
