"""Tests for bench/relevance/run.py and the query set; they never run the real searchidx.

    python -m pytest bench/relevance/test_run.py      (not under testpaths; name it explicitly)

searchidx is replaced by a small fake CLI through $SEARCHIDX_CMD. The end-to-end and data
tests skip when the shared Wikinews data is not there.
"""
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _load(name):
    spec = importlib.util.spec_from_file_location(f"relevance_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


run = _load("run")
check_queries = _load("check_queries")
SHARED = run.default_shared()
DATA = SHARED / "data" / "wikinews-de.jsonl"
needs_data = pytest.mark.skipif(not DATA.is_file(), reason=f"{DATA} not found")

FAKE = textwrap.dedent('''
    import argparse, json, os, re, sys
    from pathlib import Path
    ap = argparse.ArgumentParser(); sub = ap.add_subparsers(dest="cmd")
    i = sub.add_parser("index"); i.add_argument("corpus"); i.add_argument("--index", required=True)
    s = sub.add_parser("search"); s.add_argument("--index", required=True)
    s.add_argument("--format"); s.add_argument("--limit", type=int); s.add_argument("--batch")
    a = ap.parse_args(); mode = os.environ.get("FAKE_MODE", "")
    if a.cmd == "index":
        docs = {p.name: sorted(set(re.findall(r"\\w+", p.read_text("utf-8").lower())))
                for p in Path(a.corpus).glob("*.txt")}
        Path(a.index).mkdir(parents=True); (Path(a.index) / "d.json").write_text(json.dumps(docs))
        sys.exit(0)
    if mode == "crash":
        sys.exit("boom")
    docs = {k: set(v) for k, v in json.loads((Path(a.index) / "d.json").read_text()).items()}
    qs = Path(a.batch).read_text("utf-8").splitlines()
    if mode == "short":
        qs = qs[:-1]
    for q in qs:
        qt = re.findall(r"\\w+", q.lower())
        sc = sorted(((-sum(t in d for t in qt), k) for k, d in docs.items()))[: a.limit]
        res = [{"rank": n + 1, "id": k, "score": -v} for n, (v, k) in enumerate(sc)]
        print(json.dumps({"query": q, "total": len(res), "suggestion": None, "results": res}))
''')


def test_evaluate_mrr_per_category():
    qs = [dict(qid="a", category="typo", ids={"1"}),
          dict(qid="b", category="typo", ids={"2"}),
          dict(qid="c", category="exact", rel={"3"})]          # anchors.py-style key
    ranked = [["1", "9"], ["9", "8", "2"], [str(i) for i in range(20, 40)] + ["3"]]
    res = run.evaluate(qs, ranked)
    assert res["typo"] == pytest.approx((1 + 1 / 3) / 2)
    assert res["exact"] == 0.0                                  # rank 21 is outside the top 10
    assert res["overall"] == pytest.approx((1 + 1 / 3) / 3)
    assert list(res) == ["typo", "exact", "overall"]
    assert run.evaluate([dict(category="x", ids={"5"})], [[5]])["x"] == 1.0   # ids as ints
    with pytest.raises(ValueError):
        run.evaluate(qs, ranked[:2])


def test_parse_batch_output():
    out = "\n".join(json.dumps({"query": q, "total": 2, "suggestion": None,
                                "results": [{"rank": 1, "id": i, "score": 1.0}]})
                    for q, i in [("Hong Kong", "5886.txt"), ("Muenchen", 21932)]) + "\n"
    assert run.parse_batch_output(out, ["Hong Kong", "Muenchen"]) == [["5886"], ["21932"]]
    with pytest.raises(run.SearchidxError):
        run.parse_batch_output(out, ["Muenchen", "Hong Kong"])      # out of order
    with pytest.raises(run.SearchidxError):
        run.parse_batch_output(out, ["Hong Kong", "Muenchen", "x"])  # line missing
    with pytest.raises(run.SearchidxError):
        run.parse_batch_output("not json\n", ["x"])
    assert run.norm_id("copy001/746.txt") == "746"


def test_query_set_format():
    qs = run.load_queries(run.DEFAULT_QUERIES)
    cats = [q["category"] for q in qs]
    assert len(qs) >= 84
    for c in run.CATEGORY_ORDER:
        assert cats.count(c) >= 14, c
    assert all(len(q["ids"]) == 1 for q in qs)
    assert all(2 <= len(q["query"].split()) <= 5 for q in qs)


@needs_data
def test_query_set_against_articles():
    problems, _, _ = check_queries.check(run.DEFAULT_QUERIES, DATA)
    assert problems == []


@needs_data
def test_corpus_matches_make_corpus(tmp_path):
    script = SHARED / "bench" / "make_corpus.py"
    if not script.is_file():
        pytest.skip("make_corpus.py not found")
    subprocess.run([sys.executable, str(script), str(DATA), str(tmp_path / "a")],
                   check=True, capture_output=True)
    run.write_corpus(DATA, tmp_path / "b")
    a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert a == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def _main_with_fake(tmp_path, monkeypatch, capsys, mode, *args):
    fake = tmp_path / "fake_searchidx.py"
    fake.write_text(FAKE, encoding="utf-8")
    monkeypatch.setenv("SEARCHIDX_CMD", f"{sys.executable} {fake}")
    monkeypatch.setenv("FAKE_MODE", mode)
    rc = run.main(["--systems", "searchidx", *args])
    return rc, capsys.readouterr()


@needs_data
def test_end_to_end_with_fake_cli(tmp_path, monkeypatch, capsys):
    keep = tmp_path / "keep"
    rc, out = _main_with_fake(tmp_path, monkeypatch, capsys, "", "--json", "--keep", str(keep))
    assert rc == 0, out.err
    rep = json.loads(out.out)
    s = rep["systems"]["searchidx"]
    assert s["ok"] and set(s["mrr10"]) == set(run.CATEGORY_ORDER) | {"overall"}
    assert s["mrr10"]["exact"] > 0.5                 # word overlap finds the exact queries
    assert len(s["ranks"]) == rep["n_queries"] and rep["n_docs"] == 998
    assert (keep / "corpus").is_dir() and (keep / "searchidx-results.jsonl").is_file()
    rc, _ = _main_with_fake(tmp_path, monkeypatch, capsys, "", "--keep", str(keep))
    assert rc == 0                                  # a kept folder can be reused


@needs_data
@pytest.mark.parametrize("mode", ["crash", "short"])
def test_searchidx_failure_exits_nonzero(tmp_path, monkeypatch, capsys, mode):
    rc, out = _main_with_fake(tmp_path, monkeypatch, capsys, mode)
    assert rc == 1
    assert "searchidx: FAILED" in out.err and "FAIL" in out.out
