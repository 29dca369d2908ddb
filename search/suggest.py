"""Did you mean: a corrected query from the indexes' own vocabularies."""

from __future__ import annotations

import re
import time

from .analysis import is_stopword, normalise, word_found
from .fields import EXACT, FOLDED, ROMANISED
from .languages import get_language
from .query import Query
from .segment import SEGMENTED

SPELLING_FIELDS = EXACT.fields()
"""Unstemmed fields: suggestions must be words a reader recognises."""
KNOWN_FIELDS = FOLDED.fields() + ROMANISED.fields()
"""The folded twins match what the exact and stemmed ones do; the romanised ones, Greeklish."""
_SPELLED = re.compile(r"[^\W\d_]{3,}")
"""A word worth correcting: three letters or more, no digit."""


MAX_WORDS = 5
"""Words corrected at most per query: each costs a walk through every vocabulary."""


def suggest(searchers: dict, query: Query, deadline: float | None = None) -> str | None:
    """Replace each unknown word of the query by the most frequent near spelling.

    The words are those the search read (``Query.words``): plain words as
    typed, never a field's name, an operator, a prefix or fuzzy word, a word
    of a phrase, or one that the query excludes.

    :param searchers: open Whoosh searchers by language code.
    :param deadline: a ``time.perf_counter()`` value after which no more words
        are looked at (the search's own time limit).
    :return: the corrected query text, or None when no word needed a change.
    """
    corrected, changed = query.text, False
    words = [w for w in query.words if w.at is not None and not w.negated
             and _SPELLED.fullmatch(w.word)][:MAX_WORDS]
    for word in sorted(words, key=lambda w: -w.at):
        if deadline is not None and time.perf_counter() > deadline:
            break
        # A script cut into pairs or dictionary segments has no whole word to offer.
        if SEGMENTED.search(word.word) or _known(searchers, word.word):
            continue
        best = _best_candidate(searchers, normalise(word.word))
        if best:
            corrected = corrected[:word.at] + best + corrected[word.at + len(word.word):]
            changed = True
    return corrected if changed else None


def _known(searchers: dict, word: str) -> bool:
    """A word that matches in any twin (as written, stemmed, folded, romanised), or is a stop word."""
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
