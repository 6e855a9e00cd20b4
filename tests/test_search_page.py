"""The search page (docs/search.md, section 6) in a real browser (Debian's Chromium via
Playwright), on the example kommun built with ``--no-pdf`` and its own index (``sok/index/``):

- a hit leads to its unit: a § of a protocol, an ärende of a kallelse, a notice;
- the count is exact and the list holds what it counts, ten documents at a time ("Visa fler");
- the query and the filters live in the address; back and forward restore the search;
- a word no unit holds says "Inga träffar" and, apart from the results, "Menade du …?";
- only the newest search answers, on one index opened once;
- without JavaScript the page links to the archive's lists, and the header's search box still
  leads here;
- axe-core finds nothing, with results on the page or none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, build_site
from test_browser_a11y import AXE, axe_violations, read_on, serve

EXAMPLE = ROOT / "examples" / "kommun"
TODAY = "2026-12-07"  # the day the example kommun is made for (examples/kommun/SOURCES.md)
PROTOCOL = "protokoll/kommunfullmaktige/2026-11-16/"
NOTICE = "anslag/2026/bidrag-till-bastu-i-bjorkhage/"
KALLELSE = "sammantraden/kommunstyrelsen/2026-12-08/"
COUNT = re.compile(r"^(\d+) (träff|träffar) i (\d+) dokument$")
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
SWEDISH_DATE = re.compile(rf"\b([1-9]|[12]\d|3[01]) ({MONTHS}) \d{{4}}\b")


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("sok")
    return build_site(EXAMPLE, where / "site", where / "cache", TODAY)


@pytest.fixture(scope="module")
def site(kommun: Path) -> Iterator[str]:
    yield from serve(kommun)


def tab(browser, url: str, width: int = 1280, javascript: bool = True):  # type: ignore[no-untyped-def]
    """A new tab at ``url`` on the example's day."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE", java_script_enabled=javascript
    )
    page = context.new_page()
    read_on(page, TODAY)
    if url:
        page.goto(url)
    return context, page


def answered(page) -> str:  # type: ignore[no-untyped-def]
    """The status once the page's search has answered, as the reader sees it."""
    page.wait_for_function(
        """() => { const s = document.getElementById('status').textContent;
                   return s !== '' && !s.startsWith('Söker'); }""",
        timeout=60_000,
    )
    status = str(page.locator("#status").inner_text())
    assert COUNT.match(status) or status.startswith("Inga träffar"), status
    return status


def search(page, query: str) -> str:  # type: ignore[no-untyped-def]
    """Type ``query`` into the page's own search box and press Enter; the status it answers."""
    before = page.url
    page.get_by_label("Sökord").fill(query)
    page.get_by_label("Sökord").press("Enter")
    if query.strip():
        page.wait_for_function("(before) => location.href !== before", arg=before)
    return answered(page)


def counted(status: str) -> tuple[int, int]:
    """(units, documents) that the status counts."""
    found = COUNT.match(status)
    assert found, status
    units, word, documents = int(found[1]), found[2], int(found[3])
    assert word == ("träff" if units == 1 else "träffar"), status
    return units, documents


def results(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The documents listed, each with its link, meta line and units (link, title, marks)."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => Array.from(document.querySelectorAll('#traffar > li')).map(li => ({
            title: li.querySelector('h2 a').textContent,
            href: li.querySelector('h2 a').href,
            meta: (li.querySelector('.meta') || {}).textContent || '',
            units: Array.from(li.querySelectorAll('.units > li')).map(u => ({
                title: u.querySelector('a').textContent,
                href: u.querySelector('a').href,
                marks: Array.from(u.querySelectorAll('mark')).map(m => m.textContent),
            })),
        }))"""
    )
    return found


def everything(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every document of the search, "Visa fler" pressed until it is gone."""
    while page.locator("#fler").is_visible():
        shown = page.locator("#traffar > li").count()
        page.locator("#fler").click()
        page.wait_for_function(
            "(n) => document.querySelectorAll('#traffar > li').length > n", arg=shown
        )
    return results(page)


def day(meta: str) -> str:
    """The ISO date that a result's meta line shows in Swedish ("16 november 2026")."""
    found = SWEDISH_DATE.search(meta)
    assert found, meta
    month = MONTHS.split("|").index(found[2]) + 1
    return f"{found[0].split()[-1]}-{month:02d}-{int(found[1]):02d}"


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["title"] for r in results(page)]


def test_the_site_has_its_own_index(kommun: Path) -> None:
    manifest = json.loads((kommun / "sok/index/manifest.json").read_text("utf-8"))
    assert manifest["units"] > 0
    assert "Kommunstyrelsen" in manifest["filters"]["organ"]
    html = (kommun / "sok/index.html").read_text("utf-8")
    assert "data-index=" in html and "pagefind" not in html
    assert re.search(r'src="[./]*assets/sok-index\.[0-9a-f]{12}\.js"', html)


def test_a_hit_leads_to_its_paragraph(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/")
    units, documents = counted(search(page, "Räddningstjänsten"))
    hits = [u for r in results(page) for u in r["units"] if u["href"].startswith(site + PROTOCOL)]
    paragraph = next(u for u in hits if "Handlingsprogram" in u["title"])
    assert paragraph["href"] == site + PROTOCOL + "#paragraf-136", paragraph
    assert any(m.casefold().startswith("räddningstjänst") for m in paragraph["marks"]), paragraph
    protocol = next(r for r in results(page) if r["href"] == site + PROTOCOL)
    assert protocol["title"] == "Kommunfullmäktige 16 november 2026"
    assert "Protokoll" in protocol["meta"] and "16 november 2026" in protocol["meta"]
    page.get_by_role("link", name=paragraph["title"], exact=True).first.click()
    page.wait_for_url(site + PROTOCOL + "#paragraf-136")
    target = page.locator("#paragraf-136")
    assert target.evaluate("e => e.tagName") == "SECTION"
    assert "paragraph" in (target.get_attribute("class") or "")
    assert target.locator("h2").inner_text().startswith("§\u00a0136 Handlingsprogram")
    heading = target.locator("h2").bounding_box()
    assert heading is not None and 0 <= heading["y"] < 900  # scrolled to the paragraph
    context.close()


def test_bastu_finds_the_delegationsbeslut(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=bastu")
    answered(page)
    notice = next(r for r in results(page) if r["href"] == site + NOTICE)
    assert notice["title"] == "Bidrag till bastu i Björkhage"
    assert "Anslag" in notice["meta"] and SWEDISH_DATE.search(notice["meta"]), notice["meta"]
    assert notice["units"], notice
    assert notice["units"][0]["href"] == site + NOTICE  # the notice's own page: no "#"
    marks = [m for u in notice["units"] for m in u["marks"]]
    assert marks and all(m.casefold().startswith("bastu") for m in marks), marks
    # the marked words are text in <mark>, never markup
    assert page.locator("#traffar mark").first.evaluate("m => m.children.length") == 0
    context.close()


def test_a_kallelses_arende_is_found(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=F%C3%B6reningsledarstipendium")
    answered(page)
    assert page.get_by_label("Sökord").input_value() == "Föreningsledarstipendium"
    kallelse = next(r for r in results(page) if r["href"] == site + KALLELSE)
    assert "Kallelse" in kallelse["meta"] and "8 december 2026" in kallelse["meta"]
    assert [u["href"] for u in kallelse["units"]] == [site + KALLELSE + "#arende-5"], kallelse
    assert kallelse["units"][0]["title"] == "Föreningsledarstipendium 2026"
    assert kallelse["units"][0]["marks"] == ["Föreningsledarstipendium"]
    page.locator(f'#traffar a[href="{site + KALLELSE}#arende-5"]').click()
    page.wait_for_url(site + KALLELSE + "#arende-5")
    assert page.locator("#arende-5 h3").inner_text() == "Föreningsledarstipendium 2026"
    context.close()


def test_the_count_is_what_the_list_holds(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/")
    for query in ("bastu", "kommun", "Räddningstjänsten"):
        units, documents = counted(search(page, query))
        listed = everything(page)
        assert len(listed) == documents, query
        assert sum(len(r["units"]) for r in listed) == units, query
        assert len({r["href"] for r in listed}) == documents  # each document once
    context.close()


def test_one_hit_is_counted_in_the_singular(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=bastu")  # only the delegationsbeslut says it
    assert answered(page) == "1 träff i 1 dokument"
    assert len(results(page)) == 1
    context.close()


def test_more_than_ten_documents_come_ten_at_a_time(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=kommun")
    status = answered(page)
    units, documents = counted(status)
    assert documents > 10  # the example holds more than ten documents with "kommun…"
    assert page.locator("#traffar > li").count() == 10
    more = page.get_by_role("button", name="Visa fler")
    assert more.is_visible()
    first_ten = titles(page)
    more.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_function("() => document.querySelectorAll('#traffar > li').length > 10")
    assert page.locator("#traffar > li").count() == min(20, documents)
    assert titles(page)[:10] == first_ten  # appended, not replaced
    # the focus is on the first new result's link, not lost with the button
    eleventh = page.locator("#traffar > li").nth(10).locator("h2 a")
    assert eleventh.evaluate("a => a === document.activeElement")
    assert more.is_visible() == (documents > 20)
    assert page.locator("#status").inner_text() == status  # the count stays
    context.close()


def test_back_and_forward_restore_the_search(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/")
    search(page, "bastu")
    bastu, bastu_status = titles(page), page.locator("#status").inner_text()
    search(page, "Räddningstjänsten")
    rescue, rescue_status = titles(page), page.locator("#status").inner_text()
    assert bastu != rescue
    page.go_back()
    page.wait_for_url("**/sok/?q=bastu")
    page.wait_for_function(
        "(s) => document.getElementById('status').textContent === s", arg=bastu_status
    )
    assert titles(page) == bastu
    assert page.get_by_label("Sökord").input_value() == "bastu"
    page.go_forward()
    page.wait_for_function(
        "(s) => document.getElementById('status').textContent === s", arg=rescue_status
    )
    assert titles(page) == rescue
    assert page.get_by_label("Sökord").input_value() == "Räddningstjänsten"
    page.go_back()
    page.go_back()  # the empty page the reader started from
    page.wait_for_url(site + "sok/")
    page.wait_for_function("() => document.getElementById('status').textContent === ''")
    assert page.locator("#traffar > li").count() == 0
    assert page.get_by_label("Sökord").input_value() == ""
    context.close()


def test_a_filter_narrows_the_results(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/")
    # the filters are there to choose before the first search
    page.wait_for_function("() => document.querySelectorAll('#organ option').length > 1")
    assert page.locator("#status").inner_text() == ""
    _, everywhere = counted(search(page, "kommun"))
    every = {r["href"] for r in everything(page)}
    organs = page.locator("#organ option").all_inner_texts()
    assert organs[0] == "Alla organ" and "Kommunstyrelsen" in organs
    assert len(organs) == len(set(organs))  # each body once
    for name in ("ar", "typ"):
        options = page.locator(f"#{name} option").all_inner_texts()
        assert len(options) > 1 and len(options) == len(set(options)), options
    page.get_by_label("Organ").select_option("Kommunstyrelsen")
    page.get_by_role("button", name="Sök", exact=True).last.click()
    page.wait_for_url("**/sok/?q=kommun&organ=Kommunstyrelsen")
    _, narrowed = counted(answered(page))
    listed = everything(page)
    assert 0 < narrowed < everywhere
    assert {r["href"] for r in listed} < every
    assert all("Kommunstyrelsen" in r["meta"] for r in listed), [r["meta"] for r in listed]
    assert all(site + PROTOCOL != r["href"] for r in listed)  # fullmäktige's protocol is out
    context.close()
    # a link to the filtered search gives the same, with the form showing the filter
    context, page = tab(browser, site + "sok/?q=kommun&organ=Kommunstyrelsen")
    assert counted(answered(page))[1] == narrowed
    assert page.get_by_label("Organ").input_value() == "Kommunstyrelsen"
    context.close()


def test_newest_first_orders_by_date(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=kommun&typ=Protokoll&ordning=nyast")
    answered(page)
    assert page.get_by_label("Ordning").input_value() == "nyast"
    assert page.get_by_label("Dokumenttyp").input_value() == "Protokoll"
    listed = everything(page)
    assert listed and all("Protokoll" in r["meta"] for r in listed)
    days = [day(r["meta"]) for r in listed]
    assert days == sorted(days, reverse=True), days
    context.close()


def test_a_word_no_unit_holds_says_so_and_offers_words(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/")
    status = search(page, "zqxjkvw")
    assert status == "Inga träffar för ”zqxjkvw”."
    assert page.locator("#traffar > li").count() == 0
    assert not page.get_by_role("button", name="Visa fler").is_visible()
    # a word one letter off: none, and the word it meant offered apart from the results
    status = search(page, "bastuu")
    assert status == "Inga träffar för ”bastuu”."
    assert page.locator("#traffar > li").count() == 0
    offer = page.locator("#forslag")
    offer.get_by_role("link", name="bastu", exact=True).wait_for()
    assert offer.inner_text().startswith("Menade du:") and offer.inner_text().endswith("?")
    assert offer.evaluate("p => !p.closest('#traffar') && !p.closest('[role=status]')")
    link = offer.get_by_role("link", name="bastu", exact=True)
    assert link.get_attribute("href").endswith("sok/?q=bastu")
    link.click()
    page.wait_for_url("**/sok/?q=bastu")
    counted(answered(page))
    assert any(r["href"] == site + NOTICE for r in results(page))
    assert not offer.is_visible()
    page.go_back()
    page.wait_for_url("**/sok/?q=bastuu")
    assert answered(page) == "Inga träffar för ”bastuu”."
    context.close()


def test_a_quoted_word_is_a_whole_word(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    """Unquoted, "bast" finds bastu; quoted (with a keyboard's quotes or a phone's), only the
    word bast, which no unit holds."""
    context, page = tab(browser, site + "sok/")
    assert search(page, "bast") == "1 träff i 1 dokument"
    assert [r["href"] for r in results(page)] == [site + NOTICE]
    for quoted in ('"bast"', "\u201dbast\u201d", "\u201cbast\u201d"):
        assert search(page, quoted) == f"Inga träffar för \u201d{quoted}\u201d.", quoted
        assert page.locator("#traffar > li").count() == 0
    context.close()


def test_an_empty_query_shows_nothing(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + "sok/?q=bastu")
    answered(page)
    page.get_by_label("Sökord").fill("   ")
    page.get_by_label("Sökord").press("Enter")
    page.wait_for_url(site + "sok/")
    page.wait_for_function("() => document.getElementById('status').textContent === ''")
    assert page.locator("#traffar > li").count() == 0
    assert not page.locator("#forslag").is_visible()
    context.close()


SLOW_BASTU = """
;(function () {
  /* the real engine, with its answer to "bastu" held back a second and a half */
  var open = JusteratSearch.open;
  window.opened = 0;
  JusteratSearch.open = async function (base) {
    window.opened += 1;
    var index = await open.call(JusteratSearch, base);
    var search = index.search;
    index.search = async function (text, filters, order) {
      var result = await search.call(index, text, filters, order);
      if (text === "bastu") { await new Promise(function (r) { setTimeout(r, 1500); }); }
      return result;
    };
    return index;
  };
}());
"""


def test_only_the_newest_search_answers(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    """A search that answers late does not overwrite a newer one's results; the index is
    opened once and its filters listed once."""
    context, page = tab(browser, "")

    def slowed(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + SLOW_BASTU)

    page.route("**/assets/sok-index*.js", slowed)
    page.goto(site + "sok/")
    page.get_by_label("Sökord").fill("bastu")
    page.get_by_label("Sökord").press("Enter")
    status = search(page, "Räddningstjänsten")
    rescue = titles(page)
    page.wait_for_timeout(2500)  # "bastu" has answered by now, too late
    assert page.locator("#status").inner_text() == status
    assert titles(page) == rescue and "Bidrag till bastu i Björkhage" not in rescue
    assert page.get_by_label("Sökord").input_value() == "Räddningstjänsten"
    assert page.evaluate("window.opened") == 1
    for name in ("organ", "ar", "typ"):
        options = page.locator(f"#{name} option").all_inner_texts()
        assert len(options) == len(set(options)), options
    context.close()


def test_the_header_search_box_leads_here(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site + PROTOCOL)
    box = page.get_by_role("search", name="Webbplatssök")
    box.get_by_label("Sök i arkivet").fill("bastu")
    box.get_by_label("Sök i arkivet").press("Enter")
    page.wait_for_url(site + "sok/?q=bastu")
    counted(answered(page))
    assert page.get_by_label("Sökord").input_value() == "bastu"
    assert any(r["href"] == site + NOTICE for r in results(page))
    context.close()


def test_without_javascript(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    """The search page says why it needs JavaScript and links to the lists; the header's box
    still leads to the search page with the query in the address."""
    context, page = tab(browser, site, javascript=False)
    box = page.get_by_role("search", name="Webbplatssök")
    box.get_by_label("Sök i arkivet").fill("bastu")
    box.get_by_role("button", name="Sök").click()
    page.wait_for_url(site + "sok/?q=bastu")
    message = page.locator("main p", has_text="JavaScript")
    assert message.is_visible()
    hrefs = message.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert {site + "protokoll/", site + "planer/", site + "anslagstavla/"} <= set(hrefs)
    context.close()


def test_the_header_search_box_fits_a_narrow_screen(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = tab(browser, site, width=375)
    box = page.get_by_role("search", name="Webbplatssök")
    field, button = box.get_by_label("Sök i arkivet"), box.get_by_role("button", name="Sök")
    for part in (field, button):
        place = part.bounding_box()
        assert place is not None and place["x"] >= 0 and place["x"] + place["width"] <= 375
    assert field.bounding_box()["width"] >= 160  # room to type
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    field.focus()
    outline = field.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # the focus is visible
    context.close()


@pytest.mark.parametrize(
    "address", ["sok/?q=kommun", "sok/?q=bastuu", "sok/?q=kommun&organ=Kommunstyrelsen"]
)
def test_axe_finds_nothing_on_the_search_page(browser, site: str, address: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is installed by ./setup.sh --dev (npm)"
    context, page = tab(browser, site + address)
    answered(page)
    if page.locator("#fler").is_visible():
        page.locator("#fler").click()
        page.wait_for_function("() => document.querySelectorAll('#traffar > li').length > 10")
    if "bastuu" in address:
        page.locator("#forslag a").first.wait_for()
    found = axe_violations(page)
    context.close()
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
