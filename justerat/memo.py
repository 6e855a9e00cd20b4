"""What earlier builds made, kept in the cache folder for the next one.

``build`` keeps the entries of the content files (``content.Scan``: each file's size,
modification time, digest, summary and problems), so that a rebuild reads only the files that
changed; what each published file was made from is kept beside the published trees (see
``publish``). When nothing a build reads or writes has changed, it does nothing at all
(``inputs_key``). The preview server keeps the same things in memory.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import os
import pickle
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .files import Listing
from .law import Calendar
from .problems import Problem

if TYPE_CHECKING:
    from .content import Scan

_VERSION = f"{__version__}-py{sys.version_info.major}{sys.version_info.minor}"


def _scoped(cache: Path, kind: str, folder: Path) -> Path:
    # by the folder's absolute path, not its resolved one: the output folder is a link that
    # points to another tree after every build
    scope = hashlib.sha256(str(folder.absolute()).encode()).hexdigest()[:16]
    return cache / kind / f"{scope}-{_VERSION}.pickle"


def read(file: Path) -> Any:
    """What ``write`` kept in ``file``, or None if it cannot be read (missing, damaged, or
    written by another version)."""
    try:
        with open(file, "rb") as handle, _collector_paused():
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading back a cache makes objects by the hundred thousand, none of them garbage and
    most of them kept to the end of the build: the cycle collector would walk them over and
    over, first while they are read and then at every full collection. It is paused while
    they are read, and then told that what exists so far need not be walked again until
    ``pipeline.build`` is done (they are freed as usual when no longer used; only cycles
    would wait for the end of the build to be collected)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def write(file: Path, value: Any) -> None:
    """Keep ``value`` in ``file`` for a later build (see ``write_bytes``)."""
    write_bytes(file, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def write_bytes(file: Path, data: bytes) -> None:
    """Written atomically: a build killed half-way leaves the old file or the new one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(file)


def _shards(cache: Path, content: Path, out: Path) -> Path:
    """Kept for one content folder built into one output folder: a build makes only what
    changed since the last build into the same folder."""
    return _scoped(cache, "memo", content / "→" / out.absolute()).with_suffix("")


def _shard_name(folder: str) -> str:
    """Entries are kept by folder (a body's protocols, the plans), so that a build that read a
    few files writes back only their folders' entries."""
    return hashlib.sha256(folder.encode()).hexdigest()[:16]


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def load(cache: Path, content: Path, out: Path) -> Scan | None:
    """The entries of the last build of ``content`` with this cache. Entries that cannot be
    read (another version, a damaged file) are simply not used."""
    from .content import Scan

    folder = _shards(cache, content, out)
    found = Scan()
    try:
        shards = sorted(os.listdir(folder))
    except OSError:
        return None
    for name in shards:
        shard = read(folder / name) if name.endswith(".pickle") else None
        if not isinstance(shard, tuple) or len(shard) != 2 or not isinstance(shard[1], dict):
            continue
        key, entries = shard
        if found.key and key != found.key:
            return None  # written by builds with other settings: start afresh
        found.key = key
        found.entries.update(entries)
    return found


def save(scan: Scan, cache: Path, content: Path, out: Path, known: Scan | None = None) -> None:
    """Write back the entries of the folders whose files this build read or found touched
    (all of them when the entries were not ``known`` under the same key)."""
    folder = _shards(cache, content, out)
    everything = known is None or known.key != scan.key
    if everything:
        shutil.rmtree(folder, ignore_errors=True)
    changed = {_folder(path) for path in (*scan.parsed, *scan.touched)}
    if known is not None:  # folders whose files were removed
        changed |= {_folder(path) for path in known.entries.keys() - scan.entries.keys()}
    grouped: dict[str, dict[str, Any]] = {}
    for path, entry in scan.entries.items():
        folder_of = _folder(path)
        if everything or folder_of in changed:
            grouped.setdefault(folder_of, {})[path] = entry
    for emptied in changed - grouped.keys():
        (folder / f"{_shard_name(emptied)}.pickle").unlink(missing_ok=True)
    for folder_of, entries in grouped.items():
        write(folder / f"{_shard_name(folder_of)}.pickle", (scan.key, entries))


def inputs_key(found: Listing, settings: tuple[object, ...]) -> str:
    """A key of everything a build reads: every file's path, size, modification time and
    inode, and the build's settings. The same key means nothing has changed."""
    digest = hashlib.sha256(repr((_VERSION, settings)).encode())
    # pickled rather than repr'd: the same text for the same listing, made five times faster
    digest.update(pickle.dumps(found, protocol=5))
    return digest.hexdigest()


@dataclass
class Derived:
    """Tables computed from installed packages, kept so that a rebuild need not load and run
    them again: the holidays of the archive's years (``law``), and the front-matter gates
    compiled from the schemas (``frontmatter``, each known by its own key)."""

    calendar: Calendar = field(default_factory=dict)
    gates: dict[str, bytes] = field(default_factory=dict)


def _derived_file(cache: Path) -> Path:
    """Where the tables are kept: by the version, and by the files of the holidays package
    that give Sweden's holidays (found without loading the package, which alone costs a
    rebuild 0.1 s)."""
    key = hashlib.sha256(_VERSION.encode())
    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin is not None:
        package = os.path.dirname(spec.origin)
        for part in ("version.py", "countries/sweden.py"):
            with suppress(OSError):
                stat = os.stat(os.path.join(package, part))
                key.update(f"{part}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return cache / "derived" / f"{key.hexdigest()[:16]}.pickle"


def derived(cache: Path) -> Derived:
    found = read(_derived_file(cache))
    return found if isinstance(found, Derived) else Derived()


def keep_derived(cache: Path, tables: Derived) -> None:
    write(_derived_file(cache), tables)


def last_build(cache: Path, out: Path) -> tuple[str, list[Problem], int] | None:
    """(inputs key, problems, files) of the last successful build into ``out``, if known."""
    found = read(_scoped(cache, "unchanged", out))
    return found if isinstance(found, tuple) and len(found) == 3 else None


def remember_build(cache: Path, out: Path, key: str, problems: list[Problem], files: int) -> None:
    write(_scoped(cache, "unchanged", out), (key, problems, files))
