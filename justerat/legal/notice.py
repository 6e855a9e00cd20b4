"""Notices of justering (tillkännagivanden): derived from protocols and checked against the
law; ``board`` puts them on the anslagstavla by date. No I/O.

A protocol gives one notice for its paragraphs, plus one for each group of paragraphs justerade
omedelbart. Every date the law gives comes from ``law``; the checks compare them with the dates
typed in the front matter and cite the rule. A historical protocol that breaks a rule can be
published only with a written acknowledgement (``acknowledged:``), which turns the error into a
warning and is shown to readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..core.problems import Problem, Severity, error, warning
from ..core.swedish import swedish_date
from ..domain.model import Anslag, Justering, NoticeFacts, Protocol, Summary
from ..domain.source import Key
from . import law


class State(StrEnum):
    UPCOMING = "kommande"
    CURRENT = "aktuell"
    ENDED = "avslutad"


@dataclass(frozen=True)
class Notice:
    protocol: Protocol | Summary
    paragraphs: tuple[int, ...]
    immediate: bool
    justering: date
    posted: date
    taken_down: date | None  # as recorded; None while the notice is still up
    dates: law.Deadlines

    @property
    def comes_down(self) -> date:
        """The day the notice comes down: as recorded, or the first day the law allows."""
        return self.taken_down or self.dates.earliest_take_down

    @property
    def ident(self) -> str:
        first = self.paragraphs[0] if self.paragraphs else 0
        kind = "omedelbar" if self.immediate else "anslag"
        return f"{self.protocol.organ.slug}-{self.protocol.date.isoformat()}-{kind}-{first}"

    @property
    def paragraph_span(self) -> str:
        return span(self.paragraphs)


def span(numbers: Iterable[int]) -> str:
    """'§ 1–4, 6' for the paragraphs 1, 2, 3, 4 and 6."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"§\u00a0{text}" if text else ""


def _sources(
    protocol: Protocol,
) -> list[tuple[tuple[Key, ...], tuple[int, ...], Justering | None, Anslag]]:
    """(front-matter path, paragraphs, justering, anslag) for each notice a protocol gives."""
    immediate = {n for item in protocol.immediate for n in item.paragraphs}
    rest = tuple(p.number for p in protocol.paragraphs if p.number not in immediate)
    found: list[tuple[tuple[Key, ...], tuple[int, ...], Justering | None, Anslag]] = []
    if rest:
        found.append(((), rest, protocol.justering, protocol.anslag))
    for item in protocol.immediate:
        found.append((("immediate", item.index), item.paragraphs, item.justering, item.anslag))
    return found


def facts(protocol: Protocol) -> tuple[NoticeFacts, ...]:
    """The notices of a justerat protocol whose justering and posting dates are known."""
    if protocol.is_draft:
        return ()
    return tuple(
        NoticeFacts(paragraphs, bool(at), justering.date, anslag.posted, anslag.taken_down)
        for at, paragraphs, justering, anslag in _sources(protocol)
        if justering is not None and anslag.posted is not None
    )


def notices(protocol: Protocol | Summary, calendar: law.Calendar) -> tuple[Notice, ...]:
    """The notices of a protocol, with the dates the law gives them."""
    found = protocol.notices if isinstance(protocol, Summary) else facts(protocol)
    return tuple(
        Notice(
            protocol=protocol,
            paragraphs=each.paragraphs,
            immediate=each.immediate,
            justering=each.justering,
            posted=each.posted,
            taken_down=each.taken_down,
            dates=calendar.deadlines(each.justering, each.posted),
        )
        for each in found
    )


@dataclass(frozen=True)
class Finding:
    """A broken date rule: the rule's name, how bad, where, and what the law says."""

    rule: str
    severity: Severity
    line: int
    message: str
    acknowledgement: str | None = None

    def problem(self, path: str) -> Problem:
        if self.acknowledgement is not None:
            return warning(path, self.line, f"{self.message} (kvitterat)", self.rule)
        message = self.message
        if self.severity is Severity.ERROR:
            message += (
                ". Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
                f"acknowledged: [{{rule: {self.rule}, text: ...}}]"
            )
        return Problem(path, self.line, self.severity, message, self.rule)


def _d(day: date) -> str:
    return swedish_date(day, weekday=True)


def _rules(protocol: Protocol, calendar: law.Calendar) -> list[Finding]:
    """Every date rule a justerat protocol breaks, unacknowledged."""
    found: list[Finding] = []
    for at, paragraphs, justering, anslag in _sources(protocol):
        found += _notice_rules(protocol, calendar, at, paragraphs, justering, anslag)
    return found


Add = Callable[[str, Severity, tuple[Key, ...], str], None]  # (rule, severity, at, message)


def _notice_rules(
    protocol: Protocol,
    calendar: law.Calendar,
    at: tuple[Key, ...],
    paragraphs: tuple[int, ...],
    justering: Justering | None,
    anslag: Anslag,
) -> list[Finding]:
    """The date rules one notice breaks; ``at`` is its place in the front matter."""
    found: list[Finding] = []
    label = f"{span(paragraphs)} (justerade omedelbart): " if at else ""

    def add(rule: str, severity: Severity, keys: tuple[Key, ...], message: str) -> None:
        line = protocol.source.line_of(*at, *keys)
        found.append(Finding(rule, severity, line, label + message))

    if justering is None:
        add(
            "justering-saknas",
            Severity.ERROR,
            (),
            "protokollet har status justerat men ingen justering (justering: date:); "
            "ange när det justerades",
        )
        return found
    _justering_rules(add, protocol.date, justering)
    if anslag.posted is None:
        add(
            "anslag-saknas",
            Severity.ERROR,
            ("anslag",),
            "protokollet är justerat men saknar datum för anslaget (anslag: posted:); "
            "justeringen ska tillkännages på anslagstavlan (KL 8 kap. 12 §). "
            f"Kör 'python build.py anslag {protocol.path}' för datumen",
        )
        return found
    dates = calendar.deadlines(justering.date, anslag.posted)
    _posting_rules(add, justering, anslag.posted, dates)
    if anslag.taken_down is not None:
        _take_down_rules(add, anslag.posted, anslag.taken_down, dates)
    return found


def _justering_rules(add: Add, meeting: date, justering: Justering) -> None:
    """The justering comes after the meeting, within 14 days (KL 5:69, 6:35)."""
    if justering.date < meeting:
        add(
            "justering-fore-mote",
            Severity.ERROR,
            ("justering", "date"),
            f"justeringen {_d(justering.date)} är före sammanträdet {_d(meeting)}",
        )
    elif justering.date > law.justering_deadline(meeting):
        days = (justering.date - meeting).days
        add(
            "justering-for-sen",
            Severity.WARNING,
            ("justering", "date"),
            f"protokollet justerades {_d(justering.date)}, {days} dagar efter sammanträdet; "
            f"det ska justeras inom {law.JUSTERING_DAYS} dagar (KL 5 kap. 69 §, 6 kap. 35 §)",
        )


def _posting_rules(add: Add, justering: Justering, posted: date, dates: law.Deadlines) -> None:
    """The notice is posted after the justering, by the second day after it (KL 8:12)."""
    if posted < justering.date:
        add(
            "anslag-fore-justering",
            Severity.ERROR,
            ("anslag", "posted"),
            f"anslaget sattes upp {_d(posted)}, före justeringen {_d(justering.date)}; "
            "ett tillkännagivande om justering kan bara sättas upp efter justeringen "
            "(KL 8 kap. 12 §)",
        )
    elif posted > dates.posting_deadline:
        add(
            "anslag-for-sent",
            Severity.WARNING,
            ("anslag", "posted"),
            f"anslaget sattes upp {_d(posted)}; senast tillåtna dag var "
            f"{_d(dates.posting_deadline)}, andra dagen efter justeringen "
            "(KL 8 kap. 12 §, lag 1930:173)",
        )


def _take_down_rules(add: Add, posted: date, down: date, dates: law.Deadlines) -> None:
    """The notice stays up until the appeal period has run out (KL 8:12, 13:5)."""
    if down < posted:
        add(
            "nedtaget-fore-uppsatt",
            Severity.ERROR,
            ("anslag", "taken_down"),
            f"anslaget togs ned {_d(down)}, före det sattes upp {_d(posted)}",
        )
    elif down < dates.appeal_last_day:
        add(
            "nedtaget-for-tidigt",
            Severity.ERROR,
            ("anslag", "taken_down"),
            f"anslaget togs ned {_d(down)}, före överklagandetidens sista dag "
            f"{_d(dates.appeal_last_day)}; då löper överklagandetiden inte ut "
            "(KL 8 kap. 12 §, 13 kap. 5 §). Tidigast tillåtna dag: "
            f"{_d(dates.earliest_take_down)}",
        )
    elif down == dates.appeal_last_day:
        add(
            "nedtaget-sista-dagen",
            Severity.WARNING,
            ("anslag", "taken_down"),
            f"anslaget togs ned {_d(down)}, överklagandetidens sista dag; det får tas ned "
            f"tidigast {_d(dates.earliest_take_down)} (KL 8 kap. 12 §, 13 kap. 5 §)",
        )


def findings(protocol: Protocol, calendar: law.Calendar) -> list[Finding]:
    """The date rules a justerat protocol breaks, with their acknowledgements attached."""
    if protocol.is_draft:
        return []
    texts = {a.rule: a.text for a in protocol.acknowledged}
    return [
        Finding(f.rule, f.severity, f.line, f.message, texts.get(f.rule))
        for f in _rules(protocol, calendar)
    ]


def check(protocol: Protocol, calendar: law.Calendar) -> list[Problem]:
    """The notice checks of one protocol, as problems for ``check`` and ``build``."""
    source = protocol.source
    problems: list[Problem] = []
    numbers = {p.number for p in protocol.paragraphs}
    for item in protocol.immediate:
        for number in item.paragraphs:
            if number not in numbers:
                problems.append(
                    error(
                        protocol.path,
                        source.line_of("immediate", item.index, "paragraphs"),
                        f"§ {number} är justerad omedelbart men finns inte i protokollet",
                        "immediate",
                    )
                )
    if protocol.is_draft:
        return problems
    found = findings(protocol, calendar)
    problems += [f.problem(protocol.path) for f in found]
    broken = {f.rule for f in found}
    for index, acknowledgement in enumerate(protocol.acknowledged):
        if acknowledgement.rule not in broken:
            problems.append(
                warning(
                    protocol.path,
                    source.line_of("acknowledged", index),
                    f"kvittensen för '{acknowledgement.rule}' behövs inte: protokollet bryter "
                    "inte mot den regeln; ta bort den",
                    "acknowledged",
                )
            )
    return problems


EARLIER_SHOWN = 100  # the board lists the newest notices that have come down; each
# protocol's anslagsbevis keeps the rest


def justered_on(protocol: Summary) -> date | None:
    """The day a protocol is first justerat, in whole or in part (paragraphs justerade
    omedelbart come first, and their notice must go up at once); None for a draft."""
    days = [facts.justering for facts in protocol.notices]
    return min(days) if days and not protocol.is_draft else None


def not_yet(protocols: Iterable[Summary], today: date) -> list[Summary]:
    """The protocols no part of which is justerat on ``today``: not public yet. Each waits, as
    an upcoming notice does, and the first build on or after its day publishes it."""
    return [p for p in protocols if (day := justered_on(p)) is not None and day > today]


def waiting(protocols: Iterable[Summary], today: date) -> list[Problem]:
    """A warning for each protocol that waits for its justering (``not_yet``)."""
    found = []
    for protocol in not_yet(protocols, today):
        day = justered_on(protocol)
        assert day is not None
        found.append(
            warning(
                protocol.path,
                protocol.date_line,
                f"justeringen är daterad {swedish_date(day)}, efter bygget "
                f"({swedish_date(today)}): protokollet publiceras inte förrän ett bygge görs "
                "den dagen eller senare. Har justeringen redan skett? Rätta datumet",
                "justering-framtid",
            )
        )
    return found
