"""A batch of queries answered in order: the first few in this process, the
rest in forked worker processes, which inherit the open index and the caches
the first queries warmed. Each answer is the one this process would give;
only the wall time changes (on two cores, 400 queries take about 0.6 of the
time of one process)."""
from __future__ import annotations

import os
import pickle
import queue
import signal
import threading
from itertools import chain
from multiprocessing import connection
from typing import Callable, Iterable, Iterator, TypeVar

from .. import forks

T = TypeVar("T")
FIRST_HERE = 16  # answered in this process: a fork costs more than a few queries
_POLL = 0.5  # seconds between checks that the other side is still there

_answer: Callable | None = None  # the batch's function, inherited by the workers at fork


def in_order(answer: Callable[[str], T], queries: Iterable[str], jobs: int = 1,
             chunk: int = 1) -> Iterator[T]:
    """answer(q) for each query, in the queries' order, each as soon as it and
    those before it are done. `chunk`: queries a worker takes at a time; 1 for
    input that may wait for an answer before it sends the next query (a pipe).
    An exception from answer() is raised in its place."""
    queries = iter(queries)
    for n, q in enumerate(queries, 1):
        yield answer(q)
        if n == FIRST_HERE:
            break
    else:
        return
    rest = next(queries, None)
    if rest is None:
        return
    if jobs < 2 or not forks.can_fork():
        yield answer(rest)
        yield from map(answer, queries)
        return
    yield from _in_workers(answer, rest, queries, jobs, chunk)


def _in_workers(answer, first, queries, jobs, chunk):
    global _answer
    _answer = answer
    ctx = forks.context()
    tasks = ctx.Queue()
    tasks.cancel_join_thread()  # at exit, never wait to send tasks no one will take
    # A pipe per worker for its answers: a send is written at once, so the
    # answers of a worker that dies are still there to read.
    pipes = [ctx.Pipe(duplex=False) for _ in range(jobs)]
    parent = os.getpid()
    workers = [ctx.Process(target=_work, args=(tasks, send, parent), daemon=True)
               for _, send in pipes]
    try:
        forks.start(workers)
    finally:
        _answer = None  # (the workers have it)
    sender = _Sender(first, queries, chunk, tasks, jobs)
    running = dict(zip((w.sentinel for w in workers), zip(workers, (r for r, _ in pipes))))
    held: dict[int, tuple] = {}  # chunk number -> (answers, error)
    stopped = None  # a worker's death: its chunk will never come
    n = 0  # the next chunk to yield
    try:
        while sender.chunks is None or n < sender.chunks:
            if n in held:
                out, error = held.pop(n)
                yield from out
                if error is not None:
                    raise error
                n += 1
                continue
            if stopped is not None:
                raise stopped
            if not running:
                raise RuntimeError("the search workers stopped before answering every query")
            for ready in connection.wait([*running, *(r for _, r in running.values())], _POLL):
                if ready in running:  # a worker ended: its last answers, then its exit code
                    worker, receive = running.pop(ready)
                    _receive(receive, held)
                    worker.join()  # (its exit code may lag its sentinel)
                    if worker.exitcode:
                        stopped = RuntimeError(f"a search worker stopped (exit code {worker.exitcode})")
                else:
                    _receive(ready, held)
        if sender.error is not None:
            raise sender.error
    finally:
        sender.stop = True
        for w in workers:
            if w.exitcode is None and (sender.chunks is None or n < sender.chunks):
                w.kill()
            w.join()


def _receive(receive, held: dict):
    while receive.poll():
        try:
            i, out, error = receive.recv()
        except EOFError:
            return
        held[i] = (out, error)


class _Sender(threading.Thread):
    """Reads the queries and sends them on in chunks, apart from the answers:
    a pipe may send its next query only after reading an answer."""

    def __init__(self, first, queries, chunk, tasks, jobs):
        super().__init__(daemon=True)
        self._first, self._queries, self._chunk = first, queries, chunk
        self._tasks, self._jobs = tasks, jobs
        self.chunks: int | None = None  # how many were sent, once all are
        self.error: BaseException | None = None  # from reading the queries
        self.stop = False
        self.start()

    def run(self):
        n, chunk = 0, []
        try:
            for q in chain([self._first], self._queries):
                if self.stop:
                    return
                chunk.append(q)
                if len(chunk) == self._chunk:  # sent at once: the next may wait for its answer
                    self._tasks.put((n, chunk))
                    n, chunk = n + 1, []
        except BaseException as e:  # e.g. input that is not UTF-8: raised after the answers
            self.error = e
        if chunk:
            self._tasks.put((n, chunk))
            n += 1
        self.chunks = n  # (before the workers can end: then every chunk is counted)
        for _ in range(self._jobs):
            self._tasks.put(None)


def _work(tasks, send, parent):
    forks.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the workers
    while True:
        try:
            task = tasks.get(timeout=_POLL)
        except queue.Empty:
            if os.getppid() != parent:
                return  # the parent is gone
            continue
        if task is None:
            return
        i, chunk = task
        out = []
        try:
            for q in chunk:
                out.append(_answer(q))
        except BaseException as e:
            send.send((i, out, _sendable(e)))
            return
        send.send((i, out, None))


def _sendable(error: BaseException) -> BaseException:
    """`error`, or a RuntimeError with its message if it does not survive pickling."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
