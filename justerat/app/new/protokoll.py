"""``new protokoll ORGAN DATUM``: the draft of a meeting's protocol, a § for each ärende of its
kallelse numbered on from the body's protocols earlier in the year, the attendees from the
body's members in site.yaml, and the law's dates as comments: a protocol is justerat within 14
days (kommunallagen 5 kap. 69 §, 6 kap. 35 §) and its justering announced on the anslagstavla by
the second day after (8 kap. 12 §, lag 1930:173)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ...core.problems import has_errors, report
from ...domain.model import Person
from ...domain.settings import Body, Member, Settings
from ...domain.source import Source
from ...legal import law
from ...reading import markdown
from ...reading.unfinished import (
    CHAIR_PLACEHOLDER,
    CHANGE,
    ITEM_PLACEHOLDER,
    MEMBER_PLACEHOLDER,
    PLACE_PLACEHOLDER,
    PROPOSAL_PLACEHOLDER,
    SECRETARY_PLACEHOLDER,
    TIME_PLACEHOLDER,
)
from .common import (
    MEETINGS,
    PROTOCOLS,
    Draft,
    Refused,
    body_of,
    comment,
    dated,
    long_day,
    lowered,
    markdown_files,
    moved,
    one_line,
    quoted,
    refuse_existing,
    scalar,
)
from .proceedings import proceedings_example

PARTY_MAX = 20  # a protocol's party is at most this long (protocol.schema.json)


# --- the facts a protocol's draft is made from ----------------------------------------------


@dataclass(frozen=True)
class Item:
    """One ärende of a kallelse."""

    title: str
    diarienummer: str | None = None
    proposal: str | None = None


@dataclass(frozen=True)
class Called:
    """A meeting's kallelse, as far as its protocol needs it."""

    path: str
    time: str
    place: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Numbering:
    """Where the new protocol's §§ start: after the highest § of the body's protocols earlier
    in the year (``after``: that protocol's file), and any protocol later in the year."""

    first: int = 1
    after: str | None = None
    later: tuple[str, ...] = ()


# --- text -----------------------------------------------------------------------------------


def _person_lines(person: Person, indent: str = "    ") -> list[str]:
    lines = [f"{indent}- name: {scalar(person.name)}"]
    if person.party and len(person.party) <= PARTY_MAX:
        lines.append(f"{indent}  party: {scalar(person.party)}")
    elif person.party:
        lines.append(
            f"{indent}  # parti {quoted(person.party)}: längre än "
            f"{PARTY_MAX} tecken, skriv förkortningen"
        )
    if person.represents:
        lines.append(f"{indent}  represents: {scalar(person.represents)}")
    if person.role:
        lines.append(f"{indent}  role: {scalar(person.role)}")
    if person.title:
        lines.append(f"{indent}  title: {scalar(person.title)}")
    return lines


def _people_lines(key: str, people: Sequence[Person]) -> list[str]:
    if not people:
        return [f"  {key}: []"]
    return [f"  {key}:"] + [line for person in people for line in _person_lines(person)]


_IMPLIED_ROLES = {"ledamot", "ordinarie ledamot", "ersättare"}


def attendance(members: Sequence[Member]) -> tuple[list[Person], list[Person]]:
    """The ledamöter (voting) and the ersättare (substitutes) of a body's members, their
    roles kept but for those the list itself says."""
    voting: list[Person] = []
    substitutes: list[Person] = []
    for member in members:
        role = (member.role or "").strip()
        kept = Person(
            name=member.name,
            party=(member.party or "").strip() or None,
            represents=(member.represents or "").strip() or None,
            role=None if role.casefold() in _IMPLIED_ROLES else role or None,
        )
        (substitutes if role.casefold().startswith("ersättare") else voting).append(kept)
    return voting, substitutes


def signatories(voting: Sequence[Person]) -> tuple[str, str]:
    """The chair (the ordförande, else the first ledamot) and a justerare to change (the vice
    ordförande, else another ledamot, else the chair): both among the voting, as ``check``
    requires."""

    def with_role(role: str) -> Person | None:
        """The first with ``role`` ('vice ordförande' is also '1:e vice ordförande')."""
        return next((p for p in voting if (p.role or "").casefold().endswith(role)), None)

    chair = next((p for p in voting if (p.role or "").casefold() == "ordförande"), voting[0]).name
    others = [p for p in voting if p.name != chair]
    justerare = (with_role("vice ordförande") or (others[0] if others else None) or voting[0]).name
    return chair, justerare


def _has_chair(voting: Sequence[Person]) -> bool:
    return any((p.role or "").casefold() == "ordförande" for p in voting)


def protocol_text(
    body: Body,
    day: date,
    called: Called | None,
    first: int,
    secretary: Mapping[str, Any] | None,
    calendar: law.Calendar,
) -> str:
    """A draft protocol: a § for each ärende of the kallelse (or one example) numbered from
    ``first``, the attendee lists from the body's members, the law's dates as comments."""
    voting, substitutes = attendance([m for m in body.members if m.serves_on(day)])
    from_members = bool(voting)
    if not voting:
        voting = [
            Person(name=CHAIR_PLACEHOLDER, role="ordförande"),
            Person(name=MEMBER_PLACEHOLDER),
        ]
    chair, justerare = signatories(voting)
    items = called.items if called is not None and called.items else None
    if items is None:
        items = (Item(ITEM_PLACEHOLDER, proposal=PROPOSAL_PLACEHOLDER),)
    lines = [
        "---",
        f"# Protokoll från sammanträde med {lowered(body.name)} {long_day(day)}. Ett utkast:",
        "# det publiceras först när status är justerat.",
        f"organ: {body.slug}",
        "status: draft  # draft | justerat",
        f"date: {day.isoformat()}",
        *_time_and_place(called),
        "digital: false",
        "attendees:",
        "  # Från ledamöterna i site.yaml: flytta den som inte kom till absent och en"
        if from_members
        else f"  # {CHANGE}: skriv ledamöterna (site.yaml anger inga members för {body.slug}).",
        "  # tjänstgörande ersättare till serving_substitutes (med replaces: ledamoten)."
        if from_members
        else "  # Ordföranden och justeraren ska stå bland voting.",
        *_people_lines("voting", voting),
        "  serving_substitutes: []",
        *_people_lines("substitutes", substitutes),
        "  absent: []",
        "  others: []",
        *_secretary_lines(secretary),
        f"chair: {scalar(chair)}"
        + ("" if _has_chair(voting) else f"  # {CHANGE}: site.yaml anger ingen ordförande"),
        "justerare:",
        f"  - {scalar(justerare)}  # {CHANGE}: den som utses vid sammanträdet (bland voting)",
        *_deadline_lines(day, calendar),
        *proceedings_example(
            body, _example_paragraph(items, first), voting, chair, not from_members
        ),
        "---",
        "",
    ]
    for number, item in enumerate(items, first):
        lines += _paragraph_lines(number, item)
    return "\n".join(lines).rstrip("\n") + "\n"


def _time_and_place(called: Called | None) -> list[str]:
    from ...legal.meeting import times

    found = times(called.time) if called is not None else None
    if called is None or found is None:
        return [
            f'time: "{TIME_PLACEHOLDER}"  # {CHANGE}: när sammanträdet började och slutade',
            f"place: {quoted(called.place if called else PLACE_PLACEHOLDER)}",
        ]
    start, end = found
    note = "  # när sammanträdet började och slutade" + (
        f"; {CHANGE}: sluttiden" if end is None else ""
    )
    return [
        f'time: "{start}-{end or start}"{note}',
        f"place: {quoted(called.place)}",
    ]


def _secretary_lines(secretary: Mapping[str, Any] | None) -> list[str]:
    name = secretary.get("name") if secretary else None
    if not isinstance(name, str) or not name.strip():
        return ["secretary:", f"  name: {SECRETARY_PLACEHOLDER}  # {CHANGE}"]
    lines = ["secretary:  # som i förra protokollet", f"  name: {scalar(name.strip())}"]
    title = secretary.get("title") if secretary else None
    if isinstance(title, str) and title.strip():
        lines.append(f"  title: {scalar(title.strip())}")
    return lines


def _deadline_lines(day: date, calendar: law.Calendar) -> list[str]:
    """The justering's last day and the posting deadline it gives, as comments."""
    last = law.justering_deadline(day)
    posting = calendar.posting_deadline(last)
    unmoved = last + timedelta(days=law.POSTING_DAYS)
    return [
        *comment(
            f"Justeringen: senast {long_day(last)} ({last.isoformat()}), {law.JUSTERING_DAYS} "
            "dagar efter sammanträdet (KL 5 kap. 69 §, 6 kap. 35 §)."
        ),
        *comment(
            "Anslaget om justeringen sätts upp senast andra dagen efter justeringen "
            f"(KL 8 kap. 12 §): för en justering {long_day(last)} senast {long_day(posting)} "
            f"({posting.isoformat()}){moved(calendar, unmoved, posting)}."
        ),
        *comment(
            "När protokollet är justerat: skriv dagarna nedan och status: justerat. "
            "'python build.py anslag FIL' räknar ut datumen från justeringen."
        ),
        "# justering:",
        f"#   date: {last.isoformat()}",
        "#   digital: true",
        "# anslag:",
        f"#   posted: {posting.isoformat()}",
    ]


def _example_paragraph(items: Sequence[Item], first: int) -> int:
    """The § of the example: the first ärende with a proposal, else the first."""
    with_proposal = (n for n, item in enumerate(items, first) if (item.proposal or "").strip())
    return next(with_proposal, first)


def _paragraph_lines(number: int, item: Item) -> list[str]:
    lines = [f"## § {number} {one_line(item.title)}", ""]
    if item.diarienummer:
        lines += [f"Diarienummer: {one_line(item.diarienummer)}", ""]
    if item.proposal and item.proposal.strip():
        lines += ["### Förslag till beslut", "", item.proposal.strip(), ""]
    lines += ["### Beslut", "", ""]
    return lines


# --- reading the content folder ------------------------------------------------------------


def called(source: Source) -> Called:
    """The kallelse of a meeting file validated against its schema."""
    meta = source.meta
    moved_to = meta.get("moved_to") or {}
    items = tuple(
        Item(str(item["title"]), item.get("diarienummer"), item.get("proposal"))
        for item in meta.get("items") or ()
    )
    return Called(
        source.path,
        moved_to.get("time") or meta["time"],
        moved_to.get("place") or meta["place"],
        items,
    )


def find_kallelse(content: Path, organ: str, day: date) -> Called | None:
    """The kallelse of the body's meeting held on ``day``: the meeting of that date, or one
    moved to it. Refused if that meeting was cancelled or moved elsewhere, or its file has
    errors."""
    from ...reading.frontmatter import Gates, validate

    for when, source in dated(markdown_files(content / MEETINGS / organ), organ):
        status = source.meta.get("status")
        moved_to = (source.meta.get("moved_to") or {}).get("date")
        held_here = status == "moved" and moved_to == day.isoformat()
        if not held_here and when != day:
            continue
        if status == "cancelled":
            raise Refused(f"sammanträdet {day.isoformat()} är inställt ({source.path})")
        if status == "moved" and not held_here:
            raise Refused(
                f"sammanträdet {day.isoformat()} är flyttat till {moved_to} ({source.path}); "
                f"skriv protokollet för {moved_to}"
            )
        problems = validate(source, "meeting", Gates())
        if has_errors(problems):
            raise Refused(f"kallelsen {source.path} har fel; rätta dem först:\n{report(problems)}")
        return called(source)
    return None


def numbering(content: Path, organ: str, day: date) -> Numbering:
    """The first § of the body's protocol of ``day``: on from the highest § of its protocols
    earlier in the same year (1 if none). Refused if the meeting has a protocol already."""
    best: tuple[int, str] | None = None
    later: list[str] = []
    for when, source in dated(markdown_files(content / PROTOCOLS / organ), organ):
        if when == day:
            raise Refused(f"{source.path} är redan protokollet från sammanträdet {day}")
        if when.year != day.year:
            continue
        parsed, _ = markdown.protocol_body(source.path, source.body, source.body_line)
        numbers = [p.number for p in parsed.paragraphs]
        if when > day:
            later.append(source.path)
        elif numbers and (best is None or max(numbers) > best[0]):
            best = (max(numbers), source.path)
    if best is None:
        return Numbering(1, None, tuple(later))
    return Numbering(best[0] + 1, best[1], tuple(later))


def last_secretary(content: Path, organ: str, day: date) -> Mapping[str, Any] | None:
    """The secretary of the body's latest protocol before ``day``."""
    found = [
        (when, source)
        for when, source in dated(markdown_files(content / PROTOCOLS / organ), organ)
        if when < day and isinstance(source.meta.get("secretary"), dict)
    ]
    if not found:
        return None
    secretary: Mapping[str, Any] = max(found, key=lambda pair: pair[0])[1].meta["secretary"]
    return secretary


def protocol(content: Path, site: Settings, organ: str, day: date, calendar: law.Calendar) -> Draft:
    """The draft of the protocol of a meeting."""
    body = body_of(site, organ)
    path = content / PROTOCOLS / organ / f"{day.isoformat()}.md"
    refuse_existing(path)
    numbers = numbering(content, organ, day)
    found = find_kallelse(content, organ, day)
    notes = []
    if found is not None and found.items:
        notes.append(f"Ärendena är hämtade från kallelsen {found.path}.")
    elif found is not None:
        notes.append(f"Kallelsen {found.path} har inga ärenden: protokollet fick en exempel-§.")
    else:
        notes.append(
            f"Det finns ingen kallelse {content.as_posix()}/{MEETINGS}/{organ}/"
            f"{day.isoformat()}.md: protokollet fick en exempel-§ ({CHANGE})."
        )
    count = len(found.items) if found is not None and found.items else 1
    last = numbers.first + count - 1
    if numbers.after:
        span = f"§ {numbers.first}" + (f"–{last}" if last > numbers.first else "")
        notes.append(f"Paragraferna är numrerade {span}, efter {numbers.after}.")
    else:
        notes.append(f"Paragraferna är numrerade från § 1 (inget tidigare protokoll {day.year}).")
    if numbers.later:
        notes.append(
            f"Obs: det finns senare protokoll {day.year} ({', '.join(numbers.later)}); "
            "kontrollera numreringen."
        )
    if not body.members:
        notes.append(
            f"site.yaml anger inga ledamöter (members) för {organ}: skriv deltagarna ({CHANGE})."
        )
    justering = law.justering_deadline(day)
    steps = (
        "Fyll i närvaron, ordföranden och justeraren (den som utses vid sammanträdet).",
        "Skriv besluten under ### Beslut; omröstning, jäv och reservationer under "
        "proceedings: (exemplet sist i front matter).",
        f"Justera protokollet senast {long_day(justering)} (KL 5 kap. 69 §) och sätt upp "
        f"anslaget senast andra dagen efter (KL 8 kap. 12 §): 'python build.py anslag "
        f"{path.as_posix()}' räknar ut datumen.",
        "Skriv justering: och anslag: och sätt status: justerat; då publiceras det.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    )
    secretary = last_secretary(content, organ, day)
    return Draft(
        path,
        protocol_text(body, day, found, numbers.first, secretary, calendar),
        f"protokoll från sammanträde med {lowered(body.name)} {long_day(day)}",
        tuple(notes),
        steps,
    )
