"""Where a query matched inside one document: character spans read from the index.

Every twin of a text shares one numbering of its words (a stop word takes no
position, whatever the twin), so a matched term's positions, read from its
posting list, locate the word in the text once the position of each word is
known.  For a body the index keeps that table, a column
(``search.fields.WORD_TABLE``, :class:`~search.schema.Offsets`), so marking a 100 KB page costs a few
posting look-ups instead of running its text through every twin's chain;
a title is short and gets its table computed.
"""

from __future__ import annotations

import weakref
from array import array
from itertools import accumulate

from whoosh import query as wq
from whoosh.reading import TermNotFound

from .analysis import counted_words
from .fields import WORD_TABLE
from .postings import Lists, located, visit
from .segment import is_single
from .words import as_read, located_words

ESCAPE = 0xFFFF
"""In an encoded table, marks a gap too wide for 16 bits (the next two hold it)."""


def word_starts(text: str, code: str) -> tuple[int, list[int], list[int]]:
    """Where each counted word of ``text`` starts and ends, and the position of the first one.

    The first counted word takes the position of its place among all words
    (as :meth:`~search.analysis.WordFilter.positions` numbers them), each
    next one the next position.
    """
    found, at = located_words(text)
    counted = counted_words(as_read(text, found), code)
    first = next((i for i, keep in enumerate(counted) if keep), 0)
    return (first, [start for start, keep in zip(at, counted) if keep],
            [start + len(word) for word, start, keep in zip(found, at, counted) if keep])


def encode(first: int, starts: list[int], ends: list[int]) -> bytes:
    """A word table as bytes: the first position, each word's distance from the last one's
    start, then each word's length, 16 bits each."""
    numbers = [first, *[start - before for before, start in zip([0, *starts], starts)],
               *[end - start for start, end in zip(starts, ends)]]
    if max(numbers) < ESCAPE:
        return array("H", numbers).tobytes()
    table = array("H")
    for number in numbers:
        table.extend((ESCAPE, number >> 16, number & 0xFFFF) if number >= ESCAPE else (number,))
    return table.tobytes()


def decode(data: bytes) -> tuple[int, list[int], list[int]]:
    """The word table that :func:`encode` wrote."""
    gaps = array("H")
    gaps.frombytes(data)
    if not gaps:
        return 0, [], []
    values = list(gaps)
    if ESCAPE in gaps:
        values, i, raw = [], 0, values
        while i < len(raw):
            if raw[i] == ESCAPE:
                values.append((raw[i + 1] << 16) | raw[i + 2])
                i += 3
            else:
                values.append(raw[i])
                i += 1
    count = (len(values) - 1) // 2
    starts = list(accumulate(values[1:count + 1]))
    return values[0], starts, [start + length for start, length in zip(starts, values[count + 1:])]


def query_terms(executed, reader) -> dict[str, set[str]]:
    """For each field, the terms the query as run stands for (prefix and fuzzy words expanded)."""
    terms: dict[str, set[str]] = {}
    for leaf in executed.leaves():
        field = getattr(leaf, "fieldname", None)
        if field is None:
            continue
        found = terms.setdefault(field, set())
        if isinstance(leaf, wq.Phrase):
            found.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            found.add(leaf.text)
        elif isinstance(leaf, wq.MultiTerm):
            found.update(t.decode("utf-8") if isinstance(t, bytes) else t
                         for _, t in leaf.expanded_terms(reader))
    return terms


Phrase = tuple[tuple[str, ...], ...]
"""A phrase's terms, position by position: one, or a Greek word's keys in the Latin twin."""


def phrase_only(executed, reader) -> dict[tuple[str, str], list[Phrase]]:
    """The terms the query searches only inside phrases (a quoted phrase, a word that
    reads as several, ``/usr/share``), each with those phrases.

    Such a term matched a document only where one of its phrases stands in a
    row (:func:`in_phrases`).  A phrase with slop (``"a b"~3``) is not one.
    """
    phrases: dict[tuple[str, str], list[Phrase]] = {}
    alone: set[tuple[str, str]] = set()
    _sort_terms(executed, reader, phrases, alone)
    return {term: rows for term, rows in phrases.items() if term not in alone}


def _sort_terms(q, reader, phrases: dict, alone: set) -> None:
    """File each term of ``q`` under its phrases, or among the terms searched alone."""
    found = _phrase(q)
    if found is not None:
        field, positions = found
        for terms in positions:
            for term in terms:
                phrases.setdefault((field, term), []).append(positions)
    elif isinstance(q, wq.Phrase):
        alone.update((q.fieldname, word) for word in q.words)
    elif isinstance(q, wq.Term):
        alone.add((q.fieldname, q.text))
    elif isinstance(q, wq.MultiTerm):
        alone.update((q.fieldname, t.decode("utf-8") if isinstance(t, bytes) else t)
                     for _, t in q.expanded_terms(reader))
    else:
        for child in q.children():
            _sort_terms(child, reader, phrases, alone)


def _phrase(q) -> tuple[str, Phrase] | None:
    """A phrase's field and terms, position by position; None for any other query.

    Whoosh's phrase, or the Latin twin's (a ``Sequence`` of each word's keys).
    """
    if type(q) is wq.Phrase and q.slop == 1:
        return q.fieldname, tuple((word,) for word in q.words)
    if type(q) is not wq.Sequence or q.slop != 1 or not q.ordered:
        return None
    positions = []
    for part in q.subqueries:
        terms = [part] if type(part) is wq.Term else part.subqueries if type(part) is wq.Or else []
        if not terms or not all(type(term) is wq.Term for term in terms):
            return None
        positions.append(tuple(term.text for term in terms))
    fields = {term.fieldname for part in q.subqueries for term in part.leaves()}
    return (fields.pop(), tuple(positions)) if len(fields) == 1 else None


def in_phrases(found: dict[tuple[str, str], list[int]],
               phrases: dict[tuple[str, str], list[Phrase]]
               ) -> dict[tuple[str, str], list[int]]:
    """A document's held terms (:func:`held`), each phrase-only term (:func:`phrase_only`)
    kept at the positions where one of its phrases stands in a row, and left out if none."""
    if not phrases:
        return found
    kept = {}
    for (field, term), where in found.items():
        if (field, term) in phrases:
            places = set().union(*(_stands(found, field, positions, term)
                                   for positions in phrases[field, term]))
            where = [position for position in where if position in places]
        if where:
            kept[field, term] = where
    return kept


def _stands(found: dict, field: str, positions: Phrase, term: str) -> set[int]:
    """The positions of ``term`` in the document's occurrences of a phrase."""
    places = [set().union(*(found.get((field, t), ()) for t in terms)) for terms in positions]
    starts = [start for start in places[0]
              if all(start + i in places[i] for i in range(1, len(positions)))]
    return {start + i for start in starts for i, terms in enumerate(positions) if term in terms}


def held(reader, docnums, terms: dict[str, set[str]], lists: Lists | None = None
         ) -> dict[int, dict[tuple[str, str], list[int]]]:
    """The query's terms that each document holds, field by field, with their positions.

    Read once per shown document and shared by its marks and its "why":
    a term whose list the search has read is found in ``lists``, any
    other's posting list is opened once for all the documents of a page and
    moved from one to the next, in order.
    """
    ordered = sorted(set(docnums))
    found: dict[int, dict] = {doc: {} for doc in ordered}
    for field, texts in terms.items():
        decode = reader.schema[field].format.decoder("positions")
        for term in texts:
            blocks = lists.kept(reader, field, term) if lists is not None else None
            if blocks is not None:
                for doc, block, i in located(blocks, ordered):
                    found[doc][field, term] = list(decode(block[3][i]))
                continue
            try:
                postings = reader.postings(field, term)
            except TermNotFound:
                continue
            for doc in visit(postings, ordered):
                found[doc][field, term] = list(postings.value_as("positions"))
    return found


def spans(found: dict[tuple[str, str], list[int]], fields, text: str,
          table: tuple[int, list[int], list[int]]) -> list[tuple[int, int]]:
    """The character spans of ``text`` where any of ``fields`` matched a query term, in order.

    :param found: the terms a document holds, with positions (:func:`held`).
    :param table: the text's word table (:func:`word_starts` or :func:`decode`).
    """
    first, starts, ends = table
    words: dict[int, bool] = {}
    """Word number -> whether the whole word matched (not only a character pair's first)."""
    for (field, term), where in found.items():
        if field not in fields:
            continue
        whole = not is_single(term)
        for pos in where:
            if 0 <= pos - first < len(starts):
                words[pos - first] = words.get(pos - first, False) or whole
    result: list[tuple[int, int]] = []
    for word in sorted(words):
        start, end = starts[word], ends[word] if words[word] else starts[word] + 1
        if end > len(text):  # a table that is not this text's
            break
        if result and start <= result[-1][1]:  # character pairs, a cut word: one mark
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


_TABLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""Per open searcher, its body word tables' column readers (a searcher serves one thread)."""


def word_tables(searcher):
    """Document number -> its body's word table, or None for an index without the column.

    Whoosh's column reader of a segment reads the segment's table of
    value offsets when opened: one per searcher, kept with it.
    """
    lookup = _TABLES.get(searcher)
    if lookup is None:
        segments = [(offset, leaf.doc_count_all(),
                     leaf.column_reader(WORD_TABLE, translate=False)
                     if leaf.has_column(WORD_TABLE) else None)
                    for leaf, offset in searcher.reader().leaf_readers()]

        def lookup(docnum: int):
            for offset, count, column in segments:
                if offset <= docnum < offset + count:
                    return decode(column[docnum - offset]) if column is not None else None
            return None

        _TABLES[searcher] = lookup
    return lookup
