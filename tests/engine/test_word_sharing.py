"""Index workers share analysed words through queues; a worker that finishes
first must not leave a message half-written for another (which would then
wait for the rest of it forever)."""
from __future__ import annotations

import multiprocessing
import time

import pytest

from searchidx import forks
from searchidx.engine import writing


class _Cache:
    """What writing._Sharing needs of a word cache."""

    def __init__(self, new: dict):
        self.new, self.learned = new, {}

    def take_new(self) -> dict:
        new, self.new = self.new, {}
        return new

    def learn(self, entries: dict):
        self.learned.update(entries)


def _worker(n, share, new, wait, out):
    cache = _Cache(new)
    share.caches = [cache]
    time.sleep(wait)  # the other worker's message is in the pipe, and it has finished
    share.exchange(n)
    share.done(n)
    share.wait_for_others(n)
    out.put((n, len(cache.learned)))


@pytest.mark.skipif(not forks.can_fork(), reason="workers are forked on Linux only")
def test_a_worker_that_finishes_first_delivers_its_words_whole():
    ctx = multiprocessing.get_context("fork")
    share = writing._Sharing([], [ctx.Queue() for _ in range(2)])
    big = {f"wort{i}": (((f"wort{i}", 0),), 1) for i in range(40_000)}  # far more than a pipe holds
    out = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(0, share, big, 0.0, out), daemon=True),
               ctx.Process(target=_worker, args=(1, share, {"x": "x"}, 1.0, out), daemon=True)]
    for w in workers:
        w.start()
    try:
        results = dict(out.get(timeout=30) for _ in workers)
    finally:
        for w in workers:
            w.join(timeout=10)
            if w.is_alive():
                w.kill()
    assert results == {0: 1, 1: len(big)}
    assert [w.exitcode for w in workers] == [0, 0]
