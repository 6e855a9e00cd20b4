"""The content folder → the whole archive as a model, with every problem found on the way.

This is the read → validate → model → check stage of the pipeline, the one ``check`` runs
and every build runs first: each file is checked by itself when it is read, then the archive
as a whole (``checks.archive``). It never stops at the first problem: every file is read and
checked, so one run of ``check`` reports everything.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import posixpath
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from hashlib import sha256
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..core import files, processes
from ..core.cache import Cache, Tables
from ..core.files import ContentChanged, Listing, Signature
from ..core.problems import Problem, error, has_errors, warning
from ..domain.forfattningar import Forfattning
from ..domain.meetings import Announcement, Meeting
from ..domain.model import Archive, Plan, Protocol, Summary
from ..domain.settings import Settings
from ..domain.source import Source, decode, parse_yaml, read_source
from ..legal import announcement, decisions, forfattningar, meeting, notice, people, publog
from ..legal.law import Calendar
from ..reading import audit_record, documents, frontmatter, guard, unfinished
from ..reading.frontmatter import Gates
from . import checks, identity

SETTINGS_FILE = "site.yaml"
AUDIT_FILE = audit_record.FILE
PROTOCOLS_DIR = "protocols"
PLANS_DIR = "plans"
MEETINGS_DIR = "meetings"
NOTICES_DIR = "notices"
FORFATTNINGAR_DIR = "forfattningar"
KINDS = {
    PROTOCOLS_DIR: "protocol",
    PLANS_DIR: "plan",
    MEETINGS_DIR: "meeting",
    NOTICES_DIR: "notice",
    FORFATTNINGAR_DIR: "forfattning",
}


def _markdown_files(found: Listing, content: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The content files among the files ``found`` in ``content`` (protocols, plans, meetings,
    notices): (path as problems name it, kind), protocols first, each kind in the order of its
    paths. Anything else in their folders but the attachments they name is for them to say;
    other files and hidden files and folders are not looked at."""
    folders = {f"{content.as_posix()}/{folder}/": kind for folder, kind in KINDS.items()}
    kinds: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS.values()}
    problems: list[Problem] = []
    for path in found:
        prefix = path[: path.find("/", len(content.as_posix()) + 1) + 1]
        kind = folders.get(prefix)
        if kind is None or path.find("/.", len(prefix) - 1) >= 0:
            continue
        if path.endswith(".md"):
            kinds[kind].append((path, kind))
        elif kind in ("protocol", "plan"):
            problems.append(warning(path, 0, "filen är inte en .md-fil och hoppas över"))
    return [item for kind in KINDS.values() for item in kinds[kind]], problems


def load_settings(content: Path, gates: Gates) -> tuple[Settings | None, list[Problem]]:
    path = content / SETTINGS_FILE
    shown = path.as_posix()
    if not path.is_file():
        return None, [
            error(shown, 0, "inställningsfilen saknas; skapa den (se docs/format.md)", "settings")
        ]
    data = path.read_bytes()
    text, problems = decode(shown, data)
    if text is None:
        return None, problems
    meta, lines, problems = parse_yaml(shown, text, 1)
    if meta is None:
        return None, problems
    source = Source(shown, meta, lines, "", 0, hashlib.sha256(data).hexdigest())
    problems += frontmatter.validate(source, "site", gates)
    if has_errors(problems):
        return None, problems
    site, trouble = identity.checked(documents.settings(source), content, source.line_of)
    if trouble:
        return None, problems + trouble
    return site, problems + people.identities(site.bodies, shown, source.line_of)


class Entry(NamedTuple):
    """What a build keeps of one content file: enough to list it, link it and report its
    problems without reading it again while it is unchanged. (A named tuple, as ``Summary``
    is, for the speed of reading 10,000 of them back.)"""

    signature: Signature
    digest: str  # sha256 of the bytes
    summary: Summary | None = None  # a protocol that could be modelled
    plan: Plan | None = None  # a plan that could be modelled
    problems: tuple[Problem, ...] = ()
    meeting: Meeting | None = None  # a meeting that could be modelled
    announcement: Announcement | None = None  # a notice that could be modelled
    # the files a meeting or notice attaches (as the listing names them) and their signatures
    # when it was read (None: missing): a new handling re-reads its meeting, not the archive
    depends: tuple[tuple[str, Signature | None], ...] = ()
    forfattning: Forfattning | None = None  # a föreskrift that could be modelled


Parsed = tuple[Entry, Protocol | None]


@dataclass(frozen=True)
class Reader:
    """What reading a content file needs besides its bytes: the settings, the content folder
    (images must be inside it), the schema gates and the law's calendar."""

    site: Settings
    content: Path
    gates: Gates
    calendar: Calendar
    register: people.Register  # every body's register, by person: who namesakes are


def _validated(
    shown: str, data: bytes, kind: str, reader: Reader
) -> tuple[Source | None, list[Problem]]:
    """Read one file's bytes and validate its front matter; None if it cannot be modelled."""
    source, problems = read_source(shown, data)
    if source is None:
        return None, problems
    problems = problems + frontmatter.validate(source, kind, reader.gates)
    return (None if has_errors(problems) else source), problems


def _protocol(source: Source, reader: Reader) -> tuple[Protocol | None, list[Problem]]:
    """A protocol's full record with every check that needs no other file."""
    protocol, problems = documents.protocol(source, reader.site)
    problems += unfinished.protocol(source)
    if protocol is None:
        return None, problems
    protocol, found = _guarded(protocol, reader.content)
    problems += found
    problems += checks.file_place(
        protocol.path, protocol.organ.slug, protocol.date, source.line_of("date")
    )
    problems += checks.paragraph_numbers(protocol)
    problems += checks.signatories(protocol)
    problems += people.register_check(protocol, reader.register) + decisions.check(protocol)
    problems += checks.images_inside_the_site(protocol)
    problems += notice.check(protocol, reader.calendar)
    return protocol, problems


def _plan(source: Source, reader: Reader) -> tuple[Plan | None, list[Problem]]:
    plan, problems = documents.plan(source, reader.site)
    problems += unfinished.plan(source)
    if plan is None:
        return None, problems
    images, found = guard.images(plan.source, reader.content)
    problems += found + guard.personal_numbers(plan.source)
    problems += guard.links_and_html(plan.source)
    plan = replace(plan, images=tuple(images))
    return plan, problems + checks.images_inside_the_site(plan)


def _meeting(source: Source, reader: Reader) -> tuple[Meeting | None, list[Problem]]:
    found, problems = meeting.meeting(source, reader.site, reader.content)
    problems += guard.personal_numbers(source) + guard.links_and_html(source)
    problems += unfinished.meeting(source)
    if found is None:
        return None, problems
    problems += checks.file_place(source.path, found.organ.slug, found.date, source.line_of("date"))
    return replace(found, source=_lean(source)), problems + meeting.check(found, reader.calendar)


def _announcement(source: Source, reader: Reader) -> tuple[Announcement | None, list[Problem]]:
    found, problems = announcement.announcement(source, reader.site, reader.content)
    problems += guard.personal_numbers(source) + guard.links_and_html(source)
    problems += unfinished.notice(source)
    if found is None:
        return None, problems
    problems += announcement.check(found, reader.calendar)
    return replace(found, source=_lean(source)), problems


def _forfattning(source: Source, reader: Reader) -> tuple[Forfattning | None, list[Problem]]:
    found, problems = forfattningar.forfattning(source, reader.site)
    problems += guard.personal_numbers(source) + guard.links_and_html(source)
    problems += unfinished.forfattning(source)
    return found, problems


def _attached(source: Source) -> tuple[tuple[str, Signature | None], ...]:
    """The files a meeting's or notice's front matter names, as the listing names them (their
    signatures are filled in by ``load``)."""
    meta = source.meta
    named = [
        str(n["file"] if isinstance(n, dict) else n)  # a path, or {file, title}
        for item in meta.get("items") or ()
        for n in item.get("handlingar") or ()
    ]
    named += [str(n) for n in meta.get("attachments") or ()]
    folder = posixpath.dirname(source.path)
    return tuple((posixpath.normpath(posixpath.join(folder, n)), None) for n in named)


def _lean(source: Source) -> Source:
    """The source without its body: the record holds what was made of it."""
    return replace(source, body="")


def parse(shown: str, data: bytes, signature: Signature, kind: str, reader: Reader) -> Parsed:
    """Read, validate, model and check one content file (a pure function of its bytes, the
    settings and the images it shows): its entry, and a protocol's full record."""
    digest = hashlib.sha256(data).hexdigest()
    source, problems = _validated(shown, data, kind, reader)
    if source is None:
        return Entry(signature, digest, problems=tuple(problems)), None
    if kind == "meeting":
        held, found = _meeting(source, reader)
        entry = Entry(signature, digest, meeting=held, problems=tuple(problems + found))
        return entry._replace(depends=_attached(source)), None
    if kind == "notice":
        posted, found = _announcement(source, reader)
        entry = Entry(signature, digest, announcement=posted, problems=tuple(problems + found))
        return entry._replace(depends=_attached(source)), None
    if kind == "forfattning":
        regulation, found = _forfattning(source, reader)
        problems += found
        return Entry(signature, digest, forfattning=regulation, problems=tuple(problems)), None
    if kind == "plan":
        plan, found = _plan(source, reader)
        if plan is not None:
            plan = replace(plan, source=_lean(plan.source))
        return Entry(signature, digest, plan=plan, problems=tuple(problems + found)), None
    protocol, found = _protocol(source, reader)
    if protocol is None:
        return Entry(signature, digest, problems=tuple(problems + found)), None
    protocol = replace(protocol, source=_lean(protocol.source))
    summary = Summary.of(protocol, notice.facts(protocol))
    return Entry(signature, digest, summary, problems=tuple(problems + found)), protocol


def _guarded(protocol: Protocol, content: Path) -> tuple[Protocol, list[Problem]]:
    """The guards of ``guard`` on one protocol, and its images attached."""
    source = protocol.source
    numbers = [p.number for p in protocol.paragraphs]
    last = source.body_line + source.body.count("\n") + 1
    starts = [p.line for p in protocol.paragraphs]
    hidden = [
        range(start, end)
        for p, start, end in zip(
            protocol.paragraphs, starts, [*starts[1:], last][: len(starts)], strict=True
        )
        if p.number in protocol.not_for_web
    ]
    problems = guard.personal_numbers(source, hidden) + guard.links_and_html(source)
    for index, number in enumerate(protocol.not_for_web):
        if number not in numbers:
            problems.append(
                error(
                    protocol.path,
                    source.line_of("not_for_web", index, "paragraph"),
                    f"§ {number} ska hållas utanför webben men finns inte i protokollet",
                    "not-for-web",
                )
            )
    images, found = guard.images(source, content)
    return replace(protocol, images=tuple(images)), problems + found


def pack(protocol: Protocol) -> bytes:
    """A full record, compressed: a build keeps the records it parsed until their pages are
    made, and packed they take a tenth of the memory (10,000 protocols: about 100 MB)."""
    return zlib.compress(pickle.dumps(protocol, pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> Protocol:
    protocol: Protocol = pickle.loads(zlib.decompress(packed))
    return protocol


Job = tuple[str, bytes | None, Signature, str]  # (path, bytes if read, signature, kind)


def _parse_job(job: Job, reader: Reader) -> tuple[Entry, bytes | None]:
    """One file, as a worker process parses it: its entry and its record, packed."""
    shown, data, signature, kind = job
    if data is None:
        try:
            data = Path(shown).read_bytes()
        except OSError as exc:  # removed or locked since the folder was listed
            problem = error(shown, 0, f"filen kan inte läsas: {exc.strerror}")
            return Entry(signature, "", problems=(problem,)), None
    entry, protocol = parse(shown, data, signature, kind, reader)
    return entry, (pack(protocol) if protocol is not None else None)


class Records:
    """The full records of the protocols, by path: those parsed by this build, and any other
    read again when one of its pages must be made anew."""

    def __init__(self, reader: Reader, fresh: dict[str, bytes], key: str = "") -> None:
        self.reader = reader
        self.fresh = fresh  # path → packed record
        self.key = key  # what every record depends on besides its own file
        self._last: tuple[str, Protocol] | None = None  # a protocol's pages come one by one

    def full(self, summary: Summary, redacted: bool = False) -> Protocol:
        if self._last is not None and self._last[0] == summary.path:
            protocol = self._last[1]
        elif summary.path in self.fresh:
            protocol = unpack(self.fresh[summary.path])
        else:
            protocol = self._read_again(summary)
            self.fresh[summary.path] = pack(protocol)
        self._last = (summary.path, protocol)
        return protocol.for_the_web() if redacted else protocol

    def _read_again(self, summary: Summary) -> Protocol:
        data = Path(summary.path).read_bytes()
        entry, parsed = parse(summary.path, data, (0, 0, 0), "protocol", self.reader)
        if parsed is None or entry.digest != summary.digest:
            raise ContentChanged(
                f"{summary.path} ändrades medan bygget pågick; bygg igen när filen är sparad"
            )
        return parsed


@dataclass
class Scan:
    """What ``load`` found, for the next build: every content file's entry, under the key of
    what entries depend on besides the file itself (the settings, the images)."""

    key: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    parsed: tuple[str, ...] = ()  # the files this build read and parsed anew
    touched: tuple[str, ...] = ()  # files with a new stat but the same bytes


def calendar(cache: Cache) -> Calendar:
    """The law's calendar, with the holidays an earlier build computed."""
    return cache.derived("calendar", lambda tables: Calendar(tables.holidays))


def gates(cache: Cache) -> Gates:
    """The front matter's schema gates, as an earlier build compiled them."""
    return cache.derived("gates", lambda tables: Gates(tables.gates))


def kept(cache: Cache) -> Scan | None:
    """The entries an earlier build of the content folder into the same output kept."""
    found = cache.entries()
    return Scan(found.key, dict(found.entries)) if found is not None else None


def keep(cache: Cache, scan: Scan, archive: Archive) -> None:
    """Keep what this build found for the next: the holidays of the archive's years (and the
    next, where notices run on), the compiled gates, and the entries of the folders whose
    files it read."""
    if cache.folder is not None:
        found = sorted({protocol.date.year for protocol in archive.protocols})
        years = range(found[0], found[-1] + 2) if found else range(0)
        holidays = cache.tables().holidays
        if any(year not in holidays for year in years):
            holidays = {**holidays, **calendar(cache).years(years)}
        cache.keep_tables(Tables(holidays, gates(cache).compiled()))
    cache.keep_entries(scan.key, scan.entries, (*scan.parsed, *scan.touched))


class Loaded(NamedTuple):
    """What ``load`` read: the archive and its records (None when the settings cannot be
    read), every problem found in the content, the scan for the next build, and the
    publication log as published, its chain checked (``pipeline.load`` reads it)."""

    archive: Archive | None
    records: Records | None
    problems: list[Problem]
    scan: Scan
    published_log: publog.History = publog.History()

    @property
    def ok(self) -> bool:
        return self.archive is not None and not has_errors(self.problems)


def _context_key(site: Settings, content: Path, found: Listing) -> str:
    """What every record depends on besides its own file: the settings, the version, and the
    files beside the Markdown (images a document shows)."""
    digest = hashlib.sha256(f"{__version__}\0{site.digest}\0{content.resolve()}".encode())
    attached = tuple(f"{content.as_posix()}/{folder}/" for folder in (MEETINGS_DIR, NOTICES_DIR))
    for path, sign in found.items():
        if path.endswith(".md") or os.path.basename(path) in (SETTINGS_FILE, AUDIT_FILE):
            continue  # (the accessibility record is the statement page's: ``scope``)
        if not path.startswith(attached):  # those files are their documents' (Entry.depends)
            digest.update(f"{path}\0{sign}\n".encode())
    return digest.hexdigest()


def load(
    content: Path,
    gates: Gates,
    calendar: Calendar,
    known: Scan | None = None,
    workers: int = 1,
    found: Listing | None = None,
    private: Collection[int] = (),
) -> Loaded:
    """Read, validate, model and check everything under ``content``: each file by itself,
    then the archive as a whole (``checks.archive``). A file whose size, modification time
    and inode are those ``known`` from the last build is not read again, nor one whose bytes
    are the same; the others are parsed, over ``workers`` processes when many (which close the
    ``private`` descriptors). ``found``: the files under ``content`` as the build listed them
    (listed here if not given)."""
    if not content.is_dir():
        problem = error(content.as_posix(), 0, "innehållsmappen finns inte", "content")
        return Loaded(None, None, [problem], Scan())
    site, problems = load_settings(content, gates)
    if found is None:
        found = files.listing([content])
    found_files, skipped = _markdown_files(found, content)
    problems += skipped
    if site is None:
        return Loaded(None, None, problems, Scan())
    reader = Reader(site, content, gates, calendar, people.Register(site.bodies))
    key = _context_key(site, content, found)
    previous = known.entries if known is not None and known.key == key else {}
    scan, jobs, unreadable = _sort_out(found_files, found, previous)
    scan.key = key
    problems += unreadable
    fresh: dict[str, bytes] = {}
    parse_one = partial(_parse_job, reader=reader)
    for (shown, *_), (entry, packed) in zip(
        jobs, processes.forked_map(parse_one, jobs, workers, private, chunk_limit=64), strict=True
    ):
        if entry.depends:
            entry = entry._replace(depends=tuple((p, found.get(p)) for p, _ in entry.depends))
        scan.entries[shown] = entry
        if packed is not None:
            fresh[shown] = packed
    ordered = [scan.entries[shown] for shown, _ in found_files if shown in scan.entries]
    archive = _assemble(site, ordered)
    for entry in ordered:
        problems += entry.problems
    problems += checks.archive(archive, _unmodelled(scan.entries, content))
    return Loaded(archive, Records(reader, fresh, key), problems, scan)


def _assemble(site: Settings, ordered: list[Entry]) -> Archive:
    """The archive of the files' entries (in the order of their paths), unchecked."""
    return Archive(
        site,
        tuple(sorted((e.summary for e in ordered if e.summary), key=_archive_order)),
        tuple(sorted((e.plan for e in ordered if e.plan), key=lambda p: (-p.year, p.slug))),
        meetings=tuple(
            sorted((e.meeting for e in ordered if e.meeting), key=lambda m: (m.date, m.ident))
        ),
        announcements=tuple(
            sorted(
                (e.announcement for e in ordered if e.announcement),
                key=lambda a: (a.posted, a.slug),
            )
        ),
        forfattningar=tuple(
            sorted((e.forfattning for e in ordered if e.forfattning), key=lambda f: f.order)
        ),
    )


def _unmodelled(entries: Mapping[str, Entry], content: Path) -> frozenset[tuple[str, date]]:
    """The meetings (body, day) whose protocol file is there but could not be modelled (or is
    left out): what refers to them is not reported as well, the file's own error says it."""
    found = set()
    for shown, entry in entries.items():
        if entry.summary is not None or kind_of(shown, content) != "protocol":
            continue
        parts = shown[len(content.as_posix()) + 1 :].split("/")
        try:
            found.add((parts[1], date.fromisoformat(parts[2].removesuffix(".md"))))
        except (IndexError, ValueError):  # a file out of place: its own check says so
            continue
    return frozenset(found)


def kind_of(path: str, content: Path) -> str | None:
    """What a content file is, by its folder ("protocol", "plan", "meeting", "notice",
    "forfattning")."""
    inside = path[len(content.as_posix()) + 1 :]
    return KINDS.get(inside.split("/", 1)[0]) if path.startswith(content.as_posix()) else None


def substitute(loaded: Loaded, replaced: Mapping[str, bytes | None]) -> Loaded:
    """The archive with some files standing in for others (``replaced``: path → the bytes
    that stand in for the file's, or None to leave it out), checked again as a whole; the
    problems are those of the archive so made. The scan for the next build is left as it was:
    the files themselves are what the next build reads."""
    assert loaded.archive is not None and loaded.records is not None
    reader = loaded.records.reader
    entries = dict(loaded.scan.entries)
    for shown, data in replaced.items():
        kind = kind_of(shown, reader.content)
        if data is None or kind is None:
            entries.pop(shown, None)
            continue
        entry, protocol = parse(shown, data, (0, 0, 0), kind, reader)
        entries[shown] = entry
        if protocol is not None:
            loaded.records.fresh[shown] = pack(protocol)
        else:
            loaded.records.fresh.pop(shown, None)
    ordered = [entries[shown] for shown in sorted(entries, key=_kind_first(reader.content))]
    archive = _assemble(loaded.archive.settings, ordered)
    left_out = {shown: Entry((0, 0, 0), "") for shown, data in replaced.items() if data is None}
    unmodelled = _unmodelled({**entries, **left_out}, reader.content)
    problems = [p for entry in ordered for p in entry.problems]
    problems += checks.archive(archive, unmodelled)
    return loaded._replace(archive=archive, problems=problems)


def _kind_first(content: Path):  # type: ignore[no-untyped-def]
    order = {kind: n for n, kind in enumerate(KINDS.values())}
    return lambda shown: (order.get(kind_of(shown, content) or "", 9), shown)


def _archive_order(protocol: Summary) -> tuple[str, date, str]:
    return protocol.organ.slug, protocol.date, protocol.path


def _sort_out(
    found_files: list[tuple[str, str]], found: Listing, previous: Mapping[str, Entry]
) -> tuple[Scan, list[Job], list[Problem]]:
    """The files whose entries from the last build still hold (same stat, or same bytes
    under a new stat: touched), and the jobs of those to parse."""
    scan = Scan()
    touched: list[str] = []
    jobs: list[Job] = []
    problems: list[Problem] = []
    for shown, kind in found_files:
        signature = found[shown]
        entry = previous.get(shown)
        if entry is not None and any(found.get(p) != sign for p, sign in entry.depends):
            entry = None  # a file it attaches changed: read it again
        if entry is not None and entry.signature == signature:
            scan.entries[shown] = entry
            continue
        try:
            data = Path(shown).read_bytes() if entry is not None else None
        except OSError as exc:
            problems.append(error(shown, 0, f"filen kan inte läsas: {exc.strerror}"))
            continue
        if entry is not None and data is not None and sha256(data).hexdigest() == entry.digest:
            scan.entries[shown] = entry._replace(signature=signature)
            touched.append(shown)
            continue
        jobs.append((shown, data, signature, kind))
    scan.parsed = tuple(shown for shown, *_ in jobs)
    scan.touched = tuple(touched)
    return scan, jobs, problems
