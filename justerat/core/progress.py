"""A progress bar for long runs (a whole archive imported, every PDF of an archive printed),
shown only to a person watching: on a terminal, never in a log or a test."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def watched() -> TextIO | None:
    """Standard error, when a person watches it (a terminal)."""
    return sys.stderr if sys.stderr.isatty() else None


class Progress:
    """``done/total noun``, the rate, and an estimate of the time left, on one line."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None, total: int, noun: str) -> None:
        self.stream = stream
        self.total = total
        self.noun = noun
        self.done = 0
        self.started = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.stream is None:
            return
        seconds = time.monotonic() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        filled = self.WIDTH * self.done // max(self.total, 1)
        left = (self.total - self.done) / rate if rate else 0.0
        estimate = f", cirka {_duration(left)} kvar" if self.done < self.total and rate else ""
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} "
            f"{self.noun}, {rate:.1f} per sekund{estimate}".replace(".", ",")
            + " " * 8
        )
        self.stream.flush()

    def end(self) -> None:
        if self.stream is not None and self.done:
            self.stream.write("\n")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
