"""The terms of an index's fields, in memory, for expanding prefix and fuzzy words.

Whoosh expands ``word*`` and ``word~`` by walking its on-disk term table,
one binary search in Python per step of the walk, for every field of every
language: most of the time of such a query.  A sorted list of each field's
terms, read once per published index and field when first needed, turns
each step into a ``bisect`` over that list; the expansions are the same.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from functools import lru_cache

from whoosh import query as wq
from whoosh.automata.lev import levenshtein_automaton


class Vocabulary:
    """One language index's field terms, each field loaded on first use."""

    def __init__(self, index) -> None:
        self._index = index
        self._fields: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def terms(self, field: str) -> list[str]:
        """The field's terms, sorted (read from the index the first time)."""
        terms = self._fields.get(field)
        if terms is None:
            with self._lock:
                if field not in self._fields:
                    with self._index.reader() as reader:
                        self._fields[field] = sorted(
                            {text.decode("utf-8") for text in reader.lexicon(field)})
                terms = self._fields[field]
        return terms

    def expand(self, q, reader) -> tuple:
        """The terms of the field that a prefix, wildcard or fuzzy word stands for."""
        if isinstance(q, wq.FuzzyTerm):
            return tuple(_within(self.terms(q.fieldname),
                                 _automaton(q.text, q.maxdist, q.prefixlength)))
        if type(q) is wq.Prefix:
            terms = self.terms(q.fieldname)
            start = bisect_left(terms, q.text)
            end = bisect_left(terms, q.text + "\U0010ffff", start)
            return tuple(terms[start:end])
        return tuple(q._btexts(reader))  # wildcards: Whoosh's own expansion


@lru_cache(maxsize=256)
def _automaton(text: str, maxdist: int, prefix: int):
    """Whoosh's Levenshtein automaton for a word (the same one a ``FuzzyTerm`` uses)."""
    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


def _within(terms: list[str], dfa) -> list[str]:
    """The terms the automaton accepts: Whoosh's walk, with ``bisect`` for its seek."""
    found = []
    if not terms:
        return found
    match = dfa.next_valid_string(terms[0])
    while match:
        i = bisect_left(terms, match)
        if i == len(terms):
            break
        term = terms[i]
        if term == match:
            found.append(match)
            term += "\0"
        match = dfa.next_valid_string(term)
    return found
