"""The manifest: for each corpus file, what the index holds of it (stat,
content hash, and per article its id, record hash and format), so that a
run reads only what changed.

Kept as columns in one array file (arrayfile.save): a no-op run over
300,000 files compares stat columns with numpy instead of building a dict
per file. Entries a run changes are held as dicts on top of the columns:

    {"mtime_ns": int, "size": int, "digest": hex, "records": {id: [hash, format]},
     "skipped": reason (a file that gave no article), "retry": True (an id was taken)}
"""
from __future__ import annotations

import numpy as np

from .. import arrayfile, runs

RETRY, SKIPPED, NO_DIGEST = 1, 2, 4
_DIGEST, _HASH = 16, 12  # bytes of a file digest and of a record hash


def _blob(texts: list[str]) -> tuple[bytes, np.ndarray]:
    encoded = [t.encode("utf-8", "surrogateescape") for t in texts]
    off = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=off[1:])
    return b"".join(encoded), off


def _gather(blob: bytes, off: np.ndarray, rows: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The texts `rows` of a blob, as a blob of their bytes and their lengths
    (no text decoded and encoded again: a run that changes one file of
    300,000 keeps the others' bytes)."""
    off = np.asarray(off, np.int64)
    data = np.frombuffer(blob, np.uint8)[_ranges(off, rows)].tobytes()
    return data, (off[1:] - off[:-1])[rows]


def _texts(blob: bytes, off: np.ndarray) -> list[str]:
    off = off.tolist()
    text = blob.decode("utf-8", "surrogateescape")
    if len(text) == len(blob):  # all ASCII: character offsets are byte offsets
        return [text[a:b] for a, b in zip(off, off[1:])]
    return [blob[a:b].decode("utf-8", "surrogateescape") for a, b in zip(off, off[1:])]


class Manifest:
    def __init__(self):
        self.keys: list[str] = []           # committed rows
        self.mtime = np.zeros(0, np.int64)
        self.size = np.zeros(0, np.int64)
        self.flags = np.zeros(0, np.uint8)
        self.counts = np.zeros(0, np.int64)  # records per row
        self._digest = np.zeros((0, _DIGEST), np.uint8)
        self._rec_start = np.zeros(1, np.int64)
        self._rec_blob, self._rec_off = b"", np.zeros(1, np.int64)
        self._key_blob, self._key_off = None, None  # the committed keys' bytes (load)
        self._rec_ids: list[str] | None = None
        self._rec_hash = np.zeros((0, _HASH), np.uint8)
        self._rec_fmt = np.zeros(0, np.uint8)
        self._formats: list[str] = []
        self._skipped: dict[str, str] = {}
        self._row: dict[str, int] | None = None
        self._changed: dict[str, dict] = {}  # this run's entries
        self._removed: set[str] = set()
        self._bulk: list[tuple] = []  # this run's new plain files, as columns (add_rows)

    # -- file -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str) -> Manifest:
        arrays, meta = arrayfile.load(path)
        m = cls()
        m._key_blob, m._key_off = arrays.bytes("keys"), np.array(arrays["keys.off"])
        m.keys = _texts(m._key_blob, m._key_off)
        m.mtime, m.size = np.array(arrays["mtime"]), np.array(arrays["size"])
        m.flags = np.array(arrays["flags"])
        m._digest = np.array(arrays["digest"]).reshape(-1, _DIGEST)
        m._rec_start = np.array(arrays["rec.start"])
        m.counts = np.diff(m._rec_start)
        m._rec_blob, m._rec_off = arrays.bytes("rec.ids"), np.array(arrays["rec.ids.off"])
        m._rec_hash = np.array(arrays["rec.hash"]).reshape(-1, _HASH)
        m._rec_fmt = np.array(arrays["rec.format"])
        m._formats = meta["formats"]
        m._skipped = meta["skipped"]
        arrays.close()
        if not (len(m.keys) == len(m.mtime) == len(m.size) == len(m.flags) == len(m.counts)):
            raise ValueError(f"{path}: columns of different lengths")
        return m

    def save(self, path: str) -> None:
        keys, mtime, size, flags, digest, counts = [], [], [], [], [], []
        rec_ids, rec_hash, rec_fmt = [], [], []
        formats = {f: i for i, f in enumerate(self._formats)}
        skipped: dict[str, str] = {}
        kept = self._kept()
        gone = self._changed.keys() | self._removed
        # the committed rows kept, as columns (their keys and ids as bytes)
        if self._key_blob is not None and len(self._key_off) == len(self.keys) + 1:
            kept_keys = _gather(self._key_blob, self._key_off, kept)
        else:
            blob, off = _blob([self.keys[i] for i in kept.tolist()])
            kept_keys = (blob, np.diff(off))
        mtime, size, flags = [self.mtime[kept]], [self.size[kept]], [self.flags[kept]]
        digest, counts = [self._digest[kept]], [self.counts[kept]]
        rec = _ranges(self._rec_start, kept)
        kept_ids = _gather(self._rec_blob, self._rec_off, rec)
        rec_hash, rec_fmt = [self._rec_hash[rec]], [self._rec_fmt[rec]]
        skipped.update((k, why) for k, why in self._skipped.items() if k not in gone)
        # then the rows added as columns
        for scan, index, dig, hsh, fm, names in self._bulk:
            new_keys = [scan.keys[i] for i in index.tolist()]
            keys += new_keys
            mtime.append(np.frombuffer(scan.mtimes, np.int64)[index])
            size.append(np.frombuffer(scan.sizes, np.int64)[index])
            flags.append(np.zeros(len(index), np.uint8))
            digest.append(dig)
            counts.append(np.ones(len(index), np.int64))
            rec_ids += [k.rsplit(".", 1)[0] for k in new_keys]
            rec_hash.append(hsh)
            code = np.asarray([formats.setdefault(f, len(formats)) for f in names], np.uint8)
            rec_fmt.append(code[fm])
        # then this run's entries
        for key, e in self._changed.items():
            keys.append(key)
            f = (RETRY if e.get("retry") else 0) | (SKIPPED if e.get("skipped") else 0) | \
                (0 if e["digest"] else NO_DIGEST)
            mtime.append([e["mtime_ns"]])
            size.append([e["size"]])
            flags.append([f])
            digest.append(np.frombuffer(bytes.fromhex(e["digest"]) if e["digest"] else bytes(_DIGEST),
                                        np.uint8).reshape(1, _DIGEST))
            counts.append([len(e["records"])])
            if e.get("skipped"):
                skipped[key] = e["skipped"]
            for rid, (h, fmt) in e["records"].items():
                rec_ids.append(rid)
                rec_hash.append(np.frombuffer(bytes.fromhex(h) if h else bytes(_HASH),
                                              np.uint8).reshape(1, _HASH))
                rec_fmt.append([formats.setdefault(fmt, len(formats))])
        key_blob, key_off = _join(kept_keys, keys)
        id_blob, id_off = _join(kept_ids, rec_ids)
        counts_ = np.concatenate([np.asarray(c, np.int64) for c in counts])
        rec_start = np.zeros(len(counts_) + 1, np.int64)
        np.cumsum(counts_, out=rec_start[1:])
        arrayfile.save(path, {
            "keys": key_blob, "keys.off": key_off,
            "mtime": np.concatenate([np.asarray(x, np.int64) for x in mtime]),
            "size": np.concatenate([np.asarray(x, np.int64) for x in size]),
            "flags": np.concatenate([np.asarray(x, np.uint8) for x in flags]),
            "digest": np.concatenate(digest).reshape(-1),
            "rec.start": rec_start, "rec.ids": id_blob, "rec.ids.off": id_off,
            "rec.hash": np.concatenate(rec_hash).reshape(-1) if rec_hash else np.zeros(0, np.uint8),
            "rec.format": np.concatenate([np.asarray(x, np.uint8) for x in rec_fmt])
            if rec_fmt else np.zeros(0, np.uint8),
        }, {"formats": list(formats), "skipped": skipped})

    def add_rows(self, scan, index: np.ndarray, digest: bytes, hashes: bytes, fmt: bytes,
                 formats: list[str]) -> None:
        """New files with one article each, whose id is the file's own
        (key without suffix): their numbers in `scan` and columns (digests
        16 bytes each, record hashes 12 bytes each, format numbers into
        `formats`). Kept as columns, seen by save() and formats()."""
        self._bulk.append((scan, index, np.frombuffer(digest, np.uint8).reshape(-1, _DIGEST),
                           np.frombuffer(hashes, np.uint8).reshape(-1, _HASH),
                           np.frombuffer(fmt, np.uint8), formats))

    # -- columns ----------------------------------------------------------------------

    def _kept(self) -> np.ndarray:
        """The committed rows this run neither changed nor removed."""
        gone = self._changed.keys() | self._removed
        if not gone:
            return np.arange(len(self.keys), dtype=np.int64)
        if self._row is not None:
            keep = np.ones(len(self.keys), bool)
            keep[[self._row[k] for k in gone if k in self._row]] = False
            return np.flatnonzero(keep)
        return np.array([i for i, k in enumerate(self.keys) if k not in gone], dtype=np.int64)

    def rows(self, keys: list[str]) -> np.ndarray:
        """Each key's committed row, or -1 (new, or changed or removed in this run)."""
        if self._row is None:
            self._row = {k: i for i, k in enumerate(self.keys)}
        get = self._row.get
        rows = np.fromiter((get(k, -1) for k in keys), np.int64, len(keys))
        if self._changed or self._removed:
            for i, k in enumerate(keys):
                if k in self._changed or k in self._removed:
                    rows[i] = -1
        return rows

    def record_ids_all(self) -> list[str]:
        if self._rec_ids is None:
            self._rec_ids = _texts(self._rec_blob, self._rec_off)
        return self._rec_ids

    def record_ids(self, rows: np.ndarray) -> list[str]:
        """The article ids of these committed rows."""
        ids = self.record_ids_all()
        return [ids[i] for i in _ranges(self._rec_start, rows).tolist()]

    def formats(self) -> dict[str, int]:
        """Articles per format."""
        kept = self._kept()
        found = np.bincount(self._rec_fmt[_ranges(self._rec_start, kept)],
                            minlength=len(self._formats))
        counts = {f: int(n) for f, n in zip(self._formats, found.tolist()) if n}
        for _, _, _, _, fm, names in self._bulk:
            for code, n in enumerate(np.bincount(fm, minlength=len(names)).tolist()):
                if n:
                    counts[names[code]] = counts.get(names[code], 0) + n
        for e in self._changed.values():
            for _, fmt in e["records"].values():
                counts[fmt] = counts.get(fmt, 0) + 1
        return counts

    # -- entries as dicts ---------------------------------------------------------------

    def _entry(self, i: int) -> dict:
        key = self.keys[i]
        digest = "" if self.flags[i] & NO_DIGEST else self._digest[i].tobytes().hex()
        ids = self.record_ids_all()
        a, b = int(self._rec_start[i]), int(self._rec_start[i + 1])
        e = {"mtime_ns": int(self.mtime[i]), "size": int(self.size[i]), "digest": digest,
             "records": {ids[j]: [self._rec_hash[j].tobytes().hex()
                                  if self._rec_hash[j].any() else "",
                                  self._formats[self._rec_fmt[j]]] for j in range(a, b)}}
        if self.flags[i] & SKIPPED:
            e["skipped"] = self._skipped.get(key, "skipped")
        if self.flags[i] & RETRY:
            e["retry"] = True
        return e

    def get(self, key: str, default=None):
        if key in self._changed:
            return self._changed[key]
        if key in self._removed:
            return default
        if self._row is None:
            self._row = {k: i for i, k in enumerate(self.keys)}
        i = self._row.get(key)
        return default if i is None else self._entry(i)

    def __getitem__(self, key: str) -> dict:
        e = self.get(key)
        if e is None:
            raise KeyError(key)
        return e

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __setitem__(self, key: str, entry: dict) -> None:
        self._removed.discard(key)
        self._changed[key] = entry

    def pop(self, key: str, default=None):
        e = self.get(key, default)
        self._changed.pop(key, None)
        self._removed.add(key)
        return e

    def __iter__(self):
        for k in self.keys:
            if k not in self._changed and k not in self._removed:
                yield k
        for scan, index, *_ in self._bulk:
            yield from (scan.keys[i] for i in index.tolist())
        yield from self._changed

    def removed_rows(self, seen: np.ndarray) -> list[str]:
        """Keys of committed rows not in `seen` (a bool per row)."""
        return [self.keys[i] for i in np.flatnonzero(~seen).tolist()]


def _join(kept: tuple[bytes, np.ndarray], texts: list[str]) -> tuple[bytes, np.ndarray]:
    """A blob and offsets: the kept texts' bytes, then `texts`."""
    blob, off = _blob(texts)
    lengths = np.concatenate([np.asarray(kept[1], np.int64), np.diff(off)])
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return kept[0] + blob, offsets


def _ranges(starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The indexes of rows' ranges [starts[r], starts[r + 1]), concatenated."""
    rows = np.asarray(rows, np.int64)
    a = starts[rows]
    return runs.indexes(a, starts[rows + 1] - a)
