"""Errors of the indexer: a corpus problem names its file and line."""

from __future__ import annotations

from pathlib import Path


class IndexerError(Exception):
    """Base class for errors that stop a rebuild, check or update."""


class CorpusError(IndexerError):
    """One problem in one corpus file, reported as ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Rebuilt from its parts when it comes back from a reading process.
        return type(self), (self.path, self.message, self.line)


class CorpusInvalid(IndexerError):
    """The corpus has problems; every one of them is listed, not just the first."""

    def __init__(self, errors: list[CorpusError]) -> None:
        self.errors = errors
        noun = "problem" if len(errors) == 1 else "problems"
        lines = "\n".join(f"  {e}" for e in errors)
        super().__init__(
            f"the corpus has {len(errors)} {noun}; the index was not changed:\n{lines}"
        )


class BuildLocked(IndexerError):
    """Another rebuild or update holds the index's lock."""

    def __init__(self, lock: Path) -> None:
        super().__init__(
            f"another rebuild or update of this index is running (lock {lock}); "
            "wait for it to finish and run the command again"
        )


class NoSpace(IndexerError):
    """Less space is free than the last build took: a new build would fill the disk."""

    def __init__(self, root: Path, needed: int, free: int) -> None:
        super().__init__(
            f"not enough free space for a new build at {root}: the last build took "
            f"{needed / 1e6:.1f} MB and {free / 1e6:.1f} MB are free; free some space and "
            "run the command again (the served index is unchanged)"
        )


class ImportFailed(IndexerError):
    """An import cannot go on; the corpus is left as it was."""


class ExportInvalid(ImportFailed):
    """A WordPress export that cannot be read, reported as ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}; nothing was imported")


class FetchFailed(ImportFailed):
    """A site that did not answer as a WordPress REST API does."""

    def __init__(self, url: str, message: str):
        self.url = url
        super().__init__(f"{url}: {message}; nothing was imported and the corpus is "
                         "unchanged")


class BuildDamaged(IndexerError):
    """A new build's files do not read back as they were written."""

    def __init__(self, generation: Path, problem: str) -> None:
        super().__init__(
            f"the new build at {generation} does not read back as it was written "
            f"({problem}); it was not published and the served index is unchanged: check "
            "the disk and run the command again"
        )
