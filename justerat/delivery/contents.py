"""What one package holds of one body's year: each protocol's files (the PDF/A protocol and
anslagsbevis, sealed when site.yaml asks for a seal, the handlingar of its meeting, its
Markdown source and its open data), its descriptive metadata, and the events that PREMIS
records of it (the justering, the notices on the anslagstavla, the seals).

The PDFs are the full version: a § kept off the web (``not_for_web``) is in the package,
whole, and marked so in the descriptive metadata. A protocol without such a § is printed
exactly as the published site prints it, so the office's nightly build has already printed
it (the same cache)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.cache import Cache
from ..core.problems import Problem, error, has_errors, warning
from ..core.swedish import genitive, swedish_date
from ..domain.model import Archive, Protocol, Summary
from ..domain.settings import Settings
from ..legal import board, notice, people
from ..loading.content import Records
from ..pdfs import pdf, seal
from ..pdfs.pdf import Printed, Printing
from ..web import opendata
from . import description
from .premis import Agent, Event

REP1, REP2 = "rep1", "rep2"  # the PDF/A documents; the sources and open data


@dataclass(frozen=True)
class File:
    """A file of the package: its path from the package's root and its bytes, or the file
    they are read from (a handling in the content folder)."""

    path: str
    data: bytes = b""
    source: Path | None = None

    def read(self) -> bytes:
        return self.source.read_bytes() if self.source is not None else self.data


@dataclass
class Gathered:
    """Everything a package holds, before it is listed: its files by folder, the PREMIS
    events and agents, the problems found."""

    representation: dict[str, list[File]] = field(default_factory=lambda: {REP1: [], REP2: []})
    descriptive: list[File] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    agents: dict[str, Agent] = field(default_factory=dict)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (package path, source)
    protocols: list[Protocol] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def agent(self, agent: Agent) -> str:
        self.agents.setdefault(agent.ident, agent)
        return agent.ident


def _data(rep: str, day: str, name: str) -> str:
    return f"representations/{rep}/data/{day}/{name}"


def printed(
    archive: Archive, records: Records, printing: Printing, summaries: Sequence[Summary]
) -> tuple[dict[str, Printed], list[Problem]]:
    """The PDFs of ``summaries`` (every package's at once: printed side by side), sealed
    when site.yaml asks for a seal."""
    found, problems = _printed(archive, records, printing, summaries)
    if has_errors(problems):
        return found, problems
    sealed, more = _sealed(archive.settings, printing.content, found, printing.cache)
    return sealed, problems + more


def _printed(
    archive: Archive, records: Records, printing: Printing, summaries: Sequence[Summary]
) -> tuple[dict[str, Printed], list[Problem]]:
    """Each protocol's PDF and anslagsbevis, in the full version. Those without a § kept
    off the web are printed as the site prints them (and so found in the cache)."""
    wanted = {s.pdf_url for s in summaries} | {s.anslagsbevis_pdf_url for s in summaries}
    found: dict[str, Printed] = {}
    problems: list[Problem] = []
    for redacted in (True, False):
        chosen = tuple(s for s in summaries if bool(s.hidden) != redacted)
        if not chosen:
            continue
        part = replace(
            archive,
            protocols=chosen,
            withdrawn=(),
            plans=(),
            meetings=(),
            announcements=(),
            forfattningar=(),
            redacted=redacted,
        )
        files, said = pdf.pdf_files(part, records, printing, among=wanted)
        found |= files
        problems += said
    return found, problems


def _sealed(
    settings: Settings, content: Path, printed: dict[str, Printed], cache: Cache
) -> tuple[dict[str, Printed], list[Problem]]:
    where = settings.path
    if settings.seal is None:
        said = (
            "PDF:erna i paketet är inte förseglade: site.yaml har inget e-sigill (seal:). "
            "Ett e-arkiv kan kräva sigill; se docs/format.md"
        )
        return printed, [warning(where, 0, said, "earkiv-sigill")]
    try:
        with seal.load(settings.seal, content) as sealer:
            sealed, _ = pdf.sealed_files(printed, sealer, cache)
    except seal.SealError as exc:
        return printed, [error(where, 0, f"e-sigillet: {exc}", "seal")]
    return sealed, []


def gather(
    archive: Archive,
    records: Records,
    printing: Printing,
    summaries: Sequence[Summary],
    pdfs: dict[str, Printed],
) -> Gathered:
    """The files, metadata and events of ``summaries`` (one body's protocols of one year,
    justerade and public), with their PDFs from ``pdfs`` (``printed``)."""
    settings = archive.settings
    got = Gathered()
    register = people.Register(settings.bodies)
    organisation = got.agent(
        Agent(
            f"ORG:{settings.delivery.organisationsnummer}",
            settings.organisation,
            "organization",
            note="arkivbildare",
        )
    )
    for summary in summaries:
        protocol = records.full(summary)
        got.protocols.append(protocol)
        day = protocol.date.isoformat()
        files: list[tuple[str, str]] = []
        for role, url in (
            ("protokoll", summary.pdf_url),
            ("anslagsbevis", summary.anslagsbevis_pdf_url),
        ):
            if url in pdfs:
                path = _data(REP1, day, url.rsplit("/", 1)[-1])
                got.representation[REP1].append(File(path, pdfs[url].data()))
                files.append((role, path))
        for handling, source in _handlingar(archive, protocol):
            path = _data(REP1, day, f"handlingar/{handling}")
            got.representation[REP1].append(File(path, source=source))
            got.attachments.append((path, source.as_posix()))
            files.append(("handling", path))
        source_path = _data(REP2, day, Path(protocol.path).name)
        got.representation[REP2].append(File(source_path, source=Path(protocol.path)))
        files.append(("källa", source_path))
        data_path = _data(REP2, day, f"{protocol.organ.slug}-{day}.json")
        document = opendata.document(protocol, settings.base_url, printing.calendar, register)
        got.representation[REP2].append(File(data_path, document))
        files.append(("öppna-data", data_path))
        name = f"metadata/descriptive/{protocol.organ.slug}-{day}.xml"
        xml = description.protocol_xml(protocol, settings, printing.calendar, files)
        got.descriptive.append(File(name, xml))
        got.events += _events(
            got, protocol, summary, printing, files, organisation, settings.base_url
        )
    return got


def _handlingar(archive: Archive, protocol: Protocol) -> Iterator[tuple[str, Path]]:
    """The handlingar of the meeting the protocol records, each once, by its name."""
    seen: set[str] = set()
    for meeting in archive.meetings:
        if meeting.organ.slug != protocol.organ.slug or meeting.date != protocol.date:
            continue
        for item in meeting.items:
            for each in item.handlingar:
                if each.name not in seen:
                    seen.add(each.name)
                    yield each.name, Path(each.file)


def _person(got: Gathered, name: str) -> str:
    return got.agent(Agent(f"person:{name}", name, "person"))


def _events(
    got: Gathered,
    protocol: Protocol,
    summary: Summary,
    printing: Printing,
    files: list[tuple[str, str]],
    organisation: str,
    base: str,
) -> list[Event]:
    """The justering and the notices of ``protocol``."""
    day = protocol.date.isoformat()
    where = dict(files)
    documents = [where[role] for role in ("protokoll", "källa") if role in where]
    meeting = f"{genitive(protocol.organ.name)} sammanträde {swedish_date(protocol.date)}"
    found = []
    body = got.agent(Agent(f"organ:{protocol.organ.slug}", protocol.organ.name, "organization"))
    if protocol.justering is not None:
        names = " och ".join(protocol.justerare) or "ingen justerare angiven"
        found.append(
            Event(
                f"justering-{protocol.organ.slug}-{day}",
                "justering",
                protocol.justering.date.isoformat(),
                f"Protokollet från {meeting} justerades {swedish_date(protocol.justering.date)}"
                f" av ordföranden {protocol.chair} och {names}.",
                "justerat",
                agents=[
                    (body, "beslutande organ"),
                    (_person(got, protocol.chair), "ordförande"),
                    *((_person(got, name), "justerare") for name in protocol.justerare),
                    (_person(got, protocol.secretary.name), "sekreterare"),
                ],
                objects=documents,
            )
        )
    shown = board.seen(printing.history, summary, printing.calendar)
    board_url = f"{base}anslagstavla/"
    for each in notice.notices(protocol, printing.calendar):
        seen = shown.get(each.ident)
        logged = (
            f"Publiceringsloggen visar anslaget från {seen.first.day} till {seen.last.day}."
            if seen is not None
            else "Publiceringsloggen har inga uppgifter om anslaget."
        )
        found.append(
            Event(
                f"anslag-{each.ident}",
                "anslag",
                each.posted.isoformat(),
                f"Tillkännagivande om justeringen av {each.paragraph_span} på anslagstavlan "
                f"{board_url}, uppsatt {swedish_date(each.posted)}, nedtas "
                f"{swedish_date(each.comes_down)}; sista dag för överklagande "
                f"{swedish_date(each.dates.appeal_last_day)} (kommunallagen 8 kap. 12 § "
                "och 13 kap. 5 §).",
                "anslaget",
                logged,
                agents=[(organisation, "anslagsgivare")],
                objects=[where[r] for r in ("anslagsbevis", "protokoll") if r in where],
            )
        )
    return found
