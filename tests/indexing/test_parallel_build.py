"""Builds with worker processes give the index a one-process build gives
(same documents in the same order, same ranking), report progress, and a
failing worker fails the run cleanly instead of hanging or half-committing."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil

import pytest

from searchidx import Index
from searchidx import workers
from searchidx.errors import RunFailed
from searchidx.indexing import indexer

from support import (PLAIN_SEED, TAZ_SEED, WIKINEWS, manifest_of, segments, stored_ids,
                     vocabulary_bytes, vocabulary_of)

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="worker processes need fork")

QUERIES = ["Putin Kim Raketen", "Bundesregierung Steuer", "Waffenlieferungen", "Papst Rom",
           '"Hand in Hand"', "Nordkorea", "Wahl date:2006"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("parallel-corpus")
    for src in (TAZ_SEED, PLAIN_SEED, WIKINEWS):
        shutil.copy(src, d / src.name)
    return d


@pytest.fixture
def small_batches_in_workers(monkeypatch):
    monkeypatch.setattr(indexer, "MIN_PARALLEL", 200)


def _ranked(ix: Index):
    return {q: [(h.id, round(h.score, 6)) for h in ix.search(q, limit=20).hits] for q in QUERIES}


def test_workers_build_the_index_one_process_builds(corpus, tmp_path, small_batches_in_workers):
    done = []
    one, two = Index(str(tmp_path / "one")), Index(str(tmp_path / "two"))
    report1 = one.index([str(corpus)], jobs=1)
    report2 = two.index([str(corpus)], jobs=2, progress=lambda n, total: done.append((n, total)))
    assert report1.added == report2.added == 1000
    assert segments(one) == 1 and segments(two) == 2
    assert stored_ids(one) == stored_ids(two)
    assert _ranked(one) == _ranked(two)
    assert done[-1] == (1000, 1000) and all(x[0] <= y[0] for x, y in zip(done, done[1:]))
    # and an incremental run on top of a parallel build works as usual
    (corpus / TAZ_SEED.name).write_text(TAZ_SEED.read_text(encoding="utf-8") + "\nNachtrag.\n",
                                        encoding="utf-8")
    try:
        assert two.index([str(corpus)], jobs=2).updated == 1
    finally:
        shutil.copy(TAZ_SEED, corpus / TAZ_SEED.name)
    one.close()
    two.close()


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_failing_worker_fails_the_run_and_changes_nothing(failure, corpus, tmp_path, monkeypatch,
                                                             small_batches_in_workers):
    ix = Index(str(tmp_path / "ix"))
    ix.index([str(TAZ_SEED.parent / TAZ_SEED.name)])  # a live index with one article
    before = ix.search("Putin").total
    real = indexer._articles_of
    parent = os.getpid()

    def explode(item, *args):
        if os.getpid() != parent and isinstance(item, tuple) and item[1].id.endswith("/80806"):
            if failure == "dies":
                os._exit(3)
            raise ValueError("boom")
        return real(item, *args)

    monkeypatch.setattr(indexer, "_articles_of", explode)
    error = (ValueError, "boom") if failure == "raises" else (RunFailed, r"exit code 3")
    with pytest.raises(error[0], match=error[1]):
        ix.index([str(corpus)], jobs=2, rebuild=True)
    assert multiprocessing.active_children() == []
    monkeypatch.setattr(indexer, "_articles_of", real)
    assert ix.search("Putin").total == before  # the old generation is still the live one
    ix.close()


def test_a_large_update_in_workers_on_top_of_an_index(corpus, tmp_path, small_batches_in_workers):
    """Workers' segments join the existing ones (which the parent may merge):
    the same articles and ranking as a one-process build of the whole corpus."""
    lines = WIKINEWS.read_text(encoding="utf-8").splitlines(keepends=True)
    part = tmp_path / "corpus"
    part.mkdir()
    (part / "a.jsonl").write_text("".join(lines[:300]), encoding="utf-8")
    two = Index(str(tmp_path / "two"))
    assert two.index([str(part)], jobs=2).added == 300
    (part / "b.jsonl").write_text("".join(lines[300:]), encoding="utf-8")
    assert two.index([str(part)], jobs=2).added == len(lines) - 300
    (tmp_path / "all").mkdir()
    (tmp_path / "all" / "a.jsonl").write_text("".join(lines[:300]), encoding="utf-8")
    (tmp_path / "all" / "b.jsonl").write_text("".join(lines[300:]), encoding="utf-8")
    one = Index(str(tmp_path / "one"))
    one.index([str(tmp_path / "all")], jobs=1)
    assert segments(two) >= 2
    ids = lambda ix: sorted(h.id.split("/", 1)[1] for h in ix.search("Regierung", limit=2000).hits)  # noqa: E731
    assert ids(one) == ids(two)
    assert {q: [h.id.split("/", 1)[1] for h in one.search(q, limit=10).hits] for q in QUERIES} == \
           {q: [h.id.split("/", 1)[1] for h in two.search(q, limit=10).hits] for q in QUERIES}
    one.close()
    two.close()


def _text_corpus(folder, rows: int):
    """Wikinews articles as one plain dated text file each (as bench/ writes them)."""
    folder.mkdir()
    with open(WIKINEWS, encoding="utf-8") as f:
        for line in list(f)[:rows]:
            r = json.loads(line)
            (folder / f"{r['id']}.txt").write_text(f" date {r['date'][:7]} {r['text']}\n",
                                                  encoding="utf-8")
    for seed in (TAZ_SEED, PLAIN_SEED):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_workers_read_new_text_files_and_build_what_one_process_builds(tmp_path, monkeypatch):
    """New text files are read by the workers that index them, not by the
    parent first; the index, report and manifest are those of one process."""
    corpus = _text_corpus(tmp_path / "c", 400)
    (corpus / "leer.txt").write_text("", encoding="utf-8")  # a warning, no article
    (corpus / "kaputt.txt").write_bytes(b"\x00\x01\x02" * 50)  # a skipped file
    readers_log = tmp_path / "readers"
    real = indexer.read_articles

    def logged(f, *args):
        with open(readers_log, "a") as log:
            log.write(f"{os.getpid()}\n")
        return real(f, *args)

    monkeypatch.setattr(indexer, "read_articles", logged)
    one, two = Index(str(tmp_path / "one")), Index(str(tmp_path / "two"))
    report1 = one.index([str(corpus)], jobs=1)
    readers_log.unlink()
    done = []
    report2 = two.index([str(corpus)], jobs=2, progress=lambda n, total: done.append((n, total)))
    readers = readers_log.read_text().split()
    assert len(readers) == 404 and str(os.getpid()) not in readers and len(set(readers)) == 2
    assert report1.to_dict() | {"seconds": 0} == report2.to_dict() | {"seconds": 0}
    assert (report2.added, report2.skipped_files) == (402, 2)  # the empty and the binary file
    assert report1.warnings == report2.warnings and len(report2.warnings) == 2
    assert done[-1] == (404, 404)
    assert segments(two) == 2
    assert stored_ids(one) == stored_ids(two)
    assert _ranked(one) == _ranked(two)
    assert manifest_of(one) == manifest_of(two)
    assert vocabulary_of(one) == vocabulary_of(two)
    # the next run finds nothing new, and a changed file is read as before
    assert two.index([str(corpus)], jobs=2).to_dict()["unchanged"] == 402
    (corpus / TAZ_SEED.name).write_text(TAZ_SEED.read_text(encoding="utf-8") + "\nNachtrag.\n",
                                        encoding="utf-8")
    assert two.index([str(corpus)], jobs=2).updated == 1
    one.close()
    two.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_id_two_new_files_share_goes_to_the_first_file(tmp_path, monkeypatch, jobs):
    """`m.TXT` and `m.txt` both hold article `m`. The first file in scan order
    keeps the id, with workers as in one process, and the other leaves nothing
    behind (workers reading the two would each have taken the id)."""
    monkeypatch.setattr(indexer, "MIN_PARALLEL", 2)
    corpus = tmp_path / "c"
    corpus.mkdir()
    words = {"a.txt": "Apfelbaum", "m.TXT": "Zitronenfalter", "m.txt": "Ameisenbär",
             "z.txt": "Zebrastreifen"}
    for name, word in words.items():  # the same size each: split a, b, m.TXT | m.txt, z
        (corpus / name).write_text(f" date 2024-06 Meldung\n\nEin {word:<14}.\n", encoding="utf-8")
    (corpus / "b.txt").write_bytes(" date 2024-06 Meldung\n\nEin Br\xe4utigam.\n".encode("cp1252"))
    with Index(str(tmp_path / "ix")) as ix:
        report = ix.index([str(corpus)], jobs=jobs)
        assert (report.added, report.skipped) == (4, 1)
        # in the order one process reads the files (files sharing an id: in the plan)
        assert report.warnings == [f"{corpus / 'm.txt'}: skipped article m: the id is already taken",
                                   f"{corpus / 'b.txt'}: not UTF-8, read as Windows-1252"]
        assert ix.search("Zitronenfalter").total == 1 and ix.search("Ameisenbär").total == 0
        assert ix.search("Meldung").total == 4 and len(ix.search("Meldung").hits) == 4
        # the loser left nothing behind: no deleted document, none of its words
        assert ix.searcher().reader.max_doc == 4
        assert "ameisenbär" not in vocabulary_of(ix)
        assert sorted(manifest_of(ix)["m.txt"]["records"]) == [] and manifest_of(ix)["m.txt"]["retry"]
        again = ix.index([str(corpus)], jobs=jobs)  # the loser is read again, and loses again
        assert (again.added, again.skipped, again.unchanged) == (0, 1, 4)
        os.remove(corpus / "m.TXT")
        freed = ix.index([str(corpus)], jobs=jobs)
        assert (freed.added, freed.deleted) == (1, 1)
        assert ix.search("Ameisenbär").total == 1 and ix.search("Zitronenfalter").total == 0


def test_three_workers_build_the_index_one_process_builds(tmp_path, monkeypatch):
    """Runs of about equal size, one per worker, in file order."""
    monkeypatch.setattr(indexer, "DOCS_PER_WORKER", 50)
    corpus = _text_corpus(tmp_path / "c", 300)
    one, three = Index(str(tmp_path / "one")), Index(str(tmp_path / "three"))
    report1 = one.index([str(corpus)], jobs=1)
    report3 = three.index([str(corpus)], jobs=3)
    assert report1.to_dict() | {"seconds": 0} == report3.to_dict() | {"seconds": 0}
    assert segments(three) == 3
    assert stored_ids(one) == stored_ids(three)
    assert _ranked(one) == _ranked(three)
    assert manifest_of(one) == manifest_of(three)
    # the spelling vocabulary too, to the byte (typo suggestions break ties by its order)
    assert vocabulary_bytes(one) == vocabulary_bytes(three)
    one.close()
    three.close()
