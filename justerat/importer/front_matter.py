"""The front matter of an imported protocol, from the facts its front page states
(``frontpage``, ``anslag``): the keys in the format's order, a warning for each fact the text
does not state, nothing the schema refuses, and the body's slug."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from ..core.problems import Problem, warning
from . import organs
from .anslag import AnslagFacts, read_anslag
from .dates import invalid_dates
from .frontpage import FrontPage, read_front_page
from .people import Group
from .text import Line
from .yaml_writer import Quoted


def read_front(
    path: str, front_lines: list[Line], late_anslag: list[Line], problems: list[Problem]
) -> FrontPage:
    """The front page's facts, with an ANSLAGSBEVIS found after the paragraphs merged in."""
    page = read_front_page(front_lines)
    if late_anslag:
        _merge_anslag(page, read_anslag(late_anslag))
    if page.date is None and page.anslag and page.anslag.meeting_date:
        page.date = page.anslag.meeting_date
        problems.append(
            warning(
                path,
                page.anslag.lines.get("meeting", 0),
                "sammanträdets datum togs från anslagsbeviset",
            )
        )
    for line in front_lines + late_anslag:
        for bad in invalid_dates(line.text):
            problems.append(warning(path, line.number, f"datumet {bad} finns inte; det utelämnas"))
    for number, note in page.notes:
        problems.append(warning(path, number, note))
    return page


def _merge_anslag(page: FrontPage, late: AnslagFacts) -> None:
    if page.anslag is None:
        page.anslag = late
        return
    for key in ("meeting_date", "posted", "taken_down", "kept_at", "organ_name"):
        if getattr(page.anslag, key) is None:
            setattr(page.anslag, key, getattr(late, key))


def _people(page: FrontPage, group: Group) -> list[dict[str, str]]:
    return [p.as_dict() for p in page.people.get(group, [])]


def _missing(path: str, what: str, key: str, line: int = 0) -> Problem:
    """The warning for a fact the text does not state: ``key`` is left out of the front matter."""
    return warning(path, line, f"{what} saknas i texten; {key} utelämnas")


def front_matter(path: str, page: FrontPage, organ: str, problems: list[Problem]) -> dict[str, Any]:
    """The front matter, keys in the format's order, with a warning for each fact not found."""
    meta: dict[str, Any] = {"organ": organ}
    meta["status"] = "justerat" if page.justering else "draft"
    _meeting(path, page, meta, problems)
    meta["attendees"] = _attendees(path, page, problems)
    _officers(path, page, meta, problems)
    _justering(path, page, meta, problems)
    _anslag(path, page, meta, problems)
    return meta


def _meeting(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    """The meeting's date, time and place (and whether it was digital)."""
    if page.date:
        meta["date"] = page.date
    else:
        problems.append(_missing(path, "sammanträdets datum", "date"))
    if page.time:
        meta["time"] = Quoted(page.time)
    else:
        problems.append(
            _missing(path, "sammanträdets tid (kl. från–till)", "time", page.lines.get("date", 0))
        )
    if page.place:
        meta["place"] = Quoted(page.place)
        meta["digital"] = bool(page.digital)
    else:
        problems.append(_missing(path, "sammanträdets plats", "place", page.lines.get("date", 0)))


def _attendees(path: str, page: FrontPage, problems: list[Problem]) -> dict[str, Any]:
    """The attendees by group; a warning when the voting members are not found."""
    attendees: dict[str, Any] = {}
    for group in (Group.VOTING, Group.SERVING, Group.SUBSTITUTES, Group.ABSENT, Group.OTHERS):
        people = _people(page, group)
        if people:
            attendees[group.value] = people
    if page.others_heading and Group.OTHERS in page.people:
        attendees["others_heading"] = page.others_heading
    if Group.VOTING not in page.people:
        if page.voting_reference:
            attendees["note"] = Quoted(page.voting_note)
            problems.append(
                warning(
                    path,
                    page.voting_reference,
                    "de beslutande står inte i texten utan i en närvarolista "
                    f"('{page.voting_note}'); attendees.note skrevs i stället för "
                    "attendees.voting: för in de beslutande om närvarolistan finns",
                )
            )
        else:
            problems.append(_missing(path, "Beslutande", "attendees.voting"))
    return attendees


def _officers(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    """The secretary, the chair and the justerare."""
    if page.secretary:
        secretary = page.secretary.as_dict()
        secretary.pop("role", None)
        meta["secretary"] = secretary
    else:
        problems.append(_missing(path, "Sekreterare", "secretary"))
    if page.chair:
        meta["chair"] = page.chair
    else:
        problems.append(_missing(path, "Ordförande", "chair"))
    if page.justerare:
        meta["justerare"] = page.justerare
    else:
        problems.append(_missing(path, "Justerare", "justerare"))


def _justering(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    if page.justering:
        meta["justering"] = page.justering
    else:
        problems.append(
            warning(
                path,
                page.lines.get("justering", 0),
                "Justeringens plats och tid (med datum) saknas i texten; justering utelämnas "
                "och status blir draft",
            )
        )


def _anslag(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    facts = page.anslag
    if facts is None:
        problems.append(
            warning(
                path,
                0,
                "ANSLAGSBEVIS saknas i texten; anslag (uppsättande och nedtagande) utelämnas",
            )
        )
        return
    anslag: dict[str, Any] = {}
    if facts.posted:
        anslag["posted"] = facts.posted
    else:
        problems.append(
            warning(
                path,
                facts.lines.get("posted", 0),
                "datum för anslags uppsättande saknas i texten; anslag.posted utelämnas",
            )
        )
    if facts.taken_down:
        anslag["taken_down"] = facts.taken_down
    else:
        problems.append(
            warning(
                path,
                facts.lines.get("taken_down", 0),
                "datum för anslags nedtagande saknas i texten; anslag.taken_down utelämnas",
            )
        )
    if anslag:
        meta["anslag"] = anslag
    if facts.kept_at:
        meta["kept_at"] = Quoted(facts.kept_at)
    if facts.meeting_date and page.date and facts.meeting_date != page.date:
        problems.append(
            warning(
                path,
                facts.lines.get("meeting", 0),
                f"anslagsbevisets sammanträdesdatum {facts.meeting_date.isoformat()} skiljer sig "
                f"från sammanträdets datum {page.date.isoformat()}; kontrollera",
            )
        )
    for piece in facts.leftovers:
        problems.append(
            warning(path, piece.line, f"texten '{piece.text}' i anslagsbeviset kunde inte tolkas")
        )


def schema_safe(path: str, meta: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The front matter without any value the schema refuses (a person's "title" of 300
    characters is a misread list, not a title): each is left out with a warning, and its
    words, no longer in the front matter, are put back into the body by the accounting. A
    missing required fact is not this function's business: ``check`` reports it."""
    from jsonschema import Draft202012Validator

    from ..reading.frontmatter import schema

    validator = Draft202012Validator(schema("protocol"))
    for _ in range(20):  # each round leaves out one value
        plain = json.loads(json.dumps(meta, default=str))
        wrong = [e for e in validator.iter_errors(plain) if e.validator != "required"]
        if not wrong:
            break
        at = list(min(wrong, key=lambda e: len(e.absolute_path)).absolute_path)
        if not at:
            break
        _remove(meta, at)
        shown = ".".join(str(key) for key in at)
        problems.append(
            warning(path, 0, f"värdet {shown} lästes fel ur texten och utelämnas; kontrollera")
        )
    return meta


def _remove(meta: Any, at: list[Any]) -> None:
    """Remove the value at the path ``at`` (a list's item, a mapping's key)."""
    for key in at[:-1]:
        meta = meta[key]
    del meta[at[-1]]


def find_organ(
    path: str,
    page: FrontPage,
    organ: str | None,
    bodies: Mapping[str, str],
    problems: list[Problem],
) -> str:
    """The body's slug: as given, or as the ANSLAGSBEVIS, the title lines or the file name
    name it (a warning says where, when not the front page, and what to add to site.yaml)."""
    if organ is not None:
        return organ
    candidates = [page.anslag.organ_name or ""] if page.anslag else []
    candidates += [entry.text for entry in page.title_lines]
    found = organs.recognise(candidates, bodies)
    for entry in page.head if found is None else ():
        name = organs.named_in_head(entry.text)
        if name is not None:
            found = organs.match(name, bodies)
            break
    named = organs.from_file_name(PurePosixPath(path).stem)
    if found is None and named is not None:
        found = organs.match(named, bodies)
        problems.append(
            warning(path, 0, f"organet står inte i texten; '{named}' togs från filnamnet")
        )
    if found is None:
        return _unknown_organ(path, bodies, problems)
    if bodies and not found.known:
        problems.append(organs.unknown(path, found))
    return found.slug


def _unknown_organ(path: str, bodies: Mapping[str, str], problems: list[Problem]) -> str:
    """No body named anywhere: the only body of site.yaml, or a slug check refuses."""
    if len(bodies) == 1:
        only = next(iter(bodies))
        problems.append(
            warning(
                path,
                0,
                f"organet står inte i texten; importeras till '{only}', det enda i site.yaml",
            )
        )
        return only
    problems.append(
        warning(
            path,
            0,
            "organet står inte i texten; protokollet importeras till 'okant-organ': ange "
            "organet med --organ, eller rätta organ: i filen",
        )
    )
    return "okant-organ"
