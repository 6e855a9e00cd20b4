"""What earlier builds made, by the digest of what they were made from.

A build given a ``Memo`` reuses every result whose inputs are unchanged: a file whose bytes are
the same is not parsed again, a record whose source and settings are the same is not modelled
again, a page whose template closure and data are the same is not rendered again. The preview
server keeps one ``Memo`` for its whole run; ``build`` keeps one on disk in its cache folder,
so that a rebuild after a small change does little work.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .problems import Problem
from .source import Source


@dataclass
class Memo:
    # path → (digest of the file's bytes, its source, its read and schema problems)
    sources: dict[str, tuple[str, Source | None, list[Problem]]] = field(default_factory=dict)
    # (kind, source digest, settings digest) → (record, problems)
    records: dict[tuple[str, str, str], tuple[Any, list[Problem]]] = field(default_factory=dict)
    # output path → (key of everything the page is made from, its bytes)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # output path → (key, sha256 of the bytes) of pages in the previous build's output folder
    published: dict[str, tuple[str, str]] = field(default_factory=dict)


def folder_state(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What a save changes: every file's path, size and modification time."""
    state = []
    for folder in folders:
        if folder.is_file():
            stat = folder.stat()
            state.append((folder.as_posix(), stat.st_size, stat.st_mtime_ns))
            continue
        for path in sorted(folder.rglob("*")):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                state.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(state)


def _file(cache: Path, content: Path) -> Path:
    scope = hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:16]
    version = f"{__version__}-py{sys.version_info.major}{sys.version_info.minor}"
    return cache / "memo" / f"{scope}-{version}.pickle"


def load(cache: Path, content: Path) -> Memo:
    """The memo of the last build of ``content`` with this cache, or an empty one. A memo that
    cannot be read (another version, a damaged file) is simply not used."""
    try:
        with open(_file(cache, content), "rb") as handle:
            memo = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return Memo()
    return memo if isinstance(memo, Memo) else Memo()


def save(memo: Memo, cache: Path, content: Path) -> None:
    """Keep the parsed sources, records and page keys (not the pages' bytes: those are in the
    published folder) for the next build; written atomically."""
    target = _file(cache, content)
    target.parent.mkdir(parents=True, exist_ok=True)
    kept = Memo(
        sources=memo.sources,
        records={key: memo.records[key] for key in _live(memo)},
        published={
            path: (key, hashlib.sha256(body).hexdigest())
            for path, (key, body) in memo.pages.items()
        },
    )
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(target)


def _live(memo: Memo) -> list[tuple[str, str, str]]:
    """Records still made from a current source (old versions of edited files are dropped)."""
    current = {digest for digest, _, _ in memo.sources.values()}
    return [key for key in memo.records if key[1] in current]


def _unchanged_file(cache: Path, out: Path) -> Path:
    scope = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return cache / "unchanged" / f"{scope}.pickle"


def inputs_key(folders: Iterable[Path], settings: tuple[object, ...]) -> str:
    """A key of everything a build reads and the folder it writes: every file's path, size and
    modification time, and the build's settings. The same key means nothing has changed."""
    digest = hashlib.sha256(repr((__version__, settings)).encode())
    for path, size, mtime in folder_state(folders):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def last_build(cache: Path, out: Path) -> tuple[str, list[Problem], int] | None:
    """(inputs key, problems, files) of the last successful build into ``out``, if known."""
    try:
        with open(_unchanged_file(cache, out), "rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return found if isinstance(found, tuple) and len(found) == 3 else None


def remember_build(cache: Path, out: Path, key: str, problems: list[Problem], files: int) -> None:
    target = _unchanged_file(cache, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump((key, problems, files), handle)
    temporary.replace(target)
