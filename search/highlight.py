"""Snippets and titles with the matched words wrapped in ``<mark>``.

The words to mark are located from the index (``search.marks``): each twin's
matched terms, their positions in the document, and the document's word
table.  A folded or stemmed match marks the characters as written
(``Zabójstwa`` for the query ``zabojstw``), and everything that is not a
mark is escaped, so corpus text can never become markup.
"""

from __future__ import annotations

import re
from html import escape, unescape
from itertools import islice

from .fields import EXACT, TEXT_FIELDS, twins_of
from .marks import held, in_phrases, phrase_only, query_terms, spans, word_starts, word_tables
from .postings import Lists
from .segment import SEGMENTED

MAX_CHARS = 300
"""Longest passage of a snippet, in characters."""
SURROUND = 80
"""Context kept before the first and after the last match of a passage."""
PASSAGES = 2
LABEL_WORDS = 10
SNIPPET_CHARS = 240
WORD = re.compile(r"\S+")
"""A word of a label: anything between spaces."""
LIST_NUMBER = re.compile(r"^\s*\(?\d{1,3}[.)\-–]\s+")
"""A paragraph's own number ("1. ", "2) ", "1- "), which beside a results list's number
read as a second one."""


class Marker:
    """Finds the matched words of one language's matches in one search.

    The query's terms are read once; each document's matched terms are then
    a few posting look-ups (kept for its "why"), whatever the length of its text.
    """

    def __init__(self, searcher, executed, lists: Lists | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.lists = lists
        """The posting lists the search read, where the marked terms' positions are."""
        self.code = searcher.schema[EXACT.field("body")].analyzer[-1].code
        self.twins = twins_of(searcher.schema)
        """The twins of this language's index, every one searched and marked."""
        self.fields = {name: [twin.field(name) for twin in self.twins] for name in TEXT_FIELDS}
        texts = set(self.fields["title"] + self.fields["body"])
        self.terms = {field: terms for field, terms in query_terms(executed, self.reader).items()
                      if field in texts}
        self._phrases = phrase_only(executed, self.reader)
        self._tables = word_tables(searcher)
        self._held: dict[int, dict] = {}

    def prefetch(self, docnums) -> None:
        """Read the matched terms of several documents at once (those of a page).

        A term searched only inside phrases counts only where a phrase of it
        stands: it is neither marked nor a reason elsewhere.
        """
        found = held(self.reader, [d for d in docnums if d not in self._held], self.terms,
                     self.lists)
        self._held.update({doc: in_phrases(terms, self._phrases) for doc, terms in found.items()})

    def held(self, docnum: int) -> dict[tuple[str, str], list[int]]:
        """The query's terms the document holds, by field, with their positions."""
        if docnum not in self._held:
            self.prefetch([docnum])
        return self._held[docnum]

    def table(self, docnum: int, name: str, text: str):
        """The word table of a document's ``title`` or ``body`` (the body's from the index)."""
        return (self._tables(docnum) if name == "body" else None) or word_starts(text, self.code)

    def title(self, docnum: int, title: str) -> list[tuple[int, int]]:
        """Spans of the title's matched words."""
        return spans(self.held(docnum), self.fields["title"], title,
                     self.table(docnum, "title", title))

    def body(self, docnum: int, body: str) -> list[tuple[int, int]]:
        """Spans of the body's matched words, located by the word table the index keeps."""
        return spans(self.held(docnum), self.fields["body"], body,
                     self.table(docnum, "body", body))


def marked(text: str, found: list[tuple[int, int]], start: int = 0, end: int | None = None
           ) -> str:
    """``text[start:end]`` as escaped HTML, the spans ``found`` in ``<mark class="match">``."""
    end = len(text) if end is None else end
    parts, at = [], start
    for first, last in found:
        if first < start or last > end:
            continue
        parts.append(escape(text[at:first], quote=False))
        parts.append(f'<mark class="match">{escape(text[first:last], quote=False)}</mark>')
        at = last
    parts.append(escape(text[at:end], quote=False))
    return "".join(parts)


def snippet(text: str, found: list[tuple[int, int]]) -> str:
    """Up to two passages around the best matches, or the opening words."""
    if not found:
        return opening(text)
    chosen = sorted(sorted(_passages(text, found), key=lambda p: -p[0])[:PASSAGES],
                    key=lambda p: p[1])
    return " … ".join(marked(text, found, start, end) for _, start, end, in chosen)


def _passages(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Passages of at most ``MAX_CHARS`` around runs of matches: (score, start, end).

    A passage scores its distinct words times its matches, as Whoosh's
    highlighter did; ties go to the earlier passage (the sort is stable).
    """
    passages, i = [], 0
    while i < len(found):
        start = max(0, found[i][0] - SURROUND)
        j = i
        while j + 1 < len(found) and found[j + 1][1] - start <= MAX_CHARS - SURROUND:
            j += 1
        end = min(len(text), found[j][1] + SURROUND)
        words = {text[a:b].casefold() for a, b in found[i:j + 1]}
        passages.append((len(words) * (j - i + 1), _word_start(text, start, found[i][0]),
                         _word_end(text, end, found[j][1])))
        i = j + 1
    return passages


def _word_start(text: str, start: int, first: int) -> int:
    """``start`` moved forward past a word it cuts, never past ``first``."""
    if start == 0 or not text[start - 1].isalnum():
        return start
    cut = text.find(" ", start, first)
    return cut + 1 if cut != -1 else first


def _word_end(text: str, end: int, last: int) -> int:
    """``end`` moved back to the end of a word, never before ``last``."""
    if end == len(text) or not text[end].isalnum():
        return end
    cut = text.rfind(" ", last, end)
    return cut if cut > last else last


def title_html(title: str, found: list[tuple[int, int]], body: str,
               body_found: list[tuple[int, int]]) -> str:
    """The title with its matches marked; an untitled statement is labelled by its first
    words (:func:`label`), marked."""
    if title:
        return marked(title, found)
    start, end, more = _label_words(body)
    return " ".join(marked(body, body_found, start, end).split()) + (" …" if more else "")


def label(title: str, body: str) -> str:
    """What names a statement: its title, or for an untitled one its first words, unnumbered."""
    if title:
        return title
    start, end, more = _label_words(body)
    return " ".join(body[start:end].split()) + (" …" if more else "")


def _label_words(body: str) -> tuple[int, int, bool]:
    """Where an untitled statement's label lies in its text: its first :data:`LABEL_WORDS`
    words after the paragraph's own number; and whether more words follow."""
    number = LIST_NUMBER.match(body)
    words = list(islice(WORD.finditer(body, number.end() if number else 0), LABEL_WORDS + 1))
    if not words:
        return 0, 0, False
    shown = words[:LABEL_WORDS]
    return shown[0].start(), shown[-1].end(), len(words) > LABEL_WORDS


def opening(text: str) -> str:
    """The first words of a text, escaped: the snippet when nothing is marked."""
    cut = text[:SNIPPET_CHARS]
    if len(text) > SNIPPET_CHARS:
        cut = cut.rsplit(" ", 1)[0] + " …"
    return escape(cut, quote=False)


def plain(html: str, mark: tuple[str, str] = ("", "")) -> str:
    """Snippet HTML as plain text: marks replaced by ``mark``, entities decoded."""
    text = re.sub(r"<mark[^>]*>", mark[0], html).replace("</mark>", mark[1])
    return unescape(re.sub(r"<[^>]+>", "", text))


def marked_words(html: str) -> set[str]:
    """The words, as written in the text, that a highlighter wrapped in ``<mark>``."""
    return {unescape(word) for word in re.findall(r"<mark[^>]*>(.*?)</mark>", html)}


def _whole(word: str) -> str:
    """A pattern of ``word`` standing alone, or inside a run it was cut from (패키지 in 패키지를)."""
    escaped = re.escape(escape(word, quote=False))
    return escaped if SEGMENTED.search(word) else rf"(?<!\w){escaped}(?!\w)"


def mark_words(html: str, words: set[str]) -> str:
    """Wrap whole ``words`` in ``<mark>`` inside the text (never the tags) of ``html``.

    Used on a statement's rendered Markdown, where the highlighter cannot run
    on the markup itself; the words come from :func:`marked_words` on the
    same statement's plain text, so they are exactly what matched.
    """
    if not words:
        return html
    alternatives = "|".join(_whole(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(f"({alternatives})")
    parts = re.split(r"(<[^>]+>)", html)
    return "".join(part if part.startswith("<") else pattern.sub(r"<mark>\1</mark>", part)
                   for part in parts)
