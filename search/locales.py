"""What CLDR (through Babel) says of a language code: is it one, its names, script and direction."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})
"""ISO 639 codes that name no language (undetermined, no linguistic content, ...)."""

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand",
                         "Samr", "Mend"})
"""ISO 15924 scripts written right to left, for a language CLDR has no locale for."""

FOLDS = {"Latn": "latin", "Grek": "greek", "Cyrl": "marks", "Arab": "marks",
         "Hebr": "marks", "Armn": "marks"}
"""The folding rule (``search.analysis.fold``) of a script whose accents readers omit;
other scripts fold nothing (a Thai tone mark or a kana's voicing is no accent)."""


def canonical(code: str) -> str:
    """The ISO 639 code of a language tag, lower-case (``pt_BR`` -> ``pt``, ``iw`` -> ``he``)."""
    base = code.replace("_", "-").partition("-")[0].lower()
    alias = get_global("language_aliases").get(base, base)
    return alias.partition("_")[0]


@cache
def _english_names() -> dict[str, str]:
    return dict(Locale("en").languages)


def is_language(code: str) -> bool:
    """Whether a canonical code names a language CLDR knows (``ko``, ``yue``; not ``xx``)."""
    return code in _english_names() and code not in NOT_LANGUAGES


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def script(code: str) -> str:
    """The ISO 15924 script a language is most likely written in (``sr`` -> ``Cyrl``)."""
    likely = get_global("likely_subtags").get(code, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Zyyy"


def english_name(code: str) -> str:
    """The language's name in English (``Korean``)."""
    return _english_names()[code]


def native_name(code: str) -> str:
    """The language's name in itself, capitalised as a list entry (``한국어``, ``Српски``)."""
    locale = _locale(code)
    name = (locale.get_display_name(code) if locale else None) or english_name(code)
    return name[:1].upper() + name[1:]


def direction(code: str) -> str:
    """``"rtl"`` or ``"ltr"``: CLDR's character order, else its script's."""
    locale = _locale(code)
    if locale is not None:
        return locale.text_direction
    return "rtl" if script(code) in RTL_SCRIPTS else "ltr"


def fold(code: str) -> str:
    """The folding rule of the language's script (see :data:`FOLDS`)."""
    return FOLDS.get(script(code), "none")
