"""Open Whoosh searchers, one set per thread, kept between searches.

Whoosh readers are not shared safely between threads, and opening one per
search re-reads every segment's table of contents.  Each thread keeps its
searchers until it moves to a newer published build, until it ends, or
until the pool goes.
"""

from __future__ import annotations

import io
import os
import threading
import weakref

from whoosh.filedb.structfile import StructFile
from whoosh.reading import TermNotFound

IDF_TERMS = 4096
"""Terms whose idf a searcher may remember: Whoosh's searcher keeps every
term's for as long as it is open, so a server's memory would grow with each
new word it is asked for.  A search needs a few hundred a language; each
costs some 300 bytes, in each of a server's 19 or so searchers."""

TERMS_KEPT = 1024
"""Term-table entries a segment remembers.  One search looks each query term
up several times (to prune it, weigh the languages, read its documents,
bound and score them), and each look-up probes Whoosh's on-disk hash table
and decodes the entry anew; an entry kept costs about 150 bytes (15,577 entries
after 200 queries of the 20k set, some 2.3 MB a thread)."""


class Searchers:
    """Each thread's open searchers of the build it last searched, by language."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._groups: list[dict] = []
        """Every thread's searchers, closed when the pool goes."""
        weakref.finalize(self, _close_all, self._groups)

    def get(self, generation, code: str):
        """This thread's searcher for one language of ``generation``."""
        local = self._local
        searchers = getattr(local, "searchers", None)
        if searchers is None:
            searchers, local.target = {}, None
            local.searchers = searchers
            self._groups.append(searchers)
            weakref.finalize(threading.current_thread(), _retire, self._groups, searchers)
        if local.target != generation.target:
            _close(searchers)  # the build before's
            local.target = generation.target
        if code not in searchers:
            searchers[code] = _remembering(generation.indexes[code].searcher())
        searcher = searchers[code]
        if len(searcher._idf_cache) > IDF_TERMS:
            searcher._idf_cache.clear()
        return searcher


def _remembering(searcher):
    """The searcher, its segments' term tables remembering the entries they read
    (:class:`_KeptTerms`), and its term table and posting lists read by position
    (:func:`_read_at`)."""
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        terms = getattr(reader, "_terms", None)  # an empty index has none
        if terms is not None:
            _read_at(terms._dbfile)
            _read_at(terms._postfile)
            reader._terms = _KeptTerms(terms)
    return searcher


def _read_at(file) -> None:
    """Make a Whoosh file's reads at a position one ``os.pread`` each.

    Whoosh seeks its buffered file, then reads, which refills the buffer.
    Looking a term up reads its hash table two or three times, and a search
    looks up some 600 terms: by position, a look-up takes a fifth less time.
    ``pread`` leaves the file's own position alone, so Whoosh's sequential
    reads are unchanged.  A file read otherwise (in memory, or part of a
    compound segment) keeps its reads; a closed one refuses, as Whoosh's
    does, rather than read whatever file took its descriptor.
    """
    if type(file) is not StructFile or not isinstance(file.file, (io.BufferedReader, io.FileIO)):
        return
    handle = file.file.fileno()

    def get(position: int, length: int) -> bytes:
        if file.is_closed:
            raise ValueError("I/O operation on closed file")
        return os.pread(handle, length, position)

    file.get = get


class _KeptTerms:
    """A segment's term table (Whoosh's ``W3TermsReader``) that keeps each term's entry
    once read, up to :data:`TERMS_KEPT`, the absent ones too: the segment's
    reader asks it whether a term is there, its document frequency, its entry
    and its postings, each of which reads the entry from disk anew.  An
    index's segments never change, so an entry kept is never stale.
    Everything else is the table's own."""

    def __init__(self, terms) -> None:
        self._terms = terms
        self._entries: dict[tuple[str, bytes], object] = {}

    def __getattr__(self, name: str):
        return getattr(self._terms, name)

    def _entry(self, fieldname: str, tbytes: bytes):
        """The term's entry, None when the segment lacks it."""
        key = (fieldname, tbytes)
        try:
            return self._entries[key]
        except KeyError:
            pass
        if len(self._entries) >= TERMS_KEPT:
            self._entries.clear()
        try:
            entry = self._terms.term_info(fieldname, tbytes)
        except TermNotFound:
            entry = None
        self._entries[key] = entry
        return entry

    def __contains__(self, term) -> bool:
        return self._entry(*term) is not None

    def term_info(self, fieldname: str, tbytes: bytes):
        entry = self._entry(fieldname, tbytes)
        if entry is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return entry

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        entry = self._entry(fieldname, tbytes)
        if entry is None:
            raise KeyError((fieldname, tbytes))  # as the table's own: the reader counts 0
        return entry.weight()

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        entry = self._entry(fieldname, tbytes)
        if entry is None:
            raise KeyError((fieldname, tbytes))
        return entry.doc_frequency()

    def matcher(self, fieldname: str, tbytes: bytes, format_, scorer=None):
        terms = self._terms
        return terms._codec.postings_reader(terms._postfile, self.term_info(fieldname, tbytes),
                                            format_, term=(fieldname, tbytes), scorer=scorer)


def _close(searchers: dict) -> None:
    """Close and forget searchers (Whoosh keeps each segment file open until then).

    A thread's end and the pool's end may both close the same group at once,
    from two threads: taking each searcher out before closing it means only
    one of them closes it.  At the interpreter's exit Whoosh may have closed
    a file already, and says so by raising: nothing is left to close then.
    """
    while True:
        try:
            _, searcher = searchers.popitem()
        except KeyError:
            return
        try:
            searcher.close()
        except ValueError:  # "This file is already closed"
            pass


def _retire(groups: list, searchers: dict) -> None:
    """A thread ended: close its searchers and stop tracking them."""
    _close(searchers)
    groups[:] = [group for group in groups if group is not searchers]


def _close_all(groups: list) -> None:
    """The pool is gone: close every thread's searchers."""
    for searchers in list(groups):
        _close(searchers)
