"""Inside a paragraph: part headings, list items, lines joined back into paragraphs, tables,
and the Markdown they become.

``part_heading``, ``list_item`` and ``guess_heading`` recognise single lines;
``continues`` decides whether a line carries on the text above it; ``render_lines`` puts
them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from . import tables
from .text import Line, ends_sentence, starts_lower, starts_upper

# --- part headings ---------------------------------------------------------------------------

_KNOWN_HEADINGS = re.compile(
    r"^(?:sammanfattning(?:\s+av\s+ärendet)?|ärendebeskrivning|beskrivning\s+av\s+ärendet"
    r"|ärendet|bakgrund|beslutsunderlag|underlag\s+(?:för|till)\s+beslut(?:et)?"
    r"|handlingar\s+i\s+ärendet"
    r"|(?:förvaltningens\s+|ordförandens\s+|kansliets\s+)?förslag\s+till\s+beslut"
    r"(?:\s+på\s+sammanträdet)?"
    r"|yrkanden?|propositionsordning|beslutsgång|omröstning(?:sresultat)?|reservation(?:er)?"
    r"|protokollsanteckning(?:ar)?|särskilt\s+yttrande|jäv|kommentarer|kommentar|övrigt"
    r"|övriga\s+frågor|övrig\s+fråga(?:\s+från\s+.+)?|information|diskussion|bilagor|bilaga"
    r"|beslut|beslutet\s+(?:skickas|expedieras)\s+till|expedieras\s+till|skickas\s+till"
    r"|expediering|motivering|ekonomiska\s+konsekvenser|konsekvensanalys|uppföljning"
    r"|ajournering|paragrafen\s+är\s+justerad\s+omedelbart)$",
    re.IGNORECASE,
)
_ORGAN_HEADING = re.compile(
    r"^(?P<organ>[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?:\s+[\wåäöÅÄÖ-]+){0,2}?)\s+"
    r"(?P<verb>beslutar|föreslås\s+besluta|föreslår(?:\s+[\wåäö]+){0,2}\s+(?:att\s+)?besluta"
    r"|föreslår)$"
)
_ORGAN_GENITIVE = re.compile(
    r"^(?P<organ>[A-ZÅÄÖ][\wåäö-]*?)s\s+(?:beslut|förslag(?:\s+till\s+beslut)?)$"
)


# The headings of a list of documents: each line below is one document, until the next
# heading ("Underlag till beslut" / "Finansutskottet 2012-01-12 § 9" / "Kansliets
# tjänstemannaförslag 2011-09-13").
_DOCUMENTS = re.compile(
    r"^(?:beslutsunderlag|underlag\s+(?:för|till)\s+beslut(?:et)?|handlingar\s+i\s+ärendet)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PartHeading:
    text: str  # the heading without a trailing colon
    rest: str  # text after "Heading:" on the same line
    organ: str  # "Styrelsen" from "Styrelsen beslutar", else ""


def part_heading(text: str) -> PartHeading | None:
    """A level-3 heading inside a paragraph: "Sammanfattning", "Förslag till beslut:",
    "Styrelsen föreslås besluta:", "Kommunstyrelsen beslutar", "Övrigt:", "Beslutsunderlag:
    Tjänsteskrivelse 2024-02-12" (heading and text)."""
    stripped = text.strip()
    head, colon, rest = stripped.partition(":")
    candidates = [(stripped.rstrip(":").strip(), "")]
    if colon and rest.strip():
        candidates.append((head.strip(), rest.strip()))
    for heading, after in candidates:
        if not heading or len(heading) > 80:
            continue
        organ_match = _ORGAN_HEADING.match(heading)
        if organ_match and (not after or "beslut" in heading):
            return PartHeading(heading, after, organ_match.group("organ"))
        genitive = _ORGAN_GENITIVE.match(heading)
        if genitive and not after:
            return PartHeading(heading, after, "")
        if _KNOWN_HEADINGS.match(heading):
            if after and heading.lower().startswith(("ärendet", "information", "uppföljning")):
                continue  # "Information: …" in a sentence is text
            return PartHeading(heading, after, "")
    return None


def guess_heading(text: str, previous: str | None, following: str | None) -> bool:
    """An unknown sub-heading ("Halvårsbokslut"): a short line of a few words without closing
    punctuation, standing after a finished sentence, followed by a longer line of text."""
    words = text.rstrip(":").split()
    if not (1 <= len(words) <= 6) or len(text) > 60 or not starts_upper(text):
        return False
    if text[0].isdigit() or "§" in text or re.search(r"[.,;!?]$", text):
        return False
    if previous is not None and not ends_sentence(previous):
        return False
    if following is None or list_item(following) is not None or part_heading(following):
        return False
    # a line ending with a colon leads in to what follows; known ones are part headings
    return not text.endswith(":") and starts_upper(following) and len(following) > len(text) + 20


# --- list items ------------------------------------------------------------------------------


class ListKind(StrEnum):
    BULLET = "bullet"
    NUMBERED = "numbered"


_BULLET = re.compile(
    r"^(?P<marker>[•●▪■►➢✓\u2022\u2023\u2043\uf0b7\uf076\uf0d8\uf0fc\uf0a7◦○▫□\uf06f]|[-–—*](?=\s)|o(?=\s))"
    r"\s*(?P<text>\S.*)$"
)
_NUMBERED = re.compile(r"^(?P<marker>\d{1,2})[.)]\s+(?P<text>\S.*)$")
_LETTERED = re.compile(r"^(?P<marker>[a-h])\)\s+(?P<text>\S.*)$")
_SECOND_LEVEL = {"o", "◦", "○", "▫", "□", "\uf0a7", "\uf06f"}


@dataclass(frozen=True)
class ListItem:
    kind: ListKind
    marker: str
    text: str
    level: int  # 1, or 2 for "o" and other second-level markers


def list_item(text: str) -> ListItem | None:
    """A bullet (•, o, "", -, –) or a numbered item ("1.", "2)", "a)")."""
    match = _BULLET.match(text)
    if match:
        marker = match.group("marker")
        body = match.group("text")
        if marker in "-–—" and (body[:1].isdigit() or body[:1] in "-–"):
            return None  # "-131 879" or "--" is no bullet
        return ListItem(ListKind.BULLET, marker, body, 2 if marker in _SECOND_LEVEL else 1)
    match = _NUMBERED.match(text)
    if match:
        return ListItem(ListKind.NUMBERED, match.group("marker"), match.group("text"), 1)
    match = _LETTERED.match(text)
    if match:
        return ListItem(ListKind.BULLET, match.group("marker"), f"{match.group(0)}", 1)
    return None


_ATT_CLAUSE = re.compile(r"^att\s+\S")


def att_clause(text: str, previous: str | None, in_att_list: bool) -> bool:
    """A decision clause "att …" on its own line: right after a heading, or after an earlier
    clause that ended with a comma, a semicolon, "samt" or "och"."""
    if not _ATT_CLAUSE.match(text):
        return False
    if previous is None:
        return True
    return in_att_list and bool(re.search(r"[.;,]$|\bsamt$|\boch$", previous))


# --- joining lines ---------------------------------------------------------------------------

_SOFT_HYPHEN_END = re.compile(r"[A-Za-zÅÄÖåäö]-$")
_KEEP_SPACE_AFTER_HYPHEN = re.compile(r"^(?:och|eller|samt|respektive|som|till)\b")


def join(previous: str, text: str) -> str:
    """Join a wrapped line to the text before it ("ESF-" + "projekt" → "ESF-projekt")."""
    if (
        _SOFT_HYPHEN_END.search(previous)
        and starts_lower(text)
        and not _KEEP_SPACE_AFTER_HYPHEN.match(text)
    ):
        return previous + text
    return f"{previous} {text}"


def continues(previous: str, text: str, in_list: bool, width: int) -> bool:
    """Does ``text`` carry on the block whose last line was ``previous``?

    A line that begins in lower case does. After a finished sentence a new capital begins a
    new paragraph, unless the line reached the margin (then the layout wrapped it).
    """
    if starts_lower(text) or text[:1] in ",;)":
        return True
    if not ends_sentence(previous):
        # a short unfinished line before a capital is a title-like line of its own
        return not (len(previous) < 0.75 * width and text[:1].isupper())
    # A finished sentence on a line that reaches the margin was wrapped by the layout.
    return len(previous) >= (0.75 if in_list else 0.9) * width


# --- Markdown --------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[+=](?=\s)|\d{1,9}(?=[.)]\s)|-{3,}$|_{3,}$)")


def escape(text: str, block_start: bool = True) -> str:
    """Text safe in Markdown: characters that would become emphasis or links are escaped, and
    so is a start that would become a heading, a quote or a list."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if block_start:
        match = _BLOCK_START.match(text)
        if match:
            token = match.group(0)
            digit = token[0].isdigit()
            text = token + "\\" + text[len(token) :] if digit else "\\" + text
    return text


@dataclass
class Block:
    kind: str  # "p", "h", "li", "table"
    text: str
    line: int
    item: ListItem | None = None
    lines: list[str] = field(default_factory=list)  # the source lines of a block


@dataclass
class Rendered:
    markdown: str
    organs: list[str]  # organ names from "<Organ> beslutar" headings
    notes: list[tuple[int, str]]  # (line, warning)


def body_width(lines: list[Line]) -> int:
    """The usual length of a full line: the 90th percentile of the lines' lengths."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    if not lengths:
        return 80
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])


def render_lines(lines: list[Line], width: int) -> Rendered:
    """Markdown for the lines of one paragraph (without its ``## §`` heading)."""
    headings_at = {i for i, line in enumerate(lines) if part_heading(line.text)}
    found = tables.find_tables(lines, headings_at)
    unsure = [t for t in found if not tables.confident(t)]
    found = [t for t in found if tables.confident(t)]
    table_at = {t.start: t for t in found}
    inside = {i for t in found for i in range(t.start, t.end)}
    kept_lines = {i for t in unsure for i in range(t.start, t.end)}  # rows kept as text
    walk = _Walk(width, notes=[_unsure_note(lines, table) for table in unsure])
    content = [i for i, line in enumerate(lines) if not line.blank]
    for position, index in enumerate(content):
        line = lines[index]
        if index in table_at:
            walk.add_table(table_at[index], line.number)
        elif index in inside:
            continue
        elif index in kept_lines:
            walk.add_kept_row(line)
        else:
            following = _following(lines, content[position + 1 :], inside, table_at)
            walk.add_line(line, following)
    walk.flush()
    return Rendered(_markdown(walk.blocks), walk.organs, walk.notes)


def _following(
    lines: list[Line], later: list[int], inside: set[int], table_at: dict[int, tables.Table]
) -> str | None:
    """The text of the next of the ``later`` lines that is not inside a table (its first line
    counts), or None."""
    return next((lines[i].text for i in later if i not in inside or i in table_at), None)


def _unsure_note(lines: list[Line], table: tables.Table) -> tuple[int, str]:
    """The warning for a table whose columns are unsure: its rows stay text."""
    first, last = lines[table.start].number, lines[table.end - 1].number
    return (
        first,
        f"raderna {first}–{last} ser ut som en tabell men kolumnerna är osäkra; de lämnas som "
        "text, en rad per stycke",
    )


@dataclass
class _Walk:
    """The blocks of one paragraph, built line by line."""

    width: int
    blocks: list[Block] = field(default_factory=list)
    organs: list[str] = field(default_factory=list)  # from "<Organ> beslutar" headings
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, warning)
    current: Block | None = None  # the block that a following line may carry on
    previous: str | None = None  # the last text line (None after a heading or at the start)
    documents: bool = False  # under a heading of documents: a line is a list item

    def flush(self) -> None:
        """End the current block."""
        if self.current is not None:
            self.blocks.append(self.current)
            self.current = None

    def add_table(self, table: tables.Table, number: int) -> None:
        self.flush()
        self.documents = False
        self.blocks.append(Block("table", tables.render(table), number))
        for row_line, row in zip(table.row_lines, table.rows, strict=True):
            if row.note:
                self.notes.append((row_line, f"tabellrad: {row.note}; kontrollera raden"))
        self.previous = None

    def add_kept_row(self, line: Line) -> None:
        """A row of a table whose columns are unsure: a paragraph of its own."""
        self.flush()
        self.blocks.append(Block("p", line.text, line.number))
        self.previous = None

    def add_line(self, line: Line, following: str | None) -> None:
        """A line of text: a part heading, a list item, the rest of the block above, a guessed
        sub-heading or the start of a new paragraph. ``following`` is the next line's text."""
        text = line.text
        heading = part_heading(text)
        if heading is not None:
            self._add_heading(heading, line.number)
            return
        if self._add_list_item(text, line.number):
            return
        if self.documents and not starts_lower(text):
            self._add_document(text, line.number)
            return
        if self._carry_on(text):
            return
        self.flush()
        if guess_heading(text, self.previous, following):
            self.documents = False
            self.blocks.append(Block("h", text.rstrip(":").strip(), line.number))
            self.notes.append(
                (line.number, f"raden '{text}' tolkades som underrubrik; kontrollera")
            )
            self.previous = None
            return
        self.current = Block("p", text, line.number)
        self.previous = text

    def _add_heading(self, heading: PartHeading, number: int) -> None:
        self.flush()
        self.blocks.append(Block("h", heading.text, number))
        if heading.organ and "beslutar" in heading.text:
            self.organs.append(heading.organ)
        self.previous = None
        self.documents = bool(_DOCUMENTS.match(heading.text))
        if heading.rest and self.documents:
            self._add_document(heading.rest, number)
        elif heading.rest:
            self.current = Block("p", heading.rest, number)
            self.previous = heading.rest

    def _add_document(self, text: str, number: int) -> None:
        """One document of a list under "Beslutsunderlag": an item of its own."""
        self.flush()
        self.current = Block("li", text, number, ListItem(ListKind.BULLET, "-", text, 1))
        self.previous = text

    def _add_list_item(self, text: str, number: int) -> bool:
        """Begin a list item if ``text`` is one (a bullet, a number or an "att" clause)."""
        item = list_item(text)
        current = self.current
        in_att_list = (
            current is not None and current.item is not None and current.item.marker == "att"
        )
        if item is None and att_clause(text, self.previous, in_att_list):
            item = ListItem(ListKind.BULLET, "att", text, 1)
        if item is None:
            return False
        self.flush()
        self.current = Block("li", item.text, number, item)
        self.previous = text
        return True

    def _carry_on(self, text: str) -> bool:
        """Join ``text`` to the current block if it carries on that block's text."""
        if (
            self.current is None
            or self.previous is None
            or not continues(self.previous, text, self.current.kind == "li", self.width)
        ):
            return False
        self.current.text = join(self.current.text, text)
        self.previous = text
        return True


def _markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    last_kind = ""
    parent_indent = ""  # set while a first-level item can take second-level items
    for block in blocks:
        if block.kind == "li" and block.item is not None:
            item = block.item
            if last_kind != "li":
                parent_indent = ""
            level_indent = ""
            if item.kind is ListKind.NUMBERED:
                marker = f"{item.marker}."
                parent_indent = " " * (len(marker) + 1)
            elif item.level == 2 and parent_indent:
                marker = "-"
                level_indent = parent_indent
            else:
                marker = "-"
                parent_indent = "  " if item.level == 1 else ""
            entry = f"{level_indent}{marker} {escape(block.text)}"
            if last_kind == "li":
                out[-1] += "\n" + entry
            else:
                out.append(entry)
        elif block.kind == "h":
            out.append(f"### {escape(block.text, block_start=False)}")
        elif block.kind == "table":
            out.append(block.text)
        else:
            out.append(escape(block.text))
        last_kind = block.kind
    return "\n\n".join(out)
