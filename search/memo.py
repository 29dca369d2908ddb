"""Remembered answers of per-word work, under one bound for the whole process.

Analysing a word is repeated many times (by every chain, in every text and
query), so its steps remember their answers.  Each memo used to have its
own bound; together they held up to seven times the number a server was
configured with, and filled so slowly that a server's memory kept rising
for tens of thousands of queries.  Here every memo counts against one
budget, and all are emptied together when it is spent: what a process
keeps is stated by one number (:func:`limit`), reached within a few
thousand queries, and kept to after that.
"""

from __future__ import annotations

from functools import wraps

ENTRIES = 1_000_000
"""Answers kept at most, every memo together, until :func:`limit` says otherwise.

Rebuilding, a worker reads one language's words through five or six
chains: a large budget makes analysis several times faster.  A server
keeps far fewer (its memory is per process, for days)."""

_tables: list[dict] = []
_held = 0


def table() -> dict:
    """A new memo table, emptied with the others; fill it through :func:`keep`."""
    found: dict = {}
    _tables.append(found)
    return found


def keep(found: dict, key, value):
    """Remember ``value`` for ``key`` in ``found``; every table is emptied first
    if the budget is spent."""
    global _held
    if _held >= ENTRIES:
        forget()
    found[key] = value
    _held += 1
    return value


def forget() -> None:
    """Empty every memo table."""
    global _held
    for found in _tables:
        found.clear()
    _held = 0


def limit(entries: int) -> None:
    """Keep at most ``entries`` answers in this process, every memo together.

    A long-running server calls this with a small number: its memos then
    stop growing at a size it can state, instead of filling with every word
    of every query and every highlighted text.
    """
    global ENTRIES
    ENTRIES = entries
    forget()


def remembered(function):
    """``function`` (of hashable arguments) with its answers kept within the budget."""
    found = table()

    @wraps(function)
    def answer(*args):
        try:
            return found[args]
        except KeyError:
            return keep(found, args, function(*args))

    return answer
