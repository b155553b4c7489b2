"""Readers during a write, and two writers at once."""
from __future__ import annotations

import json
import subprocess
import threading
import time

from life_helpers import (CLI, ENV, N_ARTICLES, dead_pid, index_json, kill_group_members,
                          lock_holder, one_line_error, search, start_cli, stats)
from support import run_cli

QUERIES = ["Regierung", "Wahlen", "Polizei", "Fußball", "Präsident"]


def _cli_search(ix, q):
    p = subprocess.run([*CLI, "search", q, "--index", str(ix), "--format", "json", "-n", "3"],
                       capture_output=True, text=True, env=ENV, timeout=120)
    ok = p.returncode == 0 and "Traceback" not in p.stderr and json.loads(p.stdout)["total"] > 0
    return ok, f"cli {q!r}: exit {p.returncode} {p.stderr.strip()[-300:]!r}"


def _api_search(ix, q):
    from searchidx import Index
    try:
        with Index(str(ix)) as idx:  # a fresh Index each time: opens the live generation
            r = idx.search(q, limit=3)
        return r.total > 0, f"api {q!r}: total {r.total}"
    except Exception as e:  # noqa: BLE001 - any failure is what we look for
        return False, f"api {q!r}: {type(e).__name__}: {e}"


def _search_while(ix, writing, min_overlapping=40, max_seconds=120):
    """Run API searches (this thread) and CLI searches (a second thread) until at least
    `min_overlapping` of them started while `writing()` was true and writing stopped.
    Returns (results, overlapping count)."""
    results: list[tuple[bool, str, bool]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def record(fn, q):
        during = writing()
        ok, what = fn(ix, q)
        with lock:
            results.append((ok, what, during))

    def cli_loop():
        i = 0
        while not stop.is_set():
            record(_cli_search, QUERIES[i % len(QUERIES)])
            i += 1

    t = threading.Thread(target=cli_loop)
    t.start()
    t0 = time.monotonic()
    i = 0
    try:
        while time.monotonic() - t0 < max_seconds:
            record(_api_search, QUERIES[i % len(QUERIES)])
            i += 1
            time.sleep(0.05)
            with lock:
                overlapping = sum(1 for r in results if r[2])
            if not writing() and overlapping >= min_overlapping:
                break
        for q in QUERIES:  # a few right after the write
            record(_api_search, q)
    finally:
        stop.set()
        t.join()
    return results, sum(1 for r in results if r[2])


def test_searches_during_rebuild(built, rebuild_run, ix_copy):
    ix, _ = ix_copy()
    proc = start_cli("index", built.corpus, "--index", ix, "--rebuild", "--quiet")
    try:
        results, overlapping = _search_while(ix, lambda: proc.poll() is None)
        rc = proc.wait(timeout=300)
    finally:
        kill_group_members(proc.pid)
    failures = [w for ok, w, _ in results if not ok]
    assert rc == 0, proc.stderr.read()
    assert overlapping >= 40, f"only {overlapping} searches ran during the rebuild"
    assert not failures, f"{len(failures)} of {len(results)} searches failed:\n" + \
        "\n".join(failures[:15])
    assert stats(ix)["documents"] == N_ARTICLES


def test_searches_during_incremental_runs(ix_copy):
    """Back-to-back incremental runs (300 files changed before each) while searching."""
    ix, corpus = ix_copy(with_corpus=True)
    files = sorted((corpus / "copy002").glob("*.txt"))[:300]
    originals = {f: f.read_text(encoding="utf-8") for f in files}
    running = threading.Event()
    done = threading.Event()
    reports: list = []

    def writer_loop():
        k = 0
        while not done.is_set():
            for f, text in originals.items():
                f.write_text(text + f"\nNachtrag Runde {k}.\n", encoding="utf-8")
            running.set()
            p, rep = index_json(corpus, ix, check=None)
            running.clear()
            reports.append((p.returncode, rep, p.stderr.strip()[-300:]))
            k += 1

    t = threading.Thread(target=writer_loop)
    t.start()
    try:
        results, overlapping = _search_while(
            ix, lambda: running.is_set() or (len(reports) < 3 and not done.is_set()))
    finally:
        done.set()
        t.join()
    failures = [w for ok, w, _ in results if not ok]
    bad_runs = [r for r in reports if r[0] != 0 or r[1]["updated"] != 300]
    assert len(reports) >= 3 and not bad_runs, (len(reports), bad_runs[:3])
    assert overlapping >= 40, f"only {overlapping} searches ran during incremental runs"
    assert not failures, f"{len(failures)} of {len(results)} searches failed:\n" + \
        "\n".join(failures[:15])
    assert stats(ix)["documents"] == N_ARTICLES


def test_second_writer_refused(built, ix_copy):
    ix, _ = ix_copy()
    proc = start_cli("index", built.corpus, "--index", ix, "--rebuild", "--quiet")
    try:
        deadline = time.monotonic() + 20
        while lock_holder(ix) != str(proc.pid) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        assert lock_holder(ix) == str(proc.pid), "the rebuild never wrote its pid to writer.lock"
        for extra in ([], ["--rebuild"]):
            second = run_cli("index", built.corpus, "--index", ix, *extra)
            err = one_line_error(second, "another")
            assert str(proc.pid) in err, err
        # Readers are not writers: searching works meanwhile.
        p, res = search(ix, "Regierung")
        assert p.returncode == 0 and res["total"] > 0, p.stderr
        rc = proc.wait(timeout=300)
        assert rc == 0, proc.stderr.read()
    finally:
        kill_group_members(proc.pid)
    assert stats(ix)["documents"] == N_ARTICLES


def test_stale_lock_file_does_not_block(small_corpus, tmp_path):
    ix = tmp_path / "index"
    index_json(small_corpus, ix)
    (ix / "writer.lock").write_text(f"{dead_pid()}\n")
    _, rep = index_json(small_corpus, ix)
    assert rep["unchanged"] == 40, rep
    (ix / "writer.lock").write_text("not a pid at all")
    _, rep = index_json(small_corpus, ix, "--rebuild")
    assert rep["added"] == 40, rep
