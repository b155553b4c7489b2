"""Files of named numpy arrays, one after another, each aligned to 64 bytes,
read in place through mmap (nothing is copied or parsed when a file opens:
a search touches only the pages it reads).

The directory (name -> offset, dtype, length, CRC-32) is kept by the
caller (a segment's JSON file), or at the end of the file itself (save /
load: the manifest). Opening a file checks its structure against the
directory (magic word, length, every array aligned, in bounds, of a numeric
type, none overlapping); an array of at most SMALL bytes is checked against
its CRC-32 when first used (a millisecond at most); larger ones by verify(),
which merges and `searchidx verify` run: opening a file of gigabytes reads
none of it, as Lucene checks big files' checksums on merge and CheckIndex
only.
"""
from __future__ import annotations

import mmap
import os
import zlib

import numpy as np

from .checksums import Damaged, with_path

ALIGN = 64
MAGIC = b"SIDXARR1"
SMALL = 256 << 10  # arrays up to this size are checked on first use
_KINDS = "uif"     # numeric arrays only: nothing in a file can make an object array


class ArrayWriter:
    """Writes arrays one after another. An OSError (a full disk) names the
    file; the caller aborts and removes it."""

    def __init__(self, path: str):
        self.path = path
        try:
            self._f = open(path, "wb")
            self._f.write(MAGIC)
        except OSError as e:
            raise with_path(e, path) from None
        self._pos = len(MAGIC)
        self.directory: dict[str, list] = {}
        self._filled: dict[str, int] = {}

    def add(self, name: str, data) -> None:
        """`data`: a numpy array (written as its dtype, C order) or bytes."""
        try:
            self._add(name, data)
        except OSError as e:
            raise with_path(e, self.path) from None

    def _add(self, name: str, data) -> None:
        if name in self.directory:
            raise ValueError(f"array {name!r} written twice")
        if isinstance(data, np.ndarray):
            arr = np.ascontiguousarray(data)
            dtype, count, raw = arr.dtype.str, arr.size, memoryview(arr).cast("B")
        else:
            dtype, count, raw = "|u1", len(data), memoryview(data).cast("B")
        pad = -self._pos % ALIGN
        self._f.seek(self._pos)
        if pad:
            self._f.write(b"\0" * pad)
            self._pos += pad
        self._f.write(raw)
        self.directory[name] = [self._pos, dtype, count, zlib.crc32(raw)]
        self._pos += len(raw)

    def reserve(self, name: str, dtype, count: int) -> None:
        """Room for an array written later in order, a chunk at a time (fill):
        a merge writes several arrays side by side."""
        if name in self.directory:
            raise ValueError(f"array {name!r} written twice")
        self._pos += -self._pos % ALIGN
        dt = np.dtype(dtype)
        self.directory[name] = [self._pos, dt.str, count, 0]
        self._filled[name] = 0
        self._pos += count * dt.itemsize
        self._f.seek(self._pos)

    def fill(self, name: str, data: np.ndarray) -> None:
        """The next chunk of a reserved array."""
        try:
            self._fill(name, data)
        except OSError as e:
            raise with_path(e, self.path) from None

    def _fill(self, name: str, data: np.ndarray) -> None:
        off, dtype, count, crc = self.directory[name]
        raw = memoryview(np.ascontiguousarray(data, dtype=dtype)).cast("B")
        done = self._filled[name]
        if done + len(raw) > count * np.dtype(dtype).itemsize:
            raise ValueError(f"array {name!r}: more data than reserved")
        _pwrite_all(self._f.fileno(), raw, off + done)
        self._filled[name] = done + len(raw)
        self.directory[name][3] = zlib.crc32(raw, crc)

    def close(self) -> dict:
        """Flushes the file to disk; returns the directory."""
        try:
            return self._close()
        except OSError as e:
            raise with_path(e, self.path) from None

    def _close(self) -> dict:
        for name, done in self._filled.items():
            off, dtype, count, _ = self.directory[name]
            if done != count * np.dtype(dtype).itemsize:
                raise ValueError(f"array {name!r}: {done} bytes written of {count} reserved")
        self._f.seek(0, os.SEEK_END)
        if self._f.tell() < self._pos:  # a reserved array at the end: the file's full length
            self._f.truncate(self._pos)
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        return self.directory

    def abort(self) -> None:
        try:
            self._f.close()
        except OSError:  # (a full disk refuses the buffered rest: the file goes anyway)
            pass


def _pwrite_all(fd: int, data: memoryview, offset: int) -> None:
    while data:
        n = os.pwrite(fd, data, offset)
        data, offset = data[n:], offset + n


class ArrayFile:
    """The arrays of a data file, mapped read-only; each made on first use.
    Damaged if the file does not match its directory (`exact`: the file
    ends where its last array does)."""

    def __init__(self, path: str, directory: dict, exact: bool = True):
        self.path = path
        self.directory = directory
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        if bytes(self._map[:len(MAGIC)]) != MAGIC:
            raise Damaged(path, "not a searchidx array file (its first bytes)")
        self.end = end = _check_directory(path, directory, size)
        if exact and end != size:
            raise Damaged(path, f"{size} bytes, its directory says {end}"
                          + (" (truncated)" if size < end else ""))
        self._arrays: dict[str, np.ndarray] = {}
        self._checked: set[str] = set()

    def __contains__(self, name: str) -> bool:
        return name in self.directory

    def __getitem__(self, name: str) -> np.ndarray:
        arr = self._arrays.get(name)
        if arr is None:
            if name not in self._checked:
                self._first_use(name)
            off, dtype, count, _ = self.directory[name]
            arr = self._arrays[name] = np.frombuffer(self._map, dtype=dtype, count=count, offset=off)
        return arr

    def get(self, name: str):
        return self[name] if name in self.directory else None

    def bytes(self, name: str, start: int = 0, stop: int | None = None) -> bytes:
        """A slice of a byte array as bytes (no numpy scalar per byte)."""
        if name not in self._checked:
            self._first_use(name)
        off, _, count, _ = self.directory[name]
        stop = count if stop is None else stop
        return self._map[off + start:off + stop]

    def view(self, name: str) -> memoryview:
        """A byte array in place, not copied (a term dictionary's text can
        be megabytes; a lookup reads a few bytes of it)."""
        if name not in self._checked:
            self._first_use(name)
        off, _, count, _ = self.directory[name]
        return memoryview(self._map)[off:off + count]

    def check_small(self) -> None:
        """Every array of at most SMALL bytes checked now (as first use would)."""
        for name in self.directory:
            if name not in self._checked:
                self._first_use(name)

    def _first_use(self, name: str) -> None:
        """Checks a small array's CRC-32 (a large one is checked by verify())."""
        off, dtype, count, crc = self.directory[name]
        if count * np.dtype(dtype).itemsize <= SMALL and not self._crc_ok(name):
            raise Damaged(self.path, f"array {name}: checksum mismatch")
        self._checked.add(name)

    def _crc_ok(self, name: str) -> bool:
        off, dtype, count, crc = self.directory[name]
        end = off + count * np.dtype(dtype).itemsize
        view = memoryview(self._map)
        try:
            value = 0
            for a in range(off, end, 64 << 20):  # a chunk at a time, its pages given back
                value = zlib.crc32(view[a:min(a + (64 << 20), end)], value)
                if end - off > SMALL:
                    self.release()
            return value == crc
        finally:
            view.release()

    def verify(self) -> list[str]:
        """The names of arrays whose bytes no longer match their CRC-32
        (reads the whole file)."""
        return [name for name in self.directory if not self._crc_ok(name)]

    def check(self) -> None:
        """Damaged naming the first array whose bytes do not match its CRC-32."""
        for name in self.verify():
            raise Damaged(self.path, f"array {name}: checksum mismatch")
        self._checked.update(self.directory)

    def release(self) -> None:
        """Hands the pages read so far back to the page cache (a merge reads
        whole segments: they need not count as this process's memory)."""
        if isinstance(self._map, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            try:
                self._map.madvise(mmap.MADV_DONTNEED)
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        self._arrays.clear()
        if isinstance(self._map, mmap.mmap):
            try:
                self._map.close()
            except BufferError:  # arrays or views still held (a searcher lent
                pass  # out may still read): unmapped when the last of them goes


_FOOTER = b"SIDXDIR1"


def save(path: str, arrays: dict, meta: dict | None = None) -> None:
    """A self-contained file: the arrays, then their directory and `meta` as
    JSON, then the JSON's offset and a magic word. Written beside and renamed."""
    import json

    tmp = path + ".tmp"
    out = ArrayWriter(tmp)
    try:
        for name, data in arrays.items():
            out.add(name, data)
        directory = dict(out.directory)
        blob = json.dumps({"arrays": directory, "meta": meta or {}}, separators=(",", ":")).encode()
        out._f.seek(out._pos)
        out._f.write(blob + len(blob).to_bytes(8, "little") + zlib.crc32(blob).to_bytes(4, "little")
                     + _FOOTER)
        out._pos += len(blob) + 20
        out.close()
        os.replace(tmp, path)
    except BaseException as e:
        out.abort()
        try:
            os.remove(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise with_path(e, path) from None
        raise


def load(path: str) -> tuple[ArrayFile, dict]:
    """(the arrays, meta) of a file written by save(), every array checked
    (such files are read whole anyway); Damaged if any part is not as written."""
    import json

    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size < len(MAGIC) + 20:
            raise Damaged(path, "truncated")
        f.seek(size - 20)
        tail = f.read(20)
        if tail[12:] != _FOOTER:
            raise Damaged(path, "not a searchidx array file, or truncated")
        n, crc = int.from_bytes(tail[:8], "little"), int.from_bytes(tail[8:12], "little")
        if n > size - 20 - len(MAGIC):
            raise Damaged(path, "its directory's length is wrong")
        f.seek(size - 20 - n)
        blob = f.read(n)
    if zlib.crc32(blob) != crc:
        raise Damaged(path, "checksum mismatch (directory)")
    try:
        head = json.loads(blob)
        arrays, meta = head["arrays"], head["meta"]
    except (ValueError, KeyError, TypeError) as e:
        raise Damaged(path, f"directory unreadable ({type(e).__name__})") from None
    found = ArrayFile(path, arrays, exact=False)
    if found.end > size - 20 - n:
        found.close()
        raise Damaged(path, "arrays overlap the directory")
    found.check()
    return found, meta


def _check_directory(path: str, directory, size: int) -> int:
    """Where the last array ends; Damaged unless every array is numeric,
    aligned, within `size` bytes and apart from the others."""
    if not isinstance(directory, dict):
        raise Damaged(path, "no array directory")
    spans = []
    for name, entry in directory.items():
        try:
            off, dtype, count, crc = entry
            dt = np.dtype(dtype)
            ok = (dt.kind in _KINDS and type(off) is int and type(count) is int
                  and type(crc) is int and off >= len(MAGIC) and off % ALIGN == 0 and count >= 0)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise Damaged(path, f"array {name}: bad directory entry")
        spans.append((off, off + count * dt.itemsize, name))
    spans.sort()
    end = len(MAGIC)
    for a, b, name in spans:
        if a < end:
            raise Damaged(path, f"array {name} overlaps another")
        end = b
    if end > size:
        raise Damaged(path, f"truncated ({size} bytes, its directory needs {end})")
    return end
