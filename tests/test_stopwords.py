"""Stop words are data files generated from pinned sources; the library reads only them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from search.languages import STOPWORDS, get_language, stopwords
from search.stopwords import generate

LISTS_BEFORE_FILES = "0e616a4c5086689d85833657c7a2afacdd6716f133efaa4adcaedfc35252083e"
"""sha256 of the 29 languages' lists as the library read them from stopwordsiso 0.7.1
and Whoosh 2.7.4 before the files existed (JSON, code -> sorted words)."""
CODES_BEFORE_FILES = ("ar ca cs da de el en eo es et eu fa fi fr ga hi hu hy id it lt nl "
                      "no pl pt ro ru sv tr").split()


def test_the_files_hold_the_lists_used_before_them():
    """So that no index changes: the same words for every language that had a list."""
    lists = {code: sorted(stopwords(code)) for code in CODES_BEFORE_FILES}
    encoded = json.dumps(lists, sort_keys=True, ensure_ascii=False).encode()
    assert hashlib.sha256(encoded).hexdigest() == LISTS_BEFORE_FILES


def test_the_generator_writes_exactly_the_files_in_the_repository(capsys):
    assert generate.main(["--check"]) == 0, capsys.readouterr().err


def test_each_file_names_its_source_version_checksum_and_mending():
    greek = (STOPWORDS / "el.txt").read_text(encoding="utf-8")
    assert "stopwordsiso 0.7.1" in greek and generate.SOURCES["iso"].sha256 in greek
    assert "# Mended: the increment sign ∆ (U+2206) written for δ" in greek
    assert "Whoosh 2.7.4" in (STOPWORDS / "en.txt").read_text(encoding="utf-8")


def test_a_language_without_a_record_gets_its_maintained_list():
    assert {"та", "що"} <= stopwords("uk")
    assert get_language("ko").stopwords is None and not stopwords("ko")


def test_the_library_does_not_import_a_stop_word_package():
    code = ("import sys, search, search.analysis, search.engine; "
            "search.languages.stopwords('el'); "
            "print('stopwordsiso' in sys.modules, 'whoosh.lang.stopwords' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]
