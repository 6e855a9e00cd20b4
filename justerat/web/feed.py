"""The Atom feed of notices on the anslagstavla, for feed readers: every kind of notice
(kungörelser of meetings, justeringar, delegationsbeslut, the others).

One entry per notice posted on or before the build day, newest first, with absolute links from
the site's base URL. Every date comes from the content, so the same content and day give the
same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from ..core.swedish import swedish_date
from ..domain.meetings import Meeting
from ..domain.model import Archive
from ..legal import board, notice
from ..legal.announcement import TITLES
from ..legal.law import Calendar

PATH = "anslagstavla/anslag.xml"
ENTRIES = 100  # the newest notices; the board's archive holds the rest
SWEDEN = ZoneInfo("Europe/Stockholm")


def moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), SWEDEN)


def started(page: str, title: str, subtitle: str, author: str, address: str) -> Any:
    """A Swedish Atom feed of the page ``page`` (its id and alternate link), at ``address``."""
    from feedgen.feed import FeedGenerator  # only when a feed is made: a build may not need it

    generator = FeedGenerator()
    generator.id(page)
    generator.title(title)
    generator.subtitle(subtitle)
    generator.author({"name": author})
    generator.link(href=page, rel="alternate")
    generator.link(href=address, rel="self")
    generator.language("sv")
    generator.generator("Justerat")
    return generator


def atom(archive: Archive, today: date, calendar: Calendar) -> bytes:
    site = archive.settings
    base = site.base_url
    every = board.postings(archive.protocols, archive.meetings, archive.announcements, calendar)
    posted = [each for each in every if each.posted <= today][:ENTRIES]
    generator = started(
        f"{base}anslagstavla/",
        f"Anslagstavla – {site.organisation}",
        "Kungörelser och tillkännagivanden på anslagstavlan",
        site.organisation,
        f"{base}{PATH}",
    )
    generator.updated(moment(posted[0].posted if posted else date(1970, 1, 1)))
    for each in reversed(posted):  # feedgen prepends: the newest ends up first
        entry = generator.add_entry()
        entry.id(f"{base}{each.url}#{each.ident}")
        entry.title(_title(each))
        entry.link(href=f"{base}{each.url}", rel="alternate")
        entry.summary(_summary(each))
        entry.published(moment(each.posted))
        entry.updated(moment(each.posted))
    data: bytes = generator.atom_str(pretty=True)
    return data


def _title(each: board.Posting) -> str:
    subject = each.subject
    if isinstance(subject, notice.Notice):
        protocol = subject.protocol
        return (
            f"{protocol.organ.name} {swedish_date(protocol.date)}: "
            f"protokollet är justerat ({subject.paragraph_span})"
        )
    if isinstance(subject, Meeting):
        return f"Kungörelse: {each.title}"
    return f"{TITLES[subject.kind]}: {subject.title}"


def _summary(each: board.Posting) -> str:
    text = f"Anslaget uppsatt {swedish_date(each.posted)}."
    if each.appeal_last_day is not None:
        text += f" Sista dag att överklaga: {swedish_date(each.appeal_last_day)}."
    subject = each.subject
    if isinstance(subject, notice.Notice):
        text += f" Protokollet förvaras: {subject.protocol.kept_at}."
    elif isinstance(subject, Meeting):
        day = subject.held_on or subject.date
        text += f" Sammanträdet hålls {swedish_date(day)} kl. {subject.time}, {subject.place}."
    else:
        text += f" {subject.issuer}. Handlingarna förvaras: {subject.kept_at}."
    return text
