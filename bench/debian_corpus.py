#!/usr/bin/env python3
"""Build a real multilingual benchmark corpus from Debian's translated
package descriptions (DDTP "Translation-xx" index files).

Why this source: the Debian Description Translation Project translates
package descriptions, and every translation carries the md5 of the English
description it translates.  That md5 groups the English, Polish, German, ...
versions of one description, which gives a corpus of real text with known
translation pairs, licensed like Debian's own descriptions (see README.md).

Getting the data: apt downloads the Translation files when asked for the
languages; as root, either run this script with --fetch, or run

    apt-get update -o Acquire::Languages=en,el,pl,de,fr \\
        -o Acquire::IndexTargets::deb::Translations::KeepCompressedAs=gz

The files land in /var/lib/apt/lists (*_i18n_Translation-xx[.gz|.lz4|...]).
A later plain 'apt-get update' (on a system configured with
Acquire::Languages "none") deletes them again; --lists DIR keeps them in a
private directory instead.

Output: one Markdown file per (package, language), <OUT>/<slug>.<lang>.md,
with TOML front matter (title, translation_key = Description-md5, tags).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import lzma
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LISTS = Path("/var/lib/apt/lists")
DEFAULT_LANGS = "en,el,pl,de,fr"
# Keep the Translation files gzip-compressed instead of apt's default lz4,
# so that the standard library can read them.
KEEP_GZ = "Acquire::IndexTargets::deb::Translations::KeepCompressedAs=gz"
TRANSLATION_RE = re.compile(
    r"_i18n_Translation-(?P<lang>[A-Za-z_]+)(?:\.(?P<ext>[a-z0-9]+))?$")
BULLET_RE = re.compile(r"^[*+•-]\s+")
OPENERS = {"gz": gzip.open, "xz": lzma.open, "lzma": lzma.open,
           "bz2": bz2.open, None: open}
APT_HELPER = "/usr/lib/apt/apt-helper"


@dataclass(frozen=True)
class Description:
    """One translated description, as one Translation file stanza gives it."""

    package: str
    md5: str
    lang: str
    short: str
    long: tuple[str, ...]  # continuation lines, first space removed


@dataclass(frozen=True)
class Group:
    """One statement: the translations of one English description."""

    package: str  # the package whose name the files carry
    by_lang: dict[str, Description]


# ---------------------------------------------------------------- fetching

def fetch_command(langs: list[str], lists: Path) -> list[str]:
    """The apt-get update that downloads the Translation files.

    Languages are set on the command line because Debian container images
    set Acquire::Languages "none"; apt only fetches what it is asked for and
    skips files that did not change, so running it again is cheap."""
    cmd = ["apt-get", "update", "-o", "Acquire::Languages=" + ",".join(langs),
           "-o", KEEP_GZ]
    if lists != DEFAULT_LISTS:
        cmd += ["-o", f"Dir::State::Lists={lists}"]
    return cmd


def fetch(langs: list[str], lists: Path) -> None:
    """Run the apt-get update (needs root); English is always included
    because it is the pivot every translation group refers to."""
    wanted = ["en"] + [lang for lang in langs if lang != "en"]
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    cmd = fetch_command(wanted, lists)
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


# ----------------------------------------------------------------- reading

def translation_files(lists: Path) -> dict[str, list[Path]]:
    """Map each language code to its Translation files (all suites).

    apt quotes '_' as '%5f' in file names (Translation-pt%5fBR)."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(lists.iterdir()):
        match = TRANSLATION_RE.search(urllib.parse.unquote(path.name))
        if match and path.is_file():
            found[match["lang"]].append(path)
    return found


def read_text(path: Path) -> str:
    """Decompress whatever format apt stored: stdlib codecs first; lz4 and
    zstd (apt's own defaults) through apt-helper, which ships with apt."""
    ext = TRANSLATION_RE.search(urllib.parse.unquote(path.name))["ext"]
    if ext in OPENERS:
        with OPENERS[ext](path, "rt", encoding="utf-8") as handle:
            return handle.read()
    if not shutil.which(APT_HELPER):
        raise SystemExit(f"cannot decompress {path.name}: no {APT_HELPER}; "
                         f"re-fetch with -o {KEEP_GZ}")
    out = subprocess.run([APT_HELPER, "cat-file", str(path)], check=True,
                         capture_output=True)
    return out.stdout.decode("utf-8")


def stanzas(text: str):
    """Yield deb822 stanzas as {field: [first line, continuation, ...]}."""
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        name = None
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and name:
                fields[name].append(line[1:])
            elif ":" in line:
                name, value = line.split(":", 1)
                fields[name] = [value.strip()]
        if fields:
            yield fields


def parse_translations(text: str, lang: str):
    """Yield the Descriptions of one Translation-xx file's text."""
    for fields in stanzas(text):
        key = next((k for k in fields if k.startswith("Description-")
                    and k != "Description-md5"), None)
        if not key or "Package" not in fields or "Description-md5" not in fields:
            continue
        lines = fields[key]
        yield Description(fields["Package"][0], fields["Description-md5"][0],
                          lang, lines[0], tuple(lines[1:]))


def read_descriptions(lists: Path, langs: list[str]) -> list[Description]:
    """All descriptions of the wanted languages, over every suite found."""
    files = translation_files(lists)
    missing = [lang for lang in langs if lang not in files]
    if missing:
        print(f"warning: no Translation files for {','.join(missing)} in "
              f"{lists}; run with --fetch", file=sys.stderr)
    out = []
    for lang in langs:
        for path in files.get(lang, []):
            out.extend(parse_translations(read_text(path), output_lang(lang)))
    return out


# --------------------------------------------------------------- grouping

def output_lang(code: str) -> str:
    """Debian's code as used in file names: 'pt_BR' -> 'pt-br'."""
    return code.lower().replace("_", "-")


def group_by_md5(descs: list[Description]) -> dict[str, Group]:
    """Group translations of one English description by its md5.

    Several packages can share one description (one md5); one package is
    picked per md5 (the one listed in most languages, then by name) so that
    each group is one statement and (slug, lang) pairs stay unique.  Empty
    long descriptions are dropped: there is no body to index."""
    by_md5: dict[str, list[Description]] = defaultdict(list)
    for desc in descs:
        if body_markdown(desc.long).strip():
            by_md5[desc.md5].append(desc)
    groups = {}
    for md5, items in by_md5.items():
        reach = Counter(pkg for pkg, _ in {(d.package, d.lang) for d in items})
        package = min(reach, key=lambda p: (-reach[p], p))
        by_lang: dict[str, Description] = {}
        for desc in sorted(items, key=lambda d: (d.package != package, d.package)):
            by_lang.setdefault(desc.lang, desc)
        groups[md5] = Group(package, by_lang)
    return groups


def select_groups(groups: dict[str, Group], limit: int | None,
                  min_langs: int, any_of: list[str]) -> list[str]:
    """Pick md5s deterministically: groups with the most languages first,
    then groups holding a rarer language (so a small corpus still has Greek
    and Polish), then by md5."""
    keep = [md5 for md5, g in groups.items() if len(g.by_lang) >= min_langs
            and (not any_of or set(any_of) & set(g.by_lang))]
    size = Counter(lang for g in groups.values() for lang in g.by_lang)

    def rank(md5: str) -> tuple:
        langs = groups[md5].by_lang
        return (-len(langs), min(size[lang] for lang in langs), md5)

    keep.sort(key=rank)
    return sorted(keep[:limit] if limit is not None else keep)


# ---------------------------------------------------------------- writing

def slugify(package: str) -> str:
    """File-name-safe package name: lowercase, [a-z0-9-] only."""
    slug = package.lower().replace("+", "-plus").replace(".", "-")
    slug = re.sub(r"[^a-z0-9-]+", "-", slug)
    return re.sub(r"-{2,}", "-", slug).strip("-") or "package"


def assign_slugs(groups, md5s: list[str]) -> dict[str, str]:
    """One slug per group; a clash (e.g. 'a.b' and 'a-b', or one package in
    two suites with different descriptions) gets an md5 suffix."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for md5 in md5s:
        slug = slugify(groups[md5].package)
        if slug in used:
            slug = f"{slug}-{md5[:8]}"
        used.add(slug)
        slugs[md5] = slug
    return slugs


def toml_string(text: str) -> str:
    """A TOML basic string.  JSON's escapes are all valid TOML escapes;
    ensure_ascii=False avoids surrogate pairs (invalid in TOML) and DEL,
    which JSON leaves raw but TOML forbids, is escaped by hand."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def body_markdown(lines: tuple[str, ...]) -> str:
    """Long description as Markdown paragraphs.

    ' .' separates paragraphs; wrapped lines are joined.  A line starting
    with a bullet ('*', '-', '+'; not 'o', a word in Polish and Italian)
    starts a list item, and the lines after it continue the item; other
    indented (verbatim) lines keep their own line.  A line that is just
    '+++' is escaped so that it cannot be taken for front matter."""
    paragraphs, current = [], []
    for line in lines + (".",):
        text = line.strip()
        if text == ".":
            if current:
                paragraphs.append("\n".join(current))
            current = []
        elif BULLET_RE.match(text):
            if current and not current[-1].startswith("- "):
                current.append("")  # Python-Markdown needs a blank line
            current.append(BULLET_RE.sub("- ", text))
        elif text:
            wrapped = not line[:1].isspace()  # verbatim lines are indented
            if current and (wrapped or current[-1].startswith("- ")):
                current[-1] += " " + text
            else:
                current.append(text)
    body = "\n\n".join(paragraphs)
    return re.sub(r"(?m)^\+\+\+$", r"\\+++", body)


def render(desc: Description) -> str:
    """The file text: TOML front matter between '+++' lines, then the body."""
    return (f"+++\ntitle = {toml_string(desc.short)}\n"
            f"translation_key = {toml_string(desc.md5)}\n"
            f'tags = ["debian"]\n+++\n\n{body_markdown(desc.long)}\n')


def check_front_matter(text: str, desc: Description) -> None:
    """Fail loudly if a file's front matter is not the TOML we meant."""
    _, front, _ = text.split("+++\n", 2)
    meta = tomllib.loads(front)
    if meta["title"] != desc.short or meta["translation_key"] != desc.md5:
        raise ValueError(f"front matter round trip failed: {desc.package}")


def write_corpus(out: Path, groups, md5s: list[str]) -> Counter:
    """Write the selected groups; returns files written per language."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.glob("*.md")):
        raise SystemExit(f"{out} already holds .md files; use an empty dir")
    slugs = assign_slugs(groups, md5s)
    per_lang: Counter = Counter()
    for md5 in md5s:
        for lang, desc in sorted(groups[md5].by_lang.items()):
            text = render(desc)
            check_front_matter(text, desc)
            (out / f"{slugs[md5]}.{lang}.md").write_text(text, encoding="utf-8")
            per_lang[lang] += 1
    return per_lang


# -------------------------------------------------------------------- CLI

def print_stats(lists: Path) -> None:
    """Descriptions per language in every Translation file found."""
    for lang, paths in sorted(translation_files(lists).items()):
        count = sum(1 for p in paths
                    for _ in parse_translations(read_text(p), lang))
        print(f"{lang:8} {count:7} descriptions in {len(paths)} file(s)")


def parse_args(argv=None) -> argparse.Namespace:
    """Command line; --help shows the apt-get command behind --fetch."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The fetch step runs, as root:  " + " ".join(
            fetch_command(DEFAULT_LANGS.split(","), DEFAULT_LISTS)),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="output directory (empty)")
    parser.add_argument("--langs", default=DEFAULT_LANGS,
                        help="Debian language codes, comma-separated, or "
                             f"'all' (default {DEFAULT_LANGS})")
    parser.add_argument("--limit", type=int,
                        help="max statements (translation groups)")
    parser.add_argument("--min-langs", type=int, default=1,
                        help="keep groups with at least K languages")
    parser.add_argument("--any-of", default="",
                        help="keep groups having one of these languages, "
                             "e.g. el,pl")
    parser.add_argument("--fetch", action="store_true",
                        help="first run apt-get update for --langs (root)")
    parser.add_argument("--stats", action="store_true",
                        help="print descriptions per language and exit")
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS,
                        help=f"apt lists directory (default {DEFAULT_LISTS})")
    args = parser.parse_args(argv)
    if not (args.out or args.fetch or args.stats):
        parser.error("give --out, --fetch or --stats")
    return args


def main(argv=None) -> int:
    """Fetch and/or build, then print a summary."""
    args = parse_args(argv)
    if args.langs == "all":
        langs = sorted(translation_files(args.lists))
    else:
        langs = [code.strip() for code in args.langs.split(",") if code.strip()]
    if args.fetch:
        fetch(langs, args.lists)
    if args.stats:
        print_stats(args.lists)
        return 0
    if not args.out:
        return 0
    groups = group_by_md5(read_descriptions(args.lists, langs))
    any_of = [output_lang(c) for c in args.any_of.split(",") if c.strip()]
    md5s = select_groups(groups, args.limit, args.min_langs, any_of)
    per_lang = write_corpus(args.out, groups, md5s)
    print(f"statements: {len(md5s)}  files: {sum(per_lang.values())}  "
          f"-> {args.out}")
    for lang, count in sorted(per_lang.items(), key=lambda kv: -kv[1]):
        print(f"  {lang:6} {count:7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
