"""Read a researcher's query: filters (``lang:``, ``date:``) and Whoosh syntax.

The text part is handed to Whoosh's query parser once per language, so every
word is analysed by that language's chain.  ``lang:`` and ``date:`` clauses
are filters: they choose which indexes are searched and which dates pass,
whatever else the query says.
"""

from __future__ import annotations

import calendar
import functools
from copy import copy as shallow_copy
import datetime as dt
import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as wq
from whoosh.qparser import syntax

from .analysis import sorted_readings
from .bestmatch import (BestMatchGroup, Counted, CountingPlugin, PhraseTwins, Required,
                        TwinsGroup, optional)
from .errors import QueryError, TooGeneral, UnknownLanguage
from .fields import TEXT_FIELDS, twins_of
from .languages import get_language
from .words import shouted

MAX_QUERY_LENGTH = 1000
MAX_QUERY_WORDS = 64
"""Words a query may have (operators aside).  Each word is searched in every
twin of every language and explained for every result shown: hundreds of
them make a search that no time limit can keep short."""
MAX_EDITS = 2
"""Edits a fuzzy word may allow (``word~2``); more takes Whoosh minutes and gigabytes
to build the automaton for a long word, and matches almost anything."""
_QUERY_WORD = re.compile(r"[^\W_]+")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"}
"""The words Whoosh's parser reads as operators (``TO`` in a range), never as words."""
TITLE_BOOST = 5.0
"""A title's word counts as five of the body's, before BM25F saturates them
(``search.scores``): 2 and 5 were measured, and 5 was better on the keyword
sets and the same elsewhere (docs/ranking.md)."""

_FILTER = re.compile(r'(?<![\w"])(-?)(lang|date):("[^"]*"|\S+)', re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class QueryWord:
    """One word of the query as the reader typed it, and what the query does with it.

    ``word`` is what the analysis reads (``xenophob``), ``text`` what the
    reader typed (``xenophob*``); ``kind`` is ``word``, ``prefix``,
    ``wildcard`` or ``fuzzy``.  ``negated``: under ``NOT`` or ``-``, so never
    a reason a result matched.  ``at``: where a plain word stands in the
    query's text (for a corrected query), None inside a phrase.
    """

    text: str
    word: str
    kind: str = "word"
    negated: bool = False
    at: int | None = None


@dataclass
class Query:
    """A query split into the text Whoosh parses and the filters around it."""

    text: str
    languages: set[str] = field(default_factory=set)
    excluded: set[str] = field(default_factory=set)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    words: list[QueryWord] = field(default_factory=list)
    """The words of ``text``, as the parser read them (explained and corrected)."""
    units: dict[int, str] = field(default_factory=dict)
    """The counted parts of the best match (a word, or a group such as ``(a OR b)``)
    as typed, by where each starts (``Counted.at``): what a result lacks."""

    def narrow_dates(self, start: dt.date | None, end: dt.date | None) -> None:
        """Keep only the dates that both the current bounds and these allow."""
        self.date_from = max(filter(None, (self.date_from, start)), default=None)
        self.date_to = min(filter(None, (self.date_to, end)), default=None)

    def indexes(self, available, asked) -> list[str]:
        """The language indexes to search: available and asked for, narrowed by ``lang:``,
        minus ``-lang:``."""
        codes = set(available)
        if asked:
            codes &= set(asked)
        if self.languages:
            codes &= self.languages
        return sorted(codes - self.excluded)


def read_query(raw: str) -> Query:
    """Split filters off ``raw`` and check what Whoosh would silently accept.

    :raise QueryError: with what is wrong and at which character.
    """
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(raw)} characters long; the limit is "
                         f"{MAX_QUERY_LENGTH}", "query-too-long",
                         length=len(raw), limit=MAX_QUERY_LENGTH)
    if "\x00" in raw:
        raise QueryError(f"the query contains a NUL character at position "
                         f"{raw.index(chr(0)) + 1}", "query-nul",
                         position=raw.index(chr(0)) + 1)
    query = Query(text="")
    for match in _FILTER.finditer(raw):
        _apply_filter(query, match)
    query.text = _in_small_letters(" ".join(_FILTER.sub(" ", raw).split()))
    _check_balance(query.text)
    words = _typed_words(query.text)
    if len(words) > MAX_QUERY_WORDS:
        raise QueryError(f"the query has {len(words)} words; the limit is {MAX_QUERY_WORDS}",
                         "too-many-words", count=len(words), limit=MAX_QUERY_WORDS)
    if not query.text and not (query.languages or query.date_from or query.date_to):
        raise QueryError("the query is empty: type one or more words", "query-empty")
    query.words, query.units = read_words(query.text)
    return query


def _typed_words(text: str) -> list[str]:
    """The words of a query's text, its operators aside."""
    return [w for w in _QUERY_WORD.findall(text) if w not in OPERATORS]


def _in_small_letters(text: str) -> str:
    """A query typed all in capitals, its operators aside, in small letters
    (:func:`search.words.shouted`): ``GENERAL STRIKE IN THE CITY`` asks what
    ``general strike in the city`` does, not for the names ``IN`` and ``THE``."""
    if not shouted(_typed_words(text)):
        return text
    return _QUERY_WORD.sub(lambda m: m.group() if m.group() in OPERATORS else m.group().lower(),
                           text)


_PHRASE_WORD = re.compile(r"[^\W_][\w'’.-]*")
_FUZZY_SUFFIX = re.compile(r"~\d?(?:/\d+)?")


def read_words(text: str) -> tuple[list[QueryWord], dict[int, str]]:
    """The words of a query's text, read by the same parser as the search, and its
    counted parts (``Query.units``).

    One reading for searching, explaining and suggesting: a field's name, an
    operator or a fuzzy word's ``~2/0`` is never taken for a word.
    """
    if not text:
        return [], {}
    try:
        tree = _reader().process(text)
    except QueryError:
        raise
    except Exception as error:  # Whoosh raises assorted errors on odd input
        raise QueryError(f"cannot read the query: {error}", "query-unreadable",
                         detail=str(error)) from None
    words: list[QueryWord] = []
    units: dict[int, str] = {}
    _collect(tree, text, words, units, negated=False)
    return words, units


def _collect(node, text: str, words: list, units: dict, negated: bool) -> None:
    """Append the words under ``node``, and the counted parts of the best match
    (``Query.units``)."""
    if isinstance(node, TwinsGroup):
        first = node.nodes[0]
        if not isinstance(first, syntax.TextNode):  # a range, [a TO c]: no word
            return
        if isinstance(first, qparser.PhrasePlugin.PhraseNode):
            words.extend(QueryWord(w, w, negated=negated)
                         for w in _PHRASE_WORD.findall(first.text))
            return
        kind = _kind(first)
        at = first.startchar if kind == "word" and text.startswith(first.text,
                                                                   first.startchar) else None
        words.append(QueryWord(_typed(first, text), first.text, kind, negated, at))
        return
    if isinstance(node, syntax.GroupNode):
        counting = isinstance(node, BestMatchGroup) and node.counting
        negated = negated or isinstance(node, syntax.NotGroup)
        for child in node:
            if counting and optional(child) and child.startchar is not None:  # not "( )"
                units[child.startchar] = _written(text, child)
            _collect(child, text, words, units, negated)


def _typed(node, text: str) -> str:
    """A word as the reader typed it: ``strik*``, ``striking~1/7``, ``strike``."""
    kind = _kind(node)
    if kind == "prefix":
        return node.text + "*"
    if kind == "fuzzy":
        suffix = _FUZZY_SUFFIX.match(text, node.endchar)
        return node.text + (suffix.group(0) if suffix else "~")
    return node.text


def _written(text: str, node) -> str:
    """A part of the query as typed: a word as :func:`_typed`, a group with its
    parentheses and field (``title:(a b)``), which Whoosh's spans leave out."""
    if isinstance(node, TwinsGroup) and isinstance(node.nodes[0], syntax.TextNode):
        return _typed(node.nodes[0], text)
    start = node.startchar
    while start and text[start - 1] in " (":
        start -= 1
    field = re.search(r"\w+:$", text[:start])
    if field:
        start = field.start()
    depth, quoted, end, last = 0, False, start, node.endchar or 0  # None: ends in "( )"
    while end < len(text):
        char = text[end]
        if end >= last and not depth and not quoted and (char.isspace() or char == ")"):
            break
        if char == '"':
            quoted = not quoted
        elif not quoted:
            depth += (char == "(") - (char == ")")
        end += 1
    return text[start:end].strip()


def _kind(node) -> str:
    """What kind of word a parsed node is: ``word``, ``prefix``, ``wildcard`` or ``fuzzy``."""
    if isinstance(node, qparser.PrefixPlugin.PrefixNode):
        return "prefix"
    if isinstance(node, qparser.WildcardPlugin.WildcardNode):
        return "wildcard"
    if isinstance(node, qparser.FuzzyTermPlugin.FuzzyTermNode):
        return "fuzzy"
    return "word"


@functools.cache
def _reader() -> qparser.QueryParser:
    """A parser for reading a query's words: every language's schema has the same syntax."""
    from .schema import schema_for

    return parser_for(schema_for(get_language("en")))


def _apply_filter(query: Query, match: re.Match) -> None:
    negated, name, value = match[1], match[2].lower(), match[3].strip('"')
    where = f"at position {match.start() + 1}"
    if name == "lang":
        for code in filter(None, value.split(",")):
            try:
                lang = get_language(code).code
            except UnknownLanguage as error:
                raise QueryError(f"{error} ({where})", error.message_id, **error.params,
                                 where=where) from None
            (query.excluded if negated else query.languages).add(lang)
        return
    if negated:
        raise QueryError(f"-date: is not supported ({where}); use date:..YYYY or "
                         "date:YYYY.. for an open range", "date-negated", where=where)
    start, end = _date_range(value, where)
    query.narrow_dates(start, end)


def _date_range(value: str, where: str) -> tuple[dt.date | None, dt.date | None]:
    """``2015``, ``2015..2017``, ``>2018-06``, ``<=2019-03-01`` as inclusive bounds."""
    for operator in (">=", "<=", ">", "<"):
        if value.startswith(operator):
            first, last = period(value[len(operator):], where)
            try:
                if operator == ">=":
                    return first, None
                if operator == "<=":
                    return None, last
                if operator == ">":
                    return last + dt.timedelta(days=1), None
                return None, first - dt.timedelta(days=1)
            except OverflowError:  # after 9999-12-31 or before 0001-01-01
                raise QueryError(f"no date is {value} ({where}); dates run from 0001 "
                                 "to 9999", "date-out-of-range", value=value,
                                 where=where) from None
    if ".." in value:
        low, _, high = value.partition("..")
        return date_bounds(period(low, where)[0] if low else None,
                           period(high, where)[1] if high else None, where)
    return period(value, where)


def date_bounds(start: dt.date | None, end: dt.date | None, where: str = ""
                ) -> tuple[dt.date | None, dt.date | None]:
    """``start`` and ``end`` as given, unless the range is backwards (a QueryError)."""
    if start and end and start > end:
        raise QueryError(f"the date range {start.isoformat()}..{end.isoformat()} ends "
                         f"before it starts{f' ({where})' if where else ''}; put the "
                         "earlier date first", "dates-backwards", start=start.isoformat(),
                         end=end.isoformat(), where=where)
    return start, end


def period(text: str, where: str = "") -> tuple[dt.date, dt.date]:
    """The first and last day of a year, month or day written ``YYYY[-MM[-DD]]``."""
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(part) if part else None for part in match.groups())
        if day:
            start = end = dt.date(year, month, day)
        elif month:
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise QueryError(f"{text!r} is not a date{f' ({where})' if where else ''}; write YYYY, YYYY-MM or "
                         "YYYY-MM-DD, e.g. date:2015..2017 or date:>2018-06", "date-invalid",
                         text=text, where=where) from None
    return start, end


def _check_balance(text: str) -> None:
    """Unbalanced quotes and parentheses, which Whoosh would quietly guess at."""
    depth, quote = 0, None
    for position, char in enumerate(text, start=1):
        if char == '"':
            quote = None if quote else position
        elif quote:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError(f"a ')' at position {position} closes no '('",
                                 "paren-unopened", position=position)
    if quote:
        raise QueryError(f"the quotation mark at position {quote} is never closed",
                         "quote-unclosed", position=quote)
    if depth:
        raise QueryError(f"{depth} '(' never closed; add ')'", "paren-unclosed", count=depth)


class TwinFieldsPlugin(qparser.MultifieldPlugin):
    """Search each word in every twin of a text field (``search.fields``).

    An unfielded word searches the twins of the title and the body; ``title:``
    and ``body:`` search the twins of that field only.  The romanised twins
    exist where the schema has them (Greek).
    """

    def __init__(self, schema) -> None:
        present = twins_of(schema)
        twins = {name: [twin.field(name) for twin in present] for name in TEXT_FIELDS}
        twins[None] = [f for name in TEXT_FIELDS for f in twins[name]]
        boosts = {twin.field(name): twin.boost * (TITLE_BOOST if name == "title" else 1)
                  for name in TEXT_FIELDS for twin in present}
        self.kinds = {twin.field(name): twin for name in TEXT_FIELDS for twin in present}
        super().__init__(twins[None], boosts)
        self.twins = twins

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname in self.twins:
                phrase = isinstance(node, qparser.PhrasePlugin.PhraseNode)
                copies = []
                for name in self._twins_for(node):
                    kind = ReadingsPhraseNode if phrase and self.kinds[name].romanised else type(node)
                    copy = kind.__new__(kind)
                    copy.__dict__.update(node.__dict__)
                    copy.set_fieldname(name, override=True)
                    copy.set_boost(node.boost * self.boosts[name])
                    copies.append(copy)
                group[i] = (PhraseTwins if phrase else TwinsGroup)(copies)
        return group

    def _twins_for(self, node) -> list[str]:
        """Prefix, wildcard and fuzzy words search the twins that expand them only.

        A stem is no word to complete or misspell (``pandemi*`` never
        matches the stem ``pandem``), nor is a romanisation key; the exact
        twin finds them as written and the folded twin without accents.
        """
        names = self.twins[node.fieldname]
        if isinstance(node, (qparser.FuzzyTermPlugin.FuzzyTermNode,
                             qparser.PrefixPlugin.PrefixNode,
                             qparser.WildcardPlugin.WildcardNode)):
            return [name for name in names if self.kinds[name].expands]
        return names


class ReadingsPhraseNode(qparser.PhrasePlugin.PhraseNode):
    """A phrase whose words may each have several readings (keys at one position).

    Whoosh's phrase query takes one term per word; a romanised word is any
    of its keys, so each position becomes an ``Or`` and the phrase a
    ``Sequence`` of them.
    """

    def query(self, parser):
        analyzer = parser.schema[self.fieldname].analyzer
        words = [wq.Or([wq.Term(self.fieldname, text) for text in texts])
                 for texts in sorted_readings(analyzer, self.text)]
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return words[0].with_boost(self.boost)
        return wq.Sequence(words, slop=self.slop, boost=self.boost)


class FuzzyTermPlugin(qparser.FuzzyTermPlugin):
    """``word~`` and ``word~2``, keeping the first letter unless ``~N/0`` says otherwise.

    Whoosh's default prefix of 0 compares the word with every term of the
    vocabulary; requiring the first letter makes it ~20 times cheaper, and
    a misspelt first letter is the rarer mistake.  ``~N/M`` keeps the first M
    letters; Whoosh's own syntax has no ``/0``, hence the pattern.
    """

    expr = re.compile(r"(?<=\S)~(?P<maxdist>[0-9])?(/(?P<prefix>[0-9]+))?")

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):
            return varied(super().query(parser))

    def create(self, parser, match):
        node = super().create(parser, match)
        if node.maxdist > MAX_EDITS:
            raise QueryError(f"a fuzzy word allows at most {MAX_EDITS} edits (~{MAX_EDITS}), "
                             f"got {match.group(0)}", "fuzzy-edits", limit=MAX_EDITS,
                             word=match.group(0))
        if not match.group("prefix"):
            node.prefixlength = 1
        return node


def varied(q):
    """``q``, or its one term where a fuzzy word keeps all its letters (``tables~1/6``,
    or stemmed shorter than the letters kept): nothing is left to vary, and
    Whoosh's automaton fails on it."""
    if isinstance(q, wq.FuzzyTerm) and len(q.text) <= q.prefixlength:
        return wq.Term(q.fieldname, q.text, boost=q.boost)
    return q


class PlusMinusPlugin(qparser.PlusMinusPlugin):
    """Whoosh's ``+word``/``-word``, also inside parentheses, only at a word's start.

    Whoosh's own plugin reads markers in the top-level group only and takes
    any hyphen for one; ours keeps 18-19 and ruling-class as words.
    """

    def __init__(self) -> None:
        super().__init__(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-")

    def do_plusminus(self, parser, group):
        """Mark the part after ``+`` required and the part after ``-`` excluded, in place.

        Whoosh's own filter regroups a flat group into required, optional
        and banned groups; the best-match group sorts its parts itself
        (``search.bestmatch``), so a marked part keeps its place.
        """
        marked, marker = group.empty_copy(), None
        for node in group:
            if isinstance(node, (self.Plus, self.Minus)):
                marker = node
                continue
            if isinstance(node, syntax.GroupNode) and not isinstance(node, TwinsGroup):
                node = self.do_plusminus(parser, node)
            if isinstance(marker, self.Plus):
                node = Required([node])
            elif isinstance(marker, self.Minus):
                node = syntax.NotGroup([node])
            marked.append(node)
            marker = None
        return marked


def parser_for(schema) -> qparser.QueryParser:
    """A Whoosh parser for one language's schema: plain words as a best match."""
    parser = qparser.QueryParser(None, schema, group=BestMatchGroup)
    parser.add_plugin(CountingPlugin())
    parser.add_plugin(TwinFieldsPlugin(schema))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(PlusMinusPlugin())
    # A single quote is an apostrophe (Trump's), never a quotation mark.
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.add_plugin(qparser.FieldAliasPlugin({"tags": ["tag"]}))
    return parser


class Expanded(wq.MultiTerm):
    """A prefix, wildcard or fuzzy word with its terms in one index, looked up once.

    Whoosh expands such a word again each time it builds a matcher,
    highlights a hit or is asked for its terms; a fuzzy word walks the term
    dictionary for every one.  This keeps the first expansion and lets
    Whoosh's own ``MultiTerm`` code (scoring, constant scores, highlighting)
    use it.
    """

    def __init__(self, q, texts: tuple) -> None:
        self.original = q
        self.fieldname, self.boost = q.field(), q.boost
        self.text = getattr(q, "text", None)  # a range (``[a TO c]``) has none
        self.constantscore = getattr(q, "constantscore", True)
        self.startchar = getattr(q, "startchar", None)
        self.endchar = getattr(q, "endchar", None)
        self.texts = texts

    def _btexts(self, ixreader):
        return self.texts

    def __eq__(self, other):
        return type(other) is type(self) and other.original == self.original

    def __hash__(self):
        return hash(self.original)

    def __str__(self):
        return str(self.original)

    __unicode__ = __str__


def expand(q, vocabulary, reader, deadline: float):
    """``q`` with every prefix, wildcard and fuzzy word :class:`Expanded` in one index.

    ``*`` in a field (Whoosh's ``Every(field)``, which would read the postings
    of every word of the field) becomes every document, as a query of
    filters alone is.

    :param vocabulary: the index's :class:`~search.vocabulary.Vocabulary`.
    :raise TooGeneral: for a word that stands for too many terms.
    :raise TimeLimit: when the deadline passes while expanding.
    """
    if isinstance(q, wq.Every):
        return wq.Every()
    if isinstance(q, wq.MultiTerm) and not isinstance(q, Expanded):
        return Expanded(q, vocabulary.expand(q, reader, deadline))
    if not any(isinstance(leaf, (wq.MultiTerm, wq.Every)) for leaf in q.leaves()):
        return q
    if isinstance(q, wq.BinaryQuery):
        copy = shallow_copy(q)
        copy.a = expand(q.a, vocabulary, reader, deadline)
        copy.b = expand(q.b, vocabulary, reader, deadline)
        copy.subqueries = (copy.a, copy.b)
        return copy
    if isinstance(q, wq.CompoundQuery):
        copy = shallow_copy(q)
        copy.subqueries = [expand(s, vocabulary, reader, deadline) for s in q.subqueries]
        return copy
    if isinstance(q, wq.Not):
        return wq.Not(expand(q.query, vocabulary, reader, deadline), boost=q.boost)
    if isinstance(q, Counted):
        return Counted(expand(q.child, vocabulary, reader, deadline), q.at)
    return q


MAX_QUERY_EXPANSIONS = 4000
"""Terms that a query's prefix, wildcard and fuzzy words may stand for together in
one language index (each word is also held to ``vocabulary.MAX_EXPANSIONS``).
Whoosh reads the postings of each before collecting the first hit, a cost the
search's time limit cannot cut short."""


def check_expansions(q) -> None:
    """Refuse a query whose expanded words stand for too many terms together.

    :raise TooGeneral: past :data:`MAX_QUERY_EXPANSIONS`.
    """
    total = sum(len(leaf.texts) for leaf in q.leaves() if isinstance(leaf, Expanded))
    if total > MAX_QUERY_EXPANSIONS:
        raise TooGeneral(f"the query's prefix, wildcard and fuzzy words stand for "
                         f"{total:,} words of the index together, more than "
                         f"{MAX_QUERY_EXPANSIONS:,}; use fewer of them, or more specific ones",
                         "query-too-general", total=total, limit=MAX_QUERY_EXPANSIONS)


def prune(q, reader):
    """The query as one index can run it: terms the index lacks taken out.

    Whoosh builds a matcher for every twin of every word, present or not,
    and keeps ``And(word, nothing)`` as ``word`` when normalising.  Here a
    missing term or phrase word is nothing, an ``Or`` keeps what is left, and
    an ``And`` (or phrase) with a part that is nothing is nothing: a
    language where a required word occurs in no twin is not searched at all.
    Prefix, wildcard and fuzzy words count as missing when :func:`expand`
    found them nothing; what ``NOT`` excludes is left as parsed.
    """
    if isinstance(q, wq.Term):
        return q if (q.fieldname, q.text) in reader else wq.NullQuery
    if isinstance(q, Expanded):
        return q if q.texts else wq.NullQuery
    if isinstance(q, wq.Phrase):
        present = all((q.fieldname, word) in reader for word in q.words)
        return q if present else wq.NullQuery
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        kept = [s for s in (prune(s, reader) for s in q.subqueries) if s is not wq.NullQuery]
        if not kept:
            return wq.NullQuery
        copy = shallow_copy(q)
        copy.subqueries = kept
        return copy
    if isinstance(q, (wq.And, wq.Sequence)):
        parts = [prune(s, reader) for s in q.subqueries]
        if any(s is wq.NullQuery for s in parts):
            return wq.NullQuery
        copy = shallow_copy(q)
        copy.subqueries = parts
        return copy
    if isinstance(q, Counted):
        child = prune(q.child, reader)
        return wq.NullQuery if child is wq.NullQuery else Counted(child, q.at)
    if isinstance(q, (wq.AndNot, wq.AndMaybe)):  # a required part, then one excluded or optional
        required = prune(q.a, reader)
        if required is wq.NullQuery:
            return wq.NullQuery
        other = prune(q.b, reader)
        return required if other is wq.NullQuery else type(q)(required, other)
    return q  # Not, multi-term words, Every: as parsed
