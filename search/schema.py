"""The one Whoosh schema, instantiated with each language's analyzers."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import analyzer_for, word_terms
from .fields import STEMMED, TEXT_FIELDS, TWINS, WORD_TABLE, Twin
from .languages import Language
from .marks import decode, encode, word_starts
from .words import split_words


class AnalysedText(TEXT):
    """A positional text field whose indexing skips Whoosh's token stream.

    Indexing gives the same terms, frequencies, weights and positions as
    ``TEXT.index`` (the chain's :class:`~search.analysis.WordFilter` reads
    every word), but splits each text once for all its twins and makes no
    token object per word: analysis was a fifth of a rebuild.  Queries and
    the highlighter use the analyzer as usual.
    """

    def process_text(self, qstring, mode="", **kwargs):
        """A query word's terms from the chain's cached readings, without a token stream.

        Whoosh asks this of every twin of every word in every language a query
        runs in (a hundred calls for a six-word query): a tenth of a search.
        """
        if mode != "query" or not kwargs.get("tokenize", True) or not kwargs.get(
                "removestops", True):
            return super().process_text(qstring, mode=mode, **kwargs)
        return word_terms(self.analyzer, qstring)

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        boost, encode = self.format.field_boost, self.format.encode
        positions = self.analyzer[-1].positions(split_words(value))
        return [(term.encode("utf-8"), len(poses), len(poses) * boost, encode(poses))
                for term, poses in positions.items()]


class Offsets(COLUMN):
    """Where each counted word of a text starts and ends: a column, so that marks need no re-analysis.

    Given the text like its twins (the indexer fills it with the body), it keeps only the word table of
    :func:`search.marks.word_starts`, encoded.
    """

    def __init__(self, code: str) -> None:
        super().__init__(columns.CompressedBytesColumn())
        self.code = code

    def to_column_value(self, value):
        return encode(*word_starts(value, self.code))

    def from_column_value(self, value):
        return decode(value)


def _text(analyzer, twin: Twin) -> TEXT:
    # A word that the analyzer splits (18-19, Trump’s) is searched as a phrase;
    # a romanised word has several keys at one position, any of which matches.
    return AnalysedText(analyzer=analyzer, stored=twin is STEMMED, phrase=True,
                        multitoken_query="or" if twin.romanised else "phrase")


def schema_for(lang: Language) -> Schema:
    """The schema of one language's index: the same fields for every language.

    ``title`` and ``body`` store the original text (plain text, Markdown
    removed), which the highlighter re-analyses; ``markdown`` keeps the body
    as written for display.  ``key`` groups the versions of one statement.
    Each text field has a twin per chain (``search.fields``).
    """
    twins = {twin: analyzer_for(lang, twin.chain) for twin in TWINS
             if lang.romanise or not twin.romanised}
    schema = Schema(
        # Columns (sortable) let a search group and sort every hit without
        # loading its stored text; only the page shown is loaded.
        file=ID(stored=True, unique=True, sortable=True),
        key=ID(stored=True, sortable=True),
        lang=ID(stored=True),
        date=DATETIME(stored=True, sortable=True),
        url=STORED(),
        tags=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        markdown=STORED(),
        **{twin.field(name): _text(chain, twin) for twin, chain in twins.items()
           if not twin.romanised for name in TEXT_FIELDS},
        **{WORD_TABLE: Offsets(lang.code)},
    )
    for twin, chain in twins.items():  # after the others, where indexes have always had them
        if twin.romanised:
            for name in TEXT_FIELDS:
                schema.add(twin.field(name), _text(chain, twin))
    return schema
