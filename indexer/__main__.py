"""Command line of the indexer: ``python -m indexer rebuild|update|check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build import rebuild, update
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
                        help="processes reading files and writing a large language's "
                             "index (default: 2)")
    top = argparse.ArgumentParser(prog="python -m indexer",
                                  description="Validate the corpus and build the index.")
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("rebuild", parents=[common],
                        help="validate every file, then build a new index")
    commands.add_parser("update", parents=[common],
                        help="index only added, changed and removed files")
    commands.add_parser("check", parents=[common],
                        help="validate every file without building")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit status (0 ok, 1 problems, 2 usage)."""
    args = parser().parse_args(argv)
    try:
        documents = load_corpus(args.corpus, procs=args.procs)
        if not args.no_langid:
            for warning in language_warnings(documents, args.corpus):
                print(warning, file=sys.stderr)
        if args.command == "check":
            print(f"{len(documents)} files checked, no problems in {args.corpus}")
            return 0
        build = rebuild if args.command == "rebuild" else update
        summary = build(documents, args.index, procs=args.procs)
    except IndexerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.command}: {summary} -> {args.index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
