"""A point-in-time view of a native index: the segments of one commit, in
order, numbered as one document space (a segment's documents follow those
of the segments before it)."""
from __future__ import annotations

import errno
import os
import re
import time
from bisect import bisect_right

import numpy as np

from ..base import QueryTooCostly, TopDocs
from . import commits
from .segment import Segment

MAX_CACHED_TERMS = 100_000  # (field, term) lookups kept per reader


class NativeReader:
    def __init__(self, folder: str):
        self.folder = folder
        seen = None
        for attempt in range(20):  # a writer may commit and clean up while we open
            body = commits.read(folder)
            if body is None:
                raise FileNotFoundError(errno.ENOENT, "no commit", os.path.join(folder, commits.COMMIT))
            try:
                segments = [Segment(folder, s["name"], s.get("deleted")) for s in body["segments"]]
                break
            except FileNotFoundError:
                # A race removes a commit's files only after two newer commits:
                # a file missing again from the same commit is missing for good.
                if attempt == 19 or body["generation"] == seen:
                    raise
                seen = body["generation"]
                time.sleep(0.01 * (attempt + 1))
        self.generation = body["generation"]
        self.user_data = body.get("user_data", {})
        self.segments = segments
        self.bases = []
        base = 0
        for s in segments:
            self.bases.append(base)
            base += s.docs
        self.max_doc = base
        deleted = [s.deleted.astype(np.int64) + b for s, b in zip(segments, self.bases) if len(s.deleted)]
        self.deleted = np.concatenate(deleted) if deleted else np.zeros(0, np.int64)
        self._terms: dict[tuple[str, str], tuple] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._stats: dict[str, tuple[int, float]] = {}
        self._evaluator = None

    # -- statistics ------------------------------------------------------------------

    def doc_count(self) -> int:
        return self.max_doc - len(self.deleted)

    def field_stats(self, field: str) -> tuple[int, float]:
        """(documents, average length) of a field, deleted documents included
        (as its document frequencies include them until a merge)."""
        found = self._stats.get(field)
        if found is None:
            total = sum(s.meta["fields"].get(field, {}).get("length", 0) for s in self.segments)
            found = self._stats[field] = (self.max_doc, total / self.max_doc if self.max_doc else 0.0)
        return found

    def lookup(self, field: str, term: str) -> tuple:
        """((segment number, term index), ...) for the segments holding the term."""
        key = (field, term)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) >= MAX_CACHED_TERMS:
                self._terms.clear()
            tb = term.encode("utf-8")
            out = []
            for n, seg in enumerate(self.segments):
                f = seg.field(field)
                if f is not None:
                    i = f.dict.find(tb)
                    if i >= 0:
                        out.append((n, i))
            found = self._terms[key] = tuple(out)
        return found

    def doc_freq(self, field: str, term: str) -> int:
        return sum(self.segments[n].field(field).doc_freq(i) for n, i in self.lookup(field, term))

    # -- documents -------------------------------------------------------------------

    def segment_of(self, docnum: int) -> tuple[Segment, int]:
        n = bisect_right(self.bases, docnum) - 1
        if n < 0 or docnum >= self.max_doc:
            raise IndexError(docnum)
        return self.segments[n], docnum - self.bases[n]

    def stored(self, docnum: int) -> bytes:
        seg, local = self.segment_of(docnum)
        return seg.stored(local)

    def is_deleted(self, docnum: int) -> bool:
        i = np.searchsorted(self.deleted, docnum)
        return bool(i < len(self.deleted) and self.deleted[i] == docnum)

    def docnum(self, doc_id: str) -> int | None:
        for seg, base in zip(reversed(self.segments), reversed(self.bases)):
            d = seg.docnum(doc_id)
            if d is not None and not self.is_deleted(base + d):
                return base + d
        return None

    def doc_ids(self, prefix: str, limit: int) -> list[str]:
        """Ids of live documents starting with `prefix` (for completion), sorted."""
        from .terms import TermDict

        found: set[str] = set()
        for seg, base in zip(self.segments, self.bases):
            a = seg.arrays
            d = TermDict.of(a, "ids")
            lo, hi = d.prefix_range(prefix.encode("utf-8"))
            docs = a["ids.doc"]
            for i, text in zip(range(lo, min(hi, lo + limit * 2)), d.terms(lo, min(hi, lo + limit * 2))):
                if not self.is_deleted(base + int(docs[i])):
                    found.add(text)
        return sorted(found)[:limit]

    def column(self, name: str) -> np.ndarray:
        """A column over all documents (0 where a segment lacks it), made on first use."""
        col = self._columns.get(name)
        if col is None:
            parts = [s.column(name) if s.has_column(name) else np.zeros(s.docs, np.int32)
                     for s in self.segments]
            col = self._columns[name] = (np.concatenate(parts) if parts else np.zeros(0, np.int32))
        return col

    # -- terms -----------------------------------------------------------------------

    def expand(self, field: str, kind: str, pattern: str, limit: int) -> list[str]:
        found: set[str] = set()
        if kind == "prefix":
            pb = pattern.encode("utf-8")
            for seg in self.segments:
                f = seg.field(field)
                if f is None:
                    continue
                lo, hi = f.dict.prefix_range(pb)
                if hi - lo > limit or len(found) + (hi - lo) > 4 * limit:
                    raise QueryTooCostly(f"{pattern}* matches more than {limit:,} words")
                found.update(f.dict.terms(lo, hi))
        elif kind == "wildcard":
            rx = re.compile(_wildcard_regex(pattern), re.MULTILINE)
            for seg in self.segments:
                f = seg.field(field)
                if f is None:
                    continue
                idx = f.dict.matching(rx, limit)
                if len(idx) > limit:
                    raise QueryTooCostly(f"{pattern} matches more than {limit:,} words")
                found.update(f.dict.term(int(i)) for i in idx)
        elif kind == "fuzzy":
            text, _, edits = pattern.rpartition("~")
            found.update(self._fuzzy(field, text, int(edits or 1), limit))
        else:
            raise ValueError(kind)
        if len(found) > limit:
            raise QueryTooCostly(f"{pattern} matches more than {limit:,} words")
        return sorted(found)

    def _fuzzy(self, field: str, text: str, edits: int, limit: int) -> set[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        found: set[str] = set()
        for seg in self.segments:
            f = seg.field(field)
            if f is None or not len(f.dict):
                continue
            # an edit changes the length by one at most: only that window can match,
            # and the first letter is kept (a typo there is rare, and the
            # window of words is then small)
            prefix = text[:1].encode("utf-8")
            lo, hi = f.dict.prefix_range(prefix)
            terms = f.dict.terms(lo, hi)
            terms = [t for t in terms if abs(len(t) - len(text)) <= edits]
            for t, _, _ in process.extract(text, terms, scorer=Levenshtein.distance,
                                           score_cutoff=edits, limit=None):
                found.add(t)
            if len(found) > limit:
                raise QueryTooCostly(f"{text}~{edits} matches more than {limit:,} words")
        return found

    # -- searching -------------------------------------------------------------------

    def evaluator(self):
        if self._evaluator is None:
            from .scoring import Evaluator

            self._evaluator = Evaluator(self)
        return self._evaluator

    def search(self, query, *, limit: int, sort: str = "relevance", facets: tuple = (),
               deadline: float | None = None) -> TopDocs:
        return self.evaluator().top(query, limit=limit, sort=sort, facets=facets, deadline=deadline)

    def count(self, query, limit: int | None = None) -> int:
        return self.evaluator().count(query, limit)

    def explain(self, query, docnum: int):
        return self.evaluator().explain(query, docnum)

    def stats(self) -> dict:
        size = 0
        names = commits.files_of({"segments": [{"name": s.name, "deleted": s.deleted_file}
                                               for s in self.segments]})
        for name in names:
            try:
                size += os.path.getsize(os.path.join(self.folder, name))
            except OSError:
                pass
        terms = sum(f.get("terms", 0) for s in self.segments for f in s.meta["fields"].values())
        return {"documents": self.doc_count(), "deleted": int(len(self.deleted)),
                "segments": len(self.segments), "terms": terms, "size_bytes": size}

    def verify(self) -> list:
        """The damaged files of this reader's segments (every array's CRC-32
        checked: reads every data file whole), as checksums.Damaged."""
        from ...checksums import Damaged

        out = []
        for seg in self.segments:
            bad = seg.arrays.verify()
            seg.arrays.release()
            if bad:
                more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
                out.append(Damaged(seg.arrays.path, f"array {bad[0]}{more}: checksum mismatch"))
        return out

    def term_counts(self, field: str) -> dict[str, int]:
        """Every term of a field with its occurrences (positions) in all
        documents, deleted ones included."""
        counts: dict[str, int] = {}
        for seg in self.segments:
            f = seg.field(field)
            if f is None:
                continue
            occurrences = np.diff(np.asarray(f.qstart, dtype=np.int64)).tolist()
            for term, n in zip(f.dict.terms(), occurrences):
                counts[term] = counts.get(term, 0) + n
        return counts

    def close(self) -> None:
        for s in self.segments:
            s.close()
        self._terms.clear()
        self._columns.clear()
        self._evaluator = None


def _wildcard_regex(pattern: str) -> bytes:
    """`*` any letters, `?` one letter (one UTF-8 character), within one term
    (a line of the term blob)."""
    out = [b"^"]
    for ch in pattern:
        if ch == "*":
            out.append(b"[^\n]*")
        elif ch == "?":
            out.append(b"(?:[\x00-\x09\x0b-\x7f]|[\xc0-\xff][\x80-\xbf]*)")
        else:
            out.append(re.escape(ch.encode("utf-8")))
    out.append(b"$")
    return b"".join(out)
