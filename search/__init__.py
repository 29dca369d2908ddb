"""A multilingual full-text search library over per-language Whoosh indexes."""

from __future__ import annotations

from .errors import (IndexMissing, QueryError, SearchError, StatementMissing,
                     UnknownLanguage)
from .languages import LANGUAGES, Language, get_language
from .schema import schema_for

__all__ = [
    "LANGUAGES",
    "IndexMissing",
    "Language",
    "QueryError",
    "SearchError",
    "StatementMissing",
    "UnknownLanguage",
    "get_language",
    "schema_for",
]
