"""Checks on the content model: what a schema cannot see.

Each check takes records and returns problems: those of one protocol run when it is read
(``content.parse``), ``unique_meetings`` on the whole archive's summaries. The rules
cite their source where one exists, so the secretary can read why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Person, Protocol, Summary
from .problems import Problem, error, warning


def paragraph_numbers(protocol: Protocol) -> list[Problem]:
    problems = []
    seen: dict[int, int] = {}
    previous = None
    for paragraph in protocol.paragraphs:
        if paragraph.number in seen:
            problems.append(
                error(
                    protocol.path,
                    paragraph.line,
                    f"§ {paragraph.number} förekommer två gånger (första gången på rad "
                    f"{seen[paragraph.number]})",
                    "paragraph-order",
                )
            )
        elif previous is not None and paragraph.number < previous:
            problems.append(
                error(
                    protocol.path,
                    paragraph.line,
                    f"§ {paragraph.number} kommer efter § {previous}; paragrafnumren ska öka",
                    "paragraph-order",
                )
            )
        seen.setdefault(paragraph.number, paragraph.line)
        previous = paragraph.number if previous is None else max(previous, paragraph.number)
    return problems


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _names(people: Iterable[Person]) -> set[str]:
    return {_key(p.name) for p in people}


def signatories(protocol: Protocol) -> list[Problem]:
    """The chair and the justerare must have been at the meeting, among the beslutande.

    Kommunallagen 5 kap. 69 §: the protocol is justerat by the chair and at least one member.
    """
    problems = []
    attendees = protocol.attendees
    deciding = _names(attendees.deciding)
    present = _names(attendees.present)
    absent = _names(attendees.absent)
    source = protocol.source
    roles = [("ordföranden", protocol.chair, source.line_of("chair"))] + [
        ("justeraren", name, source.line_of("justerare", index))
        for index, name in enumerate(protocol.justerare)
    ]
    for role, name, line in roles:
        key = _key(name)
        if key in deciding:
            continue
        if key in absent:
            problems.append(
                error(
                    protocol.path,
                    line,
                    f"{role} {name} står som frånvarande; den som justerar måste ha varit med "
                    "på mötet",
                    "KL 5:69",
                )
            )
        elif key in present:
            problems.append(
                warning(
                    protocol.path,
                    line,
                    f"{role} {name} finns bland deltagarna men inte bland de beslutande; "
                    "protokollet justeras av ordföranden och minst en ledamot",
                    "KL 5:69",
                )
            )
        else:
            problems.append(
                error(
                    protocol.path,
                    line,
                    f"{role} {name} finns inte bland deltagarna (attendees); kontrollera "
                    "stavningen eller lägg till personen",
                    "KL 5:69",
                )
            )
    return problems


def unique_meetings(protocols: Sequence[Summary]) -> list[Problem]:
    """One protocol per body and meeting date: each has its own address. ``protocols`` in
    the archive's order (by body, date and path), which puts the protocols of one meeting
    side by side."""
    problems = []
    first: Summary | None = None
    for protocol in protocols:
        if first is None or protocol.date != first.date or protocol.organ.slug != first.organ.slug:
            first = protocol
            continue
        problems.append(
            error(
                protocol.path,
                protocol.date_line,
                f"två protokoll för samma möte ({first.organ.slug} {first.date.isoformat()}): "
                f"även {first.path}",
                "unique-meeting",
            )
        )
    return problems
