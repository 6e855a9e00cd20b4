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
from ..core.swedish import swedish_date
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
                f"föreskriften upphävdes {swedish_date(repealed.date)}, före beslutet som antog "
                f"den {swedish_date(adopted.date)}; rätta något av datumen",
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
        effective=date.fromisoformat(data["from"]) if data.get("from") else None,
    )
    if site.body(decision.organ) is not None:
        return decision, []
    known = [b.slug for b in site.bodies]
    hint = nearest(decision.organ, known)
    message = f"organet '{decision.organ}' finns inte i {site.path}"
    message += f"; menade du '{hint}'?" if hint else f" (kända: {', '.join(known)})"
    return None, [error(source.path, source.line_of(key, "organ"), message, "organ")]


def meeting_of(decision: Decision, protocols: Iterable[Summary]) -> Summary | None:
    """The protocol of the meeting that decided: the justerat one, if a draft copy of it is
    there too."""
    found = [p for p in protocols if p.organ.slug == decision.organ and p.date == decision.date]
    return min(found, key=lambda p: p.is_draft) if found else None


def posted(decision: Decision, protocols: Iterable[Summary]) -> date | None:
    """The day the notice of the justering of the § that decided was posted: when the decision
    was kungjord (None: the archive does not say, or the protocol is not justerat)."""
    protocol = meeting_of(decision, protocols)
    if protocol is None or protocol.is_draft:
        return None
    days = [n.posted for n in protocol.notices if decision.paragraph in n.paragraphs]
    return min(days) if days else None


def before_the_archive(decision: Decision, protocols: Iterable[Summary]) -> bool:
    """Whether the decision is older than the archive: no protocol of the body on its day or
    before (its protocol was never imported; what the föreskrift says is taken as it is)."""
    return not any(p.organ.slug == decision.organ and p.date <= decision.date for p in protocols)


def in_effect(
    decision: Decision, protocols: Iterable[Summary], known: Iterable[Summary] | None = None
) -> date | None:
    """The day a decision binds the public: the day it says (``effective``, a repeal's
    ``from``), but never before it is kungjord (KL 8 kap. 13 § första stycket); None while it is
    not kungjord. A decision older than the archive (``known``: every protocol, drafts too;
    by default ``protocols``) is taken at its word."""
    every = list(protocols)
    day = posted(decision, every)
    if day is None:
        older = before_the_archive(decision, every if known is None else known)
        return (decision.effective or decision.date) if older else None
    return max(decision.effective or day, day)


def starts(each: Forfattning, protocols: Iterable[Summary]) -> date | None:
    """The day the föreskrift is in force: its ``in_force``, but not before it is kungjord."""
    kungjord = in_effect(each.adopted, protocols)
    return None if kungjord is None else max(each.in_force, kungjord)


def state(
    each: Forfattning, on: date, successors: Mapping[str, Forfattning], protocols: Iterable[Summary]
) -> State:
    """Where a föreskrift stands on ``on``: repealed from the day its repeal binds, replaced
    from the day its successor is in force, in force from the day it is (``starts``)."""
    every = list(protocols)
    if each.repealed is not None:
        ended = in_effect(each.repealed, every)
        if ended is not None and ended <= on:
            return State.REPEALED
    successor = successors.get(each.beteckning)
    if successor is not None:
        replaced = starts(successor, every)
        if replaced is not None and replaced <= on:
            return State.REPLACED
    begins = starts(each, every)
    return State.IN_FORCE if begins is not None and begins <= on else State.COMING


def public(
    forfattningar: Iterable[Forfattning],
    protocols: Iterable[Summary],
    known: Iterable[Summary],
    today: date,
) -> tuple[Forfattning, ...]:
    """The föreskrifter the public sees on ``today``: those kungjord by then (the notice that
    their protocol, among the public ``protocols``, is justerat is up), and those older than
    the archive (``known``: every protocol, drafts too). A föreskrift waits for its protocol's
    notice, as the protocol waits for its justering."""
    every, all_known = list(protocols), list(known)
    return tuple(
        f
        for f in forfattningar
        if (day := in_effect(f.adopted, every, all_known)) is not None and day <= today
    )


def waiting(
    forfattningar: Iterable[Forfattning], protocols: Iterable[Summary], today: date
) -> list[Problem]:
    """A warning for each published föreskrift that waits for the notice that kungör it: the
    office sees why it is not on the site yet, and when it will be."""
    every = list(protocols)
    found = []
    for each in forfattningar:
        day = posted(each.adopted, every)
        if each.is_draft or day is None or day <= today:
            continue
        found.append(
            warning(
                each.path,
                each.adopted.line,
                f"föreskriften publiceras {swedish_date(day)}, när anslaget om att protokollet "
                f"justerats sätts upp; till dess finns den inte på webbplatsen "
                f"[{RULE_KUNGORELSE}]",
                "forfattning-vantar",
            )
        )
    return found


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


def register(
    forfattningar: Iterable[Forfattning], on: date, protocols: Iterable[Summary]
) -> Register:
    every = sorted(forfattningar, key=lambda f: f.order)
    after = successors(every)
    minutes = list(protocols)
    states = {f.beteckning: state(f, on, after, minutes) for f in every}
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
    # a draft never takes a published one's place (its problems stay a draft's)
    for each in sorted(every, key=lambda f: (f.is_draft, f.path)):
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
    day = swedish_date(decision.date)
    same_body = [p for p in protocols if p.organ.slug == decision.organ]
    found = meeting_of(decision, same_body)
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
            f"föreskriften sägs gälla från {swedish_date(each.in_force)}, men tillkännagivandet "
            f"att protokollet justerats sattes upp {swedish_date(day)}; den binder allmänheten "
            f"först när den kungjorts [{RULE_KUNGORELSE}]",
            "forfattning",
        )
    ]


def _replaced(earlier: Forfattning | None, newer: list[Forfattning]) -> list[Problem]:
    """A replaced föreskrift is replaced once, by a later one, and is no longer in force."""
    if earlier is None:
        return []
    problems = []
    # the newer file is told (a draft's first): it is the one that claims to replace
    blamed = sorted(newer, key=lambda f: (not f.is_draft, f.order))
    if len(newer) > 1:
        names = " och ".join(f.beteckning for f in newer)
        problems.append(
            error(
                blamed[0].path,
                blamed[0].source.line_of("replaces"),
                f"{earlier.beteckning} ersätts av både {names}; en föreskrift ersätts av en "
                "ny version; rätta replaces",
                "forfattning",
            )
        )
    for successor in newer:
        if earlier.in_force >= successor.in_force:
            problems.append(
                error(
                    successor.path,
                    successor.source.line_of("replaces"),
                    f"{successor.beteckning} ersätter {earlier.beteckning} från "
                    f"{swedish_date(successor.in_force)}, men {earlier.beteckning} gäller själv "
                    f"först från {swedish_date(earlier.in_force)}: den vore både gällande och "
                    "ersatt; rätta in_force eller replaces",
                    "forfattning",
                )
            )
    return problems
