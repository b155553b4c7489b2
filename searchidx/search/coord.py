"""Coordination for multi-word queries: a document's score is scaled by the
share of query words it matches, so matching more words ranks higher, while a
word that matches nothing does not stop the others from finding documents.

Whoosh's own coordination (Or(scale=...)) counts term matchers across all
fields and variants, which makes the bonus vanish for multi-field queries;
here each top-level query word counts once."""
from __future__ import annotations

from whoosh import matching, query as Q
from whoosh.util import make_binary_tree
from whoosh.qparser import syntax

EXPONENT = 2.0  # score * (matched words / words) ** EXPONENT


class CoordOr(Q.Or):
    def matcher(self, searcher, context=None):
        subs = [q for q in self.subqueries if q is not Q.NullQuery]
        if len(subs) < 2:
            return super().matcher(searcher, context)
        children = [m for m in (q.matcher(searcher, context) for q in subs) if m.is_active()]
        if not children:
            return matching.NullMatcher()
        return CoordMatcher(children, len(subs), EXPONENT)


class CoordOrGroup(syntax.OrGroup):
    qclass = CoordOr


class CoordMatcher(matching.WrappingMatcher):
    """Whoosh's union of the words' matchers (so its block-quality skipping
    still prunes: the coordination factor is at most 1, so the union's
    quality bounds stay valid), with each score scaled by the share of words
    that match the current document."""

    def __init__(self, children, total: int, exponent: float):
        super().__init__(make_binary_tree(matching.UnionMatcher, children))
        self._words = children
        self._total = total
        self._exponent = exponent

    def copy(self):
        return CoordMatcher([w.copy() for w in self._words], self._total, self._exponent)

    def replace(self, minquality=0):
        # Keep the tree as built: replacing its parts would orphan self._words.
        return self if self.child.is_active() else matching.NullMatcher()

    def score(self):
        current = self.child.id()
        matched = sum(1 for w in self._words if w.is_active() and w.id() == current)
        return self.child.score() * (matched / self._total) ** self._exponent
