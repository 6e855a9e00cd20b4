"""The archive as open data: one JSON document per protocol, one of the meetings (the
sammanträdesplan with each kallelse's ärenden and handlingar) and an index of them all.

The structure borrows OParl's vocabulary (Meeting, Organization, AgendaItem, Person, File) in
plain JSON and is documented in docs/open-data.md. Only what the public pages show is exported:
drafts never, and the same content gives the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html import unescape
from pathlib import PurePosixPath
from typing import Any

from . import ical, meeting, notice
from .law import Calendar
from .model import (
    Addressed,
    Archive,
    Attachment,
    Meeting,
    MeetingStatus,
    Person,
    Plan,
    Protocol,
    Summary,
)
from .swedish import swedish_date

FOLDER = "data"
FORMAT = "justerat-opendata/1"
MEETINGS_PATH = f"{FOLDER}/sammantraden.json"
# the media types of the kinds of handlingar a meeting may have (``attachments.KINDS``)
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".txt": "text/plain",
}


_TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _person(person: Person) -> dict[str, Any]:
    fields = {
        "name": person.name,
        "party": person.party,
        "represents": person.represents,
        "role": person.role,
        "title": person.title,
        "note": person.note,
        "replaces": person.replaces,
    }
    return {k: v for k, v in fields.items() if v is not None}


def protocol_path(protocol: Addressed) -> str:
    return f"{FOLDER}/protokoll/{protocol.organ.slug}/{protocol.date.isoformat()}.json"


def protocol_document(protocol: Protocol, base: str, calendar: Calendar) -> dict[str, Any]:
    attendees = protocol.attendees
    return {
        "format": FORMAT,
        "type": "Meeting",
        "id": f"{base}{protocol.url}",
        "web": f"{base}{protocol.url}",
        "pdf": f"{base}{protocol.pdf_url}",
        "organization": {"id": protocol.organ.slug, "name": protocol.organ.name},
        "date": protocol.date.isoformat(),
        "start": protocol.start,
        "end": protocol.end,
        "location": protocol.place,
        "digital": protocol.digital,
        "attendees": {
            "voting": [_person(p) for p in attendees.voting],
            "servingSubstitutes": [_person(p) for p in attendees.serving_substitutes],
            "substitutes": [_person(p) for p in attendees.substitutes],
            "absent": [_person(p) for p in attendees.absent],
            "others": [_person(p) for p in attendees.others],
        },
        "chair": protocol.chair,
        "secretary": _person(protocol.secretary),
        "justerare": list(protocol.justerare),
        "justering": {
            "date": protocol.justering.date.isoformat(),
            "digital": protocol.justering.digital,
            "place": protocol.justering.place,
        }
        if protocol.justering
        else None,
        "notices": [
            {
                "paragraphs": list(n.paragraphs),
                "immediate": n.immediate,
                "justering": n.justering.isoformat(),
                "posted": n.posted.isoformat(),
                "takenDown": n.comes_down.isoformat(),
                "appealLastDay": n.dates.appeal_last_day.isoformat(),
                "anslagsbevis": f"{base}{protocol.anslagsbevis_url}",
            }
            for n in notice.notices(protocol, calendar)
        ],
        "keptAt": protocol.kept_at,
        "agendaItems": [
            {
                "type": "AgendaItem",
                "number": p.number,
                "name": p.title,
                "web": f"{base}{protocol.url}#{p.anchor}",
                "text": p.text,
                "parts": [
                    {"kind": part.kind.value, "heading": part.heading, "text": _text(part.html)}
                    for part in p.parts
                ],
                "decision": _text(p.decision.html) if p.decision else None,
            }
            for p in protocol.paragraphs
        ],
    }


def plan_entry(plan: Plan, base: str) -> dict[str, Any]:
    return {
        "type": "Plan",
        "title": plan.title,
        "year": plan.year,
        "adopted": plan.adopted.isoformat() if plan.adopted else None,
        "organization": plan.organ.slug if plan.organ else None,
        "web": f"{base}{plan.url}",
        "pdf": f"{base}{plan.pdf_url}",
    }


def _dump(value: Any) -> bytes:
    # compact, not indented: Python's JSON encoder indents only in pure Python, which made the
    # data documents a fifth of the time of rendering a protocol; browsers and tools lay it out
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def document(protocol: Protocol, base: str, calendar: Calendar) -> bytes:
    """The JSON document of one protocol."""
    return _dump(protocol_document(protocol, base, calendar))


def index(archive: Archive) -> bytes:
    """The index of the whole archive: every meeting and plan, with links to their data."""
    base = archive.settings.base_url
    return _dump(
        {
            "format": FORMAT,
            "organization": archive.settings.organisation,
            "web": base,
            "bodies": [{"id": b.slug, "name": b.name} for b in archive.settings.bodies],
            "meetings": [
                {
                    "organization": p.organ.slug,
                    "date": p.date.isoformat(),
                    "paragraphs": list(p.numbers),
                    "data": f"{base}{protocol_path(p)}",
                    "web": f"{base}{p.url}",
                }
                for p in archive.protocols
            ],
            "plans": [plan_entry(p, base) for p in archive.plans],
            "meetingSchedule": f"{base}{MEETINGS_PATH}",
        }
    )


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _file(attachment: Attachment, base: str) -> dict[str, Any]:
    name = PurePosixPath(attachment.address).name
    return {
        "type": "File",
        "accessUrl": f"{base}{attachment.address}",
        "size": attachment.size,
        "mimeType": MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream"),
        "name": name,
    }


def _agenda(each: Meeting, protocol: Summary | None, base: str) -> list[dict[str, Any]]:
    items = []
    for found in meeting.handled(each, protocol):
        item = found.item
        fields = {
            "type": "AgendaItem",
            "number": item.number,
            "name": item.title,
            "web": f"{base}{each.url}#arende-{item.number}",
            "diarienummer": item.diarienummer,
            "proposal": item.proposal,
            "paragraph": found.paragraph,
            "auxiliaryFile": [_file(a, base) for a in item.handlingar],
        }
        items.append({k: v for k, v in fields.items() if v is not None})
    return items


def _moved(each: Meeting) -> dict[str, Any] | None:
    """Where a moved meeting was first planned: its own start, end and place are the new."""
    if each.status is not MeetingStatus.MOVED:
        return None
    start, end = ical.span(each, planned=True)
    return {
        "originalStart": _moment(start),
        "originalEnd": _moment(end),
        "originalLocation": {"type": "Location", "description": each.place},
    }


def meeting_entry(each: Meeting, protocol: Summary | None, base: str) -> dict[str, Any]:
    """One meeting as OParl's Meeting: when and where (as moved), its ärenden and its protocol."""
    start, end = ical.span(each)
    day = each.held_on or each.date
    notice_ = each.kungorelse
    return {
        "type": "Meeting",
        "id": f"{base}{each.url}",
        "web": f"{base}{each.url}",
        "name": f"{each.organ.name} – sammanträde {swedish_date(day)}",
        "organization": {"id": each.organ.slug, "name": each.organ.name},
        "status": each.status.value,
        "cancelled": each.status is MeetingStatus.CANCELLED,
        "reason": each.reason,
        "start": _moment(start),
        "end": _moment(end),
        "location": {"type": "Location", "description": ical.place(each)},
        "moved": _moved(each),
        "kungorelse": {
            "posted": notice_.posted.isoformat(),
            "takenDown": meeting.comes_down(each).isoformat(),
            "web": f"{base}{each.kungorelse_url}",
        }
        if notice_
        else None,
        "agendaItem": _agenda(each, protocol, base),
        "resultsProtocol": {
            "type": "File",
            "accessUrl": f"{base}{protocol.pdf_url}",
            "mimeType": "application/pdf",
            "web": f"{base}{protocol.url}",
            "data": f"{base}{protocol_path(protocol)}",
        }
        if protocol
        else None,
    }


def _with_protocols(archive: Archive) -> list[tuple[Meeting, Summary | None]]:
    """The published meetings in the order they are held, each with its protocol (as
    ``meeting.protocol_of`` finds it, by the body and the day held)."""
    held: dict[tuple[str, date], Summary] = {}
    for protocol in archive.protocols:
        held.setdefault((protocol.organ.slug, protocol.date), protocol)
    return [
        (each, held.get((each.organ.slug, each.held_on)) if each.held_on else None)
        for each in ical.shown(archive.meetings)
    ]


def meetings(archive: Archive) -> bytes:
    """The document of every published meeting, of every body, in the order they are held."""
    base = archive.settings.base_url
    return _dump(
        {
            "format": FORMAT,
            "organization": archive.settings.organisation,
            "web": f"{base}{ical.FOLDER}/",
            "calendar": f"{base}{ical.path()}",
            "meetings": [
                meeting_entry(each, protocol, base) for each, protocol in _with_protocols(archive)
            ],
        }
    )


def meetings_key(archive: Archive) -> tuple[str, ...]:
    """What the meetings' document is made from besides the settings: each meeting's source
    and handlingar, and its protocol (its key, and the titles its ärenden are found by)."""
    parts = []
    for each, protocol in _with_protocols(archive):
        sizes = ",".join(str(a.size) for a in each.attachments)
        found = f"{protocol.key}{protocol.titles!r}" if protocol else ""
        parts.append(f"{each.path}\0{each.source.digest}\0{sizes}\0{found}")
    return tuple(parts)
