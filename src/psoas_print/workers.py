"""Worker processes that leave Ctrl-C to the command, and stop as soon as it comes.

Ctrl-C reaches every process of the terminal's foreground group. A worker that took it
would print a KeyboardInterrupt traceback of its own; so workers ignore it and the command
(the parent) alone reports it. The parent then stops its workers at once rather than
waiting for the products they are laying out, and a worker stopped that way stops its own
workers first (a long ebook is laid out in parts by workers of a worker).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from types import FrameType, TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers ignore Ctrl-C, stopped at once when its work fails;
    ``flag`` is an event its workers share (see shared_flag)."""

    def __init__(
        self, max_workers: int, mp_context: BaseContext, flag: SharedFlag | None = None
    ) -> None:
        super().__init__(max_workers, mp_context, initializer=_in_worker, initargs=(flag,))
        _POOLS.add(self)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """As ProcessPoolExecutor's, with Ctrl-C held back while it starts a worker: one
        stopped halfway would be left waiting for what this process no longer sends, and
        say so on the terminal. The Ctrl-C comes once the worker has started."""
        with _ctrl_c_held():
            return super().submit(fn, *args, **kwargs)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        if kind is not None:  # Ctrl-C, or a problem: what the others make is not wanted
            self.stop()
        return super().__exit__(kind, error, traceback)

    def stop(self) -> None:
        """End every worker now, and whatever it was doing."""
        # The pool's own processes and thread (Python 3.14 adds terminate_workers()).
        processes = list((self._processes or {}).values())
        manager: threading.Thread | None = getattr(self, "_executor_manager_thread", None)
        self.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        if manager is not None:
            # It sees the workers gone and closes its pipes; left running, it could close
            # one while the interpreter's exit still writes to it.
            manager.join(timeout=STOP_SECONDS)


STOP_SECONDS = 10  # a worker that ends on SIGTERM ends within milliseconds
_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()  # this process's pools


# The event the pool that started this worker shares between its workers: passed as the
# worker starts, the only way multiprocessing lets a process have one.
_FLAG: SharedFlag | None = None


class SharedFlag:
    """A flag the workers of one pool share, raised once and waited for by looking at it
    now and then. Not a multiprocessing Event: raising one waits for every process waiting
    on it to wake, and a waiting worker stopped (Ctrl-C) would never wake."""

    def __init__(self, context: BaseContext) -> None:
        self._raised = context.RawValue("b", 0)  # shared memory, no lock

    def set(self) -> None:
        self._raised.value = 1

    def wait(self) -> None:
        while not self._raised.value:
            time.sleep(FLAG_LOOKS)


FLAG_LOOKS = 0.02  # seconds between looks at a shared flag


def shared_flag() -> SharedFlag | None:
    """The event this worker's pool shares between its workers, if it has one."""
    return _FLAG


def _in_worker(flag: SharedFlag | None) -> None:
    global _FLAG
    _FLAG = flag
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent's to report
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop_worker)


def _stop_worker(number: int, frame: FrameType | None) -> None:
    """Stopped by the parent: stop this worker's own workers, then end without a word.

    The exit handlers of multiprocessing run too, so that the pool's semaphores are
    released (else the process that tracks them warns about leaks as the command ends);
    should they hang, a timer ends the process anyway.
    """
    code = 128 + number
    threading.Timer(STOP_SECONDS, os._exit, (code,)).start()
    for pool in list(_POOLS):
        pool.stop()
    for child in multiprocessing.active_children():
        child.terminate()
    # What multiprocessing registers with atexit; private, so typeshed leaves it out.
    multiprocessing.util._exit_function()  # type: ignore[attr-defined]
    os._exit(code)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C held back (blocked, not lost) in this thread, where the system allows it."""
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


# What every worker imports to lay a product out: imported once by the server the workers
# fork from (see start_workers_early), not by each worker.
PRELOADED = ["psoas_print.runner.build", "weasyprint", "pikepdf"]


def start_workers_early() -> None:
    """Start the server that worker processes fork from, importing what they all need on
    the other core while this process goes on (reading the book): each worker then starts
    with it imported, at once, instead of importing it for a second or so."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOADED)
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    # Started with Ctrl-C ignored, which it keeps: it ignores it itself only once its
    # imports are done, and a Ctrl-C during them would print a traceback of its own.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def worker_context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, never forked from one that runs threads
    (a progress display, say): a fork taken while another thread holds a lock deadlocks."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
