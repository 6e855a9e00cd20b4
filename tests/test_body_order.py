"""Every list of bodies follows the order of ``bodies:`` in site.yaml, never the alphabet: the
home page, the protocol lists, the sammanträdesplan, the people pages, the search page's filter
and the open data. Checked on the example kommun as shipped (Kommunfullmäktige,
Kommunstyrelsen, Bygg- och miljönämnden: not alphabetical) and with its bodies reversed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Yaml12, build_site
from lxml import html
from test_browser_a11y import read_on

from justerat.app.audit import served

EXAMPLE = ROOT / "examples" / "kommun"
TODAY = "2026-12-07"
PERSON = "ledamoter/erik-lovgren/"  # in kommunfullmäktige and kommunstyrelsen


def _reordered(into: Path, reverse: bool) -> Path:
    """A copy of the example kommun, its bodies in site.yaml's order or reversed."""
    content = into / "content"
    shutil.copytree(EXAMPLE, content)
    if reverse:
        settings = yaml.load((content / "site.yaml").read_text("utf-8"), Yaml12)
        settings["bodies"] = dict(reversed(list(settings["bodies"].items())))
        (content / "site.yaml").write_text(
            yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), "utf-8"
        )
    return content


@pytest.fixture(scope="module", params=["as shipped", "reversed"])
def kommun(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """(the built site, the bodies' names in its site.yaml's order)."""
    where = tmp_path_factory.mktemp("order")
    content = _reordered(where, request.param == "reversed")
    out = build_site(content, where / "site", where / "cache", TODAY)
    settings = yaml.load((content / "site.yaml").read_text("utf-8"), Yaml12)
    names = [body["name"] for body in settings["bodies"].values()]
    assert sorted(names) != names or request.param == "reversed"  # the alphabet would fail
    return out, names


def _texts(site: Path, url: str, xpath: str) -> list[str]:
    tree = html.parse(str(site / url / "index.html"))
    return [" ".join(each.text_content().split()) for each in tree.xpath(xpath)]


def _in_order(found: list[str], names: list[str]) -> None:
    """``found`` names bodies, each known, in the order of ``names``."""
    assert set(found) <= set(names), found
    assert found == sorted(found, key=names.index), (found, names)


def test_the_home_page_and_the_protocol_list_follow_site_yaml(kommun) -> None:  # type: ignore[no-untyped-def]
    site, names = kommun
    assert _texts(site, "", "//section[@aria-labelledby='organ']//li/a") == names
    assert _texts(site, "protokoll/", "//main//ul[@class='documents']/li/a") == names


def test_the_sammantradesplan_follows_site_yaml(kommun) -> None:  # type: ignore[no-untyped-def]
    site, names = kommun
    listed = _texts(site, "sammantraden/", "//nav[@aria-labelledby='organ-rubrik']//li/a")
    assert len(listed) == 2  # kommunfullmäktige and kommunstyrelsen have meetings
    _in_order(listed, names)


def test_a_persons_pages_follow_site_yaml(kommun) -> None:  # type: ignore[no-untyped-def]
    site, names = kommun
    lead = _texts(site, PERSON, "//article[@class='person']//p[@class='lead']")[0]
    assert len(lead.split(", ")) == 2
    _in_order(lead.split(", "), names)
    terms = _texts(site, PERSON, "//table[caption/@id='uppdrag-forteckning']/tbody/tr/th")
    _in_order(list(dict.fromkeys(terms)), names)
    index = _texts(site, "ledamoter/", "//a[contains(@href, 'erik-lovgren')]/../span")[0]
    _in_order(index.split(" · ")[-1].split(", "), names)


def test_open_data_follows_site_yaml(kommun) -> None:  # type: ignore[no-untyped-def]
    site, names = kommun
    index = json.loads((site / "data" / "index.json").read_text("utf-8"))
    assert [body["name"] for body in index["bodies"]] == names
    people = json.loads((site / "data" / "personer.json").read_text("utf-8"))
    erik = next(p for p in people["persons"] if p["id"] == "erik-lovgren")
    held = [m["organization"]["name"] for m in erik["membership"]]
    assert len(set(held)) == 2
    _in_order(list(dict.fromkeys(held)), names)
    _in_order(_texts(site, "oppna-data/", "//main//li/a[contains(@href, 'oppna-data/')]"), names)


@pytest.fixture(scope="module")
def served_kommun(kommun) -> Iterator[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    site, names = kommun
    with served(site) as url:
        yield url, names


def test_the_search_pages_organ_filter_follows_site_yaml(browser, served_kommun) -> None:  # type: ignore[no-untyped-def]
    url, names = served_kommun
    page = browser.new_context(locale="sv-SE").new_page()
    read_on(page, TODAY)  # the day the site was built for
    page.goto(url + "sok/")
    page.wait_for_function("document.querySelectorAll('#organ option').length > 2")
    options = page.eval_on_selector_all("#organ option", "os => os.map(o => o.value)")[1:]
    assert len(options) == 2  # kommunfullmäktige's and kommunstyrelsen's documents
    _in_order(options, names)
    page.context.close()
