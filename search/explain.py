"""Why a statement matched: which query words, in which version, in what form.

A word is looked up in the document's posting lists, twin by twin: found
as written (``exact``), else by its stem (``stemmed``), else only with the
accents folded away (``folded``), else as Greek typed in Latin letters
(``greeklish``).  Prefix and fuzzy words report their kind.
"""

from __future__ import annotations

import re

from .analysis import fold, normalise, tokens, word_found
from .languages import get_language
from .query import OPERATORS, Expanded

FORMS = (("_exact", "exact"), ("", "stemmed"), ("_folded", "folded"),
         ("_latin", "greeklish"))
_WORD = re.compile(r'(?<![\w:~/])(?:\w+:\(?)?([^\W_][\w\'’.-]*)([*~]\S*)?')
"""A query word and its ``*``/``~`` suffix: a field's name (``title:``) left out,
and so are the digits of a fuzzy word's ``~2/0``."""


def query_words(text: str) -> list[tuple[str, str | None]]:
    """The plain words of a query with their ``*``/``~`` suffix (field names left out)."""
    words = []
    for word, suffix in _WORD.findall(text):
        if word not in OPERATORS:
            words.append((word, suffix or None))
    return words


def contains(reader, field: str, text: str, docnum: int) -> bool:
    """Whether document ``docnum`` has ``text`` in ``field`` (its posting list says)."""
    if (field, text) not in reader:
        return False
    postings = reader.postings(field, text)
    if not postings.is_active():  # every posting deleted (a file changed by an update)
        return False
    postings.skip_to(docnum)
    return postings.is_active() and postings.id() == docnum


def word_form(searcher, docnum: int, word: str) -> str | None:
    """How ``word`` occurs in one document: exact, stemmed, folded, Greeklish, or not at all."""
    reader = searcher.reader()
    for suffix, form in FORMS:
        for name in ("title", "body"):
            field = name + suffix
            if field not in searcher.schema:
                continue
            if word_found(searcher.schema[field].analyzer, word,
                          lambda term: contains(reader, field, term, docnum)):
                if form == "stemmed" and _written_but_for_accents(searcher, docnum, word):
                    return "folded"
                return form
    return None


def _written_but_for_accents(searcher, docnum: int, word: str) -> bool:
    """Whether the document has ``word`` as written but for its accents.

    Some stemmers drop accents (Greek's: ``Παρίσι`` and ``παρισι`` have
    one stem), so the stemmed twin also finds a word typed without its
    accents; that is an accent-folded match, not another form of the word.
    Asked only of a stemmed match on a shown result, it re-reads one text.
    """
    fields = searcher.stored_fields(docnum)
    kind = get_language(fields["lang"]).fold
    target = fold(word, kind)
    analyzer = searcher.schema["body_exact"].analyzer
    text = f"{fields.get('title', '')}\n{fields.get('body', '')}"
    return any(fold(term, kind) == target for term in tokens(analyzer, text))


def _expanded_form(searcher, docnum: int, word: str, suffix: str, executed) -> str | None:
    """``prefix`` or ``fuzzy`` when an expansion of the word occurs in the document.

    The expansions are those the search itself made (``executed``, the
    query as run on this index), not looked up again.
    """
    reader = searcher.reader()
    kind = "prefix" if suffix.startswith("*") else "fuzzy"
    expansions = {(leaf.fieldname, leaf.text): leaf.texts for leaf in executed.leaves()
                  if isinstance(leaf, Expanded)}
    for name in ("title_exact", "body_exact", "title_folded", "body_folded"):
        text = [t.text for t in searcher.schema[name].analyzer(word)]
        if not text:
            continue
        if any(contains(reader, name, term.decode("utf-8") if isinstance(term, bytes)
                         else term, docnum)
               for term in expansions.get((name, text[0]), ())):
            return kind
    return None


def explain(searcher, docnum: int, text: str, executed) -> list[dict]:
    """For each word of the query, how it matched this document (words that did not are left out).

    ``executed`` is the query as the search ran it on this document's index.
    """
    found = []
    for word, suffix in query_words(text):
        if suffix:
            form = _expanded_form(searcher, docnum, normalise(word), suffix, executed)
            word += suffix
        else:
            form = word_form(searcher, docnum, normalise(word))
        if form:
            found.append({"word": word, "form": form})
    return found
