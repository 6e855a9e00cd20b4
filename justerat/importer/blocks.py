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
    r"|ärendet|bakgrund|beslutsunderlag|underlag\s+för\s+beslut|handlingar\s+i\s+ärendet"
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
    notes: list[tuple[int, str]] = []
    organs: list[str] = []
    headings_at = {i for i, line in enumerate(lines) if part_heading(line.text)}
    found = tables.find_tables(lines, headings_at)
    unsure = [t for t in found if not tables.confident(t)]
    found = [t for t in found if tables.confident(t)]
    table_at = {t.start: t for t in found}
    inside = {i for t in found for i in range(t.start, t.end)}
    kept_lines = {i for t in unsure for i in range(t.start, t.end)}  # rows kept as text
    for table in unsure:
        notes.append(
            (
                lines[table.start].number,
                f"raderna {lines[table.start].number}–{lines[table.end - 1].number} ser ut som "
                "en tabell men kolumnerna är osäkra; de lämnas som text, en rad per stycke",
            )
        )
    blocks: list[Block] = []
    current: Block | None = None
    previous: str | None = None  # the last text line (None after a heading or at the start)
    content = [i for i, line in enumerate(lines) if not line.blank]

    def flush() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
            current = None

    for position, index in enumerate(content):
        line = lines[index]
        text = line.text
        if index in table_at:
            flush()
            table = table_at[index]
            blocks.append(Block("table", tables.render(table), line.number))
            for row_line, row in zip(table.row_lines, table.rows, strict=True):
                if row.note:
                    notes.append((row_line, f"tabellrad: {row.note}; kontrollera raden"))
            previous = None
            continue
        if index in inside:
            continue
        if index in kept_lines:
            flush()
            blocks.append(Block("p", text, line.number))
            previous = None
            continue
        following = next(
            (lines[i].text for i in content[position + 1 :] if i not in inside or i in table_at),
            None,
        )
        heading = part_heading(text)
        if heading is not None:
            flush()
            blocks.append(Block("h", heading.text, line.number))
            if heading.organ and "beslutar" in heading.text:
                organs.append(heading.organ)
            previous = None
            if heading.rest:
                current = Block("p", heading.rest, line.number)
                previous = heading.rest
            continue
        item = list_item(text)
        in_att_list = (
            current is not None and current.item is not None and current.item.marker == "att"
        )
        if item is None and att_clause(text, previous, in_att_list):
            item = ListItem(ListKind.BULLET, "att", text, 1)
        if item is not None:
            flush()
            current = Block("li", item.text, line.number, item)
            previous = text
            continue
        if (
            current is not None
            and previous is not None
            and continues(previous, text, current.kind == "li", width)
        ):
            current.text = join(current.text, text)
            previous = text
            continue
        flush()
        if guess_heading(text, previous, following):
            blocks.append(Block("h", text.rstrip(":").strip(), line.number))
            notes.append((line.number, f"raden '{text}' tolkades som underrubrik; kontrollera"))
            previous = None
            continue
        current = Block("p", text, line.number)
        previous = text
    flush()
    return Rendered(_markdown(blocks), organs, notes)


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
