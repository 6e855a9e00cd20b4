"""Paragraph (§) headings and the split of the body into paragraphs.

"§ 1 Val av justerare", "§38" alone with the title on the next line, "KF § 102 Title",
"KS § 45   Dnr KS 2024/0012" with the title below, "§ 12. Title".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line

_HEADING = re.compile(
    r"^(?:(?P<prefix>[A-ZÅÄÖ]{1,6}|[A-ZÅÄÖ][a-zåäö])\s+)?§\s*(?P<number>\d{1,5})(?![\d,])"
    r"(?P<after>(?:\s*[.:–—-]?\s+|\s*$).*)$"
)
_DNR = re.compile(
    r"(?:^|\s+)(?P<dnr>(?:dnr|diarienr|diarienummer|ärendenummer|ärendenr|dnr\.)\s*:?\s*\S.*)$",
    re.IGNORECASE,
)
# Words that end a title broken over two lines.
_OPEN_END = re.compile(r"(?:,|\s(?:och|samt|eller|för|av|till|i|om|med|på|inom|från|mellan|-|–))$")


@dataclass(frozen=True)
class Heading:
    number: int
    title: str  # may be empty: the title is then on the next line
    prefix: str  # "KS", "KF", or ""
    dnr: str  # "Dnr KS 2024/0012", or ""


def paragraph_heading(text: str) -> Heading | None:
    """Recognise a paragraph heading line. The title must begin like a title (a capital, a
    digit or a quote) so that "§ 5 i förbundsordningen" inside a sentence is no heading."""
    match = _HEADING.match(text.strip())
    if match is None:
        return None
    after = match.group("after").strip().lstrip(".:–—-").strip()
    dnr = ""
    dnr_match = _DNR.search(after)
    if dnr_match:
        dnr = dnr_match.group("dnr").strip()
        after = after[: dnr_match.start()].strip()
    if after and not (after[0].isupper() or after[0].isdigit() or after[0] in "\"”“'«"):
        return None
    return Heading(int(match.group("number")), after, match.group("prefix") or "", dnr)


def dnr_line(dnr: str) -> str:
    """The diarienummer as the first line of a § (docs/format.md): as written, with the
    colon the format asks after "Diarienummer" and "Ärendenummer" ("Diarienummer: BMN
    2022-0113")."""
    return re.sub(r"^(diarienummer|ärendenummer)\s*:?\s+", r"\1: ", dnr, flags=re.IGNORECASE)


@dataclass
class ParagraphLines:
    heading: Heading
    line: int  # the heading's source line
    title: str
    lines: list[Line] = field(default_factory=list)  # the body of the paragraph
    lead: list[str] = field(default_factory=list)  # text for the top of the body (the dnr)


def _next_text(lines: list[Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        if not lines[index].blank:
            return index
    return None


def first_heading(lines: list[Line]) -> int | None:
    """Index of the first paragraph heading that has a title (here or on the next line)."""
    for index, line in enumerate(lines):
        heading = paragraph_heading(line.text)
        if heading is None:
            continue
        if heading.title:
            return index
        following = _next_text(lines, index + 1)
        if following is not None and paragraph_heading(lines[following].text) is None:
            return index
    return None


@dataclass
class Split:
    paragraphs: list[ParagraphLines]
    rejected: list[tuple[int, str]]  # (line, why) of §-lines read as text


def split_paragraphs(lines: list[Line]) -> Split:
    """Cut the body at each paragraph heading whose number increases. A heading line with a
    number that does not increase stays text (and is reported)."""
    paragraphs: list[ParagraphLines] = []
    rejected: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = _increasing_heading(line, paragraphs, rejected)
        if heading is None:
            if paragraphs:
                paragraphs[-1].lines.append(line)
            index += 1
            continue
        current = ParagraphLines(heading, line.number, heading.title)
        if heading.dnr:
            current.lead.append(dnr_line(heading.dnr))
        index += 1
        if not current.title:
            index = _title_below(lines, index, current)
        index = _title_continued(lines, index, current)
        paragraphs.append(current)
    return Split(paragraphs, rejected)


def _increasing_heading(
    line: Line, paragraphs: list[ParagraphLines], rejected: list[tuple[int, str]]
) -> Heading | None:
    """The paragraph heading on ``line`` if its number follows the paragraphs so far; a heading
    whose number does not increase is added to ``rejected``."""
    heading = paragraph_heading(line.text)
    if heading is not None and paragraphs and heading.number <= paragraphs[-1].heading.number:
        rejected.append(
            (
                line.number,
                f"§ {heading.number} följer på § {paragraphs[-1].heading.number}; "
                "raden lämnas som text",
            )
        )
        return None
    return heading


def _title_below(lines: list[Line], index: int, current: ParagraphLines) -> int:
    """A heading without a title ("§38" alone): the title is on a following line (after a
    "Dnr" line, if any). Sets the title and dnr of ``current``; returns the index after them."""
    while (found := _next_text(lines, index)) is not None:
        candidate = lines[found].text
        dnr = _DNR.match(candidate)
        if dnr:
            current.lead.append(dnr_line(dnr.group("dnr").strip()))
            index = found + 1
            continue
        if paragraph_heading(candidate) is None:
            current.title = candidate
            index = found + 1
        break
    return index


def _title_continued(lines: list[Line], index: int, current: ParagraphLines) -> int:
    """A title broken over two lines: "… halvårsbokslut för" / "2023". Joins the following
    lines to the title of ``current``; returns the index after the lines used."""
    while _OPEN_END.search(current.title) and (found := _next_text(lines, index)) is not None:
        candidate = lines[found].text
        if len(candidate) > 60 or paragraph_heading(candidate) is not None:
            break
        current.title = f"{current.title} {candidate}"
        index = found + 1
    return index


# Web transcripts and some PDFs write a paragraph's number without "§": "120 Motion om …",
# "Kf 88 Föredragningslistan", "Ks 1 Val av justerare".
_BARE_HEADING = re.compile(
    r"^(?:(?P<prefix>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,3})\s+)?(?P<number>\d{1,4})\.?\s+"
    r"(?P<title>[A-ZÅÄÖ\"”][^§]{2,120})$"
)
BARE_RUN = 3  # headings in a row, numbered one by one, before numbers without § are trusted


def without_sign(lines: list[Line]) -> list[Line]:
    """``lines`` with §-less paragraph headings written as § headings, when the text has no §
    heading but a run of at least ``BARE_RUN`` lines that number on by one with one prefix
    ("Kf 88 …", "Kf 89 …", "Kf 90 …"): a lone "12 Val av justerare" or a list item "2
    Budget" is left as it is, and so are lines numbered one right under the other."""
    found: list[tuple[int, re.Match[str]]] = []
    for index, line in enumerate(lines):
        match = _BARE_HEADING.match(line.text)
        if match and not _ends_like_text(match.group("title")):
            found.append((index, match))
    # lines numbered one under the other, with no text between, are a list (an agenda, a
    # table of contents), not headings: a heading has its paragraph's text below it
    at = {index for index, _ in found}
    found = [(i, m) for i, m in found if i - 1 not in at and i + 1 not in at]
    run = _longest_run(found)
    if len(run) < BARE_RUN:
        return lines
    rewritten = list(lines)
    for index, match in run:
        prefix = f"{match.group('prefix')} " if match.group("prefix") else ""
        text = f"{prefix}§ {match.group('number')} {match.group('title')}"
        rewritten[index] = Line(lines[index].number, text, text)
    return rewritten


def _ends_like_text(title: str) -> bool:
    """A sentence, or a row of numbers: not a title."""
    return title.rstrip().endswith(".") or bool(re.search(r"\d[\d ]*\d$", title.rstrip()))


def _longest_run(found: list[tuple[int, re.Match[str]]]) -> list[tuple[int, re.Match[str]]]:
    """The longest run of candidates numbered one by one with one prefix."""
    best: list[tuple[int, re.Match[str]]] = []
    current: list[tuple[int, re.Match[str]]] = []
    for item in found:
        _, match = item
        if current:
            _, last = current[-1]
            follows = int(match.group("number")) == int(last.group("number")) + 1
            if follows and match.group("prefix") == last.group("prefix"):
                current.append(item)
                continue
        best = max(best, current, key=len)
        current = [item]
    return max(best, current, key=len)
