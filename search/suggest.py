"""Did you mean: a corrected query from the indexes' own vocabularies."""

from __future__ import annotations

import re
import time

from .analysis import is_stopword, normalise, word_found
from .languages import get_language
from .query import OPERATORS
from .segment import SEGMENTED

SPELLING_FIELDS = ("title_exact", "body_exact")
"""Unstemmed fields: suggestions must be words a reader recognises."""
KNOWN_FIELDS = ("title_folded", "body_folded", "title_latin", "body_latin")
"""The folded twins match what the exact and stemmed ones do; the Latin ones, Greeklish."""
_WORD = re.compile(r'(?<![\w:*~"])([^\W\d_]{3,})(?![\w:*~])')


MAX_WORDS = 5
"""Words corrected at most per query: each costs a walk through every vocabulary."""


def suggest(searchers: dict, text: str, deadline: float | None = None) -> str | None:
    """Replace each unknown word of ``text`` by the most frequent near spelling.

    :param searchers: open Whoosh searchers by language code.
    :param deadline: a ``time.perf_counter()`` value after which no more words
        are looked at (the search's own time limit).
    :return: the corrected query, or None when no word needed a change.
    """
    corrected, changed = text, False
    for match in list(_WORD.finditer(text))[:MAX_WORDS][::-1]:
        if deadline is not None and time.perf_counter() > deadline:
            break
        word = match[1]
        # A script cut into pairs or dictionary segments has no whole word to offer.
        if word in OPERATORS or SEGMENTED.search(word) or _known(searchers, word):
            continue
        best = _best_candidate(searchers, normalise(word))
        if best:
            corrected = corrected[:match.start(1)] + best + corrected[match.end(1):]
            changed = True
    return corrected if changed else None


def _known(searchers: dict, word: str) -> bool:
    """A word that matches as written, stemmed, folded or as Greeklish, or is a stop word."""
    low = normalise(word)
    for code, searcher in searchers.items():
        if is_stopword(low, get_language(code), query=True):
            return True
        for field in KNOWN_FIELDS:
            if field not in searcher.schema:
                continue
            if word_found(searcher.schema[field].analyzer, word,
                          lambda term: searcher.doc_frequency(field, term) > 0):
                return True
    return False


def _best_candidate(searchers: dict, word: str) -> str | None:
    best, best_frequency = None, 0
    for searcher in searchers.values():
        for field in SPELLING_FIELDS:
            # Keeping the first letter spares comparing the word with every
            # term (a misspelt first letter is the rarer mistake).
            for candidate in searcher.suggest(field, word, limit=3, maxdist=2, prefix=1):
                frequency = searcher.doc_frequency(field, candidate)
                if frequency > best_frequency:
                    best, best_frequency = candidate, frequency
    return best
