#!/usr/bin/env python3
"""Known-item queries in other forms of a page's words: 2 to 5 of its salient words,
each as another form of the same word that the page does not hold.

Why: a reader who remembers a text recalls its words, not their forms: a
Polish page says "organizacji", the reader types "organizacja"; a Greek one
"τυραννίας", the reader "τυραννία".  The other sets' queries are a page's
own heading or index keywords, mostly in the page's forms; this one asks
for other forms only, so that it measures what an analysis chain makes of
morphology.  Nobody on the project writes a query: a rule picks them from
real text.

For each page of a language (in the order of a hash of its statement key,
the same in every language), in the page's title and body:

* a word is 4 letters or more and held by at most a tenth of the language's
  pages (so that function words, which every page has, are not picked);
* its dictionary form is simplemma's (pinned with the engine) or, with
  ``--lemmas hunspell``, the last stem Debian's Hunspell dictionary of the
  language gives it (``hunspell -s``; packages ``hunspell`` and
  ``hunspell-de-de``, ``hunspell-en-us``, ``hunspell-es``, ``hunspell-fr``,
  ``hunspell-it``, ``hunspell-pl``, ``hunspell-pt-br``, ``hunspell-ru``, ``hunspell-tr``),
  and its *other forms* are the words of the language's other pages with the same
  dictionary form that differ from it beyond accents and that the page does
  not hold at all;
* the page's words with another form are ranked by tf-idf of their
  dictionary form (times it occurs in the page, log of pages over pages
  holding it) and the first k taken, k from 2 to 5 by the hash of the key;
  each is replaced by its other form held by the most pages.

A page with fewer than 2 such words gives no query.  Typed without marks
(``bench/relevance.py --without-marks``), the same queries test both at once.

Bias to know: simplemma decides what "another form" is, and the engine
uses simplemma's lemmas for some languages (``Language.lemmas`` in
``search/languages.py``); the peers and the reference do not.  Read those
languages' figures with that in mind, or make the set with Hunspell's
stems, which no system here uses (Greek's Hunspell dictionary has none).

    python bench/forms_queries.py --corpus /tmp/bench/lo-keyword/corpus \\
        --langs de,el,en,fr,pl --queries /tmp/bench/lo-forms
    python bench/forms_queries.py --corpus /tmp/bench/lo-keyword/corpus \\
        --langs de,en,fr,pl --lemmas hunspell --queries /tmp/bench/lo-forms-hunspell
    python bench/forms_queries.py --corpus /tmp/bench/lo2-keyword/corpus \\
        --langs en,es,it,ru,tr --lemmas hunspell --queries /tmp/bench/lo2-forms-hunspell

writes ``QUERIES/queries.<lang>.jsonl`` (``{"lang", "query", "key"}``) for
``bench/relevance.py --corpus /tmp/bench/lo-keyword/corpus``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import simplemma

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from indexer.validate import load_corpus  # noqa: E402

WORD = re.compile(r"[^\W\d_]{4,}")
COMMON = 0.1
"""A word held by more than this share of a language's pages is not picked."""


def folded(word: str) -> str:
    """The word without accents: two forms that differ only by them are one form here."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def order(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)


HUNSPELL = {"de": "de_DE", "en": "en_US", "es": "es_ES", "fr": "fr_FR", "it": "it_IT",
            "pl": "pl_PL", "pt": "pt_BR", "ru": "ru_RU", "tr": "tr_TR"}
"""The Hunspell dictionary read for a language."""


def simplemma_lemmas(words: set[str], lang: str) -> dict[str, str]:
    return {w: simplemma.lemmatize(w, lang=lang) for w in words}


def hunspell_lemmas(words: set[str], lang: str) -> dict[str, str]:
    """Each word's last stem in Hunspell's analysis (``hunspell -s``), the word if it
    has none: ``formatierten`` gives ``formatiert`` then ``formatieren``."""
    ordered = sorted(words)
    output = subprocess.run(["hunspell", "-d", HUNSPELL[lang], "-i", "utf-8", "-s"],
                            input="\n".join(ordered), capture_output=True, text=True,
                            check=True).stdout
    lemma = {w: w for w in ordered}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in lemma:
            lemma[parts[0]] = parts[1].lower()
    return lemma


LEMMAS = {"simplemma": simplemma_lemmas, "hunspell": hunspell_lemmas}


def queries_of(pages: dict[str, Counter], lang: str, lemmas: str = "simplemma") -> list[dict]:
    """One language's queries, in hash order of their key."""
    lemma = LEMMAS[lemmas](set().union(*pages.values()), lang)
    form_df, lemma_df = Counter(), Counter()
    for words in pages.values():
        form_df.update(words)
        lemma_df.update({lemma[w] for w in words})
    forms = defaultdict(set)
    for w, lem in lemma.items():
        forms[lem].add(w)
    limit = COMMON * len(pages)
    out = []
    for key in sorted(pages, key=order):
        words = pages[key]
        tf = Counter()
        for w, n in words.items():
            tf[lemma[w]] += n
        picked = []
        for lem in sorted(tf, key=lambda l: (-tf[l] * math.log(len(pages) / lemma_df[l]), l)):
            if lemma_df[lem] > limit:
                continue
            held = {folded(w) for w in forms[lem] if w in words}
            others = [w for w in forms[lem] if w not in words and folded(w) not in held]
            if others:
                picked.append(max(others, key=lambda w: (form_df[w], w)))
        k = 2 + order(key) % 4
        if len(picked) >= 2:
            out.append({"lang": lang, "query": " ".join(picked[:k]), "key": key})
    return out


def read(corpus: Path) -> dict[str, dict[str, Counter]]:
    """Each language's pages: their words (lower case, title and body as written) with
    their counts, by statement key, read as the indexer reads the corpus."""
    pages: dict[str, dict[str, Counter]] = defaultdict(dict)
    for doc in load_corpus(corpus):
        pages[doc.lang][doc.key] = Counter(WORD.findall(f"{doc.title}\n{doc.markdown}".lower()))
    return pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of <slug>.<lang>.md pages")
    parser.add_argument("--langs", required=True, help="comma-separated language codes")
    parser.add_argument("--queries", type=Path, required=True, help="folder for queries.<lang>.jsonl")
    parser.add_argument("--lemmas", choices=sorted(LEMMAS), default="simplemma",
                        help="what decides that two words are forms of one word")
    args = parser.parse_args(argv)
    args.queries.mkdir(parents=True, exist_ok=True)
    corpus = read(args.corpus)
    for lang in args.langs.split(","):
        pages = corpus[lang]
        found = queries_of(pages, lang, args.lemmas)
        with (args.queries / f"queries.{lang}.jsonl").open("w", encoding="utf-8") as out:
            for q in found:
                out.write(json.dumps(q, ensure_ascii=False) + "\n")
        print(f"{lang}: {len(pages)} pages, {len(found)} queries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
