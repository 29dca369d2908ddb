"""Fuse the ranked lists of separate language indexes into one order.

BM25 scores from two indexes are not comparable: each index has its own
document counts and term statistics, so a Polish score of 12 and an English
score of 8 say nothing about which hit is better.  Both methods here use only
what *is* comparable, a hit's standing within its own list, and weigh each
list by how likely the query is in that language.  ``docs/ranking.md`` gives
the measurements that chose the default.
"""

from __future__ import annotations

from typing import Mapping, Sequence, TypeVar

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


METHODS = {"rrf": reciprocal_rank, "max": max_normalised}
DEFAULT_METHOD = "rrf"


def fuse(runs: Mapping[str, ranking.Run], method: str, codes=None) -> list:
    """The matches of the languages ``codes`` (default: every run's) in one order.

    Each language is weighed by how likely the query is in it, judged from
    every run, also those of languages left out of the order.
    """
    weights = ranking.language_weights({code: run.searcher for code, run in runs.items()},
                                       {code: run.parsed for code, run in runs.items()})
    return METHODS[method]({code: [(m, m.score) for m in runs[code].matches]
                            for code in (runs if codes is None else codes)}, weights)
