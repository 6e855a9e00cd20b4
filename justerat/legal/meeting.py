"""Meetings and their kallelser: the file → the record, the law's rules on a fullmäktige
meeting's kungörelse, and the facts the sammanträdesplan and the calendar are made from.
No I/O but the attachments' (``attachments``).

- Kommunallagen (2017:725) 5 kap. 13 §: the ordförande announces the time and place of each
  fullmäktige meeting and the ärenden to be handled, on the anslagstavla at least one week
  before the meeting day.
- 5 kap. 14 §: an urgent ärende is announced no later than the vardag closest before the
  meeting day.
- 8 kap. 11 §: the board may also hold the notices of the styrelse's and the nämnder's
  meetings; the one-week rule is fullmäktige's.
- 5 kap. 69 § and 6 kap. 35 §: the protocol is justerat within 14 days; a meeting held with no
  protocol 14 days later is worth a warning to the office.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core.problems import Problem, error, has_errors, warning
from ..core.swedish import swedish_date
from ..domain.meetings import AgendaItem, Kungorelse, Meeting, MeetingStatus, Moved
from ..domain.model import Summary
from ..domain.settings import Settings
from ..domain.source import Source
from ..reading import attachments, markdown
from ..reading.documents import date_or_none, known_body
from . import law, people

_key = people.key  # names compare as the register compares them

_TIME = re.compile(r"^([0-2]?[0-9])[.:]([0-5][0-9])(?: ?[-–] ?([0-2]?[0-9])[.:]([0-5][0-9]))?$")
RULE_KUNGORELSE = "KL 5 kap. 13 §"
RULE_URGENT = "KL 5 kap. 14 §"
RULE_PROTOCOL = "KL 5 kap. 69 §, 6 kap. 35 §"


def times(text: str) -> tuple[str, str | None] | None:
    """'18.30' and '21.00' (or None) from "18.30-21.00" or "18.30"; None if no real time."""
    found = _TIME.match(text)
    if found is None:
        return None
    start_h, start_m, end_h, end_m = found.groups()
    if int(start_h) > 23 or (end_h is not None and int(end_h) > 23):
        return None
    start = f"{int(start_h):02}.{start_m}"
    end = f"{int(end_h):02}.{end_m}" if end_h is not None else None
    if end is not None and end < start:
        return None
    return start, end


def meeting(source: Source, site: Settings, content: Path) -> tuple[Meeting | None, list[Problem]]:
    """A meeting's record from its validated source, with the problems of its own file."""
    meta = source.meta
    problems: list[Problem] = []
    organ, problem = known_body(source, meta["organ"], site, "organ")
    if problem:
        problems.append(problem)
    for key in ("time", "moved_to"):
        written = meta["time"] if key == "time" else (meta.get("moved_to") or {}).get("time")
        if written is not None and times(written) is None:
            problems.append(
                error(
                    source.path,
                    source.line_of(key) if key == "time" else source.line_of("moved_to", "time"),
                    f"'time': {written} är ingen riktig tid (skriv till exempel 18.30 eller "
                    "18.30-21.00)",
                    "time",
                )
            )
    html, _, body_problems = markdown.document_body(source.path, source.body, source.body_line)
    problems += body_problems
    day = date.fromisoformat(meta["date"])
    url = f"sammantraden/{meta['organ']}/{day.isoformat()}/handlingar/"
    items: list[AgendaItem] = []
    for index, item in enumerate(meta.get("items") or ()):
        keys = [("items", index, "handlingar", n) for n in range(len(item.get("handlingar") or ()))]
        found, found_problems = attachments.found(source, keys, content, url)
        problems += found_problems
        items.append(
            AgendaItem(
                number=index + 1,
                title=item["title"],
                line=source.line_of("items", index),
                diarienummer=item.get("diarienummer"),
                proposal=item.get("proposal"),
                paragraph=item.get("paragraph"),
                handlingar=found,
            )
        )
    if organ is None or has_errors(problems):
        return None, problems
    return (
        Meeting(
            source=source,
            organ=organ,
            date=day,
            time=meta["time"],
            place=meta["place"],
            status=MeetingStatus(meta["status"]),
            items=tuple(items),
            html=html,
            moved_to=_moved(meta.get("moved_to")),
            kungorelse=_kungorelse(meta.get("kungorelse")),
            reason=meta.get("cancelled_reason"),
        ),
        problems,
    )


def _moved(data: Mapping[str, Any] | None) -> Moved | None:
    if not data:
        return None
    return Moved(date.fromisoformat(data["date"]), data.get("time"), data.get("place"))


def _kungorelse(data: Mapping[str, Any] | None) -> Kungorelse | None:
    if not data:
        return None
    urgent = tuple(
        (item["item"], date.fromisoformat(item["posted"])) for item in data.get("urgent") or ()
    )
    return Kungorelse(
        date.fromisoformat(data["posted"]), date_or_none(data.get("taken_down")), urgent
    )


def check(meeting: Meeting, calendar: law.Calendar) -> list[Problem]:
    """The rules of one meeting's file: its status and the kungörelse's dates."""
    return _status_rules(meeting) + kungorelse_rules(meeting, calendar)


def _status_rules(meeting: Meeting) -> list[Problem]:
    source = meeting.source
    problems = []
    if meeting.status is MeetingStatus.MOVED and meeting.moved_to is None:
        problems.append(
            error(
                source.path,
                source.line_of("status"),
                "sammanträdet är flyttat (status: moved) men moved_to säger inte vart; skriv "
                "moved_to: med date (och time eller place om de ändras)",
                "meeting",
            )
        )
    if meeting.moved_to is not None and meeting.status is not MeetingStatus.MOVED:
        problems.append(
            error(
                source.path,
                source.line_of("moved_to"),
                "moved_to gäller bara ett flyttat sammanträde; skriv status: moved eller ta bort "
                "moved_to",
                "meeting",
            )
        )
    return problems


def kungorelse_rules(meeting: Meeting, calendar: law.Calendar) -> list[Problem]:
    """The kungörelse's dates against KL 5 kap. 13-14 §§ (for fullmäktige) and against its
    meeting (for every body whose meetings are announced on the board)."""
    notice = meeting.kungorelse
    source = meeting.source
    if meeting.is_draft:
        return []
    if notice is None:
        if meeting.organ.is_fullmaktige and meeting.status is not MeetingStatus.CANCELLED:
            return [
                warning(
                    source.path,
                    source.line_of("status"),
                    "fullmäktiges sammanträden ska tillkännages på anslagstavlan minst en vecka "
                    f"före sammanträdesdagen [{RULE_KUNGORELSE}]; skriv kungorelse: med posted",
                    "kungorelse",
                )
            ]
        return []
    problems = []
    if meeting.organ.is_fullmaktige:
        problems += _fullmaktige_rules(meeting, notice, calendar)
    held = meeting.held_on or meeting.date
    if notice.posted > held:
        problems.append(
            error(
                source.path,
                source.line_of("kungorelse", "posted"),
                f"kungörelsen sattes upp {swedish_date(notice.posted)}, efter sammanträdet "
                f"{swedish_date(held)}; rätta datumet",
                "kungorelse",
            )
        )
    if notice.taken_down is not None and notice.taken_down <= held:
        problems.append(
            error(
                source.path,
                source.line_of("kungorelse", "taken_down"),
                f"kungörelsen togs ned {swedish_date(notice.taken_down)}, före sammanträdet "
                f"{swedish_date(held)} var över; den ska sitta uppe till och med "
                f"sammanträdesdagen [{RULE_KUNGORELSE}]",
                "kungorelse",
            )
        )
    return problems


def _fullmaktige_rules(
    meeting: Meeting, notice: Kungorelse, calendar: law.Calendar
) -> list[Problem]:
    source = meeting.source
    problems = []
    day = meeting.held_on or meeting.date
    deadline = law.kungorelse_deadline(day)
    if notice.posted > deadline:
        late = (notice.posted - deadline).days
        problems.append(
            error(
                source.path,
                source.line_of("kungorelse", "posted"),
                f"kungörelsen sattes upp {swedish_date(notice.posted)}, {late} "
                f"{'dag' if late == 1 else 'dagar'} för sent: fullmäktiges sammanträde "
                f"{swedish_date(day)} ska tillkännages minst en vecka före sammanträdesdagen, "
                f"senast {swedish_date(deadline)} [{RULE_KUNGORELSE}]",
                "kungorelse",
            )
        )
    if not meeting.items:
        problems.append(
            error(
                source.path,
                source.line_of("kungorelse"),
                "kungörelsen saknar ärendelista: tillkännagivandet ska ange de ärenden som ska "
                f"behandlas [{RULE_KUNGORELSE}]; skriv items: med ärendena",
                "kungorelse",
            )
        )
    problems += _urgent_rules(meeting, notice, calendar, day)
    return problems


def _urgent_rules(
    meeting: Meeting, notice: Kungorelse, calendar: law.Calendar, day: date
) -> list[Problem]:
    source = meeting.source
    problems = []
    last = calendar.previous_vardag(day)
    for index, (number, posted) in enumerate(notice.urgent):
        line = source.line_of("kungorelse", "urgent", index)
        if number > len(meeting.items):
            problems.append(
                error(
                    source.path,
                    line,
                    f"ärende {number} finns inte i ärendelistan (items har {len(meeting.items)})",
                    "kungorelse",
                )
            )
        elif posted > last:
            problems.append(
                error(
                    source.path,
                    line,
                    f"det brådskande ärendet {number} tillkännagavs {swedish_date(posted)}; "
                    f"senast vardagen närmast före sammanträdesdagen, {swedish_date(last)} "
                    f"[{RULE_URGENT}]",
                    "kungorelse",
                )
            )
    return problems


def without_protocol(
    meetings: Iterable[Meeting], protocols: Sequence[Summary], today: date, content: Path
) -> list[Problem]:
    """A warning for each meeting held more than 14 days before ``today`` that has no
    protocol yet (KL 5:69, 6:35): for the office, not the public. It names the folder the
    protocol goes in, inside the ``content`` folder the build reads."""
    held = {(p.organ.slug, p.date) for p in protocols}
    problems: list[Problem] = []
    for each in meetings:
        day = each.held_on
        if day is None or each.is_draft or (each.organ.slug, day) in held:
            continue
        if today > law.justering_deadline(day):
            folder = (content / "protocols" / each.organ.slug).as_posix()
            problems.append(
                warning(
                    each.path,
                    each.source.line_of("date"),
                    f"sammanträdet {swedish_date(day)} hölls för mer än 14 dagar sedan men "
                    f"har inget protokoll i {folder}/ "
                    f"[{RULE_PROTOCOL}]",
                    "meeting",
                )
            )
    return problems


@dataclass(frozen=True)
class Handled:
    """What became of one ärende: the § of the protocol that handled it, if known."""

    item: AgendaItem
    paragraph: int | None


def handled(meeting: Meeting, protocol: Summary | None) -> tuple[Handled, ...]:
    """Each ärende with the § that handled it: as the front matter says, or the § whose title
    is the ärende's (letter case and spaces aside)."""

    by_title: dict[str, int] = {}
    if protocol is not None:
        for paragraph, title in zip(protocol.numbers, protocol.titles, strict=False):
            by_title.setdefault(_key(title), paragraph)
    found = []
    for item in meeting.items:
        number = item.paragraph if item.paragraph is not None else by_title.get(_key(item.title))
        known = protocol is not None and number in protocol.numbers
        found.append(Handled(item, number if known else None))
    return tuple(found)


def protocol_of(meeting: Meeting, protocols: Iterable[Summary]) -> Summary | None:
    """The protocol of the meeting: the body's protocol of the day it was held."""
    day = meeting.held_on
    return next(
        (p for p in protocols if p.organ.slug == meeting.organ.slug and p.date == day), None
    )


def comes_down(meeting: Meeting) -> date:
    """The day the kungörelse comes down: as recorded, or the day after the meeting."""
    assert meeting.kungorelse is not None
    held = meeting.held_on or meeting.date
    return meeting.kungorelse.taken_down or held + timedelta(days=1)
