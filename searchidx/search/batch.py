"""A batch of queries answered in order: the first few in this process, the
rest in forked worker processes, which inherit the open index and the caches
the first queries warmed. Each answer is the one this process would give;
only the wall time changes (on two cores, 400 queries take about 0.6 of the
time of one process)."""
from __future__ import annotations

import threading
from itertools import chain
from typing import Callable, Iterable, Iterator, TypeVar

from .. import workers

T = TypeVar("T")
FIRST_HERE = 16  # answered in this process: a fork costs more than a few queries
AHEAD = 64  # chunks sent on before their answers are yielded: bounds what is held


def in_order(answer: Callable[[str], T], queries: Iterable[str], jobs: int | None = None,
             chunk: int = 1) -> Iterator[T]:
    """answer(q) for each query, in the queries' order, each as soon as it and
    those before it are done. `jobs`: worker processes (default: one per core);
    `chunk`: queries a worker takes at a time, 1 for input that may wait for
    an answer before it sends the next query (a pipe). Past the first few,
    the queries are read on a thread of their own: an iterator must allow it.
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
    jobs = jobs or workers.cores()
    # Forked while another thread runs, a worker could inherit a lock that
    # thread holds (a host program's, or an unfinished batch's).
    if jobs < 2 or not workers.can_fork() or threading.active_count() > 1:
        yield answer(rest)
        yield from map(answer, queries)
        return
    yield from _in_workers(answer, chain([rest], queries), jobs, chunk)


def _in_workers(answer, queries, jobs, chunk):
    # (No feeder thread, unlike Queue: a batch leaves no thread behind that
    # would keep the next one from forking. At most AHEAD chunks are waiting.)
    tasks = workers.context().SimpleQueue()
    sender = _Sender(queries, chunk, tasks, jobs)
    n = 0  # the next chunk to yield
    held: dict[int, tuple] = {}  # chunk number -> (answers, error)
    stopped = None  # a worker's death: its chunk will never come
    try:
        with workers.Pool(_work, [(answer, tasks)] * jobs) as pool:
            sender.start()
            for _, message in pool.messages():
                kind = message[0]
                if kind == "answers":
                    held[message[1]] = message[2:]
                elif kind == "died":
                    stopped = RuntimeError(f"a search worker stopped (exit code {message[1]})")
                elif kind == "error":  # (not from answer(): those come with their chunk)
                    raise message[1]
                while n in held:
                    out, error = held.pop(n)
                    yield from out
                    if error is not None:
                        raise error
                    n += 1
                    sender.room.release()
                if stopped is not None:
                    raise stopped
        if sender.error is not None:
            raise sender.error
        if sender.chunks is None or n < sender.chunks:
            raise RuntimeError("the search workers stopped before answering every query")
    finally:
        done = sender.chunks is not None and n >= sender.chunks
        if not done:
            sender.stop()
        # No thread left behind, so that the next batch may fork (one reading
        # a pipe that sends nothing more is left to end with the process).
        if sender.ident is not None:
            sender.join(None if done else 1.0)
        tasks.close()


class _Sender(threading.Thread):
    """Reads the queries and sends them on in chunks, apart from the answers:
    a pipe may send its next query only after reading an answer. At most
    AHEAD chunks ahead of the answers yielded, so that a slow query does not
    leave all the others' answers held in memory."""

    def __init__(self, queries, chunk, tasks, jobs):
        super().__init__(daemon=True)
        self._queries, self._chunk, self._tasks, self._jobs = queries, chunk, tasks, jobs
        self.room = threading.Semaphore(AHEAD)  # released as each chunk is yielded
        self.chunks: int | None = None  # how many were sent, once all are
        self.error: BaseException | None = None  # from reading the queries
        self._stopped = False

    def stop(self):
        self._stopped = True
        self.room.release()  # (if it waits for room)

    def run(self):
        n, chunk = 0, []
        try:
            for q in self._queries:
                chunk.append(q)
                if len(chunk) == self._chunk:  # sent at once: the next may wait for its answer
                    self.room.acquire()
                    if not self._put((n, chunk)):
                        return
                    n, chunk = n + 1, []
        except BaseException as e:  # e.g. an unreadable file: raised after the answers
            self.error = e
        if chunk:
            if not self._put((n, chunk)):
                return
            n += 1
        self.chunks = n  # (before the workers can end: then every chunk is counted)
        for _ in range(self._jobs):
            self._put(None)

    def _put(self, task) -> bool:
        """Send a task, unless the batch has ended (then the queue is closed)."""
        if self._stopped:
            return False
        try:
            self._tasks.put(task)
            return True
        except (OSError, ValueError):  # closed in between
            return False


def _work(send, answer, tasks):
    """A worker: chunks of queries until told to end."""
    while (task := tasks.get()) is not None:
        i, chunk = task
        out = []
        try:
            for q in chunk:
                out.append(answer(q))
        except BaseException as e:
            send(("answers", i, out, workers.sendable(e)))
            return
        send(("answers", i, out, None))
