"""Plain text of Markdown bodies: the shortcut for bodies without Markdown syntax."""

from __future__ import annotations

import pytest

from indexer import markdown_text
from indexer.markdown_text import markdown_to_text


def rendered(source: str) -> str:
    """The text through Python-Markdown, never the shortcut."""
    collector = markdown_text._TextCollector()
    collector.feed(markdown_text.markdown_html(source))
    collector.close()
    return markdown_text._paragraphs("".join(collector.parts))


@pytest.mark.parametrize("source", [
    "One paragraph,\nwith a second line.\n\nAnother   paragraph\twith tabs.",
    "A hard break  \nafter two spaces; Windows\r\nline ends and an old Mac\rone.",
    "Markup stays text: <b>bold</b> & <script>x()</script> &amp; &#99999999; 5 > 3",
    "Unicode white space:\u00a0no-break\u2028line separator\x85next line.",
    "Ελληνικά, polski zażółć, 13.9 million, 18-19 March.",
])
def test_plain_bodies_skip_the_renderer_with_the_same_text(source):
    assert not markdown_text._MARKUP.search(source.replace("\r\n", "\n").replace("\r", "\n"))
    assert markdown_to_text(source) == rendered(source)


@pytest.mark.parametrize("source, text", [
    ("Some *emphasis* and `code`.", "Some emphasis and code."),
    ("A [link](https://example.org) here.", "A link here."),
    ("# Heading\n\n- one\n- two", "Heading\none\ntwo"),
    ("1. first\n2. second", "first\nsecond"),
    ("Title\n=====\n\nBody", "Title\nBody"),
    ("    indented code", "indented code"),
])
def test_bodies_with_markdown_are_rendered(source, text):
    assert markdown_text._MARKUP.search(source)
    assert markdown_to_text(source) == rendered(source) == text
