"""Index writers: a MemoryWriter (memwriter.py) for a whole update, and
adding a batch of documents in forked worker processes, one new segment each."""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
from typing import Callable

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
            finish: Callable = lambda state: None) -> list:
    """Calls index_one(w, item, state) for every item, where w is `writer` or
    a worker process's writer, and state one of new_state()'s objects (one per
    process, returned after finish(state) in that process); progress(n) after
    every few items. The items are split in contiguous runs of about equal
    total size(item), so documents keep the order (and docnums) they get in
    one process."""
    procs = min(procs, max(2, len(items) // DOCS_PER_WORKER))
    if procs < 2 or len(items) < MIN_PARALLEL or not can_fork():
        state = new_state()
        _index_run(writer, items, index_one, state, progress or (lambda n: None))
        finish(state)
        return [state]
    return _in_workers(writer, _split(items, procs, size), index_one, new_state, progress, finish)


def _index_run(writer, run: list, index_one: Callable, state, report: Callable[[int], None]):
    """index_one over `run`, with report(n) for every few items done and the rest at the end."""
    for i, item in enumerate(run, 1):
        index_one(writer, item, state)
        if i % _PROGRESS_EVERY == 0:
            report(_PROGRESS_EVERY)
    report(len(run) % _PROGRESS_EVERY)


def can_fork() -> bool:
    """Workers inherit the batch by fork (no pickling): Linux only (macOS's
    system libraries are not fork-safe). Also under Python 3.14, whose default
    start method is forkserver: the indexer runs no threads."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _split(items: list, n: int, size: Callable) -> list[list]:
    """`n` contiguous runs of about equal total size."""
    sizes = [size(item) for item in items]
    share, runs, start, acc = sum(sizes) / n, [], 0, 0.0
    for i, s in enumerate(sizes):
        acc += s
        if acc >= share * (len(runs) + 1) and len(runs) < n - 1:
            runs.append(items[start:i + 1])
            start = i + 1
    runs.append(items[start:])
    return [r for r in runs if r]


def _in_workers(writer, runs, index_one, new_state, progress, finish) -> list:
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    parent = os.getpid()
    share = _Sharing(word_caches(writer.schema), [ctx.Queue() for _ in runs])
    workers = [ctx.Process(target=_work, daemon=True,
                           args=(n, writer, run, index_one, new_state(), finish, results, parent,
                                 share))
               for n, run in enumerate(runs)]
    done: dict[int, tuple] = {}
    try:
        for w in workers:
            w.start()
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
    states = []
    for n in range(len(workers)):
        segment, state = done[n]
        if segment is not None:
            writer.add_segment(segment)
        states.append(state)
    return states


def _work(n, writer, run, index_one, state, finish, results, parent_pid, share):
    """Worker n: its run of items into a new segment of its own."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    # A worker makes almost no reference cycles (35 in a 5x build), but its
    # many new objects trigger collections that walk the inherited batch too
    # (5 % of its time); it exits when done, which frees everything.
    gc.disable()
    try:
        w = MemoryWriter(writer.ix, _lk=False)
        share.exchange(n)

        def report(done: int):
            results.put(("progress", n, done))
            share.exchange(n)

        _index_run(w, run, index_one, state, report)
        share.done(n)
        finish(state)
        segment = w._finalize_segment() if w._added else None
        results.put(("done", n, (segment, state)))
        share.wait_for_others(n)
    except BaseException as e:  # raised again in the parent, as itself if it pickles
        try:
            pickle.dumps(e)
        except Exception:
            e = RuntimeError(f"index worker failed: {type(e).__name__}: {e}")
        results.put(("error", n, e))


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


def _die_with_parent(parent_pid: int):
    """A killed `index` run must not leave workers behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent check below still helps
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
