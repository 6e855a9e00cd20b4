"""Plans and budgets (verksamhetsplan, budget): no § headings, numbered sections, budget
tables and an adoption line.

``is_plan`` recognises one; ``import_plan`` writes it as a Justerat plan: its title, year
and adoption date in the front matter (each only where the text states it: the title and
year from the sentence that adopts or names the plan, the date from an adoption line such as
"fastställd av styrelsen den 26 november 2021"), its numbered sections as headings ("1." a
level-2 heading, "4.1" a level-3 one), its tables as tables with every amount as written.
Every word is accounted for as in a protocol's import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from ..core.problems import Problem, warning
from . import accounting, blocks, organs
from .accounting import Account
from .dates import find_dates
from .paragraphs import first_heading
from .text import Line, ends_sentence, split_lines
from .yaml_writer import dump

_PLAN_WORDS = re.compile(r"\b(?:verksamhetsplan\w*|budget\w*|handlingsplan\w*)\b", re.IGNORECASE)
_PROTOCOL_WORDS = re.compile(
    r"protokoll|justeringens|utses\s+att\s+justera|beslutande|anslagsbevis", re.IGNORECASE
)
# A sentence that names the plan it adopts: "Styrelsen antar Verksamhetsplan 2022".
_TITLE = re.compile(
    r"(?:antar|antog|fastställer|fastställde|godkänner|godkände|beslutar om)\s+"
    r"(?P<title>[A-ZÅÄÖ][^.:;]*?(?:plan|budget)\w*\s+(?:för\s+)?(?P<year>(?:19|20)\d\d))"
)
# The document's own title line: a short line that names a plan or budget ("Mål, budget och
# verksamhetsplan 2019", "VERKSAMHETSPLAN MED BUDGET 2022"), not a sentence.
_TITLE_LINE = re.compile(
    r"^(?!.*\b(?:se|enligt|sidan)\b)(?P<title>[^.;:!?(]{0,60}(?:verksamhetsplan|budget"
    r"|handlingsplan)\w*\b[^.;!?]{0,40})$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:för\s+(?:år\s+)?)?(?P<year>(?:19|20)\d\d)(?:\s*[-–]\s*(?:19|20)?\d\d)?\b")
_FOR_YEAR = re.compile(r"\bf[öo]r\s+(?:år\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
# An adoption, on the plan's own line or in the sentence that adopts it, with or without the
# diacritics OCR loses: "Fastställd av styrelsen den 26 november 2021", "Antagen av
# direktionen 2021-11-26", "Beslutad av förbundsstyrelsen 2020-11-20 § 45", "Styrelsen …
# beslutar att anta denna verksamhetsplan … för 2022 den 26 november 2021". A line that tells
# of another document's adoption ("den strategi som fastställdes den 12 mars 2018") is none.
_ADOPTED = re.compile(
    r"^(?:fastst[äa]lld|antagen|beslutad|godk[äa]nd)\b(?P<rest>.*)$", re.IGNORECASE
)
_ADOPTED_PASSIVE = re.compile(
    r"(?P<what>\b\w*(?:plan|budget)\w*\b[^.]*?)\s+(?:beslutades|antogs|fastst[äa]lldes"
    r"|godk[äa]ndes)\s+(?:av|i|vid)\b(?P<rest>[^.]*)",
    re.IGNORECASE,
)
_ADOPTS = re.compile(
    r"\bbeslut(?:ar|ade)\s+(?:\S+\s+){0,8}?att\s+(?:anta|fastst[äa]lla|godk[äa]nna)\s+"
    r"(?:denna|detta|f[öo]religgande|bifogade?)?\s*(?P<what>[^.]*?(?:plan|budget)\w*[^.]*)",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-ZÅÄÖ].{1,78})$")


@dataclass
class ImportedPlan:
    markdown: str
    slug: str
    title: str | None
    year: int | None
    problems: list[Problem]
    account: Account = field(default_factory=Account)


def is_plan(text: str) -> bool:
    """A plan or budget: no § headings, its first pages speak of a plan or budget, and
    nothing in them is a protocol's (a protocol, a meeting, justering, the beslutande, §)."""
    lines = split_lines(text)
    head = " ".join(line.text for line in lines[:80])
    return (
        first_heading(lines) is None
        and bool(_PLAN_WORDS.search(head))
        and not _PROTOCOL_WORDS.search(head)
    )


def import_plan(path: str, text: str, organ: str | None = None) -> ImportedPlan:
    problems: list[Problem] = []
    lines = split_lines(text)
    meta = _front_matter(path, lines, organ, problems)
    chunks = _sections(path, lines, problems)
    body = "\n\n".join(chunks)
    account = accounting.account(lines, body, meta, set(), {})
    if account.lost:  # put back at the end: a plan's sections are not tied to lines
        problems += [accounting.kept(path, line) for line in account.lost]
        body += "\n\n" + "\n\n".join(blocks.escape(line.text) for line in account.lost)
    title = meta.get("title")
    slug = (
        organs.slug(title)
        if isinstance(title, str)
        else organs.slug(path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    )
    year = meta.get("year")
    return ImportedPlan(
        dump(meta) + "\n" + body.rstrip() + "\n",
        slug,
        title if isinstance(title, str) else None,
        year if isinstance(year, int) else None,
        problems,
        account,
    )


def _front_matter(
    path: str, lines: list[Line], organ: str | None, problems: list[Problem]
) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    whole = " ".join(line.text for line in lines)
    named = _TITLE.search(whole)
    title = named.group("title") if named else _title_line(lines)
    if title:
        meta["title"] = title
    else:
        problems.append(warning(path, 0, "planens titel står inte i texten; title utelämnas"))
    if organ:
        meta["organ"] = organ
    adoption = _adoption(lines)
    year = _year(title, named, adoption)
    if year is not None:
        meta["year"] = year
    else:
        problems.append(warning(path, 0, "året planen gäller står inte i texten; year utelämnas"))
    if adoption is not None:
        meta["adopted"] = adoption[0]
    else:
        problems.append(
            warning(
                path,
                0,
                "planens antagande (till exempel 'fastställd av styrelsen den 26 november "
                "2021') står inte i texten; adopted utelämnas",
            )
        )
    meta["status"] = "published"
    return meta


_OPEN_END = re.compile(r"\b(?:och|till|om|för|av|med|i|på|att|som|samt)$", re.IGNORECASE)


def _title_line(lines: list[Line]) -> str | None:
    """The document's own title line, among its first lines: short, naming a plan or a
    budget (not a "budgetbeslut"), not a sentence nor the start of one, not a table's row;
    a year alone on the next line belongs to it ("BUDGET" / "2021")."""
    texts = [line for line in lines[:40] if not line.blank]
    for index, line in enumerate(texts):
        text = line.text
        if (
            _TITLE_LINE.match(text)
            and len(text) < 90
            and len(re.findall(r"\S {3,}\S", line.raw)) < 2  # columns: a table's row
            and not re.search(r"budgetbeslut|beslut\b", text, re.IGNORECASE)
            and not _OPEN_END.search(text)
        ):
            following = texts[index + 1].text if index + 1 < len(texts) else ""
            if re.fullmatch(r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?", following):
                return f"{text} {following}"
            return text
    return None


def _year(title: str | None, named: re.Match[str] | None, adoption: Any) -> int | None:
    """The year the plan covers: "för 2022" in the adopting sentence, else the year in the
    title ("Verksamhetsplan 2022", "Budget 2022–2024": its first year)."""
    if adoption is not None and adoption[1] is not None:
        return int(adoption[1])
    if named is not None:
        return int(named.group("year"))
    found = _YEAR.search(title or "")
    return int(found.group("year")) if found else None


def _adoption(lines: list[Line]) -> tuple[datetime.date, str | None] | None:
    """The adoption date, and the year the adopting sentence names ("för 2022"), from the
    plan's adoption line or the sentence that adopts it (read over two lines)."""
    texts = [line.text for line in lines if not line.blank]
    for index, text in enumerate(texts):
        pair = " ".join(texts[index : index + 2])
        line_found = _ADOPTED.match(text)
        if line_found:
            dates = find_dates(" ".join([line_found.group("rest"), *texts[index + 1 : index + 2]]))
            if dates:
                return dates[0].value, None
        sentence = _ADOPTS.search(pair)
        if sentence and sentence.start() < len(text):
            dates = find_dates(sentence.group("what")) or find_dates(sentence.group(0))
            year = _FOR_YEAR.search(sentence.group("what"))
            if dates:
                return dates[-1].value, year.group("year") if year else None
        passive = _ADOPTED_PASSIVE.search(pair)
        if passive and passive.start() < len(text):
            dates = find_dates(passive.group("rest"))
            year = _FOR_YEAR.search(passive.group("what"))
            if dates:
                return dates[0].value, year.group("year") if year else None
    return None


def _sections(path: str, lines: list[Line], problems: list[Problem]) -> list[str]:
    """The body: the text before the first numbered section, then each section with its
    heading, its text rendered as a protocol's paragraph text is (lists, tables, sub-headings
    one level below the section's)."""
    parts: list[str] = []
    width = blocks.body_width(lines)
    current: list[Line] = []
    level = 1
    numbering: list[int] = []
    for line in lines:
        found = _SECTION.match(line.text)
        numbers = [int(n) for n in found.group("number").split(".")] if found else []
        if found and not ends_sentence(line.text) and _follows(numbering, numbers):
            parts.append(_rendered(path, current, width, level, problems))
            numbering, current, level = numbers, [], len(numbers) + 1
            title = blocks.escape(found.group("title").strip(), block_start=False)
            parts.append(
                f"{'#' * level} {found.group('number')}{'.' if len(numbers) == 1 else ''} {title}"
            )
            continue
        current.append(line)
    parts.append(_rendered(path, current, width, level, problems))
    return [part for part in parts if part]


def _follows(numbering: list[int], numbers: list[int]) -> bool:
    """A section number that continues the numbering: the next at its level, or the first of
    a level below ("1", "2", "2.1", "2.2", "3")."""
    if not numbering:
        return numbers == [1]
    if len(numbers) == len(numbering) + 1:
        return numbers[:-1] == numbering and numbers[-1] == 1
    depth = len(numbers)
    return (
        depth <= len(numbering)
        and numbers[:-1] == numbering[: depth - 1]
        and (numbers[-1] == numbering[depth - 1] + 1)
    )


def _rendered(path: str, lines: list[Line], width: int, level: int, problems: list[Problem]) -> str:
    if not any(not line.blank for line in lines):
        return ""
    rendered = blocks.render_lines(lines, width)
    for number, note in rendered.notes:
        problems.append(warning(path, number, note))
    # the renderer's sub-headings are level 3: one below this section's
    below = "#" * min(6, level + 1)
    return re.sub(r"^### ", f"{below} ", rendered.markdown, flags=re.MULTILINE)
