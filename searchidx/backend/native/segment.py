"""One segment, read in place: its JSON description and its mapped data file.

Opening one checks its description's checksum and the data file's structure
(arrayfile.py); a field's arrays are checked against each other when the
field is first used; a stored article by zlib's own checksum when read."""
from __future__ import annotations

import os
import zlib

import numpy as np

from ... import checksums
from ...arrayfile import ArrayFile
from ...checksums import Damaged
from .terms import TermDict

_FIELD_ARRAYS = ("terms", "toff", "hash", "df", "pstart", "docs", "tf", "qstart", "pos", "len")


class FieldPostings:
    """A field's terms and postings in one segment."""

    def __init__(self, arrays: ArrayFile, name: str, meta: dict, docs: int):
        _check_field(arrays, name, meta, docs)
        self.name = name
        self.meta = meta
        self.dict = TermDict.of(arrays, name)
        self.df = arrays[f"{name}.df"]
        self.pstart = arrays[f"{name}.pstart"]
        self._pstart = memoryview(self.pstart)
        self.docs = arrays[f"{name}.docs"]
        self.tf = arrays[f"{name}.tf"]
        self.w = arrays.get(f"{name}.w")
        self.qstart = arrays[f"{name}.qstart"]
        self.pos = arrays[f"{name}.pos"]
        self.lengths = arrays[f"{name}.len"]
        self.weighted = meta.get("weighted", False)
        self.avg = meta.get("avg", 0.0)  # the average length the block maxima were taken with
        self.bm_start = memoryview(arrays[f"{name}.bm.start"]) if f"{name}.bm.start" in arrays else None
        self.bm_win = arrays.get(f"{name}.bm.win")
        self.bm_max = arrays.get(f"{name}.bm.max")

    def find(self, term: str) -> int:
        return self.dict.find(term.encode("utf-8"))

    def doc_freq(self, i: int) -> int:
        ps = self._pstart
        return ps[i + 1] - ps[i]

    def postings(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(docs, weights) of term i: weights are the term's frequency, or its
        weighted frequency in a weighted field. Views into the mapped file."""
        ps = self._pstart
        a, b = ps[i], ps[i + 1]
        return self.docs[a:b], (self.w if self.weighted else self.tf)[a:b]

    def blocks(self, i: int):
        """(windows, saturation maxima) of term i, or None if it has none
        (too few postings: they are scored instead)."""
        if self.bm_start is None:
            return None
        a, b = self.bm_start[i], self.bm_start[i + 1]
        return (self.bm_win[a:b], self.bm_max[a:b]) if b > a else None

    def positions(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(docs, per-posting start into `pos`, pos) of term i: posting j's
        positions are pos[start[j]:start[j] + tf[j]]."""
        ps = self._pstart
        a, b = ps[i], ps[i + 1]
        q0, q1 = int(self.qstart[i]), int(self.qstart[i + 1])
        tf = self.tf[a:b]
        starts = np.zeros(len(tf), dtype=np.int64)
        np.cumsum(tf[:-1], out=starts[1:])
        return self.docs[a:b], starts, self.pos[q0:q1]


class Segment:
    def __init__(self, folder: str, name: str, deleted_file: str | None = None):
        self.folder, self.name = folder, name
        path = os.path.join(folder, name + ".json")
        self.meta = checksums.read_json(path)
        if self.meta.get("format") != 1 or self.meta.get("name") != name:
            raise Damaged(path, "not a segment description of this version")
        self.arrays = ArrayFile(os.path.join(folder, name + ".dat"), self.meta["arrays"])
        self.docs = self.meta["docs"]
        self.deleted_file = deleted_file
        self.deleted = read_deleted(folder, deleted_file) if deleted_file else np.zeros(0, np.uint32)
        if len(self.deleted) and int(self.deleted[-1]) >= self.docs:
            raise Damaged(os.path.join(folder, deleted_file), "deletes documents the segment lacks")
        for a, n in (("stored.off", self.docs + 1), ("ids.doc", self.docs), ("ids.toff", self.docs + 1)):
            _check_length(self.arrays, a, n)
        self._fields: dict[str, FieldPostings | None] = {}
        self._ids = None
        self._stored_off = memoryview(self.arrays["stored.off"])

    @property
    def live(self) -> int:
        return self.docs - len(self.deleted)

    def field(self, name: str) -> FieldPostings | None:
        f = self._fields.get(name, False)
        if f is False:
            meta = self.meta["fields"].get(name)
            f = self._fields[name] = FieldPostings(self.arrays, name, meta, self.docs) if meta else None
        return f

    def has_column(self, name: str) -> bool:
        return f"col.{name}" in self.arrays

    def column(self, name: str) -> np.ndarray | None:
        return self.arrays.get(f"col.{name}")

    def keywords(self, name: str):
        """(value dictionary, per-document offsets, ordinals) of a keyword column, or None."""
        prefix = f"kw.{name}"
        if f"{prefix}.off" not in self.arrays:
            return None
        a = self.arrays
        return TermDict.of(a, prefix), a[f"{prefix}.off"], a[f"{prefix}.ords"]

    def docnum(self, doc_id: str) -> int | None:
        if self._ids is None:
            a = self.arrays
            self._ids = TermDict.of(a, "ids"), memoryview(a["ids.doc"])
        d, docs = self._ids
        i = d.find(doc_id.encode("utf-8"))
        return None if i < 0 else docs[i]

    def stored(self, doc: int) -> bytes:
        off = self._stored_off
        try:  # (zlib's checksum covers each stored article)
            return zlib.decompress(self.arrays.bytes("stored.data", off[doc], off[doc + 1]))
        except zlib.error as e:
            raise Damaged(self.arrays.path, f"stored article {doc}: {e}") from None

    def verify(self) -> None:
        """Every array checked against its CRC-32 (reads the whole data file)."""
        self.arrays.check()

    def close(self):
        # the views into the mapped file dropped first, so that it can be
        # unmapped now (a merged-away segment's disk space is then freed at
        # once, not when a garbage collection finds the reader)
        self._fields.clear()
        self._ids = None
        self._stored_off.release()
        self.arrays.close()


def _check_length(arrays: ArrayFile, name: str, count: int) -> None:
    entry = arrays.directory.get(name)
    if entry is None or entry[2] != count:
        raise Damaged(arrays.path, f"array {name}: missing or of the wrong length")


def _check_field(arrays: ArrayFile, name: str, meta: dict, docs: int) -> None:
    """The field's arrays fit together (their lengths, and where the last
    posting and position end: a page read each)."""
    try:
        terms, postings, positions = meta["terms"], meta["postings"], meta["positions"]
    except (KeyError, TypeError):
        raise Damaged(arrays.path, f"field {name}: bad description") from None
    for suffix, n in (("toff", terms + 1), ("df", terms), ("pstart", terms + 1), ("docs", postings),
                      ("tf", postings), ("qstart", terms + 1), ("pos", positions), ("len", docs)):
        _check_length(arrays, f"{name}.{suffix}", n)
    if terms and (int(arrays[f"{name}.pstart"][-1]) != postings
                  or int(arrays[f"{name}.qstart"][-1]) != positions
                  or int(arrays[f"{name}.toff"][-1]) != arrays.directory[f"{name}.terms"][2]):
        raise Damaged(arrays.path, f"field {name}: its arrays do not fit together")


def read_deleted(folder: str, name: str) -> np.ndarray:
    path = os.path.join(folder, name)
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8 or data[:4] != b"SDEL" or len(data) % 4:
        raise Damaged(path, "not a deletions file, or truncated")
    crc = int.from_bytes(data[4:8], "little")
    body = data[8:]
    if zlib.crc32(body) != crc:
        raise Damaged(path, "checksum mismatch")
    return np.frombuffer(body, dtype="<u4")


def write_deleted(folder: str, name: str, docs: np.ndarray):
    body = np.unique(np.asarray(docs, dtype="<u4")).tobytes()
    checksums.write_atomic(os.path.join(folder, name),
                           b"SDEL" + zlib.crc32(body).to_bytes(4, "little") + body)
