"""Why a statement matched: which query words, in which version, in what form.

A word is looked up in the document's posting lists, twin by twin
(``search.fields``): found as written (``exact``), else by its stem
(``stemmed``), else only with the accents folded away (``folded``), else
as Greek typed in Latin letters (``greeklish``, the romanised twin).
Prefix, wildcard and fuzzy words report their kind.
"""

from __future__ import annotations

from functools import cache

from whoosh import query as wq

from .analysis import fold, normalise, sorted_readings
from .fields import FOLDED, STEMMED, TEXT_FIELDS, TWINS
from .languages import get_language
from .marks import spans
from .query import Expanded, QueryWord

FORMS = tuple(twin.shown_as for twin in TWINS) + ("prefix", "wildcard", "fuzzy")
"""Every form a matched word may be reported in."""

_KINDS = {wq.Prefix: "prefix", wq.Wildcard: "wildcard", wq.FuzzyTerm: "fuzzy"}
"""The kind of word (``QueryWord.kind``) each of Whoosh's broad queries reads."""


def word_form(marker, docnum: int, word: str, texts) -> str | None:
    """How ``word`` occurs in one document: the first twin holding it, or not at all.

    ``word`` is read as typed, as the search read it: a stop word written in
    capitals is a name (``WHO``).

    :param marker: the search's marker of the document's language, which
        knows the query's terms the document holds.
    :param texts: gives the document's ``title`` and ``body`` as stored
        (read only for a word its stemmer may have found without accents).
    """
    schema, holds = marker.searcher.schema, marker.held(docnum)
    fields = {field for field, _ in holds}
    for twin in marker.twins:
        found = []
        for name in TEXT_FIELDS:
            field = twin.field(name)
            if field not in fields:  # the document holds none of the query's terms there
                continue
            present = _held_terms(holds, field, sorted_readings(schema[field].analyzer, word),
                                  schema[field].multitoken_query == "phrase")
            if present:
                found += [(name, field, term) for term in present]
        if found:
            if twin is STEMMED and _written_but_for_accents(marker, docnum, normalise(word),
                                                            found, texts):
                return FOLDED.shown_as
            return twin.shown_as
    return None


def _held_terms(holds: dict, field: str, readings, in_a_row: bool) -> list[str] | None:
    """A term the document holds for each of a word's positions; None if it lacks one.

    Where a word that reads as several (``/usr/share/dict``, ``e-mail``) is
    searched as a phrase of them (``in_a_row``: the field's
    ``multitoken_query`` is ``phrase``), the positions must follow one
    another: a text holding the parts apart does not match it.  The
    romanised twin searches any key of such a word instead.
    """
    if len(readings) <= 1 or not in_a_row:
        present = [next((t for t in terms if (field, t) in holds), None) for terms in readings]
        return present if present and all(present) else None
    for first in (term for term in readings[0] if (field, term) in holds):
        for start in holds[field, first]:
            row = [first]
            for offset, terms in enumerate(readings[1:], 1):
                term = next((t for t in terms if start + offset in holds.get((field, t), ())),
                            None)
                if term is None:
                    break
                row.append(term)
            else:
                return row
    return None


def _written_but_for_accents(marker, docnum: int, word: str, found: list, texts) -> bool:
    """Whether the document has ``word`` as written but for its accents.

    Some stemmers drop accents (Greek's: ``Παρίσι`` and ``παρισι`` have
    one stem), so the stemmed twin also finds a word typed without its
    accents; that is an accent-folded match, not another form of the word.
    The words at the matched terms' positions (``found``: text field, twin
    field, term) are compared, folded.
    """
    kind = get_language(marker.code).fold
    target = fold(word, kind)
    holds, stored = marker.held(docnum), texts()
    for name, field, term in found:
        text = stored.get(name, "")
        for start, end in spans({(field, term): holds[field, term]}, [field], text,
                                marker.table(docnum, name, text)):
            if fold(normalise(text[start:end]), kind) == target:
                return True
    return False


def _expanded_form(marker, docnum: int, word: str, kind: str, executed) -> str | None:
    """The word's kind (``prefix``, ``wildcard``, ``fuzzy``) when an expansion of it
    occurs in the document.

    The expansions are those the search itself made (``executed``, the
    query as run on this index), not looked up again; each is found by the
    word read as the parser reads a broad word, whole (``rac?st`` is one
    pattern, not the words ``rac`` and ``st``).  A word with no expansion was
    run as its one term (``striking~1/8`` keeps every letter: ``query.varied``),
    or found nothing, which its own term then is not either.
    """
    schema, holds = marker.searcher.schema, marker.held(docnum)
    expansions: dict[tuple, set] = {}
    for leaf in executed.leaves():
        if isinstance(leaf, Expanded):
            key = (leaf.fieldname, leaf.text, _KINDS.get(type(leaf.original)))
            expansions.setdefault(key, set()).update(leaf.texts)
    for name in (field for twin in marker.twins if twin.expands for field in twin.fields()):
        text = list(schema[name].process_text(word, mode="query", tokenize=False,
                                              removestops=False))
        if not text:
            continue
        if any((name, term.decode("utf-8") if isinstance(term, bytes) else term) in holds
               for term in expansions.get((name, text[0], kind), (text[0],))):
            return kind
    return None


def explain(marker, docnum: int, words: list[QueryWord], executed, texts) -> list[dict]:
    """How each word of the query matched one document: ``{"word", "form"}`` for each
    word it holds.

    A word the query has more than once is one word.  What a document lacks
    is the search's own count (``Run.lacking``), not looked up here.
    ``marker`` is the search's marker of the document's language,
    ``executed`` the query as the search ran it on that index; ``texts()``
    gives the document's stored title and body, read only when a word
    needs them, and once.
    """
    texts = cache(texts)
    found, seen = [], set()
    for word in words:
        if word.negated or (word.text, word.kind) in seen:
            continue
        seen.add((word.text, word.kind))
        if word.kind != "word":
            form = _expanded_form(marker, docnum, normalise(word.word), word.kind, executed)
        else:
            form = word_form(marker, docnum, word.word, texts)
        if form:
            found.append({"word": word.text, "form": form})
    return found
