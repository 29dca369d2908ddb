"""The one tokenizer: where a text's words start and end, for indexing, queries and marks alike.

Words are runs of letters and digits (with their combining marks); a
decimal number such as ``13.9`` is one word.  Apostrophes and hyphens
separate words (``Trump’s`` -> ``trump s``, ``18-19`` -> ``18 19``): the
query parser turns such a word back into a phrase.  A run in a script
written without spaces is cut further by :mod:`search.segment` (Thai into
words, Chinese, Japanese and Korean into character pairs).

Every twin field numbers a text's words by this cut, and the word tables of
:mod:`search.marks` locate them by it: indexing, a query and the marks
must never cut a text differently.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from whoosh.analysis import Token, Tokenizer

from .segment import SEGMENTED, segments


def _mark_class() -> str:
    """A regex character class of every Unicode combining mark (categories M*)."""
    ranges: list[str] = []
    start = prev = None
    for point in range(sys.maxunicode + 1):
        if unicodedata.category(chr(point))[0] != "M":
            continue
        if prev is not None and point == prev + 1:
            prev = point
            continue
        if start is not None:
            ranges.append(f"\\U{start:08x}-\\U{prev:08x}")
        start = prev = point
    ranges.append(f"\\U{start:08x}-\\U{prev:08x}")
    return "[" + "".join(ranges) + "]"


TOKEN = re.compile(rf"\d+(?:[.,]\d+)+(?!\w)|[^\W_](?:[^\W_]|{_mark_class()})*")
"""A word, before a run in a script without spaces is cut (see :func:`located_words`)."""


def located_words(text: str) -> tuple[list[str], list[int]]:
    """The words of ``text``, in order, and where each starts (it ends ``len(word)`` later)."""
    matches = list(TOKEN.finditer(text))
    if not SEGMENTED.search(text):
        return [match.group() for match in matches], [match.start() for match in matches]
    found, starts = [], []
    for match in matches:
        word, start = match.group(), match.start()
        if SEGMENTED.search(word):
            for head, tail in segments(word):
                found.append(word[head:tail])
                starts.append(start + head)
        else:
            found.append(word)
            starts.append(start)
    return found, starts


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of ``text`` starts and ends, in order."""
    found, starts = located_words(text)
    return [(start, start + len(word)) for word, start in zip(found, starts)]


def words(text: str) -> list[str]:
    """The words of ``text`` (one regex pass for a text without a script cut further)."""
    if not SEGMENTED.search(text):
        return TOKEN.findall(text)
    return located_words(text)[0]


def shouted(found: list[str]) -> bool:
    """Whether words are written all in capitals, two words or more: a title or a
    heading set in capitals, a query typed with the caps lock on."""
    return len(found) > 1 and "".join(found).isupper()


def as_read(text: str, found: list[str]) -> list[str]:
    """The words ``found`` in ``text`` (:func:`words`) as the chains read them: a line
    written all in capitals (:func:`shouted`) in small letters.

    A stop word written in capitals is a name (``UNO``, ``WHO``:
    :func:`search.analysis.read_word`), but not in a line all in capitals,
    where ``OF THE`` are the stop words they are in any other line: a phrase
    typed in small letters skips them there too.  A text with no such line
    (nearly every one) is not split again.
    """
    if not any(map(str.isupper, text.splitlines())):
        return found
    read: list[str] = []
    for line in text.splitlines():
        line_words = words(line)
        read += [word.lower() for word in line_words] if shouted(line_words) else line_words
    return read


_last_split: tuple[str | None, list[str]] = (None, [])
"""The last text split (text, words): the twin fields of a text are indexed
one after another, so each text is split once."""


def split_words(text: str) -> list[str]:
    """:func:`as_read`, computed once for the twins of one text."""
    global _last_split
    last_text, found = _last_split
    if last_text != text:
        found = as_read(text, words(text))
        _last_split = (text, found)
    return found


class WordTokenizer(Tokenizer):
    """:func:`word_spans` as Whoosh tokens, for the query parser and any chain that reads a stream.

    Holds nothing, so that the schema Whoosh pickles into an index stays small
    and loads in any process.
    """

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans = word_spans(value) if tokenize else [(0, len(value))]
        # A query is read in small letters or not as a whole, before its words come here.
        read = (as_read(value, [value[start:end] for start, end in spans])
                if tokenize and mode != "query" else None)
        for pos, (start, end) in enumerate(spans):
            token.text = read[pos] if read else value[start:end]
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token
