"""Coordination for multi-word queries: a document's score is scaled by the
share of query words it matches, so matching more words ranks higher, while a
word that matches nothing does not stop the others from finding documents.

Whoosh's own coordination (Or(scale=...)) counts term matchers across all
fields and variants, which makes the bonus vanish for multi-field queries;
here each top-level query word counts once."""
from __future__ import annotations

from whoosh import matching, query as Q
from whoosh.qparser import syntax

EXPONENT = 2.0  # score * (matched words / words) ** EXPONENT


class CoordOr(Q.Or):
    def matcher(self, searcher, context=None):
        subs = [q for q in self.subqueries if q is not Q.NullQuery]
        if len(subs) < 2:
            return super().matcher(searcher, context)
        children = [q.matcher(searcher, context) for q in subs]
        return CoordMatcher(children, len(subs), EXPONENT)


class CoordOrGroup(syntax.OrGroup):
    qclass = CoordOr


class CoordMatcher(matching.Matcher):
    def __init__(self, children, total: int, exponent: float):
        self._children = [c for c in children if c.is_active()]
        self._total = total
        self._exponent = exponent
        self._update()

    def _update(self):
        """Drop exhausted children and note the current document."""
        self._children = [c for c in self._children if c.is_active()]
        self._id = min(c.id() for c in self._children) if self._children else None

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def next(self):
        current = self._id
        for c in self._children:
            if c.id() == current:
                c.next()
        self._update()

    def skip_to(self, target):
        for c in self._children:
            if c.id() < target:
                c.skip_to(target)
        self._update()

    def score(self):
        current = self._id
        scores = [c.score() for c in self._children if c.id() == current]
        return sum(scores) * (len(scores) / self._total) ** self._exponent

    def copy(self):
        return CoordMatcher([c.copy() for c in self._children], self._total, self._exponent)

    def children(self):
        return list(self._children)

    def term_matchers(self):
        for c in self._children:
            yield from c.term_matchers()

    def matching_terms(self, id=None):
        id = self._id if id is None else id
        for c in self._children:
            if c.is_active() and c.id() == id:
                yield from c.matching_terms(id)

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        self._update()
        if not self._children:
            return matching.NullMatcher()
        return self

    def max_quality(self):
        return sum(c.max_quality() for c in self._children)

    def weight(self):
        return sum(c.weight() for c in self._children if c.id() == self._id)

    def supports(self, astype):
        return all(c.supports(astype) for c in self._children)

    def value_as(self, astype):
        current = self._id
        for c in self._children:
            if c.id() == current:
                return c.value_as(astype)
