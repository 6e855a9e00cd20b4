"""One föreskrift of a kommun's författningssamling (a KFS PDF, Word or text file) → a Justerat
Markdown file for ``content/forfattningar/`` (``build.py import --forfattning``).

The facts the document states about itself (``forfattning_facts``: beteckning, title,
adoption, in force, replaces; the kind from the title) become the front matter of
``schema/forfattning.schema.json``; the body is the document's text, its own §§ ("§ 1", "1 §")
as headings. The lines that state the adoption, the day in force and what it replaces stay in
the text as the document prints them; only the title line leaves the text for ``title:``.
Every word is accounted for as in a protocol's import (``accounting``): what no value holds
goes back into the text, with a warning (``[import-kept]``).

A required fact the text does not state is still written, as a placeholder marked ÄNDRA (as
``new`` marks what the secretary must fill in), with ``status: draft`` and a warning naming the
file, so that ``check`` names the line until it is filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..core.problems import Problem, warning
from ..reading.unfinished import CHANGE
from . import accounting, blocks, furniture, organs
from .accounting import Account
from .forfattning_facts import Facts, kind_of, read_facts
from .text import Line, clean, split_lines
from .yaml_writer import Quoted, dump

BETECKNING_PLACEHOLDER = f"{CHANGE}: beteckningen, år:nummer (till exempel 2026:3)"
TITLE_PLACEHOLDER = f"{CHANGE}: föreskriftens rubrik"
ORGAN_PLACEHOLDER = f"{CHANGE}: organets kortnamn i site.yaml"
DATE_PLACEHOLDER = f"{CHANGE}: dagen, ÅÅÅÅ-MM-DD"
PARAGRAPH_PLACEHOLDER = f"{CHANGE}: paragrafens nummer"
IN_FORCE_PLACEHOLDER = f"{CHANGE}: dagen den träder i kraft, ÅÅÅÅ-MM-DD"

_SECTION = re.compile(r"^(?:§\s*(?P<a>\d{1,3})|(?P<b>\d{1,3})\s*§)\s*$")
_REMOVED = (furniture.Furniture.PAGE_NUMBER, furniture.Furniture.PAGE_HEADER)


@dataclass
class ImportedForfattning:
    markdown: str
    name: str  # the file's name without .md: "2019-4", or "utan-beteckning-<file>"
    beteckning: str | None
    organ: str
    problems: list[Problem]
    account: Account = field(default_factory=Account)


def import_forfattning(
    path: str,
    text: str,
    organ: str | None = None,
    bodies: Mapping[str, str] | None = None,
    paged: bool = True,
) -> ImportedForfattning:
    """Turn the text of one föreskrift into its Markdown file. The adopting body is ``organ``
    when given, else the one its adoption line names, matched with ``bodies`` (the slugs and
    names of ``site.yaml``). A text that is not ``paged`` (a Word file's) is not searched for
    running headers."""
    problems: list[Problem] = []
    lines, origin = _pieces(text, paged)
    removed = _furniture(lines, paged)
    content = [line for line in lines if line.number not in removed]
    facts = read_facts(content)
    front: set[int] = set()
    if facts.title_span is not None:
        first = facts.title_span.index
        front = {line.number for line in content[first : first + 1 + facts.title_span.more]}
    meta, slug = _front_matter(path, facts, organ, bodies or {}, problems, origin)
    body_lines = [line for line in content if line.number not in front]
    body = _body(body_lines)
    found = accounting.account(lines, body, meta, front, removed)
    if found.lost:  # put back where they stood, each with a warning
        problems += [accounting.kept(path, _at(line, origin)) for line in found.lost]
        back = {line.number for line in found.lost}
        body = _body([line for line in content if line.number not in front or line.number in back])
        found = accounting.account(lines, body, meta, front - back, removed)
    beteckning = facts.beteckning
    name = beteckning.replace(":", "-") if beteckning else f"utan-beteckning-{_stem(path)}"
    markdown = dump(meta) + "\n" + body.rstrip() + "\n"
    return ImportedForfattning(markdown, name, beteckning, slug, problems, found)


def _stem(path: str) -> str:
    return organs.slug(PurePosixPath(path).stem) or "fil"


def _pieces(text: str, paged: bool) -> tuple[list[Line], list[int]]:
    """The text's lines, with the title cut out of its line as a line of its own (a web
    transcript holds a whole page on one line: "Styrande dokument Lokala föreskrifter …
    Fastställd av …"), numbered anew; ``origin`` gives each new line's source line."""
    source = split_lines(text)
    first = [line for line in source if line.number not in _furniture(source, paged)]
    facts = read_facts(first)
    origin = [0] + [line.number for line in source]
    if facts.title_span is None:
        return source, origin
    span = facts.title_span
    at = first[span.index]
    parts = [at.text[: span.start], at.text[span.start : span.end], at.text[span.end :]]
    pieces: list[tuple[int, str]] = []
    for line in source:
        if line.number != at.number:
            pieces.append((line.number, line.raw))
            continue
        for index, part in enumerate(parts):
            if part.strip() or index == 1:
                pieces.append((line.number, part))
    lines = [Line(n, raw, clean(raw)) for n, (_, raw) in enumerate(pieces, start=1)]
    return lines, [0] + [number for number, _ in pieces]


def _at(line: Line, origin: list[int]) -> Line:
    """The line as the source numbers it."""
    return Line(origin[line.number], line.raw, line.text)


def _furniture(lines: list[Line], paged: bool) -> dict[int, str]:
    """Page numbers, signed pages' headers and (on a paged text) running headers."""
    headers = furniture.running_headers([line.raw for line in lines]) if paged else set()
    found: dict[int, str] = {}
    for line in lines:
        kind = furniture.classify(line.text)
        if kind in _REMOVED:
            found[line.number] = kind.value if kind else ""
        elif furniture.is_running_header(line.text, headers):
            found[line.number] = "running-header"
    return found


def _body(lines: list[Line]) -> str:
    """The text as Markdown: the föreskrift's own §§ ("§ 1", "1 §" alone on a line) as
    level-2 headings "## 1 §", the text between them as a protocol's paragraph text is."""
    parts: list[str] = []
    current: list[Line] = []
    width = blocks.body_width(lines)
    for line in lines:
        found = _SECTION.match(line.text)
        if found:
            parts.append(_rendered(current, width))
            parts.append(f"## {found.group('a') or found.group('b')} §")
            current = []
            continue
        current.append(line)
    parts.append(_rendered(current, width))
    return "\n\n".join(part for part in parts if part)


def _rendered(lines: list[Line], width: int) -> str:
    if all(line.blank for line in lines):
        return ""
    return blocks.render_lines(lines, width).markdown.strip()


def _front_matter(
    path: str,
    facts: Facts,
    organ: str | None,
    bodies: Mapping[str, str],
    problems: list[Problem],
    origin: list[int],
) -> tuple[dict[str, Any], str]:
    """The front matter in the schema's order, each missing fact as a placeholder (and the
    file a draft), with a warning naming what is missing."""
    adoption = facts.adoption
    slug = _organ(path, facts, organ, bodies, problems)
    meta: dict[str, Any] = {
        "beteckning": Quoted(facts.beteckning or BETECKNING_PLACEHOLDER),
        "title": facts.title or TITLE_PLACEHOLDER,
        "kind": kind_of(facts.title),
        "status": "published",
        "adopted": {
            "organ": slug or ORGAN_PLACEHOLDER,
            "date": adoption.date if adoption and adoption.date else DATE_PLACEHOLDER,
            "paragraph": (
                adoption.paragraph
                if adoption and adoption.paragraph is not None
                else PARAGRAPH_PLACEHOLDER
            ),
        },
        "in_force": facts.in_force or IN_FORCE_PLACEHOLDER,
    }
    if facts.replaces:
        meta["replaces"] = [Quoted(each) for each in facts.replaces]
    missing = _missing(path, facts, slug, problems, origin)
    if missing:
        meta["status"] = "draft"
        problems.append(
            warning(
                path,
                0,
                "texten anger inte " + "; ".join(missing) + f": märkt {CHANGE} i filen, som "
                "skrevs som utkast (status: draft); fyll i och sätt status: published",
            )
        )
    return meta, slug


def _missing(
    path: str, facts: Facts, slug: str, problems: list[Problem], origin: list[int]
) -> list[str]:
    """What the text does not state of the required facts (in Swedish), and a warning for a §
    read without its § sign."""
    missing: list[str] = []
    adoption = facts.adoption
    if not facts.beteckning:
        missing.append("beteckningen (till exempel 'KFS 2019:4')")
    if not facts.title:
        missing.append("rubriken")
    if adoption is None:
        missing.append("antagandet (till exempel 'Antagen av kommunfullmäktige 2019-03-25, § 34')")
    else:
        if not slug:
            missing.append(f"organet ('{adoption.organ_text}' är inget organ)")
        if adoption.date is None:
            missing.append(f"dagen för antagandet ('{adoption.written}')")
        if adoption.paragraph is None:
            missing.append(f"paragrafen för antagandet ('{adoption.written}')")
        elif adoption.unsure_paragraph:
            problems.append(
                warning(
                    path,
                    origin[adoption.line] if adoption.line < len(origin) else 0,
                    f"'{adoption.written}': § {adoption.paragraph} står utan §-tecken; "
                    "kontrollera paragrafen",
                    "import-unsure",
                )
            )
    if facts.in_force is None:
        missing.append("dagen den träder i kraft (till exempel 'Gäller från 2019-05-01')")
    return missing


def _organ(
    path: str,
    facts: Facts,
    organ: str | None,
    bodies: Mapping[str, str],
    problems: list[Problem],
) -> str:
    """The adopting body's slug: as given, or as the adoption line names it ("kommunfullmäktige",
    "KF"), matched with site.yaml's bodies (a warning gives the lines to add when it lacks
    it); empty when none is named."""
    if organ is not None:
        return organ
    if facts.adoption is None:
        return ""
    written = facts.adoption.organ_text
    name = organs.body_name(written) or organs.from_file_name(written)
    if name is None:
        return ""
    found = organs.match(name, bodies)
    if bodies and not found.known:
        problems.append(organs.unknown(path, found))
    return found.slug
