"""The accessibility statement (/tillganglighet/) states only what was done: `build.py granska`
tests the office's built site for real (Debian's Chromium with axe-core, and the Nu Html
Checker), writes what it found into the content folder (tillganglighet.json), and the next
build's statement names the day, the tools, their versions and each page type's result, as
the record has them; without a record it says the site has not been tested, and it claims
conformance only on the office's own assessment and when no tool found anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CHROMIUM, ROOT, TODAY, build_site, run_build_py

import justerat

KOMMUN = ROOT / "examples/kommun"
RECORD = "tillganglighet.json"
AXE_VERSION = json.loads((ROOT / "node_modules/axe-core/package.json").read_text("utf-8"))[
    "version"
]
VNU_VERSION = json.loads((ROOT / "node_modules/vnu-jar/package.json").read_text("utf-8"))["version"]
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
FALSE_SENTENCE = "Varje gång webbplatsen byggs"
CLAIM = "Vi bedömer att webbplatsen uppfyller kraven"
NOT_TESTED = "Webbplatsen har inte testats med automatiska verktyg."

# every page type of the example kommun (it has no plan, so no plan's page), as granska names
# them, and the one protocol it has
KOMMUN_TYPES = {
    "start", "protocols", "body", "year", "protocol", "anslagsbevis", "board", "notice",
    "notice-anslagsbevis", "meetings", "body-meetings", "meeting", "kungorelse", "plans",
    "people", "person", "search", "accessibility", "open-data", "open-data-body", "not-found",
    "register", "forfattning",
}  # fmt: skip


def in_swedish(day: str) -> str:
    """'7 december 2026', as a reader reads a date."""
    value = date.fromisoformat(day)
    return f"{value.day} {MONTHS.split()[value.month - 1]} {value.year}"


def text(site: Path) -> str:
    """The statement's main text, as a reader reads it (whitespace made single)."""
    page = BeautifulSoup((site / "tillganglighet/index.html").read_text("utf-8"), "html.parser")
    assert page.main is not None
    return " ".join(page.main.get_text().split())


def statement(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "tillganglighet/index.html").read_text("utf-8"), "html.parser")


def granska(content: Path, out: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_build_py(
        "granska", "--content", str(content), "--out", str(out), "--today", TODAY, env=env
    )


def build(content: Path, out: Path, cache: Path, templates: Path = ROOT / "templates") -> None:
    result = run_build_py(
        "build", "--content", str(content), "--templates", str(templates), "--out", str(out),
        "--cache", str(cache), "--no-pdf", "--today", TODAY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A copy of the example kommun built, its statement read, tested by granska, and built
    again into the same folder with the same cache: the record's statement."""
    base = tmp_path_factory.mktemp("statement")
    content, site, cache = base / "content", base / "site", base / "cache"
    shutil.copytree(KOMMUN, content)
    build_site(content, site, cache, TODAY)
    before = text(site)
    result = granska(content, site)
    record = json.loads((content / RECORD).read_text("utf-8"))
    build_site(content, site, cache, TODAY)
    return {"before": before, "result": result, "record": record, "site": site}


def test_granska_records_the_day_the_version_and_the_tools_installed(
    kommun: dict[str, object],
) -> None:
    result = kommun["result"]
    assert isinstance(result, subprocess.CompletedProcess)
    assert result.returncode == 0, result.stdout + result.stderr
    record = kommun["record"]
    assert isinstance(record, dict)
    assert record["day"] == TODAY
    assert record["justerat"] == justerat.__version__
    chromium = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert record["tools"] == {
        "axe-core": AXE_VERSION,
        "chromium": chromium[1],  # "Chromium 156.0.8078.129 built on Debian …"
        "nu-html-checker": VNU_VERSION,
    }
    assert record["axe_tags"] == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_granska_tests_one_page_of_every_type_and_finds_nothing_on_the_example(
    kommun: dict[str, object],
) -> None:
    record, site, result = kommun["record"], kommun["site"], kommun["result"]
    assert isinstance(record, dict) and isinstance(site, Path)
    assert isinstance(result, subprocess.CompletedProcess)
    pages = record["pages"]
    assert {p["type"] for p in pages} == KOMMUN_TYPES
    assert len(pages) == len(KOMMUN_TYPES)
    by_type = {p["type"]: p["url"] for p in pages}
    assert by_type["protocol"] == "protokoll/kommunfullmaktige/2026-11-16/"
    assert by_type["not-found"] == "404.html"
    assert by_type["start"] == ""
    for page in pages:
        url = page["url"]
        assert (site / (url if url.endswith(".html") else url + "index.html")).is_file(), url
        assert page["axe"] == [] and page["nu"] == [], page
    assert "Inget hittades." in result.stdout
    assert "Protokoll (/protokoll/kommunfullmaktige/2026-11-16/)" in result.stdout


def test_the_statement_states_exactly_the_records_facts(kommun: dict[str, object]) -> None:
    record, site = kommun["record"], kommun["site"]
    assert isinstance(record, dict) and isinstance(site, Path)
    said = text(site)
    tools = record["tools"]
    assert (
        f"Den {in_swedish(TODAY)} testades följande sidtyper med axe-core {tools['axe-core']} "
        f"i Chromium {tools['chromium']} och Nu Html Checker {tools['nu-html-checker']} "
        f"(Justerat {record['justerat']})."
    ) in said
    assert (
        "axe-core prövade sina regler för WCAG 2.0 nivå A, WCAG 2.0 nivå AA, WCAG 2.1 nivå A "
        "och WCAG 2.1 nivå AA"
    ) in said
    page = statement(site)
    table = page.find("table", class_="audit")
    assert table is not None
    assert table.caption is not None
    assert table.caption.time is not None and table.caption.time["datetime"] == TODAY
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]
    assert rows == [[p["name"], f"/{p['url']}", "Inga brister", "Inga fel"] for p in pages(record)]
    links = [row.find("a")["href"] for row in table.tbody.find_all("tr")]
    for link, tested in zip(links, pages(record), strict=True):
        assert (site / "tillganglighet" / link).resolve() == (site / tested["url"]).resolve()
    assert (
        "Resultat: axe-core hittade inga brister och Nu Html Checker inga fel på sidorna som "
        "testades."
    ) in said
    # the kommun lists a known issue: partly conforming, whatever the tools found
    assert "Webbplatsen är delvis förenlig med lagen" in said
    assert CLAIM not in said
    assert NOT_TESTED not in said
    assert f"Webbplatsen bedömdes senast {in_swedish('2026-11-23')}." in said


def pages(record: dict[str, object]) -> list[dict[str, str]]:
    found = record["pages"]
    assert isinstance(found, list)
    return found


def test_without_a_record_the_statement_says_the_site_has_not_been_tested(
    kommun: dict[str, object],
) -> None:
    before = kommun["before"]
    assert isinstance(before, str)
    assert NOT_TESTED in before
    assert "testades följande sidtyper" not in before and "axe-core" not in before
    assert FALSE_SENTENCE not in before


def test_the_false_sentence_is_gone() -> None:
    """The statement no longer says that every build tests the site: no build does."""
    template = (ROOT / "templates/accessibility.html").read_text("utf-8")
    assert FALSE_SENTENCE not in template
    assert "vi kontrollerar att allt går att nå med tangentbord" not in template


def test_a_failure_found_is_recorded_and_withdraws_the_claim(content: Path, tmp_path: Path) -> None:
    """The sample archive, assessed by its office with no known issue, is said to conform;
    a start page with an image without text (a template changed so) is found by both tools,
    granska exits 1 with the record written, and the statement then says the site conforms
    only in part, and what was found where."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    start = templates / "index.html"
    start.write_text(
        start.read_text("utf-8").replace(
            "{% block content %}", '{% block content %}\n<img src="assets/ingen.png">', 1
        ),
        "utf-8",
    )
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(content, site, cache, templates)
    assert CLAIM in text(site)
    assert "Webbplatsen är förenlig med lagen" in text(site)

    result = granska(content, site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Startsida (/): axe-core: image-alt (1 ställe)" in result.stdout
    record = json.loads((content / RECORD).read_text("utf-8"))
    found = {p["type"]: p for p in record["pages"] if p["axe"] or p["nu"]}
    assert list(found) == ["start"]
    assert found["start"]["axe"] == [{"id": "image-alt", "nodes": 1}]
    assert any("alt" in e["message"] for e in found["start"]["nu"])
    assert all(isinstance(e["line"], int) for e in found["start"]["nu"])

    build(content, site, cache, templates)
    said = text(site)
    assert CLAIM not in said
    assert "Webbplatsen är delvis förenlig med lagen" in said
    count = len(record["pages"])
    assert (
        f"Vid den automatiska testningen den {in_swedish(TODAY)} hittades brister på 1 av "
        f"{count} sidtyper."
    ) in said
    errors = len(found["start"]["nu"])
    row = statement(site).find("table", class_="audit").tbody.find("tr")
    cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
    assert cells[:3] == ["Startsida", "/", "1 brist: image-alt (1 ställe)"]
    assert cells[3].startswith(f"{errors} fel: ")
    assert (
        f"Resultat: axe-core hittade brister på 1 av {count} sidtyper och Nu Html Checker fel "
        f"på 1 av {count} sidtyper."
    ) in said


def test_an_office_that_has_not_assessed_its_site_is_not_said_to_conform(
    content: Path, tmp_path: Path
) -> None:
    settings = content / "site.yaml"
    kept = settings.read_text("utf-8")
    assert "accessibility:\n  assessed: 2026-11-23\n" in kept
    settings.write_text(kept.replace("accessibility:\n  assessed: 2026-11-23\n", ""), "utf-8")
    site = tmp_path / "site"
    build(content, site, tmp_path / "cache")
    said = text(site)
    assert CLAIM not in said
    assert "Webbplatsen är förenlig" not in said
    assert "Vi har ännu inte bedömt om webbplatsen uppfyller kraven" in said
    assert "Vi har inte bedömt om webbplatsen är förenlig med lagen" in said
    assert NOT_TESTED in said
    assert "bedömdes senast" not in said


def test_a_record_that_cannot_be_read_is_not_taken_for_a_test(
    content: Path, tmp_path: Path
) -> None:
    (content / RECORD).write_text('{"format": 1, "day": "i går"', "utf-8")
    site = tmp_path / "site"
    build(content, site, tmp_path / "cache")
    said = text(site)
    assert (
        "Uppgifterna om den senaste automatiska testningen av webbplatsen kunde inte läsas" in said
    )
    assert "testades följande sidtyper" not in said
    assert NOT_TESTED not in said  # it may have been tested: the page does not know


def test_without_the_tools_granska_says_so_and_writes_no_record(
    content: Path, tmp_path: Path
) -> None:
    site = build_site(content, tmp_path / "site", tmp_path / "cache", TODAY)
    without_java = {**os.environ, "PATH": str(tmp_path / "no-tools")}
    result = granska(content, site, env=without_java)
    assert result.returncode == 2
    assert "granska: verktygen för testet saknas: Java." in result.stderr
    assert "./setup.sh --dev" in result.stderr
    assert not (content / RECORD).exists()


def test_granska_tests_no_other_site_than_the_contents(content: Path, tmp_path: Path) -> None:
    """A site built from other content is not tested in its name, nor a folder without one."""
    kommun = tmp_path / "kommun"
    shutil.copytree(KOMMUN, kommun)
    other = build_site(kommun, tmp_path / "site", tmp_path / "cache", TODAY)
    result = granska(content, other)
    assert result.returncode == 2
    assert "är inte byggd av" in result.stderr
    missing = granska(content, tmp_path / "inget")
    assert missing.returncode == 2
    assert "det finns ingen byggd webbplats i" in missing.stderr
    assert not (content / RECORD).exists()
