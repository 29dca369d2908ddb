#!/usr/bin/env python3
"""Descriptive known-item queries: a page's own heading as the query, the page without it.

Why: keyword queries (the help's index terms) are short and mostly appear
in the text as typed.  A reader who describes a topic types a phrase such as
"Changing the Properties of Controls in the Dialog Editor", and the page
about it does not contain every one of those words.  Taking a page's
heading as the query and removing that heading from the page gives such
queries from real text that nobody on the project wrote.

Two sources, one subcommand each:

* ``lo``: the LibreOffice help (``bench/libreoffice_corpus.py``'s pages).
  Query: the page's title (its heading).  Corpus: every page with its title
  emptied (``title = ""``) and every verbatim repetition of the title
  (case-insensitive, any punctuation or Markdown escapes between its words)
  cut from the body; a block left without a word is dropped.
* ``debian``: Debian package descriptions (``bench/debian_corpus.py``'s
  translation groups).  Query: the short description.  Corpus: the long
  description only (title emptied).

In both, a heading of fewer than 2 words gives no query (its page stays in
the corpus, as do pages beyond the queried ones), and a page whose text is
empty once the title is cut is left out.  Headings that are the same in one
language (case aside) are one query whose right answers are all their pages
(``keys``).  The queries of each language are written in the order of a
hash of their key, the same in every language, so ``bench/relevance.py
--limit N`` takes a fixed pseudo-random sample, mostly the same statements
in every language.

Rebuild both sets (as root for the two fetch steps; each is idempotent)::

    python bench/libreoffice_corpus.py --fetch /tmp/bench/lo-debs \\
        --langs en,el,pl,de,fr --out /tmp/bench/lo-keyword/corpus \\
        --queries /tmp/bench/lo-keyword
    python bench/describe_queries.py lo \\
        --help-root /tmp/bench/lo-debs/root/usr/share/libreoffice/help \\
        --langs en,el,pl,de,fr --out /tmp/bench/lo-describe/corpus \\
        --queries /tmp/bench/lo-describe

    python bench/debian_corpus.py --fetch --lists /tmp/bench/apt-lists \\
        --langs en,pl,de,fr,it,es,ru
    python bench/describe_queries.py debian --lists /tmp/bench/apt-lists \\
        --langs en,pl,de,fr,it,es,ru --min-langs 5 \\
        --out /tmp/bench/deb-describe/corpus --queries /tmp/bench/deb-describe

Each writes ``OUT/<slug>.<lang>.md`` (front matter ``title = ""``,
``translation_key``, ``tags``) and ``QUERIES/queries.<lang>.jsonl`` with
``{"lang", "query", "key"}`` lines (``"keys": [...]`` for several), and
prints the counts.  Output is deterministic; files of an earlier run that
this run did not write (recognised by the tag) are removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import debian_corpus  # noqa: E402
import libreoffice_corpus  # noqa: E402

MIN_WORDS = 2


@dataclass(frozen=True)
class Item:
    """One page in one language: its heading (the query) and its text without it."""

    lang: str
    key: str  # translation key, also the file's slug
    heading: str
    body: str


# -------------------------------------------------------------- cutting

def heading_pattern(heading: str) -> re.Pattern | None:
    """The heading's words in order, with anything but word characters between them.

    Markdown escapes (``\\*``) and punctuation differ between a title and its
    repetition in the text, so only the words are matched, as whole words.
    """
    words = re.findall(r"\w+", heading)
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)",
                      re.IGNORECASE)


def cut_heading(body: str, heading: str) -> str:
    """The body without any verbatim repetition of the heading; emptied blocks go."""
    pattern = heading_pattern(heading)
    if pattern is None:
        return body
    blocks = []
    for block in body.split("\n\n"):
        block = pattern.sub("", block)
        if re.search(r"\w", block):
            blocks.append(re.sub(r"[ \t]{2,}", " ", block).rstrip())
    return "\n\n".join(blocks)


# -------------------------------------------------------------- sources

def lo_items(help_root: Path, langs: list[str]) -> list[Item]:
    """Every LibreOffice help page of the languages, heading cut from its text."""
    items = []
    found = libreoffice_corpus.sources(help_root, langs)
    pages = {s.lang: libreoffice_corpus.read_pages(s.folder) for s in found}
    keys = libreoffice_corpus.keys_for({p for by_path in pages.values() for p in by_path})
    for lang, by_path in pages.items():
        for path, page in sorted(by_path.items()):
            items.append(Item(lang, keys[path], page.title,
                              cut_heading(page.markdown, page.title)))
        print(f"{lang}: {len(by_path)} pages", file=sys.stderr)
    return items


def debian_items(lists: Path, langs: list[str], limit: int | None,
                 min_langs: int) -> list[Item]:
    """The long descriptions of the chosen translation groups, short one as heading."""
    groups = debian_corpus.group_by_md5(debian_corpus.read_descriptions(lists, langs))
    md5s = debian_corpus.select_groups(groups, limit, min_langs, [])
    slugs = debian_corpus.assign_slugs(groups, md5s)
    return [Item(lang, slugs[md5], desc.short, debian_corpus.body_markdown(desc.long))
            for md5 in md5s for lang, desc in sorted(groups[md5].by_lang.items())]


# -------------------------------------------------------------- writing

def render(item: Item, tag: str) -> str:
    """The corpus file: no title, the translation key, the tag, the body."""
    return (f'+++\ntitle = ""\ntranslation_key = {debian_corpus.toml_string(item.key)}\n'
            f'tags = ["{tag}"]\n+++\n\n{item.body}\n')


def write_corpus(out: Path, items: list[Item], tag: str) -> list[Item]:
    """Write every item with text; remove this tag's files that were not rewritten."""
    out.mkdir(parents=True, exist_ok=True)
    written, names = [], set()
    for item in items:
        if not re.search(r"\w", item.body):
            continue
        name = f"{item.key}.{item.lang}.md"
        text = render(item, tag)
        front = tomllib.loads(text.split("+++\n", 2)[1])
        if front["translation_key"] != item.key:
            raise SystemExit(f"{name}: front matter does not round-trip: {front}")
        (out / name).write_text(text, encoding="utf-8")
        names.add(name)
        written.append(item)
    line = f'tags = ["{tag}"]'
    for stale in out.glob("*.md"):
        if stale.name not in names and line in stale.read_text(encoding="utf-8"):
            stale.unlink()
    return written


def order(key: str) -> str:
    """A fixed pseudo-random order of statements, the same in every language."""
    return hashlib.sha1(key.encode()).hexdigest()


def make_queries(items: list[Item]) -> dict[str, list[dict]]:
    """{lang: query rows}: one per distinct heading of at least MIN_WORDS words."""
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    shown: dict[tuple[str, str], str] = {}
    for item in items:
        heading = " ".join(item.heading.split())
        if len(re.findall(r"\w+", heading)) < MIN_WORDS:
            continue
        fold = (item.lang, heading.casefold())
        targets[fold].add(item.key)
        shown[fold] = min(shown.get(fold, heading), heading)
    rows = defaultdict(list)
    for (lang, fold), keys in targets.items():
        row = {"lang": lang, "query": shown[lang, fold]}
        if len(keys) == 1:
            row["key"] = next(iter(keys))
        else:
            row["keys"] = sorted(keys)
        rows[lang].append(row)
    return {lang: sorted(found, key=lambda r: (order(r.get("key") or r["keys"][0]),
                                               r["query"]))
            for lang, found in sorted(rows.items())}


def write_queries(folder: Path, queries: dict[str, list[dict]]) -> None:
    """queries.<lang>.jsonl, one JSON object per line."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang, rows in queries.items():
        (folder / f"queries.{lang}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
            encoding="utf-8")


def report(items: list[Item], written: list[Item], queries: dict[str, list[dict]]) -> None:
    """Pages, pages written and queries per language."""
    print(f"{'lang':<6}{'pages':>8}{'written':>9}{'queries':>9}{'multi-target':>14}")
    for lang in sorted({i.lang for i in items}):
        rows = queries.get(lang, [])
        print(f"{lang:<6}{sum(i.lang == lang for i in items):>8}"
              f"{sum(i.lang == lang for i in written):>9}{len(rows):>9}"
              f"{sum('keys' in r for r in rows):>14}")


# ------------------------------------------------------------------ CLI

def parse_args(argv=None) -> argparse.Namespace:
    """Command line: a subcommand per source, the same output options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="source", required=True)
    lo = sub.add_parser("lo", help="the LibreOffice help")
    lo.add_argument("--help-root", type=Path, required=True,
                    help="unpacked help folder (.../usr/share/libreoffice/help)")
    lo.add_argument("--langs", default="en,el,pl,de,fr")
    deb = sub.add_parser("debian", help="Debian package descriptions")
    deb.add_argument("--lists", type=Path, default=debian_corpus.DEFAULT_LISTS,
                     help="apt lists folder holding the Translation files")
    deb.add_argument("--langs", default="en,pl,de,fr,it,es,ru")
    deb.add_argument("--limit", type=int, help="at most this many translation groups")
    deb.add_argument("--min-langs", type=int, default=1,
                     help="keep groups in at least this many languages")
    for each in (lo, deb):
        each.add_argument("--out", type=Path, required=True, help="corpus folder")
        each.add_argument("--queries", type=Path, required=True,
                          help="folder for queries.<lang>.jsonl")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Read the source, write corpus and queries, print the counts."""
    args = parse_args(argv)
    langs = [code.strip() for code in args.langs.split(",") if code.strip()]
    if args.source == "lo":
        items, tag = lo_items(args.help_root, langs), "libreoffice-describe"
    else:
        items = debian_items(args.lists, langs, args.limit, args.min_langs)
        tag = "debian-describe"
    written = write_corpus(args.out, items, tag)
    queries = make_queries(written)
    write_queries(args.queries, queries)
    report(items, written, queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
