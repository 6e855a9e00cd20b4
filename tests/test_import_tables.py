"""Numbers stay whole in tables: a budget written in a Word table, with amounts as offices write
them ("2 203 250,00", "3 100 000", "−12 500 kr", "1 200 tkr", "-45 %") and cells left empty,
comes out of the importer as a GFM table with exactly its cells.

The tables are made at random (with a fixed seed, so the same each run) and written by
python-docx; the plan tables of tests/fixtures/import/tables.yaml are the worked examples."""

from __future__ import annotations

import random
from pathlib import Path

import docx
import pytest

from justerat.importer.sources import extract
from justerat.importer.tables import find_tables, render, table_row
from justerat.importer.text import split_lines

LABELS = [
    "Kansli personal", "Kansli övrigt", "Lokaler", "Resor", "Styrelse och revision",
    "Ungdomsteamet", "Samrehab", "Resursråden", "Förbundsreserv", "Summa",
]  # fmt: skip
HEADINGS = ["Budget 2024", "Utfall 2023", "Prognos", "Avvikelse", "Andel"]


def amount(chance: random.Random) -> str:
    """An amount as Swedish offices write it: thousands groups a space apart, perhaps
    decimals, a sign (hyphen or minus) or a unit."""
    value = chance.choice([chance.randrange(1_000, 100_000), chance.randrange(100_000, 10**8)])
    digits = f"{value:,}".replace(",", " ")
    if chance.random() < 0.3:
        digits += f",{chance.randrange(100):02}"
    if chance.random() < 0.2:
        digits = chance.choice("-−") + digits
    unit = chance.choice(["", "", "", " kr", " tkr"])
    return digits + unit


def budget(seed: int) -> list[list[str]]:
    """A header row and three to seven rows of one to four amounts; the first two rows full,
    other cells now and then empty (never a whole row)."""
    chance = random.Random(seed)
    columns = chance.randrange(1, 5)
    rows = [["Post", *HEADINGS[:columns]]]
    for index, label in enumerate(chance.sample(LABELS, chance.randrange(3, 8))):
        cells = [amount(chance) for _ in range(columns)]
        if index >= 2 and columns > 1:
            for column in range(columns):
                if chance.random() < 0.25:
                    cells[column] = ""
            if not any(cells):
                cells[0] = amount(chance)
        rows.append([label, *cells])
    return rows


def gfm(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|---|" + "---:|" * (len(rows[0]) - 1)]
    for row in rows[1:]:
        lines.append("|" + "|".join(f" {cell} " if cell else " " for cell in row) + "|")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_a_word_budget_comes_out_with_exactly_its_cells(seed: int, tmp_path: Path) -> None:
    rows = budget(seed)
    document = docx.Document()
    document.add_paragraph("Budgeten fördelas enligt följande.")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for index, row in enumerate(rows):
        for column, text in enumerate(row):
            table.cell(index, column).text = text
    document.add_paragraph("Styrelsen fastställer budgeten.")
    document.save(str(tmp_path / "budget.docx"))
    text = extract(tmp_path / "budget.docx").text
    assert text is not None
    found = find_tables(split_lines(text))
    assert len(found) == 1, text
    assert render(found[0]) == gfm(rows), text
    assert not [row for row in found[0].rows if row.note]


@pytest.mark.parametrize(
    "raw",
    ["2 203 250,00", "3 100 000", "−12 500 kr", "1 200 tkr", "-45 %", "0", "12,5%"],
)
def test_an_amount_is_one_value_however_it_is_spaced(raw: str) -> None:
    """Whatever the gap before it, an amount as offices write it is one value, with its sign
    and unit; a space that stood for a thin or non-breaking one is the same."""
    for gap in (" ", "      "):
        for space in (" ", "\u00a0", "\u2009"):
            written = raw.replace(" ", space)
            line = split_lines(f"Kansli personal{gap}{written}   1 000,00")[0]
            row = table_row(line.raw)
            assert row is not None and row.natural() == [raw, "1 000,00"], (gap, space)
