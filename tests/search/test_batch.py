"""A batch of queries in forked workers: every answer in order, errors in their
place, and no worker left behind or waited for forever."""
from __future__ import annotations

import json
import os
import time

import pytest

from searchidx import Index
from searchidx import workers as forks
from searchidx.errors import QueryError
from searchidx.search import batch
from support import WIKINEWS

pytestmark = pytest.mark.skipif(not forks.can_fork(), reason="batch workers need fork")

QUERIES = [f"q{i}" for i in range(100)]


def _pid_answer(q):
    time.sleep(0.002)  # (a query's work: each worker gets some)
    return q, os.getpid()


@pytest.mark.parametrize("chunk", [1, 4])
def test_answers_come_in_query_order_from_the_workers(chunk):
    got = list(batch.in_order(_pid_answer, QUERIES, jobs=2, chunk=chunk))
    assert [q for q, _ in got] == QUERIES
    pids = [pid for _, pid in got]
    assert set(pids[:batch.FIRST_HERE]) == {os.getpid()}
    assert os.getpid() not in pids[batch.FIRST_HERE:]
    assert len(set(pids[batch.FIRST_HERE:])) == 2


def test_small_batches_and_one_job_stay_in_this_process():
    for queries, jobs in [(QUERIES[:batch.FIRST_HERE], 2), (QUERIES, 1)]:
        got = list(batch.in_order(_pid_answer, queries, jobs=jobs))
        assert [q for q, _ in got] == queries and {p for _, p in got} == {os.getpid()}


def test_an_error_is_raised_in_its_place_after_the_answers_before_it():
    def answer(q):
        if q == "q40":
            raise ValueError("bad q40")
        return q

    got = []
    with pytest.raises(ValueError, match="bad q40"):
        for a in batch.in_order(answer, QUERIES, jobs=2, chunk=4):
            got.append(a)
    assert got == QUERIES[:40]


def test_an_error_that_cannot_be_pickled_arrives_as_its_message():
    class Local(Exception):  # (a local class: pickling fails)
        pass

    def answer(q):
        if q == "q30":
            raise Local("no pickle")
        return q

    with pytest.raises(RuntimeError, match="Local: no pickle"):
        list(batch.in_order(answer, QUERIES, jobs=2))


def test_a_worker_that_dies_is_an_error_not_a_hang():
    parent = os.getpid()

    def answer(q):
        if q == "q50" and os.getpid() != parent:
            os._exit(7)
        return q

    start = time.monotonic()
    got = []
    with pytest.raises(RuntimeError, match="exit code 7"):
        for a in batch.in_order(answer, QUERIES, jobs=2):
            got.append(a)
    # the answers before the dead worker's, in order (those it sent before it died too)
    assert batch.FIRST_HERE <= len(got) <= 50 and got == QUERIES[:len(got)]
    assert time.monotonic() - start < 30


def test_reading_errors_come_after_the_answers_before_them():
    def queries():
        yield from QUERIES[:60]
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    got = []
    with pytest.raises(UnicodeDecodeError):
        for a in batch.in_order(str.upper, queries(), jobs=2, chunk=4):
            got.append(a)
    assert got == [q.upper() for q in QUERIES[:60]]


def test_stopping_early_ends_the_workers():
    answers = batch.in_order(_pid_answer, QUERIES, jobs=2)
    pids = {pid for _, pid in (next(answers) for _ in range(40))} - {os.getpid()}
    assert pids
    answers.close()
    assert not [p for p in pids if os.path.exists(f"/proc/{p}")]


def _comparable(result) -> dict:
    d = result.to_dict()
    d.pop("took_ms")
    return d


def test_the_api_answers_a_batch_as_one_search_at_a_time(news_index):
    with open(WIKINEWS, encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for _, line in zip(range(50), f)]
    with Index(str(news_index)) as ix:
        one = [_comparable(ix.search(q, limit=5, facets=("tags",))) for q in titles]
    with Index(str(news_index)) as ix:
        many = [_comparable(r) for r in ix.search_many(titles, jobs=2, limit=5, facets=("tags",))]
        assert many == one
        with pytest.raises(QueryError, match="boost"):
            list(ix.search_many(titles[:30] + ["Kim^0"] + titles[30:], jobs=2))


def test_batches_in_two_threads_each_get_their_own_answers():
    """A batch forks only while no other thread runs; the other one answers in-process."""
    import threading

    got, errors = {}, []

    def run(name):
        try:
            for _ in range(5):
                answers = list(batch.in_order(lambda q: (name, q, time.sleep(0.001))[:2], QUERIES,
                                              jobs=2))
                assert answers == [(name, q) for q in QUERIES]
            got[name] = True
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(f"{name}: {e!r}")

    threads = [threading.Thread(target=run, args=(name,)) for name in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and got == {"A": True, "B": True}


def test_a_worker_killed_in_the_middle_of_a_large_answer_is_an_error_not_a_hang(tmp_path):
    """An answer larger than a pipe's buffer is sent in parts: if its worker
    dies in between, the read must end (no other process holds the pipe)."""
    import signal

    pidfile = tmp_path / "pid"

    def answer(q):
        if q == "big":
            pidfile.write_text(str(os.getpid()))
            return "x" * 5_000_000
        return q

    queries = QUERIES[:batch.FIRST_HERE] + ["a", "big", "c"]
    got = []
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="exit code -9"):
        for a in batch.in_order(answer, queries, jobs=2, chunk=1):
            got.append(a)
            if len(got) == batch.FIRST_HERE + 1:
                while not pidfile.exists():
                    time.sleep(0.01)
                time.sleep(0.5)  # (its send is under way, blocked on the full pipe)
                os.kill(int(pidfile.read_text()), signal.SIGKILL)
    assert got == queries[:batch.FIRST_HERE + 1] and time.monotonic() - start < 30


def test_a_batch_after_a_failed_one_still_uses_workers():
    def answer(q):
        if q == "q20":
            raise ValueError("bad q20")
        return _pid_answer(q)

    with pytest.raises(ValueError):
        list(batch.in_order(answer, QUERIES, jobs=2))
    pids = {pid for _, pid in batch.in_order(_pid_answer, QUERIES, jobs=2)}
    assert len(pids - {os.getpid()}) == 2


def test_a_host_programs_frozen_objects_stay_frozen():
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen and len(list(batch.in_order(_pid_answer, QUERIES, jobs=2))) == len(QUERIES)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
