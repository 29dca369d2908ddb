"""Posting lists read the cheap way: a block at a time, once per search.

Whoosh reads a posting list through a matcher, one Python call per posting,
and unions the twins of a word through a tree of matchers, a few more calls
per posting each.  A best-match search needs every document of every word
(totals count them all), so each term's list is read here straight from
its blocks (up to 128 documents each), and kept for the search
(:class:`Lists`): the blocks read to count a word's documents are the ones
its scores (``search.scores``) and the positions its page marks are taken
from.  A page's documents are then found in a list by bisection, where
Whoosh's matcher steps through a block one posting at a time.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from itertools import chain

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import WrappingMatcher
from whoosh.reading import TermNotFound

from .bestmatch import Counted

CHECK_EVERY = 64
"""Documents visited between two calls of the deadline check."""


def alternatives(q) -> list:
    """The parts of which a query matches any: the words of an ``Or``, a word's twins."""
    if type(q) is Counted:
        return alternatives(q.child)
    if type(q) is wq.Or and not (q.scale or q.minmatch):
        return [part for sub in q.subqueries for part in alternatives(sub)]
    return [q]


def document_ids(searcher, q, lists: Lists | None = None) -> set[int]:
    """Every document ``q`` matches, unscored; a term's read from its list a block at a
    time (and kept in ``lists``, for scoring)."""
    lists = Lists() if lists is None else lists
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        for part in alternatives(q):
            blocks = lists.blocks(leaf.reader(), part) if type(part) is wq.Term else None
            if blocks is not None:
                ids = chain.from_iterable(block[1] for block in blocks)
            else:
                ids = lists.phrase(leaf, part) if type(part) is wq.Phrase else part.docs(leaf)
            found.update((offset + i for i in ids) if offset else ids)
    return found


class Lists:
    """The terms' posting lists read in one language for one search, kept until it ends,
    and the documents of its phrases.

    A best-match query reads the whole list of each of its words, to count
    their documents; scoring a document then finds its weight in what was
    read, instead of opening and reading the list again, once for the
    documents with the highest bounds and once more for the rest.  A phrase is
    scored from its words' lists at the documents found to hold it.
    """

    def __init__(self) -> None:
        self._read: dict[tuple, list | None] = {}
        self._phrases: dict[tuple, set[int]] = {}

    def phrase(self, leaf, phrase: wq.Phrase) -> set[int]:
        """The documents of one segment (``leaf``, its searcher) that hold the phrase."""
        key = (id(leaf), phrase)
        if key not in self._phrases:
            found = _phrase_ids(leaf.reader(), phrase)
            self._phrases[key] = set(phrase.docs(leaf) if found is None else found)
        return self._phrases[key]

    def blocks(self, reader, term: wq.Term) -> list[Block] | None:
        """The term's list in one segment as :data:`Block` s; None when it is not a plain
        on-disk list."""
        key = (id(reader), term.fieldname, term.text)
        if key not in self._read:
            self._read[key] = _blocks(reader, term)
        return self._read[key]

    def kept(self, reader, field: str, text: str) -> list[Block] | None:
        """The term's blocks in one segment if this search has read them, else None."""
        return self._read.get((id(reader), field, text))


def _phrase_ids(reader, phrase: wq.Phrase) -> list[int] | None:
    """The documents of one segment that hold the phrase, its words at positions in a row;
    None for a phrase with slop, or words whose lists are not plain on-disk ones.

    Whoosh's phrase matcher finds the same documents, but moves each word's
    list one posting at a time inside a block; here the lists leap to each
    other's next document by bisection (:func:`_seek`).
    """
    field = reader.schema[phrase.fieldname]
    if phrase.slop != 1 or not field.format.supports("positions"):
        return None
    leaves = []
    for word in phrase.words:
        try:
            leaf = reader.postings(phrase.fieldname, word)
        except TermNotFound:
            return []
        if type(leaf) is not W3LeafMatcher:
            return None
        leaves.append(leaf)
    found: list[int] = []
    doc = 0
    while True:
        top = doc
        for leaf in leaves:
            if not _seek(leaf, top):
                return found
            top = max(top, leaf.id())
        if top > doc:
            doc = top
            continue
        if _in_a_row([leaf.value_as("positions") for leaf in leaves]):
            found.append(doc)
        doc += 1


def _in_a_row(positions: list[list[int]]) -> bool:
    """Whether the words' positions hold one position of each, one after the other."""
    later = [set(where) for where in positions[1:]]
    return any(all(start + n in where for n, where in enumerate(later, 1))
               for start in positions[0])


Block = tuple[int, tuple, object, object]
"""A block of a term's list, as read: its highest document, its documents, their
weights as stored (see :func:`block_weight`) and their values (positions, encoded)."""


def _blocks(reader, term: wq.Term) -> list[Block] | None:
    """What :meth:`Lists.blocks` gives, read from the segment (no scorer to set up)."""
    try:
        leaf = reader.postings(term.fieldname, term.text)
    except TermNotFound:
        return []
    if type(leaf) is not W3LeafMatcher:  # a filter of deleted documents on it
        return None
    blocks = []
    while leaf.is_active():
        leaf._read_ids()
        leaf._read_values()
        blocks.append((leaf._maxid, leaf._ids, leaf._data[1], leaf._values))
        leaf._next_block()
    return blocks


def located(blocks: list[Block], docs: list[int], check=None):
    """``(doc, block, i)`` for each of ``docs`` (sorted) in a list's blocks: the block
    holding it and its place there, found by bisection.

    ``check`` is called once per block searched (to give up past a deadline).
    """
    at = 0
    for block in blocks:
        if at == len(docs):
            return
        top, ids = block[0], block[1]
        if top < docs[at]:
            continue
        if check is not None:
            check()
        end = bisect_right(docs, top, at)
        for doc in docs[at:end]:
            i = bisect_left(ids, doc)
            if i < len(ids) and ids[i] == doc:
                yield doc, block, i
        at = end


def block_weight(block: Block, i: int) -> float:
    """The weight of a block's ``i``-th document from its weights as Whoosh stores them:
    None when all are 1, one number when all are the same, else one each."""
    weights = block[2]
    if weights is None:
        return 1.0
    return weights if type(weights) is float else weights[i]


def _unwrapped(matcher):
    """The matcher under a term's boosts (a filter of deleted documents stays on)."""
    while type(matcher) is WrappingMatcher:
        matcher = matcher.child
    return matcher


def visit(matcher, docs: list[int], check=None):
    """Each of ``docs`` (sorted) that ``matcher`` holds, the matcher moved onto it.

    The matcher and the list leap over each other: each moves to the
    other's next document, so a phrase held by few of many documents
    costs a step per document it holds, not one per document asked.  A
    plain on-disk list is moved a block at a time and searched inside the
    block by bisection: Whoosh's ``skip_to`` steps through a block one
    posting at a time.  ``check`` is called every :data:`CHECK_EVERY` steps
    (to give up past a deadline).
    """
    leaf = _unwrapped(matcher)
    plain = type(leaf) is W3LeafMatcher
    at = steps = 0
    while at < len(docs):
        if check is not None and not steps % CHECK_EVERY:
            check()
        steps += 1
        doc = docs[at]
        if plain:
            if not _seek(leaf, doc):
                return
        elif matcher.is_active() and matcher.id() < doc:
            matcher.skip_to(doc)
        if not matcher.is_active():
            return
        found = matcher.id()
        if found == doc:
            yield doc
            at += 1
        else:
            at = bisect_left(docs, found, at)


def _seek(leaf, doc: int) -> bool:
    """Move an on-disk list to its first document at or after ``doc``; False past its end."""
    while leaf.is_active() and leaf._maxid < doc:
        leaf._next_block()
    if not leaf.is_active():
        return False
    if leaf._ids is None:
        leaf._read_ids()
    leaf._i = bisect_left(leaf._ids, doc, leaf._i)
    return True


_LENGTHS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""Per open segment reader, its fields' lengths (a reader serves one thread)."""


def field_lengths(reader, field: str) -> bytes:
    """Every document's length of ``field`` in one segment, a byte each as Whoosh keeps it
    (:func:`~whoosh.util.numeric.byte_to_length` reads one), read once per reader.

    Whoosh reads each length from the column file when a document is scored,
    a file read per document and field.
    """
    kept = _LENGTHS.setdefault(reader, {})
    lengths = kept.get(field)
    if lengths is None:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        stored = (column._dbfile.get(column._basepos, column._count) if column is not None
                  else b"")
        lengths = kept[field] = stored + bytes(reader.doc_count_all() - len(stored))
    return lengths
