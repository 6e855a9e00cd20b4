"""A whole archive at once (``build.py import FILE|FOLDER...``): every file read by its kind,
imported over the cores, written into the content folder, and reported.

Facts come only from where a protocol states them: its front page, heading lines and
ANSLAGSBEVIS, or, for the date and the body, the file's name (with a warning saying so). A
file whose date cannot be found is still written, under a name that says so
(``utan-datum-<file>.md``), and ``check`` reports it until the date is filled in. Two files of
one meeting are not both written: the second is reported. Nothing already in the content
folder is overwritten without ``--force``.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import yaml

from ..core import processes
from ..core.problems import Problem, Severity, error, warning
from ..core.progress import Progress
from ..core.swedish import counted
from . import organs
from .accounting import Account, words
from .convert import import_text
from .forfattning import import_forfattning
from .plan import import_plan, is_plan
from .sources import extract, files_under

_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")


@dataclass(frozen=True)
class Settings:
    """How an archive is imported: where protocols are written, the bodies ``site.yaml``
    knows (slug → name), the body given on the command line, and whether files already in
    the content folder may be replaced."""

    out: Path
    bodies: dict[str, str] = field(default_factory=dict)
    organ: str | None = None
    force: bool = False
    plans: Path = Path("content/plans")  # where plans and budgets are written
    plan: bool = False  # every file is a plan or budget (else: recognised by its text)
    forfattningar: Path = Path("content/forfattningar")  # where föreskrifter are written
    forfattning: bool = False  # every file is a föreskrift of the författningssamling


@dataclass(frozen=True)
class Outcome:
    """One file's import: where it was written (None: not written), its facts and problems."""

    source: str
    target: str | None = None
    date: datetime.date | None = None
    organ: str = ""
    numbers: tuple[int, ...] = ()
    account: Account = field(default_factory=Account)
    problems: tuple[Problem, ...] = ()
    markdown: str = ""
    plan: str = ""  # the slug of a plan or budget (its file name), when it is one
    forfattning: str = ""  # a föreskrift's file name ("2019-4"), when it is one

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)


def read_bodies(site: Path) -> dict[str, str]:
    """The bodies ``site.yaml`` names (slug → name); none when it cannot be read."""
    try:
        data = yaml.safe_load(site.read_text("utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    bodies = data.get("bodies") if isinstance(data, dict) else None
    if not isinstance(bodies, dict):
        return {}
    return {str(k): str((v or {}).get("name", k)) for k, v in bodies.items()}


def date_from_name(stem: str) -> datetime.date | None:
    """A meeting date in a file's name ("ks_2024-03-05", "protokoll-20240305")."""
    found = _FILE_DATE.search(stem)
    if found is None:
        return None
    try:
        return datetime.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def import_one(path: Path, settings: Settings) -> Outcome:
    """Read, recognise and convert one file (nothing is written here: a pure function of the
    file, for the worker processes)."""
    shown = path.as_posix()
    extracted = extract(path)
    if extracted.text is None:
        return Outcome(shown, problems=tuple(extracted.problems))
    problems = list(extracted.problems)
    paged = path.suffix.lower() != ".docx"  # Word keeps its running headers apart
    if settings.forfattning:
        found = import_forfattning(shown, extracted.text, settings.organ, settings.bodies, paged)
        _count_furniture(found.account, extracted.furniture)
        return Outcome(
            shown,
            organ=found.organ,
            account=found.account,
            problems=tuple(problems + found.problems),
            markdown=found.markdown,
            forfattning=found.name,
        )
    if settings.plan or is_plan(extracted.text):
        plan = import_plan(shown, extracted.text, settings.organ)
        _count_furniture(plan.account, extracted.furniture)
        problems += plan.problems
        return Outcome(
            shown,
            account=plan.account,
            problems=tuple(problems),
            markdown=plan.markdown,
            plan=plan.slug,
            organ=settings.organ or "",
        )
    imported = import_text(shown, extracted.text, settings.organ, settings.bodies, paged)
    _count_furniture(imported.account, extracted.furniture)
    problems += imported.problems
    date, markdown = imported.date, imported.markdown
    named = date_from_name(path.stem)
    if date is not None and named is not None and named != date:
        problems.append(
            warning(
                shown,
                0,
                f"filnamnet anger {named.isoformat()} men texten {date.isoformat()}; "
                "protokollet får textens datum: kontrollera",
            )
        )
    if date is None:
        date = date_from_name(path.stem)
        if date is not None:
            markdown = _with_date(markdown, date)
            problems.append(
                warning(
                    shown,
                    0,
                    f"sammanträdets datum står inte i texten; {date.isoformat()} togs från "
                    "filnamnet: kontrollera det",
                )
            )
    return Outcome(
        shown,
        None,
        date,
        imported.organ,
        imported.numbers,
        imported.account,
        tuple(problems),
        markdown,
    )


def _count_furniture(account: Account, lines: tuple[str, ...]) -> None:
    """Count the words of a Word file's own running headers and footers, which its text
    does not hold, as page furniture removed."""
    account.furniture += sum(len(words(line)) for line in lines)


def _with_date(markdown: str, date: datetime.date) -> str:
    """The front matter with ``date:`` after ``status:``, where the importer writes it."""
    return re.sub(
        r"^(status: \w+\n)", rf"\g<1>date: {date.isoformat()}\n", markdown, count=1, flags=re.M
    )


def run(
    paths: Sequence[Path], settings: Settings, workers: int = 1, progress: TextIO | None = None
) -> tuple[list[Outcome], list[Problem]]:
    """Import every file under ``paths`` and write each into the content folder; the
    outcomes in the files' order, and the problems of paths that are no files."""
    files, problems = files_under(paths)
    outcomes: list[Outcome] = []
    written: dict[Path, str] = {}  # target → the file written there by this run
    bar = Progress(progress, len(files), "filer")
    for outcome in processes.forked_map(lambda file: import_one(file, settings), files, workers):
        outcomes.append(_write(outcome, settings, written))
        bar.step()
    bar.end()
    return outcomes, problems


def _write(outcome: Outcome, settings: Settings, written: dict[Path, str]) -> Outcome:
    """Write the outcome's file, unless it is another file's meeting or already there."""
    if not outcome.markdown:
        return outcome
    stem = Path(outcome.source).stem
    name = outcome.date.isoformat() if outcome.date else f"utan-datum-{organs.slug(stem)}"
    target = settings.out / outcome.organ / f"{name}.md"
    if outcome.plan:
        target = settings.plans / f"{outcome.plan}.md"
    if outcome.forfattning:
        name = outcome.forfattning
        target = settings.forfattningar / f"{name}.md"
    undated = outcome.date is None and not outcome.plan and not outcome.forfattning
    counter = 1
    unnumbered = outcome.forfattning.startswith("utan-beteckning-")
    while (undated or unnumbered) and target in written:
        counter += 1  # another file without a date, not the same meeting
        target = target.with_name(f"{name}-{counter}.md")
    problems = list(outcome.problems)
    if target in written:
        problems.append(
            error(
                outcome.source,
                0,
                f"{'samma beteckning' if outcome.forfattning else 'samma möte'} som "
                f"{written[target]} ({target.as_posix()}); filen skrevs inte",
            )
        )
        return replace(outcome, problems=tuple(problems))
    if target.exists() and not settings.force:
        problems.append(
            error(
                outcome.source,
                0,
                f"{target.as_posix()} finns redan; ange --force för att skriva över den",
            )
        )
        return replace(outcome, problems=tuple(problems))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(outcome.markdown, "utf-8")
    written[target] = outcome.source
    return replace(outcome, target=target.as_posix(), problems=tuple(problems))


def summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    """One table of the run: file, date, body, §§, warnings, words (kept / put back)."""
    rows = [("fil", "datum", "organ", "§§", "varningar", "fel", "ord", "tillbakalagda")]
    for outcome in outcomes:
        rows.append(
            (
                Path(outcome.source).name,
                outcome.date.isoformat() if outcome.date else "–",
                outcome.organ or "–",
                _span(outcome.numbers),
                str(outcome.warnings),
                str(outcome.errors),
                str(outcome.account.total),
                str(outcome.account.lost_words),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    written = sum(1 for o in outcomes if o.target)
    rate = len(outcomes) / seconds if seconds > 0 else 0.0
    lines.append(
        f"{written} av {counted(len(outcomes), 'fil', 'filer')} skrevs, på {seconds:.1f} s "
        f"({rate:.1f} filer/s)"
    )
    return "\n".join(lines)


def _span(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return "–"
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


REPORT_COLUMNS = (
    "fil",
    "skrevs till",
    "datum",
    "organ",
    "paragrafer",
    "varningar",
    "fel",
    "ord",
    "ord i texten",
    "ord i front matter",
    "ord i etiketter",
    "ord borttagna (sidhuvud, sidfot, sidnummer, underskrift)",
    "ord tillbakalagda",
    "anmärkningar",
)


def report_rows(outcomes: Sequence[Outcome]) -> Iterator[list[str]]:
    yield list(REPORT_COLUMNS)
    for outcome in outcomes:
        account = outcome.account
        yield [
            outcome.source,
            outcome.target or "",
            outcome.date.isoformat() if outcome.date else "",
            outcome.organ,
            _span(outcome.numbers).replace("–", "-"),
            str(outcome.warnings),
            str(outcome.errors),
            str(account.total),
            str(account.body),
            str(account.front_matter),
            str(account.labels),
            str(account.furniture),
            str(account.lost_words),
            "\n".join(str(p) for p in sorted(outcome.problems)),
        ]


def write_report(outcomes: Sequence[Outcome], file: Path) -> None:
    """The run as a CSV file as Swedish Excel opens it: UTF-8 with a BOM (so that å, ä and ö
    are read right) and semicolons between the columns (the list separator of Swedish
    Windows, where the comma is the decimal mark)."""
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(report_rows(outcomes))
