"""The ANSLAGSBEVIS block: its labels and values, which the PDF may break over many lines
("Sammanträdes-" / "datum" / "2023-09-13", "Datum för" / "anslags" / "uppsättande").

The block's lines are joined into one text; labels are found in it and each value is the
text up to the next label.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum

from . import furniture
from .dates import find_dates, tidy_rest
from .text import Line, cells


class Label(StrEnum):
    MEETING = "meeting"
    POSTED = "posted"
    TAKEN_DOWN = "taken_down"
    KEPT_AT = "kept_at"
    ORGAN = "organ"
    SIGNATURE = "signature"
    PARAGRAPHS = "paragraphs"


_ANSLAG = r"anslag(?:s|et)?"
_LABELS: tuple[tuple[Label, str], ...] = (
    (Label.MEETING, r"sammanträdes-?\s*datum|datum\s+för\s+sammanträdet|mötesdatum"),
    (
        Label.POSTED,
        rf"datum\s+(?:för|då)\s+{_ANSLAG}\s+(?:uppsättande|sattes\s+upp|sätts\s+upp|uppsattes)"
        rf"|{_ANSLAG}\s+(?:har\s+)?(?:uppsatt|uppsättande|satts\s+upp|sattes\s+upp|sätts\s+upp)"
        r"|uppsättande\s+av\s+anslag(?:et)?|uppsatt\s+den",
    ),
    (
        Label.TAKEN_DOWN,
        rf"datum\s+(?:för|då)\s+{_ANSLAG}\s+(?:nedtagande|togs\s+ned|tas\s+ned|nedtogs)"
        rf"|{_ANSLAG}\s+(?:har\s+)?(?:nedtaget|nedtagande|tagits\s+ned|togs\s+ned|tas\s+ned)"
        r"|nedtagande\s+av\s+anslag(?:et)?|nedtaget\s+den|nedtas\s+den",
    ),
    (Label.KEPT_AT, r"förvaringsplats(?:\s+för\s+protokollet)?|protokollet\s+förvaras\s+(?:på|i)"),
    (Label.ORGAN, r"(?<![\w-])organ(?![\w-])"),
    (Label.SIGNATURE, r"(?<![\w-])underskrift(?![\w-])(?:\s*[-_.…]{4,})?"),
    (Label.PARAGRAPHS, r"(?<![\w-])paragrafer(?![\w-])"),
)
_LABEL_RE = re.compile(
    "|".join(f"(?P<{label.value}>{pattern})" for label, pattern in _LABELS), re.IGNORECASE
)
_BOILERPLATE = re.compile(
    r"anslagsbevis|anslag\s*/\s*bevis|\bbevis\b"
    r"|protokollet\s+är\s+justerat\.?"
    r"|justeringen\s+har\s+(?:tillkännagivits|tillkännagetts|kungjorts)\s+genom\s+anslag\.?"
    r"|[-_.…]{6,}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    """Text of the block that no label claimed, with the line it starts on."""

    line: int
    text: str


@dataclass
class AnslagFacts:
    meeting_date: datetime.date | None = None
    posted: datetime.date | None = None
    taken_down: datetime.date | None = None
    kept_at: str | None = None
    organ_name: str | None = None
    paragraphs: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # fact → source line
    leftovers: list[Piece] = field(default_factory=list)


def _flatten(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """The block's lines as one text (a page number's line left out), with where each
    line begins in it."""
    text = ""
    offsets: list[tuple[int, int]] = []
    for line in lines:
        if line.blank or furniture.classify(line.text) is furniture.Furniture.PAGE_NUMBER:
            continue
        if text:
            text += " "
        offsets.append((len(text), line.number))
        text += line.text
    return text, offsets


def _line_at(offsets: list[tuple[int, int]], position: int) -> int:
    number = offsets[0][1] if offsets else 0
    for start, line in offsets:
        if start > position:
            break
        number = line
    return number


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    return re.sub(r"\s+,", ",", text)


def _value_line(offsets: list[tuple[int, int]], end: int, value: str) -> int:
    """The line of a label's value: where the value begins, or the label's own line if empty."""
    return _line_at(offsets, end if value.strip() else max(end - 1, 0))


def unfold_columns(lines: list[Line]) -> list[Line]:
    """An ANSLAGSBEVIS laid out as a table (label | value, or two such pairs on a line), with
    a label broken over lines in its column ("Datum för anslags" / "uppsättande", or
    "Förvaringsplats" / "för protokollet" under the value), as lines of "label value": read
    flat, the value would split the label and the label's tail would end the value. A block
    not laid out in columns is given back as it is."""
    rows = [(line, cells(line.raw)) for line in _rejoined(lines) if not line.blank]
    labelled = [
        row
        for _, row in rows
        if len(row) in (2, 4)
        and (_LABEL_RE.match(row[0][1]) or any(find_dates(text) for _, text in row[1::2]))
    ]
    if len(labelled) < 2:
        return lines
    entries: list[_Entry] = []
    last_row: list[_Entry] = []  # the entries of the last row with labels
    for line, row in rows:
        if len(row) in (2, 4) and all(
            _LABEL_RE.match(text) or text[:1].isupper() for _, text in row[0::2]
        ):
            last_row = [
                _Entry(line.number, at, value_at, [label], [value])
                for (at, label), (value_at, value) in zip(row[0::2], row[1::2], strict=True)
            ]
            entries += last_row
        elif _LABEL_RE.match(row[0][1]) or not all(_place(c, last_row, False) for c in row):
            last_row = []
            entries.append(_Entry(line.number, 0, 0, [" ".join(text for _, text in row)], []))
        else:
            for cell in row:
                _place(cell, last_row, True)
    signers = [(index, _signer(e)) for index, e in enumerate(entries)]
    for index, signer in reversed(signers):
        if signer is not None and not any("nderskrift" in " ".join(e.label) for e in entries):
            entries.insert(index + 1, signer)
    return [Line(e.line, " ".join(e.label + e.value), " ".join(e.label + e.value)) for e in entries]


def _rejoined(lines: list[Line]) -> list[Line]:
    """The lines with the parts of one source line (split before each label, each part
    padded to its column) laid side by side again."""
    joined: list[Line] = []
    for line in lines:
        if joined and joined[-1].number == line.number:
            before = joined[-1].raw
            raw = before + line.raw[len(before) :]
            joined[-1] = Line(line.number, raw, " ".join(raw.split()))
        else:
            joined.append(line)
    return joined


@dataclass
class _Entry:
    """A label and its value in a block laid out in columns: the line, the columns the
    label and the value begin at, and their words."""

    line: int
    label_at: int
    value_at: int
    label: list[str]
    value: list[str]


def _signer(entry: _Entry) -> _Entry | None:
    """A person's name standing alone in the value column under the förvaringsplats, where
    the block has no "Underskrift" label: the signer of the ANSLAGSBEVIS, not a part of the
    place. Taken from ``entry``'s value, as an entry of its own under "Underskrift"."""
    if len(entry.value) < 2 or not _LABEL_RE.match(" ".join(entry.label)):
        return None
    last = entry.value[-1]
    label = _LABEL_RE.match(" ".join(entry.label))
    if label is None or label.lastgroup != Label.KEPT_AT.value:
        return None
    if not re.fullmatch(r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:[- ][A-ZÅÄÖÉ][a-zåäöéü]+){1,2}", last):
        return None
    entry.value.pop()
    return _Entry(entry.line, entry.label_at, entry.value_at, ["Underskrift"], [last])


def _place(cell: tuple[int, str], row: list[_Entry], put: bool) -> bool:
    """Whether a cell of a line without labels stands in an entry's column: a value's
    second line, or a label's tail (lower case: "uppsättande", "för protokollet"); with
    ``put``, add it there."""
    at, text = cell
    for entry in reversed(row):
        if at >= entry.value_at - 1:
            if put:
                entry.value.append(text)
            return True
        if at >= entry.label_at - 1 and text[:1].islower():
            if put:
                entry.label.append(text)
            return True
    return False


def read_anslag(lines: list[Line]) -> AnslagFacts:
    """The facts of an ANSLAGSBEVIS block; text no label claims is returned in ``leftovers``."""
    text, offsets = _flatten(unfold_columns(lines))
    text = _BOILERPLATE.sub(lambda m: " " * len(m.group(0)), text)
    facts = AnslagFacts()
    matches = list(_LABEL_RE.finditer(text))
    bounds = [(0, 0, None)] + [(m.start(), m.end(), Label(m.lastgroup or "")) for m in matches]
    for index, (_start, end, label) in enumerate(bounds):
        stop = bounds[index + 1][0] if index + 1 < len(bounds) else len(text)
        value = text[end:stop]
        if label is None:
            _read_before_labels(facts, value, end, offsets)
        else:
            _read_value(facts, label, value, end, offsets)
    return facts


def _read_before_labels(
    facts: AnslagFacts, value: str, end: int, offsets: list[tuple[int, int]]
) -> None:
    """The text before the first label: the organ's name."""
    stripped = value.strip()
    if stripped:
        facts.organ_name = _tidy(stripped)
        facts.lines["organ_name"] = _line_at(offsets, end + value.index(stripped[0]))


def _read_value(
    facts: AnslagFacts, label: Label, value: str, end: int, offsets: list[tuple[int, int]]
) -> None:
    """The value after ``label`` (which ends at ``end``), up to the next label."""
    stripped = value.strip()
    line = _value_line(offsets, end, value)
    if label in (Label.MEETING, Label.POSTED, Label.TAKEN_DOWN):
        _read_date(facts, label, value, end, offsets)
    elif label is Label.KEPT_AT:
        # the label's tail, when its value stood between ("Förvaringsplats" … "för protokollet")
        stripped = _tidy(re.sub(r"\bför\s+protokollet\b", " ", stripped, flags=re.IGNORECASE))
        # a web address broken at a slash or a hyphen over two lines is one address
        stripped = re.sub(r"(https?://\S+[/-])\s+(?=[\w-]+/?(?:\s|$))", r"\1", stripped)
        if stripped:
            facts.kept_at = stripped
        facts.lines["kept_at"] = line
    elif label is Label.ORGAN:
        if stripped:
            facts.organ_name = _tidy(stripped)
        facts.lines["organ_name"] = line
    elif label is Label.PARAGRAPHS:
        facts.paragraphs = _tidy(stripped) or None
    # Label.SIGNATURE: what follows is the name under the signature; not a fact.


def _read_date(
    facts: AnslagFacts, label: Label, value: str, end: int, offsets: list[tuple[int, int]]
) -> None:
    """A date label's value: its first date, and any other text as a leftover."""
    dates = find_dates(value)
    if dates:
        setattr(
            facts, label.value if label is not Label.MEETING else "meeting_date", dates[0].value
        )
        facts.lines[label.value] = _line_at(offsets, end + dates[0].start)
        rest = value[: dates[0].start] + value[dates[0].end :]
    else:
        facts.lines[label.value] = _value_line(offsets, end, value)
        rest = value
    rest = tidy_rest(_tidy(rest))
    if rest:
        facts.leftovers.append(Piece(_line_at(offsets, end), rest))
