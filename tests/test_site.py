"""The built sample archive, parsed as HTML: what a reader must find on each page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SEEDS

# The facts of the two seed protocols, typed from the seed documents themselves
# (tests/fixtures/seeds/), so that the test does not trust the sample content.
SEED_PROTOCOLS = {
    "001_a4d7043a999553f5.txt": {
        "url": "protokoll/styrelsen/2023-09-13/",
        "date": "13 september 2023",
        "paragraphs": list(range(1, 12)),
        "attendees": [
            "Sedat Dogru",
            "Antonella Pirrone",
            "Ajda Asgari",
            "Cia Holmér",
            "Anders Widerström",
            "Kent Svensson",
            "Annett Haaf",
            "Ola Hägg",
            "Peter Freij",
            "Kristin Andersson",
            "Anna Lexelius",
            "Emmeli Söderholm",
            "Tomas Heghammar",
            "Karin Benzler",
            "Stefan Cepeda",
            "Maria Reed",
        ],
        "facts": [
            "15.00–16.15",
            "Rudsjöterrassen 1, plan 6",
            "21 september 2023",
            "22 september 2023",
            "16 oktober 2023",
            "Samordningsförbundets kansli",
        ],
    },
    "002_c622166b849dc455.txt": {
        "url": "protokoll/styrelsen/2022-05-11/",
        "date": "11 maj 2022",
        "paragraphs": list(range(1, 10)),
        "attendees": [
            "Ajda Asgari",
            "Anneli Ahl",
            "Carina Olsen",
            "Kristofer Stjernqvist",
            "Roland Junerud",
            "Ola Hägg",
            "Sedat Dogru",
            "Katrine Nordskog",
            "Agneta Tjärnhammar",
            "Nicholas Nikander",
            "Veronica Ericsson",
            "Peter Freij",
            "Anna Lexelius",
            "Anna Kristiansson",
            "Emmeli Söderholm",
            "Karin Benzler",
            "Margareta Nylander",
            "Tomas Heghammar",
        ],
        "facts": [
            "13.00–15.00",
            "Digitalt möte via Teams.",
            "deltog till kl. 14.00",
            "17 juni 2022",
            "20 maj 2022",
            "10 juni 2022",
        ],
    },
}


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def seed_titles(seed: str) -> list[str]:
    """The paragraph headings of a seed document, '§ 6 Medelstilldelning 2024', in order."""
    found = re.findall(r"^\s*§ (\d+) (\S.*?)\s*$", (SEEDS / seed).read_text("utf-8"), re.M)
    return [f"§ {number} {' '.join(title.split())}" for number, title in found]


@pytest.mark.parametrize("seed", sorted(SEED_PROTOCOLS))
def test_protocol_page_shows_every_paragraph_and_attendee(
    seed: str, page: Callable[[str], BeautifulSoup]
) -> None:
    facts = SEED_PROTOCOLS[seed]
    soup = page(facts["url"])
    text = text_of(soup)
    for name in facts["attendees"]:
        assert name in text, name
    for fact in facts["facts"]:
        assert fact in text, fact
    assert facts["date"] in soup.h1.get_text(" ")
    headings = [" ".join(h.get_text(" ").split()) for h in soup.select("section.paragraph > h2")]
    assert [int(re.match(r"§ (\d+)", h).group(1)) for h in headings] == facts["paragraphs"]
    assert headings == seed_titles(seed)  # the seed's own headings, in its order
    for number in facts["paragraphs"]:
        section = soup.find(id=f"paragraf-{number}")
        assert section is not None and section.name == "section"
        assert soup.select_one(f'nav.toc a[href="#paragraf-{number}"]') is not None


def test_front_page_groups_attendees_as_the_seed_does(
    page: Callable[[str], BeautifulSoup],
) -> None:
    soup = page("protokoll/styrelsen/2023-09-13/")
    groups = {
        h3.get_text(strip=True): [
            " ".join(li.get_text().split()) for li in h3.find_next("ul")("li")
        ]
        for h3 in soup.select("section.front-page h3")
    }
    assert list(groups) == [
        "Beslutande",
        "Ersättare",
        "Frånvarande",
        "Övriga deltagande från kansliet",
    ]
    assert groups["Beslutande"][0] == "Sedat Dogru (M), Haninge kommun, ordförande"
    assert "Anders Widerström, Försäkringskassan, vice ordförande" in groups["Beslutande"]
    assert groups["Frånvarande"] == ["Kristin Andersson, Försäkringskassan"]
    assert "Anna Lexelius, förbundschef" in groups["Övriga deltagande från kansliet"]


def test_decisions_and_proposals_are_marked(page: Callable[[str], BeautifulSoup]) -> None:
    soup = page("protokoll/styrelsen/2023-09-13/")
    decision = soup.select_one("#paragraf-2 .part-beslut")
    assert decision.h3.get_text() == "Styrelsen beslutar"
    assert "godkänna föreliggande dagordning" in decision.get_text()
    assert (
        soup.select_one("#paragraf-2 .part-forslag h3").get_text() == "Styrelsen föreslås besluta"
    )
    # every paragraph but § 1 (a bare election) ends in a decision
    with_decision = {
        int(s["id"].split("-")[1])
        for s in soup.select("section.paragraph")
        if s.select_one(".part-beslut")
    }
    assert with_decision == set(range(2, 12))


def test_budget_tables_have_captions_headers_and_every_row(
    page: Callable[[str], BeautifulSoup],
) -> None:
    soup = page("protokoll/styrelsen/2023-09-13/")
    tables = {t.caption.get_text(strip=True): t for t in soup.select("table")}
    assert set(tables) == {"Utfall 1:a halvåret 2023", "Prognos helår 2023"}
    seed = (SEEDS / "001_a4d7043a999553f5.txt").read_text("utf-8")
    for caption, first_row, end in [
        ("Utfall 1:a halvåret 2023", "Resursrådet 696 856", "§ 5 Helårsprognos"),
        ("Prognos helår 2023", "Resursråden 1 393 712", "Kommentarer"),
    ]:
        start = seed.index(first_row)
        block = seed[start : seed.index(end, start)]
        table = tables[caption]
        # three column headers; the empty corner above the row labels is a data cell
        assert len(table.thead.find_all("th")) == 3
        assert table.thead.find("td").get_text() == ""
        # every digit of the source rows, in order, is in the published cells
        cells = "".join(td.get_text() for td in table.tbody.find_all("td"))
        assert re.sub(r"\D", "", cells) == re.sub(r"\D", "", block), caption
        assert table.tbody.find_all("tr")[-1].td.get_text() == "Totalt"
        wrapper = table.find_parent("div")
        assert "table-wrap" in wrapper["class"] and wrapper["tabindex"] == "0"


def test_paragraph_numbers_may_run_on_across_a_year(content: Path, tmp_path: Path) -> None:
    from conftest import run_build_py

    protocol = content / "protocols" / "styrelsen" / "2023-09-13.md"
    text = protocol.read_text("utf-8")
    for n in range(11, 0, -1):
        text = text.replace(f"## § {n} ", f"## § {n + 37} ")
    protocol.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run_build_py("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(
        (out / "protokoll/styrelsen/2023-09-13/index.html").read_text(), "html.parser"
    )
    assert soup.find(id="paragraf-38") and soup.find(id="paragraf-48")
    assert "§ 38–48" in text_of(soup)


def test_start_page_lists_bodies_latest_protocols_and_plans(
    page: Callable[[str], BeautifulSoup],
) -> None:
    soup = page("")
    assert soup.h1.get_text(strip=True) == "Samordningsförbundet Östra Södertörn"
    latest = [a.get_text(" ", strip=True) for a in soup.select("#senaste + ul a")]
    assert latest == ["Styrelsen 13 september 2023", "Styrelsen 11 maj 2022"]
    assert soup.select_one('a[href="protokoll/styrelsen/"]').get_text() == "Styrelsen"
    assert soup.select_one('a[href="planer/verksamhetsplan-2019/"]') is not None


def test_body_page_lists_protocols_by_year(page: Callable[[str], BeautifulSoup]) -> None:
    soup = page("protokoll/styrelsen/")
    years = [h2.get_text(strip=True) for h2 in soup.select("main h2")]
    assert years == ["2023", "2022"]
    links = [a["href"] for a in soup.select("main section a")]
    assert links == ["2023-09-13/", "2022-05-11/"]
    year = page("protokoll/styrelsen/2022/")
    assert [a["href"] for a in year.select("main ul.documents a")] == ["../2022-05-11/"]


def test_every_internal_link_resolves(site: Path) -> None:
    for file in sorted(site.rglob("*.html")):
        if file.name == "404.html":
            continue  # its links are from the site's root: checked below
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            path, _, fragment = href.partition("#")
            if path:
                target = (file.parent / path).resolve()
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{file.relative_to(site)}: {href}"
                if fragment:
                    other = BeautifulSoup(target.read_text("utf-8"), "html.parser")
                    assert other.find(id=fragment), f"{file}: {href}"
            elif fragment:
                assert fragment in ids, f"{file.relative_to(site)}: {href}"


def test_404_page_links_from_the_root(site: Path) -> None:
    soup = BeautifulSoup((site / "404.html").read_text("utf-8"), "html.parser")
    for tag in soup.find_all(["a", "link"], href=True):
        href = tag["href"]
        if href.startswith("#") or href.startswith("mailto:"):
            continue
        assert href.startswith("/"), href
        target = site / href.lstrip("/").partition("#")[0]
        assert (target / "index.html" if target.is_dir() else target).is_file(), href


def test_pages_are_well_formed_html5_in_swedish(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    kinds = ["index.html", "404.html", "anslagstavla/index.html", "sok/index.html"]
    kinds += ["protokoll/styrelsen/2023/index.html", "planer/verksamhetsplan-2019/index.html"]
    kinds += ["protokoll/styrelsen/2023-09-13/index.html", "protokoll/styrelsen/index.html"]
    kinds += ["protokoll/styrelsen/2022-05-11/anslagsbevis/index.html"]
    assert {site / kind for kind in kinds} <= set(pages)  # every kind of page is checked
    for file in pages:
        html = file.read_text("utf-8")
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(html)  # raises on any parse error
        soup = BeautifulSoup(html, "html.parser")
        assert soup.html["lang"] == "sv"
        assert len(soup.find_all("h1")) == 1, file
        assert soup.find("main") and soup.find("title").get_text(strip=True)
        ids = [t["id"] for t in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids in {file}"
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"heading level jumps in {file}"


def test_plan_page_has_toc_and_budget_tables(page: Callable[[str], BeautifulSoup]) -> None:
    soup = page("planer/verksamhetsplan-2019/")
    assert soup.h1.get_text(strip=True) == "Mål, budget och verksamhetsplan 2019"
    toc = [a.get_text(strip=True) for a in soup.select("nav.toc a")]
    assert "1. Verksamhetens syfte, verksamhetsidé och vision" in toc
    assert "4.12 Utveckling av arbetet med arbetsgivare - Fastighetsring" in toc
    for link in soup.select("nav.toc a"):
        assert soup.find(id=link["href"][1:]) is not None
    # every table of the plan's source, its caption and every cell, as the page shows them
    published = [
        (
            table.caption.get_text(strip=True) if table.caption else None,
            [[" ".join(c.get_text().split()) for c in tr(["th", "td"])] for tr in table("tr")],
        )
        for table in soup.select("table")
    ]
    assert published == source_tables(ROOT / "content/plans/verksamhetsplan-2019.md")
    text = text_of(soup)
    seed = (SEEDS / "003_ff92be12a49ac26b.txt").read_text("utf-8")
    budget = seed[seed.index("Budget insatser 2019") : seed.index("8. Förslag till beslut")]
    rows = [
        found.groups()
        for line in budget.splitlines()
        if (found := re.match(r"^([A-ZÅÄÖ][^\d]+?) (-?\d[\d ]*)$", line.strip()))
    ]
    assert ("Samrehab", "2 253 000 1 900 000 353 000") in rows  # the seed's rows were found
    for label, figures in rows:
        assert label.strip() in text, label
        assert " ".join(figures.split()) in text, label
    assert "21 november 2018" in text


def source_tables(markdown: Path) -> list[tuple[str | None, list[list[str]]]]:
    """Each Markdown table of a source file: its caption (the 'Tabell:' line above it) and
    its rows of cells, the separator row left out."""
    lines = markdown.read_text("utf-8").splitlines()
    found: list[tuple[str | None, list[list[str]]]] = []
    for index, line in enumerate(lines):
        if not line.startswith("|") or (index and lines[index - 1].startswith("|")):
            continue
        above = lines[index - 2] if index >= 2 and not lines[index - 1].strip() else ""
        caption = above.removeprefix("Tabell: ").strip() if above.startswith("Tabell: ") else None
        rows = []
        for row in lines[index:]:
            if not row.startswith("|"):
                break
            if not re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", row.strip()):
                rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
        found.append((caption, rows))
    return found


def test_dates_are_swedish_on_pages_and_iso_in_markup(page: Callable[[str], BeautifulSoup]) -> None:
    soup = page("protokoll/styrelsen/2023-09-13/")
    times = {t["datetime"]: t.get_text() for t in soup.find_all("time")}
    assert times["2023-09-13"] == "13 september 2023"
    assert times["2023-09-22"] == "22 september 2023"
    assert not re.search(r"\b2023-09-13\b", text_of(soup.main))
