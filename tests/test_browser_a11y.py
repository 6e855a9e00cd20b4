"""What a reader meets, in a real browser (Debian's Chromium via Playwright): axe-core finds
no violations on any page type, the Nu Html Checker finds no errors, everything is reachable by
keyboard, text reflows at 320 px, and search leads to the right paragraph."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, run_build_py

from justerat.app.audit import served

AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
SAMPLE_TODAY = "2023-09-25"  # the day the sample is built for: a notice is up
SWEDEN = ZoneInfo("Europe/Stockholm")

PAGE_TYPES = {
    "start page": "",
    "body listing": "protokoll/styrelsen/",
    "year listing": "protokoll/styrelsen/2023/",
    "protocol": "protokoll/styrelsen/2023-09-13/",
    "protocol with acknowledgement": "protokoll/styrelsen/2022-05-11/",
    "anslagsbevis": "protokoll/styrelsen/2023-09-13/anslagsbevis/",
    "notice board": "anslagstavla/",
    "plans": "planer/",
    "plan": "planer/verksamhetsplan-2019/",
    "search": "sok/?q=arbetsträning",
    "accessibility statement": "tillganglighet/",
    "open data": "oppna-data/",
    "not found": "404.html",
    "sammanträdesplan": "sammantraden/",
    "body's sammanträdesplan": "sammantraden/styrelsen/",
    "kallelse after the meeting": "sammantraden/styrelsen/2023-09-13/",
    "kallelse before the meeting": "sammantraden/styrelsen/2026-12-09/",
}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive, built on a day a notice is up."""
    out = tmp_path_factory.mktemp("a11y") / "site"
    result = run_build_py("build", "--out", str(out), "--today", SAMPLE_TODAY)
    assert result.returncode == 0, result.stderr
    return out


def serve(folder: Path) -> Iterator[str]:
    """A built site served over HTTP on loopback, while the generator runs (as granska
    serves it)."""
    with served(folder) as url:
        yield url


@pytest.fixture(scope="module")
def served_site(built_site: Path) -> Iterator[str]:
    """The built archive served over HTTP on loopback."""
    yield from serve(built_site)


def read_on(page, day: str) -> None:  # type: ignore[no-untyped-def]
    """The page's clock at noon in Sweden on ``day``, whatever the machine's date says: the
    anslagstavla's script sorts its notices by the reader's day."""
    page.clock.set_fixed_time(datetime.fromisoformat(day).replace(hour=12, tzinfo=SWEDEN))


def open_page(browser, url: str, day: str, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    """A new tab at ``url``, read on ``day`` (the day its site was built for)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    page = context.new_page()
    read_on(page, day)
    page.goto(url)
    if "sok/?" in url:
        page.wait_for_function(
            "() => document.getElementById('status').textContent.includes('träff')"
        )
    return context, page


def axe_violations(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """What axe-core finds wrong on the page, by rule."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, object]] = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return found


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_violations(browser, served_site: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is installed by ./setup.sh --dev (npm)"
    context, page = open_page(browser, served_site + PAGE_TYPES[kind], SAMPLE_TODAY)
    result = axe_violations(page)
    context.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


def nu_errors(java: str, pages: list[str]) -> str:
    """The Nu Html Checker's errors on the pages (empty: none)."""
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    clean = result.returncode == 0 and "error" not in output.replace("No errors found", "")
    return "" if clean else output


def test_nu_html_checker_finds_no_errors(built_site: Path) -> None:
    assert VNU.is_file(), "vnu-jar is installed by ./setup.sh --dev (npm)"
    java = shutil.which("java")
    assert java, "Java is installed by ./setup.sh --dev"
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    # every kind of page is among those checked
    for path in PAGE_TYPES.values():
        address = path.partition("?")[0]
        file = address if address.endswith(".html") else address + "index.html"
        assert str(built_site / file) in pages, file
    assert nu_errors(java, pages) == ""


def focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("() => (document.activeElement.innerText || '').trim()")


def tab_to(page, text: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"no focusable element reads {text!r}")


def test_body_year_protocol_anslagsbevis_by_keyboard_only(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_site, SAMPLE_TODAY)
    page.keyboard.press("Tab")
    assert focused(page) == "Hoppa till innehållet"  # the skip link comes first
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "innehall"
    tab_to(page, "Styrelsen")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/")
    tab_to(page, "2023")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/2023/")
    tab_to(page, "13 september 2023")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/2023-09-13/")
    tab_to(page, "Anslagsbevis")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/2023-09-13/anslagsbevis/")
    assert page.locator("h1").inner_text().startswith("Anslagsbevis")
    context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_horizontal_scroll_on_a_phone_or_a_desktop(
    browser, served_site: str, width: int
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    read_on(page, SAMPLE_TODAY)
    for path in PAGE_TYPES.values():
        page.goto(served_site + path)
        scroll, shown = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        assert shown <= width and scroll <= shown, f"/{path} is {scroll} px wide at {width} px"
    context.close()


# the paragraph headings of the protocol's source, as a reader should find them on its page
PROTOCOL_SOURCE = ROOT / "content/protocols/styrelsen/2023-09-13.md"
PROTOCOL_HEADINGS = re.findall(r"^## (§ \d+ \S.*?)\s*$", PROTOCOL_SOURCE.read_text("utf-8"), re.M)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_protocol_page_shows_its_title_and_every_paragraph_heading(
    browser,  # type: ignore[no-untyped-def]
    served_site: str,
    width: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The protocol page at a phone's and a desktop's width: the title and every § heading of
    the source are on the screen, whole and uncovered, when scrolled to. A screenshot of each
    is kept in pytest's temporary folder (the test prints where) for a person to look at."""
    context, page = open_page(
        browser, served_site + PAGE_TYPES["protocol"], SAMPLE_TODAY, width=width
    )
    title = page.locator("main h1")
    assert title.is_visible()
    assert " ".join(title.inner_text().split()) == "Styrelsen 13 september 2023"
    headings = page.locator("main section.paragraph > h2")
    assert [" ".join(t.split()) for t in headings.all_inner_texts()] == PROTOCOL_HEADINGS
    for heading in [title, *headings.all()]:
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        seen = heading.evaluate(
            """h => {
                const box = h.getBoundingClientRect();
                const x = box.left + Math.min(box.width, 20) / 2, y = box.top + box.height / 2;
                const top = document.elementFromPoint(x, y);
                // a pixel's slack: scrolled to, a heading at the fold may end a fraction of
                // a pixel below it (the browser rounds what "completely visible" means)
                return box.left >= 0 && box.right <= window.innerWidth
                    && box.top >= 0 && box.bottom <= window.innerHeight + 1
                    && top !== null && h.contains(top);
            }"""
        )
        assert seen, f"{heading.inner_text()!r} is cut off or covered at {width} px"
    screenshot = tmp_path_factory.mktemp("screenshots") / f"protokoll-{width}px.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")
    context.close()


def searched(page) -> str:  # type: ignore[no-untyped-def]
    """The search page's status once its search has answered (a count of hits, none, or that
    the index could not be loaded), as the reader sees it."""
    answered = "() => { const s = document.getElementById('status').textContent; "
    answered += "return s !== '' && !s.startsWith('Söker'); }"
    page.wait_for_function(answered, timeout=60_000)
    return str(page.locator("#status").inner_text())


def test_search_leads_to_the_right_paragraph(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_site + "sok/", SAMPLE_TODAY)
    page.get_by_label("Sökord").fill("Medelstilldelning")  # the title of § 6, 13 September 2023
    page.keyboard.press("Enter")
    assert "träff" in searched(page)
    hit = page.locator("#traffar a", has_text="§ 6 Medelstilldelning 2024").first
    hit.click()
    page.wait_for_url("**/protokoll/styrelsen/2023-09-13/#paragraf-6")
    section = page.locator("#paragraf-6")
    assert "Medelstilldelning 2024" in section.locator("h2").inner_text()
    assert section.is_visible()
    context.close()


def test_a_search_typed_before_the_index_arrives_is_answered(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    """A reader on a slow line types and presses Enter while the index is still loading: the
    page loads the index once, answers the newest search and is not blanked by the empty search
    it started with (the race CI once lost)."""
    context, page = open_page(browser, served_site + "sok/", SAMPLE_TODAY)
    held = []
    page.route("**/sok/index/manifest.json", lambda route: held.append(route))
    page.reload()
    page.get_by_label("Sökord").fill("Medelstilldelning")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    for route in held:
        route.continue_()
    assert "träff" in searched(page)
    assert len(held) == 1
    years = page.locator("#ar option").all_inner_texts()
    assert len(years) == len(set(years)), years
    page.wait_for_timeout(500)  # an older search that answers late must not blank the answer
    assert "träff" in page.locator("#status").inner_text()
    context.close()


def test_search_filters_by_document_type(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(
        browser, served_site + "sok/?q=budget&typ=Plan+och+budget", SAMPLE_TODAY
    )
    assert "träff" in searched(page)
    titles = page.locator("#traffar > li h2").all_inner_texts()
    assert titles == ["Mål, budget och verksamhetsplan 2019"]
    assert page.locator("#typ").input_value() == "Plan och budget"
    assert set(page.locator("#ar option").all_inner_texts()) >= {"Alla år", "2019", "2022", "2023"}
    context.close()


def test_copy_link_puts_the_paragraph_address_on_the_clipboard(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    read_on(page, SAMPLE_TODAY)
    page.goto(served_site + PAGE_TYPES["protocol"])
    button = page.locator('button.copy-link[data-anchor="paragraf-4"]')
    assert button.inner_text() == "Kopiera länk till §\u00a04"
    button.click()
    page.wait_for_function(
        "() => document.querySelector('button[data-anchor=\"paragraf-4\"]').textContent"
        " === 'Länken är kopierad'"
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == (
        served_site + PAGE_TYPES["protocol"] + "#paragraf-4"
    )
    context.close()


def test_start_meetings_kallelse_protocol_paragraph_by_keyboard_only(
    browser, served_site: str
) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_site, SAMPLE_TODAY)
    tab_to(page, "Sammanträden")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "sammantraden/")
    tab_to(page, "Styrelsen 13 september 2023")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "sammantraden/styrelsen/2023-09-13/")
    assert page.locator("h1").inner_text() == "Styrelsen 13 september 2023"
    tab_to(page, "Protokollet från sammanträdet")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/2023-09-13/")
    page.go_back()
    page.wait_for_url(served_site + "sammantraden/styrelsen/2023-09-13/")
    tab_to(page, "Beslut: § 6 i protokollet")
    page.keyboard.press("Enter")
    page.wait_for_url(served_site + "protokoll/styrelsen/2023-09-13/#paragraf-6")
    heading = page.locator("#paragraf-6 h2")
    assert heading.inner_text() == "§\u00a06 Medelstilldelning 2024"
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled to the paragraph
    context.close()


# --- the example kommun: the kinds of notice and page a kommun's board adds ------------------

KOMMUN_TODAY = "2026-12-07"  # the day examples/kommun/SOURCES.md names: every kind is up
KOMMUN_PAGES = {
    "kommun's home page": "",
    "författningssamling's register": "forfattningssamling/",
    "föreskrift replacing an earlier one": "forfattningssamling/2026-1/",
    "kommun's notice board": "anslagstavla/",
    "kungörelse": "sammantraden/kommunfullmaktige/2026-12-14/kungorelse/",
    "kallelse with handlingar": "sammantraden/kommunfullmaktige/2026-11-16/",
    "delegationsbeslut": "anslag/2026/bidrag-till-bastu-i-bjorkhage/",
    "delegationsbeslut's anslagsbevis": "anslag/2026/bidrag-till-bastu-i-bjorkhage/anslagsbevis/",
    "plan- och bygglagen notice": "anslag/2026/antagande-upphavande-detaljplan-bjorkhage/",
    "kommun's sammanträdesplan": "sammantraden/",
    "protocol with a vote, jäv and a reservation": "protokoll/kommunfullmaktige/2026-11-16/",
    "person's page": "ledamoter/karin-wester/",
    "index of people": "ledamoter/",
}


@pytest.fixture(scope="module")
def kommun_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kommun") / "site"
    result = run_build_py(
        "build",
        "--content",
        str(ROOT / "examples/kommun"),
        "--out",
        str(out),
        "--today",
        KOMMUN_TODAY,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def served_kommun(kommun_site: Path) -> Iterator[str]:
    yield from serve(kommun_site)


@pytest.mark.parametrize("kind", sorted(KOMMUN_PAGES))
def test_axe_finds_no_violations_on_a_kommuns_pages(browser, served_kommun: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, served_kommun + KOMMUN_PAGES[kind], KOMMUN_TODAY)
    result = axe_violations(page)
    context.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


def test_nu_html_checker_finds_no_errors_on_a_kommuns_pages(kommun_site: Path) -> None:
    java = shutil.which("java")
    assert java, "Java is installed by ./setup.sh --dev"
    pages = sorted(str(p) for p in kommun_site.rglob("*.html"))
    for path in KOMMUN_PAGES.values():
        assert str(kommun_site / path / "index.html") in pages, path
    assert nu_errors(java, pages) == ""


def test_a_dnr_reads_as_diarienummer_on_a_phone(browser, served_kommun: str) -> None:  # type: ignore[no-untyped-def]
    """The example kommun's § 134 states "Dnr KS 2026/91": under the § heading, "Dnr" to the
    eye and "Diarienummer" to a screen reader, whole at 375 px."""
    url = served_kommun + "protokoll/kommunfullmaktige/2026-11-16/"
    context, page = open_page(browser, url, KOMMUN_TODAY, width=375, height=800)
    dnr = page.locator("#paragraf-134 .dnr")
    spoken = " ".join(dnr.aria_snapshot().split())
    assert "Diarienummer KS 2026/91" in spoken and "Dnr" not in spoken
    # seen: "Dnr" and the number on one line right under the heading, inside the screen
    shown = page.locator("#paragraf-134 .dnr abbr"), page.locator("#paragraf-134 .dnr-number")
    assert (shown[0].inner_text(), shown[1].inner_text()) == ("Dnr", "KS 2026/91")
    first, number = (each.bounding_box() for each in shown)
    heading = page.locator("#paragraf-134-rubrik").bounding_box()
    assert heading and first and number
    assert abs(first["y"] - number["y"]) < 2 and first["x"] < number["x"]
    assert first["y"] >= heading["y"] + heading["height"]
    assert number["x"] + number["width"] <= 375
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert wide <= 375
