"""Two people of the same name: "Anders Andersson" (S) and "Anders Andersson" (M) in one
kommunfullmäktige, told apart by their `id` in site.yaml's register.

The example kommun (examples/kommun) is copied twice with Anna Strand (S, in fullmäktige and
kommunstyrelsen) renamed Anders Andersson, id `anders-andersson-s`:

- "both": Eva Nord (M, fullmäktige) is renamed Anders Andersson too, id `anders-andersson-m`.
  At the November meeting both attend, each with their party; at § 134 the S one votes ja, the
  M one nej and reserves, named in the proceedings "Anders Andersson (S)" and "(M)". Each gets
  their own page with only their own votes, reservation and meetings, the protocol's names link
  to the right page, and the open data gives each their own Person and id.
- "unclear": Tobias Falk (M, fullmäktige, absent from the meeting) is the M namesake in the
  register, and the protocol names Anders Andersson without a party: `check` warns at that
  attendee's line, and the name is linked to no page and counted on none.

The built pages are parsed (BeautifulSoup) and the JSON read; the documents are validated
against the schemas the site publishes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, run_build_py
from jsonschema import Draft202012Validator, FormatChecker

EXAMPLE = ROOT / "examples" / "kommun"
BODY = "kommunfullmaktige"
PROTOCOL = f"protocols/{BODY}/2026-11-16.md"
PAGE = f"protokoll/{BODY}/2026-11-16/"
TODAY = "2026-12-07"
S, M = "anders-andersson-s", "anders-andersson-m"
NAME = "Anders Andersson"


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def _both(content: Path) -> None:
    _edit(
        content / "site.yaml",
        ("{name: Anna Strand, party: S,", f"{{name: {NAME}, id: {S}, party: S,"),
        ("{name: Eva Nord, party: M,", f"{{name: {NAME}, id: {M}, party: M,"),
    )
    _edit(
        content / PROTOCOL,
        ("{name: Anna Strand, party: S}", f"{{name: {NAME}, party: S}}"),
        ("{name: Eva Nord, party: M}", f"{{name: {NAME}, party: M}}"),
        ("Anna Strand", f"{NAME} (S)"),
        ("Eva Nord", f"{NAME} (M)"),
    )


def _unclear(content: Path) -> None:
    _edit(
        content / "site.yaml",
        ("{name: Anna Strand, party: S,", f"{{name: {NAME}, id: {S}, party: S,"),
        ("{name: Tobias Falk, party: M,", f"{{name: {NAME}, id: {M}, party: M,"),
    )
    _edit(
        content / PROTOCOL,
        ("{name: Anna Strand, party: S}", f"{{name: {NAME}}}"),
        ("Anna Strand", NAME),
    )


def _build(content: Path, out: Path) -> tuple[Path, str]:
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(out.parent / "cache"),
        "--today", TODAY, "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out, result.stderr


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, str]]:
    """Each variant's content folder, the site built from it and the build's messages."""
    where = tmp_path_factory.mktemp("namesakes")
    found = {}
    for name, edit in (("both", _both), ("unclear", _unclear)):
        content = where / name / "content"
        shutil.copytree(EXAMPLE, content)
        edit(content)
        found[name] = (content, *_build(content, where / name / "site"))
    return found


def _soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def _load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _section(soup: BeautifulSoup, name: str) -> Tag:
    found = soup.select_one(f'section[aria-labelledby="{name}"]')
    assert found is not None, name
    return found


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _person(site: Path, ident: str) -> dict[str, Any]:
    """What a person's page shows: name, the register's terms (body, party), votes (paragraph,
    side), reservations (paragraphs) and meetings (addresses)."""
    soup = _soup(site, f"ledamoter/{ident}/")
    terms = soup.select_one("table caption#uppdrag-forteckning")
    assert terms is not None
    rows = terms.find_parent("table").select("tbody tr")
    return {
        "name": _text(soup.h1),
        "terms": sorted((_text(r.th), _text(r.find_all("td")[1])) for r in rows),
        "votes": [
            (r.th.a["href"].rsplit("#", 1)[1], _text(r.td).split(":")[0])
            for r in soup.select("table.votes tbody tr")
        ],
        "reservations": [
            a["href"].rsplit("#", 1)[1] for a in _section(soup, "reservationer").select("ul a")
        ],
        "meetings": [a["href"] for a in _section(soup, "sammantraden").select("ul a")],
    }


# --- two namesakes, told apart ------------------------------------------------------------------


def test_each_namesake_has_a_page_of_their_own(sites: dict[str, tuple[Path, Path, str]]) -> None:
    _, site, messages = sites["both"]
    assert NAME not in messages  # nothing to warn of: every name is told apart
    pages = sorted(p.parent.name for p in (site / "ledamoter").glob("*/index.html"))
    assert S in pages and M in pages
    assert "anders-andersson" not in pages
    assert _person(site, S) == {
        "name": f"{NAME} (S)",
        "terms": [("Kommunfullmäktige", "S"), ("Kommunstyrelsen", "S")],
        "votes": [("paragraf-134", "Ja")],
        "reservations": [],
        "meetings": ["../../protokoll/kommunfullmaktige/2026-11-16/"],
    }
    assert _person(site, M) == {
        "name": f"{NAME} (M)",
        "terms": [("Kommunfullmäktige", "M")],
        "votes": [("paragraf-134", "Nej")],
        "reservations": ["paragraf-134"],
        "meetings": ["../../protokoll/kommunfullmaktige/2026-11-16/"],
    }
    index = _soup(site, "ledamoter/")
    listed = [
        (_text(li.a), li.a["href"], _text(li.select_one(".meta")))
        for li in index.select("ul.people-index li")
        if _text(li.a) == NAME
    ]
    assert sorted(listed) == [
        (NAME, f"{M}/", "M · Kommunfullmäktige"),
        (NAME, f"{S}/", "S · Kommunfullmäktige, Kommunstyrelsen"),
    ]


def test_the_protocols_names_link_to_the_right_namesake(
    sites: dict[str, tuple[Path, Path, str]],
) -> None:
    _, site, _ = sites["both"]
    soup = _soup(site, PAGE)
    front = soup.select_one("section.front-page")
    assert front is not None
    linked = [
        (_text(li), a["href"].rstrip("/").rsplit("/", 1)[1])
        for li in front.select("li")
        if (a := li.select_one("a.name")) is not None and _text(a) == NAME
    ]
    assert linked == [(f"{NAME} (S)", S), (f"{NAME} (M)", M)]
    votes = {
        _text(row.th): (
            row.th.a["href"].rstrip("/").rsplit("/", 1)[1],
            [_text(td) for td in row("td")],
        )
        for row in soup.select("#paragraf-134 table.vote-table tbody tr")
        if NAME in _text(row.th)
    }
    assert votes == {f"{NAME} (S)": (S, ["X", "", ""]), f"{NAME} (M)": (M, ["", "X", ""])}
    reservation = soup.select_one("#paragraf-134 .reservations")
    assert reservation is not None
    hrefs = [a["href"] for a in reservation.select("a.name") if NAME in _text(a)]
    assert [h.rstrip("/").rsplit("/", 1)[1] for h in hrefs] == [M]


def test_the_open_data_has_each_namesake_as_a_person(
    sites: dict[str, tuple[Path, Path, str]],
) -> None:
    _, site, _ = sites["both"]
    persons = {p["id"]: p for p in _load(site / "data" / "personer.json")["persons"]}
    assert "anders-andersson" not in persons
    memberships = {
        ident: sorted((m["organization"]["id"], m["party"]) for m in persons[ident]["membership"])
        for ident in (S, M)
    }
    assert memberships == {
        S: [("kommunfullmaktige", "S"), ("kommunstyrelsen", "S")],
        M: [("kommunfullmaktige", "M")],
    }
    assert {persons[i]["name"] for i in (S, M)} == {NAME}
    assert persons[S]["web"].endswith(f"/ledamoter/{S}/")
    document = _load(site / "data" / "protokoll" / BODY / "2026-11-16.json")
    item = next(i for i in document["agendaItems"] if i["number"] == 134)
    voters = {
        v["voter"]["id"]: (v["option"], v["voter"]["name"], v["voter"]["party"])
        for v in item["voteEvent"]["votes"]
        if v["voter"]["name"] == NAME
    }
    assert voters == {S: ("yes", NAME, "S"), M: ("no", NAME, "M")}
    reserving = [p for r in item["reservations"] for p in r["by"] if p["name"] == NAME]
    assert reserving == [{"id": M, "name": NAME, "party": "M"}]
    present = [p["id"] for p in item["attendance"]["present"] if p["name"] == NAME]
    assert sorted(present) == [M, S]
    for path, kind in ((site / "data" / "personer.json", "people"), (None, "protocol")):
        schema = _load(site / "schema" / f"opendata-{kind}.schema.json")
        checked = _load(path) if path else document
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        assert not [e.message for e in validator.iter_errors(checked)]


# --- a name the protocol does not tell apart -----------------------------------------------------


def test_a_namesake_without_a_party_is_warned_of_and_left_unlinked(
    sites: dict[str, tuple[Path, Path, str]],
) -> None:
    content, site, _ = sites["unclear"]
    result = run_build_py("check", "--content", str(content))
    assert result.returncode == 0, result.stderr  # a warning: the build goes on
    file = (content / PROTOCOL).as_posix()
    lines = (content / PROTOCOL).read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if f"{{name: {NAME}}}" in text)
    warned = [w for w in result.stderr.splitlines() if NAME in w and "[register]" in w]
    assert warned == [
        f"{file}:{line}: warning: två personer i registret i site.yaml heter {NAME} (S, M); "
        f"skriv party: för {NAME} här, så att det framgår vem av dem som avses (namnet länkas "
        "inte till någon personsida förrän dess) [register]"
    ]
    soup = _soup(site, PAGE)
    named = [t for t in soup.select("main .name") if _text(t) == NAME]
    assert named and all(t.name == "span" for t in named)  # shown, linked to no one
    assert not soup.select(
        f'a[href*="{S}"], a[href*="{M}"], a[href*="ledamoter/anders-andersson/"]'
    )
    for ident in (S, M):  # each has their page from the register, with nothing of the meeting
        shown = _person(site, ident)
        assert (shown["votes"], shown["reservations"], shown["meetings"]) == ([], [], [])
    assert not (site / "ledamoter" / "anders-andersson").exists()
    document = _load(site / "data" / "protokoll" / BODY / "2026-11-16.json")
    item = next(i for i in document["agendaItems"] if i["number"] == 134)
    voter = next(v["voter"] for v in item["voteEvent"]["votes"] if v["voter"]["name"] == NAME)
    assert voter == {"name": NAME}  # no id rather than the wrong one
    schema = _load(site / "schema" / "opendata-protocol.schema.json")
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    assert not [e.message for e in validator.iter_errors(document)]


def test_an_id_must_be_a_slug(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    _edit(
        content / "site.yaml", ("{name: Anna Strand, party: S,", "{name: Anna Strand, id: Anna S,")
    )
    result = run_build_py("check", "--content", str(content))
    assert result.returncode == 1
    assert re.search(
        r"site\.yaml:\d+: error: .*'Anna S' har fel form \(små bokstäver, siffror och "
        r"bindestreck, till exempel 'anders-andersson-m'\)",
        result.stderr,
    ), result.stderr


def test_a_register_entry_without_the_id_its_person_has_elsewhere_is_warned_of(
    tmp_path: Path,
) -> None:
    """Anna Strand (S) is in fullmäktige and kommunstyrelsen; an id in one entry only would
    make her two people. A namesake of another party without an id is another person."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    first = "{name: Anna Strand, party: S,"
    text = text.replace(first, "{name: Anna Strand, id: anna-strand-s, party: S,", 1)
    text = text.replace("{name: Eva Nord, party: M,", "{name: Anna Strand, party: M,", 1)
    settings.write_text(text, "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if first in row)
    result = run_build_py("check", "--content", str(content))
    warned = [row for row in result.stderr.splitlines() if "i en annan post i registret" in row]
    assert warned == [
        f"{content}/site.yaml:{line}: warning: Anna Strand har id: anna-strand-s i en annan "
        "post i registret men inget id här; skriv id: anna-strand-s här om det är samma person "
        "(annars blir det två personer, med var sin personsida) [register]"
    ]


def test_an_id_that_is_another_persons_name_is_refused(tmp_path: Path) -> None:
    """Anna Strand (S) given the id anna-strand, and a namesake of another party without an
    id, whose name is then the same id: the two would be merged into one person."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    text = text.replace(
        "{name: Anna Strand, party: S,", "{name: Anna Strand, id: anna-strand, party: S,"
    )
    text = text.replace("{name: Eva Nord, party: M,", "{name: Anna Strand, party: M,", 1)
    settings.write_text(text, "utf-8")
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if "{name: Anna Strand, party: M," in row
    )
    result = run_build_py("check", "--content", str(content))
    assert result.returncode == 1
    refused = [row for row in result.stderr.splitlines() if row.startswith(f"{settings}:")]
    assert refused == [
        f"{content}/site.yaml:{line}: error: Anna Strand (M) har inget id, och då är namnet "
        "personens id, anna-strand; men en annan post i registret har id: anna-strand för en "
        "annan person. Ge Anna Strand (M) ett eget id, till exempel id: anna-strand-m, annars "
        "slås de två ihop till en person [register]"
    ]


# --- a namesake ersättare who begins to serve at a paragraph ------------------------------------


def test_a_namesake_ersattare_entering_at_a_paragraph_keeps_who_they_are(tmp_path: Path) -> None:
    """Ola Berg (C, ersättare) renamed Anna Strand, id anna-strand-c, beside Anna Strand (S,
    ledamot, anna-strand-s) who votes at the meeting: at § 136 Magnus Wik (C) leaves and the C
    namesake serves in his place. The open data names her with her id and party, and the page
    tells of her once."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    _edit(
        content / "site.yaml",
        ("{name: Anna Strand, party: S,", "{name: Anna Strand, id: anna-strand-s, party: S,"),
        ("{name: Ola Berg, party: C,", "{name: Anna Strand, id: anna-strand-c, party: C,"),
    )
    _edit(
        content / PROTOCOL,
        ("{name: Ola Berg, party: C}", "{name: Anna Strand, party: C}"),
        ("Per-Olof Ek, Anna Strand,", "Per-Olof Ek, Anna Strand (S),"),
        (
            "    left: [Lars Nyberg]\n",
            "    left: [Lars Nyberg, Magnus Wik]\n"
            "    serving: [{name: Anna Strand, party: C, replaces: Magnus Wik}]\n",
        ),
    )
    site, messages = _build(content, tmp_path / "site")
    assert "Anna Strand" not in messages  # every name told apart
    document = _load(site / "data" / "protokoll" / BODY / "2026-11-16.json")
    item = next(i for i in document["agendaItems"] if i["number"] == 136)
    assert item["attendance"]["substitutes"] == [
        {"id": "anna-strand-c", "name": "Anna Strand", "party": "C", "replaces": "Magnus Wik"}
    ]
    said = _soup(site, PAGE).select_one("#paragraf-136 .attendance")
    assert said is not None
    assert _text(said).count("Anna Strand") == 1
    assert (
        "Anna Strand (C) tjänstgör från och med denna paragraf i stället för Magnus Wik (C)"
        in _text(said)
    )
    linked = [a["href"] for a in said.select("a.name") if "Anna Strand" in _text(a)]
    assert [h.rstrip("/").rsplit("/", 1)[1] for h in linked] == ["anna-strand-c"]
