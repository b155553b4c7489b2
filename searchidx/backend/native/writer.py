"""Writing a native index: documents go to an in-memory segment, written
out whenever it reaches the memory budget; deletions mark committed
documents; commit() merges what the merge policy asks for and names the new
state in commit.json, atomically.

Worker processes (forked, for large builds) each write segments of their
own through a part of the writer they inherited; the parent adopts the
parts' segments in order, so documents are numbered as one process would."""
from __future__ import annotations

import itertools
import os
import re

import numpy as np

from ...checksums import Damaged, remove
from . import commits, merge
from .buffer import SegmentBuffer
from .segment import Segment, write_deleted

_NUMBERS = itertools.count()  # segment names: generation, process, a number of the process
_SEGMENT_FILE = re.compile(r"^s\d{6}-\d+-\d+(\.dat|\.json|\.json\.tmp|\.del\d+|\.del\d+\.tmp)$")
_LEFT_OVER = ("commit.json.tmp",)  # a commit's file beside, left by a crash or a full disk


HELD = 200 << 20   # what a writing process holds besides its buffer (word tables, code)
FLUSH_FACTOR = 2.5  # a buffer takes about this much again of its size while written out
MIN_BUFFER = 16 << 20
PART_SEGMENTS = 3   # a worker's part with more segments is merged into one by the worker


class NativeWriter:
    """`memory`: the bytes this process may hold. The buffer is written out
    at the size that, written out, keeps the process within it. (Measuring
    the process would not do: memory freed after a segment is written stays
    with the process, ready for the next buffer.)"""

    def __init__(self, folder: str, memory: int):
        self.folder = folder
        self.memory = memory
        self.buffer_limit = max(MIN_BUFFER, int((memory - HELD) / FLUSH_FACTOR))
        base = commits.read(folder)
        if base is None:
            if any(_SEGMENT_FILE.match(n) for n in os.listdir(folder)):
                # segments without the commit naming them: removing them as
                # orphans would destroy what is left of the index
                raise Damaged(os.path.join(folder, commits.COMMIT), "missing")
            base = {"generation": 0, "segments": [], "user_data": {}, "previous_files": []}
        self.base = base
        self.generation = self.base["generation"] + 1
        self._buffer = SegmentBuffer()
        self._new: list[dict] = []  # segments written, not yet committed, in document order
        self._deleted: dict[str, np.ndarray] = {}  # committed segment -> its deletions
        self._segments: dict[str, Segment] = {}
        self._written: list[str] = []  # files this writer made (removed on abort)
        self._remove_orphans()
        for entry in self.base["segments"]:  # damage is found before a run, not in its middle
            self._segment(entry).arrays.check_small()

    @property
    def user_data(self) -> dict:
        return self.base.get("user_data", {})

    # -- adding ----------------------------------------------------------------------

    def add(self, batch) -> None:
        self._buffer.add(batch)
        if self._buffer.nbytes() >= self.buffer_limit:
            self.flush()

    def flush(self) -> None:
        """Writes the buffered documents as a segment (nothing is visible before commit)."""
        if not len(self._buffer):
            return
        name = self._name()
        self._written += [name + ".dat", name + ".json"]
        self._new.append(self._buffer.flush(self.folder, name))

    def _name(self) -> str:
        return f"s{self.generation:06d}-{os.getpid()}-{next(_NUMBERS)}"

    # -- deleting ----------------------------------------------------------------------

    def delete(self, ids) -> int:
        """Marks the committed documents with these ids deleted."""
        found = 0
        segs = [(s["name"], self._segment(s)) for s in self.base["segments"]]
        marks: dict[str, list[int]] = {}
        for doc_id in ids:
            for name, seg in segs:
                d = seg.docnum(doc_id)
                if d is not None and not self._is_deleted(name, seg, d):
                    marks.setdefault(name, []).append(d)
                    found += 1
        for name, docs in marks.items():
            seg = self._segments[name]
            old = self._deleted.get(name, seg.deleted)
            self._deleted[name] = np.union1d(old, np.asarray(docs, dtype=np.uint32)).astype(np.uint32)
        return found

    def _segment(self, entry: dict) -> Segment:
        seg = self._segments.get(entry["name"])
        if seg is None:
            seg = self._segments[entry["name"]] = Segment(self.folder, entry["name"], entry.get("deleted"))
        return seg

    def _is_deleted(self, name: str, seg: Segment, doc: int) -> bool:
        deleted = self._deleted.get(name, seg.deleted)
        i = np.searchsorted(deleted, doc)
        return bool(i < len(deleted) and deleted[i] == doc)

    # -- committing --------------------------------------------------------------------

    def commit(self, user_data: dict) -> None:
        self.flush()
        entries = []
        for s in self.base["segments"]:
            entry = dict(s)
            if s["name"] in self._deleted:
                dname = f"{s['name']}.del{self.generation}"
                write_deleted(self.folder, dname, self._deleted[s["name"]])
                self._written.append(dname)
                entry.update(deleted=dname, ndeleted=int(len(self._deleted[s["name"]])))
            entries.append(entry)
        entries += [{"name": m["name"], "docs": m["docs"], "deleted": None, "ndeleted": 0}
                    for m in self._new]
        entries = self._merged(entries)
        body = {"generation": self.generation, "segments": entries, "user_data": user_data,
                "previous_files": sorted(commits.files_of(self.base))}
        commits.write(self.folder, body)
        # committed: this run's files are the index's now (an abort after
        # this point must leave them)
        old, self.base, self._written, self._new = self.base, body, [], []
        self._cleanup(old, body)
        self.close()

    def _merge_run(self, entries: list[dict]) -> list[dict]:
        """All of these segments as one. Each is checked whole first (its
        arrays' CRC-32s): a merge must not carry damage into a new segment,
        whose checksums would then vouch for it."""
        segs = [Segment(self.folder, e["name"], e.get("deleted")) for e in entries]
        name = self._name()
        self._written += [name + ".dat", name + ".json"]
        try:
            for s in segs:
                s.verify()
                s.arrays.release()
            meta = merge.merge(self.folder, segs, name)
        finally:
            for s in segs:
                s.close()
        return [{"name": name, "docs": meta["docs"], "deleted": None, "ndeleted": 0}]

    def _merged(self, entries: list[dict]) -> list[dict]:
        """The segments after the merges the policy asks for (repeatedly: a
        merged segment may complete a run at the next level)."""
        while True:
            runs = merge.plan([(e["docs"], e.get("ndeleted", 0)) for e in entries])
            if not runs:
                return entries
            out, last = [], 0
            for a, b in runs:
                out += entries[last:a] + self._merge_run(entries[a:b])
                last = b
            entries = out + entries[last:]

    def abort(self) -> None:
        """Removes every file this run wrote, the workers' too (files that no
        commit names): a failed run (a full disk, a killed worker) leaves the
        folder as the last commit left it."""
        self._buffer = SegmentBuffer()
        for name in self._written:
            remove(os.path.join(self.folder, name))
        self._written = []
        self._new = []
        self.close()
        self._remove_orphans()

    def close(self) -> None:
        for s in self._segments.values():
            s.close()
        self._segments.clear()

    def _cleanup(self, old: dict, new: dict) -> None:
        """Removes the files that neither the new commit nor the one before it names."""
        keep = commits.files_of(new) | set(new["previous_files"])
        for name in set(old.get("previous_files", ())) - keep:
            remove(os.path.join(self.folder, name))
        self._remove_orphans(keep)

    def _remove_orphans(self, keep: set[str] | None = None) -> None:
        """Segment files no commit names: left by a writer that was killed."""
        if keep is None:
            keep = commits.files_of(self.base) | set(self.base.get("previous_files", ()))
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return
        for name in names:
            if (_SEGMENT_FILE.match(name) or name in _LEFT_OVER) and name not in keep:
                remove(os.path.join(self.folder, name))

    # -- parallel parts ------------------------------------------------------------------

    def part(self, memory: int) -> "NativeWriter":
        """In a forked worker: a writer of new segments only, for adopt()."""
        p = object.__new__(NativeWriter)
        p.folder, p.memory, p.base, p.generation = self.folder, memory, self.base, self.generation
        p.buffer_limit = max(MIN_BUFFER, int((memory - HELD) / FLUSH_FACTOR))
        p._buffer, p._new, p._deleted, p._segments, p._written = SegmentBuffer(), [], {}, {}, []
        return p

    def finish_part(self) -> list[dict]:
        self.flush()
        return [{"name": m["name"], "docs": m["docs"]} for m in self._new]

    def merge_part(self, token: list[dict]) -> list[dict]:
        """A part's segments as one, if it has more than PART_SEGMENTS (a run
        of many segments costs every query). Meant for a fresh process: it
        does not carry a writer's word tables, and several run side by side."""
        if len(token) <= PART_SEGMENTS:
            return token
        entries = [{"name": m["name"], "docs": m["docs"], "deleted": None, "ndeleted": 0}
                   for m in token]
        after = self._merge_run(entries)
        for e in entries:
            for suffix in (".dat", ".json"):
                remove(os.path.join(self.folder, e["name"] + suffix))
        return [{"name": e["name"], "docs": e["docs"]} for e in after]

    def merge_cost(self, token: list[dict]) -> int:
        """About the memory merge_part(token) takes: the merge reads its
        segments through the page cache, a chunk of terms at a time, and
        holds about a third of their bytes at its peak (measured at a
        million articles)."""
        if len(token) <= PART_SEGMENTS:
            return 0
        return sum(os.path.getsize(os.path.join(self.folder, m["name"] + ".dat"))
                   for m in token) // 3

    def adopt(self, token: list[dict]) -> None:
        """A part's segments, after everything added here so far."""
        self.flush()
        for m in token:
            self._written += [m["name"] + ".dat", m["name"] + ".json"]
            self._new.append(m)
