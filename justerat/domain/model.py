"""The content model: typed, immutable records of what the archive holds.

Built once from validated sources (see ``documents``) and read by the checks and the
renderers. Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from .forfattningar import Forfattning
from .headings import Heading
from .meetings import Announcement, Meeting
from .settings import Body, Settings
from .source import Source

Day = date  # for annotations inside classes that have a field named date


class Status(StrEnum):
    DRAFT = "draft"
    JUSTERAT = "justerat"
    PUBLISHED = "published"  # plans


class PartKind(StrEnum):
    """What a level-3 part of a paragraph is, recognised from its heading."""

    TEXT = "text"
    SUMMARY = "sammanfattning"
    BASIS = "beslutsunderlag"
    PROPOSAL = "forslag"
    DECISION = "beslut"


@dataclass(frozen=True)
class Person:
    name: str
    party: str | None = None
    represents: str | None = None
    role: str | None = None
    title: str | None = None
    note: str | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class Attendance:
    voting: tuple[Person, ...]
    serving_substitutes: tuple[Person, ...] = ()
    substitutes: tuple[Person, ...] = ()
    absent: tuple[Person, ...] = ()
    others: tuple[Person, ...] = ()
    others_heading: str = "Övriga deltagande"
    note: str = ""  # the beslutande by reference ("Se närvarolista, bilaga 1"), or beside them

    @property
    def by_reference(self) -> bool:
        """Whether the protocol does not list its ledamöter but refers to where they are
        (``note`` without ``voting``): who decided cannot be told from it, and the rules that
        count the beslutande are not applied."""
        return bool(self.note) and not self.voting

    @property
    def deciding(self) -> tuple[Person, ...]:
        """Beslutande: the members and the substitutes serving for absent members."""
        return self.voting + self.serving_substitutes

    @property
    def present(self) -> tuple[Person, ...]:
        return self.deciding + self.substitutes + self.others


@dataclass(frozen=True)
class Justering:
    date: date
    digital: bool = False
    place: str | None = None


@dataclass(frozen=True)
class Anslag:
    posted: date | None = None
    taken_down: date | None = None


@dataclass(frozen=True)
class ImmediateJustering:
    """Paragraphs justerade omedelbart: their own justering and notice (KL 5:70)."""

    paragraphs: tuple[int, ...]
    justering: Justering
    anslag: Anslag
    index: int  # position in the front matter's `immediate` list, for line numbers


@dataclass(frozen=True)
class Acknowledgement:
    """A written acknowledgement that a historical protocol breaks a date rule."""

    rule: str
    text: str


@dataclass(frozen=True)
class Withdrawal:
    """The protocol is taken off the web; its notice stays in the board's history."""

    date: date
    reason: str


@dataclass(frozen=True)
class Imported:
    """Where an imported protocol came from: the source file's name and the lines of it the
    importer read and checked but wrote nowhere else (its title lines, the § range its front
    page states), kept verbatim. Provenance: in the open data, not on the page."""

    file: str | None = None
    text: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A level-3 part of a paragraph: its heading (may be empty for the lead text) and HTML."""

    kind: PartKind
    heading: str
    html: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    number: int
    title: str
    line: int
    parts: tuple[Part, ...]
    text: str = field(repr=False, default="")  # plain text, for search and data export
    hidden: bool = False  # kept off the web: the public versions say it is left out
    dnr: str = ""  # the diarienummer the § states ("KS 2023/145"), as written

    def redacted(self) -> Paragraph:
        """The paragraph as the public sees it when it is kept off the web."""
        notice = f"<p>§ {self.number} utgår i webbversionen.</p>\n"
        return Paragraph(
            self.number,
            "Utgår i webbversionen",
            self.line,
            (Part(PartKind.TEXT, "", notice),),
            "",
            hidden=True,
        )

    @property
    def anchor(self) -> str:
        return f"paragraf-{self.number}"

    @property
    def label(self) -> str:
        return f"§\u00a0{self.number}"

    @property
    def decision(self) -> Part | None:
        return next((p for p in self.parts if p.kind is PartKind.DECISION), None)


class Addressed:
    """Where a protocol's pages and files are, from its body and date: shared by the full
    record (``Protocol``) and its ``Summary``."""

    __slots__ = ()
    organ: Body
    status: Status
    date: date
    if TYPE_CHECKING:

        @property
        def numbers(self) -> tuple[int, ...]:
            """The paragraphs' numbers."""

    @property
    def is_draft(self) -> bool:
        return self.status is not Status.JUSTERAT

    @property
    def url(self) -> str:
        return f"protokoll/{self.organ.slug}/{self.date.isoformat()}/"

    @property
    def anslagsbevis_url(self) -> str:
        return f"{self.url}anslagsbevis/"

    @property
    def file_stem(self) -> str:
        return f"{self.organ.slug}-{self.date.isoformat()}"

    @property
    def pdf_url(self) -> str:
        return f"{self.url}protokoll-{self.file_stem}.pdf"

    @property
    def anslagsbevis_pdf_url(self) -> str:
        return f"{self.anslagsbevis_url}anslagsbevis-{self.file_stem}.pdf"

    def extract_pdf_url(self, number: int) -> str:
        return f"{self.url}utdrag/protokollsutdrag-{self.file_stem}-paragraf-{number}.pdf"

    @property
    def paragraph_span(self) -> str:
        """ "§ 1–11", the paragraphs the protocol holds."""
        numbers = self.numbers
        if not numbers:
            return ""
        first, last = numbers[0], numbers[-1]
        return f"§\u00a0{first}" if first == last else f"§\u00a0{first}–{last}"


@dataclass(frozen=True)
class Vote:
    """An omröstning: who (or how many) voted ja, nej and avstår, and the side that won."""

    yes: tuple[str, ...] | int
    no: tuple[str, ...] | int
    abstain: tuple[str, ...] | int
    result: str  # "yes" or "no"
    yes_means: str | None = None
    no_means: str | None = None

    @staticmethod
    def count(side: tuple[str, ...] | int) -> int:
        return side if isinstance(side, int) else len(side)

    @property
    def by_name(self) -> bool:
        return not isinstance(self.yes, int)

    def voters(self) -> tuple[str, ...]:
        return tuple(
            name
            for side in (self.yes, self.no, self.abstain)
            if not isinstance(side, int)
            for name in side
        )


@dataclass(frozen=True)
class Statement:
    """A proposal (yrkande), a reservation or a protokollsanteckning: who, and what."""

    by: tuple[str, ...]
    text: str | None = None
    against: str | None = None  # a reservation: what it is against (default: the decision)
    line: int = 0


@dataclass(frozen=True)
class Proceedings:
    """What the protocol records at one paragraph beyond its text."""

    paragraph: int
    line: int
    arrived: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    serving: tuple[Person, ...] = ()  # ersättare from this § on, each with ``replaces``
    jav: tuple[str, ...] = ()
    proposals: tuple[Statement, ...] = ()
    proposition_order: str | None = None
    vote: Vote | None = None
    reservations: tuple[Statement, ...] = ()
    notes: tuple[Statement, ...] = ()
    index: int = 0  # position in the front matter's list, for line numbers


@dataclass(frozen=True)
class Protocol(Addressed):
    source: Source = field(repr=False, compare=False)
    organ: Body
    status: Status
    date: date
    start: str
    end: str
    place: str
    digital: bool
    attendees: Attendance
    secretary: Person
    chair: str
    justerare: tuple[str, ...]
    justering: Justering | None
    anslag: Anslag
    kept_at: str
    preamble_html: str
    paragraphs: tuple[Paragraph, ...]
    immediate: tuple[ImmediateJustering, ...] = ()
    acknowledged: tuple[Acknowledgement, ...] = ()
    not_for_web: tuple[int, ...] = ()
    withdrawn: Withdrawal | None = None
    images: tuple[Image, ...] = ()
    proceedings: tuple[Proceedings, ...] = ()
    imported: Imported | None = None

    def for_the_web(self) -> Protocol:
        """The protocol with its paragraphs kept off the web replaced by a notice."""
        if not self.not_for_web:
            return self
        hidden = set(self.not_for_web)
        return replace(
            self,
            paragraphs=tuple(p.redacted() if p.number in hidden else p for p in self.paragraphs),
            proceedings=tuple(p for p in self.proceedings if p.paragraph not in hidden),
        )

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.paragraphs)


# What every build reads back for the whole archive (``content.Entry``) is a named tuple, not
# a frozen dataclass: just as immutable and typed, and made four times faster when read back
# from the cache (a frozen dataclass sets each field through object.__setattr__), which is
# most of the reading at the start of a rebuild of 10,000 protocols.


class Image(NamedTuple):
    """An image a document shows: its address in the text (relative to the document), the
    file inside the content folder, and the line where the text shows it."""

    address: str
    file: str
    line: int


class NoticeFacts(NamedTuple):
    """The dates of one notice of justering as the front matter gives them."""

    paragraphs: tuple[int, ...]
    immediate: bool
    justering: date
    posted: date
    taken_down: date | None


class _SummaryFields(NamedTuple):
    path: str
    digest: str  # of the source file
    organ: Body
    status: Status
    date: date
    numbers: tuple[int, ...]
    hidden: tuple[int, ...]  # paragraphs kept off the web
    kept_at: str
    notices: tuple[NoticeFacts, ...]
    withdrawn: Withdrawal | None
    date_line: int  # where the date is written, for problems about the meeting
    images: tuple[Image, ...] = ()
    key: str = ""  # digest of everything above but the source digest: what listings show
    titles: tuple[str, ...] = ()  # the paragraphs' titles, by which a kallelse's ärenden link
    # (not in the key: listings do not show them; see scope.site_key)
    people: str = ""  # digest of who attended and of the proceedings: what person pages show
    # who attended and the published proceedings, for the person pages without a re-read
    attended: tuple[Attendance, tuple[Proceedings, ...]] | None = None
    hours: tuple[str, str] | None = None  # ("18.30", "19.55"): when the meeting began and ended


class Summary(_SummaryFields, Addressed):
    """What pages about other protocols need of a protocol: listings, links to the previous
    and next meeting, references to its paragraphs, its notices on the board, the data index.
    Small, so that a build can hold the whole archive's summaries and read them back fast;
    the full record is read only for the protocol's own pages."""

    __slots__ = ()

    @staticmethod
    def of(protocol: Protocol, notices: tuple[NoticeFacts, ...]) -> Summary:
        fields = (
            protocol.path,
            protocol.organ,
            protocol.status,
            protocol.date,
            protocol.numbers,
            protocol.not_for_web,
            protocol.kept_at,
            notices,
            protocol.withdrawn,
            protocol.source.line_of("date"),
            protocol.images,
        )
        # what listings show: the images' lines are not (an edit above an image is not news)
        shown = (*fields[:-1], tuple((image.address, image.file) for image in protocol.images))
        key = hashlib.sha256(repr(shown).encode()).hexdigest()
        path, organ, status, day, numbers, hidden, kept_at, _, withdrawn, line, images = fields
        return Summary(
            path,
            protocol.source.digest,
            organ,
            status,
            day,
            numbers,
            hidden,
            kept_at,
            notices,
            withdrawn,
            line,
            images,
            key,
            tuple(p.title for p in protocol.paragraphs),
            # the attendees' repr holds every list and the note: a meeting that refers to its
            # beslutande counts on no one's person page, one that lists them does
            hashlib.sha256(
                repr((protocol.attendees, protocol.chair, protocol.proceedings)).encode()
            ).hexdigest(),
            (
                protocol.attendees,
                tuple(p for p in protocol.proceedings if p.paragraph not in protocol.not_for_web),
            ),
            (protocol.start, protocol.end),
        )


@dataclass(frozen=True)
class Plan:
    source: Source = field(repr=False, compare=False)
    slug: str
    title: str
    organ: Body | None
    year: int
    adopted: date | None
    status: Status
    html: str
    toc: tuple[Heading, ...]
    images: tuple[Image, ...] = ()

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    @property
    def url(self) -> str:
        return f"planer/{self.slug}/"

    @property
    def pdf_url(self) -> str:
        return f"{self.url}{self.slug}.pdf"


@dataclass(frozen=True)
class Archive:
    """The whole archive: its settings, every protocol's summary and every plan. The full
    record of a protocol is read when its own pages are made (``content.Records``)."""

    settings: Settings
    protocols: tuple[Summary, ...]
    plans: tuple[Plan, ...]
    withdrawn: tuple[Summary, ...] = ()  # off the web; their notices stay on the board
    redacted: bool = False  # paragraphs kept off the web are replaced by a notice
    meetings: tuple[Meeting, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    forfattningar: tuple[Forfattning, ...] = ()  # the författningssamling

    def files(self) -> list[str]:
        """The content files its documents are made from, as problems name them."""
        return [
            *(p.path for p in self.protocols + self.withdrawn),
            *(p.path for p in self.plans),
            *(m.source.path for m in self.meetings),
            *(a.source.path for a in self.announcements),
            *(f.path for f in self.forfattningar),
        ]

    def published(self, include_drafts: bool, full: bool = False) -> Archive:
        """The archive as the public sees it: no drafts (unless asked for, for a preview), no
        withdrawn protocols, and paragraphs kept off the web replaced by a notice (unless the
        office asks for the full version)."""
        shown = [p for p in self.protocols if include_drafts or not p.is_draft]
        return Archive(
            self.settings,
            tuple(p for p in shown if p.withdrawn is None),
            tuple(p for p in self.plans if include_drafts or not p.is_draft),
            tuple(p for p in shown if p.withdrawn is not None and not p.is_draft),
            redacted=not full,
            meetings=tuple(m for m in self.meetings if include_drafts or not m.is_draft),
            announcements=tuple(a for a in self.announcements if include_drafts or not a.is_draft),
            forfattningar=tuple(f for f in self.forfattningar if include_drafts or not f.is_draft),
        )
