"""Worker processes for the stages of a build that pay to spread over the cores: one helper
that maps a function over items (``forked_map``), and one for printers (``fresh_map``).

Workers are forked, so they start at once and share what the build has read so far (the
settings, the summaries, the records already parsed) without copying it. A worker closes the
descriptors the build keeps for itself (its lock), and dies with the build: a build that is
killed leaves no worker behind holding anything. A build keeps no state of its pools: each map
starts its workers and ends them.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import suppress
from typing import Any, TypeVar

_PR_SET_PDEATHSIG = 1
PARALLEL_FROM = 200  # items before it pays to start worker processes

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


# In a worker: the function it applies and the items it applies it to, given by the build
# that forked it (inherited, never pickled). Set only in worker processes, never in a build.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _start_worker(
    function: Callable[[Any], Any], items: Sequence[Any], private: Collection[int]
) -> None:
    import ctypes

    global _WORK
    _WORK = (function, items)
    for descriptor in private:
        with suppress(OSError):
            os.close(descriptor)
    with suppress(OSError, AttributeError):  # Linux: the worker ends when the build ends
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    # a worker makes many short-lived objects (Markdown tokens) and few that live: collect
    # the young generation less often
    gc.set_threshold(20_000, 20, 20)


def _apply(index: int) -> Any:
    assert _WORK is not None, "only in a worker"
    function, items = _WORK
    return function(items[index])


def forked_map(
    function: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    private: Collection[int] = (),
    chunk_limit: int = 32,
    parallel_from: int = PARALLEL_FROM,
) -> Iterator[R]:
    """``function`` applied to each of ``items``, in order: in this process when there are
    fewer items than ``parallel_from`` or workers, else spread over ``workers`` forked
    processes, which inherit the function, the items and everything the build has read
    (nothing is pickled on the way there, only results on the way back). Workers close the
    ``private`` descriptors (the build's lock) and die with the build."""
    if workers < 2 or len(items) < parallel_from:
        yield from map(function, items)
        return
    import multiprocessing  # a rebuild of a few files needs none: not loaded until then

    gc.freeze()  # what the build holds is the workers' to read, not to collect (or copy)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(
            workers, initializer=_start_worker, initargs=(function, items, tuple(private))
        ) as pool:
            chunk = max(1, min(chunk_limit, len(items) // (workers * 8)))
            yield from pool.imap(_apply, range(len(items)), chunksize=chunk)
    finally:
        gc.unfreeze()


def end_with(build: int) -> None:
    """In a worker of a pool that is not the build's child (the PDF printers, forked by a
    server process): end as soon as the process ``build`` ends, however it ends. The server
    outlives a killed build for as long as any of its workers lives, so the workers cannot
    wait for their parent to end."""
    import select
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    try:
        handle = os.pidfd_open(build)
    except ProcessLookupError:  # ended already
        os._exit(1)
    except (OSError, AttributeError):  # no process handles here: end with the pool as before
        return

    def watch() -> None:
        select.select([handle], [], [])  # readable when the process has ended
        os._exit(1)

    threading.Thread(target=watch, name="end-with-build", daemon=True).start()


def fresh_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """``function`` applied to each of ``items``, in order as each is done, over ``workers``
    processes started afresh (forkserver), not forked from the build: for work that loads
    large libraries of its own (the PDF printers). ``function`` and ``items`` are pickled.
    The workers inherit no descriptor of the build's (its lock) and end when the build ends
    (``end_with``)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(len(items), workers)
    if workers < 2:
        yield from map(function, items)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        workers, context, initializer=end_with, initargs=(os.getpid(),)
    ) as pool:
        chunk = max(1, min(4, len(items) // (workers * 8)))  # results come back soon
        yield from pool.map(function, items, chunksize=chunk)


def beside_any_loop(work: Callable[[], T]) -> T:
    """``work`` (which runs an asyncio loop of its own: pyHanko's) to the
    end, in a thread of its own when the caller's thread already runs a loop (the preview
    server, a test driving a browser), with the caller's context (``contextvars``)."""
    import asyncio
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(contextvars.copy_context().run, work).result()
