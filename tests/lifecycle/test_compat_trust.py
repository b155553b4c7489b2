"""An index from an incompatible version, and an index folder others may write to."""
from __future__ import annotations

import json
import os

from life_helpers import current, index_json, one_line_error, search
from support import run_cli


def _set_meta(ix, **changes):
    """The generation's meta.json as an older version wrote it (no checksum)."""
    meta_path = ix / current(ix) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(changes)
    meta.pop("crc32", None)
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


def test_an_index_others_may_write_is_used(small_corpus, tmp_path):
    """Nothing in an index runs as code (no pickle: JSON and raw numeric
    arrays, checksummed), so a folder others may write is no longer refused:
    they could change what it finds, as they could change the corpus."""
    ix = tmp_path / "index"
    index_json(small_corpus, ix)
    for folder in (ix, ix / current(ix)):
        os.chmod(folder, os.stat(folder).st_mode | 0o022)
    p, res = search(ix, "Regierung")
    assert p.returncode == 0 and res["total"] > 0, p.stderr
    _, rep = index_json(small_corpus, ix)
    assert rep["unchanged"] == 40, rep


def test_record_hashes_stay_those_of_existing_indexes():
    """A changed multi-article file keeps its unchanged records only if their
    hashes match the manifest's, written by earlier versions: the hash of the
    article's JSON with sorted keys, without its format."""
    from searchidx.indexing.documents import stored_article, stored_json
    from searchidx.indexing.indexer import record_hash
    from searchidx.model import Article

    art = Article(id="welt/42", path="welt/42.jsonl", title="Überschrift", lead="Vorspann",
                  body="Text mit Ümlaut und ß.", date="2024-06", authors=["Anna Muster"],
                  tags=["Politik"], links=[{"number": 1, "target": "https://taz.de"}],
                  format="jsonl")
    record = art.record()
    assert record_hash(record) == "ccb7e805dbd8a38aeca543ff"  # as the first versions computed it
    stored = json.loads(stored_json(art, record, "welt.jsonl", "ccb7e805dbd8a38aeca543ff"))
    assert stored == art.to_dict() | {"format": "jsonl", "source": "welt.jsonl",
                                      "record_hash": "ccb7e805dbd8a38aeca543ff"}
    assert stored_article(stored_json(art).encode()) == art
