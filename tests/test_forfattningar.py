"""The författningssamling (kommunallagen 8 kap. 13 §): the example kommun's register, each
föreskrift's page and its links, the justering notice that kungör it, its open data against the
schema, its feed and PDF; and each check, on a worked case with the file and line it names.

The expected states are written here by hand from the example's dates (2025:1–2025:4 adopted
by kommunfullmäktige on 22 September 2025, kungjord on 26 September; 2026:1 adopted on
16 November 2026 § 134, kungjord on 24 November, in force from 1 January 2027, replacing
2025:4), not computed by the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build_py
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

EXAMPLE = ROOT / "examples/kommun"
REGISTER = "forfattningssamling/index.html"
# on the build's day, 7 December 2026, and on 2 January 2027, when 2026:1 has replaced 2025:4
STATES = {
    "2026-12-07": {
        "2025:1": "gällande",
        "2025:2": "gällande",
        "2025:3": "gällande",
        "2025:4": "gällande",
        "2026:1": "kommande",
    },
    "2027-01-02": {
        "2025:1": "gällande",
        "2025:2": "gällande",
        "2025:3": "gällande",
        "2025:4": "ersatt",
        "2026:1": "gällande",
    },
}


def built(tmp_path_factory: pytest.TempPathFactory, day: str, pdf: bool = False) -> Path:
    out = tmp_path_factory.mktemp(f"kfs-{day}") / "site"
    options = [] if pdf else ["--no-pdf"]
    result = run_build_py(
        "build", "--content", str(EXAMPLE), "--out", str(out), "--today", day, *options
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory, "2026-12-07", pdf=True)


@pytest.fixture(scope="module")
def next_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory, "2027-01-02")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def section(page: BeautifulSoup, heading_id: str) -> list[str]:
    """The beteckningar listed under the h2 with ``heading_id``."""
    found = page.select_one(f"section[aria-labelledby={heading_id}]")
    if found is None:
        return []
    return [a.select_one(".beteckning").get_text() for a in found.select("li a")]


def test_the_register_on_the_build_day(site: Path) -> None:
    page = soup(site / REGISTER)
    assert section(page, "gallande") == ["2025:2", "2025:1", "2025:3", "2025:4"]  # by kind
    kinds = [h.get_text() for h in page.select("section[aria-labelledby=gallande] h3")]
    assert kinds == ["Taxor och avgifter", "Ordningsföreskrifter", "Reglementen", "Övriga föreskrifter"]  # fmt: skip
    assert section(page, "kommande") == ["2026:1"]
    assert section(page, "upphavda") == []
    assert "Inga föreskrifter har upphävts eller ersatts." in page.get_text()
    # the menu of every page leads to it
    home = soup(site / "index.html")
    assert home.select_one('nav[aria-label=Huvudmeny] a[href="forfattningssamling/"]')


def test_the_register_when_the_new_version_is_in_force(next_year: Path) -> None:
    page = soup(next_year / REGISTER)
    assert section(page, "gallande") == ["2025:2", "2025:1", "2025:3", "2026:1"]
    assert section(page, "kommande") == []
    assert section(page, "upphavda") == ["2025:4"]  # under "Upphävda och ersatta"
    heading = page.select_one("#upphavda").get_text()
    assert heading == "Upphävda och ersatta"


def target(site: Path, page: str, href: str) -> tuple[Path, str]:
    address, _, fragment = href.partition("#")
    file = (site / page).parent / address
    return (file / "index.html" if address.endswith("/") else file).resolve(), fragment


def test_a_foreskrift_links_the_paragraph_that_adopted_it_and_its_versions(site: Path) -> None:
    page_path = "forfattningssamling/2026-1/index.html"
    page = soup(site / page_path)
    assert page.h1.get_text() == "Regelverk för enskilda vägar i Ådala kommun"
    facts = {dt.get_text(): dd for dt, dd in zip(page.select("dt"), page.select("dd"), strict=True)}
    adopted = facts["Antagen av"].a
    assert " ".join(adopted.get_text().split()) == "Kommunfullmäktige 16 november 2026, § 134"
    file, fragment = target(site, page_path, adopted["href"])
    assert file == (site / "protokoll/kommunfullmaktige/2026-11-16/index.html").resolve()
    protocol = soup(file)
    assert protocol.find(id=fragment).h2.get_text(" ", strip=True).startswith("§\xa0134")
    assert "24 november 2026" in facts["Kungjord"].get_text()
    assert facts["Gäller från"].get_text() == "1 januari 2027"
    earlier = facts["Ersätter"].a
    assert (
        target(site, page_path, earlier["href"])[0]
        == (site / "forfattningssamling/2025-4/index.html").resolve()
    )
    assert page.select_one(".state").get_text(strip=True) == "Beslutad, gäller från 1 januari 2027"
    # the earlier version names its successor, and the § links back to the föreskrift
    older = soup(site / "forfattningssamling/2025-4/index.html")
    assert "Ersätts av 2026:1 från 1 januari 2027" in older.select_one(".state").get_text()
    back = protocol.find(id="paragraf-134").select_one("p.regulation a")
    assert back.get_text() == "2026:1 Regelverk för enskilda vägar i Ådala kommun"


def test_the_justering_notice_kungor_the_foreskrifter_its_protocol_adopted(site: Path) -> None:
    board = soup(site / "anslagstavla/index.html")
    items = {
        li.h4.get_text(" ", strip=True): li
        for li in board.select('ul[data-group="justeringar"] li.notice-item')
    }
    current = items["Kommunfullmäktige – sammanträde 16 november 2026"]
    said = current.select_one("p.regulations")
    assert said is not None and "kommunallagen 8 kap. 13 §" in said.get_text()
    assert [a.get_text() for a in said.select("a")] == [
        "2026:1 Regelverk för enskilda vägar i Ådala kommun"
    ]
    older = items["Kommunfullmäktige – sammanträde 22 september 2025"]
    assert [a.get_text().split()[0] for a in older.select("p.regulations a")] == [
        "2025:1", "2025:2", "2025:3", "2025:4"
    ]  # fmt: skip


@pytest.mark.parametrize("day", sorted(STATES))
def test_the_open_data_follows_its_schema_and_the_states(
    site: Path, next_year: Path, day: str
) -> None:
    folder = site if day == "2026-12-07" else next_year
    document = json.loads((folder / "data/forfattningar.json").read_text("utf-8"))
    schema = json.loads((folder / "schema/opendata-forfattningar.schema.json").read_text("utf-8"))
    errors = list(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document)
    )
    assert errors == []
    assert {r["id"]: r["state"] for r in document["regulations"]} == STATES[day]
    new = next(r for r in document["regulations"] if r["id"] == "2026:1")
    assert new["adopted"]["web"].endswith("protokoll/kommunfullmaktige/2026-11-16/#paragraf-134")
    assert new["announced"] == "2026-11-24" and new["replaces"] == ["2025:4"]
    old = next(r for r in document["regulations"] if r["id"] == "2025:4")
    assert old["replacedBy"] == "2026:1"


def test_the_feed_of_new_foreskrifter(site: Path) -> None:
    feed = feedparser.parse((site / "forfattningssamling/nya.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    titles = [e.title for e in feed.entries]
    assert titles[0] == "2026:1 Regelverk för enskilda vägar i Ådala kommun"  # newest first
    assert sorted(titles[1:]) == sorted(t for t in titles[1:] if t.startswith("2025:"))
    assert len(titles) == 5
    assert feed.entries[0].published.startswith("2026-11-24")


def test_each_foreskrift_is_a_pdf_and_is_searched(site: Path) -> None:
    pdf = PdfReader(site / "forfattningssamling/2025-1/forfattning-2025-1.pdf")
    assert pdf.metadata.title == "2025:1 Lokala ordningsföreskrifter för Ådala kommun"
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Antagen av Kommunfullmäktige 22 september 2025, § 89" in " ".join(text.split())
    assert "Spritdrycker, vin och starköl" in text
    page = soup(site / "forfattningssamling/2025-1/index.html")
    assert page.select_one('a.pdf[href$="forfattning-2025-1.pdf"]')
    manifest = json.loads((site / "sok/index/manifest.json").read_text("utf-8"))
    assert "Föreskrift" in manifest["filters"]["typ"]
    article = page.select_one("article[data-search-doc]")
    assert article["data-search-typ"] == "Föreskrift"


# --- the checks, each on a worked case ----------------------------------------------------


def copy(tmp_path: Path) -> Path:
    content = tmp_path / "kommun"
    shutil.copytree(EXAMPLE, content)
    return content


def edit(content: Path, name: str, old: str, new: str) -> int:
    """The föreskrift's file with ``old`` replaced; the line ``new`` starts on."""
    path = content / "forfattningar" / name
    text = path.read_text("utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1


def check(content: Path) -> tuple[int, str]:
    result = run_build_py("check", "--content", str(content), "--today", "2026-12-07")
    return result.returncode, result.stderr


def test_the_example_checks_clean(tmp_path: Path) -> None:
    assert check(copy(tmp_path)) == (0, "0 fel, 0 varningar\n")


CASES = [
    (  # adopted at a meeting the archive has no protocol of
        "2025-3.md",
        "date: 2025-09-22, paragraph: 91",
        "date: 2026-10-12, paragraph: 91",
        1,
        "error: föreskriften antogs kommunfullmaktige 12 oktober 2026 § 91, men arkivet har "
        "inget protokoll från kommunfullmaktige 12 oktober 2026",
        "",
    ),
    (  # adopted before the archive begins: a warning, the § is linked once it is there
        "2025-3.md",
        "date: 2025-09-22, paragraph: 91",
        "date: 2019-03-25, paragraph: 34",
        0,
        "warning: föreskriften antogs kommunfullmaktige 25 mars 2019 § 34, men arkivet har "
        "inget protokoll så tidigt",
        "",
    ),
    (  # a § the protocol does not have
        "2025-3.md",
        "paragraph: 91",
        "paragraph: 99",
        1,
        "error: protokollet",
        "har ingen § 99 (§ 88–92)",
    ),
    (  # in force before it was kungjord
        "2025-1.md",
        "in_force: 2025-11-01",
        "in_force: 2025-09-23",
        0,
        "warning: föreskriften sägs gälla från 23 september 2025, men tillkännagivandet att "
        "protokollet justerats sattes upp 26 september 2025",
        "[KL 8 kap. 13 § första stycket]",
    ),
    (  # replacing one the collection does not have
        "2026-1.md",
        'replaces: ["2025:4"]',
        'replaces: ["2024:9"]',
        1,
        "error: replaces nämner 2024:9, som inte finns i författningssamlingen",
        "",
    ),
    (  # in force and replaced: the successor, which claims it, is told
        "2026-1.md",
        "in_force: 2027-01-01",
        "in_force: 2025-09-30",
        1,
        "error: 2026:1 ersätter 2025:4 från 30 september 2025, men 2025:4 gäller själv först "
        "från 1 oktober 2025",
        "både gällande och ersatt",
    ),
    (  # the file is named by its beteckning
        "2025-1.md",
        'beteckning: "2025:1"',
        'beteckning: "2025:7"',
        1,
        "error: föreskriften 2025:7 ska ligga i filen 2025-7.md",
        "",
    ),
    (  # personnummer, as everywhere
        "2025-1.md",
        "### 5 §\n",
        "### 5 §\n\nKontakt: 19560412-1235\n",
        1,
        "error:",
        "19560412-****",
    ),
    (  # a body the settings do not have
        "2025-2.md",
        "organ: kommunfullmaktige",
        "organ: kommunfulmaktige",
        1,
        "error: organet 'kommunfulmaktige' finns inte",
        "menade du 'kommunfullmaktige'?",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "code", "said", "also"),
    CASES,
    ids=["missing", "older", "paragraph", "kungjord", "replaces", "replaced",
         "file-name", "personnummer", "organ"],
)  # fmt: skip
def test_a_check_names_the_file_and_line(
    tmp_path: Path, name: str, old: str, new: str, code: int, said: str, also: str
) -> None:
    content = copy(tmp_path)
    line = edit(content, name, old, new)
    returned, stderr = check(content)
    assert returned == code, stderr
    path = (content / "forfattningar" / name).as_posix()
    found = [each for each in stderr.splitlines() if each.startswith(f"{path}:")]
    assert found, stderr
    assert any(said in each and also in each for each in found), stderr
    if "personnummer" not in name and old.startswith(("beteckning", "in_force", "replaces")):
        assert any(each.startswith(f"{path}:{line}:") for each in found), stderr


def test_two_foreskrifter_with_one_beteckning(tmp_path: Path) -> None:
    """Each file is named by its beteckning, so a second one can only be in another folder."""
    content = copy(tmp_path)
    (content / "forfattningar/arkiv").mkdir()
    twin = content / "forfattningar/arkiv/2025-1.md"
    shutil.copy(content / "forfattningar/2025-1.md", twin)
    returned, stderr = check(content)
    assert returned == 1
    first = (content / "forfattningar/2025-1.md").as_posix()
    assert (
        f"{twin.as_posix()}:2: error: beteckningen 2025:1 har redan {first}; ge föreskriften "
        "nästa lediga nummer [KL 8 kap. 13 § andra stycket]"
    ) in stderr or (
        f"{first}:2: error: beteckningen 2025:1 har redan {twin.as_posix()}"
    ) in stderr, stderr


def test_a_published_foreskrift_of_a_protocol_not_yet_justerat_is_an_error(tmp_path: Path) -> None:
    content = copy(tmp_path)
    protocol = content / "protocols/kommunfullmaktige/2026-11-16.md"
    text = protocol.read_text("utf-8").replace("status: justerat", "status: draft", 1)
    protocol.write_text(text, "utf-8")
    returned, stderr = check(content)
    assert returned == 1
    path = (content / "forfattningar/2026-1.md").as_posix()
    assert re.search(
        rf"^{re.escape(path)}:\d+: error: protokollet .*2026-11-16.md är inte justerat än; "
        r"publicera föreskriften \(status: published\) först när protokollet är justerat",
        stderr,
        re.M,
    ), stderr


def test_new_foreskrift_end_to_end(tmp_path: Path) -> None:
    """`new föreskrift` writes a draft with the next free beteckning that `check` accepts; once
    the secretary has written it and set it published, it is built into the register."""
    content = copy(tmp_path)
    made = run_build_py(
        "new", "föreskrift", "kommunfullmaktige", "2026-11-16", "135", "--content", str(content)
    )
    assert made.returncode == 0, made.stderr
    draft = content / "forfattningar/2026-2.md"  # 2026:1 is taken
    assert f"Skrev {draft.as_posix()}: föreskrift 2026:2" in made.stdout
    text = draft.read_text("utf-8")
    assert 'beteckning: "2026:2"' in text
    assert "adopted: {organ: kommunfullmaktige, date: 2026-11-16, paragraph: 135}" in text
    assert "in_force: 2026-11-24" in text  # the day it is kungjord, at the earliest
    code, said = check(content)
    assert code == 0, said  # a draft: what is left to write is a warning
    assert "2026-2.md:" in said and "ÄNDRA: föreskriftens rubrik" in said
    # the secretary writes it and publishes it
    text = text.replace('"ÄNDRA: föreskriftens rubrik"', "Föreskrifter om hantering av skyltar")
    text = text.replace("ÄNDRA: föreskriftens text.", "Skyltar får inte sättas upp på torget.")
    text = text.replace("status: draft", "status: published")
    draft.write_text(text, "utf-8")
    assert check(content) == (0, "0 fel, 0 varningar\n")
    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--no-pdf", "--today", "2026-12-07"
    )
    assert result.returncode == 0, result.stderr
    register = soup(out / REGISTER)
    assert "2026:2" in section(register, "gallande")
    page = soup(out / "forfattningssamling/2026-2/index.html")
    assert page.h1.get_text() == "Föreskrifter om hantering av skyltar"
    # a second one of the same year takes the next number; `forfattning` works as well
    again = run_build_py(
        "new", "forfattning", "kommunfullmaktige", "2026-11-16", "136", "--content", str(content)
    )
    assert again.returncode == 0, again.stderr
    assert (content / "forfattningar/2026-3.md").is_file()


def build(content: Path, out: Path, day: str) -> tuple[int, str]:
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--no-pdf", "--today", day
    )
    return result.returncode, result.stderr


def test_a_foreskrift_waits_for_the_notice_that_kungor_it(tmp_path: Path) -> None:
    """On 20 November 2026 the protocol of 16 November is not justerat (23 November) nor its
    notice up (24 November): 2026:1 is nowhere public, and 2025:4 is not said to be replaced."""
    out = tmp_path / "site"
    code, said = build(EXAMPLE, out, "2026-11-20")
    assert code == 0, said
    # the office is told why, and when
    waits = (EXAMPLE / "forfattningar/2026-1.md").as_posix()
    assert (
        f"{waits}:6: warning: föreskriften publiceras 24 november 2026, när anslaget om att "
        "protokollet justerats sätts upp; till dess finns den inte på webbplatsen"
    ) in said, said
    assert not (out / "forfattningssamling/2026-1").exists()
    assert "2026:1" not in (out / REGISTER).read_text("utf-8")
    assert "2026:1" not in (out / "data/forfattningar.json").read_text("utf-8")
    assert "2026:1" not in (out / "forfattningssamling/nya.xml").read_text("utf-8")
    older = soup(out / "forfattningssamling/2025-4/index.html")
    assert older.select_one(".state").get_text(strip=True) == "Gäller"
    # on the day the notice goes up, it is there
    code, said = build(EXAMPLE, tmp_path / "later", "2026-11-24")
    assert code == 0, said
    assert (tmp_path / "later/forfattningssamling/2026-1/index.html").is_file()


def test_a_foreskrift_of_a_broken_draft_protocol_is_not_published(tmp_path: Path) -> None:
    content = copy(tmp_path)
    protocol = content / "protocols/kommunfullmaktige/2026-11-16.md"
    text = protocol.read_text("utf-8").replace("status: justerat", "status: draft\nfoo: bar", 1)
    protocol.write_text(text, "utf-8")
    out = tmp_path / "site"
    code, said = build(content, out, "2026-12-07")
    assert code == 0, said  # a draft's error is a warning; the rest publishes
    assert not (out / "forfattningssamling/2026-1").exists()
    assert (out / "forfattningssamling/2025-1/index.html").is_file()


def test_a_repeal_takes_effect_on_its_day_once_kungjord(tmp_path: Path) -> None:
    """2025:3 repealed at § 135 of 16 November 2026, from 1 January 2027: in force until then;
    before that protocol's notice is up the repeal does not count at all."""
    content = copy(tmp_path)
    edit(
        content,
        "2025-3.md",
        "in_force: 2025-10-01\n",
        "in_force: 2025-10-01\nrepealed: {organ: kommunfullmaktige, date: 2026-11-16, "
        "paragraph: 135, from: 2027-01-01}\n",
    )
    assert check(content) == (0, "0 fel, 0 varningar\n")
    states = {}
    for day in ("2026-11-20", "2026-12-07", "2027-01-02"):
        out = tmp_path / day
        code, said = build(content, out, day)
        assert code == 0, said
        document = json.loads((out / "data/forfattningar.json").read_text("utf-8"))
        states[day] = next(r["state"] for r in document["regulations"] if r["id"] == "2025:3")
    assert states == {"2026-11-20": "gällande", "2026-12-07": "gällande", "2027-01-02": "upphävd"}
    page = soup(tmp_path / "2027-01-02/forfattningssamling/2025-3/index.html")
    assert page.select_one(".state").get_text(strip=True) == "Upphävd"
    ended = section(soup(tmp_path / "2027-01-02" / REGISTER), "upphavda")
    assert sorted(ended) == ["2025:3", "2025:4"]


def test_a_draft_that_replaces_wrongly_does_not_hold_back_the_published_one(
    tmp_path: Path,
) -> None:
    content = copy(tmp_path)
    (content / "forfattningar/2026-2.md").write_text(
        "---\n"
        'beteckning: "2026:2"\n'
        "title: Nya regler för enskilda vägar\n"
        "kind: övrigt\n"
        "status: draft\n"
        "adopted: {organ: kommunfullmaktige, date: 2026-11-16, paragraph: 134}\n"
        "in_force: 2025-09-30\n"
        'replaces: ["2025:4"]\n'
        "---\n\n## 1 §\n\nText.\n",
        "utf-8",
    )
    out = tmp_path / "site"
    code, said = build(content, out, "2026-12-07")
    assert code == 0, said
    draft = (content / "forfattningar/2026-2.md").as_posix()
    assert f"{draft}:8: warning: utkast: 2026:2 ersätter 2025:4" in said, said
    assert "2025-4.md" not in said
    assert (out / "forfattningssamling/2025-4/index.html").is_file()
