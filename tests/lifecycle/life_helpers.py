"""Helpers for the index lifecycle suite: the 3,000-article corpus, copies of
indexes, running `python -m searchidx` as a background process, and finding
(and cleaning up) worker processes a killed writer leaves behind."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from support import WIKINEWS, run_cli

N_ARTICLES = 3000
CLI = [sys.executable, "-m", "searchidx"]
ENV = {k: v for k, v in os.environ.items() if k not in ("SEARCHIDX_DEBUG", "SEARCHIDX_INDEX")}


def make_corpus(dest: Path, n: int = N_ARTICLES) -> int:
    """Plain dated files like /work/shared/bench/make_corpus.py: ` date YYYY-MM <lead>`,
    a blank line, paragraphs. Three copies under copy000..copy002 (3 x 998 articles),
    topped up to exactly `n` files from the first articles in copy003."""
    rows = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    written = 0
    k = 0
    while written < n:
        sub = dest / f"copy{k:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        for r in rows[: n - written]:
            paras = [p.strip() for p in r["text"].split("\n") if p.strip()]
            lead, rest = paras[0], paras[1:]
            (sub / f"{r['id']}.txt").write_text(
                f" date {r['date'][:7]} {lead}\n\n" + "\n\n".join(rest) + "\n", encoding="utf-8")
            written += 1
        k += 1
    return written


def tree_hashes(root: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (sha256, mtime_ns) for every file under root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = (hashlib.sha256(f.read()).hexdigest(),
                                                 os.stat(p).st_mtime_ns)
    return out


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)  # copy2: keeps mtimes, so manifests stay valid
    return dst


def index_json(corpus, ix, *extra, check=0) -> tuple[subprocess.CompletedProcess, dict | None]:
    """`searchidx index CORPUS --index IX --format json --quiet ...` -> (proc, report)."""
    args = ["index", *([corpus] if corpus is not None else []), "--index", ix,
            "--format", "json", "--quiet", *extra]
    proc = run_cli(*args, check=check)
    report = json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else None
    return proc, report


def stats(ix) -> dict:
    return json.loads(run_cli("stats", "--index", ix, "--format", "json", check=0).stdout)


def search(ix, query, *extra) -> tuple[subprocess.CompletedProcess, dict | None]:
    proc = run_cli("search", query, "--index", ix, "--format", "json", *extra)
    data = json.loads(proc.stdout) if proc.returncode in (0, 1) and proc.stdout.strip() else None
    return proc, data


def start_cli(*args, **kw) -> subprocess.Popen:
    """Start `python -m searchidx ARGS` in its own session (so its workers can be found)."""
    return subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV,
                            start_new_session=True, **kw)


def group_pids(pgid: int) -> list[int]:
    """Live processes in process group `pgid` (zombies excluded)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                data = f.read()
        except OSError:
            continue
        fields = data.rsplit(")", 1)[1].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            pids.append(int(entry))
    return pids


def wait_group_gone(pgid: int, timeout: float) -> float | None:
    """Seconds until no process of the group is left, or None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if not group_pids(pgid):
            return time.monotonic() - t0
        time.sleep(0.1)
    return None


def kill_group_members(pgid: int):
    """SIGKILL, one by one by pid, the processes we started (group = our Popen's pid)."""
    for pid in group_pids(pgid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_group_gone(pgid, 10)


def lock_holder(ix: Path) -> str:
    try:
        return (ix / "writer.lock").read_text().strip()
    except OSError:
        return ""


def generations(ix: Path) -> list[str]:
    return sorted(p.name for p in ix.iterdir() if p.name.startswith("gen-"))


def current(ix: Path) -> str:
    return (ix / "CURRENT").read_text().split()[0]  # (the name, then its checksum)


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def one_line_error(proc, *needles):
    """Assert the process failed the way a user should see it: exit 2, one line, no traceback."""
    err = proc.stderr.strip()
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], err[-2000:])
    assert "Traceback" not in err, err
    assert len(err.splitlines()) == 1, err
    for n in needles:
        assert n in err, (n, err)
    return err
