"""A torture run of an index's safety (issue 19), repeatable, printing counts.
Not collected by pytest (its name is not test_*.py); run it by hand:

    .venv/bin/python tests/robustness/torture.py [--minutes 4] [--articles 600] [--seed 1]

Two corpora, A and B (B: A with a tenth of its files deleted, a tenth changed,
a tenth new), each indexed cleanly once for the expected results of a set of
queries (total and the ids of all hits). Then four loops, each for its share
of the time:

  kill     `searchidx index` (a rebuild, or an incremental run from A to B or
           back) killed with SIGKILL at a random moment, the main process or one
           of its workers. Afterwards the index must open, give the results of
           the state before or after the run (a killed worker: before, exit 2 in
           one line), pass `verify`, and the next run must complete with a
           clean build's results. No process may be left behind.
  full     a small tmpfs (a user namespace: `unshare -rm`, when the kernel allows
           it), filled to leave a random amount of room, then an index run. A run
           that fails must exit 2 in one line naming a path and "No space left on
           device", leave the index's files as they were and its results those of
           before; the next run, with room, must complete.
  corrupt  a byte flipped, a file cut short, emptied, removed or extended, for
           each file of an index (CURRENT, meta.json, commit.json, segment
           descriptions and data, deletions, manifest, vocabulary). A search must
           exit 2 in one line naming the file, or give the same results; if it
           gives others, `verify` must name the file (damage in a large array is
           found by verify and merges, not by opening); `searchidx index` must
           exit 0 or 2 (0: it repaired the vocabulary or manifest); never exit 3
           or a traceback; `index --rebuild` must recover.
  concur   searches during index runs (each batch gives the results before or
           after the run), and three writers started at once (one runs, the
           others exit 2: "is writing").

The corpora must be unchanged by every run. Exit 1 if any check failed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WIKINEWS = REPO / "tests" / "data" / "wikinews-de.jsonl"
CLI = [sys.executable, "-m", "searchidx"]
ENV = {k: v for k, v in os.environ.items() if k not in ("SEARCHIDX_DEBUG", "SEARCHIDX_INDEX")}
ENV["PYTHONPATH"] = str(REPO)
QUERIES = ["Regierung", "Polizei", "Präsident", "Deutschland Wahl", "Fußball", "Berlin",
           '"Millionen Euro"', "Regier*", "Wetter OR Sturm", "Schule -Lehrer", "Regierng",
           "Prozent", "Krieg", "tag:Politik", "Bundestag~1"]

counts: Counter = Counter()
failures: list[str] = []


def fail(what: str) -> None:
    failures.append(what)
    print(f"FAIL {what}", file=sys.stderr, flush=True)


# -- running searchidx -------------------------------------------------------------------

def run(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=ENV,
                          timeout=timeout, errors="backslashreplace")


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV, start_new_session=True,
                            errors="backslashreplace")


def index(corpus, ix, *extra, timeout: float = 300):
    return run("index", corpus, "--index", ix, "--quiet", "--jobs", "2", *extra, timeout=timeout)


def results(ix, queries_file) -> tuple[subprocess.CompletedProcess, dict | None]:
    """A batch of the queries in one process (one point in time): query ->
    (total, sorted ids of all hits)."""
    p = run("search", "--batch", queries_file, "--index", ix, "--format", "jsonl",
            "--limit", "5000", "--fields", "id", "--jobs", "1")
    if p.returncode not in (0, 1):
        return p, None
    out = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        out[r["query"]] = (r.get("total"), sorted(h["id"] for h in r.get("results", [])),
                           r.get("error"))
    return p, out


def one_line_error(p: subprocess.CompletedProcess, where: str, *needles) -> bool:
    err = p.stderr.strip()
    ok = (p.returncode == 2 and "Traceback" not in err and len(err.splitlines()) == 1
          and all(n in err for n in needles))
    if not ok:
        fail(f"{where}: expected exit 2, one line with {needles}; got {p.returncode}: {err[-600:]}")
    return ok


def no_bug(p: subprocess.CompletedProcess, where: str) -> bool:
    if p.returncode == 3 or "Traceback" in p.stderr:
        fail(f"{where}: exit {p.returncode}: {p.stderr.strip()[-800:]}")
        counts["exit 3 or traceback"] += 1
        return False
    return True


# -- corpora -----------------------------------------------------------------------------

def make_corpora(work: Path, n: int, rnd: random.Random) -> tuple[Path, Path]:
    rows = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    a, b = work / "A", work / "B"
    for d in (a, b):
        d.mkdir()

    def text(r, extra=""):
        paras = [p.strip() for p in r["text"].split("\n") if p.strip()]
        return f" date {r['date'][:7]} {paras[0]}\n\n" + "\n\n".join(paras[1:]) + extra + "\n"

    for i, r in enumerate(rows[:n]):
        sub = a / f"d{i % 7}"
        sub.mkdir(exist_ok=True)
        (sub / f"{r['id']}.txt").write_text(text(r), encoding="utf-8")
    shutil.rmtree(b)
    shutil.copytree(a, b, copy_function=shutil.copy2)  # (same mtimes: unchanged for the manifest)
    files = sorted(b.rglob("*.txt"))
    rnd.shuffle(files)
    k = max(1, n // 10)
    for f in files[:k]:
        f.unlink()
    for f in files[k:2 * k]:
        f.write_text(f.read_text(encoding="utf-8") + "\nNachtrag: Sturm über Berlin.\n",
                     encoding="utf-8")
    for r in rows[n:n + k]:
        (b / "d0" / f"{r['id']}.txt").write_text(text(r), encoding="utf-8")
    return a, b


def tree(root: Path) -> dict:
    import hashlib

    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                       p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def files_of(ix: Path) -> set[str]:
    return {str(p.relative_to(ix)) for p in ix.rglob("*") if p.is_file() and p.name != "writer.lock"}


# -- the loops ---------------------------------------------------------------------------

class Torture:
    def __init__(self, args):
        self.args = args
        self.rnd = random.Random(args.seed)
        self.work = Path(tempfile.mkdtemp(prefix="torture-"))
        self.a, self.b = make_corpora(self.work, args.articles, self.rnd)
        self.snapshots = {c: tree(c) for c in (self.a, self.b)}
        self.queries = self.work / "queries.txt"
        self.queries.write_text("\n".join(QUERIES) + "\n", encoding="utf-8")
        self.golden = {}
        self.seconds = {}
        for c in (self.a, self.b):
            ix = self.work / f"golden-{c.name}"
            t0 = time.monotonic()
            p = index(c, ix)
            self.seconds[c] = time.monotonic() - t0
            assert p.returncode == 0, p.stderr
            p, res = results(ix, self.queries)
            assert res is not None, p.stderr
            self.golden[c] = res
        assert self.golden[self.a] != self.golden[self.b], "A and B must give different results"
        # a base index with several segments and deletions: A, then B on top
        self.base = self.work / "base"
        assert index(self.a, self.base).returncode == 0
        assert index(self.b, self.base).returncode == 0
        p, res = results(self.base, self.queries)
        if res != self.golden[self.b]:
            fail("an incremental run from A to B does not give B's clean results")

    def check_corpora(self, where: str):
        for c, snap in self.snapshots.items():
            if tree(c) != snap:
                fail(f"{where}: corpus {c.name} changed")
                self.snapshots[c] = tree(c)

    def state(self, ix, where: str, *allowed) -> Path | None:
        """Which corpus's results the index gives (one of `allowed`), or None."""
        p, res = results(ix, self.queries)
        if res is None:
            fail(f"{where}: search failed: {p.returncode} {p.stderr.strip()[-500:]}")
            return None
        for c in allowed:
            if res == self.golden[c]:
                return c
        fail(f"{where}: results are neither {' nor '.join(c.name for c in allowed)}'s")
        return None

    # -- kill -9 -------------------------------------------------------------------------

    def kill_loop(self, until: float):
        ix = self.work / "kill"
        shutil.copytree(self.base, ix)
        have = self.b
        while time.monotonic() < until:
            target = self.a if have is self.b else self.b
            rebuild = self.rnd.random() < 0.5
            victim = "worker" if rebuild and self.rnd.random() < 0.35 else "main"
            where = f"kill {victim} of {'rebuild' if rebuild else 'update'} {have.name}->{target.name}"
            proc = start("index", target, "--index", ix, "--quiet", "--jobs", "2",
                         *(["--rebuild"] if rebuild else []))
            killed = self._kill(proc, victim, self.seconds[target] * (1.2 if rebuild else 0.6))
            out, err = proc.communicate(timeout=120)
            self._no_leftovers(proc.pid, where)
            counts[f"kill: {victim} killed" if killed else f"kill: {victim} finished first"] += 1
            if victim == "worker" and killed and proc.returncode != 0:
                one_line_error(subprocess.CompletedProcess(proc.args, proc.returncode, out, err),
                               where, "worker stopped", "as it was before")
                now = self.state(ix, where, have)
            else:
                if proc.returncode not in (0, -signal.SIGKILL):
                    fail(f"{where}: exit {proc.returncode}: {err.strip()[-500:]}")
                now = self.state(ix, where, have, target)
            v = run("verify", "--index", ix)
            if v.returncode != 0:
                fail(f"{where}: verify after the kill: {v.stderr.strip()}")
            p = index(target, ix)
            if p.returncode != 0:
                fail(f"{where}: the next run: {p.returncode} {p.stderr.strip()[-500:]}")
            if self.state(ix, where + ", then a full run", target) is target:
                counts["kill: recovered to a clean build's results"] += 1
            counts[f"kill: state after the kill = {'after' if now is target else 'before'}"] += 1
            have = target
            self.check_corpora(where)

    def _kill(self, proc: subprocess.Popen, victim: str, span: float) -> bool:
        """Kills the main process, or a worker once one runs, at a random moment."""
        deadline = time.monotonic() + self.rnd.uniform(0.05, max(span, 0.3))
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        if victim == "worker":
            while proc.poll() is None:
                kids = _children(proc.pid)
                if kids:
                    os.kill(self.rnd.choice(kids), signal.SIGKILL)
                    return True
                time.sleep(0.005)
            return False
        if proc.poll() is None:
            proc.kill()  # (its workers die with it: PR_SET_PDEATHSIG)
            return True
        return False

    def _no_leftovers(self, pgid: int, where: str):
        for _ in range(100):
            if not _group(pgid):
                return
            time.sleep(0.05)
        fail(f"{where}: processes left behind: {_group(pgid)}")
        for pid in _group(pgid):
            os.kill(pid, signal.SIGKILL)

    # -- a full disk ---------------------------------------------------------------------

    def full_loop(self, until: float):
        if shutil.which("unshare") is None or subprocess.run(
                ["unshare", "-rm", "true"], capture_output=True).returncode != 0:
            counts["full: skipped (no user namespaces for a tmpfs)"] += 1
            return
        state = self.work / "full-state.json"
        state.write_text(json.dumps({
            "a": str(self.a), "b": str(self.b), "queries": str(self.queries),
            "golden": {str(c): v for c, v in self.golden.items()}, "until": until - time.monotonic(),
            "seed": self.rnd.random(), "size": sum(f.stat().st_size for f in self.base.rglob("*"))}))
        mount = self.work / "tmpfs"
        mount.mkdir()
        p = subprocess.run(["unshare", "-rm", sys.executable, __file__, "--inner-full", str(state),
                            str(mount)], capture_output=True, text=True, env=ENV, timeout=3600)
        if p.returncode != 0 or not p.stdout.strip():
            fail(f"full: the run in a namespace failed: {p.returncode} {p.stderr[-1500:]}")
            return
        inner = json.loads(p.stdout.strip().splitlines()[-1])
        counts.update(inner["counts"])
        for f in inner["failures"]:
            fail(f)
        self.check_corpora("full")

    # -- corruption ----------------------------------------------------------------------

    def corrupt_loop(self, until: float):
        victims = sorted(files_of(self.base))
        live = _live_files(self.base)
        n = 0
        while time.monotonic() < until:
            rel = victims[n % len(victims)]
            n += 1
            ix = self.work / "corrupt"
            shutil.rmtree(ix, ignore_errors=True)
            shutil.copytree(self.base, ix)
            path = ix / rel
            how = self._damage(path)
            kind = _kind(rel) + ("" if rel in live else " (the commit before's, kept for readers)")
            where = f"corrupt {rel} ({how})"
            counts[f"corrupt: {kind} damaged"] += 1
            p, res = results(ix, self.queries)
            if not no_bug(p, where + ": search"):
                continue
            if res is None:
                if one_line_error(p, where + ": search", "searchidx index --rebuild"):
                    named = rel.split("/")[-1] in p.stderr or "CURRENT" in p.stderr
                    counts[f"corrupt: {kind}: search exit 2 naming "
                           f"{'the file' if named else 'another file'}"] += 1
            elif res == self.golden[self.b]:
                counts[f"corrupt: {kind}: same results"] += 1
            else:
                v = run("verify", "--index", ix)
                no_bug(v, where + ": verify")
                if v.returncode == 2 and rel.split("/")[-1] in v.stderr:
                    counts[f"corrupt: {kind}: other results, verify names the file"] += 1
                else:
                    fail(f"{where}: results changed and verify did not name the file: {v.stderr}")
            v = run("verify", "--index", ix)
            no_bug(v, where + ": verify")
            if v.returncode == 0:
                counts[f"corrupt: {kind}: verify finds nothing wrong"] += 1
            u = index(self.b, ix)  # (nothing to do: it fails on damage it sees, or repairs it)
            if no_bug(u, where + ": index") and u.returncode != 0:
                one_line_error(u, where + ": index", "searchidx index --rebuild")
            counts[f"corrupt: index run exit {u.returncode}"] += 1
            if n % 3 == 0 or u.returncode != 0 or res is None:
                r = index(self.b, ix, "--rebuild")
                if r.returncode == 0 and self.state(ix, where + ", rebuilt", self.b):
                    counts["corrupt: --rebuild recovered"] += 1
                else:
                    fail(f"{where}: --rebuild: {r.returncode} {r.stderr.strip()[-500:]}")
        self.check_corpora("corrupt")

    def _damage(self, path: Path) -> str:
        data = path.read_bytes()
        how = self.rnd.choice(["flip", "flip", "flip", "truncate", "empty", "remove", "append"])
        if how == "flip" and data:
            i = self.rnd.randrange(len(data))
            data = data[:i] + bytes([data[i] ^ (1 << self.rnd.randrange(8))]) + data[i + 1:]
            path.write_bytes(data)
            return f"bit flipped at {i} of {len(data)}"
        if how == "truncate" and len(data) > 1:
            k = self.rnd.randrange(1, len(data))
            path.write_bytes(data[:k])
            return f"cut to {k} of {len(data)} bytes"
        if how == "remove":
            path.unlink()
            return "removed"
        if how == "append":
            path.write_bytes(data + os.urandom(self.rnd.randrange(1, 64)))
            return "bytes appended"
        path.write_bytes(b"")
        return "emptied"

    # -- concurrency ---------------------------------------------------------------------

    def concur_loop(self, until: float):
        ix = self.work / "concur"
        shutil.copytree(self.base, ix)
        have = self.b
        while time.monotonic() < until:
            target = self.a if have is self.b else self.b
            rebuild = self.rnd.random() < 0.5
            writers = [start("index", target, "--index", ix, "--quiet", "--jobs", "2",
                             *(["--rebuild"] if rebuild else []))
                       for _ in range(1 if self.rnd.random() < 0.5 else 3)]
            where = f"concur {'rebuild' if rebuild else 'update'} x{len(writers)}"
            while any(w.poll() is None for w in writers):
                if self.state(ix, where + ": a search during the run", have, target):
                    counts["concur: searches during index runs"] += 1
            ok = 0
            for w in writers:
                out, err = w.communicate()
                if w.returncode == 0:
                    ok += 1
                elif one_line_error(subprocess.CompletedProcess(w.args, w.returncode, out, err),
                                    where, "is writing"):
                    counts["concur: writers told another is writing"] += 1
            counts["concur: writers that ran"] += ok
            if ok < 1:
                fail(f"{where}: no writer ran")
            if self.state(ix, where + ": after", target):
                have = target
            self.check_corpora(where)


def _kind(rel: str) -> str:
    name = rel.split("/")[-1]
    if name.startswith("s") and "." in name and name[1:7].isdigit():
        return "segment " + ("deletions" if ".del" in name else name.rsplit(".", 1)[1])
    return name.split("-")[0].split(".")[0]


def _live_files(ix: Path) -> set[str]:
    """The files the live commit needs (relative to the index folder)."""
    gen = (ix / "CURRENT").read_text().split()[0]
    body = json.loads((ix / gen / "commit.json").read_text())["body"]
    names = set(body["user_data"]["files"]) | {"meta.json", "commit.json"}
    for seg in body["segments"]:
        names |= {seg["name"] + ".json", seg["name"] + ".dat", seg.get("deleted") or "commit.json"}
    return {"CURRENT"} | {f"{gen}/{name}" for name in names}


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _group(pgid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(entry))
    return out


# -- in the namespace: the full-disk loop ------------------------------------------------

def inner_full(state_file: str, mount: str) -> None:
    """Runs in `unshare -rm`: mounts a tmpfs, fills it, runs index runs."""
    st = json.loads(Path(state_file).read_text())
    rnd = random.Random(st["seed"])
    a, b, queries = Path(st["a"]), Path(st["b"]), st["queries"]
    golden = {Path(k): {q: tuple(v) for q, v in g.items()} for k, g in st["golden"].items()}
    until = time.monotonic() + st["until"]
    size = int(st["size"])
    mnt = Path(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size * 4 // 1024 + 64}k", "tmpfs",
                    str(mnt)], check=True)
    ix, filler = mnt / "index", mnt / "filler"

    def state(where, *allowed):
        p, res = results(ix, queries)
        res = {q: tuple(v) for q, v in res.items()} if res else None
        for c in allowed:
            if res == golden[c]:
                return c
        fail(f"{where}: results are neither {' nor '.join(c.name for c in allowed)}'s "
             f"({p.returncode} {p.stderr.strip()[-300:]})")
        return None

    have = None
    while time.monotonic() < until:
        target = b if have is a else a
        rebuild = have is None or rnd.random() < 0.4
        before = files_of(ix) if ix.exists() else set()
        free = shutil.disk_usage(mnt).free
        room = rnd.randrange(0, int(size * 1.6))
        with open(filler, "wb") as f:  # leave `room` bytes
            try:
                f.write(b"\0" * max(0, free - room))
            except OSError:
                pass
        where = f"full {'rebuild' if rebuild else 'update'} to {target.name} with {room} bytes free"
        p = index(target, ix, *(["--rebuild"] if rebuild else []))
        filler.unlink()
        if p.returncode == 0:
            counts["full: the run fitted"] += 1
            have = state(where, target) or target
            continue
        no_bug(p, where)
        if one_line_error(p, where, "No space left on device", "as it was before"):
            counts["full: failed, one line naming the path"] += 1
            if f"searchidx: {mnt}" not in p.stderr:
                fail(f"{where}: the message names no path in the index: {p.stderr.strip()}")
        after = files_of(ix) if ix.exists() else set()
        if after != before:
            fail(f"{where}: files left or lost: +{sorted(after - before)[:5]} "
                 f"-{sorted(before - after)[:5]}")
        else:
            counts["full: the index's files as before"] += 1
        if have is not None and state(where + ": after the failure", have):
            counts["full: results as before"] += 1
        p = index(target, ix, *(["--rebuild"] if rebuild else []))
        if p.returncode != 0:
            fail(f"{where}: the run with room: {p.returncode} {p.stderr.strip()[-300:]}")
        elif state(where + ": with room", target):
            counts["full: the next run with room succeeded"] += 1
            have = target
    subprocess.run(["umount", str(mnt)])
    print(json.dumps({"counts": counts, "failures": failures}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=4.0)
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--inner-full", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner_full:
        inner_full(*args.inner_full)
        return
    t0 = time.monotonic()
    t = Torture(args)
    budget = args.minutes * 60 - (time.monotonic() - t0)
    shares = (("kill", 0.35), ("full", 0.2), ("corrupt", 0.3), ("concur", 0.15))
    for name, share in shares:
        print(f"-- {name}", file=sys.stderr, flush=True)
        getattr(t, f"{name}_loop")(time.monotonic() + budget * share)
    print(f"\ntorture: {args.articles} articles, seed {args.seed}, "
          f"{time.monotonic() - t0:.0f} s, work folder {t.work}")
    for key in sorted(counts):
        print(f"  {counts[key]:6d}  {key}")
    print(f"  {len(failures):6d}  FAILURES")
    for f in failures[:30]:
        print(f"          {f}")
    if not args.keep:
        shutil.rmtree(t.work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
