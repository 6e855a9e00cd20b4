"""Importing the files offices have: a protocol as PDF (its text layer) and as Word gives the
facts its text gives; a scan, an encrypted or a damaged file gets a clear message while the
rest of the folder goes on; a plan becomes a plan with its tables."""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from conftest import ROOT, SEEDS, run_build_py

SEED = SEEDS / "001_a4d7043a999553f5.txt"
PLAN_SEED = SEEDS / "003_ff92be12a49ac26b.txt"


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    data = yaml.safe_load(text[4:].split("\n---\n", 1)[0])
    assert isinstance(data, dict)
    return data


def paragraphs(path: Path) -> list[str]:
    return re.findall(r"^## (§ \d+ .*)$", path.read_text("utf-8"), re.MULTILINE)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A content folder with the sample's settings and no protocols or plans yet."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.rmtree(content / "protocols")
    shutil.rmtree(content / "plans")
    return content


def imported(content: Path, *files: Path, extra: tuple[str, ...] = ()) -> Any:
    return run_build_py("import", *map(str, files), "--content", str(content), *extra)


def as_pdf(text: str, target: Path) -> Path:
    """The text printed as a PDF by WeasyPrint, line for line in a fixed-width font, as an
    office's word processor would have laid it out."""
    import weasyprint

    html = (
        "<html lang='sv'><head><style>@page{size:A4 landscape;margin:1cm}"
        "pre{font:7pt 'DejaVu Sans Mono',monospace}</style></head>"
        f"<body><pre>{escape(text)}</pre></body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(target)
    return target


def as_docx(text: str, target: Path) -> Path:
    """The text as a Word document, one paragraph per line, the § lines as headings."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        if re.match(r"^\s*§\s*\d+", line):
            document.add_heading(line.strip(), level=2)
        else:
            document.add_paragraph(line.rstrip())
    document.save(str(target))
    return target


FACTS = ("organ", "status", "date", "time", "place", "chair", "justerare", "justering", "anslag")


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_pdf_or_word_file_gives_the_facts_its_text_gives(
    kind: str, archive: Path, tmp_path: Path
) -> None:
    text = SEED.read_text("utf-8")
    source = tmp_path / f"protokoll.{kind}"
    (as_pdf if kind == "pdf" else as_docx)(text, source)
    plain = tmp_path / "text" / "content"
    shutil.copytree(archive, plain)
    assert imported(plain, SEED).returncode == 0
    result = imported(archive, source)
    assert result.returncode == 0, result.stderr
    written = archive / "protocols/styrelsen/2023-09-13.md"
    expected = plain / "protocols/styrelsen/2023-09-13.md"
    mine, theirs = front_matter(written), front_matter(expected)
    for key in FACTS:
        assert mine.get(key) == theirs.get(key), key
    assert mine["attendees"]["voting"] == theirs["attendees"]["voting"]
    assert paragraphs(written) == paragraphs(expected)
    assert "kom inte med" not in result.stderr or "ligger kvar som text" in result.stderr


def test_a_scan_an_encrypted_and_a_damaged_pdf_get_messages_and_the_rest_goes_on(
    archive: Path, tmp_path: Path
) -> None:
    import weasyprint

    folder = tmp_path / "arkiv"
    folder.mkdir()
    weasyprint.HTML(string="<html><body></body></html>").write_pdf(folder / "skannad.pdf")
    as_pdf("Hemligt protokoll", tmp_path / "open.pdf")
    with pikepdf.open(tmp_path / "open.pdf") as pdf:
        pdf.save(folder / "last.pdf", encryption=pikepdf.Encryption(owner="o", user="lösen"))
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf\n")
    (folder / "trasig.docx").write_bytes(b"PK\x03\x04 not a zip")
    shutil.copy(SEED, folder / "protokoll.txt")
    result = imported(archive, folder)
    assert result.returncode == 1
    said = result.stderr
    assert "skannad.pdf: error: PDF:en har inget textlager" in said
    assert "last.pdf: error: PDF:en är lösenordsskyddad eller krypterad" in said
    assert "trasig.pdf: error: PDF:en kan inte läsas" in said
    assert "trasig.docx: error: Word-filen kan inte läsas" in said
    assert (archive / "protocols/styrelsen/2023-09-13.md").is_file()  # the rest went on
    assert "1 av 5 filer skrevs" in said


def test_nothing_is_written_twice_or_over_what_is_there(archive: Path, tmp_path: Path) -> None:
    twin = tmp_path / "kopia.txt"
    shutil.copy(SEED, twin)
    result = imported(archive, SEED, twin)
    assert result.returncode == 1
    assert "kopia.txt: error: samma möte som" in result.stderr
    target = archive / "protocols/styrelsen/2023-09-13.md"
    target.write_text(target.read_text("utf-8") + "\nRättat för hand.\n", "utf-8")
    again = imported(archive, SEED)
    assert again.returncode == 1 and "--force" in again.stderr
    assert target.read_text("utf-8").endswith("Rättat för hand.\n")
    assert imported(archive, SEED, extra=("--force",)).returncode == 0
    assert "Rättat för hand." not in target.read_text("utf-8")


def test_text_that_lost_its_diacritics_gets_one_warning(archive: Path, tmp_path: Path) -> None:
    table = str.maketrans("åäöÅÄÖ", "aaoAAO")
    flat = tmp_path / "ocr.txt"
    flat.write_text(SEED.read_text("utf-8").translate(table), "utf-8")
    result = imported(archive, flat)
    lines = [line for line in result.stderr.splitlines() if "tappat å, ä och ö" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{flat.as_posix()}:")


def _tables(markdown: str) -> list[dict[str, str]]:
    """Each table's rows: the digits of its cells by the row's label."""
    tables: list[dict[str, str]] = []
    previous = ""
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            if not previous.startswith("|"):
                tables.append({})
            label, *cells = [cell.strip() for cell in line.strip("|").split("|")]
            digits = re.sub(r"\D", "", "".join(cells))
            if label and digits:
                tables[-1][label] = digits
        previous = line
    return tables


def test_the_seed_plan_becomes_a_plan_with_the_sample_plans_tables(
    archive: Path,
) -> None:
    result = imported(archive, PLAN_SEED)
    assert result.returncode == 0, result.stderr
    written = archive / "plans/mal-budget-och-verksamhetsplan-2019.md"
    meta = front_matter(written)
    sample = ROOT / "content/plans/verksamhetsplan-2019.md"
    assert meta["title"] == front_matter(sample)["title"]
    assert meta["year"] == 2019 and meta["status"] == "published"
    assert "adopted" not in meta and "adopted utelämnas" in result.stderr  # not stated
    mine, theirs = _tables(written.read_text("utf-8")), _tables(sample.read_text("utf-8"))
    budget = {"FK och AF", "Haninge", "Summa insatser", "Total Budget", "Totalt", "SLL"}
    assert budget <= {label for table in mine for label in table}
    for table in mine:  # every amount as written, row for row, in the sample's same table
        same = max(theirs, key=lambda other: len(other.keys() & table.keys()))
        assert len(same.keys() & table.keys()) >= len(table) // 2, table
        for label, digits in table.items():
            assert same.get(label) == digits, label
    # three of the sample's four tables whole; the fourth ("Ung i Nynäs 175 150": numbers
    # one space apart, which could as well be 175 150) stays text, its words kept
    whole = [t for t in theirs if any(t.keys() - {"Insats"} <= m.keys() for m in mine)]
    assert len(whole) >= 3
    headings = re.findall(r"^(#+) (\d[\d.]*) ", written.read_text("utf-8"), re.MULTILINE)
    assert ("##", "4.") in headings and ("###", "4.1") in headings
    (archive / "protocols").mkdir()
    checked = run_build_py("check", "--content", str(archive))
    assert checked.returncode == 0, checked.stderr


def test_a_pdf_with_a_scanned_page_says_which(archive: Path, tmp_path: Path) -> None:
    """A page without text layer among pages with text is named, not lost in silence."""
    import weasyprint

    text = escape(SEED.read_text("utf-8"))
    html = (
        "<html><head><style>pre{font:7pt monospace} .scan{page-break-before:always;"
        "page-break-after:always;height:20cm;background:#888}</style></head><body>"
        f"<pre>{text[:1500]}</pre><div class='scan'></div><pre>{text[1500:3000]}</pre>"
        "</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(tmp_path / "blandad.pdf")
    result = imported(archive, tmp_path / "blandad.pdf")
    assert re.search(
        r"blandad\.pdf:\d+: warning: sidan \d+ av \d+ har inget textlager", result.stderr
    )


def test_a_word_file_keeps_its_tables_controls_and_insertions(tmp_path: Path) -> None:
    """Text in a table (a merged cell once), a content control and a tracked insertion comes
    along; a tracked deletion does not."""
    import docx
    from docx.oxml import parse_xml

    from justerat.importer.sources import extract

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Beslutande", "Anna Berg (S), ordförande"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Anteckning om närvaron"
    body = document.element.body
    control = f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Kontrollens text</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    body.insert(len(body) - 1, parse_xml(control))
    changed = document.add_paragraph("Ändrat ")
    changed._p.append(
        parse_xml(f"<w:ins {w} w:id='1' w:author='a'><w:r><w:t>insatt</w:t></w:r></w:ins>")
    )
    changed._p.append(
        parse_xml(
            f"<w:del {w} w:id='2' w:author='a'><w:r><w:delText>borttaget</w:delText><w:t>struket</w:t></w:r></w:del>"
        )
    )
    document.save(str(tmp_path / "prov.docx"))
    text = extract(tmp_path / "prov.docx").text
    assert text is not None
    assert re.search(r"^Beslutande\s+Anna Berg \(S\), ordförande$", text, re.MULTILINE)
    assert text.count("Anteckning om närvaron") == 1
    assert "Kontrollens text" in text and "Ändrat insatt" in text
    assert "struket" not in text and "borttaget" not in text


ADVERSARIAL = {
    # a date and a body in a sentence before any label: neither is the meeting's
    "prosa.txt": (
        "Protokoll\n\nÄrendet har tidigare behandlats av Kommunfullmäktige 2022-11-28\n"
        "som då beslutade att återremittera det.\n\n§ 1 Val av justerare\n\n"
        "Anna Berg utses att justera protokollet.\n"
    ),
    # another meeting's notice told inside a paragraph is no ANSLAGSBEVIS
    "anslag.txt": (
        "Styrelsen\nProtokoll\n\nPlats och tid   Kommunhuset, 2023-09-13 kl. 09.00-11.30\n\n"
        "§ 1 Föregående protokoll\n\nJusteringen har tillkännagivits genom anslag den "
        "2023-08-20.\nAnslaget tas ned 2023-09-11.\nStyrelsen lägger det till handlingarna.\n"
    ),
}


def test_no_fact_is_taken_from_a_sentence(archive: Path, tmp_path: Path) -> None:
    for name, text in ADVERSARIAL.items():
        (tmp_path / name).write_text(text, "utf-8")
    result = imported(archive, *(tmp_path / name for name in ADVERSARIAL))
    written = {p.name: p for p in (archive / "protocols").glob("*/*.md")}
    prose = written["utan-datum-prosa.md"]
    assert "date" not in front_matter(prose) and "kommunfullmaktige" not in prose.parts
    assert "Ärendet har tidigare behandlats av Kommunfullmäktige 2022-11-28" in prose.read_text()
    notice = front_matter(written["2023-09-13.md"])
    assert "anslag" not in notice
    assert "Anslaget tas ned 2023-09-11." in written["2023-09-13.md"].read_text("utf-8")
    assert "ANSLAGSBEVIS saknas" in result.stderr


def test_numbers_without_a_section_sign_when_they_run_on() -> None:
    """A web transcript's "120 Motion om …", "121 …", "122 …" are paragraphs; a lone
    number before a capital in a sentence, or two in a row, are not."""
    from justerat.importer.convert import import_text

    transcript = (
        "Kommunfullmäktige 2009-11-18\n\n120 Motion om samarbete\n\nMotionen överlämnas.\n\n"
        "121 Motion om Borgmästaravtal\n\nMotionen bifalls.\n\n122 Interpellation om skolan\n\n"
        "Interpellationen besvaras.\n"
    )
    assert import_text("a.txt", transcript, organ="kf").numbers == (120, 121, 122)
    two = transcript.split("\n\n122")[0] + "\n"
    assert import_text("b.txt", two, organ="kf").numbers == ()
    prefixed = "Kf 88 Föredragningslistan\n\nText.\n\nKf 89 Val\n\nText.\n\nKf 90 Motion\n\nText.\n"
    imported = import_text("c.txt", prefixed, organ="kf")
    assert imported.numbers == (88, 89, 90) and imported.account.lost == []
