"""Posting lists read the cheap way: document numbers a block at a time, scores term by term.

Whoosh reads a posting list through a matcher, one Python call per posting,
and unions the twins of a word through a tree of matchers, a few more calls
per posting each.  A best-match search needs every document of every word
(totals count them all) and their scores, so both are read here straight
from each term's list: its document numbers one block (up to 128) at a
time, its scores only at the documents wanted.

A word counts once in a document's score, however many of its twins match
(:func:`word_score`): Whoosh would add them up, so that a word whose exact
form, stem and folded form all match weighed three times one that only
shares a stem with the text, and a page repeating one query word could
pass a page holding all of them.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from itertools import chain

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, bm25
from whoosh.util.numeric import byte_to_length

from .bestmatch import Counted
from .fields import text_field

CHECK_EVERY = 64
"""Documents scored between two calls of the deadline check."""
TIE = 0.1
"""What a word's other twins add to its best one in a field: Elasticsearch's
``tie_breaker`` of a ``multi_match`` over its best fields.  A little, so that
the form the reader typed still ranks above another form of it."""


def alternatives(q) -> list:
    """The parts of which a query matches any: the words of an ``Or``, a word's twins."""
    if type(q) is Counted:
        return alternatives(q.child)
    if type(q) is wq.Or and not (q.scale or q.minmatch):
        return [part for sub in q.subqueries for part in alternatives(sub)]
    return [q]


def words(q, boost: float = 1.0) -> list[list[tuple[object, float]]]:
    """The query's words, each as the parts (its twins) that score it, with their boosts.

    A counted word is one word; so is an ``Or`` of terms or phrases only (a
    required word's or a phrase's twins).  Around them an ``Or`` and an
    ``And`` score the sum of their parts present, times their own boost;
    ``a ANDMAYBE b`` the sum of both, ``a ANDNOT b`` that of ``a``.  Whoosh
    ignores the boost of a group of one (it returns the one part's matcher)
    and of a binary query, and so does this.  Any other query is a word of
    its own, of one part.
    """
    if type(q) is Counted or _twins(q):
        return [[part for word in _inside(q, boost) for part in word]]
    return _inside(q, boost)


def _inside(q, boost: float) -> list[list[tuple[object, float]]]:
    """The words of the parts of ``q`` (see :func:`words`)."""
    if type(q) is Counted:
        return words(q.child, boost)
    if type(q) in (wq.Or, wq.And) and not (getattr(q, "scale", 0) or getattr(q, "minmatch", 0)):
        inner = boost * q.boost if len(q.subqueries) > 1 else boost
        return [word for sub in q.subqueries for word in words(sub, inner)]
    if type(q) is wq.AndMaybe:
        return words(q.a, boost) + words(q.b, boost)
    if type(q) is wq.AndNot:
        return words(q.a, boost)
    return [[(q, boost)]]


def _field(part) -> object:
    """What a word's part is grouped by when scored: its text field, else the part itself."""
    return text_field(getattr(part, "fieldname", None) or "") or id(part)


def _twins(q) -> bool:
    return (type(q) is wq.Or and not (q.scale or q.minmatch)
            and all(type(sub) in (wq.Term, wq.Phrase) for sub in q.subqueries))


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
    documents holding most words and once more for the rest.  A phrase is
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
weights as stored (see :func:`_weight`) and their values (positions, encoded)."""


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


def _weight(weights, i: int) -> float:
    """The weight of a block's ``i``-th document from its weights as Whoosh stores them:
    None when all are 1, one number when all are the same, else one each."""
    if weights is None:
        return 1.0
    return weights if type(weights) is float else weights[i]


def _unwrapped(matcher) -> tuple[object, float]:
    """The matcher under a term's boosts, and the boost they multiply its scores by.

    Only plain boosts are taken off: a filter of deleted documents stays on.
    """
    boost = 1.0
    while type(matcher) is WrappingMatcher:
        boost *= matcher.boost
        matcher = matcher.child
    return matcher, boost


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
    leaf, _ = _unwrapped(matcher)
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


def scores_at(searcher, q, docs: list[int], context, check, lists: Lists | None = None
              ) -> dict[int, float]:
    """The scores of ``q`` at ``docs``, sorted documents it matches: the sum of its words'.

    Each twin of each word is scored on its own, at the wanted documents
    only: cheaper than Whoosh's tree of matchers over all of them, and
    exact where that tree is not (its ``ANDMAYBE`` moved to a document
    loses the optional part when the required one passed it).
    ``check`` is called every few documents (to give up past a deadline);
    ``lists`` has the terms' lists this search has read.
    """
    lists = Lists() if lists is None else lists
    scores: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        ours = [doc - offset for doc in docs if offset <= doc < offset + leaf.doc_count_all()]
        for word in words(q) if ours else ():
            for doc, score in word_score(leaf, word, ours, context, check, lists).items():
                scores[offset + doc] = scores.get(offset + doc, 0.0) + score
    return scores


def ceiling(searcher, q, known: dict | None = None) -> float:
    """A score no document can pass for ``q``: each word's twins at their best.

    A term's best is its BM25F at its highest weight and shortest field,
    from the term's entry in the table (no posting list is read); a
    phrase's, the sum of its words' (Whoosh scores a phrase as the sum of
    its terms' scores).  Any other part (a broad query) has no ceiling:
    infinite.  ``known`` keeps each part's best for the next call on the
    same query's parts.
    """
    known = {} if known is None else known
    total = 0.0
    for word in words(q):
        fields: dict[object, list[float]] = {}
        for part, boost in word:
            best = known.get(part)
            if best is None:
                best = known[part] = _part_ceiling(searcher, part)
            if best == float("inf"):
                return best
            fields.setdefault(_field(part), []).append(boost * part.boost * best)
        total += sum(_tied(max(ubs), sum(ubs)) for ubs in fields.values())
    return total


def _tied(best: float, total: float) -> float:
    """A word's score in one field, from its best twin's and all its twins' together:
    the best and :data:`TIE` of the others."""
    return best + TIE * (total - best)


def _part_ceiling(searcher, part) -> float:
    """The highest score of a term or a phrase (the sum of its words'); infinite for
    any other part."""
    if type(part) is wq.Term:
        return _term_ceiling(searcher, part)
    if type(part) is wq.Phrase:
        return sum(_term_ceiling(searcher, wq.Term(part.fieldname, word)) for word in part.words)
    return float("inf")


def _term_ceiling(searcher, term: wq.Term) -> float:
    """A term's BM25F at its highest weight and shortest field (0 for a term the index lacks)."""
    try:
        return searcher.weighting.scorer(searcher, term.fieldname, term.text).max_quality()
    except TermNotFound:
        return 0.0


def word_score(searcher, word: list[tuple[object, float]], docs: list[int], context, check,
               lists: Lists) -> dict[int, float]:
    """One word's BM25F score at each of ``docs`` it matches.

    In each text field its best twin counts, and :data:`TIE` of the others;
    the fields (title, body) add up, as BM25F's do.
    """
    fields: dict[object, list[dict[int, float]]] = {}
    for part, boost in word:
        scored = _scored(searcher, part, docs, context, check, lists)
        if boost != 1:
            scored = {doc: score * boost for doc, score in scored.items()}
        fields.setdefault(_field(part), []).append(scored)
    scores: dict[int, float] = {}
    for twins in fields.values():
        if len(twins) == 1:
            for doc, score in twins[0].items():
                scores[doc] = scores.get(doc, 0.0) + score
            continue
        for doc in set().union(*twins):
            found = [twin[doc] for twin in twins if doc in twin]
            scores[doc] = scores.get(doc, 0.0) + _tied(max(found), sum(found))
    return scores


def _scored(searcher, part, docs: list[int], context, check, lists: Lists
            ) -> dict[int, float]:
    """The score of ``part`` at each of ``docs`` (sorted) it matches.

    A term is scored from its list's blocks as BM25F would (:func:`_term_scored`),
    a phrase from its words' (:func:`_phrase_scored`); any other part through
    Whoosh's matcher.
    """
    if type(part) is wq.Term and type(searcher.weighting) is BM25F:
        blocks = lists.blocks(searcher.reader(), part)
        if blocks is not None:
            return _term_scored(searcher, part, blocks, docs, check)
    if type(part) is wq.Phrase and type(searcher.weighting) is BM25F:
        scored = _phrase_scored(searcher, part, docs, check, lists)
        if scored is not None:
            return scored
    matcher = part.matcher(searcher, context)
    return {doc: matcher.score() for doc in visit(matcher, docs, check)}


def _phrase_scored(searcher, phrase: wq.Phrase, docs: list[int], check, lists: Lists
                   ) -> dict[int, float] | None:
    """A phrase's score at each of ``docs`` that holds it, as Whoosh's matcher scores it:
    the sum of its words' term scores, added up as its binary tree of matchers does,
    times its boost.  None when a word's list is not a plain on-disk one.

    Walking Whoosh's phrase matcher again reads every word's positions
    at each document, which finding the phrase's documents already did.
    """
    held = lists.phrase(searcher, phrase)
    wanted = [doc for doc in docs if doc in held]
    words = []
    for word in phrase.words:
        term = wq.Term(phrase.fieldname, word)
        blocks = lists.blocks(searcher.reader(), term)
        if blocks is None:
            return None
        words.append(_term_scored(searcher, term, blocks, wanted, check))
    return {doc: _tree_sum([scores[doc] for scores in words]) * phrase.boost for doc in wanted}


def _tree_sum(values: list[float]) -> float:
    """A sum taken as Whoosh's binary tree of matchers adds its parts' scores: each half's
    first (``whoosh.util.make_binary_tree``), so that a score is the same to the last bit."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _term_scored(searcher, term: wq.Term, blocks: list, docs: list[int], check
                 ) -> dict[int, float]:
    """A term's BM25F score at each of ``docs`` it holds, from its list's blocks.

    What Whoosh's BM25F scorer computes, without building one (that reads
    the term's entry in the table again) and with each document's field
    length from :func:`field_lengths` (Whoosh reads it from the column file,
    a byte at a time).  A block's documents are searched by bisection
    (:func:`located`): Whoosh's matcher steps through a block one posting
    at a time.
    """
    field, parent, weighting = term.fieldname, searcher.get_parent(), searcher.weighting
    idf = parent.idf(field, term.text)
    average = parent.avg_field_length(field) or 1
    b, k1 = weighting._field_B.get(field, weighting.B), weighting.K1
    lengths = field_lengths(searcher.reader(), field)
    return {doc: term.boost * bm25(idf, _weight(block[2], i), byte_to_length(lengths[doc]),
                                   average, b, k1)
            for doc, block, i in located(blocks, docs, check)}


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
        stored = column._dbfile.get(column._basepos, column._count) if column else b""
        lengths = kept[field] = stored + bytes(reader.doc_count_all() - len(stored))
    return lengths
