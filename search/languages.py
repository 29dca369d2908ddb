"""The language registry: one declarative record per language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from . import locales
from .errors import UnknownLanguage


@dataclass(frozen=True)
class Language:
    """What the engine needs to know about one language; data only, no code.

    ``stopwords`` names the source that ``search/stopwords/generate.py``
    writes the language's list from (``search/stopwords/<code>.txt``):
    ``"snowball"`` is the Snowball project's list as Whoosh bundles it,
    ``"iso"`` the stopwords-iso collection; None, no stop words.  ``keep`` lists words
    that the source counts as stop words but that carry meaning in this
    corpus.  ``fold`` names the folding rule of the accent-insensitive field
    (see ``search.analysis``): a string key, so that records and analyzers
    stay picklable.  ``romanise`` names how the language is typed in Latin
    letters (``"greeklish"``, see ``search.greeklish``); such a language's
    index gets romanised twins (``search.fields``) that a Latin-letter query also searches.
    ``romanised_stops`` lists stop words that a query typed in Latin letters
    drops even when longer than four letters (``einai`` for είναι): other
    long Latin words are kept, since many long stop words share a Latin
    spelling with a content word (κυρίως and κύριος are both ``kirios``).
    ``direction`` is how the language's script runs, ``"ltr"`` or ``"rtl"``
    (CLDR's, through Babel): pages set it per text.  ``lemmas`` names a
    lemmatiser (``"simplemma"``) for a language whose Snowball stemmer gives
    one word two stems (Greek τυραννία / τυραννίας, Polish życie / życia,
    German streikten / streiken, French travaux / travail): the stemmed
    twins then also hold the stem of each word's dictionary form, and a word
    typed without its marks is read as the dictionary spells it (see
    ``search.analysis.read_word``).  Named where it was measured to help
    (``docs/ranking.md``, "Forms of a word").
    """

    code: str
    name: str
    native_name: str
    stemmer: str | None
    stopwords: str | None
    fold: str = "latin"
    keep: tuple[str, ...] = ()
    romanise: str | None = None
    romanised_stops: tuple[str, ...] = ()
    direction: str = "ltr"
    lemmas: str | None = None


RECORDS: tuple[Language, ...] = (
    Language("en", "English", "English", "english", "snowball", lemmas="simplemma"),
    # stopwords-iso's Greek list is long and includes prepositions such as
    # μετά that head titles ("Μετά το Charlie Hebdo"), so they are kept, and
    # nouns: the Left and the Right (Αριστερά, Δεξιά) and truth (αλήθεια).
    Language("el", "Greek", "Ελληνικά", "greek", "iso", fold="greek",
             keep=("μετα", "αριστερα", "δεξια", "αληθεια"), romanise="greeklish",
             romanised_stops=("είναι", "είμαι", "είσαι", "είμαστε", "είστε", "αυτή", "αυτό",
                              "αυτοί", "αυτά", "αυτόν", "αυτού", "αυτών", "αυτός", "αυτές",
                              "αυτής", "αυτούς", "μέχρι", "ακόμα", "ακόμη", "οποία", "οποίο",
                              "οποίος", "εκείνη", "εκείνο", "εκείνος", "έχουν", "τίποτα",
                              "κάποια", "κάποιο", "κάποιος", "επειδή", "δηλαδή", "πρέπει",
                              "μπορούν", "λοιπόν", "σήμερα"), lemmas="simplemma"),
    Language("pl", "Polish", "Polski", "polish", "iso", lemmas="simplemma"),
    # Snowball's German list holds "andern" (other), which "ändern" (change)
    # folds to: kept, or the verb would be dropped with it.
    Language("de", "German", "Deutsch", "german", "snowball", keep=("andern",),
             lemmas="simplemma"),
    Language("fr", "French", "Français", "french", "snowball", lemmas="simplemma"),
    # Snowball's Spanish list holds participles of estar and sentir that are
    # also nouns: the State, the United States (Estados Unidos), sense.
    Language("es", "Spanish", "Español", "spanish", "snowball",
             keep=("estado", "estados", "sentido", "sentidos"), lemmas="simplemma"),
    Language("it", "Italian", "Italiano", "italian", "snowball", lemmas="simplemma"),
    Language("pt", "Portuguese", "Português", "portuguese", "snowball", lemmas="simplemma"),
    Language("nl", "Dutch", "Nederlands", "dutch", "snowball"),
    Language("ru", "Russian", "Русский", "russian", "snowball", fold="marks",
             lemmas="simplemma"),
    Language("tr", "Turkish", "Türkçe", "turkish", "snowball", lemmas="simplemma"),
    Language("sv", "Swedish", "Svenska", "swedish", "snowball"),
    Language("da", "Danish", "Dansk", "danish", "snowball"),
    Language("no", "Norwegian", "Norsk", "norwegian", "snowball"),
    Language("fi", "Finnish", "Suomi", "finnish", "snowball"),
    Language("hu", "Hungarian", "Magyar", "hungarian", "snowball"),
    Language("ro", "Romanian", "Română", "romanian", "iso"),
    Language("cs", "Czech", "Čeština", "czech", "iso"),
    Language("ca", "Catalan", "Català", "catalan", "iso"),
    Language("eu", "Basque", "Euskara", "basque", "iso"),
    Language("et", "Estonian", "Eesti", "estonian", "iso"),
    Language("lt", "Lithuanian", "Lietuvių", "lithuanian", "iso"),
    Language("ga", "Irish", "Gaeilge", "irish", "iso"),
    Language("id", "Indonesian", "Bahasa Indonesia", "indonesian", "iso"),
    Language("eo", "Esperanto", "Esperanto", "esperanto", "iso"),
    Language("hy", "Armenian", "Հայերեն", "armenian", "iso", fold="marks"),
    Language("ar", "Arabic", "العربية", "arabic", "iso", fold="marks", direction="rtl"),
    Language("fa", "Persian", "فارسی", "persian", "iso", fold="marks", direction="rtl"),
    Language("hi", "Hindi", "हिन्दी", "hindi", "iso", fold="marks"),
    # Serbian is written in Latin and Cyrillic letters, which map one to one:
    # the stemmer reads both as Latin, and the folded twin does too.
    Language("sr", "Serbian", "Srpski", "serbian", None, fold="serbian"),
    Language("ne", "Nepali", "नेपाली", "nepali", None, fold="none"),
    Language("ta", "Tamil", "தமிழ்", "tamil", None, fold="none"),
    Language("yi", "Yiddish", "ייִדיש", "yiddish", None, fold="marks", direction="rtl"),
    Language("st", "Sesotho", "Sesotho", "sesotho", "iso"),
)

LANGUAGE_TAGS = 256
"""Tags whose record :func:`get_language` remembers: a bound, as a request may name any tag."""


class _Registry(dict):
    """The records by code; a code without one gives its generic record (see :func:`get_language`)."""

    def __missing__(self, code: str) -> Language:
        return get_language(code)


LANGUAGES: dict[str, Language] = _Registry((lang.code, lang) for lang in RECORDS)
"""The recorded languages; ``LANGUAGES[code]`` answers for any language, as
:func:`get_language` does, while ``in`` and iteration see the records only."""


@lru_cache(maxsize=LANGUAGE_TAGS)
def get_language(code: str) -> Language:
    """Return the record for ``code`` (``pt_BR`` and ``pt-BR`` mean ``pt``).

    Remembered for the last :data:`LANGUAGE_TAGS` tags: every word analysed
    asks for its language's record, and canonicalising the tag through
    CLDR's aliases each time was 4 % of a search.

    A language without a record (``ko``, ``th``, ``he``) gets a generic one:
    its names and direction from CLDR, no stemmer, folding by its script.

    :raise UnknownLanguage: when ``code`` names no language (``xx``, ``english``);
        never a silent fallback.
    """
    base = locales.canonical(code)
    lang = dict.get(LANGUAGES, base)
    if lang is not None:
        return lang
    if not locales.is_language(base):
        raise UnknownLanguage(code)
    return _generic(base)


@cache
def _generic(code: str) -> Language:
    """The record of a language the registry does not hold."""
    listed = "iso" if (STOPWORDS / f"{code}.txt").exists() else None
    return Language(code, locales.english_name(code), locales.native_name(code), None, listed,
                    fold=locales.fold(code), direction=locales.direction(code))


STOPWORDS = Path(__file__).parent / "stopwords"
"""One file per language, ``<code>.txt``, generated from pinned sources by
``search/stopwords/generate.py`` (which records each source, its version and
checksum, and the misprints it mends): an upgrade changes nothing indexed."""


@cache
def stopwords(code: str) -> frozenset[str]:
    """The stop-word list of a language, as its file holds it (none for a language without one)."""
    lang = get_language(code)
    if not lang.stopwords:
        return frozenset()
    lines = (STOPWORDS / f"{lang.code}.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith("#"))
