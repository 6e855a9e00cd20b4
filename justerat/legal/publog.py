"""The publication log: what the anslagstavla showed, build by build, in a hash chain.

Each publishing build appends one entry: when it was built, the board's day, every notice up
on the board that day with the digest of what the board says of it, and the digest of the
entry before. An entry's digest is the SHA-256 of its canonical JSON without the digest, so
changing any earlier entry breaks every link after it, and ``verify`` says where. The log is
published with the board (``anslagstavla/publiceringslogg.json``, and a page), so anyone can
check that a notice was up for its whole appeal period (kommunallagen 13 kap. 5 § andra
stycket: the period runs out only if the notice stays up the whole time), and the office can
see where the board may have been down. What the log says of a notice (the first and the last
build that showed it, and the days without a build in its appeal period) comes from one
``History`` per build, for the anslagsbevis pages and PDFs alike. No I/O.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

PATH = "anslagstavla/publiceringslogg.json"
FORMAT = "justerat-publiceringslogg/2"
FORMATS = ("justerat-publiceringslogg/1", FORMAT)  # /1: entries without the site they belong to
SWEDEN = ZoneInfo("Europe/Stockholm")
GAP = timedelta(days=1)  # more than this between two builds, inside an appeal period: a warning


@dataclass(frozen=True)
class Shown:
    """One notice as the board showed it: its identity and the digest of its facts."""

    ident: str
    digest: str


@dataclass(frozen=True)
class Entry:
    number: int
    built: str  # when, in UTC (ISO 8601, seconds)
    day: str  # the board's day (ISO)
    notices: tuple[Shown, ...]
    previous: str  # the digest of the entry before ("" for the first)
    digest: str = ""
    site: str = ""  # the site whose board it is (``identity``); "" in a log of format /1

    def fields(self) -> dict[str, object]:
        found = asdict(self)
        found.pop("digest")
        if not self.site:  # an entry of format /1: its digest was computed without it
            found.pop("site")
        found["notices"] = [asdict(n) for n in self.notices]
        return found

    def computed(self) -> str:
        text = json.dumps(self.fields(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.built)


class LogError(Exception):
    """The log cannot be read or its chain is broken; the message says where, in Swedish."""


def identity(base_url: str) -> str:
    """The site a log belongs to, as its entries name it: its public address (``base_url``
    in site.yaml), without a trailing slash."""
    return base_url.strip().rstrip("/")


def owner(entries: Sequence[Entry]) -> str:
    """The site the log belongs to: the one its last entry names ("" for a log of format /1
    or no entries, which any site may take up)."""
    return next((e.site for e in reversed(entries) if e.site), "")


def day_in_sweden(moment: datetime) -> date:
    """The day it is in Sweden at ``moment``: the only day whose board a build may log."""
    return moment.astimezone(SWEDEN).date()


def now() -> datetime:
    """When this build runs, in UTC: the clock, or ``SOURCE_DATE_EPOCH`` where it is set (the
    reproducible-builds convention, for tests and for rebuilding a given day)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed and fixed.isdigit():
        return datetime.fromtimestamp(int(fixed), UTC)
    return datetime.now(UTC)


def today() -> date:
    """The day it is in Sweden now (``now``): a build's day unless it is given another, on a
    server in any time zone (a nightly build at 00:05 in Sweden is 23:05 UTC)."""
    return day_in_sweden(now())


def notice_digest(facts: Iterable[object]) -> str:
    """The digest of what the board says of a notice (its dates, title, address…)."""
    return hashlib.sha256("\0".join(str(f) for f in facts).encode("utf-8")).hexdigest()


def dumps(entries: Sequence[Entry]) -> bytes:
    """The log as published: one JSON document, entries oldest first."""
    document = {
        "format": FORMAT,
        "entries": [{**e.fields(), "digest": e.digest} for e in entries],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def loads(data: bytes) -> tuple[Entry, ...]:
    """The entries of a published log, after checking every link of its chain."""
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") not in FORMATS:
            raise LogError(f"okänt format {document.get('format')!r}")
        entries = tuple(
            Entry(
                number=int(e["number"]),
                built=str(e["built"]),
                day=str(e["day"]),
                notices=tuple(Shown(str(n["ident"]), str(n["digest"])) for n in e["notices"]),
                previous=str(e["previous"]),
                digest=str(e["digest"]),
                site=str(e.get("site", "")),
            )
            for e in document["entries"]
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, LogError):
            raise
        raise LogError(f"loggen kan inte läsas: {exc}") from None
    verify(entries)
    return entries


def verify(entries: Sequence[Entry]) -> None:
    """Raise ``LogError`` at the first entry whose digest or link to the one before is wrong."""
    previous = ""
    for position, entry in enumerate(entries, start=1):
        if entry.number != position:
            raise LogError(
                f"post {position} har nummer {entry.number}: en post saknas eller är flyttad"
            )
        if entry.previous != previous:
            raise LogError(
                f"post {entry.number} ({entry.built}) pekar inte på posten före: loggen har "
                "ändrats efter att den skrevs"
            )
        if entry.computed() != entry.digest:
            raise LogError(
                f"post {entry.number} ({entry.built}) stämmer inte med sin kontrollsumma: den "
                "har ändrats efter att den skrevs"
            )
        previous = entry.digest


def append(
    entries: Sequence[Entry], built: datetime, day: date, shown: Iterable[Shown], site: str = ""
) -> tuple[Entry, ...]:
    """The log with one more entry for a build at ``built`` of the board of ``day``, of the
    site ``site`` (``identity``)."""
    entry = Entry(
        site=site,
        number=len(entries) + 1,
        built=built.astimezone(UTC).isoformat(timespec="seconds"),
        day=day.isoformat(),
        notices=tuple(sorted(shown, key=lambda s: s.ident)),
        previous=entries[-1].digest if entries else "",
    )
    return (*entries, Entry(**{**entry.__dict__, "digest": entry.computed()}))


def _days(entries: Iterable[Entry]) -> tuple[date, ...]:
    """The boards' days the log has builds of, in order."""
    return tuple(sorted({date.fromisoformat(e.day) for e in entries}))


def _gaps(days: Sequence[date], start: date, end: date) -> list[tuple[date, date]]:
    inside = days[bisect_left(days, start) : bisect_right(days, end)]
    return [(a, b) for a, b in zip(inside, inside[1:], strict=False) if b - a > GAP]


class Period(NamedTuple):
    """A notice's appeal period on the board: its identity, the day it was posted and the
    last day to appeal."""

    ident: str
    posted: date
    last_day: date


class Seen(NamedTuple):
    """What the log says of one notice: the first and the last entry that showed it, and the
    stretches of more than a day without a build inside its appeal period (``gaps``)."""

    first: Entry
    last: Entry
    gaps: tuple[tuple[date, date], ...]


@dataclass(frozen=True)
class History:
    """The log as a build has it (this build's entry last), with the first and the last entry
    that showed each notice and the boards' days built, found in one pass when the build
    starts (``of``)."""

    entries: tuple[Entry, ...] = ()
    index: Mapping[str, tuple[Entry, Entry]] = field(default_factory=dict, compare=False)
    days: tuple[date, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> History:
        kept = tuple(entries)
        found: dict[str, tuple[Entry, Entry]] = {}
        for entry in kept:
            for shown in entry.notices:
                first = found.get(shown.ident, (entry, entry))[0]
                found[shown.ident] = (first, entry)
        return cls(kept, found, _days(kept))

    def gaps(self, start: date, end: date) -> list[tuple[date, date]]:
        """The stretches of more than a day without a build, between ``start`` and ``end``
        (a notice's days up), as (last build before, next build after) by the boards' days,
        from the days sorted once."""
        return _gaps(self.days, start, end)

    def seen(self, periods: Iterable[Period]) -> dict[str, Seen]:
        """For each of a document's notices (by its appeal ``periods``) that the log shows:
        its first and last builds, and where the board may have been down."""
        found = {}
        for ident, posted, last_day in periods:
            if ident in self.index:
                first, last = self.index[ident]
                found[ident] = Seen(first, last, tuple(self.gaps(posted, last_day)))
        return found


def told(seen: Mapping[str, Seen]) -> str:
    """The digest of what an anslagsbevis says of the log (``History.seen``): the entries'
    numbers and times, and the gaps; "" when it says nothing."""
    if not seen:
        return ""
    facts = [
        (ident, s.first.number, s.first.built, s.last.number, s.last.built, s.gaps)
        for ident, s in sorted(seen.items())
    ]
    return hashlib.sha256(repr(facts).encode("utf-8")).hexdigest()
