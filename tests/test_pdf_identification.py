"""Every kind of PDF Justerat prints is identified as PDF/A-2a (PRONOM fmt/476) by opf-fido,
the format identification e-arkiv intake runs, and not as plain "Acrobat PDF 1.7" (fmt/276).

The signature matches the PDF/A identification in the XMP metadata in the file's bytes, so the
XMP stream is written uncompressed (``printing.PlainMetadata``). The last test is the
counterproof: the same file with its XMP compressed is taken for fmt/276.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, run_build_py

PDF_A_2A = "fmt/476"


def identified(paths: list[Path]) -> dict[Path, str]:
    """opf-fido's PRONOM id of each file."""
    result = subprocess.run(
        [sys.executable, "-m", "fido.fido", "-q", "-nocontainer", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found = {}
    for row in csv.reader(io.StringIO(result.stdout)):
        # OK,time,puid,format name,signature name,size,"filename",mime,match type
        found[Path(row[6])] = row[2]
    return found


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fido") / "site"
    result = run_build_py(
        "build", "--content", str(ROOT / "examples/kommun"), "--out", str(out),
        "--today", "2026-12-07",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def kind(path: Path) -> str:
    """What a PDF is, from its name: protokoll, anslagsbevis, protokollsutdrag, forfattning …"""
    return path.name.split("-", 1)[0]


def test_every_kind_of_pdf_is_pdf_a_2a_to_fido(kommun: Path, site: Path) -> None:
    handlingar = {p.resolve() for p in kommun.rglob("handlingar/**/*.pdf")}  # the office's own
    pdfs = [
        p for p in [*kommun.rglob("*.pdf"), *site.rglob("*.pdf")] if p.resolve() not in handlingar
    ]
    kinds = {kind(p) for p in pdfs}
    expected = {"protokoll", "anslagsbevis", "protokollsutdrag", "forfattning", "verksamhetsplan"}
    assert kinds >= expected, kinds
    found = identified(pdfs)
    assert len(found) == len(pdfs)
    assert {
        str(p.relative_to(p.parents[2])): puid for p, puid in found.items() if puid != PDF_A_2A
    } == {}


def test_with_its_xmp_compressed_the_same_pdf_is_taken_for_pdf_1_7(tmp_path: Path) -> None:
    """The same page printed by WeasyPrint as it comes (XMP compressed) and as Justerat prints
    it (``printing.render``): both declare PDF/A-2a in their XMP, only Justerat's is seen."""
    import weasyprint

    from justerat.pdfs.pdf import VARIANT
    from justerat.pdfs.printing import render

    html = '<html lang="sv"><head><title>Prov</title></head><body><h1>Protokoll</h1></body></html>'
    plain, _ = render(html, tmp_path.as_uri() + "/", [str(tmp_path)], VARIANT)
    assert plain is not None
    ours, theirs = tmp_path / "justerat.pdf", tmp_path / "weasyprint.pdf"
    ours.write_bytes(plain)
    theirs.write_bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant=VARIANT))
    for path in (ours, theirs):
        with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
    assert b"pdfaid" in plain and b"pdfaid" not in theirs.read_bytes()
    assert identified([ours, theirs]) == {ours: PDF_A_2A, theirs: "fmt/276"}
