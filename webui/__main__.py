"""Serve the web interface with waitress: ``python -m webui [--host] [--port] [--index] [--workers]``.

The listening socket is opened once and ``--workers`` forked processes (one
per core by default) serve it with waitress, the kernel handing each
connection to one of them.  Searching is CPU-bound Python, so a process
uses one core whatever its threads, and a second thread makes both slower:
each read of an index file releases Python's lock and then waits for the
busy thread to give it back (measured in docs/benchmarks-http.md).  The
index is read-only between builds, so the processes share it with no
coordination (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import signal
import socket
import sys
from pathlib import Path

from search import IndexMissing
from search.analysis import preload_lemmas
from search.store import check_format, current_generation, index_exists, language_codes

from . import create_app
from .serving import make_server


def main(argv: list[str] | None = None) -> int:
    """Build the index from the bundled corpus if there is none, then serve."""
    parser = argparse.ArgumentParser(prog="python -m webui")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--index", default=os.environ.get("SEARCH_INDEX_DIR", "index"))
    parser.add_argument("--corpus", default=os.environ.get("SEARCH_CORPUS_DIR",
                                                           "corpus/statements"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="server processes (default: one per core)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker process, besides one per export slot "
                             "(default 1; see docs/benchmarks-http.md)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not _prepare_index(Path(args.index), args.corpus):
        return 1
    _raise_file_limit()
    preload_lemmas(_served_languages(Path(args.index)))
    logging.info("serving on http://%s:%d/ (%d worker%s)", args.host, args.port,
                 args.workers, "s" if args.workers > 1 else "")
    if args.workers == 1:
        _serve(args, host=args.host, port=args.port)
        return 0
    return _serve_forked(args)


def _served_languages(index: Path) -> list[str]:
    """The languages of the build served now; none if it cannot be read (it is
    then answered 503, see :func:`_prepare_index`)."""
    try:
        return language_codes(current_generation(index))
    except (OSError, ValueError, KeyError, IndexMissing):
        return []


def _prepare_index(index: Path, corpus: str) -> bool:
    """Build the index from ``corpus`` only if none exists; False if that build failed.

    An index that exists but cannot be used (damaged, or written by another
    version) is never replaced: its readers would get answers from another
    corpus without a word.  The server answers 503 saying to rebuild it.
    """
    if not index_exists(index):
        from indexer.__main__ import main as indexer

        logging.info("no index at %s: building it from %s", index, corpus)
        return indexer(["rebuild", "--corpus", corpus, "--index", str(index)]) == 0
    try:
        check_format(current_generation(index))
    except (IndexMissing, OSError, ValueError) as error:
        logging.warning("the index at %s cannot be used (%s): every search answers 503 "
                        "until it is rebuilt with `python -m indexer rebuild`", index, error)
    return True


def _raise_file_limit() -> None:
    """Allow as many open files as the system lets this user have.

    Every server thread keeps each language's segment files open (about ten
    per language: postings, terms, columns); with a few threads and 20
    languages that passes the usual soft limit of 1,024.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _serve(args, **where) -> None:
    """Serve the app with waitress (webui/serving.py): ``--threads`` threads, plus one per
    export slot.

    An export may hold its thread for the engine's export time limit; the
    threads it cannot take keep answering searches (webui/exports.py).
    """
    app = create_app({"INDEX_DIR": args.index})
    make_server(app, threads=args.threads + app.config["EXPORT_SLOTS"], **where).run()


def _serve_forked(args) -> int:
    """Fork ``args.workers`` waitress processes on one socket; stop them all together."""
    sock = socket.create_server((args.host, args.port), backlog=1024)
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own app, engine and index files, opened after the fork
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _serve(args, sockets=[sock])
            os._exit(0)
        children.append(pid)
    sock.close()

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        pid, _ = os.wait()  # returns only if a worker died
        logging.error("worker %d stopped; stopping the others", pid)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for child in children:
            try:
                os.waitpid(child, 0)
            except ChildProcessError:
                pass


if __name__ == "__main__":
    sys.exit(main())
