"""Tables of numbers, as PDF extraction leaves them: a label and number groups per line,
columns separated by two or more spaces, thousands by one ("Resursrådet 696 856  642 383
54 473"), or laid out in columns by ``pdftotext -layout`` and by ``word``.

A Swedish amount is one value: thousands groups one space apart (or a non-breaking or thin
space) belong together, with their decimals, sign and unit ("2 203 250,00", "−12 500 kr",
"1 200 tkr", "-45 %"). Where the lines stand in columns, a number's place decides its column:
a gap that lines up with the columns parts two cells, one that does not lies inside a cell,
and a column nothing stands in is an empty cell. What stays unsure is left as text, or noted.

``table_row`` reads one line; ``find_tables`` finds runs of rows with their caption and
header lines; ``fit_rows`` decides the columns; ``render`` writes a GFM table.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace

from .text import Line, clean, ends_sentence

_UNIT = re.compile(r"^(?:kronor|kr\.?|tkr|mkr|mnkr|miljoner|st|%|procent)$", re.IGNORECASE)
_NUMBER_TOKEN = re.compile(r"^[-−–]?\d+(?:[,.]\d+)?%?$")
_GROUP = re.compile(r"^\d{3}(?:,\d+)?%?$")  # a thousands group, the last with its decimals
_LEADER = re.compile(r"^[-−–]?[1-9]\d{0,2}$")  # the first group of an amount that has more
_DECIMALS = re.compile(r",\d+%?$")
_SIGN = re.compile(r"^[-−–]$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
MIN_ROWS = 3

_Span = tuple[int, int]  # (start, end) in the raw line, or (first, after last) of tokens


@dataclass(frozen=True)
class Row:
    """A table row: its label and its number tokens (and the units after them: "kr", "tkr",
    "%"), in chunks that two or more spaces separate (each chunk a run of single-spaced
    tokens), and where each token stands in the line."""

    label: str
    chunks: tuple[tuple[str, ...], ...]
    spans: tuple[_Span, ...] = ()  # each token's (start, end) in the raw line, in order

    def amounts(self) -> list[_Span]:
        """The amounts as written, as (first token, after last token): thousands groups
        separated by single spaces belong together ("2 203 250,00", "−12 500 kr"); a new
        amount starts at a wide gap, at a token that is no three-digit group, and after an
        amount that cannot go on (it has decimals, a unit or "%", or its first group is
        "0" or longer than three digits). A sign set apart ("– 1,8") goes with its number."""
        found: list[_Span] = []
        growing = False  # whether the last amount may take another group
        signed = False  # whether the last token was a sign standing alone
        position = 0
        for chunk in self.chunks:
            for index, token in enumerate(chunk):
                if found and (_UNIT.match(token) or signed and token[:1].isdigit()):
                    found[-1] = (found[-1][0], position + 1)
                    growing = signed and bool(_LEADER.match(token))
                elif index > 0 and growing and _GROUP.match(token):
                    found[-1] = (found[-1][0], position + 1)
                    growing = not _DECIMALS.search(token) and not token.endswith("%")
                else:
                    found.append((position, position + 1))
                    growing = bool(_LEADER.match(token))
                signed = bool(_SIGN.match(token))
                position += 1
        return found

    def natural(self) -> list[str]:
        """The numbers as written (see ``amounts``)."""
        tokens = self.tokens()
        return [" ".join(tokens[a:b]) for a, b in self.amounts()]

    def tokens(self) -> list[str]:
        return [t for chunk in self.chunks for t in chunk]

    def laid_out(self) -> bool:
        """Each amount stands apart from the one before it by a wide gap, as in columns."""
        starts, position = set(), 0
        for chunk in self.chunks:
            starts.add(position)
            position += len(chunk)
        return all(first in starts for first, _ in self.amounts())

    def weak(self) -> bool:
        """One bare number ("Val av justerare     3"): a row only among stronger ones."""
        numbers = self.natural()
        return len(numbers) == 1 and numbers[0].lstrip("-−–").isdigit()


def table_row(raw: str) -> Row | None:
    """A line ending in two or more numbers, or in one amount that a wide gap parts from its
    label ("Haninge kommun          2 210 000 kronor") or that has decimals ("Kansli
    personal 2 203 250,00", as OCR gives it), or None."""
    found = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", raw)]
    tail: list[tuple[int, int, str]] = []
    while found and _in_tail(found, tail):
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
    row = Row(label, tuple(tuple(c) for c in chunks), tuple((s, e) for s, e, _ in tail))
    wide = bool(label) and raw[: tail[0][0]].endswith("  ")
    decimals = any(_DECIMALS.search(token) for _, _, token in tail)
    if len(row.amounts()) < 2 and not (wide or decimals):
        return None
    # a year or a date in a sentence is no table: "under åren 2023 2024" needs a wide gap
    if len(tail) == 2 and len(chunks) == 1 and all(len(t) == 4 for _, _, t in tail):
        return None
    return row


def _in_tail(found: list[tuple[int, int, str]], tail: list[tuple[int, int, str]]) -> bool:
    """Whether the last of the tokens ``found`` belongs to a row's numbers ``tail``: a number,
    a unit after a number, or a sign one space before the number after it ("– 1,8")."""
    _, end, token = found[-1]
    if _NUMBER_TOKEN.match(token):
        return True
    if _UNIT.match(token):
        return len(found) > 1 and bool(_NUMBER_TOKEN.match(found[-2][2]))
    return bool(_SIGN.match(token) and tail and tail[0][0] == end + 1 and tail[0][2][0].isdigit())


# --- splitting a row into a given number of columns ----------------------------------------


def _digits(number: str) -> int:
    return sum(c.isdigit() for c in number)


def _splits(row: Row, columns: int, largest: int) -> list[list[str]]:
    """Every way to read the row's tokens as exactly ``columns`` numbers, splitting only a
    number that is longer than any column's numbers ("10 228 433 807 606" where the columns
    hold at most eight digits), and only before a group that can begin a number (not "000",
    not a unit): a number of usual size stays whole."""
    tokens = row.tokens()
    spans = row.amounts()
    forced = {start for start, _ in spans}
    optional = [
        position
        for start, end in spans
        if sum(_digits(t) for t in tokens[start:end]) > largest + 1
        for position in range(start + 1, end)
        if tokens[position][:1] in "123456789"
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


def _columns(rows: list[Row]) -> int:
    """The most common number of amounts in a row (the larger on a tie), or a larger number
    that the rows' places show: where rows stand in columns and many have an empty cell, the
    rows without one tell the columns, if every other row's numbers stand in them and every
    column holds numbers of two rows or more."""
    counts = Counter(len(r.amounts()) for r in rows)
    common = max(counts, key=lambda n: (counts[n], n))
    for larger in sorted((n for n in counts if n > common), reverse=True):
        if _stands_in(rows, larger):
            return larger
    return common


def _stands_in(rows: list[Row], columns: int) -> bool:
    """Whether every row's numbers stand in the ``columns`` columns the fullest rows show, each
    column holding numbers of two rows or more."""
    extents = _extents(rows, columns)
    if extents is None:
        return False
    filled = [0] * columns
    for row in rows:
        if len(row.amounts()) == columns:
            filled = [n + 1 for n in filled]
            continue
        placed = _by_position(row, extents) if row.laid_out() else None
        if placed is None:
            return False
        filled = [n + bool(cell) for n, cell in zip(filled, placed.cells, strict=True)]
    return min(filled) >= 2


def _extents(rows: list[Row], columns: int) -> list[_Span] | None:
    """Where each column stands in the lines, from the rows that have a number in every
    column: from its leftmost start to its rightmost end. None when the rows carry no
    positions or the columns do not stand apart (the text is not laid out in columns)."""
    full = [row for row in rows if len(row.amounts()) == columns]
    if not full or not all(row.spans for row in full):
        return None
    spans = [_placed_spans(row) for row in full]
    extents = [(min(s[c][0] for s in spans), max(s[c][1] for s in spans)) for c in range(columns)]
    if any(left[1] >= right[0] for left, right in itertools.pairwise(extents)):
        return None
    return extents


def _placed_spans(row: Row) -> list[_Span]:
    """Each amount's (start, end) in the raw line."""
    return [(row.spans[a][0], row.spans[b - 1][1]) for a, b in row.amounts()]


def _by_position(row: Row, extents: list[_Span]) -> Fitted | None:
    """The row's numbers in the columns where they stand: a column nothing stands in is an
    empty cell, pieces standing in one column are one number if they read as one ("2 203"
    and "250,00"), numbers left of the first column belong to the label. None when a number
    stands in no column or in two, or pieces do not read as one number."""
    tokens = row.tokens()
    cells: list[list[str]] = [[] for _ in extents]
    extra: list[str] = []
    for (first, last), (start, end) in zip(row.amounts(), _placed_spans(row), strict=True):
        hits = [c for c, (left, right) in enumerate(extents) if start < right and end > left]
        text = " ".join(tokens[first:last])
        if not hits and end <= extents[0][0] and not any(cells):
            extra.append(text)
            continue
        if len(hits) != 1:
            return None
        cells[hits[0]].append(text)
    joined = [" ".join(cell) for cell in cells]
    if any(len(Row("", (tuple(cell.split()),)).amounts()) > 1 for cell in joined if cell):
        return None
    return Fitted(joined, "", " ".join(extra))


def fit_rows(rows: list[Row], columns: int = 0) -> tuple[int, list[Fitted]]:
    """Decide the number of columns (``_columns``, unless given) and fit each row to it: where
    the text stands in columns, by where each number stands (a gap that lines up with the
    columns parts two cells, a gap that does not is inside a cell); else split a run of
    single-spaced groups where the column's usual size says so, or leave the first cells
    empty when a row has fewer numbers, with a note."""
    columns = columns or _columns(rows)
    natural = [r.natural() for r in rows]
    sizes = [
        statistics.median([_digits(n[c]) for n in natural if len(n) == columns] or [0])
        for c in range(columns)
    ]
    extents = _extents(rows, columns)
    fitted: list[Fitted] = []
    for row, numbers in zip(rows, natural, strict=True):
        placed = None
        if extents is not None and row.spans and row.laid_out():
            placed = _by_position(row, extents)
        if len(numbers) == columns:
            fitted.append(Fitted(numbers))
        elif placed is not None:
            fitted.append(placed)
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
        strong = sum(1 for _, row, _ in run if not row.weak())
        if len(run) >= MIN_ROWS and strong * 2 >= len(run):
            tables.append(_table(lines, run, index, headings, last))
        index = last + 1
    return tables


_Run = list[tuple[int, Row, str]]  # (index, row, label prefix) of each row


def _row_run(lines: list[Line], rows_at: dict[int, Row], index: int) -> tuple[_Run, int]:
    """The rows from ``index`` on, with blank lines between them, a label broken before its
    numbers ("Kostnader för" / "lokaler 120 130") and a label that goes on below its numbers,
    as a table cell wraps in Word ("Teknisk verksamhet -   0,5   0,6" / "skattefinansierad"):
    (the rows, the index of the last line used)."""
    run: _Run = []
    cursor = index
    pending: tuple[int, str] | None = None
    last = index
    while cursor < len(lines):
        line = lines[cursor]
        if line.blank:
            cursor += 1
            continue
        if cursor not in rows_at and last == cursor - 1 and _label_goes_on(line):
            at, row, prefix = run[-1]
            run[-1] = (at, replace(row, label=f"{row.label} {line.text}"), prefix)
            last = cursor
            cursor += 1
            continue
        if cursor in rows_at:
            row = rows_at[cursor]
            if pending is not None and row.label[:1].islower():
                row = replace(row, label=f"{pending[1]} {row.label}")
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


def _label_goes_on(line: Line) -> bool:
    """A line right below a row that carries on its label: short, in lower case, no sentence."""
    text = line.text
    return text[:1].islower() and len(text) <= 60 and not ends_sentence(text)


def _table(lines: list[Line], run: _Run, index: int, headings: set[int], last: int) -> Table:
    """The table of a run of rows starting at ``index`` and ending at ``last``, with its
    caption and header (the first row too, when it holds the columns' years)."""
    columns = _columns([r for _, r, _ in run])
    years = _year_row(run)
    if years is not None and len(years.amounts()) == columns:
        run = run[1:]
    else:
        years = None
    columns, fitted = fit_rows([r for _, r, _ in run], columns)
    above = _lines_above(lines, index, headings)
    caption, start, header_rows, used = _caption_and_header(lines, above, columns, index)
    if years is not None:
        header_rows.append([years.label, *years.natural()])
        used.append(index)
    header = [" ".join(filter(None, column)).strip() for column in zip(*header_rows, strict=True)]
    return Table(
        start=start,
        end=last + 1,
        caption=caption,
        header=header or [""] * (columns + 1),
        labels=[r.label for _, r, _ in run],
        rows=fitted,
        row_lines=[lines[i].number for i, _, _ in run],
        header_lines=[lines[i].number for i in used],
    )


def _year_row(run: _Run) -> Row | None:
    """The first row when it holds only years and rows below it hold amounts ("Medlem  2014
    2015 2016" above "Haninge  2 383 831  2 397 872  2 404 910"): the columns' header."""
    first = run[0][1]
    if all(_YEAR.match(n) for n in first.natural()) and any(
        not _YEAR.match(n) for _, row, _ in run[1:] for n in row.natural()
    ):
        return first
    return None


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
