"""Posting lists read the cheap way: document numbers a block at a time, scores term by term.

Whoosh reads a posting list through a matcher, one Python call per posting,
and unions the twins of a word through a tree of matchers, a few more calls
per posting each.  A best-match search needs every document of every word
(totals count them all) and the scores of a few, so both are read here
straight from each term's list: its document numbers one block (up to 128)
at a time, its scores only at the documents wanted.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.matching import WrappingMatcher

from .bestmatch import Counted

CHECK_EVERY = 64
"""Documents scored between two calls of the deadline check."""


def summands(q, boost: float = 1.0) -> list[tuple[object, float]]:
    """The parts whose scores a query adds up, each with the boost its groups add.

    A best-match word is an ``Or`` of its twins' terms (or phrases), and a
    query of plain words an ``Or`` of words: its score is the sum of its
    parts' scores, each times the boosts of the groups above it.  Whoosh
    ignores the boost of a group of one (it returns the one part's matcher),
    and so does this.  A query of any other shape is its own one part.
    """
    if type(q) is Counted:
        return summands(q.child, boost)
    if type(q) is wq.Or and not (q.scale or q.minmatch):
        inner = boost * q.boost if len(q.subqueries) > 1 else boost
        return [pair for sub in q.subqueries for pair in summands(sub, inner)]
    return [(q, boost)]


def document_ids(searcher, q) -> set[int]:
    """Every document ``q`` matches, unscored; a term's read from its list a block at a time."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        for part, _ in summands(q):
            ids = _term_ids(leaf.reader(), part) if type(part) is wq.Term else part.docs(leaf)
            found.update((offset + i for i in ids) if offset else ids)
    return found


def _term_ids(reader, term: wq.Term) -> list[int]:
    """The documents of one term, unscored (no scorer to set up)."""
    try:
        return _ids(reader.postings(term.fieldname, term.text))
    except TermNotFound:
        return []


def _ids(matcher) -> list[int]:
    """A matcher's document numbers; a block at a time when it is a plain on-disk list."""
    while type(matcher) is WrappingMatcher:  # a term's boost; not a filter of deleted documents
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        return list(matcher.all_ids()) if matcher.is_active() else []
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        matcher._next_block()
    return ids


def scores_at(searcher, q, docs: list[int], context, check) -> dict[int, float]:
    """The scores of ``q`` at the documents ``docs`` (sorted), the ones it matches.

    Each of its summands is scored on its own, its matcher skipping to the
    wanted documents: cheaper than Whoosh's tree of matchers over all of
    them.  ``check`` is called every few documents (to give up past a
    deadline).
    """
    terms = summands(q)
    scores: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        ours = [doc - offset for doc in docs if offset <= doc < offset + leaf.doc_count_all()]
        for term, boost in terms if ours else ():
            matcher = term.matcher(leaf, context)
            for count, doc in enumerate(ours):
                if not count % CHECK_EVERY:
                    check()
                if not matcher.is_active():
                    break
                if matcher.id() < doc:
                    matcher.skip_to(doc)
                if matcher.is_active() and matcher.id() == doc:
                    scores[offset + doc] = scores.get(offset + doc, 0.0) + boost * matcher.score()
    return scores
