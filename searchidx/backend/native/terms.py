"""A field's term dictionary in a segment: the terms sorted (for prefixes,
wildcards and merges) and a hash table over them (for exact lookups).

    {field}.terms  the terms in code point order, UTF-8, each ended by "\\n"
    {field}.toff   where each term starts in .terms, and the end (n + 1 offsets)
    {field}.hash   open addressing with linear probing: term index + 1, 0 = empty;
                   the slot is CRC-32(term) & (size - 1), the size a power of two
                   at least twice the number of terms

A lookup costs a CRC-32 and one or two probes, whatever the number of terms
or segments: no term dictionary is loaded when a search starts.
"""
from __future__ import annotations

import re
import zlib
from bisect import bisect_left

import numpy as np


def offsets_dtype(total: int):
    return np.uint32 if total < 2**32 else np.uint64


def build(terms: list[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """(blob, offsets, hash table) for terms given in code point order."""
    encoded = [t.encode("utf-8") for t in terms]
    blob = b"\n".join(encoded) + (b"\n" if encoded else b"")
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)) + 1
    offsets = np.zeros(len(encoded) + 1, dtype=offsets_dtype(len(blob) + 1))
    np.cumsum(lengths, out=offsets[1:])
    hashes = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=len(encoded))
    return blob, offsets, hash_table(hashes)


def hash_table(hashes: np.ndarray) -> np.ndarray:
    """Linear probing, inserted in rounds (vectorised): in each round every
    entry not yet placed tries its next slot and one entry per free slot takes
    it. An entry moves on only past occupied slots, so a lookup that probes
    from the home slot finds it before an empty one."""
    n = len(hashes)
    size = 1 << max(3, int(2 * n).bit_length())
    mask = size - 1
    table = np.zeros(size, dtype=np.uint32)
    pending = np.arange(n, dtype=np.int64)
    slots = (hashes.astype(np.int64) & mask)
    while pending.size:
        s = slots[pending]
        free = np.flatnonzero(table[s] == 0)
        taken_slots, first = np.unique(s[free], return_index=True)
        winners = free[first]
        table[taken_slots] = (pending[winners] + 1).astype(np.uint32)
        placed = np.zeros(len(pending), dtype=bool)
        placed[winners] = True
        pending = pending[~placed]
        slots[pending] = (slots[pending] + 1) & mask
    return table


class TermDict:
    """Read side, over a segment's mapped arrays."""

    def __init__(self, blob_bytes, offsets: np.ndarray, table: np.ndarray):
        self._blob = blob_bytes            # bytes, or a memoryview of the mapped file
        self.offsets = offsets
        self._off = memoryview(offsets)    # Python ints per access, faster than numpy scalars
        self._table = memoryview(table)
        self._mask = len(table) - 1
        self.size = len(offsets) - 1

    @classmethod
    def of(cls, arrays, prefix: str) -> TermDict:
        """The dictionary stored as `{prefix}.terms`, `.toff` and `.hash` in a
        segment's array file, read in place."""
        return cls(arrays.view(f"{prefix}.terms"), arrays[f"{prefix}.toff"], arrays[f"{prefix}.hash"])

    def __len__(self) -> int:
        return self.size

    def find(self, term: bytes) -> int:
        """The term's index, or -1."""
        if not self.size:
            return -1
        table, off, blob, mask = self._table, self._off, self._blob, self._mask
        i = zlib.crc32(term) & mask
        while True:
            v = table[i]
            if not v:
                return -1
            start = off[v - 1]
            if off[v] - 1 - start == len(term) and blob[start:start + len(term)] == term:
                return v - 1
            i = (i + 1) & mask

    def term(self, i: int) -> str:
        off = self._off
        return bytes(self._blob[off[i]:off[i + 1] - 1]).decode("utf-8")

    def terms(self, lo: int = 0, hi: int | None = None) -> list[str]:
        """Terms lo..hi-1, decoded at once."""
        hi = self.size if hi is None else hi
        if lo >= hi:
            return []
        off = self._off
        found = bytes(self._blob[off[lo]:off[hi] - 1]).decode("utf-8").split("\n")
        if len(found) == hi - lo:
            return found
        # a term holds a newline (an article id from a file name may): by offsets
        return [self.term(i) for i in range(lo, hi)]

    def prefix_range(self, prefix: bytes) -> tuple[int, int]:
        """[lo, hi): the indexes of the terms starting with `prefix`."""
        keyed = _Keyed(self)
        lo = bisect_left(keyed, prefix)
        if not prefix:
            return 0, self.size
        # the first term >= prefix + U+10FFFF's UTF-8, which no term starts with
        hi = bisect_left(keyed, prefix + b"\xf4\x8f\xbf\xbf", lo)
        return lo, hi

    def matching(self, pattern: re.Pattern, limit: int) -> np.ndarray:
        """Indexes of the terms a bytes regex (anchored to a line, MULTILINE)
        matches, at most `limit` + 1 (so a caller can tell it was cut)."""
        found = []
        blob = self._blob[0:self._off[self.size]] if self.size else b""
        for m in pattern.finditer(blob):
            found.append(m.start())
            if len(found) > limit:
                break
        starts = np.asarray(found, dtype=np.int64)
        return np.searchsorted(self.offsets, starts, side="right") - 1


class _Keyed:
    """The terms as a sequence of bytes, for bisect."""

    def __init__(self, d: TermDict):
        self._d = d

    def __len__(self):
        return self._d.size

    def __getitem__(self, i):
        off = self._d._off
        return bytes(self._d._blob[off[i]:off[i + 1] - 1])
