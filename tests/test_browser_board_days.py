"""The example kommun's anslagstavla, built for 7 December 2026 and read on other days, in a real
browser (Chromium): on each day the board's script shows every notice where the law puts it on
that day, says which day it is, names each region of the page once, and axe-core finds nothing.

The oracle is a table written by hand from the law's dates of each notice (below), not from the
script: a kungörelse of a meeting is up from the day it was posted through the meeting day
(kommunallagen 5 kap. 13 §, 8 kap. 11 §); the notice of a justering, of a delegationsbeslut or of
an antagen detaljplan stays up through the last day to appeal, three weeks from the day it was
posted (kommunallagen 8 kap. 12 §, 13 kap. 5 §; plan- och bygglagen 5 kap. 29 §, 13 kap. 16 §).
The built page must carry the same dates, and put each notice where the table does on the
build's day; the browser, on each visit day, where the table does on that day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, Yaml12, run_build_py
from test_browser_a11y import AXE, axe_violations, read_on

EXAMPLE = ROOT / "examples/kommun"
BUILT = date(2026, 12, 7)  # the day the example is made for (README, examples/kommun/SOURCES.md)

UP, CURRENT, ENDED = "upcoming", "current", "ended"  # not yet posted; Aktuella; Tidigare
GROUPS = {  # the board's groups in its order, with their headings
    "sammantraden": "Kungörelser om sammanträden",
    "justeringar": "Justerade protokoll",
    "delegationsbeslut": "Delegationsbeslut",
    "ovriga": "Övriga kungörelser och tillkännagivanden",
}
REGIONS = {  # what a screen reader calls each group's region, Aktuella and Tidigare apart
    "sammantraden": "kungörelser om sammanträden",
    "justeringar": "justerade protokoll",
    "delegationsbeslut": "delegationsbeslut",
    "ovriga": "övriga kungörelser och tillkännagivanden",
}
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"


@dataclass(frozen=True)
class Notice:
    group: str
    title: str
    source: str  # under examples/kommun/
    posted: date
    up_through: date  # the last day the law keeps it up: the meeting day or the last day to appeal
    appeal_last_day: date | None = None


# The example kommun's notices, with their dates as the law gives them.
KF_NOVEMBER = Notice(
    "sammantraden",
    "Kommunfullmäktige – sammanträde 16 november 2026",
    "meetings/kommunfullmaktige/2026-11-16.md",
    posted=date(2026, 11, 6),  # ten days before the meeting: at least a week (KL 5 kap. 13 §)
    up_through=date(2026, 11, 16),  # the meeting day
)
KS_DECEMBER = Notice(
    "sammantraden",
    "Kommunstyrelsen – sammanträde 8 december 2026",
    "meetings/kommunstyrelsen/2026-12-08.md",
    posted=date(2026, 12, 1),
    up_through=date(2026, 12, 8),
)
KF_DECEMBER = Notice(
    "sammantraden",
    "Kommunfullmäktige – sammanträde 14 december 2026",
    "meetings/kommunfullmaktige/2026-12-14.md",
    posted=date(2026, 12, 4),
    up_through=date(2026, 12, 14),
)
JUSTERING = Notice(
    "justeringar",
    "Kommunfullmäktige – sammanträde 16 november 2026",
    "protocols/kommunfullmaktige/2026-11-16.md",
    posted=date(2026, 11, 24),  # the day after the justering on 23 November (KL 8 kap. 12 §)
    up_through=date(2026, 12, 15),  # Tuesday 24 November + three weeks: Tuesday 15 December
    appeal_last_day=date(2026, 12, 15),
)
JUSTERING_2025 = Notice(
    "justeringar",
    "Kommunfullmäktige – sammanträde 22 september 2025",
    "protocols/kommunfullmaktige/2025-09-22.md",
    posted=date(2025, 9, 26),  # the day after the justering on 25 September
    up_through=date(2025, 10, 17),  # Friday 26 September + three weeks: Friday 17 October
    appeal_last_day=date(2025, 10, 17),
)
DELEGATIONSBESLUT = Notice(
    "delegationsbeslut",
    "Bidrag till bastu i Björkhage",
    "notices/2026/bidrag-till-bastu-i-bjorkhage.md",
    posted=date(2026, 11, 27),
    up_through=date(2026, 12, 18),  # Friday 27 November + three weeks: Friday 18 December
    appeal_last_day=date(2026, 12, 18),
)
DETALJPLAN = Notice(
    "ovriga",
    "Underrättelse – Antagande av upphävande av del av detaljplan för fritidshusområde inom "
    "Björkhage m.fl.",
    "notices/2026/antagande-upphavande-detaljplan-bjorkhage.md",
    posted=date(2026, 11, 24),  # the day of the protocol's justering notice (PBL 5 kap. 29 §)
    up_through=date(2026, 12, 15),
    appeal_last_day=date(2026, 12, 15),
)
NOTICES = (
    KF_NOVEMBER,
    KS_DECEMBER,
    KF_DECEMBER,
    JUSTERING_2025,
    JUSTERING,
    DELEGATIONSBESLUT,
    DETALJPLAN,
)

# Where each notice belongs on each visit day, written from the dates above.
VISITS: dict[str, tuple[date, dict[Notice, str]]] = {
    "10 days before the build's day": (
        date(2026, 11, 27),  # the delegationsbeslut goes up; the December meetings not yet
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: UP,
            KF_DECEMBER: UP,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: CURRENT,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: CURRENT,
        },
    ),
    "1 day before the build's day": (
        date(2026, 12, 6),
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: CURRENT,
            KF_DECEMBER: CURRENT,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: CURRENT,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: CURRENT,
        },
    ),
    "the build's day": (
        date(2026, 12, 7),
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: CURRENT,
            KF_DECEMBER: CURRENT,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: CURRENT,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: CURRENT,
        },
    ),
    "1 day after the build's day": (
        date(2026, 12, 8),  # kommunstyrelsen meets: its kungörelse is up all that day
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: CURRENT,
            KF_DECEMBER: CURRENT,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: CURRENT,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: CURRENT,
        },
    ),
    "the last day to appeal the protocol": (
        date(2026, 12, 15),  # the justering and the detaljplan are up all that day
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: ENDED,
            KF_DECEMBER: ENDED,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: CURRENT,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: CURRENT,
        },
    ),
    "10 days after the build's day": (
        date(2026, 12, 17),
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: ENDED,
            KF_DECEMBER: ENDED,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: ENDED,
            DELEGATIONSBESLUT: CURRENT,
            DETALJPLAN: ENDED,
        },
    ),
    "after the last day to appeal": (
        date(2026, 12, 19),  # the day after the delegationsbeslut's, the last of them
        {
            KF_NOVEMBER: ENDED,
            KS_DECEMBER: ENDED,
            KF_DECEMBER: ENDED,
            JUSTERING_2025: ENDED,  # a year before
            JUSTERING: ENDED,
            DELEGATIONSBESLUT: ENDED,
            DETALJPLAN: ENDED,
        },
    ),
}


def swedish(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def front_matter(path: Path) -> dict[str, object]:
    meta: dict[str, object] = yaml.load(path.read_text("utf-8").split("---\n", 2)[1], Yaml12)
    return meta


def test_the_table_follows_the_law_s_dates() -> None:
    """The hand-written table against the dates: up from the day posted through its last day,
    three weeks to appeal, and those dates the ones the example's sources give."""
    for notice in NOTICES:
        meta = front_matter(EXAMPLE / notice.source)
        if notice.group == "sammantraden":
            assert meta["kungorelse"] == {"posted": notice.posted}, notice.source
            assert meta["date"] == notice.up_through, notice.source
            assert notice.up_through - notice.posted >= timedelta(weeks=1)  # KL 5 kap. 13 §
        else:
            posted = meta["anslag"]["posted"] if "anslag" in meta else meta["posted"]  # type: ignore[index]
            assert posted == notice.posted, notice.source
            assert notice.appeal_last_day == notice.posted + timedelta(weeks=3)
            assert notice.appeal_last_day.weekday() < 5  # a weekday before Christmas: not moved
            assert notice.up_through == notice.appeal_last_day
    for name, (day, states) in VISITS.items():
        assert set(states) == set(NOTICES), name
        for notice, state in states.items():
            law = UP if day < notice.posted else CURRENT if day <= notice.up_through else ENDED
            assert state == law, (name, notice.title)
    assert VISITS["the build's day"][0] == BUILT
    assert VISITS["10 days before the build's day"][0] == BUILT - timedelta(days=10)
    assert VISITS["1 day before the build's day"][0] == BUILT - timedelta(days=1)
    assert VISITS["1 day after the build's day"][0] == BUILT + timedelta(days=1)
    assert VISITS["10 days after the build's day"][0] == BUILT + timedelta(days=10)
    last_appeal = max(n.appeal_last_day for n in NOTICES if n.appeal_last_day)
    assert VISITS["after the last day to appeal"][0] > last_appeal


@pytest.fixture(scope="module")
def kommun_board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example kommun built for 7 December 2026: its anslagstavla's page."""
    where = tmp_path_factory.mktemp("kommun-days")
    result = run_build_py(
        "build", "--content", str(EXAMPLE), "--out", str(where / "site"),
        "--cache", str(where / "cache"), "--no-pdf", "--today", BUILT.isoformat(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return where / "site/anslagstavla/index.html"


def key(notice: Notice) -> tuple[str, str]:
    return notice.group, notice.title


def test_the_built_board_carries_the_law_s_dates(kommun_board: Path) -> None:
    """Without JavaScript, the page shows each notice with the table's dates, where the table
    puts it on the build's day."""
    soup = BeautifulSoup(kommun_board.read_text("utf-8"), "html.parser")
    found = {}
    for ul in soup.select("ul.notices[data-state][data-group]"):
        for item in ul.select("li.notice-item"):
            title = item.h4.get_text(" ", strip=True)
            found[(ul["data-group"], title)] = (ul["data-state"], item)
    assert set(found) == {key(n) for n in NOTICES}
    _, states = VISITS["the build's day"]
    for notice in NOTICES:
        state, item = found[key(notice)]
        assert state == states[notice], notice.title
        assert item["data-posted"] == notice.posted.isoformat(), notice.title
        assert item["data-down"] == (notice.up_through + timedelta(days=1)).isoformat()
        if notice.appeal_last_day:
            last = item.find("dt", string="Sista dag att överklaga").find_next("time")
            assert last["datetime"] == notice.appeal_last_day.isoformat(), notice.title


def expected_lists(states: dict[Notice, str]) -> dict[str, list[str]]:
    """The lists a reader sees, "state group": the titles, newest posted first."""
    shown: dict[str, list[str]] = {}
    for state in (CURRENT, ENDED):
        for group in GROUPS:
            here = [n for n in NOTICES if n.group == group and states[n] == state]
            if here:
                newest_first = sorted(here, key=lambda n: n.posted, reverse=True)
                shown[f"{state} {group}"] = [n.title for n in newest_first]
    return shown


def groups_with(states: dict[Notice, str], state: str) -> list[str]:
    """The groups, in the board's order, with a notice in ``state``."""
    return [g for g in GROUPS if any(n.group == g and s == state for n, s in states.items())]


def expected_regions(states: dict[Notice, str]) -> list[str]:
    """The names of the page's regions, in order, each group's Aktuella and Tidigare apart."""
    return [
        "Aktuella anslag", *(f"Aktuella {REGIONS[g]}" for g in groups_with(states, CURRENT)),
        "Så överklagar du ett beslut",
        "Tidigare anslag", *(f"Tidigare {REGIONS[g]}" for g in groups_with(states, ENDED)),
    ]  # fmt: skip


def shown_lists(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The visible lists of notices, "state group": their titles as a reader sees them."""
    found: dict[str, list[str]] = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('ul.notices'))
             .filter(ul => ul.offsetParent !== null && ul.children.length)
             .map(ul => [ul.dataset.state + ' ' + ul.dataset.group,
                         Array.from(ul.querySelectorAll('h4')).map(h => h.innerText)]))"""
    )
    return found


@pytest.mark.parametrize("visit", list(VISITS))
def test_the_board_read_on_another_day(browser, kommun_board: Path, visit: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is installed by ./setup.sh --dev (npm)"
    day, states = VISITS[visit]
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    read_on(page, day.isoformat())  # at noon in Sweden
    page.goto(kommun_board.as_uri())
    # every notice where the table puts it, newest first; one not yet posted is not shown
    assert shown_lists(page) == expected_lists(states)
    for notice, state in states.items():
        item = page.locator(
            f'ul[data-group="{notice.group}"] li.notice-item', has_text=notice.title
        )
        assert item.is_visible() == (state != UP), notice.title
    # the day it says the notices are for, and "none" only where there are none
    assert page.locator("#idag").inner_text() == swedish(day)
    assert page.locator("#idag").get_attribute("datetime") == day.isoformat()
    assert page.locator("#inga-aktuella").is_visible() == (CURRENT not in states.values())
    assert page.locator("#inga-tidigare").is_visible() == (ENDED not in states.values())
    # each region named, and named once
    tree = page.locator("main").aria_snapshot()
    regions = re.findall(r'^\s*- region "(.*)"', tree, re.M)
    assert regions == expected_regions(states)
    assert len(set(regions)) == len(regions)
    # the headings a reader sees are the groups' own, under "Aktuella anslag" and "Tidigare anslag"
    shown = [*groups_with(states, CURRENT), *groups_with(states, ENDED)]
    headings = page.locator(".board-group h3").filter(visible=True).all_inner_texts()
    assert headings == [GROUPS[g] for g in shown]
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
