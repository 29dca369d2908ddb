"""Fuse the ranked lists of separate language indexes into one order.

BM25 scores from two indexes are not comparable as they are: each index has
its own document counts and term statistics, so a Polish score of 12 and an
English score of 8 say nothing about which hit is better.  Each method here
compares what *is* comparable: a hit's standing within its own list (``rrf``,
``max``), or its score as a share of the most the query's words can score in
its language (``share``, :func:`search.scores.most`); each list is weighed by
how likely the query is in that language.  ``docs/ranking.md`` gives the
measurements that chose the default.
"""

from __future__ import annotations

import heapq
from typing import Callable, Mapping, Sequence, TypeVar

from . import ranking

T = TypeVar("T")
Ranked = Sequence[tuple[T, float]]
"""One index's hits, best first, each with its own score."""

RRF_K = 60
"""The constant of reciprocal-rank fusion (Cormack et al. 2009)."""


def reciprocal_rank(lists: Mapping[str, Ranked], weights: Mapping[str, float]
                    ) -> list[tuple[T, float]]:
    """Score each hit ``weight / (k + rank)``: rank matters, raw scores do not."""
    fused = [(item, weights.get(name, 1.0) / (RRF_K + rank))
             for name, ranked in lists.items()
             for rank, (item, _) in enumerate(ranked, start=1)]
    return sorted(fused, key=lambda pair: -pair[1])


def max_normalised(lists: Mapping[str, Ranked], weights: Mapping[str, float]
                   ) -> list[tuple[T, float]]:
    """Divide each score by its list's best score: 1.0 is the best hit of a language."""
    fused = []
    for name, ranked in lists.items():
        if ranked:
            top = ranked[0][1] or 1.0
            fused.extend((item, weights.get(name, 1.0) * score / top)
                         for item, score in ranked)
    return sorted(fused, key=lambda pair: -pair[1])


def shares(lists: Mapping[str, Ranked], weights: Mapping[str, float]
           ) -> list[tuple[T, float]]:
    """Score each hit ``weight × share``: its score as a share of the most the query
    can score in its language, as :func:`fuse` gives it.

    The default: it finds more than ``rrf`` (``docs/ranking.md``), whose
    first match of each language scores alike however well it matches.
    """
    fused = [(item, weights.get(name, 1.0) * share)
             for name, ranked in lists.items() for item, share in ranked]
    return sorted(fused, key=lambda pair: -pair[1])


METHODS = {"rrf": reciprocal_rank, "max": max_normalised, "share": shares}
DEFAULT_METHOD = "share"


def fuse(runs: Mapping[str, ranking.Run], method: str, codes=None) -> list:
    """The matches of the languages ``codes`` (default: every run's) in one order.

    Each language is weighed by how likely the query is in it, judged from
    every run, also those of languages left out of the order.  A match's
    score is given as a share of the most its language can give
    (``Run.most``) to ``share``.
    """
    weights = {code: run.weight for code, run in runs.items()}
    merge = METHODS[method]
    return merge({code: _scored(runs[code], runs[code].matches, merge)
                  for code in (runs if codes is None else codes)}, weights)


def _scored(run: ranking.Run, matches, merge) -> list:
    """Each match with its score: for ``share``, as a share of the most its language
    can give; for the others, as it is (they read only its order).  A match left
    unscored (0) needs no share: a language none of whose matches was scored
    never reads what its most is."""
    if merge is shares:
        return [(m, m.score and m.score / run.most) for m in matches]
    return [(m, m.score) for m in matches]


class Reach:
    """Whether a language's matches can still place among the first ``needed`` statements
    of the merged order, judged from the languages run before it (the likeliest first).

    A language's best match scores at most what the first of a list of its
    weight does, with its highest share (:func:`search.scores.ceiling` over
    :func:`search.scores.most`); once ``needed`` statements of the languages
    merged (``codes``) score more, ranking its matches cannot change a page
    up to ``needed``, and a language left out of the order (``codes``) never can.
    Only each run's first ``needed`` matches are in their exact order, so
    only they are taken: the bar can only be lower than the true one.
    """

    def __init__(self, method: str, codes, needed: int) -> None:
        self.method, self.codes, self.needed = METHODS[method], set(codes), needed
        self._best: dict[str, float] = {}
        """Statement key -> the best merged score of its versions seen so far."""

    def may_place(self, code: str, weight: float, *tops: Callable[[], float]) -> bool:
        """Whether a match of language ``code`` may place among the first ``needed``.

        :param tops: upper bounds of a match's share there, the cheapest
            first: ``share`` asks each only while those before it let the
            match place; the other methods ask none.
        """
        if code not in self.codes:
            return False
        bar = self._bar()
        if bar is None:
            return True

        def placed(highest: float) -> bool:
            return self.method({code: [(None, highest)]}, {code: weight})[0][1] >= bar

        if self.method is not shares:
            return placed(1.0)
        return all(placed(top()) for top in tops)

    def floor(self, code: str, weight: float) -> float:
        """The share a match of language ``code`` must have to place among the first
        ``needed``, when the merge compares shares (``share``): the ``needed``-th
        best merged score so far, over the language's weight.  0 for the other
        methods, whose merged score is not known from a match's own."""
        if self.method is not shares or not weight:
            return 0.0
        bar = self._bar()
        return 0.0 if bar is None else bar / weight

    def _bar(self) -> float | None:
        """The ``needed``-th best merged score of a statement so far; None while fewer
        statements are merged."""
        best = heapq.nlargest(self.needed, self._best.values())
        return best[-1] if len(best) == self.needed else None

    def add(self, run: ranking.Run) -> None:
        """Take in a run's first ``needed`` matches, merged as :func:`fuse` merges them."""
        if run.code not in self.codes:
            return
        ranked = {run.code: _scored(run, run.matches[:self.needed], self.method)}
        for match, score in self.method(ranked, {run.code: run.weight}):
            self._best[match.key] = max(score, self._best.get(match.key, 0.0))
