"""Three things real protocols say that the format holds: a §'s diarienummer (a "Dnr" line
under its heading), beslutande given by reference ("Se närvarolista, bilaga 1",
``attendees.note``) and where an imported protocol came from (``imported``).

Read back from what a build publishes: the pages parsed with lxml, the PDFs' text by
pdftotext, the open data validated against its published schema, the search index asked by the
search page's own engine; and ``check``'s output for the rules that need a list of beslutande.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TODAY, run_build_py
from jsonschema import Draft202012Validator, FormatChecker
from lxml import html
from test_search_oracle import engine

from justerat.reading import markdown

# Styrelsen meets in the register's term of 2023 (site.yaml), so beslutförhet would be checked
# were the beslutande listed; the protocol votes by name and has a reservation.
BY_REFERENCE = """\
---
organ: styrelsen
status: justerat
date: 2023-11-08
time: "15.00-16.00"
place: "Rudsjöterrassen 1, Haninge"
attendees:
  note: "Se närvarolista, bilaga 1"
  substitutes:
    - name: Peter Freij
      party: M
secretary: {name: Emmeli Söderholm, title: biträdande förbundschef}
chair: Sedat Dogru
justerare: [Ajda Asgari]
justering: {date: 2023-11-14, digital: true}
anslag: {posted: 2023-11-15, taken_down: 2023-12-08}
imported:
  file: "styrelsen 2023-11-08 protokoll.pdf"
  text: ["SAMORDNINGSFÖRBUNDET ÖSTRA SÖDERTÖRN", "SAMMANTRÄDESPROTOKOLL", "§§ 1–2"]
proceedings:
  - paragraph: 1
    jav: [Antonella Pirrone]
  - paragraph: 2
    arrived: [Kent Svensson]
    left: [Cia Holmér]
    vote: {yes: [Sedat Dogru, Ajda Asgari], no: [Kent Svensson], result: yes}
    reservations:
      - by: Kent Svensson
---

## § 1 Val av justerare

Dnr SOS 2023/941

Till justerare utsågs Ajda Asgari.

## § 2 Budget 2024

Dnr: KS 2023/145
Dnr: KS 2023/146

Styrelsen antar budgeten för 2024.

### Styrelsen beslutar

Styrelsen beslutar att anta budgeten för 2024.
"""

# the beslutande listed, and a note beside them
BESIDE = """\
---
organ: styrelsen
status: justerat
date: 2023-12-06
time: "15.00-16.00"
place: "Rudsjöterrassen 1, Haninge"
attendees:
  voting:
    - {name: Sedat Dogru, party: M, role: ordförande}
    - {name: Ajda Asgari, party: MP}
    - {name: Anders Widerström}
    - {name: Antonella Pirrone, party: KD}
  note: "Övriga enligt närvarolista, bilaga 1"
secretary: {name: Emmeli Söderholm}
chair: Sedat Dogru
justerare: [Ajda Asgari]
justering: {date: 2023-12-12, digital: true}
anslag: {posted: 2023-12-13, taken_down: 2024-01-08}
not_for_web:
  - {paragraph: 4, reason: Personärende}
---

## § 3 Diarienummer saknas

Diarienummer: BMN 2022-0113

Ärendet redovisas.

## § 4 Ansökan om bidrag

Dnr SN 2023/77

Ansökan beviljas.
"""

URL = "protokoll/styrelsen/2023-11-08/"
PDF = f"{URL}protokoll-styrelsen-2023-11-08.pdf"
EXTRACT = f"{URL}utdrag/protokollsutdrag-styrelsen-2023-11-08-paragraf-2.pdf"
DATA = "data/protokoll/styrelsen/2023-11-08.json"


def _write(content: Path) -> None:
    folder = content / "protocols" / "styrelsen"
    (folder / "2023-11-08.md").write_text(BY_REFERENCE, "utf-8")
    (folder / "2023-12-06.md").write_text(BESIDE, "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample archive with the two protocols, built with its PDFs; and what check said."""
    root = tmp_path_factory.mktemp("additions")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    _write(content)
    checked = run_build_py("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr
    out = root / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(root / "cache")
    )
    assert result.returncode == 0, result.stderr
    return out, checked.stderr


def _page(site: Path, url: str) -> Any:
    return html.parse(str(site / url / "index.html")).getroot()


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def _valid(site: Path, document: Any) -> list[str]:
    schema = json.loads((site / "schema/opendata-protocol.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# --- the diarienummer ------------------------------------------------------------------------


def test_the_page_shows_the_dnr_under_the_heading_and_not_in_the_text(
    built: tuple[Path, str],
) -> None:
    site, _ = built
    page = _page(site, URL)
    first = page.get_element_by_id("paragraf-1")
    dnr = first.find_class("dnr")
    assert len(dnr) == 1
    # right under the heading, "Dnr SOS 2023/941" to the eye, "Diarienummer …" to a reader
    assert dnr[0].getprevious().tag == "h2"
    assert _text(dnr[0].xpath("./abbr")[0]) == "Dnr"
    assert dnr[0].xpath("./abbr/@aria-hidden") == ["true"]
    spoken = [e for e in dnr[0].iter() if e.get("aria-hidden") != "true"]
    assert "Diarienummer" in "".join(e.text or "" for e in spoken)
    assert _text(dnr[0].find_class("dnr-number")[0]) == "SOS 2023/941"
    text = _text(first.find_class("part-text")[0])
    assert text == "Till justerare utsågs Ajda Asgari."
    # the first Dnr line is the dnr; the one after it stays the paragraph's text
    second = page.get_element_by_id("paragraf-2")
    assert _text(second.find_class("dnr-number")[0]) == "KS 2023/145"
    assert _text(second.find_class("part-text")[0]).startswith("Dnr: KS 2023/146")


def test_the_pdf_and_the_extract_show_the_dnr(built: tuple[Path, str]) -> None:
    site, _ = built
    whole = _pdf_text(site / PDF)
    assert "§ 1 Val av justerare Dnr SOS 2023/941 Jäv" in whole  # then the jäv, then the text
    assert "§ 2 Budget 2024 Dnr KS 2023/145 Närvaro" in whole  # then who came, then the text
    assert "Dnr: KS 2023/146 Styrelsen antar budgeten för 2024." in whole
    extract = _pdf_text(site / EXTRACT)
    assert "§ 2 Budget 2024 Dnr KS 2023/145" in extract
    assert "SOS 2023/941" not in extract


def test_the_open_data_gives_the_diarienummer(built: tuple[Path, str]) -> None:
    site, _ = built
    document = json.loads((site / DATA).read_text("utf-8"))
    assert _valid(site, document) == []
    items = {item["number"]: item for item in document["agendaItems"]}
    assert items[1]["diarienummer"] == "SOS 2023/941"
    assert items[1]["text"] == "Till justerare utsågs Ajda Asgari."
    assert items[2]["diarienummer"] == "KS 2023/145"
    beside = json.loads((site / "data/protokoll/styrelsen/2023-12-06.json").read_text("utf-8"))
    assert _valid(site, beside) == []
    assert beside["agendaItems"][0]["diarienummer"] == "BMN 2022-0113"
    # a paragraph kept off the web keeps its dnr off the web too
    assert "diarienummer" not in beside["agendaItems"][1]
    assert "SN 2023/77" not in json.dumps(beside)
    assert "SN 2023/77" not in _text(_page(site, "protokoll/styrelsen/2023-12-06/"))
    assert "SN 2023/77" not in _pdf_text(
        site / "protokoll/styrelsen/2023-12-06/protokoll-styrelsen-2023-12-06.pdf"
    )
    sample = json.loads((site / "data/protokoll/styrelsen/2023-09-13.json").read_text("utf-8"))
    assert not [item for item in sample["agendaItems"] if "diarienummer" in item]


def test_the_search_finds_the_paragraph_by_its_dnr(built: tuple[Path, str]) -> None:
    site, _ = built
    cases: list[tuple[str, dict[str, str], bool]] = [
        ("941", {}, False),
        ("2023/145", {}, False),
        ('"sos 2023/941"', {}, False),
    ]
    prefix, both, phrase = engine([site / "sok/index"], cases)[0]
    assert [URL, ["paragraf-1"]] in prefix["documents"]
    assert [URL, ["paragraf-2"]] in both["documents"]
    assert phrase["documents"] == [[URL, ["paragraf-1"]]]


@pytest.mark.parametrize(
    ("line", "dnr"),
    [
        ("Dnr: KS 2023/145", "KS 2023/145"),
        ("Dnr 941-2011", "941-2011"),
        ("Diarienummer: BMN 2022-0113", "BMN 2022-0113"),
        ("DNR KS 2024/0012", "KS 2024/0012"),
        ("Dnr. 2012.0034", "2012.0034"),
        ("Dnr: *KS 2023/145*", "KS 2023/145"),  # the text, not its Markdown
        ("Dnr saknas", ""),  # no number: text
        ("Ärendenummer: SLK-2011-01082", "SLK-2011-01082"),
        ("Diarienummer för ärendet är 12", ""),  # a sentence: the word needs its colon
        ("Ärendenummer 12 gäller bygglovet", ""),
        ("Dnrx 12", ""),
    ],
)
def test_the_forms_of_the_dnr_line(line: str, dnr: str) -> None:
    body = f"## § 7 Ärendet\n\n{line}\n\nTexten.\n\n## § 8 Nästa\n\nText.\n\n{line}\n"
    read, problems = markdown.protocol_body("p.md", body, 10)
    assert problems == []
    seventh, eighth = read.paragraphs
    assert seventh.dnr == dnr
    assert seventh.text == ("Texten." if dnr else f"{line} Texten.")
    assert eighth.dnr == ""  # not the first line: it stays a paragraph of the text
    assert eighth.parts[0].html.count("<p>") == 2


# --- beslutande by reference -----------------------------------------------------------------


def test_a_protocol_that_refers_to_its_beslutande_is_checked_without_false_errors(
    built: tuple[Path, str],
) -> None:
    """No chair or justerare 'not among the attendees', no one who arrives 'not among the
    attendees' or leaves 'not present', no jäv 'not serving', no vote that does not add up,
    no voter or reservation 'not serving', no beslutförhet of 0 of the register's ledamöter
    (each of them reported without the rule that a note stands for the list)."""
    _, checked = built
    assert "2023-11-08.md" not in checked and "2023-12-06.md" not in checked, checked


def test_the_page_and_the_pdf_give_the_note_for_the_beslutande(built: tuple[Path, str]) -> None:
    site, _ = built
    front = _page(site, URL).get_element_by_id("uppgifter").getparent()
    heading = next(h for h in front.iter("h3") if _text(h) == "Beslutande")
    after = heading.getnext()
    assert (after.tag, after.get("class"), _text(after)) == (
        "p",
        "attendees-note",
        "Se närvarolista, bilaga 1",
    )
    # no count of beslutande at a § that the protocol does not list
    assert "tjänstgör" not in _text(_page(site, URL).get_element_by_id("paragraf-2"))
    assert "Beslutande Se närvarolista, bilaga 1 Ersättare Peter Freij (M)" in _pdf_text(site / PDF)
    beside = _page(site, "protokoll/styrelsen/2023-12-06/")
    heading = next(h for h in beside.iter("h3") if _text(h) == "Beslutande")
    listed, note = heading.getnext(), heading.getnext().getnext()
    assert listed.get("class") == "people" and "Sedat Dogru" in _text(listed)
    assert _text(note) == "Övriga enligt närvarolista, bilaga 1"


def test_the_open_data_carries_the_note_and_no_invented_attendance(
    built: tuple[Path, str],
) -> None:
    site, _ = built
    document = json.loads((site / DATA).read_text("utf-8"))
    assert _valid(site, document) == []
    assert document["attendees"]["note"] == "Se närvarolista, bilaga 1"
    assert document["attendees"]["voting"] == []
    items = {item["number"]: item for item in document["agendaItems"]}
    # who served is not known: only the changes recorded at a §
    assert "attendance" not in items[1]
    assert items[1]["jav"] == [{"id": "antonella-pirrone", "name": "Antonella Pirrone"}]
    assert items[2]["attendance"] == {
        "arrived": [{"id": "kent-svensson", "name": "Kent Svensson"}],
        "left": [{"id": "cia-holmer", "name": "Cia Holmér"}],
    }
    assert items[2]["voteEvent"]["counts"][0]["value"] == 2


def test_person_pages_do_not_count_a_meeting_without_its_list(built: tuple[Path, str]) -> None:
    site, _ = built
    page = _page(site, "ledamoter/sedat-dogru/")
    rows = [[_text(c) for c in row] for row in page.xpath('//table[@class="presence"]/tbody/tr')]
    # 2023: the meetings of 13 September and 6 December, not that of 8 November
    assert ["Styrelsen", "2023", "2", "2"] in rows
    told = _text(page.find_class("unlisted")[0])
    assert told.startswith("Dessutom 1 sammanträde under uppdraget vars protokoll hänvisar")


# --- where an imported protocol came from ----------------------------------------------------


def test_imported_is_kept_in_the_open_data_and_shown_nowhere(built: tuple[Path, str]) -> None:
    site, _ = built
    document = json.loads((site / DATA).read_text("utf-8"))
    assert document["imported"] == {
        "file": "styrelsen 2023-11-08 protokoll.pdf",
        "text": ["SAMORDNINGSFÖRBUNDET ÖSTRA SÖDERTÖRN", "SAMMANTRÄDESPROTOKOLL", "§§ 1–2"],
    }
    page = _text(_page(site, URL))
    pdf = _pdf_text(site / PDF)
    for shown in (page, pdf):
        assert "2023-11-08 protokoll.pdf" not in shown
        assert "SAMMANTRÄDESPROTOKOLL" not in shown and "§§ 1–2" not in shown
    written = json.loads((site / "data/protokoll/styrelsen/2023-12-06.json").read_text("utf-8"))
    assert "imported" not in written


# --- a change in them is a change of the site ------------------------------------------------


def test_a_changed_dnr_or_note_is_published_by_the_next_build(
    content: Path, tmp_path: Path
) -> None:
    """The page of the protocol and the people's pages (made from the summaries' digest of who
    attended) follow an edit of the dnr or the note alone, with the cache of the last build."""
    _write(content)
    out, cache = tmp_path / "site", tmp_path / "cache"

    def build() -> None:
        result = run_build_py(
            "build", "--content", str(content), "--out", str(out), "--cache", str(cache),
            "--no-pdf", "--today", TODAY,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    build()
    file = content / "protocols/styrelsen/2023-11-08.md"
    text = file.read_text("utf-8")
    edited = text.replace("Dnr SOS 2023/941", "Dnr SOS 2023/942")
    # the note becomes a list: the meeting is counted on the people's pages from now on
    edited = edited.replace(
        '  note: "Se närvarolista, bilaga 1"\n',
        "  voting:\n    - {name: Sedat Dogru}\n    - {name: Ajda Asgari}\n    - {name: Kent Svensson}\n"
        "    - {name: Anders Widerström}\n",
    )
    edited = edited.replace("    arrived: [Kent Svensson]\n    left: [Cia Holmér]\n", "")
    edited = edited.replace("  - paragraph: 1\n    jav: [Antonella Pirrone]\n", "")
    edited = edited.replace("result: yes}", "abstain: [Anders Widerström], result: yes}")
    assert edited.count("SOS 2023/942") == 1 and "note:" not in edited
    file.write_text(edited, "utf-8")
    build()
    page = _page(out, URL)
    assert _text(page.get_element_by_id("paragraf-1").find_class("dnr-number")[0]) == "SOS 2023/942"
    person = _page(out, "ledamoter/sedat-dogru/")
    assert not person.find_class("unlisted")
    rows = [[_text(c) for c in row] for row in person.xpath('//table[@class="presence"]/tbody/tr')]
    assert ["Styrelsen", "2023", "3", "3"] in rows
    document = json.loads((out / DATA).read_text("utf-8"))
    assert "note" not in document["attendees"]
    assert re.search(r'"present":\[', (out / DATA).read_text("utf-8"))
