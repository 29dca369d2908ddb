"""Plain text of a Markdown body: what is indexed, highlighted and shown in snippets."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "tr", "br", "hr", "div", "table", "ul", "ol", "dd", "dt"}

_MARKUP = re.compile(r"[\\`*_\[\x02\x03]|^(?:[ \t#+=-]|\d+\.)", re.MULTILINE)
"""What can make Python-Markdown's text differ from the lines as written:
inline markup (emphasis, code, links, backslash escapes, the renderer's own
placeholder characters), indented lines (code blocks, list continuations)
and lines that start a heading, list, rule or underline.  ``<``, ``>`` and
``&`` are escaped before rendering and come back unchanged, so they are not
markup here."""


class _TextCollector(HTMLParser):
    """Collect text nodes, with a line break at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def markdown_to_text(source: str) -> str:
    """Render Markdown and keep its text, one paragraph a line.

    Raw HTML in the source stays as literal text (it is escaped before
    rendering), so ``<script>`` in a statement is indexed and shown as the
    characters a reader sees, never as markup.  A body without any Markdown
    syntax (most of them) renders to its own lines, so it is not rendered:
    rendering is most of the time spent reading a corpus.
    """
    lines = source.replace("\r\n", "\n").replace("\r", "\n")
    if not _MARKUP.search(lines):
        return _paragraphs(lines)
    collector = _TextCollector()
    collector.feed(markdown.markdown(html.escape(source, quote=False)))
    collector.close()
    return _paragraphs("".join(collector.parts))


def _paragraphs(text: str) -> str:
    """Each non-blank line with its white space collapsed, one a line."""
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(p for p in paragraphs if p)
