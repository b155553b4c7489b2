"""The top k without scoring every posting: block-max WAND (Ding and
Suel; Lucene and tantivy use it and MaxScore), on upper bounds from block
maxima (blocks.py), by windows of documents, evaluated with numpy.

1. Each query word gets an upper bound of what it can add to a document's
   score, per window of 1,024 documents: per field, its forms' terms' idf
   and boosts times their block maxima there (terms too rare to have block
   maxima: their postings' own scores); for fields scored as one (BM25F),
   each field's highest frequency over length norm read back from its
   maximum, added, saturated again; combined as the scoring combines them
   (dis-max over forms, groups added).
2. Each matching document falls in a cell: its window and the set of query
   words it holds (a bit each). A cell's bound is those words' bounds there,
   added, times their coordination: WAND's test, with the knowledge of which
   words a document holds (a document holding only `wie` and `viele` cannot
   reach the top however common the words are).
3. The documents of the cells with the highest bounds (a few thousand) are
   scored in full: the k-th best score, theta, is a score some document
   reaches. Then every other document of a cell whose bound reaches theta
   is scored; the cells below theta are skipped.

Two common words that meet in most windows (`Regierung Wahl`) leave many
cells above theta: a window's maxima are loose for such words. A 1M
archive: 431,000 matching documents, 86,000 scored, 68 ms warm.

The scores are the exhaustive evaluation's own (the same postings, the same
formulas, added in the same order: a test compares the two). The total
count is exact too: every matching document is counted, a pass over
document numbers only. A hyphenated word's pieces side by side are bounded
by their phrase's idf in the windows that hold all the pieces, and its
documents found by the phrase itself. Queries of other shapes (phrases,
spans, sort by date, facets) are evaluated exhaustively, and so are those
where pruning would read about as much as scoring all.
"""
from __future__ import annotations

import numpy as np

from ...query import tree as T
from ..base import TopDocs
from . import blocks, candidates
from .blocks import K1, length_norm
from .candidates import TIE
from .scoring import COORD_EXPONENT, Matches, _isin

MIN_POSTINGS = 30_000  # below this many postings in all, scoring them all is as fast
THETA_DOCS = 2_000     # documents of the best windows scored for a first theta
MAX_WORDS = 8          # words held by a document as the bits of a byte


def prunable(query):
    """(word clauses, coordinated, filters) if the query's shape allows
    pruning, else None: one word, or words of a Bool (should, no must or
    must_not), under filters of columns."""
    filters = ()
    if type(query) is T.Bool and len(query.must) == 1 and not query.should and not query.must_not \
            and query.boost == 1.0:
        filters, query = query.filter, query.must[0]
    if type(query) is T.WordQuery:
        words, coord = (query,), False
    elif (type(query) is T.Bool and query.should and not query.must and not query.must_not
          and query.boost == 1.0):
        words, coord = query.should, query.coord and len(query.should) > 1
        filters += query.filter
    else:
        return None
    if not all(type(w) is T.WordQuery and all(t.span is None for t in w.targets) for w in words):
        return None
    if not all(_column_filter(f) for f in filters):
        return None
    return words, coord, filters


def _column_filter(node) -> bool:
    if type(node) in (T.ColumnRange, T.ColumnBits):
        return True
    return (type(node) is T.Bool and not node.must and not node.should and not node.must_not
            and all(_column_filter(f) for f in node.filter))


class Pruning:
    def __init__(self, evaluator):
        self.ev = evaluator
        self.r = evaluator.r
        # windows of each segment, numbered across segments
        self.win_base, n = [], 0
        for k, seg in enumerate(self.r.segments):
            count = (seg.docs + (1 << blocks.WINDOW_BITS) - 1) >> blocks.WINDOW_BITS
            self.win_base.append(n)
            n += count
        self.windows = n
        self._win = None
        self._sat: dict = {}

    def postings(self, words) -> int:
        r = self.r
        return sum(r.segments[n].field(t.field).doc_freq(i)
                   for w in words for t in w.targets for f in w.forms for term in f.all_terms()
                   for n, i in r.lookup(t.field, term))

    def top(self, words, coord: bool, filters, limit: int) -> TopDocs | None:
        """The top `limit`, or None where pruning would not pay."""
        n = len(words)
        if n > MAX_WORDS:
            return None
        self._sat = {}  # (a term's saturations, read once: head's serve BM25F and its bonus)
        ubs = []  # per word, per window
        held = np.zeros(self.r.max_doc, np.uint8)  # which words each document holds, as bits
        for c, w in enumerate(words):
            self.ev.check_time()
            ubs.append(self._bound(w))
            held |= self._mask(w).view(np.uint8) << c
        docs = np.flatnonzero(held)
        # a cell: a window and the words held. Its bound: those words' bounds
        # there, added, times their coordination (WAND's test, knowing which
        # words a document holds)
        weights = [self.ev.clause_weight(w) for w in words] if coord else [1.0] * n
        codes = np.arange(1 << n)
        bits = (codes[:, None] >> np.arange(n)) & 1  # (code, word)
        cell_ub = np.asarray(ubs).T @ bits.T  # (window, code)
        if coord:
            cell_ub *= ((bits @ np.asarray(weights)) / (sum(weights) or 1.0)) ** COORD_EXPONENT
        cell = (self._doc_windows()[docs] << n) | held[docs]
        cell_ub = cell_ub.ravel()
        per_cell = np.bincount(cell, minlength=len(cell_ub))
        # theta from the documents of the cells with the highest bounds (a few thousand)
        order = np.argsort(-cell_ub, kind="stable")
        enough = np.searchsorted(np.cumsum(per_cell[order]), max(THETA_DOCS, limit)) + 1
        first = np.zeros(len(cell_ub), bool)
        first[order[:enough]] = True
        pick = first[cell]
        best = self._best(words, weights, coord, filters, docs[pick], limit)
        theta = best.scores[-1] if len(best.scores) >= limit else -np.inf
        # the others that can still reach theta
        rest = (cell_ub * (1 + 1e-9) >= theta) & ~first
        found = int(per_cell[rest].sum())
        if found * 2 > len(docs) and found > THETA_DOCS:
            return None  # nothing much to skip: scoring all is as fast
        if found:
            more = self._best(words, weights, coord, filters, docs[rest[cell]], limit)
            both = Matches(np.concatenate([best.docs, more.docs]),
                           np.concatenate([best.scores, more.scores]))
            keep = np.lexsort((both.docs, -both.scores))[:limit]
            best = Matches(both.docs[keep], both.scores[keep])
        return TopDocs(best.docs, best.scores, self._count(held != 0, filters))

    def _doc_windows(self) -> np.ndarray:
        """Each document's window number (across segments)."""
        if self._win is None:
            self._win = np.concatenate(
                [(np.arange(seg.docs, dtype=np.int64) >> blocks.WINDOW_BITS) + self.win_base[k]
                 for k, seg in enumerate(self.r.segments)] or [np.zeros(0, np.int64)])
        return self._win

    def _best(self, words, weights, coord: bool, filters, cand: np.ndarray, limit: int) -> Matches:
        """The best `limit` of the candidates (ascending document numbers), scored in full."""
        m = self._filtered(self._scores(words, weights, coord, cand), filters)
        keep = np.lexsort((m.docs, -m.scores))[:limit]
        return Matches(m.docs[keep], m.scores[keep])

    # -- bounds ------------------------------------------------------------------------

    def _bound(self, word: T.WordQuery) -> np.ndarray:
        """Per window, the most a document there can score for this word: per
        group of forms (a field, or the fields as one, candidates.word_scores),
        its forms' bounds as word_scores adds them (the best, and TIE x the
        others: (1 - TIE) max + TIE sum is at least that), the groups added."""
        if candidates.combined(word):
            groups = [([self._combined_form_bound(word.targets, f) for f in word.forms], 1.0)]
            groups += [([self._form_bound(t, f) for f in word.forms], t.bonus * t.boost)
                       for t in word.targets if t.bonus]
        else:
            groups = [([self._form_bound(t, f) for f in word.forms], t.boost) for t in word.targets]
        ub = np.zeros(self.windows)
        for forms, scale in groups:
            forms = [f_ub * (form.weight * scale * word.boost) for f_ub, form in zip(forms, word.forms)]
            if len(forms) > 1:
                ub += (1 - TIE) * np.maximum.reduce(forms) + TIE * np.sum(forms, axis=0)
            else:
                ub += forms[0]
        return ub

    def _form_bound(self, target, form) -> np.ndarray:
        """A form's terms' BM25 bounds in one field, added (a form's terms all match).
        Pieces side by side (a phrase): its idf (its terms', added) times k1 + 1,
        the most a saturation gives, in the windows that hold all its terms."""
        if form.positions is not None:
            r = self.r
            held = np.ones(self.windows, bool)
            for term in form.terms:
                sat = self._saturation(target.field, term)
                if sat is None:
                    return np.zeros(self.windows)
                held &= sat > 0
            idf = sum(self.ev.idf(r.doc_freq(target.field, t)) for t in dict.fromkeys(form.terms))
            return np.where(held, idf * (K1 + 1), 0.0)
        ub = np.zeros(self.windows)
        for slot in form.slots():
            for term in slot:
                sat = self._saturation(target.field, term)
                if sat is not None:
                    ub += self.ev.idf(self.r.doc_freq(target.field, term)) * (K1 + 1) * sat
        return ub

    def _combined_form_bound(self, targets, form) -> np.ndarray:
        """A form's terms' BM25F bounds: from each field's highest saturation
        s = x / (x + k1) in a window, x's highest (k1 s / (1 - s)), the fields'
        added, saturated again (candidates.combined_term). A phrase: its
        bounds per field, added (as scored)."""
        if form.positions is not None:
            return sum(t.boost * self._form_bound(t, form) for t in targets)
        ub = np.zeros(self.windows)
        for slot in form.slots():
            for term in slot:
                big_x = np.zeros(self.windows)
                for t in targets:
                    sat = self._saturation(t.field, term)
                    if sat is not None:  # (a saturation bound of 1 or more: x unbounded)
                        big_x += t.boost * (K1 * sat / np.maximum(1.0 - sat, 1e-300))
                c = self.ev.idf(max(self.r.doc_freq(t.field, term) for t in targets)) * (K1 + 1)
                ub += c * np.where(big_x >= 1e300, 1.0, big_x / (big_x + K1))
        return ub

    def _saturation(self, field: str, term: str) -> np.ndarray | None:
        """Per window, the term's highest saturation w / (w + k1 (1 - b + b len / avg))
        there (block maxima; a rare term's postings' own), or None if absent."""
        key = (field, term)
        if key not in self._sat:
            self._sat[key] = self._read_saturation(field, term)
        return self._sat[key]

    def _read_saturation(self, field: str, term: str) -> np.ndarray | None:
        r = self.r
        hits = r.lookup(field, term)
        if not hits:
            return None
        out = np.zeros(self.windows)
        _, avg = r.field_stats(field)
        for n, i in hits:
            f = r.segments[n].field(field)
            base = self.win_base[n]
            found = f.blocks(i)
            if found is not None:
                wins, mx = found
                out[base + wins.astype(np.int64)] = blocks.bound(mx, f.avg, avg)
            else:  # a rare term: its postings' own
                docs, w = f.postings(i)
                w = w.astype(np.float64)
                a, b = length_norm(avg)
                s = w / (w + (a + b * f.lengths[docs]))
                np.maximum.at(out, base + (docs.astype(np.int64) >> blocks.WINDOW_BITS), s)
        return out

    # -- exact scores of given documents -----------------------------------------------

    def _scores(self, words, weights, coord: bool, cand: np.ndarray) -> Matches:
        """Each candidate's score, computed as the exhaustive evaluation computes
        it (the same functions for the words, the same order of additions);
        those that match nothing are left out."""
        acc = np.zeros(len(cand))
        matched = np.zeros(len(cand))
        for w, weight in zip(words, weights):  # (weights: the coordination's, or all 1)
            self.ev.check_time()
            scores, hit = candidates.word_scores(self.ev, w, cand)
            acc[hit] += scores[hit]
            matched[hit] += weight
        keep = acc > 0
        docs, acc, matched = cand[keep], acc[keep], matched[keep]
        if coord:
            acc = acc * (matched / (sum(weights) or 1.0)) ** COORD_EXPONENT
        return Matches(docs, acc)

    def _filtered(self, m: Matches, filters) -> Matches:
        keep = np.ones(len(m.docs), bool)
        if len(self.r.deleted):
            keep &= ~_isin(m.docs, self.r.deleted)
        for f in filters:
            keep &= self.ev._mask(f, m.docs)
        return m if keep.all() else Matches(m.docs[keep], m.scores[keep])

    # -- documents, not scores -----------------------------------------------------------

    def _mask(self, word: T.WordQuery) -> np.ndarray:
        """The documents a word matches, one bool per document, without scoring."""
        r = self.r
        out = np.zeros(r.max_doc, bool)
        # (fields scored as one: a form's terms may be spread over them)
        groups = [word.targets] if candidates.combined(word) else [(t,) for t in word.targets]
        for targets in groups:
            for form in word.forms:
                if form.positions is not None:  # (pieces side by side: where they are so)
                    for target in targets:
                        out[self.ev.form_phrase(target, form).docs] = True
                    continue
                slots = form.slots()
                if len(slots) == 1:
                    for t in slots[0]:
                        for target in targets:
                            out[self.ev.docs_of(target.field, t)] = True
                    continue
                count = np.zeros(r.max_doc, np.uint8)  # all of a form's terms (or alternatives)
                for slot in slots:
                    seen = np.zeros(r.max_doc, bool)
                    for t in slot:
                        for target in targets:
                            seen[self.ev.docs_of(target.field, t)] = True
                    count += seen
                out |= count == len(slots)
        return out

    def _count(self, seen: np.ndarray, filters) -> int:
        """Every matching live document, counted without scoring."""
        r = self.r
        if not filters:
            return int(seen.sum()) - int(seen[r.deleted].sum()) if len(r.deleted) else int(seen.sum())
        found = np.flatnonzero(seen)
        keep = np.ones(len(found), bool)
        if len(r.deleted):
            keep &= ~_isin(found, r.deleted)
        for f in filters:
            keep &= self.ev._mask(f, found)
        return int(keep.sum())
