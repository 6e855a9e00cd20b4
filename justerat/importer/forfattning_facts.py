"""The facts a föreskrift in a kommun's författningssamling states about itself, read from its
head: its beteckning ("KFS 2019:4", "Författningssamling 2019:4", "Kommunal
författningssamling nr 2019:4"), its title, its adoption ("Antagen av kommunfullmäktige
2019-03-25, § 34", "Antagen av KF 2019-03-25 § 34", "Beslutad av …", "Fastställd av … den
25 mars 2019"), the day it comes into force ("Gäller från 2019-05-01", "Gäller fr.o.m. …",
"Träder i kraft den …"), the beteckningar it replaces ("Ersätter KFS 2012:7") and its kind
(from the title). Each fact only as the text states it; nothing is guessed.

Web transcripts of such documents (docplayer.se) drop ISO dates and the § sign: "Antagen av
kommunfullmäktige den 9 november 2015, 178". A number after the adoption's date (or after
its organ when the date is gone) is read as the §, and said to be unsure.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import find_dates
from .text import Line

HEAD_LINES = 40  # the facts of a föreskrift stand among its first lines
_TITLE_CHARS = 200

# "KFS 2019:4", "KFS nr 2019:4", "Kfs 2019:4", "Författningssamling 2019:4", "Kommunal
# författningssamling nr 2019:4", "Författningssamling för X kommun, nr 2019:4". A national
# SFS number ("förordning SFS 1993:1632", "ordningslagen (1993:1617)") is none.
_BETECKNING = re.compile(
    r"(?<![\w-])(?:KFS|Kfs|kfs|(?:[Kk]ommunal(?:a)?\s+)?[Ff]örfattningssamling(?:en)?"
    r"(?:\s+för\s+[A-ZÅÄÖ]\w*\s+kommun)?|FÖRFATTNINGSSAMLING)"
    r"[\s,]*(?:(?:nr|Nr|NR|nummer)\.?\s*)?:?\s*(?P<year>(?:19|20)\d\d)\s*:\s*(?P<number>[1-9]\d{0,3})"
    r"(?!\d)"
)
_BETECKNING_ONLY = re.compile(
    r"(?<![\w(])(?P<year>(?:19|20)\d\d):(?P<number>[1-9]\d{0,3})(?![\d)])"
)

# The words an adoption begins with, then the organ, then perhaps a date and a §.
_ADOPTED = re.compile(
    r"\b(?P<verb>[Aa]ntag(?:en|na|et)|ANTAG(?:EN|NA|ET)|[Bb]eslutad(?:e)?|[Bb]eslutat|BESLUTAD"
    r"|[Ff]astst[äa]lld(?:a)?|[Ff]astst[äa]llt|FASTST[ÄA]LLD)(?:\s+(?:av|AV|i|I)\s+|\s*:\s*)"
    r"(?P<organ>[A-Za-zÅÄÖåäöé-]+(?:\s+(?:och|[a-zåäö-]+nämnd\w*|arbetsutskott\w*))*)"
)
_PARAGRAPH = re.compile(r"^\s*[,.]?\s*(?:den\s+)?§\s*(?P<number>\d{1,5})(?:\s*/\s*(?:19|20)\d\d)?")
_BARE_NUMBER = re.compile(r"^\s*,\s*(?P<number>\d{1,5})(?![\d:.-]\d)")
_AFTER_ORGAN = 60  # characters after the organ in which its date and § stand

_IN_FORCE = re.compile(
    r"(?:\b[Gg]äller|\batt\s+gälla|\bGÄLLER)\s+(?:från\s+och\s+med|fr\.?\s*o\.?\s*m\.?|från|FRÅN"
    r"(?:\s+OCH\s+MED)?)\s*:?\s*(?:den\s+)?"
    r"|\b(?:[Tt]räder|TRÄDER)\s+i\s+kraft\s*(?:den\s+)?(?::\s*)?"
    r"|\b[Ii]kraftträdande\s*:?\s*"
)
_REPLACES = re.compile(
    r"\b(?:[Ee]rsätter|ERSÄTTER)\s*:?\s*(?P<list>(?:(?:KFS|Kfs|nr)\s*)?(?:19|20)\d\d:[1-9]\d{0,3}"
    r"(?:\s*(?:,|och|samt|&)\s*(?:(?:KFS|Kfs|nr)\s*)?(?:19|20)\d\d:[1-9]\d{0,3})*)"
)

# Where a title begins: the word a föreskrift's title opens with.
_TITLE_START = re.compile(
    r"(?<![\w-])(?:allmänna|lokala|taxa|taxor|\w*taxa\b|reglemente|arbetsordning|föreskrifter"
    r"|ordningsföreskrifter|renhållningsordning|avfallsföreskrifter|avgift\w*|regler"
    r"|bestämmelser|stadgar?|bolagsordning|delegationsordning)",
    re.IGNORECASE,
)
# Where a title ends inside a flattened line: a label, or a capital word after a word that
# is no preposition ("… kommunfullmäktige Utöver det …").
_TITLE_END = re.compile(
    r"\s+(?=[Aa]ntag|ANTAG|[Bb]eslutad|[Ff]astst[äa]lld|FASTST|[Gg]äller|GÄLLER|[Ee]rsätter"
    r"|ERSÄTTER|[Rr]eviderad|[Dd]nr\b|[Ss]enast\s+ändrad|[Tt]räder\s+i\s+kraft)"
    r"|(?<=[a-zåäö,)])(?<!\bför)(?<!\bi)(?<!\binom)(?<!\bav)(?<!\bmed)(?<!\boch)(?<!\bom)"
    r"\s+(?=[A-ZÅÄÖ][a-zåäö])"
)


@dataclass(frozen=True)
class Span:
    """Where a fact was read: the line (an index into the lines given) and the span of its
    clean text."""

    index: int
    start: int
    end: int
    more: int = 0  # the lines after it that the title goes on over (a title wrapped)


@dataclass(frozen=True)
class Adoption:
    organ_text: str  # the organ as the text writes it ("kommunfullmäktige", "KF")
    date: datetime.date | None
    paragraph: int | None
    unsure_paragraph: bool  # the § read from a number without its § sign
    written: str  # the whole phrase as written
    line: int  # the source line


@dataclass(frozen=True)
class Facts:
    beteckning: str | None = None
    beteckning_line: int = 0
    title: str | None = None
    title_span: Span | None = None
    adoption: Adoption | None = None
    in_force: datetime.date | None = None
    in_force_line: int = 0
    replaces: tuple[str, ...] = ()


def read_facts(lines: list[Line]) -> Facts:
    """The facts of the föreskrift whose (non-furniture) lines are ``lines``."""
    head = [line for line in lines if not line.blank][:HEAD_LINES]
    beteckning, beteckning_line = _beteckning(head)
    title, span = _title(lines, head)
    in_force, in_force_line = _in_force(lines)
    return Facts(
        beteckning,
        beteckning_line,
        title,
        span,
        _adoption(head),
        in_force,
        in_force_line,
        _replaces(head),
    )


def _pairs(lines: list[Line]) -> list[tuple[Line, str]]:
    """Each line with the next one joined to it (a fact broken over two lines, or over a
    Word table's two cells, is read whole); a match must begin on the line itself."""
    texts = [line.text for line in lines]
    return [(line, " ".join(texts[index : index + 2])) for index, line in enumerate(lines)]


def _beteckning(head: list[Line]) -> tuple[str | None, int]:
    for line, text in _pairs(head):
        found = _BETECKNING.search(text)
        if found and found.start() < len(line.text):
            return f"{found.group('year')}:{int(found.group('number'))}", line.number
    return None, 0


def _adoption(head: list[Line]) -> Adoption | None:
    for line, text in _pairs(head):
        found = _ADOPTED.search(text)
        if found is None or found.start() >= len(line.text):
            continue
        organ = found.group("organ").strip(" -")
        tail = text[found.end() :]
        start = found.end() + len(tail) - len(tail.lstrip().removeprefix(":"))
        rest = text[start : start + _AFTER_ORGAN]
        dates = [d for d in find_dates(rest) if d.start <= 12]
        date = dates[0].value if dates else None
        after = rest[dates[0].end :] if dates else rest
        paragraph, unsure = _paragraph(after)
        end = start + (len(rest) - len(after)) + _paragraph_end(after)
        return Adoption(
            organ,
            date,
            paragraph,
            unsure,
            " ".join(text[found.start() : end].split()),
            line.number,
        )
    return None


def _paragraph(after: str) -> tuple[int | None, bool]:
    """The § after an adoption's date: "§ 34", ", § 34", "§ 47/2011"; or ", 178" where a
    web transcript dropped the § sign (unsure)."""
    found = _PARAGRAPH.match(after)
    if found:
        return int(found.group("number")), False
    bare = _BARE_NUMBER.match(after)
    if bare and int(bare.group("number")) > 0:
        return int(bare.group("number")), True
    return None, False


def _paragraph_end(after: str) -> int:
    found = _PARAGRAPH.match(after) or _BARE_NUMBER.match(after)
    return found.end() if found else 0


def _in_force(lines: list[Line]) -> tuple[datetime.date | None, int]:
    """The first "Gäller från …" / "Träder i kraft den …" with a whole date (anywhere: a
    föreskrift's last § often says it)."""
    for line, text in _pairs([line for line in lines if not line.blank]):
        for found in _IN_FORCE.finditer(text):
            if found.start() >= len(line.text):
                break
            dates = find_dates(text[found.end() : found.end() + 30])
            if dates and dates[0].start == 0:
                return dates[0].value, line.number
    return None, 0


def _replaces(head: list[Line]) -> tuple[str, ...]:
    for line, text in _pairs(head):
        found = _REPLACES.search(text)
        if found and found.start() < len(line.text):
            listed = _BETECKNING_ONLY.finditer(found.group("list"))
            return tuple(
                dict.fromkeys(f"{m.group('year')}:{int(m.group('number'))}" for m in listed)
            )
    return ()


def _title(lines: list[Line], head: list[Line]) -> tuple[str | None, Span | None]:
    """The title: in the first lines, from the word a title opens with ("Lokala
    föreskrifter …", "Taxa …", "Reglemente …", "Arbetsordning …") to the line's end, a label
    or (in a flattened transcript) the next sentence."""
    for line in head:
        text = line.text
        if _ADOPTED.match(text) or _IN_FORCE.match(text):
            continue
        for start in _TITLE_START.finditer(text):
            if start.start() > 200:
                break
            if not text[start.start()].isupper():
                continue  # inside a sentence ("enligt denna taxa"): a title begins upper
            rest = text[start.start() :]
            end = _TITLE_END.search(rest)
            whole = (rest[: end.start()] if end else rest)[:_TITLE_CHARS]
            title = whole.rstrip(" .,:;")
            if len(title.split()) < 2 and not end:
                continue
            index = lines.index(line)
            span = Span(index, start.start(), start.start() + len(whole))
            if end is None and not title.endswith((".", ":", ";")):
                following = _wrapped(lines, index)
                if following is not None:
                    title = f"{title} {following.text.rstrip(' .,:;')}"
                    span = Span(index, span.start, span.end, 1)
            return title, span
    return None, None


def _wrapped(lines: list[Line], index: int) -> Line | None:
    """The line a title goes on to: right under it, short, no label nor a sentence."""
    if index + 1 >= len(lines):
        return None
    following = lines[index + 1]
    text = following.text
    if following.blank or len(text) > 60 or _TITLE_END.match(" " + text):
        return None
    if _ADOPTED.search(text) or _IN_FORCE.search(text) or _BETECKNING.search(text):
        return None
    return following


def kind_of(title: str | None) -> str:
    """The kind from the title: a taxa (or avgift), ordningsföreskrifter, a reglemente, an
    arbetsordning, or övrigt. Hyphens and spaces broken into the title are read past
    ("ORDNINGS- FÖRESKRIFTER")."""
    plain = re.sub(r"[\s-]+", "", (title or "").casefold())
    if "taxa" in plain or "taxor" in plain or "avgift" in plain:
        return "taxa"
    if "ordningsföreskrift" in plain:
        return "ordningsforeskrifter"
    if "reglemente" in plain:
        return "reglemente"
    if "arbetsordning" in plain:
        return "arbetsordning"
    return "ovrigt"
