"""The Markdown body of an imported protocol: the paragraphs rendered in chunks without page
furniture, checked on the way (the § numbering, the § range the front page states, the organ
that decides), and the lines no recogniser kept put back where they stood."""

from __future__ import annotations

import re
from collections import Counter

from ..core.problems import Problem, warning
from . import accounting, blocks, furniture, organs
from .frontpage import FrontPage
from .paragraphs import ParagraphLines, split_paragraphs
from .text import Line

Removed = dict[int, str]  # line number → the kind of page furniture removed there
Chunk = tuple[int, str]  # (the source line it begins at, its Markdown)


_SIGNATURE_LABELS = re.compile(
    r"^(?:justerare|justerarnas?|justerandes?|ordförande|sekreterare|sign\.?|signatur|"
    r"utdragsbestyrkande|underskrift(?:er)?)?$",
    re.IGNORECASE,
)


def _clean_body(lines: list[Line], removed: Removed) -> list[Line]:
    """The body without page furniture (furniture lines become blank lines, and are noted in
    ``removed``)."""
    cleaned: list[Line] = []
    for line in lines:
        kind = furniture.classify(line.text)
        drop = kind in (
            furniture.Furniture.PAGE_HEADER,
            furniture.Furniture.PAGE_NUMBER,
            furniture.Furniture.CONTENTS,
        )
        if kind is furniture.Furniture.SIGNATURE:
            signature = furniture.signature_line(line.text)
            drop = signature is not None and bool(_SIGNATURE_LABELS.match(signature[0]))
        if drop:
            cleaned.append(Line(line.number, "", ""))
            removed[line.number] = str(kind)
            continue
        cleaned.append(line)
    return cleaned


def same_organ(name: str, organ: str) -> bool:
    """ "Kommunstyrelsen" and "kommunstyrelsen" or "ks"; "Nämnden" and "socialnamnden"."""
    stem = re.sub(r"(?:en|n)$", "", organs.slug(name))
    slug = re.sub(r"(?:en|n)$", "", organ)
    initials = "".join(w[0] for w in re.findall(r"[a-z]+", organs.slug(name)))
    return stem in slug or slug in stem or organ == initials


def render_body(
    path: str,
    page: FrontPage,
    body_lines: list[Line],
    organ: str,
    problems: list[Problem],
    removed: Removed,
) -> tuple[list[Chunk], list[ParagraphLines]]:
    """The Markdown body in chunks: the front page's leftovers, then one per paragraph; and
    the paragraphs as split (their numbers, their headings' prefixes, their lines)."""
    body_lines = _clean_body(body_lines, removed)
    split = split_paragraphs(body_lines)
    for number, why in split.rejected:
        problems.append(warning(path, number, why))
    width = blocks.body_width(body_lines)
    parts = _front_leftovers(path, page, problems)
    organs: Counter[str] = Counter()
    previous_number: int | None = None
    for paragraph in split.paragraphs:
        problems += _numbering_problems(path, paragraph, previous_number)
        previous_number = paragraph.heading.number
        rendered = blocks.render_lines(paragraph.lines, width)
        organs.update(rendered.organs)
        for note_line, note in rendered.notes:
            problems.append(warning(path, note_line, note))
        parts.append((paragraph.line, _paragraph_markdown(paragraph, rendered.markdown)))
    problems += _range_problems(path, page, split.paragraphs)
    problems += _organ_problems(path, organs, organ)
    return parts, split.paragraphs


def _front_leftovers(path: str, page: FrontPage, problems: list[Problem]) -> list[Chunk]:
    """The front page's lines that were not understood, kept before the first paragraph."""
    parts: list[Chunk] = []
    for entry in page.leftovers:
        parts.append((entry.line, blocks.escape(entry.text)))
        problems.append(
            warning(
                path,
                entry.line,
                f"raden '{entry.text}' på försättsbladet kunde inte tolkas; "
                "den ligger kvar före första paragrafen",
            )
        )
    return parts


def _numbering_problems(
    path: str, paragraph: ParagraphLines, previous_number: int | None
) -> list[Problem]:
    """A gap in the § numbering before ``paragraph``, and a missing title."""
    found: list[Problem] = []
    number = paragraph.heading.number
    if previous_number is not None and number != previous_number + 1:
        found.append(
            warning(
                path,
                paragraph.line,
                f"§ {number} följer på § {previous_number}; saknas en paragraf?",
            )
        )
    if not paragraph.title:
        found.append(warning(path, paragraph.line, f"§ {number} saknar rubrik"))
    return found


def _paragraph_markdown(paragraph: ParagraphLines, rendered: str) -> str:
    """The ``## §`` heading, the lead (the dnr) and the rendered body of one paragraph."""
    number = paragraph.heading.number
    chunk = f"## § {number} {blocks.escape(paragraph.title, block_start=False)}".rstrip()
    lead = "\n\n".join(blocks.escape(t) for t in paragraph.lead)
    return "\n\n".join(filter(None, [chunk, lead, rendered]))


def _range_problems(path: str, page: FrontPage, paragraphs: list[ParagraphLines]) -> list[Problem]:
    """The § range the front page states, if it is not the one the text has."""
    if not (page.paragraphs and paragraphs):
        return []
    written = f"{paragraphs[0].heading.number}-{paragraphs[-1].heading.number}"
    stated = re.sub(r"\s*[–—-]\s*", "-", page.paragraphs).strip()
    if stated == written or stated.replace("§", "").strip() == written:
        return []
    return [
        warning(
            path,
            0,
            f"försättsbladet anger paragraferna {page.paragraphs}, texten har § {written}",
        )
    ]


def _organ_problems(path: str, organs: Counter[str], organ: str) -> list[Problem]:
    """The organ that the paragraphs' "<Organ> beslutar" name most, if it is not ``organ``."""
    if not organs:
        return []
    name = organs.most_common(1)[0][0]
    if same_organ(name, organ):
        return []
    return [
        warning(
            path,
            0,
            f"texten beslutas av '{name}' men protokollet importeras till organet "
            f"'{organ}'; kontrollera organet",
        )
    ]


def joined(chunks: list[Chunk]) -> str:
    return "\n\n".join(markdown for _, markdown in chunks if markdown)


def put_back(
    path: str, chunks: list[Chunk], lost: list[Line], problems: list[Problem]
) -> list[Chunk]:
    """Each line whose words no recogniser kept, put back as text after the chunk it stood
    in (before the first chunk when it stood before them all), with a warning."""
    placed: list[list[Chunk]] = [[], *([chunk] for chunk in chunks)]
    for line in lost:
        at = max((i + 1 for i, (start, _) in enumerate(chunks) if start <= line.number), default=0)
        placed[at].append((line.number, blocks.escape(line.text)))
        problems.append(accounting.kept(path, line))
    return [chunk for group in placed for chunk in group]
