"""Word files (``.docx``) → the lines a PDF of them gives under ``pdftotext -layout``, which is
what the recognisers read.

- The body in order: paragraphs (headings with blank lines around them, list items with their
  marks "1." or "-", a line break a new line) and tables. Text is taken from the XML's text
  elements themselves, so that content controls, text boxes and tracked insertions come along
  (tracked deletions and moves away do not, nor a text box's copy for old Word versions).
- A table is laid out as ``pdftotext -layout`` lays out a table of a PDF: each paragraph of a
  cell on a line of its own, a row as tall as its tallest cell, every cell at its column's
  place, so that a cell's further lines keep its column (the label column blank beside them).
  A front page made as a table (label | value, one person per paragraph) thus reads as the
  PDF of it does. Amounts stand right-aligned in their columns, as in a budget, so that
  ``tables`` reads the columns from where the numbers stand. A merged cell (across, gridSpan;
  down, vMerge) stands once, and a nested table once, inside its cell.
- Word's own headers and footers are not in the body: they are page furniture, returned apart
  (``Word.furniture``). The first page's header is the exception: it stands at the top of the
  text, once, as on the first page of a PDF, since the body's name and the meeting's date are
  often there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

GAP = 3  # spaces between two columns of a table
_AMOUNT = re.compile(
    r"^[-−–+]?(?:\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(?:[,.]\d+)?"
    r"(?:[ \u00a0]?(?:%|kr\.?|kronor|tkr|mkr|mnkr))?$",
    re.IGNORECASE,
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Unreadable(Exception):
    """A file that is no Word document python-docx can open; the message says why."""


@dataclass(frozen=True)
class Word:
    """A Word file's text: the lines of its body, and the lines of its running headers and
    footers (each header or footer part once), which are not in the body."""

    lines: list[str]
    furniture: tuple[str, ...]


def read_word(path: Path) -> Word:
    """The lines of a ``.docx`` file, or ``Unreadable``."""
    import docx  # python-docx: loaded only for Word files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        why = "Word-filen kan inte läsas (skadad, krypterad eller inte en .docx)"
        raise Unreadable(f"{why}: {exc}") from exc
    styles = _style_names(document)
    first, furniture = _headers_and_footers(document, styles)
    body = list(_blocks(document.element.body, styles, {}))
    top = [*first, ""] if first else []
    return Word(_split(top + body), tuple(furniture))


def _split(lines: list[str]) -> list[str]:
    """The lines, those with line breaks in them split."""
    return [part for line in lines for part in line.split("\n")]


def qn(name: str) -> str:
    from docx.oxml.ns import qn as qualified

    return str(qualified(name))


def _tag(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


# --- headers and footers ---------------------------------------------------------------------


def _headers_and_footers(
    document: DocxDocument, styles: dict[str, str]
) -> tuple[list[str], list[str]]:
    """(the first page's header lines, the lines of every other header and footer part), each
    part read once however many sections use it."""
    sections = list(document.sections)
    first_rid = _first_header(sections[0]._sectPr) if sections else None
    first: list[str] = []
    furniture: list[str] = []
    seen: set[str] = set()
    for section in sections:
        for reference in section._sectPr.iterchildren(
            qn("w:headerReference"), qn("w:footerReference")
        ):
            rid = reference.get(f"{{{_R}}}id")
            if rid is None or rid in seen or rid not in document.part.related_parts:
                continue
            seen.add(rid)
            element = getattr(document.part.related_parts[rid], "element", None)
            if element is None:
                continue
            lines = [line for line in _split(list(_blocks(element, styles, {}))) if line]
            if rid == first_rid:
                first = lines
            else:
                furniture += lines
    return first, furniture


def _first_header(properties: Any) -> str | None:
    """The relationship id of the header on the document's first page (``properties``: the
    first section's sectPr): the "first" header when the first page has its own (titlePg),
    else the "default" one."""
    own = properties.find(qn("w:titlePg"))
    on = own is not None and own.get(qn("w:val"), "true") not in ("0", "false", "off")
    wanted = "first" if on else "default"
    for reference in properties.iterchildren(qn("w:headerReference")):
        if reference.get(qn("w:type"), "default") == wanted:
            return reference.get(f"{{{_R}}}id")  # type: ignore[no-any-return]
    return None


# --- paragraphs ------------------------------------------------------------------------------


def _blocks(
    parent: Any, styles: dict[str, str], numbers: dict[str, int], in_cell: bool = False
) -> Iterator[str]:
    """The lines of the paragraphs and tables under ``parent`` in order, with a blank line
    around each table in the body (not in a cell). A line may hold line breaks."""
    for child in parent.iterchildren():
        tag = _tag(child)
        if tag == "p":
            line = _paragraph_line(child, styles, numbers, in_cell)
            if line is not None:
                yield line
        elif tag == "tbl":
            if not in_cell:
                yield ""
            yield from _table_lines(child, styles)
            if not in_cell:
                yield ""
        elif tag in ("sdt", "customXml"):  # a block content control: its content, in place
            for content in child.iterchildren(qn("w:sdtContent")) if tag == "sdt" else [child]:
                yield from _blocks(content, styles, numbers, in_cell)


def _xml_text(element: Any) -> str:
    """The text of an element: every text element under it but those of tracked deletions
    (and of text moved away) and of a text box's copy for old Word versions (mc:Fallback);
    tabs as two spaces, breaks and the paragraphs of a text box as new lines."""
    left_out = (qn("w:del"), qn("w:moveFrom"), f"{{{_MC}}}Fallback")
    text, tab, brk, cr, paragraph = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:p")
    parts: list[str] = []
    for node in element.iter(text, tab, brk, cr, paragraph):
        if node is element or any(a.tag in left_out for a in node.iterancestors()):
            continue
        if node.tag == text:
            parts.append(node.text or "")
        else:
            parts.append("  " if node.tag == tab else "\n")
    return "".join(parts)


def _paragraph_line(
    element: Any, styles: dict[str, str], numbers: dict[str, int], in_cell: bool
) -> str | None:
    """A paragraph as a line: a heading with blank lines around it (in the body), a list item
    with its mark (numbered lists counted per list style), other text as it is."""
    text = "\n".join(part.rstrip() for part in _xml_text(element).split("\n")).rstrip()
    style = styles.get(element.style or "", "")
    properties = element.pPr
    numbered = properties is not None and properties.numPr is not None
    if style.startswith(("heading", "rubrik", "title")):
        if in_cell:
            return text
        return f"\n{text}\n" if text else None
    if numbered or "list" in style:
        if "number" in style or "numrer" in style:
            numbers[style] = numbers.get(style, 0) + 1
            return f"{numbers[style]}. {text}"
        return f"- {text}"
    numbers.clear()
    return text


def _style_names(document: DocxDocument) -> dict[str, str]:
    """The paragraph styles' names by their ids, case-folded ("Heading2" → "heading 2")."""
    return {
        style.style_id: (style.name or "").casefold()
        for style in document.styles
        if style.style_id is not None
    }


# --- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    column: int  # the first grid column it stands in
    span: int  # the grid columns it spans (gridSpan)
    lines: list[str]  # its paragraphs (and nested tables' lines), one a line
    right: bool  # amounts only: right-aligned


def _table_lines(table: Any, styles: dict[str, str]) -> list[str]:
    """The table laid out as ``pdftotext -layout`` lays out a PDF's table: each row as tall as
    its tallest cell, each cell's lines at its column's place (columns ``GAP`` spaces apart,
    as wide as their widest line), amounts right-aligned; a row with nothing in it a blank
    line."""
    rows = [_row_cells(row, styles) for row in _children(table, "tr")]
    starts = _column_starts(rows)
    lines: list[str] = []
    for cells in rows:
        height = max((len(cell.lines) for cell in cells), default=0)
        lines += [_row_line(cells, k, starts) for k in range(height)] if height else [""]
    return lines


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """The rows (``tr``) or cells (``tc``) under ``parent``, those in content controls too."""
    for child in parent.iterchildren():
        name = _tag(child)
        if name == tag:
            yield child
        elif name == "sdt":
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _children(content, tag)
        elif name == "customXml":
            yield from _children(child, tag)


def _number(properties: Any, name: str, default: int) -> int:
    """A number property of a row or cell (``w:gridSpan``, ``w:gridBefore``)."""
    found = properties.find(qn(name)) if properties is not None else None
    value = found.get(qn("w:val")) if found is not None else None
    return int(value) if value is not None and value.isdigit() else default


def _row_cells(row: Any, styles: dict[str, str]) -> list[_Cell]:
    """The row's cells with their places in the table's grid: a cell merged across stands once
    over the columns it spans, a cell merged down (vMerge) once, in its first row (the cells
    below it hold nothing of it)."""
    column = _number(row.find(qn("w:trPr")), "w:gridBefore", 0)
    cells: list[_Cell] = []
    for cell in _children(row, "tc"):
        span = max(1, _number(cell.find(qn("w:tcPr")), "w:gridSpan", 1))
        lines = _trimmed(_split(list(_blocks(cell, styles, {}, in_cell=True))))
        filled = [line.strip() for line in lines if line.strip()]
        right = bool(filled) and all(_AMOUNT.match(line) for line in filled)
        cells.append(_Cell(column, span, lines, right))
        column += span
    return cells


def _trimmed(lines: list[str]) -> list[str]:
    """The lines without blank lines before and after them."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return [line.rstrip() for line in lines[filled[0] : filled[-1] + 1]] if filled else []


def _column_starts(rows: list[list[_Cell]]) -> list[int]:
    """Where each grid column begins, and where one after the last would: each column as wide
    as its widest single cell, the last column a merged cell spans widened if it needs more."""
    count = max((cell.column + cell.span for cells in rows for cell in cells), default=0)
    widths = [0] * count
    spanned: list[_Cell] = []
    for cells in rows:
        for cell in cells:
            if cell.span == 1:
                widths[cell.column] = max(widths[cell.column], _width(cell))
            else:
                spanned.append(cell)
    for cell in sorted(spanned, key=lambda c: c.span):
        end = cell.column + cell.span
        room = sum(widths[cell.column : end]) + GAP * (cell.span - 1)
        widths[end - 1] += max(0, _width(cell) - room)
    starts = [0]
    for width in widths:
        starts.append(starts[-1] + width + GAP)
    return starts


def _width(cell: _Cell) -> int:
    return max((len(line) for line in cell.lines), default=0)


def _row_line(cells: list[_Cell], index: int, starts: list[int]) -> str:
    """Line ``index`` of a row: each cell's line ``index`` at its place."""
    line = ""
    for cell in cells:
        text = cell.lines[index] if index < len(cell.lines) else ""
        if not text:
            continue
        place = starts[cell.column]
        if cell.right:
            place = starts[cell.column + cell.span] - GAP - len(text)
        pad = place - len(line)
        line += " " * (max(pad, GAP) if line else max(pad, 0)) + text
    return line.rstrip()
