"""The segment being built: documents added in batches, held column-wise in
memory until it is written as a segment (flush).

Occurrences are kept as they come (term, document, position: 12 bytes each,
16 in a weighted field) and grouped into postings only when written: one
stable sort by term per field, so a posting list is in document order and a
document's positions are in order without any per-posting Python code.
"""
from __future__ import annotations

import os
import zlib

import numpy as np

from . import blocks
from . import terms as termdict
from ...arrayfile import ArrayWriter
from ...checksums import remove, write_json

# Estimated bytes per held item, for the memory budget (measured on CPython 3.11).
TERM_BYTES = 170   # a term in the segment's table: dict slot, str, list slot
DOC_BYTES = 300    # a document's id, lengths, columns, list slots
STORED_LEVEL = 1   # zlib level for stored documents (level 6 is 3x slower for 12 % less)


class _Field:
    def __init__(self, weighted: bool):
        self.weighted = weighted
        self.chunks: list[tuple] = []  # (term, doc, pos, weight) arrays per batch
        self.lengths: list[np.ndarray] = []
        self.occurrences = 0


class SegmentBuffer:
    def __init__(self):
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.fields: dict[str, _Field] = {}
        self.ids: list[str] = []
        self.stored: list[bytes] = []
        self.stored_bytes = 0
        self.columns: dict[str, list[np.ndarray]] = {}
        self.keywords: dict[str, list[list[str]]] = {}
        self.docs = 0
        self._source: list[str] | None = None  # the batches' shared term list
        self._mapping = np.zeros(0, dtype=np.uint32)  # its term index -> this segment's term id

    def __len__(self) -> int:
        return self.docs

    def nbytes(self) -> int:
        occ = sum(f.occurrences * (16 if f.weighted else 12) for f in self.fields.values())
        return occ + len(self.terms) * TERM_BYTES + self.docs * DOC_BYTES + self.stored_bytes

    def add(self, batch) -> None:
        n = len(batch.ids)
        if not n:
            return
        base = self.docs
        mapping = self._map_terms(batch.terms)
        for name, occ in batch.fields.items():
            f = self.fields.get(name)
            if f is None:
                f = self.fields[name] = _Field(occ.weight is not None)
                f.lengths.append(np.zeros(base, dtype=np.uint32))  # documents before this field came
            if f.weighted != (occ.weight is not None):
                raise ValueError(f"field {name!r}: weighted in one batch, not in another")
            f.chunks.append((mapping[occ.term], (occ.doc + base).astype(np.uint32),
                             occ.pos.astype(np.uint32),
                             None if occ.weight is None else occ.weight.astype(np.float32)))
            f.occurrences += len(occ.term)
        for name, f in self.fields.items():
            length = batch.lengths.get(name)
            f.lengths.append(np.zeros(n, dtype=np.uint32) if length is None
                             else np.asarray(length, dtype=np.uint32))
        for name in set(self.columns) | set(batch.columns):
            if name not in self.columns:  # (a column new in this batch: 0 before)
                self.columns[name] = [np.zeros(base, dtype=np.int64)]
            values = batch.columns.get(name)
            self.columns[name].append(np.zeros(n, dtype=np.int64) if values is None
                                      else np.asarray(values, dtype=np.int64))
        for name in set(self.keywords) | set(batch.keywords):
            if name not in self.keywords:
                self.keywords[name] = [[] for _ in range(base)]
            self.keywords[name].extend(batch.keywords.get(name) or [[] for _ in range(n)])
        self.ids.extend(batch.ids)
        for doc in batch.stored:
            packed = zlib.compress(doc, STORED_LEVEL)
            self.stored.append(packed)
            self.stored_bytes += len(packed)
        self.docs += n

    def _map_terms(self, terms: list[str]) -> np.ndarray:
        """The batch's term indexes as this segment's term ids. Batches may
        share one term list that only grows: then only its new terms are
        looked up (the list is kept, so it is the same object, not another
        one at the same address)."""
        if terms is not self._source:
            self._source, self._mapping = terms, np.zeros(0, dtype=np.uint32)
        done = len(self._mapping)
        if len(terms) > done:
            get, ids, texts = self.term_ids.get, self.term_ids, self.terms
            new = np.empty(len(terms) - done, dtype=np.uint32)
            for i, t in enumerate(terms[done:]):
                tid = get(t)
                if tid is None:
                    tid = ids[t] = len(texts)
                    texts.append(t)
                new[i] = tid
            self._mapping = np.concatenate([self._mapping, new])
        return self._mapping

    # -- writing -------------------------------------------------------------------

    def flush(self, folder: str, name: str) -> dict:
        """Writes the segment `name` into `folder`; returns its description
        (also written as name.json). The buffer is empty afterwards."""
        data_path = os.path.join(folder, name + ".dat")
        out = ArrayWriter(data_path)
        try:
            meta = {"format": FORMAT, "name": name, "docs": self.docs, "fields": {},
                    "columns": sorted(self.columns), "keywords": sorted(self.keywords)}
            for fname in sorted(self.fields):
                meta["fields"][fname] = self._write_field(out, fname, self.fields.pop(fname))
            self.fields.clear()
            self.term_ids.clear()
            self.terms = []
            _write_ids(out, self.ids)
            _write_stored(out, self.stored)
            for cname, chunks in self.columns.items():
                out.add(f"col.{cname}", _narrow(np.concatenate(chunks) if chunks else
                                                np.zeros(0, dtype=np.int64)))
            for kname, values in self.keywords.items():
                _write_keywords(out, f"kw.{kname}", values)
            meta["arrays"] = out.close()
        except BaseException:
            out.abort()
            remove(data_path)
            raise
        write_meta(folder, meta)
        self.__init__()
        return meta

    def _write_field(self, out: ArrayWriter, name: str, f: _Field) -> dict:
        lengths = np.concatenate(f.lengths)
        if len(lengths) < self.docs:  # (documents after the field's last batch)
            lengths = np.concatenate([lengths, np.zeros(self.docs - len(lengths), dtype=np.uint32)])
        chunks, f.chunks = f.chunks, []
        term = np.concatenate([c[0] for c in chunks]) if chunks else np.zeros(0, np.uint32)
        # term ids -> ranks in code point order, so postings group in term order
        used = np.unique(term)
        texts = [self.terms[i] for i in used.tolist()]
        order = sorted(range(len(texts)), key=texts.__getitem__)
        rank = np.zeros(len(self.terms), dtype=np.uint32)
        rank[used[order]] = np.arange(len(order), dtype=np.uint32)
        texts = [texts[i] for i in order]
        term = rank[term]
        sort = np.argsort(term, kind="stable")
        term = term[sort]
        doc = np.concatenate([c[1] for c in chunks])[sort] if chunks else np.zeros(0, np.uint32)
        pos = np.concatenate([c[2] for c in chunks])[sort] if chunks else np.zeros(0, np.uint32)
        weight = (np.concatenate([c[3] for c in chunks])[sort] if f.weighted and chunks else None)
        del chunks, sort
        return write_postings(out, name, texts, term, doc, pos, weight, lengths)


FORMAT = 1


def write_postings(out: ArrayWriter, name: str, texts: list[str], term: np.ndarray,
                   doc: np.ndarray, pos: np.ndarray, weight: np.ndarray | None,
                   lengths: np.ndarray) -> dict:
    """Writes one field from its occurrences sorted by (term rank, doc, pos):
    `term` holds ranks into `texts` (code point order)."""
    n = len(term)
    if n:
        starts = np.empty(n, dtype=bool)  # each posting's first occurrence
        starts[0] = True
        np.not_equal(term[1:], term[:-1], out=starts[1:])
        starts[1:] |= doc[1:] != doc[:-1]
        pstarts = np.flatnonzero(starts)
    else:
        pstarts = np.zeros(0, dtype=np.int64)
    docs = doc[pstarts]
    tf = np.diff(np.append(pstarts, n)).astype(np.uint32)
    post_terms = term[pstarts]
    tstarts = np.searchsorted(post_terms, np.arange(len(texts) + 1, dtype=post_terms.dtype))
    blob, toff, table = termdict.build(texts)
    out.add(f"{name}.terms", blob)
    out.add(f"{name}.toff", toff)
    out.add(f"{name}.hash", table)
    out.add(f"{name}.df", np.diff(tstarts).astype(np.uint32))
    out.add(f"{name}.pstart", tstarts.astype(termdict.offsets_dtype(len(docs) + 1)))
    out.add(f"{name}.docs", docs.astype(np.uint32))
    out.add(f"{name}.tf", tf)
    w = tf
    if weight is not None:
        w = np.add.reduceat(weight, pstarts).astype(np.float32) if n else np.zeros(0, np.float32)
        out.add(f"{name}.w", w)
    # a term's positions: from the occurrence index of its first posting
    qstart = np.append(pstarts, n)[tstarts]
    out.add(f"{name}.qstart", qstart.astype(termdict.offsets_dtype(n + 1)))
    out.add(f"{name}.pos", pos.astype(np.uint32))
    out.add(f"{name}.len", lengths.astype(np.uint32))
    total = int(lengths.sum(dtype=np.int64))
    avg = total / len(lengths) if len(lengths) else 0.0
    blocks.write(out, name, *blocks.maxima(tstarts, docs, w, lengths, avg))
    return {"terms": len(texts), "postings": int(len(docs)), "positions": int(n),
            "length": total, "avg": avg, "weighted": weight is not None}


def _write_ids(out: ArrayWriter, ids: list[str]):
    order = sorted(range(len(ids)), key=ids.__getitem__)
    blob, toff, table = termdict.build([ids[i] for i in order])
    out.add("ids.terms", blob)
    out.add("ids.toff", toff)
    out.add("ids.hash", table)
    out.add("ids.doc", np.asarray(order, dtype=np.uint32))


def _write_stored(out: ArrayWriter, stored: list[bytes]):
    off = np.zeros(len(stored) + 1, dtype=np.uint64)
    np.cumsum(np.fromiter(map(len, stored), dtype=np.uint64, count=len(stored)), out=off[1:])
    out.add("stored.off", off)
    out.add("stored.data", b"".join(stored))


def _write_keywords(out: ArrayWriter, prefix: str, values: list[list[str]]):
    distinct = sorted({v for vs in values for v in vs})
    ordinal = {v: i for i, v in enumerate(distinct)}
    blob, toff, table = termdict.build(distinct)
    out.add(f"{prefix}.terms", blob)
    out.add(f"{prefix}.toff", toff)
    out.add(f"{prefix}.hash", table)
    off = np.zeros(len(values) + 1, dtype=np.uint32)
    np.cumsum(np.fromiter(map(len, values), dtype=np.uint32, count=len(values)), out=off[1:])
    out.add(f"{prefix}.off", off)
    out.add(f"{prefix}.ords", np.fromiter((ordinal[v] for vs in values for v in vs),
                                          dtype=np.uint32, count=int(off[-1])))


def _narrow(values: np.ndarray) -> np.ndarray:
    if not len(values) or (values.min() >= -2**31 and values.max() < 2**31):
        return values.astype(np.int32)
    return values


def write_meta(folder: str, meta: dict):
    """A segment's description, with its checksum (checksums.write_json)."""
    write_json(os.path.join(folder, meta["name"] + ".json"), meta)
