"""Builds with worker processes give the index a one-process build gives
(same documents in the same order, same ranking), report progress, and a
failing worker fails the run cleanly instead of hanging or half-committing."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time

import pytest

from searchidx import Index, indexer, vocabulary
from searchidx import corpus as corpus_module
from searchidx import forks
from searchidx.engine import writing

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS

pytestmark = pytest.mark.skipif(not forks.can_fork(), reason="worker processes need fork")

QUERIES = ["Putin Kim Raketen", "Bundesregierung Steuer", "Waffenlieferungen", "Papst Rom",
           '"Hand in Hand"', "Nordkorea", "Wahl date:2006"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not WIKINEWS.exists():
        pytest.skip(f"{WIKINEWS} not found")
    d = tmp_path_factory.mktemp("parallel-corpus")
    for src in (TAZ_SEED, PLAIN_SEED, WIKINEWS):
        shutil.copy(src, d / src.name)
    return d


@pytest.fixture
def small_batches_in_workers(monkeypatch):
    monkeypatch.setattr(writing, "MIN_PARALLEL", 200)


def _ranked(ix: Index):
    return {q: [(h.id, round(h.score, 6)) for h in ix.search(q, limit=20).hits] for q in QUERIES}


def _leaves(ix: Index) -> int:
    return len(ix.searcher().reader.leaf_readers())


def test_workers_build_the_index_one_process_builds(corpus, tmp_path, small_batches_in_workers):
    done = []
    one, two = Index(str(tmp_path / "one")), Index(str(tmp_path / "two"))
    report1 = one.index([str(corpus)], jobs=1)
    report2 = two.index([str(corpus)], jobs=2, progress=lambda n, total: done.append((n, total)))
    assert report1.added == report2.added == 1000
    assert _leaves(one) == 1 and _leaves(two) == 2
    with one.searcher().ix.searcher() as a, two.searcher().ix.searcher() as b:
        assert [d["id"] for d in a.all_stored_fields()] == [d["id"] for d in b.all_stored_fields()]
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
    real = indexer._index_one
    parent = os.getpid()

    def explode(writer, item, vocab):
        if os.getpid() != parent and isinstance(item, tuple) and item[1].id.endswith("/80806"):
            if failure == "dies":
                os._exit(3)
            raise ValueError("boom")
        return real(writer, item, vocab)

    monkeypatch.setattr(indexer, "_index_one", explode)
    error = (ValueError, "boom") if failure == "raises" else (RuntimeError, r"exit code 3")
    with pytest.raises(error[0], match=error[1]):
        ix.index([str(corpus)], jobs=2, rebuild=True)
    assert multiprocessing.active_children() == []
    monkeypatch.setattr(indexer, "_index_one", real)
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
    assert _leaves(two) >= 2
    ids = lambda ix: sorted(h.id.split("/", 1)[1] for h in ix.search("Regierung", limit=2000).hits)  # noqa: E731
    assert ids(one) == ids(two)
    assert {q: [h.id.split("/", 1)[1] for h in one.search(q, limit=10).hits] for q in QUERIES} == \
           {q: [h.id.split("/", 1)[1] for h in two.search(q, limit=10).hits] for q in QUERIES}
    one.close()
    two.close()


def _text_corpus(folder, rows: int):
    """Wikinews articles as one plain dated text file each (as bench/ writes them)."""
    if not WIKINEWS.exists():
        pytest.skip(f"{WIKINEWS} not found")
    folder.mkdir()
    with open(WIKINEWS, encoding="utf-8") as f:
        for line in list(f)[:rows]:
            r = json.loads(line)
            (folder / f"{r['id']}.txt").write_text(f" date {r['date'][:7]} {r['text']}\n",
                                                  encoding="utf-8")
    for seed in (TAZ_SEED, PLAIN_SEED):
        shutil.copy(seed, folder / seed.name)
    return folder


def _vocabulary_bytes(ix: Index) -> bytes:
    with open(os.path.join(ix.store.current(), vocabulary.FILE), "rb") as f:
        return f.read()


def _manifest(ix: Index) -> dict:
    with open(os.path.join(ix.store.current(), indexer.MANIFEST), encoding="utf-8") as f:
        return json.load(f)["files"]


def test_workers_read_new_text_files_and_build_what_one_process_builds(tmp_path, monkeypatch):
    """New text files are read by the workers that index them, not by the
    parent first; the index, report and manifest are those of one process."""
    corpus = _text_corpus(tmp_path / "c", 400)
    (corpus / "leer.txt").write_text("", encoding="utf-8")  # a warning, no article
    (corpus / "kaputt.txt").write_bytes(b"\x00\x01\x02" * 50)  # a skipped file
    readers_log = tmp_path / "readers"
    real = corpus_module.read_articles

    def logged(f, *args):
        with open(readers_log, "a") as log:
            log.write(f"{os.getpid()}\n")
        return real(f, *args)

    monkeypatch.setattr(corpus_module, "read_articles", logged)
    one, two = Index(str(tmp_path / "one")), Index(str(tmp_path / "two"))
    report1 = one.index([str(corpus)], jobs=1)
    readers_log.unlink()
    done = []
    report2 = two.index([str(corpus)], jobs=2, progress=lambda n, total: done.append((n, total)))
    readers = readers_log.read_text().split()
    assert len(readers) == 404 and str(os.getpid()) not in readers and len(set(readers)) == 2
    assert report1.to_dict() | {"seconds": 0} == report2.to_dict() | {"seconds": 0}
    assert (report2.added, report2.skipped) == (402, 1)
    assert report1.warnings == report2.warnings and len(report2.warnings) == 2
    assert done[-1] == (404, 404)
    assert _leaves(two) == 2
    with one.searcher().ix.searcher() as a, two.searcher().ix.searcher() as b:
        assert [d["id"] for d in a.all_stored_fields()] == [d["id"] for d in b.all_stored_fields()]
    assert _ranked(one) == _ranked(two)
    assert _manifest(one) == _manifest(two)
    assert vocabulary.load(one.store.current()) == vocabulary.load(two.store.current())
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
    monkeypatch.setattr(writing, "MIN_PARALLEL", 2)
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
        assert ix.searcher().searcher.doc_count_all() == 4
        assert "ameisenbär" not in vocabulary.load(ix.store.current())
        assert sorted(_manifest(ix)["m.txt"]["records"]) == [] and _manifest(ix)["m.txt"]["retry"]
        again = ix.index([str(corpus)], jobs=jobs)  # the loser is read again, and loses again
        assert (again.added, again.skipped, again.unchanged) == (0, 1, 4)
        os.remove(corpus / "m.TXT")
        freed = ix.index([str(corpus)], jobs=jobs)
        assert (freed.added, freed.deleted) == (1, 1)
        assert ix.search("Ameisenbär").total == 1 and ix.search("Zitronenfalter").total == 0


def test_a_slow_worker_leaves_the_rest_of_its_run_to_the_other(tmp_path, monkeypatch):
    """Two workers take a run's files from its two ends until they meet: a
    worker slowed down (here: files in the first half cost 20 ms more) ends
    up with fewer files, and the index is still that of one process."""
    corpus = _text_corpus(tmp_path / "c", 300)
    names = sorted(p.name for p in corpus.iterdir())
    slow = set(names[:len(names) // 2])
    real = indexer._index_one

    def index_one(writer, item, share):
        if getattr(item, "key", "") in slow:
            time.sleep(0.02)
        return real(writer, item, share)

    monkeypatch.setattr(indexer, "_index_one", index_one)
    one, two = Index(str(tmp_path / "one")), Index(str(tmp_path / "two"))
    report1 = one.index([str(corpus)], jobs=1)
    report2 = two.index([str(corpus)], jobs=2)
    assert report1.to_dict() | {"seconds": 0} == report2.to_dict() | {"seconds": 0}
    with one.searcher().ix.searcher() as a, two.searcher().ix.searcher() as b:
        assert [d["id"] for d in a.all_stored_fields()] == [d["id"] for d in b.all_stored_fields()]
        sizes = [leaf.doc_count_all() for leaf, _ in b.reader().leaf_readers()]
    assert len(sizes) == 2 and sizes[0] < len(names) / 3  # the slow worker took few
    assert _ranked(one) == _ranked(two)
    assert _manifest(one) == _manifest(two)
    # the spelling vocabulary too, to the byte (typo suggestions break ties by its order)
    assert _vocabulary_bytes(one) == _vocabulary_bytes(two)
    one.close()
    two.close()


def test_three_workers_build_the_index_one_process_builds(tmp_path, monkeypatch):
    """An odd worker count: two workers share a run, the third has one of half
    the size to itself (an equal one took it twice as long as the pair)."""
    sizes = [len(run) for run, _ in writing._split(list(range(300)), [2, 1], lambda item: 1)]
    assert sizes == [200, 100]
    monkeypatch.setattr(writing, "DOCS_PER_WORKER", 50)
    corpus = _text_corpus(tmp_path / "c", 300)
    one, three = Index(str(tmp_path / "one")), Index(str(tmp_path / "three"))
    report1 = one.index([str(corpus)], jobs=1)
    report3 = three.index([str(corpus)], jobs=3)
    assert report1.to_dict() | {"seconds": 0} == report3.to_dict() | {"seconds": 0}
    assert _leaves(three) == 3
    with one.searcher().ix.searcher() as a, three.searcher().ix.searcher() as b:
        assert [d["id"] for d in a.all_stored_fields()] == [d["id"] for d in b.all_stored_fields()]
    assert _ranked(one) == _ranked(three)
    assert _manifest(one) == _manifest(three)
    assert _vocabulary_bytes(one) == _vocabulary_bytes(three)
    one.close()
    three.close()
