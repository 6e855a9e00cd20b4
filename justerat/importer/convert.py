"""The conversion of one protocol's text into a Justerat Markdown file (``import_text``).

The front page (and an ANSLAGSBEVIS after the paragraphs) becomes the front matter
(``front_matter``), the paragraphs the body (``body``), checked on the way; what the
paragraphs record of votes and reservations is written beside them as ``proceedings``; and
every word of the source is accounted for (``accounting``): what no recogniser kept is put
back into the body, with a warning naming its line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..core.problems import Problem, warning
from . import accounting, furniture
from .accounting import Account
from .body import Chunk, Removed, joined, put_back, render_body, same_organ
from .front_matter import find_organ, front_matter, read_front, schema_safe
from .front_sections import Section, section_label
from .frontpage import FrontPage
from .paragraphs import ParagraphLines, first_heading, paragraph_heading, without_sign
from .people import Group
from .plausible import sift
from .proceedings import read_proceedings
from .text import Line, ends_sentence, split_lines
from .yaml_writer import Quoted, dump


@dataclass(frozen=True)
class Imported:
    markdown: str  # the whole file: front matter + body
    date: datetime.date | None  # the meeting date, for the output file name
    problems: list[Problem]  # warnings (and errors) naming the source file and line
    account: Account = field(default_factory=Account)  # where the source's words went
    organ: str = ""  # the body's slug the protocol was imported to
    numbers: tuple[int, ...] = ()  # the paragraphs' numbers


def import_text(
    path: str,
    text: str,
    organ: str | None = None,
    bodies: Mapping[str, str] | None = None,
    paged: bool = True,
) -> Imported:
    """Turn the text of one protocol into a Justerat Markdown file, every word of it
    accounted for (``accounting``): what no recogniser kept is put back into the body. The
    body is ``organ`` when given, else the one the text names (matched with ``bodies``, the
    slugs and names of ``site.yaml``). A text that is not ``paged`` (a Word file's: Word keeps
    its running headers apart) is not searched for running headers."""
    problems: list[Problem] = []
    removed: Removed = {}
    source = split_lines(text)
    lines = _without_running_headers(source, removed) if paged else source
    start = first_heading(lines)
    if start is None:  # numbers without §, as web transcripts write them
        lines = without_sign(lines)
        start = first_heading(lines)
    if start is None:
        problems.append(warning(path, 0, "inga paragrafer (§ 1 Rubrik) hittades i texten"))
        start = len(lines)
    front_lines, body_lines = lines[:start], lines[start:]
    body_lines, late_anslag, cut = _cut_anslag(body_lines)
    page = read_front(path, front_lines, late_anslag, problems)
    slug = find_organ(path, page, organ, bodies or {}, problems)
    meta = sift(
        path, schema_safe(path, front_matter(path, page, slug, problems), problems), problems
    )
    chunks, split = render_body(path, page, body_lines, slug, problems, removed)
    numbers = tuple(p.heading.number for p in split)
    prefixes = {p.line: p.heading.prefix for p in split}
    _add_proceedings(path, meta, split, slug, problems)
    front = {line.number for line in front_lines + cut}
    _front_furniture(front_lines + cut, removed)
    read = _read_not_written(page, prefixes)
    account = accounting.account(source, joined(chunks), meta, front, removed, read)
    meta["imported"] = {"file": Quoted(PurePosixPath(path).name)}
    chunks = _settle(
        path,
        account,
        chunks,
        meta,
        problems,
        lambda body: accounting.account(source, body, meta, front, removed, read),
    )
    markdown = dump(meta) + "\n" + joined(chunks).rstrip() + "\n"
    date = meta.get("date")
    day = date if isinstance(date, datetime.date) else None
    return Imported(markdown, day, problems, account, slug, numbers)


def _settle(
    path: str,
    account: Account,
    chunks: list[Chunk],
    meta: dict[str, Any],
    problems: list[Problem],
    again: Callable[[str], Account],
) -> list[Chunk]:
    """Write what the ``account`` found: the front-page lines that repeat facts under
    ``imported.text``, the lines lost back into the body (with a warning each). A line put
    back may take words another line was counted by, so the body is accounted ``again``
    until nothing more is lost or repeated (three rounds at most)."""
    repeated: list[Line] = []
    returned: set[int] = set()
    found = account
    for _ in range(3):
        fresh = [line for line in found.repeated if line not in repeated]
        lost = [line for line in found.lost if line.number not in returned]
        if not fresh and not lost:
            break
        repeated += fresh
        if repeated:
            meta["imported"]["text"] = [Quoted(line.text) for line in repeated]
        if not lost:
            break  # the body is as it was: the lines written under imported.text only add
        chunks = put_back(path, chunks, lost, problems)
        returned.update(line.number for line in lost)
        if found is not account:
            account.lost = sorted([*account.lost, *lost], key=lambda line: line.number)
        found = again(joined(chunks))
    return chunks


def _without_running_headers(lines: list[Line], removed: Removed, top: int = 4) -> list[Line]:
    """The lines with the pages' running header blanked (and noted in ``removed``), except
    where the document begins."""
    headers = furniture.running_headers([line.raw.lstrip(" ") for line in lines], top)
    kept: list[Line] = []
    seen = 0
    for line in lines:
        if not line.blank:
            seen += 1
        if seen > top and furniture.is_running_header(line.text, headers):
            kept.append(Line(line.number, "", ""))
            removed[line.number] = "running-header"
        else:
            kept.append(line)
    return kept


_ANNOUNCED = re.compile(
    r"^(?:protokollet\s+är\s+justerat\.?\s*)?justeringen(?:\s+av\s+\S+)?\s+har\s+"
    r"(?:tillkännagivits|tillkännagetts|kungjorts)\s+genom\s+anslag",
    re.IGNORECASE,
)


_ANSLAG_FACT = re.compile(
    r"^(?:organ|sammanträdesdatum|datum\s+(?:för|då)\s+anslag|anslag(?:et|s)?\s+(?:uppsatt|sätts"
    r"|nedtag|tas)|förvaringsplats|underskrift)",
    re.IGNORECASE,
)


def _cut_anslag(lines: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """An ANSLAGSBEVIS after the paragraphs, from its label ("ANSLAGSBEVIS", "BEVIS") or its
    sentence ("Justeringen har tillkännagivits genom anslag") to the next paragraph or the
    end: (the body without it, its lines to read, all its lines with the label)."""
    headings = [i for i, line in enumerate(lines) if paragraph_heading(line.text) is not None]
    last = headings[-1] if headings else -1
    for index, line in enumerate(lines):
        label = section_label(line.text)
        is_label = label is not None and label.section is Section.ANSLAG and not label.rest
        # the sentence alone is a block only after the paragraphs, with the block's own
        # labels below it: inside a paragraph it tells of another meeting's notice
        found = _ANNOUNCED.match(line.text)
        announced = (
            found is not None
            and len(line.text[found.end() :].strip(" .")) == 0  # the sentence alone, no date
            and index > last
            and any(
                _ANSLAG_FACT.match(after.text) and not ends_sentence(after.text)
                for after in lines[index + 1 : index + 6]
            )
        )
        if not (is_label or announced):
            continue
        end = index + 1
        while end < len(lines) and paragraph_heading(lines[end].text) is None:
            end += 1
        block = lines[index:end]
        return lines[:index] + lines[end:], block[1:] if is_label else block, block
    return lines, [], []


def _add_proceedings(
    path: str,
    meta: dict[str, Any],
    paragraphs: list[ParagraphLines],
    organ: str,
    problems: list[Problem],
) -> None:
    """The votes and reservations the paragraphs state, as ``proceedings`` (last in the front
    matter); what they state unclearly stays text, with a warning."""
    found, unclear = read_proceedings(path, paragraphs, meta, lambda name: same_organ(name, organ))
    problems += unclear
    if found:
        meta["proceedings"] = found


def _front_furniture(lines: list[Line], removed: Removed) -> None:
    """Note the page furniture of the front page and the ANSLAGSBEVIS (their running header,
    page numbers, lone web addresses, lines to sign on), which the front page reader passes
    over."""
    for line in lines:
        kind = furniture.classify(line.text)
        if kind in (furniture.Furniture.PAGE_HEADER, furniture.Furniture.PAGE_NUMBER):
            removed[line.number] = str(kind)
        elif kind is furniture.Furniture.SIGNATURE:
            signature = furniture.signature_line(line.text)
            if signature is not None and not signature[1]:
                removed[line.number] = str(kind)


def _read_not_written(page: FrontPage, prefixes: dict[int, str]) -> dict[int, str]:
    """What the importer read and checked but does not write, by the line it stands on: the
    title lines (the body's and the organisation's names), the § range stated, the
    ANSLAGSBEVIS's own statement of the body and the meeting, the prefixes of § headings
    ("KS" of "KS § 46")."""
    found: dict[int, list[str]] = {}

    def add(line: int | None, text: str | None) -> None:
        if line and text:
            found.setdefault(line, []).append(text)

    for entry in page.title_lines:
        add(entry.line, entry.text)
    add(page.lines.get("paragraphs"), page.paragraphs)
    if page.voting_reference and Group.VOTING in page.people:
        add(page.voting_reference, page.voting_note)  # the list it names was found
    if page.anslag is not None:
        add(page.anslag.lines.get("organ_name"), page.anslag.organ_name)
        add(page.anslag.lines.get("paragraphs"), page.anslag.paragraphs)
        if page.anslag.meeting_date is not None:
            add(page.anslag.lines.get("meeting"), page.anslag.meeting_date.isoformat())
    for line, prefix in prefixes.items():
        add(line, prefix)
    return {line: " ".join(texts) for line, texts in found.items()}
