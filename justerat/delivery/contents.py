"""What one package holds of one body's year: each protocol's files (its PDF/A protocol and
anslagsbevis from ``printing``, the handlingar of its meeting, its Markdown source and its open
data), its descriptive metadata, and the events that PREMIS records of it (the justering and
the notices on the anslagstavla, with what the publication log says of them).

The PDFs are the full version: a § kept off the web (``not_for_web``) is in the package,
whole, and marked so in the descriptive metadata."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.problems import Problem, error
from ..core.swedish import genitive, swedish_date
from ..domain.model import Archive, Protocol, Summary
from ..legal import board, notice, people
from ..loading.content import Records
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


def gather(
    archive: Archive,
    records: Records,
    printing: Printing,
    summaries: Sequence[Summary],
    pdfs: dict[str, Printed],
) -> Gathered:
    """The files, metadata and events of ``summaries`` (one body's justerade protocols of one
    year, those taken off the web too), with their PDFs from ``pdfs`` (``printed.pdfs``)."""
    settings = archive.settings
    got = Gathered()
    register = people.Register(settings.bodies)
    organisation = got.agent(
        Agent(
            settings.delivery.org_code, settings.organisation, "organization", note="arkivbildare"
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
            elif role == "protokoll":  # an anslagsbevis exists only with a notice
                said = "protokollets PDF gick inte att göra; inget paket skrevs"
                got.problems.append(error(protocol.path, 0, said, "earkiv"))
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


def _day(iso: str) -> str:
    return swedish_date(date.fromisoformat(iso))


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
        signed = [f"ordföranden {protocol.chair}", *protocol.justerare]
        names = ", ".join(signed[:-1]) + " och " + signed[-1] if len(signed) > 1 else signed[0]
        found.append(
            Event(
                f"justering-{protocol.organ.slug}-{day}",
                "justering",
                protocol.justering.date.isoformat(),
                f"Protokollet från {meeting} justerades {swedish_date(protocol.justering.date)}"
                f" av {names}.",
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
        outcome, logged = (
            (
                "anslaget, enligt publiceringsloggen",
                f"Publiceringsloggen visar anslaget från {_day(seen.first.day)} till "
                f"{_day(seen.last.day)}.",
            )
            if seen is not None
            else (
                "anslaget, enligt protokollet",
                "Publiceringsloggen har inga uppgifter om anslaget: datumen är protokollets.",
            )
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
                outcome,
                logged,
                agents=[(organisation, "anslagsgivare")],
                objects=[where[r] for r in ("anslagsbevis", "protokoll") if r in where],
            )
        )
    return found
