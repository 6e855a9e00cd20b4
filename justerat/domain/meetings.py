"""The records of meetings and of the board's other notices: a meeting with its kallelse,
ärendelista, handlingar and kungörelse, and a notice on the anslagstavla (a delegationsbeslut,
a notice under plan- och bygglagen …). Built from validated sources (``meeting``,
``announcement``); nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from .settings import Body
from .source import Source

Day = date  # for annotations inside classes that have a field named date


class Attachment(NamedTuple):
    """A file shown with a kallelse or a notice (a handling, an attached decision): the file
    inside the content folder, its address on the site, the line that names it, its size in
    bytes, what kind of file it is, as readers are told ("PDF"), and its digest."""

    file: str
    address: str
    line: int
    size: int
    kind: str
    digest: str = ""  # sha256 of its bytes: the site's copy is made anew when they change
    title: str | None = None  # as the front matter gives it ("Tjänsteskrivelse")

    @property
    def name(self) -> str:
        """The file's name on the site ("tjansteskrivelse-vagar.pdf")."""
        return self.address.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        """What readers see: its title, else a readable name made of the file's name."""
        return self.title or readable(self.name)


def readable(name: str) -> str:
    """A file's name as words: "tjansteskrivelse-regelverk_vagar.pdf" is "Tjansteskrivelse
    regelverk vagar" (the extension dropped, hyphens and underscores as spaces, the first letter
    a capital; the å, ä and ö a file name lacks cannot be told back)."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    words = " ".join(stem.replace("-", " ").replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else name


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    CANCELLED = "cancelled"
    MOVED = "moved"


@dataclass(frozen=True)
class AgendaItem:
    """One ärende of a kallelse's ärendelista."""

    number: int  # its place in the list, from 1
    title: str
    line: int
    diarienummer: str | None = None
    proposal: str | None = None
    paragraph: int | None = None  # the § that handled it, when the front matter says so
    handlingar: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Kungorelse:
    """The notice of a meeting on the board: required for fullmäktige (KL 5:13), allowed for
    the other bodies (KL 8:11)."""

    posted: date
    taken_down: date | None = None
    urgent: tuple[tuple[int, date], ...] = ()  # (ärende, day posted): added as urgent (KL 5:14)


@dataclass(frozen=True)
class Moved:
    date: date
    time: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting of a body and its kallelse: when and where, the ärendelista with its
    handlingar, and what became of it (held as planned, cancelled or moved)."""

    source: Source = field(repr=False, compare=False)
    organ: Body
    date: date
    time: str
    place: str
    status: MeetingStatus
    items: tuple[AgendaItem, ...] = ()
    html: str = ""
    moved_to: Moved | None = None
    kungorelse: Kungorelse | None = None
    reason: str | None = None

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def is_draft(self) -> bool:
        return self.status is MeetingStatus.DRAFT

    @property
    def url(self) -> str:
        return f"sammantraden/{self.organ.slug}/{self.date.isoformat()}/"

    @property
    def kungorelse_url(self) -> str:
        return f"{self.url}kungorelse/"

    @property
    def held_on(self) -> Day | None:
        """The day the meeting is held: its date, or the day it was moved to; None if
        cancelled (or still a draft)."""
        if self.status is MeetingStatus.MOVED:
            return self.moved_to.date if self.moved_to else None
        return self.date if self.status is MeetingStatus.PLANNED else None

    @property
    def ident(self) -> str:
        return f"{self.organ.slug}-{self.date.isoformat()}"

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(a for item in self.items for a in item.handlingar)


class AnnouncementKind(StrEnum):
    """The kinds of notice besides justeringar and kungörelser, in the board's order."""

    DELEGATION = "delegationsbeslut"
    PLANNING = "plan-och-bygg"
    REGULATIONS = "foreskrifter"
    VEHICLES = "flyttning-av-fordon"
    AUTHORITY = "annan-myndighet"
    OTHER = "ovrigt"


@dataclass(frozen=True)
class Announcement:
    """A notice on the board that is not a protocol's justering nor a fullmäktige meeting's
    kungörelse: a delegationsbeslut, a notice under plan- och bygglagen, antagna föreskrifter,
    flyttning av fordon, another authority's notice."""

    source: Source = field(repr=False, compare=False)
    slug: str
    kind: AnnouncementKind
    published: bool
    title: str
    issuer: str  # as readers see it: a body's name, or the authority's
    organ: Body | None  # the issuing body, when it is one of the site's
    posted: date
    taken_down: date | None
    appeal: bool  # a three-week appeal period runs from the day posted (KL 13:5)
    kept_at: str
    html: str = ""
    decided: date | None = None
    decided_by: str | None = None
    diarienummer: str | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def is_draft(self) -> bool:
        return not self.published

    @property
    def url(self) -> str:
        return f"anslag/{self.posted.year}/{self.slug}/"

    @property
    def anslagsbevis_url(self) -> str:
        return f"{self.url}anslagsbevis/"

    @property
    def anslagsbevis_pdf_url(self) -> str:
        return f"{self.anslagsbevis_url}anslagsbevis-{self.slug}.pdf"
