"""`python -m indexer`: validation messages, exit codes, atomic publishing, update."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.__main__ import main
from indexer.build import build_lock
from indexer.corpus import read_document
from search.store import CATALOG, MANIFEST, current_generation, read_json

from .conftest import ROOT, statement
from .searching import find, stored_documents


@pytest.fixture
def built(corpus, tmp_path) -> Path:
    """An index of a copy of the seed corpus, built by the command line."""
    index = tmp_path / "index"
    assert run("rebuild", corpus, index) == 0
    return index


def run(command: str, corpus: Path, index: Path) -> int:
    return main([command, "--corpus", str(corpus), "--index", str(index), "--no-langid"])


def test_rebuild_prints_a_summary_and_log_lines_when_not_a_terminal(corpus, tmp_path, capsys):
    built = tmp_path / "index"
    assert run("rebuild", corpus, built) == 0
    out, err = capsys.readouterr()
    assert "10 files, 8 statements; documents per language: el 1, en 8, pl 1" in out
    assert "indexing: 10/10" in err
    assert find(built, "pandemics") == {"coronavirus-pandemic.en.md"}


def test_paths_come_from_the_environment(corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SEARCH_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(tmp_path / "env-index"))
    assert main(["rebuild", "--no-langid"]) == 0
    assert find(tmp_path / "env-index", "Lukashenko") == {
        "belarus-struggle-against-lukashenko.en.md"}


BAD_FILES = [
    pytest.param("bad-toml.en.md", statement(title='unterminated"', body="x").replace(
        'title = "unterminated""', 'title = "unterminated'),
        "front matter is not valid TOML", 2, id="malformed-toml"),
    pytest.param("no-front.en.md", "Just text.\n", "missing front matter", 1,
                 id="missing-front-matter"),
    pytest.param("open-front.en.md", '+++\ntitle = "x"\n\nText.\n', "never closed", 1,
                 id="unterminated-front-matter"),
    pytest.param("lang.xx.md", statement(), "unknown language code 'xx'", None,
                 id="unknown-language"),
    pytest.param("Bad Name.en.md", statement(), "file name must be <slug>.<lang>.md",
                 None, id="bad-file-name"),
    pytest.param("coronavirus-pandemic.md", statement(lang='"en"'),
                 "duplicate English version of slug 'coronavirus-pandemic'", None,
                 id="duplicate-slug-language"),
    pytest.param("other.en.md", statement(translation_key='"rif-and-morocco"'),
                 "duplicate English version of translation key 'rif-and-morocco'",
                 None, id="duplicate-translation-key"),
    pytest.param("empty.en.md", statement(body="   \n"), "has no text", 4,
                 id="empty-body"),
    pytest.param("date.en.md", statement(date='"13/01/2015"'),
                 "date must be a date such as 2015-01-13, got '13/01/2015'", 3,
                 id="bad-date"),
    pytest.param("month.en.md", statement(date="2020-13-45"),
                 "date 2020-13-45: month 13 does not exist", 3, id="no-such-month"),
    pytest.param("day.en.md", statement(date="2021-02-29"),
                 "date 2021-02-29: day 29 does not exist (2021-02 has 28 days)", 3,
                 id="no-such-day"),
    pytest.param("quoted.en.md", statement(date='"2020-04-31"'),
                 "date 2020-04-31: day 31 does not exist (2020-04 has 30 days)", 3,
                 id="no-such-day-quoted"),
    pytest.param("utf.en.md", statement().encode() + b"caf\xe9\n", "not valid UTF-8",
                 6, id="invalid-utf8"),
    pytest.param("field.en.md", statement(titel='"x"'), "unknown front matter field(s) "
                 "titel", 3, id="unknown-field"),
    pytest.param("huge.en.md", statement(body="word " * 4_100_000), "the file is 20.5 MB; "
                 "a statement may be at most 2 MB", None, id="too-large"),
    pytest.param("types.en.md", statement(tags="[1, 2]"), "tags must be a list of strings",
                 3, id="odd-toml-types"),
    pytest.param("title.en.md", statement().replace('title = "A title"', "title = 2015"),
                 "title must be a string, got int 2015", 2, id="title-not-a-string"),
    pytest.param("nested.en.md", statement(body="".join(
        "    " * depth + "- item\n" for depth in range(300))), "the Markdown nests too deeply",
                 4, id="deeply-nested-markdown"),
    pytest.param("nested-toml.en.md", statement(tags="[" * 5000 + "]" * 5000),
                 "front matter nests too deeply", 2, id="deeply-nested-front-matter"),
]


@pytest.mark.parametrize("name, content, message, line", BAD_FILES)
def test_bad_file_is_reported_and_the_old_index_still_answers(
        built, corpus, capsys, name, content, message, line):
    served = current_generation(built)
    path = corpus / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    capsys.readouterr()
    assert run("rebuild", corpus, built) == 1
    err = capsys.readouterr().err
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in err and message in err, err
    assert "the index was not changed" in err
    assert current_generation(built) == served
    assert find(built, "pandemics") == {"coronavirus-pandemic.en.md"}


def test_every_problem_is_listed_in_one_run(built, corpus, capsys):
    (corpus / "one.en.md").write_text("no front matter\n")
    (corpus / "two.en.md").write_text(statement(date="2015-13-45"))
    assert run("check", corpus, built) == 1
    err = capsys.readouterr().err
    assert "the corpus has 2 problems" in err
    assert "one.en.md:1: missing front matter" in err
    assert "two.en.md:3: date 2015-13-45: month 13 does not exist" in err


def test_check_validates_without_building(corpus, tmp_path, capsys):
    assert run("check", corpus, tmp_path / "index") == 0
    assert "10 files checked, no problems" in capsys.readouterr().out
    assert not (tmp_path / "index").exists()


def test_language_identification_warns_about_a_mislabelled_file(corpus, tmp_path, capsys):
    polish = (corpus / "after-charlie-hebdo.pl.md").read_text()
    (corpus / "mislabelled.en.md").write_text(polish)
    assert main(["check", "--corpus", str(corpus), "--index", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "mislabelled.en.md: warning: the text looks like Polish" in err
    assert "declares English" in err
    assert err.count("warning") == 1


def test_a_second_build_fails_clearly_while_one_runs(built, corpus, capsys):
    with build_lock(built):
        assert run("rebuild", corpus, built) == 1
    assert "another rebuild or update of this index is running" in capsys.readouterr().err
    assert run("rebuild", corpus, built) == 0


def test_update_equals_a_full_rebuild(built, corpus, tmp_path, capsys):
    before = _indexed_times(built)
    (corpus / "rif-and-morocco.en.md").unlink()
    changed = corpus / "belarus-struggle-against-lukashenko.en.md"
    changed.write_text(changed.read_text().replace("Belarus and", "Minsk and"))
    (corpus / "neu.de.md").write_text(statement("Arbeiter", "Die Arbeiter streiken."))
    assert run("update", corpus, built) == 0
    assert "1 added, 1 changed, 1 removed" in capsys.readouterr().out
    fresh = tmp_path / "fresh"
    assert run("rebuild", corpus, fresh) == 0
    assert stored_documents(built) == stored_documents(fresh)
    catalog = read_json(current_generation(built), CATALOG)
    assert _without_times(catalog) == _without_times(read_json(current_generation(fresh),
                                                               CATALOG))
    for query in ("Minsk", "Belarus", "Morocco", "streiken", "Arbeiter", "zabojstw"):
        assert find(built, query) == find(fresh, query), query
    # An unchanged file keeps the time its text was first indexed; a changed one does not.
    after = _indexed_times(built)
    update_time = read_json(current_generation(built), MANIFEST)["built"]
    assert after["after-charlie-hebdo.el.md"] == before["after-charlie-hebdo.el.md"]
    assert after["belarus-struggle-against-lukashenko.en.md"] == update_time
    assert after["neu.de.md"] == update_time


def _indexed_times(root: Path) -> dict[str, str]:
    files = read_json(current_generation(root), MANIFEST)["files"]
    return {name: entry["indexed"] for name, entry in files.items()}


def _without_times(catalog: dict) -> dict:
    return {key: [{k: v for k, v in version.items() if k != "indexed"} for version in versions]
            for key, versions in catalog["statements"].items()}


def test_update_with_nothing_changed_keeps_the_generation(built, corpus, capsys):
    served = current_generation(built)
    assert run("update", corpus, built) == 0
    assert current_generation(built) == served


def _large_corpus(path: Path, files: int = 600) -> Path:
    path.mkdir()
    words = (ROOT / "corpus" / "statements" / "rif-and-morocco.en.md").read_text().split()
    for n in range(files):
        body = " ".join(words[(n + i) % len(words)] for i in range(400))
        (path / f"s{n}.en.md").write_text(statement(f"Statement {n}", body))
    return path


@pytest.mark.parametrize("when", ["start", "indexing"])
def test_a_killed_rebuild_leaves_the_previous_index_serving(built, tmp_path, when):
    """SIGKILL mid-rebuild: the link still names the old, complete generation."""
    served = current_generation(built)
    before = find(built, "Charlie Hebdo")
    big = _large_corpus(tmp_path / "big")
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", "rebuild", "--corpus", str(big), "--index",
         str(built), "--no-langid", "--procs", "1"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True)
    if when == "indexing":
        for line in process.stderr:
            if line.startswith("indexing: "):
                break
    else:
        time.sleep(0.3)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert current_generation(built) == served
    assert find(built, "Charlie Hebdo") == before
    assert run("rebuild", big, built) == 0
    assert find(built, "Charlie Hebdo") == set()
    assert len(list((built / "generations").iterdir())) == 2


def test_hostile_but_valid_text_is_indexed_and_searchable(corpus, tmp_path):
    """Mixed scripts, right-to-left text, zero-width and combining characters, markup."""
    (corpus / "mixed.en.md").write_text(statement(
        "<b>Bold</b> & <script>x()</script>",
        "A one-megabyte word follows: " + "w" * 1_000_000 + "\n\n"
        "Arabic: التضامن مع العمال. Zero\u200bwidth\u200dword, cafe\u0301, "
        "Ελληνικά and Polski zażółć in one line, <img src=x onerror=alert(1)>."))
    index = tmp_path / "index"
    assert run("rebuild", corpus, index) == 0
    assert find(index, "café") == {"mixed.en.md"}
    assert find(index, "العمال") == {"mixed.en.md"}
    assert find(index, "zażółć") == {"mixed.en.md"}
    assert find(index, "onerror") == {"mixed.en.md"}
    stored = stored_documents(index)["mixed.en.md"]
    assert stored["title"] == "<b>Bold</b> & <script>x()</script>"
    assert "<img src=x onerror=alert(1)>" in stored["body"]


def test_reading_in_parallel_reports_the_same_problems(corpus, monkeypatch):
    from indexer import validate
    from indexer.errors import CorpusInvalid

    (corpus / "one.en.md").write_text("no front matter\n")
    (corpus / "two.en.md").write_text(statement(date="2015-13-45"))
    monkeypatch.setattr(validate, "PARALLEL_FILES", 1)
    with pytest.raises(CorpusInvalid) as parallel:
        validate.load_corpus(corpus, procs=2)
    with pytest.raises(CorpusInvalid) as serial:
        validate.load_corpus(corpus, procs=1)
    assert str(parallel.value) == str(serial.value)
    assert [(e.path.name, e.line) for e in parallel.value.errors] == [
        ("one.en.md", 1), ("two.en.md", 3)]


def test_update_drops_a_language_whose_last_file_is_gone(built, corpus):
    (corpus / "after-charlie-hebdo.el.md").unlink()
    assert run("update", corpus, built) == 0
    assert not (current_generation(built) / "el").exists()
    assert find(built, "φονικο") == set()


def test_each_language_is_one_segment(built):
    """Languages are written whole, in parallel (``--procs`` 2 by default): one segment each."""
    from whoosh import index as whoosh_index

    generation = current_generation(built)
    for code in ("el", "en", "pl"):
        with whoosh_index.open_dir(str(generation / code)).reader() as reader:
            assert reader.is_atomic()


def test_update_parses_only_the_files_that_changed(built, corpus, monkeypatch):
    """The served index gives back every unchanged file's document as it was read."""
    from indexer import validate
    from indexer.build import indexed_documents

    assert indexed_documents(built) == {d.file: d for d in validate.load_corpus(corpus)}
    parsed = []
    monkeypatch.setattr(validate, "read_document",
                        lambda path: parsed.append(path.name) or read_document(path))
    changed = corpus / "belarus-struggle-against-lukashenko.en.md"
    changed.write_text(changed.read_text().replace("Belarus and", "Minsk and"))
    assert run("update", corpus, built) == 0
    assert parsed == [changed.name]
    assert find(built, "Minsk") == {changed.name}


def test_a_word_an_update_took_out_of_a_title_is_searched_without_error(built, corpus):
    """Its only postings in the title are of the deleted old version (Whoosh's ReadTooFar)."""
    from search.engine import Engine

    path = corpus / "rif-and-morocco.en.md"
    path.write_text(path.read_text().replace("in the Rif and Morocco", "in the Rif"))
    assert run("update", corpus, built) == 0
    page = Engine(built).search("Morocco")
    assert [r.key for r in page.results] == ["rif-and-morocco"]
    assert "Morocco" in page.results[0].snippet
    assert Engine(built).search("title:Morocco").total == 0


def test_an_empty_corpus_folder_never_replaces_the_index(built, tmp_path, capsys):
    served = current_generation(built)
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("rebuild", "update", "check"):
        assert run(command, empty, built) == 1
        assert f"no statement files (<slug>.<lang>.md) in {empty}" in capsys.readouterr().err
    assert current_generation(built) == served


def test_an_index_path_that_cannot_be_an_index_is_one_clear_line(corpus, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("not an index")
    assert run("rebuild", corpus, afile) == 1
    assert capsys.readouterr().err == (f"error: {afile} is a file, not an index folder; "
                                       "pass --index DIR\n")
    assert run("rebuild", corpus, afile / "below") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write the index at {afile / 'below'}: ")
    assert "Traceback" not in err
