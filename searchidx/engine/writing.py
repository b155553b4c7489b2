"""Index writers: a MemoryWriter (memwriter.py) for a whole update, and
adding a batch of documents in forked worker processes, one new segment each."""
from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
from functools import partial
from itertools import accumulate
from typing import Callable

from .. import forks
from .memwriter import MemoryWriter
from .schema import word_caches

# Two workers pay off from a few hundred documents (250 Wikinews articles:
# 0.82 s in one process, 0.52 s in two). More workers only with this many
# documents each: every worker writes a segment, and until segments merge,
# each costs a term lookup per query word.
MIN_PARALLEL = 200
DOCS_PER_WORKER = 500
_PROGRESS_EVERY = 50


def writer(ix) -> MemoryWriter:
    return MemoryWriter(ix)


def add_all(writer: MemoryWriter, items: list, index_one: Callable, new_state: Callable, *,
            procs: int = 1, size: Callable = lambda item: 1,
            progress: Callable[[int], None] | None = None,
            finish: Callable = lambda state: None) -> tuple[list, list]:
    """Calls index_one(w, item, state) for every item, where w is `writer` or
    a worker process's writer, and state one of new_state()'s objects (one per
    process, returned after finish(state) in that process); progress(n) after
    every few items. Returns the states and what index_one returned for each
    item, in item order. Documents get the order (and docnums) they get in
    one process: workers index contiguous parts of the items."""
    procs = min(procs, max(2, len(items) // DOCS_PER_WORKER))
    if procs < 2 or len(items) < MIN_PARALLEL or not forks.can_fork():
        state = new_state()
        results = [index_one(writer, item, state) for item in _reporting(items, progress)]
        finish(state)
        return [state], results
    return _in_workers(writer, items, procs, size, index_one, new_state, progress, finish)


def _reporting(items, progress: Callable[[int], None] | None):
    """The items, with progress(n) for every few taken and the rest at the end."""
    n = 0
    for n, item in enumerate(items, 1):
        yield item
        if progress and n % _PROGRESS_EVERY == 0:
            progress(_PROGRESS_EVERY)
    if progress:
        progress(n % _PROGRESS_EVERY)


def _split(items: list, shares: list[int], size: Callable) -> list[tuple[list, int]]:
    """Contiguous runs of the items, their total sizes in proportion to
    `shares`: (run, share) pairs, without empty runs."""
    sizes = [size(item) for item in items]
    unit = sum(sizes) / sum(shares)
    ends = [unit * end for end in accumulate(shares)]  # each run's end, in total size
    runs, start, acc = [], 0, 0.0
    for i, s in enumerate(sizes):
        acc += s
        if len(runs) < len(shares) - 1 and acc >= ends[len(runs)]:
            runs.append((items[start:i + 1], shares[len(runs)]))
            start = i + 1
    runs.append((items[start:], shares[len(runs)]))
    return [(run, share) for run, share in runs if run]


def _in_workers(writer, items, procs, size, index_one, new_state, progress, finish):
    """Two workers share each run of items: one takes items from its start,
    the other from its end, until they meet. Where they meet depends on how
    fast each goes, so a worker slowed down (by its documents, or by another
    process on its core) does not keep the other waiting at the end."""
    ctx = forks.context()
    # runs for two workers each, and one for one worker if procs is odd, half as large
    runs = _split(items, [2] * (procs // 2) + [1] * (procs % 2), size)
    tasks = [(r, from_end) for r, (_, workers) in enumerate(runs)
             for from_end in (False, True)[:workers]]
    runs = [run for run, _ in runs]
    # each run's next item from its start, and the item after the last one left
    bounds = [ctx.Array("q", [0, len(run)]) for run in runs]
    results = ctx.Queue()
    parent = os.getpid()
    share = _Sharing(word_caches(writer.schema), [ctx.Queue() for _ in tasks])
    workers = [ctx.Process(target=_work, daemon=True,
                           args=(n, writer, runs[r], bounds[r], from_end, index_one,
                                 new_state(), finish, results, parent, share))
               for n, (r, from_end) in enumerate(tasks)]
    done: dict[int, tuple] = {}
    try:
        forks.start(workers)
        quiet = 0
        while len(done) < len(workers):
            try:
                kind, n, payload = results.get(timeout=0.5)
            except queue.Empty:
                # A worker that ended without its result: give its last
                # message one more interval to arrive, then fail.
                ended = [w for n, w in enumerate(workers) if n not in done and w.exitcode is not None]
                quiet = quiet + 1 if ended else 0
                if quiet > 1:
                    raise RuntimeError(f"an index worker stopped (exit code {ended[0].exitcode})")
                continue
            if kind == "progress":
                if progress:
                    progress(payload)
            elif kind == "error":
                raise payload
            else:
                done[n] = payload
    finally:
        for w in workers:
            if w.is_alive() and len(done) < len(workers):
                w.kill()
            w.join()
    states, item_results = [], []
    for n in range(len(workers)):  # run by run, the worker from its start first
        segment, state, run_results = done[n]
        if segment is not None:
            writer.add_segment(segment)
        states.append(state)
        item_results.extend(run_results)
    return states, item_results


def _work(n, writer, run, bounds, from_end, index_one, state, finish, results, parent_pid, share):
    """Worker n: items of its run, from its start or its end, into a new
    segment of its own."""
    forks.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    # A worker makes almost no reference cycles (35 in a 5x build), but its
    # many new objects trigger collections that walk the inherited batch too
    # (5 % of its time); it exits when done, which frees everything.
    gc.disable()
    try:
        w = MemoryWriter(writer.ix, _lk=False)
        share.exchange(n)
        target = _HeldInOrder(w)

        def report(done: int):
            results.put(("progress", n, done))
            share.exchange(n)

        item_results = []
        for i in _reporting(iter(partial(_take, bounds, from_end), None), report):
            target.next_item()
            item_results.append(index_one(target, run[i], state))
        share.done(n)
        finish(state)
        if from_end:  # taken last to first
            item_results.reverse()
        target.add_held(reverse=from_end)
        segment = w._finalize_segment() if w._added else None
        results.put(("done", n, (segment, state, item_results)))
        share.wait_for_others(n)
    except BaseException as e:  # raised again in the parent, as itself if it pickles
        try:
            pickle.dumps(e)
        except Exception:
            e = RuntimeError(f"index worker failed: {type(e).__name__}: {e}")
        results.put(("error", n, e))


def _take(bounds, from_end: bool) -> int | None:
    """The index of the run's next item from its start or end, or None when
    the two workers have met."""
    with bounds.get_lock():
        start, stop = bounds[0], bounds[1]
        if start >= stop:
            return None
        if from_end:
            bounds[1] = stop - 1
            return stop - 1
        bounds[0] = start + 1
        return start


class _HeldInOrder:
    """A worker's writer: each document is analysed at once (most of the
    work), and added to the segment (stored fields, columns: about a tenth
    of the work) once the worker has met the other, in item order. A worker
    taking items from the end takes them last to first; and with both adding
    at the end, both have their share of that work left when they meet."""

    def __init__(self, writer: MemoryWriter):
        self.writer = writer
        self.items: list[list] = []  # each item's prepared documents, in the order taken

    def next_item(self):
        self.items.append([])

    def add_document(self, **fields):
        self.items[-1].append(self.writer.prepare_document(fields))

    def add_held(self, reverse: bool):
        """Adds the documents held, items in the order taken or reversed."""
        items, self.items = self.items, []
        if not reverse:
            items.reverse()
        while items:  # (each item's documents freed once added)
            for prepared in items.pop():
                self.writer.add_prepared(prepared)


class _Sharing:
    """Workers share the words they analyse: most words of a batch occur in
    every worker's run, and analysing a new word (stemming, decompounding)
    is a large part of indexing. Every few documents a worker sends what it
    analysed to the others and learns what they sent; a word analysed by two
    workers meanwhile costs only time, since analyses are equal everywhere.

    A worker leaves only after the others said they are done sending to it
    and it has read all they sent: one leaving earlier could take the rest
    of a message still in its queue's pipe with it, and the reader would
    wait for that rest forever; and nobody reads what it sends after `done`."""

    _DONE = "done"

    def __init__(self, caches: list, inboxes: list):
        self.caches, self.inboxes = caches, inboxes
        self._others_done = 0  # (each worker process has its own copy)

    def exchange(self, n: int):
        new = [cache.take_new() for cache in self.caches]
        if any(new):
            self._send(n, new)
        while True:
            try:
                self._receive(self.inboxes[n].get_nowait())
            except queue.Empty:
                return

    def done(self, n: int):
        """Worker n sends nothing more."""
        self._send(n, self._DONE)

    def wait_for_others(self, n: int):
        """Reads worker n's inbox to the end: until every other worker is done."""
        while self._others_done < len(self.inboxes) - 1:
            self._receive(self.inboxes[n].get())

    def _send(self, n: int, message):
        for k, box in enumerate(self.inboxes):
            if k != n:
                box.put(message)

    def _receive(self, message):
        if message == self._DONE:
            self._others_done += 1
            return
        for cache, entries in zip(self.caches, message):
            cache.learn(entries)
