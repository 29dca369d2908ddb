"""A cap on the exports a server process runs at once, so that searches keep their threads.

An export (every result of a search as CSV) may take the engine's
``EXPORT_TIME_LIMIT``, against a search's few seconds.  Without a cap a few
exports held every server thread, and ordinary searches waited behind them.
``python -m webui`` gives each process one thread per export slot on top of
its ``--threads``, so those stay free for everything else.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager

from werkzeug.exceptions import ServiceUnavailable

from search.engine import EXPORT_TIME_LIMIT


class ExportSlots:
    """At most ``size`` exports at once in this process; one more is a 503 with Retry-After."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._started: list[float] = []
        """When each running export started (``time.monotonic()``)."""

    @contextmanager
    def held(self):
        """Run an export in a free slot, or refuse it at once saying when to try again."""
        now = time.monotonic()
        with self._lock:
            if len(self._started) >= self.size:
                raise _busy(self.size, self._retry_after(now))
            self._started.append(now)
        try:
            yield
        finally:
            with self._lock:
                self._started.remove(now)

    def _retry_after(self, now: float) -> int:
        """Seconds until the oldest running export reaches its time limit (at least 1)."""
        return max(1, math.ceil(min(self._started) + EXPORT_TIME_LIMIT - now))


def _busy(size: int, seconds: int) -> ServiceUnavailable:
    noun = "export is" if size == 1 else "exports are"
    return ServiceUnavailable(
        f"{size} {noun} already running on this server, the most it runs at once; "
        f"try again in {seconds} s", retry_after=seconds)


def init_app(app) -> None:
    """Give the app its export slots (``EXPORT_SLOTS``, one by default)."""
    app.extensions["exports"] = ExportSlots(int(app.config["EXPORT_SLOTS"]))
