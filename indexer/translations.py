"""Scoring translation pairs: how alike two files are, and which pairs to keep.

A curator links two versions of a statement by giving them one
``translation_key``; files nobody linked can only be found by comparing them.
This module scores pairs of files of different statements and languages on
signals that do not depend on the language (``docs/translations.md``), read
from each file's profile (:mod:`indexer.text_profile`):

* **date**: the same date (when both files have one) is strong evidence;
  dates more than a week apart are strong evidence against.
* **numbers**: digit tokens such as ``7``, ``2015``, ``18-19`` or ``13.9``
  are written alike in every language (``13,9`` is ``13.9``).  What counts is
  the share of the two files' numbers that match, a rare number weighing more
  than a ``1`` (inverse document frequency).
* **names**: capitalised words that are not sentence openers (Charlie, Hebdo,
  Vincennes, LibreOffice), transliterated to ASCII with Unidecode and matched
  exactly, or else by consonant skeleton (Παρίσι -> ``parisi`` -> ``prs``, as
  Paris and Paryżu): the weighted share that matches.
* **paragraphs**: versions of a text keep its paragraphs; the share of the
  paragraph breaks that fall at the same place (as a share of the text).
* **length**: versions of a text have similar lengths, after the usual ratio
  between the two languages (Greek runs a fifth longer than English).
* **tags**: the share of tags written alike.

The evidence score is a weighted sum of the signals, weights fitted by
logistic regression on real parallel corpora (``bench/translation_pairs.py``).
The confidence adds competition: how far the pair's score beats the best
rival (another candidate of either file in the other's language), and is
calibrated on the pairs kept: it is the probability, on the benchmark
corpora, that a proposal of that score and lead is right.

Comparing every file with every other is O(n²); instead each file is compared
with the files that share a rare number, name, date or paragraph count with
it (a candidate block), the few best per language.  Best first, a pair is kept
unless it would give a statement two versions in one language.
:mod:`indexer.proposals` turns the kept pairs into edits for a curator.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from .corpus import Document
from .text_profile import Profile, profile, skeleton

# --- the model ------------------------------------------------------------------

BIAS = -3.91
WEIGHTS: dict[str, float] = {
    "same_date": 6.0,        # hand-set (the benchmark corpora carry no dates)
    "different_date": -5.0,  # hand-set: dates more than a week apart
    "number_cover": 0.78,    # weighted share of the two files' numbers that match
    "name_cover": 6.65,      # weighted share of the two files' names that match
    "break_cover": 3.06,     # share of the two files' paragraph breaks that line up
    "length": -8.15,         # |log length ratio - the language pair's usual one|
    "tags": 0.5,             # hand-set: Jaccard index of the tags
}
"""Fitted by ``python bench/translation_pairs.py --fit`` (the hand-set weights
excepted); a signal's contribution to the score is its weight times its value."""

LENGTH_FACTOR: dict[str, float] = {
    "en": 1.0, "de": 1.17, "el": 1.20, "es": 1.16, "fr": 1.20, "it": 1.13,
    "pl": 1.07, "ru": 1.07,
}
"""Characters per character of English, measured on the benchmark corpora
(``bench/translation_pairs.py --lengths``); a language missing here counts as 1.0."""

CALIBRATION = (0.62, 0.56, 1.35)
"""(a, b, c): confidence = 1 / (1 + exp(-(a + b * score + c * lead))), fitted
(``bench/translation_pairs.py --fit``) on the pairs that :func:`select` keeps:
the score says how alike two files are; the lead, how much less alike the
best rival is (0 when there is none, as in a small corpus)."""


def evidence_score(signals: dict[str, float]) -> float:
    """BIAS plus each signal's weight times its value."""
    return BIAS + sum(WEIGHTS[name] * value for name, value in signals.items())


def confidence(score: float, lead: float) -> float:
    """The model's probability that a pair kept by :func:`select` is a true one."""
    a, b, c = CALIBRATION
    z = a + b * score + c * lead
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


# --- comparing two files ----------------------------------------------------------------

DATE_TOLERANCE_DAYS = 7
"""A translation may come out some days after the original: dates this close
count neither for nor against."""
LENGTH_SATURATION = 0.25
"""The length signal grows no further: a ratio that far from the usual one
(1.28 times; true pairs spread 0.07-0.12) says only that one file may be an
excerpt of the other, which other signals must then outweigh."""
COVER_PRIOR = {"number_cover": 8.0, "name_cover": 8.0, "break_cover": 2.0}
"""Added to what the two files have before a share is taken, so that one shared
number out of one is not a perfect match: rarity units for numbers and names,
breaks for paragraphs."""


@dataclass
class Pair:
    """Two files compared: the signals' values, the evidence behind them, the confidence."""

    a: Profile
    b: Profile
    signals: dict[str, float]
    shared_numbers: list[str]
    shared_names: list[tuple[str, str]]   # (key in a, key in b), in a's order
    breaks_lined_up: int
    length_ratio: float                   # a's length / b's
    shared_tags: list[str]
    score: float = 0.0                    # the evidence: BIAS + weights x signals
    lead: float = 0.0                     # score less the best rival's, capped
    rival: str | None = None              # the file of that rival
    alone: bool = True                    # no rival at all
    confidence: float = 0.0

    def contributions(self) -> dict[str, float]:
        return {name: round(WEIGHTS[name] * value, 3)
                for name, value in self.signals.items() if value}


class Corpus:
    """Profiles of every file and how rare each number and name is among them."""

    def __init__(self, documents: list[Document]):
        self.profiles = [profile(doc) for doc in documents]
        self.files = len(self.profiles)
        self.counts: Counter[str] = Counter()
        for p in self.profiles:
            self.counts.update(_features(p))
        self._rarity: dict[str, float] = {}
        self._totals = [(sum(self.rarity("#" + n) for n in p.numbers),
                         sum(self.rarity("@" + n) for n in p.names))
                        for p in self.profiles]

    def rarity(self, feature: str) -> float:
        """Inverse document frequency: log(files / files with the feature)."""
        value = self._rarity.get(feature)
        if value is None:
            value = math.log((self.files + 1) / max(1, self.counts.get(feature, 1)))
            self._rarity[feature] = value
        return value

    def compare(self, i: int, j: int) -> Pair:
        """The signals of the pair of files ``i`` and ``j`` and their confidence."""
        a, b = self.profiles[i], self.profiles[j]
        signals = dict.fromkeys(WEIGHTS, 0.0)
        da, db = a.doc.date, b.doc.date
        if da and db:
            gap = abs((da - db).days)
            if gap == 0:
                signals["same_date"] = 1.0
            elif gap > DATE_TOLERANCE_DAYS:
                signals["different_date"] = 1.0

        shared_n = sorted(a.numbers.keys() & b.numbers.keys(),
                          key=lambda n: (-self.rarity("#" + n), n))
        weight = sum(self.rarity("#" + n) for n in shared_n)
        total = self._totals[i][0] + self._totals[j][0]
        signals["number_cover"] = 2 * weight / (total + COVER_PRIOR["number_cover"])

        matched, weight = self._match_names(a, b)
        total = self._totals[i][1] + self._totals[j][1]
        signals["name_cover"] = min(1.0, 2 * weight / (total + COVER_PRIOR["name_cover"]))

        lined = _lined_up(a.breaks, b.breaks)
        count = len(a.breaks) + len(b.breaks)
        signals["break_cover"] = 2 * lined / (count + COVER_PRIOR["break_cover"])

        ratio = max(a.length, 1) / max(b.length, 1)
        expected = LENGTH_FACTOR.get(a.doc.lang, 1.0) / LENGTH_FACTOR.get(b.doc.lang, 1.0)
        signals["length"] = min(LENGTH_SATURATION, abs(math.log(ratio / expected)))

        tags = sorted(a.tags & b.tags)
        union = a.tags | b.tags
        signals["tags"] = len(tags) / len(union) if union else 0.0
        pair = Pair(a, b, signals, shared_n, matched, lined, ratio, tags)
        pair.score = evidence_score(signals)
        pair.confidence = confidence(pair.score, 0.0)
        return pair

    def _match_names(self, a: Profile, b: Profile) -> tuple[list[tuple[str, str]], float]:
        """Names of ``a`` and ``b`` that match: alike once transliterated, else by skeleton."""
        exact = a.names.keys() & b.names.keys()
        matched = [(k, k) for k in exact]
        weight = sum(self.rarity("@" + k) for k in exact)
        rest_a = _by_skeleton(k for k in a.names if k not in exact)
        rest_b = _by_skeleton(k for k in b.names if k not in exact)
        for sk in rest_a.keys() & rest_b.keys():
            matched.append((rest_a[sk], rest_b[sk]))
            weight += self.rarity("~" + sk)
        matched.sort(key=lambda m: a.names[m[0]][1])
        return matched, weight


def _by_skeleton(keys) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in keys:
        sk = skeleton(key)
        if len(sk) >= 3:
            found.setdefault(sk, key)
    return found


BREAK_TOLERANCE = 0.03
"""Two paragraph breaks line up when they fall within this share of the text."""


def _lined_up(xs: tuple[float, ...], ys: tuple[float, ...]) -> int:
    """Breaks of ``xs`` with a break of ``ys`` within BREAK_TOLERANCE, matched in order."""
    i = j = count = 0
    while i < len(xs) and j < len(ys):
        if abs(xs[i] - ys[j]) <= BREAK_TOLERANCE:
            count, i, j = count + 1, i + 1, j + 1
        elif xs[i] < ys[j]:
            i += 1
        else:
            j += 1
    return count


# --- finding candidates --------------------------------------------------------------------

RARE_FILES = 60
"""A number, name or date in at most this many files makes a candidate block
of all of them."""
COMMON_SHARE = 0.1
"""A feature in more files than RARE_FILES, but at most this share of all files
(and at least RARE_FILES), makes blocks only of files of similar length."""
LENGTH_WINDOW = 0.3
"""Similar length for a common feature's block: |log length ratio - usual one| at most this."""
CANDIDATES_PER_LANGUAGE = 4
"""For each file, the most promising files of each other language that are scored."""
LENGTH_PENALTY = 20.0
"""Ranking a file's candidates: rarity units lost per unit of |log length ratio|."""


def _features(p: Profile) -> set[str]:
    """What can put a file in a candidate block: numbers, names, date, paragraph count."""
    found = {"#" + n for n in p.numbers}
    for key in p.names:
        found.add("@" + key)
        if len(sk := skeleton(key)) >= 3:
            found.add("~" + sk)
    if p.doc.date:
        found.add("date:" + p.doc.date.isoformat())
    if p.paragraphs >= 3:
        found.add(f"¶{p.paragraphs}")
    return found


def _normal_length(p: Profile) -> float:
    """log(length in English characters): close for two versions of one text."""
    return math.log(max(p.length, 1) / LENGTH_FACTOR.get(p.doc.lang, 1.0))


def candidates(corpus: Corpus) -> set[tuple[int, int]]:
    """Pairs worth scoring: files sharing a rare number, name, date or paragraph count.

    A feature in at most :data:`RARE_FILES` files puts them all in one block; a
    more common one (up to :data:`COMMON_SHARE` of the files) only those of
    similar length, found by bisection in its files sorted by length.  Each
    file keeps the :data:`CANDIDATES_PER_LANGUAGE` best of each language, by
    the summed rarity of what they share less a penalty for their length
    difference.  The work is bounded by the sum over features of
    (block size)², with block sizes capped: linear in the corpus.
    """
    profiles = corpus.profiles
    groups = _group_languages(profiles)
    sizes = [_normal_length(p) for p in profiles]
    common = max(RARE_FILES, int(COMMON_SHARE * corpus.files))
    postings: dict[str, list[int]] = defaultdict(list)
    features = []
    for i, p in enumerate(profiles):
        mine = [f for f in _features(p) if 2 <= corpus.counts[f] <= common]
        features.append(mine)
        for f in mine:
            postings[f].append(i)
    ordered = {}   # common feature -> (sorted lengths, files in that order)
    for f, files in postings.items():
        if len(files) > RARE_FILES:
            files.sort(key=sizes.__getitem__)
            ordered[f] = ([sizes[k] for k in files], files)
    langs = [p.doc.lang for p in profiles]
    keys = [p.doc.key for p in profiles]
    group = [groups[k] for k in keys]
    single = [len(g) == 1 for g in group]
    pairs: set[tuple[int, int]] = set()
    for i in range(len(profiles)):
        weights: dict[int, float] = defaultdict(float)
        for f in features[i]:
            rarity = corpus.rarity(f)
            if f in ordered:
                lengths, files = ordered[f]
                low = bisect.bisect_left(lengths, sizes[i] - LENGTH_WINDOW)
                high = bisect.bisect_right(lengths, sizes[i] + LENGTH_WINDOW)
                block = files[low:high]
            else:
                block = postings[f]
            for j in block:
                weights[j] += rarity
        lang, key, size = langs[i], keys[i], sizes[i]
        best: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for j, weight in weights.items():
            # linkable: another language, another statement, no language in common
            if langs[j] == lang or keys[j] == key or (
                    not (single[i] and single[j]) and group[i] & group[j]):
                continue
            best[langs[j]].append((weight - LENGTH_PENALTY * abs(size - sizes[j]), -j))
        for scored in best.values():
            for _, j in heapq.nlargest(CANDIDATES_PER_LANGUAGE, scored):
                pairs.add((min(i, -j), max(i, -j)))
    return pairs


def _group_languages(profiles: list[Profile]) -> dict[str, frozenset[str]]:
    langs: dict[str, set[str]] = defaultdict(set)
    for p in profiles:
        langs[p.doc.key].add(p.doc.lang)
    return {key: frozenset(value) for key, value in langs.items()}


# --- rating and keeping pairs ----------------------------------------------------------


def score_pairs(documents: list[Document]) -> list[Pair]:
    """Every candidate pair, scored, best first (before :func:`select`)."""
    corpus = Corpus(documents)
    return rate([corpus.compare(i, j) for i, j in candidates(corpus)])


LEAD_CAP = 4.0
"""A lead counts up to this much, either way."""


def rate(pairs: list[Pair]) -> list[Pair]:
    """Set each pair's lead and confidence; sort best first.

    The lead of a~b is how far its score beats the best rival: another
    candidate of ``a`` in ``b``'s language, or of ``b`` in ``a``'s (the
    smaller of the two margins), within :data:`LEAD_CAP` either way; with
    no rival at all (the pair is ``alone``), the lead is 0.  A candidate
    whose date is more than a week from the file's is no rival: it is ruled
    out by the date, not outscored, and counting it would let a pair with
    next to no evidence of its own lead by the date penalty alone.
    """
    best: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for pair in pairs:
        if pair.signals.get("different_date"):
            continue
        for me, other in ((pair.a.doc, pair.b.doc), (pair.b.doc, pair.a.doc)):
            top = best[me.file, other.lang]
            top.append((pair.score, other.file))
            if len(top) > 2:
                top.sort(reverse=True)
                top.pop()
    for pair in pairs:
        margins = []
        for me, other in ((pair.a.doc, pair.b.doc), (pair.b.doc, pair.a.doc)):
            for score, name in sorted(best[me.file, other.lang], reverse=True):
                if name != other.file:
                    margins.append((pair.score - score, name))
                    break
        pair.alone = not margins
        pair.lead, pair.rival = min(margins) if margins else (0.0, None)
        pair.lead = max(-LEAD_CAP, min(LEAD_CAP, pair.lead))
        pair.confidence = confidence(pair.score, pair.lead)
    pairs.sort(key=lambda p: (-p.confidence, p.a.doc.file, p.b.doc.file))
    return pairs


def select(pairs: list[Pair]) -> list[Pair]:
    """Best first, keep a pair when it links two statements that share no language yet.

    A statement has one version per language.  Pairs link statements into
    groups (a kept a~b and a~c put b and c in one group too), so a pair is
    dropped when its two files are already in one group, or when linking
    them would give the group two versions in one language.
    """
    groups = _Groups()
    for pair in pairs:
        for p in (pair.a, pair.b):
            groups.add(p.doc.key, p.doc.lang)
    return [pair for pair in pairs if groups.link(pair.a.doc.key, pair.b.doc.key)]


class _Groups:
    """Union-find of statement keys, each group with its set of languages."""

    def __init__(self):
        self.parent: dict[str, str] = {}
        self.langs: dict[str, set[str]] = {}

    def add(self, key: str, lang: str) -> None:
        self.parent.setdefault(key, key)
        self.langs.setdefault(key, set()).add(lang)

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def link(self, a: str, b: str) -> bool:
        """Join the groups of ``a`` and ``b`` unless they are one or share a language."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.langs[ra] & self.langs[rb]:
            return False
        self.parent[rb] = ra
        self.langs[ra] |= self.langs.pop(rb)
        return True
