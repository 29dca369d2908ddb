"""A WordPress post's HTML as readable Markdown: shortcodes and block comments out, links and lists kept.

The conversion itself is markdownify's (pinned in ``pyproject.toml``: the
converter decides what gets indexed).  Around it, what WordPress does to a
post's stored text before showing it:

* ``wpautop``: a post written in the classic editor is stored without ``<p>``
  tags, its paragraphs separated by blank lines; WordPress adds them when it
  shows the post (block-editor posts, marked by ``<!-- wp:`` comments, are
  stored with them and left alone, as WordPress does).
* shortcodes (``[gallery]``, ``[caption]…[/caption]``) are the site's plugins'
  markup, not text: they are removed, the text a shortcode encloses is kept
  (a caption), except the media ones' (an embed's URL, a video's fallback).
  A bracketed word is taken for a shortcode only when WordPress or a common
  plugin defines it, when it has attributes (``name="value"``) or a closing
  ``[/name]``: ``[1]``, ``[sic]`` and ``[…]`` stay text.  ``[[gallery]]`` is
  WordPress's way of writing ``[gallery]`` as text, and stays ``[gallery]``.
* comments (``<!--more-->``, block delimiters) go; so do images, scripts,
  styles and embedded frames, which are not the statement's text.
"""

from __future__ import annotations

import re

from markdownify import MarkdownConverter

KNOWN_SHORTCODES = frozenset({
    "audio", "caption", "embed", "gallery", "playlist", "video", "wp_caption",
    "youtube", "vimeo", "soundcloud", "dailymotion", "flickr", "googlemaps",
    "slideshow", "tweet", "twitter-timeline", "instagram", "scribd", "ted",
    "contact-form", "contact-field", "contact-form-7", "wpforms", "gravityform",
    "recent-posts", "archives", "sitemap", "polldaddy", "crowdsignal", "wufoo",
    "et_pb_section", "et_pb_row", "et_pb_column", "et_pb_text", "vc_row",
    "vc_column", "vc_column_text", "fusion_builder_container", "fusion_text",
})
"""Shortcodes of WordPress itself, WordPress.com/Jetpack and common page builders."""

MEDIA_SHORTCODES = frozenset({"audio", "embed", "gallery", "playlist", "video",
                              "youtube", "vimeo", "soundcloud", "dailymotion",
                              "flickr", "googlemaps", "slideshow", "tweet",
                              "instagram", "scribd", "ted"})
"""Shortcodes whose enclosed text is a URL or a fallback, not the statement's text."""

_SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s[^\[\]]*)?)\]")
_CAPTION = re.compile(r"""\bcaption=(["'])(.*?)\1""", re.DOTALL)
_ESCAPED_SHORTCODE = re.compile(r"\[(\[[^\[\]]+\])\]")
_PLACEHOLDER = "\x00{}\x00"

BLOCK_TAGS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|"
              "li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|"
              "legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|"
              "details|menu|summary|iframe|script|noscript")
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def post_markdown(html: str, stored: bool = True) -> str:
    """The Markdown of a post's HTML.

    :param stored: the text as WordPress stores it (an export's
        ``content:encoded``): paragraphs still to be added.  ``False`` for
        HTML as WordPress shows it (the REST API's ``content.rendered``).
    """
    html = strip_shortcodes(html)
    if stored and "<!-- wp:" not in html:
        html = autop(html)
    html = _COMMENT.sub("", html)
    return _tidy(_Converter(heading_style="ATX", bullets="-", newline_style="backslash",
                            table_infer_header=True,
                            strip_document="strip").convert(html))


def strip_shortcodes(text: str) -> str:
    """Remove shortcodes, keeping the text they enclose (not a media shortcode's)."""
    escaped: list[str] = []

    def keep(match: re.Match) -> str:
        escaped.append(match[1])
        return _PLACEHOLDER.format(len(escaped) - 1)

    text = _ESCAPED_SHORTCODE.sub(keep, text)
    closed = {m[2].lower() for m in _SHORTCODE.finditer(text) if m[1]}

    def is_shortcode(match: re.Match) -> bool:
        name = match[2].lower()
        return name in KNOWN_SHORTCODES or name in closed or "=" in match[3]

    for name in MEDIA_SHORTCODES & closed:
        text = re.sub(rf"\[{re.escape(name)}(?:\s[^\[\]]*)?\].*?\[/{re.escape(name)}\]", "",
                      text, flags=re.IGNORECASE | re.DOTALL)
    def replace(match: re.Match) -> str:
        if not is_shortcode(match):
            return match[0]
        # [caption caption="…"] (WordPress before 3.4) holds its text in an attribute.
        caption = _CAPTION.search(match[3]) if match[2].lower() in ("caption", "wp_caption") \
            else None
        return f" {caption[2]} " if caption else ""

    text = _SHORTCODE.sub(replace, text)
    for n, original in enumerate(escaped):
        text = text.replace(_PLACEHOLDER.format(n), original)
    return text


def autop(text: str) -> str:
    """WordPress's ``wpautop``, simplified: blank lines part paragraphs, a newline is a break."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match[0])
        return _PLACEHOLDER.format(len(kept) - 1)

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk) or re.fullmatch("\x00\\d+\x00", chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    text = "\n\n".join(chunks)
    for n, original in enumerate(kept):
        text = text.replace(_PLACEHOLDER.format(n), original)
    return text


_LIST_MARKER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_HEADING_MARKER = re.compile(r"^(\s*)(#{1,6})(?=\s|$)")
_DASHES = re.compile(r"^(\s*)([-+])(?=\s|$)")


class _Converter(MarkdownConverter):
    """markdownify without images and empty links; a paragraph's own number stays text."""

    def convert_img(self, el, text, parent_tags):
        return ""

    def convert_a(self, el, text, parent_tags):
        if not text.strip():
            return text
        return super().convert_a(el, text, parent_tags)

    def escape(self, text, parent_tags):
        # "1. The …" at the start of a paragraph is the statement's numbering, not a list.
        text = super().escape(text, parent_tags)
        text = _LIST_MARKER.sub(r"\1\\\2", text)
        text = _HEADING_MARKER.sub(r"\1\\\2", text)
        return _DASHES.sub(r"\1\\\2", text)

    convert_script = convert_style = convert_iframe = convert_noscript = \
        convert_object = convert_video = convert_audio = convert_svg = convert_img


def _tidy(markdown: str) -> str:
    """No trailing spaces, no line break ending a paragraph, at most one blank line in a row."""
    lines = [line.rstrip() for line in markdown.splitlines()]
    for n, line in enumerate(lines):
        after = lines[n + 1].strip() if n + 1 < len(lines) else ""
        # A <br> at the end of a paragraph or quote breaks nothing: drop its "\".
        if line.endswith("\\") and not line.endswith("\\\\") and (
                after in ("", ">") or line.lstrip("> ") == "\\"):
            lines[n] = line[:-1].rstrip()
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
