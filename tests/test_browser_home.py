"""The example kommun's home page, built for 7 December 2026 and read on other days in Chromium:
the notices up on the visitor's day by kind, and the next meetings from that day, as the law's
dates and the meetings' own files say (the hand-written table of test_browser_board_days, and
the kallelser's front matter), not as the page's script computes them; with the logo and the
favicon loaded, each region named once, and nothing found by axe-core."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
import yaml
from conftest import ROOT, Yaml12, build_site
from test_browser_a11y import AXE, axe_violations, read_on
from test_browser_board_days import (
    BUILT,
    CURRENT,
    EXAMPLE,
    GROUPS,
    NOTICES,
    VISITS,
    front_matter,
    swedish,
)

from justerat.app.audit import served

SHOWN = 5  # the next meetings the home page shows (pages.NEXT_MEETINGS)


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example kommun built for its day, served over HTTP."""
    where = tmp_path_factory.mktemp("kommun-home")
    site = build_site(EXAMPLE, where / "site", where / "cache", BUILT.isoformat())
    with served(site) as base:
        yield base


def meetings() -> list[tuple[date, str]]:
    """Every meeting of the example, (day, "Body day") as its kallelse gives it."""
    names = yaml.load((EXAMPLE / "site.yaml").read_text("utf-8"), Yaml12)["bodies"]
    found = []
    for path in sorted((EXAMPLE / "meetings").glob("*/*.md")):
        meta = front_matter(path)
        assert meta["status"] == "planned", path  # the example's are; the oracle assumes it
        day = meta["date"]
        assert isinstance(day, date)
        found.append((day, f"{names[path.parent.name]['name']} {swedish(day)}"))
    return sorted(found)


def expected_notices(states: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    """Each kind with notices up, in the board's order: their titles, newest posted first."""
    shown = {}
    for group in GROUPS:
        here = [n for n in NOTICES if n.group == group and states[n] == CURRENT]
        if here:
            shown[group] = [n.title for n in sorted(here, key=lambda n: n.posted, reverse=True)]
    return shown


def test_the_oracle_has_meetings_on_both_sides_of_the_visits() -> None:
    days = [day for day, _ in meetings()]
    assert min(days) < BUILT < max(days)
    assert any(VISITS[v][0] > max(days) for v in VISITS)  # a visit after every meeting


@pytest.mark.parametrize("visit", list(VISITS))
def test_the_home_page_read_on_another_day(browser, kommun: str, visit: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is installed by ./setup.sh --dev (npm)"
    day, states = VISITS[visit]
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 812})
    page = context.new_page()
    read_on(page, day.isoformat())
    page.goto(kommun)
    # the notices up on the visitor's day, by kind, newest first
    shown: dict[str, list[str]] = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.today ul.notices'))
             .filter(ul => ul.offsetParent !== null && ul.children.length)
             .map(ul => [ul.dataset.group, Array.from(ul.querySelectorAll('li.notice-line'))
                 .map(li => li.firstElementChild.innerText)]))"""
    )
    assert shown == expected_notices(states)
    headings = page.locator(".today .board-group h3").filter(visible=True).all_inner_texts()
    assert headings == [GROUPS[g] for g in expected_notices(states)]
    none_up = page.locator('[data-none="current"]')
    assert none_up.is_visible() == (CURRENT not in states.values())
    assert page.locator("time[data-today]").inner_text() == swedish(day)
    # the next meetings from the visitor's day, soonest first, at most five
    coming = [name for when, name in meetings() if when >= day][:SHOWN]
    listed = page.locator(".next-meetings li").filter(visible=True)
    assert [t.split("\n")[0] for t in listed.all_inner_texts()] == coming
    assert page.locator('[data-none="meetings"]').is_visible() == (not coming)
    # the logo drawn, with the kommun's name as its text
    logo = page.locator("header img.logo")
    assert logo.get_attribute("alt") == "Ådala kommun"
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    # each region named, and named once
    regions = re.findall(r'^\s*- region "(.*)"', page.locator("main").aria_snapshot(), re.M)
    assert len(set(regions)) == len(regions)
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_the_favicon_and_touch_icon_are_served(browser, kommun: str) -> None:  # type: ignore[no-untyped-def]
    """Every icon the pages link is there, as the browser asks for it (no 404 for
    /favicon.ico), with the bytes of the file the build wrote."""
    context = browser.new_context()
    page = context.new_page()
    read_on(page, BUILT.isoformat())
    page.goto(kommun + "protokoll/")
    links = page.eval_on_selector_all(
        'link[rel="icon"], link[rel="apple-touch-icon"]', "links => links.map(l => l.href)"
    )
    assert len(links) == 3
    for address in [*links, kommun + "favicon.ico"]:
        response = page.request.get(address)
        assert response.status == 200, address
        assert response.headers["content-type"].startswith("image/"), address
        assert len(response.body()) > 100, address
    context.close()


def test_the_example_site_yaml_uses_every_identity_field() -> None:
    meta = yaml.load((EXAMPLE / "site.yaml").read_text("utf-8"), Yaml12)
    assert {"logo", "favicon", "accent", "website"} <= set(meta)
    assert (ROOT / "examples/kommun" / meta["logo"]).is_file()
