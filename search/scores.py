"""BM25F scores of a query at chosen documents, word by word, and the highest it can give.

A word's twin (its exact form, stem, folded form) is scored as BM25F
defines it over several fields (Robertson, Zaragoza and Taylor, 2004; what
Elasticsearch's ``combined_fields`` query does): its frequencies in the
title and the body, each weighed and normalised by its field's length, are
added *before* they are saturated, with one idf.  Whoosh's own BM25F
scores each field on its own and adds the scores, so that a word in a
short title counts as much again as the same word all through the body:
one-line titles matching a query word passed the pages it describes.

A word counts once in a document's score, however many of its twins match
(:func:`word_score`): Whoosh would add them up, so that a word whose exact
form, stem and folded form all match weighed three times one that only
shares a stem with the text, and a page repeating one query word could
pass a page holding all of them.  And a word weighs the same whichever
twin matched: its twins share one idf, the broadest twin's (Lucene's
``SynonymQuery`` scores synonyms with the largest document frequency
among them); with each twin's own idf, a page that happened to use the
form typed, rarer than its stem, passed pages that use other forms of the
word.  Each twin is scored from the blocks the search read
(``search.postings``), only at the documents wanted.
"""

from __future__ import annotations

import math

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from .bestmatch import Counted
from .fields import text_field
from .postings import Lists, block_weight, field_lengths, located, visit
from .query import Expanded

K1 = 1.6
"""How much a word's further occurrences add before BM25 saturates (Whoosh's,
Lucene's and Elasticsearch's default is 1.2).  Measured on every set
(``docs/ranking.md``): 1.6 finds more of the pages a query describes in the
first ten, in every kind of descriptive query, and changes the keywords and
other forms by no more than chance."""
TIE = 0.1
"""What a word's other twins add to its best one: Elasticsearch's
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


def _pools(word: list[tuple[object, float]]) -> list[list[tuple[object, float]]]:
    """A word's parts as they are scored together: a twin's term in the title and in
    the body is one pool (one BM25F score, :func:`_twin_scored`), and so is a twin's
    phrase (:func:`_phrase_scored`).  A prefix, wildcard or fuzzy word is scored as
    a word whose forms are the terms it stands for: each term in a twin of both
    fields is a pool, as a plain word's twin is.  Any other part is a pool of its own."""
    pools: dict[object, list[tuple[object, float]]] = {}
    for part, boost in word:
        field = text_field(getattr(part, "fieldname", None) or "")
        if field and type(part) is Expanded:
            for text in part.texts:  # apart from a plain term's pool: (strike OR strik*)
                pools.setdefault((part.fieldname[len(field):], text, "*"), []).append(
                    (wq.Term(part.fieldname, text, boost=part.boost), boost))
            continue
        if field and type(part) is wq.Term:
            key = (part.fieldname[len(field):], part.text)
        elif field and type(part) is wq.Phrase:
            key = (part.fieldname[len(field):], tuple(part.words), part.slop)
        else:
            key = id(part)
        pools.setdefault(key, []).append((part, boost))
    return list(pools.values())


def _twins(q) -> bool:
    return (type(q) is wq.Or and not (q.scale or q.minmatch)
            and all(type(sub) in (wq.Term, wq.Phrase) for sub in q.subqueries))


def scores_at(searcher, q, docs: list[int], context, check, lists: Lists | None = None
              ) -> dict[int, float]:
    """The scores of ``q`` at ``docs``, sorted documents it matches: the sum of its words'.

    Each twin of each word is scored over the title and the body, at the
    wanted documents only: cheaper than Whoosh's tree of matchers over all of them, and
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

    A twin's best is its BM25F with each field at the term's highest weight
    and shortest length, from the term's entries in the table (no posting
    list is read); a phrase's, the sum of its words'.  Any other part (a
    broad query) has no ceiling: infinite.  ``known`` keeps each word's idf
    and each pool's best for the next call on the same query's parts.
    """
    known = {} if known is None else known
    parent = searcher.get_parent()
    total = 0.0
    for word in words(q):
        bests = []
        pools = _pools(word)
        idf = _known_idf(parent, pools, known)
        for pool in pools:
            key = (tuple((part, boost) for part, boost in pool), idf)
            best = known.get(key)
            if best is None:
                best = known[key] = _pool_ceiling(searcher, pool, idf)
            if best == float("inf"):
                return best
            bests.append(best)
        total += _tied(max(bests), sum(bests))
    return total


def most(searcher, q, absent: int = 0, known: dict | None = None) -> float:
    """The most a document could score for ``q`` by BM25's own limit: each word so
    often that it saturates (``idf × (K1 + 1)``), with its idf here, and ``absent``
    more words that the index lacks, at the highest idf it has.

    A score divided by this is a share of what the query's words can give in
    this language, comparable across the language indexes (``search.merge``):
    a language that lacks some of the query's words, or holds them in most of
    its documents, gives its matches less.  Unlike :func:`ceiling`, it does not
    depend on how often a word happens to occur in one document of the index.
    ``known`` is :func:`ceiling`'s.
    """
    known = {} if known is None else known
    parent = searcher.get_parent()
    rarest = _idf(parent, 0)
    total = sum(_word_limit(parent, _pools(word), rarest, known) for word in words(q))
    return (total + rarest * absent) * (K1 + 1) or 1.0


def highest_share(q) -> float:
    """A share (:func:`ceiling` over :func:`most`) no document can pass for ``q``, from
    the query alone: no index is read.

    A twin's score saturates below its boost times what :func:`most` counts
    its word at, and a word's other twins add :data:`TIE` of as much each; so
    no word gives more than its highest boost times ``1 + TIE × (twins − 1)``
    of its part of ``most``, nor does their sum.  A word mixing terms and
    phrases, or of other parts, has no such bound: infinite.  It spares a
    language that cannot place on the page reading its terms for the exact
    ceiling (``search.merge.Reach``).
    """
    highest = 0.0
    for word in words(q):
        pools = _pools(word)
        if {type(pool[0][0]) for pool in pools} not in ({wq.Term}, {wq.Phrase}):
            return math.inf
        boost = max(_outside(pool) for pool in pools)
        highest = max(highest, boost * (1 + TIE * (len(pools) - 1)))
    return highest


def _word_limit(parent, pools, rarest: float, known: dict) -> float:
    """A word's idf (:func:`_word_idf`); a phrase's, the sum of its words'; ``rarest``
    for a part not of terms, or of none the index holds."""
    idf = _known_idf(parent, pools, known)
    if idf is not None:
        return idf
    phrases = [sum(_twin_idf(parent, present) for twin in _phrase_twins(pool)
                   if (present := _present(parent, twin)))
               for pool in pools if type(pool[0][0]) is wq.Phrase]
    return max(phrases, default=0.0) or rarest


def _idf(parent, frequency: int) -> float:
    """Whoosh's idf of a term that ``frequency`` documents of the index hold."""
    return math.log(max(parent.doc_count_all(), 1) / (frequency + 1)) + 1


def _tied(best: float, total: float) -> float:
    """A word's score from its best pool's and all its pools' together: the best and
    :data:`TIE` of the others."""
    return best + TIE * (total - best)


def _pool_ceiling(searcher, pool: list[tuple[object, float]], idf: float | None) -> float:
    """The highest score of a pool (:func:`_pools`): a twin's (with its word's ``idf``),
    a phrase's (the sum of its words' highest), infinite for any other part."""
    part, boost = pool[0]
    if type(part) is wq.Term:
        return _twin_ceiling(searcher, pool, idf)
    if type(part) is wq.Phrase:
        return sum(_twin_ceiling(searcher, twin) for twin in _phrase_twins(pool))
    return float("inf")


def _twin_ceiling(searcher, pool, idf: float | None = None) -> float:
    """A twin's BM25F with each field at its term's highest weight and shortest length,
    with ``idf`` (its word's), or its own when None (a phrase's word)."""
    parent, weighting, outside = searcher.get_parent(), searcher.weighting, _outside(pool)
    present = _present(parent, pool)
    if not present:
        return 0.0
    frequency = 0.0
    for part, boost in present:
        info = parent.term_info(part.fieldname, part.text)
        norm = _length_norm(weighting, parent, part.fieldname)
        frequency += boost * part.boost / outside * (info.max_weight()
                                                     / norm(info.min_length()))
    idf = _twin_idf(parent, present) if idf is None else idf
    return outside * _saturated(idf, frequency)


def word_score(searcher, word: list[tuple[object, float]], docs: list[int], context, check,
               lists: Lists) -> dict[int, float]:
    """One word's score at each of ``docs`` it matches.

    Each twin is scored over the title and the body at once (:func:`_twin_scored`),
    all with the word's idf (:func:`_word_idf`); the best twin counts, and
    :data:`TIE` of the others.
    """
    twins = _pools(word)
    idf = _word_idf(searcher.get_parent(), twins)
    pools = [_pool_scored(searcher, pool, docs, context, check, lists, idf) for pool in twins]
    if len(pools) == 1:
        return pools[0]
    scores: dict[int, float] = {}
    for doc in set().union(*pools):
        found = [pool[doc] for pool in pools if doc in pool]
        scores[doc] = _tied(max(found), sum(found))
    return scores


def _pool_scored(searcher, pool, docs: list[int], context, check, lists: Lists,
                 idf: float | None) -> dict[int, float]:
    """A pool's score (:func:`_pools`) at each of ``docs`` it matches; a twin's with
    its word's ``idf``."""
    part, boost = pool[0]
    if type(part) is wq.Term:
        return _twin_scored(searcher, pool, docs, context, check, lists, idf)
    if type(part) is wq.Phrase:
        return _phrase_scored(searcher, pool, docs, context, check, lists)
    matcher = part.matcher(searcher, context)
    return {doc: boost * matcher.score() for doc in visit(matcher, docs, check)}


def _twin_scored(searcher, pool, docs: list[int], context, check, lists: Lists,
                 idf: float | None = None) -> dict[int, float]:
    """A twin's BM25F at each of ``docs`` it holds, in the title, the body or both.

    Each field's frequency is normalised by its length, weighed by its boost
    relative to the pool's smallest (:func:`_outside`: the title's weight,
    ``search.query.TITLE_BOOST``, against the body's 1), and added up; the
    sum is saturated once, with ``idf`` (its word's) or, when None (a
    phrase's word), the twin's own, and the smallest boost multiplies the
    whole.
    """
    reader, parent, weighting = searcher.reader(), searcher.get_parent(), searcher.weighting
    outside, present = _outside(pool), _present(parent, pool)
    frequency: dict[int, float] = {}
    for part, boost in present:
        if not reader.doc_frequency(part.fieldname, part.text):
            continue  # in another segment only
        weight = boost * part.boost / outside
        norm = _length_norm(weighting, parent, part.fieldname)
        lengths = field_lengths(reader, part.fieldname)
        for doc, tf in _frequencies(searcher, part, docs, context, check, lists):
            frequency[doc] = (frequency.get(doc, 0.0)
                              + weight * (tf / norm(byte_to_length(lengths[doc]))))
    if not frequency:
        return {}
    idf = _twin_idf(parent, present) if idf is None else idf
    return {doc: outside * _saturated(idf, value) for doc, value in frequency.items()}


def _frequencies(searcher, term: wq.Term, docs: list[int], context, check, lists: Lists):
    """``(doc, frequency)`` for each of ``docs`` that holds ``term``: from the blocks the
    search read, or through Whoosh's matcher where the list is not a plain one (a
    segment with deleted documents).  The matcher is the unboosted term's: a
    boosted one multiplies its weights by the boost, which weighs fields here."""
    blocks = lists.blocks(searcher.reader(), term)
    if blocks is not None:
        return ((doc, block_weight(block, i)) for doc, block, i in located(blocks, docs, check))
    matcher = wq.Term(term.fieldname, term.text).matcher(searcher, context)
    return ((doc, matcher.weight()) for doc in visit(matcher, docs, check))


def _outside(pool) -> float:
    """The boost a whole pool is multiplied by: its parts' smallest (the query's
    boost of the word; the fields' weights are the rest)."""
    return min(boost * part.boost for part, boost in pool) or 1.0


def _length_norm(weighting, parent, field: str):
    """BM25's length norm of ``field`` as a function of a document's length,
    ``1 - b + b * dl / avgdl``, that a frequency is divided by: ``b`` and the
    average read once per field, not once per document scored."""
    b = weighting._field_B.get(field, weighting.B)
    average = parent.avg_field_length(field) or 1
    return lambda length: 1 - b + b * length / average


def _present(parent, pool) -> list[tuple[object, float]]:
    """The pool's terms the whole index holds (in any segment)."""
    return [(part, boost) for part, boost in pool
            if parent.doc_frequency(part.fieldname, part.text)]


def _known_idf(parent, pools, known: dict) -> float | None:
    """:func:`_word_idf`, kept in ``known``: one search asks it of a word several times."""
    key = ("idf", *((part, boost) for pool in pools for part, boost in pool))
    if key not in known:
        known[key] = _word_idf(parent, pools)
    return known[key]


def _word_idf(parent, pools) -> float | None:
    """A word's idf, which all its twins score with: the lowest of its twins' (the
    broadest form's); None for a word with no twin in the index, or not of terms.

    :param pools: the word's parts as :func:`_pools` groups them.
    """
    idfs = [_twin_idf(parent, present) for pool in pools
            if type(pool[0][0]) is wq.Term and (present := _present(parent, pool))]
    return min(idfs, default=None)


def _twin_idf(parent, present) -> float:
    """A twin's idf: Whoosh's, from the field holding it in the most documents
    (a document holding it in the title usually holds it in the body too)."""
    return min(parent.idf(part.fieldname, part.text) for part, _ in present)


def _saturated(idf: float, frequency: float) -> float:
    """BM25's score of a normalised frequency: ``idf * (K1 + 1) * f / (K1 + f)``."""
    return idf * (K1 + 1) * frequency / (K1 + frequency)


def _phrase_scored(searcher, pool, docs: list[int], context, check, lists: Lists
                   ) -> dict[int, float]:
    """A phrase's score at each of ``docs`` that holds it, in the title or the body: the
    sum of its words' BM25F over both fields (Whoosh scores a phrase as the sum of
    its terms' scores)."""
    held = set().union(*(lists.phrase(searcher, part) for part, _ in pool))
    wanted = [doc for doc in docs if doc in held]
    scores = dict.fromkeys(wanted, 0.0)
    for twin in _phrase_twins(pool) if wanted else ():
        for doc, score in _twin_scored(searcher, twin, wanted, context, check, lists).items():
            scores[doc] += score
    return scores


def _phrase_twins(pool) -> list[list[tuple[wq.Term, float]]]:
    """A phrase pool's words, each as the pool of its terms in the phrase's fields."""
    part = pool[0][0]
    return [[(wq.Term(phrase.fieldname, word, boost=phrase.boost), boost)
             for phrase, boost in pool] for word in part.words]
