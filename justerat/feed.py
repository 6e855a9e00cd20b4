"""The Atom feed of notices on the anslagstavla, for feed readers.

One entry per notice posted on or before the build day, newest first, with absolute links from
the site's base URL. Every date comes from the content, so the same content and day give the
same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from . import notice
from .law import Calendar
from .model import Archive
from .swedish import swedish_date

PATH = "anslagstavla/anslag.xml"
ENTRIES = 100  # the newest notices; the board's archive holds the rest
SWEDEN = ZoneInfo("Europe/Stockholm")


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), SWEDEN)


def atom(archive: Archive, today: date, calendar: Calendar) -> bytes:
    from feedgen.feed import FeedGenerator  # only when the feed is made: a build may not need it

    site = archive.settings
    base = site.base_url
    board = notice.board(archive.protocols, today, calendar)
    posted = sorted(board.current + board.ended, key=lambda n: (n.posted, n.ident), reverse=True)
    posted = posted[:ENTRIES]
    generator = FeedGenerator()
    generator.id(f"{base}anslagstavla/")
    generator.title(f"Anslagstavla – {site.organisation}")
    generator.subtitle("Tillkännagivanden om justerade protokoll")
    generator.author({"name": site.organisation})
    generator.link(href=f"{base}anslagstavla/", rel="alternate")
    generator.link(href=f"{base}{PATH}", rel="self")
    generator.language("sv")
    generator.generator("Justerat")
    generator.updated(_moment(posted[0].posted if posted else date(1970, 1, 1)))
    for each in reversed(posted):  # feedgen prepends: the newest ends up first
        protocol = each.protocol
        title = (
            f"{protocol.organ.name} {swedish_date(protocol.date)}: "
            f"protokollet är justerat ({each.paragraph_span})"
        )
        summary = (
            f"Anslaget uppsatt {swedish_date(each.posted)}. Sista dag att överklaga: "
            f"{swedish_date(each.dates.appeal_last_day)}. Protokollet förvaras: {protocol.kept_at}."
        )
        entry = generator.add_entry()
        entry.id(f"{base}{protocol.anslagsbevis_url}#{each.ident}")
        entry.title(title)
        entry.link(href=f"{base}{protocol.anslagsbevis_url}", rel="alternate")
        entry.summary(summary)
        entry.published(_moment(each.posted))
        entry.updated(_moment(each.posted))
    data: bytes = generator.atom_str(pretty=True)
    return data
