"""The machine-readable outputs: open data, sitemap, robots.txt; and § references in text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import FIXTURES, run_build_py

BASE = "https://arkiv.samordningsforbundetostrasodertorn.se/"


def test_open_data_of_a_protocol(site: Path) -> None:
    data = json.loads((site / "data/protokoll/styrelsen/2023-09-13.json").read_text("utf-8"))
    assert data["format"] == "justerat-opendata/1" and data["type"] == "Meeting"
    assert data["organization"] == {"id": "styrelsen", "name": "Styrelsen"}
    assert (data["date"], data["start"], data["end"]) == ("2023-09-13", "15.00", "16.15")
    voting = data["attendees"]["voting"]
    assert voting[0] == {
        "name": "Sedat Dogru",
        "party": "M",
        "represents": "Haninge kommun",
        "role": "ordförande",
    }
    assert [p["name"] for p in data["attendees"]["absent"]] == ["Kristin Andersson"]
    assert data["justerare"] == ["Ajda Asgari"] and data["chair"] == "Sedat Dogru"
    assert data["notices"] == [
        {
            "paragraphs": list(range(1, 12)),
            "immediate": False,
            "justering": "2023-09-21",
            "posted": "2023-09-22",
            "takenDown": "2023-10-16",
            "appealLastDay": "2023-10-13",
            "anslagsbevis": BASE + "protokoll/styrelsen/2023-09-13/anslagsbevis/",
        }
    ]
    items = data["agendaItems"]
    assert [i["number"] for i in items] == list(range(1, 12))
    assert items[1]["name"] == "Godkännande av dagordning"
    assert items[1]["decision"] == "Styrelsen beslutar att godkänna föreliggande dagordning."
    assert items[1]["web"] == BASE + "protokoll/styrelsen/2023-09-13/#paragraf-2"
    assert [p["kind"] for p in items[1]["parts"]] == ["text", "forslag", "beslut"]
    assert items[0]["decision"] is None


def test_open_data_index(site: Path) -> None:
    index = json.loads((site / "data/index.json").read_text("utf-8"))
    assert [(m["organization"], m["date"]) for m in index["meetings"]] == [
        ("styrelsen", "2022-05-11"),
        ("styrelsen", "2023-09-13"),
    ]
    for meeting in index["meetings"]:
        local = site / meeting["data"].removeprefix(BASE)
        assert local.is_file()
    assert index["plans"][0]["title"] == "Mål, budget och verksamhetsplan 2019"


def test_sitemap_and_robots(site: Path) -> None:
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert BASE in locations and BASE + "protokoll/styrelsen/2023-09-13/" in locations
    assert BASE + "tillganglighet/" in locations and BASE + "404.html" not in locations
    for location in locations:
        page = site / location.removeprefix(BASE)
        assert (page / "index.html").is_file(), location
    html_pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert len(locations) == len(html_pages)
    assert (
        site / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_drafts_are_absent_from_data_sitemap_and_feed(content: Path, tmp_path: Path) -> None:
    draft = (
        (FIXTURES / "minimal.md").read_text("utf-8").replace("status: justerat", "status: draft")
    )
    (content / "protocols/styrelsen/2024-03-06.md").write_text(draft, "utf-8")
    out = tmp_path / "site"
    assert (
        run_build_py(
            "build", "--content", str(content), "--out", str(out), "--today", "2024-03-20"
        ).returncode
        == 0
    )
    assert not (out / "data/protokoll/styrelsen/2024-03-06.json").exists()
    for name in ("sitemap.xml", "data/index.json", "anslagstavla/anslag.xml"):
        assert "2024-03-06" not in (out / name).read_text("utf-8"), name
    assert not list(out.rglob("*2024-03-06*"))


def test_paragraph_references_link_to_the_paragraph_they_name(
    content: Path, tmp_path: Path
) -> None:
    earlier = (
        (FIXTURES / "minimal.md")
        .read_text("utf-8")
        .replace("## § 1 Val", "## § 110 Val")
        .replace("## § 2 Godk", "## § 111 Godk")
    )
    (content / "protocols/styrelsen/2024-03-06.md").write_text(earlier, "utf-8")
    later = (
        earlier.replace("date: 2024-03-06", "date: 2024-04-10")
        .replace("  date: 2024-03-12", "  date: 2024-04-12")
        .replace("posted: 2024-03-13", "posted: 2024-04-15")
        .replace("taken_down: 2024-04-08", "taken_down: 2024-05-08")
        .replace("## § 110 Val", "## § 120 Val")
        .replace("## § 111 Godk", "## § 121 Godk")
        .replace(
            "Styrelsen beslutar att godkänna dagordningen.",
            "Styrelsen beslutar att godkänna dagordningen, med ändring av beslutet i § 111 och § 120. "
            "Se även § 999 och § 121.",
        )
    )
    (content / "protocols/styrelsen/2024-04-10.md").write_text(later, "utf-8")
    out = tmp_path / "site"
    result = run_build_py("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(
        (out / "protokoll/styrelsen/2024-04-10/index.html").read_text("utf-8"), "html.parser"
    )
    links = {a.get_text(): a["href"] for a in soup.select("#paragraf-121 a.reference")}
    assert links == {
        "§ 111": "../2024-03-06/#paragraf-111",  # an earlier meeting that year
        "§ 120": "#paragraf-120",  # earlier in the same protocol
    }  # § 999 names nothing; § 121 is the paragraph itself


def test_the_open_data_pages_lead_to_every_protocols_data(site: Path) -> None:
    """The open-data page lists the bodies; each body's page lists its protocols' data by
    year, so that no page lists the whole archive."""
    front = BeautifulSoup((site / "oppna-data/index.html").read_text("utf-8"), "html.parser")
    bodies = [a["href"] for a in front.select("main a") if a["href"].endswith("/")]
    assert bodies == ["../oppna-data/styrelsen/"] or bodies == ["styrelsen/"]
    body = BeautifulSoup(
        (site / "oppna-data/styrelsen/index.html").read_text("utf-8"), "html.parser"
    )
    assert [h.get_text() for h in body.select("main h2")] == ["2023", "2022"]
    linked = {
        (site / "oppna-data/styrelsen" / a["href"]).resolve() for a in body.select("main li a")
    }
    published = {p.resolve() for p in (site / "data/protokoll/styrelsen").glob("*.json")}
    assert linked == published and len(published) == 2
