"""Serve the web interface with waitress: ``python -m webui [--host] [--port] [--index]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from waitress import serve

from search.errors import IndexMissing
from search.store import check_format, current_generation

from . import create_app


def main(argv: list[str] | None = None) -> int:
    """Build the index from the bundled corpus if there is none, then serve."""
    parser = argparse.ArgumentParser(prog="python -m webui")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--index", default=os.environ.get("SEARCH_INDEX_DIR", "index"))
    parser.add_argument("--corpus", default=os.environ.get("SEARCH_CORPUS_DIR",
                                                           "corpus/statements"))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        check_format(current_generation(Path(args.index)))
    except (IndexMissing, ValueError):  # none yet, or written by another version
        from indexer.__main__ import main as indexer

        logging.info("no usable index at %s: building it from %s", args.index, args.corpus)
        if indexer(["rebuild", "--corpus", args.corpus, "--index", args.index]):
            return 1
    app = create_app({"INDEX_DIR": args.index})
    logging.info("serving on http://%s:%d/", args.host, args.port)
    serve(app, host=args.host, port=args.port, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
