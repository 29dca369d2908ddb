"""The pages last searched, kept so that a repeated search is answered at once."""

from __future__ import annotations

import threading
from collections import OrderedDict

RESULTS = 2560
"""Results kept per engine, all pages together (256 pages of ten): a reader
paging back, a widget retyping, a feed polled.  Counted in results, not in
pages, because a page may hold up to a hundred."""


class PageCache:
    """A bounded, thread-safe map from (published build, request) to its result page.

    The build is part of the key, so a rebuild or an update is never
    answered from the pages of the build before; those age out.
    """

    def __init__(self, results: int = RESULTS) -> None:
        self.results = results
        self._pages: OrderedDict = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key):
        """The page kept for ``key``, or None; a hit becomes the most recent."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        """Keep ``page``, dropping the least recently used ones past :data:`RESULTS`."""
        with self._lock:
            if key in self._pages:
                self._held -= _weight(self._pages.pop(key))
            self._pages[key] = page
            self._held += _weight(page)
            while self._held > self.results and len(self._pages) > 1:
                self._held -= _weight(self._pages.popitem(last=False)[1])


def _weight(page) -> int:
    return max(1, len(page.results))
