"""Greeklish: Greek written in Latin letters, matched through a shared key.

Greeks often type Greek in Latin letters, and no two write it alike:
θέμα is ``thema``, ``8ema`` or (by the keys of a Greek keyboard, not matched
here) ``uema``; δημοκρατία is ``dimokratia`` or ``dhmokratia``; χ is
``ch``, ``h`` or ``x``.  Rather than guess the one Greek spelling of a
Latin word, both sides are reduced to a *key* in a small alphabet that
forgets what Greeklish writers disagree on:

* every i-sound (ι η υ ει οι υι) is ``i``; ο and ω are ``o``; ε and αι ``e``;
  ου is ``u``;
* θ is ``8``, χ ``x``, ξ ``3``, ψ ``4`` (one symbol each, because ``th``,
  ``h``, ``x`` and ``ks`` are written for more than one letter);
* μπ is ``b``, ντ ``d``, γκ and γγ ``g``; doubled letters count once;
* a Greek ending (``-ος``, ``-ης``, ``-ια``, ``-ματα``...) is cut from the
  key, so ``dimokratias`` meets δημοκρατία.

A Greek word has one key.  A Latin word can stand for several Greek
spellings (``h`` is η or χ, ``x`` is χ or ξ, ``u`` is ου or υ, ``th`` is θ
or τη), so it gets every key its readings give, up to :data:`MAX_KEYS`;
a search matches any of them.  ``docs/greeklish.md`` has the scheme, its
known misses and its measured recall.
"""

from __future__ import annotations

import re

from .memo import remembered

MAX_KEYS = 64
"""A Latin word with many ambiguous letters stops at this many readings."""
MIN_STEM = 3
"""An ending is cut only when this many key letters remain."""

# Greek (folded: lower case, no accents, final sigma as σ) to key.  Pairs
# first, so that ου is read before ο.
_GREEK_PAIRS = {
    "ου": "u", "αι": "e", "ει": "i", "οι": "i", "υι": "i",
    "αυ": "au", "ευ": "eu", "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "g",
}
_GREEK_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i",
    "θ": "8", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "3",
    "ο": "o", "π": "p", "ρ": "r", "σ": "s", "τ": "t", "υ": "i", "φ": "f",
    "χ": "x", "ψ": "4", "ω": "o",
}

# Latin (lower case) to the keys of every Greek letter it is written for,
# longest spellings first.  Shorter readings of the same letters are also
# tried (``th`` is θ, but ``t`` + ``h`` is τη), so the table lists only
# what a sequence can mean as a whole.
_LATIN = {
    "th": ("8",), "ch": ("x",), "kh": ("x",), "ks": ("3",), "ps": ("4",),
    "ph": ("f",), "dh": ("d",), "gh": ("g",), "ou": ("u",), "oy": ("u",),
    "ay": ("au",), "ey": ("eu",),
    "ai": ("e",), "ei": ("i",), "oi": ("i",), "yi": ("i",), "ui": ("i",),
    "mp": ("b",), "nt": ("d",), "nd": ("d",), "gk": ("g",), "gg": ("g",), "ng": ("g",),
    "au": ("au",), "av": ("au",), "af": ("au",),
    "eu": ("eu",), "ev": ("eu",), "ef": ("eu",),
    "a": ("a",), "b": ("v", "b"), "c": ("k", "s"), "d": ("d",), "e": ("e",),
    "f": ("f",), "g": ("g",), "h": ("i", "x"), "i": ("i",), "j": ("g", "tz", "3"),
    "k": ("k",), "l": ("l",), "m": ("m",), "n": ("n",), "o": ("o",),
    "p": ("p",), "q": ("k",), "r": ("r",), "s": ("s",), "t": ("t",),
    "u": ("u", "i"), "v": ("v",), "w": ("o",), "x": ("x", "3"),
    "y": ("i", "g"), "z": ("z",),
    "8": ("8",), "9": ("8",), "3": ("3",), "4": ("4",), "0": ("o",),
}
_LATIN_LONGEST = max(map(len, _LATIN))

ENDINGS = tuple(sorted((
    # nouns and adjectives
    "os", "o", "on", "u", "us", "i", "is", "a", "as", "es", "e", "an",
    "ia", "ias", "ies", "ion", "iu", "ius", "ika", "ikos", "iki", "iko",
    "ikis", "ikes", "ikon", "ikus", "atos", "ata", "aton",
    # verbs
    "ume", "ete", "un", "ame", "ate", "ome", "ese", "ode", "omaste",
    "este", "ontas", "odas", "ise", "isa", "ikan", "ithike",
), key=len, reverse=True))
"""Greek inflections as keys; the longest that leaves :data:`MIN_STEM` letters is cut."""

_GREEK_LETTER = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def is_greek(word: str) -> bool:
    """Whether a word is written in Greek letters."""
    return bool(_GREEK_LETTER.search(word))


@remembered
def greek_spelling(word: str) -> str:
    """A folded Greek word (lower case, no accents, σ for ς) in the key alphabet, whole."""
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _GREEK_PAIRS:
            out.append(_GREEK_PAIRS[pair])
            i += 2
        else:
            out.append(_GREEK_LETTERS.get(word[i], word[i]))
            i += 1
    return _undouble("".join(out))


def greek_key(word: str) -> str:
    """The key of a folded Greek word: its spelling without the ending."""
    return _cut(greek_spelling(word))


@remembered
def latin_spellings(word: str) -> tuple[str, ...]:
    """Every whole key-alphabet spelling a lower-case Latin word can stand for."""
    return tuple(dict.fromkeys(_undouble(reading) for reading in _readings(word)))


@remembered
def latin_keys(word: str) -> tuple[str, ...]:
    """Every key a lower-case Latin word can stand for, most literal reading first."""
    return tuple(dict.fromkeys(_cut(spelling) for spelling in latin_spellings(word)))


def _readings(word: str) -> list[str]:
    """Key spellings of ``word`` (before endings are cut), at most :data:`MAX_KEYS`."""
    partial = {0: [""]}
    for start in range(len(word)):
        heads = partial.pop(start, None)
        if not heads:
            continue
        for length in range(min(_LATIN_LONGEST, len(word) - start), 0, -1):
            keys = _LATIN.get(word[start:start + length])
            if not keys:
                continue
            bucket = partial.setdefault(start + length, [])
            for head in heads:
                for key in keys:
                    if len(bucket) < MAX_KEYS:
                        bucket.append(head + key)
    return partial.get(len(word), [])


def _undouble(spelling: str) -> str:
    """Doubled letters count once (λλ, σσ; ``ala`` for άλλα)."""
    return re.sub(r"(.)\1+", r"\1", spelling)


def _cut(spelling: str) -> str:
    """Cut the longest ending that leaves :data:`MIN_STEM` letters."""
    for ending in ENDINGS:
        if spelling.endswith(ending) and len(spelling) - len(ending) >= MIN_STEM:
            return spelling[:-len(ending)]
    return spelling
