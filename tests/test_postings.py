"""Posting lists read a block at a time: Whoosh's documents, each word's twins scored once."""

from __future__ import annotations

import pytest
from whoosh import index as wi
from whoosh import query as wq

from indexer.build import rebuild
from indexer.validate import load_corpus
from search.bestmatch import Counted
from search.postings import document_ids
from search.scores import K1, TIE, ceiling, scores_at
from search.store import current_generation

from .conftest import statement

WORDS = ("strike", "wave", "docks", "solidarity", "ports", "workers", "union", "protest")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """An English index whose common words have posting lists of several blocks (128 each)."""
    corpus = tmp_path_factory.mktemp("postings") / "statements"
    corpus.mkdir()
    for n in range(600):
        words = [WORDS[i] for i in range(len(WORDS)) if n % (i + 2) == 0]
        body = " ".join(words * (1 + n % 3)) + f" number{n}."
        (corpus / f"s{n}.en.md").write_text(statement(f"Title {WORDS[n % 8]}", body))
    root = corpus.parent / "index"
    rebuild(load_corpus(corpus), root, procs=1)
    with wi.open_dir(str(current_generation(root) / "en")).searcher() as searcher:
        yield searcher


def _word(word: str) -> Counted:
    """A query word as the parser builds it: its twins' terms, the title's boosted."""
    return Counted(wq.Or([wq.Term("title", word, boost=2.0), wq.Term("title_exact", word, boost=2.0),
                          wq.Term("body", word), wq.Term("body_exact", word)]))


QUERIES = [
    _word("strike"),
    wq.Or([_word("strike"), _word("docks"), _word("protest")]),
    wq.Or([_word("wave"), Counted(wq.Phrase("body", ["strike", "wave"])),
           Counted(wq.Or([wq.Term("body", "ports"), wq.Term("body", "union")], boost=1.5))]),
    wq.AndMaybe(_word("union"), wq.Or([_word("ports"), _word("workers")])),
    wq.AndNot(wq.And([_word("strike"), _word("wave")]), _word("docks")),
]


PHRASES = [wq.Phrase("body", ["strike", "wave"]), wq.Phrase("body", ["wave", "strike"]),
           wq.Phrase("body", ["strike", "wave", "docks"]), wq.Phrase("body", ["docks", "strike"]),
           wq.Phrase("body", ["strike", "docks"], slop=2), wq.Phrase("body", ["strike", "nothing"])]


@pytest.mark.parametrize("q", [*QUERIES, *PHRASES], ids=str)
def test_a_querys_documents_are_those_its_matcher_finds(searcher, q):
    assert document_ids(searcher, q) == set(q.docs(searcher))


def _whoosh(searcher, q, context) -> dict[int, float]:
    """Whoosh's own score of ``q`` at each document it matches."""
    scores, matcher = {}, q.matcher(searcher, context)
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


def _bm25f(searcher, terms: list[wq.Term], idf: float | None = None) -> dict[int, float]:
    """One twin's BM25F over its fields, as Robertson, Zaragoza and Taylor define it:
    each field's frequency normalised by its length and weighed, added up, then
    saturated once with ``idf`` (its word's), else the twin's (the lowest of its fields')."""
    b = searcher.weighting.B
    frequency: dict[int, float] = {}
    for term in terms:
        matcher = searcher.postings(term.fieldname, term.text)
        while matcher.is_active():
            doc = matcher.id()
            norm = 1 - b + b * (searcher.doc_field_length(doc, term.fieldname)
                                / searcher.avg_field_length(term.fieldname))
            frequency[doc] = frequency.get(doc, 0.0) + term.boost * matcher.weight() / norm
            matcher.next()
    if idf is None:
        idf = min(searcher.idf(term.fieldname, term.text) for term in terms)
    return {doc: idf * (K1 + 1) * f / (K1 + f) for doc, f in frequency.items()}


def _word_by_hand(searcher, word: Counted) -> dict[int, float]:
    """A word's score by the definition: its best twin's BM25F and a tenth of the others',
    every twin with the word's idf (the lowest of its terms')."""
    idf = min(searcher.idf(term.fieldname, term.text) for term in word.child.subqueries)
    twins = [_bm25f(searcher, [term for term in word.child.subqueries
                               if term.fieldname.endswith("_exact") == exact], idf)
             for exact in (True, False)]
    scores = {}
    for doc in set().union(*twins):
        found = [twin[doc] for twin in twins if doc in twin]
        scores[doc] = max(found) + TIE * (sum(found) - max(found))
    return scores


def test_a_word_scores_its_best_twin_over_title_and_body_and_a_tenth_of_the_others(searcher):
    """A twin's title and body are one BM25F score, not Whoosh's sum of two: a word in
    a short title cannot count as much again as the same word all through the body."""
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    word = _word("strike")
    expected = _word_by_hand(searcher, word)
    wanted = sorted(expected)[::3]
    mine = scores_at(searcher, word, wanted, context, check=lambda: None)
    assert set(mine) == set(wanted)
    for doc in wanted:
        assert mine[doc] == pytest.approx(expected[doc], rel=1e-9)
    titled = [doc for doc in wanted if searcher.stored_fields(doc)["title"] == "Title strike"]
    whoosh = {term: _whoosh(searcher, term, context) for term in word.child.subqueries}
    assert titled and all(mine[doc] < sum(scores.get(doc, 0.0) for term, scores in whoosh.items()
                                          if term.fieldname.endswith("_exact"))
                          for doc in titled)


def test_a_phrase_scores_the_sum_of_its_words_over_title_and_body(searcher):
    """Where either field holds the phrase, each of its words counts its BM25F over both
    fields: a phrase in a title is weighed as a title's word is, not five times over."""
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    phrase = Counted(wq.Or([wq.Phrase("title", ["strike", "wave"], boost=2.0),
                            wq.Phrase("body", ["strike", "wave"])]))
    held = sorted(set(wq.Phrase("body", ["strike", "wave"]).docs(searcher))
                  | set(wq.Phrase("title", ["strike", "wave"]).docs(searcher)))
    words = [_bm25f(searcher, [wq.Term("title", word, boost=2.0), wq.Term("body", word)])
             for word in ("strike", "wave")]
    mine = scores_at(searcher, phrase, list(range(600)), context, check=lambda: None)
    assert sorted(mine) == held
    for doc in held:
        assert mine[doc] == pytest.approx(sum(word[doc] for word in words), rel=1e-9)


def test_a_segment_with_deleted_documents_scores_the_same_way(tmp_path):
    """Its lists are Whoosh's filtered matchers, not plain blocks: a title's weight is
    still the field's, not multiplied again by the term's boost."""
    corpus = tmp_path / "statements"
    corpus.mkdir()
    for n in range(40):
        title = "Title strike" if n % 3 == 0 else "Title"
        body = " ".join(["strike"] * (1 + n % 4) + ["wave"] * (n % 2)) + f" number{n}."
        (corpus / f"s{n}.en.md").write_text(statement(title, body))
    rebuild(load_corpus(corpus), tmp_path / "index", procs=1)
    index = wi.open_dir(str(current_generation(tmp_path / "index") / "en"))
    with index.writer() as writer:
        writer.mergetype = lambda writer, segments: segments  # keep the deletion in place
        writer.delete_document(1)
    with index.searcher() as searcher:
        assert searcher.reader().has_deletions()
        context = searcher.context(needs_current=True, weighting=searcher.weighting)
        word = _word("strike")
        expected = _word_by_hand(searcher, word)
        mine = scores_at(searcher, word, sorted(expected), context, check=lambda: None)
        assert mine == pytest.approx(expected, rel=1e-9)


def _counted(q) -> list:
    """The words a query scores: its counted parts, none of what it excludes."""
    if isinstance(q, Counted):
        return [q]
    if isinstance(q, wq.AndNot):
        return _counted(q.a)
    return [word for child in q.children() for word in _counted(child)]


@pytest.mark.parametrize("q", QUERIES[1:], ids=str)
def test_a_query_scores_the_sum_of_its_words_at_the_documents_it_matches(searcher, q):
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    wanted = sorted(_whoosh(searcher, q, context))[::3]
    mine = scores_at(searcher, q, wanted, context, check=lambda: None)
    assert set(mine) == set(wanted)
    expected = dict.fromkeys(wanted, 0.0)
    for word in _counted(q):
        for doc, score in scores_at(searcher, word, wanted, context, lambda: None).items():
            expected[doc] += score
    assert mine == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("q", [*QUERIES, Counted(wq.Phrase("body", ["strike", "wave"]))], ids=str)
def test_no_document_scores_above_the_querys_ceiling(searcher, q):
    """A phrase's ceiling is its words' together: Whoosh scores it as the sum of its terms'."""
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    scores = scores_at(searcher, q, sorted(_whoosh(searcher, q, context)), context, lambda: None)
    assert max(scores.values()) <= ceiling(searcher, q) < float("inf")


def test_a_broad_word_has_no_ceiling(searcher):
    assert ceiling(searcher, wq.Or([_word("wave"), Counted(wq.Prefix("body", "str"))])) == float("inf")


def test_scoring_gives_up_when_told_to(searcher):
    def past_the_deadline():
        raise TimeoutError
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    with pytest.raises(TimeoutError):
        scores_at(searcher, QUERIES[1], list(range(600)), context, past_the_deadline)
