"""What every draft of ``new`` shares: the draft and its writing (a file is never overwritten),
the settings and the body asked for, the content folder's dated Markdown files, and the YAML text
a draft is written in (values, comments of at most 100 characters, the law's dates in words)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ...core.problems import nearest, report
from ...core.swedish import swedish_date
from ...domain.settings import Body, Settings
from ...domain.source import Source, read_file
from ...legal import law

MEETINGS = "meetings"
PROTOCOLS = "protocols"
NOTICES = "notices"


class Refused(Exception):
    """Why a draft cannot be made or written, in Swedish, naming the file."""


@dataclass(frozen=True)
class Draft:
    """A draft's file and text, with what the secretary should know and do next."""

    path: Path
    text: str
    what: str  # "kallelse till sammanträde med styrelsen …"
    notes: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()

    def message(self) -> str:
        """What ``new`` prints once the draft is written."""
        lines = [f"Skrev {self.path.as_posix()}: {self.what} (utkast, status: draft)."]
        lines += self.notes
        if self.steps:
            lines.append("Nästa steg:")
            lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, 1)]
        return "\n".join(lines)


# --- text -----------------------------------------------------------------------------------

_PLAIN = re.compile(r"[^\W\d_][\w .,()/–-]*")
_NOT_PLAIN = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(text: str) -> str:
    """``text`` as a YAML value: plain when it reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and text == text.strip() and text.casefold() not in _NOT_PLAIN:
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """``text`` in double quotes: a JSON string is a YAML string."""
    return json.dumps(text, ensure_ascii=False)


def long_day(value: date) -> str:
    """'fredag 1 januari 2027'."""
    return swedish_date(value, weekday=True)


def lowered(name: str) -> str:
    """'Styrelsen' → 'styrelsen' inside a sentence; 'KS' stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def one_line(text: str) -> str:
    """``text`` with its runs of whitespace (line breaks too) as single spaces."""
    return " ".join(text.split())


def moved(calendar: law.Calendar, unmoved: date, value: date) -> str:
    """', flyttad från fredag 1 januari 2027 (nyårsdagen) enligt lag 1930:173' when that law
    moved a period's last day."""
    if unmoved == value:
        return ""
    reason = calendar.closed_because(unmoved)
    named = f" ({lowered(reason)})" if reason not in (None, "lördag", "söndag") else ""
    return f", flyttad från {long_day(unmoved)}{named} enligt lag 1930:173"


_UNBROKEN = re.compile(
    r"(?:KL )?\d+ kap\. \d+ §|lag \d{4}:\d+|\w+dag \d{1,2} \w+ \d{4}|posted: \S+"
)
_NBSP = "\u00a0"  # textwrap breaks lines at ASCII whitespace only


def comment(text: str, indent: str = "") -> list[str]:
    """``text`` as YAML comment lines of at most 100 characters; a rule's citation and a
    date stay on one line."""
    width = 100 - len(indent) - 2
    joined = _UNBROKEN.sub(lambda found: found.group().replace(" ", _NBSP), text)
    wrapped = textwrap.wrap(joined, width, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}# {line.replace(_NBSP, ' ')}" for line in wrapped]


# --- reading the content folder ------------------------------------------------------------


def settings(content: Path) -> Settings:
    """The site's settings, or Refused with their problems."""
    from ...loading.content import load_settings
    from ...reading.frontmatter import Gates

    site, problems = load_settings(content, Gates())
    if site is None:
        raise Refused(report(problems))
    return site


def body_of(site: Settings, slug: str) -> Body:
    """The body ``slug``, or Refused naming the nearest known one."""
    found = site.body(slug)
    if found is not None:
        return found
    known = [b.slug for b in site.bodies]
    hint = nearest(slug, known)
    message = f"organet '{slug}' finns inte i {site.path}"
    if hint:
        message += f"; menade du '{hint}'?"
    else:
        message += f"; kända organ: {', '.join(known)} (lägg till nya under bodies)"
    raise Refused(message)


def markdown_files(folder: Path) -> Iterator[Source]:
    """The readable Markdown files under ``folder`` (others are ``check``'s to report)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        source, _ = read_file(path)
        if source is not None:
            yield source


def dated(sources: Iterable[Source], organ: str) -> Iterator[tuple[date, Source]]:
    """The sources of ``organ`` with their date (front matter ``organ`` and ``date``)."""
    for source in sources:
        written = source.meta.get("date")
        if source.meta.get("organ") != organ or not isinstance(written, str):
            continue
        try:
            yield date.fromisoformat(written), source
        except ValueError:
            continue


# --- writing --------------------------------------------------------------------------------


def refuse_existing(path: Path, hint: str = "") -> None:
    """Refused if ``path`` exists, before a draft for it is made."""
    if path.exists():
        raise Refused(f"{path.as_posix()} finns redan och skrivs inte över{hint}")


def write(draft: Draft) -> None:
    """Write the draft's file; Refused if it exists (nothing is ever overwritten)."""
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with draft.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(draft.text)
    except FileExistsError:
        raise Refused(f"{draft.path.as_posix()} finns redan och skrivs inte över") from None
