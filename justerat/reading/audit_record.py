"""The record of the last automated accessibility test (``build.py granska``): which tools
tested which page of each type, in which version of Justerat, on which day, and what they found.

It is a JSON file in the content folder, beside site.yaml (``FILE``), which the office commits
with its content; the accessibility statement (``/tillganglighet/``) is made from it and states
no more than it holds. The format is written and read here only: ``dumps`` by the command that
tests, ``read`` by the build. Nothing here starts a browser or a checker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..domain.settings import Settings

FILE = "tillganglighet.json"
FORMAT = 1
# axe-core's tags for the success criteria of WCAG 2.0 and 2.1, levels A and AA: the rules run
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
_STANDARDS = {
    "wcag2a": "WCAG 2.0 nivå A",
    "wcag2aa": "WCAG 2.0 nivå AA",
    "wcag21a": "WCAG 2.1 nivå A",
    "wcag21aa": "WCAG 2.1 nivå AA",
    "wcag22a": "WCAG 2.2 nivå A",
    "wcag22aa": "WCAG 2.2 nivå AA",
}


class RecordError(ValueError):
    """The record cannot be read; the message says why, in Swedish."""


@dataclass(frozen=True)
class Violation:
    """A rule of axe-core that a page breaks, and at how many places (elements)."""

    id: str
    nodes: int


@dataclass(frozen=True)
class Error:
    """An error the Nu Html Checker found on a page, with the line of the page's HTML."""

    message: str
    line: int | None = None


@dataclass(frozen=True)
class Tested:
    """One page type: its name (in Swedish), the page tested (its address in the site, '' for
    the start page) and what each tool found there."""

    type: str
    name: str
    url: str
    axe: tuple[Violation, ...] = ()
    nu: tuple[Error, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.axe and not self.nu


@dataclass(frozen=True)
class Audit:
    """What one run of ``granska`` found, as the record holds it."""

    day: date
    justerat: str  # Justerat's version
    axe_core: str
    chromium: str
    nu: str  # the Nu Html Checker's version
    pages: tuple[Tested, ...]
    tags: tuple[str, ...] = TAGS

    @property
    def clean(self) -> bool:
        """Whether neither tool found anything on any page tested."""
        return all(page.clean for page in self.pages)

    @property
    def found(self) -> int:
        """The number of page types where either tool found something."""
        return sum(1 for page in self.pages if not page.clean)

    @property
    def axe_found(self) -> int:
        """The number of page types where axe-core found a violation."""
        return sum(1 for page in self.pages if page.axe)

    @property
    def nu_found(self) -> int:
        """The number of page types where the Nu Html Checker found an error."""
        return sum(1 for page in self.pages if page.nu)

    @property
    def standards(self) -> str:
        """The standards and levels axe-core's rules were chosen by, in Swedish: 'WCAG 2.0
        nivå A, …, och WCAG 2.1 nivå AA'."""
        names = [_STANDARDS.get(tag, tag) for tag in self.tags]
        return " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def dumps(audit: Audit) -> str:
    """The record as the office commits it: the same findings give the same text."""
    data = {
        "format": FORMAT,
        "day": audit.day.isoformat(),
        "justerat": audit.justerat,
        "tools": {
            "axe-core": audit.axe_core,
            "chromium": audit.chromium,
            "nu-html-checker": audit.nu,
        },
        "axe_tags": list(audit.tags),
        "pages": [
            {
                "type": page.type,
                "name": page.name,
                "url": page.url,
                "axe": [{"id": v.id, "nodes": v.nodes} for v in page.axe],
                "nu": [{"message": e.message, "line": e.line} for e in page.nu],
            }
            for page in audit.pages
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def path_beside(settings_path: str | Path) -> Path:
    """Where the record is: beside site.yaml, in the content folder."""
    return Path(settings_path).parent / FILE


def digest(settings_path: str | Path) -> str:
    """The sha256 of the record's bytes ('' when there is none): what the statement is made
    from besides the settings and its template."""
    try:
        return hashlib.sha256(path_beside(settings_path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def read(path: Path) -> Audit | None:
    """The record at ``path``; None when there is none. ``RecordError`` when it is there but
    cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RecordError(f"{path.as_posix()} kan inte läsas: {exc.strerror}") from None
    try:
        return _audit(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"{path.as_posix()} är inte JSON i UTF-8: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(
            f"{path.as_posix()} har inte formatet som build.py granska skriver ({exc!r}); "
            "kör granska igen"
        ) from None


def beside(settings_path: str | Path) -> tuple[Audit | None, str | None]:
    """The record beside site.yaml, and why it could not be read (None: it could, or there
    is none)."""
    try:
        return read(path_beside(settings_path)), None
    except RecordError as exc:
        return None, str(exc)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} är ingen text")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{value!r} är inget antal")
    return value


def _audit(data: Any) -> Audit:
    if data["format"] != FORMAT:
        raise ValueError(f"format {data['format']!r}")
    tools = data["tools"]
    return Audit(
        day=date.fromisoformat(_text(data["day"])),
        justerat=_text(data["justerat"]),
        axe_core=_text(tools["axe-core"]),
        chromium=_text(tools["chromium"]),
        nu=_text(tools["nu-html-checker"]),
        tags=tuple(_text(tag) for tag in data["axe_tags"]),
        pages=tuple(
            Tested(
                type=_text(page["type"]),
                name=_text(page["name"]),
                url=_text(page["url"]),
                axe=tuple(Violation(_text(v["id"]), _count(v["nodes"])) for v in page["axe"]),
                nu=tuple(
                    Error(_text(e["message"]), None if e["line"] is None else _count(e["line"]))
                    for e in page["nu"]
                ),
            )
            for page in data["pages"]
        ),
    )


class Conformance(StrEnum):
    """What the statement may say of the site's conformance with WCAG 2.1 AA (and so with
    the law), and on what ground."""

    FULL = "full"  # the office's assessment found nothing, nor did the last automated test
    PARTIAL = "partial"  # known issues, or the last automated test found something
    UNASSESSED = "unassessed"  # no assessment by the office: no claim either way


def conformance(settings: Settings, audit: Audit | None) -> Conformance:
    """The rule for the statement's claim. The site is said to conform only when the office
    has assessed it itself (``accessibility.assessed``) and lists no known issues, and the
    last automated test, if there is one, found nothing. Known issues, or anything the tools
    found, make it partly conforming. A clean automated test alone claims nothing: axe-core
    and the Nu Html Checker find only some of the failures WCAG 2.1 AA asks about (not whether
    a text alternative or a heading says the right thing, nor the order of focus), so an
    office that has not assessed its site is told it has not, and the page says so."""
    if settings.known_issues or (audit is not None and not audit.clean):
        return Conformance.PARTIAL
    if settings.accessibility_assessed is not None:
        return Conformance.FULL
    return Conformance.UNASSESSED
