"""Aligning the paragraphs of a statement's versions (Gale and Church's method)."""

from __future__ import annotations

from search.parallel import MAX_PARAGRAPHS, align, rows

EN = ["1. The strike wave spread from the docks to the railways within a week.",
      "2. The unions called a general strike for Monday across every sector of the economy.",
      "3. A short third point.",
      "4. We call for solidarity with the strikers everywhere, and for collections at work."]
PL = ["1. Fala strajków rozlała się w ciągu tygodnia z doków na koleje.",
      "(Przypis tłumacza: przełożono z angielskiego.)",
      "2. Związki wezwały do strajku generalnego w poniedziałek we wszystkich sektorach gospodarki.",
      "3. Krótki punkt trzeci.",
      "4. Wzywamy do solidarności ze strajkującymi wszędzie i do zbiórek w miejscach pracy."]
EL = ["1. Το απεργιακό κύμα απλώθηκε από τα λιμάνια στους σιδηροδρόμους μέσα σε μια βδομάδα.",
      "2. Τα συνδικάτα κάλεσαν γενική απεργία τη Δευτέρα σε όλους τους κλάδους της οικονομίας. "
      "3. Ένα σύντομο τρίτο σημείο.",
      "4. Καλούμε σε αλληλεγγύη με τους απεργούς παντού και σε εράνους στους χώρους δουλειάς."]


def test_a_translators_note_does_not_shift_the_paragraphs_after_it():
    assert align(EN, PL) == [([0], [0, 1]), ([1], [2]), ([2], [3]), ([3], [4])]


def test_two_paragraphs_joined_in_a_translation_face_both_originals():
    assert align(EN, EL) == [([0], [0]), ([1, 2], [1]), ([3], [2])]


def test_rows_hold_passages_that_translate_each_other_in_every_column():
    table = rows(EN, [PL, EL])
    numbers = [[[column[i][:2] for i in cell] for column, cell in zip((EN, PL, EL), row)]
               for row in table]
    assert numbers == [[["1."], ["1.", "(P"], ["1."]],
                       [["2.", "3."], ["2.", "3."], ["2."]],
                       [["4."], ["4."], ["4."]]]


def test_every_paragraph_is_shown_once_whatever_the_versions_hold():
    for pivot, others in [([], [PL]), (EN, [[]]), (EN[:1], [PL, EL]), (EN, [PL[:2]])]:
        table = rows(pivot, others)
        for column, texts in enumerate([pivot, *others]):
            assert [i for row in table for i in row[column]] == list(range(len(texts)))


def test_a_huge_file_is_paired_paragraph_by_paragraph():
    many = ["x" * 40] * (MAX_PARAGRAPHS + 1)
    assert align(many, many[:3])[:4] == [([0], [0]), ([1], [1]), ([2], [2]), ([3], [])]
