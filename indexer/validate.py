"""Validate a whole corpus: every file, then what only the set of files shows."""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from search import get_language

from .corpus import MAX_FILE_BYTES, Document, corpus_files, read_document, regular_file
from .errors import CorpusError, CorpusInvalid, IndexerError


PARALLEL_FILES = 1000
"""From this many files on, reading (Markdown rendering above all) uses a process pool."""


def load_corpus(corpus: Path, procs: int = 1,
                indexed: dict[str, Document] | None = None) -> list[Document]:
    """Read and validate every file of ``corpus``.

    :param procs: processes reading files, when there are many.
    :param indexed: documents already indexed, by file name (``indexer update``):
        a file whose bytes still have the document's digest is not parsed again.
    :raise CorpusInvalid: listing every problem found, not just the first.
    """
    if not corpus.is_dir():
        raise IndexerError(f"corpus folder {corpus} does not exist; pass --corpus DIR "
                           "(the folder holding <slug>.<lang>.md files)")
    paths = corpus_files(corpus)
    if not paths:  # a wrong --corpus, most likely; an empty index would replace the served one
        raise IndexerError(f"no statement files (<slug>.<lang>.md) in {corpus}; nothing "
                           "to index, and the index was not changed")
    known = {path.name: doc for path in paths
             if (doc := _unchanged(path, indexed or {})) is not None}
    todo = [path for path in paths if path.name not in known]
    if procs > 1 and len(todo) >= PARALLEL_FILES:
        with ProcessPoolExecutor(procs, initializer=end_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            read = dict(zip(todo, pool.map(_read, todo, chunksize=64)))
    else:
        read = {path: _read(path) for path in todo}
    results = [known.get(path.name) or read[path] for path in paths]
    documents = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, CorpusError)]
    errors.extend(_duplicates(corpus, documents))
    if errors:
        raise CorpusInvalid(errors)
    return documents


PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int) -> None:
    """Make a reading process die with the indexer, even one killed with SIGKILL (Linux).

    Otherwise a reader blocked writing its results to a dead indexer would
    wait, and hold its memory, for ever.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: readers end at their next write
        return
    if os.getppid() != parent:  # the indexer died before prctl took effect
        os._exit(1)


def _unchanged(path: Path, indexed: dict[str, Document]) -> Document | None:
    """The indexed document of ``path`` if the file's bytes are the ones indexed."""
    doc = indexed.get(path.name)
    if doc is None:
        return None
    try:
        if regular_file(path).st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except (CorpusError, OSError):  # read again, to report what it is
        return None
    return doc if digest == doc.digest else None


def _read(path: Path) -> Document | CorpusError:
    """A document, or the problem that stops it (returned, so one file never stops the rest)."""
    try:
        return read_document(path)
    except CorpusError as error:
        return error


def _duplicates(corpus: Path, documents: list[Document]) -> list[CorpusError]:
    """Two files for one statement in one language, by slug or by translation key."""
    errors, reported = [], set()
    for attribute, what in (("slug", "slug"), ("key", "translation key")):
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for doc in documents:
            groups[getattr(doc, attribute), doc.lang].append(doc.file)
        for (value, lang), files in sorted(groups.items()):
            if len(files) > 1 and frozenset(files) not in reported:
                reported.add(frozenset(files))
                language = get_language(lang).name
                for name in files:
                    others = ", ".join(f for f in files if f != name)
                    errors.append(CorpusError(
                        corpus / name,
                        f"duplicate {language} version of {what} {value!r}: {others} "
                        f"is one too; give one file another {what} or language"))
    return errors

