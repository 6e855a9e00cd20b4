"""Lines of text extracted from a PDF: numbering, cleaning and small tests on them.

Every later stage works on ``Line`` values, so that any warning can name the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Spaces that PDF extraction leaves behind, turned into ordinary spaces.
_ODD_SPACES = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": "  ", "\u00ad": None}
)
_RUNS = re.compile(r" {2,}")


@dataclass(frozen=True)
class Line:
    """One source line: its 1-based number, its raw text (right-stripped) and a clean form."""

    number: int
    raw: str
    text: str

    @property
    def blank(self) -> bool:
        return not self.text


def clean(raw: str) -> str:
    """The line with odd spaces made ordinary, runs of spaces collapsed, ends stripped."""
    return _RUNS.sub(" ", raw.translate(_ODD_SPACES)).strip()


def split_lines(text: str) -> list[Line]:
    """All lines of ``text``, numbered from 1."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [
        Line(number, raw.translate(_ODD_SPACES).rstrip(), clean(raw))
        for number, raw in enumerate(text.split("\n"), start=1)
    ]


_CELLS = re.compile(r"\S(?:.*?\S)?(?=\s{3,}|$)")


def cells(raw: str) -> list[tuple[int, str]]:
    """The cells of a line laid out in columns (three or more spaces apart), each with the
    column it begins at."""
    return [(m.start(), m.group(0)) for m in _CELLS.finditer(raw.rstrip())]


_SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)]*$")


def ends_sentence(text: str) -> bool:
    """True when the text ends like a sentence (or a lead-in ending with a colon)."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def starts_upper(text: str) -> bool:
    """True when the text begins like a new sentence: a capital, a digit or a quote."""
    stripped = text.lstrip("\"'”“»(")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def fold(text: str) -> str:
    """Case-folded text without a trailing colon, for comparing labels."""
    return clean(text).rstrip(":").strip().casefold()
