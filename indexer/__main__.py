"""Command line of the indexer: ``python -m indexer rebuild|update|check|translations``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .build import indexed_documents, rebuild, update
from .errors import IndexerError
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
    return top


def _confidence(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit status (0 ok, 1 problems, 2 usage)."""
    args = parser().parse_args(argv)
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
