"""Plain text of a Markdown body: what is indexed, highlighted and shown in snippets."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "tr", "br", "hr", "div", "table", "ul", "ol", "dd", "dt"}


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
    characters a reader sees, never as markup.
    """
    collector = _TextCollector()
    collector.feed(markdown.markdown(html.escape(source, quote=False)))
    collector.close()
    paragraphs = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(p for p in paragraphs if p)
