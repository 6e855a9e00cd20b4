"""What earlier builds made, kept in the cache folder for the next one.

``build`` keeps the entries of the content files (``content.Scan``: each file's size,
modification time, digest, summary and problems), so that a rebuild reads only the files that
changed; what each published file was made from is kept beside the published trees (see
``publish``). When nothing a build reads or writes has changed, it does nothing at all
(``inputs_key``). The preview server keeps the same things in memory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .problems import Problem

if TYPE_CHECKING:
    from .content import Scan

_VERSION = f"{__version__}-py{sys.version_info.major}{sys.version_info.minor}"


def folder_state(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What a save changes: every file's path, size and modification time."""
    state: list[tuple[str, int, int]] = []

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
                    stat = entry.stat()
                    state.append((entry.path, stat.st_size, stat.st_mtime_ns))
            except OSError:
                continue

    for folder in folders:
        if folder.is_file():
            stat = folder.stat()
            state.append((folder.as_posix(), stat.st_size, stat.st_mtime_ns))
        else:
            walk(folder.as_posix())
    return tuple(sorted(state))


def _scoped(cache: Path, kind: str, folder: Path) -> Path:
    # by the folder's absolute path, not its resolved one: the output folder is a link that
    # points to another tree after every build
    scope = hashlib.sha256(str(folder.absolute()).encode()).hexdigest()[:16]
    return cache / kind / f"{scope}-{_VERSION}.pickle"


def _read(file: Path) -> Any:
    try:
        with open(file, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None


def _write(file: Path, value: Any) -> None:
    """Written atomically: a build killed half-way leaves the old file or the new one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(file)


def load(cache: Path, content: Path) -> Scan | None:
    """The entries of the last build of ``content`` with this cache. Entries that cannot be
    read (another version, a damaged file) are simply not used."""
    from .content import Scan

    found = _read(_scoped(cache, "memo", content))
    return found if isinstance(found, Scan) else None


def save(scan: Scan, cache: Path, content: Path) -> None:
    _write(_scoped(cache, "memo", content), scan)


def inputs_key(folders: Iterable[Path], settings: tuple[object, ...]) -> str:
    """A key of everything a build reads: every file's path, size and modification time, and
    the build's settings. The same key means nothing has changed."""
    digest = hashlib.sha256(repr((_VERSION, settings)).encode())
    digest.update(repr(folder_state(folders)).encode())
    return digest.hexdigest()


def last_build(cache: Path, out: Path) -> tuple[str, list[Problem], int] | None:
    """(inputs key, problems, files) of the last successful build into ``out``, if known."""
    found = _read(_scoped(cache, "unchanged", out))
    return found if isinstance(found, tuple) and len(found) == 3 else None


def remember_build(cache: Path, out: Path, key: str, problems: list[Problem], files: int) -> None:
    _write(_scoped(cache, "unchanged", out), (key, problems, files))
