"""Read a WordPress export (WXR 1.0-1.2) into posts, one item at a time.

The file comes from outside, so it is parsed with defusedxml (no entity
expansion, no external references: a "billion laughs" file is refused, not
expanded) and streamed with ``iterparse``, each item dropped once read, so an
export of any size takes the memory of one post.  Both spellings of the
namespace (``http://wordpress.org/export/1.2/`` and ``https://…``) and every
WXR version are read the same.

Kept: published posts (with ``pages=True``, published pages too) of the
chosen categories.  Left out, each with its reason in the report: drafts,
scheduled and private posts, password-protected posts (their text is not
public), posts without text.  Attachments and menu items are not statements
and are only counted.  Languages and translation groups come from Polylang
(``<category domain="language">`` and a shared
``<category domain="post_translations">``) or from WPML's export
(``_wpml_import_language_code`` and ``_wpml_import_translation_group``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..errors import ExportInvalid
from ..progress import progress
from .html_markdown import post_markdown
from .records import Post, Skipped, date_of, http_url, text_of

_NAMESPACES = (
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/$"), "wp:"),
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$"), "excerpt:"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$"), "content:"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/$"), "dc:"),
)
_LOCALE = re.compile(r'"locale";s:\d+:"([A-Za-z_-]+)"')
STATUS_REASONS = {
    "draft": "a draft, not published",
    "pending": "pending review, not published",
    "private": "private, not public",
    "trash": "in the trash",
    "auto-draft": "an unsaved draft",
}


@dataclass
class Export:
    """What an export holds: the posts to import, the items left out and the site's language."""

    posts: list[Post] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_statements: Counter = field(default_factory=Counter)
    other_categories: int = 0
    site_language: str | None = None
    wxr_version: str | None = None
    site: str = ""


def read_export(path: Path, categories: set[str] | None = None,
                pages: bool = False) -> Export:
    """Every published post (and page) of ``categories`` (all when None) in the export at ``path``.

    :raise ExportInvalid: the file is not well-formed XML, holds entity
        declarations or external references, or is not a WordPress export.
    """
    export = Export()
    language_locales: dict[str, str] = {}
    kinds = {"post", "page"} if pages else {"post"}
    wanted = {c.lower() for c in categories} if categories else None
    size = path.stat().st_size
    with open(path, "rb") as stream, progress(max(size, 1), "reading export") as bar:
        done = 0
        try:
            for event, element in iterparse(stream, events=("start", "end")):
                tag = _name(element.tag)
                if event == "start":
                    if done == 0 and tag != "rss":
                        raise ExportInvalid(path, f"not a WordPress export: the document is "
                                                  f"<{tag}>, not an RSS feed with <item>s")
                    done = max(done, 1)
                    continue
                if tag == "item":
                    _read_item(element, export, kinds, wanted, language_locales)
                    element.clear()
                    position = stream.tell()
                    bar.update(max(0, position - done))
                    done = max(done, position)
                elif tag in ("wp:term", "wp:category", "wp:tag"):
                    _read_term(element, language_locales)
                    element.clear()
                elif tag == "wp:wxr_version":
                    export.wxr_version = (element.text or "").strip()
                elif tag in ("wp:base_blog_url", "link") and not export.site:
                    export.site = (element.text or "").strip().rstrip("/")
                elif tag == "language" and export.site_language is None:
                    export.site_language = (element.text or "").strip() or None
        except ParseError as error:
            line = error.position[0] if getattr(error, "position", None) else None
            message = re.sub(r": line \d+, column \d+$", "", str(error))
            raise ExportInvalid(path, f"not well-formed XML ({message}); the export is "
                                      "damaged or cut short: export it again", line) from None
        except DefusedXmlException as error:
            raise ExportInvalid(path, f"refused: the file declares XML entities or external "
                                      f"references ({type(error).__name__}), which a "
                                      "WordPress export never does") from None
        bar.update(max(0, size - done))
    if export.wxr_version is None:
        raise ExportInvalid(path, "not a WordPress export: no <wp:wxr_version> (export it "
                                  "with Tools > Export in WordPress)")
    return export


def _name(tag: str) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` as ``wp:post_id``, whatever the spelling."""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    for pattern, prefix in _NAMESPACES:
        if pattern.match(namespace):
            return prefix + local
    return tag


def _fields(item) -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, str]]:
    """An item's simple fields, its categories (domain, nicename, name) and its post meta."""
    fields, terms, meta = {}, [], {}
    for child in item:
        tag = _name(child.tag)
        if tag == "category":
            terms.append((child.get("domain", ""), child.get("nicename", ""),
                          (child.text or "").strip()))
        elif tag == "wp:postmeta":
            parts = {_name(c.tag): (c.text or "") for c in child}
            meta[parts.get("wp:meta_key", "")] = parts.get("wp:meta_value", "")
        elif tag != "wp:comment":
            fields[tag] = child.text or ""
    return fields, terms, meta


def _read_term(element, locales: dict[str, str]) -> None:
    """Polylang's language terms: their slug and the locale in their description."""
    parts = {_name(c.tag): (c.text or "") for c in element}
    if parts.get("wp:term_taxonomy") == "language":
        found = _LOCALE.search(parts.get("wp:term_description", ""))
        if found:
            locales[parts.get("wp:term_slug", "")] = found[1]


def _read_item(item, export: Export, kinds: set[str], wanted: set[str] | None,
               locales: dict[str, str]) -> None:
    fields, terms, meta = _fields(item)
    kind = fields.get("wp:post_type", "").strip()
    if kind not in kinds:
        export.not_statements[kind or "unknown"] += 1
        return
    number = fields.get("wp:post_id", "").strip()
    title = text_of(fields.get("title", ""))
    label = f'{kind} {number} "{title}"' if title else f"{kind} {number} (untitled)"
    status = fields.get("wp:status", "").strip()
    categories = [(nice, name) for domain, nice, name in terms if domain == "category"]
    if wanted is not None and not any(nice.lower() in wanted or name.lower() in wanted
                                      for nice, name in categories):
        export.other_categories += 1
        return
    date = date_of(fields.get("wp:post_date"))
    if status == "future":
        export.skipped.append(Skipped(label, f"scheduled for {date}, not published yet"))
        return
    if status != "publish":
        export.skipped.append(Skipped(label, STATUS_REASONS.get(status,
                                                                f"status {status!r}")))
        return
    if fields.get("wp:post_password", "").strip():
        export.skipped.append(Skipped(label, "password-protected: its text is not public"))
        return
    markdown = post_markdown(fields.get("content:encoded", ""))
    if not markdown:
        export.skipped.append(Skipped(label, "no text"))
        return
    lang, lang_from, group = _language(terms, meta, locales)
    export.posts.append(Post(
        # Not the guid: exports hold duplicate ones.  The site and the id are what a
        # post's REST twin is known by too (wp_json.py), and WordPress's own short link.
        source=f"{export.site}/?p={number}",
        label=label,
        slug=fields.get("wp:post_name", "").strip() or title,
        fallback_slug=f"{kind}-{number}",
        title=title,
        markdown=markdown,
        date=date,
        url=http_url(fields.get("link")),
        tags=tuple(dict.fromkeys(name for domain, _, name in terms
                                 if domain == "post_tag" and name)),
        categories=tuple(dict.fromkeys(name for _, name in categories if name)),
        lang=lang, lang_from=lang_from, group=group))


def _language(terms, meta: dict[str, str], locales: dict[str, str]):
    """(language, who says so, translation group) from Polylang's terms, else WPML's meta."""
    for domain, nice, _ in terms:
        if domain == "language" and nice:
            group = next((f"polylang:{n}" for d, n, _ in terms
                          if d == "post_translations" and n), None)
            return locales.get(nice, nice), "Polylang", group
    code = meta.get("_wpml_import_language_code", "").strip()
    if code:
        group = meta.get("_wpml_import_translation_group", "").strip()
        return code, "WPML", f"wpml:{group}" if group else None
    return None, "", None
