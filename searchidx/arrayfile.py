"""Files of named numpy arrays, one after another, each aligned to 64 bytes,
read in place through mmap (nothing is copied or parsed when a file opens:
a search touches only the pages it reads).

The directory (name -> offset, dtype, length, CRC-32) is kept by the
caller (a segment's JSON file), or at the end of the file itself (save /
load: the manifest). The CRC-32s let a merge or `verify` find damage; a
search does not read whole arrays to check them.
"""
from __future__ import annotations

import mmap
import os
import zlib

import numpy as np

ALIGN = 64
MAGIC = b"SIDXARR1"


class ArrayWriter:
    def __init__(self, path: str):
        self.path = path
        self._f = open(path, "wb")
        self._f.write(MAGIC)
        self._pos = len(MAGIC)
        self.directory: dict[str, list] = {}
        self._filled: dict[str, int] = {}

    def add(self, name: str, data) -> None:
        """`data`: a numpy array (written as its dtype, C order) or bytes."""
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
        self._f.close()


def _pwrite_all(fd: int, data: memoryview, offset: int) -> None:
    while data:
        n = os.pwrite(fd, data, offset)
        data, offset = data[n:], offset + n


class ArrayFile:
    """The arrays of a data file, mapped read-only; each made on first use."""

    def __init__(self, path: str, directory: dict):
        self.path = path
        self.directory = directory
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        if bytes(self._map[:len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path}: not a searchidx segment data file")
        end = max((off + count * np.dtype(dt).itemsize for off, dt, count, _ in directory.values()),
                  default=0)
        if end > size:
            raise ValueError(f"{path}: truncated ({size} bytes, the directory needs {end})")
        self._arrays: dict[str, np.ndarray] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.directory

    def __getitem__(self, name: str) -> np.ndarray:
        arr = self._arrays.get(name)
        if arr is None:
            off, dtype, count, _ = self.directory[name]
            arr = self._arrays[name] = np.frombuffer(self._map, dtype=dtype, count=count, offset=off)
        return arr

    def get(self, name: str):
        return self[name] if name in self.directory else None

    def bytes(self, name: str, start: int = 0, stop: int | None = None) -> bytes:
        """A slice of a byte array as bytes (no numpy scalar per byte)."""
        off, _, count, _ = self.directory[name]
        stop = count if stop is None else stop
        return self._map[off + start:off + stop]

    def verify(self) -> list[str]:
        """The names of arrays whose bytes no longer match their CRC-32."""
        return [name for name, (off, dtype, count, crc) in self.directory.items()
                if zlib.crc32(self._map[off:off + count * np.dtype(dtype).itemsize]) != crc]

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
            except BufferError:  # arrays still referenced elsewhere: unmapped when they go
                pass


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
    except BaseException:
        out.abort()
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    os.replace(tmp, path)


def load(path: str) -> tuple[ArrayFile, dict]:
    """(the arrays, meta) of a file written by save(); ValueError if damaged."""
    import json

    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size < len(MAGIC) + 20:
            raise ValueError(f"{path}: truncated")
        f.seek(size - 20)
        tail = f.read(20)
        if tail[12:] != _FOOTER:
            raise ValueError(f"{path}: not a searchidx array file, or truncated")
        n, crc = int.from_bytes(tail[:8], "little"), int.from_bytes(tail[8:12], "little")
        f.seek(size - 20 - n)
        blob = f.read(n)
    if zlib.crc32(blob) != crc:
        raise ValueError(f"{path}: damaged (checksum)")
    head = json.loads(blob)
    return ArrayFile(path, head["arrays"]), head["meta"]
