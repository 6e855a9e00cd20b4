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
    page.goto((built_on_sept_21 / "anslagstavla/index.html").as_uri())
    assert page.locator("#aktuella li").count() == 0
    assert page.locator("#tidigare li").count() == 1
    assert not page.locator("#kommande li").first.is_visible()
    assert page.locator("#idag").inner_text() == "21 september 2023"
    context.close()
