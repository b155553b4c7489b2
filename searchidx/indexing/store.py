"""The index folder on disk: generations, the CURRENT pointer, the writer
lock, version and trust checks.

    index/CURRENT          name of the live generation, replaced atomically
    index/gen-000007/      one backend index (its commit names the indexer's
                           manifest and vocabulary files) + meta.json
    index/writer.lock      held (a POSIX record lock) by the one running writer

Incremental runs commit into the live generation (the backend's commit is
atomic). A rebuild writes a new generation beside the
live one and switches CURRENT when it is complete, so a crash at any moment
leaves the old or the new state. The previous generation is kept for readers
still using it and removed by the next writer.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from contextlib import contextmanager

from .. import backend as backends
from ..analysis import ANALYSIS_VERSION
from ..errors import IndexBusy, IndexUnusable, NoIndex, damaged

SCHEMA_VERSION = 7  # 2: sort_date; 3: head field; 4: engine package; 5: column-only year/sort_date;
# 6: title/kicker/lead/caption served by head parts; 7: searchidx's own backend (no Whoosh)
_GEN = re.compile(r"^gen-(\d{6})$")
META = "meta.json"


class Store:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)

    # -- reading -------------------------------------------------------------
    def current(self) -> str | None:
        """The live generation's folder, or None if there is no index yet."""
        try:
            with open(os.path.join(self.path, "CURRENT"), encoding="utf-8") as f:
                name = f.read().strip()
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise IndexUnusable(f"index path {self.path} is a file, not a folder") from None
        return os.path.join(self.path, name) if _GEN.match(name) else None

    def open(self):
        """(live generation folder, backend Reader), checking trust and version."""
        self.check_usable()
        for attempt in range(5):  # a writer may switch or clean up between our steps
            gen = self.current()
            if gen is None:
                raise NoIndex(f"no index in {self.path}; run `searchidx index` first")
            check_trusted(gen)
            meta = read_meta(gen)
            check_version(meta, self.path)
            try:
                return gen, backend_of(meta).reader(gen)
            except FileNotFoundError as e:
                if attempt == 4:
                    raise IndexUnusable(f"cannot open index {self.path}: {e}") from e
                time.sleep(0.05 * (attempt + 1))
            except (OSError, ValueError, KeyError, TypeError) as e:  # garbled files
                raise damaged(self.path, e) from None

    def check_usable(self):
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise IndexUnusable(f"index path {self.path} is a file, not a folder")
        if os.path.isdir(self.path):
            check_trusted(self.path)

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
        numbers = [int(m.group(1)) for n in os.listdir(self.path) if (m := _GEN.match(n))]
        gen = os.path.join(self.path, f"gen-{max(numbers, default=0) + 1:06d}")
        shutil.rmtree(gen, ignore_errors=True)
        os.makedirs(gen)
        return gen

    def switch_to(self, gen: str):
        """Make `gen` live atomically, then drop generations older than the previous one."""
        previous = self.current()
        _write_atomic(os.path.join(self.path, "CURRENT"), os.path.basename(gen) + "\n")
        keep = {os.path.basename(gen)} | ({os.path.basename(previous)} if previous else set())
        for name in os.listdir(self.path):
            if _GEN.match(name) and name not in keep:
                shutil.rmtree(os.path.join(self.path, name), ignore_errors=True)

    def _remove_orphans(self):
        """Generations newer than CURRENT are leftovers of a killed rebuild."""
        cur = self.current()
        cur_n = int(_GEN.match(os.path.basename(cur)).group(1)) if cur else 0
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


def check_trusted(path: str):
    """Whoosh unpickles the schema: an index folder must be trusted like code."""
    mode = os.stat(path).st_mode
    if mode & stat.S_IWOTH:
        raise IndexUnusable(f"refusing to use index {path}: it is world-writable, and an index "
                          f"is loaded with pickle (like code); run `chmod o-w {path}`")


def new_meta(backend_name: str) -> dict:
    """What a generation was written by (its contents' state is in the backend's commit)."""
    from .. import __version__
    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION,
            "searchidx_version": __version__, "backend": backend_name, "created": time.time()}


def read_meta(gen: str) -> dict:
    try:
        with open(os.path.join(gen, META), encoding="utf-8") as f:
            meta = json.load(f)
        return meta if isinstance(meta, dict) else {}
    except (FileNotFoundError, ValueError):
        return {}


def backend_of(meta: dict):
    return backends.get(meta.get("backend", backends.DEFAULT))


def check_version(meta: dict, path: str):
    if (meta.get("schema_version"), meta.get("analysis_version")) != (SCHEMA_VERSION,
                                                                      ANALYSIS_VERSION):
        raise IndexUnusable(f"index {path} was written by an incompatible searchidx version; "
                          f"run `searchidx index --rebuild`")


def write_json(path: str, data):
    _write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _write_atomic(path: str, text: str):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
