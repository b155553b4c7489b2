"""Worker processes started by fork, which inherit the parent's state without
pickling: the indexer's workers (engine/writing.py) and a query batch's
(search/batch.py)."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys


def can_fork() -> bool:
    """Linux only (macOS's system libraries are not fork-safe). Also under
    Python 3.14, whose default start method is forkserver: the parents start
    their workers before any thread of their own."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


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
