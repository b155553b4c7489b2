"""Worker processes started by fork, which inherit the parent's state (an
open index, warm caches, a writer) without pickling: the index workers
(indexing/indexer.py) and a query batch's (search/batch.py).

Each worker talks to the parent through a pipe of its own, of which it is
the only writer: if it dies, even in the middle of a message, the parent
reads the end of the pipe and the worker's sentinel says so, and never
waits forever. A failure in a worker is raised in the parent, as itself if
it survives pickling, with the worker's traceback as a note."""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from multiprocessing import connection
from typing import Callable


def can_fork() -> bool:
    """Linux only (macOS's system libraries are not fork-safe). Also under
    Python 3.14, whose default start method is forkserver: the parents start
    their workers before any thread of their own."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def rss() -> int | None:
    """This process's resident memory in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def context():
    return multiprocessing.get_context("fork")


def cores() -> int:
    """The cores this process may run on (its affinity, where known)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start(processes) -> None:
    """Start forked processes."""
    # A worker writes the output buffered here again at its end.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: the parent finds out when it writes
            pass
    # The workers' collections leave the inherited objects (and their pages)
    # alone. (A host that froze its own objects keeps them frozen.)
    freeze = not gc.get_freeze_count()
    if freeze:
        gc.freeze()
    try:
        for p in processes:
            p.start()
    finally:
        if freeze:
            gc.unfreeze()


def die_with_parent(parent_pid: int) -> None:
    """Called first in a worker: a killed parent must not leave it behind.
    (The signal comes when the parent's thread that forked ends: the parents
    here fork from the thread that waits for their workers.)"""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the workers' own checks still help
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


class WorkerDied(RuntimeError):
    pass


def sendable(error: BaseException) -> BaseException:
    """`error` with the worker's traceback as a note (SEARCHIDX_DEBUG shows it),
    or a RuntimeError with its message if it does not survive pickling."""
    try:
        error.add_note("in a worker process:\n" + "".join(traceback.format_tb(error.__traceback__)))
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


class Pool:
    """Forked workers, each running target(send, *args) with a pipe of its own.

    `send(message)` sends to the parent; messages() yields (worker, message)
    as they come. When target returns, its value is sent as ("done", value);
    when it raises, as ("error", exception)."""

    def __init__(self, target: Callable, args: list[tuple]):
        ctx = context()
        self._pipes = [ctx.Pipe(duplex=False) for _ in args]
        parent = os.getpid()
        sends = [send for _, send in self._pipes]
        self.processes = [ctx.Process(target=_run, daemon=True,
                                      args=(target, a, send, sends, parent))
                          for a, send in zip(args, sends)]
        self.finished: set[int] = set()

    def __enter__(self):
        start(self.processes)
        for _, send in self._pipes:
            send.close()
        return self

    def __exit__(self, *exc):
        self.stop(kill=exc[0] is not None)

    def stop(self, kill: bool = True) -> None:
        for p in self.processes:
            if p.pid is None:
                continue
            if kill and p.exitcode is None:
                p.kill()
            p.join()
        for receive, _ in self._pipes:
            receive.close()

    def messages(self, timeout: float | None = None):
        """(worker number, message) until every worker has ended. Besides
        what workers send, ("done", value) when a worker's target returned,
        ("error", exception) when it raised, ("died", exit code) when it ended
        without either (killed, or in the middle of a message)."""
        receives = {receive: k for k, (receive, _) in enumerate(self._pipes)}
        sentinels = {p.sentinel: k for k, p in enumerate(self.processes)}
        while sentinels:
            for r in connection.wait([*receives, *sentinels], timeout):
                if r in receives:
                    k = receives[r]
                    try:
                        message = r.recv()
                    except (EOFError, OSError):  # the worker is gone: its sentinel tells
                        del receives[r]
                        continue
                    if message[0] in ("done", "error"):
                        self.finished.add(k)
                    yield k, message
                elif r in sentinels:
                    k = sentinels.pop(r)
                    p = self.processes[k]
                    receive = self._pipes[k][0]
                    while receive in receives and receive.poll():  # its last messages
                        try:
                            message = receive.recv()
                        except (EOFError, OSError):
                            break
                        if message[0] in ("done", "error"):
                            self.finished.add(k)
                        yield k, message
                    receives.pop(receive, None)
                    p.join()  # (its exit code may lag its sentinel)
                    if k not in self.finished:
                        yield k, ("died", p.exitcode)


def _run(target, args, send, sends, parent):
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops its workers
    for other in sends:  # the other workers' pipes are theirs alone to write
        if other is not send:
            other.close()
    try:
        result = target(send.send, *args)
    except BaseException as e:
        send.send(("error", sendable(e)))
        return
    send.send(("done", result))
