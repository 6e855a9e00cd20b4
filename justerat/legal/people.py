"""The people of the archive: the register of each body's members (site.yaml) matched with
the names protocols give, and each person's address on the site. No I/O.

A body's register lists its ledamöter and ersättare with party, what they represent and
their term of office. Where a body's register covers the meeting's day (someone's term
includes it), every beslutande, ersättare and frånvarande a protocol names must be in it for
that day; a misspelt name gets the nearest registered name as a suggestion, a name registered
for other days the terms it has. A day no term covers is one the register says nothing of
(an archive older than its register, as for beslutförhet in ``decisions``): not checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date

from ..core.problems import Problem, error, warning
from ..domain.model import Attendance, Person, Proceedings, Protocol, Statement
from ..domain.settings import Body, Member
from ..reading.markdown import slug as text_slug

LISTS = ("voting", "serving_substitutes", "substitutes", "absent")


def key(name: str) -> str:
    """A name as names are compared: letter case and spacing aside."""
    return " ".join(name.casefold().split())


def slug(name: str) -> str:
    """A person's address on the site: /ledamoter/<slug>/."""
    return text_slug(name)


def register_check(protocol: Protocol, register: Register | None = None) -> list[Problem]:
    """The protocol's attendees against its body's register on the meeting's day, and (given
    the registers of all bodies) each name that namesakes of the registers share and the
    protocol does not tell apart."""
    problems = _unregistered(protocol)
    if register is not None:
        problems += _unclear(protocol, register)
    return problems


def _unregistered(protocol: Protocol) -> list[Problem]:
    body = protocol.organ
    members = [m.name for m in body.members if m.serves_on(protocol.date)]
    if not members:  # no register, or none for this day
        return []
    known = {key(name) for name in members}
    problems = []
    for list_key in LISTS:
        for index, person in enumerate(getattr(protocol.attendees, list_key)):
            if key(person.name) in known:
                continue
            problems.append(
                warning(
                    protocol.path,
                    protocol.source.line_of("attendees", list_key, index, "name"),
                    f"{person.name} finns inte bland {body.name}s ledamöter och ersättare i "
                    f"site.yaml den {protocol.date.isoformat()}"
                    + _advice(person.name, members, body.members),
                    "register",
                )
            )
    return problems


def _unclear(protocol: Protocol, register: Register) -> list[Problem]:
    """A warning for each attendee entry whose name namesakes of the registers share, when
    the entry does not tell which of them it is (and for a name the proceedings give that
    two namesakes at the meeting share, without the party after it)."""
    names = Names(
        register, protocol.organ.slug, protocol.date, protocol.attendees, protocol.proceedings
    )
    problems = []
    for list_key in LISTS:
        for index, person in enumerate(getattr(protocol.attendees, list_key)):
            if names.of_person(person) is None:
                line = protocol.source.line_of("attendees", list_key, index, "name")
                problems.append(_namesakes(protocol.path, line, person, register))
    for facts in protocol.proceedings:
        for name in dict.fromkeys(_mentions(facts, told_apart=True)):
            if name and key(name) in names.shared:
                problems.append(
                    warning(
                        protocol.path,
                        facts.line,
                        f"vid § {facts.paragraph}: två av deltagarna heter {name}; skriv "
                        f"partiet efter namnet, till exempel '{_example(protocol, name)}', så "
                        "att det framgår vem som avses",
                        "register",
                    )
                )
    return problems


def _example(protocol: Protocol, name: str) -> str:
    """``name`` with the party of one of the attendees of the name, as the proceedings write
    one of two namesakes ('Anders Andersson (S)')."""
    attendees = (*protocol.attendees.present, *protocol.attendees.absent)
    party = next((p.party for p in attendees if key(p.name) == key(name) and p.party), "S")
    return with_party(name, party)


_COUNTS = {2: "två", 3: "tre", 4: "fyra", 5: "fem"}


def _namesakes(path: str, line: int, person: Person, register: Register) -> Problem:
    parties = register.parties(person.name)
    if len(parties) < 2:  # namesakes at the meeting, one of them without a party
        return warning(
            path,
            line,
            f"två av deltagarna heter {person.name}; skriv party: för var och en av dem, så att "
            "det framgår vem som avses (namnet länkas inte till någon personsida förrän dess)",
            "register",
        )
    who = (
        f"{_COUNTS.get(len(parties), str(len(parties)))} personer i registret i site.yaml heter "
        f"{person.name} ({', '.join(parties)})"
    )
    if person.party is None:
        advice = (
            f"; skriv party: för {person.name} här, så att det framgår vem av dem som avses "
            "(namnet länkas inte till någon personsida förrän dess)"
        )
    elif key(person.party) in {key(p) for p in parties}:
        advice = (
            f" och flera av dem har partiet {person.party}, så protokollet skiljer dem inte "
            "åt; namnet länkas inte till någon personsida"
        )
    else:
        advice = (
            f" men ingen av dem har partiet {person.party}; rätta party: här så att det "
            "framgår vem av dem som avses (namnet länkas inte till någon personsida förrän dess)"
        )
    return warning(path, line, who + advice, "register")


def identities(bodies: Iterable[Body], path: str, line_of: Callable[..., int]) -> list[Problem]:
    """The register's ids against its entries without one (``ident``): an entry without
    ``id`` whose name and party another entry gives with an ``id`` is most likely the same
    person, who would otherwise be two (a warning); an entry without ``id`` whose name is
    spelt as another person's ``id`` would be that person (an error: their pages, votes and
    open data would be merged). A namesake of another party is another person, and may go
    without an id when the ids given do not take their name."""
    marked: dict[tuple[str, str], set[str]] = {}
    for body in bodies:
        for member in body.members:
            if member.id:
                marked.setdefault(_who(member), set()).add(member.id)
    taken = {each: who for who, ids in marked.items() for each in ids}
    problems = []
    for body in bodies:
        for index, member in enumerate(body.members):
            if member.id:
                continue
            line = line_of("bodies", body.slug, "members", index, "name")
            ids = marked.get(_who(member))
            if ids:
                problems.append(_unmarked(path, line, member, ids))
            elif slug(member.name) in taken:
                problems.append(_taken(path, line, member))
    return problems


def _who(member: Member) -> tuple[str, str]:
    return key(member.name), key(member.party or "")


def _unmarked(path: str, line: int, member: Member, ids: set[str]) -> Problem:
    shown = " eller ".join(f"id: {each}" for each in sorted(ids))
    return warning(
        path,
        line,
        f"{member.name} har {shown} i en annan post i registret men inget id här; skriv "
        f"{shown} här om det är samma person (annars blir det två personer, med var sin "
        "personsida)",
        "register",
    )


def _taken(path: str, line: int, member: Member) -> Problem:
    own = slug(member.name)
    party = f" ({member.party})" if member.party else ""
    example = f"{own}-{slug(member.party)}" if member.party else f"{own}-2"
    return error(
        path,
        line,
        f"{member.name}{party} har inget id, och då är namnet personens id, {own}; men en annan "
        f"post i registret har id: {own} för en annan person. Ge {member.name}{party} ett eget "
        f"id, till exempel id: {example}, annars slås de två ihop till en person",
        "register",
    )


def _advice(name: str, serving: list[str], register: tuple[Member, ...]) -> str:
    """What to do: the terms the register gives the name (for one registered for other days),
    else the nearest name serving on the day, else add the person."""
    terms = [_term(m) for m in register if key(m.name) == key(name)]
    if terms:
        return f"; uppdraget gäller där {' och '.join(terms)}"
    return hint(name, serving) or "; lägg till personen under members"


# --- 'menade du …?': the name a misspelt one most likely is ---------------------------------------

_CLOSE = 0.8  # how alike two names must be (difflib's ratio) for the one to suggest the other


def suggestions(name: str, known: Iterable[str]) -> tuple[str, ...]:
    """The names of ``known`` that ``name`` most likely misspells, for 'menade du …?': none
    when none is close, or when ``name`` is one of them (letter case and spacing aside: a
    name is never suggested for itself). A party after a name ('Anders Andersson (S)', as the
    proceedings name one of two namesakes) is no part of the spelling: the names are matched
    without it, and then the party chooses among namesakes; two namesakes the party does not
    tell apart are both suggested. A name of which the typed one is a part ('Wester', 'Per
    Ek' for 'Per-Olof Ek') is suggested when it is the only such name."""
    forms: dict[str, list[str]] = {}  # a name without its party -> the names as known
    for each in known:
        same = forms.setdefault(key(split(each)[0]), [])
        if each not in same:
            same.append(each)
    if key(name) in {key(each) for found in forms.values() for each in found}:
        return ()
    plain, party = split(name)
    matched = key(plain) if key(plain) in forms else _closest(key(plain), list(forms))
    if matched is None:
        return ()
    found = forms[matched]
    chosen = [f for f in found if party and key(split(f)[1] or "") == key(party)]
    return tuple(chosen or found)


def hint(name: str, known: Iterable[str]) -> str:
    """'; menade du 'Karin Wester'?' (or '… 'A (S)' eller 'A (M)'?'), or nothing."""
    found = suggestions(name, known)
    return "; menade du " + " eller ".join(f"'{each}'" for each in found) + "?" if found else ""


def _closest(typed: str, names: list[str]) -> str | None:
    """The name of ``names`` (as ``key`` spells them) ``typed`` is most like, if close."""
    words = set(_words(typed))
    within = [n for n in names if words <= set(_words(n))]
    if len(within) == 1:
        return within[0]
    scored = [(difflib.SequenceMatcher(None, typed, n).ratio(), n) for n in sorted(names)]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= _CLOSE else None


def _words(name: str) -> list[str]:
    return re.split(r"[\s-]+", name)


def _term(member: Member) -> str:
    """'2019-04-01–2023-03-31', 'från 2023-04-01', 'till 2022-12-31'."""
    start = member.start.isoformat() if member.start else ""
    end = member.end.isoformat() if member.end else ""
    if start and end:
        return f"{start}–{end}"
    return f"från {start}" if start else f"till {end}"


# --- who is who: a name at a meeting resolved to one person of the registers ----------------------
#
# A person of the registers is their ``id`` in site.yaml when a member entry gives one (the same id
# in any body and term is the same person), else their name, as ``slug`` spells it. A name a
# protocol gives is that person when the registers have one person of the name; when they have
# several (namesakes, told apart by ``id``), the party the protocol's attendee entry gives chooses
# among those of the body on the meeting's day (else among all of them), and a name in the
# proceedings is the attendee's of that name. Where two namesakes attend one meeting, the
# proceedings write the party after the name, "Anders Andersson (S)", as protocols do.

_PARTY = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def ident(member: Member) -> str:
    """The person a register entry is: their id, or their name."""
    return member.id or slug(member.name)


def split(name: str) -> tuple[str, str | None]:
    """'Anders Andersson (S)' -> ('Anders Andersson', 'S'); a name without a party as it is."""
    found = _PARTY.match(name.strip())
    return (found.group(1), found.group(2).strip()) if found else (name, None)


def with_party(name: str, party: str) -> str:
    """How a protocol names one of two namesakes at a meeting: 'Anders Andersson (S)'."""
    return f"{name} ({party})"


class Register:
    """Everyone in the bodies' registers, by the person (``ident``): their entries, each with
    its body, and who has each name. Made once per build from the settings."""

    def __init__(self, bodies: Iterable[Body]) -> None:
        self.entries: dict[str, list[tuple[Body, Member]]] = {}
        self.named: dict[str, list[str]] = {}  # key(name) -> the people of the name
        for body in bodies:
            for member in body.members:
                person = ident(member)
                self.entries.setdefault(person, []).append((body, member))
                same = self.named.setdefault(key(member.name), [])
                if person not in same:
                    same.append(person)

    def namesakes(self, name: str) -> list[str]:
        """The people of the registers named ``name``: none, one, or namesakes."""
        return self.named.get(key(name), [])

    def choose(self, name: str, party: str | None, body: str, day: date) -> str | None:
        """The person ``name`` is at a meeting of ``body`` on ``day`` whose protocol gives them
        ``party``: None when the registers have namesakes the party does not tell apart."""
        found = self.namesakes(name)
        if not found:
            return slug(name)  # not in any register: their name, as their page's address
        if len(found) == 1:
            return found[0]

        def fits(member: Member) -> bool:
            return party is None or key(member.party or "") == key(party)

        there = [
            p
            for p in found
            if any(b.slug == body and m.serves_on(day) and fits(m) for b, m in self.entries[p])
        ]
        if there or party is None:
            return there[0] if len(there) == 1 else None
        anywhere = [p for p in found if any(fits(m) for _, m in self.entries[p])]
        return anywhere[0] if len(anywhere) == 1 else None

    def parties(self, name: str) -> list[str]:
        """The parties the registers give the namesakes called ``name``, one per person."""
        found = []
        for person in self.namesakes(name):
            party = next((m.party for _, m in reversed(self.entries[person]) if m.party), None)
            found.append(party or "utan parti")
        return found


class Names:
    """The people one protocol names, each name as written resolved to a person (``ident``;
    None: namesakes the protocol does not tell apart, so the name is left unlinked)."""

    def __init__(
        self,
        register: Register,
        body: str,
        day: date,
        attendees: Attendance,
        proceedings: Iterable[Proceedings],
    ) -> None:
        self.register, self.body, self.day = register, body, day
        self.found: dict[str, str | None] = {}
        proceedings = tuple(proceedings)
        self.shared = _shared(attendees, proceedings)  # names two attendees share
        groups: dict[str, list[Person]] = {}
        for person in _entries(attendees, proceedings):
            groups.setdefault(key(person.name), []).append(person)
        self.listed = set(groups)  # the attendees' names as written (``key``)
        for named, persons in groups.items():
            self._group(named, persons)

    def _group(self, named: str, persons: list[Person]) -> None:
        parties = list({key(p.party): p.party for p in persons if p.party}.values())
        name = persons[0].name
        if named in self.shared:  # namesakes at the meeting: each by their party
            self.found[named] = None
        else:
            self.found[named] = self.register.choose(
                name, parties[0] if parties else None, *self.at
            )
        for party in parties:
            self.found[key(with_party(name, party))] = self.register.choose(name, party, *self.at)

    @property
    def at(self) -> tuple[str, date]:
        return self.body, self.day

    def of(self, name: str) -> str | None:
        """The person a name as the protocol writes it (in a list of the proceedings) is."""
        named = key(name)
        if named in self.found:
            return self.found[named]
        plain, party = split(name)
        return self.register.choose(plain, party, *self.at)

    def of_person(self, person: Person) -> str | None:
        """The person an attendee entry is."""
        if key(person.name) in self.shared:
            return self.of(with_party(person.name, person.party)) if person.party else None
        return self.of(person.name)

    def shown(self, person: Person) -> str:
        """The name an attendee entry goes by in the proceedings: with the party for one of
        two namesakes at the meeting."""
        if key(person.name) in self.shared and person.party:
            return with_party(person.name, person.party)
        return person.name


def _entries(attendees: Attendance, proceedings: Iterable[Proceedings]) -> Iterator[Person]:
    """The attendee entries of a protocol: its lists and the ersättare of its proceedings."""
    yield from (*attendees.present, *attendees.absent)
    for facts in proceedings:
        yield from facts.serving


def _shared(attendees: Attendance, proceedings: Iterable[Proceedings]) -> set[str]:
    """The names (``key``) of two namesakes at a meeting: given twice in the attendee lists
    (one person is listed once), or with two parties (an ersättare of the proceedings is the
    one of the lists with the name, whose party their entry may leave out)."""
    listed: dict[str, int] = {}
    for person in (*attendees.present, *attendees.absent):
        listed[key(person.name)] = listed.get(key(person.name), 0) + 1
    parties = _parties(_entries(attendees, proceedings))
    return {named for named, found in parties.items() if len(found) > 1 or listed.get(named, 0) > 1}


def _parties(entries: Iterable[Person]) -> dict[str, set[str]]:
    """The parties the entries give each name (``key``), as ``key`` spells them."""
    parties: dict[str, set[str]] = {}
    for person in entries:
        given = parties.setdefault(key(person.name), set())
        given.update([key(person.party)] if person.party else [])
    return parties


def distinguished(protocol: Protocol) -> Protocol:
    """The protocol with two namesakes at the meeting (attendee entries of one name and other
    parties) named as its proceedings name them, 'Anders Andersson (S)', so that the rules of
    ``decisions`` tell them apart; a name of the proceedings with a party after it stands for
    the attendee of the name. The same protocol when no names are shared or written so."""
    entries = list(_entries(protocol.attendees, protocol.proceedings))
    parties = _parties(entries)
    shared = _shared(protocol.attendees, protocol.proceedings)
    mentioned = any(split(n)[1] for f in protocol.proceedings for n in _mentions(f))
    if not shared and not mentioned:
        return protocol
    names = {key(p.name): p.name for p in entries}

    def rename(person: Person) -> Person:
        if key(person.name) in shared and person.party:
            return replace(person, name=with_party(person.name, person.party))
        return person

    def mention(name: str) -> str:
        plain, party = split(name)
        if party is None or key(plain) in shared or key(name) in names:
            return name
        given = parties.get(key(plain))
        if given is None or (given and key(party) not in given):
            return name  # no attendee of the name and party: as written, for the rules to tell
        return names[key(plain)]  # the one attendee of the name, as the lists name them

    return replace(
        protocol,
        attendees=_renamed(protocol.attendees, rename),
        proceedings=tuple(_mentioned(f, rename, mention) for f in protocol.proceedings),
    )


def _mentions(facts: Proceedings, told_apart: bool = False) -> Iterator[str]:
    """The names a paragraph's proceedings give (``told_apart``: but those of ersättare whose
    entry gives their party, which tells namesakes apart)."""
    yield from (*facts.arrived, *facts.left, *facts.jav)
    for person in facts.serving:
        if not (told_apart and person.party):
            yield person.name
        yield person.replaces or ""
    for statement in (*facts.proposals, *facts.reservations, *facts.notes):
        yield from statement.by
    if facts.vote is not None:
        yield from facts.vote.voters()


def _renamed(attendees: Attendance, rename: Callable[[Person], Person]) -> Attendance:
    return replace(
        attendees,
        voting=tuple(map(rename, attendees.voting)),
        serving_substitutes=tuple(map(rename, attendees.serving_substitutes)),
        substitutes=tuple(map(rename, attendees.substitutes)),
        absent=tuple(map(rename, attendees.absent)),
    )


def _mentioned(
    facts: Proceedings, rename: Callable[[Person], Person], mention: Callable[[str], str]
) -> Proceedings:
    def names(found: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(map(mention, found))

    def statements(found: tuple[Statement, ...]) -> tuple[Statement, ...]:
        return tuple(replace(s, by=names(s.by)) for s in found)

    vote = facts.vote
    if vote is not None:
        sides = (vote.yes, vote.no, vote.abstain)
        yes, no, abstain = (s if isinstance(s, int) else names(s) for s in sides)
        vote = replace(vote, yes=yes, no=no, abstain=abstain)
    serving = tuple(
        replace(rename(p), replaces=mention(p.replaces) if p.replaces else None)
        for p in facts.serving
    )
    return replace(
        facts,
        arrived=names(facts.arrived),
        left=names(facts.left),
        serving=serving,
        jav=names(facts.jav),
        proposals=statements(facts.proposals),
        reservations=statements(facts.reservations),
        notes=statements(facts.notes),
        vote=vote,
    )
