"""Known-item relevance run: searchidx vs. the shared baselines on bench/relevance/queries.tsv.

Builds the Wikinews corpus folder (same format as shared/bench/make_corpus.py: one plain
dated file <id>.txt per article, title left out), then in one run

* indexes and searches it with searchidx through its CLI, exactly as a user runs it:
      python -m searchidx index CORPUS --index INDEX
      python -m searchidx search --index INDEX --format jsonl --limit 10 --batch QUERIES.txt
* runs the baselines whoosh-german and tantivy-german from shared/bench/anchors.py on the
  same article bodies and the same queries,

and prints MRR@10 per query category and overall for each system (``--json`` for JSON).

    python bench/relevance/run.py                                   # all three systems
    python bench/relevance/run.py --systems whoosh-german,tantivy-german
    python bench/relevance/run.py --keep /tmp/rel --json

Exit status: 0 when every requested system ran, 1 when one failed, e.g. searchidx (its error
is printed to stderr; the other systems are still reported), 2 for usage errors.

The shared folder defaults to ``../shared`` next to the repository (``$SEARCHIDX_SHARED`` or
``--shared`` override it). ``$SEARCHIDX_CMD`` replaces the ``python -m searchidx`` prefix
(e.g. to test the runner against a fake); normally leave it unset.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_QUERIES = HERE / "queries.tsv"
DEFAULT_SYSTEMS = "searchidx,whoosh-german,tantivy-german"
KNOWN_SYSTEMS = ("searchidx", "whoosh-german", "tantivy-german")
CATEGORY_ORDER = ("inflection", "compound", "translit", "hyphen", "typo", "exact")
K = 10
KEEP_MARKER = ".searchidx-relevance"


# --------------------------------------------------------------------------- queries, metric

def load_queries(path):
    """Read the TSV (header ``qid, category, query, ids``; ``#`` lines and blanks skipped).

    Returns a list of dicts ``{"qid", "category", "query", "ids"}``, ``ids`` a set of strings.
    """
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#") or line.startswith("qid\t"):
                continue
            parts = line.split("\t")
            if len(parts) < 4:
                raise ValueError(f"{path}:{n}: expected qid<TAB>category<TAB>query<TAB>ids")
            qid, cat, query, ids = parts[:4]
            out.append(dict(qid=qid, category=cat, query=query,
                            ids={i.strip() for i in ids.split(",") if i.strip()}))
    return out


def reciprocal_rank(ranked, relevant, k=K):
    """1/rank of the first relevant id within the top k, else 0."""
    for i, d in enumerate(list(ranked)[:k]):
        if str(d) in relevant:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(queries, ranked_ids_per_query, k=K):
    """MRR@k per category and overall.

    ``queries``: sequence of dicts with the relevant ids under ``ids`` (or ``rel``, as in
    anchors.py) and the category under ``category`` (or ``cat``); ``ranked_ids_per_query``:
    one ranked list of document ids per query, same order. Ids compare as strings.
    Returns ``{category: mrr, ..., "overall": mrr}`` (categories in the usual order, then
    any others in order of appearance); values are floats in [0, 1], not rounded.
    """
    queries = list(queries)
    ranked_ids_per_query = list(ranked_ids_per_query)
    if len(queries) != len(ranked_ids_per_query):
        raise ValueError(f"{len(queries)} queries but {len(ranked_ids_per_query)} result lists")
    by_cat = {}
    for q, ranked in zip(queries, ranked_ids_per_query):
        rel = q.get("ids", q.get("rel"))
        rel = {str(x) for x in ([rel] if isinstance(rel, (str, int)) else rel)}
        cat = q.get("category", q.get("cat", "all"))
        by_cat.setdefault(cat, []).append(reciprocal_rank(ranked or [], rel, k))
    cats = [c for c in CATEGORY_ORDER if c in by_cat] + \
           [c for c in by_cat if c not in CATEGORY_ORDER]
    res = {c: sum(by_cat[c]) / len(by_cat[c]) for c in cats}
    allrr = [x for c in cats for x in by_cat[c]]
    res["overall"] = sum(allrr) / len(allrr) if allrr else 0.0
    return res


def first_ranks(queries, ranked_ids_per_query, k=K):
    """{qid: 1-based rank of the first relevant id in the top k, or None}."""
    out = {}
    for q, ranked in zip(queries, ranked_ids_per_query):
        rr = reciprocal_rank(ranked or [], {str(x) for x in q["ids"]}, k)
        out[q["qid"]] = round(1 / rr) if rr else None
    return out


# --------------------------------------------------------------------------- corpus

def default_shared():
    env = os.environ.get("SEARCHIDX_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


def write_corpus(jsonl, out):
    """Same output as ``make_corpus.py JSONL OUT`` (scale 1): one ``<id>.txt`` per article,
    first line `` date YYYY-MM <lead paragraph>``, then the other paragraphs, blank-line
    separated; titles are left out. Returns the number of files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(jsonl, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for r in rows:
        paras = [p.strip() for p in r["text"].split("\n") if p.strip()]
        lead, rest = paras[0], paras[1:]
        with open(out / f"{r['id']}.txt", "w", encoding="utf-8") as g:
            g.write(f" date {r['date'][:7]} {lead}\n\n" + "\n\n".join(rest) + "\n")
        n += 1
    return n


# --------------------------------------------------------------------------- searchidx (CLI)

class SearchidxError(RuntimeError):
    pass


def norm_id(x):
    """A result id as the article id: '746', 746, '746.txt' and 'corpus/746.txt' -> '746'."""
    s = str(x).replace("\\", "/").rsplit("/", 1)[-1]
    return s[:-4] if s.endswith(".txt") else s


def _same_query(a, b):
    norm = lambda s: " ".join(unicodedata.normalize("NFC", str(s)).casefold().split())
    return norm(a) == norm(b)


def parse_batch_output(text, queries):
    """Parse ``searchidx search --format jsonl --batch`` output: one JSON object per query, in
    input order, each with ``query`` and ``results`` (list of objects with ``id``).
    Returns one list of normalised ids per query; raises SearchidxError on any mismatch."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) != len(queries):
        raise SearchidxError(f"expected {len(queries)} JSON lines (one per query), "
                             f"got {len(lines)}")
    ranked = []
    for n, (ln, q) in enumerate(zip(lines, queries), 1):
        try:
            obj = json.loads(ln)
        except ValueError as e:
            raise SearchidxError(f"output line {n} is not JSON: {e}: {ln[:200]!r}")
        if not isinstance(obj, dict) or not isinstance(obj.get("results"), list):
            raise SearchidxError(f"output line {n} has no 'results' list: {ln[:200]!r}")
        if "query" in obj and _same_query(obj["query"], q) is False:
            raise SearchidxError(f"output line {n} is for query {obj['query']!r}, "
                                 f"expected {q!r} (results out of order?)")
        ids = []
        for hit in obj["results"]:
            if not isinstance(hit, dict) or "id" not in hit:
                raise SearchidxError(f"output line {n}: result without 'id': {hit!r}")
            ids.append(norm_id(hit["id"]))
        ranked.append(ids)
    return ranked


def searchidx_cmd():
    env = os.environ.get("SEARCHIDX_CMD")
    return shlex.split(env) if env else [sys.executable, "-m", "searchidx"]


def searchidx_env():
    """Subprocess environment: the repository root first on PYTHONPATH, so the package in
    this checkout is the one run even when it is not installed."""
    env = dict(os.environ)
    if not os.environ.get("SEARCHIDX_CMD"):
        extra = [str(p) for p in (REPO / "src", REPO) if (p / "searchidx").is_dir()]
        if extra:
            env["PYTHONPATH"] = os.pathsep.join(extra + [x for x in
                                                         [env.get("PYTHONPATH")] if x])
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _run(cmd, what, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                           errors="replace", env=searchidx_env(), cwd=str(REPO), timeout=timeout)
    except FileNotFoundError as e:
        raise SearchidxError(f"{what}: cannot start {cmd[0]!r}: {e}")
    except subprocess.TimeoutExpired:
        raise SearchidxError(f"{what}: timed out after {timeout}s")
    if p.returncode != 0:
        tail = "\n".join((p.stderr or p.stdout or "").strip().splitlines()[-15:])
        raise SearchidxError(f"{what} exited with status {p.returncode}: "
                             f"{' '.join(shlex.quote(c) for c in cmd)}\n{tail}")
    return p


def run_searchidx(queries, corpus_dir, work_dir, timeout=1800):
    """Index ``corpus_dir`` and run all queries as one batch. Returns (ranked, timings)."""
    work_dir = Path(work_dir)
    index_dir = work_dir / "index"
    qfile = work_dir / "queries.txt"
    texts = [q["query"] for q in queries]
    if any("\n" in t or "\r" in t for t in texts):
        raise SearchidxError("a query contains a line break")
    qfile.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    base = searchidx_cmd()
    t0 = time.perf_counter()
    _run(base + ["index", str(corpus_dir), "--index", str(index_dir)], "searchidx index", timeout)
    t1 = time.perf_counter()
    p = _run(base + ["search", "--index", str(index_dir), "--format", "jsonl",
                     "--limit", str(K), "--batch", str(qfile)], "searchidx search", timeout)
    t2 = time.perf_counter()
    (work_dir / "searchidx-results.jsonl").write_text(p.stdout, encoding="utf-8")
    ranked = parse_batch_output(p.stdout, texts)
    return ranked, dict(index_s=round(t1 - t0, 2), search_s=round(t2 - t1, 2))


# --------------------------------------------------------------------------- baselines

def import_anchors(shared):
    bench = Path(shared) / "bench"
    if not (bench / "anchors.py").is_file():
        raise FileNotFoundError(f"{bench / 'anchors.py'} not found (use --shared)")
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    import anchors  # noqa: E402  (shared/bench/anchors.py)
    return anchors


def run_baseline(name, anchors, docs, queries, tmp_root):
    """Run one anchors.py baseline on the article bodies; returns (ranked, timings)."""
    rows = [dict(qid=q["qid"], cat=q["category"], title=q["query"], rel=set(q["ids"]))
            for q in queries]
    old = tempfile.tempdir           # anchors.py makes its index dirs with tempfile.mkdtemp();
    tempfile.tempdir = str(tmp_root)  # keep them under our work dir so they get cleaned up
    try:
        if name == "whoosh-german":
            t_index, lat, ranked = anchors.run_whoosh(rows, docs, "german")
        elif name == "tantivy-german":
            t_index, lat, ranked = anchors.run_tantivy(rows, docs, "german")
        else:
            raise ValueError(name)
    finally:
        tempfile.tempdir = old
    # cross-check against the shared scorer
    mrr, _, _ = anchors.score(ranked, rows)
    mine = evaluate(queries, ranked)["overall"]
    assert abs(mrr - mine) < 1e-9, (name, mrr, mine)
    return [[str(d) for d in r] for r in ranked], dict(index_s=round(t_index, 2),
                                                       search_s=round(sum(lat), 2))


# --------------------------------------------------------------------------- output

def format_table(report, systems):
    cats = []
    for s in systems:
        for c in report["systems"][s].get("mrr10", {}):
            if c not in cats and c != "overall":
                cats.append(c)
    counts = report["queries_per_category"]
    header = ["category", "n"] + systems
    rows = []
    for c in cats + ["overall"]:
        row = [c, str(counts.get(c, report["n_queries"]) if c != "overall"
                      else report["n_queries"])]
        for s in systems:
            r = report["systems"][s]
            row.append(f"{r['mrr10'][c]:.3f}" if r.get("ok") and c in r["mrr10"] else "FAIL")
        rows.append(row)
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(x.ljust(w) if i == 0 else x.rjust(w)
                              for i, (x, w) in enumerate(zip(r, widths)))
    out = [f"MRR@{K}, {report['n_queries']} known-item queries ({report['queries']})",
           fmt(header), fmt(["-" * w for w in widths])]
    for r in rows[:-1]:
        out.append(fmt(r))
    out.append(fmt(["-" * w for w in widths]))
    out.append(fmt(rows[-1]))
    for s in systems:
        r = report["systems"][s]
        if not r.get("ok"):
            out.append(f"{s}: FAILED: {r.get('error', '').splitlines()[0]}")
    return "\n".join(out)


# --------------------------------------------------------------------------- main

def prepare_keep_dir(keep):
    keep = Path(keep)
    keep.mkdir(parents=True, exist_ok=True)
    ours = (keep / KEEP_MARKER).exists()
    for sub in ("corpus", "index", "baselines"):
        p = keep / sub
        if p.exists() and any(p.iterdir()):
            if not ours:
                raise ValueError(f"--keep {keep}: {p} exists and is not from an earlier run; "
                                 "use an empty or new folder")
            shutil.rmtree(p)
    (keep / KEEP_MARKER).write_text("made by bench/relevance/run.py\n", encoding="utf-8")
    return keep


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", default=str(DEFAULT_QUERIES),
                    help="TSV qid<TAB>category<TAB>query<TAB>ids (default: %(default)s)")
    ap.add_argument("--systems", default=DEFAULT_SYSTEMS,
                    help=f"comma-separated, from {','.join(KNOWN_SYSTEMS)} (default: %(default)s)")
    ap.add_argument("--keep", metavar="DIR",
                    help="build corpus/, index/ and baselines/ in DIR and keep them")
    ap.add_argument("--shared", metavar="DIR",
                    help="shared folder with data/ and bench/ (default: $SEARCHIDX_SHARED or "
                         "../shared next to the repository)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    a = ap.parse_args(argv)

    systems = [s.strip() for s in a.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in KNOWN_SYSTEMS]
    if unknown or not systems:
        ap.error(f"unknown system(s) {unknown}; choose from {', '.join(KNOWN_SYSTEMS)}")
    shared = Path(a.shared) if a.shared else default_shared()
    data = shared / "data" / "wikinews-de.jsonl"
    if not data.is_file():
        ap.error(f"{data} not found (use --shared or $SEARCHIDX_SHARED)")
    queries = load_queries(a.queries)
    if not queries:
        ap.error(f"no queries in {a.queries}")

    counts = {}
    for q in queries:
        counts[q["category"]] = counts.get(q["category"], 0) + 1
    report = dict(queries=str(a.queries), n_queries=len(queries), k=K,
                  queries_per_category=counts, corpus=str(data), systems={})

    tmp = None
    if a.keep:
        try:
            work = prepare_keep_dir(a.keep)
        except (ValueError, OSError) as e:
            ap.error(str(e))
    else:
        tmp = tempfile.TemporaryDirectory(prefix="searchidx-relevance-")
        work = Path(tmp.name)
    failed = False
    try:
        corpus = work / "corpus"
        n_docs = write_corpus(data, corpus)
        report["n_docs"] = n_docs
        docs = None
        for name in systems:
            entry = report["systems"][name] = dict(ok=False)
            try:
                if name == "searchidx":
                    ranked, timing = run_searchidx(queries, corpus, work)
                else:
                    anchors = import_anchors(shared)
                    if docs is None:
                        _, docs = anchors.load(str(data))
                    (work / "baselines").mkdir(exist_ok=True)
                    ranked, timing = run_baseline(name, anchors, docs, queries,
                                                  work / "baselines")
            except Exception as e:  # report and carry on with the other systems
                entry["error"] = f"{type(e).__name__}: {e}"
                print(f"{name}: FAILED: {entry['error']}", file=sys.stderr)
                failed = True
                continue
            entry.update(ok=True, mrr10={c: round(v, 4) for c, v in
                                         evaluate(queries, ranked).items()},
                         recall10=round(sum(1 for q, r in zip(queries, ranked)
                                            if reciprocal_rank(r, q["ids"])) / len(queries), 4),
                         ranks=first_ranks(queries, ranked), **timing)
    finally:
        if tmp is not None:
            tmp.cleanup()

    if a.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(format_table(report, systems))
        if a.keep:
            print(f"kept corpus, index and searchidx output in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
