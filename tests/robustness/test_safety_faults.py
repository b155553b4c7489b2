"""Issue 19, failures 3 and 7: a full disk or a killed worker leaves the index
as it was, and says so in one line naming the path; a long-lived Index
follows the index as it changes.

3. After ENOSPC, partial files stayed in the live generation, every later run
   failed, and the message named no path ("searchidx: : No space left on device").
7. A program holding an Index never saw new articles; after two rebuilds its
   stats() raised, after the folder was removed TypeError; a killed index
   worker ended the run with exit 3.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys

import pytest

from searchidx import Index, arrayfile
from searchidx.errors import NoIndex, RunFailed
from searchidx.indexing import indexer

from safety_helpers import WORD, copy, env_without_index, files, total


def _new_files(corpus, n: int, word: str = "Schwalbenschwanz"):
    for i in range(n):
        (corpus / f"neu{i:04d}.txt").write_text(f"Neu {i}\n\nEin {word} Nummer {i}.\n",
                                                encoding="utf-8")


def _full_disk_at(monkeypatch, k: int):
    """os.fsync fails with ENOSPC at its k-th call (every file the index
    writes is synced: segment data, descriptions, manifest, vocabulary,
    commit, CURRENT)."""
    real, calls = os.fsync, [0]

    def fsync(fd):
        calls[0] += 1
        if calls[0] == k:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


# -- 3. a full disk ------------------------------------------------------------------

@pytest.mark.parametrize("rebuild", [False, True])
def test_a_full_disk_at_every_write_leaves_the_index_as_it_was(small, tmp_path, monkeypatch,
                                                               rebuild):
    corpus = copy(small[0], tmp_path / "corpus")
    _new_files(corpus, 3)
    failed = 0
    for k in range(1, 60):  # the k-th write fails
        ix = copy(small[1], tmp_path / f"index-{k}")
        before = files(ix)
        calls = _full_disk_at(monkeypatch, k)
        try:
            Index(str(ix)).index([str(corpus)], jobs=1, rebuild=rebuild)
        except RunFailed as e:
            monkeypatch.undo()
            failed += 1
            message = str(e)
            assert f"{ix}{os.sep}" in message and "No space left on device" in message, message
            assert "the index is as it was before this run" in message
            assert files(ix) == before, k  # no partial file left, none lost
            assert total(ix, "Schwalbenschwanz") == 0
            Index(str(ix)).index([str(corpus)], jobs=1, rebuild=rebuild)  # with room: it works
            assert total(ix, "Schwalbenschwanz") == 3 and total(ix) == 4
            continue
        monkeypatch.undo()
        assert total(ix, "Schwalbenschwanz") == 3  # (the sync of a folder may fail)
        if calls[0] < k:  # a run with fewer writes: every one has failed once
            break
    assert failed >= 5  # segment data, its description, manifest, vocabulary, commit (, meta, CURRENT)


def test_a_full_disk_in_the_middle_of_a_segment(small, ix, tmp_path, monkeypatch):
    corpus = copy(small[0], tmp_path / "corpus")
    _new_files(corpus, 3)
    before = files(ix)
    real, calls = arrayfile.ArrayWriter._add, [0]

    def add(self, name, data):
        calls[0] += 1
        if calls[0] == 7:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, name, data)

    monkeypatch.setattr(arrayfile.ArrayWriter, "_add", add)
    with pytest.raises(RunFailed, match=r"\.dat: No space left on device"):
        Index(str(ix)).index([str(corpus)], jobs=1)
    monkeypatch.undo()
    assert files(ix) == before
    Index(str(ix)).index([str(corpus)], jobs=1)
    assert total(ix, "Schwalbenschwanz") == 3


FULL_DISK = """
import errno, os, sys
real, calls = os.fsync, [0]
def fsync(fd):
    calls[0] += 1
    if calls[0] == 1:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real(fd)
os.fsync = fsync
sys.argv = ["searchidx"] + sys.argv[1:]
from searchidx.cli import run
run()
"""


def test_a_full_disk_on_the_command_line(small, ix, tmp_path):
    corpus = copy(small[0], tmp_path / "corpus")
    _new_files(corpus, 1)
    before = files(ix)
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, "index", str(corpus), "--index",
                           str(ix)], capture_output=True, text=True, env=env_without_index())
    assert proc.returncode == 2, proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert line.startswith(f"searchidx: {ix}{os.sep}gen-") and "No space left on device" in line
    assert line.endswith("free some space and run `searchidx index` again"), line
    assert files(ix) == before


# -- 7. a killed worker ----------------------------------------------------------------

def _kill_a_worker(monkeypatch):
    real, parent = indexer._articles_of, os.getpid()

    def dies(item, *args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, *args)

    monkeypatch.setattr(indexer, "_articles_of", dies)
    monkeypatch.setattr(indexer, "MIN_PARALLEL", 50)
    monkeypatch.setattr(indexer, "DOCS_PER_WORKER", 10)


def test_a_killed_worker_fails_the_run_in_one_line_and_changes_nothing(small, ix, tmp_path,
                                                                        monkeypatch):
    corpus = copy(small[0], tmp_path / "corpus")
    _new_files(corpus, 60)
    before = files(ix)
    _kill_a_worker(monkeypatch)
    with pytest.raises(RunFailed) as e:
        Index(str(ix)).index([str(corpus)], jobs=2)
    assert "killed by signal 9" in str(e.value) and "as it was before this run" in str(e.value)
    monkeypatch.undo()
    assert files(ix) == before
    assert total(ix, "Schwalbenschwanz") == 0
    Index(str(ix)).index([str(corpus)], jobs=2)
    assert total(ix, "Schwalbenschwanz") == 60


KILLED_WORKER = """
import os, signal, sys
from searchidx.indexing import indexer
real, parent = indexer._articles_of, os.getpid()
def dies(item, *args):
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(item, *args)
indexer._articles_of, indexer.MIN_PARALLEL, indexer.DOCS_PER_WORKER = dies, 50, 10
sys.argv = ["searchidx"] + sys.argv[1:]
from searchidx.cli import run
run()
"""


def test_a_killed_worker_on_the_command_line(small, ix, tmp_path):
    corpus = copy(small[0], tmp_path / "corpus")
    _new_files(corpus, 60)
    proc = subprocess.run([sys.executable, "-c", KILLED_WORKER, "index", str(corpus), "--index",
                           str(ix), "--jobs", "2", "--rebuild"], capture_output=True, text=True,
                          env=env_without_index())
    assert proc.returncode == 2, proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert "index worker stopped (killed by signal 9)" in line, line
    assert sorted(p.name for p in ix.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]


# -- 7. readers follow the index --------------------------------------------------------

def test_an_open_index_sees_each_commit_and_old_searchers_stay_usable(small, ix, tmp_path):
    corpus = copy(small[0], tmp_path / "corpus")
    reader = Index(str(ix))
    assert reader.search(WORD).total == 4
    held = reader.searcher()
    (corpus / "neu.txt").write_text("Neu\n\nNoch ein Zitronenfalter.\n", encoding="utf-8")
    Index(str(ix)).index([str(corpus)], jobs=1)  # an incremental commit
    assert reader.search(WORD).total == 5
    assert held.search(WORD).total == 4  # a point in time, still readable
    for _ in range(2):  # two rebuilds: the generation it had is gone
        Index(str(ix)).index([str(corpus)], jobs=1, rebuild=True)
    assert reader.stats()["documents"] == 8
    assert reader.search(WORD).total == 5
    with reader.held():  # a batch: one point in time
        (corpus / "neu2.txt").write_text("Neu\n\nZitronenfalter!\n", encoding="utf-8")
        Index(str(ix)).index([str(corpus)], jobs=1)
        assert reader.search(WORD).total == 5
    assert reader.search(WORD).total == 6
    shutil.rmtree(ix)
    with pytest.raises(NoIndex, match="no index"):
        reader.search(WORD)
    with pytest.raises(NoIndex):
        reader.stats()
