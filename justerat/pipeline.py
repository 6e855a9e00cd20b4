"""The build, top to bottom: read and check everything, render what changed, then publish.

Nothing is published unless every stage before it succeeded, and the published site is
switched whole (see ``publish``). ``make`` builds in memory: the preview server serves its
files from there.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files, law, processes
from . import memo as stored
from .files import Listing
from .problems import Problem, has_errors
from .publish import Publication, build_lock, check_target, published_tree

if TYPE_CHECKING:
    from .content import Records, Scan
    from .model import Archive
    from .pdf import Printed
    from .render import Output
    from .scope import Scope, SiteKey

# The stages are imported when a build runs: a build that finds nothing changed (a daily
# rebuild, an editor's save of an untouched file) starts and answers without them.


@dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = Path("templates")
    drafts: bool = False
    full: bool = False  # the office's full version: paragraphs kept off the web included
    today: date = field(default_factory=date.today)  # the notice board's day
    cache: Path | None = Path(".cache/justerat")  # earlier work, by the hash of its inputs
    workers: int = 0  # processes for parsing and rendering; 0: one per core


@dataclass(frozen=True)
class Result:
    problems: list[Problem]
    archive: Archive | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    rendered: tuple[str, ...] = ()  # the pages rendered (not reused from an earlier build)
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), in the order they ran
    written: int = 0  # files new or changed in the output; the others kept their mtime
    pdfs_rendered: tuple[str, ...] = ()  # the PDFs rendered (not taken from the cache)
    unchanged: bool = False  # nothing was read, made or written: nothing had changed
    count: int = 0  # files in the site, when ``files`` is not at hand
    records: Records | None = None
    parsed: tuple[str, ...] = ()  # the content files read and parsed anew
    examined: int = 0  # the files whose keys were compared with the last build's; the rest
    # could not have changed (``scope``)

    @property
    def ok(self) -> bool:
        return (self.archive is not None or self.unchanged) and not has_errors(self.problems)


class _Clock:
    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []
        self.started = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings.append((stage, now - self.started))
        self.started = now


def _workers(options: Options) -> int:
    return options.workers or processes.cores()


def check(options: Options, known: Scan | None = None) -> Result:
    from . import content

    archive, records, problems, _ = content.load(options.content, known, _workers(options))
    return Result(problems, archive, records=records)


# --- making the files -----------------------------------------------------------------------

# What forked workers make (by index) and what they do with each made file: set before the
# workers are forked, so that they inherit both.
_OUTPUTS: list[Output] = []
_STORE: Callable[[Output, bytes], Any] | None = None


def _make_one(index: int) -> tuple[Any, Problem | None]:
    from .render import RenderError

    output = _OUTPUTS[index]
    try:
        data = output.make()
    except RenderError as exc:
        return None, exc.problem
    return (data if _STORE is None else _STORE(output, data)), None


PARALLEL_FROM = 200  # files to make before it pays to start worker processes


def _made(
    outputs: list[Output], workers: int, store: Callable[[Output, bytes], Any] | None
) -> Iterator[tuple[Any, Problem | None]]:
    """Each output made and handed to ``store`` where it was made (or its bytes, without one),
    or the problem that stopped it, in order; spread over ``workers`` forked processes when
    there are many, so that pages are also written in parallel, not sent back."""
    global _OUTPUTS, _STORE
    _OUTPUTS, _STORE = outputs, store
    try:
        if workers < 2 or len(outputs) < PARALLEL_FROM:
            yield from (_make_one(index) for index in range(len(outputs)))
            return
        with processes.pool(workers) as pool:
            chunk = max(1, min(32, len(outputs) // (workers * 8)))
            yield from pool.imap(_make_one, range(len(outputs)), chunksize=chunk)
    finally:
        _OUTPUTS, _STORE = [], None


def _site(
    options: Options,
    archive: Archive,
    records: Records,
    pdfs: bool,
    on_demand: bool,
    clock: _Clock,
    last: SiteKey | None = None,
    parsed: Collection[str] = (),
) -> tuple[list[Output], list[Problem], dict[str, Printed], list[str], SiteKey, Scope | None]:
    """Every output of the site, or, given the key of the ``last`` site made and the files
    ``parsed`` since, only what may have changed (in the scope returned; None: everything);
    the PDFs are made here (from their cache when unchanged)."""
    from . import render, scope

    made: dict[str, Printed] = {}
    problems: list[Problem] = []
    pdfs_rendered: list[str] = []
    if pdfs:
        from . import pdf

        env = render.environment(options.templates, options.cache)
        made, problems = pdf.pdf_files(
            archive,
            records,
            options.templates,
            options.content,
            options.cache,
            env,
            rendered=pdfs_rendered,
        )
        clock.lap("PDF")
    sizes = {path: each.size for path, each in made.items()}
    settings = (options.drafts, options.full, options.today, pdfs, on_demand, archive.redacted)
    site = scope.site_key(archive, options.templates, (*settings, records.key), sizes)
    within = scope.scope(site, last, parsed) if last is not None else None
    outputs, more = render.outputs(
        archive,
        records,
        options.templates,
        options.today,
        drafts=options.drafts or options.full,
        full=options.full,
        pdf_sizes=None if on_demand else sizes,
        scope=within,
        cache=options.cache,
    )
    return outputs, problems + more, made, pdfs_rendered, site, within


def _produce(
    outputs: list[Output],
    unchanged: Callable[[Output], bool],
    workers: int,
    place: Callable[[Output, Any], None],
    store: Callable[[Output, bytes], Any] | None = None,
) -> tuple[list[str], list[Problem]]:
    """Make every output that changed, hand it to ``store`` where it is made and what that
    gives (or its bytes) to ``place``; an unchanged output goes to ``place`` with None."""
    todo = [o for o in outputs if not unchanged(o)]
    rendered, problems = [], []
    for output in outputs:
        if unchanged(output):
            place(output, None)
    for output, (made, problem) in zip(todo, _made(todo, workers, store), strict=True):
        if problem is not None:
            problems.append(problem)
            continue
        place(output, made)
        if output.page is not None:
            rendered.append(output.target)
    return rendered, problems


@dataclass
class Preview:
    """What the preview server keeps between builds: the content entries, and every file it
    serves with the key it was made from."""

    scan: Scan | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    site: SiteKey | None = None  # the site's key as last made


def make(
    options: Options,
    memo: Preview | None = None,
    pdfs: bool = True,
    index: bool = True,
    on_demand: bool = False,
) -> Result:
    """Check and make the whole site in memory. Without ``pdfs`` the PDFs are not rendered:
    their links say they are made when opened (``on_demand``, the preview) or are left out;
    without ``index``, no search index. With ``memo``, what did not change is not made again."""
    from . import content, search

    clock = _Clock()
    workers = _workers(options)
    known = memo.scan if memo is not None else None
    archive, records, problems, scan = content.load(options.content, known, workers)
    clock.lap("läsa och kontrollera")
    if archive is None or records is None or has_errors(problems):
        return Result(problems, archive, timings=tuple(clock.timings))
    public = archive.published(include_drafts=options.drafts, full=options.full)
    last = memo.site if memo is not None else None
    outputs, more, made, pdfs_rendered, site, within = _site(
        options, public, records, pdfs, on_demand, clock, last, scan.parsed
    )
    earlier = memo.files if memo is not None else {}
    files: dict[str, bytes] = {path: each.data() for path, each in made.items()}
    kept: dict[str, tuple[str, bytes]] = {}

    def place(output: Output, data: bytes | None) -> None:
        body = earlier[output.target][1] if data is None else data
        files[output.target] = body
        kept[output.target] = (output.key, body)

    def unchanged(output: Output) -> bool:
        known = earlier.get(output.target)
        return known is not None and known[0] == output.key

    rendered, failed = _produce(outputs, unchanged, workers, place)
    if within is not None:  # what was not made stays
        for target, (key, body) in earlier.items():
            if target not in kept and target not in made and within.keeps(target):
                files[target] = body
                kept[target] = (key, body)
    more += failed
    clock.lap("HTML")
    if index and not has_errors(more):
        pages = {t: sha256(b).hexdigest() for t, b in files.items() if search.searched(t, b)}
        found, found_problems = search.search_files(files.__getitem__, pages, options.cache)
        files.update(found)
        more += found_problems
        clock.lap("sökindex")
    if memo is not None and not has_errors(more):
        memo.scan = scan
        memo.files = kept
        memo.site = site
    return Result(
        problems + more,
        public,
        files,
        tuple(rendered),
        tuple(clock.timings),
        pdfs_rendered=tuple(pdfs_rendered),
        records=records,
        parsed=scan.parsed,
        examined=len(outputs),
    )


# --- building into the output folder ---------------------------------------------------------


def _sources_key(options: Options, html_only: bool, found: Listing) -> str:
    """The key of what a build reads: the files ``found`` in the content and templates
    folders, and its settings."""
    settings = (
        str(options.content.resolve()),
        str(options.templates.resolve()),
        str(options.out.absolute()),
        options.drafts,
        options.full,
        options.today.isoformat(),
        html_only,
    )
    return stored.inputs_key(found, settings)


def _inputs_key(options: Options, sources: str) -> str:
    """The key of what a build reads and writes: its sources (``_sources_key``), and the
    published trees, known by their manifests rather than file by file."""
    trees = options.out.absolute().parent / f".{options.out.name}.trees"
    manifests = stored.inputs_key(
        files.listing(sorted(trees.glob("*.manifest"))), (published_tree(options.out),)
    )
    return f"{sources}-{manifests}"


def _keep_derived(cache: Path, archive: Archive, known: stored.Derived) -> None:
    """The holidays of the archive's years (and the next, where notices run on) and the
    compiled gates, for the next build."""
    from . import frontmatter

    found = sorted({protocol.date.year for protocol in archive.protocols})
    years = range(found[0], found[-1] + 2) if found else range(0)
    calendar = known.calendar
    if any(year not in calendar for year in years):
        calendar = law.calendar(years)
    tables = stored.Derived(calendar, frontmatter.gates())
    if tables != known:
        stored.keep_derived(cache, tables)


def build(options: Options, html_only: bool = False) -> Result:
    """Check, render and publish; on any error the output folder is left as it was. When no
    file it reads or writes has changed since the last build, it does nothing at all. One
    build at a time per output folder: a second one refuses at once."""
    kind = "full" if options.full else "public"
    check_target(options.out, [options.content, options.templates], kind)  # fail before work
    with build_lock(options.out):
        try:
            return _build_locked(options, html_only, kind)
        finally:
            # what was read from the caches was exempted from the cycle collector for the
            # build (``memo.read``); after it, the process may go on (the tests, a caller)
            gc.unfreeze()


def _build_locked(options: Options, html_only: bool, kind: str) -> Result:
    cache = options.cache
    sources, found = "", None
    if cache is not None:
        listed = files.listing([options.content, options.templates])
        sources = _sources_key(options, html_only, listed)
        last = stored.last_build(cache, options.out)
        if last is not None and last[0] == _inputs_key(options, sources):
            return Result(last[1], unchanged=True, count=last[2])
        found = files.under(listed, options.content)
    from . import content, frontmatter, search

    clock = _Clock()
    workers = _workers(options)
    known = stored.load(cache, options.content, options.out) if cache is not None else None
    tables = stored.derived(cache) if cache is not None else stored.Derived()
    law.remember(tables.calendar)
    frontmatter.remember(tables.gates)
    archive, records, problems, scan = content.load(options.content, known, workers, found)
    clock.lap("läsa och kontrollera")
    if archive is None or records is None or has_errors(problems):
        return Result(problems, archive, timings=tuple(clock.timings))
    public = archive.published(include_drafts=options.drafts, full=options.full)
    pdfs = not html_only
    publication = Publication(options.out, kind, fresh=cache is None)

    from .scope import SiteKey

    published = SiteKey.read(publication.site)  # only what may have changed since is made
    outputs, more, made, pdfs_rendered, site, within = _site(
        options, public, records, pdfs, False, clock, published, scan.parsed
    )
    if has_errors(more):
        return Result(problems + more, public, timings=tuple(clock.timings))
    for target, each in sorted(made.items()):  # most as published: kept without a read
        if publication.unchanged(target, each.key):
            publication.keep(target)
        else:
            publication.write(target, each.key, each.data())

    def store(output: Output, data: bytes) -> tuple[str, bool]:
        """In the process that made it: the file into the tree, unless the tree holds it."""
        return publication.store(output.target, data), search.searched(output.target, data)

    def place(output: Output, stored: tuple[str, bool] | None) -> None:
        if stored is None:
            publication.keep(output.target)
        else:
            publication.record(output.target, output.key, *stored)

    rendered, failed = _produce(
        outputs, lambda o: publication.unchanged(o.target, o.key), workers, place, store
    )
    if within is not None:  # the search index is made anew below
        publication.keep_the_rest(within.keeps, but=f"{search.FOLDER}/")
    more += failed
    clock.lap("HTML")
    if not has_errors(more) and not html_only:

        def read(target: str) -> bytes:
            return publication.path(target).read_bytes()

        pages = publication.searched()
        index, index_problems = search.search_files(read, pages, cache)
        more += index_problems
        for target, data in sorted(index.items()):
            publication.write(target, "", data)
        clock.lap("sökindex")
    if has_errors(more):
        return Result(problems + more, public, timings=tuple(clock.timings))
    check_target(options.out, [options.content, options.templates], kind)
    count = len(publication.placed)
    publication.commit(str(site))
    if cache is not None:
        stored.save(scan, cache, options.content, options.out, known)
        _keep_derived(cache, archive, tables)
        key = _inputs_key(options, sources)
        stored.remember_build(cache, options.out, key, problems + more, count)
    clock.lap("skriva")
    return Result(
        problems + more,
        public,
        rendered=tuple(rendered),
        timings=tuple(clock.timings),
        written=publication.written,
        pdfs_rendered=tuple(pdfs_rendered),
        count=count,
        parsed=scan.parsed,
        examined=len(outputs),
    )
