"""Plain text of a Markdown body: what is indexed, highlighted and shown in snippets."""

from __future__ import annotations

import gc
import html
import re
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (IMAGE_LINK_RE, LINK_RE, ImageInlineProcessor,
                                     LinkInlineProcessor)
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "tr", "br", "hr", "div", "table", "ul", "ol", "dd", "dt"}

_MARKUP = re.compile(r"[\\`*_\[\x02\x03]|^(?:[ \t#+=-]|\d+\.)", re.MULTILINE)
"""What can make Python-Markdown's text differ from the lines as written:
inline markup (emphasis, code, links, backslash escapes, the renderer's own
placeholder characters), indented lines (code blocks, list continuations)
and lines that start a heading, list, rule or underline.  ``<``, ``>`` and
``&`` are escaped before rendering and come back unchanged, so they are not
markup here."""


class _CodeEscapedOnce(Treeprocessor):
    """Code spans and blocks escaped once, as all other text is.

    The source is escaped before rendering (so that raw HTML stays text), and
    Python-Markdown escapes code again: ``<b>`` in a code span showed as
    ``&lt;b&gt;`` on the page and in snippets.  Undoing its escape of code
    restores one level.
    """

    def run(self, root) -> None:
        for code in root.iter("code"):
            if code.text:
                code.text = AtomicString(html.unescape(code.text))


class _AddressOnly:
    """A link or image whose address holds a quote, white space or other markup is text.

    Python-Markdown took ``![img](x" onerror="alert(12)) `code`` for an image
    whose address ran on over the code span: the words were lost in an
    attribute, and its placeholder character (U+0003) was left as the text.
    """

    def getLink(self, data: str, index: int):
        href, title, end, handled = super().getLink(data, index)
        return href, title, end, handled and not _NOT_IN_ADDRESS.search(href)


class _Link(_AddressOnly, LinkInlineProcessor):
    """``[text](address)``, its address plain."""


class _Image(_AddressOnly, ImageInlineProcessor):
    """``![alt](address "title")``, its address plain."""


_NOT_IN_ADDRESS = re.compile(r'[\s"\x02\x03]')
"""White space, a quote, or Python-Markdown's placeholders (markup already read)."""


class _TextAsWritten(Extension):
    """Links and images only with plain addresses; code escaped once."""

    def extendMarkdown(self, md) -> None:
        md.inlinePatterns.register(_Link(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(_Image(IMAGE_LINK_RE, md), "image_link", 150)
        # After inline processing (priority 20), once code spans exist.
        md.treeprocessors.register(_CodeEscapedOnce(md), "code_escaped_once", 5)


def markdown_html(source: str) -> str:
    """A Markdown body as HTML, every character of its text shown as written.

    Raw HTML and entities in the source are escaped first, so they show as
    the characters a reader typed, never as markup; code is escaped once
    like the rest; an ordered list keeps its first number (``sane_lists``).
    Not sanitised: links such as ``javascript:`` are the caller's to remove.

    Python-Markdown recurses once per level of nesting, and a text nested
    hundreds of levels deep ends in a ``RecursionError`` that the callers
    catch.  The garbage collector is held off meanwhile: a finaliser it ran
    at the bottom of that stack (a searcher's, a held build's) would
    overflow it too, and what it releases would stay held.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return markdown.markdown(html.escape(source, quote=False),
                                 extensions=["sane_lists", _TextAsWritten()])
    finally:
        if collecting:
            gc.enable()


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
    collector.feed(markdown_html(source))
    collector.close()
    return _paragraphs("".join(collector.parts))


def _paragraphs(text: str) -> str:
    """Each non-blank line with its white space collapsed, one a line."""
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(p for p in paragraphs if p)
