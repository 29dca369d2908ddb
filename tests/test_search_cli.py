"""`python -m search`: readable output, JSON, batch mode and exit codes."""

from __future__ import annotations

import json

import pytest

from search.__main__ import main

JSON_FIELDS = {"query", "total", "page", "per_page", "languages", "suggestion", "results"}
RESULT_FIELDS = {"key", "lang", "title", "title_html", "snippet", "score", "date", "url",
                 "file", "versions"}
VERSION_FIELDS = {"lang", "language", "title", "url", "file", "matched"}


def test_terminal_output_lists_statements_with_marked_matches(fixture_index, capsys):
    assert main(["--index", str(fixture_index), "zabojstw"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 statement (pl 1); page 1 of 1;")
    assert "1. [pl] Stanowisko Nurtu Międzynarodowego Socjalizmu w sprawie paryskich *zabójstw*" in out
    assert "after-charlie-hebdo.pl.md" in out and "versions: el en pl*" in out


def test_json_has_the_documented_shape(fixture_index, capsys):
    assert main(["--index", str(fixture_index), "--json", "--lang", "el,en",
                 "Charlie Hebdo"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert JSON_FIELDS <= set(data)
    assert data["understood"]["languages"] == ["el", "en"]
    result = data["results"][0]
    assert RESULT_FIELDS <= set(result)
    assert result["file"] in {"after-charlie-hebdo.el.md", "after-charlie-hebdo.en.md"}
    assert [set(v) >= VERSION_FIELDS for v in result["versions"]] == [True] * 3


def test_batch_mode_writes_json_lines(fixture_index, tmp_path, capsys):
    queries = tmp_path / "queries.txt"
    queries.write_text("Trump\n\nμετα\n")
    assert main(["--index", str(fixture_index), "--queries", str(queries)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["query"], line["ok"]) for line in lines] == [("Trump", True), ("μετα", True)]
    assert lines[1]["results"][0]["lang"] == "el"


def test_batch_mode_reports_a_bad_query_and_goes_on(fixture_index, monkeypatch, capsys):
    import io
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"(broken\nTrump\n")))
    assert main(["--index", str(fixture_index), "--queries", "-"]) == 2
    first, second = (json.loads(l) for l in capsys.readouterr().out.splitlines())
    assert first == {"ok": False, "query": "(broken", "error": "1 '(' never closed; add ')'",
                     "message_id": "paren-unclosed"}
    assert second["ok"] and second["total"] == 2


@pytest.mark.parametrize("argv, status, message", [
    (["(x"], 2, "error: 1 '(' never closed"),
    (["x", "--sort", "random"], 2, "invalid choice"),
    (["x", "--lang", "xx"], 2, "unknown language code 'xx'"),
    ([], 2, "error: give a QUERY or --queries FILE (neither given)"),
    (["x", "--queries", "-"], 2, "error: give a QUERY or --queries FILE (both given)"),
])
def test_exit_codes(fixture_index, capsys, argv, status, message):
    try:
        code = main(["--index", str(fixture_index), *argv])
    except SystemExit as exit:  # argparse rejects bad choices itself
        code = exit.code
    assert code == status
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("argv, status, error", [
    (["(x"], 2, "1 '(' never closed; add ')'"),
    ([], 2, "give a QUERY or --queries FILE (neither given)"),
])
def test_json_errors_are_json(fixture_index, capsys, argv, status, error):
    assert main(["--index", str(fixture_index), "--json", *argv]) == status
    out = capsys.readouterr().out
    assert json.loads(out)["ok"] is False and json.loads(out)["error"] == error


def test_missing_index_exits_1_and_says_how_to_build(tmp_path, capsys):
    assert main(["--index", str(tmp_path), "x"]) == 1
    assert "python -m indexer rebuild" in capsys.readouterr().err



def test_concordance_on_the_command_line(fixture_index, capsys):
    assert main(["--index", str(fixture_index), "--concordance", "left", "strikes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("[strikes]" in line and "(en belarus-struggle-against-lukashenko)" in line
               for line in out)
    assert all(line.index("[") == out[0].index("[") for line in out)  # aligned


def test_batch_mode_says_why_it_cannot_read_the_queries(fixture_index, tmp_path, capsys):
    for source, reason in ((tmp_path / "none.txt", "No such file or directory"),
                           (tmp_path, "Is a directory")):
        assert main(["--index", str(fixture_index), "--queries", str(source)]) == 2
        err = capsys.readouterr().err
        assert f"error: cannot read the queries: {reason}: {source}" in err, err
        assert "Traceback" not in err


def test_batch_mode_reports_a_line_that_is_not_utf8_and_goes_on(fixture_index, tmp_path,
                                                                capsys):
    queries = tmp_path / "queries.txt"
    queries.write_bytes(b"strike\n\xff\xfe bad\nCharlie\n")
    assert main(["--index", str(fixture_index), "--queries", str(queries)]) == 2
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["ok"] for r in records] == [True, False, True]
    assert records[1] == {"ok": False, "line": 2, "error": "line 2 is not valid UTF-8 (byte 1)"}
