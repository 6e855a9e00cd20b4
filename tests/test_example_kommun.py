"""The example kommun (examples/kommun/) builds, and on the day it is made for (see its
SOURCES.md and the README) its anslagstavla, kallelse and protocol show what it is there to show.

Built with ``--no-pdf --today 2026-12-07``:

- every group of the board has its current notice: the kungörelser of kommunstyrelsen's and
  kommunfullmäktige's December meetings, the justering of fullmäktige's November protocol, the
  delegationsbeslut and the notice under plan- och bygglagen; the November meeting's kungörelse
  has come down;
- the kallelse of 16 November lists its ärenden with their handlingar, each a link to the copied
  file, its kind and size as the page says;
- the kallelse and the protocol link each other, and each ärende the § that handled it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, run_build_py

from justerat.core.swedish import size_label
from justerat.domain.source import read_source

EXAMPLE = ROOT / "examples" / "kommun"
TODAY = "2026-12-07"
MEETING = "sammantraden/kommunfullmaktige/2026-11-16/"
PROTOCOL = "protokoll/kommunfullmaktige/2026-11-16/"
PBL_TITLE = (
    "Underrättelse – Antagande av upphävande av del av detaljplan för fritidshusområde inom "
    "Björkhage m.fl."
)
BOARD = {  # (state, group): the titles listed, in the board's order (newest first)
    ("current", "sammantraden"): [
        "Kommunfullmäktige – sammanträde 14 december 2026",
        "Kommunstyrelsen – sammanträde 8 december 2026",
    ],
    ("current", "justeringar"): ["Kommunfullmäktige – sammanträde 16 november 2026"],
    ("current", "delegationsbeslut"): ["Bidrag till bastu i Björkhage"],
    ("current", "ovriga"): [PBL_TITLE],
    ("ended", "sammantraden"): ["Kommunfullmäktige – sammanträde 16 november 2026"],
    # the protocol that adopted the föreskrifter of 2025, its notice down since October 2025
    ("ended", "justeringar"): ["Kommunfullmäktige – sammanträde 22 september 2025"],
}
APPEAL_LAST_DAY = {  # group: the last day to appeal that its current notice shows
    "justeringar": "2026-12-15",  # posted 24 November: three weeks (KL 13 kap. 5 §)
    "delegationsbeslut": "2026-12-18",  # posted 27 November
    "ovriga": "2026-12-15",  # the detaljplan, posted with the justering (PBL 5 kap. 29 §)
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("kommun")
    result = run_build_py(
        "build",
        "--content",
        str(EXAMPLE),
        "--out",
        str(where / "site"),
        "--cache",
        str(where / "cache"),
        "--today",
        TODAY,
        "--no-pdf",
    )
    assert result.returncode == 0, result.stderr
    assert "0 fel, 0 varningar" in result.stderr  # on its day, the example is clean
    return (where / "site").resolve()


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def _target(site: Path, url: str, href: str) -> tuple[Path, str]:
    """The file a relative link on the page at ``url`` leads to, and its fragment."""
    address, fragment = urldefrag(href)
    assert "://" not in address, href
    path = PurePosixPath(url) / unquote(address)
    file = (site / path).resolve()
    if address.endswith("/") or address == "":
        file = file / "index.html"
    assert file.is_relative_to(site), href
    return file, fragment


def _lists(board: BeautifulSoup) -> dict[tuple[str, str], list[Tag]]:
    return {
        (ul["data-state"], ul["data-group"]): ul.select("li.notice-item")
        for ul in board.select("ul.notices[data-state][data-group]")
    }


def test_the_board_shows_each_group_s_notices(built: Path) -> None:
    board = _page(built, "anslagstavla/")
    assert board.select_one("#idag")["datetime"] == TODAY
    lists = _lists(board)
    groups = {group for _, group in lists}
    assert groups == {"sammantraden", "justeringar", "delegationsbeslut", "ovriga"}
    for key, items in lists.items():
        titles = [item.h4.get_text(" ", strip=True) for item in items]
        assert titles == BOARD.get(key, []), key


def test_each_notice_links_its_page_and_shows_its_dates(built: Path) -> None:
    board = _page(built, "anslagstavla/")
    for (state, group), items in _lists(board).items():
        for item in items:
            title = item.h4.get_text(" ", strip=True)
            for link in item.select("a[href]"):
                file, _ = _target(built, "anslagstavla/", link["href"])
                assert file.is_file(), (title, link["href"])
            posted = date.fromisoformat(item["data-posted"])
            assert posted <= date.fromisoformat(TODAY)
            if state == "current":
                assert date.fromisoformat(item["data-down"]) > date.fromisoformat(TODAY)
            shown = {time["datetime"] for time in item.select("time")}
            if state == "current" and group in APPEAL_LAST_DAY:
                assert APPEAL_LAST_DAY[group] in shown, title


def _items(meeting: Path) -> list[dict[str, object]]:
    source, problems = read_source(meeting.as_posix(), meeting.read_bytes())
    assert source is not None, problems
    return list(source.meta["items"])


def test_the_kallelse_lists_the_arenden_with_their_handlingar(built: Path) -> None:
    page = _page(built, MEETING)
    listed = page.select("ol.agenda > li")
    items = _items(EXAMPLE / "meetings/kommunfullmaktige/2026-11-16.md")
    assert [li.h3.get_text(" ", strip=True) for li in listed] == [item["title"] for item in items]
    shown = 0
    for li, item in zip(listed, items, strict=True):
        named = item.get("handlingar") or []  # type: ignore[attr-defined]
        links = li.select("ul.attachments > li")
        assert len(links) == len(named), item["title"]
        for entry, each in zip(links, named, strict=True):
            handling, title = each["file"], each["title"]  # the example titles every handling
            link = entry.a
            source = EXAMPLE / "meetings/kommunfullmaktige" / handling
            file, _ = _target(built, MEETING, link["href"])
            assert file.is_file(), link["href"]
            assert file.read_bytes() == source.read_bytes()
            assert file.name == source.name
            assert link.get_text(" ", strip=True) == title  # its title, not its file name
            kind = "PDF" if source.suffix == ".pdf" else "text"
            size = entry.select_one("span.size").get_text(strip=True)
            assert size == f"({kind}, {size_label(file.stat().st_size)})", handling
            shown += 1
    assert shown >= 3
    assert "PDF" in page.select_one("ol.agenda").get_text()  # at least one handling is a PDF


def test_the_kungorelse_lists_the_arenden(built: Path) -> None:
    page = _page(built, MEETING + "kungorelse/")
    items = _items(EXAMPLE / "meetings/kommunfullmaktige/2026-11-16.md")
    listed = [li.get_text(" ", strip=True) for li in page.select("main ol > li")]
    assert len(listed) == len(items)
    for text, item in zip(listed, items, strict=True):
        assert text.startswith(str(item["title"]))
    posted = {time["datetime"] for time in page.select("time")}
    assert "2026-11-06" in posted  # ten days before the meeting: on time (KL 5 kap. 13 §)


def test_the_kallelse_and_the_protocol_link_each_other(built: Path) -> None:
    kallelse = _page(built, MEETING)
    protocol = _page(built, PROTOCOL)
    to_kallelse = [
        a
        for a in protocol.select("main a[href]")
        if _target(built, PROTOCOL, a["href"])[0] == (built / MEETING / "index.html").resolve()
    ]
    assert to_kallelse, "the protocol does not link its kallelse"
    to_protocol = {_target(built, MEETING, a["href"]) for a in kallelse.select("main a[href]")}
    protocol_file = (built / PROTOCOL / "index.html").resolve()
    assert (protocol_file, "") in to_protocol, "the kallelse does not link its protocol"
    # each ärende links the § that handled it, and that § is on the protocol page
    handled = [li.select_one("p.handled a") for li in kallelse.select("ol.agenda > li")]
    assert all(handled)
    numbers = []
    for link in handled:
        file, fragment = _target(built, MEETING, link["href"])
        assert file == protocol_file
        assert protocol.find(id=fragment) is not None, fragment
        numbers.append(int(fragment.removeprefix("paragraf-")))
    assert numbers == list(range(131, 137))


def test_the_notices_pages_and_their_attachment(built: Path) -> None:
    pbl = "anslag/2026/antagande-upphavande-detaljplan-bjorkhage/"
    page = _page(built, pbl)
    assert page.h1.get_text(strip=True) == PBL_TITLE
    link = page.select_one("ul.attachments a")
    file, _ = _target(built, pbl, link["href"])
    source = EXAMPLE / "notices/2026/bilagor/protokollsutdrag-kf-2026-11-16-135.txt"
    assert file.read_bytes() == source.read_bytes()
    delegation = _page(built, "anslag/2026/bidrag-till-bastu-i-bjorkhage/")
    facts = delegation.select_one("dl.facts").get_text(" ", strip=True)
    assert "26 november 2026" in facts and "kommunchefen" in facts  # decided, decided_by
    for url in (pbl, "anslag/2026/bidrag-till-bastu-i-bjorkhage/"):
        assert (built / url / "anslagsbevis" / "index.html").is_file()


def test_the_example_builds_with_its_pdfs(tmp_path: Path) -> None:
    result = run_build_py(
        "build",
        "--content",
        str(EXAMPLE),
        "--out",
        str(tmp_path / "site"),
        "--cache",
        str(tmp_path / "cache"),
        "--today",
        TODAY,
    )
    assert result.returncode == 0, result.stderr
    site = (tmp_path / "site").resolve()
    assert (site / PROTOCOL / "protokoll-kommunfullmaktige-2026-11-16.pdf").is_file()
    handling = site / MEETING / "handlingar" / "tjansteskrivelse-regelverk-enskilda-vagar.pdf"
    assert handling.read_bytes().startswith(b"%PDF")
    protocol = _page(site, PROTOCOL)
    assert protocol.select_one('a.pdf[href$="protokoll-kommunfullmaktige-2026-11-16.pdf"]')


def test_counts_on_the_meetings_pages_take_the_singular_for_one(built: Path) -> None:
    """Each body's number of meetings, and each meeting's number of ärenden, as the source
    folder holds them: "1 sammanträde", "2 sammanträden", never "1 sammanträden"."""
    page = BeautifulSoup((built / "sammantraden/index.html").read_text("utf-8"), "html.parser")
    counts = {
        item.a.get_text(strip=True): item.select_one(".meta").get_text(strip=True)
        for item in page.select("main li")
        if item.a is not None and item.select_one(".meta") is not None
    }
    bodies = yaml.safe_load((EXAMPLE / "site.yaml").read_text("utf-8"))["bodies"]
    for folder in sorted((EXAMPLE / "meetings").iterdir()):
        held = len(list(folder.glob("*.md")))
        body = bodies[folder.name]["name"]
        assert counts[body] == f"{held} {'sammanträde' if held == 1 else 'sammanträden'}"
    assert "1 sammanträde" in counts.values()  # the example has a body with one meeting
    metas = [m.get_text(" ", strip=True) for m in page.select(".meta")]
    assert not [m for m in metas if m.endswith(" 1 ärenden") or " 1 ärenden " in m]
