"""A query word's scores for given candidate documents (ascending numbers).

The pruned evaluation (pruning.py) scores its candidates with these, and
the exhaustive one (scoring.py) scores the words of several fields with
them too, its candidates being every document that holds one of the
word's terms: the same numbers added in the same order, so that both give
the same scores to the bit.

A word of the default fields (head and body) is scored as BM25F (Robertson
and Zaragoza; Lucene's CombinedFieldQuery): per term, its frequency in each
field over that field's length norm, times the field's boost, added up,
then saturated once, with the idf of the field where the term is commonest.
A word in the title and the text is one piece of evidence that the article
is about it, not two: added per field, a word the article repeats in both
outweighed the other words of the query. A field with a `bonus` (head)
adds that much of its own BM25 on top: a word in the title says what the
article is about, which repetition in the text does not.

    x      = w / (1 - b + b * length / average)          (per field)
    X      = sum over fields of boost * x
    score  = idf(max df) * (k1 + 1) * X / (X + k1)
"""
from __future__ import annotations

import numpy as np

from ...query import tree as T
from .blocks import K1, length_norm

TIE = 0.3  # what a word's forms other than the best add (Lucene's DisjunctionMaxQuery)
LOOSE_CREDIT = 0.5  # a word's score where only its loose forms match (tree.LOOSE)


class Candidates:
    """Document numbers (ascending) and, where they are many, where each
    document stands among them (a map over all documents: a posting list
    is looked up by indexing, not searching)."""
    __slots__ = ("docs", "pos", "memo")

    def __init__(self, docs: np.ndarray, max_doc: int):
        self.docs = docs
        self.memo: dict = {}  # (field, term) -> its postings among the candidates
        self.pos = None
        if len(docs) * 8 > max_doc:
            self.pos = np.full(max_doc, -1, np.int64)
            self.pos[docs] = np.arange(len(docs))

    def __len__(self) -> int:
        return len(self.docs)

    def find(self, docs: np.ndarray, lo_doc: int, hi_doc: int):
        """(where among the candidates, which of `docs`) for ascending
        document numbers `docs` within [lo_doc, hi_doc)."""
        if self.pos is not None:
            at = self.pos[docs]
            found = at >= 0
            return at[found], found
        cand = self.docs
        lo, hi = np.searchsorted(cand, [lo_doc, hi_doc])
        j = np.searchsorted(docs, cand[lo:hi])
        j[j == len(docs)] = 0
        hit = docs[j] == cand[lo:hi] if len(docs) else np.zeros(hi - lo, bool)
        found = np.zeros(len(docs), bool)
        found[j[hit]] = True
        return lo + np.flatnonzero(hit), found


def combined(word: T.WordQuery) -> bool:
    """Whether the word is scored over its fields as one (BM25F)."""
    return len(word.targets) > 1 and all(t.span is None for t in word.targets)


def word_scores(ev, w: T.WordQuery, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, present) of the word in each candidate, before coordination.
    Per group of forms (each field; or all fields as one, then each field
    with a bonus), the best form's score plus TIE x the others' (a loose
    form counting LOOSE_CREDIT where no whole form matches); the groups added."""
    n = len(cand)
    cand = Candidates(cand, ev.r.max_doc)
    if combined(w):
        groups = [([_combined_form(ev, w.targets, form, cand) for form in w.forms], 1.0)]
        groups += [([form_scores(ev, t, form, cand) for form in w.forms], t.bonus * t.boost)
                   for t in w.targets if t.bonus]
    else:
        groups = [([form_scores(ev, t, form, cand) for form in w.forms], t.boost)
                  for t in w.targets]
    whole = np.zeros(n, bool)
    for found, _ in groups:
        for (_, present), form in zip(found, w.forms):
            if form.kind not in T.LOOSE:
                whole |= present
    # (Whole arrays, no masks: a score is 0 where its form is absent, and
    # adding 0 or taking the larger of it changes nothing, to the bit.)
    acc = np.zeros(n)
    hit = np.zeros(n, bool)
    loose_credit = None
    for found, group_scale in groups:
        total, best = np.zeros(n), np.zeros(n)
        for (scores, present), form in zip(found, w.forms):
            s = scores * (form.weight * group_scale * w.boost)
            if form.kind in T.LOOSE:
                if loose_credit is None:
                    loose_credit = np.where(whole, 1.0, LOOSE_CREDIT)
                s *= loose_credit
            total += s
            np.maximum(best, s, out=best)
            hit |= present
        acc += best + TIE * (total - best)  # (one form: total - best is 0)
    return acc, hit


# -- one field ---------------------------------------------------------------------------


def form_scores(ev, target, form, cand: Candidates):
    """A form's BM25 in one field: its terms' scores added, where all occur."""
    if form.positions is not None:
        return _at(ev.form_phrase(target, form), cand)
    return _all_slots([_slot(ev, target, slot, cand, term_scores) for slot in form.slots()], len(cand))


def term_scores(ev, target, term: str, cand: Candidates):
    """The term's BM25 in one field (Evaluator.term's formula, to the bit)
    for the candidates that hold it."""
    scores = np.zeros(len(cand))
    found, present = _postings_at(ev.r, target.field, term, cand)
    if found:
        c = ev.idf(ev.r.doc_freq(target.field, term)) * (K1 + 1)
        for at, w, norm in found:
            scores[at] = c * w / (w + norm)
    return scores, present


def term_freqs(ev, target, term: str, cand: Candidates):
    """The term's frequency in one field over the field's length norm,
    x = w / (1 - b + b length / average), for the candidates that hold it."""
    x = np.zeros(len(cand))
    found, present = _postings_at(ev.r, target.field, term, cand)
    for at, w, norm in found:
        x[at] = K1 * w / norm
    return x, present


def _postings_at(r, field: str, term: str, cand: Candidates):
    """(per segment holding the term: where among the candidates, the
    term's weight there, k1 (1 - b + b length / average); which candidates
    hold it). Kept by the candidates: a bonus field's terms are read twice."""
    key = (field, term)
    got = cand.memo.get(key)
    if got is not None:
        return got[0], got[1].copy()
    present = np.zeros(len(cand), bool)
    out = []
    hits = r.lookup(field, term)
    if hits:
        _, avg = r.field_stats(field)
        a, b = length_norm(avg)
    for n, i in hits:
        f, docs, w = segment_postings(r, n, field, i, term)
        base = r.bases[n]
        at, found = cand.find(docs.astype(np.int64) + base, base, base + r.segments[n].docs)
        present[at] = True
        out.append((at, w[found].astype(np.float64), a + b * f.lengths[docs[found]]))
    cand.memo[key] = (out, present)
    return out, present.copy()


def segment_postings(r, n: int, field: str, i: int, term: str):
    """(the field, its documents, their weights) of term number `i` in
    segment `n`; an IndexError where the postings point past the segment
    (damage: the caller checks the files)."""
    f = r.segments[n].field(field)
    docs, w = f.postings(i)
    if len(docs) and docs[-1] >= r.segments[n].docs:
        raise IndexError(f"a posting of {term!r} past its segment's end")
    return f, docs, w


# -- the fields as one -------------------------------------------------------------------


def _combined_form(ev, targets, form, cand: Candidates):
    if form.positions is not None:  # a phrase: per field, added
        total, present = np.zeros(len(cand)), np.zeros(len(cand), bool)
        for t in targets:
            s, p = form_scores(ev, t, form, cand)
            total += s * t.boost
            present |= p
        return total, present
    return _all_slots([_slot(ev, targets, slot, cand, combined_term) for slot in form.slots()],
                      len(cand))


def combined_term(ev, targets, term: str, cand: Candidates):
    """The term's BM25F over `targets`."""
    big_x = np.zeros(len(cand))
    present = np.zeros(len(cand), bool)
    for t in targets:
        x, p = term_freqs(ev, t, term, cand)
        big_x += x * t.boost
        present |= p
    if present.any():
        c = ev.idf(max(ev.r.doc_freq(t.field, term) for t in targets)) * (K1 + 1)
        big_x = c * big_x / (big_x + K1)
    return big_x, present


# -- helpers -----------------------------------------------------------------------------


def _slot(ev, where, slot, cand, score):
    """A required term, or its alternatives (their scores added where both occur)."""
    if len(slot) == 1:
        return score(ev, where, slot[0], cand)
    total = np.zeros(len(cand))
    present = np.zeros(len(cand), bool)
    for t in slot:
        s, p = score(ev, where, t, cand)
        total += s
        present |= p
    return total, present


def _all_slots(slots, n: int):
    if len(slots) == 1:
        return slots[0]
    total = np.zeros(n)
    present = np.ones(n, bool)
    for s, p in slots:
        total += s
        present &= p
    return total * present, present  # (0 where a slot is missing: word_scores adds whole arrays)


def _at(m, cand: Candidates):
    """Matches (ascending documents) looked up at the candidates."""
    scores = np.zeros(len(cand))
    present = np.zeros(len(cand), bool)
    if len(m.docs):
        at, found = cand.find(m.docs, 0, int(m.docs[-1]) + 1)
        scores[at] = m.scores[found]
        present[at] = True
    return scores, present
