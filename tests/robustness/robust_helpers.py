"""Shared helpers for the torture suite: seed files, running the CLI as a real
process, checking Article shapes, snapshotting a corpus tree."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path



from searchidx.model import Article

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO / "corpus"
SEEDS = sorted(SEED_DIR.glob("000_*.txt")) + sorted(SEED_DIR.glob("004_*.txt"))

DATE_RE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
STR_FIELDS = ("id", "path", "title", "kicker", "lead", "image_caption", "body",
              "location", "date", "format")
TRACEBACK = "Traceback"


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def copy_seeds(folder: Path) -> Path:
    """`folder` (made if need be) with the two seed articles in it."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    return folder


def run_cli(*args: str, stdin: str | None = None, timeout: float = 120,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m searchidx ARGS` as a real process, text mode, UTF-8."""
    e = dict(os.environ)
    e.pop("SEARCHIDX_DEBUG", None)
    e.pop("SEARCHIDX_INDEX", None)
    e["PYTHONIOENCODING"] = "utf-8"
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "searchidx", *args], input=stdin,
                          capture_output=True, text=True, encoding="utf-8",
                          errors="backslashreplace", timeout=timeout, env=e)


def assert_no_traceback(*texts: str):
    for t in texts:
        assert TRACEBACK not in (t or ""), t


def assert_one_line(stderr: str):
    lines = stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), f"expected one line on stderr, got {stderr!r}"


def check_article(a, *, article_id: str | None = None, id_prefix: str | None = None):
    """Every field of an Article has the documented type and shape."""
    assert isinstance(a, Article), type(a)
    for name in STR_FIELDS:
        v = getattr(a, name)
        assert type(v) is str, (name, type(v), v)
    assert a.date == "" or DATE_RE.fullmatch(a.date), a.date
    if article_id is not None:
        assert a.id == article_id
    if id_prefix is not None:
        assert a.id.startswith(id_prefix), a.id

    assert type(a.links) is list
    for link in a.links:
        assert type(link) is dict and set(link) == {"number", "target"}, link
        assert type(link["number"]) is int, link
        assert type(link["target"]) is str, link
    for name in ("authors", "tags"):
        v = getattr(a, name)
        assert type(v) is list, (name, v)
        assert all(type(x) is str for x in v), (name, v)
        assert len(v) == len(set(v)), (name, "duplicates", v)
    assert type(a.related) is list
    for r in a.related:
        assert type(r) is dict and set(r) == {"title", "teaser"}, r
        assert type(r["title"]) is str and type(r["teaser"]) is str, r
    # The public JSON shape must serialise.
    json.dumps(a.to_dict(), ensure_ascii=False)


def snapshot(root: Path) -> dict:
    """Path -> (kind, content hash / link target / mode) for everything under root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            if os.path.islink(p):
                out[rel] = ("link", os.readlink(p))
            elif os.path.isdir(p):
                out[rel] = ("dir", st.st_mode)
            elif not stat.S_ISREG(st.st_mode):  # FIFO, socket, device: never open
                out[rel] = ("special", st.st_mode)
            else:
                try:
                    h = hashlib.sha256()
                    with open(p, "rb") as f:
                        while block := f.read(1 << 20):
                            h.update(block)
                    digest = h.hexdigest()
                except PermissionError:
                    digest = "unreadable"
                out[rel] = ("file", st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out
