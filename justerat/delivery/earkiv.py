"""``export earkiv``: one E-ARK SIP (CSIP and SIP 2.2.0, or 2.1.0 for FGS Paketstruktur 2.0)
per body and year, for the kommun's e-arkiv.

    load and check → choose the protocols → print and seal their PDFs (``contents``) →
    write the files into a new folder, identify each (``formats``) → PREMIS, the
    representations' METS, the root METS → the folder becomes the package, whole

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
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import __version__
from ..build import pipeline
from ..build.options import Options
from ..core import processes
from ..core.cache import Cache
from ..core.problems import Problem, error, has_errors, warning
from ..core.progress import watched
from ..domain.model import Archive, Summary
from ..loading.content import Records
from ..pdfs import pdf, seal
from ..pdfs.pdf import Printed, Printing
from . import contents, description, formats, mets, premis, riksarkivet
from .contents import REP1, REP2, File, Gathered, gather
from .mets import Agent, Header, Listed

PROFILES = tuple(mets.PROFILES)
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
    """Every package asked for, or the problems that stopped them (nothing is written then)."""
    day = request.day or date.today()
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
    pdfs, stopped = contents.printed(archive, loaded.records, printing, every)
    problems += stopped
    if has_errors(problems):
        return Exported((), problems)
    written = []
    for (organ, year), summaries in groups.items():
        path, told = _package(
            request, archive, loaded.records, printing, organ, year, summaries, day, pdfs
        )
        problems += told
        if path is None:
            break
        written.append(path)
    return Exported(tuple(written), problems)


def package_id(archive: Archive, organ: str, year: int, day: date) -> str:
    number = (archive.settings.delivery.organisationsnummer or "").replace("-", "")
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


def _package(
    request: Request,
    archive: Archive,
    records: Records,
    printing: Printing,
    organ: str,
    year: int,
    summaries: list[Summary],
    day: date,
    pdfs: dict[str, Printed],
) -> tuple[Path | None, list[Problem]]:
    created = _moment(day)
    got = gather(archive, records, printing, summaries, pdfs)
    objid = package_id(archive, organ, year, day)
    final = request.out / objid
    staging = request.out / f".{objid}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    writer = _Writer(staging)
    problems = list(got.problems)
    reps = {
        rep: [writer.add_file(each) for each in files] for rep, files in got.representation.items()
    }
    for path, source in got.attachments:
        if not writer.listed[path].format.is_pdfa:
            shown = writer.listed[path].format.name or writer.listed[path].format.mime
            said = (
                f"handlingen är inte PDF/A ({shown}); den levereras som den är ({objid}/{path}), "
                "men arkivet kan kräva PDF/A: spara om den som PDF/A och gör paketet igen"
            )
            problems.append(warning(_shown(source), 0, said, "earkiv-pdfa"))
    descriptive = [writer.add_file(each) for each in got.descriptive]
    described = _documentation(request, archive, printing, organ, year, got, day, objid, problems)
    if isinstance(described, Problem):
        shutil.rmtree(staging)
        return None, [*problems, described]
    documentation = [writer.add("documentation/innehall.pdf", described)]
    if request.additional_package_info:
        documentation.append(
            writer.add(riksarkivet.FILE, _additional(archive, organ, year, objid, created, reps))
        )
    events = (
        got.events
        + _seal_events(got, staging, reps[REP1], archive, created)
        + _identification_events(reps, created)
    )
    agents = {**got.agents, **_tool_agents()}
    objects = [listed for rep in (REP1, REP2) for listed in reps[rep]]
    preservation = [
        writer.add(
            "metadata/preservation/premis.xml",
            premis.document(objects, events, list(agents.values())),
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
    _replace(staging, final)
    return final, problems


def _shown(path: str) -> str:
    """A file's path as the office gave it: from the folder the command runs in."""
    with suppress(ValueError):
        return Path(path).relative_to(Path.cwd()).as_posix()
    return path


def _replace(staging: Path, final: Path) -> None:
    """The new package in the place of the old, which is removed only once it is there."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _schema(name: str) -> bytes:
    from importlib import resources

    return resources.files("justerat").joinpath(f"schema/earkiv/{name}").read_bytes()


def _agents(archive: Archive) -> list[Agent]:
    delivery = archive.settings.delivery
    code = f"ORG:{(delivery.organisationsnummer or '').replace('-', '')}"
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


def _tool_agents() -> dict[str, premis.Agent]:
    from importlib.metadata import version

    tools = [
        premis.Agent("software:justerat", "Justerat", "software", __version__),
        premis.Agent("software:fido", formats.tool(), "software", version("opf-fido")),
        premis.Agent("software:pyhanko", "pyHanko", "software", version("pyhanko")),
    ]
    return {tool.ident: tool for tool in tools}


def _seal_events(
    got: Gathered, staging: Path, rep1: Sequence[Listed], archive: Archive, created: str
) -> list[premis.Event]:
    """For each sealed PDF: the seal (who, when, the certificate) and its verification now,
    against site.yaml's trust root."""
    settings = archive.settings.seal
    if settings is None:
        return []
    root = settings.trust_root.read_bytes() if settings.trust_root else None
    found = []
    for listed in rep1:
        if listed.format.mime != "application/pdf" or "/handlingar/" in listed.path:
            continue
        verdict = seal.verify((staging / listed.path).read_bytes(), root)
        if not verdict.sealed:
            continue
        holder = got.agent(
            premis.Agent(
                f"sigill:{verdict.fingerprint}",
                verdict.sealed_by,
                "organization",
                note="e-sigillets innehavare",
            )
        )
        when = verdict.sealed_at.isoformat() if verdict.sealed_at else created
        stamp = " med tidsstämpel" if verdict.timestamped else ""
        certificate = (
            f"Certifikat: {verdict.sealed_by}, utfärdat av {verdict.issuer}, serienummer "
            f"{verdict.serial}, SHA-256-fingeravtryck {verdict.fingerprint}"
        )
        found.append(
            premis.Event(
                f"sigill-{listed.path}",
                "digital signature generation",
                when,
                f"E-sigill (PAdES){stamp}. {certificate}.",
                "förseglad",
                agents=[(holder, "signer")],
                objects=[listed.path],
            )
        )
        found.append(
            premis.Event(
                f"sigillkontroll-{listed.path}",
                "digital signature validation",
                created,
                "Sigillet prövades med pyHanko"
                + (" mot site.yaml:s betrodda rot (trust_root)." if root else " utan betrodd rot."),
                "giltigt" if verdict.ok else "ogiltigt",
                verdict.swedish(),
                agents=[("software:pyhanko", "validator")],
                objects=[listed.path],
            )
        )
    return found


def _identification_events(reps: dict[str, list[Listed]], created: str) -> list[premis.Event]:
    found = []
    for listed in (each for files in reps.values() for each in files):
        form = listed.format
        if form.basis == formats.SIGNATURE:
            outcome, detail = form.puid or "", f"{form.name} (PRONOM {form.puid}), efter signatur"
        elif form.basis == formats.WRITTEN:
            outcome = form.puid or ""
            detail = f"ingen PRONOM-signatur; Justerat skrev filen som {form.name} ({form.puid})"
        else:
            outcome, detail = "inte identifierat", f"formatet känns inte igen; MIME-typ {form.mime}"
        found.append(
            premis.Event(
                f"format-{listed.path}",
                "format identification",
                created,
                f"Formatidentifiering med {formats.tool()}",
                outcome,
                detail,
                agents=[("software:fido", "executing program")],
                objects=[listed.path],
            )
        )
    return found


def _additional(
    archive: Archive, organ: str, year: int, objid: str, created: str, reps: dict[str, list[Listed]]
) -> bytes:
    delivery = archive.settings.delivery
    reference = delivery.reference_codes.get(organ, "")
    kinds = {"protokoll": "Protokoll", "anslagsbevis": "Anslagsbevis"}
    files = []
    for listed in reps[REP1]:
        name = listed.path.rsplit("/", 1)[-1]
        kind = (
            "Handling"
            if "/handlingar/" in listed.path
            else kinds.get(name.split("-", 1)[0], "Protokoll")
        )
        files.append((listed.path, reference, kind))
    body = archive.settings.body(organ)
    name = f"{archive.settings.organisation}, {body.name if body else organ}"
    return riksarkivet.document(
        objid,
        created,
        archive.settings.organisation,
        delivery.organisationsnummer or "",
        name,
        (date(year, 1, 1), date(year, 12, 31)),
        files,
    )


def _documentation(
    request: Request,
    archive: Archive,
    printing: Printing,
    organ: str,
    year: int,
    got: Gathered,
    day: date,
    objid: str,
    problems: list[Problem],
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
        day=day,
        objid=objid,
        delivery=settings.delivery,
        reference=settings.delivery.reference_codes.get(organ, ""),
        protocols=got.protocols,
        hidden=any(p.not_for_web for p in got.protocols),
        sealed=settings.seal is not None,
        not_pdfa=[p.path for p in problems if p.rule == "earkiv-pdfa"],
    )
    base = request.templates.resolve().as_uri() + "/"
    data, violation = pdf.printed_page(html, base, printing)
    if data is None:  # the template is the office's to change: it may name any file
        said = f"mallen {TEMPLATE} hämtar {violation}, utanför innehålls- och mallmapparna"
        return error((request.templates / TEMPLATE).as_posix(), 0, said, "sandbox")
    return data
