"""The content folder → the whole archive as a model, with every problem found on the way.

This is the read → validate → model half of the pipeline. It never stops at the first
problem: every file is read and checked, so one run of ``check`` reports everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from . import checks, documents, frontmatter, guard
from .memo import Memo
from .model import Archive, Plan, Protocol, Settings
from .problems import Problem, error, has_errors, warning
from .source import Source, decode, parse_yaml, read_source

T = TypeVar("T")

SETTINGS_FILE = "site.yaml"
PROTOCOLS_DIR = "protocols"
PLANS_DIR = "plans"


def _files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Markdown files under ``folder`` in a stable order; anything else is named and skipped."""
    if not folder.is_dir():
        return [], []
    found, problems = [], []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".md":
            found.append(path)
        else:
            problems.append(warning(path.as_posix(), 0, "filen är inte en .md-fil och hoppas över"))
    return found, problems


def load_settings(content: Path) -> tuple[Settings | None, list[Problem]]:
    path = content / SETTINGS_FILE
    shown = path.as_posix()
    if not path.is_file():
        return None, [
            error(shown, 0, "inställningsfilen saknas; skapa den (se docs/format.md)", "settings")
        ]
    data = path.read_bytes()
    text, problems = decode(shown, data)
    if text is None:
        return None, problems
    meta, lines, problems = parse_yaml(shown, text, 1)
    if meta is None:
        return None, problems
    source = Source(shown, meta, lines, "", 0, hashlib.sha256(data).hexdigest())
    problems += frontmatter.validate(source, "site")
    if has_errors(problems):
        return None, problems
    return documents.settings(source), problems


def _validated(shown: str, data: bytes, kind: str) -> tuple[Source | None, list[Problem]]:
    """Read one file's bytes and validate its front matter; None if it cannot be modelled."""
    source, problems = read_source(shown, data)
    if source is None:
        return None, problems
    problems = problems + frontmatter.validate(source, kind)
    return (None if has_errors(problems) else source), problems


def _sources(folder: Path, kind: str, memo: Memo | None) -> tuple[list[Source], list[Problem]]:
    files, problems = _files(folder)
    sources = []
    for file in files:
        shown = file.as_posix()
        try:
            data = file.read_bytes()
        except OSError as exc:
            problems.append(error(shown, 0, f"filen kan inte läsas: {exc.strerror}"))
            continue
        if memo is None:
            source, found = _validated(shown, data, kind)
        else:
            digest = hashlib.sha256(data).hexdigest()
            remembered = memo.sources.get(shown)
            if remembered and remembered[0] == digest:
                source, found = remembered[1], remembered[2]
            else:
                source, found = _validated(shown, data, kind)
                memo.sources[shown] = (digest, source, found)
        problems += found
        if source is not None:
            sources.append(source)
    return sources, problems


def _record(
    kind: str,
    source: Source,
    site: Settings,
    memo: Memo | None,
    make: Callable[[Source, Settings], tuple[T | None, list[Problem]]],
) -> tuple[T | None, list[Problem]]:
    if memo is None:
        return make(source, site)
    key = (kind, source.digest, site.digest)
    if key not in memo.records:
        memo.records[key] = make(source, site)
    record, problems = memo.records[key]
    return record, problems


def _guarded(protocol: Protocol, content: Path) -> tuple[Protocol, list[Problem]]:
    """The guards of ``guard`` on one protocol, and its images attached."""
    source = protocol.source
    numbers = [p.number for p in protocol.paragraphs]
    last = source.body_line + source.body.count("\n") + 1
    starts = [p.line for p in protocol.paragraphs]
    hidden = [
        range(start, end)
        for p, start, end in zip(
            protocol.paragraphs, starts, [*starts[1:], last][: len(starts)], strict=True
        )
        if p.number in protocol.not_for_web
    ]
    problems = guard.personal_numbers(source, hidden) + guard.links_and_html(source)
    for index, number in enumerate(protocol.not_for_web):
        if number not in numbers:
            problems.append(
                error(
                    protocol.path,
                    source.line_of("not_for_web", index, "paragraph"),
                    f"§ {number} ska hållas utanför webben men finns inte i protokollet",
                    "not-for-web",
                )
            )
    shown, found = guard.images(source, content)
    return replace(protocol, images=tuple((a, str(f)) for a, f in shown)), problems + found


def load(content: Path, memo: Memo | None = None) -> tuple[Archive | None, list[Problem]]:
    """Read, validate and model everything under ``content``, reusing ``memo``'s results
    for files that have not changed."""
    if not content.is_dir():
        return None, [error(content.as_posix(), 0, "innehållsmappen finns inte", "content")]
    site, problems = load_settings(content)
    protocol_sources, found = _sources(content / PROTOCOLS_DIR, "protocol", memo)
    problems += found
    plan_sources, found = _sources(content / PLANS_DIR, "plan", memo)
    problems += found
    if site is None:
        return None, problems
    protocols: list[Protocol] = []
    for source in protocol_sources:
        record, found = _record("protocol", source, site, memo, documents.protocol)
        problems += found
        if record is not None:
            record, found = _guarded(record, content)
            problems += found
            protocols.append(record)
    plans: list[Plan] = []
    for source in plan_sources:
        plan, found = _record("plan", source, site, memo, documents.plan)
        problems += found
        if plan is not None:
            shown, found = guard.images(plan.source, content)
            problems += found + guard.personal_numbers(plan.source)
            problems += guard.links_and_html(plan.source)
            plans.append(replace(plan, images=tuple((a, str(f)) for a, f in shown)))
    archive = Archive(
        site,
        tuple(sorted(protocols, key=lambda p: (p.organ.slug, p.date, p.path))),
        tuple(sorted(plans, key=lambda p: (-p.year, p.slug))),
    )
    problems += checks.check_archive(archive)
    return archive, problems
