"""The content folder → the whole archive as a model, with every problem found on the way.

This is the read → validate → model half of the pipeline. It never stops at the first
problem: every file is read and checked, so one run of ``check`` reports everything.
"""

from __future__ import annotations

from pathlib import Path

from . import checks, documents, frontmatter
from .model import Archive, Plan, Protocol, Settings
from .problems import Problem, error, has_errors, warning
from .source import Source, decode, parse_yaml, read_file

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
    text, problems = decode(shown, path.read_bytes())
    if text is None:
        return None, problems
    meta, lines, problems = parse_yaml(shown, text, 1)
    if meta is None:
        return None, problems
    source = Source(shown, meta, lines, "", 0)
    problems += frontmatter.validate(source, "site")
    if has_errors(problems):
        return None, problems
    return documents.settings(source), problems


def _sources(folder: Path, kind: str) -> tuple[list[Source], list[Problem]]:
    files, problems = _files(folder)
    sources = []
    for file in files:
        source, found = read_file(file)
        problems += found
        if source is None:
            continue
        schema_problems = frontmatter.validate(source, kind)
        problems += schema_problems
        if not has_errors(schema_problems):
            sources.append(source)
    return sources, problems


def load(content: Path) -> tuple[Archive | None, list[Problem]]:
    """Read, validate and model everything under ``content``."""
    if not content.is_dir():
        return None, [error(content.as_posix(), 0, "innehållsmappen finns inte", "content")]
    site, problems = load_settings(content)
    protocol_sources, found = _sources(content / PROTOCOLS_DIR, "protocol")
    problems += found
    plan_sources, found = _sources(content / PLANS_DIR, "plan")
    problems += found
    if site is None:
        return None, problems
    protocols: list[Protocol] = []
    for source in protocol_sources:
        record, found = documents.protocol(source, site)
        problems += found
        if record is not None:
            protocols.append(record)
    plans: list[Plan] = []
    for source in plan_sources:
        plan, found = documents.plan(source, site)
        problems += found
        if plan is not None:
            plans.append(plan)
    archive = Archive(
        site,
        tuple(sorted(protocols, key=lambda p: (p.organ.slug, p.date, p.path))),
        tuple(sorted(plans, key=lambda p: (-p.year, p.slug))),
    )
    problems += checks.check_archive(archive)
    return archive, problems
