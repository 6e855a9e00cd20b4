"""Files: the ones under the folders a build reads, each with what tells that it changed,
and the files a build keeps for the next one, written atomically.

A build lists its folders once (``listing``): the no-op check keys on the listing, and the
content stage takes from it which files there are and which of them changed since the last
build, without asking the file system again (on a slow disk, a stat of 10,000 files costs
as much as rendering a page).
"""

from __future__ import annotations

import gc
import gzip
import os
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import brotli

# size, modification time (ns), inode: a save changes one of them
Signature = tuple[int, int, int]
Listing = dict[str, Signature]  # path (as problems name it) → signature, in sorted order


_FREEZING: ContextVar[bool] = ContextVar("freezing", default=False)  # inside frozen_reads


class ContentChanged(Exception):
    """A file changed while the build read it; the message says so, in Swedish."""


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def listing(folders: Iterable[Path]) -> Listing:
    """Every file under ``folders`` (or a folder that is a file, itself), by path. A file
    that vanishes while it is listed is simply not there."""
    found: list[tuple[str, Signature]] = []

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                elif entry.is_file():
                    found.append((entry.path, signature(entry.stat())))
            except OSError:
                continue

    for folder in folders:
        if folder.is_file():
            found.append((folder.as_posix(), signature(folder.stat())))
        else:
            walk(folder.as_posix())
    return dict(sorted(found))


def under(files: Listing, folder: Path) -> Listing:
    """The part of ``files`` under ``folder``."""
    prefix = f"{folder.as_posix().rstrip('/')}/"
    return {path: sign for path, sign in files.items() if path.startswith(prefix)}


def read_kept(file: Path) -> Any:
    """What ``keep`` wrote to ``file``, or None if it cannot be read (missing, damaged, or
    written by another version). Reading back makes objects by the hundred thousand, none of
    them garbage and most kept to the end of the build: the cycle collector is paused while
    they are read and, inside ``frozen_reads``, told not to walk them again (``gc.freeze``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(file, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None
    finally:
        if _FREEZING.get():
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_reads() -> Iterator[None]:
    """A build's reading: what ``read_kept`` reads inside the block is exempted from the cycle
    collector until the block ends, and then given back to it (``gc.unfreeze``), so that the
    process may go on (the preview, a test, a caller) as it was."""
    token = _FREEZING.set(True)
    try:
        yield
    finally:
        _FREEZING.reset(token)
        gc.unfreeze()


def keep(file: Path, value: Any) -> None:
    """Keep ``value`` in ``file`` for a later build (see ``write_atomically``)."""
    write_atomically(file, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomically(file: Path, data: bytes) -> None:
    """Written atomically: a build killed half-way leaves the old file or the new one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(file)


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path inside it, in sorted order."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Precompressed copies, which a web server sends instead of the file to a browser that accepts
# them (nginx's gzip_static and brotli_static): beside every text file of the site, never beside
# one compressed already (a PDF, an image, the search index's own .gz files)
PRECOMPRESSED = (".gz", ".br")
# gzip at its highest level, brotli at 8: the highest before brotli's cost jumps. At 11 it took
# 19 ms a page, 70 % of a cold build's time; at 8 it takes 0.3 ms for copies 9 % larger, still
# 8 % smaller than gzip's (the README's Precompressed files). Part of each copy's key, so a
# change of level compresses every file anew
LEVELS = {".gz": 9, ".br": 8}
COMPRESSION = "-".join(f"{suffix[1:]}{level}" for suffix, level in LEVELS.items())
TEXT_SUFFIXES = frozenset((".html", ".css", ".js", ".json", ".xml", ".ics", ".svg", ".txt"))


def compressible(target: str) -> bool:
    """Whether the site's file at ``target`` gets precompressed copies."""
    return os.path.splitext(target)[1] in TEXT_SUFFIXES


def precompressed(data: bytes) -> dict[str, bytes]:
    """``data`` compressed at ``LEVELS``, by the copy's suffix: the same bytes for the same
    data on every machine (gzip without a name or a time, brotli without either)."""
    return {
        ".gz": gzip.compress(data, compresslevel=LEVELS[".gz"], mtime=0),
        ".br": brotli.compress(data, quality=LEVELS[".br"]),
    }
