"""The analysis chains: one definition per language, shared by indexing and querying.

Every language gets three chains built from the same parts:

* ``exact``: words as written, lower-cased; ranks exact matches highest and
  feeds the spelling suggestions.
* ``stemmed``: the exact words reduced by the language's Snowball stemmer.
* ``folded``: diacritics folded *before* stemming, so that the stemmer sees
  the same letters whether or not the writer typed the accents
  (``zabojstw`` finds ``zabójstw``).
* ``romanised`` (only for a language whose record names a romanisation,
  Greek): the folded words as keys that Latin-letter spellings of them
  share (``8ema`` and ``thema`` find ``θέμα``; see ``search.greeklish``).

Words are cut by :mod:`search.words` (segmenting scripts written without
spaces); the query parser turns a word cut in several (``18-19``,
``人間は``) back into a phrase, so ``18-19`` still finds exactly ``18-19``
while ``18`` alone finds it too.

Every filter here is a small class holding only strings, because Whoosh
pickles the analyzers into the index.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

import Stemmer
from platformdirs import user_cache_dir
from simplemma import Lemmatizer
from simplemma.__metadata__ import __version__ as SIMPLEMMA_VERSION
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory
from simplemma.utils import normalize_token
from unidecode import unidecode
from whoosh.analysis import Filter

from . import greeklish, memo
from .fields import TWINS
from .languages import LANGUAGES, Language, get_language, stopwords
from .memo import remembered
from .segment import first_of_pair
from .words import WordTokenizer, words

MAX_TOKEN_LENGTH = 100
"""Longer tokens (a pasted hash, a 1 MB 'word') are not indexed."""


# Latin letters that look like Greek capitals or small letters; typed by
# mistake inside Greek words ("Mετά" starts with a Latin M).
_LOOKALIKES = str.maketrans("abehikmnoptxyz", "αβεηικμνορτχυζ")


_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
@remembered
def normalise(word: str) -> str:
    """Lower-case, compose (NFC) and repair Latin look-alikes inside Greek words."""
    word = unicodedata.normalize("NFC", word).lower()
    if _GREEK.search(word):
        word = word.translate(_LOOKALIKES)
    return word


def _strip_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")


SERBIAN_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f",
    "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š"})
"""Serbian Cyrillic (lower case) to Serbian Latin: the two alphabets map one to one."""


@remembered
def fold(word: str, kind: str) -> str:
    """Fold a normalised word by the rule ``kind`` names.

    ``latin``: transliterate to ASCII with Unidecode (ł -> l, ß -> ss).
    ``greek``: drop tonos and dialytika, final sigma -> sigma, keep the script.
    ``marks``: drop combining marks only, keep the script (Cyrillic, Arabic...).
    ``none``: nothing to fold (a script without accents: Thai, Han, Hangul...).
    ``serbian``: Cyrillic letters to their Latin twins (ш -> š), then as ``latin``.
    """
    if kind == "none":
        return word
    if kind == "serbian":
        return unidecode(word.translate(SERBIAN_LATIN)).lower()
    if kind == "latin":
        return unidecode(word).lower()
    stripped = unicodedata.normalize("NFC", _strip_marks(word))
    if kind == "greek":
        return stripped.replace("ς", "σ")
    if kind == "marks":
        return stripped
    raise ValueError(f"unknown folding rule {kind!r}")


@cache
def folded_stopwords(code: str) -> frozenset[str]:
    """The language's stop words in folded form, less its ``keep`` words."""
    lang = get_language(code)
    keep = {fold(normalise(word), lang.fold) for word in lang.keep}
    stops = {fold(normalise(word), lang.fold) for word in stopwords(code)}
    return frozenset(stops - keep)


MAX_ROMANISED_STOP = 4
"""Longer Latin words are never romanised stop words: the function words typed
in a query are short (sto, kai, tou, thn, apo), while stopwords-iso's long
entries share spellings with content words (κυρίως and κύριος, κακώς and κακός)."""
ROMANISERS = {"greeklish": greeklish}
"""Romanisation rule name -> its module: ``greek_key``/``latin_keys`` match words,
``greek_spelling``/``latin_spellings`` (no ending cut) recognise stop words."""


@cache
def romanised_stopwords(code: str, long: bool = False) -> frozenset[str]:
    """The whole romanised spellings of a language's stop words.

    ``long``: only those of its ``romanised_stops``, the stop words recognised
    in Latin letters at any length.
    """
    lang = get_language(code)
    rule = ROMANISERS[lang.romanise]
    words = ({fold(normalise(word), lang.fold) for word in lang.romanised_stops} if long
             else folded_stopwords(code))
    return frozenset(rule.greek_spelling(word) for word in words)


def _latin_word(word: str) -> str | None:
    """A query word in Latin letters, accents folded; None for other scripts."""
    return fold(word, "latin") if fold(word, "marks").isascii() else None


def is_stopword(word: str, lang: Language, query: bool = False) -> bool:
    """Whether a normalised word is one of the language's stop words.

    In a query, a short Latin word that may spell a stop word of a language
    typed in Latin letters too (``sto`` for στο) is one, and so is a longer
    one that spells one of the language's ``romanised_stops`` (``einai``).
    """
    if fold(word, lang.fold) in folded_stopwords(lang.code):
        return True
    if not (query and lang.romanise):
        return False
    latin = _latin_word(word)
    if latin is None:
        return False
    spellings = ROMANISERS[lang.romanise].latin_spellings(latin)
    stops = romanised_stopwords(lang.code, long=len(word) > MAX_ROMANISED_STOP)
    return not stops.isdisjoint(spellings)


def query_readings(analyzer, text: str) -> list[frozenset[str]]:
    """The terms a query word stands for, one set per position: any term of each set matches.

    One term per position in most fields; a Greeklish word has several keys.
    What the field's chain makes of ``text`` in a query, without a token
    stream: explaining and suggesting ask it of every word of every result.
    """
    chain = analyzer[-1]
    return list(_query_readings(text, chain.code, chain.kind))


@remembered
def _query_readings(text: str, code: str, kind: str) -> tuple[frozenset[str], ...]:
    readings = []
    for word in words(text):
        counted, terms, _ = read_word(word, code, kind, query=True)
        if counted and terms:
            readings.append(frozenset(terms))
    return tuple(readings)


def sorted_readings(analyzer, text: str) -> tuple[tuple[str, ...], ...]:
    """:func:`query_readings`, each position's terms in order: the order in which the
    parser searches them and "why this matched" tries them."""
    chain = analyzer[-1]
    return _sorted_readings(text, chain.code, chain.kind)


@remembered
def _sorted_readings(text: str, code: str, kind: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(terms)) for terms in _query_readings(text, code, kind))


def word_terms(analyzer, text: str) -> tuple[str, ...]:
    """Every term a query word stands for in a field, position by position
    (:func:`sorted_readings`): what Whoosh's parser searches for it (one ``Or`` of them)."""
    chain = analyzer[-1]
    return _word_terms(text, chain.code, chain.kind)


@remembered
def _word_terms(text: str, code: str, kind: str) -> tuple[str, ...]:
    return tuple(term for terms in _sorted_readings(text, code, kind) for term in terms)


def word_found(analyzer, word: str, present) -> bool:
    """Whether a query word is found: each of its positions has a reading for which ``present(term)``.

    What a search asks of a word: one term per position in most fields,
    any of a Greeklish word's keys.
    """
    readings = query_readings(analyzer, word)
    return bool(readings) and all(any(present(term) for term in terms) for terms in readings)


KINDS = tuple(twin.chain for twin in TWINS)
"""The chains of :class:`WordFilter`, one per twin field (``search.fields``)."""


class Reading(NamedTuple):
    """What one chain makes of one word as the tokenizer cut it.

    ``counted``: the word takes a position (stop words do not, so phrases
    match across them).  ``terms``: the terms indexed or searched at that
    position (none for a word the twin does not index; several for a
    Greeklish query word).  ``flagged``: the text of the token marked
    ``stopped`` when the highlighter asks for every token, or None when the
    word then yields nothing either.
    """

    counted: bool
    terms: tuple[str, ...]
    flagged: str | None


@cache
def _stem(algorithm: str):
    return Stemmer.Stemmer(algorithm).stemWord


def read_word(word: str, code: str, kind: str, query: bool) -> Reading:
    """One word through one chain: normalise, drop stop and overlong words, fold, stem, romanise.

    Stop words are compared in folded form, so one decision holds for every
    twin: ``μετά``, ``μετα`` and ``ΜΕΤΑ`` are all stop words or none is.  In
    a language typed in Latin letters too (Greek), a Latin query word that
    may spell a stop word (``sto``, ``kai``) is one in every twin, so that
    ``foniko sto parisi`` requires only the other two words.  A stop word
    written in capitals is a name, not a stop word: ``UNO``, ``WHO``, the
    function ``ODER`` (a line of a text or a query all in capitals is read in
    small letters first: :func:`search.words.as_read`).

    The ``romanised`` chain indexes only words in the language's own script
    (its Latin words are found by the other twins) as their key; in a query
    it is the other way round: a Latin word becomes every key it may stand
    for, and a word in the native script none.
    """
    lang = get_language(code)
    name = len(word) > 1 and word.isupper()
    word = normalise(word)
    folded = word if kind in ("exact", "stemmed") else fold(word, lang.fold)
    if len(word) > MAX_TOKEN_LENGTH or (is_stopword(word, lang, query) and not name):
        return Reading(False, (), folded)
    if kind == "romanised":
        rule = ROMANISERS[lang.romanise]
        if query:
            latin = _latin_word(folded)
            return Reading(True, tuple(rule.latin_keys(latin)) if latin else (), None)
        if greeklish.is_greek(folded):
            return Reading(True, (rule.greek_key(folded),), None)
        return Reading(True, (), folded)
    if kind != "exact" and lang.stemmer:
        stem = _stem(lang.stemmer)
        lemma = _lemma(word, lang.lemmas, code) if lang.lemmas else word
        # In a text, the word's own stem and its dictionary form's; in a query, the
        # dictionary form's in the stemmed twin and the word's own in the folded one,
        # so that it finds either (simplemma gives potępienie the lemma potępić, and
        # potępienia the lemma potępienie).
        if lemma != word and not (query and kind == "folded"):
            of_lemma = stem(lemma if kind == "stemmed" else fold(lemma, lang.fold))
            return Reading(True, (of_lemma,) if query
                           else tuple(dict.fromkeys((stem(folded), of_lemma))), None)
        folded = stem(folded)
    first = None if query else first_of_pair(word)
    if first:  # a character pair also stands for its first character in a text
        return Reading(True, tuple(dict.fromkeys(
            (folded, *read_word(first, code, kind, query).terms))), None)
    return Reading(True, (folded,), None)


LEMMATISERS = ("simplemma",)
"""The lemmatisers a language record may name (``Language.lemmas``)."""


class _Dictionaries(TrieDictionaryFactory):
    """simplemma's dictionaries as tries, kept on disk once built.

    Opening a language's shipped dictionary takes seconds at every start of
    a process (Polish: 3 s, and 56 MB even in its low-memory form); a trie
    built from it once (14 s, the first time on a machine) opens in
    milliseconds and gives the same lemmas.  It is written to a temporary
    file first, so that a process opening it never reads half of one.
    """

    def _write_trie_to_disk(self, lang: str, trie) -> None:
        handle, partial = tempfile.mkstemp(dir=self._cache_dir, suffix=".part")
        os.close(handle)
        try:
            trie.save(partial)
            os.replace(partial, self._cache_dir / f"{lang}.dic")
        finally:
            Path(partial).unlink(missing_ok=True)


def trie_folder() -> Path | None:
    """Where the tries are kept: the user's cache folder, or, for a user without
    a writable one (a service's account), a folder of the system's temporary
    one; None if neither can be written (each process then builds its own)."""
    for folder in (Path(user_cache_dir("simplemma")),
                   Path(tempfile.gettempdir()) / f"simplemma-{os.getuid()}"):
        folder = folder / "marisa_trie" / SIMPLEMMA_VERSION
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return None


@cache
def _simplemma() -> tuple[_Dictionaries, DictionaryLookupStrategy, Lemmatizer]:
    """simplemma's dictionaries (tries), its look-up of known words and its lemmatiser.

    Made at the first word, not at import: finding the folder creates it.
    The lemmatiser's own memo of 65,536 lemmas is off, as :func:`_lemma`'s
    sits in front of it.  The dictionaries keep one open trie per language
    that names a lemmatiser: with simplemma's default of 8, a ninth
    language's look-ups reopened a trie each time (2.4 ms; 1.6 times the
    time of a search).
    """
    folder = trie_folder()
    languages = sum(1 for lang in LANGUAGES.values() if lang.lemmas)
    dictionaries = _Dictionaries(cache_max_size=languages, use_disk_cache=folder is not None,
                                 disk_cache_dir=str(folder) if folder else None)
    strategy = DefaultStrategy(dictionary_factory=dictionaries)
    return (dictionaries, DictionaryLookupStrategy(dictionaries),
            Lemmatizer(lemmatization_strategy=strategy, cache_max_size=0))


@remembered
def _lemma(word: str, lemmatiser: str, code: str) -> str:
    """A normalised word's dictionary form, as ``lemmatiser`` knows it (the word if it does not).

    Only the readings cache's misses come here: simplemma looks a word up in
    its language's dictionary (a few microseconds); a word it does not know
    is looked for as if typed without its marks (:func:`_spelt_with_marks`),
    else left as it is, never guessed at.
    """
    if lemmatiser not in LEMMATISERS:
        raise ValueError(f"unknown lemmatiser {lemmatiser!r}; known: {', '.join(LEMMATISERS)}")
    spelt = _spelling(word, code)
    if spelt is None:  # its rules would guess (potepienie -> potepienio)
        return word
    return _simplemma()[2].lemmatize(spelt, code).lower()


MAX_MARKED_WORD = 40
"""Longer words unknown to the dictionary are not looked for with marks (a
walk per word; the dictionary's longest Polish and Greek words are shorter)."""
MARKED_LETTERS = "".join(chr(point) for point in (*range(0xC0, 0x180), *range(0x370, 0x400))
                         if chr(point).isalpha() and chr(point).islower())
"""The letters a word typed without its marks may have lost: Latin-1, Latin
Extended-A (Polish ą ć ę ł ń ó ś ź ż) and Greek (ά έ ή ί ό ύ ώ ϊ ϋ ς)."""


@cache
def _with_marks(kind: str) -> dict[str, str]:
    """Per letter, itself and the marked letters that the folding rule ``kind`` makes it."""
    found: dict[str, str] = {}
    for letter in MARKED_LETTERS:
        bare = fold(letter, kind)
        if len(bare) == 1 and bare != letter:
            found[bare] = found.get(bare, bare) + letter
    return found


def _spelling(word: str, code: str) -> str | None:
    """The word as the language's dictionary holds it: as it is spelt, or with the
    marks it was typed without (:func:`_spelt_with_marks`); None if neither."""
    if _simplemma()[1].get_lemma(normalize_token(word), code) is not None:
        return word
    return _spelt_with_marks(word, code)


@cache
def _dictionary_trie(code: str):
    """The language's dictionary (word -> lemma) as the trie simplemma looks words up
    in: one copy, already open (simplemma 2.0.0, pinned, keeps it as ``_trie``)."""
    return _simplemma()[0].get_dictionary(code)._trie


@remembered
def _spelt_with_marks(word: str, code: str) -> str | None:
    """The dictionary's spelling of a word typed without its marks, when it has exactly one.

    ``adresow`` is ``adresów``, ``αγνοειται`` is ``αγνοείται``: the
    dictionary knows the marked form, so the bare one gets the same lemma.
    The trie is walked letter by letter, trying each letter and its marked
    forms, and only along prefixes the dictionary holds.  A word that more
    than one dictionary word folds to (``ποτε``: πότε, ποτέ) is left alone.
    """
    trie = _dictionary_trie(code)
    kind = get_language(code).fold
    bare = fold(word, kind)
    if len(bare) != len(word) or len(word) > MAX_MARKED_WORD:
        return None
    letters = _with_marks(kind)
    found: list[str] = []

    def walk(prefix: str) -> None:
        if len(found) > 1:
            return
        if len(prefix) == len(bare):
            if prefix in trie:
                found.append(prefix)
            return
        for letter in letters.get(bare[len(prefix)], bare[len(prefix)]):
            if next(trie.iterkeys(prefix + letter), None) is not None:
                walk(prefix + letter)

    walk("")
    return found[0] if len(found) == 1 and found[0] != word else None


def preload_lemmas(codes: Iterable[str]) -> None:
    """Open the lemma dictionary of each of the languages ``codes`` whose record names one.

    A server does it for the languages it serves before its first reader,
    not during his search (and before it forks, so that its workers share
    them); a rebuild for the languages it writes before it starts its
    workers, so that the first run on a machine builds each dictionary's
    trie once, not once a worker.  Only the corpus's languages: each trie
    takes seconds to build the first time on a machine.
    """
    for code in codes:
        lang = get_language(code)
        if lang.lemmas:
            _lemma("a", lang.lemmas, lang.code)


_READINGS: dict[tuple[str, str, bool], dict[str, Reading]] = {}
"""Per chain and mode, a memo table (:mod:`search.memo`) of the reading of each word seen.

Tables of their own rather than :func:`~search.memo.remembered`: a filter
looks up every token of every text, and a dict of words is the cheapest look-up."""


def _readings(code: str, kind: str, query: bool) -> dict[str, Reading]:
    """The memo table of one chain's readings in one mode."""
    found = _READINGS.get((code, kind, query))
    if found is None:
        found = _READINGS[(code, kind, query)] = memo.table()
    return found


def _reading(readings: dict[str, Reading], word: str, code: str, kind: str,
             query: bool) -> Reading:
    """The remembered reading of ``word``, computed on a miss."""
    reading = readings.get(word)
    if reading is None:
        reading = memo.keep(readings, word, read_word(word, code, kind, query))
    return reading


class WordFilter(Filter):
    """Every token through :func:`read_word` of one chain, with positions renumbered.

    One filter and one cached look-up per token instead of a generator per
    step (normalise, stop words, fold, stem, romanise): analysis runs once
    per twin field of every text indexed.  Like Whoosh's ``StopFilter`` it
    renumbers positions after a removed stop word, and it only marks the
    tokens it removes when the highlighter asks to keep them (``removestops=False``).
    """

    def __init__(self, code: str, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown chain {kind!r}; known: {', '.join(KINDS)}")
        self.code, self.kind = code, kind

    def __eq__(self, other):
        return (type(other) is type(self) and other.code == self.code
                and other.kind == self.kind)

    def __call__(self, tokens):
        pos = readings = None
        for t in tokens:
            if readings is None:
                query = t.mode == "query"
                readings = _readings(self.code, self.kind, query)
            counted, terms, flagged = _reading(readings, t.text, self.code, self.kind, query)
            if counted and t.positions:
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            if len(terms) == 1:
                t.text = terms[0]
                t.stopped = False
                yield t
            elif terms:
                t.stopped = False
                for term in terms:
                    variant = t.copy()
                    variant.text = term
                    yield variant
            elif flagged is not None and not t.removestops:
                t.text = flagged
                t.stopped = True
                yield t


    def positions(self, words: list[str]) -> dict[str, list[int]]:
        """Each term's positions among ``words`` (the tokenizer's matches), as indexed.

        What :meth:`__call__` gives in index mode, without a token object
        per word: the shortcut of :class:`search.schema.AnalysedText`.
        """
        readings = _readings(self.code, self.kind, False)
        known = readings.get
        found: dict[str, list[int]] = {}
        pos = None
        for raw, word in enumerate(words):
            counted, terms, _ = (known(word)
                                 or _reading(readings, word, self.code, self.kind, False))
            if counted:
                pos = raw if pos is None else pos + 1
                for term in terms:
                    found.setdefault(term, []).append(pos)
        return found


def counted_words(words: list[str], code: str) -> list[bool]:
    """Whether each word takes a position in the language's index (stop words do not).

    One decision for every twin (see :func:`read_word`), read from the exact chain.
    """
    readings = _readings(code, "exact", False)
    known = readings.get
    return [(known(word) or _reading(readings, word, code, "exact", False)).counted
            for word in words]


def analyzer_for(lang: Language, kind: str):
    """The analyzer of one chain (one of :data:`KINDS`) of a language."""
    return WordTokenizer() | WordFilter(lang.code, kind)


def exact_analyzer(lang: Language):
    """Words as written, case-folded: the chain of the ``*_exact`` fields."""
    return analyzer_for(lang, "exact")


def stemmed_analyzer(lang: Language):
    """The exact chain plus the language's stemmer."""
    return analyzer_for(lang, "stemmed")


def folded_analyzer(lang: Language):
    """The exact chain, folded, then stemmed: the accent-insensitive twin."""
    return analyzer_for(lang, "folded")


def tokens(analyzer, text: str) -> list[str]:
    """The token texts an analyzer makes of ``text`` (for tests and debugging)."""
    return [t.text for t in analyzer(text)]
