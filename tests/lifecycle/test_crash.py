"""Crash safety: kill -9 a writer at any moment; readers keep working and the next
`searchidx index` brings the index back to a correct state.

Each test collects everything it observes and fails once, at the end, with the
whole story (exit codes, stderr, lock holder, leftover worker processes)."""
from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from life_helpers import (N_ARTICLES, copy_tree, current, generations, group_pids,
                          index_json, kill_group_members, lock_holder, search, start_cli,
                          stats, wait_group_gone)

CRASH_WORD = "Kängurukrawall"


def _kill_at(proc, seconds):
    """SIGKILL the main process (only it, as `kill -9 PID` does) after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def _after_crash(ix, corpus, proc, problems: list[str], expect_changed: int | None = None):
    """The checks after each kill; appends what went wrong to `problems`."""
    # Workers die with their parent (PR_SET_PDEATHSIG); the kernel delivers that
    # signal asynchronously, so allow them a moment to go.
    wait_group_gone(proc.pid, 2)
    survivors = group_pids(proc.pid)
    if survivors:
        problems.append(f"{len(survivors)} worker process(es) {survivors} of the killed writer "
                        f"pid {proc.pid} still running; writer.lock says {lock_holder(ix)!r}")
    p, res = search(ix, "Regierung")
    if p.returncode != 0 or not res or not res["total"]:
        problems.append(f"search after kill: exit {p.returncode}, stderr {p.stderr.strip()!r}")
    p, rep = index_json(corpus, ix, check=None)
    if p.returncode != 0:
        problems.append(f"next `searchidx index` right after the kill: exit {p.returncode}, "
                        f"stderr {p.stderr.strip()!r}")
        gone = wait_group_gone(proc.pid, 30)
        problems.append(f"  leftover workers exited {gone and round(gone, 1)} s later"
                        if gone is not None else "  leftover workers still alive after 30 s")
        kill_group_members(proc.pid)
        p, rep = index_json(corpus, ix, check=None)
        if p.returncode != 0:
            problems.append(f"`searchidx index` after the workers are gone: exit {p.returncode}, "
                            f"stderr {p.stderr.strip()!r}")
            return
    kill_group_members(proc.pid)
    st = stats(ix)
    if st["documents"] != N_ARTICLES:
        problems.append(f"documents after recovery: {st['documents']} != {N_ARTICLES} (report {rep})")
    newer = [g for g in generations(ix) if g > current(ix)]
    if newer:
        problems.append(f"generations newer than CURRENT left behind: {newer}")
    _, again = index_json(corpus, ix, check=None)
    if not again or (again["added"], again["updated"], again["deleted"],
                     again["unchanged"]) != (0, 0, 0, N_ARTICLES):
        problems.append(f"a further run is not a no-op: {again}")
    if expect_changed is not None:
        _, res = search(ix, CRASH_WORD, "--limit", "0", "--no-correct")
        if not res or res["total"] != expect_changed:
            problems.append(f"{CRASH_WORD!r} finds {res and res['total']} articles, "
                            f"expected the {expect_changed} changed ones")


@pytest.mark.parametrize("fraction", [0.15, 0.50, 0.85])
def test_kill_rebuild(fraction, built, rebuild_run, tmp_path):
    duration = rebuild_run.wall
    for attempt in range(3):  # machine load varies: if it ends first, retry with its own time
        ix = copy_tree(built.ix, tmp_path / f"index{attempt}")
        at = fraction * duration
        t0 = time.monotonic()
        proc = start_cli("index", built.corpus, "--index", ix, "--rebuild", "--quiet")
        try:
            if _kill_at(proc, at):
                problems: list[str] = [f"killed at {at:.1f} s of {duration:.1f} s; "
                                       f"folders {generations(ix)}, CURRENT {current(ix)}"]
                _after_crash(ix, built.corpus, proc, problems)
                break
            assert proc.wait() == 0, proc.stderr.read()
            duration = min(duration, time.monotonic() - t0)
        finally:
            kill_group_members(proc.pid)
    else:
        raise AssertionError(f"the rebuild always ended before {fraction:.0%} of its duration")
    assert len(problems) == 1, "\n".join(problems)


def _change_files(corpus, n=300, word=CRASH_WORD):
    files = sorted((corpus / "copy001").glob("*.txt"))[:n]
    for f in files:
        with open(f, "a", encoding="utf-8") as fh:
            fh.write(f"\nNachtrag: {word} im Stadtpark.\n")
    return len(files)


def test_kill_incremental(ix_copy, tmp_path):
    # Measure one incremental run with ~300 changed files ...
    ix, corpus = ix_copy(with_corpus=True)
    n = _change_files(corpus)
    t0 = time.monotonic()
    _, rep = index_json(corpus, ix)
    wall = time.monotonic() - t0
    assert (rep["updated"], rep["unchanged"]) == (n, N_ARTICLES - n), rep

    # ... then kill the same run on fresh copies at half that time.
    shutil.rmtree(ix)
    shutil.rmtree(corpus)
    ix, corpus = ix_copy(with_corpus=True)
    _change_files(corpus)
    proc = start_cli("index", corpus, "--index", ix, "--quiet")
    try:
        killed = _kill_at(proc, 0.5 * wall)
        assert killed, f"the incremental run ended before {0.5 * wall:.2f} s"
        problems = [f"killed at {0.5 * wall:.2f} s of {wall:.2f} s"]
        _after_crash(ix, corpus, proc, problems, expect_changed=n)
    finally:
        kill_group_members(proc.pid)
    assert len(problems) == 1, "\n".join(problems)
