"""The open data of people and proceedings, built by the command line: every document in /data/
valid against the JSON Schema the site publishes for it at /schema/, the people of personer.json
those of the registers in site.yaml, and each protocol's votes, jäv, reservations, proposals,
notes and attendance equal to its front matter, as yaml reads it here on its own.

Three sites: the example kommun (examples/kommun) as it is, the sample archive (content/), and
a copy of the example whose protocol of 16 November records proceedings at its paragraphs (a
member leaving and another arriving, an ersättare serving from a §, jäv, a vote by numbers and
one by name, proposals, reservations and a protokollsanteckning) and keeps a § off the web."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, Yaml12, build_site
from jsonschema import Draft202012Validator, FormatChecker

from justerat.domain.settings import Settings
from justerat.web import opendata

EXAMPLE = ROOT / "examples" / "kommun"
PROTOCOL = "protocols/kommunfullmaktige/2026-11-16.md"
TODAY = "2026-12-07"


# who decides in the example's protocol of 16 November, as its front page lists them: its 19
# ledamöter and 2 tjänstgörande ersättare
VOTING = [
    "Birgitta Holm",
    "Lars Nyberg",
    "Jan Sjöberg",
    "Maria Lindqvist",
    "Per-Olof Ek",
    "Anna Strand",
    "Kent Fransson",
    "Lena Bergkvist",
    "Erik Lövgren",
    "Sara Ljung",
    "Magnus Wik",
    "Peter Almqvist",
    "Susanne Dahl",
    "Roger Hed",
    "Karin Wester",
    "Eva Nord",
    "Ingrid Ahlström",
    "Mats Rydén",
    "Helena Sjögren",
    "Göran Lilja",
    "Ulla Skog",
]
# § 135: Magnus Wik has jäv; Kent Fransson arrives only at § 136 (and is not counted before
# it); Lena Bergkvist left at § 133 and Camilla Rask serves in her place from § 134: 19 vote
AT_135 = [n for n in VOTING if n not in {"Magnus Wik", "Kent Fransson", "Lena Bergkvist"}] + [
    "Camilla Rask"
]
NO_135 = ["Peter Almqvist", "Susanne Dahl", "Roger Hed", "Jan Sjöberg"]
YES_135 = [n for n in AT_135 if n not in NO_135][:13]
ABSTAIN_135 = [n for n in AT_135 if n not in YES_135 + NO_135]

PROCEEDINGS = [
    {"paragraph": 133, "left": ["Lena Bergkvist"]},
    {
        "paragraph": 134,
        "serving": [{"name": "Camilla Rask", "party": "S", "replaces": "Lena Bergkvist"}],
        "proposals": [
            {"by": "Erik Lövgren", "text": "Bifall till kommunstyrelsens förslag."},
            {"by": ["Peter Almqvist", "Susanne Dahl"], "text": "Återremiss."},
        ],
        "proposition_order": "Ordföranden ställer först proposition på återremissyrkandet.",
        "vote": {
            "yes": 14,
            "no": 4,
            "abstain": 2,
            "result": "yes",
            "yes_means": "ärendet avgörs i dag",
            "no_means": "ärendet återremitteras",
        },
        "reservations": [
            {"by": ["Peter Almqvist", "Susanne Dahl"]},
            {
                "by": "Mats Rydén",
                "against": "beslutets andra att-sats",
                "text": "Regelverket borde gälla från den 1 januari.",
            },
        ],
    },
    {
        "paragraph": 135,
        "jav": ["Magnus Wik"],
        "vote": {"yes": YES_135, "no": NO_135, "abstain": ABSTAIN_135, "result": "yes"},
        "notes": [{"by": "Helena Sjögren", "text": "Liberalerna välkomnar upphävandet."}],
    },
    {"paragraph": 136, "arrived": ["Kent Fransson"]},
]
HIDDEN = 132


def with_proceedings(content: Path) -> None:
    """The example's protocol of 16 November with ``PROCEEDINGS``, § 132 off the web, and
    person pages turned off in site.yaml."""
    file = content / PROTOCOL
    _, front, body = file.read_text("utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=Yaml12)
    meta["proceedings"] = PROCEEDINGS
    meta["not_for_web"] = [{"paragraph": HIDDEN, "reason": "Prövning av testfall."}]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    file.write_text(f"---\n{front}---\n{body}", "utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + "person_pages: false\n", "utf-8")


def build(content: Path, out: Path, cache: Path) -> Path:
    return build_site(content, out, cache, TODAY)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each site's content folder and the site built from it."""
    where = tmp_path_factory.mktemp("opendata-people")
    recorded = where / "content" / "recorded"
    shutil.copytree(EXAMPLE, recorded)
    with_proceedings(recorded)
    found = {}
    for name, content in (
        ("example", EXAMPLE),
        ("sample", ROOT / "content"),
        ("recorded", recorded),
    ):
        found[name] = (content, build(content, where / "site" / name, where / "cache" / name))
    return found


SITES = ("example", "sample", "recorded")
SCHEMA_OF = {
    "index.json": "index",
    "sammantraden.json": "meetings",
    "personer.json": "people",
    "forfattningar.json": "forfattningar",
}


def schema_of(document: Path, data: Path) -> str:
    relative = document.relative_to(data)
    return "protocol" if relative.parts[0] == "protokoll" else SCHEMA_OF[relative.as_posix()]


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("name", SITES)
def test_every_data_document_is_valid_against_its_published_schema(
    sites: dict[str, tuple[Path, Path]], name: str
) -> None:
    _, site = sites[name]
    documents = sorted((site / "data").rglob("*.json"))
    # the register of föreskrifter is written only where there are föreskrifter (not the sample)
    written = set(opendata.OPEN_DATA_SCHEMAS) - (set() if name != "sample" else {"forfattningar"})
    assert {schema_of(d, site / "data") for d in documents} == written
    for document in documents:
        kind = schema_of(document, site / "data")
        published = site / "schema" / f"opendata-{kind}.schema.json"
        schema = load(published)
        assert schema == json.loads(opendata.schema_text(kind))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(document))
        ]
        assert not errors, f"{document.relative_to(site)} ({kind}): {errors[:5]}"


@pytest.mark.parametrize("name", SITES)
def test_the_index_links_the_people_and_the_schemas_are_published(
    sites: dict[str, tuple[Path, Path]], name: str
) -> None:
    _, site = sites[name]
    index = load(site / "data/index.json")
    base = index["web"]
    assert index["persons"] == f"{base}data/personer.json"
    assert (site / index["persons"].removeprefix(base)).is_file()
    for kind in opendata.OPEN_DATA_SCHEMAS:
        schema = load(site / "schema" / f"opendata-{kind}.schema.json")
        assert schema["$id"] == f"https://justerat.se/schema/opendata-{kind}.schema.json"


def _has_person_pages_setting() -> bool:
    return "person_pages" in {f.name for f in dataclasses.fields(Settings)}


@pytest.mark.parametrize("name", SITES)
def test_the_people_are_the_registers_of_site_yaml(
    sites: dict[str, tuple[Path, Path]], name: str
) -> None:
    content, site = sites[name]
    settings = yaml.load((content / "site.yaml").read_text("utf-8"), Loader=Yaml12)
    people = load(site / "data/personer.json")
    assert people["organization"] == settings["organisation"]
    by_name = {p["name"]: p for p in people["persons"]}
    expected: dict[str, list[tuple[Any, ...]]] = {}
    for slug, body in settings["bodies"].items():
        for member in body.get("members") or []:
            role = member.get("role", "ledamot")
            term = (str(member["from"]) if "from" in member else None, None)
            if "to" in member:
                term = (term[0], str(member["to"]))
            expected.setdefault(member["name"], []).append(
                (slug, role, not role.startswith("ersättare"), member.get("party"), *term)
            )
    assert set(by_name) == set(expected)
    pages = settings.get("person_pages", True) or not _has_person_pages_setting()
    for person_name, memberships in expected.items():
        person = by_name[person_name]
        found = [
            (
                m["organization"]["id"],
                m["role"],
                m["votingRight"],
                m["party"],
                m["startDate"],
                m["endDate"],
            )
            for m in person["membership"]
        ]
        assert sorted(found) == sorted(memberships), person_name
        if pages:
            assert person["web"] == f"{people['web']}ledamoter/{person['id']}/"
        else:
            assert "web" not in person
    if name == "example":
        assert len(by_name["Erik Lövgren"]["membership"]) == 2  # fullmäktige and styrelsen


def front_matter(file: Path) -> dict[str, Any]:
    _, front, _ = file.read_text("utf-8").split("---\n", 2)
    meta: dict[str, Any] = yaml.load(front, Loader=Yaml12)
    return meta


def _names(by: str | list[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _side(value: int | list[str] | None) -> tuple[int, list[str]]:
    if value is None:
        return 0, []
    return (value, []) if isinstance(value, int) else (len(value), list(value))


def _serving(meta: dict[str, Any], numbers: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Who served at each §, and who of them decided, from the front matter alone: the front
    page's beslutande but those whose first change of attendance is an arrival; from a § on,
    less those who left, plus the beslutande who arrived and the ersättare who serve; at a §,
    less those with jäv."""
    facts = {p["paragraph"]: p for p in meta.get("proceedings", [])}
    attendees = meta["attendees"]
    beslutande = [p["name"] for p in attendees["voting"] + attendees.get("serving_substitutes", [])]
    first: dict[str, str] = {}
    for number in numbers:
        for change in ("left", "arrived"):
            for name in facts.get(number, {}).get(change, []):
                first.setdefault(name, change)
    present = [n for n in beslutande if first.get(n) != "arrived"]
    found = {}
    for number in numbers:
        here = facts.get(number, {})
        present = [n for n in present if n not in here.get("left", [])]
        present += [n for n in here.get("arrived", []) if n in beslutande and n not in present]
        present += [s["name"] for s in here.get("serving", [])]
        jav = here.get("jav", [])
        found[number] = (list(present), [n for n in present if n not in jav])
    return found


def _check_vote(vote: dict[str, Any], event: dict[str, Any]) -> None:
    counts = {c["option"]: c["value"] for c in event["counts"]}
    voters: dict[str, list[str]] = {"yes": [], "no": [], "abstain": []}
    for each in event["votes"]:
        voters[each["option"]].append(each["voter"]["name"])
    for option in ("yes", "no", "abstain"):
        number, names = _side(vote.get(option))
        assert counts[option] == number, option
        assert sorted(voters[option]) == sorted(names), option
    assert event["byName"] is isinstance(vote["yes"], list)
    assert event["winningOption"] == vote["result"]
    assert event["result"] == ("pass" if vote["result"] == "yes" else "fail")
    assert event["yesMeans"] == vote.get("yes_means")
    assert event["noMeans"] == vote.get("no_means")


def _check_item(facts: dict[str, Any], item: dict[str, Any]) -> None:
    """One agenda item's recorded proceedings against the front matter's."""
    assert [p["name"] for p in item.get("jav", [])] == facts.get("jav", [])
    assert [([b["name"] for b in p["by"]], p["text"]) for p in item.get("proposals", [])] == [
        (_names(p["by"]), p["text"]) for p in facts.get("proposals", [])
    ]
    assert item.get("propositionOrder") == facts.get("proposition_order")
    assert [
        ([b["name"] for b in r["by"]], r["against"], r["text"])
        for r in item.get("reservations", [])
    ] == [(_names(r["by"]), r.get("against"), r.get("text")) for r in facts.get("reservations", [])]
    assert [([b["name"] for b in n["by"]], n["text"]) for n in item.get("notes", [])] == [
        (_names(n["by"]), n["text"]) for n in facts.get("notes", [])
    ]
    attendance = item["attendance"]
    assert [p["name"] for p in attendance.get("arrived", [])] == facts.get("arrived", [])
    assert [p["name"] for p in attendance.get("left", [])] == facts.get("left", [])
    assert [(s["name"], s["replaces"]) for s in attendance.get("substitutes", [])] == [
        (s["name"], s["replaces"]) for s in facts.get("serving", [])
    ]
    if "vote" in facts:
        _check_vote(facts["vote"], item["voteEvent"])
    else:
        assert "voteEvent" not in item


@pytest.mark.parametrize("name", SITES)
def test_the_proceedings_are_the_front_matters(
    sites: dict[str, tuple[Path, Path]], name: str
) -> None:
    content, site = sites[name]
    checked = 0
    for file in sorted((content / "protocols").rglob("*.md")):
        meta = front_matter(file)
        if meta.get("status") != "justerat":
            continue
        data = load(site / "data/protokoll" / meta["organ"] / f"{meta['date'].isoformat()}.json")
        items = {item["number"]: item for item in data["agendaItems"]}
        hidden = {p["paragraph"] for p in meta.get("not_for_web", [])}
        if not meta.get("proceedings"):
            assert all("attendance" not in item for item in items.values())
            continue
        serving = _serving(meta, sorted(items))
        for number, item in items.items():
            if number in hidden:
                assert set(item) == {"type", "number", "name", "web", "text", "parts", "decision"}
                continue
            present, deciding = serving[number]
            assert [p["name"] for p in item["attendance"]["present"]] == present, number
            assert [p["name"] for p in item["attendance"]["deciding"]] == deciding, number
        for facts in meta["proceedings"]:
            if facts["paragraph"] not in hidden:
                _check_item(facts, items[facts["paragraph"]])
                checked += 1
    if name == "recorded":
        assert checked == len(PROCEEDINGS)


def test_a_vote_by_name_and_the_people_it_names(sites: dict[str, tuple[Path, Path]]) -> None:
    """The voters carry the id personer.json gives them and the party the front page gives;
    with person pages off (when the settings know them), no person has a page."""
    _, site = sites["recorded"]
    data = load(site / "data/protokoll/kommunfullmaktige/2026-11-16.json")
    item = next(i for i in data["agendaItems"] if i["number"] == 135)
    event = item["voteEvent"]
    assert [c["value"] for c in event["counts"]] == [13, 4, 2]
    assert event["motion"] is None and event["result"] == "pass"
    people = {p["name"]: p for p in load(site / "data/personer.json")["persons"]}
    for each in event["votes"]:
        voter = each["voter"]
        assert voter["id"] == people[voter["name"]]["id"]
    almqvist = next(v["voter"] for v in event["votes"] if v["voter"]["name"] == "Peter Almqvist")
    assert almqvist == {"id": "peter-almqvist", "name": "Peter Almqvist", "party": "SD"}
    by_count = next(i for i in data["agendaItems"] if i["number"] == 134)["voteEvent"]
    assert by_count["votes"] == [] and by_count["byName"] is False
    assert by_count["motion"] == {"type": "Motion", "text": "ärendet avgörs i dag"}
    if _has_person_pages_setting():
        assert all("web" not in p for p in people.values())
