"""`python -m indexer translations`: proposed pairs, their evidence, and no file changed."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from indexer.__main__ import main
from indexer.text_profile import names, numbers, skeleton, transliterate

from .conftest import SEED_CORPUS, statement

DATE = "2015-01-13"


def seed_version(lang: str, **fields) -> str:
    """The seed's Charlie Hebdo statement in ``lang``, rewritten with other front matter."""
    text = (SEED_CORPUS / f"after-charlie-hebdo.{lang}.md").read_text(encoding="utf-8")
    _, front, body = text.split("+++\n", 2)
    return statement(tomllib.loads(front)["title"], body.strip(), **fields)


def write_pair(corpus: Path, el: dict | None = None, pl: dict | None = None) -> None:
    """The Greek and Polish versions as two new statements: other slugs, no key."""
    (corpus / "paris-killings.el.md").write_text(seed_version("el", **(el or {})),
                                                 encoding="utf-8")
    (corpus / "zabojstwa-paryskie.pl.md").write_text(seed_version("pl", **(pl or {})),
                                                     encoding="utf-8")


def run(corpus: Path, *options: str) -> int:
    return main(["translations", "--corpus", str(corpus), "--no-langid", *options])


def proposals(corpus: Path, capsys, *options: str) -> list[dict]:
    assert run(corpus, "--json", *options) == 0
    return json.loads(capsys.readouterr().out)


def the_pair(found: list[dict]) -> dict | None:
    wanted = {"paris-killings.el.md", "zabojstwa-paryskie.pl.md"}
    return next((p for p in found if set(p["files"]) == wanted), None)


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder under ``folder``: its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None,
                                         p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


def test_a_dated_true_pair_is_proposed_with_its_evidence_and_the_line_to_add(corpus, capsys):
    write_pair(corpus, el={"date": DATE}, pl={"date": DATE})
    assert run(corpus) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1
    line = lines[0]
    confidence, first, second = line.split()[:3]
    assert 0.5 <= float(confidence) <= 1
    assert {first, second} == {"paris-killings.el.md", "zabojstwa-paryskie.pl.md"}
    assert "same date (2015-01-13)" in line
    assert "2 shared numbers (7, 1)" in line
    assert "shared names: Charlie Hebdo, Παρίσι~Paryżu" in line
    assert "length ratio 0.63" in line
    assert line.endswith('=> add to zabojstwa-paryskie.pl.md: '
                         'translation_key = "paris-killings"')
    assert "1 pair proposed with confidence >= 0.5 among 12 files" in err
    assert "no file was changed" in err


def test_accepting_the_proposal_links_the_pair(corpus, capsys):
    write_pair(corpus, el={"date": DATE}, pl={"date": DATE})
    [proposal] = proposals(corpus, capsys)
    target = corpus / proposal["edit"]["files"][0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("+++\n", "+++\n" + proposal["edit"]["line"] + "\n", 1),
                      encoding="utf-8")
    assert proposals(corpus, capsys) == []
    assert main(["check", "--corpus", str(corpus), "--no-langid"]) == 0


def test_undated_versions_are_still_found_with_less_confidence(corpus, capsys):
    """The seed's versions are excerpts of different lengths: without a date the
    evidence is weaker, but the pair still comes out with the right evidence."""
    write_pair(corpus)
    pair = the_pair(proposals(corpus, capsys, "--min-confidence", "0"))
    assert pair is not None
    assert pair["confidence"] < 0.5
    assert pair["shared_numbers"] == ["7", "1"]
    assert pair["shared_names"] == ["Charlie Hebdo", "Παρίσι~Paryżu"]
    assert pair["dates"] == [None, None]


def test_different_dates_rule_the_pair_out(corpus, capsys):
    write_pair(corpus, el={"date": DATE}, pl={"date": "2016-05-01"})
    assert the_pair(proposals(corpus, capsys)) is None
    pair = the_pair(proposals(corpus, capsys, "--min-confidence", "0"))
    assert pair is None or "different dates (2015-01-13, 2016-05-01)" in pair["evidence"]


def test_unrelated_statements_are_not_proposed(corpus, capsys):
    (corpus / "budzet-2016.pl.md").write_text(statement(
        "Budżet na 2016 rok",
        "Rada Miasta Gdańska przyjęła 18 grudnia budżet na rok 2016. Wydatki wzrosną "
        "o 4,5 procent, a na komunikację miejską przeznaczono 120 milionów złotych.\n\n"
        "Opozycja w Radzie głosowała przeciw.", date="2015-12-18"), encoding="utf-8")
    (corpus / "rentes.fr.md").write_text(statement(
        "Les retraites", "Le gouvernement a présenté le 3 mars un projet de réforme "
        "des retraites. Les syndicats CGT et FO appellent à la grève.",
        date="2019-03-03"), encoding="utf-8")
    assert run(corpus) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "0 pairs proposed" in err


def test_the_seed_corpus_has_nothing_to_propose(corpus, capsys):
    assert proposals(corpus, capsys, "--min-confidence", "0.5") == []
    for pair in proposals(corpus, capsys, "--min-confidence", "0"):
        assert len({name.split(".")[0] for name in pair["files"]}) == 2


def test_files_already_linked_by_a_key_are_not_proposed(corpus, capsys):
    write_pair(corpus, el={"date": DATE},
               pl={"date": DATE, "translation_key": '"paris-killings"'})
    assert the_pair(proposals(corpus, capsys, "--min-confidence", "0")) is None


def test_a_statement_is_not_given_a_second_version_in_one_language(corpus, capsys):
    """The seed's after-charlie-hebdo already has a Polish version: a second Polish
    file may join a new statement, never that one."""
    (corpus / "zabojstwa-paryskie.pl.md").write_text(seed_version("pl", date=DATE),
                                                     encoding="utf-8")
    for pair in proposals(corpus, capsys, "--min-confidence", "0"):
        assert "after-charlie-hebdo" not in pair["keys"]


def test_a_new_version_joins_an_existing_statement_under_its_key(corpus, capsys):
    """A German file (here the Polish text, declared German) pairs with a version of
    the seed's three-language statement and takes its key, once."""
    (corpus / "nach-charlie-hebdo.de.md").write_text(seed_version("pl"), encoding="utf-8")
    found = proposals(corpus, capsys)
    assert len(found) == 1
    assert found[0]["keys"] == ["after-charlie-hebdo", "nach-charlie-hebdo"]
    assert found[0]["edit"] == {"files": ["nach-charlie-hebdo.de.md"],
                                "line": 'translation_key = "after-charlie-hebdo"',
                                "key": "after-charlie-hebdo", "replaces": False,
                                "via": None}


def test_a_file_with_a_key_is_told_to_set_it(corpus, capsys):
    write_pair(corpus, el={"date": DATE},
               pl={"date": DATE, "translation_key": '"zabojstwa"'})
    assert run(corpus) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(
        '=> set in zabojstwa-paryskie.pl.md: translation_key = "paris-killings"')


def test_the_command_changes_no_file(corpus, tmp_path, capsys):
    write_pair(corpus, el={"date": DATE}, pl={"date": DATE})
    before = snapshot(tmp_path)
    assert run(corpus) == 0
    assert run(corpus, "--json", "--min-confidence", "0") == 0
    assert capsys.readouterr().out
    assert snapshot(tmp_path) == before


def test_json_output_shape(corpus, capsys):
    write_pair(corpus, el={"date": DATE}, pl={"date": DATE})
    found = proposals(corpus, capsys, "--min-confidence", "0")
    assert isinstance(found, list) and found
    assert [p["confidence"] for p in found] == sorted(
        (p["confidence"] for p in found), reverse=True)
    for pair in found:
        assert 0 <= pair["confidence"] <= 1
        assert len(pair["files"]) == len(pair["languages"]) == len(pair["keys"]) == 2
        assert pair["languages"][0] != pair["languages"][1]
        assert pair["keys"][0] != pair["keys"][1]
        assert all(isinstance(e, str) for e in pair["evidence"])
        assert pair["edit"]["line"] == f'translation_key = "{pair["edit"]["key"]}"'
        assert pair["edit"]["files"][0] in pair["files"]
        assert set(pair["signals"]) >= {"same_date", "different_date", "number_cover",
                                        "name_cover", "break_cover", "length", "tags"}
        assert isinstance(pair["score"], float) and isinstance(pair["lead"], float)
    first = the_pair(found)
    assert first is found[0]
    assert first["dates"] == [DATE, DATE]
    assert first["languages"] == ["el", "pl"]
    assert first["contributions"]["same_date"] > 0 > first["contributions"]["length"]


def test_exit_code_is_zero_when_nothing_is_proposed(corpus, capsys):
    assert run(corpus, "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(corpus) == 0
    assert capsys.readouterr().out == ""


def test_a_confidence_outside_0_1_is_a_usage_error(corpus, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(corpus, "--min-confidence", "1.5")
    assert exit_.value.code == 2
    assert "not between 0 and 1" in capsys.readouterr().err


def test_an_invalid_corpus_is_reported_not_proposed(corpus, capsys):
    (corpus / "broken.en.md").write_text("no front matter\n", encoding="utf-8")
    assert run(corpus) == 1
    assert "missing front matter" in capsys.readouterr().err


@pytest.mark.parametrize("text, expected", [
    ("On 7 January 2015", {"7", "2015"}),
    ("13,9 procent i 13.9 %", {"13.9"}),
    ("w dniach 18–19 maja, 18 - 19", {"18-19"}),
    ("7th, 7η, 1990s", {"7", "1990"}),
    ("3D and 4K screens, Access2Base", set()),
    ("2015-01-13 and 10:30", {"2015-01-13", "10.30"}),
])
def test_numbers_are_written_alike_in_every_language(text, expected):
    assert set(numbers(text)) == expected


def test_names_leave_out_sentence_openers_and_common_words():
    found = names("1. The shootings in Paris at Charlie Hebdo. The Paris police. "
                  "Use x86 or MP3 files.", "en")
    assert set(found) == {"paris", "charlie", "hebdo", "x86", "mp3"}
    assert set(names("Jednak w Paryżu. Paryż jest duży.", "pl")) == {"paryzu"}


def test_names_match_across_scripts_by_skeleton():
    assert transliterate("Παρίσι") == "parisi"
    assert skeleton("parisi") == skeleton("paris") == skeleton(transliterate("Paryżu"))
    assert skeleton(transliterate("Λουκασένκο")) == skeleton("lukashenko")
    assert skeleton("maroko") == skeleton("morocco")
