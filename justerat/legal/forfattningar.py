"""The författningssamling: a föreskrift's file → its record, and the law's rules checked
against the archive. No I/O.

Kommunallagen (2017:725) 8 kap. 13 § (docs/law-sources.md):
- första stycket: kommunala föreskrifter are kungjorda by the board's notice that the protocol
  adopting them has been justerat. A föreskrift therefore binds the public only from that
  notice, whatever day it says it comes into force;
- andra stycket: those in force are available on the website, gathered in a
  författningssamling or otherwise, with a register of what it holds.
(The issue that asked for this cited 8 kap. 14 §; that paragraph is "Insyn i budgeten".)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from ..core.problems import Problem, error, has_errors, nearest, warning
from ..domain.forfattningar import Decision, Forfattning, ForfattningKind, State
from ..domain.model import Summary
from ..domain.settings import Settings
from ..domain.source import Source
from ..reading import markdown

RULE_KUNGORELSE = "KL 8 kap. 13 § första stycket"
RULE_SAMLING = "KL 8 kap. 13 § andra stycket"


def forfattning(source: Source, site: Settings) -> tuple[Forfattning | None, list[Problem]]:
    """A föreskrift's record from its validated source, with the problems of its own file."""
    meta = source.meta
    problems: list[Problem] = []
    adopted, trouble = _decision(source, "adopted", site)
    problems += trouble
    repealed, trouble = _decision(source, "repealed", site) if meta.get("repealed") else (None, [])
    problems += trouble
    beteckning = meta["beteckning"]
    named = beteckning.replace(":", "-")
    if PurePosixPath(source.path).stem != named:
        problems.append(
            error(
                source.path,
                source.line_of("beteckning"),
                f"föreskriften {beteckning} ska ligga i filen {named}.md (beteckningen med "
                "bindestreck): byt namn på filen, eller rätta beteckningen",
                "forfattning",
            )
        )
    replaces = tuple(meta.get("replaces") or ())
    if beteckning in replaces:
        problems.append(
            error(
                source.path,
                source.line_of("replaces"),
                f"föreskriften {beteckning} kan inte ersätta sig själv; ta bort {beteckning} "
                "ur replaces",
                "forfattning",
            )
        )
    if adopted and repealed and repealed.date < adopted.date:
        problems.append(
            error(
                source.path,
                repealed.line,
                f"föreskriften upphävdes {repealed.date.isoformat()}, före beslutet som antog "
                f"den {adopted.date.isoformat()}; rätta något av datumen",
                "forfattning",
            )
        )
    html, toc, body_problems = markdown.document_body(source.path, source.body, source.body_line)
    problems += body_problems
    if has_errors(problems) or adopted is None:
        return None, problems
    return (
        Forfattning(
            source=source,
            beteckning=beteckning,
            title=meta["title"],
            kind=ForfattningKind.of(meta["kind"]),
            published=meta["status"] == "published",
            adopted=adopted,
            in_force=date.fromisoformat(meta["in_force"]),
            replaces=replaces,
            repealed=repealed,
            html=html,
            toc=toc,
        ),
        problems,
    )


def _decision(source: Source, key: str, site: Settings) -> tuple[Decision | None, list[Problem]]:
    data: Mapping[str, Any] = source.meta[key]
    decision = Decision(
        organ=data["organ"],
        date=date.fromisoformat(data["date"]),
        paragraph=int(data["paragraph"]),
        line=source.line_of(key),
    )
    if site.body(decision.organ) is not None:
        return decision, []
    known = [b.slug for b in site.bodies]
    hint = nearest(decision.organ, known)
    message = f"organet '{decision.organ}' finns inte i {site.path}"
    message += f"; menade du '{hint}'?" if hint else f" (kända: {', '.join(known)})"
    return None, [error(source.path, source.line_of(key, "organ"), message, "organ")]


def posted(decision: Decision, protocols: Iterable[Summary]) -> date | None:
    """The day the notice of the justering of the § that decided was posted: when the
    föreskrift was kungjord (None: the archive does not say)."""
    for protocol in protocols:
        if protocol.organ.slug == decision.organ and protocol.date == decision.date:
            days = [n.posted for n in protocol.notices if decision.paragraph in n.paragraphs]
            return min(days) if days else None
    return None


def state(each: Forfattning, on: date, successors: Mapping[str, Forfattning]) -> State:
    """Where a föreskrift stands on ``on``: repealed from the day of the decision that repealed
    it, replaced from the day its successor comes into force, else in force from its own day."""
    if each.repealed is not None and each.repealed.date <= on:
        return State.REPEALED
    successor = successors.get(each.beteckning)
    if successor is not None and successor.in_force <= on:
        return State.REPLACED
    return State.COMING if on < each.in_force else State.IN_FORCE


def successors(forfattningar: Iterable[Forfattning]) -> dict[str, Forfattning]:
    """Each replaced föreskrift's successor, by the replaced one's beteckning (the earliest in
    force, if two claim it; ``check`` reports that)."""
    found: dict[str, Forfattning] = {}
    for each in sorted(forfattningar, key=lambda f: (f.in_force, f.order)):
        for earlier in each.replaces:
            found.setdefault(earlier, each)
    return found


@dataclass(frozen=True)
class Register:
    """The register of the collection on a day (KL 8 kap. 13 § andra stycket): those in force
    by kind, in the kinds' order and by beteckning; those adopted and not yet in force; and
    those repealed or replaced, newest first, with their state."""

    in_force: tuple[tuple[ForfattningKind, tuple[Forfattning, ...]], ...]
    coming: tuple[Forfattning, ...]
    ended: tuple[tuple[Forfattning, State], ...]


def register(forfattningar: Iterable[Forfattning], on: date) -> Register:
    every = sorted(forfattningar, key=lambda f: f.order)
    after = successors(every)
    states = {f.beteckning: state(f, on, after) for f in every}
    current = [f for f in every if states[f.beteckning] is State.IN_FORCE]
    by_kind = ((kind, tuple(f for f in current if f.kind is kind)) for kind in ForfattningKind)
    return Register(
        in_force=tuple((kind, here) for kind, here in by_kind if here),
        coming=tuple(f for f in every if states[f.beteckning] is State.COMING),
        ended=tuple(
            (f, states[f.beteckning])
            for f in reversed(every)
            if states[f.beteckning] in (State.REPEALED, State.REPLACED)
        ),
    )


def adopted_at(forfattningar: Iterable[Forfattning]) -> dict[tuple[str, date], list[Forfattning]]:
    """The föreskrifter adopted at each meeting, by (organ, day), in the collection's order:
    what a protocol's justering notice kungör."""
    found: dict[tuple[str, date], list[Forfattning]] = defaultdict(list)
    for each in sorted(forfattningar, key=lambda f: f.order):
        found[(each.adopted.organ, each.adopted.date)].append(each)
    return dict(found)


def check(
    forfattningar: Iterable[Forfattning],
    protocols: Iterable[Summary],
    unmodelled: Set[tuple[str, date]] = frozenset(),
) -> list[Problem]:
    """The collection against itself and against the archive's protocols (drafts included, so
    that a protocol not yet justerat is named as such). A decision of a meeting whose protocol
    file has errors of its own (``unmodelled``: body and day) is not reported again."""
    every = sorted(forfattningar, key=lambda f: (f.order, f.path))
    minutes = list(protocols)
    problems: list[Problem] = []
    first: dict[str, Forfattning] = {}
    for each in every:
        if each.beteckning in first:
            other = first[each.beteckning]
            problems.append(
                error(
                    each.path,
                    each.source.line_of("beteckning"),
                    f"beteckningen {each.beteckning} har redan {other.path}; ge föreskriften "
                    f"nästa lediga nummer [{RULE_SAMLING}]",
                    "forfattning",
                )
            )
        else:
            first[each.beteckning] = each
    claimed: dict[str, list[Forfattning]] = defaultdict(list)
    for each in every:
        for decision, verb in ((each.adopted, "antogs"), (each.repealed, "upphävdes")):
            if decision is not None and (decision.organ, decision.date) not in unmodelled:
                problems += _decided(each, decision, verb, minutes)
        problems += _kungjord(each, minutes)
        for earlier in each.replaces:
            claimed[earlier].append(each)
            if earlier not in first:
                problems.append(
                    error(
                        each.path,
                        each.source.line_of("replaces"),
                        f"replaces nämner {earlier}, som inte finns i författningssamlingen; "
                        f"rätta beteckningen eller lägg till föreskriften {earlier}",
                        "forfattning",
                    )
                )
    for earlier, newer in claimed.items():
        problems += _replaced(first.get(earlier), newer)
    return problems


def _decided(
    each: Forfattning, decision: Decision, verb: str, protocols: list[Summary]
) -> list[Problem]:
    """The § named is in the archive, justerat; a warning when the archive begins later."""
    day = decision.date.isoformat()
    same_body = [p for p in protocols if p.organ.slug == decision.organ]
    # the justerat protocol of the meeting, if it has one besides a draft (a draft copy)
    meeting = sorted((p for p in same_body if p.date == decision.date), key=lambda p: p.is_draft)
    found = meeting[0] if meeting else None
    where = f"{decision.organ} {day} § {decision.paragraph}"
    if found is None:
        if not same_body or decision.date < min(p.date for p in same_body):
            return [
                warning(
                    each.path,
                    decision.line,
                    f"föreskriften {verb} {where}, men arkivet har inget protokoll så tidigt; "
                    "länken till paragrafen saknas tills protokollet finns i arkivet",
                    "forfattning",
                )
            ]
        return [
            error(
                each.path,
                decision.line,
                f"föreskriften {verb} {where}, men arkivet har inget protokoll från "
                f"{decision.organ} {day}; rätta datumet eller lägg till protokollet",
                "forfattning",
            )
        ]
    if decision.paragraph not in found.numbers:
        span = f"§ {min(found.numbers)}–{max(found.numbers)}" if found.numbers else "inga §§"
        return [
            error(
                each.path,
                decision.line,
                f"protokollet {found.path} har ingen § {decision.paragraph} ({span}); rätta "
                "paragrafen",
                "forfattning",
            )
        ]
    if found.is_draft and each.published:
        return [
            error(
                each.path,
                decision.line,
                f"protokollet {found.path} är inte justerat än; publicera föreskriften (status: "
                f"published) först när protokollet är justerat [{RULE_KUNGORELSE}]",
                "forfattning",
            )
        ]
    return []


def _kungjord(each: Forfattning, protocols: list[Summary]) -> list[Problem]:
    """A föreskrift binds the public only once kungjord: in force before the notice is up."""
    day = posted(each.adopted, protocols)
    if day is None or each.in_force >= day:
        return []
    return [
        warning(
            each.path,
            each.source.line_of("in_force"),
            f"föreskriften sägs gälla från {each.in_force.isoformat()}, men tillkännagivandet "
            f"att protokollet justerats sattes upp {day.isoformat()}; den binder allmänheten "
            f"först när den kungjorts [{RULE_KUNGORELSE}]",
            "forfattning",
        )
    ]


def _replaced(earlier: Forfattning | None, newer: list[Forfattning]) -> list[Problem]:
    """A replaced föreskrift is replaced once, by a later one, and is no longer in force."""
    if earlier is None:
        return []
    problems = []
    if len(newer) > 1:
        names = " och ".join(f.beteckning for f in newer)
        problems.append(
            error(
                newer[1].path,
                newer[1].source.line_of("replaces"),
                f"{earlier.beteckning} ersätts av både {names}; en föreskrift ersätts av en "
                "ny version; rätta replaces",
                "forfattning",
            )
        )
    successor = newer[0]
    if earlier.in_force >= successor.in_force:
        problems.append(
            error(
                earlier.path,
                earlier.source.line_of("in_force"),
                f"{earlier.beteckning} ersätts av {successor.beteckning} från "
                f"{successor.in_force.isoformat()} men gäller själv från "
                f"{earlier.in_force.isoformat()}: den vore både gällande och ersatt; rätta "
                "datumen eller replaces",
                "forfattning",
            )
        )
    return problems
