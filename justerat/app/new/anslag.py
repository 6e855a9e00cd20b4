"""``new anslag SLAG``: the draft of a notice on the anslagstavla other than a justering or a
kungörelse: a delegationsbeslut with its decision fields and the last day of appeal, three weeks
from the day its notice is posted (kommunallagen 13 kap. 5 §, lag 1930:173); any other kind with
a day to take it down."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from ...core.problems import nearest
from ...domain.meetings import AnnouncementKind
from ...domain.settings import Settings
from ...legal import law
from ...reading.unfinished import (
    CHANGE,
    DECIDED_BY_PLACEHOLDER,
    ISSUER_PLACEHOLDER,
    NOTICE_TEXT_PLACEHOLDER,
)
from .common import (
    NOTICES,
    Draft,
    Refused,
    comment,
    long_day,
    moved,
    one_line,
    quoted,
    refuse_existing,
    scalar,
)

NOTICE_TITLES = {
    AnnouncementKind.DELEGATION: "Delegationsbeslut",
    AnnouncementKind.PLANNING: "Kungörelse enligt plan- och bygglagen",
    AnnouncementKind.REGULATIONS: "Antagna föreskrifter",
    AnnouncementKind.VEHICLES: "Flyttning av fordon",
    AnnouncementKind.AUTHORITY: "Kungörelse från annan myndighet",
    AnnouncementKind.OTHER: "Anslag",
}


def notice_text(
    kind: AnnouncementKind,
    title: str,
    issuer: str,
    posted: date,
    calendar: law.Calendar,
) -> str:
    """A draft notice of ``kind``: a delegationsbeslut with its decision fields and the last
    day of appeal (KL 13:5) as a comment; any other kind with a day to take it down."""
    lines = [
        "---",
        f"# Anslag på anslagstavlan ({kind.value}). Ett utkast: det publiceras först när",
        "# status är published, från dagen i posted.",
        f"kind: {kind.value}",
        "status: draft  # draft | published",
        f"title: {scalar(title)}",
        f"issuer: {scalar(issuer)}  # ett organs kortnamn i site.yaml eller en myndighets namn",
        f"posted: {posted.isoformat()}  # dagen anslaget sätts upp",
    ]
    unmoved = posted + timedelta(weeks=law.APPEAL_WEEKS)
    last = calendar.appeal_last_day(posted)
    down = calendar.earliest_take_down(posted)
    if kind is AnnouncementKind.DELEGATION:
        lines += [
            f"decided: {posted.isoformat()}  # {CHANGE}: dagen beslutet fattades",
            f"decided_by: {quoted(DECIDED_BY_PLACEHOLDER)}",
            '# diarienummer: "2026/12"',
            *comment(
                f"Sista dag att överklaga: {long_day(last)} ({last.isoformat()}), tre veckor från "
                f"dagen anslaget sätts upp, KL 13 kap. 5 §{moved(calendar, unmoved, last)}. "
                f"Anslaget tas ned tidigast {long_day(down)} ({down.isoformat()}). Räknat från "
                f"posted {posted.isoformat()}: ändras posted, ändras dagarna."
            ),
        ]
    else:
        lines += [
            f"taken_down: {down.isoformat()}  # dagen anslaget tas ned; ändra vid behov",
            "# (förslaget är dagen efter tre veckor, som för ett beslut som kan överklagas)",
        ]
        if kind is AnnouncementKind.PLANNING:
            lines += [
                "# appeal: true  # för ett beslut som överklagas från dagen det tillkännagavs",
                "#               # (plan- och bygglagen 13 kap. 16 §)",
            ]
    lines += ["---", NOTICE_TEXT_PLACEHOLDER, ""]
    return "\n".join(lines)


def notice_slug(title: str) -> str:
    """A file name (and address) from a title: 'Bygglov för Hamnen 3' → 'bygglov-for-hamnen-3'."""
    plain = unicodedata.normalize("NFKD", title.casefold())
    ascii_text = "".join(c for c in plain if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > 60:
            break
        slug = longer
    return slug


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def notice(
    content: Path,
    site: Settings,
    kind: AnnouncementKind,
    title: str | None,
    issuer: str | None,
    posted: date,
    calendar: law.Calendar,
) -> Draft:
    """The draft of a notice of ``kind`` posted on ``posted``."""
    notes = []
    if issuer is None:
        if len(site.bodies) == 1 and kind is not AnnouncementKind.AUTHORITY:
            issuer = site.bodies[0].slug
        else:
            issuer = ISSUER_PLACEHOLDER
            notes.append(f"Ange vem som utfärdar anslaget under issuer: ({CHANGE}).")
    elif _SLUG.match(issuer) and site.body(issuer) is None:
        hint = nearest(issuer, [b.slug for b in site.bodies])
        if hint:
            raise Refused(
                f"organet '{issuer}' finns inte i {site.path}; menade du '{hint}'? "
                "(En annan myndighet skrivs med sitt namn, till exempel 'Länsstyrelsen i "
                "Stockholms län'.)"
            )
    slug = notice_slug(title) if title else ""
    slug = slug or f"{kind.value}-{posted.isoformat()}"
    path = content / NOTICES / str(posted.year) / f"{slug}.md"
    refuse_existing(path, "; välj en annan titel med --title")
    if title is None:
        notes.append(f"Skriv anslagets rubrik under title: ({CHANGE}).")
    steps = ["Skriv anslagets text och ändra det som är märkt ÄNDRA."]
    if kind is AnnouncementKind.DELEGATION:
        last = calendar.appeal_last_day(posted)
        steps.append(
            f"Sista dag att överklaga blir {long_day(last)} om anslaget sätts upp "
            f"{long_day(posted)} (KL 13 kap. 5 §)."
        )
    steps += [
        "Sätt status: published; anslaget visas på anslagstavlan från dagen i posted.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    ]
    return Draft(
        path,
        notice_text(kind, one_line(title or NOTICE_TITLES[kind]), issuer, posted, calendar),
        f"anslag ({kind.value}) {long_day(posted)}",
        tuple(notes),
        tuple(steps),
    )
