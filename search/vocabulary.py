"""The terms of an index's fields, in memory, for expanding prefix and fuzzy words.

Whoosh expands ``word*`` and ``word~`` by walking its on-disk term table,
one binary search in Python per step of the walk, for every field of every
language: most of the time of such a query.  A sorted list of each field's
terms, read once per published index and field when first needed, turns
each step into a ``bisect`` over that list; the expansions are the same.
A word may stand for at most :data:`MAX_EXPANSIONS` terms, and an expansion
stops at the search's deadline, so that no word can hold a server for long.
"""

from __future__ import annotations

import re
import threading
import time
from bisect import bisect_left
from functools import lru_cache

from whoosh import query as wq
from whoosh.automata.lev import levenshtein_automaton
from whoosh.searching import TimeLimit

from .errors import TooGeneral

MAX_EXPANSIONS = 1000
"""Terms of one field that a prefix, wildcard, fuzzy word or range may stand for.

Past it the search would read the postings of thousands of words (``a*``,
``[a TO z]``) for results no one could use; the query is refused, saying
so.  The longest prefixes of the benchmark queries stand for under 60 terms
of a field at 20,000 documents (``docs/benchmarks-peers.md``)."""
CHECK_EVERY = 256
"""Steps of an expansion between two looks at the clock."""


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

    def expand(self, q, reader, deadline: float) -> tuple:
        """The terms of the field that a prefix, wildcard, fuzzy word or range stands for.

        :raise TooGeneral: past :data:`MAX_EXPANSIONS` terms.
        :raise TimeLimit: when ``time.perf_counter()`` passes ``deadline``.
        """
        if isinstance(q, wq.FuzzyTerm):
            found = _within(self.terms(q.fieldname),
                            _automaton(q.text, q.maxdist, q.prefixlength), deadline)
        elif type(q) is wq.Prefix:
            found = self._starting(q.fieldname, q.text)
        elif isinstance(q, wq.Wildcard):  # Whoosh's pattern over the in-memory terms
            pattern = re.compile(q._get_pattern())
            found = (text for text in self._starting(q.fieldname, q._find_prefix(q.text))
                     if pattern.match(text))
        else:  # ranges: Whoosh's own walk
            found = (text.decode("utf-8") for text in q._btexts(reader))
        texts = []
        for count, text in enumerate(found):
            if count == MAX_EXPANSIONS:
                written, hint, kind = _written(q)
                raise TooGeneral(f"{written} stands for more than {MAX_EXPANSIONS:,} "
                                 f"different words; {hint}", f"{kind}-too-general",
                                 word=written, limit=MAX_EXPANSIONS)
            if not count % CHECK_EVERY and time.perf_counter() > deadline:
                raise TimeLimit
            texts.append(text)
        return tuple(texts)

    def _starting(self, field: str, prefix: str) -> list[str]:
        """The field's terms that start with ``prefix`` (all of them for ``""``)."""
        terms = self.terms(field)
        start = bisect_left(terms, prefix)
        return terms[start:bisect_left(terms, prefix + "\U0010ffff", start)]


def _written(q) -> tuple[str, str, str]:
    """A prefix, wildcard, fuzzy word or range as the query wrote it, how to narrow it, its kind."""
    if isinstance(q, wq.FuzzyTerm):
        return (f"{q.text}~", "allow fewer edits (~1) or keep more first letters (~2/2)",
                "fuzzy")
    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        written = f"{q.text}*" if type(q) is wq.Prefix else q.text
        return written, "put more letters before the * or ?", "prefix"
    return (f"[{getattr(q, 'start', '')} TO {getattr(q, 'end', '')}]", "narrow the range",
            "range")


@lru_cache(maxsize=256)
def _automaton(text: str, maxdist: int, prefix: int):
    """Whoosh's Levenshtein automaton for a word (the same one a ``FuzzyTerm`` uses)."""
    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


def _within(terms: list[str], dfa, deadline: float) -> list[str]:
    """The terms the automaton accepts: Whoosh's walk, with ``bisect`` for its seek.

    Stops once it has more than :data:`MAX_EXPANSIONS`, or at the deadline.
    """
    found: list[str] = []
    if not terms:
        return found
    match = dfa.next_valid_string(terms[0])
    steps = 0
    while match and len(found) <= MAX_EXPANSIONS:
        steps += 1
        if not steps % CHECK_EVERY and time.perf_counter() > deadline:
            raise TimeLimit
        i = bisect_left(terms, match)
        if i == len(terms):
            break
        term = terms[i]
        if term == match:
            found.append(match)
            term += "\0"
        match = dfa.next_valid_string(term)
    return found
