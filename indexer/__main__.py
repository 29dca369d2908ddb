"""Command line of the indexer: ``python -m indexer rebuild|update|check|translations|import``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .build import indexed_documents, rebuild, update
from .errors import ImportFailed, IndexerError
from .langcheck import language_warnings
from .validate import load_corpus

DEFAULT_CORPUS = "corpus/statements"
DEFAULT_INDEX = "index"


def parser() -> argparse.ArgumentParser:
    """The argument parser; every subcommand takes --corpus and --index."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", type=Path,
        default=Path(os.environ.get("SEARCH_CORPUS_DIR", DEFAULT_CORPUS)),
        help="folder of <slug>.<lang>.md files (default: $SEARCH_CORPUS_DIR or "
             f"{DEFAULT_CORPUS})")
    common.add_argument(
        "--index", type=Path,
        default=Path(os.environ.get("SEARCH_INDEX_DIR", DEFAULT_INDEX)),
        help=f"index folder (default: $SEARCH_INDEX_DIR or {DEFAULT_INDEX})")
    common.add_argument("--no-langid", action="store_true",
                        help="skip the language-identification warnings")
    common.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes reading files and writing languages' indexes "
                             "(default: 2)")
    top = argparse.ArgumentParser(prog="python -m indexer",
                                  description="Validate the corpus and build the index.")
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("rebuild", parents=[common],
                        help="validate every file, then build a new index")
    commands.add_parser("update", parents=[common],
                        help="index only added, changed and removed files")
    commands.add_parser("check", parents=[common],
                        help="validate every file without building")
    pairs = commands.add_parser(
        "translations", parents=[common],
        help="propose translation pairs among files that share no key (changes no file)",
        description="Propose likely translation pairs among files of different "
                    "statements and languages, best first, with the evidence and the "
                    "translation_key line that would link them.  No file is changed.")
    pairs.add_argument("--min-confidence", type=_confidence, default=0.5,
                       metavar="P", help="propose pairs of at least this confidence, "
                                         "between 0 and 1 (default: 0.5)")
    pairs.add_argument("--json", action="store_true",
                       help="print a JSON array of proposals instead of lines")
    _import_parser(commands, common)
    return top


def _import_parser(commands, common) -> None:
    """``import wordpress EXPORT.xml``, ``import wp-json URL``, ``import html FILE_OR_DIR...``."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--dry-run", action="store_true",
                         help="report what the import would do; write nothing")
    options.add_argument("--force", action="store_true",
                         help="replace files edited by hand since an import wrote them")
    options.add_argument("--update", action="store_true",
                         help="then index the result, as python -m indexer update")
    options.add_argument("--lang", metavar="CODE",
                         help="the language of every statement whose source does not "
                              "declare one (default: identify it from the text)")
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--category", action="append", default=[], metavar="SLUG",
                      help="import only posts of this category (slug or name; repeatable)")
    site.add_argument("--pages", action="store_true", help="import published pages too")
    imports = commands.add_parser(
        "import", help="import statements from a WordPress export or site, or saved pages",
        description="Write statements into the corpus folder as <slug>.<lang>.md files. "
                    "A second run changes nothing; a file edited by hand is never "
                    "replaced without --force.")
    sources = imports.add_subparsers(dest="source", required=True)
    wxr = sources.add_parser("wordpress", parents=[common, options, site],
                             help="a WordPress export (Tools > Export), WXR 1.0-1.2")
    wxr.add_argument("export", type=Path, metavar="EXPORT.xml")
    rest = sources.add_parser("wp-json", parents=[common, options, site],
                              help="a live WordPress site's REST API (/wp-json/wp/v2/posts)")
    rest.add_argument("url", metavar="URL", help="the site, e.g. https://example.org")
    rest.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                      help="wait at most this long for each answer (default: 30)")
    pages = sources.add_parser("html", parents=[common, options],
                               help="saved pages of single statements (.html files or "
                                    "folders of them)")
    pages.add_argument("paths", type=Path, nargs="+", metavar="FILE_OR_DIR")


def _confidence(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit status (0 ok, 1 problems, 2 usage)."""
    top = parser()
    args = top.parse_args(argv)
    if args.command == "import":
        return _import(top, args)
    return _corpus_command(args)


def _import(top: argparse.ArgumentParser, args) -> int:
    """Run an import; with --update (and no --dry-run), index the corpus it wrote."""
    from .importers.command import run

    for path in ([args.export] if args.source == "wordpress" else
                 args.paths if args.source == "html" else []):
        if not path.exists():
            top.error(f"{path} does not exist")
    if args.source == "wp-json" and not args.url.startswith(("http://", "https://")):
        top.error(f"{args.url} is not an http(s) address; pass the site's address, e.g. "
                  "https://example.org")
    try:
        status = run(args)
    except ImportFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot write the corpus at {args.corpus}: {error.strerror} "
              f"({error.filename or args.corpus}); it is as it was", file=sys.stderr)
        return 1
    if args.update and not args.dry_run:
        args.command = "update"
        return max(status, _corpus_command(args))
    return status


def _corpus_command(args) -> int:
    """rebuild, update, check or translations."""
    if args.index.exists() and not args.index.is_dir() and args.command in ("rebuild", "update"):
        print(f"error: {args.index} is a file, not an index folder; pass --index DIR",
              file=sys.stderr)
        return 1
    try:
        indexed = indexed_documents(args.index) if args.command == "update" else None
        documents = load_corpus(args.corpus, procs=args.procs, indexed=indexed)
        if not args.no_langid:
            for warning in language_warnings(documents, args.corpus):
                print(warning, file=sys.stderr)
        if args.command == "check":
            print(f"{len(documents)} files checked, no problems in {args.corpus}")
            return 0
        if args.command == "translations":
            return _translations(documents, args)
        build = rebuild if args.command == "rebuild" else update
        summary = build(documents, args.index, procs=args.procs)
    except IndexerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # an index path that is a file, unwritable, a full disk
        print(f"error: cannot write the index at {args.index}: {error.strerror} "
              f"({error.filename or args.index}); the index served before, if any, is "
              "unchanged", file=sys.stderr)
        return 1
    print(f"{args.command}: {summary} -> {args.index}")
    return 0


def _translations(documents, args) -> int:
    """Print the proposals (lines or JSON); a summary with the runtime goes to stderr."""
    from .proposals import propose

    started = time.perf_counter()
    proposals = propose(documents, args.min_confidence, corpus_dir=args.corpus)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps([p.to_json() for p in proposals], ensure_ascii=False, indent=2))
    else:
        for proposal in proposals:
            print(proposal.to_line())
    noun = "pair" if len(proposals) == 1 else "pairs"
    print(f"translations: {len(proposals)} {noun} proposed with confidence >= "
          f"{args.min_confidence:g} among {len(documents)} files in {elapsed:.1f} s; "
          "no file was changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
