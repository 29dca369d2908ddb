"""Each imported post's language, file name and translation key.

A post's language is the one its site declares (Polylang's or WPML's term or
field, a saved page's ``<html lang>``), else the one given with ``--lang``,
else the one py3langid reads in its text (among the registry's languages),
else the site's own language (an export's ``<language>``).  Posts that the
site groups as translations of each other (a Polylang ``post_translations``
term, a WPML translation group, the REST API's ``translations``) share one
``translation_key``: the slug of the group's earliest post, so that the key
stays the same from one import to the next.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from search import UnknownLanguage, get_language, locales

from ..langcheck import MIN_CHARACTERS, _identifier
from ..markdown_text import markdown_to_text
from .records import Post, Skipped, safe_slug


@dataclass
class Named:
    """A post with its language, corpus file name and translation key decided."""

    post: Post
    lang: str
    lang_from: str
    slug: str
    key: str | None = None

    @property
    def file(self) -> str:
        return f"{self.slug}.{self.lang}.md"


def name_posts(posts: list[Post], lang: str | None = None,
               site_lang: str | None = None) -> tuple[list[Named], list[Skipped]]:
    """Decide every post's language, file name and key; a post whose language is unknown is skipped."""
    named, skipped = [], []
    identifier = None
    for post in posts:
        code, how = post.lang, post.lang_from
        if not code and lang:
            code, how = lang, "--lang"
        if not code:
            text = f"{post.title}\n{markdown_to_text(post.markdown)}"
            if len(text) >= MIN_CHARACTERS:
                identifier = identifier or _identifier()
                code, probability = identifier.classify(text)
                code, how = locales.canonical(code), f"identified ({probability:.0%})"
            elif site_lang:
                code, how = site_lang, "the site's language"
        if not code:
            skipped.append(Skipped(post.label, "too little text to tell its language; pass "
                                               "--lang CODE"))
            continue
        try:
            code = get_language(code).code
        except UnknownLanguage:
            skipped.append(Skipped(post.label, f"language {code!r} ({how}) is not a "
                                               "language code; pass --lang CODE"))
            continue
        named.append(Named(post, code, how, safe_slug(post.slug, post.fallback_slug)))
    _unique_files(named)
    _keys(named)
    return named, skipped


def _unique_files(named: list[Named]) -> None:
    """Two posts that would get one file name: the later one's slug takes a suffix."""
    taken: set[str] = set()
    for item in named:
        base, n = item.slug, 2
        while item.file in taken:
            item.slug = f"{base}-{n}"
            n += 1
        taken.add(item.file)


def _keys(named: list[Named]) -> None:
    """A translation group of two or more posts shares its earliest post's slug as key."""
    groups: dict[str, list[Named]] = defaultdict(list)
    for item in named:
        if item.post.group:
            groups[item.post.group].append(item)
    for members in groups.values():
        if len(members) < 2:
            continue
        first = min(members, key=lambda m: (m.post.date or dt.date.max, m.lang, m.slug))
        for member in members:
            if member.slug != first.slug:
                member.key = first.slug
