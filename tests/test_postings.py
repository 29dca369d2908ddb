"""Posting lists read a block at a time give what Whoosh's own matchers give."""

from __future__ import annotations

import pytest
from whoosh import index as wi
from whoosh import query as wq

from indexer.build import rebuild
from indexer.validate import load_corpus
from search.bestmatch import Counted, relevance
from search.postings import document_ids, scores_at
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


@pytest.mark.parametrize("q", QUERIES, ids=str)
def test_a_querys_documents_are_those_its_matcher_finds(searcher, q):
    assert document_ids(searcher, q) == set(q.docs(searcher))


@pytest.mark.parametrize("q", QUERIES, ids=str)
def test_scores_at_chosen_documents_are_whooshs_own_bm25f(searcher, q):
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    theirs = {}
    matcher = q.matcher(searcher, context)
    while matcher.is_active():
        theirs[matcher.id()] = matcher.score()
        matcher.next()
    wanted = sorted(theirs)[::3]
    mine = scores_at(searcher, q, wanted, context, check=lambda: None)
    assert set(mine) == set(wanted)
    assert all(relevance(mine[doc]) == pytest.approx(relevance(theirs[doc]), rel=1e-6)
               for doc in mine)  # Whoosh's sum holds a million per word: 1e-9 of it is lost


def test_scoring_gives_up_when_told_to(searcher):
    def past_the_deadline():
        raise TimeoutError
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    with pytest.raises(TimeoutError):
        scores_at(searcher, QUERIES[1], list(range(600)), context, past_the_deadline)
