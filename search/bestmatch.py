"""Best match for plain words: any word finds a statement, more words rank it higher.

A query of plain words is read the way people search, not the way a boolean
index does: a document that holds any of the words matches, and one that
holds more of them ranks above one that holds fewer, whatever its BM25F
score (Meilisearch's ``words`` rule; Lucene's coordination factor only
weighs the count in).  Operators keep their strict meaning: ``+word``,
``"a phrase"`` and the parts of ``a AND b`` are required, ``-word`` and
``NOT word`` excluded.

Each plain word of the top-level group is a *unit*, wrapped in
:class:`Counted`, whose matcher adds :data:`UNIT` to the word's score: a
hit's score is then ``UNIT * words matched + BM25F``, so Whoosh's own sort
orders hits by the number of words first, and :func:`words_matched` reads
the number back.  A word counts once, whichever twin (exact, stemmed,
folded, romanised) matched it.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.qparser import syntax

UNIT = 1_000_000.0
"""Added to a hit's score per query word it holds.  A word's BM25F score over
every twin stays far below it (an idf of at most ~15, times 2.2, times eight
twins with a title boost of 2: ~500), and 64 words (the query limit) times
it keep a float's precision to 1e-8."""


class TwinsGroup(syntax.GroupNode):
    """One word or phrase of the query searched in every twin field: one unit.

    Not an ``OrGroup``: Whoosh merges side-by-side ``OrGroup``s, so ``a OR b``
    would lose where one word's twins end and the next begin.
    """

    qclass = wq.Or
    merging = False


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
        required, optional, banned = [], [], []
        for node in self.nodes:
            q = node.query(parser)
            if q is None:
                continue
            if isinstance(node, syntax.NotGroup):
                banned.append(q.query)
            elif _required(node):
                required.append(q)
            else:
                optional.append(Counted(q) if self.counting else q)
        return syntax.attach(_combine(required, optional, banned, self.boost), self)


def _required(node) -> bool:
    """``+word``, a quoted phrase and the parts of ``a AND b`` are never optional."""
    return isinstance(node, (Required, syntax.AndGroup, PhraseTwins))


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
    """One query word: a document that holds it scores :data:`UNIT` more."""

    def __eq__(self, other):
        return type(other) is type(self) and other.child == self.child

    def __hash__(self):
        return hash(("counted", self.child))

    def __unicode__(self):
        return f"<{self.child}>"

    __str__ = __unicode__

    def normalize(self):
        child = self.child.normalize()
        return wq.NullQuery if child is wq.NullQuery else Counted(child)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        return CountingMatcher(m) if m.is_active() else m


class CountingMatcher(WrappingMatcher):
    """Adds :data:`UNIT` to the score of every document its child matches."""

    def __init__(self, child, boost: float = 1.0) -> None:
        super().__init__(child, boost)

    def score(self):
        return self.child.score() + UNIT

    def max_quality(self):
        return self.child.max_quality() + UNIT

    def block_quality(self):
        return self.child.block_quality() + UNIT

    def skip_to_quality(self, minquality):
        return self.child.skip_to_quality(minquality - UNIT)

    def replace(self, minquality=0):
        r = self.child.replace(max(0, minquality - UNIT))
        if not r.is_active():
            return NullMatcher()
        return self if r is self.child else CountingMatcher(r)


def units(q) -> int:
    """How many words a query counts (the ``Counted`` parts of it)."""
    if isinstance(q, Counted):
        return 1
    return sum(units(child) for child in q.children())


def words_matched(score: float) -> int:
    """How many counted words a hit holds, read from its score."""
    return int(score // UNIT)


def relevance(score: float) -> float:
    """A hit's BM25F score, without the words' :data:`UNIT`."""
    return score - words_matched(score) * UNIT
