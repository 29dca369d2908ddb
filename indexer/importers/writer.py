"""Write imported statements into the corpus folder: safely, repeatably, never over a curator's edit.

Every file an import writes has its SHA-256 recorded in the corpus folder's
``.imported.json`` (with the post it came from).  A later import then knows
a file as it wrote it from one a curator has since edited: the first is
replaced when the post changed, the second kept unless ``--force``.  A file
the import did not write (a hand-made statement of the same name) is kept
the same way.  Writing the same posts again changes nothing, not even the
record.

The files are first written, complete, into a temporary folder inside the
corpus folder, and each is validated as ``indexer check`` would (and
against the rest of the corpus: two files for one statement in one
language); only then are they moved into place, each by one atomic rename,
after the record of their checksums.  An import stopped at any point leaves
every corpus file whole, either as it was or as the import wrote it, and the
next run finishes the work.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Document, corpus_files, read_document
from ..errors import CorpusError
from ..validate import _duplicates
from .naming import Named
from .records import Skipped, corpus_text

MANIFEST = ".imported.json"
HISTORY = 5
"""Checksums kept per file: an import stopped between writing the record and
moving its files leaves a file as an earlier import wrote it."""


@dataclass
class Change:
    """One corpus file an import adds, replaces, leaves or keeps."""

    file: str
    label: str
    text: str
    source: str
    why: str = ""
    imported: Named | None = None


@dataclass
class Plan:
    """What an import does to the corpus folder, decided before anything is written."""

    corpus: Path
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)   # a post's file under its old slug
    problems: list[Skipped] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    @property
    def writes(self) -> list[Change]:
        return self.added + self.changed


def read_manifest(corpus: Path) -> dict:
    try:
        data = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("files"), dict) \
            else {"files": {}}
    except (OSError, ValueError):
        return {"files": {}}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan(corpus: Path, named: list[Named], force: bool = False) -> Plan:
    """Decide, for each post, whether its file is added, replaced, left as it is or kept."""
    manifest = read_manifest(corpus)
    files = manifest["files"]
    by_source = {entry.get("source"): name for name, entry in files.items()}
    result = Plan(corpus, manifest=manifest)
    for item in named:
        text = corpus_text(item.post, item.key)
        change = Change(item.file, item.post.label, text, item.post.source, imported=item)
        path = corpus / item.file
        written = files.get(item.file, {}).get("sha256", [])
        if path.exists():
            current = _digest(path.read_bytes())
            if current == _digest(text.encode("utf-8")):
                result.unchanged.append(change)
            elif current in written or force:
                change.why = "" if current in written else "forced over a hand edit"
                result.changed.append(change)
            else:
                change.why = ("edited by hand since the import wrote it" if written else
                              "not written by an import")
                result.kept.append(change)
        else:
            result.added.append(change)
        old = by_source.get(item.post.source)
        if old and old != item.file and (corpus / old).exists():
            old_bytes = (corpus / old).read_bytes()
            if _digest(old_bytes) in files[old].get("sha256", []) or force:
                result.removed.append(Change(old, item.post.label, "", item.post.source,
                                             why=f"the post's slug is now {item.slug}"))
            else:
                result.problems.append(Skipped(
                    item.post.label, f"its slug changed, and its earlier file {old} was "
                                     "edited by hand: it is kept; merge it and remove it"))
    _validate(result)
    return result


def _validate(result: Plan) -> None:
    """Leave out any file the indexer would reject, alone or beside the rest of the corpus."""
    with tempfile.TemporaryDirectory(prefix="import-check-") as folder:
        staged: dict[str, Document] = {}
        for change in list(result.writes):
            path = Path(folder) / change.file
            path.write_text(change.text, encoding="utf-8")
            try:
                staged[change.file] = read_document(path)
            except CorpusError as error:
                _drop(result, change, error.message)
        others = []
        gone = {c.file for c in result.removed}
        if result.corpus.is_dir():
            for path in corpus_files(result.corpus):
                if path.name in staged or path.name in gone:
                    continue
                try:
                    others.append(read_document(path))
                except CorpusError:
                    continue  # the corpus's own problems are `indexer check`'s to report
        for error in _duplicates(result.corpus, others + list(staged.values())):
            change = next((c for c in result.writes if c.file == error.path.name), None)
            if change is not None:
                _drop(result, change, error.message)


def _drop(result: Plan, change: Change, why: str) -> None:
    for bucket in (result.added, result.changed):
        if change in bucket:
            bucket.remove(change)
    result.problems.append(Skipped(change.label, f"{change.file} would not be a valid "
                                                 f"corpus file: {why}"))


def apply(result: Plan) -> None:
    """Write the plan: files staged and checked first, the record next, then one rename per file."""
    if not (result.writes or result.removed or _unrecorded(result)):
        return
    corpus = result.corpus
    corpus.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=corpus))
    try:
        for change in result.writes:
            _write(staging / change.file, change.text.encode("utf-8"))
        files = result.manifest.setdefault("files", {})
        for change in result.writes + result.unchanged:
            entry = files.setdefault(change.file, {"source": change.source, "sha256": []})
            entry["source"] = change.source
            digest = _digest(change.text.encode("utf-8"))
            if digest not in entry["sha256"]:
                entry["sha256"] = (entry["sha256"] + [digest])[-HISTORY:]
        for change in result.removed:
            files.pop(change.file, None)
        manifest = json.dumps(result.manifest, ensure_ascii=False, indent=1, sort_keys=True)
        _write(staging / MANIFEST, (manifest + "\n").encode("utf-8"))
        os.replace(staging / MANIFEST, corpus / MANIFEST)
        for change in result.writes:
            os.replace(staging / change.file, corpus / change.file)
        for change in result.removed:
            (corpus / change.file).unlink(missing_ok=True)
        _sync(corpus)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unrecorded(result: Plan) -> bool:
    """Files the import left as they are but that the record does not know as its own yet."""
    files = result.manifest.get("files", {})
    return any(_digest(c.text.encode("utf-8")) not in files.get(c.file, {}).get("sha256", [])
               for c in result.unchanged)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
