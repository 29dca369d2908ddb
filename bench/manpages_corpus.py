"""A corpus of long real documents: Debian's manual pages in several languages.

    # 1. download the packages (not installed) and unpack them (as root)
    python bench/manpages_corpus.py --fetch /tmp/bench/man-debs
    # 2. write the corpus and the queries
    python bench/manpages_corpus.py --root /tmp/bench/man-debs/root \\
        --out /tmp/bench/man-corpus --queries /tmp/bench/man-queries

``--fetch DIR`` runs ``apt-get download`` for ``PACKAGES`` into DIR and
``dpkg-deb -x`` for each into DIR/root.  The English pages come from
``manpages``/``manpages-dev`` and from the packages whose pages are most
translated (coreutils, util-linux, dpkg, apt, ...; those also ship pages in
a few languages of their own); the other languages from manpages-l10n
(``manpages-de``, ``-fr``, ``-pl``...).

Each page is formatted with groff (``groff -k -t -mandoc -Tutf8``, from
Debian's groff-base: one line per filled paragraph, no overstriking) and
written as ``<OUT>/<slug>.<lang>.md``: TOML front matter with ``title`` (the
page name, ``ls(1)``) and ``translation_key`` (``ls-1``, the file's slug: the
same page in several languages is one statement), then the page as Markdown (a ``##``
heading per section, a paragraph per output line, Markdown's characters
escaped), without groff's header and footer and without the description of
its NAME line.  That description is the page's descriptive query, written
to ``<QUERIES>/queries.<lang>.jsonl`` as ``{"lang", "query", "key"}``
(``ls - list directory contents`` -> ``list directory contents``; in the
page's language), with the query syntax's operator characters replaced by
spaces so that every engine reads it as words.

Pages that only include another (``.so``), symbolic links, pages in a
language the engine has no analyser for, and pages over 1.9 MB are left
out; for Portuguese, pt_BR is taken before pt.  ``--min-bytes 10000`` keeps
only the long pages (about 1,000 of some 7,100).  Output is deterministic:
pages are read in sorted order and slugs assigned from sorted keys.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from debian_corpus import slugify, toml_string  # noqa: E402

PACKAGES = [
    "manpages", "manpages-dev", "coreutils", "util-linux", "findutils", "grep", "sed",
    "tar", "gzip", "procps", "man-db", "dpkg", "apt", "less", "diffutils", "passwd",
    "login", "bash",
    *(f"manpages-{lang}" for lang in ("de", "fr", "es", "it", "pl", "ru", "el", "nl",
                                      "pt-br")),
    *(f"manpages-{lang}-dev" for lang in ("de", "fr", "es", "it", "pl", "ru", "nl",
                                          "pt-br")),
]
MAN = Path("usr/share/man")
LOCALES = {"": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl",
           "ru": "ru", "el": "el", "nl": "nl", "pt_BR": "pt", "pt": "pt", "cs": "cs",
           "da": "da", "fi": "fi", "hu": "hu", "id": "id", "ro": "ro", "sv": "sv",
           "tr": "tr"}
"""Folder under usr/share/man -> language code; in this order, so pt_BR wins over pt."""
GROFF = ["groff", "-k", "-Kutf-8", "-t", "-mandoc", "-Tutf8", "-P-cbou", "-rLL=5000n",
         "-rcR=1"]
MAX_BYTES = 1_900_000
MAX_DESCRIPTION_WORDS = 32
PAGE_RE = re.compile(r"^(?P<name>.+)\.(?P<section>[1-9][a-z0-9]*)(?:\.gz)?$")
DASH_RE = re.compile(r"\s+(?:\\-|[-\u2010\u2011\u2012\u2013\u2014\u2212])+\s+")
OPERATORS_RE = re.compile(r"[\"()*?~:+^\[\]{}\\]|(?<!\w)-")
"""Characters of the engine's query syntax (phrase, group, prefix, fuzzy,
field, required, excluded): replaced by spaces in a query."""
BORDER_RE = re.compile(r"^[\s\u2500-\u257f]*$")
"""A table's rule or border (groff's box-drawing characters): left out."""
SPACES_RE = re.compile(r"\s{2,}")
"""A run of spaces: table columns are padded to groff's (long) line length."""
LINE_START_RE = re.compile(r"^(\d+)\.|^([-+#=>|])")
INLINE_RE = re.compile(r"([\\`*_\[\]])")


def fetch(folder: Path) -> Path:
    """``apt-get download`` the packages and unpack each into ``folder/root``."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", *PACKAGES], cwd=folder, check=True)
    root = folder / "root"
    for deb in sorted(folder.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def find_pages(root: Path) -> list[tuple[str, str, str, Path]]:
    """(lang, section, name, path) of every real page, one per language and key."""
    pages, seen = [], set()
    for locale, lang in LOCALES.items():
        folder = root / MAN / locale
        for path in sorted(folder.glob("man[1-9]*/*")):
            found = PAGE_RE.match(path.name)
            if path.is_symlink() or not path.is_file() or not found:
                continue
            key = (lang, found["section"], found["name"])
            if key not in seen:
                seen.add(key)
                pages.append((lang, found["section"], found["name"], path))
    return pages


def read_source(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def format_page(path: Path) -> str | None:
    """The page as groff prints it, or None for an include (``.so``) or a failure."""
    source = read_source(path)
    if re.match(rb"\s*\.so\s", source):
        return None
    done = subprocess.run(GROFF, input=source, capture_output=True)
    if done.returncode:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def escape(line: str) -> str:
    """A line of text as a Markdown paragraph that renders as itself."""
    line = INLINE_RE.sub(r"\\\1", line)
    return LINE_START_RE.sub(lambda m: f"{m[1]}\\." if m[1] else f"\\{m[2]}", line)


def split_sections(text: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each section, groff's header and footer dropped."""
    lines = [line.rstrip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 3:
        return []
    sections: list[tuple[str, list[str]]] = []
    for line in lines[filled[0] + 1: filled[-1]]:
        if line and not line[0].isspace():
            sections.append((line.strip(), []))
        elif line.strip() and sections:
            sections[-1][1].append(line)
    return sections


def name_and_description(lines: list[str]) -> tuple[str, str]:
    """The names and the description of a NAME section (``ls``, ``list directory contents``).

    A "description" of more than ``MAX_DESCRIPTION_WORDS`` words is a page
    whose first section is not a NAME line: it has none.
    """
    text = " ".join(line.strip() for line in lines)
    parts = DASH_RE.split(text, maxsplit=1)
    if len(parts) < 2 or len(parts[1].split()) > MAX_DESCRIPTION_WORDS:
        return text, ""
    return parts[0].strip(), parts[1].strip()


def to_markdown(sections: list[tuple[str, list[str]]]) -> str:
    """Sections as Markdown: a heading each (subsections one level down), a paragraph a line."""
    out = []
    for heading, lines in sections:
        out.append(f"## {escape(heading)}")
        for line in lines:
            if BORDER_RE.match(line):
                continue
            stripped = SPACES_RE.sub(" ", line.strip())
            indent = len(line) - len(line.lstrip())
            out.append(f"### {escape(stripped)}" if indent < 5 else escape(stripped))
    return "\n\n".join(out) + "\n"


def query_text(description: str) -> str:
    """The description as plain words: operators replaced, OR/AND/NOT lowercased."""
    words = OPERATORS_RE.sub(" ", description).rstrip(".").split()
    return " ".join(w.lower() if w in ("OR", "AND", "NOT") else w for w in words)


def convert(page: tuple[str, str, str, Path]) -> dict | None:
    """One page as ``{lang, section, name, body, query}``, or None if it is left out."""
    lang, section, name, path = page
    text = format_page(path)
    sections = split_sections(text) if text else []
    if not sections:
        return None
    names, description = name_and_description(sections[0][1])
    sections[0] = (sections[0][0], [" " * 7 + names] if names else [])
    body = to_markdown(sections)
    if len(body.encode()) > MAX_BYTES:
        return None
    return {"lang": lang, "section": section, "name": name, "body": body,
            "query": query_text(description)}


def assign_slugs(keys: list[str]) -> dict[str, str]:
    """One slug per key (``1/ls`` -> ``ls-1``); a clash gets a hash suffix."""
    slugs, used = {}, set()
    for key in sorted(keys):
        section, name = key.split("/", 1)
        slug = f"{slugify(name)}-{section.lower()}"
        if slug in used:
            slug = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"
        used.add(slug)
        slugs[key] = slug
    return slugs


def render(page: dict, key: str) -> str:
    title = f"{page['name']}({page['section']})"
    return (f"+++\ntitle = {toml_string(title)}\ntranslation_key = {toml_string(key)}\n"
            f"tags = [\"manpages\"]\n+++\n\n{page['body']}")


def write(pages: list[dict], out: Path, queries: Path) -> Counter:
    """Write the corpus files and the query files; return pages per language."""
    out.mkdir(parents=True, exist_ok=True)
    queries.mkdir(parents=True, exist_ok=True)
    keys = {p["key"] for p in pages}
    slugs = assign_slugs(sorted(keys))
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for page in pages:
        text = render(page, slugs[page["key"]])
        (out / f"{slugs[page['key']]}.{page['lang']}.md").write_text(text, encoding="utf-8")
        by_lang[page["lang"]].append(page)
    for lang, items in sorted(by_lang.items()):
        lines = [json.dumps({"lang": lang, "query": p["query"], "key": slugs[p["key"]]},
                            ensure_ascii=False)
                 for p in sorted(items, key=lambda p: p["key"]) if p["query"]]
        (queries / f"queries.{lang}.jsonl").write_text("\n".join(lines) + "\n",
                                                       encoding="utf-8")
    return Counter(p["lang"] for p in pages)


def build(root: Path, out: Path, queries: Path, procs: int, min_bytes: int) -> None:
    """Convert every page (``procs`` processes) and write corpus and queries."""
    found = find_pages(root)
    print(f"{len(found)} pages to convert", flush=True)
    with Pool(procs) as pool:
        converted = [p for p in pool.imap(convert, found, chunksize=8)
                     if p and len(p["body"].encode()) >= min_bytes]
    for page in converted:
        page["key"] = f"{page['section']}/{page['name']}"
    counts = write(converted, out, queries)
    sizes = sorted(len(p["body"].encode()) for p in converted)
    cuts = [sizes[int(q * (len(sizes) - 1))] for q in (0.5, 0.9, 0.99)]
    print(f"{len(converted)} pages written to {out}: {dict(counts.most_common())}")
    print(f"body bytes: median {cuts[0]:,}, p90 {cuts[1]:,}, p99 {cuts[2]:,}, "
          f"max {sizes[-1]:,}; over 10 KB: {sum(s > 10_000 for s in sizes)}, "
          f"over 100 KB: {sum(s > 100_000 for s in sizes)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fetch", type=Path, metavar="DIR",
                        help="apt-get download the packages into DIR, unpack into DIR/root")
    parser.add_argument("--root", type=Path, help="unpacked packages (DIR/root of --fetch)")
    parser.add_argument("--out", type=Path, help="corpus folder to write")
    parser.add_argument("--queries", type=Path, help="folder for queries.<lang>.jsonl")
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--min-bytes", type=int, default=0, metavar="N",
                        help="keep only pages whose body has at least N bytes (long ones)")
    args = parser.parse_args(argv)
    if args.fetch:
        args.root = fetch(args.fetch)
    if args.out:
        if not (args.root and args.queries):
            parser.error("--out needs --root (or --fetch) and --queries")
        build(args.root, args.out, args.queries, args.procs, args.min_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
