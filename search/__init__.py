"""A multilingual full-text search library over per-language Whoosh indexes.

The public API: an :class:`Engine` over a built index answers a
:class:`SearchRequest` with a :class:`ResultPage`, a statement's page with a
:class:`StatementPage` and a concordance with a :class:`Concordance`; every
failure is a :class:`SearchError`.  docs/architecture.md shows the modules
behind it.
"""

from __future__ import annotations

from .concordance import Concordance, Line
from .engine import Engine
from .errors import (IndexDamaged, IndexMissing, QueryError, SearchError, StatementMissing,
                     TooGeneral, UnknownLanguage, VersionMissing)
from .languages import LANGUAGES, Language, get_language
from .request import SearchRequest
from .results import Result, ResultPage, Version
from .schema import schema_for
from .statement_page import StatementPage, VersionText

__all__ = [
    "LANGUAGES",
    "Concordance",
    "Engine",
    "IndexDamaged",
    "IndexMissing",
    "Language",
    "Line",
    "QueryError",
    "Result",
    "ResultPage",
    "SearchError",
    "SearchRequest",
    "StatementMissing",
    "StatementPage",
    "TooGeneral",
    "UnknownLanguage",
    "Version",
    "VersionMissing",
    "VersionText",
    "get_language",
    "schema_for",
]
