"""``export earkiv``: one E-ARK SIP (CSIP and SIP 2.2.0, or 2.1.0 for FGS Paketstruktur 2.0)
per body and year, for the kommun's e-arkiv.

    load and check → choose the protocols → print and seal their PDFs (``printed``) →
    per package: its files and events (``contents``, ``events``) written into a new folder,
    each identified (``formats``) → PREMIS, the representations' METS, the root METS → the
    folder becomes the package, whole

A package is written beside the one it replaces and put in its place only when it is whole,
never inside the site's output folder. The same content with the same ``--date`` gives the
same bytes (the PDFs from the cache, their seals too)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .. import __version__
from ..build import pipeline
from ..build.options import Options
from ..core import processes
from ..core.cache import Cache
from ..core.problems import Problem, error, has_errors, warning
from ..core.progress import watched
from ..core.swedish import swedish_date
from ..domain.model import Archive, Summary
from ..legal import notice, publog
from ..legal.law import Calendar
from ..loading.content import Records
from ..pdfs import pdf
from ..pdfs.pdf import Printed, Printing
from . import description, events, formats, mets, premis, printed, riksarkivet
from .contents import REP1, REP2, File, Gathered, gather
from .mets import Agent, Header, Listed

TEMPLATE = "pdf/earkiv.html"
SWEDEN = ZoneInfo("Europe/Stockholm")
SCHEMAS = (*mets.SCHEMA_FILES, premis.SCHEMA, description.SCHEMA)


@dataclass(frozen=True)
class Request:
    """What ``export earkiv`` is asked: the folders, the body and year (None: each one the
    archive has), the profile, the package's date, and whether to add Riksarkivet's
    ``additionalPackageInfo.xml``."""

    content: Path
    out: Path
    templates: Path = Path("templates")
    site: Path = Path("site")  # the published site, whose log the anslagsbevis show
    organ: str | None = None
    year: int | None = None
    profile: str = "2.2.0"
    day: date | None = None
    additional_package_info: bool = False
    cache: Path | None = Path(".cache/justerat")
    workers: int = 0


@dataclass(frozen=True)
class Exported:
    packages: tuple[Path, ...]
    problems: list[Problem]


def _moment(day: date) -> str:
    """The package's creation moment: midnight of its day in Sweden."""
    return datetime(day.year, day.month, day.day, tzinfo=SWEDEN).isoformat()


def _settings_problems(archive: Archive, organs: Sequence[str]) -> list[Problem]:
    from stdnum.se import orgnr

    settings = archive.settings
    delivery = settings.delivery
    found = []
    missing = sorted({key for organ in organs for key in delivery.missing(organ)})
    if missing:
        said = (
            "export earkiv behöver under earkiv: i site.yaml: "
            + ", ".join(missing)
            + ". Fyll i dem som leveransöverenskommelsen med arkivet anger (se docs/format.md, "
            '"Delivery to the e-arkiv")'
        )
        found.append(error(settings.path, delivery.line, said, "earkiv-installningar"))
    number = delivery.organisationsnummer
    if number and not orgnr.is_valid(number):
        said = (
            f"organisationsnumret {number} är inte giltigt (kontrollsiffran stämmer inte): "
            "skriv det som NNNNNN-NNNN"
        )
        found.append(error(settings.path, delivery.line, said, "earkiv-installningar"))
    return found


def _groups(
    archive: Archive, request: Request
) -> tuple[dict[tuple[str, int], list[Summary]], list[Problem]]:
    where = archive.settings.path
    if request.organ is not None and archive.settings.body(request.organ) is None:
        known = ", ".join(b.slug for b in archive.settings.bodies)
        said = f"organet {request.organ} finns inte i site.yaml (organen är: {known})"
        return {}, [error(where, 0, said, "earkiv-val")]
    groups: dict[tuple[str, int], list[Summary]] = {}
    for summary in archive.protocols + archive.withdrawn:  # taken off the web, still kept
        key = (summary.organ.slug, summary.date.year)
        if request.organ in (None, key[0]) and request.year in (None, key[1]):
            groups.setdefault(key, []).append(summary)
    if not groups:
        chosen = " ".join(str(x) for x in (request.organ, request.year) if x is not None)
        said = (
            f"det finns inga justerade protokoll att leverera{' för ' + chosen if chosen else ''}"
        )
        return {}, [error(where, 0, said, "earkiv-val")]
    for summaries in groups.values():
        summaries.sort(key=lambda s: s.date)
    return dict(
        sorted(groups.items(), key=lambda kv: (archive.settings.rank(kv[0][0]), kv[0][1]))
    ), []


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def export(request: Request) -> Exported:
    """Every package asked for, each written whole or not at all, and the problems found.
    Content with errors, missing settings or a PDF that cannot be printed stop the export
    before any package is written; a package that fails later stops the export there, and
    those written before it stay."""
    day = request.day or publog.today()  # the day in Sweden
    for folder, name in (
        (request.site, "webbplatsens utmapp"),
        (request.content, "innehållsmappen"),
    ):
        if _inside(request.out, folder):
            said = f"paketen skrivs aldrig i {name} ({folder}): ange en annan mapp med --out"
            return Exported((), [error(request.out.as_posix(), 0, said, "earkiv-ut")])
    options = Options(
        content=request.content,
        out=request.site,
        templates=request.templates,
        full=True,
        today=day,
        cache=request.cache,
        workers=request.workers,
    )
    cache = Cache(options.cache, options.content, options.out)
    loaded = pipeline.load(options, cache)
    problems = list(loaded.problems)
    if loaded.archive is None or has_errors(problems):
        said = "export earkiv levererar bara ett arkiv utan fel: rätta felen ovan och försök igen"
        return Exported((), [*problems, error(request.content.as_posix(), 0, said, "earkiv")])
    assert loaded.records is not None
    archive = pipeline.public_archive(options, loaded.archive)
    groups, chosen = _groups(archive, request)
    problems += chosen + _settings_problems(archive, sorted({organ for organ, _ in groups}))
    if has_errors(problems):
        return Exported((), problems)
    printing = replace(
        pipeline.printing(options, cache, loaded.published_log),
        workers=request.workers or processes.cores(),
        progress=watched(),
    )
    every = [summary for summaries in groups.values() for summary in summaries]
    problems += _early(request, every, printing.calendar, day)
    pdfs, stopped = printed.pdfs(archive, loaded.records, printing, every)
    problems += stopped
    if has_errors(problems):
        return Exported((), problems)
    run = _Export(request, archive, loaded.records, printing, day, pdfs)
    written = []
    for (organ, year), summaries in groups.items():
        path, told = _package(run, organ, year, summaries)
        problems += told
        if path is None:
            break
        written.append(path)
    return Exported(tuple(written), problems)


def _early(
    request: Request, summaries: Sequence[Summary], calendar: Calendar, day: date
) -> list[Problem]:
    """What the office should know before it delivers: no publication log to show what the
    board showed, and protocols whose appeal period has not ended by the package's date."""
    found = []
    log = request.site / publog.PATH
    if not log.is_file():
        said = (
            "publiceringsloggen finns inte där: paketen säger inte vad den visar om anslagen, "
            "bara protokollens datum; ange den publicerade webbplatsen med --site"
        )
        found.append(warning(log.as_posix(), 0, said, "earkiv-logg"))
    for summary in summaries:
        running = [n for n in notice.notices(summary, calendar) if n.comes_down > day]
        if running:
            last = max(n.comes_down for n in running)
            said = (
                f"anslaget om justeringen sitter uppe till {swedish_date(last)}, efter paketets "
                f"datum {swedish_date(day)}: protokoll levereras oftast när överklagandetiden "
                "har gått ut (se leveransöverenskommelsen)"
            )
            found.append(warning(summary.path, 0, said, "earkiv-overklagande"))
    return found


def package_id(archive: Archive, organ: str, year: int, day: date) -> str:
    number = archive.settings.delivery.number.replace("-", "")
    return f"{number}_{organ}_{year}_{day.isoformat()}"


class _Writer:
    """Files written into the package's folder as they come, each listed with its size,
    SHA-256 and format, identified as it lies on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.listed: dict[str, Listed] = {}

    def add(self, path: str, data: bytes) -> Listed:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        listed = Listed(path, len(data), hashlib.sha256(data).hexdigest(), formats.identify(target))
        self.listed[path] = listed
        return listed

    def add_file(self, each: File) -> Listed:
        return self.add(each.path, each.read())


class _Export(NamedTuple):
    """What every package of one export is made from: the request, the archive as published
    (its full records), printing, the package's day and every package's PDFs."""

    request: Request
    archive: Archive
    records: Records
    printing: Printing
    day: date
    pdfs: dict[str, Printed]


def _package(
    run: _Export, organ: str, year: int, summaries: list[Summary]
) -> tuple[Path | None, list[Problem]]:
    """One package, written into a folder beside its place and put there when whole."""
    request = run.request
    objid = package_id(run.archive, organ, year, run.day)
    staging = request.out / f".{objid}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        made, problems = _write(run, organ, year, summaries, staging)
        if made:
            _replace(staging, request.out / objid)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return (request.out / objid if made else None), problems


def _write(
    run: _Export, organ: str, year: int, summaries: list[Summary], staging: Path
) -> tuple[bool, list[Problem]]:
    """The package's files into ``staging``: whether it is whole, and the problems."""
    request, archive, records, printing, day, pdfs = run
    created = _moment(day)
    objid = staging.name.removeprefix(".").removesuffix(".tmp")
    got = gather(archive, records, printing, summaries, pdfs)
    if has_errors(got.problems):
        return False, got.problems
    writer = _Writer(staging)
    problems = list(got.problems)
    reps = {
        rep: [writer.add_file(each) for each in files] for rep, files in got.representation.items()
    }
    not_pdfa = []
    for path, source in got.attachments:
        if not writer.listed[path].format.is_pdfa:
            not_pdfa.append(path)
            shown = writer.listed[path].format.name or writer.listed[path].format.mime
            said = (
                f"handlingen är inte PDF/A ({shown}); den levereras som den är ({objid}/{path}), "
                "men arkivet kan kräva PDF/A: spara om den som PDF/A och gör paketet igen"
            )
            problems.append(warning(_shown(source), 0, said, "earkiv-pdfa"))
    descriptive = [writer.add_file(each) for each in got.descriptive]
    described = _documentation(request, archive, printing, organ, year, got, day, objid, not_pdfa)
    if isinstance(described, Problem):
        return False, [*problems, described]
    documentation = [writer.add("documentation/innehall.pdf", described)]
    if request.additional_package_info:
        documentation.append(
            writer.add(
                riksarkivet.FILE,
                riksarkivet.for_package(
                    archive.settings, organ, objid, created, reps[REP1], got.protocols
                ),
            )
        )
    sealed, broken = events.seals(got, staging, reps[REP1], archive.settings.seal, created)
    if broken:
        return False, [*problems, *broken]
    recorded = got.events + sealed + events.identification(reps, created)
    agents = {**got.agents, **events.tools()}
    objects = [listed for rep in (REP1, REP2) for listed in reps[rep]]
    preservation = [
        writer.add(
            "metadata/preservation/premis.xml",
            premis.document(objects, recorded, list(agents.values())),
        )
    ]
    schemas = [writer.add(f"schemas/{name}", _schema(name)) for name in SCHEMAS]
    body = archive.settings.body(organ)
    assert body is not None
    label = f"{archive.settings.organisation}: {body.name}, protokoll {year}"
    representations = []
    for rep, listed in reps.items():
        data = mets.representation_mets(objid, rep, label, request.profile, created, listed)
        representations.append((rep, writer.add(f"representations/{rep}/METS.xml", data)))
    header = Header(
        objid=objid,
        label=label,
        version=request.profile,
        created=created,
        agents=_agents(archive),
        alternatives=_alternatives(archive, organ),
        descriptive=descriptive,
        preservation=preservation,
        documentation=documentation,
        schemas=schemas,
        representations=representations,
    )
    (staging / "METS.xml").write_bytes(mets.root_mets(header))
    return True, problems


def _shown(path: str) -> str:
    """A file's path as the office gave it: from the folder the command runs in."""
    with suppress(ValueError):
        return Path(path).relative_to(Path.cwd()).as_posix()
    return path


def _replace(staging: Path, final: Path) -> None:
    """The new package in the place of the old, which is removed only once it is there."""
    old = final.with_name(f".{final.name}.old")
    if old.exists() and not final.exists():  # an export stopped between the two renames
        old.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


@cache
def _schema(name: str) -> bytes:
    """A schema every package ships, read once per export."""
    return resources.files("justerat").joinpath(f"schema/earkiv/{name}").read_bytes()


def _agents(archive: Archive) -> list[Agent]:
    delivery = archive.settings.delivery
    code = delivery.org_code
    found = [
        Agent("CREATOR", "OTHER", "Justerat", other_type="SOFTWARE", version=__version__),
        Agent("ARCHIVIST", "ORGANIZATION", archive.settings.organisation, code=code),
        Agent("CREATOR", "ORGANIZATION", archive.settings.organisation, code=code),
        Agent(
            "OTHER",
            "ORGANIZATION",
            delivery.arkivmyndighet or "",
            other_role="ARKIVMYNDIGHET",
        ),
        Agent(
            "PRESERVATION",
            "ORGANIZATION",
            delivery.archival_organisation or "",
            code=delivery.archival_organisation_id,
        ),
    ]
    return found


def _alternatives(archive: Archive, organ: str) -> list[tuple[str, str]]:
    delivery = archive.settings.delivery
    return [
        ("SUBMISSIONAGREEMENT", delivery.submission_agreement or ""),
        ("REFERENCECODE", delivery.reference_codes.get(organ, "")),
    ]


def _documentation(
    request: Request,
    archive: Archive,
    printing: Printing,
    organ: str,
    year: int,
    got: Gathered,
    day: date,
    objid: str,
    not_pdfa: list[str],
) -> bytes | Problem:
    """The package's description in Swedish, as PDF/A (``templates/pdf/earkiv.html``)."""
    settings = archive.settings
    body = settings.body(organ)
    assert body is not None
    template = printing.env.get_template(TEMPLATE)
    html = template.render(
        site=settings,
        title=f"Leverans till e-arkiv: {body.name} {year}",
        created=day,
        body=body,
        year=year,
        profile=request.profile,
        objid=objid,
        delivery=settings.delivery,
        reference=settings.delivery.reference_codes.get(organ, ""),
        protocols=got.protocols,
        hidden=any(p.not_for_web for p in got.protocols),
        sealed=settings.seal is not None,
        not_pdfa=not_pdfa,
    )
    data, violation = pdf.printed_page(html, request.templates, printing)
    if data is None:  # the template is the office's to change: it may name any file
        said = f"mallen {TEMPLATE} hämtar {violation}, utanför innehålls- och mallmapparna"
        return error((request.templates / TEMPLATE).as_posix(), 0, said, "sandbox")
    return data
