"""What a build is asked to do and what it gives back: its options (``Options``), what it makes
besides the HTML (``Made``), its result (``Result``) and where it puts the site (``Sink``).
Light to import: the command line and the no-op check need nothing more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..core.problems import Problem, has_errors
from ..legal import publog

if TYPE_CHECKING:
    from ..domain.model import Archive
    from ..loading.content import Records
    from ..loading.holding import Held


@dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = Path("templates")
    drafts: bool = False
    full: bool = False  # the office's full version: paragraphs kept off the web included
    today: date = field(default_factory=publog.today)  # the notice board's day: in Sweden
    cache: Path | None = Path(".cache/justerat")  # earlier work, by the hash of its inputs
    workers: int = 0  # processes for parsing and rendering; 0: one per core
    start_log: bool = False  # a publishing build may start the publication log in ``out``


@dataclass(frozen=True)
class Made:
    """What a build makes besides the HTML: the PDFs (``pdfs``; without them, their links
    say they are made when opened, ``on_demand``, or are left out) and the search index."""

    pdfs: bool = True
    index: bool = True
    on_demand: bool = False
    log: bool = False  # a publishing build: an entry in the publication log (``publog``)
    keeps_log: bool = False  # a build into the public folder: its log stays as published


@dataclass(frozen=True)
class Result:
    problems: list[Problem]
    archive: Archive | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)  # the site, when made in memory
    rendered: tuple[str, ...] = ()  # the pages rendered (not reused from an earlier build)
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), in the order they ran
    written: int = 0  # files new or changed in the output; the others kept their mtime
    pdfs_rendered: tuple[str, ...] = ()  # the PDFs rendered (not taken from the cache)
    unchanged: bool = False  # nothing was read, made or written: nothing had changed
    count: int = 0  # files in the site
    records: Records | None = None
    parsed: tuple[str, ...] = ()  # the content files read and parsed anew
    examined: int = 0  # the files whose keys were compared with the last build's; the rest
    # could not have changed (``scope``)
    notes: tuple[str, ...] = ()  # what the office should know of this build, in Swedish
    held: tuple[Held, ...] = ()  # files with errors, held back from a site published without
    committed: bool = False  # the site was published (perhaps holding some files back)

    @property
    def ok(self) -> bool:
        return (self.archive is not None or self.unchanged) and not has_errors(self.problems)


class Sink(Protocol):
    """Where a build puts the site: what it holds (by the key each file was made from),
    what it is given, and the commit that makes the new site the one shown."""

    site: str  # the key of the site it holds (``scope.SiteKey``), as its build gave it
    # the published files found changed by hand, which this build puts back: (path, how)
    repaired: list[tuple[str, str]]

    def current(self, target: str, key: str) -> bool: ...
    def keep(self, target: str) -> None: ...
    def store(self, target: str, data: bytes) -> Any: ...
    def record(self, target: str, key: str, stored: Any, searched: bool) -> None: ...
    def write(self, target: str, key: str, data: bytes, searched: bool = False) -> None: ...
    def keep_the_rest(self, stays: Callable[[str], bool], but: str) -> None: ...
    def searched(self) -> dict[str, str]: ...
    def read(self, target: str) -> bytes: ...
    def commit(self, site: str = "", sources: Any = None) -> None: ...
    @property
    def count(self) -> int: ...
    @property
    def written(self) -> int: ...
