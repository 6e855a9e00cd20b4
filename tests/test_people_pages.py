"""Each §'s proceedings on the protocol page, and the people's pages (/ledamoter/).

The example kommun (examples/kommun/) is built with ``--no-pdf``, once as it is and once with
two more kommunfullmäktige protocols made from its November protocol: one published a year
earlier, with other votes (one by counts), jäv and an ersättare for an absent member, and one
draft, whose votes, jäv and attendance must never reach a person's page (the second build is a
preview with drafts). The figures on the pages are checked against counts made here from the
protocol files as YAML, not through Justerat's model.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, run_build_py

EXAMPLE = ROOT / "examples" / "kommun"
TODAY = "2026-12-07"
BODY = "kommunfullmaktige"
NOVEMBER = EXAMPLE / "protocols" / BODY / "2026-11-16.md"
SIDES = {"yes": "Ja", "no": "Nej", "abstain": "Avstår"}
SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z


def _build(content: Path, out: Path, *more: str) -> Path:
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(out.parent / "cache"),
        "--today", TODAY, "--no-pdf", *more,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


class FrontMatter(yaml.SafeLoader):
    """YAML as front matter is read: 'yes' and 'no' are words (a vote's sides), dates text."""


FrontMatter.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(("bool", "timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FrontMatter.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile("^(?:true|false)$"), list("tf")
)


def _split(path: Path) -> tuple[dict[str, Any], str]:
    head, body = path.read_text("utf-8")[4:].split("\n---\n", 1)
    return yaml.load(head, FrontMatter), body


def _write(path: Path, meta: dict[str, Any], body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{front}---\n{body}", "utf-8")


def _renumbered(body: str, meta: dict[str, Any], offset: int) -> str:
    """The paragraphs (and their proceedings) numbered ``offset`` on."""
    for facts in meta.get("proceedings") or ():
        facts["paragraph"] += offset
    return re.sub(r"^## § (\d+)", lambda m: f"## § {int(m.group(1)) + offset}", body, flags=re.M)


def _earlier(meta: dict[str, Any], body: str) -> tuple[dict[str, Any], str]:
    """November's protocol as one of October 2025: Magnus Wik absent, Ola Berg serving for
    him; at § 124 Mats Rydén votes nej and Ola Berg ja; at § 125 Lars Nyberg leaves, Roger Hed
    has jäv and the vote is by counts; from § 126 Camilla Rask serves for Lars Nyberg."""
    body = _renumbered(body, meta, -10)
    meta.update(date="2025-10-13")
    meta["justering"]["date"] = "2025-10-20"
    meta["anslag"] = {"posted": "2025-10-21"}
    attendees = meta["attendees"]
    attendees["voting"] = [p for p in attendees["voting"] if p["name"] != "Magnus Wik"]
    attendees["absent"].append({"name": "Magnus Wik", "party": "C"})
    attendees["substitutes"] = [p for p in attendees["substitutes"] if p["name"] != "Ola Berg"]
    attendees["serving_substitutes"].append(
        {"name": "Ola Berg", "party": "C", "replaces": "Magnus Wik"}
    )
    vote_at, leave_at = meta["proceedings"]
    vote_at.pop("jav")
    vote = vote_at["vote"]
    vote["yes"].append("Ola Berg")
    vote["no"].append("Mats Rydén")
    vote["abstain"] = []
    counted = {
        "paragraph": 125,
        "left": leave_at.pop("left"),
        "jav": ["Roger Hed"],
        "vote": {"yes": 14, "no": 5, "result": "yes"},
    }
    leave_at["serving"] = [{"name": "Camilla Rask", "party": "S", "replaces": "Lars Nyberg"}]
    meta["proceedings"] = [vote_at, counted, leave_at]
    return meta, body


def _draft(meta: dict[str, Any], body: str) -> tuple[dict[str, Any], str]:
    """November's protocol as a draft of 14 December: Karin Wester has jäv at § 144 and the
    others vote ja there, Tobias Falk attends."""
    body = _renumbered(body, meta, 10)
    meta.update(date="2026-12-14", status="draft")
    meta.pop("justering")
    meta.pop("anslag")
    attendees = meta["attendees"]
    attendees["voting"].append({"name": "Tobias Falk", "party": "M"})
    attendees["serving_substitutes"] = [
        p for p in attendees["serving_substitutes"] if p["name"] != "Ulla Skog"
    ]
    attendees["absent"] = [p for p in attendees["absent"] if p["name"] != "Tobias Falk"]
    vote_at = meta["proceedings"][0]
    names = [*vote_at["vote"]["yes"], *vote_at["vote"]["no"], *vote_at["vote"]["abstain"]]
    voters = [n for n in names if n not in ("Karin Wester", "Ulla Skog")] + ["Tobias Falk"]
    vote_at.update(jav=["Magnus Wik", "Karin Wester"], reservations=[])
    vote_at["proposals"] = vote_at["proposals"][:1]
    vote_at["vote"] = {"yes": voters, "no": [], "abstain": [], "result": "yes"}
    return meta, body


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example kommun as it is, built."""
    return _build(EXAMPLE, tmp_path_factory.mktemp("kommun") / "site")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example kommun with a protocol of 2025 and a draft of December 2026 added."""
    folder = tmp_path_factory.mktemp("more") / "content"
    shutil.copytree(EXAMPLE, folder)
    protocols = folder / "protocols" / BODY
    for made in (_earlier, _draft):
        meta, body = made(*_split(NOVEMBER))
        _write(protocols / f"{meta['date']}.md", meta, body)
    return folder


@pytest.fixture(scope="module")
def preview(content: Path) -> Path:
    """The larger example built as a preview with drafts."""
    return _build(content, content.parent / "preview" / "site", "--drafts")


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def _name(cell: Tag) -> str:
    """A person's name in a cell that gives it with the party: 'Karin Wester (M)'."""
    found = cell.select_one(".name")
    assert found is not None, cell
    return found.get_text(strip=True)


# --- what the protocol files say, counted here ------------------------------------------------


@dataclass
class Counted:
    present: Counter[tuple[str, int]] = field(default_factory=Counter)  # (body, year)
    held: Counter[tuple[str, int]] = field(default_factory=Counter)
    meetings: list[str] = field(default_factory=list)  # protocol addresses
    votes: set[tuple[str, str]] = field(default_factory=set)  # (§ address, side)
    reservations: set[str] = field(default_factory=set)  # § addresses
    jav: set[str] = field(default_factory=set)


def _published(content: Path) -> list[dict[str, Any]]:
    found = [_split(path)[0] for path in sorted((content / "protocols").rglob("*.md"))]
    return [meta for meta in found if meta["status"] == "justerat"]


def _present(meta: dict[str, Any]) -> set[str]:
    attendees = meta["attendees"]
    lists = ("voting", "serving_substitutes", "substitutes")
    names = {p["name"] for key in lists for p in attendees.get(key) or ()}
    return names | {
        p["name"] for f in meta.get("proceedings") or () for p in f.get("serving") or ()
    }


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _acts(people: dict[str, Counted], meta: dict[str, Any]) -> None:
    """The meetings, votes by name, reservations and jäv of one protocol, to whom."""
    address = f"protokoll/{meta['organ']}/{meta['date']}/"
    for name in _present(meta):
        people[name].meetings.append(address)
    for facts in meta.get("proceedings") or ():
        here = f"{address}#paragraf-{facts['paragraph']}"
        vote = facts.get("vote") or {}
        for side, label in SIDES.items():
            names = vote.get(side)
            for name in names if isinstance(names, list) else ():
                people[name].votes.add((here, label))
        for reservation in facts.get("reservations") or ():
            by = reservation["by"]
            for name in [by] if isinstance(by, str) else by:
                people[name].reservations.add(here)
        for name in facts.get("jav") or ():
            people[name].jav.add(here)


Terms = dict[tuple[str, str], list[tuple[date | None, date | None]]]  # (body, name) -> terms


def _held(counted: Counted, name: str, terms: Terms, protocols: list[dict[str, Any]]) -> None:
    """Meetings attended of those held, by body and year: a body's meetings during the
    person's terms in its register (all of them when it does not name the person), and any
    other that lists them; for the bodies they are registered for or attended."""
    involved = {s for s, n in terms if n == name}
    involved |= {m["organ"] for m in protocols if name in _present(m)}
    for meta in protocols:
        slug, day = meta["organ"], date.fromisoformat(meta["date"])
        if slug not in involved:
            continue
        own = terms.get((slug, name))
        serves = not own or any((a or day) <= day <= (b or day) for a, b in own)
        listed = _present(meta) | {p["name"] for p in meta["attendees"].get("absent") or ()}
        if serves or name in listed:
            counted.held[(meta["body"], day.year)] += 1
            counted.present[(meta["body"], day.year)] += name in _present(meta)


def count(content: Path) -> dict[str, Counted]:
    """Every person's figures, by name, from the published protocols and site.yaml."""
    site = yaml.load((content / "site.yaml").read_text("utf-8"), FrontMatter)
    terms: Terms = defaultdict(list)
    for slug, b in site["bodies"].items():
        for m in b.get("members") or ():
            terms[(slug, m["name"])].append((_day(m.get("from")), _day(m.get("to"))))
    people: dict[str, Counted] = defaultdict(Counted)
    protocols = _published(content)
    for meta in protocols:
        meta["body"] = site["bodies"][meta["organ"]]["name"]
        _acts(people, meta)
    everyone = {n for n, c in people.items() if c.meetings} | {n for _, n in terms}
    for name in everyone:
        _held(people[name], name, terms, protocols)
    return {name: people[name] for name in everyone}


# --- what the pages show ------------------------------------------------------------------------


def _rows(soup: BeautifulSoup, selector: str) -> list[list[Tag]]:
    table = soup.select_one(selector)
    if table is None:
        return []
    return [row.find_all(["th", "td"]) for row in table.select("tbody tr")]


def _fragment(href: str) -> str:
    """'../../protokoll/x/2026-11-16/#paragraf-134' → 'protokoll/x/2026-11-16/#paragraf-134'."""
    return href.replace("../", "")


def shown(site: Path, slug: str) -> tuple[str, Counted]:
    soup = _page(site, f"ledamoter/{slug}/")
    name = soup.h1.contents[0].get_text(strip=True)
    counted = Counted()
    for body, year, present, held in _rows(soup, "table.presence"):
        where = (body.get_text(strip=True), int(year.get_text()))
        counted.present[where] = int(present.get_text())
        counted.held[where] = int(held.get_text())
    for paragraph, vote, _ in _rows(soup, "table.votes"):
        side = vote.get_text(strip=True).split(":")[0]
        counted.votes.add((_fragment(paragraph.a["href"]), side))
    sections = {s["aria-labelledby"]: s for s in soup.select("section[aria-labelledby]")}
    for key in ("reservations", "jav"):
        section = sections["reservationer" if key == "reservations" else "jav"]
        links = section.select("ul.acts a")
        getattr(counted, key).update(_fragment(a["href"]) for a in links)
        assert len(links) == len(getattr(counted, key)), f"{name}: a {key} listed twice"
    meetings = sections["sammantraden"].select("ul a")
    counted.meetings = sorted(_fragment(a["href"]) for a in meetings)
    return name, counted


def _slugs(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "ledamoter").glob("*/index.html"))


# --- the tests -------------------------------------------------------------------------------------


def test_each_vote_table_shows_exactly_the_front_matter(
    example: Path, preview: Path, content: Path
) -> None:
    for site, source in ((example, EXAMPLE), (preview, content)):
        votes = 0
        for meta in _published(source):
            soup = _page(site, f"protokoll/{meta['organ']}/{meta['date']}/")
            for facts in meta.get("proceedings") or ():
                if "vote" not in facts:
                    continue
                votes += 1
                vote, number = facts["vote"], facts["paragraph"]
                table = soup.select_one(f"#paragraf-{number} table.vote-table")
                assert table is not None and table.caption is not None, number
                headers = [th.get_text(strip=True) for th in table.select("thead th[scope=col]")]
                assert headers[-3:] == ["Ja", "Nej", "Avstår"]
                assert all(th.get("scope") == "row" for th in table.select("tbody th, tfoot th"))
                if isinstance(vote["yes"], int):  # by counts: one row of numbers
                    (row,) = _rows(soup, f"#paragraf-{number} table.vote-table")
                    numbers = [int(cell.get_text()) for cell in row[1:]]
                    assert numbers == [vote["yes"], vote["no"], vote.get("abstain", 0)]
                    continue
                found: dict[str, list[str]] = {side: [] for side in SIDES}
                for cells in _rows(soup, f"#paragraf-{number} table.vote-table"):
                    marked = [
                        s for s, c in zip(SIDES, cells[1:], strict=True) if c.get_text(strip=True)
                    ]
                    assert len(marked) == 1, cells
                    found[marked[0]].append(_name(cells[0]))
                assert found == {side: vote.get(side) or [] for side in SIDES}, number
                totals = [int(td.get_text()) for td in table.select("tfoot td")]
                assert totals == [len(vote.get(side) or []) for side in SIDES]
        assert votes >= (1 if site == example else 3)


def test_the_paragraphs_show_jav_departures_reservations_and_notes(example: Path) -> None:
    meta, _ = _split(NOVEMBER)
    soup = _page(example, f"protokoll/{BODY}/2026-11-16/")
    for facts in meta["proceedings"]:
        section = soup.select_one(f"#paragraf-{facts['paragraph']}")
        text = " ".join(section.get_text(" ").split())
        headings = [h.get_text(strip=True) for h in section.select("h3")]
        for name in facts.get("jav") or ():
            assert "Jäv" in headings and f"{name} (" in text
        for name in facts.get("left") or ():
            assert "Närvaro" in headings and re.search(
                f"{name} \\(\\w+\\) lämnar sammanträdet", text
            )
        if facts.get("proposals"):
            assert "Yrkanden" in headings and "Propositionsordning" in headings
        for reservation in facts.get("reservations") or ():
            assert "Reservation" in headings
            assert " ".join(reservation["text"].split()[:8]) in text
        for note in facts.get("notes") or ():
            assert "Protokollsanteckning" in headings and note["text"].split(".")[0] in text
    # a § without proceedings has none of it
    assert not soup.select("#paragraf-135 .proceedings, #paragraf-131 .proceedings")


@pytest.mark.parametrize("which", ["example", "preview"])
def test_every_person_page_has_the_figures_the_files_give(
    which: str, example: Path, preview: Path, content: Path
) -> None:
    site, source = (example, EXAMPLE) if which == "example" else (preview, content)
    expected = count(source)
    seen = {}
    for slug in _slugs(site):
        name, counted = shown(site, slug)
        seen[name] = counted
    assert sorted(seen) == sorted(expected)  # everyone registered or attending, nobody else
    for name, counted in expected.items():
        got = seen[name]
        assert got.meetings == sorted(counted.meetings), name
        assert got.votes == counted.votes, name
        assert got.reservations == counted.reservations, name
        assert got.jav == counted.jav, name
        held = {k: v for k, v in counted.held.items() if v}
        assert dict(got.held) == held, name
        assert dict(got.present) == {k: counted.present[k] for k in held}, name


def test_a_paragraph_shows_who_serves_where_it_differs_from_the_front_page(
    preview: Path,
) -> None:
    soup = _page(preview, f"protokoll/{BODY}/2025-10-13/")
    left = " ".join(soup.select_one("#paragraf-125 .attendance").get_text(" ").split())
    assert "Lars Nyberg (S) lämnar sammanträdet" in left
    later = " ".join(soup.select_one("#paragraf-126 .attendance").get_text(" ").split())
    assert (
        "Camilla Rask (S) tjänstgör från och med denna paragraf i stället för Lars Nyberg" in later
    )
    assert "deltar inte: Lars Nyberg (S)" in later  # since § 125
    assert "Vid paragrafen tjänstgör 21 beslutande" in later
    assert not soup.select("#paragraf-123 .proceedings")


def test_a_draft_never_counts(preview: Path) -> None:
    """The draft's jäv for Karin Wester, its votes and Tobias Falk's attendance are on its own
    page in the preview, and on nobody's page."""
    draft = _page(preview, f"protokoll/{BODY}/2026-12-14/")
    assert draft.select_one("#paragraf-144 table.vote-table") is not None
    _, wester = shown(preview, "karin-wester")
    assert not any("2026-12-14" in where for where in wester.jav | wester.reservations)
    assert not any("2026-12-14" in where for where, _ in wester.votes)
    _, falk = shown(preview, "tobias-falk")
    # he was at the example's meeting of 22 September 2025 (its front page lists him), absent
    # on 16 November 2026, and the draft's attendance is not counted
    assert falk.meetings == [f"protokoll/{BODY}/2025-09-22/"] and falk.votes == set()
    assert dict(falk.present) == {("Kommunfullmäktige", 2025): 1, ("Kommunfullmäktige", 2026): 0}
    # the draft's page links only the names that have pages
    for a in draft.select("a.name"):
        assert (preview / _fragment(a["href"]) / "index.html").is_file()


def test_a_person_page_shows_the_example_s_vote_reservation_and_jav(example: Path) -> None:
    _, wester = shown(example, "karin-wester")
    here = f"protokoll/{BODY}/2026-11-16/#paragraf-134"
    assert wester.votes == {(here, "Nej")} and wester.reservations == {here}
    # present at both of the example's meetings (22 September 2025, 16 November 2026)
    assert dict(wester.present) == {("Kommunfullmäktige", 2025): 1, ("Kommunfullmäktige", 2026): 1}
    soup = _page(example, "ledamoter/karin-wester/")
    assert "Moderaterna anser att regelverket" in soup.select_one("blockquote.written").get_text()
    _, wik = shown(example, "magnus-wik")
    assert wik.jav == {here} and wik.votes == set()
    index = _page(example, "ledamoter/")
    listed = [a.get_text(strip=True) for a in index.select("ul.people-index a")]
    assert "Karin Wester" in listed and "Åsa Berglund" not in listed  # the secretary has none
    surnames = [name.split()[-1] for name in listed]  # by surname, å ä ö last
    assert surnames.index("Strand") < surnames.index("Ström") < surnames.index("Wik")
    assert surnames == sorted(surnames, key=lambda n: n.casefold().translate(SWEDISH))


def test_the_protocol_page_links_the_attendees_to_their_pages(example: Path) -> None:
    soup = _page(example, f"protokoll/{BODY}/2026-11-16/")
    front = soup.select_one("section.front-page")
    linked = {a.get_text(strip=True): a["href"] for a in front.select("a.name")}
    meta, _ = _split(NOVEMBER)
    attendees = meta["attendees"]
    for key in ("voting", "serving_substitutes", "substitutes", "absent"):
        for person in attendees[key]:
            assert person["name"] in linked, person
    for person in attendees["others"]:  # officials: no page
        assert person["name"] not in linked
    for href in linked.values():
        assert (example / f"protokoll/{BODY}/2026-11-16/" / href / "index.html").resolve().is_file()


def test_person_pages_false_makes_no_pages_and_no_links(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content, folder)
    settings = folder / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "person_pages: false\n", "utf-8")
    site = _build(folder, tmp_path / "site")
    assert not (site / "ledamoter").exists()
    for page in site.rglob("*.html"):
        assert "ledamoter" not in page.read_text("utf-8"), page
    assert "ledamoter" not in (site / "sitemap.xml").read_text("utf-8")
    # the proceedings are still shown
    assert _page(site, f"protokoll/{BODY}/2026-11-16/").select_one("table.vote-table")


def test_the_sample_pages_are_unchanged_but_for_the_links_to_people(tmp_path: Path) -> None:
    """The sample förbund's register (site.yaml) adds facts, not changes: with person pages
    off its protocol pages are what the content without a register makes, byte for byte; with
    them on, the only difference is the link around each person's name."""
    with_register = tmp_path / "med/content"
    shutil.copytree(ROOT / "content", with_register)
    without = tmp_path / "utan/content"
    shutil.copytree(ROOT / "content", without)
    settings = (without / "site.yaml").read_text("utf-8")
    settings = re.sub(r"\n    members:\n(?:      .*\n|\s*#.*\n)*", "\n", settings)
    (without / "site.yaml").write_text(settings, "utf-8")
    assert "members:" not in settings
    linked = _build(with_register, tmp_path / "med/site")
    for folder in (with_register, without):
        text = (folder / "site.yaml").read_text("utf-8")
        (folder / "site.yaml").write_text(text + "person_pages: false\n", "utf-8")
    plain = _build(with_register, tmp_path / "med/plain")
    bare = _build(without, tmp_path / "utan/site")
    for page in (
        "protokoll/styrelsen/2023-09-13/index.html",
        "protokoll/styrelsen/2022-05-11/index.html",
    ):
        assert (plain / page).read_bytes() == (bare / page).read_bytes(), page
        shown = BeautifulSoup((linked / page).read_text("utf-8"), "html.parser")
        links = shown.select('main a[href*="ledamoter/"]')
        assert links, page  # the names lead to their pages
        for link in links:
            link.unwrap()
        reference = BeautifulSoup((plain / page).read_text("utf-8"), "html.parser")
        assert shown.main.get_text() == reference.main.get_text(), page
