"""Every language of the archive is indexed and found, scripts without spaces and Serbian's two alphabets too.

The texts are real: messages of Debian 12's apt 2.6.1 (po/th.po, ko.po,
ja.po, zh_CN.po, and the English originals) and GLib 2.74 (po/sr.po,
sr@latin.po), as their translators wrote them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.__main__ import main
from search.engine import Engine
from search.words import word_spans, words

from .conftest import statement

ENGLISH = ("Some packages could not be installed. This may mean that you have requested an "
           "impossible situation or if you are using the unstable distribution that some "
           "required packages have not yet been created or been moved out of Incoming.")
FILES = {
    "packages.en.md": statement("Packages not installed", ENGLISH),
    "packages.ko.md": statement(
        "설치할 수 없는 패키지",
        "몇몇 패키지를 설치할 수 없습니다. 요청한 상황이 불가능할 수도 있고, 불안정 배포판을 "
        "사용해서 일부 필요한 패키지를 아직 만들지 않았거나, 아직 Incoming에서 나오지 않은 "
        "경우일 수도 있습니다."),
    "server.th.md": statement(
        "เซิร์ฟเวอร์",
        "เกิดข้อผิดพลาดขณะอ่านข้อมูลจากเซิร์ฟเวอร์ ปลายทางอีกด้านหนึ่งปิดการเชื่อมต่อ\n\n"
        "เซิร์ฟเวอร์ HTTP ส่งข้อมูลส่วนหัว Content-Length มาไม่ถูกต้อง"),
    "autoremover.ja.md": statement(
        "AutoRemover",
        "AutoRemover が、本来起きるべきでない何かを壊したようです。 apt にバグ報告を送ってください。"),
    "cdrom.zh.md": statement(
        "CD-ROM",
        "从默认挂载点自动检测 CD-ROM 失败。 您可以尝试用 --cdrom 选项来设置 CD-ROM 的挂载点。"),
    "resources.sr.md": statement(
        "Ресурси",
        "Преводи одредницу ресурса у датотеку ресурса. Датотеке одреднице ресурса имају "
        "проширење „.gresource.xml“, а датотеке ресурса имају проширење „.gresource“."),
    "session-bus.sr.md": statement(
        "Magistrala sesije",
        "Ne mogu da odredim adresu magistrale sesije jer nije postavljena promenljiva "
        "okruženja DBUS_STARTER_BUS_TYPE"),
}


@pytest.mark.parametrize("text, cut", [
    ("apt にバグ報告を", ["apt", "に", "バグ", "報告", "を"]),
    ("从默认挂载点自动检测", ["从", "默认", "挂", "载", "点", "自动", "检测"]),
    ("몇몇 패키지를 설치할 수", ["몇몇", "패키", "키지", "지를", "설치", "치할", "수"]),
    ("ปิดการเชื่อมต่อ", ["ปิด", "การ", "เชื่อม", "ต่อ"]),
    ("Access2BaseのAPIは", ["Access2Base", "の", "API", "は"]),
    ("Trump’s 18-19 13.9", ["Trump", "s", "18", "19", "13.9"]),
], ids=["ja", "zh", "ko", "th", "mixed", "latin"])
def test_one_cut_for_every_script(text, cut):
    assert words(text) == cut
    assert [text[start:end] for start, end in word_spans(text)] == cut


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    corpus = tmp_path_factory.mktemp("scripts") / "statements"
    corpus.mkdir()
    for name, text in FILES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = corpus.parent / "index"
    assert main(["rebuild", "--corpus", str(corpus), "--index", str(index),
                 "--no-langid"]) == 0
    return corpus, index


@pytest.fixture(scope="module")
def engine(archive) -> Engine:
    return Engine(archive[1])


def test_a_rebuild_accepts_languages_without_a_record(archive, tmp_path, capsys):
    corpus, _ = archive
    assert main(["rebuild", "--corpus", str(corpus), "--index", str(tmp_path / "index"),
                 "--no-langid"]) == 0
    assert "documents per language: en 1, ja 1, ko 1, sr 2, th 1, zh 1" in capsys.readouterr().out


@pytest.mark.parametrize("query, found, marked", [
    ("패키지", "packages.ko.md", ">패키지</mark>를"),       # noun; the text has 패키지를
    ("배포판", "packages.ko.md", ">배포판</mark>을"),
    ("เซิร์ฟเวอร์", "server.th.md", ">เซิร์ฟเวอร์</mark>"),
    ("การเชื่อมต่อ", "server.th.md", ">การเชื่อมต่อ</mark>"),
    ("バグ報告", "autoremover.ja.md", ">バグ報告</mark>を"),
    ("報告", "autoremover.ja.md", ">報告</mark>を"),
    ("挂载点", "cdrom.zh.md", ">挂载点</mark>"),
    ("自动检测", "cdrom.zh.md", ">自动检测</mark>"),
    ("点", "cdrom.zh.md", ">点</mark>自动"),               # a word of one character
    ("몇", "packages.ko.md", ">몇</mark>몇"),                # a pair's first syllable
], ids=["ko-noun", "ko-noun-2", "th-word", "th-compound", "ja-phrase", "ja-word",
        "zh-word", "zh-phrase", "zh-character", "ko-syllable"])
def test_a_word_typed_finds_the_text_written_without_spaces(engine, query, found, marked):
    page = engine.search(query)
    assert [result.file for result in page.results] == [found]
    assert marked in page.results[0].snippet


def test_part_of_a_word_in_a_dictionary_script_finds_nothing(engine):
    """Thai is cut into words: a syllable inside one is no word of the text."""
    assert engine.search("เวอร์").results == []


@pytest.mark.parametrize("query, found", [
    ("datoteku", "resources.sr.md"),         # Latin letters find Cyrillic
    ("datoteke resursa", "resources.sr.md"),
    ("магистрале", "session-bus.sr.md"),     # Cyrillic finds Latin
    ("окружења", "session-bus.sr.md"),
    ("okruzenja", "session-bus.sr.md"),      # without diacritics
    ("ресурса", "resources.sr.md"),
])
def test_serbian_in_either_alphabet_finds_both(engine, query, found):
    assert [result.file for result in engine.search(query).results] == [found]


def test_a_korean_query_ranks_the_korean_version_first(engine):
    page = engine.search("패키지 설치할")
    assert [(result.key, result.lang) for result in page.results] == [("packages", "ko")]


def test_a_code_that_names_no_language_is_reported_with_its_path_and_line(archive, capsys):
    corpus, _ = archive
    bad = corpus.parent / "bad"
    bad.mkdir()
    (bad / "note.xx.md").write_text(statement(), encoding="utf-8")
    (bad / "other.md").write_text(statement(lang='"english"'), encoding="utf-8")
    assert main(["check", "--corpus", str(bad), "--no-langid"]) == 1
    err = capsys.readouterr().err
    assert f"{bad / 'note.xx.md'}: unknown language code 'xx'" in err
    assert f"{bad / 'other.md'}:3: unknown language code 'english'" in err


def test_language_identification_knows_the_archives_languages(archive, capsys):
    corpus, _ = archive
    mislabelled = corpus.parent / "langid"
    mislabelled.mkdir()
    for name in ("packages.en.md", "packages.ko.md", "session-bus.sr.md"):
        (mislabelled / name).write_text(FILES[name], encoding="utf-8")
    (mislabelled / "more.en.md").write_text(FILES["packages.ko.md"], encoding="utf-8")
    assert main(["check", "--corpus", str(mislabelled)]) == 0
    err = capsys.readouterr().err
    assert "more.en.md: warning: the text looks like Korean" in err
    assert "session-bus.sr.md" not in err and "packages.ko.md" not in err


def test_the_json_api_names_an_unrecorded_language_in_itself(archive):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(archive[1])}).test_client()
    found = client.get("/search.json", query_string={"q": "패키지"}).get_json()
    assert found["languages"] == {"ko": 1}
    versions = {v["lang"]: v["language"] for v in found["results"][0]["versions"]}
    assert versions == {"en": "English", "ko": "한국어"}
    page = client.get("/search", query_string={"q": "패키지"})
    assert page.status_code == 200 and "한국어" in page.get_data(as_text=True)


def test_no_spelling_suggestion_is_a_character_pair(engine):
    """The vocabulary of a script cut into pairs holds no word to propose."""
    page = engine.search("패키지들")
    assert page.results == [] and page.suggestion is None


def test_the_statement_page_marks_a_word_inside_a_run(archive):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(archive[1])}).test_client()
    page = client.get("/statement/packages", query_string={"lang": "ko", "q": "패키지"})
    assert ">패키지</mark>를" in page.get_data(as_text=True)


def test_an_imported_page_without_a_language_is_identified_among_all(tmp_path, capsys):
    page = tmp_path / "packages.html"
    korean = FILES["packages.ko.md"].split("+++")[2].strip()
    page.write_text(f"<html><head><title>설치할 수 없는 패키지</title></head><body><article>"
                    f"<h1>설치할 수 없는 패키지</h1><p>{korean}</p></article></body></html>",
                    encoding="utf-8")
    corpus = tmp_path / "statements"
    assert main(["import", "html", str(page), "--corpus", str(corpus), "--no-langid"]) == 0
    assert [p.name for p in corpus.glob("*.md")] == ["packages.ko.md"]
    assert "[ko: identified (" in capsys.readouterr().out
