"""A build's generation folder, from its making to its publication: nothing half-written stays.

A build writes into ``generations/<id>.partial`` and renames it to
``generations/<id>`` just before the ``current`` link moves to it, so a
folder with the suffix is always a build that did not finish.  A build that
fails removes its folder at the failure; one that was killed leaves it, and
the next build removes it before it starts, so that a full disk does not
stay full of dead builds.

Publishing keeps the build served before (a server may not have noticed the
new one yet) and every build a reader still holds (a long export, an idle
server process): see :func:`search.store.hold`.  The others are moved to
``generations/<id>.old`` and deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from search.errors import IndexMissing
from search.store import (CURRENT, GENERATIONS, MANIFEST, corruption, current_generation,
                          read_json, retire)

from .errors import BuildDamaged, NoSpace

PARTIAL = ".partial"
"""Suffix of a build being written (or one killed while it was)."""
OLD = ".old"
"""Suffix of a build being deleted (or one whose deletion was interrupted)."""


@contextmanager
def new_generation(root: Path):
    """A new generation folder for a build, removed if the build fails or is interrupted.

    Before it is made, builds killed earlier are removed and the free space
    is checked against the size of the build being served.
    """
    remove_unfinished(root)
    check_free_space(root)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = root / GENERATIONS / f"{stamp}-{os.getpid()}{PARTIAL}"
    path.mkdir(parents=True)
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def remove_unfinished(root: Path) -> None:
    """Remove the folders of builds that never finished, and of deletions interrupted.

    Called with the build lock held, so no build is writing any of them.
    """
    folder = root / GENERATIONS
    if folder.is_dir():
        for path in [*folder.glob(f"*{PARTIAL}"), *folder.glob(f"*{OLD}")]:
            shutil.rmtree(path, ignore_errors=True)


def check_free_space(root: Path) -> None:
    """Refuse to start a build that the disk has no room for, judged by the last build's size.

    :raise NoSpace: when less space is free than the served build takes.
    """
    try:
        last = current_generation(root)
    except IndexMissing:
        return  # a first build: nothing to judge by
    needed = folder_size(last)
    free = shutil.disk_usage(root).free
    if free < needed:
        raise NoSpace(root, needed, free)


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def publish(root: Path, generation: Path) -> Path:
    """Make a finished build the served one, in one rename of ``current``; return its folder.

    First its files are read back and checked against the checksums its
    manifest records: a build that does not read back as written is never
    served.  Then the builds before are removed, but for the one served
    until now and those a reader holds.

    :raise BuildDamaged: when a file differs from its checksum.
    """
    problem = corruption(generation, read_json(generation, MANIFEST)["checksums"])
    if problem:
        raise BuildDamaged(generation, problem)
    finished = generation.with_name(generation.name.removesuffix(PARTIAL))
    os.rename(generation, finished)
    link = root / CURRENT
    previous = link.resolve() if link.is_symlink() else None
    temporary = root / f".{CURRENT}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(finished.relative_to(root))
    os.replace(temporary, link)
    for old in (root / GENERATIONS).iterdir():
        if old not in (finished, previous):
            remove_unread(old)
    return finished


def remove_unread(generation: Path) -> None:
    """Delete a build unless a reader holds it (a later publish deletes it, once free)."""
    trash = generation.with_name(generation.name + OLD)
    try:
        if retire(generation, trash):
            shutil.rmtree(trash, ignore_errors=True)
    except OSError:  # it cannot be moved: a later build tries again; the publish stands
        pass
