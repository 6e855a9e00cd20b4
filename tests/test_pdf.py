"""The archive's PDFs, read back: text, metadata, structure, PDF/A, determinism, sandbox."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SEEDS, in_memory, run_build_py, tree_snapshot
from pikepdf import pdfa
from PIL import Image
from pypdf import PdfReader
from test_site import SEED_PROTOCOLS, source_tables

PROTOCOL_2023 = "protokoll/styrelsen/2023-09-13/protokoll-styrelsen-2023-09-13.pdf"
BEVIS_2023 = "protokoll/styrelsen/2023-09-13/anslagsbevis/anslagsbevis-styrelsen-2023-09-13.pdf"
EXTRACT_2023_4 = (
    "protokoll/styrelsen/2023-09-13/utdrag/protokollsutdrag-styrelsen-2023-09-13-paragraf-4.pdf"
)
PLAN = "planer/verksamhetsplan-2019/verksamhetsplan-2019.pdf"


def pages_text(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


@pytest.mark.parametrize("seed", sorted(SEED_PROTOCOLS))
def test_protocol_pdf_holds_every_paragraph_and_attendee(site: Path, seed: str) -> None:
    facts = SEED_PROTOCOLS[seed]
    url = facts["url"]
    stem = url.strip("/").split("/")
    pdf = site / url / f"protokoll-{stem[1]}-{stem[2]}.pdf"
    pages = pages_text(pdf)
    text = " ".join(pages)
    for name in facts["attendees"]:
        assert name in text, name
    for number in facts["paragraphs"]:
        assert re.search(rf"§ {number} \w", text), number
    assert "ANSLAGSBEVIS" in pages[0] + pages[1]
    assert "Protokollet är justerat. Justeringen har tillkännagivits genom anslag." in text
    for index, page in enumerate(pages, start=1):
        assert f"Sida {index} av {len(pages)}" in page
        assert "Justerare" in page and "Utdragsbestyrkande" in page
    for page in pages[1:]:  # the running header, from the second page on
        assert (
            f"Samordningsförbundet Östra Södertörn · Styrelsen · Sammanträdesdatum {facts['date']}"
            in page
        )


def test_metadata_language_and_structure(site: Path) -> None:
    with pikepdf.open(site / PROTOCOL_2023) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Protokoll Styrelsen 2023-09-13"
        assert str(info["/Author"]) == "Samordningsförbundet Östra Södertörn"
        assert str(info["/CreationDate"]) == "D:20230921"  # the justering date
        assert "/ModDate" not in info
        assert str(pdf.Root.Lang) == "sv"
        assert pdf.Root.MarkInfo.Marked
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFA1" and "sRGB" in str(intent.OutputConditionIdentifier)
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
            assert xmp["dc:title"] == "Protokoll Styrelsen 2023-09-13"
        assert len(pdf.pages) == len(PdfReader(site / PROTOCOL_2023).pages)
        page = pdf.pages[0]
        assert [round(float(v)) for v in page.MediaBox] == [0, 0, 595, 842]  # A4
        roles: set[str] = set()

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    roles.add(str(node.S))
                kids = node.get("/K")
                if kids is not None:
                    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                        walk(kid)

        walk(pdf.Root.StructTreeRoot)
        assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD"} <= roles
        fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
        assert fonts and all("Noto" in font for font in fonts), fonts


def test_table_header_repeats_when_a_table_breaks(site: Path) -> None:
    pages = pages_text(site / PROTOCOL_2023)
    with_header = [
        i for i, page in enumerate(pages) if "Budget 1:a halvåret Utfall 1:a halvåret" in page
    ]
    assert len(with_header) == 2 and with_header[1] == with_header[0] + 1


def test_every_pdf_passes_pdfa_2b_validation(site: Path) -> None:
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) == 2 + 2 + 11 + 9 + 1  # protocols, anslagsbevis, extracts, plan
    for path in pdfs:
        report = pdfa.validate_written(path, "2b")
        unexpected = []
        for finding in report.findings:
            if finding.message == "pdfaid:conformance is 'A', expected 'B'":
                continue  # we declare 2a: 2b plus the structure tree
            if finding.message in {"patterns are not supported", "shadings are not supported"}:
                continue  # checked just below: WeasyPrint writes them empty
            unexpected.append(finding)
        assert unexpected == [], (path, unexpected)
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for key in ("/Pattern", "/Shading"):
                    assert len(page.Resources.get(key, pikepdf.Dictionary())) == 0


def test_extract_holds_one_paragraph_and_the_attestation(site: Path) -> None:
    text = " ".join(pages_text(site / EXTRACT_2023_4))
    assert "PROTOKOLLSUTDRAG" in text
    assert "§ 4 Halvårsrapport och halvårsbokslut 2023" in text
    assert "§ 3 " not in text and "§ 5 " not in text
    assert (
        "Utdragsbestyrkande" in text and "Utdraget överensstämmer med originalprotokollet" in text
    )
    assert "Justerare Ajda Asgari" in text and "Sammanträdesdatum 13 september 2023" in text
    assert "10 228 433" in text  # the paragraph's table travels with it


def test_anslagsbevis_pdf(site: Path) -> None:
    text = " ".join(pages_text(site / BEVIS_2023))
    for fact in [
        "ANSLAGSBEVIS",
        "Sammanträdesdatum 2023-09-13",
        "Datum för anslags uppsättande 2023-09-22",
        "Datum för anslags nedtagande 2023-10-16",
        "Sista dag att överklaga 2023-10-13",
        "Samordningsförbundets kansli, 136 81 Haninge",
    ]:
        assert fact in text, fact
    acknowledged = " ".join(
        pages_text(
            site
            / "protokoll/styrelsen/2022-05-11/anslagsbevis/anslagsbevis-styrelsen-2022-05-11.pdf"
        )
    )
    assert "Kvittens: Det arkiverade protokollet anger digital signering" in acknowledged


def test_plan_pdf_has_every_table(site: Path) -> None:
    text = " ".join(pages_text(site / PLAN))
    assert text.startswith(
        "Samordningsförbundet Östra Södertörn 2019 Mål, budget och verksamhetsplan 2019"
    )
    # figures of the seed document's tables (003_ff92be12a49ac26b.txt)
    for figure in [
        "18 941 000",
        "16 416 000",
        "21 682 000",
        "2 741 000",
        "1 020 + 250 konsultationer",
    ]:
        assert figure in text, figure
    # every table of the plan's source: its caption, and each row's cells in reading order
    tables = source_tables(ROOT / "content/plans/verksamhetsplan-2019.md")
    assert [caption for caption, _ in tables] == [
        "Fördelning av medlemsavgifter 2019*",
        "Årsmål antal deltagare under 2019 jämfört med 2018",
        "Medlemsavgifter 2014–2019",
        "Budget insatser 2019",
    ]
    for caption, rows in tables:
        assert caption in text, caption
        for row in rows:
            assert " ".join(cell for cell in row if cell) in text, (caption, row)
    assert "Johan Svensk" in text and "Ritva Widgren" in text


def test_html_pages_link_each_pdf_with_its_size(site: Path) -> None:
    for page, count in [
        ("protokoll/styrelsen/2023-09-13/", 13),
        ("planer/verksamhetsplan-2019/", 1),
    ]:
        soup = BeautifulSoup((site / page / "index.html").read_text("utf-8"), "html.parser")
        links = soup.select("a.pdf")
        assert len(links) == count
        for link in links:
            target = (site / page / link["href"]).resolve()
            assert target.is_file(), link["href"]
            size = target.stat().st_size
            label = link.select_one(".size").get_text()
            expected = f"{max(1, round(size / 1000))} kB"
            assert label == f"(PDF, {expected})", (link["href"], label)


def test_pdfs_are_byte_identical_when_rendered_anew(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_build_py("build", "--out", str(out), "--no-cache", "--today", "2024-01-01")
        assert result.returncode == 0, result.stderr
    a, b = tree_snapshot(first), tree_snapshot(second)
    assert [k for k in a if k.endswith(".pdf")]

    assert a == b  # the search index included


@pytest.mark.parametrize(
    "url",
    ["http://example.com/logo.png", "file:///etc/passwd", "https://example.com/style.css"],
)
def test_the_renderer_fetches_nothing_outside_its_folders(tmp_path: Path, url: str) -> None:
    from justerat.pdfs.pdf import render_pdf

    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body><img src="{url}"></body></html>'
    data, violation = render_pdf(html, tmp_path.as_uri() + "/", [str(tmp_path)])
    assert data is None and violation == url


def test_a_template_that_reaches_outside_fails_the_build(content: Path, tmp_path: Path) -> None:
    """Markdown images are stopped by `check` (see the bad-input corpus); the PDF sandbox
    stops what a changed template asks for."""
    out = tmp_path / "site"
    assert run_build_py("build", "--content", str(content), "--out", str(out)).returncode == 0
    before = tree_snapshot(out)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    base = templates / "pdf/base.html"
    text = base.read_text("utf-8")
    assert "{% block content %}{% endblock %}" in text
    base.write_text(
        text.replace(
            "{% block content %}{% endblock %}",
            '<img src="file:///etc/hostname" alt="">{% block content %}{% endblock %}',
        ),
        "utf-8",
    )
    result = run_build_py(
        "build",
        "--content",
        str(content),
        "--templates",
        str(templates),
        "--out",
        str(out),
        "--no-cache",
    )
    assert result.returncode == 1
    assert (
        "error: PDF-versionen får bara använda filer i innehålls- och mallmapparna; "
        "'file:///etc/hostname' är inte tillåten"
    ) in result.stderr, result.stderr
    assert tree_snapshot(out) == before


def test_an_image_inside_the_content_folder_is_allowed(content: Path, tmp_path: Path) -> None:
    logo = ROOT / "templates/assets"  # any file in the allowed folders will do as a source
    assert logo.is_dir()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    (content / "protocols/styrelsen/bild.png").write_bytes(png)
    protocol = content / "protocols/styrelsen/2023-09-13.md"
    protocol.write_text(
        protocol.read_text("utf-8").replace(
            "Till justerare av dagens", "![Punkt](bild.png)\n\nTill justerare av dagens", 1
        ),
        "utf-8",
    )
    out = tmp_path / "site"
    result = run_build_py("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(io.BytesIO((out / PROTOCOL_2023).read_bytes())) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images, "the image inside content/ is embedded"


def test_a_replaced_image_is_printed_anew(content: Path, tmp_path: Path) -> None:
    """A PDF is found again by the page it prints only when the files that page names are the
    same too: an image replaced under its old name gives a new PDF, not the kept one."""
    from PIL import Image

    image = content / "plans/karta.png"
    plan = content / "plans/verksamhetsplan-2019.md"
    text = plan.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    plan.write_text(f"{head}\n---\n![Karta](karta.png)\n\n{body}", "utf-8")
    args = ["build", "--content", str(content), "--out", str(tmp_path / "site")]
    args += ["--cache", str(tmp_path / "cache"), "--today", "2024-01-01"]

    def printed_colour() -> tuple[int, ...]:
        with pikepdf.open(tmp_path / "site" / PLAN) as pdf:
            first = next(iter(pdf.pages[0].get_images().values()))  # on every page
            picture = pikepdf.PdfImage(first).as_pil_image().convert("RGB")
        return tuple(picture.getpixel((4, 4)))

    for colour in ((200, 0, 0), (0, 0, 200)):  # the same name, another picture
        Image.new("RGB", (8, 8), colour).save(image)
        result = run_build_py(*args)
        assert result.returncode == 0, result.stderr
        assert printed_colour() == colour


def test_a_rebuild_renders_only_the_pdfs_whose_content_changed(
    content: Path, tmp_path: Path
) -> None:
    from datetime import date

    from justerat.build.options import Options

    options = Options(content=content, cache=tmp_path / "cache", today=date(2024, 1, 1))
    first = in_memory(options)
    assert first.ok and len(first.pdfs_rendered) == 25
    second = in_memory(options)
    assert second.ok and second.pdfs_rendered == ()
    protocol = content / "protocols/styrelsen/2022-05-11.md"
    protocol.write_text(
        protocol.read_text("utf-8").replace("Val av justerare", "Val av justerare och rösträknare"),
        "utf-8",
    )
    third = in_memory(options)
    assert third.ok
    # only PDFs of that protocol, and of those only the ones whose content changed: the whole
    # protocol and the extract of § 2 (the anslagsbevis and the other extracts stay as they were)
    assert set(third.pdfs_rendered) == {
        "protokoll/styrelsen/2022-05-11/protokoll-styrelsen-2022-05-11.pdf",
        "protokoll/styrelsen/2022-05-11/utdrag/protokollsutdrag-styrelsen-2022-05-11-paragraf-2.pdf",
    }


def test_the_same_content_in_another_folder_prints_nothing_anew(
    content: Path, tmp_path: Path
) -> None:
    """A PDF is known by what it prints and where from as seen from the content folder, not
    by where that folder is: the content moved (or copied, or named by another path) prints
    no PDF again, and gives the same PDFs byte for byte."""
    from datetime import date

    from justerat.build.options import Options

    # as an office keeps them: the templates beside the content (a print template may name
    # its files relative to the page, so where they are from the content is in the key)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    moved = tmp_path / "elsewhere/deeper/content"
    shutil.copytree(content, moved)  # new paths, modification times and inodes
    templates = moved.parent / "templates"
    shutil.copytree(ROOT / "templates", templates)
    cache = tmp_path / "cache"
    first = in_memory(
        Options(
            content=content, templates=tmp_path / "templates", cache=cache, today=date(2024, 1, 1)
        )
    )
    assert first.ok and len(first.pdfs_rendered) == 25
    again = in_memory(
        Options(content=moved, templates=templates, cache=cache, today=date(2024, 1, 1))
    )
    assert again.ok and again.pdfs_rendered == ()
    pdfs = {path: data for path, data in first.files.items() if path.endswith(".pdf")}
    assert pdfs == {path: data for path, data in again.files.items() if path.endswith(".pdf")}
    # templates elsewhere as seen from the content folder: printed anew, to the same bytes
    apart = in_memory(
        Options(
            content=moved, templates=tmp_path / "templates", cache=cache, today=date(2024, 1, 1)
        )
    )
    assert apart.ok and len(apart.pdfs_rendered) == 25
    assert pdfs == {path: data for path, data in apart.files.items() if path.endswith(".pdf")}


def test_a_nightly_rebuild_keeps_the_published_pdfs_without_loading_the_renderer(
    content: Path, tmp_path: Path
) -> None:
    """The board follows the date, the PDFs do not: the next day's build keeps every PDF as
    published (the same file, not read from the cache or written again) and does not even
    load WeasyPrint, which takes most of a second."""
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c")]
    assert run_build_py(*args, "--today", "2024-01-01").returncode == 0
    before = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*.pdf")}
    assert len(before) == 25
    board = (out / "anslagstavla/index.html").read_text("utf-8")
    nightly = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            str(ROOT / "build.py"),
            *args,
            "--today",
            "2024-01-02",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert nightly.returncode == 0, nightly.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in nightly.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "justerat.pdfs.pdf" in imported, sorted(imported)[:5]
    assert "weasyprint" not in imported, nightly.stderr[-3000:]
    assert (out / "anslagstavla/index.html").read_text("utf-8") != board  # a new tree is shown
    assert {p.relative_to(out): p.stat().st_ino for p in out.rglob("*.pdf")} == before


def test_every_paragraph_title_of_the_seeds_is_in_the_pdf(site: Path) -> None:
    for seed, stem in [
        ("001_a4d7043a999553f5.txt", "2023-09-13"),
        ("002_c622166b849dc455.txt", "2022-05-11"),
    ]:
        titles = re.findall(
            r"^\s*§ (\d+) (\S.*?)\s*$", (SEEDS / seed).read_text("utf-8"), re.MULTILINE
        )
        assert titles
        text = " ".join(
            pages_text(site / f"protokoll/styrelsen/{stem}/protokoll-styrelsen-{stem}.pdf")
        )
        for number, title in titles:
            assert f"§ {number} {' '.join(title.split())}" in text, (stem, number, title)


def test_fonts_are_embedded(site: Path) -> None:
    with pikepdf.open(site / PROTOCOL_2023) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    font.BaseFont
                )


def test_page_images_for_a_person_to_compare(
    site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each page of the protocol as an image (kept in pytest's temporary folder, whose path
    the test prints, for a person to look at): an A4 page with print on it, none of it so near an edge that a
    printer would cut it off, and the paragraphs' headings one after another as the reader
    leafs through."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is installed by ./setup.sh --dev"
    folder = tmp_path_factory.mktemp("pdf-pages")
    print(f"page images: {folder}")
    dpi = 60
    subprocess.run(
        [
            pdftoppm,
            "-r",
            str(dpi),
            "-png",
            str(site / PROTOCOL_2023),
            str(folder / "protokoll-2023-09-13"),
        ],
        check=True,
    )
    images = sorted(folder.glob("*.png"))
    pages = pages_text(site / PROTOCOL_2023)
    assert len(images) == len(pages)
    mm = dpi / 25.4  # pixels in a millimetre
    for image in images:
        with Image.open(image) as picture:
            grey = picture.convert("L")
        width, height = grey.size
        assert abs(width / mm - 210) < 2 and abs(height / mm - 297) < 2, image.name  # A4
        inked = grey.point(lambda v: 255 if v < 215 else 0).getbbox()  # what is not paper
        assert inked is not None, f"{image.name} is blank"
        left, top, right, bottom = inked
        edge = 5 * mm  # printers leave about 5 mm of each edge unprinted
        assert min(left, top, width - right, height - bottom) >= edge, (image.name, inked)
    # every heading of the source, on one page only, in order from the first page to the last
    source = (ROOT / "content/protocols/styrelsen/2023-09-13.md").read_text("utf-8")
    headings = re.findall(r"^## (§ \d+ \S.*?)\s*$", source, re.M)
    where = [
        (index, page.index(heading))
        for heading in headings
        for index, page in enumerate(pages)
        if heading in page
    ]
    assert headings and len(where) == len(headings) and where == sorted(where), where


def test_a_build_stopped_while_printing_keeps_what_it_printed(tmp_path: Path) -> None:
    """Each PDF is kept in the cache as soon as it is printed: the build after a killed one
    prints only the rest (a first build of a large archive can be stopped and resumed)."""
    import signal
    import time
    from datetime import date

    from justerat.build.folder import build as build_into_folder
    from justerat.build.options import Options

    cache = tmp_path / "cache"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--out", str(tmp_path / "a")]
    command += ["--cache", str(cache), "--today", "2024-01-01"]
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((cache / "pdf").glob("*.pdf"))) < 8 and time.monotonic() < deadline:
        time.sleep(0.02)
    running.send_signal(signal.SIGKILL)
    running.wait()
    kept = {p.name for p in (cache / "pdf").glob("*.pdf")}
    assert 0 < len(kept) < 2 * 25, "stopped half-way: some PDFs kept (each under two keys)"
    options = Options(out=tmp_path / "b", cache=cache, today=date(2024, 1, 1))
    resumed = build_into_folder(options)
    assert resumed.ok, resumed.problems
    assert 0 < len(resumed.pdfs_rendered) < 25  # the rest printed; those before the kill kept
    assert len(list((tmp_path / "b").rglob("*.pdf"))) == 25
