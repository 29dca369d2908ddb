"""Where an index lives on disk.

An index root holds ``generations/<id>/`` folders, each a complete build
(one Whoosh index per language plus ``catalog.json`` and ``manifest.json``),
and a symbolic link ``current`` naming the one being served.  A build writes
a new generation and then replaces the link in one ``rename``: readers see
the old index or the new one, never half of either.

A reader holds the generation it reads (:func:`hold`: a shared lock on its
manifest); a build removes an old generation only when no reader holds it
(:func:`retire`), so a long request never loses its files to quick publishes.
"""

from __future__ import annotations

import fcntl
import json
import os
import zlib
from pathlib import Path

from whoosh import index as whoosh_index

from .errors import IndexMissing

INDEX_FORMAT = 15
"""Raised whenever the schema or the layout changes: an older index must be rebuilt."""
CURRENT = "current"
GENERATIONS = "generations"
CATALOG = "catalog.json"
MANIFEST = "manifest.json"


def index_exists(root: Path) -> bool:
    """Whether a build was ever published at ``root`` (its ``current`` link, even a broken one).

    Only an index that does not exist may be built without asking: one that
    exists but cannot be read is the archive's, damaged, and must be rebuilt
    from its own corpus, never replaced by another.
    """
    return os.path.lexists(Path(root) / CURRENT)


def current_generation(root: Path) -> Path:
    """The generation folder being served.

    :raise IndexMissing: when nothing has been built at ``root``.
    """
    link = Path(root) / CURRENT
    target = link.resolve()
    if not link.is_symlink() or not (target / MANIFEST).is_file():
        raise IndexMissing(str(root))
    return target


def check_format(generation: Path) -> None:
    """Refuse a generation written by another version of the indexer."""
    found = read_json(generation, MANIFEST).get("format")
    if found != INDEX_FORMAT:
        raise ValueError(f"index format {found}, this version reads format "
                         f"{INDEX_FORMAT}")


def read_json(generation: Path, name: str) -> dict:
    """One of a generation's JSON files (``catalog.json`` or ``manifest.json``)."""
    with open(generation / name, encoding="utf-8") as handle:
        return json.load(handle)


def language_codes(generation: Path) -> list[str]:
    """The languages that have an index in this generation."""
    return sorted(read_json(generation, MANIFEST)["languages"])


def open_language(generation: Path, code: str):
    """Open one language's Whoosh index of a generation."""
    return whoosh_index.open_dir(str(generation / code))


def file_sizes(generation: Path) -> dict[str, int]:
    """The size of every index file of a generation, by path inside it (for the manifest).

    Whoosh's write lock (``MAIN_WRITELOCK``, empty, left after writing) holds
    no index data, so it is not one of them.
    """
    return {str(path.relative_to(generation)): path.stat().st_size
            for path in sorted(generation.glob("*/*"))
            if path.is_file() and not path.name.endswith("_WRITELOCK")}


def damage(generation: Path, sizes: dict[str, int]) -> str | None:
    """What is wrong with a generation's index files, or None if they are as written.

    ``sizes`` is the manifest's record of every file's size when the build
    ended; a file that is missing, truncated or replaced by one of another
    size is damage that only a rebuild mends.  A stat of each file, cheap
    enough for a running server to repeat; a file damaged in place, its size
    kept, is found by :func:`corruption` when a generation is opened.
    """
    for name, size in sizes.items():
        try:
            found = os.stat(os.path.join(generation, name)).st_size
        except OSError:
            return f"{name} is missing"
        if found != size:
            return f"{name} has {found:,} bytes; the build wrote {size:,}"
    return None


def checksums(generation: Path) -> dict[str, str]:
    """A CRC-32 of every file of a generation but its manifest, by path inside it.

    CRC-32 finds damage (a bad disk, a stray write, a partial copy), not
    tampering, at about 2.5 GB/s: verifying the 864 MB of a 100k-document
    index takes under a second (docs/benchmarks.md).
    """
    return {str(path.relative_to(generation)): _crc32(path)
            for path in sorted(generation.rglob("*"))
            if path.is_file() and path.name != MANIFEST
            and not path.name.endswith("_WRITELOCK")}


def corruption(generation: Path, recorded: dict[str, str]) -> str | None:
    """Which file of a generation is not as the build wrote it (by its checksum), or None."""
    for name, checksum in recorded.items():
        try:
            found = _crc32(generation / name)
        except OSError as error:
            return f"{name} cannot be read: {error.strerror}"
        if found != checksum:
            return f"{name} is not as the build wrote it (its checksum differs)"
    return None


def _crc32(path: Path) -> str:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def hold(generation: Path) -> int:
    """Hold a generation for reading: no build removes it while the returned descriptor is open.

    A shared lock on its manifest; every reader (server process, command)
    takes one.  Builds lock it exclusively, briefly, to move a generation out
    of the way (:func:`retire`).

    :raise FileNotFoundError: when the generation has been moved away or removed.
    """
    manifest = generation / MANIFEST
    descriptor = os.open(manifest, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        if not os.path.samestat(os.fstat(descriptor), os.stat(manifest)):
            raise FileNotFoundError(f"{generation} was removed while it was opened")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def retire(generation: Path, to: Path) -> bool:
    """Move a generation that no reader holds to ``to`` (to be deleted); False if one holds it.

    A generation without a manifest cannot be read, so nothing holds it.
    """
    try:
        descriptor = os.open(generation / MANIFEST, os.O_RDONLY)
    except FileNotFoundError:
        os.rename(generation, to)
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        os.rename(generation, to)
        return True
    finally:
        os.close(descriptor)
