"""The index folder on disk: generations, the CURRENT pointer, the writer
lock, version checks.

    index/CURRENT          name of the live generation and its CRC-32, replaced
                           atomically (rewritten by every commit: an open
                           Index sees by one stat that something changed)
    index/gen-000007/      one backend index (its commit names the indexer's
                           manifest and vocabulary files) + meta.json
    index/writer.lock      held (a POSIX record lock) by the one running writer

Incremental runs commit into the live generation (the backend's commit is
atomic). A rebuild writes a new generation beside the
live one and switches CURRENT when it is complete, so a crash at any moment
leaves the old or the new state. The previous generation is kept for readers
still using it and removed by the next writer.

Every file is checked when read (checksums.py); a damaged one raises
Damaged naming it. A rebuild reads nothing of the index it replaces, so it
works from any damaged state.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager

from .. import backend as backends
from .. import checksums
from ..analysis import ANALYSIS_VERSION
from ..checksums import Damaged
from ..errors import IndexBusy, IndexUnusable, NoIndex, damaged

SCHEMA_VERSION = 8  # 2: sort_date; 3: head field; 4: engine package; 5: column-only year/sort_date;
# 6: title/kicker/lead/caption served by head parts; 7: searchidx's own backend (no Whoosh);
# 8: a checksum in every file (CURRENT, meta.json, segment descriptions, the vocabulary)
_GEN = re.compile(r"^gen-(\d{6})$")
META = "meta.json"


class Store:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)

    # -- reading -------------------------------------------------------------
    def current(self) -> str | None:
        """The live generation's folder, or None if there is no index yet;
        Damaged if CURRENT is."""
        path = os.path.join(self.path, "CURRENT")
        try:
            with open(path, "rb") as f:
                raw = f.read(4096)
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise IndexUnusable(f"index path {self.path} is a file, not a folder") from None
        except IsADirectoryError:
            raise Damaged(path, "a folder, not a file") from None
        return os.path.join(self.path, _generation_named(raw, path))

    def live(self) -> str | None:
        """The live generation's folder, or None if there is none or CURRENT is damaged."""
        try:
            return self.current()
        except (Damaged, OSError):
            return None

    def change_key(self):
        """What tells a reader that a commit came (CURRENT is rewritten by
        each): one stat. None if there is no CURRENT."""
        try:
            st = os.stat(os.path.join(self.path, "CURRENT"))
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def open(self):
        """(live generation folder, backend Reader), checking every small file."""
        try:
            return self._open()
        except Damaged as e:
            raise damaged(self.path, e) from None

    def _open(self):
        self.check_usable()
        seen = None
        for attempt in range(5):  # a writer may switch or clean up between our steps
            gen = self.current()
            if gen is None:
                if self._generations():
                    raise Damaged(os.path.join(self.path, "CURRENT"), "missing")
                raise NoIndex(f"no index in {self.path}; run `searchidx index` first")
            try:
                meta = read_meta(gen)
                check_version(meta, self.path)
                return gen, backend_of(meta).reader(gen)
            except FileNotFoundError as e:
                if attempt == 4 or gen == seen:  # (the same generation twice: no race)
                    if not os.path.isdir(gen):
                        raise Damaged(os.path.join(self.path, "CURRENT"),
                                      f"names {os.path.basename(gen)}, which is missing") from None
                    raise Damaged(e.filename or gen, "missing") from None
                seen = gen
                time.sleep(0.05 * (attempt + 1))
            except Damaged:
                raise
            except (OSError, ValueError, KeyError, TypeError) as e:  # garbled files
                raise damaged(self.path, e) from None

    def _generations(self) -> list[str]:
        try:
            return sorted(n for n in os.listdir(self.path) if _GEN.match(n))
        except OSError:
            return []

    def check_usable(self):
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise IndexUnusable(f"index path {self.path} is a file, not a folder")

    # -- writing -------------------------------------------------------------
    @contextmanager
    def writing(self):
        """Hold the writer lock for the duration; a second writer gets IndexBusy."""
        self.check_usable()
        os.makedirs(self.path, exist_ok=True)
        lock_path = os.path.join(self.path, "writer.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                raise IndexBusy(f"another `searchidx index` (pid {holder}) is writing "
                                f"{self.path}; try again when it has finished")
            # A lock left by a killed writer is released by the kernel with the
            # process, so holding it now means nobody else is writing.
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            self._remove_orphans()
            yield self
        finally:
            os.close(fd)

    def new_generation(self) -> str:
        numbers = [int(_GEN.match(n).group(1)) for n in self._generations()]
        gen = os.path.join(self.path, f"gen-{max(numbers, default=0) + 1:06d}")
        shutil.rmtree(gen, ignore_errors=True)
        os.makedirs(gen)
        return gen

    def switch_to(self, gen: str):
        """Make `gen` live atomically, then drop generations older than the
        previous one (all others, if CURRENT was damaged)."""
        previous = self.live()
        path = os.path.join(self.path, "CURRENT")
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        self.announce(gen)
        keep = {os.path.basename(gen)} | ({os.path.basename(previous)} if previous else set())
        for name in os.listdir(self.path):
            if _GEN.match(name) and name not in keep:
                shutil.rmtree(os.path.join(self.path, name), ignore_errors=True)

    def announce(self, gen: str):
        """Writes CURRENT naming `gen`: after a rebuild to switch to it, after
        an incremental commit so that open readers see the change by a stat."""
        name = os.path.basename(gen)
        checksums.write_atomic(os.path.join(self.path, "CURRENT"), checksums.line(name).encode())

    def _remove_orphans(self):
        """Generations newer than CURRENT are leftovers of a killed rebuild
        (with CURRENT damaged, nothing is known to be left over)."""
        cur = self.live()
        if cur is None:
            return
        cur_n = int(_GEN.match(os.path.basename(cur)).group(1))
        for name in os.listdir(self.path):
            if (m := _GEN.match(name)) and int(m.group(1)) > cur_n:
                shutil.rmtree(os.path.join(self.path, name), ignore_errors=True)


def _try_lock(fd) -> bool:
    """A POSIX record lock: unlike flock, it is not inherited by the index
    worker processes, so a killed writer's lock dies with it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: best effort without a lock
        return True
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _generation_named(raw: bytes, path: str) -> str:
    """The generation CURRENT names (`gen-000007<TAB>crc32`); Damaged otherwise.
    A bare name is an older version's CURRENT: its meta.json tells which."""
    if _GEN.match(raw.rstrip(b"\n").decode("ascii", "replace")) and raw.count(b"\n") <= 1:
        return raw.rstrip(b"\n").decode("ascii")
    name = checksums.check_line(raw, path)
    if not _GEN.match(name):
        raise Damaged(path, "names no generation")
    return name


def new_meta(backend_name: str) -> dict:
    """What a generation was written by (its contents' state is in the backend's commit)."""
    from .. import __version__
    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION,
            "searchidx_version": __version__, "backend": backend_name, "created": time.time()}


def read_meta(gen: str) -> dict:
    """A generation's meta.json; Damaged if it is missing or not as written.
    An older version's (no checksum) is returned as it is, for check_version."""
    path = os.path.join(gen, META)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        if not os.path.isdir(gen):
            raise
        raise Damaged(path, "missing") from None
    data = checksums.parse_json(raw, path)
    if isinstance(data, dict) and "crc32" not in data and \
            data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        return data
    return checksums.unseal(data, path)


def write_meta(gen: str, meta: dict):
    checksums.write_json(os.path.join(gen, META), meta)


def backend_of(meta: dict):
    try:
        return backends.get(meta.get("backend", backends.DEFAULT))
    except ValueError as e:
        raise IndexUnusable(f"{e}; run `searchidx index --rebuild`") from None


def check_version(meta: dict, path: str):
    if (meta.get("schema_version"), meta.get("analysis_version")) != (SCHEMA_VERSION,
                                                                      ANALYSIS_VERSION):
        raise IndexUnusable(f"index {path} was written by an incompatible searchidx version; "
                          f"run `searchidx index --rebuild`")
