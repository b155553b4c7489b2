"""Evaluating an analysed query tree (query/tree.py) over a NativeReader.

Each node gives its matches as two arrays, document numbers (ascending,
unique) and scores, computed a whole posting list at a time with numpy:

    term      BM25: idf * (k1 + 1) * w / (w + k1 * (1 - b + b * length / average))
              w: the term's frequency in the field, or its weighted frequency in
              a field of weighted parts (head); idf = ln(1 + (N - df + 0.5) / (df + 0.5))
              (Lucene's)
    form      all its terms in one field (scores add up), or as a phrase
    word      per target field, its forms as a dis-max: the best form's score
              plus TIE x the others' (a loose form, a part inside another word,
              counts LOOSE_CREDIT where no whole form matches); the fields
              added, each times its boost. A word of several fields (head and
              body) scores them as one, BM25F, plus a field's bonus times its
              own score (candidates.py)
    phrase    as a term whose frequency is the number of times the phrase occurs,
              idf the sum of its terms'
    Bool      must: intersection; should: union, scaled by (matched weight / all
              clauses' weight)^COORD_EXPONENT, a clause weighing its rarest
              term's idf (coordination); must_not, filter: removed / kept

Word results are cached by node: a batch of queries shares words.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from math import log
from typing import NamedTuple

import numpy as np

from ... import runs
from ...query import tree as T
from ..base import Explanation, QueryTooCostly, TopDocs
from . import candidates
from .blocks import K1, length_norm
from .candidates import LOOSE_CREDIT, TIE

COORD_EXPONENT = 1.0
CACHE_DOCS = 2_000_000  # matched documents kept in the word cache (about 32 MB)


class Matches(NamedTuple):
    docs: np.ndarray    # int64, ascending, unique
    scores: np.ndarray  # float64


EMPTY = Matches(np.zeros(0, np.int64), np.zeros(0, np.float64))


def _scale(m: Matches, factor: float) -> Matches:
    return m if factor == 1.0 or not len(m.docs) else Matches(m.docs, m.scores * factor)


class Evaluator:
    def __init__(self, reader):
        self.r = reader
        self._cache: OrderedDict = OrderedDict()
        self._cached = 0
        self.deadline: float | None = None
        self._pruning = None

    # -- the public operations ------------------------------------------------------

    def top(self, query, *, limit: int, sort: str = "relevance", facets=(),
            deadline: float | None = None, prune: bool | None = None) -> TopDocs:
        """`prune`: skip what cannot reach the top (pruning.py): None where it
        pays (many postings), False never (the exhaustive evaluation)."""
        self.deadline = deadline
        try:
            return self._top(query, limit, sort, facets, prune)
        finally:
            self.deadline = None  # explain() and count() after it are not timed

    def _top(self, query, limit: int, sort: str, facets, prune: bool | None) -> TopDocs:
        if prune is not False and sort == "relevance" and not facets and limit:
            from . import pruning

            shape = pruning.prunable(query)
            if shape is not None:
                if self._pruning is None:
                    self._pruning = pruning.Pruning(self)
                if prune or self._pruning.postings(shape[0]) >= pruning.MIN_POSTINGS:
                    top = self._pruning.top(*shape, limit)
                    if top is not None:
                        return top
        m = self._live(self.eval(query))
        total = len(m.docs)
        order = self._order(m, limit, sort)
        out = TopDocs(m.docs[order], m.scores[order], total)
        for name in facets:
            out.facets[name] = self.facet(name, m.docs)
        return out

    def count(self, query, limit: int | None = None) -> int:
        """Matching documents; with `limit`, a phrase stops counting there
        (spacing variants only ask whether a phrase occurs at all)."""
        if limit is not None and type(query) is T.PhraseQuery:
            return self._phrase_count(query, limit)
        return len(self._live(self.eval(query)).docs)

    def _phrase_count(self, q: T.PhraseQuery, limit: int) -> int:
        r, found = self.r, 0
        for target in q.targets:
            for seg, base in zip(r.segments, r.bases):
                f = seg.field(target.field)
                idx = [f.find(t) for t in q.terms] if f is not None else [-1]
                if min(idx) < 0:
                    continue
                docs, _ = phrase_frequencies(f, idx, q.positions, q.slop, target.span, first=limit)
                live = ~_isin(docs.astype(np.int64) + base, r.deleted)
                found += int(live.sum())
                if found >= limit:
                    return found
        return found

    def _live(self, m: Matches) -> Matches:
        deleted = self.r.deleted
        if not len(deleted) or not len(m.docs):
            return m
        keep = ~_isin(m.docs, deleted)
        return Matches(m.docs[keep], m.scores[keep])

    def _order(self, m: Matches, limit: int, sort: str) -> np.ndarray:
        """Indexes of the best `limit`: by score (ties: lower document number
        first), or newest first (then by score)."""
        n = len(m.docs)
        if not limit or not n:
            return np.zeros(0, np.int64)
        if sort == "date":
            dates = self.r.column("sort_date")[m.docs].astype(np.int64)
            cand = np.arange(n)
            if n > limit:
                kth = np.partition(dates, n - limit)[n - limit]
                cand = np.flatnonzero(dates >= kth)
            order = cand[np.lexsort((m.docs[cand], -m.scores[cand], -dates[cand]))]
            return order[:limit]
        cand = np.arange(n)
        if n > limit:
            kth = np.partition(m.scores, n - limit)[n - limit]
            cand = np.flatnonzero(m.scores >= kth)
        order = cand[np.lexsort((m.docs[cand], -m.scores[cand]))]
        return order[:limit]

    def facet(self, name: str, docs: np.ndarray) -> list[tuple[object, int]]:
        """(value, count) over the documents, most frequent first, then by value."""
        counts: dict = {}
        r = self.r
        if any(s.keywords(name) is not None for s in r.segments):
            for seg, base in zip(r.segments, r.bases):
                kw = seg.keywords(name)
                lo, hi = np.searchsorted(docs, [base, base + seg.docs])
                if kw is None or lo == hi:
                    continue
                values, off, ords = kw
                local = docs[lo:hi] - base
                starts, ends = off[local].astype(np.int64), off[local + 1].astype(np.int64)
                sizes = ends - starts
                idx = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
                found = np.bincount(ords[idx], minlength=len(values))
                for i in np.flatnonzero(found).tolist():
                    v = values.term(i)
                    counts[v] = counts.get(v, 0) + int(found[i])
        else:
            vals = r.column(name)[docs]
            u, c = np.unique(vals[vals != 0], return_counts=True)
            counts = dict(zip(u.tolist(), c.tolist()))
        return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))

    # -- evaluation --------------------------------------------------------------------

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTooCostly("the query ran past its time budget")

    def eval(self, node) -> Matches:
        self.check_time()
        kind = type(node)
        if kind is T.WordQuery or kind is T.PhraseQuery or kind is T.TermSet:
            return self._normal(self._remember(node))
        if kind is T.Bool:
            return self._bool(node)
        if kind is T.ColumnRange or kind is T.ColumnBits:
            docs = np.flatnonzero(self._column_mask(node, None)).astype(np.int64)
            boost = getattr(node, "boost", 1.0)
            return Matches(docs, np.full(len(docs), boost))
        if kind is T.MatchAll:
            return Matches(np.arange(self.r.max_doc, dtype=np.int64),
                           np.full(self.r.max_doc, node.boost))
        raise TypeError(f"the native backend cannot evaluate {kind.__name__} (rewrite it first)")

    def _bag(self, node) -> Matches:
        """A node's matches, where a document may come more than once (its
        scores add up) and in any order: a word's forms and fields are not
        merged until its query needs them merged (_normal)."""
        if type(node) in (T.WordQuery, T.PhraseQuery, T.TermSet):
            return self._remember(node)
        return self.eval(node)

    def _remember(self, node) -> Matches:
        """A word's, phrase's or term set's bag, kept for the next queries."""
        m = self._cache.get(node)
        if m is not None:
            self._cache.move_to_end(node)
            return m
        kind = type(node)
        if kind is T.WordQuery:
            m = self._word(node)
        elif kind is T.PhraseQuery:
            m = _concat([_scale(self._phrase(t, node.terms, node.positions, node.slop),
                                t.boost * node.boost) for t in node.targets])
        else:
            m = self._term_set(node)
        return self._keep(node, m)

    def _keep(self, key, m: Matches) -> Matches:
        self._cache[key] = m
        self._cached += len(m.docs)
        while self._cached > CACHE_DOCS and len(self._cache) > 1:
            self._cached -= len(self._cache.popitem(last=False)[1].docs)
        return m

    def form_phrase(self, target: T.Target, form: T.Form) -> Matches:
        """A form of pieces side by side (a hyphenated word) in one field, kept:
        the pruned evaluation asks for it for its count and for its candidates."""
        key = ("phrase", target, form.terms, form.positions)
        m = self._cache.get(key)
        if m is not None:
            self._cache.move_to_end(key)
            return m
        return self._keep(key, self._phrase(target, form.terms, form.positions, 0))

    def _word(self, q: T.WordQuery) -> Matches:
        """The bag of every form in every target, each scaled by the form's
        weight, the target's boost and the word's; in a document no whole
        form matches, the loose forms' scores times LOOSE_CREDIT (a word
        found only inside others ranks below the word itself). A word of
        several fields: BM25F over them (candidates.py)."""
        if candidates.combined(q):
            cand = self._holding(q)
            scores, present = candidates.word_scores(self, q, cand)
            return Matches(cand[present], scores[present])
        per_target = [[(_scale(self._form(target, f), f.weight * target.boost * q.boost),
                        f.kind in T.LOOSE) for f in q.forms] for target in q.targets]
        if any(loose and len(m.docs) for forms in per_target for m, loose in forms):
            whole = np.zeros(self.r.max_doc, bool)
            for forms in per_target:
                for m, loose in forms:
                    if not loose:
                        whole[m.docs] = True
            per_target = [[(Matches(m.docs, m.scores * np.where(whole[m.docs], 1.0, LOOSE_CREDIT))
                            if loose and len(m.docs) else m, loose) for m, loose in forms]
                          for forms in per_target]
        return _concat([self._dismax([m for m, _ in forms]) for forms in per_target])

    def _holding(self, q: T.WordQuery) -> np.ndarray:
        """The documents that hold one of the word's terms in one of its fields."""
        parts = [self.docs_of(t.field, term) for t in q.targets for f in q.forms
                 for term in f.all_terms()]
        if sum(len(p) for p in parts) * 8 > self.r.max_doc:  # many: a mark per document
            seen = np.zeros(self.r.max_doc, bool)
            for p in parts:
                seen[p] = True
            return np.flatnonzero(seen)
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    def docs_of(self, field: str, term: str) -> np.ndarray:
        """The documents that hold the term in the field (ascending per segment)."""
        r = self.r
        parts = []
        for n, i in r.lookup(field, term):
            docs = candidates.segment_postings(r, n, field, i, term)[1]
            parts.append(docs.astype(np.int64) + r.bases[n])
        return np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else np.zeros(0, np.int64)

    def _dismax(self, ms: list[Matches]) -> Matches:
        """Forms of one word in one field, each a document at most once: the
        best form's score plus TIE times the others' (Lucene's
        DisjunctionMaxQuery). The forms are ways of reading the same
        occurrences (Flugzeug, and its parts _flug _zeug at its position):
        added up, a compound would count about twice."""
        ms = [m for m in ms if len(m.docs)]
        if len(ms) < 2:
            return ms[0] if ms else EMPTY
        if sum(len(m.docs) for m in ms) * 8 > self.r.max_doc:  # dense: arrays over all documents
            total, best = np.zeros(self.r.max_doc), np.zeros(self.r.max_doc)
            for m in ms:
                total[m.docs] += m.scores
                best[m.docs] = np.maximum(best[m.docs], m.scores)
            docs = np.flatnonzero(total)  # (every score is positive)
        else:
            docs = np.unique(np.concatenate([m.docs for m in ms]))
            total, best = np.zeros(len(docs)), np.zeros(len(docs))
            for m in ms:
                i = np.searchsorted(docs, m.docs)
                total[i] += m.scores
                best[i] = np.maximum(best[i], m.scores)
            return Matches(docs, best + TIE * (total - best))
        return Matches(docs, best[docs] + TIE * (total[docs] - best[docs]))

    def _form(self, target: T.Target, form: T.Form) -> Matches:
        if form.positions is not None:
            return self.form_phrase(target, form)
        return _intersection([self._slot(target, slot) for slot in form.slots()])

    def _slot(self, target: T.Target, slot: tuple[str, ...]) -> Matches:
        """A required term, or its alternatives (their scores added where both occur)."""
        if len(slot) == 1:
            return self.term(target, slot[0])
        return self._normal(_concat([self.term(target, t) for t in slot]))

    def idf(self, df: int) -> float:
        """Lucene's BM25 idf: never negative, and a word in every document still counts a little."""
        n = self.r.max_doc
        return log(1.0 + (n - df + 0.5) / (df + 0.5))

    def clause_weight(self, node) -> float:
        """What a should clause counts for in coordination: the idf of its
        rarest term (a question word such as `viele` counts little, the
        topic word much)."""
        r = self.r
        if type(node) is T.WordQuery:
            best = 0.0
            for t in node.targets:
                for f in node.forms:
                    for term in f.all_terms():
                        df = r.doc_freq(t.field, term)
                        if df:
                            best = max(best, self.idf(df))
            return best
        if type(node) is T.PhraseQuery:
            t = node.targets[0]
            return sum(self.idf(r.doc_freq(t.field, term) or r.max_doc) for term in node.terms)
        return 1.0

    def term(self, target: T.Target, term: str) -> Matches:
        """BM25 of one term in one target, before boosts."""
        r = self.r
        hits = r.lookup(target.field, term)
        if not hits:
            return EMPTY
        df = r.doc_freq(target.field, term)
        _, avg = r.field_stats(target.field)
        c = self.idf(df) * (K1 + 1)
        a, b = length_norm(avg)
        docs_parts, score_parts = [], []
        for n, i in hits:
            f = r.segments[n].field(target.field)
            if target.span is None:
                docs, w = f.postings(i)
            else:
                docs, w = _span_weights(f, i, target.span, target.span_weight)
            if not len(docs):
                continue
            w = w.astype(np.float64)
            docs_parts.append(docs.astype(np.int64) + r.bases[n])
            score_parts.append(c * w / (w + (a + b * f.lengths[docs])))
        if not docs_parts:
            return EMPTY
        if len(docs_parts) == 1:
            return Matches(docs_parts[0], score_parts[0])
        return Matches(np.concatenate(docs_parts), np.concatenate(score_parts))

    def _phrase(self, target: T.Target, terms, positions, slop: int) -> Matches:
        r = self.r
        field = target.field
        dfs = []
        for t in terms:
            if not r.lookup(field, t):
                return EMPTY
            dfs.append(r.doc_freq(field, t))
        c = sum(self.idf(df) for df in dict(zip(terms, dfs)).values()) * (K1 + 1)
        _, avg = r.field_stats(field)
        a, b = length_norm(avg)
        docs_parts, score_parts = [], []
        for n, (seg, base) in enumerate(zip(r.segments, r.bases)):
            f = seg.field(field)
            if f is None:
                continue
            idx = [f.find(t) for t in terms]
            if min(idx) < 0:
                continue
            docs, freq = phrase_frequencies(f, idx, positions, slop, target.span)
            if not len(docs):
                continue
            w = freq.astype(np.float64) * target.span_weight
            docs_parts.append(docs.astype(np.int64) + base)
            score_parts.append(c * w / (w + (a + b * f.lengths[docs])))
        if not docs_parts:
            return EMPTY
        return Matches(np.concatenate(docs_parts), np.concatenate(score_parts))

    def _term_set(self, q: T.TermSet) -> Matches:
        if len(q.terms) == 1:  # one term scores by BM25; several (a wildcard's) a constant
            return _scale(self._union([_scale(self.term(t, q.terms[0]), t.boost) for t in q.targets]),
                          q.boost)
        parts = []
        for target in q.targets:
            # the union as a mask over all documents: linear, where np.unique of
            # a wildcard's millions of postings took seconds; the time budget
            # is checked as the terms go (one node may hold 10,000 of them)
            seen = np.zeros(self.r.max_doc, dtype=bool)
            for k, t in enumerate(q.terms):
                if not k % 256:
                    self.check_time()
                seen[self.term(target, t).docs] = True
            docs = np.flatnonzero(seen)
            parts.append(Matches(docs, np.full(len(docs), q.boost * target.boost)))
        return self._union(parts)

    def _bool(self, q: T.Bool) -> Matches:
        must = [self.eval(c) for c in q.must]
        should = q.should
        if must:
            m = _intersection(must)
            if should and len(m.docs):
                extra = self._coord(should) if q.coord and len(should) > 1 else self._should(should)
                m = _add_where_present(m, extra)
        elif should:
            m = self._coord(should) if q.coord and len(should) > 1 else self._should(should)
        else:
            m = Matches(np.arange(self.r.max_doc, dtype=np.int64), np.ones(self.r.max_doc))
        for f in q.filter:
            if not len(m.docs):
                break
            keep = self._mask(f, m.docs)
            m = Matches(m.docs[keep], m.scores[keep])
        for x in q.must_not:
            if not len(m.docs):
                break
            keep = ~self._mask(x, m.docs)
            m = Matches(m.docs[keep], m.scores[keep])
        return _scale(m, q.boost)

    def _mask(self, node, docs: np.ndarray) -> np.ndarray:
        """Which of `docs` the node matches (without scoring where it can)."""
        if type(node) in (T.ColumnRange, T.ColumnBits):
            return self._column_mask(node, docs)
        if type(node) is T.Bool and not node.must and not node.should and not node.must_not:
            keep = np.ones(len(docs), bool)
            for f in node.filter:
                keep &= self._mask(f, docs)
            return keep
        return _isin(docs, self.eval(node).docs)

    def _column_mask(self, node, docs) -> np.ndarray:
        col = self.r.column(node.column)
        values = col if docs is None else col[docs]
        if type(node) is T.ColumnBits:
            return (values & node.bits) != 0
        keep = np.ones(len(values), bool)
        if node.low is not None:
            keep &= values >= node.low
        if node.high is not None:
            keep &= values <= node.high
        return keep

    def _normal(self, bag: Matches) -> Matches:
        """A bag as Matches: each document once, ascending, its scores added."""
        docs, scores = bag
        if len(docs) < 2 or np.all(docs[1:] > docs[:-1]):  # (one term's postings are)
            return bag
        if len(docs) * 8 > self.r.max_doc:  # dense: one pass over all documents
            acc = np.bincount(docs, weights=scores, minlength=self.r.max_doc)
            nz = np.flatnonzero(acc)  # (every score is positive)
            return Matches(nz, acc[nz])
        u, inv = np.unique(docs, return_inverse=True)
        return Matches(u, np.bincount(inv, weights=scores, minlength=len(u)))

    def _union(self, ms: list[Matches]) -> Matches:
        return self._normal(_concat(ms))

    def _should(self, clauses) -> Matches:
        return self._union([self._bag(c) for c in clauses])

    def _coord(self, clauses) -> Matches:
        """Union of the should clauses, each score scaled by coordination."""
        return self.coordinated([self._bag(c) for c in clauses],
                                [self.clause_weight(c) for c in clauses])

    def coordinated(self, bags: list[Matches], weights: list[float]) -> Matches:
        """The clauses' bags summed per document, times (weight of the clauses
        matched / weight of all)^2: a document lacking a rare word loses
        much, one lacking a common word little."""
        total_weight = sum(weights) or 1.0
        kept = [(b, w) for b, w in zip(bags, weights) if len(b.docs)]
        if not kept:
            return EMPTY
        N = self.r.max_doc
        if sum(len(b.docs) for b, _ in kept) * 8 > N:  # dense: one pass per clause
            matched = np.zeros(N)
            seen = np.zeros(N, bool)
            for b, w in kept:
                seen[:] = False
                seen[b.docs] = True
                matched[seen] += w
            acc = np.bincount(np.concatenate([b.docs for b, _ in kept]),
                              weights=np.concatenate([b.scores for b, _ in kept]), minlength=N)
            nz = np.flatnonzero(acc)
            return Matches(nz, acc[nz] * (matched[nz] / total_weight) ** COORD_EXPONENT)
        summed = self._normal(_concat([b for b, _ in kept]))
        matched = np.zeros(len(summed.docs))
        for b, w in kept:
            matched[np.searchsorted(summed.docs, np.unique(b.docs))] += w
        return Matches(summed.docs, summed.scores * (matched / total_weight) ** COORD_EXPONENT)

    # -- explain -----------------------------------------------------------------------

    def explain(self, node, docnum: int) -> Explanation:
        return self._explain(node, docnum, self._score_of(node, docnum))

    def _score_of(self, node, docnum: int) -> float:
        return _score_at(self.eval(node), docnum)

    def _explain(self, node, docnum: int, value: float) -> Explanation:
        kind = type(node)
        if kind is T.Bool:
            details = []
            for name in ("must", "should", "must_not", "filter"):
                for c in getattr(node, name):
                    v = self._score_of(c, docnum) if name in ("must", "should") else 0.0
                    matched = v > 0 or (name in ("filter", "must_not") and
                                        bool(self._mask(c, np.array([docnum]))[0]))
                    e = self._explain(c, docnum, v)
                    e.description = f"{name}: " + e.description + ("" if matched else " (no match)")
                    details.append(e)
            desc = "Bool"
            if node.coord and len(node.should) > 1 and not node.must:
                weights = [self.clause_weight(c) for c in node.should]
                got = sum(w for c, w in zip(node.should, weights) if self._score_of(c, docnum) > 0)
                desc += (f", coordination ({got:.2f}/{sum(weights):.2f})^{COORD_EXPONENT:g}"
                         f" (words weighed by idf)")
            return Explanation(value, desc, details)
        if kind is T.WordQuery and candidates.combined(node):
            return self._combined_explain(node, docnum, value)
        if kind is T.WordQuery:
            scores = {(t, f): self._form_score(t, f, docnum) for t in node.targets for f in node.forms}
            whole = any(v > 0 and f.kind not in T.LOOSE for (_, f), v in scores.items())
            details = []
            for target in node.targets:
                for form in node.forms:
                    v = scores[target, form]
                    if v > 0:
                        sub = [self._term_explain(target, t, docnum) for t in form.all_terms()] \
                            if form.positions is None else []
                        credit = LOOSE_CREDIT if form.kind in T.LOOSE and not whole else 1.0
                        details.append(Explanation(
                            v * form.weight * target.boost * node.boost * credit,
                            f"{form.kind} {_form_label(form)} in {target} "
                            f"(x{form.weight:g}{_credit_note(credit)})"
                            + (f" — {form.why}" if form.why else ""), sub))
            several = len(details) > len({d.description.split(" in ")[1].split(" (")[0]
                                          for d in details})
            desc = T.label(node) + (f" (per field: the best form + {TIE:g} x the others)"
                                    if several else "")
            return Explanation(value, desc, details)
        return Explanation(value, T.label(node))

    def _combined_explain(self, node, docnum: int, value: float) -> Explanation:
        """A word of several fields: each form's BM25F over them, then each
        bonus field's own score of the form."""
        cand = candidates.Candidates(np.array([docnum], np.int64), self.r.max_doc)
        fields = "+".join(str(t) for t in node.targets)
        groups = [(fields, None, [candidates._combined_form(self, node.targets, f, cand)
                                  for f in node.forms], 1.0)]
        groups += [(str(t), t, [candidates.form_scores(self, t, f, cand) for f in node.forms],
                    t.bonus * t.boost) for t in node.targets if t.bonus]
        whole = any(p[0] and f.kind not in T.LOOSE
                    for _, _, found, _ in groups for (_, p), f in zip(found, node.forms))
        details = []
        for where, target, found, scale in groups:
            for (v, p), form in zip(found, node.forms):
                if not p[0]:
                    continue
                credit = LOOSE_CREDIT if form.kind in T.LOOSE and not whole else 1.0
                if form.positions is not None:
                    sub = []
                elif target is None:
                    sub = [self._combined_term_explain(node.targets, t, docnum) for t in form.all_terms()]
                else:
                    sub = [self._term_explain(target, t, docnum) for t in form.all_terms()]
                bonus = "" if target is None else f", {where}'s own score x{scale:g}"
                details.append(Explanation(
                    float(v[0]) * form.weight * scale * node.boost * credit,
                    f"{form.kind} {_form_label(form)} in {where} "
                    f"(x{form.weight:g}{bonus}{_credit_note(credit)})"
                    + (f" — {form.why}" if form.why else ""), sub))
        bonuses = "".join(f", and {t}'s own score x{t.bonus * t.boost:g}" for t in node.targets if t.bonus)
        return Explanation(value, T.label(node) + f" ({fields} as one field, BM25F{bonuses};"
                                                  f" each: the best form + {TIE:g} x the others)", details)

    def _combined_term_explain(self, targets, term: str, docnum: int) -> Explanation:
        cand = candidates.Candidates(np.array([docnum], np.int64), self.r.max_doc)
        v, _ = candidates.combined_term(self, targets, term, cand)
        df = max(self.r.doc_freq(t.field, term) for t in targets)
        found = [(t, self._in_field(t, term, docnum)) for t in targets]
        parts = "; ".join(f"{t}: tf={tf:g}, {where}" for t, (tf, where) in found if tf is not None)
        return Explanation(float(v[0]), f"{term} ({parts or 'not in this article'}; df={df}, "
                                        f"idf={self.idf(df):.3f})")

    def _form_score(self, target, form, docnum) -> float:
        return _score_at(self._form(target, form), docnum)

    def _term_explain(self, target, term: str, docnum: int) -> Explanation:
        v = _score_at(self.term(target, term), docnum)
        df = self.r.doc_freq(target.field, term)
        tf, where = self._in_field(target, term, docnum)
        return Explanation(v, f"{target.field}:{term} ({'' if tf is None else f'tf={tf:g}, '}"
                              f"{where}, df={df}, idf={self.idf(df):.3f})")

    def _in_field(self, target, term: str, docnum: int) -> tuple[float | None, str]:
        """(the term's weight in the document's field, or None; "length=…, avg=…")."""
        seg, local = self.r.segment_of(docnum)
        f = seg.field(target.field)
        length = int(f.lengths[local]) if f is not None else 0
        _, avg = self.r.field_stats(target.field)
        tf = None
        if f is not None:
            ti = f.find(term)
            if ti >= 0:
                docs, w = f.postings(ti)
                j = np.searchsorted(docs, local)
                if j < len(docs) and docs[j] == local:
                    tf = float(w[j])
        return tf, f"length={length}, avg={avg:.1f}"


def _credit_note(credit: float) -> str:
    """Why a form counts less where only loose forms match (tree.LOOSE)."""
    return f", x{credit:g}: not the word itself" if credit != 1 else ""


def _form_label(form: T.Form) -> str:
    """`weltraum|_weltraum bahnhof|_bahnhof`; pieces side by side as a phrase: `"mund zu mund"`."""
    if form.positions is not None:
        return '"' + " ".join(form.terms) + '"'
    return " ".join("|".join(x) for x in form.slots())


# -- array helpers --------------------------------------------------------------------


def _concat(ms: list[Matches]) -> Matches:
    ms = [m for m in ms if len(m.docs)]
    if not ms:
        return EMPTY
    if len(ms) == 1:
        return ms[0]
    return Matches(np.concatenate([m.docs for m in ms]), np.concatenate([m.scores for m in ms]))


def _isin(docs: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """For each of `docs`, whether it is in the ascending array `sorted_set`."""
    if not len(sorted_set):
        return np.zeros(len(docs), bool)
    idx = np.searchsorted(sorted_set, docs)
    idx[idx == len(sorted_set)] = 0
    return sorted_set[idx] == docs


def _intersection(ms: list[Matches]) -> Matches:
    """The documents in all, their scores added in the order given (so that
    a pruned evaluation adds them as the exhaustive one does)."""
    if not ms:
        return EMPTY
    if len(ms) == 1:
        return ms[0]
    docs = min((m.docs for m in ms), key=len)
    for m in ms:
        if not len(docs):
            return EMPTY
        docs = docs[_isin(docs, m.docs)]
    scores = np.zeros(len(docs))
    for m in ms:
        scores += m.scores[np.searchsorted(m.docs, docs)]
    return Matches(docs, scores)


def _score_at(m: Matches, docnum: int) -> float:
    """A document's score in `m`; 0 if it is not there."""
    i = np.searchsorted(m.docs, docnum)
    return float(m.scores[i]) if i < len(m.docs) and m.docs[i] == docnum else 0.0


def _add_where_present(m: Matches, extra: Matches) -> Matches:
    if not len(extra.docs):
        return m
    idx = np.searchsorted(extra.docs, m.docs)
    idx[idx == len(extra.docs)] = 0
    hit = extra.docs[idx] == m.docs
    scores = m.scores.copy()
    scores[hit] += extra.scores[idx[hit]]
    return Matches(m.docs, scores)


def _span_weights(f, i: int, span: tuple[int, int], weight: float):
    """A term's postings kept to positions in [span): (docs, weight x count there)."""
    docs, starts, pos = f.positions(i)
    inside = ((pos >= span[0]) & (pos < span[1])).astype(np.int64)
    counts = np.add.reduceat(inside, starts) if len(starts) else inside[:0]
    keep = counts > 0
    return docs[keep], counts[keep].astype(np.float64) * weight


def phrase_frequencies(f, idx: list[int], rel: tuple[int, ...], slop: int,
                       span: tuple[int, int] | None, first: int | None = None):
    """(local docs, phrase frequency) of the terms idx[k] at relative positions
    rel[k] in one segment's field, within `slop` positions of play. `first`:
    stop after the first documents that hold the phrase (an existence check
    reads a few candidate documents, not all).

    Keys doc << 32 | start come out of the postings already sorted (documents
    ascend, and positions within one): intersections need no sort."""
    lists = [f.positions(i) for i in idx]
    cand = lists[0][0]
    for docs, _, _ in lists[1:]:
        cand = cand[_isin(cand, docs)]
        if not len(cand):
            return cand, cand
    step = len(cand) if first is None else max(first, 64)
    out_docs, out_freq = [], []
    for lo in range(0, len(cand), step):
        docs_, freq = _phrase_in(lists, cand[lo:lo + step], rel, slop, span)
        out_docs.append(docs_)
        out_freq.append(freq)
        if first is not None and sum(map(len, out_docs)) >= first:
            break
    if len(out_docs) == 1:
        return out_docs[0], out_freq[0]
    return np.concatenate(out_docs), np.concatenate(out_freq)


def _phrase_in(lists, cand, rel, slop, span):
    # a key: doc << 32 | where the phrase would start, moved by the largest
    # relative position so that no key falls below its document's
    shift = max(rel)
    keys = []
    for (docs, starts, pos), r in zip(lists, rel):
        sel = np.searchsorted(docs, cand)
        ends = np.append(starts[1:], len(pos))
        tf = (ends - starts)[sel]
        occ = runs.indexes(starts[sel], tf)  # (into pos: the postings' positions)
        p = pos[occ].astype(np.int64)
        d = np.repeat(cand.astype(np.int64), tf)
        if span is not None:
            inside = (p >= span[0]) & (p < span[1])
            p, d = p[inside], d[inside]
        keys.append((d << 32) | (p - r + shift))
    found = keys[0]
    for k in keys[1:]:
        if not len(found):
            break
        if slop == 0:
            found = found[_isin(found, k)]
        else:  # an occurrence of the term within `slop` of where the phrase needs it
            # the first key from `found - slop` on decides (keys of the
            # document before are all below it)
            j = np.searchsorted(k, found - slop)
            valid = j < len(k)
            kk = k[np.where(valid, j, 0)] if len(k) else found
            found = found[valid & (kk <= found + slop) & ((kk >> 32) == (found >> 32))]
    if not len(found):
        return cand[:0], np.zeros(0, np.int64)
    doc_of = found >> 32
    starts = np.flatnonzero(np.concatenate(([True], doc_of[1:] != doc_of[:-1])))
    freq = np.diff(np.append(starts, len(found)))
    return doc_of[starts].astype(np.uint32), freq
