"""The anslagstavla, the anslagsbevis and the feed: the board's sorting by day called as the
function it is (``board.board``, which the site's board is made by), and the pages and feed built
for fixed days and parsed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, run_build_py

from justerat.domain.model import NoticeFacts, Status, Summary
from justerat.domain.settings import Body
from justerat.legal import board, law, notice

D = date.fromisoformat
CALENDAR = law.Calendar()
SEED_2023 = "protokoll/styrelsen/2023-09-13/"
SEED_2022 = "protokoll/styrelsen/2022-05-11/"
STYRELSEN = Body("styrelsen", "Styrelsen")


def summary(
    meeting: str, paragraphs: int, justering: str, posted: str, taken_down: str | None
) -> Summary:
    """A justerat protocol of the board as the archive summarises it, with one notice."""
    numbers = tuple(range(1, paragraphs + 1))
    facts = NoticeFacts(
        numbers, False, D(justering), D(posted), D(taken_down) if taken_down else None
    )
    return Summary(
        path=f"protocols/styrelsen/{meeting}.md",
        digest="",
        organ=STYRELSEN,
        status=Status.JUSTERAT,
        date=D(meeting),
        numbers=numbers,
        hidden=(),
        kept_at="Samordningsförbundets kansli, 136 81 Haninge",
        notices=(facts,),
        withdrawn=None,
        date_line=4,
    )


# The sample protocols' notices, with the dates of their front matter
# (content/protocols/styrelsen/2022-05-11.md and 2023-09-13.md).
MEETINGS = {
    "2022": summary("2022-05-11", 9, "2022-06-17", "2022-05-20", "2022-06-10"),
    "2023": summary("2023-09-13", 11, "2023-09-21", "2023-09-22", "2023-10-16"),
}


def years(postings: tuple[board.Posting, ...]) -> list[str]:
    return [str(notice_of(p).protocol.date.year) for p in postings]


def notice_of(posting: board.Posting) -> notice.Notice:
    assert isinstance(posting.subject, notice.Notice)
    return posting.subject


def justeringar(protocols: list[Summary], today: date) -> board.Group:
    """The board on ``today`` of these protocols alone: its group of notices of justering
    (every other group empty)."""
    shown = board.board(protocols, (), (), today, CALENDAR)
    assert shown.today == today
    (group,) = [g for g in shown.groups if g.key == "justeringar"]
    assert all(
        not (g.current or g.upcoming or g.ended or g.older) for g in shown.groups if g is not group
    )
    return group


@pytest.mark.parametrize(
    ("today", "current", "upcoming", "ended"),
    [
        ("2022-05-19", [], ["2023", "2022"], []),  # before anything was posted
        ("2022-05-20", ["2022"], ["2023"], []),  # the 2022 notice is posted that day
        ("2022-06-09", ["2022"], ["2023"], []),  # its last day up
        ("2022-06-10", [], ["2023"], ["2022"]),  # taken down that day
        ("2023-09-21", [], ["2023"], ["2022"]),  # the day before the 2023 notice is posted
        ("2023-09-22", ["2023"], [], ["2022"]),  # posted that day
        ("2023-10-13", ["2023"], [], ["2022"]),  # the appeal period's last day
        ("2023-10-15", ["2023"], [], ["2022"]),  # its last day up, a Sunday
        ("2023-10-16", [], [], ["2023", "2022"]),  # taken down that day; the newest first
    ],
)
def test_the_board_sorts_the_notices_by_the_day(
    today: str, current: list[str], upcoming: list[str], ended: list[str]
) -> None:
    for order in (list(MEETINGS.values()), list(reversed(MEETINGS.values()))):
        shown = justeringar(order, D(today))
        assert years(shown.current) == current
        assert years(shown.upcoming) == upcoming
        assert years(shown.ended) == ended
        assert shown.older == 0
        for state, listed in [
            (notice.State.CURRENT, shown.current),
            (notice.State.UPCOMING, shown.upcoming),
            (notice.State.ENDED, shown.ended),
        ]:
            assert all(p.state(D(today)) is state for p in listed)


def test_a_notice_without_a_taken_down_date_comes_down_on_the_first_lawful_day() -> None:
    up = summary("2023-09-13", 11, "2023-09-21", "2023-09-22", None)
    (each,) = notice.notices(up, CALENDAR)
    # three weeks from Friday 22 September is Friday 13 October, an open day: the appeal period's
    # last day; the notice may come down the day after, a Saturday
    assert each.dates.appeal_last_day == D("2023-10-13")
    assert each.comes_down == D("2023-10-14")
    on_the_last_day = justeringar([up], D("2023-10-13"))
    assert [notice_of(p).protocol for p in on_the_last_day.current] == [up]
    (posting,) = on_the_last_day.current
    assert posting.comes_down == D("2023-10-14")
    assert posting.appeal_last_day == D("2023-10-13")
    assert [notice_of(p).protocol for p in justeringar([up], D("2023-10-14")).ended] == [up]


@pytest.fixture(scope="module")
def built_on(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The sample archive built by the command line for a day, once per day for this module."""
    built: dict[str, Path] = {}

    def build_for(today: str) -> Path:
        if today not in built:
            built[today] = build(tmp_path_factory.mktemp("built") / "site", today)
        return built[today]

    return build_for


def build(out: Path, today: str, *extra: str) -> Path:
    result = run_build_py("build", "--out", str(out), "--today", today, *extra)
    assert result.returncode == 0, result.stderr
    return out


def board_lists(out: Path) -> dict[str, list[str]]:
    """The anslagsbevis links in each list of the board, by the list's id."""
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text("utf-8"), "html.parser")
    return {
        ul["id"]: [a["href"] for a in ul.select("li.notice-item h4 a")]
        for ul in soup.select("ul.notices")
        if ul.select("li") or ul["id"] in ("aktuella", "kommande", "tidigare")
    }


@pytest.mark.parametrize(
    ("today", "current", "upcoming", "ended"),
    [
        ("2023-09-21", [], [SEED_2023], [SEED_2022]),
        ("2023-09-25", [SEED_2023], [], [SEED_2022]),
    ],
)
def test_the_built_board_shows_the_day_it_was_built_for(
    built_on: Callable[[str], Path],
    today: str,
    current: list[str],
    upcoming: list[str],
    ended: list[str],
) -> None:
    out = built_on(today)

    def bevis(pages: list[str]) -> list[str]:
        return ["../" + page + "anslagsbevis/" for page in pages]

    assert board_lists(out) == {
        "aktuella": bevis(current),
        "kommande": bevis(upcoming),
        "tidigare": bevis(ended),
    }
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text("utf-8"), "html.parser")
    # "no notices are posted" shows only when none is; notices to come are kept out of sight
    assert soup.select_one("#inga-aktuella").has_attr("hidden") == bool(current)
    assert soup.select_one("#inga-tidigare").has_attr("hidden")
    assert soup.select_one("#kommande").has_attr("hidden")
    assert soup.select_one("#idag")["datetime"] == today
    assert soup.select_one(".board")["data-built"] == today


def test_board_item_carries_the_computed_dates(built_on: Callable[[str], Path]) -> None:
    out = built_on("2023-09-25")
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text(), "html.parser")
    item = soup.select_one("#aktuella li.notice-item")
    facts = {
        dt.get_text(strip=True): " ".join(dd.get_text().split())
        for dt, dd in zip(item.select("dt"), item.select("dd"), strict=True)
    }
    assert facts == {
        "Paragrafer": "§ 1–11",
        "Uppsatt": "22 september 2023",
        "Tas ned": "16 oktober 2023",
        "Sista dag att överklaga": "13 oktober 2023",
        "Förvaringsplats": "Samordningsförbundets kansli, 136 81 Haninge",
    }
    assert item["data-posted"] == "2023-09-22" and item["data-down"] == "2023-10-16"
    links = [a["href"] for a in item.select("a")]
    assert "../" + SEED_2023 in links and "../" + SEED_2023 + "anslagsbevis/" in links
    appeal = soup.select_one("#overklaga").find_parent("section").get_text(" ")
    assert "Förvaltningsrätten i Stockholm" in appeal
    assert "tre veckor" in appeal and "13 kap. 5 §" in appeal
    assert "lag (2003:1210)" in appeal  # a samordningsförbund: members of its members appeal


def test_notice_without_taken_down_comes_down_on_the_first_lawful_day(
    content: Path, tmp_path: Path
) -> None:
    minimal = (FIXTURES / "minimal.md").read_text("utf-8").replace("  taken_down: 2024-04-08\n", "")
    (content / "protocols/styrelsen/2024-03-06.md").write_text(minimal, "utf-8")
    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--today", "2024-04-03"
    )
    assert result.returncode == 0, result.stderr
    assert board_lists(out)["aktuella"] == ["../protokoll/styrelsen/2024-03-06/anslagsbevis/"]
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text(), "html.parser")
    assert soup.select_one("#aktuella li")["data-down"] == "2024-04-04"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--today", "2024-04-04"
    )
    assert result.returncode == 0, result.stderr
    assert board_lists(out)["aktuella"] == []


def test_immediate_paragraphs_get_their_own_notice(content: Path, tmp_path: Path) -> None:
    minimal = (
        (FIXTURES / "minimal.md")
        .read_text("utf-8")
        .replace(
            "---\n\n## § 1",
            "immediate:\n  - paragraphs: [2]\n    justering:\n      date: 2024-03-06\n"
            "    anslag:\n      posted: 2024-03-07\n---\n\n## § 1",
        )
    )
    (content / "protocols/styrelsen/2024-03-06.md").write_text(minimal, "utf-8")
    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--today", "2024-03-08"
    )
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text(), "html.parser")
    items = soup.select("#aktuella li.notice-item")
    assert [i["data-posted"] for i in items] == ["2024-03-07"]
    assert "§ 2 (justerade omedelbart)" in " ".join(items[0].get_text().split())
    assert [i["data-posted"] for i in soup.select("#kommande li")] == ["2024-03-13"]
    bevis = BeautifulSoup(
        (out / "protokoll/styrelsen/2024-03-06/anslagsbevis/index.html").read_text(), "html.parser"
    )
    headings = [" ".join(h.get_text().split()) for h in bevis.select("main h2")]
    assert headings == ["Anslag § 1", "Omedelbart justerade paragrafer § 2"]


def test_anslagsbevis_holds_what_the_seed_block_holds(built_on: Callable[[str], Path]) -> None:
    out = built_on("2026-11-23")
    soup = BeautifulSoup((out / SEED_2023 / "anslagsbevis/index.html").read_text(), "html.parser")
    text = " ".join(soup.main.get_text(" ").split())
    for fact in [
        "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
        "Samordningsförbundet Östra Södertörn",
        "Sammanträdesdatum 13 september 2023",
        "Anslaget uppsatt 22 september 2023",
        "Anslaget nedtaget 16 oktober 2023",
        "Sista dag att överklaga 13 oktober 2023",
        "Förvaringsplats för protokollet Samordningsförbundets kansli, 136 81 Haninge",
        "Överklagandetiden löper ut fredag 13 oktober 2023",
    ]:
        assert fact in text, fact
    assert soup.select_one('p.links a[href="../"]').get_text() == "Till protokollet"
    protocol = BeautifulSoup((out / SEED_2023 / "index.html").read_text(), "html.parser")
    assert protocol.select_one('a[href="anslagsbevis/"]').get_text() == "Anslagsbevis"


def test_acknowledged_fault_is_shown_to_readers(built_on: Callable[[str], Path]) -> None:
    out = built_on("2026-11-23")
    for page in (SEED_2022, SEED_2022 + "anslagsbevis/"):
        soup = BeautifulSoup((out / page / "index.html").read_text(), "html.parser")
        note = soup.select_one(".acknowledged")
        assert note is not None, page
        text = " ".join(note.get_text(" ").split())
        assert (
            "anslaget sattes upp fredag 20 maj 2022, före justeringen fredag 17 juni 2022" in text
        )
        assert "Kvittens: Det arkiverade protokollet anger digital signering 17 juni 2022" in text
    clean = BeautifulSoup((out / SEED_2023 / "index.html").read_text(), "html.parser")
    assert clean.select_one(".acknowledged") is None


def test_without_the_acknowledgement_the_2022_seed_is_not_published(
    content: Path, tmp_path: Path
) -> None:
    protocol = content / "protocols/styrelsen/2022-05-11.md"
    text = protocol.read_text("utf-8")
    without = re.sub(r"acknowledged:\n(?: .*\n)+", "", text)
    assert without != text and "acknowledged" not in without
    protocol.write_text(without, "utf-8")
    out = tmp_path / "site"
    result = run_build_py("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert (
        f"{protocol.as_posix()}:62: error: anslaget sattes upp fredag 20 maj 2022, före "
        "justeringen fredag 17 juni 2022"
    ) in result.stderr
    # held back (never published before: absent); the rest of the archive is published
    assert "höll tillbaka 1 fil med fel" in result.stderr
    assert not (out / "protokoll/styrelsen/2022-05-11").exists()
    assert (out / "protokoll/styrelsen/2023-09-13/index.html").is_file()


def test_feed_is_read_by_a_feed_reader(built_on: Callable[[str], Path]) -> None:
    out = built_on("2023-09-25")
    parsed = feedparser.parse((out / "anslagstavla/anslag.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Anslagstavla – Samordningsförbundet Östra Södertörn"
    assert parsed.feed.language == "sv"
    titles = [e.title for e in parsed.entries]
    assert titles == [
        "Styrelsen 13 september 2023: protokollet är justerat (§\u00a01–11)",
        "Styrelsen 11 maj 2022: protokollet är justerat (§\u00a01–9)",
    ]
    first = parsed.entries[0]
    assert first.link == (
        "https://arkiv.samordningsforbundetostrasodertorn.se/protokoll/styrelsen/2023-09-13/anslagsbevis/"
    )
    assert "Sista dag att överklaga: 13 oktober 2023" in first.summary
    assert first.published_parsed[:3] == (
        2023,
        9,
        21,
    )  # 00:00 in Sweden is 22:00 UTC the day before
    page = BeautifulSoup((out / "anslagstavla/index.html").read_text(), "html.parser")
    assert page.find("link", rel="alternate", type="application/atom+xml")["href"] == "anslag.xml"
    # a notice not yet posted is not announced
    early = feedparser.parse(
        built_on("2023-09-21").joinpath("anslagstavla/anslag.xml").read_bytes()
    )
    assert [e.title for e in early.entries] == titles[1:]


def test_anslag_command_prints_the_law_s_dates() -> None:
    result = run_build_py("anslag", "content/protocols/styrelsen/2023-09-13.md")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[1].startswith("Anslaget sätts upp senast:") and "måndag 25 september 2023" in lines[1]
    )
    assert "flyttad från lördag 23 september 2023" in lines[1]
    assert (
        lines[3]
        == "Sista dag att överklaga:           fredag 13 oktober 2023 (tre veckor, KL 13 kap. 5 §, lag 1930:173)"
    )
    assert lines[-3:] == ["anslag:", "  posted: 2023-09-22", "  taken_down: 2023-10-14"]
    midsommar = run_build_py("anslag", "--justering", "2025-05-28").stdout
    assert (
        "måndag 23 juni 2025" in midsommar
        and "flyttad från fredag 20 juni 2025, Midsommarafton" in midsommar
    )
    missing = run_build_py("anslag")
    assert missing.returncode == 2


def test_the_board_lists_the_newest_earlier_notices_and_counts_the_rest() -> None:
    body = Body("styrelsen", "Styrelsen")
    meetings = []
    for n in range(notice.EARLIER_SHOWN + 30):
        day = date(2020, 1, 6) + timedelta(weeks=n)
        facts = NoticeFacts((1, 2), False, day + timedelta(days=3), day + timedelta(days=4), None)
        meetings.append(
            Summary(
                f"p{n}.md",
                "",
                body,
                Status.JUSTERAT,
                day,
                (1, 2),
                (),
                "Kansliet",
                (facts,),
                None,
                4,
            )
        )
    shown = justeringar(meetings, date(2026, 11, 23))
    assert len(shown.ended) == notice.EARLIER_SHOWN and shown.older == 30
    newest = max(meetings, key=lambda m: m.date)
    assert notice_of(shown.ended[0]).protocol is newest  # the newest first; the oldest 30 counted
    assert min(p.posted for p in shown.ended) > max(
        m.notices[0].posted for m in sorted(meetings, key=lambda m: m.date)[:30]
    )
