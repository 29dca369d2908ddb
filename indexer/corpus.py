"""Read corpus files into documents: TOML front matter between ``+++`` lines, then Markdown."""

from __future__ import annotations

import calendar
import datetime as dt
import errno
import hashlib
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from search import UnknownLanguage, get_language

from .errors import CorpusError
from .markdown_text import markdown_to_text

SLUG = r"[a-z0-9][a-z0-9_-]*"
"""A statement's name in its files and URLs: lower-case letters, digits, '-' and '_'."""
FILE_NAME = re.compile(
    rf"^(?P<slug>{SLUG})(?:\.(?P<lang>[A-Za-z]{{2,3}}(?:[-_][A-Za-z0-9]+)?))?\.md$"
)
FIELDS = {"title", "date", "url", "lang", "translation_key", "tags", "categories"}
DELIMITER = "+++"
MAX_FILE_BYTES = 2_000_000
"""A statement runs to tens of kilobytes; a larger file is a mistake (a pasted
archive, a binary) and would slow every search that shows it."""


@dataclass(frozen=True)
class Document:
    """One statement in one language, ready to index."""

    file: str
    slug: str
    lang: str
    key: str
    title: str
    markdown: str
    text: str
    date: dt.date | None = None
    url: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)   # the categories among them
    digest: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)


def corpus_files(corpus: Path) -> list[Path]:
    """Every entry of a corpus folder named like a statement file, in a stable order.

    Whatever it is: one that is no readable file (a folder, a pipe, a broken
    link) is reported by :func:`read_document`, never passed over.  README.md
    and hidden entries (editors' and systems' files, such as Emacs's
    ``.#name.en.md`` lock link) are not statements.
    """
    return sorted(p for p in corpus.iterdir() if p.suffix == ".md"
                  and not p.name.startswith(".") and p.name.lower() != "readme.md")


def read_document(path: Path) -> Document:
    """Parse and validate one file; the first problem raises :class:`CorpusError`."""
    match = FILE_NAME.match(path.name)
    if not match:
        raise CorpusError(path, "file name must be <slug>.<lang>.md (slug: lower-case "
                                "letters, digits, '-' or '_'), e.g. my-statement.en.md")
    size = regular_file(path).st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(path, f"the file is {size / 1e6:.1f} MB; a statement may be at "
                                f"most {MAX_FILE_BYTES / 1e6:.0f} MB: split it or remove "
                                "what is not its text")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(path, _unreadable(error)) from None
    text = _decode(path, raw)
    front, body, body_line = _split(path, text)
    meta = _Front(path, front, _parse_toml(path, front))
    lang = _language(path, match["lang"], meta)
    body = body.strip()
    if not body:
        raise CorpusError(path, "the statement has no text after the front matter",
                          body_line)
    try:
        text = markdown_to_text(body)
    except RecursionError:  # Python-Markdown recurses once per level of nesting
        raise CorpusError(path, "the Markdown nests too deeply (lists or quotes inside "
                                "each other, hundreds of levels) to be read", body_line) from None
    return Document(
        file=path.name,
        slug=match["slug"],
        lang=lang,
        key=meta.key() or match["slug"],
        title=meta.string("title") or "",
        markdown=body,
        text=text,
        date=meta.date(),
        url=meta.url(),
        tags=tuple(dict.fromkeys(meta.tags() + meta.tags("categories"))),
        digest=hashlib.sha256(raw).hexdigest(),
        categories=meta.tags("categories"),
    )


def regular_file(path: Path) -> os.stat_result:
    """The status of a corpus entry that is a file (or a link to one); else a CorpusError
    saying what the entry is, so that it is never read (a pipe would block, a device
    never end)."""
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise CorpusError(path, "is a symbolic link that loops (it leads back to "
                                    "itself); point it at a statement file or remove it") from None
        if error.errno == errno.ENOENT and path.is_symlink():
            raise CorpusError(path, f"is a symbolic link to {os.readlink(path)}, which does "
                                    "not exist; point it at a statement file or remove it") from None
        raise CorpusError(path, _unreadable(error)) from None
    if stat.S_ISREG(status.st_mode):
        return status
    kind = ("a folder" if stat.S_ISDIR(status.st_mode)
            else "a named pipe (FIFO)" if stat.S_ISFIFO(status.st_mode)
            else f"a device ({path.resolve()})" if stat.S_ISCHR(status.st_mode)
            or stat.S_ISBLK(status.st_mode)
            else "a socket" if stat.S_ISSOCK(status.st_mode) else "a special file")
    raise CorpusError(path, f"is {kind}, not a statement file; move it out of the corpus "
                            "folder (or rename it, if it is not one)")


def _unreadable(error: OSError) -> str:
    return (f"cannot be read: {error.strerror}; let the indexer read it (e.g. chmod a+r) "
            "or move it out of the corpus folder")


def _decode(path: Path, raw: bytes) -> str:
    """The file's text, its line endings as ``\\n`` (Windows' CR LF and old Macs' CR too)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CorpusError(path, f"not valid UTF-8 (byte {error.start}: "
                                f"{raw[error.start:error.start + 1]!r}); save the file "
                                "as UTF-8", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(path: Path, text: str) -> tuple[str, str, int]:
    """Split front matter from body; return (front matter, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise CorpusError(path, f"missing front matter: the first line must be "
                                f"'{DELIMITER}'", 1)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == DELIMITER:
            return "".join(lines[1:number - 1]), "".join(lines[number:]), number + 1
    raise CorpusError(path, f"front matter opened on line 1 is never closed by a "
                            f"'{DELIMITER}' line", 1)


def _parse_toml(path: Path, front: str) -> dict:
    try:
        meta = tomllib.loads(front)
    except RecursionError:  # arrays or tables nested hundreds of levels deep
        raise CorpusError(path, "front matter nests too deeply (arrays or tables inside "
                                "each other, hundreds of levels) to be read", 2) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found[1]) + 1 if found else None  # +1: the opening '+++' line
        lines = front.splitlines()
        impossible = _impossible_date(lines[line - 2]) if line and line - 2 < len(lines) else None
        if impossible:
            raise CorpusError(path, impossible, line) from None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        column = f", column {found[2]}" if found else ""
        raise CorpusError(path, f"front matter is not valid TOML: {message}{column}",
                          line) from None
    unknown = sorted(set(meta) - FIELDS)
    if unknown:
        raise CorpusError(path, f"unknown front matter field(s) {', '.join(unknown)}; "
                                f"known fields: {', '.join(sorted(FIELDS))}",
                          _line_of(front, unknown[0]))
    return meta


DATE_LIKE = re.compile(r"(?:^\s*date\s*=\s*)?\"?(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _impossible_date(text: str) -> str | None:
    """What is wrong with a date that cannot be (``2020-13-45``), said as a reader would.

    TOML refuses such a date with "Expected newline or end of document" and a
    column; the month or day that does not exist is what the author needs.
    """
    found = DATE_LIKE.match(text)
    if not found:
        return None
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return f"date {year:04}-{month:02}-{day:02}: month {month} does not exist"
    last = calendar.monthrange(year or 4, month)[1]  # year 0 is no year: any leap year
    if not 1 <= day <= last:
        return (f"date {year:04}-{month:02}-{day:02}: day {day} does not exist "
                f"({year:04}-{month:02} has {last} days)")
    return None


def _line_of(front: str, name: str) -> int | None:
    """The file's line where the front matter sets ``name`` (line 1 is the opening ``+++``)."""
    for number, line in enumerate(front.splitlines(), start=2):
        if re.match(rf"\s*{re.escape(name)}\s*=", line):
            return number
    return None


def _language(path: Path, from_name: str | None, meta: "_Front") -> str:
    declared = meta.string("lang")
    if from_name and declared and get_code(path, declared) != get_code(path, from_name):
        raise meta.error("lang", f"the file name says language {from_name!r} but the "
                                 f"front matter says lang = {declared!r}")
    if not (from_name or declared):
        raise CorpusError(path, "no language: name the file <slug>.<lang>.md or set "
                                "lang in the front matter")
    if from_name:
        return get_code(path, from_name)
    try:
        return get_language(declared).code
    except UnknownLanguage as error:
        raise meta.error("lang", str(error)) from None


def get_code(path: Path, code: str) -> str:
    """The registry's code for ``code``, or a CorpusError naming the known ones."""
    try:
        return get_language(code).code
    except UnknownLanguage as error:
        raise CorpusError(path, str(error)) from None


@dataclass(frozen=True)
class _Front:
    """A file's parsed front matter, whose problems are reported at the field's line."""

    path: Path
    text: str
    meta: dict

    def error(self, name: str, message: str) -> CorpusError:
        return CorpusError(self.path, message, _line_of(self.text, name))

    def string(self, name: str) -> str | None:
        value = self.meta.get(name)
        if value is not None and not isinstance(value, str):
            raise self.error(name, f"{name} must be a string, got {type(value).__name__} "
                                   f"{value!r}")
        return value

    def key(self) -> str | None:
        """The translation key, a slug: it names the statement's page, /statement/<key>.

        Anything else made pages no link could open: a ``/`` or ``..`` leaves
        the path, a key ending in ``.json`` opens another key's JSON.
        """
        value = self.string("translation_key")
        if value is not None and not re.fullmatch(SLUG, value):
            raise self.error("translation_key", (
                "translation_key must be a slug (lower-case letters, digits, '-' or '_', "
                f"starting with a letter or digit), as it names the statement's page "
                f"/statement/<key>; got {value!r}"))
        return value

    def date(self) -> dt.date | None:
        """Accept a TOML date or date-time, or an ISO 8601 date string."""
        value = self.meta.get("date")
        if value is None or type(value) is dt.date:
            return value
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        impossible = _impossible_date(value) if isinstance(value, str) else None
        raise self.error("date", impossible or
                         f"date must be a date such as 2015-01-13, got {value!r}")

    def url(self) -> str | None:
        value = self.meta.get("url")
        if value is None:
            return None
        if not isinstance(value, str) or not re.match(r"https?://\S+$", value):
            raise self.error("url", f"url must be an http(s) address, got {value!r}")
        return value

    def tags(self, name: str = "tags") -> tuple[str, ...]:
        value = self.meta.get(name, [])
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise self.error(name, f"{name} must be a list of strings, got {value!r}")
        return tuple(t.strip() for t in value if t.strip())
