"""Queries on one part of the `head` field: `title:`, `kicker:`, `lead:`,
`caption:`.

The parts are not indexed on their own: `head` holds each part's words at
positions of its own (engine.schema.WeightedText), so a part's term is head's
term with only the positions in the part's span. It scores as head's BM25F
term would with the part's share of the weight (the part's head weight times
its occurrences there), on head's statistics. Phrases, prefixes, wildcards
and fuzzy terms are Whoosh's, built from such terms; `kicker:*` finds the
articles that have a kicker (the `parts` field).
"""
from __future__ import annotations

from typing import NamedTuple

from whoosh import matching, query as Q
from whoosh.searching import SearchContext

from .. import engine
from ..engine.schema import encode_positions
from ..errors import QueryError

HEAD = "head"


class Part(NamedTuple):
    name: str
    start: int  # head positions [start, end)
    end: int
    weight: float


def on_head(q: Q.Query, schema) -> Q.Query:
    """`q` with every query on a head part made one on head's positions."""
    head = schema[HEAD] if HEAD in schema else None
    if not hasattr(head, "part_span"):
        return q

    def visit(node):
        name = getattr(node, "fieldname", None)
        if name not in engine.HEAD_PARTS:
            return node
        part = Part(name, *head.part_span(name), head.parts[name])
        kind = type(node)
        if kind is Q.Term:
            return PartTerm(node.text, part, boost=node.boost)
        if kind is Q.Phrase:
            return PartPhrase(node.words, part, slop=node.slop, boost=node.boost)
        if kind is Q.Every:
            return PartEvery(part, boost=node.boost)
        if isinstance(node, Q.MultiTerm):  # prefix, wildcard, fuzzy term
            node = node.copy()
            node.fieldname = HEAD
            return PartTerms(node, part)
        raise QueryError(f"{name}: cannot search a part of an article with {kind.__name__}")

    return q.accept(visit)


class _OnPart:
    """Equal only to the same query on the same part."""

    part: Part

    def __eq__(self, other):
        return (type(other) is type(self) and super().__eq__(other)
                and self.part == other.part and self.boost == other.boost)

    def __hash__(self):
        return super().__hash__() ^ hash(self.part)


class PartTerm(_OnPart, Q.Term):
    def __init__(self, text, part: Part, boost: float = 1.0):
        super().__init__(HEAD, text, boost=boost)
        self.part = part

    def __repr__(self):
        return f"PartTerm({self.part.name!r}, {self.text!r}, boost={self.boost})"

    def __str__(self):
        return f"{self.part.name}:{self.text}"

    def copy(self):
        return PartTerm(self.text, self.part, self.boost)

    def matcher(self, searcher, context=None):
        # Whoosh's Term.matcher, with head's postings kept to the part
        tbytes = _in_head(searcher, self.text)
        if tbytes is None:
            return matching.NullMatcher()
        field, reader = searcher.schema[HEAD], searcher.reader()
        weighting = (context.weighting if context is not None else None) or searcher.weighting
        start, end, weight = self.part.start, self.part.end, self.part.weight
        decode, encode = field.format.decoder("positions"), encode_positions
        ids, weights, values = [], [], []
        m = reader.postings(HEAD, tbytes)
        while m.is_active():
            poses = [p for p in decode(m.value()) if start <= p < end]
            if poses:
                ids.append(m.id())
                weights.append(weight * len(poses))
                values.append(encode(poses))
            m.next()
        if not ids:
            return matching.NullMatcher()
        m = _PartMatcher(ids, weights, values, field.format,
                         scorer=weighting.scorer(searcher, HEAD, tbytes),
                         term=(HEAD, tbytes), terminfo=reader.term_info(HEAD, tbytes))
        return m if self.boost == 1.0 else matching.WrappingMatcher(m, boost=self.boost)


def _in_head(searcher, text) -> bytes | None:
    """The term's bytes if head holds it (as Whoosh's Term.matcher checks)."""
    try:
        tbytes = searcher.schema[HEAD].to_bytes(text)
    except ValueError:
        return None
    return tbytes if (HEAD, tbytes) in searcher.reader() else None


class _PartMatcher(matching.ListMatcher):
    """The kept postings. The term info is head's whole term's: its shortest
    length still bounds the block quality from above, as Whoosh needs."""

    def copy(self):
        return _PartMatcher(self._ids, self._weights, self._values, self._format, self._scorer,
                            self._i, term=self._term, terminfo=self._terminfo)


class PartPhrase(_OnPart, Q.Phrase):
    def __init__(self, words, part: Part, slop: int = 1, boost: float = 1.0):
        super().__init__(HEAD, words, slop=slop, boost=boost)
        self.part = part

    def __repr__(self):
        return f"PartPhrase({self.part.name!r}, {self.words!r}, slop={self.slop}, boost={self.boost})"

    def copy(self):
        return PartPhrase(list(self.words), self.part, self.slop, self.boost)

    def matcher(self, searcher, context=None):
        # Whoosh's Phrase.matcher, over the part's terms
        words = [_in_head(searcher, word) for word in self.words]
        if None in words:
            return matching.NullMatcher()
        terms = [PartTerm(word, self.part) for word in words]
        m = Q.SpanNear2(terms, slop=self.slop, ordered=True, mindist=1).matcher(searcher, context)
        return m if self.boost == 1.0 else matching.WrappingMatcher(m, boost=self.boost)


class PartEvery(_OnPart, Q.Every):
    """Articles that have the part, each scored `boost` (as Whoosh's Every)."""

    def __init__(self, part: Part, boost: float = 1.0):
        super().__init__(HEAD, boost=boost)
        self.part = part

    def __repr__(self):
        return f"PartEvery({self.part.name!r}, boost={self.boost})"

    def copy(self):
        return PartEvery(self.part, self.boost)

    def matcher(self, searcher, context=None):
        reader, key = searcher.reader(), self.part.name.encode("utf-8")
        if ("parts", key) not in reader:
            return matching.NullMatcher()
        return matching.ListMatcher(list(reader.postings("parts", key).all_ids()),
                                    all_weights=self.boost)


class PartTerms(_OnPart, Q.WrappingQuery):
    """A prefix, wildcard or fuzzy term on a part (`title:Rak*`): the head
    terms it matches, each a PartTerm, scored as Whoosh's MultiTerm.matcher
    scores its terms (by BM25 for one term, constant for several)."""

    def __init__(self, child: Q.MultiTerm, part: Part):
        super().__init__(child)
        self.part = part

    def __repr__(self):
        return f"PartTerms({self.part.name!r}, {self.child!r})"

    @property
    def boost(self):
        return self.child.boost

    @boost.setter
    def boost(self, value):
        self.child.boost = value

    def __eq__(self, other):
        return type(other) is PartTerms and self.child == other.child and self.part == other.part

    def _rewrap(self, child):
        return PartTerms(child, self.part)

    def matcher(self, searcher, context=None):
        q = self.child
        if type(q) in (Q.Prefix, Q.Wildcard) and q.text in ("", "*"):
            return PartEvery(self.part, boost=q.boost).matcher(searcher, context)
        terms = [PartTerm(word, self.part) for word in q._btexts(searcher.reader()) if word]
        if not terms:
            return matching.NullMatcher()
        if len(terms) == 1:
            return terms[0].matcher(searcher, context)
        if q.constantscore:  # as MultiTerm: no weighting for the terms
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        return Q.Or(terms, boost=q.boost).matcher(searcher, context)
