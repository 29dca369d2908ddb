#!/usr/bin/env python3
"""Build a real multilingual relevance benchmark from the LibreOffice help.

Why this source: Debian ships the LibreOffice help translated into some 35
languages (packages libreoffice-help-<lang>, Greek and Polish among them).
Every language has the same pages under the same relative path, e.g.
text/swriter/guide/calculate.html, so pages that share a path are
translations of each other.  Each language also has its own human-written
index (the help's "Index" tab, shipped as <lang>/bookmarks.js): keyword ->
page.  Those keywords are what a user types, and their target pages are the
ground truth for known-item queries.

Getting the data: --fetch DIR runs `apt-get download` for the packages (they
are not installed) and unpacks them with `dpkg-deb -x` into DIR/root.  Or
point --help-root at an unpacked or installed help folder
(/usr/share/libreoffice/help).

Output: one Markdown file per page and language, <OUT>/<slug>.<lang>.md,
with TOML front matter (title, translation_key, tags); and per language a
queries.<lang>.jsonl next to OUT (or in --queries DIR).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import subprocess
import sys
import textwrap
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PACKAGE = "libreoffice-help-"
HELP_DIR = Path("usr/share/libreoffice/help")
DEFAULT_LANGS = "en,el,pl,de,fr"
# Package suffixes tried, in order, for an ISO 639-1 code with regional
# variants only: en-us is the source language, pt-br only if there is no pt.
VARIANTS = {"en": ("en-us", "en-gb"), "pt": ("pt", "pt-br"),
            "zh": ("zh-cn", "zh-tw")}
TAG = 'tags = ["libreoffice"]'
SEED = 20240601
BOOKMARK_RE = re.compile(
    r'^\{url:"(?P<url>[^"]*)", app:"(?P<app>[^"]*)", text:"(?P<text>.*)"\},?$')
# Block-level tags: their text becomes its own Markdown paragraph.  "h" is
# a stray tag some pages use in place of a paragraph.
BLOCKS = {"p", "div", "li", "ul", "ol", "table", "pre", "br", "h", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "dd", "dt"}
VOID = {"br", "img", "meta", "input", "link", "hr", "base", "col", "wbr"}
# Variants for other systems (the default variant is kept), and boilerplate.
SKIP_CLASSES = {"MAC", "WIN", "UNIX", "howtogetheader", "relatedtopics",
                "related"}
SKIP_TAGS = {"script", "style", "noscript", "img", "button", "nav", "label"}
# "_" only where it could open or close emphasis (not in MB_OK).
JS_ESCAPE = re.compile(r"\\(.)")  # \\ and \" in bookmarks.js (and a stray \))
INLINE_ESCAPE = re.compile(r"[\\`*\[\]]|_(?![^\W_])|(?<![^\W_])_")
BLOCK_START_ESCAPE = re.compile(r"^(\d+)\.(?=\s|$)|^([#>]|[+-](?=\s|-|$))")


@dataclass(frozen=True)
class Page:
    """One help page in one language, converted."""

    path: str  # relative path without extension, e.g. text/swriter/guide/calculate
    title: str
    markdown: str


@dataclass(frozen=True)
class Source:
    """Where one language's help lives and which ISO code it gets."""

    lang: str  # ISO 639-1, e.g. "en"
    package: str  # e.g. "libreoffice-help-en-us"
    folder: Path  # e.g. .../help/en-US


# ---------------------------------------------------------------- fetching

def package_suffix(lang: str, available: set[str]) -> str | None:
    """The package suffix for a language code, preferring the main variant.

    A code may also be a suffix itself (pt-br), to ask for that variant.
    """
    for suffix in VARIANTS.get(lang, ()) + (lang,):
        if suffix in available:
            return suffix
    return None


def apt_suffixes() -> set[str]:
    """Help package suffixes that apt knows about (from the local cache)."""
    out = subprocess.run(["apt-cache", "pkgnames", PACKAGE], check=True,
                         capture_output=True, text=True).stdout
    return {name[len(PACKAGE):] for name in out.split()} - {"common"}


def fetch(folder: Path, langs: list[str]) -> Path:
    """Download (not install) the help packages and unpack them.

    Already downloaded .deb files are reused, so a second run is offline.
    Returns the unpacked help root.
    """
    folder.mkdir(parents=True, exist_ok=True)
    available = apt_suffixes()
    packages = []
    for lang in langs:
        suffix = package_suffix(lang, available)
        if suffix is None:
            sys.exit(f"no {PACKAGE}* package for {lang!r}; known: "
                     f"{', '.join(sorted(available))}")
        packages.append(PACKAGE + suffix)
    missing = [p for p in packages if not list(folder.glob(f"{p}_*.deb"))]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=folder, check=True)
    root = folder / "root"
    for package in packages:
        for deb in sorted(folder.glob(f"{package}_*.deb")):
            print(f"unpacking {deb.name}", file=sys.stderr)
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root / HELP_DIR


def sources(help_root: Path, langs: list[str]) -> list[Source]:
    """Map each requested language to its folder under the help root."""
    folders = {p.name.lower(): p for p in help_root.iterdir()
               if (p / "text").is_dir()}
    found = []
    for lang in langs:
        suffix = package_suffix(lang, set(folders))
        if suffix is None:
            sys.exit(f"no help for {lang!r} under {help_root}; found: "
                     f"{', '.join(sorted(folders))}")
        found.append(Source(lang.split("-")[0], PACKAGE + suffix,
                            folders[suffix]))
    codes = Counter(s.lang for s in found)
    if any(n > 1 for n in codes.values()):
        sys.exit(f"two variants map to one language code: {dict(codes)}")
    return found


# ----------------------------------------------------------------- parsing

def escape_inline(text: str) -> str:
    """Backslash the characters that Markdown would read as emphasis, code
    or links, so that formulas such as =A1*B1*2 stay text."""
    return INLINE_ESCAPE.sub(lambda m: "\\" + m[0], text)


def escape_block_start(text: str) -> str:
    """Keep a paragraph that starts like a list, heading or quote a
    paragraph: '1. ' becomes '1\\. ', '- ' becomes '\\- ', and so on."""
    return BLOCK_START_ESCAPE.sub(
        lambda m: f"{m[1]}\\." if m[1] else f"\\{m[2]}", text, count=1)


class HelpPageParser(HTMLParser):
    """Collect the title and the text of the DisplayArea of one help page.

    Why a parser of our own: the pages are generated by LibreOffice's XSLT,
    with a fixed frame (header, index, contents, debug footer) around
    <div id="DisplayArea">; only that div is the page, and inside it only
    a few things are boilerplate (variants for other systems, the "To access
    this command" header, the "Related topics" link lists).  Older pages
    write "Related topics" as a paragraph followed by one link a paragraph,
    and some go on with real text after that list: so after that paragraph,
    paragraphs made only of links are dropped until one with other text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title_parts: list[str] = []
        self.in_title = False
        self.depth = 0  # div depth inside DisplayArea; 0 = outside
        self.links_only = False  # in a "Related topics" list of links
        self.links: list[bool] = []  # open <a> tags: has href?
        self.block_has_text = False  # text outside links in the block
        self.skip: tuple[str, int] | None = None  # (tag, nesting) skipped
        self.blocks: list[str] = []
        self.buf: list[str] = []
        self.prefix = ""
        self.row: list[str] | None = None
        self.pre = False

    # -- tags
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        if not self.depth:
            if tag == "div" and attrs.get("id") == "DisplayArea":
                self.depth = 1
            return
        if tag == "div":
            self.depth += 1
        if self.skip:
            if tag == self.skip[0] and tag not in VOID:
                self.skip = (tag, self.skip[1] + 1)
            return
        classes = set((attrs.get("class") or "").split())
        if "related" in classes:
            self.flush()
            self.links_only = True
        if tag == "a":
            self.links.append("href" in attrs)
        if tag in SKIP_TAGS or classes & SKIP_CLASSES:
            if tag not in VOID:
                self.skip = (tag, 1)
            return
        self.block_start(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
            if not self.depth:
                self.flush()
                return
        if self.skip:
            if tag == self.skip[0]:
                count = self.skip[1] - 1
                self.skip = (tag, count) if count else None
            return
        if tag == "a" and self.links:
            self.links.pop()
        self.block_end(tag)

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if self.depth and not self.skip:
            self.buf.append(data if self.pre else escape_inline(data))
            if data.strip() and not any(self.links):
                self.block_has_text = True

    # -- blocks
    def block_start(self, tag: str) -> None:
        """Open a paragraph, heading, list item, table row or code block."""
        if self.pre:
            return
        if tag == "tr":
            self.flush()
            self.row = []
        elif tag in ("td", "th"):
            self.end_cell()
        elif tag in BLOCKS:
            if self.row is not None:
                self.buf.append(" ")
                return
            self.flush()
            if tag == "li":
                self.prefix = "- "
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.prefix = "#" * int(tag[1]) + " "
            elif tag == "pre":
                self.pre = True

    def block_end(self, tag: str) -> None:
        """Close what block_start opened."""
        if tag == "pre" and self.pre:
            self.pre = False
            code = textwrap.dedent("".join(self.buf).expandtabs(4)).strip("\n")
            self.buf = []
            lines = [line.rstrip() for line in code.splitlines()]
            self.block_has_text = self.links_only = False
            if any(lines):
                self.blocks.append("\n".join(f"    {l}" if l else "" for l in lines))
        elif self.pre:
            return
        elif tag == "tr" and self.row is not None:
            self.end_cell()
            if self.row:
                self.links_only = False
                self.blocks.append(escape_block_start(" | ".join(self.row)))
            self.row = None
        elif tag in ("td", "th"):
            self.end_cell()
        elif tag in BLOCKS and self.row is None:
            self.flush()

    def end_cell(self) -> None:
        """Move the text gathered so far into the current table row."""
        text = " ".join("".join(self.buf).split())
        self.buf = []
        self.block_has_text = False
        if text and self.row is not None:
            self.row.append(text)

    def flush(self) -> None:
        """Emit the gathered inline text as one Markdown block."""
        text = " ".join("".join(self.buf).split())
        self.buf = []
        has_text, self.block_has_text = self.block_has_text, False
        if not text:
            return
        if self.links_only and not has_text:
            self.prefix = ""
            return  # one more link of a "Related topics" list
        self.links_only = False
        if self.row is not None:  # text in a row outside any cell
            self.row.append(text)
            return
        if self.prefix == "# " and not any(b.startswith("# ") for b in self.blocks) \
                and text == escape_inline(self.title):
            self.prefix = ""  # the first heading repeats the title
            return
        prefix = self.prefix
        self.prefix = ""
        self.blocks.append(prefix + (text if prefix.startswith("#")
                                     else escape_block_start(text)))

    @property
    def title(self) -> str:
        return " ".join("".join(self.title_parts).split())


def parse_page(source: str) -> tuple[str, str]:
    """(title, Markdown body) of one help page's HTML."""
    parser = HelpPageParser()
    parser.feed(source)
    parser.close()
    parser.flush()
    title = parser.title
    if not title:  # fall back on the first heading
        heading = next((b for b in parser.blocks if b.startswith("#")), "")
        title = heading.lstrip("# ").replace("\\", "")
    return title, "\n\n".join(parser.blocks)


def read_pages(folder: Path) -> dict[str, Page]:
    """Every page with a body under <lang folder>/text, keyed by path."""
    pages = {}
    for file in sorted(folder.glob("text/**/*.html")):
        path = file.relative_to(folder).with_suffix("").as_posix()
        title, body = parse_page(file.read_text(encoding="utf-8"))
        if body.strip():
            pages[path] = Page(path, title, body)
    return pages


def read_bookmarks(folder: Path) -> list[tuple[str, str]]:
    """(index keyword, page path) pairs of one language's help index.

    bookmarks.js holds one JavaScript object per line; its text is a JS
    string (backslash escapes) holding HTML entities (&#34;).  A
    sub-entry is written "main -- sub".
    """
    pairs = []
    for line in (folder / "bookmarks.js").read_text(encoding="utf-8").splitlines():
        match = BOOKMARK_RE.match(line.strip())
        if not match:
            continue
        text = html.unescape(JS_ESCAPE.sub(r"\1", match["text"]))
        url = match["url"].split("?")[0].split("#")[0]
        path = url.split("/", 1)[1].rsplit(".", 1)[0]  # drop "<lang>/" and .html
        pairs.append((text, path))
    return pairs


# ---------------------------------------------------------------- building

def slugify(path: str) -> str:
    """A file-name-safe key for a page path: text/swriter/guide/calculate
    becomes swriter-guide-calculate (every path starts with text/)."""
    path = path.removeprefix("text/").lower()
    return re.sub(r"[^a-z0-9]+", "-", path).strip("-")


def keys_for(paths: set[str]) -> dict[str, str]:
    """Translation key (also the slug) per path, unique over all paths.

    Two paths that differ only in case or punctuation would meet on one
    slug: both then get a short hash of the path appended.
    """
    by_slug = defaultdict(list)
    for path in sorted(paths):
        by_slug[slugify(path)].append(path)
    keys = {}
    for slug, group in by_slug.items():
        for path in group:
            suffix = hashlib.sha1(path.encode()).hexdigest()[:6]
            keys[path] = slug if len(group) == 1 else f"{slug}-{suffix}"
    return keys


def english_share(page: Page, english: Page | None) -> float:
    """Share of a page's text (in characters) that is paragraphs copied
    verbatim from the English page.

    Why: an untranslated string falls back to English in the help build, so
    some pages (many in Polish) are mostly English under another language's
    name; --max-english drops them for a cleaner per-language benchmark.
    """
    if english is None:
        return 0.0
    source = set(english.markdown.split("\n\n"))
    blocks = page.markdown.split("\n\n")
    total = sum(len(b) for b in blocks)
    return sum(len(b) for b in blocks if b in source) / total if total else 0.0


def drop_untranslated(pages: dict[str, dict[str, Page]],
                      limit: float) -> None:
    """Remove the non-English pages whose english_share is above limit."""
    if "en" not in pages:
        sys.exit("--max-english needs en among --langs")
    for lang, by_path in pages.items():
        if lang == "en":
            continue
        drop = [path for path, page in by_path.items()
                if english_share(page, pages["en"].get(path)) > limit]
        for path in drop:
            del by_path[path]
        print(f"{lang}: dropped {len(drop)} pages more than {limit:.0%} English",
              file=sys.stderr)


def choose_paths(pages: dict[str, dict[str, Page]], limit: int | None) -> list[str]:
    """The page paths to write: all, or a deterministic subset.

    The subset prefers paths present in the most languages (so it keeps
    translation pairs), and among those takes a fixed pseudo-random order
    (hash of the path), so that every module of the help is represented.
    """
    counts = Counter(path for by_path in pages.values() for path in by_path)
    order = sorted(counts, key=lambda p: (-counts[p],
                                          hashlib.sha1(p.encode()).hexdigest()))
    return sorted(order if limit is None else order[:limit])


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping fits TOML once control
    characters (which TOML forbids raw and JSON leaves as DEL) are gone."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return json.dumps(text, ensure_ascii=False)


def render(page: Page, key: str) -> str:
    """The corpus file for one page."""
    return (f"+++\ntitle = {toml_string(page.title or key)}\n"
            f"translation_key = {toml_string(key)}\n{TAG}\n+++\n\n"
            f"{page.markdown}\n")


def check_file(path: Path, key: str) -> None:
    """Re-read a written file: its front matter must parse with tomllib."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("+++", 1)
    meta = tomllib.loads("\n".join(lines[1:end]))
    if meta.get("translation_key") != key or not meta.get("title"):
        raise SystemExit(f"{path}: front matter does not round-trip: {meta}")
    if not "\n".join(lines[end + 1:]).strip():
        raise SystemExit(f"{path}: empty body")


def write_corpus(out: Path, pages: dict[str, dict[str, Page]],
                 paths: list[str], keys: dict[str, str]) -> dict[str, dict[str, str]]:
    """Write the files; return {lang: {path: file name}} of what was written.

    Files left from an earlier run (with our tag line) that this run did
    not write are removed, so that a smaller --limit-pages shrinks the corpus.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, str]] = defaultdict(dict)
    for lang, by_path in pages.items():
        for path in paths:
            if path in by_path:
                name = f"{keys[path]}.{lang}.md"
                (out / name).write_text(render(by_path[path], keys[path]),
                                        encoding="utf-8")
                check_file(out / name, keys[path])
                written[lang][path] = name
    names = {n for files in written.values() for n in files.values()}
    for stale in out.glob("*.md"):
        if stale.name not in names and TAG in stale.read_text(encoding="utf-8"):
            stale.unlink()
    return written


def make_queries(bookmarks: list[tuple[str, str]], files: dict[str, str],
                 keys: dict[str, str], lang: str, count: int) -> list[dict]:
    """Known-item queries from one language's help index.

    A query is an index keyword, "main -- sub" read as "main sub".  Keywords
    that differ only in case are one query; its targets are every written
    page the keyword points to.  A fixed seed picks `count` of them (0: all).
    """
    targets: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, tuple[str, str]] = {}
    for entry, path in bookmarks:
        if path not in files:
            continue
        entry = " ".join(entry.split())
        query = entry.replace(" -- ", " ")
        if not query.strip("-"):
            continue
        fold = query.casefold()
        targets[fold].add(path)
        shown[fold] = min(shown.get(fold, (query, entry)), (query, entry))
    folds = sorted(targets)
    if count and count < len(folds):
        folds = sorted(random.Random(f"{SEED}-{lang}").sample(folds, count))
    rows = []
    for fold in folds:
        query, entry = shown[fold]
        hits = sorted(targets[fold])
        row = {"lang": lang, "query": query, "entry": entry}
        if len(hits) == 1:
            row |= {"key": keys[hits[0]], "file": files[hits[0]]}
        else:
            row |= {"keys": [keys[p] for p in hits],
                    "files": [files[p] for p in hits]}
        rows.append(row)
    return rows


def write_queries(folder: Path, lang: str, rows: list[dict]) -> Path:
    """queries.<lang>.jsonl, one JSON object per line."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"queries.{lang}.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return target


# ------------------------------------------------------------------ stats

def stats(out: Path, queries: Path) -> None:
    """Print files per language, keys in every language, queries per language."""
    by_lang: dict[str, set[str]] = defaultdict(set)
    for file in out.glob("*.md"):
        slug, _, lang = file.name.removesuffix(".md").rpartition(".")
        by_lang[lang].add(slug)
    if not by_lang:
        sys.exit(f"no corpus files in {out}")
    langs = sorted(by_lang)
    everywhere = set.intersection(*by_lang.values())
    print(f"{'lang':<6}{'pages':>8}{'queries':>9}{'multi-target':>14}")
    for lang in langs:
        file = queries / f"queries.{lang}.jsonl"
        rows = [json.loads(l) for l in file.open(encoding="utf-8")] \
            if file.exists() else []
        multi = sum("keys" in r for r in rows)
        print(f"{lang:<6}{len(by_lang[lang]):>8}{len(rows):>9}{multi:>14}")
    total = sum(len(s) for s in by_lang.values())
    print(f"total files {total}; pages in all {len(langs)} languages: "
          f"{len(everywhere)}")


# -------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetch", type=Path, metavar="DIR",
                        help="apt-get download the help packages into DIR and "
                             "unpack them into DIR/root")
    parser.add_argument("--help-root", type=Path, metavar="DIR",
                        help="an unpacked help folder (default with --fetch: "
                             "DIR/root/usr/share/libreoffice/help)")
    parser.add_argument("--langs", default=DEFAULT_LANGS,
                        help=f"comma-separated ISO codes (default {DEFAULT_LANGS}); "
                             "a package suffix such as pt-br picks that variant")
    parser.add_argument("--out", type=Path, help="corpus folder to write")
    parser.add_argument("--queries", type=Path, metavar="DIR",
                        help="where queries.<lang>.jsonl go (default: OUT/..)")
    parser.add_argument("--limit-pages", type=int, metavar="N",
                        help="keep N page paths, chosen deterministically")
    parser.add_argument("--queries-per-lang", type=int, default=1000, metavar="N",
                        help="sample N index keywords per language (0: all; "
                             "default 1000)")
    parser.add_argument("--max-english", type=float, metavar="F",
                        help="drop non-English pages whose text is more than "
                             "F (0-1) paragraphs left in English (default: keep)")
    parser.add_argument("--stats", action="store_true",
                        help="print pages and queries per language of OUT")
    args = parser.parse_args(argv)
    langs = [l.strip().lower() for l in args.langs.split(",") if l.strip()]
    queries = args.queries or (args.out.resolve().parent if args.out else None)

    help_root = args.help_root
    if args.fetch:
        root = fetch(args.fetch, langs)
        help_root = help_root or root
    if args.out and help_root:
        build(help_root, langs, args.out, queries, args.limit_pages,
              args.queries_per_lang, args.max_english)
    elif not args.stats:
        parser.error("give --out with --fetch or --help-root (or --stats)")
    if args.stats:
        if not args.out:
            parser.error("--stats needs --out")
        stats(args.out, queries)


def build(help_root: Path, langs: list[str], out: Path, queries: Path,
          limit: int | None, per_lang: int,
          max_english: float | None = None) -> None:
    """Read every chosen language, write the corpus and the queries."""
    found = sources(help_root, langs)
    pages = {}
    for source in found:
        pages[source.lang] = read_pages(source.folder)
        print(f"{source.lang}: {len(pages[source.lang])} pages with text "
              f"({source.package}, {source.folder.name})", file=sys.stderr)
    if max_english is not None:
        drop_untranslated(pages, max_english)
    keys = keys_for({p for by_path in pages.values() for p in by_path})
    paths = choose_paths(pages, limit)
    written = write_corpus(out, pages, paths, keys)
    for source in found:
        rows = make_queries(read_bookmarks(source.folder), written[source.lang],
                            keys, source.lang, per_lang)
        target = write_queries(queries, source.lang, rows)
        print(f"{source.lang}: {len(rows)} queries -> {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
