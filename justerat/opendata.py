"""The archive as open data: one JSON document per protocol and an index of them all.

The structure borrows OParl's vocabulary (Meeting, Organization, AgendaItem, Person) in plain
JSON and is documented in docs/open-data.md. Only what the public pages show is exported:
drafts never, and the same content gives the same bytes.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from . import notice
from .law import Calendar
from .model import Addressed, Archive, Person, Plan, Protocol

FOLDER = "data"
FORMAT = "justerat-opendata/1"


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
        }
    )
