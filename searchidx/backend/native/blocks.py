"""Block maxima: for each term with many postings, per window of 1,024
documents, the highest BM25 saturation w / (w + k1 (1 - b + b len / avg)) of
its postings there (Lucene's block-max "impacts", by document window).

A query multiplies them by its idf and boosts to bound what any document of
a window can score (pruning.py), and skips the windows that cannot reach
the top. `avg` is the segment's average field length when written; at query
time the index's average may differ, and a saturation computed with an
average `avg_q` is at most max(1, avg_q / avg) times the one stored, so the
bound holds (see bound()).

    {field}.bm.start   per term: its first entry (n + 1 offsets; terms with
                       fewer than MIN_DF postings have none)
    {field}.bm.win     the entry's window (local document >> WINDOW_BITS)
    {field}.bm.max     the saturation's maximum there (float32, rounded up)
"""
from __future__ import annotations

import numpy as np

from ... import runs

WINDOW_BITS = 10
MIN_DF = 128
K1, B = 1.2, 0.75  # BM25's, for scoring.py and pruning.py too (a bound holds only if all agree)
CHUNK = 2_000_000


def length_norm(avg: float) -> tuple[float, float]:
    """(a, b) of BM25's saturation w / (w + a + b * length), for a field whose
    average length is `avg`: one place for the formula's constants."""
    return K1 * (1 - B), K1 * B / (avg or 1.0)


def maxima(tstarts: np.ndarray, docs: np.ndarray, w: np.ndarray, lengths: np.ndarray,
           avg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start per term, window, maximum) of one field's postings: `tstarts`
    each term's first posting (n + 1), docs and w its postings."""
    n = len(tstarts) - 1
    df = np.diff(tstarts)
    counts = np.zeros(n, np.int64)
    wins, maxs = [], []
    big = np.flatnonzero(df >= MIN_DF)
    a, c = length_norm(avg)
    i = 0
    while i < len(big):  # terms a chunk of postings at a time
        j = i
        size = 0
        while j < len(big) and (j == i or size + df[big[j]] <= CHUNK):
            size += df[big[j]]
            j += 1
        terms = big[i:j]
        idx = runs.indexes(tstarts[terms], df[terms])
        d = docs[idx]
        ww = w[idx].astype(np.float64)
        s = ww / (ww + (a + c * lengths[d]))
        owner = np.repeat(np.arange(len(terms)), df[terms])
        win = (d >> WINDOW_BITS).astype(np.int64)
        change = np.empty(len(d), bool)
        change[0] = True
        change[1:] = (owner[1:] != owner[:-1]) | (win[1:] != win[:-1])
        starts = np.flatnonzero(change)
        wins.append(win[starts].astype(np.uint32))
        # float32 rounded up: the bound must not fall below a true score
        m = np.maximum.reduceat(s, starts).astype(np.float32)
        maxs.append(np.nextafter(m, np.float32(np.inf)))
        counts[terms] = np.bincount(owner[starts], minlength=len(terms))
        i = j
    start = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=start[1:])
    return (start, np.concatenate(wins) if wins else np.zeros(0, np.uint32),
            np.concatenate(maxs) if maxs else np.zeros(0, np.float32))


def write(out, field: str, start, win, mx) -> None:
    out.add(f"{field}.bm.start", start.astype(np.uint32 if start[-1] < 2**32 else np.uint64))
    out.add(f"{field}.bm.win", win)
    out.add(f"{field}.bm.max", mx)


def bound(stored_max: np.ndarray, seg_avg: float, avg_now: float) -> np.ndarray:
    """Saturation bounds for the index's average length now."""
    return stored_max.astype(np.float64) * max(1.0, avg_now / seg_avg if seg_avg else 1.0)

