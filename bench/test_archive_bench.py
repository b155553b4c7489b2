"""Smoke tests of the archive benchmark (bench/archive.py, issue 20) on a 200-article archive:
the article reader, the query mix, and one short run of the benchmark through searchidx's
command line and API (never its internals), which must leave the archive as it found it.

Needs ../shared (the synthetic archive generator), so it lives in bench/, outside the README's
test run: `python -m pytest bench/test_archive_bench.py`."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from baseline import shared_dir  # noqa: E402  ($SEARCHIDX_SHARED, else ../shared)

SHARED = shared_dir()
MAKE_ARCHIVE = SHARED / "bench" / "make_archive.py"
N = 200

pytestmark = pytest.mark.skipif(not MAKE_ARCHIVE.exists(),
                                reason=f"shared data not found at {SHARED}")

import archive  # noqa: E402  (bench/archive.py)
import archive_queries as aq  # noqa: E402


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> Path:
    """A folder holding a200/ (made by the benchmark itself) and its marker."""
    d = tmp_path_factory.mktemp("archives")
    folder, info = archive.ensure_archive(d, N, SHARED, log=lambda msg: None)
    assert folder == d / "a200" and info["articles"] == N
    assert (d / "a200.done").exists()
    return d


def tree_hashes(root: Path) -> dict:
    """Every file's bytes and mtime, and every folder's mtime."""
    out = {}
    for dirpath, _, filenames in os.walk(root):
        out[dirpath] = os.stat(dirpath).st_mtime_ns
        for name in filenames:
            p = os.path.join(dirpath, name)
            out[p] = (hashlib.sha1(Path(p).read_bytes()).hexdigest(), os.stat(p).st_mtime_ns)
    return out


def test_split_article_reads_both_formats():
    taz = ("# taz.de -- Raketen: Kim testet wieder\n\n       > Der Vorspann.\n\n"
           "       Der Text.\n\n## AUTOREN\n\n (DIR) Anna Bate\n\n## TAGS\n\n (DIR) Nordkorea\n")
    title, body = aq.split_article(taz)
    assert title == "Raketen: Kim testet wieder"
    assert body.split() == "Der Vorspann. Der Text. Anna Bate Nordkorea".split()
    plain = " date 2024-06 Der Anfang.\n\nDer Rest.\n"
    assert aq.split_article(plain) == ("Der Anfang.", "Der Rest.")
    assert aq.split_article("\ufeffIrgendein Titel\nText") == ("Irgendein Titel", "Text")


def test_tantivy_query_keeps_phrases_and_drops_syntax():
    assert aq.tantivy_query('"Hand in Hand"') == '"Hand in Hand"'
    assert aq.tantivy_query("Kim AND Putin") == "Kim and Putin"
    assert aq.tantivy_query("title:Kim (Putin)^2 x-y") == "title Kim Putin x y"


def test_query_mix_is_deterministic_and_true_to_the_archive(archives):
    files = aq.list_articles(str(archives / "a200"))
    names = archive.load_first_names(SHARED)
    mix = aq.make_mix(files, names, sample=100)
    assert mix == aq.make_mix(files, names, sample=100)
    assert [k for k, _ in mix] == sorted((k for k, _ in mix), key=aq.KINDS.index)
    texts = ["\n".join(aq.read_article(p)) for _, p in files]
    words = [{w.lower() for w in aq.WORD.findall(t)} for t in texts]
    for kind, q in mix:
        assert q and "\t" not in q and "\n" not in q
        if kind == "phrase":
            assert q[0] == q[-1] == '"' and any(q[1:-1] in t for t in texts), q
        elif kind == "rare":
            assert 1 <= sum(q.lower() in ws for ws in words) <= 3, q
        elif kind == "common":
            assert aq.is_content(q)
        elif kind == "names":
            assert q.split()[0] in names and any(q in t for t in texts), q
    counts = {k: sum(1 for kk, _ in mix if kk == k) for k in aq.KINDS}
    assert counts["common"] == counts["multi"] == counts["phrase"] == aq.PER_KIND, counts


def test_a_short_run_measures_both_engines_and_restores_the_archive(archives, tmp_path):
    before = tree_hashes(archives / "a200")
    out = tmp_path / "archive.json"
    only = "latency,cold,incremental"
    tantivy = importlib.util.find_spec("tantivy") is not None
    proc = subprocess.run(
        [sys.executable, str(BENCH / "archive.py"), "--sizes", str(N), "--archives", str(archives),
         "--work", str(tmp_path / "work"), "--out", str(out), "--out-dir", str(tmp_path),
         "--only", only, "--cold-runs", "2", "--no-snapshot", "--shared", str(SHARED),
         *([] if tantivy else ["--skip-tantivy"])],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert tree_hashes(archives / "a200") == before, "the benchmark changed the archive"
    assert sorted(p.name for p in archives.iterdir()) == ["a200", "a200.done"]
    [r] = json.loads(out.read_text())
    assert r["size"] == N and r["commit"] and r["python"]
    assert (tmp_path / f"archive-queries-{N}.tsv").exists()
    assert r["latency"]["searchidx"]["all"]["n"] == r["queries"]["n"]
    assert r["cold"]["searchidx"]["maxrss_mb"] > r["cold"]["python_pass"]["maxrss_mb"]
    assert r["incremental"]["report_ok"], r["incremental"]["reports"]
    if tantivy:
        assert r["build"]["tantivy"]["report"]["docs"] == N
        assert r["latency"]["tantivy"]["with_hits"] > 0
    # the report: a Markdown table and one line per target (200 is no target size)
    assert f"| {N} articles, " in proc.stdout and "| warm query p50 / p95 / max |" in proc.stdout
    statuses = {t["target"]: t["status"] for t in r["targets"]}
    assert statuses["add + change + delete one ≤ 2 s"] in ("pass", "fail")
    assert statuses["warm facet tags ≤ 50 ms"] == "n/a"  # not measured


def test_targets_pass_and_fail_at_300k():
    r = {"size": 300_000, "build": {"searchidx": {"tree_pss_mb": 1600.0}, "ratio": 2.0},
         "cold": {"searchidx": {"wall_s": 0.2, "maxrss_mb": 150}},
         "incremental": {"wall_s": 1.0, "report_ok": False}}
    statuses = {t["target"]: t["status"] for t in archive.check_targets(r)}
    assert statuses["peak build memory, all processes ≤ 1.5 GB"] == "FAIL"
    assert statuses["full build ≤ 2.5x tantivy's"] == "PASS"
    assert statuses["cold search ≤ 0.25 s"] == "PASS"
    assert "cold search ≤ 0.35 s" not in statuses  # 1M's
    assert statuses["add + change + delete one ≤ 2 s"] == "FAIL"  # its report was wrong
    assert statuses["400-query batch ≤ 4 s"] == "n/a"
