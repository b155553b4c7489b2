"""An index from an incompatible version, and an index folder others may write to."""
from __future__ import annotations

import json
import os

from life_helpers import current, index_json, one_line_error, search
from support import run_cli


def _set_meta(ix, **changes):
    meta_path = ix / current(ix) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(changes)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def test_incompatible_version_then_rebuild(small_corpus, tmp_path):
    ix = tmp_path / "index"
    index_json(small_corpus, ix)
    _set_meta(ix, schema_version=999)
    one_line_error(run_cli("search", "x", "--index", ix), "searchidx index --rebuild")
    one_line_error(run_cli("search", "Regierung", "--index", ix, "--format", "json"),
                   "searchidx index --rebuild")
    # An incremental run must not write into it either.
    one_line_error(run_cli("index", small_corpus, "--index", ix), "searchidx index --rebuild")
    _, rep = index_json(small_corpus, ix, "--rebuild")
    assert rep["rebuilt"] and rep["added"] == 40, rep
    p, res = search(ix, "Regierung")
    assert p.returncode == 0 and res["total"] > 0, p.stderr


def test_world_writable_index_refused(small_corpus, tmp_path):
    ix = tmp_path / "index"
    index_json(small_corpus, ix)
    mode = os.stat(ix).st_mode
    os.chmod(ix, mode | 0o002)
    try:
        err = one_line_error(run_cli("search", "x", "--index", ix), "world-writable")
        assert "chmod o-w" in err, err
        one_line_error(run_cli("index", small_corpus, "--index", ix), "world-writable")
    finally:
        os.chmod(ix, mode)
    assert search(ix, "Regierung")[0].returncode == 0
    gen = ix / current(ix)
    gmode = os.stat(gen).st_mode
    os.chmod(gen, gmode | 0o002)
    try:
        one_line_error(run_cli("search", "x", "--index", ix), "world-writable")
    finally:
        os.chmod(gen, gmode)
