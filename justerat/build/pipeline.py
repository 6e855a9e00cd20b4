"""The build, top to bottom, in one function (``run``) that the published build and the
preview share:

    load and check → log → PDFs → list the site's files → make what changed → search index → commit

``run`` reads everything and checks it (``load``: ``check`` runs exactly this; it also reads
the publication log as published and checks its chain), then, in a build that publishes, adds
this build's entry to the log before the PDFs (an anslagsbevis shows what the log says of its
notices), then lists every file of the site with the key of what it is made from
(``outputs``), makes those whose key differs from what the sink holds, and commits the site to
its sink, whole or not at all. The sink is where the site goes: ``publish.Publication``
switches the published folder in one step, ``publish.InMemory`` keeps the preview's files.
What earlier builds made comes from one ``cache.Cache``.

``folder.build`` wraps ``run`` for the output folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..core import files, processes
from ..core.cache import Cache
from ..core.files import Listing
from ..core.problems import Problem, error, has_errors, warning
from ..core.progress import watched
from ..domain.model import Archive
from ..domain.settings import Settings
from ..legal import board, forfattningar, notice, publog
from ..legal.meeting import without_protocol
from ..legal.publog import History
from ..loading import content, holding
from ..loading.content import Loaded, Records
from ..loading.holding import Held
from ..pdfs import pdf, seal
from ..pdfs.pdf import Printed, Printing
from ..publishing import publish
from ..publishing.publish import Sources
from ..web import outputs, scope, search
from ..web.outputs import Output
from ..web.pages import Site
from ..web.render import RenderError
from ..web.scope import Scope, SiteKey
from ..web.templates import TemplateKeys, environment
from .options import Made, Options, Result, Sink


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


def load(
    options: Options, cache: Cache, found: Listing | None = None, private: Collection[int] = ()
) -> Loaded:
    """Read, validate, model and check all content: the stage ``check`` runs, and every
    build runs first."""

    workers = _workers(options)
    known = content.kept(cache)
    loaded = content.load(
        options.content,
        content.gates(cache),
        content.calendar(cache),
        known,
        workers,
        found,
        private,
    )
    loaded = holding.drafts(loaded, options.drafts)  # a draft's problems never block
    if loaded.archive is not None:  # the office's reminders: they depend on the day
        archive = loaded.archive
        loaded.problems.extend(
            without_protocol(archive.meetings, archive.protocols, options.today, options.content)
        )
        loaded.problems.extend(notice.waiting(archive.protocols, options.today))
        loaded.problems.extend(
            forfattningar.waiting(archive.forfattningar, archive.protocols, options.today)
        )
        history, problems = _published_log(options, archive, cache)
        loaded.problems.extend(problems)
        loaded = loaded._replace(published_log=history)
    return loaded


def _published_log(
    options: Options, archive: Archive, cache: Cache
) -> tuple[History, list[Problem]]:
    """The log published in the output folder (empty when it has none), and its
    problems: a chain broken by hand (an error: nothing can be published on it), and days
    without a build inside a notice's appeal period (a warning: the board may have been down,
    and the notice may have to be posted again)."""

    file = options.out / publog.PATH
    if not file.is_file():
        return publog.History(), []
    try:
        entries = publog.loads(file.read_bytes())
    except publog.LogError as exc:
        return publog.History(), [
            error(
                file.as_posix(),
                0,
                f"publiceringsloggen går inte att lita på: {exc}. Ingenting kan publiceras; "
                "återställ loggen från en säkerhetskopia (se README: Publiceringsloggen)",
                "log",
            )
        ]
    owner, ours = publog.owner(entries), publog.identity(archive.settings.base_url)
    if owner and owner != ours:
        return publog.History(), [
            error(
                file.as_posix(),
                0,
                f"publiceringsloggen i {options.out}/ hör till webbplatsen {owner}, men "
                f"{archive.settings.path} beskriver {ours}. Bygg den här webbplatsen i en egen "
                "mapp (--out); en annan webbplats logg får aldrig blandas med den här",
                "log-site",
            )
        ]
    public = archive.published(include_drafts=False)
    every = board.postings(
        public.protocols + public.withdrawn, (), public.announcements, content.calendar(cache)
    )
    history = publog.History.of(entries)  # the days sorted once, for every notice, and kept
    problems = []
    for posting in every:
        if posting.appeal_last_day is None:
            continue
        for before, after in history.gaps(posting.posted, posting.appeal_last_day):
            path, line = board.source_of(posting)
            problems.append(
                warning(
                    path,
                    line,
                    f"anslagstavlan byggdes inte mellan {before.isoformat()} och "
                    f"{after.isoformat()}, under överklagandetiden för anslaget uppsatt "
                    f"{posting.posted.isoformat()} (sista dag {posting.appeal_last_day}); "
                    "tavlan kan ha varit nere: se README (Om anslagstavlan har varit nere) "
                    "[KL 13 kap. 5 § andra stycket]",
                    "log-gap",
                )
            )
    return history, problems


def check(options: Options) -> Result:
    """Every problem in the content, as ``build`` finds them (it runs the same stage)."""
    loaded = load(options, Cache(None, options.content, None))
    return Result(loaded.problems, loaded.archive, records=loaded.records)


def printing(options: Options, cache: Cache, history: History | None = None) -> Printing:
    """What printing PDFs needs, for this build's folders and cache; the anslagsbevis show
    what the publication log (``history``) says of their notices."""

    env = environment(options.templates, cache.templates)
    keys = TemplateKeys(env, cache.templates)
    calendar = content.calendar(cache)
    shown = history or History()
    return Printing(options.templates, options.content, env, keys, calendar, cache, history=shown)


def run(
    options: Options,
    cache: Cache,
    open_sink: Callable[[], Sink],
    made: Made = Made(),
    found: Listing | None = None,
    private: Collection[int] = (),
    previous: Callable[[str], bytes | None] | None = lambda inside: None,
) -> Result:
    """Check and make the site into the sink ``open_sink`` gives (opened only for content
    that passed its checks), making only what changed since the site the sink holds; commit
    it only if nothing went wrong. ``found``: the content folder's files, when the caller
    listed them; ``private``: descriptors no worker process may keep; ``previous``: the bytes
    the published site was made from, by path inside the content folder, which stand in for a
    file with errors (``holding``)."""

    clock = _Clock()
    if not options.templates.is_dir():  # found before reading 10,000 files, not after
        where = options.templates.as_posix()
        said = f"mallmappen {where} finns inte; ange Justerats mallar (templates/) med --templates"
        return Result([error(where, 0, said, "templates")])
    published = _inside(options, previous)
    loaded = _no_going_back(options, load(options, cache, found, private), published)
    loaded, held = holding.hold(loaded, published)
    clock.lap("läsa och kontrollera")
    if loaded.archive is None or not holding.publishable(loaded.problems, held):
        return Result(loaded.problems, loaded.archive, timings=tuple(clock.timings), held=held)
    assert loaded.records is not None
    public = public_archive(options, loaded.archive)
    moment = publog.now()
    logging, notes = _logging(options, made, loaded.published_log, moment)
    # a build into the public folder that does not log (another day, --drafts) keeps the
    # published log as it is
    kept = (made.log or made.keeps_log) and (options.out / publog.PATH).is_file()
    history = (
        _logged(loaded.published_log, options, public, cache, moment)
        if logging
        else (loaded.published_log if kept else None)
    )
    printed, pdfs_rendered, problems = _pdfs(options, cache, public, loaded.records, made, history)
    if made.pdfs:
        clock.lap("PDF")
    if has_errors(problems):
        return Result(loaded.problems + problems, public, timings=tuple(clock.timings), held=held)
    sink = open_sink()
    outputs, site, within = _outputs(options, cache, sink, loaded, public, printed, made, history)
    for target, each in sorted(printed.items()):  # most as before: kept without a read
        _place(sink, target, each.key, each.data)
    rendered, failed = _make_changed(outputs, sink, _workers(options), private)
    if within is not None:  # the search stage keeps or writes its own files below
        sink.keep_the_rest(within.keeps, but=f"{search.FOLDER}/")
    problems += failed
    clock.lap("HTML")
    if made.index and not has_errors(problems):
        search.index(sink, sink.searched(), cache, _workers(options), private)
        clock.lap("sökindex")
    if has_errors(problems):
        return Result(loaded.problems + problems, public, timings=tuple(clock.timings), held=held)
    if history is not None:
        sink.write(publog.PATH, "", publog.dumps(history.entries))
    _precompress(sink, _workers(options), private)
    sink.commit(str(site), _sources(options, loaded, public, held))
    problems += _repaired(options, sink)
    cache.templates.remember()
    content.keep(cache, loaded.scan, loaded.archive)
    clock.lap("skriva")
    return Result(
        loaded.problems + problems,
        public,
        rendered=tuple(rendered),
        timings=tuple(clock.timings),
        written=sink.written,
        pdfs_rendered=tuple(pdfs_rendered),
        count=sink.count,
        records=loaded.records,
        parsed=loaded.scan.parsed,
        examined=len(outputs),
        notes=notes,
        held=held,
        committed=True,
    )


def _no_going_back(
    options: Options, loaded: Loaded, published: Callable[[str], bytes | None] | None
) -> Loaded:
    """A protocol already published whose justering is now dated after the build's day: it
    cannot wait (a justerat protocol is not taken back during its appeal period), so the date
    is an error, and the protocol is held back as it was published."""
    if loaded.archive is None or published is None:
        return loaded
    moved = [
        error(
            p.path,
            p.date_line,
            f"protokollet är redan publicerat, men justeringen är nu daterad efter bygget "
            f"({options.today.isoformat()}); ett justerat protokoll tas inte tillbaka: rätta "
            "justeringsdatumet (den publicerade versionen ligger kvar så länge)",
            "justering-framtid",
        )
        for p in notice.not_yet(loaded.archive.protocols, options.today)
        if published(p.path) is not None
    ]
    return loaded._replace(problems=loaded.problems + moved) if moved else loaded


def public_archive(options: Options, archive: Archive) -> Archive:
    """The archive as this build publishes it: no drafts (unless asked for), no protocol
    whose justering has not come yet (it waits for its day, as an upcoming notice does), and
    no föreskrift before the notice of its protocol's justering kungör it (unless drafts are
    shown: the preview shows what is being written)."""
    public = archive.published(include_drafts=options.drafts, full=options.full)
    waits = {p.path for p in notice.not_yet(public.protocols + public.withdrawn, options.today)}
    protocols = tuple(p for p in public.protocols if p.path not in waits)
    regulations = (
        public.forfattningar
        if options.drafts
        else forfattningar.public(public.forfattningar, protocols, archive.protocols, options.today)
    )
    if not waits and regulations == public.forfattningar:
        return public
    return replace(
        public,
        protocols=protocols,
        withdrawn=tuple(p for p in public.withdrawn if p.path not in waits),
        forfattningar=regulations,
    )


def _inside(
    options: Options, previous: Callable[[str], bytes | None] | None
) -> Callable[[str], bytes | None] | None:
    """``previous`` (which knows files by their path inside the content folder) for the
    paths as the build names them; None: what was published is not known."""
    if previous is None:
        return None
    prefix = len(options.content.as_posix()) + 1
    return lambda path: previous(path[prefix:])


def _sources(options: Options, loaded: Loaded, public: Archive, held: tuple[Held, ...]) -> Sources:
    """The content files the published site is made from, by path inside the content folder:
    the digest of their bytes (those of the last published version, for a file held back)."""
    entries = loaded.scan.entries
    kept = {h.path: h.digest for h in held if h.kept}
    paths = public.files()
    prefix = len(options.content.as_posix()) + 1
    return publish.Sources(
        {
            path[prefix:]: (kept.get(path) or entries[path].digest, partial(_read, path))
            for path in paths
            if path in kept or path in entries
        }
    )


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def _repaired(options: Options, sink: Sink) -> list[Problem]:
    """A warning for each published file changed by hand that this build put back."""
    said = {
        publish.CHANGED: "ändrad efter publiceringen; återställd",
        publish.MISSING: "borttagen efter publiceringen; återställd",
        publish.ADDED: "tillagd efter publiceringen, av någon annan än Justerat; borttagen",
    }
    return [
        warning(f"{options.out.as_posix()}/{target}", 0, said[how], "publicerad-fil")
        for target, how in sink.repaired
    ]


def _logging(
    options: Options, made: Made, published: History, moment: datetime
) -> tuple[bool, tuple[str, ...]]:
    """Whether this build adds its entry to the publication log, and if a publishing build
    does not, why (for the office). The log records only what the public saw: the board of
    the day it is in Sweden (not a ``--today`` of another day), on a site whose log is
    already kept, or whose office starts it (``--start-log``)."""
    if not made.log:
        return False, ()
    now = publog.day_in_sweden(moment)
    if options.today != now:
        return False, (
            f"Publiceringsloggen skrevs inte: bygget visar anslagstavlan för "
            f"{options.today.isoformat()}, men i Sverige är det {now.isoformat()}. Loggen "
            "visar bara vad tavlan visade på riktigt; bygg utan --today för att publicera.",
        )
    if not published.entries and not options.start_log:
        return False, (
            f"Ingen publiceringslogg startades i {options.out}/ (ett provbygge). Kansliets "
            "riktiga bygge startar loggen en gång med --start-log; se README (Publicera på "
            "riktigt).",
        )
    return True, ()


def _logged(
    published: History, options: Options, public: Archive, cache: Cache, moment: datetime
) -> History:
    """The publication log with this build's entry: the notices up on the board of the day,
    after the log ``published`` (read and checked by ``load``: a log changed by hand is an
    error there, and the build has stopped)."""

    up = board.board(
        public.protocols + public.withdrawn,
        public.meetings,
        public.announcements,
        options.today,
        content.calendar(cache),
    ).current
    shown = sorted((board.shown(posting) for posting in up), key=lambda n: n.ident)
    entries = published.entries
    last = entries[-1] if entries else None
    site = publog.identity(public.settings.base_url)
    if (
        last is not None
        and last.site == site
        and last.day == options.today.isoformat()
        and last.notices == tuple(shown)
    ):
        return published  # the board of the day as the last entry has it
    return publog.History.of(publog.append(entries, moment, options.today, shown, site))


def _pdfs(
    options: Options,
    cache: Cache,
    public: Archive,
    records: Records,
    made: Made,
    history: History | None = None,
) -> tuple[dict[str, Printed], list[str], list[Problem]]:
    """Every PDF of the site (printed, or kept in the cache), the ones printed, problems. The
    anslagsbevis show what the publication log (``history``) says of their notices."""
    if not made.pdfs:
        return {}, [], []

    rendered: list[str] = []

    way = replace(printing(options, cache, history), workers=_workers(options), progress=watched())
    printed, problems = pdf.pdf_files(public, records, way, rendered=rendered)
    if public.settings.seal is not None and not has_errors(problems):
        return _sealed(options, cache, public.settings, printed, rendered, problems)
    return printed, rendered, problems


def _sealed(
    options: Options,
    cache: Cache,
    settings: Settings,
    printed: dict[str, Printed],
    rendered: list[str],
    problems: list[Problem],
) -> tuple[dict[str, Printed], list[str], list[Problem]]:
    """The PDFs with the e-sigill; a seal that cannot be made stops the build."""

    assert settings.seal is not None
    where = settings.path
    try:
        with seal.load(settings.seal, options.content) as sealer:  # valid now, when it seals
            sealed, _ = pdf.sealed_files(printed, sealer, cache)
    except seal.SealError as exc:
        return printed, rendered, [*problems, error(where, 0, f"e-sigillet: {exc}", "seal")]
    soon = sealer.expiring(datetime.now(UTC))
    reminder = [warning(where, 0, f"e-sigillet: {soon}", "seal")] if soon else []
    return sealed, rendered, problems + reminder


def _outputs(
    options: Options,
    cache: Cache,
    sink: Sink,
    loaded: Loaded,
    public: Archive,
    printed: Mapping[str, Printed],
    made: Made,
    history: History | None = None,
) -> tuple[list[Output], SiteKey, Scope | None]:
    """Every file of the site, or only those that may have changed since the site the sink
    holds (in the scope returned; None: everything), and the key of the site. ``history``:
    the publication log, in a build that publishes."""

    assert loaded.records is not None
    sizes = {path: each.size for path, each in printed.items()}
    settings = (
        options.drafts,
        options.full,
        options.today,
        made.pdfs,
        made.on_demand,
        public.redacted,
        loaded.records.key,
        # the anslagsbevis pages show the builds that showed their notices
        history.entries[-1].digest if history is not None and history.entries else "",
    )
    site = scope.site_key(public, options.templates, settings, sizes)
    within = scope.scope(site, scope.SiteKey.read(sink.site), loaded.scan.parsed)
    env = environment(options.templates, cache.templates)
    rendering = outputs.Rendering(
        options.templates,
        env,
        TemplateKeys(env, cache.templates),
        drafts=options.drafts or options.full,
        full=options.full,
        pdf_sizes=None if made.on_demand else sizes,
    )
    calendar = content.calendar(cache)
    pages = Site(public, loaded.records, options.today, calendar, history or History())
    return outputs.site_files(pages, rendering, within), site, within


def _place(sink: Sink, target: str, key: str, data: Any) -> None:
    """A file into the sink: kept as it is when made from the same key, else written."""
    if sink.current(target, key):
        sink.keep(target)
    else:
        sink.write(target, key, data())


def _make_changed(
    outputs: list[Output], sink: Sink, workers: int, private: Collection[int]
) -> tuple[list[str], list[Problem]]:
    """Make every output whose key differs from what the sink holds, over ``workers``
    processes when there are many (each stores what it made where it made it); keep the
    rest. The pages made, and the problems of templates that failed."""

    todo = []
    for output in outputs:
        if sink.current(output.target, output.key):
            sink.keep(output.target)
        else:
            todo.append(output)

    def make(output: Output) -> tuple[Any, bool] | Problem:
        """In the process that makes it: the file into the sink, unless it holds it."""
        try:
            data = output.make()
        except RenderError as exc:
            return exc.problem
        return sink.store(output.target, data), search.searched(output.target, data)

    rendered, problems = [], []
    for output, stored in zip(
        todo, processes.forked_map(make, todo, workers, private), strict=True
    ):
        if isinstance(stored, Problem):
            problems.append(stored)
            continue
        sink.record(output.target, output.key, *stored)
        if output.page is not None:
            rendered.append(output.target)
    return rendered, problems


def _precompress(sink: Sink, workers: int, private: Collection[int]) -> None:
    """Beside every text file of the published site, its precompressed copies (``.gz``,
    ``.br``: ``files.precompressed``), in the manifest like every file (so ``verify`` and the
    next build check them too). Only a file whose bytes changed is compressed again: a copy
    made from the same bytes is kept. The preview's sink serves its files as they are."""
    if not isinstance(sink, publish.Publication):
        return
    placed = sink.originals()
    todo: list[tuple[str, list[tuple[str, str]]]] = []
    for target, digest in placed.items():
        if not files.compressible(target):
            continue
        key = f"{publish.COPY}{files.COMPRESSION}:{digest}"
        # a file of the site's own by a copy's name (none today) stays the site's
        copies = [target + s for s in files.PRECOMPRESSED if target + s not in placed]
        for copy in copies:
            if sink.current(copy, key):
                sink.keep(copy)
        stale = [(copy, key) for copy in copies if not sink.current(copy, key)]
        if stale:
            todo.append((target, stale))

    def make(item: tuple[str, list[tuple[str, str]]]) -> list[str]:
        """In the process that compresses it: the copies into the tree."""
        target, copies = item
        made = files.precompressed(sink.read(target))
        return [sink.store(copy, made[copy[len(target) :]]) for copy, _ in copies]

    for (_, made), digests in zip(
        todo, processes.forked_map(make, todo, workers, private), strict=True
    ):
        for (copy, key), digest in zip(made, digests, strict=True):
            sink.record(copy, key, digest, False)
