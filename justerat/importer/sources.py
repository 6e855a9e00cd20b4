"""The files an office has → text the recognisers read: ``.txt``, ``.pdf`` and ``.docx``, one by
one or in folders.

- Text files are decoded as ``source.decode`` does (UTF-8, with a clear message otherwise).
- PDFs: their text layer, by poppler's ``pdftotext -layout``. Poppler is the text extractor
  Debian's own tools use, it is fast (C), and its layout mode keeps the columns of a protocol's
  front page ("Plats och tid" on the left, its value on the right), which is what the
  recognisers read; pure-Python extractors (pypdf, pdfminer.six) flatten those columns or
  take many times longer. A PDF without a text layer (a scan) gets a clear message: there
  is no OCR here. A scan with an OCR program's text layer over its page images is read, with
  one warning that the text comes from OCR (the pages found by poppler's ``pdfimages -list``,
  run only for a file that holds an image of a page's size).
- Word files (``.docx``): ``word``, which gives the lines a PDF of the document would give,
  tables laid out in columns; Word's running headers and footers come apart
  (``Extracted.furniture``).

Text that lost its diacritics (OCR or an old encoding: "Sodertalje", "godkanna") is pointed
out once per file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem, error, warning
from ..domain.source import decode
from .word import Unreadable, read_word

KINDS = (".txt", ".pdf", ".docx")
PDF_SECONDS = 120  # the most one PDF may take to extract


@dataclass(frozen=True)
class Extracted:
    """One file's text, or None with the problems that stopped it."""

    text: str | None
    problems: list[Problem] = field(default_factory=list)
    # the lines of a Word file's own running headers and footers (each header or footer part
    # once), which are not in ``text``: page furniture, for the caller to count as removed.
    # The first page's header is not among them: it stands at the top of ``text``.
    furniture: tuple[str, ...] = ()


def files_under(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The files to import: each file named, and every .txt, .pdf and .docx under each folder
    named (recursively, hidden files and folders left out), in a stable order."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found += sorted(_walk(path))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(error(path.as_posix(), 0, "filen eller mappen finns inte"))
    return found, problems


def _walk(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and path.suffix.lower() in KINDS:
            yield path


def extract(path: Path) -> Extracted:
    """The text of one file, by its kind."""
    shown = path.as_posix()
    kind = path.suffix.lower()
    try:
        if kind == ".pdf":
            found = _pdf(path)
        elif kind == ".docx":
            found = _docx(path)
        elif kind in (".txt", ".text", ""):
            found = _text(shown, path.read_bytes())
        else:
            return Extracted(
                None,
                [
                    error(
                        shown,
                        0,
                        f"filtypen {kind} kan inte importeras; använd .txt, .pdf eller .docx",
                    )
                ],
            )
    except OSError as exc:
        return Extracted(None, [error(shown, 0, f"filen kan inte läsas: {exc.strerror}")])
    if found.text is not None:
        found.problems.extend(diacritics_lost(shown, found.text))
    return found


def _text(shown: str, data: bytes) -> Extracted:
    """A text file: UTF-8, or, as old archives often are, Windows-1252 (with a warning)."""
    text, problems = decode(shown, data)
    if text is not None or b"\x00" in data:
        return Extracted(text, list(problems))
    return Extracted(
        data.decode("cp1252", "replace"),
        [
            warning(
                shown,
                0,
                "filen är inte UTF-8; den lästes som Windows-1252 (Latin-1): kontrollera å, ä "
                "och ö i den importerade filen",
            )
        ],
    )


def _pdf(path: Path) -> Extracted:
    """A PDF's text layer by ``pdftotext -layout``, its pages one after the other; a page
    without text is named, and so is the first of the pages whose text lies over a scan."""
    shown = path.as_posix()
    tool = shutil.which("pdftotext")
    if tool is None:
        return Extracted(
            None,
            [error(shown, 0, "pdftotext (poppler-utils) saknas; kör ./setup.sh, som installerar")],
        )
    try:
        done = subprocess.run(
            [tool, "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=PDF_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return Extracted(
            None, [error(shown, 0, f"PDF:en kunde inte läsas inom {PDF_SECONDS} sekunder")]
        )
    said = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if "password" in said.lower() or done.returncode == 3:
            why = "PDF:en är lösenordsskyddad eller krypterad; spara en olåst kopia och importera"
        else:
            why = "PDF:en kan inte läsas (skadad eller inte en PDF); öppna och spara om den"
        return Extracted(None, [error(shown, 0, why)])
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the form feed after the last page
    text = "\n".join(pages)
    if not text.strip():
        return Extracted(
            None,
            [
                error(
                    shown,
                    0,
                    "PDF:en har inget textlager (en skannad bild?); här görs ingen OCR: "
                    "tolka den med ett OCR-program först och importera texten",
                )
            ],
        )
    problems = [
        warning(
            shown,
            _page_line(pages, number),
            f"sidan {number + 1} av {len(pages)} har inget textlager (en skannad sida?); dess "
            "text kom inte med: tolka den med ett OCR-program och lägg in texten för hand",
        )
        for number, page in enumerate(pages)
        if not page.strip()
    ]
    scanned = [n for n in sorted(_scanned_pages(path)) if n < len(pages) and pages[n].strip()]
    if scanned:
        problems.append(_ocr_warning(shown, pages, scanned))
    return Extracted(text, problems)


def _page_line(pages: list[str], number: int) -> int:
    """The line of the joined text that page ``number`` (from 0) begins at."""
    return sum(page.count("\n") + 1 for page in pages[:number]) + 1


def _ocr_warning(shown: str, pages: list[str], scanned: list[int]) -> Problem:
    """One warning for a PDF whose text lies over scanned pages, naming the first of them."""
    first = scanned[0]
    others = len(scanned) - 1
    more = f" (och {others} {'sida' if others == 1 else 'sidor'} till)" if others else ""
    return warning(
        shown,
        _page_line(pages, first),
        f"sidan {first + 1} av {len(pages)}{more} är en skannad bild med text ovanpå: texten "
        "kommer från OCR och kan innehålla fel; jämför med originalet",
    )


_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_SIZE = re.compile(rb"/(Width|Height)\s+(\d+)\b(?!\s+\d+\s+R)")
_A4_SHORT, _A4_LONG = 7.0, 9.5  # inches an image must cover to be a page (A4: 8.3 x 11.7)


def _scanned_pages(path: Path) -> set[int]:
    """The pages (from 0) that are one image as large as the page, a scanner's page: read
    with poppler's ``pdfimages -list`` (the images of each page, their size in pixels and
    their resolution), which runs only when the file holds an image that may be a page."""
    tool = shutil.which("pdfimages")
    if tool is None or not page_sized_image(path.read_bytes()):
        return set()
    try:
        done = subprocess.run(
            [tool, "-list", str(path)], capture_output=True, timeout=PDF_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return set()
    return page_images(done.stdout.decode("utf-8", "replace"))


def page_sized_image(data: bytes) -> bool:
    """Whether a PDF's bytes hold an image of a page's size in pixels (500 by 700 or more: an
    A4 page at 72 ppi), or one whose size cannot be read here. An image's dictionary is never
    compressed, so its "/Subtype /Image", "/Width" and "/Height" stand in the bytes: a logo
    is passed over without starting ``pdfimages``."""
    for found in _IMAGE.finditer(data):
        start = data.rfind(b" obj", max(0, found.start() - 2000), found.start())
        end = data.find(b"stream", found.end(), found.end() + 2000)
        sizes = {key: int(value) for key, value in _SIZE.findall(data[start:end])}
        if start < 0 or end < 0 or len(sizes) < 2:
            return True
        short, long = sorted(sizes.values())
        if short >= 500 and long >= 700:
            return True
    return False


def page_images(listing: str) -> set[int]:
    """From ``pdfimages -list``'s table, the pages (from 0) with an image that covers a page:
    at least 7 by 9.5 inches as shown (its pixels over its pixels per inch), either way up."""
    found: set[int] = set()
    for row in listing.splitlines()[2:]:
        cells = row.split()
        if len(cells) < 14 or cells[2] != "image" or not cells[0].isdigit():
            continue
        try:
            width, height = int(cells[3]) / float(cells[12]), int(cells[4]) / float(cells[13])
        except (ValueError, ZeroDivisionError):
            continue
        short, long = sorted((width, height))
        if short >= _A4_SHORT and long >= _A4_LONG:
            found.add(int(cells[0]) - 1)
    return found


def _docx(path: Path) -> Extracted:
    """A Word file: its body's lines as a PDF of it would give them (``word``), its running
    headers and footers apart."""
    try:
        found = read_word(path)
    except Unreadable as exc:
        return Extracted(None, [error(path.as_posix(), 0, str(exc))])
    return Extracted("\n".join(found.lines) + "\n", furniture=found.furniture)


_SWEDISH_WORDS = re.compile(r"\b(?:och|att|som|med|för|beslut\w*|kommun\w*)\b", re.IGNORECASE)
_DIACRITICS = re.compile(r"[åäöÅÄÖéÉ]")
_LOST = re.compile(
    r"\b(?:namnd\w*|for(?:slag\w*|bund\w*)|godkann\w*|sammantrad\w*|overklag\w*|narvar\w*|"
    r"ordforande|beslutsforslag\w*|tjanst\w*|arende\w*|forvaltning\w*)\b",
    re.IGNORECASE,
)


def diacritics_lost(shown: str, text: str) -> list[Problem]:
    """One warning for a Swedish text whose å, ä and ö seem to have been lost ("namnd",
    "godkanna", "ordforande"), naming the first line that shows it."""
    if len(_SWEDISH_WORDS.findall(text)) < 5:
        return []
    lost = list(_LOST.finditer(text))
    if len(lost) < 3 or len(_DIACRITICS.findall(text)) > len(lost):
        return []
    line = text.count("\n", 0, lost[0].start()) + 1
    return [
        warning(
            shown,
            line,
            f"texten verkar ha tappat å, ä och ö (till exempel '{lost[0].group(0)}'), vid OCR "
            "eller i en gammal teckenkodning; rätta orden i den importerade filen",
        )
    ]
