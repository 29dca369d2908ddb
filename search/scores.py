"""BM25F scores of a query at chosen documents, word by word, and the highest it can give.

A word counts once in a document's score, however many of its twins match
(:func:`word_score`): Whoosh would add them up, so that a word whose exact
form, stem and folded form all match weighed three times one that only
shares a stem with the text, and a page repeating one query word could
pass a page holding all of them.  Each twin is scored as Whoosh's BM25F
scorer would, from the blocks the search read (``search.postings``), only
at the documents wanted.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, bm25
from whoosh.util.numeric import byte_to_length

from .bestmatch import Counted
from .fields import text_field
from .postings import Lists, block_weight, field_lengths, located, visit

TIE = 0.1
"""What a word's other twins add to its best one in a field: Elasticsearch's
``tie_breaker`` of a ``multi_match`` over its best fields.  A little, so that
the form the reader typed still ranks above another form of it."""


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
    if not wanted:
        return {}
    parts = []
    for word in phrase.words:
        term = wq.Term(phrase.fieldname, word)
        blocks = lists.blocks(searcher.reader(), term)
        if blocks is None:
            return None
        parts.append(_term_scored(searcher, term, blocks, wanted, check))
    return {doc: _tree_sum([scores[doc] for scores in parts]) * phrase.boost for doc in wanted}


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
    return {doc: term.boost * bm25(idf, block_weight(block, i), byte_to_length(lengths[doc]),
                                   average, b, k1)
            for doc, block, i in located(blocks, docs, check)}
