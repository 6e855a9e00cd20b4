"""Validated sources → typed records (settings, protocols, plans).

Each function takes a ``Source`` whose front matter passed its schema and returns the record,
or problems where the content is well-formed but still cannot be modelled (a body that is
not in site.yaml, an impossible time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.problems import Problem, error, nearest
from ..domain.model import (
    Acknowledgement,
    Anslag,
    Attendance,
    ImmediateJustering,
    Imported,
    Justering,
    Person,
    Plan,
    Proceedings,
    Protocol,
    Statement,
    Status,
    Vote,
    Withdrawal,
)
from ..domain.settings import (
    Body,
    BodyKind,
    Delivery,
    Identity,
    Member,
    SealSettings,
    Settings,
)
from ..domain.source import Source
from . import markdown


def settings(source: Source) -> Settings:
    meta = source.meta
    bodies = tuple(
        Body(
            slug,
            str(value["name"]),
            BodyKind(value.get("kind", BodyKind.NAMND)),
            tuple(_member(member) for member in value.get("members") or ()),
        )
        for slug, value in meta["bodies"].items()  # in site.yaml's order, everywhere
    )
    return Settings(
        organisation=meta["organisation"],
        base_url=meta["base_url"],
        kept_at=meta["kept_at"],
        bodies=bodies,
        organisation_type=meta["organisation_type"],
        appeal_court=meta["appeal"]["court"],
        appeal_address=meta["appeal"].get("address"),
        contact_email=meta["contact"]["email"],
        contact_phone=meta["contact"].get("phone"),
        contact_address=meta["contact"].get("address"),
        accessibility_assessed=date_or_none((meta.get("accessibility") or {}).get("assessed")),
        known_issues=tuple((meta.get("accessibility") or {}).get("known_issues") or ()),
        path=source.path,
        digest=source.digest,
        seal=SealSettings.of(meta.get("seal"), Path(source.path).parent),
        person_pages=bool(meta.get("person_pages", True)),
        identity=Identity.of(meta, Path(source.path).parent),
        delivery=_delivery(source),
    )


def _delivery(source: Source) -> Delivery:
    """site.yaml's ``earkiv``, with its line (0: it has none)."""
    given = source.meta.get("earkiv")
    return Delivery.of(given, source.line_of("earkiv") if given is not None else 0)


def _person(data: Mapping[str, Any]) -> Person:
    return Person(
        name=data["name"],
        party=data.get("party"),
        represents=data.get("represents"),
        role=data.get("role"),
        title=data.get("title"),
        note=data.get("note"),
        replaces=data.get("replaces"),
    )


def _member(data: Mapping[str, Any]) -> Member:
    return Member(
        name=data["name"],
        party=data.get("party"),
        represents=data.get("represents"),
        role=data.get("role"),
        start=date_or_none(data.get("from")),
        end=date_or_none(data.get("to")),
        id=data.get("id"),
    )


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _statement(data: Mapping[str, Any], line: int) -> Statement:
    return Statement(_names(data["by"]), data.get("text"), data.get("against"), line)


def _vote(data: Mapping[str, Any] | None) -> Vote | None:
    if not data:
        return None

    def side(key: str) -> tuple[str, ...] | int:
        value = data.get(key, 0 if isinstance(data["yes"], int) else [])
        return value if isinstance(value, int) else tuple(value)

    return Vote(
        side("yes"),
        side("no"),
        side("abstain"),
        data["result"],
        data.get("yes_means"),
        data.get("no_means"),
    )


def _statements(source: Source, at: int, key: str) -> tuple[Statement, ...]:
    """The proposals, reservations or notes of the ``at``-th proceedings, with their lines."""
    items = source.meta["proceedings"][at].get(key) or ()
    return tuple(
        _statement(each, source.line_of("proceedings", at, key, n)) for n, each in enumerate(items)
    )


def _proceedings(source: Source) -> tuple[Proceedings, ...]:
    return tuple(
        Proceedings(
            paragraph=item["paragraph"],
            line=source.line_of("proceedings", index, "paragraph"),
            arrived=tuple(item.get("arrived") or ()),
            left=tuple(item.get("left") or ()),
            serving=tuple(_person(p) for p in item.get("serving") or ()),
            jav=tuple(item.get("jav") or ()),
            proposals=_statements(source, index, "proposals"),
            proposition_order=item.get("proposition_order"),
            vote=_vote(item.get("vote")),
            reservations=_statements(source, index, "reservations"),
            notes=_statements(source, index, "notes"),
            index=index,
        )
        for index, item in enumerate(source.meta.get("proceedings") or ())
    )


def _people(data: Mapping[str, Any], key: str) -> tuple[Person, ...]:
    return tuple(_person(p) for p in data.get(key) or ())


_TIME = re.compile(r"^([0-2]?[0-9])[.:]([0-5][0-9]) ?[-–] ?([0-2]?[0-9])[.:]([0-5][0-9])$")


def known_body(
    source: Source, slug: str, site: Settings, key: str
) -> tuple[Body | None, Problem | None]:
    found = site.body(slug)
    if found:
        return found, None
    known = [b.slug for b in site.bodies]
    hint = nearest(slug, known)
    message = f"organet '{slug}' finns inte i {site.path}"
    message += (
        f"; menade du '{hint}'?"
        if hint
        else f"; lägg till det under bodies (kända: {', '.join(known)})"
    )
    return None, error(source.path, source.line_of(key), message, "organ")


def protocol(source: Source, site: Settings) -> tuple[Protocol | None, list[Problem]]:
    meta = source.meta
    problems: list[Problem] = []
    organ, problem = known_body(source, meta["organ"], site, "organ")
    if problem:
        problems.append(problem)
    time = _TIME.match(meta["time"])
    assert time is not None  # the schema's pattern guarantees the shape
    start_h, start_m, end_h, end_m = (int(g) for g in time.groups())
    if start_h > 23 or end_h > 23:
        problems.append(
            error(
                source.path, source.line_of("time"), f"'time': {meta['time']} är ingen riktig tid"
            )
        )
    elif (end_h, end_m) < (start_h, start_m):
        problems.append(
            error(
                source.path,
                source.line_of("time"),
                f"'time': mötet slutar ({end_h:02}.{end_m:02}) före det börjar "
                f"({start_h:02}.{start_m:02})",
            )
        )
    body, body_problems = markdown.protocol_body(source.path, source.body, source.body_line)
    problems.extend(body_problems)
    if not body.paragraphs:
        problems.append(
            error(
                source.path,
                source.body_line,
                "protokollet har inga paragrafer; börja varje paragraf med '## § 1 Rubrik'",
                "paragraph",
            )
        )
    if organ is None:
        return None, problems
    attendees = meta["attendees"]
    justering = meta.get("justering")
    return (
        Protocol(
            source=source,
            organ=organ,
            status=Status(meta["status"]),
            date=date.fromisoformat(meta["date"]),
            start=f"{start_h:02}.{start_m:02}",
            end=f"{end_h:02}.{end_m:02}",
            place=meta["place"],
            digital=bool(meta.get("digital", False)),
            attendees=Attendance(
                voting=_people(attendees, "voting"),
                serving_substitutes=_people(attendees, "serving_substitutes"),
                substitutes=_people(attendees, "substitutes"),
                absent=_people(attendees, "absent"),
                others=_people(attendees, "others"),
                others_heading=attendees.get("others_heading") or "Övriga deltagande",
                note=attendees.get("note") or "",
            ),
            secretary=_person(meta["secretary"]),
            chair=meta["chair"],
            justerare=tuple(meta["justerare"]),
            justering=_justering(justering) if justering else None,
            anslag=_anslag(meta.get("anslag") or {}),
            kept_at=meta.get("kept_at") or site.kept_at,
            preamble_html=body.preamble_html,
            paragraphs=body.paragraphs,
            immediate=tuple(
                ImmediateJustering(
                    paragraphs=tuple(item["paragraphs"]),
                    justering=_justering(item["justering"]),
                    anslag=_anslag(item["anslag"]),
                    index=index,
                )
                for index, item in enumerate(meta.get("immediate") or ())
            ),
            acknowledged=tuple(
                Acknowledgement(item["rule"], item["text"])
                for item in meta.get("acknowledged") or ()
            ),
            not_for_web=tuple(item["paragraph"] for item in meta.get("not_for_web") or ()),
            proceedings=_proceedings(source),
            withdrawn=Withdrawal(
                date.fromisoformat(meta["withdrawn"]["date"]), meta["withdrawn"]["reason"]
            )
            if meta.get("withdrawn")
            else None,
            imported=_imported(meta.get("imported")),
        ),
        problems,
    )


def _imported(data: Mapping[str, Any] | None) -> Imported | None:
    if not data:
        return None
    return Imported(data.get("file"), tuple(data.get("text") or ()))


def _justering(data: Mapping[str, Any]) -> Justering:
    return Justering(
        date=date.fromisoformat(data["date"]),
        digital=bool(data.get("digital", False)),
        place=data.get("place"),
    )


def _anslag(data: Mapping[str, Any]) -> Anslag:
    return Anslag(
        posted=date_or_none(data.get("posted")), taken_down=date_or_none(data.get("taken_down"))
    )


def date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def file_slug(source: Source, whose: str, example: str) -> tuple[str, Problem | None]:
    """A document's address from its file name, and the problem if it cannot be one."""
    slug = PurePosixPath(source.path).stem
    if _SLUG.match(slug):
        return slug, None
    return slug, error(
        source.path,
        0,
        f"filnamnet '{slug}' blir {whose} adress: använd små bokstäver a–z, siffror och "
        f"bindestreck, till exempel '{example}'",
        "slug",
    )


def plan(source: Source, site: Settings) -> tuple[Plan | None, list[Problem]]:
    meta = source.meta
    problems: list[Problem] = []
    slug, problem = file_slug(source, "planens", "verksamhetsplan-2019.md")
    if problem:
        problems.append(problem)
    organ = None
    if "organ" in meta:
        organ, problem = known_body(source, meta["organ"], site, "organ")
        if problem:
            problems.append(problem)
    html, toc, body_problems = markdown.document_body(source.path, source.body, source.body_line)
    problems.extend(body_problems)
    if problems:
        return None, problems
    return (
        Plan(
            source=source,
            slug=slug,
            title=meta["title"],
            organ=organ,
            year=meta["year"],
            adopted=date_or_none(meta.get("adopted")),
            status=Status(meta["status"]),
            html=html,
            toc=toc,
        ),
        problems,
    )
