"""The model → the site's pages: each page's address, template and what its template is given.

Nothing is rendered here (``render`` does that) and nothing is keyed (``outputs``): this is the
one place that says which pages the site has. A protocol's full record is read only when one
of its own pages is rendered (``Lazy``), and for the people's pages, which are made in one
pass over the published protocols when the site's listings are made (``gather``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from ..core.swedish import swedish_date
from ..domain.model import (
    Archive,
    Attendance,
    Meeting,
    Person,
    Proceedings,
    Protocol,
    Summary,
    Vote,
)
from ..domain.settings import Body, Settings
from ..legal import board, decisions, law, meeting, notice, people, publog
from ..legal.announcement import TITLES as ANNOUNCEMENT_KINDS
from ..legal.law import Calendar
from ..loading.content import Records
from .templates import digest


@dataclass(frozen=True)
class Lazy:
    """A template variable made only when its page is rendered; ``key`` stands for everything
    it is made from."""

    key: str
    make: Callable[[], Any] = field(compare=False)


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    rooted: bool = False  # links from the site's root path: the 404 page is served anywhere
    listed: bool = True  # in the sitemap
    source: str = ""  # the content file the page shows, for problems
    record: Summary | None = None  # the protocol the page shows (its PDFs' sizes are in the key)


def by_body(archive: Archive) -> dict[str, list[Summary]]:
    found: dict[str, list[Summary]] = defaultdict(list)
    for protocol in archive.protocols:
        found[protocol.organ.slug].append(protocol)
    return found


def _years(protocols: list[Summary]) -> list[tuple[int, list[Summary]]]:
    by_year: dict[int, list[Summary]] = defaultdict(list)
    for protocol in protocols:
        by_year[protocol.date.year].append(protocol)
    return [
        (year, sorted(items, key=lambda p: p.date, reverse=True))
        for year, items in sorted(by_year.items(), reverse=True)
    ]


def _chain(protocols: Iterable[Summary], group: Callable[[Summary], object]) -> list[str]:
    """For each protocol, the key of those before it in its group: the meetings whose
    paragraphs its "§ N" references may point to."""
    keys: list[str] = []
    key, current = "", None
    for protocol in protocols:
        if group(protocol) != current:
            key, current = "", group(protocol)
        keys.append(key)
        key = digest(key, protocol.key)
    return keys


@dataclass(frozen=True)
class Site:
    """What the pages are made from: the archive as published, the full records, the day of
    the notice board, the law's calendar and the publication log (this build's entry last;
    empty in a build that does not publish)."""

    archive: Archive
    records: Records | None
    today: date
    calendar: Calendar
    history: publog.History = field(default_factory=publog.History)


def pages(site: Site, only: Collection[str] | None = None) -> Iterator[Page]:
    """Every page of the site, in a stable order (or, given ``only``, just the own pages of
    the protocols at those paths)."""
    if only is not None:
        yield from _own_pages(site, only)
        return
    archive = site.archive
    settings = archive.settings
    grouped = by_body(archive)
    latest = sorted(archive.protocols, key=lambda p: (p.date, p.organ.slug), reverse=True)[:10]
    bodies = [(body, len(grouped[body.slug])) for body in settings.bodies]
    yield Page("", "index.html", {"latest": latest, "bodies": bodies, "plans": archive.plans})
    yield Page("protokoll/", "protocols.html", {"bodies": bodies}, "Protokoll")
    for body in settings.bodies:
        yield from _body_pages(site, body, grouped[body.slug])
    yield _board(site)
    yield Page("sok/", "search.html", {}, "Sök")
    yield Page("tillganglighet/", "accessibility.html", {}, "Tillgänglighetsredogörelse")
    yield from _open_data(settings.bodies, grouped)
    yield Page("404.html", "404.html", {}, "Sidan finns inte", rooted=True, listed=False)
    yield Page("planer/", "plans.html", {"plans": archive.plans}, "Planer och budgetar")
    for plan in archive.plans:
        yield Page(plan.url, "plan.html", {"plan": plan}, plan.title, source=plan.path)
    yield from _meeting_pages(site)
    yield from _announcement_pages(site)
    yield from _people_pages(site)
    if site.history.entries:
        yield _log_page(site)


def _body_pages(site: Site, body: Body, protocols: list[Summary]) -> Iterator[Page]:
    years = _years(protocols)
    yield Page(f"protokoll/{body.slug}/", "body.html", {"body": body, "years": years}, body.name)
    for year, listed in years:
        yield Page(
            f"protokoll/{body.slug}/{year}/",
            "year.html",
            {"body": body, "year": year, "protocols": listed},
            f"{body.name} {year}",
        )
    yield from _protocol_pages(site, body, protocols)


def _open_data(bodies: Iterable[Body], grouped: Mapping[str, list[Summary]]) -> Iterator[Page]:
    """The open-data page, which lists the bodies, and one page per body listing its
    protocols' data by year: a page for every protocol of a large archive would be megabytes."""
    listed = [(body, len(grouped[body.slug])) for body in bodies if grouped[body.slug]]
    yield Page("oppna-data/", "opendata.html", {"bodies": listed}, "Öppna data")
    for body, _ in listed:
        years = _years(grouped[body.slug])
        yield Page(
            f"oppna-data/{body.slug}/",
            "opendata_body.html",
            {"body": body, "years": years},
            f"Öppna data: {body.name}",
        )


def board_key(archive: Archive, today: date) -> str:
    """The key of everything the board on ``today`` shows."""
    return digest(
        "board",
        today.isoformat(),
        *(p.key for p in archive.protocols + archive.withdrawn),
        *(m.source.digest for m in archive.meetings),
        *(a.source.digest for a in archive.announcements),
    )


def _board(site: Site) -> Page:
    archive = site.archive
    whole = partial(
        board.board,
        archive.protocols + archive.withdrawn,
        archive.meetings,
        archive.announcements,
        site.today,
        site.calendar,
    )
    return Page(
        "anslagstavla/",
        "anslagstavla.html",
        {
            "board": Lazy(board_key(archive, site.today), whole),
            "appeal_right": law.APPEAL_RIGHT[site.archive.settings.organisation_type],
        },
        "Anslagstavla",
    )


def _plan_rows(meetings: Iterable[Meeting], today: date) -> dict[str, list[Meeting]]:
    """The meetings of a sammanträdesplan: upcoming (soonest first) and past (latest first)."""
    upcoming = [m for m in meetings if (m.held_on or m.date) >= today]
    past = [m for m in meetings if (m.held_on or m.date) < today]
    return {
        "upcoming": sorted(upcoming, key=lambda m: (m.held_on or m.date, m.ident)),
        "past": sorted(past, key=lambda m: (m.held_on or m.date, m.ident), reverse=True),
    }


def _meeting_pages(site: Site) -> Iterator[Page]:
    """The sammanträdesplan for all bodies and for each, and each meeting's page (its
    kallelse, then what became of it) and its kungörelse."""
    archive = site.archive
    meetings = archive.meetings
    by_body: dict[str, list[Meeting]] = defaultdict(list)
    for each in meetings:
        by_body[each.organ.slug].append(each)
    bodies = [(body, len(by_body[body.slug])) for body in archive.settings.bodies]
    yield Page(
        "sammantraden/",
        "meetings.html",
        {"body": None, "bodies": bodies, "today": site.today, **_plan_rows(meetings, site.today)},
        "Sammanträden",
    )
    for body in archive.settings.bodies:
        if not by_body[body.slug]:
            continue
        yield Page(
            f"sammantraden/{body.slug}/",
            "meetings.html",
            {
                "body": body,
                "bodies": [],
                "today": site.today,
                **_plan_rows(by_body[body.slug], site.today),
            },
            f"Sammanträden: {body.name}",
        )
    for each in meetings:
        protocol = meeting.protocol_of(each, archive.protocols)
        context = {
            "meeting": each,
            "protocol": protocol,
            "withdrawn": meeting.protocol_of(each, archive.withdrawn),
            "handled": meeting.handled(each, protocol),
            "today": site.today,
        }
        when = swedish_date(each.held_on or each.date)
        yield Page(each.url, "meeting.html", context, f"{each.organ.name} {when}", source=each.path)
        if each.kungorelse is not None and not each.is_draft:
            yield Page(
                each.kungorelse_url,
                "kungorelse.html",
                {"meeting": each, "posting": board.kungorelse(each)},
                f"Kungörelse: {each.organ.name} {when}",
                source=each.path,
            )


def _announcement_pages(site: Site) -> Iterator[Page]:
    """Each notice's page, and the anslagsbevis of those that start an appeal period."""
    for each in site.archive.announcements:
        context = {
            "notice": each,
            "posting": board.other(each, site.calendar),
            "kind": ANNOUNCEMENT_KINDS[each.kind],
            "appeal_right": law.APPEAL_RIGHT[site.archive.settings.organisation_type],
        }
        yield Page(each.url, "announcement.html", context, each.title, source=each.path)
        if each.appeal and not each.is_draft:
            yield Page(
                each.anslagsbevis_url,
                "announcement_anslagsbevis.html",
                {**context, "shown": board.seen(site.history, each, site.calendar)},
                f"Anslagsbevis: {each.title}",
                source=each.path,
            )


def _protocol_pages(
    site: Site, body: Body, protocols: list[Summary], only: Collection[str] | None = None
) -> Iterator[Page]:
    """The protocol page and the anslagsbevis of each of a body's protocols (or of those at
    the paths in ``only``)."""
    ordered = sorted(protocols, key=lambda p: p.date)
    chain = _chain(ordered, lambda p: p.date.year)
    held = {m.held_on: m for m in site.archive.meetings if m.organ.slug == body.slug and m.held_on}
    settings = site.archive.settings
    register = people.Register(settings.bodies)
    first_of_year = 0
    for index, summary in enumerate(ordered):
        if index and ordered[index - 1].date.year != summary.date.year:
            first_of_year = index
        if only is not None and summary.path not in only:
            continue
        full = full_record(summary, site.records, site.archive.redacted)
        earlier = ordered[first_of_year:index]  # the same year's meetings before it
        legal = {
            "notices": Lazy(full.key, partial(_notices, full, site.calendar)),
            "findings": Lazy(full.key, partial(_acknowledged, full, site.calendar)),
        }
        who = {
            "serving": Lazy(f"V{summary.digest}", partial(_serving, summary, site.records)),
            "links": Lazy(f"N{full.key}", partial(_person_links, full, settings, register)),
        }
        yield Page(
            summary.url,
            "protocol.html",
            {
                "protocol": full,
                "body": body,
                "previous": ordered[index - 1] if index > 0 else None,
                "next": ordered[index + 1] if index + 1 < len(ordered) else None,
                "earlier": Lazy(chain[index], partial(tuple, earlier)),
                "meeting": held.get(summary.date),
                **legal,
                **who,
            },
            f"Protokoll {body.name} {swedish_date(summary.date)}",
            source=summary.path,
            record=summary,
        )
        if not summary.is_draft:
            shown = board.seen(site.history, summary, site.calendar)
            yield Page(
                summary.anslagsbevis_url,
                "anslagsbevis.html",
                {"protocol": full, "body": body, **legal, "shown": shown},
                f"Anslagsbevis {body.name} {swedish_date(summary.date)}",
                source=summary.path,
                record=summary,
            )


def _own_pages(site: Site, only: Collection[str]) -> Iterator[Page]:
    grouped = by_body(site.archive)
    wanted = {p.organ.slug for p in site.archive.protocols if p.path in only}
    for body in site.archive.settings.bodies:
        if body.slug in wanted:
            yield from _protocol_pages(site, body, grouped[body.slug], only)


def _notices(full: Lazy, calendar: Calendar) -> tuple[notice.Notice, ...]:
    return notice.notices(full.make(), calendar)


def _acknowledged(full: Lazy, calendar: Calendar) -> list[notice.Finding]:
    protocol = full.make()
    if not protocol.acknowledged:  # most protocols: no finding can carry an acknowledgement
        return []
    return [f for f in notice.findings(protocol, calendar) if f.acknowledgement]


def full_record(summary: Summary, records: Records | None, redacted: bool) -> Lazy:
    """The protocol's full record, read when its page is rendered."""

    def make() -> Protocol:
        assert records is not None, "a page that shows a full record needs the records"
        return records.full(summary, redacted)

    return Lazy(f"P{summary.digest}{redacted}", make)


def _serving(summary: Summary, records: Records | None) -> dict[int, decisions.Serving]:
    """Who served at each paragraph, from the whole record: a change of attendance at a
    paragraph kept off the web still holds at the paragraphs after it."""
    assert records is not None, "a page that shows a full record needs the records"
    return decisions.serving(records.full(summary))


# --- people: a page per person, from the registers and the published protocols -----------------

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


def _person_links(full: Lazy, settings: Settings, register: people.Register) -> dict[str, str]:
    """The address of each name on the protocol's page that has a page of its own: those in a
    register, and (unless the protocol is a draft) its beslutande and ersättare. A name the
    protocol does not tell between namesakes has none; one of two namesakes at the meeting
    is linked as the proceedings name them, with the party ('Anders Andersson (S)')."""
    if not settings.person_pages:
        return {}
    protocol: Protocol = full.make()
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
        self.years: dict[str, Counter[int]] = {}  # body slug -> meetings held by year

    def add(self, summary: Summary, protocol: Attended) -> None:
        body, day = protocol.organ, protocol.date
        self.held[body.slug].append(day)
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
        self.years = {slug: Counter(d.year for d in days) for slug, days in self.held.items()}
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
        return Profile(
            listed,
            tuple(t for _, t in terms),
            tuple(sorted(roles, key=lambda r: (r.first, r.body, r.role))),
            tuple(row for body in bodies for row in self._presence(slug, body, terms)),
            tuple(sorted(gathered.sittings, key=lambda s: (s.date, s.body), reverse=True)),
            tuple(newest(gathered.votes)),
            tuple(newest(gathered.reservations)),
            tuple(newest(gathered.jav)),
        )

    def _presence(self, slug: str, body: Body, terms: list[tuple[Body, Term]]) -> list[Presence]:
        """Meetings attended of those held, by year: the body's meetings during a term of
        office (all of them, when the register does not name the person for the body), and
        any other at which the protocol names them."""
        gathered = self.people[slug]
        present = Counter(day.year for s, day in gathered.present if s == body.slug)
        own = [t for b, t in terms if b.slug == body.slug]
        if own:
            listed = gathered.present | self.absent[slug]
            held = Counter(
                day.year
                for day in self.held[body.slug]
                if (body.slug, day) in listed or any(_covers(t, day) for t in own)
            )
        else:
            held = self.years.get(body.slug, Counter())
        return [Presence(body.name, y, present[y], held[y]) for y in sorted(held, reverse=True)]


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


def gather(site: Site) -> list[Profile]:
    """Every person's page, from one pass over the published protocols (drafts never count)."""
    gathering = _Gathering(site.archive.settings)
    published = sorted(
        (p for p in site.archive.protocols if not p.is_draft), key=lambda p: (p.date, p.path)
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


def _people_pages(site: Site) -> Iterator[Page]:
    """The index of people and each person's page, unless site.yaml turns them off. Made with
    the listings only: each page's key is everything it shows (its ``Profile``), so a build
    that makes the listings makes anew just the pages whose facts changed. (A build that makes
    only an edited protocol's own pages does not look at them: an edit that changes no summary
    but the protocol's people is shown on their pages from the next build of the listings.)"""
    if not site.archive.settings.person_pages:
        return
    profiles = gather(site)
    index = sorted((profile.listed for profile in profiles), key=_alphabetical)
    yield Page(PEOPLE_URL, "people.html", {"people": _known(index)}, "Ledamöter och ersättare")
    for profile in profiles:
        yield Page(profile.url, "person.html", {"person": _known(profile)}, profile.listed.name)


def _known(value: Any) -> Lazy:
    """A value made already, keyed by its text: a person's page shows hundreds of facts, and
    keying them one by one (``outputs.PageKeys``) costs more than their text."""
    return Lazy(digest("made", repr(value)), partial(_same, value))


def _same(value: Any) -> Any:
    return value


LOG_SHOWN = 100  # the page lists the newest entries; the JSON file holds them all


def _log_page(site: Site) -> Page:
    """The publication log as a page: the newest entries, newest first."""
    entries = site.history.entries
    newest = entries[-LOG_SHOWN:][::-1]
    return Page(
        "anslagstavla/publiceringslogg/",
        "publiceringslogg.html",
        {"entries": newest, "older": max(0, len(entries) - LOG_SHOWN)},
        "Publiceringslogg",
    )
