"""What a build publishes when some files have errors: everything else.

Nothing with an error is ever public, and one broken file holds back only itself:

- a draft is not published, so its problems are only reported (as warnings, ``drafts``);
- a published file (protocol, plan, meeting, notice) with an error is held back (``hold``): its
  last published bytes stand in for it, so its pages, PDFs, notice, search entries and open data
  stay exactly as last published; a file never published stays absent;
- an archive-level error (two files at one address) names each file, and holds back each;
- an error that belongs to no content file (``site.yaml``, the publication log, the content
  folder itself) holds back everything: the build stops, as before.

A file that stands in is checked again with the rest; should it fail now (an image it showed
is gone), it is left out too. No I/O but the ``previous`` function the caller gives.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.problems import Problem, Severity, error
from .content import Entry, Loaded, substitute

ROUNDS = 5  # a file that stands in may clash with another: each round holds back more
_FRONT = re.compile(rb"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.M | re.S)
_STATUS = re.compile(rb"^status:[ \t]*[\"']?(\w+)", re.M)


@dataclass(frozen=True)
class Held:
    """A file held back by a build: why (its errors), and whether its last published version
    stands in for it (``kept``) or it stays absent (never published, or no longer valid)."""

    path: str
    reasons: tuple[Problem, ...]
    kept: bool
    digest: str = ""  # of the bytes that stand in for it, when kept

    def __str__(self) -> str:
        """'<file>:<line>: <first error> (och N fel till) → what the public sees of it'."""
        first = self.reasons[0] if self.reasons else None
        where = f"{first.path}:{first.line}: {first.message}" if first else self.path
        more = len(self.reasons) - 1
        state = "den senast publicerade versionen visas" if self.kept else "publiceras inte"
        return where + (f" (och {more} fel till)" if more > 0 else "") + f" → {state}"


def _is_draft(entry: Entry, path: str) -> bool:
    """Whether a content file is a draft: as modelled, or, when its front matter could not
    be modelled, as its ``status:`` line says."""
    for modelled in (
        entry.summary,
        entry.plan,
        entry.meeting,
        entry.announcement,
        entry.forfattning,
    ):
        if modelled is not None:
            return bool(modelled.is_draft)
    try:
        front = _FRONT.match(Path(path).read_bytes())
    except OSError:
        return False
    said = set(_STATUS.findall(front.group(1))) if front else set()
    return said == {b"draft"}  # said once, or always the same: a draft


def drafts(loaded: Loaded, published_drafts: bool) -> Loaded:
    """The problems of drafts as warnings, when drafts are not published (a draft may hold
    what is not finished yet); with ``published_drafts`` (the preview) they stay errors."""
    if published_drafts:
        return loaded
    broken = {p.path for p in loaded.problems if p.severity is Severity.ERROR}
    entries = loaded.scan.entries
    unfinished = {path for path in broken if path in entries and _is_draft(entries[path], path)}
    if not unfinished:
        return loaded
    problems = [
        replace(p, severity=Severity.WARNING, message=f"utkast: {p.message}")
        if p.path in unfinished and p.severity is Severity.ERROR
        else p
        for p in loaded.problems
    ]
    return loaded._replace(problems=problems)


STOP = "halla-tillbaka"  # the rule of a file that cannot be held back: the build stops


def hold(
    loaded: Loaded, previous: Callable[[str], bytes | None] | None
) -> tuple[Loaded, tuple[Held, ...]]:
    """The archive without the files that have errors (their last published bytes, from
    ``previous``, standing in where there are any), and the files held back. Errors outside
    the content files are left as they are: they stop the build. So does a file that cannot
    be held back (``STOP``): its last published version fails now on its own (an image it
    shows is gone), or what was published is not known (``previous`` is None: a site
    published by an earlier version of Justerat, which kept no copies)."""
    if loaded.archive is None or loaded.records is None:
        return loaded, ()
    entries = loaded.scan.entries
    reasons: dict[str, list[Problem]] = {}
    replaced: dict[str, bytes | None] = {}
    stops: list[Problem] = []
    current = loaded
    for _ in range(ROUNDS):
        found = [p for p in current.problems if p.severity is Severity.ERROR]
        stops += [_cannot(p) for p in found if replaced.get(p.path) and not _shared(p)]
        new = {p.path for p in found if p.path in entries} - reasons.keys()
        if stops or not new:
            break
        for problem in found:
            if problem.path in new:
                reasons.setdefault(problem.path, []).append(problem)
        if previous is None:
            stops += [_unknown(path) for path in sorted(new)]
            break
        replaced = {path: previous(path) for path in reasons}
        current = substitute(loaded, replaced)
    else:  # still more to hold back after every round: say what, and stop
        held_now = reasons.keys()
        stops += [
            _cannot(p)
            for p in current.problems
            if p.severity is Severity.ERROR and p.path not in held_now
        ]
    if not reasons:
        return loaded, ()
    assert current.archive is not None
    kept = {path for path, data in replaced.items() if data is not None}
    kept &= set(current.archive.files())
    held = tuple(
        Held(path, tuple(sorted(found)), path in kept, _digest(replaced.get(path)))
        for path, found in sorted(reasons.items())
    )
    # what is reported: every problem found, the held files' errors included, and why a file
    # could not be held back; whether the build may go on: ``publishable``
    return current._replace(problems=[*loaded.problems, *stops]), held


def _shared(problem: Problem) -> bool:
    """A problem of sharing an address: the file it shares it with is held back next."""
    return problem.rule.startswith("unique-")


def _cannot(problem: Problem) -> Problem:
    return error(
        problem.path,
        problem.line,
        "filen har fel och kan inte hållas tillbaka: den senast publicerade versionen går "
        f"inte heller att bygga nu ({problem.message}). Ingenting byggdes; rätta filen, så "
        "publiceras den nya versionen",
        STOP,
    )


def _unknown(path: str) -> Problem:
    return error(
        path,
        0,
        "filen har fel och kan inte hållas tillbaka: det finns ingen sparad kopia av vad som "
        "publicerades (webbplatsen byggdes av en äldre version av Justerat). Ingenting "
        "byggdes; rätta felet och bygg igen",
        STOP,
    )


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def publishable(problems: list[Problem], held: tuple[Held, ...]) -> bool:
    """Whether a build may publish: every error belongs to a file it holds back, and every
    such file could be held back."""
    away = {h.path for h in held}
    return not any(
        p.severity is Severity.ERROR and (p.path not in away or p.rule == STOP) for p in problems
    )
