"""One published build of the index, opened: what every search of it shares.

A server opens a generation once and keeps it until the ``current`` link
moves: its language indexes, their query parsers and vocabularies, the
translation catalog, the columns that grouping and sorting read for every
hit, and the file sizes that tell a damaged index from a sound one (its
files' checksums are verified once, when it is opened).  While
it is kept (until the last request on it ends), no build removes it.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IndexDamaged, IndexMissing
from .query import parser_for
from .store import (CATALOG, CURRENT, MANIFEST, check_format, corruption, current_generation,
                    damage, hold, language_codes, open_language, read_json)
from .vocabulary import Vocabulary

WORD_COUNTS = 20_000
"""Query words whose document counts a generation remembers (:meth:`Generation.holding`);
some 200 bytes each."""
HOLD_ATTEMPTS = 3
"""Times to read the ``current`` link when the generation it named is removed at once."""


@dataclass
class Generation:
    """One published build, opened: its indexes, parsers, vocabularies and catalog."""

    root: Path
    path: Path
    target: str
    indexes: dict
    parsers: dict
    vocabularies: dict
    catalog: dict
    built: str
    sizes: dict
    """Every index file's size as the build wrote it (the manifest's)."""
    columns: dict = field(default_factory=dict)
    """(language, column name) -> every document's value, read on first use."""
    counts: dict = field(default_factory=dict)
    """(language, word) -> how many documents hold the word, in any form (:meth:`holding`)."""
    checked: float = 0.0
    problem: str | None = None
    """What :meth:`check` found wrong with the files, once it has."""

    @classmethod
    def open(cls, root: Path, target: str) -> "Generation":
        """Open a generation and hold it (see :func:`search.store.hold`) while it is kept.

        Anything unreadable in it is :class:`IndexDamaged`.
        """
        path, held = _hold_current(root)
        try:
            generation = cls._open(root, target, path)
        except BaseException:
            os.close(held)
            raise
        weakref.finalize(generation, os.close, held)  # released with the last request on it
        return generation

    @classmethod
    def _open(cls, root: Path, target: str, path: Path) -> "Generation":
        try:
            check_format(path)
            manifest = read_json(path, MANIFEST)
            sizes = manifest.get("sizes", {})
            problem = damage(path, sizes) or corruption(path, manifest["checksums"])
            if problem:
                raise IndexDamaged(str(root), problem)
            indexes = {code: open_language(path, code) for code in language_codes(path)}
            catalog = read_json(path, CATALOG)["statements"]
            for ix in indexes.values():
                ix.searcher().close()  # reads every segment's table of contents
        except Exception as error:  # a damaged file fails in any of a dozen ways
            if isinstance(error, IndexMissing):
                raise
            raise IndexDamaged(str(root), f"{type(error).__name__}: {error}") from None
        return cls(root, path, target, indexes,
                   {code: parser_for(ix.schema) for code, ix in indexes.items()},
                   {code: Vocabulary(ix) for code, ix in indexes.items()}, catalog,
                   manifest["built"], sizes, checked=time.monotonic())

    def check(self, every: float = 0.0) -> None:
        """Raise :class:`IndexDamaged` if an index file is not as built (at most every ``every`` s).

        A file truncated, replaced or deleted under a running server would
        otherwise be answered from the copies its searchers still hold, or
        fail deep inside a search.
        """
        now = time.monotonic()
        if self.problem is None and now - self.checked >= every:
            self.checked = now
            self.problem = damage(self.path, self.sizes)
        if self.problem:  # damage stays until a rebuild publishes a new generation
            raise IndexDamaged(str(self.root), self.problem)

    def column(self, code: str, searcher, name: str) -> list:
        """Every document's value of one language's column, read once per generation.

        Kept in memory and shared by every thread: reading each hit's values
        from the column files cost a tenth of a search (a file read per
        value), and three columns of 20,000 documents take a few MB.
        """
        values = self.columns.get((code, name))
        if values is None:
            values = _column_values(searcher.reader(), name, translate=name != "date")
            self.columns[code, name] = values
        return values

    def holding(self, code: str, word: str, count) -> int:
        """How many of a language's documents hold a query word, ``count(word)`` remembered.

        Weighing a query's languages looks each of its words up in every
        language (:func:`search.ranking.language_weights`).  The answer
        changes only with the build, and readers ask for the same words.
        """
        found = self.counts.get((code, word))
        if found is None:
            if len(self.counts) >= WORD_COUNTS:
                self.counts.clear()
            found = self.counts[code, word] = count(word)
        return found


class Served:
    """The generation served at ``root``, reopened when the ``current`` link moves.

    So a server picks up a new build without a restart.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.generation: Generation | None = None
        self._lock = threading.Lock()

    def current(self, every: float) -> Generation:
        """The generation the ``current`` link names, its files checked at most every ``every`` s.

        :raise IndexMissing: when no index is built, or it was deleted.
        """
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            raise IndexMissing(str(self.root)) from None
        if not os.path.exists(self.root / CURRENT / MANIFEST):
            # Deleted under a running server: say so, rather than answer from
            # files that only the open searchers still hold.
            raise IndexMissing(str(self.root))
        generation = self.generation
        if generation is None or generation.target != target:
            with self._lock:
                if self.generation is None or self.generation.target != target:
                    self.generation = Generation.open(self.root, target)
                generation = self.generation
        generation.check(every=every)
        return generation


def _hold_current(root: Path) -> tuple[Path, int]:
    """The served generation and the descriptor that holds it for reading.

    A generation removed between reading the ``current`` link and holding it
    (two publishes in that instant) is passed over for the one served now.
    """
    for _ in range(HOLD_ATTEMPTS):
        path = current_generation(root)
        try:
            return path, hold(path)
        except FileNotFoundError:
            continue
    raise IndexMissing(str(root))


def _column_values(reader, name: str, translate: bool) -> list:
    """Every document's value of a column, by document number (None where a segment has none).

    Read segment by segment: Whoosh's own multi-segment column reader leaves
    out the segments that lack the column and then maps document numbers to
    the wrong segment, or fails when no segment has it (an index without any
    date).
    """
    values: list = []
    for leaf, _ in reader.leaf_readers():
        if leaf.has_column(name):
            values.extend(leaf.column_reader(name, translate=translate))
        else:
            values.extend([None] * leaf.doc_count_all())
    return values
