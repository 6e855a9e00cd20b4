"""``new kallelse ORGAN DATUM``: the draft of a meeting and its kallelse, with the time and place
of the body's latest earlier meeting and an empty ärendelista with examples. A fullmäktige
meeting's kungörelse is posted at least a week before the meeting day (kommunallagen 5 kap.
13 §, ``law.kungorelse_deadline``): its draft names that day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ...core.swedish import swedish_date
from ...domain.settings import Body, Settings
from ...domain.source import Source
from ...legal import law
from ...reading.unfinished import CHANGE, PLACE_PLACEHOLDER, TIME_PLACEHOLDER
from .common import (
    MEETINGS,
    Draft,
    Refused,
    body_of,
    comment,
    dated,
    long_day,
    lowered,
    markdown_files,
    quoted,
    refuse_existing,
)


@dataclass(frozen=True)
class Earlier:
    """The body's latest meeting before the new one: its time and place are likely again."""

    day: date
    time: str
    place: str
    path: str


def kallelse_text(body: Body, day: date, earlier: Earlier | None) -> str:
    """A draft meeting with its kallelse: time and place as at ``earlier``, an empty
    ärendelista with examples, and for fullmäktige the kungörelse's last day (KL 5:13)."""
    lines = [
        "---",
        *comment(
            f"Kallelse till sammanträde med {lowered(body.name)} {long_day(day)}. Ett utkast: "
            "det publiceras först när status är planned (kallelsen skickas ut)."
        ),
        f"organ: {body.slug}",
        f"date: {day.isoformat()}",
    ]
    if earlier is not None:
        lines += [
            f"# Tid och plats som vid sammanträdet {swedish_date(earlier.day)}; ändra vid behov.",
            f"time: {quoted(earlier.time)}",
            f"place: {quoted(earlier.place)}",
        ]
    else:
        lines += [
            f'time: "{TIME_PLACEHOLDER}"  # {CHANGE}: börjar och slutar, till exempel '
            '"18.30-21.00", eller bara "18.30"',
            f'place: "{PLACE_PLACEHOLDER}"',
        ]
    lines.append("status: draft  # draft | planned | cancelled | moved")
    if body.is_fullmaktige:
        deadline = law.kungorelse_deadline(day)
        lines += [
            "kungorelse:",
            *comment(
                "Fullmäktiges sammanträde tillkännages på anslagstavlan med tid, plats och "
                f"ärenden minst en vecka före sammanträdesdagen: senast {long_day(deadline)} "
                f"({deadline.isoformat()}), KL 5 kap. 13 §. Skriv dagen kungörelsen sätts upp.",
                "  ",
            ),
            f"  posted: {deadline.isoformat()}",
        ]
    lines += [
        "items: []",
        "# Ärendelistan, i ordning: ersätt [] med ärendena. Varje ärende blir en § i",
        "# protokollet (python build.py new protokoll). Till exempel:",
        "# items:",
        "#   - title: Val av justerare",
        "#   - title: Godkännande av dagordning",
        "#   - title: Verksamhetsplan och budget",
        '#     diarienummer: "2026/12"',
        f"#     proposal: {body.name} fastställer verksamhetsplanen och budgeten.",
        "#     handlingar:",
        f"#       - handlingar/{day.isoformat()}/tjansteskrivelse.pdf",
        "---",
        f"Ledamöter och ersättare kallas till sammanträde med {lowered(body.name)}. "
        "Förhinder anmäls till kansliet.",
        "",
    ]
    return "\n".join(lines)


def earlier_meeting(content: Path, organ: str, day: date) -> Earlier | None:
    """The body's latest meeting before ``day`` that names a time and place."""
    from ...legal.meeting import times

    found = [
        (when, source)
        for when, source in dated(markdown_files(content / MEETINGS / organ), organ)
        if when < day
        and isinstance(source.meta.get("time"), str)
        and times(source.meta["time"]) is not None
        and isinstance(source.meta.get("place"), str)
        and 0 < len(source.meta["place"]) <= 300
    ]
    if not found:
        return None
    when, source = max(found, key=lambda pair: pair[0])
    return Earlier(when, source.meta["time"], source.meta["place"], source.path)


def _same_day(sources: Iterable[Source], organ: str, day: date) -> str | None:
    return next((s.path for when, s in dated(sources, organ) if when == day), None)


def kallelse(content: Path, site: Settings, organ: str, day: date) -> Draft:
    """The draft of a meeting and its kallelse."""
    body = body_of(site, organ)
    path = content / MEETINGS / organ / f"{day.isoformat()}.md"
    refuse_existing(path)
    other = _same_day(markdown_files(content / MEETINGS / organ), organ, day)
    if other is not None:
        raise Refused(f"{other} är redan sammanträdet {day.isoformat()} med {lowered(body.name)}")
    earlier = earlier_meeting(content, organ, day)
    notes = []
    if earlier is not None:
        notes.append(
            f"Tid och plats är hämtade från sammanträdet {swedish_date(earlier.day)} "
            f"({earlier.path})."
        )
    else:
        notes.append(f"{body.name} har inget tidigare sammanträde: skriv tid och plats ({CHANGE}).")
    steps = [
        "Skriv ärendena under items: (title, proposal, handlingar), i ordning.",
        "Kontrollera tid och plats.",
    ]
    if body.is_fullmaktige:
        deadline = law.kungorelse_deadline(day)
        steps.append(
            f"Sätt upp kungörelsen på anslagstavlan senast {long_day(deadline)} (KL 5 kap. 13 §) "
            "och skriv dagen i kungorelse: posted."
        )
        if deadline < date.today():
            notes.append(
                f"Obs: sista dagen för kungörelsen, {long_day(deadline)}, har redan passerat "
                "(KL 5 kap. 13 §)."
            )
    steps += [
        "Sätt status: planned när kallelsen skickas ut; då publiceras den.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    ]
    return Draft(
        path,
        kallelse_text(body, day, earlier),
        f"kallelse till sammanträde med {lowered(body.name)} {long_day(day)}",
        tuple(notes),
        tuple(steps),
    )
