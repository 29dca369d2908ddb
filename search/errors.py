"""Errors raised by the search library, each with a message a user can act on."""

from __future__ import annotations


class SearchError(Exception):
    """Base class for every error the search library raises on purpose."""


class UnknownLanguage(SearchError):
    """A language code that the registry does not hold."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(
            f"unknown language code {code!r}; known codes: {', '.join(known)}"
        )
        self.code = code


class IndexMissing(SearchError):
    """No built index where one was expected."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no search index at {path}: build it with `python -m indexer rebuild`"
        )
        self.path = path


class IndexDamaged(IndexMissing):
    """An index that exists but cannot be read (a damaged file, a half-copied folder)."""

    def __init__(self, path: str, detail: str) -> None:
        SearchError.__init__(
            self, f"the search index at {path} cannot be read ({detail}); rebuild it "
                  "with `python -m indexer rebuild`")
        self.path = path


class QueryError(SearchError):
    """A query that cannot be parsed; the message says what is wrong and where."""


class TooGeneral(QueryError):
    """Prefix, wildcard, fuzzy words or ranges that stand for too many words to search."""


class StatementMissing(SearchError):
    """No statement with the key asked for."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no statement with key {key!r}")
        self.key = key


class VersionMissing(StatementMissing):
    """A statement that has no version in the language asked for."""

    def __init__(self, key: str, lang: str, available: list[str]) -> None:
        SearchError.__init__(
            self, f"statement {key!r} has no version in {lang!r}; it has "
                  f"{', '.join(available)}")
        self.key = key
