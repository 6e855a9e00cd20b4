"""The anslagstavla corrects itself by the visitor's date, in a real browser (Chromium)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_build_py

SWEDEN = ZoneInfo("Europe/Stockholm")


@pytest.fixture(scope="module")
def built_on_sept_21(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built on 21 September 2023, the day before the 2023 notice went up."""
    out = tmp_path_factory.mktemp("board") / "site"
    result = run_build_py("build", "--out", str(out), "--today", "2023-09-21")
    assert result.returncode == 0, result.stderr
    return out


def lists(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => Object.fromEntries(['aktuella', 'kommande', 'tidigare'].map(id => [id,
             Array.from(document.getElementById(id).querySelectorAll('li'))
                  .map(li => li.dataset.posted)]))"""
    )


@pytest.mark.parametrize(
    ("visited", "current", "ended", "shown_day"),
    [
        (datetime(2023, 9, 21, 12), [], ["2022-05-20"], "21 september 2023"),
        (datetime(2023, 9, 22, 8), ["2023-09-22"], ["2022-05-20"], "22 september 2023"),
        (datetime(2023, 10, 16, 9), [], ["2023-09-22", "2022-05-20"], "16 oktober 2023"),
        # 23:30 on 15 October in Sweden is still the 15th there, though the 15th is over in UTC+3
        (datetime(2023, 10, 15, 23, 30), ["2023-09-22"], ["2022-05-20"], "15 oktober 2023"),
    ],
)
def test_board_moves_notices_by_the_visitors_date(
    browser,
    built_on_sept_21: Path,
    visited: datetime,
    current: list[str],
    ended: list[str],
    shown_day: str,
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(timezone_id="Europe/Istanbul")
    page = context.new_page()
    page.clock.set_fixed_time(visited.replace(tzinfo=SWEDEN))
    page.goto((built_on_sept_21 / "anslagstavla/index.html").as_uri())
    found = lists(page)
    assert found["aktuella"] == current
    assert found["tidigare"] == ended
    assert page.locator("#idag").inner_text() == shown_day
    assert page.locator("#inga-aktuella").is_visible() == (not current)
    if current:
        assert page.locator("#aktuella li").first.is_visible()
    context.close()


def test_without_javascript_the_built_day_stands(browser, built_on_sept_21: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # read on a day the script would move the 2023 notice up, had it run
    page.clock.set_fixed_time(datetime(2023, 9, 25, 12, tzinfo=SWEDEN))
    page.goto((built_on_sept_21 / "anslagstavla/index.html").as_uri())
    assert page.locator("#aktuella li").count() == 0
    assert page.locator("#tidigare li").count() == 1
    assert not page.locator("#kommande li").first.is_visible()
    assert page.locator("#idag").inner_text() == "21 september 2023"
    context.close()


@pytest.fixture(scope="module")
def every_kind_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a kungörelse of a fullmäktige meeting, a delegationsbeslut and a notice
    that stays up until a day is written, built on 31 March 2026 (none of them up yet)."""
    import shutil

    from conftest import ROOT

    base = tmp_path_factory.mktemp("kinds")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    settings = content / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            "bodies:\n", "bodies:\n  kf:\n    name: Kommunfullmäktige\n    kind: fullmaktige\n", 1
        ),
        "utf-8",
    )
    (content / "meetings/kf").mkdir(parents=True)
    (content / "meetings/kf/2026-04-13.md").write_text(
        "---\norgan: kf\ndate: 2026-04-13\ntime: '18.30'\nplace: Sessionssalen\nstatus: planned\n"
        "kungorelse:\n  posted: 2026-04-03\nitems:\n  - title: Budget\n---\n",
        "utf-8",
    )
    (content / "notices/2026").mkdir(parents=True)
    (content / "notices/2026/medel.md").write_text(
        "---\nkind: delegationsbeslut\nstatus: published\ntitle: Medel\nissuer: styrelsen\n"
        "posted: 2026-04-01\ndecided: 2026-03-30\n---\n",
        "utf-8",
    )
    (content / "notices/2026/fordon.md").write_text(
        "---\nkind: flyttning-av-fordon\nstatus: published\ntitle: Flyttade fordon\n"
        "issuer: Tekniska kontoret\nposted: 2026-04-02\n---\n",
        "utf-8",
    )
    out = base / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--no-pdf", "--today", "2026-03-31"
    )
    assert result.returncode == 0, result.stderr
    return out


def grouped(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The visible notices' titles by group and state, as a reader sees them."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('ul.notices'))
             .filter(ul => ul.offsetParent !== null && ul.children.length)
             .map(ul => [ul.dataset.state + ' ' + ul.dataset.group,
                         Array.from(ul.querySelectorAll('h4')).map(h => h.innerText)]))"""
    )


@pytest.mark.parametrize(
    ("visited", "expected"),
    [
        (datetime(2026, 3, 31, 12), {}),
        (
            datetime(2026, 4, 8, 12),
            {
                "current sammantraden": ["Kommunfullmäktige – sammanträde 13 april 2026"],
                "current delegationsbeslut": ["Medel"],
                "current ovriga": ["Flyttade fordon"],
            },
        ),
        (
            # after the meeting, and after the delegationsbeslut's appeal period (last day
            # 22 April); the notice without a day to come down stays up
            datetime(2026, 4, 23, 12),
            {
                "ended sammantraden": ["Kommunfullmäktige – sammanträde 13 april 2026"],
                "ended delegationsbeslut": ["Medel"],
                "current ovriga": ["Flyttade fordon"],
            },
        ),
    ],
)
def test_every_kind_moves_by_the_visitors_date(
    browser, every_kind_built: Path, visited: datetime, expected: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(visited.replace(tzinfo=SWEDEN))
    page.goto((every_kind_built / "anslagstavla/index.html").as_uri())
    found = grouped(page)
    found.pop("ended justeringar", None)  # the sample's protocols, long down
    assert found == expected
    assert page.locator("#inga-aktuella").is_visible() == (not expected)
    context.close()
