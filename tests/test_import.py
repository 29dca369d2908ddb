"""`python -m indexer import wordpress|html`: the files written, what is left out, and repeat runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.__main__ import main
from indexer.corpus import read_document
from search.store import CATALOG, current_generation, read_json

from .conftest import ROOT
from .searching import find

FIXTURES = ROOT / "tests" / "import_fixtures"
EXPORT = FIXTURES / "themeunittestdata.wordpress.xml"  # WordPress's theme unit test data


def run(*args: str) -> int:
    return main(["import", *args, "--no-langid"])


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder under ``folder``: its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None,
                                         p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, str]:
    """The shared WordPress export imported into an empty corpus folder, and the report."""
    corpus = tmp_path_factory.mktemp("wxr") / "statements"
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert run("wordpress", str(EXPORT), "--corpus", str(corpus)) == 0
    return corpus, out.getvalue()


def front(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("+++")[1]


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("+++", 2)[2]


# The shared export ---------------------------------------------------------------------

def test_one_file_per_published_post_with_text(imported):
    corpus, report = imported
    files = sorted(p.name for p in corpus.glob("*.md"))
    # 56 published posts: one is password-protected, two have no text (an empty post,
    # an image alone); the draft and the scheduled post are not published.
    assert len(files) == 53
    assert report.splitlines()[-1].startswith("import wordpress: 58 posts read")
    assert "53 added, 0 changed, 0 unchanged, 0 kept as edited, 5 left out" in report
    for reason in ('post 1164 "Draft": a draft, not published',
                   'post 1153 "Scheduled": scheduled for 2030-01-01, not published yet',
                   'post 1168 "Template: Password Protected (the password is "enter")": '
                   'password-protected',
                   'post 1170 "Edge Case: No Content": no text'):
        assert f"left out  {reason}" in report
    assert not any(name.startswith(("draft", "scheduled")) for name in files)
    for path in corpus.glob("*.md"):
        read_document(path)  # every file is a valid corpus file


def test_title_date_link_tags_and_categories(imported):
    corpus, _ = imported
    text = front(corpus / "markup-title-with-markup.en.md")
    assert 'title = "Markup: Title With Markup"' in text  # <em>, <b>, <sup> gone
    assert "date = 2013-01-05" in text
    assert ('url = "https://wpthemetestdata.wordpress.com/2013/01/05/'
            'markup-title-with-markup/"') in text
    doc = read_document(corpus / "markup-title-with-markup.en.md")
    assert doc.categories == ("Classic", "Markup") and "html" in doc.tags
    assert "Markup" in doc.tags  # categories are searched with tag: too
    special = read_document(corpus / "title-with-special-characters.en.md")
    assert special.title == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"


def test_an_empty_title_stays_empty(imported):
    corpus, _ = imported
    doc = read_document(corpus / "edge-case-no-title.en.md")
    assert doc.title == "" and doc.date.isoformat() == "2009-09-05"
    assert doc.text.startswith("This post has no title")


def test_nested_lists_links_and_entities_become_markdown(imported):
    corpus, _ = imported
    lists = body(corpus / "edge-case-nested-and-mixed-lists.en.md")
    assert "1. ordered item\n2. ordered item\n   - **unordered**\n   - **unordered**\n" \
           "     1. ordered item" in lists
    assert "### Ordered - Unordered - Ordered" in lists
    more = body(corpus / "template-more-tag.en.md")
    assert "[more tag](https://en.support.wordpress.com/splitting-content/more-tag/" in more
    assert "<!--" not in more and "more-->" not in more
    images = body(corpus / "markup-image-alignment.en.md")
    assert "*Large* & *Fullsize*" in images  # &amp; read as &
    assert "<img" not in images and "![" not in images


def test_shortcodes_and_block_comments_are_removed(imported):
    corpus, _ = imported
    gallery = body(corpus / "post-format-gallery.en.md")
    assert "[gallery" not in gallery and "nextpage" not in gallery
    assert "## Nine Columns" in gallery
    linked = body(corpus / "post-format-image-linked.en.md")
    assert linked.strip() == ("Chunk of resinous blackboy husk, Clarkson, Western Australia. "
                              "This burns like a spinifex log.")  # [caption caption="…"]
    blocks = body(corpus / "blocks-formatting.en.md")
    assert "<!-- wp:paragraph -->" not in blocks
    assert "The formatting category includes the following blocks:" in blocks
    assert "<!-- wp:code -->" in blocks  # inside a code block it is the post's text


def test_a_second_import_changes_nothing(imported, capsys):
    corpus, _ = imported
    before = snapshot(corpus)
    assert run("wordpress", str(EXPORT), "--corpus", str(corpus)) == 0
    assert "0 added, 0 changed, 53 unchanged" in capsys.readouterr().out
    assert snapshot(corpus) == before


def test_a_file_edited_by_hand_is_kept_unless_forced(tmp_path, capsys):
    corpus = tmp_path / "statements"
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus)) == 0
    edited = corpus / "paris-shootings.en.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("1- The", "1- The curated"),
                      encoding="utf-8")
    capsys.readouterr()
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus)) == 0
    out = capsys.readouterr().out
    assert ("kept      paris-shootings.en.md  post 101 \"Statement of the International "
            "Socialist Tendency on the Paris shootings\": edited by hand since the import "
            "wrote it; --force replaces it") in out
    assert "1- The curated" in edited.read_text(encoding="utf-8")
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus),
               "--force") == 0
    assert "changed   paris-shootings.en.md" in capsys.readouterr().out
    assert "curated" not in edited.read_text(encoding="utf-8")


def test_a_hand_made_file_of_the_same_name_is_kept(corpus, capsys):
    (corpus / "against-xenophobia.en.md").write_bytes(
        before := (corpus / "against-xenophobia.en.md").read_bytes())
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus)) == 0
    assert ("against-xenophobia.en.md  post 104 \"Against xenophobia! For working people’s "
            "unity!\": not written by an import; --force replaces it") in \
        capsys.readouterr().out
    assert (corpus / "against-xenophobia.en.md").read_bytes() == before


def test_dry_run_writes_nothing(corpus, capsys):
    before = snapshot(corpus)
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus),
               "--dry-run") == 0
    out = capsys.readouterr().out
    assert "  to add    paris-shootings.en.md  post 101" in out
    assert out.rstrip().endswith("dry run, nothing was written")
    assert snapshot(corpus) == before


def test_categories_choose_the_posts(tmp_path, capsys):
    corpus = tmp_path / "statements"
    assert run("wordpress", str(EXPORT), "--corpus", str(corpus), "--category", "markup") == 0
    assert sorted(p.name for p in corpus.glob("*.md")) == [
        "edge-case-many-categories.en.md", "markup-html-tags-and-formatting.en.md", "markup-image-alignment.en.md",
        "markup-text-alignment.en.md", "markup-title-with-markup.en.md",
        "title-with-special-characters.en.md"]
    assert "52 of other categories" in capsys.readouterr().out


# Languages and translations ---------------------------------------------------------------

def test_polylang_translations_are_one_statement(tmp_path, capsys):
    corpus, index = tmp_path / "statements", tmp_path / "index"
    assert run("wordpress", str(FIXTURES / "polylang.xml"), "--corpus", str(corpus),
               "--index", str(index), "--update") == 0
    files = sorted(p.name for p in corpus.glob("*.md"))
    # The Greek slug is %-encoded Greek: transliterated; "gr" is Polylang's slug for el_GR.
    assert files == ["against-xenophobia.en.md", "meta-to-charlie-hebdo.el.md",
                     "paris-shootings.en.md", "zabojstwa-paryskie.pl.md"]
    for name in ("meta-to-charlie-hebdo.el.md", "zabojstwa-paryskie.pl.md"):
        assert 'translation_key = "paris-shootings"' in front(corpus / name)
    assert "translation_key" not in front(corpus / "paris-shootings.en.md")
    out = capsys.readouterr().out
    assert "[el: Polylang]" in out and "translation proposals" not in out
    assert out.splitlines()[-1].startswith("update: 4 files, 2 statements")
    catalog = read_json(current_generation(index), CATALOG)["statements"]
    assert [v["lang"] for v in catalog["paris-shootings"]] == ["el", "en", "pl"]
    assert find(index, "Vincennes") == {"paris-shootings.en.md", "zabojstwa-paryskie.pl.md"}
    xeno = read_document(corpus / "against-xenophobia.en.md")
    assert xeno.title == "Against xenophobia! For working people’s unity!"  # &#8217;
    assert "Marchers in Johannesburg" in xeno.text and "<img" not in xeno.markdown


def test_wpml_translations_are_one_statement(tmp_path):
    corpus = tmp_path / "statements"
    assert run("wordpress", str(FIXTURES / "wpml.xml"), "--corpus", str(corpus)) == 0
    assert sorted(p.name for p in corpus.glob("*.md")) == ["rif-2.de.md", "rif.en.md"]
    assert 'translation_key = "rif"' in front(corpus / "rif-2.de.md")


def test_without_language_data_the_language_is_identified_and_pairs_proposed(tmp_path,
                                                                               capsys):
    plain = tmp_path / "plain.xml"
    text = (FIXTURES / "polylang.xml").read_text(encoding="utf-8")
    plain.write_text(re.sub(r'\s*<category domain="(language|post_translations)".*?</category>',
                            "", text), encoding="utf-8")
    corpus = tmp_path / "statements"
    assert run("wordpress", str(plain), "--corpus", str(corpus)) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in corpus.glob("*.md")) == [
        "against-xenophobia.en.md", "meta-to-charlie-hebdo.el.md", "paris-shootings.en.md",
        "zabojstwa-paryskie.pl.md"]
    assert "[el: identified (" in out
    assert "translation proposals for the imported files that the site does not link" in out
    assert re.search(r"  0\.\d\d  paris-shootings\.en\.md  zabojstwa-paryskie\.pl\.md  same "
                     r"date \(2015-01-22\);.* => add to zabojstwa-paryskie\.pl\.md: "
                     r'translation_key = "paris-shootings"', out)
    assert "translation_key" not in front(corpus / "zabojstwa-paryskie.pl.md")


def test_lang_option_sets_the_language_the_source_does_not_declare(tmp_path):
    corpus = tmp_path / "statements"
    assert run("html", str(FIXTURES / "saved" / "meta-to-charlie-hebdo.htm"),
               "--corpus", str(corpus), "--lang", "el") == 0
    assert [p.name for p in corpus.glob("*.md")] == ["meta-to-charlie-hebdo.el.md"]


# Exports that are not, or are hostile ---------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


@pytest.mark.parametrize("content, message", [
    pytest.param(BILLION_LAUGHS, "refused: the file declares XML entities", id="billion-laughs"),
    pytest.param(EXTERNAL, "refused: the file declares XML entities", id="external-entity"),
    pytest.param(None, "x.xml:6: not well-formed XML", id="cut-short"),
    pytest.param("<html><body><p>Hello</p></body></html>", "not a WordPress export: the "
                 "document is <html>", id="html"),
    pytest.param('<rss version="2.0"><channel><title>Feed</title></channel></rss>',
                 "not a WordPress export: no <wp:wxr_version>", id="plain-rss"),
])
def test_a_bad_export_is_refused_and_the_corpus_unchanged(corpus, tmp_path, capsys,
                                                          content, message):
    export = tmp_path / "x.xml"
    if content is None:  # the Polylang fixture cut off in its fifth line
        content = "\n".join((FIXTURES / "polylang.xml").read_text(
            encoding="utf-8").splitlines()[:5]) + "\n<rss><chan"
    export.write_text(content, encoding="utf-8")
    before = snapshot(corpus)
    assert run("wordpress", str(export), "--corpus", str(corpus)) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was imported" in err
    assert snapshot(corpus) == before


def test_a_missing_export_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        run("wordpress", str(tmp_path / "none.xml"))
    assert stop.value.code == 2
    assert "none.xml does not exist" in capsys.readouterr().err


# Saved pages ---------------------------------------------------------------------------------

def test_saved_pages_give_the_main_text_title_date_and_language(tmp_path, capsys):
    corpus = tmp_path / "statements"
    assert run("html", str(FIXTURES / "saved"), "--corpus", str(corpus)) == 0
    files = sorted(p.name for p in corpus.glob("*.md"))
    assert files == ["belarus-and-the-struggle-against-lukashenko.en.md",
                     "meta-to-charlie-hebdo.el.md"]
    belarus = read_document(corpus / files[0])
    assert belarus.title == "Belarus and the struggle against Lukashenko"
    assert belarus.date.isoformat() == "2020-08-31"
    assert belarus.url == ("https://statements.example.org/2020/08/"
                           "belarus-and-the-struggle-against-lukashenko/")
    assert belarus.markdown.startswith("A mass movement of strikes")
    assert "- Release all political prisoners" in belarus.markdown
    for chrome in ("About us", "Recent posts", "All rights reserved", "Posted in"):
        assert chrome not in belarus.markdown
    greek = read_document(corpus / files[1])
    assert greek.date is None  # the footer's "Copyright 2015" is not a date
    assert greek.markdown.startswith("1\\. Το φονικό")
    assert "Αρχική" not in greek.markdown and "απορρήτου" not in greek.markdown
    out = capsys.readouterr().out
    assert "[en: <html lang>]" in out and "[el: identified (" in out
