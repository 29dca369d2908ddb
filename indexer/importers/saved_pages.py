"""Read saved web pages, one statement each, with trafilatura: the main text, never menus or footers.

trafilatura (pinned in ``pyproject.toml``: the extractor decides what gets
indexed) finds the page's main text and gives it as Markdown, with its
title, canonical URL and date.  The date is taken only from the page's
markup (``article:published_time``, ``<time>``, JSON-LD, the URL): its
"extensive search", which would read a copyright year in a footer as a
date, is off, so an undated page stays undated.  The language is the page's
``<html lang>`` where it names one, else the one py3langid reads (as for any
import, see ``naming``).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import trafilatura

from .records import Post, Skipped, date_of, http_url, text_of

SUFFIXES = {".html", ".htm", ".xhtml"}
DATE_OPTIONS = {"extensive_search": False, "original_date": True}


def page_files(paths: list[Path]) -> list[Path]:
    """The pages named, and the pages inside the folders named, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                            and p.is_file())
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def read_pages(paths: list[Path]) -> tuple[list[Post], list[Skipped]]:
    """A post per page that has a main text; the others left out with their reason."""
    posts, skipped = [], []
    for path in page_files(paths):
        try:
            raw = path.read_bytes()
        except OSError as error:
            skipped.append(Skipped(str(path), f"cannot be read ({error.strerror})"))
            continue
        post = read_page(raw, path)
        if isinstance(post, Skipped):
            skipped.append(post)
        else:
            posts.append(post)
    return posts, skipped


def read_page(raw: bytes, path: Path) -> Post | Skipped:
    """One saved page as a post."""
    label = str(path)
    try:
        document = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False,
            date_extraction_params=DATE_OPTIONS)
        markdown = trafilatura.extract(
            raw, output_format="markdown", include_links=True, include_formatting=True,
            include_tables=True, include_images=False, include_comments=False) or ""
    except (ValueError, TypeError) as error:
        return Skipped(label, f"not a page trafilatura can read ({error})")
    markdown = markdown.strip()
    if not document or not markdown:
        return Skipped(label, "no main text found (is it a page of a single statement?)")
    title = text_of(document.title or "")
    markdown = _without_title(markdown, title)
    url = http_url(document.url)
    lang = _html_lang(raw)
    slug = _slug_of(url) or path.stem
    return Post(source=url or f"file:{path.name}", label=f'{label} "{title}"' if title
                else label, slug=slug, fallback_slug="page", title=title,
                markdown=markdown, date=date_of(document.date), url=url,
                tags=tuple(dict.fromkeys(str(t).strip() for t in document.tags or ()
                                         if str(t).strip())),
                lang=lang, lang_from="<html lang>" if lang else "")


def _without_title(markdown: str, title: str) -> str:
    """The text without a first heading that repeats the title."""
    first, _, rest = markdown.partition("\n")
    if title and re.sub(r"^#+\s*", "", first).strip() == title:
        return rest.strip()
    return markdown


def _html_lang(raw: bytes) -> str | None:
    try:
        root = lxml.html.document_fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return None
    value = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
             or "").strip()
    return value or None


def _slug_of(url: str | None) -> str:
    """The last part of a page's path: ``/2020/08/belarus-statement/`` gives ``belarus-statement``."""
    if not url:
        return ""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if not parts:
        return ""
    return re.sub(r"\.(html?|php|aspx?)$", "", parts[-1])
