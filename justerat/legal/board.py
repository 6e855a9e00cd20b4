"""The whole anslagstavla on one day, grouped by kind as a kommun's board is (kommunallagen
8 kap. 10-11 §§): kungörelser of meetings, notices of justering, delegationsbeslut and the
notices other laws require. Each group lists what is up, what is coming and what has come
down. No I/O.

The notices of justering come from ``notice``; a meeting's kungörelse from ``meeting``; the
other notices from ``announcement``. Each is made a ``Posting``: what the board, the feed
and the browser-side date correction need of any notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..core.swedish import swedish_date
from ..domain.meetings import Announcement, AnnouncementKind, Meeting
from ..domain.model import Protocol, Summary
from . import announcement, law, meeting, notice, publog

GROUPS = (
    ("sammantraden", "Kungörelser om sammanträden"),
    ("justeringar", "Justerade protokoll"),
    ("delegationsbeslut", "Delegationsbeslut"),
    ("ovriga", "Övriga kungörelser och tillkännagivanden"),
)


@dataclass(frozen=True)
class Posting:
    """One notice on the board, of any kind: its group, when it is up, and what it is
    (``subject``: a ``notice.Notice``, a ``Meeting`` or an ``Announcement``)."""

    group: str
    ident: str
    title: str
    url: str  # the page that shows it (its anslagsbevis, the meeting's kungörelse)
    posted: date
    comes_down: date | None  # None: up until a day is written
    subject: notice.Notice | Meeting | Announcement
    appeal_last_day: date | None = None
    label: str = ""  # what kind of notice it is, as readers are told

    def state(self, today: date) -> notice.State:
        if today < self.posted:
            return notice.State.UPCOMING
        if self.comes_down is None or today < self.comes_down:
            return notice.State.CURRENT
        return notice.State.ENDED


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    current: tuple[Posting, ...]
    upcoming: tuple[Posting, ...]
    ended: tuple[Posting, ...]
    older: int = 0  # earlier notices not listed (see notice.EARLIER_SHOWN)


@dataclass(frozen=True)
class Board:
    today: date
    groups: tuple[Group, ...]

    @property
    def current(self) -> tuple[Posting, ...]:
        return tuple(p for g in self.groups for p in g.current)

    @property
    def ended(self) -> tuple[Posting, ...]:
        return tuple(p for g in self.groups for p in g.ended)

    @property
    def upcoming(self) -> tuple[Posting, ...]:
        return tuple(p for g in self.groups for p in g.upcoming)


def justering(each: notice.Notice) -> Posting:
    protocol = each.protocol
    return Posting(
        "justeringar",
        each.ident,
        f"{protocol.organ.name} – sammanträde {swedish_date(protocol.date)}",
        protocol.anslagsbevis_url,
        each.posted,
        each.comes_down,
        each,
        each.dates.appeal_last_day,
        "Justerat protokoll",
    )


def kungorelse(held: Meeting) -> Posting:
    assert held.kungorelse is not None
    return Posting(
        "sammantraden",
        f"kungorelse-{held.ident}",
        f"{held.organ.name} – sammanträde {swedish_date(held.held_on or held.date)}",
        held.kungorelse_url,
        held.kungorelse.posted,
        meeting.comes_down(held),
        held,
        label="Kungörelse om sammanträde",
    )


def other(posted: Announcement, calendar: law.Calendar) -> Posting:
    group = "delegationsbeslut" if posted.kind is AnnouncementKind.DELEGATION else "ovriga"
    return Posting(
        group,
        f"anslag-{posted.posted.year}-{posted.slug}",
        posted.title,
        posted.url,
        posted.posted,
        announcement.comes_down(posted, calendar),
        posted,
        calendar.appeal_last_day(posted.posted) if posted.appeal else None,
        announcement.TITLES[posted.kind],
    )


def postings(
    protocols: Iterable[Protocol | Summary],
    meetings: Iterable[Meeting],
    announcements: Iterable[Announcement],
    calendar: law.Calendar,
) -> list[Posting]:
    """Every notice the board ever shows (drafts are not given), newest first."""
    found = [justering(n) for p in protocols for n in notice.notices(p, calendar)]
    found += [kungorelse(m) for m in meetings if m.kungorelse is not None and not m.is_draft]
    found += [other(a, calendar) for a in announcements if not a.is_draft]
    return sorted(found, key=lambda p: (p.posted, p.ident), reverse=True)


def periods(
    document: Protocol | Summary | Announcement, calendar: law.Calendar
) -> list[publog.Period]:
    """The appeal periods of a document's notices: a protocol's notices of justering, or the
    notice itself (for a notice without an appeal period, its day up)."""
    if isinstance(document, Announcement):
        posting = other(document, calendar)
        last_day = posting.appeal_last_day or posting.posted
        return [publog.Period(posting.ident, posting.posted, last_day)]
    return [
        publog.Period(n.ident, n.posted, n.dates.appeal_last_day)
        for n in notice.notices(document, calendar)
    ]


def seen(
    history: publog.History, document: Protocol | Summary | Announcement, calendar: law.Calendar
) -> dict[str, publog.Seen]:
    """What the publication log says of each of a document's notices, as its anslagsbevis
    (page and PDF) shows it: the first and last builds that showed it, and where the board may
    have been down in its appeal period. Nothing without a log (a build that does not
    publish)."""
    if not history.entries:
        return {}
    return history.seen(periods(document, calendar))


def source_of(posting: Posting) -> tuple[str, int]:
    """The content file and line a notice comes from, for problems about it."""
    subject = posting.subject
    if isinstance(subject, notice.Notice):
        protocol = subject.protocol
        if isinstance(protocol, Summary):
            return protocol.path, protocol.date_line
        return protocol.path, protocol.source.line_of("anslag", "posted")
    if isinstance(subject, Meeting):
        return subject.path, subject.source.line_of("kungorelse", "posted")
    return subject.path, subject.source.line_of("posted")


def shown(posting: Posting) -> publog.Shown:
    """The notice as the publication log keeps it: its identity and the digest of what the
    board says of it."""
    facts = (
        posting.ident,
        posting.group,
        posting.title,
        posting.url,
        posting.posted,
        posting.comes_down,
        posting.appeal_last_day,
    )
    return publog.Shown(posting.ident, publog.notice_digest(facts))


def board(
    protocols: Iterable[Protocol | Summary],
    meetings: Iterable[Meeting],
    announcements: Iterable[Announcement],
    today: date,
    calendar: law.Calendar,
) -> Board:
    """The board on ``today``: per group, what is up, what is coming and the newest
    ``notice.EARLIER_SHOWN`` that came down."""
    every = postings(protocols, meetings, announcements, calendar)
    groups = []
    for key, title in GROUPS:
        by_state: dict[notice.State, list[Posting]] = {state: [] for state in notice.State}
        for each in every:
            if each.group == key:
                by_state[each.state(today)].append(each)
        ended = by_state[notice.State.ENDED]
        groups.append(
            Group(
                key,
                title,
                tuple(by_state[notice.State.CURRENT]),
                tuple(by_state[notice.State.UPCOMING]),
                tuple(ended[: notice.EARLIER_SHOWN]),
                max(0, len(ended) - notice.EARLIER_SHOWN),
            )
        )
    return Board(today, tuple(groups))
