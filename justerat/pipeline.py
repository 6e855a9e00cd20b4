"""The build, top to bottom: read and check everything, render everything, then write.

Nothing is written unless every stage before it succeeded, and the output folder is
replaced whole (see ``publish``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import content, pdf, render
from .model import Archive
from .problems import Problem, has_errors
from .publish import build_lock, check_target, publish


@dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = Path("templates")
    drafts: bool = False
    today: date = field(default_factory=date.today)  # the notice board's day
    cache: Path | None = Path(".cache/justerat")  # rendered PDFs by content hash


@dataclass(frozen=True)
class Result:
    problems: list[Problem]
    archive: Archive | None = None
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.archive is not None and not has_errors(self.problems)


def check(options: Options) -> Result:
    archive, problems = content.load(options.content)
    return Result(problems, archive)


def build(options: Options) -> Result:
    """Check, render and publish; on any error the output folder is left as it was."""
    checked = check(options)
    if not checked.ok or checked.archive is None:
        return checked
    public = checked.archive.published(include_drafts=options.drafts)
    env = render.environment(options.templates)
    pdfs, problems = pdf.pdf_files(
        public, options.templates, options.content, options.cache, options.today, env
    )
    sizes = {path: len(data) for path, data in pdfs.items()}
    files, more = render.site_files(
        public, options.templates, options.today, drafts=options.drafts, pdf_sizes=sizes
    )
    files.update(pdfs)
    problems = checked.problems + problems + more
    if has_errors(problems):
        return Result(problems, checked.archive)
    check_target(options.out, [options.content, options.templates])
    with build_lock(options.out):
        publish(files, options.out)
    return Result(problems, checked.archive, len(files))
