"""The files an office has → text the recognisers read: ``.txt``, ``.pdf`` and ``.docx``, one by
one or in folders.

- Text files are decoded as ``source.decode`` does (UTF-8, with a clear message otherwise).
- PDFs: their text layer, by poppler's ``pdftotext -layout``. Poppler is the text extractor
  Debian's own tools use, it is fast (C), and its layout mode keeps the columns of a protocol's
  front page ("Plats och tid" on the left, its value on the right), which is what the
  recognisers read; pure-Python extractors (pypdf, pdfminer.six) flatten those columns or
  take many times longer. A PDF without a text layer (a scan) gets a clear message: there
  is no OCR here.
- Word files (``.docx``): python-docx, the document's paragraphs and tables in order;
  headings stay lines of their own, list items keep their marks ("1." or "-"), and a table's
  cells stand in columns, as in a PDF's layout text, so the table recogniser reads them.

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
from typing import TYPE_CHECKING, Any

from ..core.problems import Problem, error, warning
from ..domain.source import decode

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

KINDS = (".txt", ".pdf", ".docx")
PDF_SECONDS = 120  # the most one PDF may take to extract


@dataclass(frozen=True)
class Extracted:
    """One file's text, or None with the problems that stopped it."""

    text: str | None
    problems: list[Problem] = field(default_factory=list)


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
            text.count("\n", 0, sum(len(p) + 1 for p in pages[:number])) + 1,
            f"sidan {number + 1} av {len(pages)} har inget textlager (en skannad sida?); dess "
            "text kom inte med: tolka den med ett OCR-program och lägg in texten för hand",
        )
        for number, page in enumerate(pages)
        if not page.strip()
    ]
    return Extracted(text, problems)


def _docx(path: Path) -> Extracted:
    import docx  # python-docx: loaded only for Word files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        why = "Word-filen kan inte läsas (skadad, krypterad eller inte en .docx)"
        return Extracted(None, [error(path.as_posix(), 0, f"{why}: {exc}")])
    return Extracted("\n".join(_docx_lines(document)) + "\n")


def _docx_lines(document: DocxDocument) -> Iterator[str]:
    """The document's body in order: paragraphs (headings and list items marked) and tables
    (cells in columns), with a blank line around each table. Text is taken from the XML's
    text elements themselves, so that content controls, text boxes and tracked insertions
    come along (tracked deletions do not)."""
    numbers: dict[str, int] = {}
    yield from _blocks(document.element.body, document, numbers)


def _blocks(parent: Any, document: DocxDocument, numbers: dict[str, int]) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = _paragraph_line(Paragraph(child, document), numbers)
            if line is not None:
                yield line
        elif tag == "tbl":
            yield ""
            yield from _table_lines(Table(child, document))
            yield ""
        elif tag == "sdt":  # a block content control: its content, in place
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, document, numbers)


def qn(name: str) -> str:
    from docx.oxml.ns import qn as qualified

    return str(qualified(name))


def _xml_text(element: Any) -> str:
    """The text of an element: every text element under it but those of tracked deletions,
    tabs as two spaces and breaks as spaces."""
    deleted, text, tab, brk = qn("w:del"), qn("w:t"), qn("w:tab"), qn("w:br")
    parts: list[str] = []
    for node in element.iter(text, tab, brk):
        if any(a.tag == deleted for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == text else ("  " if node.tag == tab else " "))
    return "".join(parts)


def _paragraph_line(paragraph: Paragraph, numbers: dict[str, int]) -> str | None:
    """A paragraph as a line: a heading with blank lines around it, a list item with its
    mark (numbered lists counted per list style), other text as it is."""
    text = _xml_text(paragraph._p).rstrip()
    style = (paragraph.style.name or "").casefold() if paragraph.style is not None else ""
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if style.startswith(("heading", "rubrik", "title")):
        return f"\n{text}\n" if text else None
    if numbered or "list" in style:
        if "number" in style or "numrer" in style:
            numbers[style] = numbers.get(style, 0) + 1
            return f"{numbers[style]}. {text}"
        return f"- {text}"
    numbers.clear()
    return text


def _table_lines(table: Table) -> Iterator[str]:
    """Each row with its cells in columns: padded to the column's width, three spaces apart.
    A merged cell's text stands once, in its first place."""
    seen: list[Any] = []  # the cells' elements, held (an element's proxy is kept while held)
    rows: list[list[str]] = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            first = not any(cell._tc is element for element in seen)
            seen.append(cell._tc)
            text = " ".join(_xml_text(paragraph) for paragraph in cell._tc.iter(qn("w:p")))
            cells.append(" ".join(text.split()) if first else "")
        rows.append(cells)
    if not rows:
        return
    columns = max(map(len, rows))
    widths = [max((len(row[i]) for row in rows if i < len(row)), default=0) for i in range(columns)]
    for row in rows:
        yield "   ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()


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
