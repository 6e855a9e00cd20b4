"""Problems found in user content, as values that carry their file and line.

Every stage that reads or checks content returns problems instead of raising,
so that one run reports everything that is wrong at once, sorted by file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .swedish import counted


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. ``line`` is 1-based; 0 means the file as a whole."""

    path: str
    line: int
    severity: Severity
    message: str
    rule: str = ""

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{location}: {self.severity.value}: {self.message}"
        if self.rule:
            text += f" [{self.rule}]"
        return text


def error(path: str | Path, line: int, message: str, rule: str = "") -> Problem:
    return Problem(str(path), line, Severity.ERROR, message, rule)


def warning(path: str | Path, line: int, message: str, rule: str = "") -> Problem:
    return Problem(str(path), line, Severity.WARNING, message, rule)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def report(problems: Iterable[Problem]) -> str:
    """All problems, sorted by file and line, one per line, with a closing count."""
    ordered = sorted(set(problems))
    errors = sum(1 for p in ordered if p.severity is Severity.ERROR)
    warnings = len(ordered) - errors
    lines = [str(p) for p in ordered]
    lines.append(f"{errors} fel, {counted(warnings, 'varning', 'varningar')}")
    return "\n".join(lines)


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, for 'did you mean' hints on typos."""
    matches = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
