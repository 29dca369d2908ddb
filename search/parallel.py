"""Align the paragraphs of a statement's language versions, for reading them side by side.

Translations mostly keep their paragraphs, but not always: a translator adds a
note, joins two paragraphs or splits one.  Pairing the n-th paragraph of one
version with the n-th of another then shifts every row after the first such
change.  This aligns them as Gale and Church align sentences ("A Program for
Aligning Sentences in Bilingual Corpora", Computational Linguistics 19(1),
1993): the lengths of translated passages are proportional, so a dynamic
programme picks the cheapest sequence of 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2
pairings, each costed by how far its lengths stray from the proportion.
"""

from __future__ import annotations

import math

VARIANCE = 6.8
"""Gale and Church's variance of the length difference per character."""
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089,
          (2, 2): 0.011}
"""How often each pairing occurs (Gale and Church's estimates)."""
PENALTY = {shape: -math.log(p) for shape, p in PRIORS.items()}
BAND = 12
"""How far (in paragraphs) a pairing may stray from the diagonal; keeps the
work linear in the number of paragraphs."""
MAX_PARAGRAPHS = 1000
"""Past this, versions are paired paragraph by paragraph (a bound on the work
for a hostile file)."""


def align(pivot: list[str], other: list[str]) -> list[tuple[list[int], list[int]]]:
    """The paragraphs of ``other`` paired with those of ``pivot``: (pivot's, other's) indices.

    Every paragraph of both appears once, in order; a pair may have none on
    one side (a paragraph with no counterpart).
    """
    a, b = [len(p) for p in pivot], [len(p) for p in other]
    if max(len(a), len(b)) > MAX_PARAGRAPHS:
        return [(list(range(i, min(i + 1, len(a)))), list(range(i, min(i + 1, len(b)))))
                for i in range(max(len(a), len(b)))]
    ratio = (sum(b) / sum(a)) if sum(a) and sum(b) else 1.0
    slope = len(b) / len(a) if a else 0.0
    cost = {(0, 0): (0.0, None)}
    for i in range(len(a) + 1):
        centre = round(i * slope)
        for j in range(max(0, centre - BAND), min(len(b), centre + BAND) + 1):
            for di, dj in PRIORS:
                if (i, j) == (0, 0) or i < di or j < dj or (i - di, j - dj) not in cost:
                    continue
                total = cost[i - di, j - dj][0] + _cost(sum(a[i - di:i]), sum(b[j - dj:j]),
                                                        ratio, (di, dj))
                if (i, j) not in cost or total < cost[i, j][0]:
                    cost[i, j] = (total, (di, dj))
    pairs = []
    i, j = len(a), len(b)
    while (i, j) != (0, 0):
        di, dj = cost[i, j][1]
        pairs.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    return pairs[::-1]


def _cost(length_a: int, length_b: int, ratio: float, shape: tuple[int, int]) -> float:
    """-log of the probability that passages of these lengths translate each other."""
    mean = (length_a + length_b / ratio) / 2
    if mean == 0:
        return PENALTY[shape]
    delta = (length_b - length_a * ratio) / math.sqrt(mean * VARIANCE)
    tail = math.erfc(abs(delta) / math.sqrt(2))  # two-sided P(|Z| >= |delta|)
    return PENALTY[shape] - math.log(max(tail, 1e-300))


def rows(pivot: list[str], others: list[list[str]]) -> list[list[list[int]]]:
    """Rows for a table of versions: per row, per column, the paragraph indices it shows.

    Each other version is aligned with ``pivot``; a paragraph without a
    counterpart joins the row before it (or the first row), and a row ends
    only where every version's pairing ends, so each row holds passages that
    translate each other in every column.
    """
    if not pivot:
        return [[[]] + [list(range(len(other))) for other in others]]
    columns = [_attach_unpaired(align(pivot, other)) for other in others]
    starts = set(range(len(pivot)))
    for pairs in columns:
        starts &= {ps[0] for ps, _ in pairs}
    bounds = sorted(starts) + [len(pivot)]
    table = []
    for first, end in zip(bounds, bounds[1:]):
        row = [list(range(first, end))]
        for pairs in columns:
            row.append([j for ps, js in pairs if first <= ps[0] < end for j in js])
        table.append(row)
    return table


def _attach_unpaired(pairs: list[tuple[list[int], list[int]]]) -> list[tuple[list, list]]:
    """Pairs where the pivot has no paragraph merged into the pair before (or after)."""
    merged: list[tuple[list, list]] = []
    waiting: list[int] = []
    for ps, js in pairs:
        if not ps:
            if merged:
                merged[-1][1].extend(js)
            else:
                waiting.extend(js)
            continue
        merged.append((list(ps), waiting + list(js)))
        waiting = []
    if waiting and merged:
        merged[-1][1].extend(waiting)
    return merged
