"""Write indexes: a full rebuild or an incremental update, each published atomically."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from search import get_language, schema_for
from search.analysis import preload_lemmas
from search.errors import IndexMissing
from search.fields import copies
from search.store import (CATALOG, INDEX_FORMAT, MANIFEST, checksums, check_format,
                          corruption, current_generation, file_sizes, language_codes,
                          open_language, read_json)

from .corpus import FILE_NAME, Document
from .errors import BuildLocked
from .progress import progress
from .publish import new_generation, publish
from .validate import end_with_parent

@dataclass
class Summary:
    """What a rebuild or update did, for the closing line of the command."""

    files: int
    statements: int
    per_language: dict[str, int]
    seconds: float
    generation: Path | None
    changes: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        langs = ", ".join(f"{code} {n}" for code, n in sorted(self.per_language.items()))
        text = (f"{self.files} files, {self.statements} statements; documents per "
                f"language: {langs or 'none'}; {self.seconds:.2f} s")
        if self.changes:
            text += "; " + ", ".join(f"{n} {what}" for what, n in self.changes.items())
        return text


@contextmanager
def build_lock(root: Path):
    """Hold the index root's lock, or fail at once if another build holds it."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(path) from None
        yield


def rebuild(documents: list[Document], root: Path, procs: int = 2) -> Summary:
    """Write every document into a new generation and publish it."""
    with build_lock(root):
        return _rebuild(documents, root, procs, time.monotonic())


def update(documents: list[Document], root: Path, procs: int = 2) -> Summary:
    """Bring the served index up to date with added, changed and removed files.

    Only those files are read again (see :func:`indexed_documents`), and
    only their languages are written again, each whole, as a rebuild writes
    it; the other languages are copied from the served build.  A language
    is never patched with deletions and additions: Whoosh counts a deleted
    document in its statistics until segments merge, and numbers documents
    in the order added, which breaks ties in score, so a patched index
    ranked otherwise than a rebuild.  With no index yet, one written by
    another version of the indexer, or a damaged one, this is a rebuild.
    """
    started = time.monotonic()
    with build_lock(root):
        old = _served_build(root)
        if old is None:
            return _rebuild(documents, root, procs, started)
        indexed = read_json(old, MANIFEST)["files"]
        current = {doc.file: doc for doc in documents}
        removed = [name for name in indexed if name not in current]
        changed = [name for name in indexed
                   if name in current and current[name].digest != indexed[name]["digest"]]
        added = [name for name in current if name not in indexed]
        changes = {"added": len(added), "changed": len(changed), "removed": len(removed)}
        if not (added or changed or removed):
            return _summary(documents, started, old, changes)
        touched = ({indexed[name]["lang"] for name in removed + changed}
                   | {current[name].lang for name in added + changed})
        rewritten = {code: docs for code, docs in _by_language(documents).items()
                     if code in touched}
        with new_generation(root) as generation:
            for code in set(language_codes(old)) - touched:
                shutil.copytree(old / code, generation / code)
            with progress(sum(map(len, rewritten.values())), "updating") as bar:
                _write_languages(generation, rewritten, procs, bar)
            _write_metadata(generation, documents, indexed)
            published = publish(root, generation)
    return _summary(documents, started, published, changes)


def indexed_documents(root: Path) -> dict[str, Document]:
    """The documents of the served index by file name, as read when indexed (none without one).

    ``indexer update`` passes them to :func:`indexer.validate.load_corpus`, so
    that only new and changed files are parsed (and their Markdown rendered).
    """
    generation = _served_build(root)
    if generation is None:
        return {}
    digests = read_json(generation, MANIFEST)["files"]
    documents = {}
    for code in language_codes(generation):
        with open_language(generation, code).searcher() as searcher:
            for fields in searcher.all_stored_fields():
                name = fields["file"]
                documents[name] = Document(
                    file=name, slug=FILE_NAME.match(name)["slug"], lang=fields["lang"],
                    key=fields["key"], title=fields["title"], markdown=fields["markdown"],
                    text=fields["body"],
                    date=fields["date"].date() if "date" in fields else None,
                    url=fields.get("url"),
                    tags=tuple(tag for tag in fields["tags"].split(",") if tag),
                    digest=digests[name]["digest"])
    return documents


def _served_build(root: Path) -> Path | None:
    """The served generation if an update can start from it, else None.

    It must be of this version's format and its files as the build wrote
    them: a damaged one is neither copied into the next build nor its stored
    texts reused, so the update rebuilds.
    """
    try:
        generation = current_generation(root)
        check_format(generation)
        recorded = read_json(generation, MANIFEST)["checksums"]
    except (IndexMissing, OSError, ValueError, KeyError):
        return None
    return None if corruption(generation, recorded) else generation


def _rebuild(documents: list[Document], root: Path, procs: int, started: float) -> Summary:
    with new_generation(root) as generation:
        with progress(len(documents), "indexing") as bar:
            _write_languages(generation, _by_language(documents), procs, bar)
        _write_metadata(generation, documents, _served_files(root))
        published = publish(root, generation)
    return _summary(documents, started, published)


def _by_language(documents: list[Document]) -> dict[str, list[Document]]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        groups[doc.lang].append(doc)
    return groups


def _write_languages(generation: Path, languages: dict[str, list[Document]], procs: int,
                     bar) -> None:
    """Write each language's index in ``generation`` from its documents.

    Every language is a separate index, so with ``procs`` > 1 whole languages
    are written at once in worker processes, largest first (which keeps the
    processes busy until the end); each language's index stays one segment.
    The lemma dictionaries are opened first, so that the workers share them.
    """
    codes = sorted(languages, key=lambda code: (-len(languages[code]), code))
    jobs = [(generation / code, code, languages[code]) for code in codes]
    if procs < 2 or len(jobs) < 2:
        for job in jobs:
            bar.update(_write_language(*job))
        return
    preload_lemmas(codes)
    with ProcessPoolExecutor(min(procs, len(jobs)), initializer=end_with_parent,
                             initargs=(os.getpid(),)) as pool:
        # map cancels the languages not yet started if one fails.
        for written in pool.map(_write_language, *zip(*jobs)):
            bar.update(written)


def _write_language(path: Path, code: str, docs: list[Document]) -> int:
    """Write one language's index of ``docs``, in one commit.

    Posting blocks are written uncompressed: most are a few postings long, and
    Whoosh's zlib call on every block was a tenth of a rebuild (the index is
    about 30% larger; a reader decompresses only blocks marked compressed).

    Segments stay separate files (``compound=False``): Whoosh reads a file
    inside a compound segment through a private copy (``BytesIO``), so every
    server thread's searcher held its own copy of the postings (~200 MB per
    thread on the LibreOffice help).  Separate files are read with seek and
    read through the operating system's page cache, which every thread and
    process shares; that costs ~15% of search time (the system calls) and
    saves ~95% of a server's memory (docs/benchmarks-http.md).
    """
    path.mkdir()
    ix = whoosh_index.create_in(str(path), schema_for(get_language(code)))
    writer = ix.writer(timeout=30, limitmb=256, codec=W3Codec(compression=0), compound=False)
    try:
        names = ix.schema.names()
        for doc in docs:
            writer.add_document(**_fields(doc, names))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return len(docs)


def _fields(doc: Document, names: list[str]) -> dict:
    """A document as the schema's fields (``names``); a text fills each of its twins."""
    fields = {
        "file": doc.file, "key": doc.key, "lang": doc.lang,
        "tags": ",".join(doc.tags), "markdown": doc.markdown,
    }
    if doc.url:
        fields["url"] = doc.url
    for name, value in (("title", doc.title), ("body", doc.text)):
        for copy in copies(name, names):
            fields[copy] = value
    if doc.date:
        fields["date"] = dt.datetime.combine(doc.date, dt.time())
    return fields


def _served_files(root: Path) -> dict:
    """The served index's manifest entries by file, or none (nothing built, or unreadable)."""
    try:
        return read_json(current_generation(root), MANIFEST)["files"]
    except (IndexMissing, OSError, ValueError, KeyError):
        return {}


def _write_metadata(generation: Path, documents: list[Document], served: dict) -> None:
    """The translation catalog and the manifest that ``update`` compares against.

    Each file records when its text as it is now was first indexed
    (``indexed``): carried over from the served manifest while its digest is
    the same, else now.  An undated statement's feed entry takes that time,
    so a rebuild does not make it look new.
    """
    built = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    indexed = {}
    for doc in documents:
        before = served.get(doc.file, {})
        same = before.get("digest") == doc.digest
        indexed[doc.file] = before.get("indexed") if same and before.get("indexed") else built
    statements: dict[str, list[dict]] = defaultdict(list)
    for doc in sorted(documents, key=lambda d: (d.key, d.lang)):
        statements[doc.key].append({
            "lang": doc.lang, "file": doc.file, "title": doc.title, "url": doc.url,
            "date": doc.date.isoformat() if doc.date else None,
            "indexed": indexed[doc.file],
        })
    manifest = {
        "format": INDEX_FORMAT,
        "built": built,
        "languages": dict(Counter(doc.lang for doc in documents)),
        "files": {doc.file: {"digest": doc.digest, "lang": doc.lang,
                             "indexed": indexed[doc.file]}
                  for doc in documents},
        "sizes": file_sizes(generation),
    }
    _write_json(generation / CATALOG, {"statements": statements})
    _write_json(generation / MANIFEST, {**manifest, "checksums": checksums(generation)})


def _write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)


def _summary(documents, started, generation, changes=None) -> Summary:
    return Summary(
        files=len(documents),
        statements=len({doc.key for doc in documents}),
        per_language=dict(Counter(doc.lang for doc in documents)),
        seconds=time.monotonic() - started,
        generation=generation,
        changes=changes or {},
    )
