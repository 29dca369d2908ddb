"""Words of scripts written without spaces (Thai, Chinese, Japanese...) and of Korean's particles.

A run of letters that the word pattern of :mod:`search.words` finds is
cut here when it holds such a script, by the script, never by the
language a file declares, so that a query and every index cut a text alike:

* Thai, Lao, Khmer, Burmese, Chinese and Japanese (Han, hiragana,
  katakana) into dictionary words by ICU's word break iterator, as the
  ``icu_tokenizer`` of Lucene and Elasticsearch does:
  ภาษาไทยเป็นภาษา -> ภาษา ไทย เป็น ภาษา, バグ報告を -> バグ 報告 を;
* Korean (Hangul), whose words ICU leaves whole with their particles, into
  overlapping syllable pairs, as Elasticsearch's ``cjk`` analyzer does:
  인간은 -> 인간 간은, so that the noun 인간 finds 인간은 and 인간의 (a text
  also indexes each pair's first syllable, so that 법 finds 법은:
  :func:`first_of_pair`).

``bench/segmentation.py`` measured the choice (``docs/languages.md``).
"""

from __future__ import annotations

import re
import threading
import unicodedata

import icu

SCRIPTS = {
    "pairs": "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff",
    "dictionary": "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u2e80-\u2fdf\u3005"
                  "\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff\u31f0-\u31ff"
                  "\u3400-\u4dbf\u4e00-\u9fff\ua9e0-\ua9ff\uaa60-\uaa7f\uf900-\ufaff"
                  "\uff66-\uff9f\U00020000-\U0003134f",
}
"""Letters of the scripts cut here, by how: Hangul into pairs; Thai, Lao,
Burmese, Khmer, Han and kana by dictionary."""

SEGMENTED = re.compile(f"[{''.join(SCRIPTS.values())}]")
"""Finds a letter of a script cut here: a text without one keeps its plain words."""
_VARIANTS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
"""Variation selectors, which follow a Han character and belong to it."""
_RUNS = re.compile("|".join(f"(?P<{kind}>[{letters}][{letters}{_VARIANTS}]*)"
                            for kind, letters in SCRIPTS.items()))


_LETTER = f"[{SCRIPTS['pairs']}][{_VARIANTS}]*"
"""One character of a script cut into pairs, with its variation selector."""
_PAIR = re.compile(f"({_LETTER}){_LETTER}")
_SINGLE = re.compile(_LETTER)


def first_of_pair(word: str) -> str | None:
    """The first syllable of a Hangul pair (법 of 법은), else None.

    A text indexes it at the pair's place too, so that a query of one
    syllable finds it; a query's pairs stand for themselves only.
    """
    pair = _PAIR.fullmatch(word)
    return pair.group(1) if pair else None


def is_single(word: str) -> bool:
    """Whether a word is one syllable of a script cut into pairs."""
    return _SINGLE.fullmatch(word) is not None


def segments(word: str) -> list[tuple[int, int]]:
    """Where the words of one run of letters start and end, its runs of cut scripts cut.

    Letters of other scripts stay together (``Linuxカーネル`` -> ``Linux``,
    then the katakana's words).
    """
    spans, done = [], 0
    for run in _RUNS.finditer(word):
        if run.start() > done:
            spans.append((done, run.start()))
        cut = _pairs if run.lastgroup == "pairs" else _dictionary
        spans.extend((run.start() + start, run.start() + end) for start, end in cut(run.group()))
        done = run.end()
    if done < len(word):
        spans.append((done, len(word)))
    return spans


def _pairs(run: str) -> list[tuple[int, int]]:
    """Overlapping pairs of syllables (a combining mark goes with its letter); one alone stays."""
    starts = [i for i, c in enumerate(run) if not unicodedata.category(c).startswith("M")]
    ends = starts[1:] + [len(run)]
    if len(starts) == 1:
        return [(0, len(run))]
    return [(starts[i], ends[i + 1]) for i in range(len(starts) - 1)]


_ITERATORS = threading.local()
"""One ICU word break iterator per thread (an iterator holds the text it cuts)."""


def _dictionary(run: str) -> list[tuple[int, int]]:
    """ICU's dictionary words of a run (its boundaries count UTF-16 units: mapped back)."""
    iterator = getattr(_ITERATORS, "words", None)
    if iterator is None:
        iterator = _ITERATORS.words = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    iterator.setText(run)
    bounds = [iterator.first(), *iterator]
    if not run.isascii() and max(run) > "\uffff":
        units = [0]
        for c in run:
            units.append(units[-1] + (2 if c > "\uffff" else 1))
        index = {unit: i for i, unit in enumerate(units)}
        bounds = [index[b] for b in bounds]
    return list(zip(bounds, bounds[1:]))
