"""The people's pages: a page per person, from the registers in site.yaml and the published
protocols (the meetings they attended and as what, their attendance, votes, reservations and
jäv), and the address of each name on a protocol's page that has a page of its own.

Only what the registers and the protocols state; nothing is rendered here, and the pages are
placed on the site by ``pages``. The protocols are read as their summaries keep them
(``Attended``): no file is read again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from ..domain.model import (
    Archive,
    Attendance,
    Person,
    Proceedings,
    Protocol,
    Summary,
    Vote,
)
from ..domain.settings import Body, Settings
from ..legal import people

PEOPLE_URL = "ledamoter/"


def person_url(person: str) -> str:
    """The address of a person's page: ``person`` is who they are (``people.ident``)."""
    return f"{PEOPLE_URL}{person}/"


def _named(protocol: Protocol) -> Iterator[str]:
    """Every name the protocol's attendee lists and proceedings give."""
    attendees = protocol.attendees
    for person in (*attendees.present, *attendees.absent):
        yield person.name
    for facts in protocol.proceedings:
        yield from (*facts.arrived, *facts.left, *facts.jav)
        for serving in facts.serving:
            yield serving.name
            yield serving.replaces or ""
        for statement in (*facts.proposals, *facts.reservations, *facts.notes):
            yield from statement.by
        if facts.vote is not None:
            yield from facts.vote.voters()


def links(protocol: Protocol, register: people.Register) -> dict[str, str]:
    """The address of each name on the protocol's page that has a page of its own: those in a
    register, and (unless the protocol is a draft) its beslutande and ersättare. A name the
    protocol does not tell between namesakes has none; one of two namesakes at the meeting
    is linked as the proceedings name them, with the party ('Anders Andersson (S)')."""
    names = _names(register, protocol)
    linked = set(register.entries)
    if not protocol.is_draft:
        linked |= {who for _, _, who in _attending(protocol, names) if who}
    links = {}
    for name in _named(protocol):
        person = names.of(name)
        if person in linked:
            links[name] = person_url(person)
    for entry in (*protocol.attendees.present, *protocol.attendees.absent):
        person = names.of_person(entry)
        if person in linked:
            links[names.shown(entry)] = person_url(person)
    return links


def _names(register: people.Register, protocol: Protocol | Attended) -> people.Names:
    """Who the protocol's names are."""
    return people.Names(
        register, protocol.organ.slug, protocol.date, protocol.attendees, protocol.proceedings
    )


@dataclass(frozen=True)
class Term:
    """A term of office as a body's register in site.yaml gives it."""

    body: str
    role: str
    party: str | None
    represents: str | None
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Role:
    """What the protocols list a person as at one body (for one party): from the first of
    those meetings to the last, at how many."""

    body: str
    role: str
    party: str | None
    first: date
    last: date
    meetings: int


@dataclass(frozen=True)
class Sitting:
    """A meeting the person attended: its protocol, and what they were there as."""

    url: str
    body: str
    date: date
    role: str


@dataclass(frozen=True)
class Act:
    """A vote, a reservation or a jäv at one paragraph: where (the paragraph's address), and
    what (a vote: the side; a reservation: what it is against), with its detail (a vote: what
    the side meant and how it ended; a reservation: its text)."""

    url: str
    body: str
    date: date
    paragraph: int
    what: str = ""
    detail: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class Presence:
    """Attendance at one body in one year: the meetings attended of those held."""

    body: str
    year: int
    present: int
    held: int
    unlisted: int = 0  # meetings whose protocol refers to its beslutande: not counted


@dataclass(frozen=True)
class Listed:
    """A person as the index of people lists them."""

    slug: str
    name: str
    party: str | None
    bodies: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"{PEOPLE_URL}{self.slug}/"


@dataclass(frozen=True)
class Profile:
    """Everything a person's page shows: only what the registers and the protocols state."""

    listed: Listed
    terms: tuple[Term, ...] = ()
    roles: tuple[Role, ...] = ()
    presence: tuple[Presence, ...] = ()
    sittings: tuple[Sitting, ...] = ()
    votes: tuple[Act, ...] = ()
    reservations: tuple[Act, ...] = ()
    jav: tuple[Act, ...] = ()

    @property
    def url(self) -> str:
        return self.listed.url


def _attending(
    protocol: Protocol | Attended, names: people.Names
) -> list[tuple[Person, str, str | None]]:
    """Those the protocol names as beslutande or ersättare, each once, with what they were
    there as (a member's role or ledamot, tjänstgörande ersättare, ersättare) and who they are
    (``people.Names``; None: namesakes the protocol does not tell apart)."""
    attendees = protocol.attendees
    shared = names.shared
    parties = {
        people.key(p.name): p.party
        for p in attendees.present
        if p.party and people.key(p.name) not in shared
    }
    lists: list[tuple[Iterable[Person], str]] = [
        (attendees.voting, "ledamot"),
        (attendees.serving_substitutes, "tjänstgörande ersättare"),
        ((p for f in protocol.proceedings for p in f.serving), "tjänstgörande ersättare"),
        (attendees.substitutes, "ersättare"),
    ]
    found: dict[str, tuple[Person, str, str | None]] = {}
    for persons, role in lists:
        for person in persons:
            party = person.party or parties.get(people.key(person.name))
            shown = Person(person.name, party, person.represents, person.role)
            who = names.of_person(shown)
            once = people.key(names.shown(shown)) if who is None else who
            found.setdefault(once, (shown, person.role or role, who))
    return list(found.values())


def _outcome(vote: Vote) -> str:
    """'Ja vann med 12 mot 9, 0 avstod' — how a vote ended."""
    yes, no, abstain = (Vote.count(side) for side in (vote.yes, vote.no, vote.abstain))
    won = "Ja" if vote.result == "yes" else "Nej"
    means = vote.yes_means if vote.result == "yes" else vote.no_means
    return f"{won} vann med {max(yes, no)} mot {min(yes, no)}, {abstain} avstod" + (
        f": {means}" if means else ""
    )


@dataclass
class _Gathered:
    """What the pass over the protocols finds of one person."""

    names: list[str] = field(default_factory=list)  # as the protocols spell it, in date order
    parties: list[str] = field(default_factory=list)
    roles: dict[tuple[str, str, str | None], list[date]] = field(
        default_factory=lambda: defaultdict(list)
    )
    sittings: list[Sitting] = field(default_factory=list)
    votes: list[Act] = field(default_factory=list)
    reservations: list[Act] = field(default_factory=list)
    jav: list[Act] = field(default_factory=list)
    present: set[tuple[str, date]] = field(default_factory=set)  # (body slug, meeting day)


class _Gathering:
    """One pass over the published protocols, in date order: each person's meetings, roles,
    votes, reservations and jäv; each body's meetings held; who was listed as frånvarande."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.register = people.Register(settings.bodies)
        self.people: dict[str, _Gathered] = defaultdict(_Gathered)  # by person (their page)
        self.held: dict[str, list[date]] = defaultdict(list)  # body slug -> meeting days
        self.absent: dict[str, set[tuple[str, date]]] = defaultdict(set)  # person -> meetings
        # body slug -> the days of meetings whose protocol refers to its beslutande rather
        # than listing them ("Se närvarolista"): who attended them is not known
        self.unlisted: dict[str, set[date]] = defaultdict(set)

    def add(self, summary: Summary, protocol: Attended) -> None:
        body, day = protocol.organ, protocol.date
        self.held[body.slug].append(day)
        if protocol.attendees.by_reference:
            self.unlisted[body.slug].add(day)
        names = _names(self.register, protocol)
        for person, role, who in _attending(protocol, names):
            if who is None:  # namesakes the protocol does not tell apart: on neither page
                continue
            gathered = self.people[who]
            gathered.names.append(person.name)
            gathered.parties += [person.party] if person.party else []
            gathered.roles[(body.slug, role, person.party)].append(day)
            gathered.sittings.append(Sitting(summary.url, body.name, day, role))
            gathered.present.add((body.slug, day))
        for person in protocol.attendees.absent:
            if (who := names.of_person(person)) is not None:
                self.absent[who].add((body.slug, day))
        for facts in protocol.proceedings:
            self._acts(summary, protocol, facts, names)

    def _of(self, names: people.Names, name: str) -> _Gathered | None:
        who = names.of(name)
        return None if who is None else self.people[who]

    def _acts(
        self, summary: Summary, protocol: Attended, facts: Proceedings, names: people.Names
    ) -> None:
        where = partial(
            Act,
            f"{summary.url}#paragraf-{facts.paragraph}",
            protocol.organ.name,
            protocol.date,
            facts.paragraph,
        )
        vote = facts.vote
        if vote is not None:
            sides = (("Ja", vote.yes, vote.yes_means), ("Nej", vote.no, vote.no_means))
            for side, voters, means in (*sides, ("Avstår", vote.abstain, None)):
                for name in () if isinstance(voters, int) else voters:
                    if gathered := self._of(names, name):
                        gathered.votes.append(where(side, means or "", _outcome(vote)))
        for statement in facts.reservations:
            for name in statement.by:
                if gathered := self._of(names, name):
                    act = where(statement.against or "beslutet", statement.text or "")
                    gathered.reservations.append(act)
        for name in facts.jav:
            if gathered := self._of(names, name):
                gathered.jav.append(where())

    def profiles(self) -> list[Profile]:
        register: dict[str, list[tuple[Body, Term]]] = defaultdict(list)
        for body in self.settings.bodies:
            for m in body.members:
                term = Term(body.name, m.role or "ledamot", m.party, m.represents, m.start, m.end)
                register[people.ident(m)].append((body, term))
        names = {people.ident(m): m.name for b in self.settings.bodies for m in b.members}
        attended = {slug for slug, gathered in self.people.items() if gathered.sittings}
        return [
            self._profile(slug, names.get(slug), register[slug])
            for slug in sorted(attended | register.keys())
        ]

    def _profile(self, slug: str, name: str | None, terms: list[tuple[Body, Term]]) -> Profile:
        gathered = self.people[slug]
        party = next((t.party for _, t in reversed(terms) if t.party), None)
        party = party or (gathered.parties[-1] if gathered.parties else None)
        involved = {b.slug for b, _ in terms} | {s for s, _ in gathered.present}
        bodies = [b for b in self.settings.bodies if b.slug in involved]
        listed = Listed(slug, name or gathered.names[-1], party, tuple(b.name for b in bodies))
        by_body = {b.slug: b.name for b in self.settings.bodies}
        roles = [
            Role(by_body[body], role, party_, min(days), max(days), len(days))
            for (body, role, party_), days in gathered.roles.items()
        ]
        newest = partial(sorted, key=lambda a: (a.date, -a.paragraph), reverse=True)
        rank = {b.name: i for i, b in enumerate(self.settings.bodies)}  # site.yaml's order
        return Profile(
            listed,
            tuple(t for _, t in terms),
            tuple(sorted(roles, key=lambda r: (r.first, rank.get(r.body, len(rank)), r.role))),
            tuple(row for body in bodies for row in self._presence(slug, body, terms)),
            tuple(
                sorted(
                    gathered.sittings,
                    key=lambda s: (s.date, -rank.get(s.body, len(rank))),
                    reverse=True,
                )
            ),
            tuple(newest(gathered.votes)),
            tuple(newest(gathered.reservations)),
            tuple(newest(gathered.jav)),
        )

    def _presence(self, slug: str, body: Body, terms: list[tuple[Body, Term]]) -> list[Presence]:
        """Meetings attended of those held, by year: the body's meetings during a term of
        office (all of them, when the register does not name the person for the body), and
        any other at which the protocol names them. A meeting whose protocol refers to its
        beslutande without listing them counts only where it names the person (as ersättare,
        or frånvarande): otherwise whether they came is not known, and it is counted apart."""
        gathered = self.people[slug]
        present = Counter(day.year for s, day in gathered.present if s == body.slug)
        own = [t for b, t in terms if b.slug == body.slug]
        listed = gathered.present | self.absent[slug]
        unknown = self.unlisted[body.slug]
        held: Counter[int] = Counter()
        unlisted: Counter[int] = Counter()
        for day in self.held[body.slug]:
            if (body.slug, day) in listed:
                held[day.year] += 1
            elif not own or any(_covers(t, day) for t in own):
                (unlisted if day in unknown else held)[day.year] += 1
        return [
            Presence(body.name, y, present[y], held[y], unlisted[y])
            for y in sorted(held | unlisted, reverse=True)
        ]


def _covers(term: Term, day: date) -> bool:
    return (term.start is None or term.start <= day) and (term.end is None or day <= term.end)


@dataclass(frozen=True)
class Attended:
    """What the people's pages need of a protocol: its body, day, attendees and published
    proceedings, as its summary keeps them (no file is read again)."""

    organ: Body
    date: date
    attendees: Attendance
    proceedings: tuple[Proceedings, ...]


def _people_of(summary: Summary) -> Attended:
    attendees, proceedings = summary.attended or (Attendance(()), ())
    return Attended(summary.organ, summary.date, attendees, proceedings)


def gather(archive: Archive) -> list[Profile]:
    """Every person's page, from one pass over the published protocols (drafts never count)."""
    gathering = _Gathering(archive.settings)
    published = sorted(
        (p for p in archive.protocols if not p.is_draft), key=lambda p: (p.date, p.path)
    )
    for summary in published:
        gathering.add(summary, _people_of(summary))
    return gathering.profiles()


_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})  # after z


def _alphabetical(listed: Listed) -> tuple[str, str, str]:
    """The order of a list of people: by surname (the last word of the name), in the Swedish
    alphabet (å, ä, ö after z)."""
    name = listed.name.casefold().translate(_SWEDISH)
    return (name.rsplit(" ", 1)[-1], name, listed.slug)  # namesakes: by who they are


def index(profiles: Iterable[Profile]) -> list[Listed]:
    """The index of people: everyone with a page, by surname in the Swedish alphabet."""
    return sorted((profile.listed for profile in profiles), key=_alphabetical)
