"""The CSV downloads: their columns, and cells a spreadsheet cannot run as formulas."""

from __future__ import annotations

import csv
import io

from flask import Response

SEARCH_COLUMNS = ("key", "lang", "title", "date", "url", "score", "matched_languages",
                  "snippet", "why", "missing", "page")
"""The columns of ``/search.csv`` (documented in the OpenAPI document)."""
CONCORDANCE_COLUMNS = ("left", "match", "right", "key", "lang", "date", "title", "file",
                       "field")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def download(filename: str, columns, rows) -> Response:
    """A CSV download; a text cell that a spreadsheet would run as a formula is quoted.

    A title or context starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return gets a leading apostrophe (OWASP's advice against CSV injection),
    so a spreadsheet shows it as text instead of computing it.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value
