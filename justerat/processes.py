"""Worker processes for the stages of a build that pay to spread over the cores.

Workers are forked, so they start at once and share what the build has read so far (the
settings, the summaries, the records already parsed) without copying it. A worker closes the
descriptors the build keeps for itself (its lock), and dies with the build: a build that is
killed leaves no worker behind holding anything.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

_PRIVATE: set[int] = set()  # descriptors no worker may keep open
_PR_SET_PDEATHSIG = 1


def keep_private(descriptor: int) -> None:
    _PRIVATE.add(descriptor)


def release(descriptor: int) -> None:
    _PRIVATE.discard(descriptor)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def _start_worker() -> None:
    import ctypes

    for descriptor in _PRIVATE:
        with suppress(OSError):
            os.close(descriptor)
    with suppress(OSError, AttributeError):  # Linux: the worker ends when the build ends
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    # a worker makes many short-lived objects (Markdown tokens) and few that live: collect
    # the young generation less often
    gc.set_threshold(20_000, 20, 20)


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


@contextmanager
def pool(workers: int) -> Iterator[Pool]:
    """A pool of ``workers`` forked processes."""
    import multiprocessing  # a rebuild of a few files needs none: not loaded until then

    gc.freeze()  # what the build holds is the workers' to read, not to collect (or copy)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool_:
            yield pool_
    finally:
        gc.unfreeze()
