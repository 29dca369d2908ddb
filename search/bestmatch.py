"""Best match for plain words: any word finds a statement, BM25F ranks it.

A query of plain words is read the way people search, not the way a boolean
index does: a document that holds any of the words matches, and is ranked
by the BM25F score of the words it holds (``search.ranking``).
Operators keep their strict meaning: ``+word``, ``"a phrase"`` and the
parts of ``a AND b`` are required, ``-word`` and ``NOT word`` excluded.

Each plain word of the top-level group is a *unit*, wrapped in
:class:`Counted`, so that the words a document holds can be counted and
its score read word by word.  A word counts once, whichever twin (exact,
stemmed, folded, romanised) matched it.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.qparser import syntax

class TwinsGroup(syntax.GroupNode):
    """One word or phrase of the query searched in every twin field: one unit.

    Not an ``OrGroup``: Whoosh merges side-by-side ``OrGroup``s, so ``a OR b``
    would lose where one word's twins end and the next begin.
    """

    qclass = wq.Or
    merging = False

    def query(self, parser):
        """Whoosh's ``GroupNode.query``; a plain word's twins the short way (:func:`_term_query`)."""
        if not all(type(node) is syntax.WordNode for node in self.nodes):
            return super().query(parser)
        parts = [q for q in (_term_query(parser, node) for node in self.nodes) if q is not None]
        return syntax.attach(self.qclass(parts, boost=self.boost), self)


def _term_query(parser, node: syntax.WordNode):
    """A plain word's query in one twin field: Whoosh's ``WordNode.query``, the short way.

    The same terms as Whoosh's parser makes, without its general steps: a
    query asks this of every twin of every word in each of some 19
    languages, hundreds of times a search.
    """
    field = parser.schema[node.fieldname]
    if field.self_parsing():
        return node.query(parser)
    texts = field.process_text(node.text, mode="query")
    if not texts:
        return None
    if len(texts) > 1:
        q = parser.multitoken_query(field.multitoken_query, list(texts), node.fieldname,
                                    parser.termclass, node.boost)
    else:
        q = parser.termclass(node.fieldname, texts[0], boost=node.boost)
    return syntax.attach(q, node)


class PhraseTwins(TwinsGroup):
    """A quoted phrase searched in every twin field: required, as quotes say."""


class Required(syntax.Wrapper):
    """A part marked ``+``: every result holds it."""

    def query(self, parser):
        return self.nodes[0].query(parser)


class BestMatchGroup(syntax.GroupNode):
    """The words of a query or of parentheses, read as a best match.

    Only the outermost such group counts its words (``counting``, set by
    :class:`CountingPlugin`); a group in parentheses is one unit of it.
    """

    qclass = wq.Or
    counting = False

    def query(self, parser):
        required, optional_parts, banned = [], [], []
        for node in self.nodes:
            q = node.query(parser)
            if q is None:
                continue
            if isinstance(node, syntax.NotGroup):
                banned.append(q.query)
            elif optional(node):
                optional_parts.append(Counted(q, node.startchar) if self.counting else q)
            else:
                required.append(q)
        return syntax.attach(_combine(required, optional_parts, banned, self.boost), self)


def _required(node) -> bool:
    """``+word``, a quoted phrase and the parts of ``a AND b`` are never optional."""
    return isinstance(node, (Required, syntax.AndGroup, PhraseTwins))


def optional(node) -> bool:
    """Whether a part of a best-match group is optional: neither required nor excluded.

    The parts of the outermost group that are optional are its counted words.
    """
    return not isinstance(node, syntax.NotGroup) and not _required(node)


def _combine(required: list, optional: list, banned: list, boost: float):
    """Required parts AND-ed, optional ones OR-ed (scored when present), banned ones excluded."""
    q = wq.Or(optional, boost=boost) if optional else None
    if required:
        q = wq.AndMaybe(wq.And(required), q) if q else wq.And(required, boost=boost)
    if banned:
        q = wq.AndNot(q or wq.Every(), wq.Or(banned))
    return q or wq.NullQuery


class CountingPlugin:
    """Marks the outermost best-match groups of a parsed query as counting their words.

    A filter run after Whoosh's own (operators at 600): by then the tree has
    its final shape, with ``+`` and ``-`` applied.  It also drops an operator
    left with nothing to apply to, which Whoosh's wrappers cannot turn into
    a query.
    """

    def taggers(self, parser):
        return ()

    def filters(self, parser):
        return [(self.mark, 1000)]

    def mark(self, parser, group):
        group = _without_empty(group)
        _mark(group)
        return group


def _without_empty(group):
    """The tree without operators left with nothing to apply to (``NOT`` or ``+`` at the end)."""
    kept = group.empty_copy()
    for node in group:
        if isinstance(node, syntax.GroupNode):
            node = _without_empty(node)
            if isinstance(node, syntax.Wrapper) and not node.nodes:
                continue
        kept.append(node)
    return kept


def _mark(node) -> None:
    if isinstance(node, BestMatchGroup):
        node.counting = True
        return
    if isinstance(node, syntax.GroupNode):
        for child in node:
            _mark(child)


class Counted(wq.WrappingQuery):
    """One query word: a mark on its part of the query, matching what that part matches.

    ``at`` is where the part starts in the query's text, so that a result can
    name the words it lacks (``Query.units``) as the search counted them.
    """

    def __init__(self, child, at: int | None = None) -> None:
        super().__init__(child)
        self.at = at

    def _rewrap(self, child):
        return Counted(child, self.at)

    def __eq__(self, other):
        return type(other) is type(self) and other.child == self.child

    def __hash__(self):
        # Whoosh hashes a compound query as the XOR of its parts' hashes, so the
        # twins of one word (one text in an even number of fields) cancel out its
        # text: every word hashed alike, and removing repeated words compared
        # each with each, in every language.
        return hash(("counted", frozenset(self.child.iter_all_terms())))

    def __unicode__(self):
        return f"<{self.child}>"

    __str__ = __unicode__

    def normalize(self):
        child = self.child.normalize()
        return wq.NullQuery if child is wq.NullQuery else self._rewrap(child)


def normalised(q):
    """``q.normalize()``, the short way for a parsed query of plain words.

    Such a query is an ``Or`` of words (:class:`Counted`), or one word, each
    an ``Or`` of its terms in the twin fields: a field where the word reads
    as several keys holds an ``Or`` of them, one where it reads as several
    words (``/usr/share``) a phrase.  What Whoosh's ``normalize`` does to it
    is done here: nested terms are brought up, a repeated term or word goes,
    a word with no term (a stop word) goes, a phrase of one word is a term,
    and a lone term or word stands alone.  Its general steps were a fifth of
    parsing a query in 19 languages.  Any other shape is Whoosh's.
    """
    words = q.subqueries if type(q) is wq.Or else [q]
    if getattr(q, "boost", 1.0) != 1.0 or not all(type(word) is Counted for word in words):
        return q.normalize()
    kept, seen = [], set()
    for word in words:
        terms = _terms(word.child)
        if terms is None:
            return q.normalize()
        key = tuple(_key(term) for term in terms)
        if terms and key not in seen:
            seen.add(key)
            kept.append(Counted(terms[0] if len(terms) == 1 else wq.Or(terms), word.at))
    if not kept:
        return wq.NullQuery
    return kept[0] if len(kept) == 1 else wq.Or(kept)


def _terms(q) -> list | None:
    """A word's terms and phrases, as Whoosh normalises them, nested ones brought up and
    repeated ones dropped; None when it is not made of these alone."""
    if type(q) is wq.Term:
        return [q]
    if type(q) is wq.Phrase:
        if None in q.words:
            return None
        if not q.words:
            return []
        if len(q.words) == 1:  # Whoosh's: a term, without the phrase's boost
            return [wq.Term(q.fieldname, q.words[0])]
        return [q]
    if type(q) is not wq.Or or q.boost != 1.0:
        return None
    terms, seen = [], set()
    for part in q.subqueries:
        inner = _terms(part)
        if inner is None:
            return None
        for term in inner:
            key = _key(term)
            if key not in seen:
                seen.add(key)
                terms.append(term)
    return terms


def _key(part) -> tuple:
    """What makes two terms or phrases the same query, as Whoosh compares them."""
    if type(part) is wq.Term:
        return ("term", part.fieldname, part.text, part.boost)
    return ("phrase", part.fieldname, tuple(part.words), part.slop, part.boost)


def units(q) -> int:
    """How many words a query counts (the ``Counted`` parts of it)."""
    if isinstance(q, Counted):
        return 1
    return sum(units(child) for child in q.children())
