"""What a page gives the search (docs/search.md, sections 1 and 5): ``units.document`` on
hand-written markup, case by case, and on the pages the sample (``content/``) and the example
kommun (``examples/kommun/``) build into, ``build --no-pdf``: each protocol § a unit with its
anchor and title, the front page's labels joined to their values, no PDF link nor "Kopiera
länk", a paragraph kept off the web giving nothing but its notice, a notice, an ärende, a
person and a plan's sections found, and every list page giving nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, TODAY, build_site

from justerat.web.units import Document, Unit, document

EXAMPLE = ROOT / "examples" / "kommun"
PROTOCOL = "protokoll/styrelsen/2023-09-13/"  # the sample's, with § 1–11
HIDDEN = "Ledamöterna får möjlighet att anmäla övriga ärenden."  # § 2 of 13 September 2023


# --- markup, case by case ------------------------------------------------------------------


def read(
    body: str, doc: str = 'data-search-title="Dokumentet"', path: str = "x/index.html"
) -> Document:
    html = (
        "<!DOCTYPE html><html><head><title>T</title></head><body><main>Utanför"
        f"<article data-search-doc {doc}>{body}</article></main></body></html>"
    )
    found = document(path, html.encode("utf-8"))
    assert found is not None
    return found


def fields(body: str) -> tuple[str, ...]:
    """The fields of the document's own unit."""
    units = read(body).units
    assert units and units[0].anchor == ""
    return units[0].fields


def test_the_document_and_its_filters() -> None:
    found = read(
        "<h1>Rubrik</h1>",
        'data-search-title=" Kommunstyrelsen  13 september 2023" data-search-typ="Protokoll" '
        'data-search-organ="Kommunstyrelsen | Kommunfullmäktige||" data-search-year="2023" '
        'data-search-date="2023-09-13"',
        "protokoll/ks/2023-09-13/index.html",
    )
    assert found == Document(
        url="protokoll/ks/2023-09-13/",
        title="Kommunstyrelsen 13 september 2023",
        typ="Protokoll",
        organs=("Kommunstyrelsen", "Kommunfullmäktige"),
        year=2023,
        date="2023-09-13",
        units=(Unit("", "Kommunstyrelsen 13 september 2023", ("Rubrik",)),),
    )
    bare = read("<p>Text</p>", 'data-search-organ="" data-search-year="" data-search-date=""')
    assert (bare.title, bare.organs, bare.year, bare.date, bare.typ) == ("", (), None, "", "")
    assert read("<p>x</p>", path="index.html").url == ""
    assert read("<p>x</p>", path="anslag/2026/x/index.html").url == "anslag/2026/x/"


def test_a_page_without_a_document_gives_none() -> None:
    assert document("index.html", b"<!DOCTYPE html><html><body><p>Hem</p></body></html>") is None
    # the attribute's name in the text is not a document
    page = "<html><body><p>Attributet data-search-doc</p></body></html>"
    assert document("index.html", page.encode()) is None
    assert document("index.html", b"") is None


def test_label_and_value_are_one_field() -> None:
    assert fields(
        '<dl class="facts"><div><dt>Sekreterare</dt><dd><span class="name">Åsa Berglund</span>,'
        " kommunsekreterare</dd></div>\n  <div><dt>Ordförande</dt><dd>Birgitta Holm</dd></div></dl>"
    ) == ("Sekreterare: Åsa Berglund, kommunsekreterare", "Ordförande: Birgitta Holm")
    # without div wrappers; several values; a break inside a value; a label with no value
    assert fields(
        "<dl><dt>Justerare</dt><dd>Karin Wester</dd><dd>Per-Olof Ek</dd>"
        "<dt>Plats och tid</dt><dd>kl. 18.30<br>\nTingssalen</dd>"
        "<dt>Ensam</dt></dl><p>Efter</p>"
    ) == (
        "Justerare: Karin Wester; Per-Olof Ek",
        "Plats och tid: kl. 18.30; Tingssalen",
        "Ensam",
        "Efter",
    )
    assert fields("<dl><dd>Utan etikett</dd></dl>") == ("Utan etikett",)
    assert fields("<dl><dt>A</dt><dt>B</dt><dd>v</dd></dl>") == ("A; B: v",)


def test_inline_elements_never_split_a_field() -> None:
    assert fields(
        "<p><span>Å</span>sa <em>Berg</em>lund, <a href='#'>kommun</a><strong>sekreterare</strong>"
        " <time datetime='2023-09-13'>13 september</time> <abbr>KS</abbr>-<code>2023</code>"
        "<mark>/145</mark></p>"
    ) == ("Åsa Berglund, kommunsekreterare 13 september KS-2023/145",)
    assert fields("<p>  många \n\t  mellanslag\u00a0här  </p>") == ("många mellanslag här",)


def test_block_elements_and_br_end_a_field() -> None:
    assert fields(
        "Fri text<p>Ett</p>efter<br>rad två<br><br>rad tre"
        "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"
        "<table><caption>Tabell</caption><tr><th>Organ</th><td>KS</td></tr></table>"
        "<h2>Rubrik</h2><blockquote>Citat</blockquote><div>Sist</div>"
    ) == (
        "Fri text", "Ett", "efter", "rad två", "rad tre", "a", "b", "c",
        "Tabell", "Organ", "KS", "Rubrik", "Citat", "Sist",
    )  # fmt: skip


def test_ignored_hidden_and_scripts_give_nothing() -> None:
    assert fields(
        "<p>Synlig <span hidden>dold</span>text</p>"
        "<p data-search-ignore><a href='x.pdf'>Hela protokollet (PDF, 1 MB)</a></p>"
        "<p>Länk <button hidden>Kopiera länk</button>kvar</p>"
        "<script>var hemlig = 1;</script><style>p { color: red }</style>"
        "<template><p>mall</p></template><noscript>utan skript</noscript>"
        "<section hidden><h2>Dold rubrik</h2><p>dold</p></section>"
        "<!-- en kommentar --><p>Slut</p>"
    ) == ("Synlig text", "Länk kvar", "Slut")
    # a skipped block keeps the text on either side of it apart, as the page shows it
    assert fields("före<p data-search-ignore>bort</p>efter") == ("före", "efter")
    assert fields("<dl><dt>A</dt><dd data-search-ignore>bort</dd><dd>a</dd></dl>") == ("A: a",)


def test_units_and_the_documents_own_text() -> None:
    found = read(
        "<header><h1>Dokumentets rubrik</h1></header>"
        '<section id="paragraf-1" data-search-unit="paragraf-1">'
        '<h2><span class="num">§\u00a01</span> Val av justerare</h2>'
        '<p class="paragraph-tools" data-search-ignore><a href="#paragraf-1">Länk till § 1</a></p>'
        "<p>Till justerare utsågs Ajda Asgari.</p></section>"
        '<section data-search-unit="paragraf-2" data-search-title="Egen titel"><h2>§ 2</h2>'
        "<div>Text</div></section>"
        '<section data-search-unit="tom"><p data-search-ignore>bort</p></section>'
        '<p data-search-unit="utan-rubrik">Bara text</p>'
        "<footer>Sidfot</footer>"
    )
    assert found.units == (
        Unit("", "Dokumentet", ("Dokumentets rubrik", "Sidfot")),
        Unit(
            "paragraf-1",
            "§ 1 Val av justerare",
            ("§ 1 Val av justerare", "Till justerare utsågs Ajda Asgari."),
        ),
        Unit("paragraf-2", "Egen titel", ("§ 2", "Text")),
        Unit("tom", "", ()),
        Unit("utan-rubrik", "", ("Bara text",)),
    )
    # a document whose text is all in its units has no unit of its own
    only = read('<section data-search-unit="a"><h2>A</h2></section>')
    assert [u.anchor for u in only.units] == ["a"]


def test_a_unit_inside_a_unit_is_its_own() -> None:
    found = read(
        '<div data-search-unit="yttre"><h2>Yttre</h2><p>före</p>'
        '<div data-search-unit="inre"><h3>Inre</h3><p>inuti</p></div>'
        "<p>efter</p></div>"
        "<p>Ta <span data-search-unit='ord'>inre ord</span> bort</p>"
    )
    assert found.units == (
        Unit("", "Dokumentet", ("Ta bort",)),
        Unit("yttre", "Yttre", ("Yttre", "före", "efter")),
        Unit("inre", "Inre", ("Inre", "inuti")),
        Unit("ord", "", ("inre ord",)),
    )


def test_a_heading_unit_runs_to_the_next_as_high() -> None:
    found = read(
        "<p>Inledning</p>"
        '<div class="document-body">'
        '<h2 id="a" data-search-unit="a">A</h2><p>a-text</p>'
        '<h3 id="a1" data-search-unit="a1">A.1</h3><p>a1-text</p>'
        '<h4 id="a1x">Utan enhet</h4><p>a1x-text</p>'
        '<h2 id="b" data-search-unit="b">B</h2>'
        "<table><tr><td>b-cell</td></tr></table>"
        "</div><p>Efter</p>"
    )
    assert found.units == (
        Unit("", "Dokumentet", ("Inledning", "Efter")),
        Unit("a", "A", ("A", "a-text")),
        Unit("a1", "A.1", ("A.1", "a1-text", "Utan enhet", "a1x-text")),
        Unit("b", "B", ("B", "b-cell")),
    )


# --- the built sites ----------------------------------------------------------------------


def _documents(site: Path) -> dict[str, Document | None]:
    """Every page of ``site`` by its address, with what it gives the search."""
    found = {}
    for file in sorted(site.rglob("index.html")):
        path = file.relative_to(site).as_posix()
        made = document(path, file.read_bytes())
        found[path.removesuffix("index.html")] = made
        if made is not None:
            assert made.url == path.removesuffix("index.html")
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("sample")
    return build_site(ROOT / "content", where / "site", where / "cache", TODAY).resolve()


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("kommun")
    return build_site(EXAMPLE, where / "site", where / "cache", TODAY).resolve()


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with § 2 of 13 September 2023 kept off the web."""
    where = tmp_path_factory.mktemp("hidden")
    shutil.copytree(ROOT / "content", where / "content")
    protocol = where / "content/protocols/styrelsen/2023-09-13.md"
    text = protocol.read_text("utf-8")
    protocol.write_text(
        text.replace(
            "\n---\n", "\nnot_for_web:\n  - paragraph: 2\n    reason: Personärende\n---\n", 1
        ),
        "utf-8",
    )
    return build_site(where / "content", where / "site", where / "cache", TODAY).resolve()


KINDS: list[tuple[str, str]] = [  # an address's pattern, and the kind of document it gives
    (r"protokoll/[^/]+/\d{4}-\d\d-\d\d/", "Protokoll"),
    (r"planer/[^/]+/", "Plan och budget"),
    (r"anslag/\d{4}/[^/]+/", "Anslag"),
    (r"sammantraden/[^/]+/\d{4}-\d\d-\d\d/kungorelse/", "Anslag"),
    (r"sammantraden/[^/]+/\d{4}-\d\d-\d\d/", "Kallelse"),
    (r"ledamoter/[^/]+/", "Ledamot"),
    (r"forfattningssamling/\d{4}-\d+/", "Föreskrift"),
]


@pytest.mark.parametrize("which", ["sample", "kommun"])
def test_every_page_gives_its_kind_and_list_pages_nothing(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    found = _documents(site)
    kinds = {
        url: next((kind for pattern, kind in KINDS if re.fullmatch(pattern, url)), None)
        for url in found
    }
    assert {url: d.typ if d else None for url, d in found.items()} == kinds
    # the lists, the board, the home and search pages, the anslagsbevis give nothing
    for url in [
        "",
        "protokoll/",
        "sammantraden/",
        "planer/",
        "ledamoter/",
        "anslagstavla/",
        "sok/",
    ]:
        assert url in found and found[url] is None
    assert any(url.endswith("/anslagsbevis/") for url in found)
    assert all(found[url] is None for url in found if url.endswith("/anslagsbevis/"))
    assert sorted({kind for kind in kinds.values() if kind}) == (
        ["Kallelse", "Ledamot", "Plan och budget", "Protokoll"]
        if which == "sample"
        else ["Anslag", "Föreskrift", "Kallelse", "Ledamot", "Protokoll"]
    )  # the sample has no notice on its board, the example kommun no plan (and föreskrifter)


def _all_fields(found: Document) -> list[str]:
    return [field for unit in found.units for field in unit.fields]


@pytest.mark.parametrize(
    ("which", "url", "secretary"),
    [
        ("sample", PROTOCOL, "Sekreterare: Emmeli Söderholm, biträdande förbundschef"),
        ("kommun", "protokoll/kommunfullmaktige/2026-11-16/", "Sekreterare: Åsa Berglund, kommunsekreterare"),
    ],
)  # fmt: skip
def test_a_protocol_gives_its_front_page_and_each_paragraph(
    which: str, url: str, secretary: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    html = (site / url / "index.html").read_bytes()
    found = document(f"{url}index.html", html)
    assert found is not None and found.typ == "Protokoll" and found.url == url
    page = BeautifulSoup(html, "html.parser")
    shown = [(s["id"], " ".join(s.h2.get_text().split())) for s in page.select("section.paragraph")]
    assert len(shown) >= 6
    assert [(u.anchor, u.title) for u in found.units] == [("", found.title), *shown]
    assert all(re.fullmatch(r"paragraf-\d+", u.anchor) for u in found.units[1:])
    front = found.units[0]
    assert secretary in front.fields
    assert not [f for f in front.fields if re.search(r"Sekreterare\w", f)]  # never glued
    for label in ["Plats och tid: ", "Justeringens plats och tid: ", "Ordförande: ", "Justerare: "]:
        assert [f for f in front.fields if f.startswith(label)], label
    assert "Beslutande" in front.fields
    # what the table of contents lists is each paragraph's, not the front page's
    assert not [f for f in front.fields if f in {t for _, t in shown}]
    for unit in found.units[1:]:
        assert unit.fields[0] == unit.title  # the § heading, then its text
        assert len(unit.fields) > 1
    words = " ".join(_all_fields(found))
    assert "Länk till" not in words and "Kopiera länk" not in words
    assert "Protokollsutdrag" not in words


def test_the_sample_protocols_paragraph_titles(sample: Path) -> None:
    found = document(f"{PROTOCOL}index.html", (sample / PROTOCOL / "index.html").read_bytes())
    assert found is not None
    titled = {u.anchor: u.title for u in found.units}
    assert titled["paragraf-3"] == "§ 3 Kansliet informerar"
    assert len(titled) == 12  # the front page and § 1–11
    assert HIDDEN in _all_fields(found)


def test_no_pdf_link_reaches_a_protocols_units(site: Path) -> None:
    """The sample built with its PDFs (the session's ``site``): the page links them, its units
    hold none of their labels."""
    html = (site / PROTOCOL / "index.html").read_text("utf-8")
    assert 'class="pdf"' in html and "Protokollsutdrag" in html and "Kopiera länk" in html
    found = document(f"{PROTOCOL}index.html", html.encode("utf-8"))
    assert found is not None
    for field in _all_fields(found):
        for shown in ["PDF", "Protokollsutdrag", "Hela protokollet", "Kopiera länk", "Länk till"]:
            assert shown not in field


def test_a_paragraph_kept_off_the_web_gives_only_its_notice(sample: Path, hidden: Path) -> None:
    kept = document(f"{PROTOCOL}index.html", (hidden / PROTOCOL / "index.html").read_bytes())
    shown = document(f"{PROTOCOL}index.html", (sample / PROTOCOL / "index.html").read_bytes())
    assert kept is not None and shown is not None
    assert HIDDEN in _all_fields(shown)  # the same paragraph, shown
    paragraph = {u.anchor: u for u in kept.units}["paragraf-2"]
    assert paragraph == Unit(
        "paragraf-2",
        "§ 2 Utgår i webbversionen",
        ("§ 2 Utgår i webbversionen", "§ 2 utgår i webbversionen."),
    )
    every = " ".join(_all_fields(kept))
    assert "övriga ärenden" not in every and "föreliggande dagordning" not in every
    # the other paragraphs are as they were
    assert [u for u in kept.units if u.anchor not in {"", "paragraf-2"}] == [
        u for u in shown.units if u.anchor not in {"", "paragraf-2"}
    ]


def test_the_bastu_notice(kommun: Path) -> None:
    url = "anslag/2026/bidrag-till-bastu-i-bjorkhage/"
    found = document(f"{url}index.html", (kommun / url / "index.html").read_bytes())
    assert found is not None
    assert (found.typ, found.title, found.organs, found.year, found.date) == (
        "Anslag",
        "Bidrag till bastu i Björkhage",
        ("Kommunstyrelsen",),
        2026,
        "2026-11-27",
    )
    fields = _all_fields(found)
    assert [f for f in fields if "bastu" in f.lower()]
    assert "Från: Kommunstyrelsen" in fields
    assert "Uppsatt på anslagstavlan: 27 november 2026" in fields
    assert not [f for f in fields if "Anslagsbevis" in f or "Så överklagar du" in f]


def test_a_kungorelse_is_a_notice(kommun: Path) -> None:
    url = "sammantraden/kommunfullmaktige/2026-12-14/kungorelse/"
    found = document(f"{url}index.html", (kommun / url / "index.html").read_bytes())
    assert found is not None
    assert (found.typ, found.organs, found.date) == ("Anslag", ("Kommunfullmäktige",), "2026-12-04")
    assert "Riktlinjer för konstinköp – revidering (KS 2026/163)" in _all_fields(found)


def test_a_kallelse_gives_each_arende(kommun: Path) -> None:
    url = "sammantraden/kommunfullmaktige/2026-11-16/"
    found = document(f"{url}index.html", (kommun / url / "index.html").read_bytes())
    assert found is not None
    assert (found.typ, found.title, found.organs, found.year, found.date) == (
        "Kallelse",
        "Kommunfullmäktige 16 november 2026",
        ("Kommunfullmäktige",),
        2026,
        "2026-11-16",
    )
    assert [u.anchor for u in found.units] == ["", *(f"arende-{n}" for n in range(1, 7))]
    arende = found.units[4]
    assert arende.title == "Förslag till nytt regelverk för enskilda vägar i Ådala kommun"
    assert arende.fields[0] == arende.title
    assert "Diarienummer: KS 2026/91" in arende.fields
    # a handling is found by its title (examples/kommun gives one), not its file name
    assert [f for f in arende.fields if "Tjänsteskrivelse om regelverk för enskilda vägar" in f]
    assert "Plats: Tingssalen, kommunhuset, Storgatan 1, Ådala" in found.units[0].fields


def test_a_person_is_found_by_name_party_body_and_role(kommun: Path) -> None:
    url = "ledamoter/anna-strand/"
    html = (kommun / url / "index.html").read_bytes()
    found = document(f"{url}index.html", html)
    assert found is not None
    assert (found.typ, found.title, found.organs, found.year, found.date) == (
        "Ledamot",
        "Anna Strand",
        ("Kommunfullmäktige", "Kommunstyrelsen"),
        None,
        "",
    )
    assert [u.anchor for u in found.units] == [""]
    fields = found.units[0].fields
    for shown in ["Anna Strand (S)", "Kommunfullmäktige, Kommunstyrelsen", "ledamot"]:
        assert shown in fields
    # the page's lists of meetings, votes and the like are not the person's text
    assert "Sammanträden där protokollet" in html.decode("utf-8")
    for heading in ["Närvaro", "Omröstningar", "Reservationer", "Jäv", "Sammanträden"]:
        assert heading not in fields


def test_a_plan_gives_each_section(sample: Path) -> None:
    url = "planer/verksamhetsplan-2019/"
    html = (sample / url / "index.html").read_bytes()
    found = document(f"{url}index.html", html)
    assert found is not None
    assert (found.typ, found.title, found.organs, found.year, found.date) == (
        "Plan och budget",
        "Mål, budget och verksamhetsplan 2019",
        ("Styrelsen",),
        2019,
        "2018-11-21",
    )
    toc = [
        (a["href"].removeprefix("#"), " ".join(a.get_text().split()))
        for a in BeautifulSoup(html, "html.parser").select("nav.toc a")
    ]
    assert len(toc) > 20
    assert [(u.anchor, u.title) for u in found.units] == [("", found.title), *toc]
    units = {u.anchor: u for u in found.units}
    assert "Innehåll" not in units[""].fields  # the table of contents is not text
    assert units["sammanfattning"].fields == ("Sammanfattning",)  # its h3 is a unit of its own
    assert "”Våra gemensamma insatser leder till arbete och välbefinnande”." in (
        units["vision"].fields
    )
    assert "Fördelning av medlemsavgifter 2019*" in units[toc[0][0]].fields  # a table's caption
