"""Incremental re-index: only what changed is touched, and fast (issue acceptance figures)."""
from __future__ import annotations

import json
import os
import time

from life_helpers import N_ARTICLES, index_json, search, stats
from support import run_cli

NEW_WORD = "Quokkaparadeplatz"
CHANGED_WORD = "Wombatkapelle"


def _distinctive_word(ix, path, article_id):
    """A word of the article whose search finds only its three copies."""
    from searchidx import Index
    text = path.read_text(encoding="utf-8")
    words = sorted({w.strip(".,;:!?()\"'„“«»–") for w in text.split()}, key=len, reverse=True)
    with Index(str(ix)) as idx:
        for w in words:
            if not w.isalpha() or len(w) < 9:
                continue
            r = idx.search(w, limit=20)
            ids = {h.id for h in r.hits}
            if article_id in ids and r.total <= 3:
                return w
    raise AssertionError(f"no distinctive word found in {path}")


def test_noop_then_add_change_delete(built, ix_copy):
    full_seconds = built.report["seconds"]
    ix, corpus = ix_copy(with_corpus=True)

    _, noop = index_json(corpus, ix)
    assert (noop["added"], noop["updated"], noop["deleted"], noop["unchanged"]) == \
        (0, 0, 0, N_ARTICLES), noop
    assert noop["seconds"] <= 0.25 * full_seconds, (noop["seconds"], full_seconds)

    files = sorted((corpus / "copy000").glob("*.txt"))
    changed = files[10]
    changed_id = f"copy000/{changed.stem}"
    old_word = _distinctive_word(ix, changed, changed_id)
    deleted = corpus / "copy001" / files[20].name
    deleted_id = f"copy001/{files[20].stem}"
    added = corpus / "copy002" / "neu-0001.txt"
    added_id = "copy002/neu-0001"

    added.write_text(f" date 2024-05 Im Zoo eröffnet der {NEW_WORD}.\n\n"
                     "Die Tiere marschieren jeden Morgen.\n", encoding="utf-8")
    changed.write_text(f" date 2023-02 Die {CHANGED_WORD} spielt heute abend.\n\n"
                       "Ein ganz neuer Text ohne die alten Wörter.\n", encoding="utf-8")
    deleted.unlink()

    _, rep = index_json(corpus, ix)
    assert (rep["added"], rep["updated"], rep["deleted"]) == (1, 1, 1), rep
    assert rep["unchanged"] == N_ARTICLES - 2, rep
    assert rep["seconds"] <= 0.30 * full_seconds, (rep["seconds"], full_seconds)

    _, res = search(ix, NEW_WORD)
    assert res and [h["id"] for h in res["results"]] == [added_id], res
    _, res = search(ix, CHANGED_WORD)
    assert res and [h["id"] for h in res["results"]] == [changed_id], res
    _, res = search(ix, old_word, "--limit", "50", "--no-correct")
    assert res is not None and changed_id not in [h["id"] for h in res["results"]], (old_word, res)
    show = run_cli("show", deleted_id, "--index", ix)
    assert show.returncode != 0, show.stdout[:300]
    assert run_cli("show", changed_id, "--index", ix, check=0)
    assert stats(ix)["documents"] == N_ARTICLES


def test_touch_without_change_is_unchanged(built, ix_copy):
    ix, corpus = ix_copy(with_corpus=True)
    f = sorted((corpus / "copy001").glob("*.txt"))[5]
    later = time.time() + 3600
    os.utime(f, (later, later))
    _, rep = index_json(corpus, ix)
    assert (rep["added"], rep["updated"], rep["deleted"], rep["unchanged"]) == \
        (0, 0, 0, N_ARTICLES), rep
    # The touch is remembered: the next run is a plain no-op as well.
    _, rep2 = index_json(corpus, ix)
    assert (rep2["added"], rep2["updated"], rep2["deleted"], rep2["unchanged"]) == \
        (0, 0, 0, N_ARTICLES), rep2


def test_jsonl_one_record_changes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [{"id": i, "title": f"Meldung {i}", "date": "2022-03-01",
                "text": f"Bericht Nummer {i} über den Stadtrat und das Wetter."} for i in range(50)]

    def write():
        with open(corpus / "dump.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    write()
    ix = tmp_path / "index"
    _, rep = index_json(corpus, ix)
    assert rep["added"] == 50, rep
    records[17]["text"] = f"Jetzt geht es um die {CHANGED_WORD} im Rathaus."
    write()
    _, rep = index_json(corpus, ix)
    assert (rep["added"], rep["updated"], rep["deleted"], rep["unchanged"]) == (0, 1, 0, 49), rep
    _, res = search(ix, CHANGED_WORD)
    assert res and [h["id"] for h in res["results"]] == ["dump/17"], res
    # A touched JSONL file with no change: everything unchanged.
    later = time.time() + 3600
    os.utime(corpus / "dump.jsonl", (later, later))
    _, rep = index_json(corpus, ix)
    assert (rep["added"], rep["updated"], rep["deleted"], rep["unchanged"]) == (0, 0, 0, 50), rep


def test_new_files_without_articles_write_no_index_generation(tmp_path):
    """A run that finds only unreadable or empty new files records them in the
    manifest (a commit of the manifest alone) but leaves the segments as they
    were (no new segment, no merging)."""
    from searchidx import Index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(" date 2024-06 Der Stadtrat tagt.\n\nEs geht um Geld.\n",
                                  encoding="utf-8")
    with Index(str(tmp_path / "ix")) as ix:
        ix.index([str(corpus)])
        segments = [s.name for s in ix.searcher().reader.segments]
        (corpus / "kaputt.txt").write_bytes(b"\x00\x01" * 40)
        (corpus / "leer.txt").write_text("", encoding="utf-8")
        report = ix.index([str(corpus)])
        # two files skipped (binary, empty), each named in a warning
        assert (report.added, report.skipped, len(report.warnings)) == (0, 2, 2)
        assert (report.skipped_files, report.skipped_articles) == (2, 0)
        assert [s.name for s in ix.searcher().reader.segments] == segments
        assert (report := ix.index([str(corpus)])).skipped == 1 and report.unchanged == 1
