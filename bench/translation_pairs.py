"""Benchmark of ``python -m indexer translations`` on real parallel corpora, keys hidden.

The corpus's files carry their true ``translation_key``; the benchmark hides
it (every file becomes its own statement), runs the proposal, and counts, at
several confidence thresholds:

* the proposals' precision: proposed pairs whose files share a true key;
* once every proposal is accepted, the pairs of files linked into one
  statement (a~b and a~c link b~c too): their precision, their recall
  against every true pair (two files of one key), and F1; overall and,
  with ``--per-pair``, per language pair.

Sparser corpora are simulated too: ``--keep 0.4`` keeps each file with
probability 0.4, ``--small 20:0.4`` also splits each corpus into corpora of
20 statements, each run on its own.  ``--fit`` refits the weights (leaving
each corpus out in turn, then on all).  Usage (docs/translations.md):

    python bench/translation_pairs.py --corpus /tmp/lo-corpus --corpus /tmp/bench-corpus-multi \
        --cache /tmp/tp-cache --keep 1,0.4 --small 20:0.4 [--per-pair] [--fit]
    python bench/translation_pairs.py --corpus /tmp/lo-corpus --lengths

``--cache DIR`` keeps the parsed documents in pickles between runs (parsing
the Markdown of 12,745 files takes most of a minute).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import math
import pickle
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import translations  # noqa: E402
from indexer.corpus import Document  # noqa: E402
from indexer.validate import load_corpus  # noqa: E402

THRESHOLDS = (0.1, 0.3, 0.5, 0.7, 0.9)


def load(corpus: Path, cache: Path | None, procs: int) -> list[Document]:
    """The corpus's documents, from a pickle in ``cache`` when one was kept."""
    pickled = cache / f"translation-pairs-{corpus.resolve().name}.pickle" if cache else None
    if pickled and pickled.exists():
        with pickled.open("rb") as handle:
            return pickle.load(handle)
    documents = load_corpus(corpus, procs=procs)
    if pickled:
        with pickled.open("wb") as handle:
            pickle.dump(documents, handle)
    return documents


def hide_keys(documents: list[Document]) -> tuple[list[Document], dict[str, str]]:
    """Each file its own statement; return the documents and the true key of each file."""
    truth = {d.file: d.key for d in documents}
    return [dataclasses.replace(d, key=d.file) for d in documents], truth


def true_pairs(documents: list[Document], truth: dict[str, str]) -> Counter:
    """Number of true pairs per language pair (sorted codes)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for d in documents:
        groups[truth[d.file]].append(d.lang)
    counts: Counter = Counter()
    for langs in groups.values():
        for i, x in enumerate(langs):
            for y in langs[i + 1:]:
                if x != y:
                    counts[tuple(sorted((x, y)))] += 1
    return counts


def is_true(pair: translations.Pair, truth: dict[str, str]) -> bool:
    return truth[pair.a.doc.file] == truth[pair.b.doc.file]


def prf(tp: int, proposed: int, relevant: int) -> tuple[float, float, float]:
    p = tp / proposed if proposed else 1.0
    r = tp / relevant if relevant else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def linked(kept) -> list[tuple]:
    """Every pair of files that accepting all ``kept`` proposals puts in one statement."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    docs = {}
    for p in kept:
        docs[p.a.doc.file], docs[p.b.doc.file] = p.a.doc, p.b.doc
        parent[find(p.a.doc.file)] = find(p.b.doc.file)
    groups: dict = defaultdict(list)
    for name in docs:
        groups[find(name)].append(docs[name])
    return [(x, y) for members in groups.values()
            for i, x in enumerate(members) for y in members[i + 1:]]


def report(selected, truth, totals: Counter, per_pair: bool) -> None:
    """Proposals above each threshold: are they right, and what do they link once accepted?

    A proposal links two statements; accepting several links whole groups
    (a~b and a~c make b~c too), so recall counts the pairs of files that end
    up in one statement, against every true pair.
    """
    relevant = sum(totals.values())
    print("| threshold | proposals | right | precision | linked pairs | right | precision "
          "| recall | F1 |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for threshold in THRESHOLDS:
        kept = [p for p in selected if p.confidence >= threshold]
        right = sum(is_true(p, truth) for p in kept)
        pairs = linked(kept)
        tp = sum(truth[x.file] == truth[y.file] for x, y in pairs)
        p, r, f = prf(tp, len(pairs), relevant)
        print(f"| {threshold:.1f} | {len(kept):,} | {right:,} | "
              f"{right / len(kept) if kept else 1:.3f} | {len(pairs):,} | {tp:,} | "
              f"{p:.3f} | {r:.3f} | {f:.3f} |")
    if not per_pair:
        return
    print("\nPer language pair, proposals of confidence 0.5 or more, accepted:\n")
    print("| pair | true pairs | linked | precision | recall | F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    by_pair: dict[tuple, list] = defaultdict(list)
    for x, y in linked([p for p in selected if p.confidence >= 0.5]):
        by_pair[tuple(sorted((x.lang, y.lang)))].append(truth[x.file] == truth[y.file])
    for langs in sorted(totals):
        group = by_pair.get(langs, [])
        p, r, f = prf(sum(group), len(group), totals[langs])
        print(f"| {'-'.join(langs)} | {totals[langs]:,} | {len(group):,} | {p:.3f} | "
              f"{r:.3f} | {f:.3f} |")


def calibration(selected, truth) -> None:
    """Observed precision per confidence bin: is 0.8 right four times in five?"""
    print("\n| confidence | pairs | observed precision |")
    print("| --- | ---: | ---: |")
    edges = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0001]
    for low, high in zip(edges, edges[1:]):
        group = [p for p in selected if low <= p.confidence < high]
        if group:
            share = sum(is_true(p, truth) for p in group) / len(group)
            print(f"| {low:.2f}–{min(high, 1):.2f} | {len(group):,} | {share:.3f} |")


def lengths(documents: list[Document]) -> None:
    """Median of log(length / English length) over true pairs, per language."""
    by_key: dict[str, dict[str, int]] = defaultdict(dict)
    for d in documents:
        by_key[d.key][d.lang] = len(d.text)
    ratios: dict[str, list[float]] = defaultdict(list)
    for versions in by_key.values():
        if "en" not in versions or versions["en"] < 200:
            continue
        for lang, length in versions.items():
            if lang != "en":
                ratios[lang].append(math.log(length / versions["en"]))
    for lang, values in sorted(ratios.items()):
        print(f"{lang}: factor {math.exp(statistics.median(values)):.3f} "
              f"(spread {statistics.pstdev(values):.3f} in log units, {len(values)} pairs)")


NEGATIVE = {"length", "different_date"}
"""Signals whose weight must be negative; every other weight must be positive."""


def fit(pairs, truth, names: list[str], fixed: set[str]) -> dict:
    """The weights: logistic regression of the truth on the signals, of the expected signs.

    Newton's method with a light L2 penalty; a signal whose weight comes out
    with the wrong sign (it only corrects another, correlated signal) is left
    out and the rest refitted, so that every weight reads as evidence.  The
    hand-set (``fixed``) weights stay out of the fit.
    """
    free = [n for n in names if n not in fixed]
    ys = [1.0 if is_true(p, truth) else 0.0 for p in pairs]
    while True:
        w = _newton([[1.0] + [p.signals[n] for n in free] for p in pairs], ys)
        wrong = [n for n, x in zip(free, w[1:]) if (x < 0) != (n in NEGATIVE)]
        if not wrong:
            break
        worst = max(wrong, key=lambda n: abs(w[1 + free.index(n)]))
        print(f"  {worst}: weight {w[1 + free.index(worst)]:.2f} has the wrong sign; "
              "left out")
        free.remove(worst)
    print(f"\nweights fitted on {len(pairs):,} candidate pairs ({int(sum(ys)):,} true):")
    print(f"BIAS = {w[0]:.2f}")
    for name, weight in zip(free, w[1:]):
        print(f'    "{name}": {weight:.2f},')
    return {"bias": w[0], **dict(zip(free, w[1:]))}


def fit_calibration(pairs, truth) -> tuple[float, float, float]:
    """(a, b, c) of confidence = logistic(a + b score + c lead), on selected pairs."""
    ys = [1.0 if is_true(p, truth) else 0.0 for p in pairs]
    w = _newton([[1.0, p.score, p.lead] for p in pairs], ys)
    alone = sum(p.alone for p in pairs)
    print(f"CALIBRATION = ({', '.join(f'{x:.2f}' for x in w)})  "
          f"# on {len(pairs):,} selected pairs ({int(sum(ys)):,} true, "
          f"{alone:,} without a rival)")
    return tuple(w)


def _newton(rows: list[list[float]], ys: list[float]) -> list[float]:
    k = len(rows[0])
    w = [0.0] * k
    for _ in range(30):
        gradient = [0.0] * k
        hessian = [[0.0] * k for _ in range(k)]
        for x, y in zip(rows, ys):
            z = sum(wi * xi for wi, xi in zip(w, x))
            q = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(k):
                gradient[i] += (y - q) * x[i]
                qi = q * (1 - q) * x[i]
                for j in range(i, k):
                    hessian[i][j] += qi * x[j]
        for i in range(k):
            gradient[i] -= 1e-3 * w[i]
            hessian[i][i] += 1e-3
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        step = _solve(hessian, gradient)
        w = [wi + si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for j in range(c, n + 1):
                m[r][j] -= f * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


@dataclasses.dataclass
class Run:
    """One corpus, keys hidden, its candidate pairs scored."""

    name: str
    corpus: Path
    pairs: list
    truth: dict[str, str]
    totals: Counter

    def rescore(self) -> list:
        """Scores and confidences under the current weights, then the selection."""
        for p in self.pairs:
            p.score = translations.evidence_score(p.signals)
        translations.rate(self.pairs)
        return translations.select(self.pairs)


def prepare(path: Path, keep: float, args, small: int = 0) -> Run:
    """Read a corpus, hide its keys, score its candidate pairs.

    :param keep: keep each file with this probability.
    :param small: split the corpus into corpora of about this many (true)
        statements, each run on its own, as a small corpus would be.
    """
    started = time.perf_counter()
    documents = load(path, args.cache, args.procs)
    if args.langs:
        keep_langs = set(args.langs.split(","))
        documents = [d for d in documents if d.lang in keep_langs]
    if keep < 1:
        documents = [d for d in documents if _fraction(d.file) < keep]
    loaded = time.perf_counter() - started
    hidden, truth = hide_keys(documents)
    totals = true_pairs(hidden, truth)
    name = path.name if keep == 1 else f"{path.name}, {keep:.0%} of the files"
    if small:
        name += f", in corpora of {small} statements"
    print(f"\n## {name}: {len(hidden):,} files, {sum(totals.values()):,} true pairs "
          f"(read in {loaded:.1f} s)\n")
    parts: dict[int, list[Document]] = defaultdict(list)
    chunks = max(1, len(set(truth.values())) // small) if small else 1
    for d in hidden:
        parts[int(_fraction(truth[d.file]) * chunks)].append(d)
    started = time.perf_counter()
    profiled = blocked = 0.0
    pairs = []
    for part in parts.values():
        t0 = time.perf_counter()
        corpus = translations.Corpus(part)
        t1 = time.perf_counter()
        pair_ids = translations.candidates(corpus)
        t2 = time.perf_counter()
        profiled, blocked = profiled + t1 - t0, blocked + t2 - t1
        pairs.extend(corpus.compare(i, j) for i, j in pair_ids)
    scored = time.perf_counter()
    run = Run(name, path, translations.rate(pairs), truth, totals)
    selected = translations.select(run.pairs)
    done = time.perf_counter()
    reachable = sum(is_true(p, truth) for p in pairs)
    print(f"profiles {profiled:.1f} s, candidates {blocked:.1f} s "
          f"({len(pairs):,} pairs, {reachable:,} true: candidate recall "
          f"{reachable / max(1, sum(totals.values())):.3f}), scoring "
          f"{scored - started - profiled - blocked:.1f} s, sorting and selection "
          f"{done - scored:.1f} s; total {done - started:.1f} s; "
          f"{len(selected):,} pairs selected")
    return run


def _fraction(name: str) -> float:
    """A stable pseudo-random number in [0, 1) for a file name."""
    return int(hashlib.md5(name.encode()).hexdigest()[:8], 16) / 2**32


def train(runs: list[Run], free: list[str]) -> None:
    """Fit the weights, then the calibration, on the runs' candidate pairs; install them."""
    pairs = [p for r in runs for p in r.pairs]
    truth = {k: v for r in runs for k, v in r.truth.items()}
    weights = fit(pairs, truth, free, FIXED)
    translations.BIAS = weights["bias"]
    for name in translations.WEIGHTS:
        if name not in FIXED:
            translations.WEIGHTS[name] = weights.get(name, 0.0)
    for _ in range(2):   # the selection depends on the calibration: settle it
        selected = [p for run in runs for p in run.rescore()]
        translations.CALIBRATION = fit_calibration(selected, truth)


FIXED = {"same_date", "different_date", "tags"}
"""Hand-set weights: the benchmark corpora have no dates, and one tag for all files."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", required=True,
                        help="a corpus folder; repeat for several")
    parser.add_argument("--cache", type=Path,
                        help="folder for pickles of the parsed documents")
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--langs", help="only these languages, e.g. en,el,pl")
    parser.add_argument("--keep", default="1",
                        help="comma-separated: run each corpus keeping each file with "
                             "this probability (a sparser corpus, where statements have "
                             "fewer versions or none), e.g. 1,0.5")
    parser.add_argument("--small", metavar="N[:KEEP]",
                        help="also run each corpus split into small corpora of N "
                             "statements, keeping each file with probability KEEP")
    parser.add_argument("--fit", action="store_true",
                        help="fit the weights on all the corpora; with several, also "
                             "fit on all but one and test on that one")
    parser.add_argument("--lengths", action="store_true",
                        help="print each language's length factor against English")
    parser.add_argument("--per-pair", action="store_true",
                        help="precision and recall per language pair")
    parser.add_argument("--without", default="",
                        help="signals to leave out, e.g. break_cover (ablation)")
    args = parser.parse_args()

    if args.lengths:
        for path in args.corpus:
            print(path)
            lengths(load(path, args.cache, args.procs))
        return
    for name in filter(None, args.without.split(",")):
        translations.WEIGHTS[name] = 0.0
    runs = [prepare(path, float(keep), args) for path in args.corpus
            for keep in args.keep.split(",")]
    if args.small:
        size, _, keep = args.small.partition(":")
        runs += [prepare(path, float(keep or 1), args, int(size)) for path in args.corpus]
    if not args.fit:
        for run in runs:
            print(f"\n### {run.name}")
            selected = run.rescore()
            report(selected, run.truth, run.totals, args.per_pair)
            calibration(selected, run.truth)
        return
    free = [n for n in translations.WEIGHTS if translations.WEIGHTS[n] or n in FIXED]
    if len(args.corpus) > 1:
        for corpus in args.corpus:
            others = [r for r in runs if r.corpus != corpus]
            print(f"\n### fitted on {'; '.join(r.name for r in others)}\n")
            train(others, free)
            for held in runs:
                if held.corpus == corpus:
                    print(f"\n#### tested on {held.name}\n")
                    selected = held.rescore()
                    report(selected, held.truth, held.totals, args.per_pair)
                    calibration(selected, held.truth)
    print(f"\n### fitted on {'; '.join(r.name for r in runs)}\n")
    train(runs, free)
    for run in runs:
        print(f"\n#### {run.name} (in sample)\n")
        selected = run.rescore()
        report(selected, run.truth, run.totals, args.per_pair)
        calibration(selected, run.truth)


if __name__ == "__main__":
    main()
