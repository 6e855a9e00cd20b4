"""The layouts offices really have: a Word front page made as a table reads as the PDF of it does
(one person a line, the label column blank beside the further lines), merged and nested cells
count once, a budget in a Word table becomes a table with the same cells, Word's own headers
and footers are page furniture; a scan with an OCR text layer is read with one warning.

The Word files are made here with python-docx and the PDFs with WeasyPrint, so the tests say
exactly what they hold; the scan is a fixture (tests/fixtures/import/layouts/README.md)."""

from __future__ import annotations

import base64
import re
import shutil
import zlib
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import ROOT, run_build_py
from docx.oxml import parse_xml

from justerat.importer.convert import import_text
from justerat.importer.sources import extract, page_images, page_sized_image
from justerat.importer.tables import find_tables, render
from justerat.importer.text import split_lines

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "import" / "layouts"
TITLE = ["Kommunstyrelsen", "SAMMANTRÄDESPROTOKOLL", "Sammanträdesdatum 2024-03-05"]
FRONT = [
    ("Plats och tid", ["Kommunhuset, sammanträdesrum Tornet, kl. 18.00–20.30"]),
    ("Beslutande", ["Lars Nyberg (S), ordförande", "Karin Wester (M)", "Eva Nord (M)", "Mats Rydén (V)"]),
    ("Övriga deltagare", ["Lisa Lund, kommunsekreterare", "Per Persson, kommundirektör"]),
    ("Utses att justera", ["Karin Wester (M)"]),
    ("Justeringens plats och tid", ["Kommunkansliet, 2024-03-08"]),
    ("Underskrifter", ["Sekreterare Lisa Lund", "Ordförande Lars Nyberg", "Justerare Karin Wester"]),
    ("Paragrafer", ["§§ 1–2"]),
]  # fmt: skip
BUDGET = [
    ("Post", "Budget 2024", "Utfall 2024", "Avvikelse"),
    ("Kansli personal", "2 203 250,00", "2 100 000,00", "103 250,00"),
    ("Lokaler", "450 000,00", "", ""),
    ("Resor", "15 000 kr", "17 500 kr", "−2 500 kr"),
    ("Andel", "12 %", "-45 %", ""),
    ("Summa", "2 653 250,00", "2 480 000,00", "173 250,00"),
]
BUDGET_TABLE = """\
| Post | Budget 2024 | Utfall 2024 | Avvikelse |
|---|---:|---:|---:|
| Kansli personal | 2 203 250,00 | 2 100 000,00 | 103 250,00 |
| Lokaler | 450 000,00 | | |
| Resor | 15 000 kr | 17 500 kr | −2 500 kr |
| Andel | 12 % | -45 % | |
| Summa | 2 653 250,00 | 2 480 000,00 | 173 250,00 |"""
BODY = [
    ("§ 1 Val av justerare", "Karin Wester utses att justera protokollet."),
    ("§ 2 Budget 2024", "Kommunstyrelsen fastställer budgeten enligt tabellen."),
]


def protocol_docx(target: Path) -> Path:
    """The protocol as an office's Word template has it: the title lines, the front page as a
    table (label | value, one paragraph per person), the paragraphs, the budget as a table."""
    document = docx.Document()
    for line in TITLE:
        document.add_paragraph(line)
    front = document.add_table(rows=len(FRONT), cols=2)
    for index, (label, values) in enumerate(FRONT):
        front.cell(index, 0).text = label
        cell = front.cell(index, 1)
        cell.text = values[0]
        for value in values[1:]:
            cell.add_paragraph(value)
    for heading, text in BODY:
        document.add_heading(heading, level=2)
        document.add_paragraph(text)
    budget = document.add_table(rows=len(BUDGET), cols=len(BUDGET[0]))
    for index, row in enumerate(BUDGET):
        for column, text in enumerate(row):
            budget.cell(index, column).text = text
    document.add_paragraph("Beslutet gäller från den 1 april 2024.")
    document.save(str(target))
    return target


def protocol_pdf(target: Path) -> Path:
    """The same protocol as the PDF such a template prints to: HTML tables (cells at the top,
    amounts right-aligned, nothing wrapped) by WeasyPrint."""
    import weasyprint

    def table(rows: list[tuple[str, ...]]) -> str:
        cells = "".join(
            "<tr>"
            + "".join(
                f"<td{' class=n' if column else ''}>{escape(text)}</td>"
                for column, text in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
        return f"<table>{cells}</table>"

    front = "".join(
        f"<tr><td>{escape(label)}</td><td>{''.join(f'<p>{escape(v)}</p>' for v in values)}"
        "</td></tr>"
        for label, values in FRONT
    )
    body = "".join(f"<h2>{escape(h)}</h2><p>{escape(t)}</p>" for h, t in BODY)
    html = (
        "<html lang='sv'><head><meta charset='utf-8'><style>@page{size:A4;margin:2cm}"
        "body{font:10pt 'DejaVu Sans'} p{margin:0;white-space:pre} td{vertical-align:top;"
        "padding:0 2em 0 0;white-space:pre} td.n{text-align:right}</style></head><body>"
        + "".join(f"<p>{escape(line)}</p>" for line in TITLE)
        + f"<table>{front}</table>{body}{table(BUDGET)}"
        + "<p>Beslutet gäller från den 1 april 2024.</p></body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(target)
    return target


def text_of(path: Path) -> str:
    found = extract(path)
    assert found.text is not None, found.problems
    return found.text


def words_by_line(text: str) -> list[list[str]]:
    """The words of each line that has any: the lines, spacing widths and blank lines aside."""
    return [line.split() for line in text.splitlines() if line.strip()]


def front_matter(markdown: str) -> dict[str, Any]:
    data = yaml.safe_load(markdown[4:].split("\n---\n", 1)[0])
    assert isinstance(data, dict)
    return data


FACTS = ("date", "time", "place", "attendees", "secretary", "chair", "justerare", "justering")


def test_a_front_page_table_reads_one_person_a_line_in_the_value_column(tmp_path: Path) -> None:
    text = text_of(protocol_docx(tmp_path / "protokoll.docx"))
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Beslutande")))
    value = lines[start].index("Lars")
    assert [line[value:] for line in lines[start : start + 4]] == FRONT[1][1]
    assert all(line[:value].strip() == "" for line in lines[start + 1 : start + 4])
    meta = front_matter(import_text("protokoll.docx", text, organ="ks").markdown)
    assert meta["attendees"]["voting"] == [
        {"name": "Lars Nyberg", "party": "S", "role": "ordförande"},
        {"name": "Karin Wester", "party": "M"},
        {"name": "Eva Nord", "party": "M"},
        {"name": "Mats Rydén", "party": "V"},
    ]
    assert meta["chair"] == "Lars Nyberg" and meta["justerare"] == ["Karin Wester"]


def test_the_pdf_of_a_word_template_gives_the_lines_and_facts_of_the_word_file(
    tmp_path: Path,
) -> None:
    """The same protocol as .docx and as the PDF it prints to: the same words on the same lines,
    the same front matter, the same budget table."""
    word = text_of(protocol_docx(tmp_path / "protokoll.docx"))
    pdf = text_of(protocol_pdf(tmp_path / "protokoll.pdf"))
    assert words_by_line(word) == words_by_line(pdf)
    mine = import_text("protokoll.docx", word, organ="ks")
    theirs = import_text("protokoll.pdf", pdf, organ="ks")
    for key in FACTS:
        assert front_matter(mine.markdown).get(key) == front_matter(theirs.markdown).get(key), key
    assert mine.numbers == theirs.numbers == (1, 2)
    assert BUDGET_TABLE in mine.markdown and BUDGET_TABLE in theirs.markdown


def test_merged_and_nested_cells_count_once(tmp_path: Path) -> None:
    """Cells merged across (gridSpan) and down (vMerge), a table in a cell, a text box with its
    copy for old Word versions, a tracked move: every word of the document once in the text."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "ord01 ord02"
    table.cell(0, 2).text = "ord03"
    table.cell(1, 0).text = "ord04"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "ord05"
    table.cell(1, 2).merge(table.cell(3, 2)).text = "ord06 ord07"
    table.cell(2, 0).text = "ord08"
    nested_cell = table.cell(3, 0)
    nested_cell.text = "ord09"
    nested = nested_cell.add_table(rows=2, cols=2)
    for index, word in enumerate(["ord10", "ord11", "ord12", "ord13"]):
        nested.cell(index // 2, index % 2).text = word
    nested.cell(1, 1).add_paragraph("ord14")
    table.cell(3, 1).text = "ord15"
    box = document.add_paragraph("ord16 ")
    box._p.append(parse_xml(TEXT_BOX.format(word="ord17")))
    moved = document.add_paragraph("ord18 ")
    for kind in ("moveFrom", "moveTo"):  # a tracked move: the text once, where it went
        moved._p.append(parse_xml(MOVE.format(kind=kind, word="ord19")))
    document.save(str(tmp_path / "celler.docx"))
    text = text_of(tmp_path / "celler.docx")
    found = Counter(re.findall(r"ord\d\d", text))
    assert found == Counter(f"ord{n:02}" for n in range(1, 20)), text
    lines = text.splitlines()
    row = next(line for line in lines if "ord10" in line)
    assert re.search(r"ord10\s{2,}ord11", row)  # the nested table's cells stand in columns


MOVE = (
    '<w:{kind} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    "w:id='3' w:author='a'><w:r><w:t>{word}</w:t></w:r></w:{kind}>"
)
TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r>'
    "<w:t>{word}</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{word}</w:t>"
    "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def test_a_budget_in_a_word_table_becomes_a_table_with_the_same_cells(tmp_path: Path) -> None:
    text = text_of(protocol_docx(tmp_path / "protokoll.docx"))
    imported = import_text("protokoll.docx", text, organ="ks")
    assert BUDGET_TABLE in imported.markdown
    assert not [p for p in imported.problems if "tabell" in p.message]


def test_word_headers_and_footers_are_furniture_the_first_pages_header_on_top(
    tmp_path: Path,
) -> None:
    """A first page with its own header (the body and the date on it), the running header of
    the other pages, an even pages' header, a footer, a second section that keeps the first's
    header and has a footer of its own: the first page's header once at the top of the text,
    every other part once in ``furniture``, none of it in the body."""
    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = True
    first = document.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "Kommunstyrelsen"
    first.first_page_header.add_paragraph("Sammanträdesdatum 2024-03-05")
    first.header.paragraphs[0].text = "Kommunstyrelsen sammanträdesprotokoll"
    first.even_page_header.paragraphs[0].text = "Jämn sida"
    first.footer.paragraphs[0].text = "Justerandes sign"
    document.add_paragraph("Plats och tid   Kommunhuset")
    second = document.add_section()
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "Utdragsbestyrkande"
    document.add_paragraph("§ 1 Val av justerare")
    document.save(str(tmp_path / "sidhuvud.docx"))
    found = extract(tmp_path / "sidhuvud.docx")
    assert found.text is not None
    lines = [line for line in found.text.splitlines() if line]
    assert lines == [
        "Kommunstyrelsen",
        "Sammanträdesdatum 2024-03-05",
        "Plats och tid   Kommunhuset",
        "§ 1 Val av justerare",
    ]
    assert sorted(found.furniture) == sorted(
        ["Kommunstyrelsen sammanträdesprotokoll", "Jämn sida", "Justerandes sign",
         "Utdragsbestyrkande"]
    )  # fmt: skip


def test_a_scan_with_an_ocr_text_layer_is_read_with_one_warning() -> None:
    """The fixture: one page that is one image, tesseract's text over it."""
    found = extract(LAYOUTS / "scanned-ocr.pdf")
    assert found.text is not None
    assert "Kansli personal      2 203 250,00" in found.text
    said = [p for p in found.problems if "OCR" in p.message]
    assert len(said) == 1 and said[0].line == 1
    assert said[0].message == (
        "sidan 1 av 1 är en skannad bild med text ovanpå: texten kommer från OCR och kan "
        "innehålla fel; jämför med originalet"
    )
    budget = find_tables(split_lines(found.text))
    assert len(budget) == 1 and render(budget[0]).endswith(
        "| Kansli personal | 2 203 250,00 |\n| Kansli övrigt | 312 400,00 |\n"
        "| Lokaler | 450 000,00 |\n| Summa | 2 965 650,00 |"
    )


def test_an_imported_scan_warns_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.rmtree(content / "protocols")
    result = run_build_py("import", str(LAYOUTS / "scanned-ocr.pdf"), "--content", str(content))
    lines = [line for line in result.stderr.splitlines() if "texten kommer från OCR" in line]
    assert len(lines) == 1 and ":1: warning: sidan 1 av 1" in lines[0], result.stderr


def _png(width: int, height: int) -> bytes:
    """A grey PNG of the given size in pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    pixels = zlib.compress(b"".join(b"\x00" + b"\x99" * width for _ in range(height)))
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@pytest.mark.parametrize(
    ("image", "text", "expected"),
    [
        # a logo beside real text: no scan
        ("width:3cm;height:2cm", "Kommunstyrelsen fastställer budgeten.", None),
        # a page-sized image and no text: today's message, no OCR is done here
        ("position:absolute;top:0;left:0;width:21cm;height:29.7cm", "", "inget textlager"),
    ],
    ids=["logo", "scan-without-text"],
)
def test_only_a_page_sized_image_under_text_is_a_scan(
    image: str, text: str, expected: str | None, tmp_path: Path
) -> None:
    import weasyprint

    data = base64.b64encode(_png(200, 280)).decode()
    html = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4;margin:0}</style></head><body>"
        f"<img style='{image}' src='data:image/png;base64,{data}'><p>{escape(text)}</p>"
        "</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(tmp_path / "bild.pdf")
    found = extract(tmp_path / "bild.pdf")
    said = " ".join(p.message for p in found.problems)
    assert "OCR och kan innehålla fel" not in said
    assert (expected is None) == (found.text is not None)
    if expected is not None:
        assert expected in said


def test_page_images_reads_pdfimages_listing() -> None:
    """Page 2's image covers an A4 page (1654 × 2339 pixels at 200 ppi), page 1's logo and page
    3's half-page photo do not; a landscape scan counts either way up."""
    listing = """\
page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
--------------------------------------------------------------------------------------------
   1     0 image     300   120  rgb     3   8  jpeg   no        11  0   300   300 9.1K 8.4%
   2     1 image    1654  2339  gray    1   1  ccitt  no        12  0   200   200  47K 1.2%
   3     2 image    1654  1100  rgb     3   8  jpeg   no        13  0   200   200  90K 1.6%
   4     3 smask   2339  1654  gray    1   8  image  no        14  0   200   200  10K 0.3%
   5     4 image    3508  2480  rgb     3   8  jpeg   no        15  0   300   300 300K 1.1%
"""
    assert page_images(listing) == {1, 4}


def test_pdfimages_runs_only_for_an_image_that_may_be_a_page(tmp_path: Path) -> None:
    """A logo's size in its dictionary says it is none; a scan's says it may be; a size that
    cannot be read (an indirect object) may be one."""
    import weasyprint

    data = base64.b64encode(_png(300, 120)).decode()
    html = f"<html><body><img src='data:image/png;base64,{data}'><p>Text</p></body></html>"
    weasyprint.HTML(string=html).write_pdf(tmp_path / "logga.pdf")
    assert not page_sized_image((tmp_path / "logga.pdf").read_bytes())
    assert page_sized_image((LAYOUTS / "scanned-ocr.pdf").read_bytes())
    unknown = b"7 0 obj\n<< /Type /XObject /Subtype /Image /Width 9 0 R /Height 10 0 R >>\nstream"
    assert page_sized_image(unknown)
    assert not page_sized_image(b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj")


def anslag_docx(target: Path) -> Path:
    """A protocol whose signatures and ANSLAG/BEVIS are Word tables as offices lay them out:
    "Underskrifter" merged down three rows beside "Sekreterare" | dots | the name; the
    ANSLAG/BEVIS as label | value, a label in two paragraphs of its cell ("Datum för anslags" /
    "uppsättande"), the two anslag dates as two pairs on one row, the förvaringsplats in two
    paragraphs and the signer's name under it without a label."""
    document = docx.Document()
    for line in TITLE:
        document.add_paragraph(line)
    front = document.add_table(rows=3, cols=2)
    for index, (label, values) in enumerate(FRONT[:2] + FRONT[3:4]):
        front.cell(index, 0).text = label
        front.cell(index, 1).text = values[0]
        for value in values[1:]:
            front.cell(index, 1).add_paragraph(value)
    signatures = document.add_table(rows=3, cols=3)
    merged = signatures.cell(0, 0).merge(signatures.cell(2, 0))
    merged.text = "Underskrifter"
    for row, (role, name) in enumerate(
        [("Sekreterare", "Lisa Lund"), ("Ordförande", "Lars Nyberg"), ("Justerare", "Karin Wester")]
    ):
        signatures.cell(row, 1).text = role
        signatures.cell(row, 2).text = "." * 30
        signatures.cell(row, 2).add_paragraph(name)
    document.add_paragraph("ANSLAG/BEVIS")
    document.add_paragraph("Protokollet är justerat. Justeringen har tillkännagivits genom anslag.")
    anslag = document.add_table(rows=4, cols=4)
    anslag.cell(0, 0).text = "Organ"
    anslag.cell(0, 1).merge(anslag.cell(0, 3)).text = "Kommunstyrelsen"
    anslag.cell(1, 0).text = "Sammanträdesdatum"
    anslag.cell(1, 1).merge(anslag.cell(1, 3)).text = "2024-03-05"
    for column, (label, day) in enumerate(
        [
            (("Datum för anslags", "uppsättande"), "2024-03-11"),
            (("Datum för anslags", "nedtagande"), "2024-04-02"),
        ]
    ):
        cell = anslag.cell(2, 2 * column)
        cell.text = label[0]
        cell.add_paragraph(label[1])
        anslag.cell(2, 2 * column + 1).text = day
    anslag.cell(3, 0).text = "Förvaringsplats"
    anslag.cell(3, 0).add_paragraph("för protokollet")
    kept = anslag.cell(3, 1).merge(anslag.cell(3, 3))
    kept.text = "Kommunkansliet,"
    kept.add_paragraph("Ådala")
    kept.add_paragraph("Lisa Lund")
    document.add_heading(BODY[0][0], level=2)
    document.add_paragraph(BODY[0][1])
    document.save(str(target))
    return target


def test_signature_and_anslag_tables_with_merged_cells_give_their_facts(tmp_path: Path) -> None:
    """Issue 29: the classic two-column ANSLAG/BEVIS is read (its labels broken in their cells,
    two pairs on a row), the förvaringsplats holds no label's tail ("för protokollet") and no
    signer, the signature table's names are the officers', and no word of the document is lost
    (the independent count, on the document's own XML)."""
    from test_import_whole import source_text
    from wordcount import missing_words

    path = anslag_docx(tmp_path / "protokoll.docx")
    imported = import_text("protokoll.docx", text_of(path), organ="ks", paged=False)
    meta = front_matter(imported.markdown)
    assert meta["anslag"] == {
        "posted": __import__("datetime").date(2024, 3, 11),
        "taken_down": __import__("datetime").date(2024, 4, 2),
    }
    assert meta["kept_at"] == "Kommunkansliet, Ådala"
    assert meta["chair"] == "Lars Nyberg" and meta["justerare"] == ["Karin Wester"]
    assert meta["secretary"]["name"] == "Lisa Lund"
    assert missing_words(source_text(path), imported.markdown) == Counter()
