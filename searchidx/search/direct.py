"""Scoring the common query shapes directly from posting blocks.

Whoosh scores a query by walking a tree of Python matcher objects, one call
chain per matching document; for German word queries (several alternatives
per word, two fields, coordination) that costs about 30 µs a document. Here
each term's postings are read block by block and scored with the same BM25F
formula, statistics and boosts into a dict, and the tree's Or / And / AndNot
/ AndMaybe / coordination are applied to those dicts: the same scores (a test
compares them), several times faster. Other parts (phrases, wildcards, fuzzy
terms) are scored by Whoosh's own matcher for that part alone, which adds up
the same way.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from math import log
from operator import add

from whoosh import query as Q

from .. import engine
from ..engine.postings import TermTable
from .coord import EXPONENT, CoordOr

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which the searcher uses
CACHE_POSTINGS = 400_000  # scored postings kept for the next queries (batches share words)


class DirectScorer:
    def __init__(self, searcher, terms=None):
        """`terms`: an engine.postings.TermTable of the searcher's reader, shared with
        whoever else looks terms up (each Whoosh lookup probes every segment)."""
        self.searcher = searcher
        self._terms = terms or TermTable(searcher.reader())
        self._doc_count = searcher.doc_count_all()
        self._norms: dict[str, list[float]] = {}
        # (field, text) of a term, or an Or / And query -> its scores; LRU
        self._cache: OrderedDict[object, dict[int, float]] = OrderedDict()
        self._cached = 0  # postings held in self._cache

    def scores(self, q: Q.Query) -> dict[int, float]:
        """docnum -> score for every document `q` matches."""
        return self._eval(q)

    def _eval(self, q) -> dict[int, float]:
        if type(q) is Q.Or or type(q) is Q.And:
            # A query word in its forms and fields: words recur in a batch.
            return self._remember(_key(q), self._evaluate, q)
        return self._evaluate(q)

    def _evaluate(self, q) -> dict[int, float]:
        kind = type(q)
        if kind is Q.Term:
            out = self._remember((q.fieldname, q.text), self._score_term, q.fieldname, q.text)
        elif kind is CoordOr:
            out = self._coord(q.subqueries)
        elif kind is Q.Or:
            out = _union([self._eval(s) for s in q.subqueries])
        elif kind is Q.And:
            out = _intersection([self._eval(s) for s in q.subqueries])
        elif kind is Q.AndNot:
            out = dict(self._eval(q.a))  # results may be cached: never change them
            for d in self._eval(q.b):
                out.pop(d, None)
        elif kind is Q.AndMaybe:
            out = dict(self._eval(q.a))
            for d, v in self._eval(q.b).items():
                if d in out:
                    out[d] += v
        elif q is Q.NullQuery:
            return {}
        elif (kind is Q.Phrase and q.fieldname in engine.GERMAN_FIELDS  # (have positions)
              and not self._words_meet(q.fieldname, q.words)):
            return {}
        else:
            return self._by_whoosh(q)  # its matcher applies the boost itself
        if q.boost != 1.0:
            boost = q.boost
            out = {d: v * boost for d, v in out.items()}
        return out

    def _words_meet(self, fieldname: str, words) -> bool:
        """Whether some document holds all of a phrase's words: most phrases
        from spacing variants (`"Terror Isten"`) have none, and Whoosh's
        phrase matcher costs far more than the words' cached postings."""
        docs = None
        for word in words:
            found = self._remember((fieldname, word), self._score_term, fieldname, word)
            docs = found.keys() if docs is None else docs & found.keys()
            if not docs:
                return False
        return True

    def _by_whoosh(self, q) -> dict[int, float]:
        """Whoosh's matcher for `q`, segment by segment as Whoosh's own search
        runs it: a prefix or wildcard expands within each segment, and scores
        by BM25 where it expands to one term, as a constant where to several."""
        out = {}
        context = self.searcher.context()
        for leaf, offset in self.searcher.leaf_searchers():
            m = q.matcher(leaf, context)
            while m.is_active():
                out[m.id() + offset] = m.score()
                m.next()
        return out

    def _coord(self, subqueries) -> dict[int, float]:
        parts = [self._eval(s) for s in subqueries if s is not Q.NullQuery]
        total, matched = _union(parts), Counter()
        for p in parts:
            matched.update(p.keys())  # keys, not the dict: counted at C speed
        n = len(parts)
        factor = [(k / n) ** EXPONENT for k in range(n + 1)]
        return {d: v * factor[matched[d]] for d, v in total.items()}

    def _remember(self, key, compute, *args) -> dict[int, float]:
        """compute(*args), kept in an LRU cache by `key` (read-only results)."""
        out = self._cache.get(key)
        if out is not None:
            self._cache.move_to_end(key)
            return out
        out = self._cache[key] = compute(*args)
        self._cached += len(out)
        while self._cached > CACHE_POSTINGS and len(self._cache) > 1:
            self._cached -= len(self._cache.popitem(last=False)[1])
        return out

    def _score_term(self, fieldname: str, text) -> dict[int, float]:
        n = self._terms.doc_frequency(fieldname, text) if isinstance(text, str) else 0
        if not n:
            return {}  # (also keeps idf's log away from an empty index)
        k1_norm = self._k1_norm(fieldname)
        # whoosh.scoring.WeightingModel.idf, from the cached document frequency
        c = (log(self._doc_count / (n + 1)) + 1) * (K1 + 1)
        out = {}
        for ids, weights in self._terms.postings(fieldname, text):
            for d, w in zip(ids, weights):
                out[d] = c * w / (w + k1_norm[d])
        return out

    def _k1_norm(self, fieldname: str) -> list[float]:
        """K1 * ((1 - B) + B * length / average length), per document."""
        norm = self._norms.get(fieldname)
        if norm is None:
            avg = self.searcher.avg_field_length(fieldname) or 1
            norm = self._norms[fieldname] = [
                K1 * ((1 - B) + B * n / avg) for n in engine.field_lengths(self.searcher, fieldname)]
        return norm


def _key(q):
    """A cache key equal for equal queries. (Whoosh's hashes XOR the parts:
    every `Or([Term('head', w), Term('body', w)])` has the same hash.)"""
    kind = type(q)
    if kind is Q.Term:
        return q.fieldname, q.text, q.boost
    if kind is Q.Or or kind is Q.And or kind is CoordOr:
        return kind, q.boost, tuple(map(_key, q.subqueries))
    return q


def _union(dicts: list[dict]) -> dict:
    if not dicts:
        return {}
    dicts = sorted(dicts, key=len, reverse=True)
    out = dict(dicts[0])
    for d in dicts[1:]:
        # out[k] + d[k] for keys in both, the rest copied, all at C speed
        both = d.keys() & out.keys()
        sums = list(map(add, map(out.__getitem__, both), map(d.__getitem__, both)))
        out.update(d)
        out.update(zip(both, sums))
    return out


def _intersection(dicts: list[dict]) -> dict:
    if not dicts:
        return {}
    dicts = sorted(dicts, key=len)
    keys = set(dicts[0]).intersection(*dicts[1:])
    return {k: sum(d[k] for d in dicts) for k in keys}
