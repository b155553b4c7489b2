"""Performance benchmark: searchidx vs. the naive Whoosh baseline (issue 6).

For each scale, builds the Wikinews corpus folder (shared/bench/make_corpus.py, SCALE copies
of the 998 articles) in a temporary folder, then measures in the same run, baseline and
searchidx side by side (interleaved where it makes sense, so machine noise hits both):

  build        wall time of one index build, each as its own process:
               `python bench/baseline.py build` (anchors.py's whoosh-german) vs
               `python -m searchidx index CORPUS --index IDX --quiet --format json`; MB/s
  memory       peak memory of those two build processes: ru_maxrss from wait4 (largest
               single process) and the sampled peak of the process tree's summed PSS
               (searchidx forks index workers for large builds)
  size         bytes on disk of each index folder (apparent size, all files)
  latency      in-process warm query latency p50/p95 over 400 queries (the article titles,
               as anchors.py uses): `Index(path).search(q, limit=10)` vs the baseline's
               parse + search + read ids; the two alternate query by query after a warm-up
  batch        400 queries through one `searchidx search --batch FILE --format jsonl`
               process (its workers on every core), the same with `-j 1` (one process),
               vs one `baseline.py search --batch FILE` process (wall time)
  cold         one `searchidx search "Putin Kim" --format json` process (median of 5) vs the
               baseline's one-query process, `python -c "import whoosh"`, `python -c pass`
  noop         `searchidx index` again with nothing changed (median of 3), and
  incremental  after adding, changing and deleting one file each (the JSON report must
               say added 1, updated 1, deleted 1); both also as a fraction of the build

Prints a table (absolute figures and searchidx/baseline ratios) and PASS/FAIL for the
targets of issue 6; always exits 0 unless the benchmark itself breaks.

    python bench/run.py --scale 1,5 --out bench/out/results.json
    python bench/run.py --scale 20 --only build,memory,noop
    python bench/run.py --scale 1 --only cold,latency --repeat 2

The shared folder (anchors.py, make_corpus.py, data/wikinews-de.jsonl) defaults to
../shared next to the repository; $SEARCHIDX_SHARED or --shared override it.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import baseline  # noqa: E402  (bench/baseline.py)

METRICS = ("build", "memory", "size", "latency", "batch", "cold", "noop", "incremental")
N_QUERIES = 400
COLD_QUERY = "Putin Kim"
SEARCHIDX = [sys.executable, "-m", "searchidx"]
BASELINE = [sys.executable, str(HERE / "baseline.py")]


# --------------------------------------------------------------------------- processes

class TreeMemory(threading.Thread):
    """Samples the summed PSS (and RSS) of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss_kb = self.peak_rss_kb = 0
        self.peak_procs = 0
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            pids = _descendants(self.pid)
            pss = rss = 0
            for p in pids:
                pss += _proc_kb(f"/proc/{p}/smaps_rollup", "Pss:")
                rss += _proc_kb(f"/proc/{p}/status", "VmRSS:")
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._done.wait(self.interval)

    def stop(self):
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _proc_kb(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# Subprocesses run in the work folder: `python -m searchidx` puts its working
# folder first on sys.path, so from the repository it would import the live
# searchidx/ instead of the snapshot on PYTHONPATH.
WORKDIR: Path | None = None


def run(cmd: list[str], *, memory: bool = False, check: bool = True) -> dict:
    """Run cmd to completion: wall seconds, exit code, stdout, and (memory=True) peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=WORKDIR)
        sampler = TreeMemory(p.pid) if memory else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop()
        out.seek(0)
        err.seek(0)
        res = {"wall": wall, "rc": p.returncode, "stdout": out.read().decode("utf-8", "replace"),
               "stderr": err.read().decode("utf-8", "replace"),
               "maxrss_mb": usage.ru_maxrss / 1024}  # Linux: KiB; process + reaped children
        if sampler:
            res["tree_pss_mb"] = sampler.peak_pss_kb / 1024
            res["tree_rss_mb"] = sampler.peak_rss_kb / 1024
            res["procs"] = sampler.peak_procs
    if check and res["rc"] not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {res['rc']}: {res['stderr'][-2000:]}")
    return res


def last_json(text: str) -> dict:
    lines = [l for l in text.splitlines() if l.strip().startswith("{")]
    return json.loads(lines[-1])


def folder_bytes(path: str) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(path):
        for n in filenames:
            try:
                total += os.stat(os.path.join(dirpath, n)).st_size
            except FileNotFoundError:
                pass
    return total


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


# --------------------------------------------------------------------------- one scale

def bench_scale(scale: int, shared: Path, titles: list[str], only: set[str], repeat: int,
                tmp: Path, log) -> dict:
    res: dict = {"scale": scale}
    corpus, idx, bidx = tmp / f"corpus-{scale}", tmp / f"index-{scale}", tmp / f"baseline-{scale}"
    jsonl = shared / "data" / "wikinews-de.jsonl"
    subprocess.run([sys.executable, str(shared / "bench" / "make_corpus.py"), str(jsonl),
                    str(corpus), str(scale)], check=True, stdout=subprocess.DEVNULL)
    files = [p for _, p in baseline.corpus_files(str(corpus))]
    res["docs"] = len(files)
    res["corpus_mb"] = sum(os.path.getsize(p) for p in files) / 1e6
    log(f"scale {scale}: {res['docs']} files, {res['corpus_mb']:.1f} MB in {corpus}")
    need_base = bool(only & {"build", "memory", "size", "latency", "batch", "cold"})

    # -- build: baseline and searchidx alternate first place over the repeats
    six_runs, base_runs = [], []
    for r in range(repeat):
        order = ["base", "six"] if r % 2 == 0 else ["six", "base"]
        for who in order:
            if who == "base" and not need_base:
                continue
            target = bidx if who == "base" else idx
            shutil.rmtree(target, ignore_errors=True)
            if who == "base":
                out = run(BASELINE + ["--shared", str(shared), "build", str(corpus), str(bidx)],
                          memory=True)
                out["report"] = last_json(out["stdout"])
                base_runs.append(out)
            else:
                out = run(SEARCHIDX + ["index", str(corpus), "--index", str(idx), "--quiet",
                                       "--format", "json"], memory=True)
                out["report"] = last_json(out["stdout"])
                if out["report"]["added"] != res["docs"]:
                    raise RuntimeError(f"searchidx indexed {out['report']} of {res['docs']} files")
                six_runs.append(out)
            log(f"  build {who}: {out['wall']:.2f}s wall, maxrss {out['maxrss_mb']:.0f} MB, "
                f"tree PSS {out['tree_pss_mb']:.0f} MB")
    med = lambda runs, k: statistics.median(x[k] for x in runs)  # noqa: E731
    six_build = med(six_runs, "wall")
    res["build"] = {"searchidx_s": six_build,
                    "searchidx_inner_s": med([x["report"] for x in six_runs], "seconds"),
                    "searchidx_mb_s": res["corpus_mb"] / six_build, "runs": len(six_runs)}
    if base_runs:
        base_build = med(base_runs, "wall")
        res["build"].update(baseline_s=base_build,
                            baseline_inner_s=med([x["report"] for x in base_runs], "seconds"),
                            baseline_mb_s=res["corpus_mb"] / base_build,
                            ratio=six_build / base_build, speedup=base_build / six_build)
    if "memory" in only:
        res["memory"] = {"searchidx_maxrss_mb": max(x["maxrss_mb"] for x in six_runs),
                         "searchidx_tree_pss_mb": max(x["tree_pss_mb"] for x in six_runs),
                         "searchidx_tree_rss_mb": max(x["tree_rss_mb"] for x in six_runs),
                         "searchidx_procs": max(x["procs"] for x in six_runs)}
        if base_runs:
            res["memory"].update(baseline_maxrss_mb=max(x["maxrss_mb"] for x in base_runs),
                                 baseline_tree_pss_mb=max(x["tree_pss_mb"] for x in base_runs))
            res["memory"]["ratio"] = (res["memory"]["searchidx_tree_pss_mb"]
                                      / res["memory"]["baseline_tree_pss_mb"])
    if "size" in only:
        res["size"] = {"searchidx_mb": folder_bytes(str(idx)) / 1e6,
                       "baseline_mb": folder_bytes(str(bidx)) / 1e6}
        res["size"]["ratio"] = res["size"]["searchidx_mb"] / res["size"]["baseline_mb"]
        res["size"]["searchidx_per_corpus_mb"] = res["size"]["searchidx_mb"] / res["corpus_mb"]

    queries = [titles[i % len(titles)] for i in range(N_QUERIES)]
    qfile = tmp / "queries.txt"
    qfile.write_text("\n".join(q.replace("\n", " ") for q in queries) + "\n", encoding="utf-8")

    # -- warm in-process latency, query by query alternating
    if "latency" in only:
        from searchidx import Index
        t0 = time.perf_counter()
        six = Index(str(idx))
        six.search(queries[0], limit=10)
        open_six = time.perf_counter() - t0
        t0 = time.perf_counter()
        base = baseline.Searcher(str(bidx))
        base.search(queries[0])
        open_base = time.perf_counter() - t0
        for q in queries[:20]:  # warm-up
            six.search(q, limit=10)
            base.search(q)
        lat_six, lat_base, totals = [], [], 0
        for q in queries:
            t = time.perf_counter()
            r = six.search(q, limit=10)
            lat_six.append(time.perf_counter() - t)
            totals += r.total > 0
            t = time.perf_counter()
            base.search(q)
            lat_base.append(time.perf_counter() - t)
        six.close()
        base.close()
        res["latency"] = {
            "searchidx_p50_ms": statistics.median(lat_six) * 1e3,
            "searchidx_p95_ms": pct(lat_six, .95) * 1e3,
            "searchidx_max_ms": max(lat_six) * 1e3,
            "searchidx_mean_ms": statistics.mean(lat_six) * 1e3,
            "baseline_p50_ms": statistics.median(lat_base) * 1e3,
            "baseline_p95_ms": pct(lat_base, .95) * 1e3,
            "baseline_mean_ms": statistics.mean(lat_base) * 1e3,
            "searchidx_first_query_s": open_six, "baseline_first_query_s": open_base,
            "queries": len(queries), "searchidx_with_hits": totals}
        res["latency"]["ratio_p50"] = res["latency"]["searchidx_p50_ms"] / res["latency"]["baseline_p50_ms"]
        res["latency"]["ratio_p95"] = res["latency"]["searchidx_p95_ms"] / res["latency"]["baseline_p95_ms"]
        log(f"  latency p50/p95 searchidx {res['latency']['searchidx_p50_ms']:.1f}/"
            f"{res['latency']['searchidx_p95_ms']:.1f} ms, baseline "
            f"{res['latency']['baseline_p50_ms']:.1f}/{res['latency']['baseline_p95_ms']:.1f} ms")

    # -- batch: one process for 400 queries, alternating with the baseline's
    if "batch" in only:
        # searchidx as a user runs it (workers on every core), and in one process
        six_w, one_w, base_w = [], [], []
        for r in range(max(repeat, 1)):
            for jobs, times in ((), six_w), (("-j", "1"), one_w):
                out = run(SEARCHIDX + ["search", "--batch", str(qfile), "--format", "jsonl",
                                       "--index", str(idx), *jobs])
                lines = [l for l in out["stdout"].splitlines() if l.startswith("{")]
                if len(lines) != N_QUERIES:
                    raise RuntimeError(f"searchidx --batch printed {len(lines)} lines, not {N_QUERIES}")
                times.append(out["wall"])
            out = run(BASELINE + ["--shared", str(shared), "search", str(bidx), "--batch", str(qfile)])
            base_w.append(out["wall"])
        res["batch"] = {"searchidx_s": statistics.median(six_w), "baseline_s": statistics.median(base_w),
                        "searchidx_one_process_s": statistics.median(one_w),
                        "queries": N_QUERIES, "runs": len(six_w)}
        res["batch"]["ratio"] = res["batch"]["searchidx_s"] / res["batch"]["baseline_s"]
        res["batch"]["ratio_one_process"] = (res["batch"]["searchidx_one_process_s"]
                                             / res["batch"]["baseline_s"])
        res["batch"]["searchidx_qps"] = N_QUERIES / res["batch"]["searchidx_s"]
        log(f"  batch {res['batch']['searchidx_s']:.2f}s (one process "
            f"{res['batch']['searchidx_one_process_s']:.2f}s) vs {res['batch']['baseline_s']:.2f}s")

    # -- cold start: one process per query, 5 rounds of 4 commands interleaved
    if "cold" in only:
        cmds = {"searchidx": SEARCHIDX + ["search", COLD_QUERY, "--index", str(idx), "--format", "json"],
                "baseline": BASELINE + ["--shared", str(shared), "search", str(bidx), COLD_QUERY],
                "import_whoosh": [sys.executable, "-c", "import whoosh"],
                "python_pass": [sys.executable, "-c", "pass"]}
        walls: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(5):
            for k, cmd in cmds.items():
                out = run(cmd)
                if k == "searchidx":
                    json.loads(out["stdout"])  # must be a JSON result
                walls[k].append(out["wall"])
        res["cold"] = {f"{k}_s": statistics.median(v) for k, v in walls.items()}
        res["cold"]["ratio"] = res["cold"]["searchidx_s"] / res["cold"]["baseline_s"]
        res["cold"]["ratio_import_whoosh"] = res["cold"]["searchidx_s"] / res["cold"]["import_whoosh_s"]
        log(f"  cold {res['cold']}")

    # -- re-index with nothing changed, then one add, one change, one delete
    if "noop" in only:
        walls, inner = [], []
        for _ in range(3):
            out = run(SEARCHIDX + ["index", str(corpus), "--index", str(idx), "--quiet",
                                   "--format", "json"])
            rep = last_json(out["stdout"])
            if (rep["added"], rep["updated"], rep["deleted"], rep["unchanged"]) != (0, 0, 0, res["docs"]):
                raise RuntimeError(f"no-op re-index changed something: {rep}")
            walls.append(out["wall"])
            inner.append(rep["seconds"])
        res["noop"] = {"searchidx_s": statistics.median(walls), "inner_s": statistics.median(inner),
                       "fraction_of_build": statistics.median(walls) / six_build}
        log(f"  no-op re-index {res['noop']['searchidx_s']:.2f}s")
    if "incremental" in only:
        first, second, third = files[0], files[1], files[2]
        added = corpus / "bench-added.txt"
        shutil.copyfile(first, added)
        with open(added, "a", encoding="utf-8") as f:
            f.write("\nEin neuer Absatz, damit der Artikel nicht doppelt ist.\n")
        with open(second, "a", encoding="utf-8") as f:
            f.write("\nNachtrag: Die Redaktion hat den Artikel ergänzt.\n")
        os.remove(third)
        out = run(SEARCHIDX + ["index", str(corpus), "--index", str(idx), "--quiet", "--format", "json"])
        rep = last_json(out["stdout"])
        ok = (rep["added"], rep["updated"], rep["deleted"]) == (1, 1, 1)
        res["incremental"] = {"searchidx_s": out["wall"], "inner_s": rep["seconds"],
                              "fraction_of_build": out["wall"] / six_build, "report_ok": ok,
                              "report": rep}
        log(f"  incremental {out['wall']:.2f}s, report {rep}")
    return res


# --------------------------------------------------------------------------- report

def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        v = f"{v:.3f}" if abs(v) < 1 else f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"
    return f"{v}{unit}"


def table_rows(r: dict) -> list[tuple]:
    rows = []
    if b := r.get("build"):
        rows.append(("build wall", fmt(b["searchidx_s"], " s"), fmt(b.get("baseline_s"), " s"),
                     fmt(b.get("ratio"))))
        rows.append(("build MB/s", fmt(b["searchidx_mb_s"]), fmt(b.get("baseline_mb_s")),
                     fmt(b["searchidx_mb_s"] / b["baseline_mb_s"]) if "baseline_mb_s" in b else "-"))
        rows.append(("build (in-process timer)", fmt(b["searchidx_inner_s"], " s"),
                     fmt(b.get("baseline_inner_s"), " s"),
                     fmt(b["searchidx_inner_s"] / b["baseline_inner_s"]) if "baseline_inner_s" in b else "-"))
    if m := r.get("memory"):
        rows.append(("peak memory, tree PSS", fmt(m["searchidx_tree_pss_mb"], " MB"),
                     fmt(m.get("baseline_tree_pss_mb"), " MB"), fmt(m.get("ratio"))))
        rows.append(("peak memory, ru_maxrss", fmt(m["searchidx_maxrss_mb"], " MB"),
                     fmt(m.get("baseline_maxrss_mb"), " MB"),
                     fmt(m["searchidx_maxrss_mb"] / m["baseline_maxrss_mb"]) if "baseline_maxrss_mb" in m else "-"))
    if s := r.get("size"):
        rows.append(("index size", fmt(s["searchidx_mb"], " MB"), fmt(s["baseline_mb"], " MB"),
                     fmt(s["ratio"])))
    if l := r.get("latency"):
        rows.append(("warm query p50", fmt(l["searchidx_p50_ms"], " ms"), fmt(l["baseline_p50_ms"], " ms"),
                     fmt(l["ratio_p50"])))
        rows.append(("warm query p95", fmt(l["searchidx_p95_ms"], " ms"), fmt(l["baseline_p95_ms"], " ms"),
                     fmt(l["ratio_p95"])))
        rows.append(("open + first query", fmt(l["searchidx_first_query_s"], " s"),
                     fmt(l["baseline_first_query_s"], " s"),
                     fmt(l["searchidx_first_query_s"] / l["baseline_first_query_s"])))
    if b := r.get("batch"):
        rows.append((f"batch {b['queries']} queries", fmt(b["searchidx_s"], " s"),
                     fmt(b["baseline_s"], " s"), fmt(b["ratio"])))
        if "searchidx_one_process_s" in b:
            rows.append(("  in one process (-j 1)", fmt(b["searchidx_one_process_s"], " s"),
                         fmt(b["baseline_s"], " s"), fmt(b["ratio_one_process"])))
    if c := r.get("cold"):
        rows.append(("cold search process", fmt(c["searchidx_s"], " s"), fmt(c["baseline_s"], " s"),
                     fmt(c["ratio"])))
        rows.append(("  ref: python -c 'import whoosh'", fmt(c["import_whoosh_s"], " s"), "",
                     fmt(c["ratio_import_whoosh"])))
        rows.append(("  ref: python -c pass", fmt(c["python_pass_s"], " s"), "", ""))
    if n := r.get("noop"):
        rows.append(("no-op re-index", fmt(n["searchidx_s"], " s"), "",
                     f"{n['fraction_of_build']:.1%} of build"))
    if i := r.get("incremental"):
        rows.append(("incremental +1 ~1 -1", fmt(i["searchidx_s"], " s"), "",
                     f"{i['fraction_of_build']:.1%} of build"
                     + ("" if i["report_ok"] else f"  REPORT WRONG {i['report']}")))
    return rows


def print_table(results: list[dict]):
    head = ("metric", "searchidx", "baseline", "searchidx/baseline")
    for r in results:
        rows = table_rows(r)
        print(f"\n== scale {r['scale']}x: {r['docs']} articles, {r['corpus_mb']:.1f} MB ==")
        widths = [max(len(str(x[i])) for x in rows + [head]) for i in range(4)]
        for row in [head] + rows:
            print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))


def check_targets(results: list[dict]) -> list[dict]:
    by = {r["scale"]: r for r in results}

    def get(scale, metric, key):
        return by.get(scale, {}).get(metric, {}).get(key)

    specs = [
        (5, "build ≥ 2.0x faster than baseline", get(5, "build", "speedup"), lambda v: v >= 2.0, "x"),
        (5, "400 batch queries ≤ 2.0 s", get(5, "batch", "searchidx_s"), lambda v: v <= 2.0, " s"),
        (5, "warm query p95 ≤ 30 ms", get(5, "latency", "searchidx_p95_ms"), lambda v: v <= 30, " ms"),
        (5, "cold search ≤ 0.35 s", get(5, "cold", "searchidx_s"), lambda v: v <= 0.35, " s"),
        (20, "no-op re-index ≤ 1.5 s", get(20, "noop", "searchidx_s"), lambda v: v <= 1.5, " s"),
        (20, "peak build memory ≤ 1 GB", get(20, "memory", "searchidx_tree_pss_mb"),
         lambda v: v <= 1024, " MB"),
    ]
    out = []
    for scale, name, value, ok, unit in specs:
        status = "n/a" if value is None else "PASS" if ok(value) else "FAIL"
        out.append({"scale": scale, "target": name, "value": value, "unit": unit.strip(),
                    "status": status})
    return out


def snapshot(dest: Path) -> str:
    """Copy searchidx/ so the whole run measures one version of the code, however the
    working tree changes meanwhile; subprocesses and this process import the copy."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO / "searchidx", dest / "searchidx",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled as an install compiles it (Whoosh's modules in site-packages are):
    # with PYTHONDONTWRITEBYTECODE set, every process would compile ~40 modules.
    compileall.compile_dir(dest / "searchidx", quiet=1)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(dest)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    sys.path.insert(0, str(dest))
    import searchidx
    assert Path(searchidx.__file__).resolve().is_relative_to(dest.resolve()), searchidx.__file__
    used = run([sys.executable, "-c", "import searchidx; print(searchidx.__file__)"])["stdout"]
    assert Path(used.strip()).resolve().is_relative_to(dest.resolve()), used
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "searchidx"],
                           capture_output=True, text=True).stdout.strip()
    return str(dest) + (" (searchidx/ has uncommitted changes)" if dirty else "")


def machine() -> dict:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        rev = ""
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "whoosh": version("whoosh-reloaded"), "platform": platform.platform(),
            "git": rev, "loadavg_start": os.getloadavg()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="1,5,20", help="comma-separated corpus scales (default 1,5,20)")
    ap.add_argument("--shared", help="shared folder (default $SEARCHIDX_SHARED or ../shared)")
    ap.add_argument("--out", help="write all figures as JSON to this file")
    ap.add_argument("--only", help=f"comma-separated subset of {','.join(METRICS)}")
    ap.add_argument("--repeat", type=int, default=1,
                    help="builds and batch runs per scale, median reported (default 1)")
    ap.add_argument("--tmp", help="work folder (default: a new temporary folder, removed)")
    ap.add_argument("--keep", action="store_true", help="keep corpora and indexes")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the live searchidx/ instead of a copy taken at the start")
    a = ap.parse_args(argv)
    only = set(a.only.split(",")) if a.only else set(METRICS)
    if bad := only - set(METRICS):
        ap.error(f"unknown metric(s) {','.join(sorted(bad))}; choose from {','.join(METRICS)}")
    scales = [int(s) for s in a.scale.split(",") if s.strip()]
    shared = baseline.shared_dir(a.shared).resolve()
    jsonl = shared / "data" / "wikinews-de.jsonl"
    if not jsonl.exists():
        ap.error(f"{jsonl} not found; pass --shared or set SEARCHIDX_SHARED")
    os.environ["SEARCHIDX_SHARED"] = str(shared)
    baseline.import_anchors(str(shared))
    titles = [json.loads(l)["title"] for l in open(jsonl, encoding="utf-8")]

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    log(f"machine: {info}")
    tmp = Path(a.tmp or tempfile.mkdtemp(prefix="searchidx-bench-")).resolve()
    tmp.mkdir(parents=True, exist_ok=True)
    global WORKDIR
    WORKDIR = tmp
    if not a.no_snapshot:
        info["snapshot"] = snapshot(tmp / "src")
        log(f"benchmarking a snapshot of searchidx/ in {tmp / 'src'}")
    results = []
    try:
        for scale in scales:
            results.append(bench_scale(scale, shared, titles, only, max(a.repeat, 1), tmp, log))
            if not a.keep:
                for p in tmp.glob(f"*-{scale}"):
                    shutil.rmtree(p, ignore_errors=True)
    finally:
        if not a.keep and not a.tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()
    print_table(results)
    targets = check_targets(results)
    print("\ntargets:")
    for t in targets:
        v = "-" if t["value"] is None else fmt(t["value"], t["unit"] if t["unit"] == "x" else " " + t["unit"])
        print(f"  {t['status']:4}  {t['scale']:>2}x  {t['target']}  (measured {v})")
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps({"machine": info, "argv": sys.argv[1:], "results": results,
                                           "targets": targets}, indent=2, ensure_ascii=False))
        log(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
