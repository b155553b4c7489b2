"""One segment, read in place: its JSON description and its mapped data file."""
from __future__ import annotations

import json
import os
import zlib

import numpy as np

from ...arrayfile import ArrayFile
from .terms import TermDict


class FieldPostings:
    """A field's terms and postings in one segment."""

    def __init__(self, arrays: ArrayFile, name: str, meta: dict):
        self.name = name
        self.meta = meta
        self.dict = TermDict(arrays.bytes(f"{name}.terms"), arrays[f"{name}.toff"],
                             arrays[f"{name}.hash"])
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
        with open(os.path.join(folder, name + ".json"), encoding="utf-8") as f:
            self.meta = json.load(f)
        if self.meta.get("format") != 1 or self.meta.get("name") != name:
            raise ValueError(f"{name}.json: not a segment description of this version")
        self.arrays = ArrayFile(os.path.join(folder, name + ".dat"), self.meta["arrays"])
        self.docs = self.meta["docs"]
        self.deleted_file = deleted_file
        self.deleted = read_deleted(folder, deleted_file) if deleted_file else np.zeros(0, np.uint32)
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
            f = self._fields[name] = FieldPostings(self.arrays, name, meta) if meta else None
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
        return (TermDict(a.bytes(f"{prefix}.terms"), a[f"{prefix}.toff"], a[f"{prefix}.hash"]),
                a[f"{prefix}.off"], a[f"{prefix}.ords"])

    def docnum(self, doc_id: str) -> int | None:
        if self._ids is None:
            a = self.arrays
            self._ids = (TermDict(a.bytes("ids.terms"), a["ids.toff"], a["ids.hash"]),
                         memoryview(a["ids.doc"]))
        d, docs = self._ids
        i = d.find(doc_id.encode("utf-8"))
        return None if i < 0 else docs[i]

    def stored(self, doc: int) -> bytes:
        off = self._stored_off
        return zlib.decompress(self.arrays.bytes("stored.data", off[doc], off[doc + 1]))

    def close(self):
        self._fields.clear()
        self.arrays.close()


def read_deleted(folder: str, name: str) -> np.ndarray:
    with open(os.path.join(folder, name), "rb") as f:
        data = f.read()
    if len(data) < 8 or data[:4] != b"SDEL" or len(data) % 4:
        raise ValueError(f"{name}: damaged deletions file")
    crc = int.from_bytes(data[4:8], "little")
    body = data[8:]
    if zlib.crc32(body) != crc:
        raise ValueError(f"{name}: damaged deletions file (checksum)")
    return np.frombuffer(body, dtype="<u4")


def write_deleted(folder: str, name: str, docs: np.ndarray):
    body = np.unique(np.asarray(docs, dtype="<u4")).tobytes()
    path = os.path.join(folder, name)
    with open(path + ".tmp", "wb") as f:
        f.write(b"SDEL" + zlib.crc32(body).to_bytes(4, "little") + body)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)
