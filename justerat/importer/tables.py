"""Tables of numbers, as PDF extraction leaves them: a label and two or more number groups
per line, columns separated by two or more spaces, thousands by one
("Resursrådet 696 856  642 383  54 473").

``table_row`` reads one line; ``find_tables`` finds runs of rows with their caption and
header lines; ``fit_rows`` decides the columns; ``render`` writes a GFM table.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .text import Line, clean, ends_sentence

_UNIT = re.compile(r"^(?:kronor|kr\.?|tkr|mkr|mnkr|miljoner|st)$", re.IGNORECASE)
_NUMBER_TOKEN = re.compile(r"^[-−–]?\d+(?:[,.]\d+)?%?$")
MIN_ROWS = 3


@dataclass(frozen=True)
class Row:
    """A table row: its label and its number tokens, in chunks that two or more spaces
    separate (each chunk a run of single-spaced tokens)."""

    label: str
    chunks: tuple[tuple[str, ...], ...]
    unit: str = ""  # "kronor" after the last number: part of its cell

    def natural(self) -> list[str]:
        """The numbers as written: a new number starts at a token that is not a three-digit
        group (or has a sign), and at every wide gap."""
        numbers: list[str] = []
        for chunk in self.chunks:
            for index, token in enumerate(chunk):
                if index == 0 or not _continues(token):
                    numbers.append(token)
                else:
                    numbers[-1] += " " + token
        if self.unit and numbers:
            numbers[-1] += f" {self.unit}"
        return numbers

    def tokens(self) -> list[str]:
        return [t for chunk in self.chunks for t in chunk]


def _continues(token: str) -> bool:
    return len(token) == 3 and token.isdigit()


def table_row(raw: str) -> Row | None:
    """A line ending in two or more numbers, or None."""
    found = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", raw)]
    unit = ""
    if len(found) > 2 and _UNIT.match(found[-1][2]) and _NUMBER_TOKEN.match(found[-2][2]):
        unit = found.pop()[2]
    tail: list[tuple[int, int, str]] = []
    while found and _NUMBER_TOKEN.match(found[-1][2]):
        tail.insert(0, found.pop())
    if not tail:
        return None
    chunks: list[list[str]] = [[tail[0][2]]]
    for (_, previous_end, _), (start, _, token) in itertools.pairwise(tail):
        if start - previous_end >= 2:
            chunks.append([token])
        else:
            chunks[-1].append(token)
    label = clean(raw[: tail[0][0]])
    if label.endswith(("-", "/", ":")) and not label.endswith(" -"):
        return None
    row = Row(label, tuple(tuple(c) for c in chunks), unit)
    # one amount with its unit is a row when a wide gap parts it from its label:
    # "Haninge kommun          2 210 000 kronor"
    lone = unit and label and raw[: tail[0][0]].endswith("  ")
    if len(row.natural()) < 2 and not lone:
        return None
    # a year or a date in a sentence is no table: "under åren 2023 2024" needs a wide gap
    if len(tail) == 2 and len(chunks) == 1 and all(len(t) == 4 for _, _, t in tail):
        return None
    return row


# --- splitting a row into a given number of columns ----------------------------------------


def _digits(number: str) -> int:
    return sum(c.isdigit() for c in number)


def _splits(row: Row, columns: int, largest: int) -> list[list[str]]:
    """Every way to read the row's tokens as exactly ``columns`` numbers, splitting only a
    number that is longer than any column's numbers ("10 228 433 807 606" where the columns
    hold at most eight digits): a number of usual size stays whole."""
    tokens = row.tokens()
    spans: list[tuple[int, int]] = []  # (first token, after last token) of each number
    position = 0
    for chunk in row.chunks:
        for index, token in enumerate(chunk):
            if index == 0 or not _continues(token):
                spans.append((position, position + 1))
            else:
                spans[-1] = (spans[-1][0], position + 1)
            position += 1
    forced = {start for start, _ in spans}
    optional = [
        position
        for start, end in spans
        if sum(_digits(t) for t in tokens[start:end]) > largest + 1
        for position in range(start + 1, end)
    ]
    needed = columns - len(forced)
    if needed < 0 or needed > len(optional) or len(optional) > 12:
        return []
    results = []
    for extra in itertools.combinations(optional, needed):
        starts = sorted(forced | set(extra))
        results.append(
            [" ".join(tokens[a:b]) for a, b in itertools.pairwise([*starts, len(tokens)])]
        )
    return results


@dataclass
class Fitted:
    cells: list[str]  # the numbers, one per column
    note: str = ""  # why the row needs checking, if it does
    extra: str = ""  # numbers left over on the left: they belong to the label


def fit_rows(rows: list[Row]) -> tuple[int, list[Fitted]]:
    """Decide the number of columns (the most common natural count) and fit each row to it:
    split a run of single-spaced groups where the column's usual size says so, or leave the
    first cells empty when a row has fewer numbers."""
    counts = Counter(len(r.natural()) for r in rows)
    columns = max(counts, key=lambda n: (counts[n], n))
    natural = [r.natural() for r in rows]
    sizes = [
        statistics.median([_digits(n[c]) for n in natural if len(n) == columns] or [0])
        for c in range(columns)
    ]
    fitted: list[Fitted] = []
    for row, numbers in zip(rows, natural, strict=True):
        if len(numbers) == columns:
            fitted.append(Fitted(numbers))
        elif len(numbers) > columns:
            extra = " ".join(numbers[:-columns])
            fitted.append(Fitted(numbers[-columns:], "fler tal än kolumner", extra))
        else:
            options = _splits(row, columns, int(max(sizes)))
            if options:
                best = min(
                    options,
                    key=lambda o: sum(abs(_digits(n) - s) for n, s in zip(o, sizes, strict=True)),
                )
                note = "talgrupperna delades efter kolumnernas storlek" if len(options) > 1 else ""
                fitted.append(Fitted(best, note))
            else:
                cells = [""] * (columns - len(numbers)) + numbers
                fitted.append(
                    Fitted(cells, "färre tal än kolumner; de första cellerna lämnades tomma")
                )
    return columns, fitted


# --- finding tables in a paragraph ---------------------------------------------------------


@dataclass
class Table:
    start: int  # index of the first line used (caption or header), in the given list
    end: int  # index after the last row
    caption: str
    header: list[str]
    labels: list[str]
    rows: list[Fitted]
    row_lines: list[int]  # source line of each row
    header_lines: list[int] = field(default_factory=list)


def _header_cells(raw: str, columns: int) -> list[str] | None:
    """A header line split into a corner cell (above the labels, often empty) and ``columns``
    cells, or None if it cannot be."""
    chunks = [c for c in re.split(r"\s{2,}", raw.strip()) if c]
    if len(chunks) == columns + 1:
        return chunks
    words = clean(raw).split()
    if len(words) == columns + 1 and len(chunks) == 1:
        return words
    cells = _number_headers(raw, chunks, columns)
    return None if cells is None else ["", *cells]


def _number_headers(raw: str, chunks: list[str], columns: int) -> list[str] | None:
    if len(chunks) == columns:
        return chunks
    words = clean(raw).split()
    if len(words) == columns:
        return words
    if len(words) % columns == 0 and len(words) > columns:
        size = len(words) // columns
        pieces = [" ".join(words[i * size : (i + 1) * size]) for i in range(columns)]
        if len(set(pieces)) == 1:  # "1:a halvåret 1:a halvåret 1:a halvåret"
            return pieces
    if 1 < len(chunks) < columns:
        return chunks + [""] * (columns - len(chunks))
    return None


def _candidate(line: Line, is_heading: bool) -> bool:
    text = line.text
    return (
        0 < len(text) <= 60
        and not is_heading
        and not (ends_sentence(text) and not text.endswith(")"))
        and table_row(line.raw) is None
    )


def find_tables(lines: list[Line], is_heading: set[int] | None = None) -> list[Table]:
    """Runs of at least three rows (blank lines between them allowed), with the short lines
    above them as caption and header."""
    headings = is_heading or set()
    rows_at = {i: r for i, line in enumerate(lines) if (r := table_row(line.raw)) is not None}
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        if index not in rows_at:
            index += 1
            continue
        run, last = _row_run(lines, rows_at, index)
        if len(run) >= MIN_ROWS:
            tables.append(_table(lines, run, index, headings))
        index = last + 1
    return tables


_Run = list[tuple[int, Row, str]]  # (index, row, label prefix) of each row


def _row_run(lines: list[Line], rows_at: dict[int, Row], index: int) -> tuple[_Run, int]:
    """The rows from ``index`` on, with blank lines between them and a label broken before its
    numbers ("Kostnader för" / "lokaler 120 130"): (the rows, the index of the last)."""
    run: _Run = []
    cursor = index
    pending: tuple[int, str] | None = None
    last = index
    while cursor < len(lines):
        line = lines[cursor]
        if line.blank:
            cursor += 1
            continue
        if cursor in rows_at:
            row = rows_at[cursor]
            if pending is not None and row.label[:1].islower():
                row = Row(f"{pending[1]} {row.label}", row.chunks)
                pending = None
            elif pending is not None:
                break
            run.append((cursor, row, ""))
            last = cursor
            cursor += 1
            continue
        if pending is None and len(line.text) <= 60 and not ends_sentence(line.text):
            pending = (cursor, line.text)  # a label broken before its numbers
            cursor += 1
            continue
        break
    return run, last


def _table(lines: list[Line], run: _Run, index: int, headings: set[int]) -> Table:
    """The table of a run of rows starting at ``index``, with its caption and header."""
    columns, fitted = fit_rows([r for _, r, _ in run])
    above = _lines_above(lines, index, headings)
    caption, start, header_rows, used = _caption_and_header(lines, above, columns, index)
    header = [" ".join(filter(None, column)).strip() for column in zip(*header_rows, strict=True)]
    return Table(
        start=start,
        end=run[-1][0] + 1,
        caption=caption,
        header=header or [""] * (columns + 1),
        labels=[r.label for _, r, _ in run],
        rows=fitted,
        row_lines=[lines[i].number for i, _, _ in run],
        header_lines=[lines[i].number for i in used],
    )


def _lines_above(lines: list[Line], index: int, headings: set[int]) -> list[int]:
    """Up to three short lines right above the first row (blank lines skipped), top first:
    the caption and header candidates."""
    above: list[int] = []
    probe = index - 1
    while probe >= 0 and len(above) < 3:
        if lines[probe].blank:
            probe -= 1
            continue
        if not _candidate(lines[probe], probe in headings):
            break
        above.insert(0, probe)
        probe -= 1
    return above


def _caption_and_header(
    lines: list[Line], above: list[int], columns: int, index: int
) -> tuple[str, int, list[list[str]], list[int]]:
    """The caption and header lines among ``above``: (the caption, the table's first line, the
    header rows' cells, the header lines used)."""
    caption = ""
    start = index
    header_rows: list[list[str]] = []
    if above and (len(above) == 3 or _header_cells(lines[above[0]].raw, columns) is None):
        caption_index, above = above[0], above[1:]
    else:
        caption_index = None
    used: list[int] = []
    for position in reversed(above):
        cells = _header_cells(lines[position].raw, columns)
        if cells is None:
            break
        header_rows.insert(0, cells)
        used.insert(0, position)
    if caption_index is not None and (used or not above):
        caption = lines[caption_index].text
        start = caption_index
    elif used:
        start = used[0]
    return caption, start, header_rows, used


def confident(table: Table) -> bool:
    """A table is made only when most of its rows fit the columns without a decision."""
    return sum(1 for row in table.rows if row.note) * 2 <= len(table.rows)


def _row(cells: list[str]) -> str:
    return "|" + "|".join(f" {c.replace('|', chr(92) + '|')} " if c else " " for c in cells) + "|"


def render(table: Table) -> str:
    """The table in GFM, number columns right-aligned, with a "Tabell:" caption line."""
    lines = []
    if table.caption:
        lines += [f"Tabell: {table.caption}", ""]
    lines.append(_row(table.header))
    lines.append("|---|" + "---:|" * (len(table.header) - 1))
    for label, row in zip(table.labels, table.rows, strict=True):
        lines.append(_row([" ".join(filter(None, [label, row.extra])), *row.cells]))
    return "\n".join(lines)
