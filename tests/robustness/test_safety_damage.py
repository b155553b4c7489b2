"""Issue 19, failures 1 and 4: nothing in an index runs as code, and a damaged
file is found and named, with the remedy, which works from any damaged state.

1. A pickle payload planted in the index ran on an ordinary search.
4. A non-UTF-8 byte in CURRENT, a bad line in the vocabulary, flipped bytes in
   a segment: exit 3 "internal error", `--rebuild` did not recover, some
   corruptions silently changed results, a deleted vocabulary silently turned
   typo correction off for good.
"""
from __future__ import annotations

import ast
import pickle
import shutil
from pathlib import Path

import pytest

from searchidx import Index, arrayfile, checksums
from searchidx.errors import IndexDamaged, SearchidxError

from robust_helpers import run_cli
from safety_helpers import (WORD, array_span, files, flip, gen_of, segment_files,
                            total)

PACKAGE = Path(__file__).resolve().parents[2] / "searchidx"


# -- 1. no code from data ------------------------------------------------------------

class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_payload_in_every_index_file_runs_nothing(small, ix, tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    for p in [ix / "CURRENT", *gen_of(ix).iterdir()]:
        p.write_bytes(payload)
    for args in (["search", WORD], ["show", "art0"], ["stats"], ["verify"], ["index", small[0]]):
        proc = run_cli(*args, "--index", str(ix))
        assert proc.returncode == 2, (args, proc.stderr)
        assert "is damaged" in proc.stderr and "searchidx index --rebuild" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert run_cli("index", small[0], "--index", str(ix), "--rebuild").returncode == 0
    assert total(ix) == 4
    assert not marker.exists()


def test_nothing_unpickles_or_evaluates():
    """The only pickle is workers.py's: messages between a process and the
    workers it forked, never a file."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                bad = {"pickle", "marshal", "shelve", "dill", "cloudpickle"} & set(names)
                assert not bad or path.name == "workers.py", (path, bad)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), (path, node.lineno)


# -- 4. damage found, named, and rebuilt from ----------------------------------------

def _current_names(ix: Path, name: str):
    (ix / "CURRENT").write_text(checksums.line(name), encoding="utf-8")


def _small_array(ix: Path):
    dat = segment_files(ix, ".dat")[0]
    off, n = array_span(dat, "head.df")
    flip(dat, off + n // 2)


DAMAGE = {  # what is done -> (how, the file the error names)
    "CURRENT garbage": (lambda ix: (ix / "CURRENT").write_bytes(b"\x00garbage\n"), "CURRENT"),
    "CURRENT not UTF-8": (lambda ix: (ix / "CURRENT").write_bytes(b"gen-00\xff001\n"), "CURRENT"),
    "CURRENT flipped": (lambda ix: flip(ix / "CURRENT", 9), "CURRENT"),
    "CURRENT names a missing generation": (lambda ix: _current_names(ix, "gen-000009"), "CURRENT"),
    "CURRENT removed": (lambda ix: (ix / "CURRENT").unlink(), "CURRENT"),
    "generation folder removed": (lambda ix: shutil.rmtree(gen_of(ix)), "CURRENT"),
    "meta.json garbage": (lambda ix: (gen_of(ix) / "meta.json").write_text("{x"), "meta.json"),
    "meta.json changed": (lambda ix: flip(gen_of(ix) / "meta.json", 20), "meta.json"),
    "commit.json flipped": (lambda ix: flip(gen_of(ix) / "commit.json", 40), "commit.json"),
    "commit.json removed": (lambda ix: (gen_of(ix) / "commit.json").unlink(), "commit.json"),
    "segment description cut": (lambda ix: (lambda p: p.write_bytes(p.read_bytes()[:50]))(
        segment_files(ix, ".json")[0]), ".json"),
    "segment data truncated": (lambda ix: (lambda p: p.write_bytes(p.read_bytes()[:100]))(
        segment_files(ix, ".dat")[0]), ".dat"),
    "segment data grown": (lambda ix: (lambda p: p.write_bytes(p.read_bytes() + b"x"))(
        segment_files(ix, ".dat")[0]), ".dat"),
    "segment data removed": (lambda ix: segment_files(ix, ".dat")[0].unlink(), ".dat"),
    "segment data flipped (a small array)": (_small_array, ".dat"),
    "deletions flipped": (lambda ix: flip(next(gen_of(ix).glob("*.del*")), 9), ".del"),
}


@pytest.mark.parametrize("what", DAMAGE)
def test_damage_is_named_and_rebuild_recovers(small, ix, what):
    damage, named = DAMAGE[what]
    damage(ix)
    with Index(str(ix)) as index, pytest.raises(IndexDamaged) as e:
        index.search(WORD)
    message = str(e.value)
    assert named in message and "run `searchidx index --rebuild`" in message, message
    if what != "CURRENT removed":  # (without it, an update builds anew)
        before = files(ix)
        with pytest.raises(SearchidxError, match="rebuild"):  # an update does not write into it
            Index(str(ix)).index([str(small[0])])
        assert files(ix) == before
    report = Index(str(ix)).index([str(small[0])], rebuild=True)  # reads nothing of it
    assert report.added == 7
    assert total(ix) == 4


@pytest.mark.parametrize("what", ["CURRENT not UTF-8", "segment data truncated", "deletions flipped"])
def test_damage_on_the_command_line_is_one_line_exit_2(small, ix, what):
    DAMAGE[what][0](ix)
    for args in (["search", WORD], ["show", "art0"], ["similar", "art0"], ["stats"], ["verify"]):
        proc = run_cli(*args, "--index", str(ix))
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
        line, = proc.stderr.strip().splitlines()
        assert line.startswith("searchidx: ") and DAMAGE[what][1] in line, line
        assert "run `searchidx index --rebuild`" in line
    proc = run_cli("index", "--rebuild", "--index", str(ix), "--quiet")  # its roots: found anyway
    assert proc.returncode == 0, proc.stderr
    assert total(ix) == 4


def test_damage_in_a_large_array_is_found_by_verify_and_by_a_merge(small, ix, monkeypatch):
    """Opening checks arrays up to arrayfile.SMALL bytes; a flip in a larger
    one (here: every one) is found by `verify`, and by a merge, which must not
    carry it into a new segment."""
    monkeypatch.setattr(arrayfile, "SMALL", 0)
    dat = segment_files(ix, ".dat")[0]
    off, n = array_span(dat, "body.pos")
    flip(dat, off + n // 2)
    with Index(str(ix)) as index:
        index.search(WORD)  # (positions: not read by this query)
        problems = index.verify()
    assert len(problems) == 1 and dat.name in problems[0] and "body.pos" in problems[0]
    proc = run_cli("verify", "--index", str(ix))
    assert proc.returncode == 2 and dat.name in proc.stderr, proc.stderr
    # deleting most of the first segment's articles has it merged (rewritten alone)
    corpus = small[0]
    moved = corpus.parent / "moved"
    moved.mkdir(exist_ok=True)
    try:
        for p in sorted(corpus.glob("art*.txt"))[:3]:
            p.rename(moved / p.name)
        with pytest.raises(IndexDamaged, match=dat.name):
            Index(str(ix)).index([str(corpus)], jobs=1)
    finally:
        for p in moved.iterdir():
            p.rename(corpus / p.name)


def test_an_error_inside_a_search_is_told_apart_from_damage(small, ix, monkeypatch):
    """An exception from inside the index has the files checked whole: damage
    is named (exit 2); without damage it is a bug and stays one (exit 3)."""
    from searchidx.backend.native.reader import NativeReader

    def broken(self, *a, **k):
        raise IndexError("index 123456 is out of bounds")

    monkeypatch.setattr(NativeReader, "search", broken)
    with Index(str(ix)) as index, pytest.raises(IndexError):
        index.search(WORD)
    monkeypatch.setattr(arrayfile, "SMALL", 0)
    dat = segment_files(ix, ".dat")[-1]
    off, n = array_span(dat, "body.docs")
    flip(dat, off)
    with Index(str(ix)) as index, pytest.raises(IndexDamaged, match=dat.name):
        index.search(WORD)


@pytest.mark.parametrize("call, array", [("search", "stored.data"), ("kwic", "stored.data"),
                                         ("counts", "body.docs"), ("trend", "body.docs")])
def test_damage_met_while_reading_is_named_by_every_command(small, ix, monkeypatch, call, array):
    """Damage where opening does not look (a large array): trend and kwic
    name the file as search does, not "internal error"."""
    monkeypatch.setattr(arrayfile, "SMALL", 0)
    for dat in segment_files(ix, ".dat"):
        off, n = array_span(dat, array)
        data = bytearray(dat.read_bytes())
        for at in range(off + 3, off + n, 7):  # (the high byte of a little-endian number too)
            data[at] ^= 0x41
        dat.write_bytes(bytes(data))
    args = {"search": (WORD,), "counts": (WORD,), "trend": ([WORD],), "kwic": (WORD,)}[call]
    with Index(str(ix)) as index, pytest.raises(IndexDamaged, match=r"\.dat"):
        getattr(index, call)(*args)


# -- the vocabulary and the manifest are made anew -------------------------------------

@pytest.mark.parametrize("damage", ["removed", "a bad line"])
def test_a_damaged_vocabulary_keeps_correction_and_is_written_anew(small, ix, damage):
    gen = gen_of(ix)
    vocab = sorted(gen.glob("vocab-*.tsv"))[-1]  # (the last commit's)
    if damage == "removed":
        vocab.unlink()
    else:
        vocab.write_bytes(vocab.read_bytes().replace(b"\n", b"\nkaputt ohne Zahl\n", 1))
    with Index(str(ix)) as index:
        assert index.search("Zitronenfaltr").suggestion.lower() == "zitronenfalter"
    warnings = []
    Index(str(ix)).index([str(small[0])], warn=warnings.append)  # nothing changed but this
    assert any("vocabulary is written anew" in w for w in warnings), warnings
    assert run_cli("verify", "--index", str(ix)).returncode == 0
    with Index(str(ix)) as index:
        assert index.search("Zitronenfaltr").suggestion.lower() == "zitronenfalter"


def test_a_damaged_manifest_is_made_anew_from_the_index(small, ix):
    manifest = sorted(gen_of(ix).glob("manifest-*.dat"))[-1]  # (the last commit's)
    flip(manifest, manifest.stat().st_size - 30)  # (in its directory)
    warnings = []
    report = Index(str(ix)).index([str(small[0])], warn=warnings.append)
    assert any("manifest is made anew" in w for w in warnings), warnings
    assert (report.added, report.deleted) == (0, 0)
    assert run_cli("verify", "--index", str(ix)).returncode == 0
    assert total(ix) == 4


# -- versions ----------------------------------------------------------------------------

def test_an_older_version_asks_for_a_rebuild_not_damage(small, ix):
    import json

    meta = gen_of(ix) / "meta.json"
    old = json.loads(meta.read_text())
    old.pop("crc32")
    old["schema_version"] = 7  # (the last version without checksums)
    meta.write_text(json.dumps(old))
    (ix / "CURRENT").write_text(gen_of(ix).name + "\n")  # (CURRENT as it wrote it)
    proc = run_cli("search", WORD, "--index", str(ix))
    assert proc.returncode == 2 and "incompatible searchidx version" in proc.stderr, proc.stderr
    assert run_cli("index", small[0], "--index", str(ix), "--rebuild").returncode == 0
    assert total(ix) == 4
