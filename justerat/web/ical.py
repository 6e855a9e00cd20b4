"""The sammanträdesplan as iCalendar feeds (RFC 5545), for calendar programs to subscribe to:
every body's meetings in ``sammantraden/kalender.ics`` and each body's own in
``sammantraden/<organ>/kalender.ics``.

One event per published meeting (drafts never). Its UID is the body and the day the meeting
was first planned, so a calendar that subscribed keeps one event when the meeting is moved
(it gets the new day, time and place and SEQUENCE 1) or cancelled (STATUS:CANCELLED). Times
are Swedish (TZID Europe/Stockholm), with the zone's rules written into the file as a
VTIMEZONE for the years the events span, taken from the IANA time zone database. Every value
comes from the content, DTSTAMP too (the day the kungörelse was posted, else the day first
planned), so the same content gives the same bytes.

Every event has an end (DTEND): as the justerat protocol of the meeting records it (its
``time``, "18.30-19.55"), else as the kallelse gives it ("18.30-21.00"), else ``LENGTH`` after
the start the kallelse gives ("18.30"). A kallelse's time is always a real time, so no event is
all-day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from ..core.swedish import swedish_date
from ..domain.meetings import Meeting, MeetingStatus
from ..domain.model import Summary
from ..domain.settings import Body, Settings
from ..legal.meeting import protocol_of, times

if TYPE_CHECKING:  # the library is imported when a feed is made: a build may not need one
    from icalendar import Event, Timezone

FOLDER = "sammantraden"
NAME = "kalender.ics"
PRODID = "-//Justerat//Sammanträden//SV"
TZID = "Europe/Stockholm"
SWEDEN = ZoneInfo(TZID)
LENGTH = timedelta(hours=2)  # how long a meeting is taken to be when only its start is known

Observance = tuple[timedelta, str, bool]  # UTC offset, its name (CET), whether summer time
Transition = tuple[datetime, Observance, Observance]  # the instant (UTC), from, to


def path(body: Body | None = None) -> str:
    """Where the feed of all bodies' meetings, or of one body's, is."""
    return f"{FOLDER}/{body.slug}/{NAME}" if body else f"{FOLDER}/{NAME}"


def shown(meetings: Iterable[Meeting], body: Body | None = None) -> list[Meeting]:
    """The meetings a feed holds: published ones (of the body), in the order they are held."""
    found = [m for m in meetings if not m.is_draft and (body is None or m.organ.slug == body.slug)]
    return sorted(found, key=lambda m: (m.held_on or m.date, m.ident))


def _clock(text: str) -> time:
    hours, minutes = text.split(".")
    return time(int(hours), int(minutes))


def span(each: Meeting, planned: bool = False) -> tuple[datetime, datetime | None]:
    """When the meeting starts and ends (None: no end given), in Swedish time: on the day and
    at the time it was moved to, or as planned (also when cancelled, or when asked)."""
    moved = each.moved_to if each.status is MeetingStatus.MOVED and not planned else None
    day = moved.date if moved else each.date
    written = moved.time if moved and moved.time else each.time
    found = times(written)
    assert found is not None, written  # a meeting with no real time is refused when read
    start, end = found
    return (
        datetime.combine(day, _clock(start), SWEDEN),
        datetime.combine(day, _clock(end), SWEDEN) if end else None,
    )


def held(each: Meeting, protocols: Iterable[Summary]) -> tuple[str, str] | None:
    """The start and end the justerat protocol of the meeting records (None: no such
    protocol, or a cancelled meeting)."""
    if each.status is MeetingStatus.CANCELLED:
        return None
    found = protocol_of(each, protocols)
    return found.hours if found is not None and not found.is_draft and found.hours else None


def event_span(each: Meeting, protocols: Iterable[Summary] = ()) -> tuple[datetime, datetime]:
    """When the event starts and ends: as the protocol records it, else as the kallelse gives
    it, else ``LENGTH`` after the kallelse's start."""
    start, end = span(each)
    recorded = held(each, protocols)
    if recorded is not None:
        day = start.date()
        return (
            datetime.combine(day, _clock(recorded[0]), SWEDEN),
            datetime.combine(day, _clock(recorded[1]), SWEDEN),
        )
    return start, end if end is not None else start + LENGTH


def place(each: Meeting) -> str:
    moved = each.moved_to if each.status is MeetingStatus.MOVED else None
    return moved.place if moved and moved.place else each.place


def uid(each: Meeting, base_url: str) -> str:
    """The body and the day first planned, at the site's host: the same across builds, edits,
    moves and cancellation."""
    return f"{each.ident}@{urlparse(base_url).hostname}"


def _description(each: Meeting, base_url: str) -> str:
    lines: list[str] = []
    if each.status is MeetingStatus.CANCELLED:
        lines.append("Sammanträdet är inställt." + (f" {each.reason}" if each.reason else ""))
    elif each.status is MeetingStatus.MOVED:
        text = f"Sammanträdet är flyttat från {swedish_date(each.date)} kl. {each.time}."
        lines.append(text + (f" {each.reason}" if each.reason else ""))
    if each.items:
        lines.append("Ärenden:")
        for item in each.items:
            case = f" (dnr {item.diarienummer})" if item.diarienummer else ""
            lines.append(f"{item.number}. {item.title}{case}")
    else:
        lines.append("Ärendelistan är inte klar.")
    lines.append(f"Kallelse och handlingar: {base_url}{each.url}")
    return "\n".join(lines)


def _event(each: Meeting, base_url: str, protocols: Sequence[Summary]) -> Event:
    from icalendar import Event

    start, end = event_span(each, protocols)
    stamp = each.kungorelse.posted if each.kungorelse else each.date
    event = Event()
    event.add("uid", uid(each, base_url))
    event.add("dtstamp", datetime.combine(stamp, time(0, 0), UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{each.organ.name} – sammanträde")
    event.add("location", place(each))
    event.add("url", f"{base_url}{each.url}")
    event.add("description", _description(each, base_url))
    cancelled = each.status is MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # revised once: moved (a new day, time or place) or cancelled
    event.add("sequence", 0 if each.status is MeetingStatus.PLANNED else 1)
    event.add("transp", "OPAQUE")
    return event


def calendar(
    settings: Settings,
    meetings: Sequence[Meeting],
    body: Body | None = None,
    protocols: Sequence[Summary] = (),
) -> bytes:
    """The feed of the published meetings of all bodies, or of ``body`` (``protocols``: the
    archive's, which record when the meetings held began and ended)."""
    from icalendar import Calendar, vText

    found = shown(meetings, body)
    base = settings.base_url
    title = f"Sammanträden – {body.name}, {settings.organisation}" if body else None
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # text, with its commas escaped (icalendar writes an unknown property as it is)
    feed.add("x-wr-calname", vText(title or f"Sammanträden – {settings.organisation}"))
    feed.add("x-wr-caldesc", vText(f"Sammanträdesplan med kallelser: {base}{FOLDER}/"))
    feed.add("x-wr-timezone", TZID)
    years = years_of(found)
    if years is not None:
        feed.add_component(timezone(*years))
    for each in found:
        feed.add_component(_event(each, base, protocols))
    data: bytes = feed.to_ical()
    return data


def years_of(found: Sequence[Meeting]) -> tuple[int, int] | None:
    """The first and last year the meetings are held in (None: no meetings)."""
    if not found:
        return None
    days = [span(each)[0].year for each in found]
    return min(days), max(days)


def _observance(instant: datetime) -> Observance:
    local = instant.astimezone(SWEDEN)
    offset, name, summer = local.utcoffset(), local.tzname(), local.dst()
    assert offset is not None and name is not None
    return offset, name, bool(summer)


@cache
def transitions(first: int, last: int) -> tuple[Transition, ...]:
    """The changes of Swedish time from the start of the year ``first`` to the end of ``last``:
    each instant (UTC, to the second) with the observance before and after."""
    at = datetime(first, 1, 1, tzinfo=SWEDEN).astimezone(UTC)
    end = datetime(last + 1, 1, 1, tzinfo=SWEDEN).astimezone(UTC)
    found: list[Transition] = [(at, _observance(at), _observance(at))]
    day = timedelta(days=1)
    while at < end:
        before, after = _observance(at), _observance(at + day)
        if before != after:
            low, high = at, at + day  # low in the old observance, high in the new
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) // 2
                low, high = (middle, high) if _observance(middle) == before else (low, middle)
            found.append((high, before, after))
        at += day
    return tuple(found)


def timezone(first: int, last: int) -> Timezone:
    """The VTIMEZONE of Europe/Stockholm from the start of ``first`` to the end of ``last``: the
    observance in force at the start, then one STANDARD or DAYLIGHT per change, its onset in the
    local time before the change (RFC 5545, 3.6.5). One onset each, without RDATE or RRULE:
    the form every calendar program reads (vobject, for one, reads only the first of a
    multi-valued RDATE)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TZID)
    for instant, before, after in transitions(first, last):
        part = TimezoneDaylight() if after[2] else TimezoneStandard()
        part.add("dtstart", (instant + before[0]).replace(tzinfo=None))
        part.add("tzoffsetfrom", before[0])
        part.add("tzoffsetto", after[0])
        part.add("tzname", after[1])
        zone.add_component(part)
    return zone


def feeds(settings: Settings, meetings: Sequence[Meeting]) -> list[Body | None]:
    """The feeds of the site: all bodies' (None), then each body's that has meetings (as the
    body's sammanträdesplan page does, which links it)."""
    with_meetings = {m.organ.slug for m in meetings}
    return [None, *(b for b in settings.bodies if b.slug in with_meetings)]


@cache
def _library() -> str:
    """The version of the library that writes the feeds: a new one may write other bytes."""
    return f"icalendar {version('icalendar')}"


def key_of(
    meetings: Sequence[Meeting], body: Body | None, protocols: Sequence[Summary] = ()
) -> tuple[str, ...]:
    """What a feed is made from besides the settings: its meetings' sources and the times
    their protocols record, the changes of Swedish time over the years they span and the
    library that writes it."""
    found = shown(meetings, body)
    years = years_of(found)
    zone = repr(transitions(*years)) if years else ""
    return (
        path(body),
        _library(),
        zone,
        *(f"{m.path}\0{m.source.digest}\0{held(m, protocols)}" for m in found),
    )
