"""Run a query on each language index: every matching document, best first.

A document's score is its BM25F score (``search.scores``): Elasticsearch's
``match`` query, and Lucene's since it dropped its coordination factor.
Its saturation weighs a word held once more than the same word held
again, so of two alike texts the one holding more of the words ranks
first; a factor for the share of the words held, measured in every form,
cost every descriptive query set (``docs/ranking.md``).
Each word's documents are read from its posting lists as sets
(``search.postings``), the words a document holds are counted from those
sets (a result says which it lacks), and BM25F is computed term by term
only for the documents that can be among the best the page needs (those
whose words' ceilings can reach the best scores so far); the rest keep a
score of 0.  Scoring every match with Whoosh's collector was two thirds of
a search.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import time
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import NamedTuple

from whoosh import query as wq
from whoosh.searching import TimeLimit

from .bestmatch import Counted, normalised, units
from .fields import EXACT, FOLDED, text_field
from .postings import Lists, alternatives, document_ids
from .scores import ceiling, highest_share, most, scores_at
from .query import Query, check_expansions, expand, prune, varied

EXACT_FIELDS = EXACT.fields()
FOLDED_FIELDS = FOLDED.fields()
WEIGHT_FLOOR = 0.1
"""Keeps a language whose texts contain none of the query's words in play, barely."""
PRIOR_DOCUMENTS = 100
"""Documents added to each language's count when weighing it (see :func:`language_weights`)."""
UNDATED = 2 ** 63
"""Whoosh fills a date column with 2**64 - 1 where a document has no date."""


class Match(NamedTuple):
    """One matching document, with what grouping and sorting need, read from columns.

    Reading ``key``, ``file`` and ``date`` from Whoosh's columns instead of
    the stored fields keeps a search from decompressing the text of every
    match; only the results on the page shown load their text.  A named
    tuple, not a frozen dataclass: a search makes one per match, thousands
    for a broad query, and a frozen dataclass takes three times as long to
    make.
    """

    docnum: int
    lang: str
    key: str
    file: str
    date: int | None
    missing: int
    """Query words this version lacks: 0 when it holds them all."""
    held: int
    """The counted words it holds: bit ``i`` for the ``i``-th of :func:`_counted`'s
    order in the query as run (``Run.executed``)."""
    score: float
    """Its BM25F score; 0 for a document that cannot be among the best asked for (not scored)."""


@dataclass
class Run:
    """One language's part of a search: its matches, best first, and how they were found."""

    code: str
    searcher: object
    parsed: object = None
    """The query as this language's parser read it."""
    executed: object = wq.NullQuery
    """The query as it ran on this index (broad words expanded, absent terms pruned)."""
    matches: list[Match] = field(default_factory=list)
    partial: bool = False
    """Time ran out before every match was found or ranked."""
    lists: Lists = field(default_factory=Lists)
    """The posting lists the search read here, for scoring and marking its matches."""
    known: dict = field(default_factory=dict, repr=False)
    """Each word's idf and ceiling, as this search read them (:func:`~search.scores.ceiling`)."""
    weight: float = 1.0
    """How likely the query is in this language (:func:`language_weights`)."""
    ranked: bool = False
    """Its matches were scored and ordered (not when they could not reach the page)."""

    @cached_property
    def most(self) -> float:
        """The most a match can score here (:func:`~search.scores.most`): ``share``
        compares scores as shares of it.  A counted word that this index lacks in
        every twin (pruned from the query as run) counts at the highest idf."""
        present = {unit.at for unit in _counted(self.executed)}
        absent = sum(1 for unit in _counted(self.parsed) if unit.at not in present)
        return most(self.searcher, self.executed, absent, self.known)

    def lacking(self, match: Match) -> list[int]:
        """The counted words a match lacks, by where each starts in the query
        (``Counted.at``, keys of ``Query.units``), in the query's order.

        The words of the query as this language read it (a stop word of the
        language is no word of it), less those the search found the match
        holding: what its ``missing`` counts.
        """
        held = {unit.at for i, unit in enumerate(_counted(self.executed))
                if match.held >> i & 1}
        return sorted({unit.at for unit in _counted(self.parsed)} - held)


def run_languages(generation, searchers, codes, query: Query, tags, deadline: float,
                  needed: int, reach=None) -> dict[str, Run]:
    """Each language's run (its matches, best first), in the order of ``codes``.

    The languages are weighed first (:func:`language_weights`) and run the
    likeliest first.  With ``reach`` (a :class:`~search.merge.Reach`), a
    language whose matches can no longer place among the first ``needed``
    statements of the merged order is run unscored: its matches are all
    found and counted, in no order.  Languages left when the deadline
    passes are not searched (their run is ``partial``).

    :param searchers: the thread's :class:`~search.searchers.Searchers`.
    """
    runs, trees = {}, {}
    for code in codes:
        runs[code] = Run(code, searchers.get(generation, code),
                         parse(generation, code, query, trees))
    weights = language_weights(generation, {code: run.searcher for code, run in runs.items()},
                               {code: run.parsed for code, run in runs.items()})
    for code in sorted(runs, key=lambda code: -weights[code]):
        runs[code].weight = weights[code]
        if time.perf_counter() > deadline:
            runs[code].partial = True
            continue
        runs[code] = run(generation, code, runs[code].searcher, runs[code].parsed, query, tags,
                         deadline, needed, weights[code], reach)
        if reach is not None and runs[code].ranked:
            reach.add(runs[code])
    return runs


def parse(generation, code: str, query: Query, trees: dict | None = None):
    """The query as one language's Whoosh query (every word through its chain).

    Whoosh parses in two steps: the syntax tree, which depends only on the
    schema's field names, then each word through the field's analyzer.
    ``trees`` keeps the first step's trees for the other languages of one
    search (19 languages, 2 schemas).
    """
    if not query.text:
        return wq.Every()
    parser = generation.parsers[code]
    shape = tuple(parser.schema.names())
    trees = {} if trees is None else trees
    if shape not in trees:
        trees[shape] = parser.process(query.text)
    return normalised(trees[shape].query(parser))


def run(generation, code: str, searcher, parsed, query: Query, tags, deadline: float,
        needed: int, weight: float = 1.0, reach=None) -> Run:
    """Every document of one language the query matches, the best ``needed`` in order.

    :param parsed: the query as this language's parser read it.
    :param needed: how many of the best matches must be in their exact order.
    :param weight: the language's weight (:func:`language_weights`).
    :param reach: a :class:`~search.merge.Reach`: none is ordered when the best
        of them could not place among the first ``needed``.
    """
    result = Run(code, searcher, parsed, weight=weight)
    try:
        result.executed = executable(generation, code, searcher.reader(), parsed, deadline)
        if result.executed is wq.NullQuery:
            return result
        words = units(parsed)
        known = result.known
        floor = 0.0
        if reach is not None:
            def top() -> float:
                return ceiling(searcher, result.executed, known) / result.most

            if not reach.may_place(code, weight, partial(highest_share, result.executed), top):
                needed = 0
            else:
                floor = reach.floor(code, weight)
                floor = floor and floor * result.most  # a share, in this index's scores
        result.ranked = needed > 0
        docs, held = _documents(searcher, result.executed, query, tags, result.lists)
        scores = _scores(searcher, result.executed, docs, held, needed, deadline, query,
                         result.lists, known, floor)
    except TimeLimit:
        result.partial = True
        return result
    keys, files, dates = (generation.column(code, searcher, name)
                          for name in ("key", "file", "date"))
    result.matches = sorted(
        (Match(doc, code, keys[doc], files[doc], _date(dates[doc]),
               words - held[doc].bit_count() if doc in held else 0, held.get(doc, 0),
               scores.get(doc, 0.0))
         for doc in docs),
        key=lambda match: (-match.score, match.docnum))
    return result


def executable(generation, code: str, reader, parsed, deadline: float):
    """A language's parsed query as it can run: broad words expanded (within bounds),
    terms the index lacks taken out; ``NullQuery`` when nothing can match.

    :raise TooGeneral: for broad words that stand for too many terms.
    :raise TimeLimit: when the deadline passes while expanding.
    """
    expanded = prune(expand(parsed, generation.vocabularies[code], reader, deadline), reader)
    check_expansions(expanded)
    return expanded


def _documents(searcher, executed, query: Query, tags, lists: Lists
               ) -> tuple[set[int], dict[int, int]]:
    """The documents the query matches and the counted words each one holds.

    Read as sets from the posting lists, unscored: a plain best-match query's
    documents are those of its words; any other shape (required parts,
    exclusions) is asked of Whoosh's unscored matcher.  A document's words
    are a bit mask over :func:`_counted`'s order (bit ``i`` for word ``i``).
    """
    if isinstance(executed, wq.Every):
        docs = set(searcher.reader().all_doc_ids())
    else:
        words_docs = [document_ids(searcher, unit.child, lists) for unit in _counted(executed)]
        only_words = isinstance(executed, Counted) or (
            isinstance(executed, wq.Or) and all(isinstance(s, Counted)
                                                for s in executed.subqueries))
        docs = set().union(*words_docs) if only_words else set(executed.docs(searcher))
    where = _filter(query, tags)
    if where is not None:
        docs &= set(where.docs(searcher))
    if isinstance(executed, wq.Every):
        return docs, {}
    held = dict.fromkeys(docs, 0)
    for i, word_docs in enumerate(words_docs):
        bit = 1 << i
        held.update({doc: held[doc] | bit for doc in word_docs if doc in held})
    return docs, held


def _counted(q) -> list:
    """The query's counted words (``Counted`` parts), outermost first."""
    if isinstance(q, Counted):
        return [q]
    return [part for child in q.children() for part in _counted(child)]


def _scores(searcher, executed, docs: set[int], held: dict[int, int], needed: int,
            deadline: float, query: Query, lists: Lists, known: dict, floor: float = 0.0
            ) -> dict[int, float]:
    """The BM25F scores of every document that can be among the best ``needed``.

    Documents are grouped by the set of counted words they hold, and each
    group bounded by its words' ceilings (:func:`_highest`).  The groups with
    the highest bounds are scored first, enough of them for ``needed``; then
    every group whose bound can still reach the ``needed``-th score so far,
    all in one more pass (each pass reads every term's list again).  The
    rest keep no score: a list's order past ``needed`` never reaches a page,
    as at most ``needed`` statements are shown.  Nor does a group whose bound
    is under ``floor``, the score the languages run before already ask of a
    match to place (:meth:`~search.merge.Reach.floor`).

    :raise TimeLimit: past the deadline.
    """
    if not query.text:
        return dict.fromkeys(docs, 1.0)
    if not needed:
        return {}

    def check():
        if time.perf_counter() > deadline:
            raise TimeLimit

    context = searcher.context(needs_current=True, weighting=searcher.weighting)

    def scored(some: list[int]) -> dict[int, float]:
        return scores_at(searcher, executed, sorted(some), context, check, lists)

    by_held: dict[int, list[int]] = {}
    for doc in docs:
        by_held.setdefault(held.get(doc, 0), []).append(doc)
    highest = _highest(searcher, executed, known)
    masks = sorted((mask for mask in by_held if highest(mask) >= floor), key=highest)
    first: list[int] = []
    while masks and len(first) < needed:
        first += by_held[masks.pop()]
    scores = scored(first)
    if not masks:
        return scores
    best = heapq.nlargest(needed, scores.values())
    bar = max(best[-1] if len(best) == needed else 0.0, floor)
    rest = [doc for mask in masks if highest(mask) >= bar for doc in by_held[mask]]
    if rest:
        scores.update(scored(rest))
    return scores


def _highest(searcher, executed, known: dict):
    """The highest score a document holding a given set of counted words can have.

    It holds those words at their highest :func:`~search.scores.ceiling`,
    and every other part of the query.  A counted group that is more than
    one word's forms, such as ``(strike -wave)``, scores its terms also in a
    document it does not match, so its ceiling is in every bound.  ``known`` keeps
    each word's ceiling for the next call (:func:`~search.scores.ceiling`).
    """
    whole = ceiling(searcher, executed, known)
    units = _counted(executed)
    counted = [ceiling(searcher, unit, known) for unit in units]
    if not math.isfinite(whole):
        return lambda mask: whole
    others = max(0.0, whole - sum(counted))
    loose = sum(1 << i for i, unit in enumerate(units)
                if not all(type(part) in (wq.Term, wq.Phrase)
                           for part in alternatives(unit.child)))
    return lambda mask: ((others + sum(c for i, c in enumerate(counted)
                                       if (mask | loose) >> i & 1))
                         * (1 + 1e-9))  # what rounding may take from a sum


def _filter(query: Query, tags):
    """The dates and tags a match must have, as a Whoosh query; None for none."""
    parts = []
    if query.date_from or query.date_to:
        start = dt.datetime.combine(query.date_from, dt.time()) if query.date_from else None
        end = (dt.datetime.combine(query.date_to, dt.time.max) if query.date_to else None)
        parts.append(wq.DateRange("date", start, end))
    parts.extend(wq.Term("tags", tag.lower()) for tag in tags)
    return wq.And(parts) if parts else None


def _date(value) -> int | None:
    return value if value is not None and value < UNDATED else None


def language_weights(generation, searchers: dict, parsed: dict) -> dict[str, float]:
    """How likely the query is in each index's language, from 0 to 1.

    For each word of the query, the share of each language's documents that
    contain it (:func:`_holding`), relative to the language where it is most
    common; a language's weight is the mean over the words.  A German
    description may well contain "management", but far fewer German
    documents do than English ones.  A prefix, wildcard or fuzzy word counts
    as the commonest word it stands for in each language.  Words that are a
    stop word in any of the languages say nothing about the language and are
    left out.  Each share counts :data:`PRIOR_DOCUMENTS` more documents, none
    holding the word: three of five Greek manual pages quoting "bug" are
    weaker evidence than 500 of 1,400 English ones.

    :raise TooGeneral: for a broad word that stands for too many words.
    """
    words = {code: _weighed_words(query) for code, query in parsed.items()}
    shared = set.intersection(*words.values()) if words else set()
    rates = {code: {word: generation.holding(code, word, partial(_holding, generation, code,
                                                                 searcher))
                    / (searcher.doc_count() + PRIOR_DOCUMENTS) for word in shared}
             for code, searcher in searchers.items()}
    best = {word: max(rate[word] for rate in rates.values()) for word in shared}
    counted = [word for word in shared if best[word] > 0]
    if not counted:
        return {code: 1.0 for code in searchers}
    return {code: (sum(rates[code][w] / best[w] for w in counted) + WEIGHT_FLOOR)
            / (len(counted) + WEIGHT_FLOOR) for code in searchers}


class BroadWord(NamedTuple):
    """A prefix, wildcard or fuzzy word of the query, as every language parses it alike,
    and the text fields it is searched in (``title:e*``: the title only)."""

    kind: type
    text: str
    maxdist: int | None
    prefixlength: int | None
    fields: frozenset

    def query(self, field: str, text: str):
        """The word's query in ``field``, with ``text`` as that field reads it, as the
        parser makes it."""
        if self.kind is wq.FuzzyTerm:
            return varied(wq.FuzzyTerm(field, text, maxdist=self.maxdist,
                                       prefixlength=self.prefixlength))
        return self.kind(field, text)


BROAD = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)


def _weighed_words(query) -> set:
    """The words of a language's parsed query that weigh its language: as written
    (the exact twin's terms, phrases' words included), a broad word as a :class:`BroadWord`."""
    words, broad = set(), {}
    for leaf in query.leaves():
        if getattr(leaf, "fieldname", None) not in EXACT_FIELDS:
            continue
        if isinstance(leaf, BROAD):
            key = (type(leaf), leaf.text, getattr(leaf, "maxdist", None),
                   getattr(leaf, "prefixlength", None))
            broad.setdefault(key, set()).add(text_field(leaf.fieldname))
        else:
            words.update(text for _, text in leaf.iter_all_terms())
    return words | {BroadWord(*key, frozenset(fields)) for key, fields in broad.items()}


def _holding(generation, code: str, searcher, word) -> int:
    """How many of a language's documents hold a query word in its folded twin:
    accents aside, in any form its stemmer joins; a broad word, its form held
    by the most (:func:`_holding_broad`).

    A French query typed without accents (``eclairages degre``) holds none
    of its words as French texts write them; counted as written only, it
    weighed French below English.  The folded twin holds every document that
    has the word as written, or as the language's dictionary spells it
    (``καταγραφη``, ``καταγραφή``): its count is never lower, and looking
    the written forms up as well, as until ``fac1060``, changed no weight
    (148,000 words and languages of five query sets compared) and doubled
    the look-ups.
    """
    if isinstance(word, BroadWord):
        return _holding_broad(generation.vocabularies[code], searcher, word)
    return max((searcher.doc_frequency(f, term) for f in FOLDED_FIELDS
                for term in searcher.schema[f].process_text(word, mode="query")), default=0)


def _holding_broad(vocabulary, searcher, word: BroadWord) -> int:
    """The documents holding the commonest of the words a broad word stands for in
    the folded twin.

    Its twins as written are expanded first, as the search will: a word that
    stands for too many is refused here, naming it as typed, before any
    language is searched.

    :raise TooGeneral: for a word that stands for too many words.
    """
    found = 0
    for f in [twin.field(name) for twin in (EXACT, FOLDED) for name in sorted(word.fields)]:
        for text in searcher.schema[f].process_text(word.text, mode="query", tokenize=False,
                                                    removestops=False):
            q = word.query(f, text)
            terms = ((text,) if type(q) is wq.Term
                     else vocabulary.expand(q, searcher.reader(), math.inf))
            if f in FOLDED_FIELDS:
                found = max([found] + [searcher.doc_frequency(f, term) for term in terms])
    return found
