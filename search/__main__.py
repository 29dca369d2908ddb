"""Command line: ``python -m search "query"`` prints ranked statements.

Exit status: 0 whether or not anything was found, 2 for a bad query or
arguments, 1 for other errors (a missing index says how to build it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import Concordance, Engine, QueryError, SearchError
from .highlight import plain
from .merge import DEFAULT_METHOD, METHODS
from .request import SORTS

BOLD, RESET = "\033[1m", "\033[0m"
KWIC_WIDTH = 40


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m search``."""
    top = argparse.ArgumentParser(prog="python -m search",
                                  description="Search the statements in every language.")
    top.add_argument("query", nargs="?", help="the query (see docs/query-syntax.md)")
    top.add_argument("--index", default=os.environ.get("SEARCH_INDEX_DIR", "index"),
                     help="index folder (default: $SEARCH_INDEX_DIR or index)")
    top.add_argument("--lang", help="languages to search, comma-separated (default: all)")
    top.add_argument("--limit", type=int, default=10, help="results per page (default 10)")
    top.add_argument("--page", type=int, default=1, help="page number (default 1)")
    top.add_argument("--sort", choices=SORTS, default="relevance")
    top.add_argument("--method", choices=sorted(METHODS), default=DEFAULT_METHOD,
                     help="how rankings of the language indexes are merged")
    top.add_argument("--json", action="store_true", help="print the result as JSON")
    top.add_argument("--concordance", choices=("relevance", "left", "right"), nargs="?",
                     const="relevance", metavar="SORT",
                     help="print every occurrence in context (KWIC), sorted by statement "
                          "(default), left or right context")
    top.add_argument("--queries", metavar="FILE",
                     help="batch mode: one query per line ('-' for standard input); "
                          "writes one JSON object per line")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one query or a batch; return the exit status."""
    top = parser()
    args = top.parse_args(argv)
    if (args.query is None) == (args.queries is None):
        top.print_usage(sys.stderr)
        given = "both" if args.query is not None else "neither"
        return _fail(f"give a QUERY or --queries FILE ({given} given)", 2, args.json,
                     "arguments")
    engine = Engine(args.index)
    options = {"languages": args.lang.split(",") if args.lang else None,
               "per_page": args.limit, "page": args.page, "sort": args.sort,
               "method": args.method}
    try:
        if args.queries:
            return _batch(engine, args.queries, options)
        if args.concordance:
            found = engine.concordance(args.query, languages=options["languages"],
                                       sort=args.concordance)
            _print_concordance(found, args.json)
            return 0
        page = engine.search(args.query, **options)
    except QueryError as error:
        return _fail(str(error), 2, args.json, error.message_id)
    except SearchError as error:
        return _fail(str(error), 1, args.json, error.message_id)
    if args.json:
        print(json.dumps(page.to_dict(), ensure_ascii=False, indent=1))
    else:
        _print_page(page, sys.stdout)
    return 0


def _fail(message: str, status: int, as_json: bool, message_id: str) -> int:
    """Say what went wrong, as JSON on standard output when JSON was asked for; the status."""
    if as_json:
        print(json.dumps({"ok": False, "error": message, "message_id": message_id},
                         ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    return status


def _batch(engine: Engine, source: str, options: dict) -> int:
    """JSON Lines out, one per query; a bad query or line gives an error object, not a stop."""
    try:
        handle = sys.stdin.buffer if source == "-" else open(source, "rb")
    except OSError as error:
        print(f"error: cannot read the queries: {error.strerror}: {source}", file=sys.stderr)
        return 2
    status = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError as error:
                record, status = {"ok": False, "line": number, "error": (
                    f"line {number} is not valid UTF-8 (byte {error.start + 1})")}, 2
                print(json.dumps(record), flush=True)
                continue
            if not text:
                continue
            try:
                record = {"ok": True, **engine.search(text, **options).to_dict()}
            except QueryError as error:
                record, status = {"ok": False, "query": text, "error": str(error),
                                  "message_id": error.message_id}, 2
            print(json.dumps(record, ensure_ascii=False), flush=True)
    return status


def _print_concordance(found: Concordance, as_json: bool) -> None:
    """Aligned KWIC lines: context right-aligned before the match; a cut said on stderr."""
    if as_json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1))
        return
    for line in found.lines:
        left = line.left[-KWIC_WIDTH:].rjust(KWIC_WIDTH)
        where = " title" if line.field == "title" else ""
        print(f"{left} [{line.match}] {line.right[:KWIC_WIDTH]}  ({line.lang} {line.key}{where})")
    if found.truncated:
        print(f"the first {len(found.lines)} occurrences only: narrow the query to see "
              "the rest", file=sys.stderr)


def _terminal(html: str, colour: bool) -> str:
    """Snippet HTML as terminal text: marks in bold (or *stars*), entities decoded."""
    return plain(html, (BOLD, RESET) if colour else ("*", "*"))


def _print_page(page, out) -> None:
    colour = out.isatty()
    counts = ", ".join(f"{code} {n}" for code, n in page.languages.items())
    noun = "statement" if page.total == 1 else "statements"
    print(f"{page.total} {noun} ({counts or 'none'}); page {page.page} of "
          f"{page.pages}; {page.took_ms:.1f} ms", file=out)
    if page.suggestion:
        print(f"did you mean: {page.suggestion}", file=out)
    for number, result in enumerate(page.results, start=(page.page - 1) * page.per_page + 1):
        others = " ".join(v.lang + ("*" if v.matched else "") for v in result.versions)
        print(f"\n{number}. [{result.lang}] {_terminal(result.title_html, colour)}", file=out)
        print(f"   {result.file}  {result.date or ''}  versions: {others}", file=out)
        print(f"   {_terminal(result.snippet, colour)}", file=out)


if __name__ == "__main__":
    sys.exit(main())
