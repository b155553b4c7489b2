"""A batch of queries answered in order: the first few in this process, the
rest in forked worker processes, which inherit the open index and the caches
the first queries warmed. Each answer is the one this process would give;
only the wall time changes (on two cores, 400 queries take about 0.6 of the
time of one process)."""
from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from itertools import chain
from multiprocessing import connection
from typing import Callable, Iterable, Iterator, TypeVar

from .. import forks

T = TypeVar("T")
FIRST_HERE = 16  # answered in this process: a fork costs more than a few queries
AHEAD = 64  # chunks sent on before their answers are yielded: bounds what is held
_POLL = 1.0  # the longest wait for news (a safety net: each event ends the wait)


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
    jobs = jobs or forks.cores()
    # Forked while another thread runs, a worker could inherit a lock that
    # thread holds (a host program's, or an unfinished batch's).
    if jobs < 2 or not forks.can_fork() or threading.active_count() > 1:
        yield answer(rest)
        yield from map(answer, queries)
        return
    yield from _in_workers(answer, chain([rest], queries), jobs, chunk)


def _in_workers(answer, queries, jobs, chunk):
    ctx = forks.context()
    # (No feeder thread, unlike Queue: a batch leaves no thread behind that
    # would keep the next one from forking. At most AHEAD chunks are waiting.)
    tasks = ctx.SimpleQueue()
    # A pipe per worker for its answers, whose only writer it is: if it dies,
    # even in the middle of a send, the read ends (EOF) and its sentinel says so.
    pipes = [ctx.Pipe(duplex=False) for _ in range(jobs)]
    sends = [send for _, send in pipes]
    parent = os.getpid()
    workers = [ctx.Process(target=_work, args=(answer, tasks, send, sends, parent), daemon=True)
               for send in sends]
    sender = _Sender(queries, chunk, tasks, jobs)
    n = 0  # the next chunk to yield
    try:
        forks.start(workers)
        for send in sends:
            send.close()
        sender.start()
        reading = {w.sentinel: (w, receive) for w, (receive, _) in zip(workers, pipes)}
        held: dict[int, tuple] = {}  # chunk number -> (answers, error)
        stopped = None  # a worker's death: its chunk will never come
        while sender.chunks is None or n < sender.chunks:
            if n in held:
                out, error = held.pop(n)
                yield from out
                if error is not None:
                    raise error
                n += 1
                sender.room.release()
                continue
            if stopped is not None:
                raise stopped
            if not reading:
                raise RuntimeError("the search workers stopped before answering every query")
            receives = [receive for _, receive in reading.values()]
            sending = [sender.done] if sender.chunks is None else []
            for ready in connection.wait([*reading, *receives, *sending], _POLL):
                if ready is sender.done:  # all sent: the loop's condition knows how many
                    continue
                if ready in reading:  # a worker ended: its last answers, then its exit code
                    worker, receive = reading.pop(ready)
                    _receive(receive, held)
                    worker.join()  # (its exit code may lag its sentinel)
                    if worker.exitcode:
                        stopped = RuntimeError(f"a search worker stopped (exit code {worker.exitcode})")
                else:
                    _receive(ready, held)
        if sender.error is not None:
            raise sender.error
    finally:
        done = sender.chunks is not None and n >= sender.chunks
        if done:
            sender.join()  # (it still tells the workers to end)
        else:
            sender.stop()
        for w in workers:
            if w.pid is None:  # never started
                continue
            if w.exitcode is None and not done:
                w.kill()
            w.join()
        # No thread left behind, so that the next batch may fork (one reading
        # a pipe that sends nothing more is left to end with the process).
        if sender.ident is not None:
            sender.join(1.0)
        tasks.close()


def _receive(receive, held: dict):
    """Every answer waiting in a worker's pipe."""
    while receive.poll():
        try:
            i, out, error = receive.recv()
        except (EOFError, OSError):  # the worker is gone (OSError: in the middle of a send)
            return
        held[i] = (out, error)


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

    def start(self):
        # Readable once all chunks are sent. (Made after the workers' fork:
        # its end closes only if no worker holds a copy.)
        self.done, self._done = connection.Pipe(duplex=False)
        super().start()

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
        self._done.close()
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


def _work(answer, tasks, send, sends, parent):
    forks.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the workers
    for other in sends:  # (the other workers' pipes: theirs alone to write)
        if other is not send:
            other.close()
    while (task := tasks.get()) is not None:
        i, chunk = task
        out = []
        try:
            for q in chunk:
                out.append(answer(q))
        except BaseException as e:
            send.send((i, out, _sendable(e)))
            return
        send.send((i, out, None))


def _sendable(error: BaseException) -> BaseException:
    """`error` with the worker's traceback as a note (SEARCHIDX_DEBUG shows it),
    or a RuntimeError with its message if it does not survive pickling."""
    try:
        error.add_note("in a batch worker:\n" + "".join(traceback.format_tb(error.__traceback__)))
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
