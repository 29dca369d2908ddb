"""The text profile of one file: its numbers, names, length, paragraph breaks and tags.

Versions of one statement in different languages share almost no words, but
they write numbers alike, names nearly alike once transliterated, and keep the
paragraphs of the text.  A profile keeps just those, read once per file, so
that :mod:`indexer.translations` can compare any two files without reading
their text again, whatever their languages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from unidecode import unidecode

from search.languages import stopwords

from .corpus import Document


@dataclass(frozen=True)
class Profile:
    """What a file offers for the comparison: its numbers, names, length and paragraphs."""

    doc: Document
    numbers: dict[str, str]               # normalised -> as first written
    names: dict[str, tuple[str, int]]     # transliterated -> (as written, word position)
    length: int
    breaks: tuple[float, ...]             # where paragraphs end, as shares of the text
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def paragraphs(self) -> int:
        return len(self.breaks) + 1


def profile(doc: Document) -> Profile:
    """The signals of one file (its title counts for numbers and names)."""
    text = f"{doc.title}\n{doc.text}"
    return Profile(doc=doc, numbers=numbers(text), names=names(text, doc.lang),
                   length=len(doc.text), breaks=_breaks(doc.text),
                   tags=frozenset(t.casefold() for t in doc.tags))


# --- numbers ------------------------------------------------------------------

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = " \u00a0\u202f\u2009"
NUMBER = re.compile(
    rf"(?<![\w.,])"
    rf"(\d+(?:[.,:/]\d+|[\u00a0\u202f\u2009]\d{{3}}(?!\d))*"        # 13.9, 1 000, 10:30
    rf"(?:[{_SPACES}]?[{_DASHES}][{_SPACES}]?\d+(?:[.,:/]\d+)*)*)"   # 18-19, 2015-01-13
    rf"([^\W\d_]{{0,3}})(?!\w)")                                     # 7th, 7η, 1990s


def _number_key(written: str) -> str:
    key = re.sub(f"[{_SPACES}]*[{_DASHES}][{_SPACES}]*", "-", written)
    return re.sub(r"[,:/\u00a0\u202f\u2009]", ".", key)


def numbers(text: str) -> dict[str, str]:
    """The numbers of a text, normalised (``13,9`` -> ``13.9``, ``18–19`` -> ``18-19``)."""
    found: dict[str, str] = {}
    for match in NUMBER.finditer(text):
        digits, suffix = match.groups()
        if any(c.isupper() for c in suffix):
            continue  # 3D, 4K: a name rather than a number
        found.setdefault(_number_key(digits), digits)
    return found


# --- names --------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
_SKELETON = str.maketrans("bcqzw", "vkksv", "aeiouyh")


@lru_cache(maxsize=200_000)
def transliterate(word: str) -> str:
    """A word in lower-case ASCII letters and digits: ``Παρίσι`` -> ``parisi``."""
    return re.sub(r"[^a-z0-9]", "", unidecode(unicodedata.normalize("NFC", word)).lower())


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A transliterated name's first letter and consonants, alike across spellings.

    ``parisi`` (Παρίσι), ``paris`` and ``paryzu`` (Paryżu) -> ``prs``;
    ``loukasenko`` (Λουκασένκο) and ``lukashenko`` -> ``lksnk``; ``maroko``
    and ``morocco`` -> ``mrk``.  Vowels and ``h`` go, c/q -> k, z -> s,
    b/w -> v, and doubled letters become one.
    """
    if not key:
        return ""
    rest = key[1:].replace("ph", "f").translate(_SKELETON)
    letters = key[0].translate(_SKELETON) or key[0]
    for c in rest:
        if c != letters[-1]:
            letters += c
    return letters


def names(text: str, lang: str) -> dict[str, tuple[str, int]]:
    """The capitalised words of a text that are not common words written at a sentence's start.

    A word counts when it has a capital letter (or mixes letters and digits:
    ``x86``), is not a stop word of the language, and is not also written in
    lower case in the same text.  A word whose only capital is its first
    letter, at the start of a sentence or line, counts only if the text also
    capitalises it elsewhere.
    """
    matches = list(WORD.finditer(text))
    words = [m[0] for m in matches]
    lower = {w for w in words if w.isalpha() and w.islower()}
    stops = _stopwords(lang)
    initial = [_starts_sentence(text, m.start()) for m in matches]
    inside = {w for w, first in zip(words, initial) if not first and w[:1].isupper()}
    found: dict[str, tuple[str, int]] = {}
    for position, word in enumerate(words):
        if word.isdigit():
            continue
        has_digit = any(c.isdigit() for c in word)
        if not (has_digit or any(c.isupper() for c in word)):
            continue
        folded = word.lower()
        if folded in lower or folded in stops:
            continue
        if initial[position] and word not in inside and word[1:].islower() \
                and not has_digit:
            continue
        key = transliterate(word)
        if len(key) < 3 and not (len(key) == 2 and (word.isupper() or has_digit)):
            continue
        found.setdefault(key, (word, position))
    return found


_SENTENCE_END = frozenset(".!?:;…\n")
_OPENERS = " \t\"'“”‘’«»„([*#>-•–—0123456789"


def _starts_sentence(text: str, start: int) -> bool:
    """Is the word at ``start`` the first of its sentence, line or list item?"""
    before = text[max(0, start - 40):start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END


@lru_cache(maxsize=None)
def _stopwords(lang: str) -> frozenset[str]:
    try:
        return frozenset(w.lower() for w in stopwords(lang))
    except Exception:  # a language without a list: no stop words
        return frozenset()


# --- paragraphs ---------------------------------------------------------------


def _breaks(text: str) -> tuple[float, ...]:
    lengths = [len(line) for line in text.splitlines() if line.strip()]
    total = sum(lengths) or 1
    ends, done = [], 0
    for length in lengths[:-1]:
        done += length
        ends.append(done / total)
    return tuple(ends)
