"""Process-wide switches are scoped to the work that needs them and undone after it: the cycle
collector's freeze of what a build reads back, and the silencing of pyHanko's loggers."""

from __future__ import annotations

import gc
import logging
import threading
from datetime import date
from pathlib import Path

from conftest import ROOT

from justerat.build.folder import build as build_into_folder
from justerat.build.options import Options
from justerat.core import files
from justerat.pdfs import seal


def test_objects_read_back_are_frozen_only_inside_frozen_reads(tmp_path: Path) -> None:
    kept = tmp_path / "kept.pickle"
    files.keep(kept, {"entries": list(range(100))})
    gc.unfreeze()
    assert files.read_kept(kept) == {"entries": list(range(100))}
    assert gc.get_freeze_count() == 0  # outside a build's reading: nothing frozen
    with files.frozen_reads():
        files.read_kept(kept)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_build_in_this_process_leaves_nothing_frozen(tmp_path: Path) -> None:
    options = Options(
        content=ROOT / "content",
        templates=ROOT / "templates",
        out=tmp_path / "site",
        cache=tmp_path / "cache",
        today=date(2026, 12, 7),
    )
    assert build_into_folder(options, html_only=True).ok
    again = build_into_folder(options, html_only=True)  # reads its cache back
    assert again.ok and again.unchanged
    assert gc.get_freeze_count() == 0


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_pyhankos_loggers_are_quiet_only_for_the_work_inside() -> None:
    library = logging.getLogger("pyhanko")
    below = logging.getLogger("pyhanko.sign.validation.justerat-test")  # a logger below it
    kept = _Kept()
    library.addHandler(kept)
    try:
        with seal._quiet("pyhanko"):
            below.warning("inside")  # the sealing work's own: dropped
            elsewhere = threading.Thread(target=lambda: below.warning("another thread"))
            elsewhere.start()
            elsewhere.join()
            below.error("an error")
        below.warning("after")
    finally:
        library.removeHandler(kept)
    assert kept.messages == ["another thread", "an error", "after"]
    assert below.filters == [] and library.filters == []
