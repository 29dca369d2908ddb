"""``python -m indexer import wordpress|wp-json|html``: read, name, write, report."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..corpus import corpus_files, read_document
from ..errors import CorpusError
from .naming import Named, name_posts
from .records import Post, Skipped
from .writer import Plan, apply, plan

SOURCES = {"wordpress": "a WordPress export", "wp-json": "a WordPress site",
           "html": "saved pages"}


def run(args) -> int:
    """Import from the source ``args.source`` names; 0 done, 1 when a post could not be written.

    :raise ImportFailed: the source could not be read; nothing was written.
    """
    posts, skipped, site_lang, notes = _read(args)
    named, unnamed = name_posts(posts, args.lang, site_lang)
    result = plan(args.corpus, named, force=args.force)
    if not args.dry_run:
        apply(result)
    _report(args, result, skipped + unnamed, notes, len(posts) + len(skipped))
    _proposals(result, named)
    return 1 if result.problems else 0


def _read(args) -> tuple[list[Post], list[Skipped], str | None, list[str]]:
    categories = set(getattr(args, "category", [])) or None
    if args.source == "wordpress":
        from .wordpress import read_export

        export = read_export(args.export, categories, args.pages)
        names = {"attachment": "attachments", "nav_menu_item": "menu items",
                 "page": "pages (--pages imports them)"}
        notes = [f"{n} {names.get(kind, kind + ' items')}"
                 for kind, n in sorted(export.not_statements.items())]
        if export.other_categories:
            notes.append(f"{export.other_categories} of other categories")
        return export.posts, export.skipped, export.site_language, notes
    if args.source == "wp-json":
        from .wp_json import read_site

        site = read_site(args.url, categories, args.pages, timeout=args.timeout)
        return site.posts, site.skipped, None, site.notes
    from .saved_pages import read_pages

    posts, skipped = read_pages(args.paths)
    return posts, skipped, None, []


def _report(args, result: Plan, skipped: list[Skipped], notes: list[str], read: int) -> None:
    """One line per file written, kept or left out; a summary last."""
    out = sys.stdout
    words = (("to add", "to change", "to remove") if args.dry_run else
             ("added", "changed", "removed"))
    for word, changes in zip(words, (result.added, result.changed, result.removed)):
        for change in changes:
            how = (f" [{change.imported.lang}: {change.imported.lang_from}]"
                   if change.imported else "")
            why = f": {change.why}" if change.why else ""
            print(f"  {word:9} {change.file}  {change.label}{how}{why}", file=out)
    for change in result.kept:
        print(f"  kept      {change.file}  {change.label}: {change.why}; --force replaces it",
              file=out)
    for item in skipped:
        print(f"  left out  {item.label}: {item.reason}", file=out)
    for item in result.problems:
        print(f"  problem   {item.label}: {item.reason}", file=out)
    source = {"wordpress": "export", "wp-json": "url", "html": "paths"}[args.source]
    where = getattr(args, source)
    where = ", ".join(map(str, where)) if isinstance(where, list) else where
    counts = (f"{len(result.added)} added, {len(result.changed)} changed, "
              f"{len(result.unchanged)} unchanged, {len(result.kept)} kept as edited, "
              f"{len(skipped)} left out")
    if result.removed:
        counts += f", {len(result.removed)} old files removed"
    if result.problems:
        counts += f", {len(result.problems)} problems"
    also = f" (not imported: {', '.join(notes)})" if notes else ""
    tail = "; dry run, nothing was written" if args.dry_run else ""
    noun = "pages" if args.source == "html" else "posts"
    print(f"import {args.source}: {read} {noun} read from {where}{also}; {counts} -> "
          f"{args.corpus}{tail}", file=out)


def _proposals(result: Plan, named: list[Named]) -> None:
    """Translation proposals (as ``indexer translations`` makes them) for imported files without a group."""
    ungrouped = {n.file for n in named if not n.post.group}
    written = {c.file: c.text for c in result.writes + result.unchanged + result.kept
               if c.file in ungrouped}
    if not written:
        return
    from ..proposals import propose

    with tempfile.TemporaryDirectory(prefix="import-proposals-") as folder:
        documents = []
        for name, text in written.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        paths = [Path(folder) / name for name in written]
        if result.corpus.is_dir():
            paths += [p for p in corpus_files(result.corpus) if p.name not in written]
        for path in paths:
            try:
                documents.append(read_document(path))
            except CorpusError:
                continue
        found = [p for p in propose(documents, corpus_dir=result.corpus)
                 if {p.pair.a.doc.file, p.pair.b.doc.file} & ungrouped]
    if found:
        print(f"translation proposals for the imported files that the site does not link "
              f"(as python -m indexer translations gives them; no file was changed):")
        for proposal in found:
            print(f"  {proposal.to_line()}")
