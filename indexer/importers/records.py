"""What every importer reads a statement into, and how it becomes a corpus file."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import tomli_w
from unidecode import unidecode


@dataclass
class Post:
    """One statement in one language as a source gives it, before it is named and written."""

    source: str                 # what identifies it across imports: a post's guid, a page's URL
    label: str                  # how the report names it: 'post 12 "Title"'
    slug: str                   # as the source gives it (may be empty, non-ASCII, %-encoded)
    title: str
    markdown: str
    date: dt.date | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    lang: str | None = None     # declared by the source (Polylang, WPML, <html lang>)
    lang_from: str = ""         # who declared it, for the report
    group: str | None = None    # the source's translation group, if it has one
    fallback_slug: str = "statement"
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """A source item that is not imported, and why."""

    label: str
    reason: str


def text_of(markup: str) -> str:
    """Plain text of a title that may hold markup and entities (``Title <em>With</em> &amp;``)."""
    text = re.sub(r"<[^>]*>", "", markup or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def safe_slug(raw: str, fallback: str) -> str:
    """A corpus slug (``[a-z0-9][a-z0-9_-]*``) from a WordPress slug: %-decoded, transliterated."""
    text = unidecode(unquote(raw or "")).lower()
    text = re.sub(r"[^a-z0-9_-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    return text[:120].rstrip("-_") or fallback


def date_of(text: str | None) -> dt.date | None:
    """The date of ``2020-08-31 10:00:00`` or ``2020-08-31T10:00:00``; None for WordPress's zero date."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    if not match or match[1] == "0000":
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def http_url(text: str | None) -> str | None:
    text = (text or "").strip()
    return text if re.match(r"https?://\S+$", text) else None


def corpus_text(post: Post, key: str | None) -> str:
    """The corpus file: TOML front matter between ``+++`` lines, then the Markdown."""
    front: dict = {"title": post.title}
    if post.date:
        front["date"] = post.date
    if post.url:
        front["url"] = post.url
    if key:
        front["translation_key"] = key
    if post.tags:
        front["tags"] = list(post.tags)
    if post.categories:
        front["categories"] = list(post.categories)
    return f"+++\n{tomli_w.dumps(front)}+++\n\n{post.markdown.strip()}\n"
