"""searchidx's own engine: segments of numpy arrays read in place through
mmap (arrays.py, segment.py), written from an in-memory buffer (buffer.py)
and merged in bounded memory (merge.py), with atomic commits (commits.py);
queries are evaluated a posting list at a time (scoring.py)."""
from __future__ import annotations

import os

from . import commits
from .reader import NativeReader


class NativeBackend:
    name = "native"

    def exists(self, path: str) -> bool:
        return os.path.exists(os.path.join(path, commits.COMMIT))

    def create(self, path: str) -> None:
        os.makedirs(path, exist_ok=True)
        if not self.exists(path):
            commits.write(path, {"generation": 0, "segments": [], "user_data": {},
                                 "previous_files": []})

    def writer(self, path: str, memory: int):
        from .writer import NativeWriter  # (a search never writes)

        return NativeWriter(path, memory)

    def reader(self, path: str) -> NativeReader:
        return NativeReader(path)

    def user_data(self, path: str) -> dict:
        body = commits.read(path)
        return body.get("user_data", {}) if body else {}


BACKEND = NativeBackend()
