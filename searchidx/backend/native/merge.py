"""Merging adjacent segments into one, leaving out deleted documents, in
bounded memory: a field's postings are copied a range of terms at a time.

The policy is Lucene's log merge policy: a segment's level is the number of
times its live documents are MERGE_FACTOR times more than MIN_DOCS; when
MERGE_FACTOR adjacent segments share a level, they become one segment of
the next. Only adjacent segments merge, so documents keep their order (and
ties in score keep falling to the older document)."""
from __future__ import annotations

import heapq
from math import log

import numpy as np

from ... import runs
from . import blocks
from . import terms as termdict
from ...arrayfile import ArrayWriter
from .buffer import FORMAT, write_meta
from .segment import Segment

MERGE_FACTOR = 8
MIN_DOCS = 1_000
CHUNK_POSTINGS = 2_000_000  # postings copied at a time
DELETED_SHARE = 0.25  # a segment with more deleted documents than this is rewritten alone


def level(live: int) -> int:
    return int(log(max(live, 1) / MIN_DOCS, MERGE_FACTOR)) if live > MIN_DOCS else 0


def plan(sizes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, end) runs of segments to merge, from (documents, deleted) per
    segment in order: MERGE_FACTOR adjacent ones of one level, or one with
    many deletions."""
    runs = []
    i = 0
    while i < len(sizes):
        docs, deleted = sizes[i]
        lv = level(docs - deleted)
        j = i
        while j < len(sizes) and level(sizes[j][0] - sizes[j][1]) == lv:
            j += 1
        if j - i >= MERGE_FACTOR:
            for k in range(i, j - MERGE_FACTOR + 1, MERGE_FACTOR):
                runs.append((k, k + MERGE_FACTOR))
            i = j
            continue
        if docs and deleted > DELETED_SHARE * docs:
            runs.append((i, i + 1))
        i += 1
    return runs


def merge(folder: str, segments: list[Segment], name: str) -> dict:
    """Writes segment `name` holding the live documents of `segments`, in order."""
    docmaps, bases, total = [], [], 0
    for seg in segments:
        live = np.ones(seg.docs, dtype=bool)
        live[seg.deleted] = False
        docmap = np.full(seg.docs, -1, dtype=np.int64)
        docmap[live] = np.arange(int(live.sum()), dtype=np.int64) + total
        bases.append(total)
        total += int(live.sum())
        docmaps.append((live, docmap))
    out = ArrayWriter(f"{folder}/{name}.dat")
    try:
        meta = {"format": FORMAT, "name": name, "docs": total, "fields": {}}
        fields = sorted({f for s in segments for f in s.meta["fields"]})
        for field in fields:
            meta["fields"][field] = _merge_field(out, field, segments, docmaps, total)
        _merge_ids(out, segments, docmaps)
        for s in segments:
            s.arrays.release()
        _merge_stored(out, segments, docmaps)
        meta["columns"] = sorted({c for s in segments for c in s.meta.get("columns", ())})
        for col in meta["columns"]:
            parts = [(s.column(col) if s.has_column(col) else np.zeros(s.docs, np.int32))[live]
                     for s, (live, _) in zip(segments, docmaps)]
            values = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
            out.add(f"col.{col}", values.astype(np.int32)
                    if not len(values) or (values.min() >= -2**31 and values.max() < 2**31) else values)
        meta["keywords"] = sorted({k for s in segments for k in s.meta.get("keywords", ())})
        for kw in meta["keywords"]:
            _merge_keywords(out, kw, segments, docmaps)
        meta["arrays"] = out.close()
    except BaseException:
        out.abort()
        raise
    write_meta(folder, meta)
    return meta


class _Part:
    """One input segment's field, for a merge: its live terms, their live
    document and position counts, and where each goes in the merged terms."""

    def __init__(self, f, live: np.ndarray, docmap: np.ndarray, deleted: bool):
        self.f, self.live, self.docmap, self.deleted = f, live, docmap, deleted
        pstart = np.asarray(f.pstart, dtype=np.int64)
        qstart = np.asarray(f.qstart, dtype=np.int64)
        if deleted:
            self.df, self.tf = _live_counts(f, live, pstart)
        else:  # every posting lives: the counts are the term infos'
            self.df, self.tf = np.diff(pstart), np.diff(qstart)
        self.terms = np.flatnonzero(self.df > 0)  # live terms, ascending
        self.merged: np.ndarray | None = None     # their indexes in the merged terms


def _live_counts(f, live: np.ndarray, pstart: np.ndarray, step: int = CHUNK_POSTINGS):
    """Per term: live postings, and their positions, a range of terms at a time."""
    n = len(pstart) - 1
    df, tf = np.zeros(n, np.int64), np.zeros(n, np.int64)
    t0 = 0
    while t0 < n:
        t1 = int(np.searchsorted(pstart, pstart[t0] + step, side="right")) - 1
        t1 = min(max(t1, t0 + 1), n)
        a, b = int(pstart[t0]), int(pstart[t1])
        keep = live[f.docs[a:b]]
        term = np.repeat(np.arange(t1 - t0), np.diff(pstart[t0:t1 + 1]))
        df[t0:t1] = np.bincount(term[keep], minlength=t1 - t0)
        tf[t0:t1] = np.bincount(term[keep], weights=f.tf[a:b][keep], minlength=t1 - t0)
        t0 = t1
    return df, tf


def _merge_field(out: ArrayWriter, field: str, segments, docmaps, total: int) -> dict:
    """One field's terms and postings; returns its description."""
    parts: list[_Part] = []
    weighted = False
    length_parts = []
    for seg, (live, docmap) in zip(segments, docmaps):
        f = seg.field(field)
        if f is None:
            length_parts.append(np.zeros(int(live.sum()), np.uint32))
            continue
        weighted |= f.weighted
        length_parts.append(np.asarray(f.lengths)[live])
        parts.append(_Part(f, live, docmap, bool(len(seg.deleted))))
    # the merged term list: a k-way merge of the parts' live terms
    blob, toff, hashes, sources = _merge_terms(parts)
    n_new = len(toff) - 1
    df_new = np.zeros(n_new, np.int64)
    tf_new = np.zeros(n_new, np.int64)
    for p, merged in zip(parts, sources):
        p.merged = merged  # ascending
        df_new[merged] += p.df[p.terms]  # (each merged term once per part)
        tf_new[merged] += p.tf[p.terms]
    out.add(f"{field}.terms", blob)
    out.add(f"{field}.toff", toff.astype(termdict.offsets_dtype(len(blob) + 1)))
    out.add(f"{field}.hash", termdict.hash_table(hashes))
    del blob, hashes
    out.add(f"{field}.df", df_new.astype(np.uint32))
    pstart_new = np.zeros(n_new + 1, np.int64)
    np.cumsum(df_new, out=pstart_new[1:])
    qstart_new = np.zeros(n_new + 1, np.int64)
    np.cumsum(tf_new, out=qstart_new[1:])
    n_post, n_pos = int(pstart_new[-1]), int(qstart_new[-1])
    out.add(f"{field}.pstart", pstart_new.astype(termdict.offsets_dtype(n_post + 1)))
    out.reserve(f"{field}.docs", np.uint32, n_post)
    out.reserve(f"{field}.tf", np.uint32, n_post)
    if weighted:
        out.reserve(f"{field}.w", np.float32, n_post)
    out.add(f"{field}.qstart", qstart_new.astype(termdict.offsets_dtype(n_pos + 1)))
    out.reserve(f"{field}.pos", np.uint32, n_pos)
    lengths = (np.concatenate(length_parts) if length_parts else np.zeros(0, np.uint32)).astype(np.uint32)
    total_length = int(lengths.sum(dtype=np.int64))
    avg = total_length / len(lengths) if len(lengths) else 0.0
    # copy the postings a range of merged terms at a time (with their block maxima)
    bm_counts, bm_win, bm_max = np.zeros(n_new, np.int64), [], []
    m0 = 0
    while m0 < n_new:
        m1 = int(np.searchsorted(pstart_new, pstart_new[m0] + CHUNK_POSTINGS, side="right")) - 1
        m1 = min(max(m1, m0 + 1), n_new)
        docs, w = _copy_range(out, field, parts, m0, m1, weighted)
        start, win, mx = blocks.maxima(pstart_new[m0:m1 + 1] - pstart_new[m0], docs, w, lengths, avg)
        bm_counts[m0:m1] = np.diff(start)
        bm_win.append(win)
        bm_max.append(mx)
        for seg in segments:  # pages read are the page cache's again, not this process's
            seg.arrays.release()
        m0 = m1
    bm_start = np.zeros(n_new + 1, np.int64)
    np.cumsum(bm_counts, out=bm_start[1:])
    blocks.write(out, field, bm_start,
                 np.concatenate(bm_win) if bm_win else np.zeros(0, np.uint32),
                 np.concatenate(bm_max) if bm_max else np.zeros(0, np.float32))
    out.add(f"{field}.len", lengths)
    return {"terms": n_new, "postings": n_post, "positions": n_pos, "length": total_length,
            "avg": avg, "weighted": weighted}


def _merge_terms(parts: list[_Part]):
    """The sorted union of the parts' live terms as a term blob, its offsets
    and CRC-32s (termdict's layout, built as the merge goes: no list of all
    terms is held), and for each part the merged index of each of its live terms."""
    import zlib
    from array import array

    def stream(k, p: _Part):
        step = 65_536
        for a in range(0, len(p.terms), step):
            idx = p.terms[a:a + step]
            lo, hi = int(idx[0]), int(idx[-1]) + 1
            chunk = p.f.dict.terms(lo, hi)
            for j in idx.tolist():
                yield chunk[j - lo], k

    blob = bytearray()
    offsets, hashes = array("q", [0]), array("I")
    sources = [array("q") for _ in parts]
    last, n = None, -1
    for text, k in heapq.merge(*(stream(k, p) for k, p in enumerate(parts))):
        if text != last:
            encoded = text.encode("utf-8")
            blob += encoded
            blob += b"\n"
            offsets.append(len(blob))
            hashes.append(zlib.crc32(encoded))
            last, n = text, n + 1
        sources[k].append(n)
    return (bytes(blob), np.frombuffer(offsets, np.int64).copy(),
            np.frombuffer(hashes, np.uint32).copy() if hashes else np.zeros(0, np.uint32),
            [np.frombuffer(s, np.int64).copy() if s else np.zeros(0, np.int64) for s in sources])


def _copy_range(out, field, parts: list[_Part], m0: int, m1: int, weighted: bool):
    keys, docs, tfs, ws, starts, pos_parts = [], [], [], [], [], []
    pos_base = 0
    for p in parts:
        f = p.f
        a, b = np.searchsorted(p.merged, [m0, m1])
        if a == b:
            continue
        l0, l1 = int(p.terms[a]), int(p.terms[b - 1]) + 1
        p0, p1 = int(f.pstart[l0]), int(f.pstart[l1])
        q0, q1 = int(f.qstart[l0]), int(f.qstart[l1])
        to_merged = np.full(l1 - l0, -1, np.int64)
        to_merged[p.terms[a:b] - l0] = p.merged[a:b]
        tf = np.asarray(f.tf[p0:p1], dtype=np.int64)
        pstart_local = np.zeros(len(tf), np.int64)
        np.cumsum(tf[:-1], out=pstart_local[1:])
        key = np.repeat(to_merged, np.diff(np.asarray(f.pstart[l0:l1 + 1], dtype=np.int64)))
        d = f.docs[p0:p1]
        if p.deleted:
            keep = p.live[d]
            key, d, tf, pstart_local = key[keep], d[keep], tf[keep], pstart_local[keep]
            w = (f.w[p0:p1][keep] if f.w is not None else tf.astype(np.float32)) if weighted else None
        else:
            w = (f.w[p0:p1] if f.w is not None else tf.astype(np.float32)) if weighted else None
        keys.append(key)
        docs.append(p.docmap[d])
        tfs.append(tf)
        if weighted:
            ws.append(w)
        starts.append(pstart_local + pos_base)
        pos_parts.append(f.pos[q0:q1])
        pos_base += q1 - q0
    if not keys:
        return np.zeros(0, np.uint32), np.zeros(0, np.float32)
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")  # by term, parts in order within a term
    tf = np.concatenate(tfs)[order]
    new_docs = np.concatenate(docs)[order].astype(np.uint32)
    out.fill(f"{field}.docs", new_docs)
    out.fill(f"{field}.tf", tf.astype(np.uint32))
    w = tf
    if weighted:
        w = np.concatenate(ws)[order].astype(np.float32)
        out.fill(f"{field}.w", w)
    pos = np.concatenate(pos_parts)
    start = np.concatenate(starts)[order]
    out.fill(f"{field}.pos", pos[runs.indexes(start, tf)].astype(np.uint32))
    return new_docs, w


def _merge_ids(out, segments, docmaps):
    def stream(seg, docmap):
        a = seg.arrays
        d = termdict.TermDict.of(a, "ids")
        docs = a["ids.doc"]
        step = 65_536
        for lo in range(0, len(d), step):
            hi = min(lo + step, len(d))
            for text, doc in zip(d.terms(lo, hi), docmap[docs[lo:hi]].tolist()):
                if doc >= 0:
                    yield text, doc

    ids, docs = [], []
    for text, doc in heapq.merge(*(stream(s, dm) for s, (_, dm) in zip(segments, docmaps))):
        ids.append(text)
        docs.append(doc)
    blob, toff, table = termdict.build(ids)
    out.add("ids.terms", blob)
    out.add("ids.toff", toff)
    out.add("ids.hash", table)
    out.add("ids.doc", np.asarray(docs, dtype=np.uint32))


def _merge_stored(out, segments, docmaps):
    sizes = []
    for seg, (live, _) in zip(segments, docmaps):
        off = np.asarray(seg.arrays["stored.off"], dtype=np.int64)
        sizes.append((off[1:] - off[:-1])[live])
    sizes = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
    off_new = np.zeros(len(sizes) + 1, np.uint64)
    np.cumsum(sizes, out=off_new[1:])
    out.add("stored.off", off_new)
    out.reserve("stored.data", np.uint8, int(off_new[-1]))
    for seg, (live, _) in zip(segments, docmaps):
        off = np.asarray(seg.arrays["stored.off"], dtype=np.int64)
        data = seg.arrays["stored.data"]
        # runs of live documents are copied whole
        runs = _runs(live)
        for a, b in runs:
            out.fill("stored.data", data[off[a]:off[b]])
            seg.arrays.release()


def _runs(live: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    if not len(live):
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[False], live, [False]]).astype(np.int8)))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def _merge_keywords(out, name: str, segments, docmaps):
    values: set[str] = set()
    found = []
    for seg, (live, _) in zip(segments, docmaps):
        kw = seg.keywords(name)
        found.append(kw)
        if kw is not None:
            values.update(kw[0].terms())
    distinct = sorted(values)
    ordinal = {v: i for i, v in enumerate(distinct)}
    blob, toff, table = termdict.build(distinct)
    out.add(f"kw.{name}.terms", blob)
    out.add(f"kw.{name}.toff", toff)
    out.add(f"kw.{name}.hash", table)
    sizes, ords = [], []
    for seg, (live, _), kw in zip(segments, docmaps, found):
        if kw is None:
            sizes.append(np.zeros(int(live.sum()), np.int64))
            continue
        d, off, o = kw
        remap = np.asarray([ordinal[v] for v in d.terms()], dtype=np.uint32)
        off = np.asarray(off, dtype=np.int64)
        size = off[1:] - off[:-1]
        keep = np.repeat(live, size)
        ords.append(remap[np.asarray(o)[keep]] if len(o) else np.zeros(0, np.uint32))
        sizes.append(size[live])
    sizes = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
    off_new = np.zeros(len(sizes) + 1, np.uint32)
    np.cumsum(sizes, out=off_new[1:])
    out.add(f"kw.{name}.off", off_new)
    out.add(f"kw.{name}.ords", np.concatenate(ords).astype(np.uint32) if ords else np.zeros(0, np.uint32))
