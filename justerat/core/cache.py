"""What earlier builds made, kept for the next one: the one room where the cache lives.

A build opens one ``Cache`` and asks it, never the cache folder:

- ``unchanged``: whether nothing a build reads or writes changed since the last build into
  the same output (the no-op key), and that build's problems and file count;
- ``entries``: every content file's entry (its stat, digest, summary and problems, as
  ``loading.content`` makes them) under the key they were made with, so that only changed
  files are read;
- ``tables`` and ``derived``: the holidays of the archive's years and the front matter's
  compiled schema gates, which cost more to make than a rebuild spends on the rest of its
  reading, and what a stage makes of them once per ``Cache`` (the law's calendar, the gates);
- ``templates``: compiled templates and the templates each one extends, includes and imports;
- ``pdf`` and ``keep_pdf``: printed PDFs by the key of what they are made from;
- ``search_document``/``keep_search_document``: what the search read of each page, by the
  page's digest, and ``search_states``/``keep_search_state``: the indexes published lately;
- ``keep_entries``, ``keep_tables`` and ``remember_build``: what this build leaves for the
  next, called only after it published.

What each published file was made from is the published tree's own record (its manifest,
``publish``); the site's key in parts (``scope.SiteKey``) is kept there too. ``Cache(None, …)``
keeps nothing on disk (``--no-cache``); the preview server keeps one ``Cache`` in memory
between its builds, with its folder only for PDFs, templates and tables.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle
import shutil
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from .. import __version__
from .files import Listing, keep, read_kept, write_atomically
from .problems import Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    import jinja2

T = TypeVar("T")

# The cache knows bytes, keys and plain values: the stages make their own types of what it keeps
# (``loading.content``), so a build that finds nothing changed loads none of them.

# What is kept changes form with the code that keeps it: a new format, nothing old is read
# (2: entries hold images with their lines, PDFs keyed by the templates' paths inside their folder;
# 6: the registers' members have an id; 7: the kept classes live on the package's floors;
# 8: the attendees may refer to their beslutande (note), a paragraph has its dnr;
# 9: a protocol's summary has the hours the meeting began and ended)
FORMAT = 9
_VERSION = f"{__version__}-{FORMAT}-py{sys.version_info.major}{sys.version_info.minor}"


class LastBuild(NamedTuple):
    """What the last successful build into an output folder left: the key of everything it
    read and wrote, its problems and how many files the site has."""

    key: str
    problems: list[Problem]
    files: int


class Kept(NamedTuple):
    """Every content file's entry, by its path inside the content folder, under the ``key`` of
    what the entries depend on besides their files."""

    key: str
    entries: dict[str, Any]


@dataclass(frozen=True)
class Tables:
    """Tables computed from installed packages: the holidays of the archive's years, and the
    compiled front-matter gates (each known by its own key)."""

    holidays: dict[int, dict[date, str]] = field(default_factory=dict)  # year → day → name
    gates: dict[str, bytes] = field(default_factory=dict)


class TemplateCache:
    """What the template stage keeps: compiled templates (Jinja's bytecode cache) and the
    references between templates, by the hash of each template's text."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.references: dict[str, list[str]] = {}
        if folder is not None:
            with suppress(OSError, ValueError, TypeError):
                self.references = dict(json.loads((folder / "references.json").read_text()))
        self._known = dict(self.references)

    def bytecode(self) -> jinja2.BytecodeCache | None:
        if self.folder is None:
            return None
        import jinja2

        self.folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(self.folder))

    def remember(self) -> None:
        # a copy, made at once: the preview's PDF handler may add to them meanwhile
        references = dict(self.references)
        if self.folder is None or references == self._known:
            return
        data = json.dumps(references, sort_keys=True).encode()
        write_atomically(self.folder / "references.json", data)
        self._known = references


class Cache:
    """Everything earlier builds left for this one, and what this one leaves for the next:
    kept in ``folder`` (None: nowhere) for one ``content`` folder built into one ``out``
    folder (None: in memory only, the preview's)."""

    def __init__(self, folder: Path | None, content: Path, out: Path | None) -> None:
        self.folder = folder
        self.content = content
        self.out = out
        self._kept: Kept | None = None  # the entries, once read (or kept in memory)
        self._entries_read = False
        self._tables: Tables | None = None
        self._derived: dict[str, object] = {}
        self._documents: dict[str, Any] = {}
        self._states: dict[str, Any] | None = None
        self.templates = TemplateCache(folder / "templates" if folder is not None else None)

    @property
    def persistent(self) -> bool:
        return self.folder is not None and self.out is not None

    # --- the no-op key ---------------------------------------------------------------------

    def unchanged(self, key: str) -> LastBuild | None:
        """The last build into the output folder, if it had the same ``key`` (nothing read or
        written has changed since)."""
        if not self.persistent:
            return None
        found = read_kept(self._scoped("unchanged", self._out))
        if isinstance(found, tuple) and len(found) == 3 and found[0] == key:
            return LastBuild(*found)
        return None

    @staticmethod
    def inputs_key(found: Listing, settings: tuple[object, ...]) -> str:
        """A key of everything a build reads: every file's path, size, modification time and
        inode, and the build's settings. The same key means nothing has changed."""
        digest = hashlib.sha256(repr((_VERSION, settings)).encode())
        # pickled rather than repr'd: the same text for the same listing, five times faster
        digest.update(pickle.dumps(found, protocol=5))
        return digest.hexdigest()

    # --- the content entries ---------------------------------------------------------------

    def entries(self) -> Kept | None:
        """The entries of the last build of the content folder into the output folder.
        Entries that cannot be read (another version, a damaged file) are not used."""
        if not self._entries_read and self.persistent:
            self._kept = _read_entries(self._entry_folder())
        self._entries_read = True
        return self._kept

    def keep_entries(self, key: str, entries: dict[str, Any], read: Iterable[str]) -> None:
        """Keep this build's entries for the next (on disk, only the folders of the files it
        ``read`` or found removed, unless the key changed)."""
        if self.persistent:
            _write_entries(self._entry_folder(), Kept(key, entries), read, self._kept)
        self._kept, self._entries_read = Kept(key, entries), True  # last: once it is kept

    # --- tables computed from packages -----------------------------------------------------

    def tables(self) -> Tables:
        """The tables an earlier build computed (empty ones when none is kept)."""
        if self._tables is None:
            found = read_kept(self._tables_file()) if self.folder is not None else None
            self._tables = found if isinstance(found, Tables) else Tables()
        return self._tables

    def derived(self, name: str, make: Callable[[Tables], T]) -> T:
        """What a stage ``make``s of the kept tables, made once for this ``Cache`` under
        ``name`` (the preview's one cache keeps it between builds)."""
        if name not in self._derived:
            self._derived[name] = make(self.tables())
        return cast(T, self._derived[name])

    def keep_tables(self, tables: Tables) -> None:
        """Keep ``tables`` for the next build, if they differ from the kept ones."""
        if self.folder is not None and tables != self.tables():
            keep(self._tables_file(), tables)
            self._tables = tables

    # --- printed PDFs ----------------------------------------------------------------------

    def pdf(self, key: str) -> Path | None:
        """The file of the PDF printed under ``key``, if it is kept."""
        if self.folder is None:
            return None
        file = self.folder / "pdf" / f"{key}.pdf"
        return file if file.is_file() else None

    def keep_pdf(self, key: str, data: bytes, *aliases: str) -> None:
        """Keep a printed PDF under ``key``, and the same file under each of ``aliases``."""
        if self.folder is None:
            return
        write_atomically(self.folder / "pdf" / f"{key}.pdf", data)
        self.alias_pdf(key, *aliases)

    def alias_pdf(self, key: str, *aliases: str) -> None:
        """The kept PDF under ``key`` is also the one under each of ``aliases`` (one file)."""
        if self.folder is None:
            return
        for other in aliases:
            target = self.folder / "pdf" / f"{other}.pdf"
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            try:
                os.link(self.folder / "pdf" / f"{key}.pdf", temporary)
                temporary.replace(target)
            except OSError:
                temporary.unlink(missing_ok=True)

    # --- search bundles --------------------------------------------------------------------

    def search_document(self, digest: str) -> Any:
        """What the search read of the page with this digest (``units.Document``), or None."""
        found = self._documents.get(digest)
        if found is None and self.folder is not None:
            found = read_kept(self.folder / "search" / "documents" / digest[:2] / digest)
        return found

    def keep_search_document(self, digest: str, document: Any) -> None:
        """Keep what the search read of a page: on disk, or, for a cache without a folder
        (the preview's), in memory (a cold build reads every page once and keeps none)."""
        if self.folder is None:
            self._documents[digest] = document
        else:
            keep(self.folder / "search" / "documents" / digest[:2] / digest, document)

    def search_states(self) -> dict[str, Any]:
        """The states of the search indexes built lately (``searchindex.State``), by the
        digest of their manifests."""
        if self._states is None:
            found = read_kept(self.folder / "search" / "states") if self.folder else None
            self._states = dict(found) if isinstance(found, dict) else {}
        return self._states

    def keep_search_state(self, manifest: str, state: Any, most: int = 4) -> None:
        """Keep ``state`` (and the ``most`` − 1 kept before it) for later builds."""
        states = {k: v for k, v in self.search_states().items() if k != manifest}
        self._states = dict([*list(states.items())[-(most - 1) :], (manifest, state)])
        if self.folder is not None:
            keep(self.folder / "search" / "states", self._states)

    # --- after a build ---------------------------------------------------------------------

    def remember_build(self, key: str, problems: list[Problem], count: int) -> None:
        """After a build into the output folder: the ``key`` of all it read and wrote, its
        problems and file count, for the next build's no-op check (``unchanged``)."""
        if self.persistent:
            keep(self._scoped("unchanged", self._out), (key, problems, count))

    # --- where things are ------------------------------------------------------------------

    @property
    def _out(self) -> Path:
        assert self.out is not None
        return self.out

    def _scoped(self, kind: str, folder: Path) -> Path:
        """Kept per output folder, by its absolute path, not its resolved one: the output
        folder is a link that points to another tree after every build."""
        assert self.folder is not None
        scope = hashlib.sha256(str(folder.absolute()).encode()).hexdigest()[:16]
        return self.folder / kind / f"{scope}-{_VERSION}.pickle"

    def _entry_folder(self) -> Path:
        """Entries are kept for one content folder built into one output folder."""
        return self._scoped("entries", self.content / "→" / self._out.absolute()).with_suffix("")

    def _tables_file(self) -> Path:
        """By the version, and by the files of the holidays package that give Sweden's
        holidays (found without loading the package, which alone costs a rebuild 0.1 s)."""
        assert self.folder is not None
        key = hashlib.sha256(_VERSION.encode())
        spec = importlib.util.find_spec("holidays")
        if spec is not None and spec.origin is not None:
            package = os.path.dirname(spec.origin)
            for part in ("version.py", "countries/sweden.py"):
                with suppress(OSError):
                    stat = os.stat(os.path.join(package, part))
                    key.update(f"{part}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        return self.folder / "derived" / f"{key.hexdigest()[:16]}.pickle"


# Entries are kept by folder (a body's protocols, the plans), so that a build that read a
# few files writes back only their folders' entries.


def _shard_name(folder: str) -> str:
    return hashlib.sha256(folder.encode()).hexdigest()[:16]


def _folder_of(path: str) -> str:
    return path.rpartition("/")[0]


def _read_entries(folder: Path) -> Kept | None:
    key, entries = "", {}
    try:
        shards = sorted(os.listdir(folder))
    except OSError:
        return None
    for name in shards:
        shard = read_kept(folder / name) if name.endswith(".pickle") else None
        if not isinstance(shard, tuple) or len(shard) != 2 or not isinstance(shard[1], dict):
            continue
        if key and shard[0] != key:
            return None  # written by builds with other settings: start afresh
        key = shard[0]
        entries.update(shard[1])
    return Kept(key, entries)


def _write_entries(folder: Path, kept: Kept, read: Iterable[str], known: Kept | None) -> None:
    """Write back the entries of the folders whose files this build ``read`` or found
    removed (all of them when the entries were not ``known`` under the same key)."""
    everything = known is None or known.key != kept.key
    if everything:
        shutil.rmtree(folder, ignore_errors=True)
    changed = {_folder_of(path) for path in read}
    if known is not None:  # folders whose files were removed
        changed |= {_folder_of(path) for path in known.entries.keys() - kept.entries.keys()}
    grouped: dict[str, dict[str, Any]] = {}
    for path, entry in kept.entries.items():
        folder_of = _folder_of(path)
        if everything or folder_of in changed:
            grouped.setdefault(folder_of, {})[path] = entry
    for emptied in changed - grouped.keys():
        (folder / f"{_shard_name(emptied)}.pickle").unlink(missing_ok=True)
    for folder_of, entries in grouped.items():
        keep(folder / f"{_shard_name(folder_of)}.pickle", (kept.key, entries))
