"""searchidx's own engine: segments of numpy arrays read in place through
mmap (../../arrayfile.py, segment.py, terms.py), written from an in-memory
buffer (buffer.py) and merged in bounded memory (merge.py), with atomic
commits (commits.py); queries are evaluated a posting list at a time
(scoring.py), the top k of word queries without scoring every posting
(pruning.py, on blocks.py's block maxima)."""
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

    def verify(self, path: str) -> tuple[list[str], list]:
        """(the files checked, the damaged ones as checksums.Damaged): the
        commit, and each segment's description, data file (every array's
        CRC-32, its fields' structure) and deletions."""
        from ...checksums import Damaged
        from .segment import Segment

        files = [commits.COMMIT]
        try:
            body = commits.read(path)
        except Damaged as e:
            return files, [e]
        if body is None:
            return files, [Damaged(os.path.join(path, commits.COMMIT), "missing")]
        found = []
        for entry in body["segments"]:
            files += sorted(commits.files_of({"segments": [entry]}))
            try:
                seg = Segment(path, entry["name"], entry.get("deleted"))
            except FileNotFoundError as e:
                found.append(Damaged(e.filename or entry["name"], "missing"))
                continue
            except Damaged as e:
                found.append(e)
                continue
            try:
                for name in seg.meta["fields"]:
                    seg.field(name)
                bad = seg.arrays.verify()
                if bad:
                    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
                    found.append(Damaged(seg.arrays.path, f"array {bad[0]}{more}: checksum mismatch"))
            except Damaged as e:
                found.append(e)
            finally:
                seg.arrays.release()
                seg.close()
        return files, found


BACKEND = NativeBackend()
