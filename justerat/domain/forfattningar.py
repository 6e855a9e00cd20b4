"""The records of the författningssamling: a kommun's föreskrifter (taxor, lokala
ordningsföreskrifter, reglementen …), each adopted at a § of a protocol, in force from a day,
perhaps replacing earlier ones and perhaps repealed by a later §. Built from validated sources
(``legal.forfattningar``); nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .headings import Heading
from .source import Source

Day = date  # for annotations inside classes that have a field named date


class ForfattningKind(StrEnum):
    """What a föreskrift is, in the register's order."""

    TAXA = "taxa"
    ORDNING = "ordningsforeskrifter"
    REGLEMENTE = "reglemente"
    ARBETSORDNING = "arbetsordning"
    OTHER = "ovrigt"

    @property
    def heading(self) -> str:
        """The register's heading for the kind ("Taxor och avgifter")."""
        return KIND_TITLES[self]

    @staticmethod
    def of(value: str) -> ForfattningKind:
        """The kind as a secretary may write it, with or without å, ä, ö."""
        return ForfattningKind(value.replace("ö", "o").replace("Ö", "O").lower())


KIND_TITLES = {
    ForfattningKind.TAXA: "Taxor och avgifter",
    ForfattningKind.ORDNING: "Ordningsföreskrifter",
    ForfattningKind.REGLEMENTE: "Reglementen",
    ForfattningKind.ARBETSORDNING: "Arbetsordningar",
    ForfattningKind.OTHER: "Övriga föreskrifter",
}


@dataclass(frozen=True)
class Decision:
    """The § of a protocol that decided: the body's key in site.yaml, the meeting's day, the
    §'s number, the line of the front matter that names it, and, for a repeal, the day it
    takes effect when the decision names one."""

    organ: str
    date: Day
    paragraph: int
    line: int = field(default=0, compare=False)
    effective: Day | None = None  # a repeal's ``from``: the day it takes effect

    @property
    def protocol_url(self) -> str:
        return f"protokoll/{self.organ}/{self.date.isoformat()}/"

    @property
    def url(self) -> str:
        """The § on its protocol's page."""
        return f"{self.protocol_url}#paragraf-{self.paragraph}"


class State(StrEnum):
    """Where a föreskrift stands on a day."""

    COMING = "kommande"  # adopted, not yet in force
    IN_FORCE = "gällande"
    REPLACED = "ersatt"
    REPEALED = "upphävd"


@dataclass(frozen=True)
class Forfattning:
    """One föreskrift in the collection, as its file gives it."""

    source: Source = field(repr=False, compare=False)
    beteckning: str  # "2026:3": the year and the number in the collection
    title: str
    kind: ForfattningKind
    published: bool
    adopted: Decision
    in_force: Day
    replaces: tuple[str, ...] = ()
    repealed: Decision | None = None
    html: str = ""
    toc: tuple[Heading, ...] = ()

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def is_draft(self) -> bool:
        return not self.published

    @property
    def year(self) -> int:
        return int(self.beteckning.split(":", 1)[0])

    @property
    def number(self) -> int:
        return int(self.beteckning.split(":", 1)[1])

    @property
    def order(self) -> tuple[int, int]:
        """Its place in the collection: by year, then by number."""
        return self.year, self.number

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def url(self) -> str:
        return f"{FOLDER}/{self.slug}/"

    @property
    def pdf_url(self) -> str:
        return f"{self.url}forfattning-{self.slug}.pdf"


FOLDER = "forfattningssamling"
