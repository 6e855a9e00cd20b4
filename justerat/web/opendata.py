"""The archive as open data: one JSON document per protocol, one of the meetings (the
sammanträdesplan with each kallelse's ärenden and handlingar), one of the people in the bodies'
registers, and an index of them all.

The structure borrows OParl's vocabulary (Meeting, Organization, AgendaItem, Person,
Membership, File) and, for an omröstning, Popolo's (VoteEvent, Count, Vote) in plain JSON. It
is documented in docs/open-data.md and published as JSON Schemas (``OPEN_DATA_SCHEMAS``, at
/schema/ on the site). Only what the public pages show is exported, and of an imported protocol
where it came from (``imported``: the source file's name and the lines of it kept verbatim,
which are words of the public protocol): drafts never, nothing of a paragraph kept off the web,
and the same content gives the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html import unescape
from importlib import resources
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from ..core.swedish import swedish_date
from ..domain.meetings import Attachment, Meeting, MeetingStatus
from ..domain.model import (
    Addressed,
    Archive,
    Paragraph,
    Person,
    Plan,
    Proceedings,
    Protocol,
    Statement,
    Summary,
    Vote,
)
from ..domain.settings import Body, Member, Settings
from ..legal import decisions, meeting, notice, people
from ..legal.law import Calendar
from . import ical

FOLDER = "data"
FORMAT = "justerat-opendata/1"
MEETINGS_PATH = f"{FOLDER}/sammantraden.json"
PEOPLE_PATH = f"{FOLDER}/personer.json"
PERSON_PAGES = "ledamoter"  # a person's page: /ledamoter/<id>/ (``people.ident``)
# The JSON Schemas of the documents, published at /schema/opendata-<kind>.schema.json
OPEN_DATA_SCHEMAS = ("index", "protocol", "meetings", "people", "forfattningar")
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


def schema_text(kind: str) -> str:
    """The published JSON Schema of the open-data document ``kind`` (``OPEN_DATA_SCHEMAS``)."""
    path = f"schema/opendata-{kind}.schema.json"
    return resources.files("justerat").joinpath(path).read_text("utf-8")


class Who(NamedTuple):
    """Who a protocol's names are (``people.Names``), and each one's party as it gives it."""

    names: people.Names
    parties: dict[str, str]


def _ref(name: str, who: Who) -> dict[str, Any]:
    """A person named in a protocol's proceedings: their id (as in personer.json and the
    person's page; left out for a name the protocol does not tell between namesakes), name
    and, when the protocol says, party. One of two namesakes at the meeting, named with their
    party ('Anders Andersson (S)'), has the name and the party apart."""
    plain, party = (name, None) if people.key(name) in who.names.listed else people.split(name)
    found = {
        "id": who.names.of(name),
        "name": plain,
        "party": party or who.parties.get(people.key(name)),
    }
    return {k: v for k, v in found.items() if v is not None}


def _refs(names: tuple[str, ...], who: Who) -> list[dict[str, Any]]:
    return [_ref(name, who) for name in names]


def _who(protocol: Protocol, register: people.Register) -> Who:
    """Who the protocol's names are, and each person's party as the protocol gives it, by
    ``people.key`` of the name (not for a name two namesakes at the meeting share)."""
    names = people.Names(
        register, protocol.organ.slug, protocol.date, protocol.attendees, protocol.proceedings
    )
    listed = protocol.attendees.present + protocol.attendees.absent
    serving = tuple(p for facts in protocol.proceedings for p in facts.serving)
    parties = {
        people.key(p.name): p.party
        for p in listed + serving
        if p.party and people.key(p.name) not in names.shared
    }
    return Who(names, parties)


def _statements(statements: tuple[Statement, ...], who: Who) -> list[Any]:
    return [{"by": _refs(s.by, who), "text": s.text} for s in statements]


def _reservations(statements: tuple[Statement, ...], who: Who) -> list[Any]:
    return [{"by": _refs(s.by, who), "against": s.against, "text": s.text} for s in statements]


VOTE_OPTIONS = ("yes", "no", "abstain")


def vote_event(vote: Vote, who: Who) -> dict[str, Any]:
    """An omröstning as Popolo's VoteEvent: the motion (what a ja vote is for), whether it
    passed, the count of each option and, when the protocol names the voters, each vote."""
    sides = dict(zip(VOTE_OPTIONS, (vote.yes, vote.no, vote.abstain), strict=True))
    return {
        "type": "VoteEvent",
        "motion": {"type": "Motion", "text": vote.yes_means} if vote.yes_means else None,
        "yesMeans": vote.yes_means,
        "noMeans": vote.no_means,
        "result": "pass" if vote.result == "yes" else "fail",
        "winningOption": vote.result,
        "byName": vote.by_name,
        "counts": [
            {"type": "Count", "option": option, "value": Vote.count(side)}
            for option, side in sides.items()
        ],
        "votes": [
            {"type": "Vote", "option": option, "voter": _ref(name, who)}
            for option, side in sides.items()
            if not isinstance(side, int)
            for name in side
        ],
    }


def _recorded(facts: Proceedings, who: Who) -> dict[str, Any]:
    """What the protocol records at one paragraph, each key only when it is recorded."""
    found: dict[str, Any] = {
        "jav": _refs(facts.jav, who),
        "proposals": _statements(facts.proposals, who),
        "propositionOrder": facts.proposition_order,
        "voteEvent": vote_event(facts.vote, who) if facts.vote else None,
        "reservations": _reservations(facts.reservations, who),
        "notes": _statements(facts.notes, who),
    }
    return {k: v for k, v in found.items() if v}


def _attendance(
    here: decisions.Serving, facts: Proceedings | None, who: Who, listed: bool = True
) -> dict[str, Any]:
    """Who served at one paragraph, and the changes of attendance recorded there (only the
    changes when the protocol does not list its beslutande: who served is then not known)."""
    found: dict[str, Any] = (
        {"present": _refs(here.present, who), "deciding": _refs(here.deciding, who)}
        if listed
        else {}
    )
    if facts is not None:
        changes = {
            "arrived": _refs(facts.arrived, who),
            "left": _refs(facts.left, who),
            "substitutes": [
                _ref(who.names.shown(p), who) | {"replaces": p.replaces} for p in facts.serving
            ],
        }
        found |= {k: v for k, v in changes.items() if v}
    return found


def proceedings(protocol: Protocol, register: people.Register) -> dict[int, dict[str, Any]]:
    """By paragraph, what the open data adds to an agenda item from the proceedings: who
    served there (for every paragraph, when the protocol records proceedings at all) and the
    jäv, proposals, vote, reservations and notes recorded at it. Nothing of a paragraph kept
    off the web. ``register``: the registers of all bodies, who the names are."""
    if not protocol.proceedings:
        return {}
    who = _who(protocol, register)
    serving = decisions.serving(protocol)
    facts = {p.paragraph: p for p in protocol.proceedings}
    listed = not protocol.attendees.by_reference
    found = {}
    for paragraph in protocol.paragraphs:
        if paragraph.hidden:
            continue
        here = facts.get(paragraph.number)
        attendance = _attendance(serving[paragraph.number], here, who, listed)
        item = {"attendance": attendance} if attendance else {}
        found[paragraph.number] = item | (_recorded(here, who) if here else {})
    return found


def protocol_path(protocol: Addressed) -> str:
    return f"{FOLDER}/protokoll/{protocol.organ.slug}/{protocol.date.isoformat()}.json"


def protocol_document(
    protocol: Protocol, base: str, calendar: Calendar, register: people.Register
) -> dict[str, Any]:
    attendees = protocol.attendees
    recorded = proceedings(protocol, register)
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
        }
        | ({"note": attendees.note} if attendees.note else {}),
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
            _agenda_item(p, f"{base}{protocol.url}") | recorded.get(p.number, {})
            for p in protocol.paragraphs
        ],
    } | _imported(protocol)


def _agenda_item(paragraph: Paragraph, web: str) -> dict[str, Any]:
    """A paragraph as OParl's AgendaItem (``web``: its protocol's page); ``diarienummer`` when
    the § states one."""
    dnr = {"diarienummer": paragraph.dnr} if paragraph.dnr else {}
    return {
        "type": "AgendaItem",
        "number": paragraph.number,
        "name": paragraph.title,
        "web": f"{web}#{paragraph.anchor}",
        **dnr,
        "text": paragraph.text,
        "parts": [
            {"kind": part.kind.value, "heading": part.heading, "text": _text(part.html)}
            for part in paragraph.parts
        ],
        "decision": _text(paragraph.decision.html) if paragraph.decision else None,
    }


def _imported(protocol: Protocol) -> dict[str, Any]:
    """Where an imported protocol came from, when its front matter still says (``imported``)."""
    source = protocol.imported
    if source is None:
        return {}
    found = {"file": source.file, "text": list(source.text) or None}
    return {"imported": {k: v for k, v in found.items() if v is not None}}


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


def document(protocol: Protocol, base: str, calendar: Calendar, register: people.Register) -> bytes:
    """The JSON document of one protocol (``register``: of all bodies, who its names are)."""
    return _dump(protocol_document(protocol, base, calendar, register))


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
            "persons": f"{base}{PEOPLE_PATH}",
        }
    )


def person_pages(settings: Settings) -> bool:
    """Whether the site has a page per person (``person_pages`` in site.yaml, default true)."""
    return bool(getattr(settings, "person_pages", True))


def _membership(body: Body, member: Member) -> dict[str, Any]:
    """One term of a person in a body's register, as OParl's Membership."""
    return {
        "type": "Membership",
        "organization": {"id": body.slug, "name": body.name},
        "role": member.role or "ledamot",
        "votingRight": not member.is_substitute,
        "party": member.party,
        "represents": member.represents,
        "startDate": member.start.isoformat() if member.start else None,
        "endDate": member.end.isoformat() if member.end else None,
    }


def persons(settings: Settings) -> list[dict[str, Any]]:
    """Everyone in the bodies' registers (site.yaml) as OParl's Person, with a Membership for
    each body, role and term; one person per id (``people.ident``: the register's id, else
    the slug of the name), in the order of the ids; ``web`` their page when the site has
    person pages."""
    base = settings.base_url
    found: dict[str, dict[str, Any]] = {}
    for body in settings.bodies:
        for member in body.members:
            ident = people.ident(member)
            person = found.setdefault(ident, {"type": "Person", "id": ident, "name": member.name})
            if person_pages(settings):
                person["web"] = f"{base}{PERSON_PAGES}/{ident}/"
            person.setdefault("membership", []).append(_membership(body, member))
    return [found[ident] for ident in sorted(found)]


def people_document(settings: Settings) -> bytes:
    """The document of the people in the bodies' registers: who sits where, in what role,
    for which term."""
    return _dump(
        {
            "format": FORMAT,
            "organization": settings.organisation,
            "web": settings.base_url,
            "persons": persons(settings),
        }
    )


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _file(attachment: Attachment, base: str) -> dict[str, Any]:
    name = attachment.name
    return {
        "type": "File",
        "accessUrl": f"{base}{attachment.address}",
        "size": attachment.size,
        "mimeType": MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream"),
        "name": attachment.label,  # its title, else a readable name made of the file's
        "fileName": name,
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
