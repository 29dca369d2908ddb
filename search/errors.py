"""Errors raised by the search library, each with a message a user can act on.

Every error carries a message id and the values it names (``params``), so
that an interface can say the whole message in its reader's language;
``str(error)`` stays the English sentence, for the command line and logs.
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class for every error the search library raises on purpose."""

    def __init__(self, message: str, message_id: str = "", **params) -> None:
        super().__init__(message)
        self.message_id = message_id
        self.params = params


class UnknownLanguage(SearchError):
    """A code that names no language (``xx``, ``english``): any ISO 639 code does."""

    EXAMPLES = "en, el, pl, tr, ko, th, sr"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"unknown language code {code!r}; a language is named by its ISO 639 code, "
            f"such as {self.EXAMPLES}", "language-unknown", code=code, known=self.EXAMPLES)
        self.code = code


class IndexMissing(SearchError):
    """No built index where one was expected."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no search index at {path}: build it with `python -m indexer rebuild`",
            "index-missing", path=path)
        self.path = path


class IndexDamaged(IndexMissing):
    """An index that exists but cannot be read (a damaged file, a half-copied folder)."""

    def __init__(self, path: str, detail: str) -> None:
        SearchError.__init__(
            self, f"the search index at {path} cannot be read ({detail}); rebuild it "
                  "with `python -m indexer rebuild`", "index-damaged", path=path, detail=detail)
        self.path = path


class QueryError(SearchError):
    """A query that cannot be parsed; the message says what is wrong and where."""


class TooGeneral(QueryError):
    """Prefix, wildcard, fuzzy words or ranges that stand for too many words to search."""


class StatementMissing(SearchError):
    """No statement with the key asked for."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no statement with key {key!r}", "statement-missing", key=key)
        self.key = key


class VersionMissing(StatementMissing):
    """A statement that has no version in the language asked for."""

    def __init__(self, key: str, lang: str, available: list[str]) -> None:
        SearchError.__init__(
            self, f"statement {key!r} has no version in {lang!r}; it has "
                  f"{', '.join(available)}", "version-missing",
            key=key, lang=lang, available=", ".join(available))
        self.key = key
