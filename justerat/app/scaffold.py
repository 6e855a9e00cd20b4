"""Drafts for the secretary: ``python build.py new kallelse|protokoll|anslag``.

Each kind of draft is made in two steps. The first reads what the content folder already says
(the settings, the body's latest earlier meeting, the meeting's kallelse, the body's protocols of
the year) into small records; the second, a pure function of those records, returns the file's
text: a draft (``status: draft``) that ``check`` accepts, with the law's dates written beside
it as YAML comments. ``write`` puts the text in its file and never overwrites one.

Where the content says nothing (no earlier meeting, no members in site.yaml), a draft holds a
placeholder marked ÄNDRA ("change") that is still valid against its schema, so that the draft
can be checked and previewed at once. A protocol's draft also carries an example of
``proceedings`` (yrkanden, a vote by name, a reservation) as comments between two marker lines,
named from its own beslutande so that it is valid once uncommented. The dates:

- a fullmäktige meeting's kungörelse is posted at least a week before the meeting day
  (kommunallagen 5 kap. 13 §, ``law.kungorelse_deadline``);
- a protocol is justerat within 14 days (5 kap. 69 §, 6 kap. 35 §) and its justering announced
  on the anslagstavla by the second day after (8 kap. 12 §, lag 1930:173);
- a delegationsbeslut is appealed within three weeks from the day its notice is posted
  (13 kap. 5 §, lag 1930:173).
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core.problems import has_errors, nearest, report
from ..core.swedish import swedish_date
from ..domain.model import AnnouncementKind, Person
from ..domain.settings import Body, Member, Settings
from ..domain.source import Source, read_file
from ..legal import law, people
from ..reading import markdown

MEETINGS = "meetings"
PROTOCOLS = "protocols"
NOTICES = "notices"
CHANGE = "ÄNDRA"  # marks what the secretary must change before the draft is published
PLACE_PLACEHOLDER = f"{CHANGE}: lokal och adress"
TIME_PLACEHOLDER = "09.00-12.00"
PARTY_MAX = 20  # a protocol's party is at most this long (protocol.schema.json)
NOTICE_TITLES = {
    AnnouncementKind.DELEGATION: "Delegationsbeslut",
    AnnouncementKind.PLANNING: "Kungörelse enligt plan- och bygglagen",
    AnnouncementKind.REGULATIONS: "Antagna föreskrifter",
    AnnouncementKind.VEHICLES: "Flyttning av fordon",
    AnnouncementKind.AUTHORITY: "Kungörelse från annan myndighet",
    AnnouncementKind.OTHER: "Anslag",
}


class Refused(Exception):
    """Why a draft cannot be made or written, in Swedish, naming the file."""


@dataclass(frozen=True)
class Draft:
    """A draft's file and text, with what the secretary should know and do next."""

    path: Path
    text: str
    what: str  # "kallelse till sammanträde med styrelsen …"
    notes: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()

    def message(self) -> str:
        """What ``new`` prints once the draft is written."""
        lines = [f"Skrev {self.path.as_posix()}: {self.what} (utkast, status: draft)."]
        lines += self.notes
        if self.steps:
            lines.append("Nästa steg:")
            lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, 1)]
        return "\n".join(lines)


# --- the facts a draft is made from -------------------------------------------------------


@dataclass(frozen=True)
class Earlier:
    """The body's latest meeting before the new one: its time and place are likely again."""

    day: date
    time: str
    place: str
    path: str


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

_PLAIN = re.compile(r"[^\W\d_][\w .,()/–-]*")
_NOT_PLAIN = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(text: str) -> str:
    """``text`` as a YAML value: plain when it reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and text == text.strip() and text.casefold() not in _NOT_PLAIN:
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    """``text`` in double quotes: a JSON string is a YAML string."""
    return json.dumps(text, ensure_ascii=False)


def _day(value: date) -> str:
    return swedish_date(value, weekday=True)


def _lowered(name: str) -> str:
    """'Styrelsen' → 'styrelsen' inside a sentence; 'KS' stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _moved(calendar: law.Calendar, unmoved: date, value: date) -> str:
    """', flyttad från fredag 1 januari 2027 (nyårsdagen) enligt lag 1930:173' when that law
    moved a period's last day."""
    if unmoved == value:
        return ""
    reason = calendar.closed_because(unmoved)
    named = f" ({_lowered(reason)})" if reason not in (None, "lördag", "söndag") else ""
    return f", flyttad från {_day(unmoved)}{named} enligt lag 1930:173"


_UNBROKEN = re.compile(
    r"(?:KL )?\d+ kap\. \d+ §|lag \d{4}:\d+|\w+dag \d{1,2} \w+ \d{4}|posted: \S+"
)
_NBSP = "\u00a0"  # textwrap breaks lines at ASCII whitespace only


def comment(text: str, indent: str = "") -> list[str]:
    """``text`` as YAML comment lines of at most 100 characters; a rule's citation and a
    date stay on one line."""
    width = 100 - len(indent) - 2
    joined = _UNBROKEN.sub(lambda found: found.group().replace(" ", _NBSP), text)
    wrapped = textwrap.wrap(joined, width, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}# {line.replace(_NBSP, ' ')}" for line in wrapped]


def kallelse_text(body: Body, day: date, earlier: Earlier | None) -> str:
    """A draft meeting with its kallelse: time and place as at ``earlier``, an empty
    ärendelista with examples, and for fullmäktige the kungörelse's last day (KL 5:13)."""
    lines = [
        "---",
        *comment(
            f"Kallelse till sammanträde med {_lowered(body.name)} {_day(day)}. Ett utkast: "
            "det publiceras först när status är planned (kallelsen skickas ut)."
        ),
        f"organ: {body.slug}",
        f"date: {day.isoformat()}",
    ]
    if earlier is not None:
        lines += [
            f"# Tid och plats som vid sammanträdet {swedish_date(earlier.day)}; ändra vid behov.",
            f"time: {_quoted(earlier.time)}",
            f"place: {_quoted(earlier.place)}",
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
                f"ärenden minst en vecka före sammanträdesdagen: senast {_day(deadline)} "
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
        f"Ledamöter och ersättare kallas till sammanträde med {_lowered(body.name)}. "
        "Förhinder anmäls till kansliet.",
        "",
    ]
    return "\n".join(lines)


def _person_lines(person: Person, indent: str = "    ") -> list[str]:
    lines = [f"{indent}- name: {scalar(person.name)}"]
    if person.party and len(person.party) <= PARTY_MAX:
        lines.append(f"{indent}  party: {scalar(person.party)}")
    elif person.party:
        lines.append(
            f"{indent}  # parti {_quoted(person.party)}: längre än "
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
        voting = [Person(name="NN ordförande", role="ordförande"), Person(name="NN ledamot")]
    chair, justerare = signatories(voting)
    items = called.items if called is not None and called.items else None
    if items is None:
        items = (Item(f"{CHANGE}: ärendets rubrik", proposal="Förslaget till beslut."),)
    lines = [
        "---",
        f"# Protokoll från sammanträde med {_lowered(body.name)} {_day(day)}. Ett utkast:",
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
    from ..legal.meeting import times

    found = times(called.time) if called is not None else None
    if called is None or found is None:
        return [
            f'time: "{TIME_PLACEHOLDER}"  # {CHANGE}: när sammanträdet började och slutade',
            f"place: {_quoted(called.place if called else PLACE_PLACEHOLDER)}",
        ]
    start, end = found
    note = "  # när sammanträdet började och slutade" + (
        f"; {CHANGE}: sluttiden" if end is None else ""
    )
    return [
        f'time: "{start}-{end or start}"{note}',
        f"place: {_quoted(called.place)}",
    ]


def _secretary_lines(secretary: Mapping[str, Any] | None) -> list[str]:
    name = secretary.get("name") if secretary else None
    if not isinstance(name, str) or not name.strip():
        return ["secretary:", f"  name: NN sekreterare  # {CHANGE}"]
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
            f"Justeringen: senast {_day(last)} ({last.isoformat()}), {law.JUSTERING_DAYS} "
            "dagar efter sammanträdet (KL 5 kap. 69 §, 6 kap. 35 §)."
        ),
        *comment(
            "Anslaget om justeringen sätts upp senast andra dagen efter justeringen "
            f"(KL 8 kap. 12 §): för en justering {_day(last)} senast {_day(posting)} "
            f"({posting.isoformat()}){_moved(calendar, unmoved, posting)}."
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


# The example of ``proceedings`` is YAML comments between these two lines: taking the "# " off
# the lines between them gives a valid entry for the draft's own beslutande.
EXAMPLE_START = "# EXEMPEL proceedings: början"
EXAMPLE_END = "# EXEMPEL proceedings: slut"
_EXAMPLE_WIDTH = 98  # a line of the example once commented out ("# ") is at most 100 long


def _example_paragraph(items: Sequence[Item], first: int) -> int:
    """The § of the example: the first ärende with a proposal, else the first."""
    with_proposal = (n for n, item in enumerate(items, first) if (item.proposal or "").strip())
    return next(with_proposal, first)


def _sides(voting: Sequence[Person], chair: str) -> tuple[list[str], list[str]]:
    """The example's ja and nej: the last (n - 1) // 2 of the n beslutande vote nej (one of two:
    then the chair's vote decides, KL 5 kap. 56 §), the chair and the others ja. Each is named
    as the proceedings name them: one of two namesakes with the party after the name."""
    shown = _as_proceedings_name(voting)
    at = next((index for index, p in enumerate(voting) if p.name == chair), None)
    first = shown[at] if at is not None else chair
    others = [name for index, name in enumerate(shown) if index != at]
    against = max((len(voting) - 1) // 2, min(len(others), 1))
    split = len(others) - against
    return [first, *others[:split]], others[split:]


def _as_proceedings_name(persons: Sequence[Person]) -> list[str]:
    """Each person's name, with the party after it for two of one name ('Anders Andersson
    (S)', ``people.with_party``)."""
    count: dict[str, int] = {}
    for person in persons:
        count[people.key(person.name)] = count.get(people.key(person.name), 0) + 1
    return [
        people.with_party(p.name, p.party) if count[people.key(p.name)] > 1 and p.party else p.name
        for p in persons
    ]


def _flow(name: str) -> str:
    """A name as an item of a YAML flow list, where a comma separates items."""
    return _quoted(name) if "," in name else scalar(name)


def _name_list(head: str, names: Sequence[str], indent: str) -> list[str]:
    """``head`` ('      yes:') with the names as a flow list, wrapped onto lines at ``indent``."""
    lines: list[str] = []
    line = f"{head} ["
    for index, name in enumerate(names):
        item = _flow(name) + ("," if index < len(names) - 1 else "")
        if line.endswith("[") or len(line) + len(item) + 2 <= _EXAMPLE_WIDTH:
            line += item if line.endswith("[") else f" {item}"
        else:
            lines.append(line)
            line = indent + item
    lines.append(line + "]")
    return lines


def _noted(lines: list[str], note: str) -> list[str]:
    """``lines`` with ``note`` as a comment beside them when it fits, else on a line above."""
    if len(lines) == 1 and len(lines[0]) + len(note) + 4 <= _EXAMPLE_WIDTH:
        return [f"{lines[0]}  # {note}"]
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    return [f"{indent}# {note}", *lines]


def _example_entry(body: Body, number: int, yes: list[str], no: list[str]) -> list[str]:
    """The example entry as YAML (uncommented): yrkanden, a vote by name and a reservation by
    those who voted nej; the other keys as comments within it."""
    order = textwrap.wrap(
        "Ordföranden ställer proposition på bifall mot avslag och finner att "
        f"{_lowered(body.name)} bifaller förslaget. Omröstning begärs.",
        _EXAMPLE_WIDTH - 6,
    )
    lines = [
        "proceedings:",
        f"  - paragraph: {number}  # paragrafens nummer; en post per paragraf där något hände",
        "    # arrived: [namn]  # beslutande som kom till sammanträdet vid denna paragraf",
        "    # left: [namn]  # beslutande som lämnade sammanträdet före denna paragraf",
        "    # serving: [{name: namn, replaces: namn}]  # ersättare som går in för en ledamot",
        "    # jav: [namn]  # anmälde jäv: deltar inte i paragrafen, varken yrkar eller röstar",
        "    proposals:  # yrkandena i ordning: vem (by) och vad (text)",
        f"      - {{by: {_flow(yes[-1])}, text: Bifall till förslaget.}}",
        *([f"      - {{by: {_flow(no[0])}, text: Avslag på förslaget.}}"] if no else []),
        "    proposition_order: >-  # propositionsordningen, som protokollet skriver den",
        *[f"      {line}" for line in order],
        "    vote:  # omröstningen: namnen, eller bara antalet (yes: 4)",
        "      yes_means: bifall till förslaget  # vad en ja-röst gäller",
        "      no_means: avslag på förslaget  # vad en nej-röst gäller",
        *_noted(_name_list("      yes:", yes, "        "), "de som röstade ja"),
        *_noted(_name_list("      no:", no, "        "), "de som röstade nej"),
        "      abstain: []  # de som avstod; ja, nej och avstår är alla som tjänstgör, en gång var",
        "      result: yes  # yes | no: den sida som vann (vid lika röster ordförandens sida)",
    ]
    if no:
        lines += [
            "    reservations:  # bara den som deltog i beslutet reserverar sig (KL 4 kap. 27 §)",
            *_noted(_name_list("      - by:", no, "          "), "ett namn eller en lista"),
            "        # against: vad reservationen gäller, om den inte gäller hela beslutet",
            "        # text: en skriftlig reservation",
        ]
    else:  # one beslutande: nobody voted against to reserve
        lines.append("    # reservations: [{by: namn}]  # de som reserverade sig mot beslutet")
    return [*lines, "    # notes: [{by: namn, text: …}]  # protokollsanteckningar"]


def proceedings_example(
    body: Body, number: int, voting: Sequence[Person], chair: str, placeholders: bool = False
) -> list[str]:
    """A commented-out ``proceedings`` entry for § ``number``: who proposed, voted and reserved,
    named from ``voting`` (``placeholders``: the draft's NN names) so that it is valid once the
    "# " is taken off its lines."""
    yes, no = _sides(voting, chair)
    entry = _example_entry(body, number, yes, no)
    renamed = (
        " Namnen är platshållarna under attendees: skriv samma namn här som där."
        if placeholders
        else ""
    )
    return [
        *comment(
            "Vem som beslutade vad vid en paragraf (närvaro, jäv, yrkanden, omröstning, "
            "reservationer) skrivs under proceedings:, en post per paragraf; se "
            '"Närvaro, jäv, omröstning och reservationer" i docs/guide.md. Exemplet nedan är '
            'bara kommentarer, med protokollets egna beslutande. Ta bort "# " först på raderna '
            "mellan EXEMPEL-raderna, ändra till det som hände och stryk det som inte hände."
            + renamed
        ),
        EXAMPLE_START,
        *[f"# {line}" for line in entry],
        EXAMPLE_END,
    ]


def _paragraph_lines(number: int, item: Item) -> list[str]:
    lines = [f"## § {number} {_one_line(item.title)}", ""]
    if item.diarienummer:
        lines += [f"Diarienummer: {_one_line(item.diarienummer)}", ""]
    if item.proposal and item.proposal.strip():
        lines += ["### Förslag till beslut", "", item.proposal.strip(), ""]
    lines += ["### Beslut", "", ""]
    return lines


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
            f'decided_by: "{CHANGE}: delegatens titel eller namn"',
            '# diarienummer: "2026/12"',
            *comment(
                f"Sista dag att överklaga: {_day(last)} ({last.isoformat()}), tre veckor från "
                f"dagen anslaget sätts upp, KL 13 kap. 5 §{_moved(calendar, unmoved, last)}. "
                f"Anslaget tas ned tidigast {_day(down)} ({down.isoformat()}). Räknat från "
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
    lines += ["---", f"{CHANGE}: anslagets text.", ""]
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


# --- reading the content folder ------------------------------------------------------------


def settings(content: Path) -> Settings:
    """The site's settings, or Refused with their problems."""
    from ..loading.content import load_settings
    from ..reading.frontmatter import Gates

    site, problems = load_settings(content, Gates())
    if site is None:
        raise Refused(report(problems))
    return site


def body_of(site: Settings, slug: str) -> Body:
    """The body ``slug``, or Refused naming the nearest known one."""
    found = site.body(slug)
    if found is not None:
        return found
    known = [b.slug for b in site.bodies]
    hint = nearest(slug, known)
    message = f"organet '{slug}' finns inte i {site.path}"
    if hint:
        message += f"; menade du '{hint}'?"
    else:
        message += f"; kända organ: {', '.join(known)} (lägg till nya under bodies)"
    raise Refused(message)


def _sources(folder: Path) -> Iterator[Source]:
    """The readable Markdown files under ``folder`` (others are ``check``'s to report)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        source, _ = read_file(path)
        if source is not None:
            yield source


def _dated(sources: Iterable[Source], organ: str) -> Iterator[tuple[date, Source]]:
    """The sources of ``organ`` with their date (front matter ``organ`` and ``date``)."""
    for source in sources:
        written = source.meta.get("date")
        if source.meta.get("organ") != organ or not isinstance(written, str):
            continue
        try:
            yield date.fromisoformat(written), source
        except ValueError:
            continue


def earlier_meeting(content: Path, organ: str, day: date) -> Earlier | None:
    """The body's latest meeting before ``day`` that names a time and place."""
    from ..legal.meeting import times

    found = [
        (when, source)
        for when, source in _dated(_sources(content / MEETINGS / organ), organ)
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
    return next((s.path for when, s in _dated(sources, organ) if when == day), None)


def kallelse(content: Path, site: Settings, organ: str, day: date) -> Draft:
    """The draft of a meeting and its kallelse."""
    body = body_of(site, organ)
    path = content / MEETINGS / organ / f"{day.isoformat()}.md"
    _refuse_existing(path)
    other = _same_day(_sources(content / MEETINGS / organ), organ, day)
    if other is not None:
        raise Refused(f"{other} är redan sammanträdet {day.isoformat()} med {_lowered(body.name)}")
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
            f"Sätt upp kungörelsen på anslagstavlan senast {_day(deadline)} (KL 5 kap. 13 §) "
            "och skriv dagen i kungorelse: posted."
        )
        if deadline < date.today():
            notes.append(
                f"Obs: sista dagen för kungörelsen, {_day(deadline)}, har redan passerat "
                "(KL 5 kap. 13 §)."
            )
    steps += [
        "Sätt status: planned när kallelsen skickas ut; då publiceras den.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    ]
    return Draft(
        path,
        kallelse_text(body, day, earlier),
        f"kallelse till sammanträde med {_lowered(body.name)} {_day(day)}",
        tuple(notes),
        tuple(steps),
    )


def called(source: Source) -> Called:
    """The kallelse of a meeting file validated against its schema."""
    meta = source.meta
    moved = meta.get("moved_to") or {}
    items = tuple(
        Item(str(item["title"]), item.get("diarienummer"), item.get("proposal"))
        for item in meta.get("items") or ()
    )
    return Called(
        source.path, moved.get("time") or meta["time"], moved.get("place") or meta["place"], items
    )


def find_kallelse(content: Path, organ: str, day: date) -> Called | None:
    """The kallelse of the body's meeting held on ``day``: the meeting of that date, or one
    moved to it. Refused if that meeting was cancelled or moved elsewhere, or its file has
    errors."""
    from ..reading.frontmatter import Gates, validate

    for when, source in _dated(_sources(content / MEETINGS / organ), organ):
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
    for when, source in _dated(_sources(content / PROTOCOLS / organ), organ):
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
        for when, source in _dated(_sources(content / PROTOCOLS / organ), organ)
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
    _refuse_existing(path)
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
        f"Justera protokollet senast {_day(justering)} (KL 5 kap. 69 §) och sätt upp "
        f"anslaget senast andra dagen efter (KL 8 kap. 12 §): 'python build.py anslag "
        f"{path.as_posix()}' räknar ut datumen.",
        "Skriv justering: och anslag: och sätt status: justerat; då publiceras det.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    )
    secretary = last_secretary(content, organ, day)
    return Draft(
        path,
        protocol_text(body, day, found, numbers.first, secretary, calendar),
        f"protokoll från sammanträde med {_lowered(body.name)} {_day(day)}",
        tuple(notes),
        steps,
    )


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
            issuer = f"{CHANGE}: organ eller myndighet"
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
    _refuse_existing(path, "; välj en annan titel med --title")
    if title is None:
        notes.append(f"Skriv anslagets rubrik under title: ({CHANGE}).")
    steps = ["Skriv anslagets text och ändra det som är märkt ÄNDRA."]
    if kind is AnnouncementKind.DELEGATION:
        last = calendar.appeal_last_day(posted)
        steps.append(
            f"Sista dag att överklaga blir {_day(last)} om anslaget sätts upp {_day(posted)} "
            "(KL 13 kap. 5 §)."
        )
    steps += [
        "Sätt status: published; anslaget visas på anslagstavlan från dagen i posted.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    ]
    return Draft(
        path,
        notice_text(kind, _one_line(title or NOTICE_TITLES[kind]), issuer, posted, calendar),
        f"anslag ({kind.value}) {_day(posted)}",
        tuple(notes),
        tuple(steps),
    )


def _refuse_existing(path: Path, hint: str = "") -> None:
    if path.exists():
        raise Refused(f"{path.as_posix()} finns redan och skrivs inte över{hint}")


def write(draft: Draft) -> None:
    """Write the draft's file; Refused if it exists (nothing is ever overwritten)."""
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with draft.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(draft.text)
    except FileExistsError:
        raise Refused(f"{draft.path.as_posix()} finns redan och skrivs inte över") from None
