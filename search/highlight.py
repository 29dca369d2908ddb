"""Snippets and titles with the matched words wrapped in ``<mark>``.

Whoosh re-analyses the stored text with a field's own chain and marks the
tokens whose analysed form matched, using each token's offsets into the
original text: a folded or stemmed match marks the characters as written
(``Zabójstwa`` for the query ``zabojstw``).  Whoosh's ``HtmlFormatter``
escapes everything else, so corpus text can never become markup.
"""

from __future__ import annotations

import re
from html import escape, unescape

from whoosh import highlight

from .explain import contains


class EarlierFirstScorer(highlight.BasicFragmentScorer):
    """Whoosh's passage score, with ties going to the earlier passage.

    Whoosh breaks a tie by comparing the passages themselves, which compares
    their memory addresses (``Fragment.__lt__``). The same search then showed
    different snippets from one request to the next. Whoosh's scores are
    whole multiples of 100 (matched words × distinct words × 100, every
    token's boost being 1), so a bonus under 1 only orders equal ones.
    """

    def __call__(self, fragment) -> float:
        return super().__call__(fragment) + 1 / (2 + fragment.startchar)


class MarkFormatter(highlight.HtmlFormatter):
    """Marks every match as ``<mark class="match">``, the text escaped.

    Whoosh's own formatter adds a per-word class (``term0``, ``term1`` …)
    numbered in a table that it keeps across calls and shares between
    threads, so the same request got other classes depending on what the
    process had highlighted before.
    """

    def format_token(self, text, token, replace=False) -> str:
        return f'<mark class="match">{self._text(highlight.get_text(text, token, replace))}</mark>'


FORMATTER = MarkFormatter(between=" … ")
SNIPPET = highlight.Highlighter(
    fragmenter=highlight.ContextFragmenter(maxchars=300, surround=80),
    scorer=EarlierFirstScorer(), formatter=FORMATTER)
WHOLE = highlight.Highlighter(fragmenter=highlight.WholeFragmenter(charlimit=None),
                              formatter=FORMATTER)
LABEL_WORDS = 10
SNIPPET_CHARS = 240

# Broadest first: the folded twin matches what the stemmed and exact ones do;
# the Latin twin (Greek only) marks what a Greeklish query found.
TWINS = ("_folded", "", "_exact", "_latin")


def _marked(highlighter, hit, field: str, text: str, top: int) -> str:
    schema = hit.searcher.schema
    for suffix in TWINS:
        if field + suffix in schema and _occurs(hit, field + suffix):
            html = highlighter.highlight_hit(hit, field + suffix, text=text, top=top)
            if "<mark" in html:
                return html
    return ""


def _occurs(hit, field: str) -> bool:
    """Whether one of the query's terms in ``field`` is in this document's ``field``.

    Highlighting re-analyses the whole text; a statement found by its title
    alone, or a twin that did not match, would be analysed for nothing, once
    per twin.  The posting lists answer first, cheaply.
    """
    reader = hit.searcher.reader()
    terms = hit.results.q.existing_terms(reader, phrases=True, expand=True, fieldname=field)
    return any(contains(reader, field, text, hit.docnum) for _, text in terms)


def snippet(hit, text: str) -> str:
    """Up to two passages around the best matches, or the opening words."""
    return _marked(SNIPPET, hit, "body", text, top=2) or opening(text)


def title_html(hit, title: str, text: str) -> str:
    """The title with its matches marked; an untitled statement gets a label."""
    if not title:
        label = untitled_label(text)
        return _marked(WHOLE, hit, "body", label, top=1) or escape(label, quote=False)
    return _marked(WHOLE, hit, "title", title, top=1) or escape(title, quote=False)


def whole_text(hit, text: str) -> str:
    """All of ``text`` with every match marked (for a statement's own page)."""
    return _marked(WHOLE, hit, "body", text, top=1) or escape(text, quote=False)


def untitled_label(text: str) -> str:
    """A readable label for an untitled statement: its first words."""
    words = text.split()
    label = " ".join(words[:LABEL_WORDS])
    return label + " …" if len(words) > LABEL_WORDS else label


def opening(text: str) -> str:
    """The first words of a text, escaped: the snippet when nothing is marked."""
    cut = text[:SNIPPET_CHARS]
    if len(text) > SNIPPET_CHARS:
        cut = cut.rsplit(" ", 1)[0] + " …"
    return escape(cut, quote=False)


def plain(html: str, mark: tuple[str, str] = ("", "")) -> str:
    """Snippet HTML as plain text: marks replaced by ``mark``, entities decoded."""
    text = re.sub(r"<mark[^>]*>", mark[0], html).replace("</mark>", mark[1])
    return unescape(re.sub(r"<[^>]+>", "", text))


def marked_words(html: str) -> set[str]:
    """The words, as written in the text, that a highlighter wrapped in ``<mark>``."""
    return {unescape(word) for word in re.findall(r"<mark[^>]*>(.*?)</mark>", html)}


def mark_words(html: str, words: set[str]) -> str:
    """Wrap whole ``words`` in ``<mark>`` inside the text (never the tags) of ``html``.

    Used on a statement's rendered Markdown, where the highlighter cannot run
    on the markup itself; the words come from :func:`marked_words` on the
    same statement's plain text, so they are exactly what matched.
    """
    if not words:
        return html
    alternatives = "|".join(re.escape(escape(w, quote=False))
                            for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)")
    parts = re.split(r"(<[^>]+>)", html)
    return "".join(part if part.startswith("<") else pattern.sub(r"<mark>\1</mark>", part)
                   for part in parts)
