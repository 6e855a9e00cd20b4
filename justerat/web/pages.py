"""The model → the site's pages: each page's address, template and what its template is given.

Nothing is rendered here (``render`` does that) and nothing is keyed (``outputs``): this is the
one place that says which pages the site has. A protocol's full record is read only when one
of its own pages is rendered (``Lazy``), and for the people's pages, which are made in one
pass over the published protocols when the site's listings are made (``profiles``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from ..core.swedish import swedish_date
from ..domain.forfattningar import FOLDER
from ..domain.meetings import Meeting
from ..domain.model import Archive, Protocol, Summary
from ..domain.settings import Body, Settings
from ..legal import board, decisions, forfattningar, law, meeting, notice, people, publog
from ..legal.announcement import TITLES as ANNOUNCEMENT_KINDS
from ..legal.law import Calendar
from ..loading.content import Records
from ..reading import audit_record
from . import profiles
from .templates import digest

NEXT_MEETINGS = 5  # the next meetings the home page shows


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
    latest = sorted(
        archive.protocols, key=lambda p: (p.date, -settings.rank(p.organ.slug)), reverse=True
    )[:10]
    bodies = [(body, len(grouped[body.slug])) for body in settings.bodies]
    home = {
        "latest": latest,
        "bodies": bodies,
        "plans": archive.plans,
        "board": _board_today(site),
        "meetings": _next_meetings(archive.meetings, site.today, settings),
        "today": site.today,
        "shown_meetings": NEXT_MEETINGS,
    }
    yield Page("", "index.html", home)
    yield Page("protokoll/", "protocols.html", {"bodies": bodies}, "Protokoll")
    for body in settings.bodies:
        yield from _body_pages(site, body, grouped[body.slug])
    yield _board(site)
    yield Page("sok/", "search.html", {}, "Sök")
    yield _accessibility(settings)
    yield from _open_data(settings.bodies, grouped)
    yield Page("404.html", "404.html", {}, "Sidan finns inte", rooted=True, listed=False)
    yield Page("planer/", "plans.html", {"plans": archive.plans}, "Planer och budgetar")
    for plan in archive.plans:
        yield Page(plan.url, "plan.html", {"plan": plan}, plan.title, source=plan.path)
    yield from _meeting_pages(site)
    yield from _announcement_pages(site)
    yield from _forfattning_pages(site)
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


def _accessibility(settings: Settings) -> Page:
    """The accessibility statement: the office's own assessment (site.yaml) and the record of
    the last automated test (``audit_record``, beside site.yaml), and what they let the page
    claim. A record that cannot be read is shown as such, never taken for a test."""
    audit, unreadable = audit_record.beside(settings.path)
    context = {
        "audit": audit,
        "audit_unreadable": unreadable,
        "conformance": audit_record.conformance(settings, audit).value,
    }
    return Page("tillganglighet/", "accessibility.html", context, "Tillgänglighetsredogörelse")


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
    """The key of everything the board on ``today`` shows (a justering names the föreskrifter
    its protocol adopted)."""
    return digest(
        "board",
        today.isoformat(),
        *(p.key for p in archive.protocols + archive.withdrawn),
        *(m.source.digest for m in archive.meetings),
        *(a.source.digest for a in archive.announcements),
        *(f.source.digest for f in archive.forfattningar),
    )


def _board_today(site: Site) -> Lazy:
    """The board as it stands on the build's day, made when a page that shows it is."""
    archive = site.archive
    whole = partial(
        board.board,
        archive.protocols + archive.withdrawn,
        archive.meetings,
        archive.announcements,
        site.today,
        site.calendar,
    )
    return Lazy(board_key(archive, site.today), whole)


def _next_meetings(
    meetings: Iterable[Meeting], today: date, settings: Settings
) -> list[tuple[Meeting, bool]]:
    """The home page's next meetings, each with whether it is shown: the first
    ``NEXT_MEETINGS`` from the build's day are; those of the two weeks before and the next ones
    after them are there, hidden, for a visitor whose day is another (the page's script shows
    the first from the visitor's day)."""
    since = today - timedelta(days=14)
    rows = sorted(
        (m for m in meetings if (m.held_on or m.date) >= since),
        key=lambda m: (m.held_on or m.date, settings.rank(m.organ.slug), m.ident),
    )
    past = [(m, False) for m in rows if (m.held_on or m.date) < today]
    coming = [m for m in rows if (m.held_on or m.date) >= today][: NEXT_MEETINGS * 4]
    return past + [(m, n < NEXT_MEETINGS) for n, m in enumerate(coming)]


def _board(site: Site) -> Page:
    return Page(
        "anslagstavla/",
        "anslagstavla.html",
        {
            "board": _board_today(site),
            "appeal_right": law.APPEAL_RIGHT[site.archive.settings.organisation_type],
            "regulations": forfattningar.adopted_at(site.archive.forfattningar),
        },
        "Anslagstavla",
    )


def _plan_rows(
    meetings: Iterable[Meeting], today: date, settings: Settings
) -> dict[str, list[Meeting]]:
    """The meetings of a sammanträdesplan: upcoming (soonest first) and past (latest first);
    on the same day, in the bodies' order (site.yaml)."""
    upcoming = [m for m in meetings if (m.held_on or m.date) >= today]
    past = [m for m in meetings if (m.held_on or m.date) < today]
    return {
        "upcoming": sorted(
            upcoming, key=lambda m: (m.held_on or m.date, settings.rank(m.organ.slug), m.ident)
        ),
        "past": sorted(
            past,
            key=lambda m: (m.held_on or m.date, -settings.rank(m.organ.slug), m.ident),
            reverse=True,
        ),
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
        {
            "body": None,
            "bodies": bodies,
            "today": site.today,
            **_plan_rows(meetings, site.today, archive.settings),
        },
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
                **_plan_rows(by_body[body.slug], site.today, archive.settings),
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


def _forfattning_pages(site: Site) -> Iterator[Page]:
    """The författningssamling: its register, on the build's day, and each föreskrift's page
    with its text, its state that day, the § that adopted it and its versions."""
    archive = site.archive
    every = archive.forfattningar
    if not every:
        return
    after = forfattningar.successors(every)
    known = {f.beteckning: f for f in every}
    key = digest("register", site.today.isoformat(), *(f.source.digest for f in every))
    made = partial(forfattningar.register, every, site.today, archive.protocols)
    context = {"register": Lazy(key, made), "today": site.today}
    yield Page(FOLDER + "/", "forfattningssamling.html", context, "Författningssamling")
    for each in every:
        context = {
            "forfattning": each,
            "state": forfattningar.state(each, site.today, after, archive.protocols),
            "today": site.today,
            "successor": after.get(each.beteckning),
            "earlier": [known[b] for b in each.replaces if b in known],
            "adopted_in": forfattningar.meeting_of(each.adopted, archive.protocols),
            "repealed_in": (
                forfattningar.meeting_of(each.repealed, archive.protocols)
                if each.repealed
                else None
            ),
            "kungjord": forfattningar.posted(each.adopted, archive.protocols),
        }
        title = f"{each.beteckning} {each.title}"
        yield Page(each.url, "forfattning.html", context, title, source=each.path)


def _protocol_pages(
    site: Site, body: Body, protocols: list[Summary], only: Collection[str] | None = None
) -> Iterator[Page]:
    """The protocol page and the anslagsbevis of each of a body's protocols (or of those at
    the paths in ``only``)."""
    ordered = sorted(protocols, key=lambda p: p.date)
    chain = _chain(ordered, lambda p: p.date.year)
    held = {m.held_on: m for m in site.archive.meetings if m.organ.slug == body.slug and m.held_on}
    adopted = forfattningar.adopted_at(site.archive.forfattningar)
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
                "regulations": adopted.get((body.slug, summary.date), []),
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


def _person_links(full: Lazy, settings: Settings, register: people.Register) -> dict[str, str]:
    """The address of each name on the protocol's page that has a page of its own
    (``profiles.links``); none when site.yaml turns the people's pages off."""
    if not settings.person_pages:
        return {}
    return profiles.links(full.make(), register)


def _people_pages(site: Site) -> Iterator[Page]:
    """The index of people and each person's page, unless site.yaml turns them off. Made with
    the listings only: each page's key is everything it shows (its ``Profile``), so a build
    that makes the listings makes anew just the pages whose facts changed. (A build that makes
    only an edited protocol's own pages does not look at them: an edit that changes no summary
    but the protocol's people is shown on their pages from the next build of the listings.)"""
    if not site.archive.settings.person_pages:
        return
    found = profiles.gather(site.archive)
    index = profiles.index(found)
    yield Page(
        profiles.PEOPLE_URL, "people.html", {"people": _known(index)}, "Ledamöter och ersättare"
    )
    for profile in found:
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
