"""A protocol page leads with its decisions: the list of §§ comes before the attendee lists,
which sit in a closed <details> ("Närvarande"), so that on a phone (375 × 667 px) the first §'s
heading is within the first two screens. Checked in Debian's Chromium on the example kommun's
longest kommunfullmäktige protocol, with axe-core finding nothing on the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from lxml import html
from test_browser_a11y import AXE, axe_violations, open_page

from justerat.app.audit import served

EXAMPLE = ROOT / "examples" / "kommun"
TODAY = "2026-12-07"
SCREEN = {"width": 375, "height": 667}


def _longest() -> str:
    """The address of the example kommun's longest kommunfullmäktige protocol."""
    files = (EXAMPLE / "protocols" / "kommunfullmaktige").glob("*.md")
    longest = max(files, key=lambda f: (f.stat().st_size, f.name))
    return f"protokoll/kommunfullmaktige/{longest.stem}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("first")
    return build_site(EXAMPLE, where / "site", where / "cache", TODAY)


@pytest.fixture(scope="module")
def served_site(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


def test_the_list_of_paragraphs_comes_before_the_attendee_lists(site: Path) -> None:
    page = html.parse(str(site / _longest() / "index.html"))
    article = page.xpath("//article[contains(@class, 'protocol')]")[0]
    order = [e for e in article.iter() if e.get("id") == "innehall-rubrik" or e.tag == "details"]
    assert [e.tag for e in order] == ["h2", "details"]  # the list of §§, then the attendees
    details = order[1]
    assert details.get("open") is None  # closed: the page leads with its decisions
    assert " ".join(details.xpath("summary")[0].text_content().split()) == "Närvarande"
    headings = [h.text_content().strip() for h in details.xpath(".//h3")]
    assert headings[0] == "Beslutande"
    assert details.xpath(".//h3[.='Beslutande']/following-sibling::*[1]//li")  # the names


def test_the_first_paragraph_is_within_two_screens_on_a_phone(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_site + _longest(), TODAY, **SCREEN)
    first = page.eval_on_selector("nav.toc a", "a => a.getAttribute('href')")
    top = page.eval_on_selector(
        first,
        """section => {
            const heading = section.matches('h1, h2, h3') ? section
                : section.querySelector('h2, h3');
            return heading.getBoundingClientRect().top + window.scrollY;
        }""",
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert top < 2 * SCREEN["height"], top
    assert width <= SCREEN["width"]


def test_printing_opens_the_attendee_lists(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_site + _longest(), TODAY, **SCREEN)
    assert page.eval_on_selector("details.attendance", "d => d.open") is False
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.eval_on_selector("details.attendance", "d => d.open") is True
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector("details.attendance", "d => d.open") is False
    context.close()


@pytest.mark.parametrize("attendees", ["closed", "open"])
def test_axe_finds_nothing_on_the_protocol_page(browser, served_site: str, attendees: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is installed by ./setup.sh --dev (npm)"
    context, page = open_page(browser, served_site + _longest(), TODAY, **SCREEN)
    if attendees == "open":
        page.click("details.attendance > summary")
        assert page.eval_on_selector("details.attendance", "d => d.open") is True
    result = axe_violations(page)
    context.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)
