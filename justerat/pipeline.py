"""The build, top to bottom: read and check everything, render everything, then write.

Nothing is written unless every stage before it succeeded, and the output folder is
replaced whole (see ``publish``). ``make`` stops before writing: the preview server serves
its files from memory.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import content, pdf, render, search
from . import memo as stored
from .memo import Memo
from .model import Archive
from .problems import Problem, has_errors
from .publish import MARKER, build_lock, check_target, publish


@dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = Path("templates")
    drafts: bool = False
    full: bool = False  # the office's full version: paragraphs kept off the web included
    today: date = field(default_factory=date.today)  # the notice board's day
    cache: Path | None = Path(".cache/justerat")  # rendered PDFs by content hash


@dataclass(frozen=True)
class Result:
    problems: list[Problem]
    archive: Archive | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    rendered: tuple[str, ...] = ()  # the pages rendered (not reused from a memo)
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), in the order they ran
    written: int = 0  # files new or changed in the output; the others kept their mtime
    pdfs_rendered: tuple[str, ...] = ()  # the PDFs rendered (not taken from the cache)
    unchanged: bool = False  # nothing was read, made or written: nothing had changed
    count: int = 0  # files in the site, when ``files`` is not at hand

    @property
    def ok(self) -> bool:
        return (self.archive is not None or self.unchanged) and not has_errors(self.problems)


def check(options: Options, memo: Memo | None = None) -> Result:
    archive, problems = content.load(options.content, memo)
    return Result(problems, archive)


def make(
    options: Options,
    memo: Memo | None = None,
    pdfs: bool = True,
    index: bool = True,
    on_demand: bool = False,
    previous: Path | None = None,
) -> Result:
    """Check and render the whole site in memory. Without ``pdfs`` the PDFs are not rendered:
    their links say they are made when opened (``on_demand``, the preview) or are left out;
    without ``index``, no search index."""
    timings: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((stage, now - clock))
        clock = now

    checked = check(options, memo)
    lap("läsa och kontrollera")
    if not checked.ok or checked.archive is None:
        return replace(checked, timings=tuple(timings))
    public = checked.archive.published(include_drafts=options.drafts, full=options.full)
    made: dict[str, bytes] = {}
    problems: list[Problem] = []
    pdfs_rendered: list[str] = []
    if pdfs:
        env = render.environment(options.templates)
        made, problems = pdf.pdf_files(
            public,
            options.templates,
            options.content,
            options.cache,
            options.today,
            env,
            rendered=pdfs_rendered,
        )
        lap("PDF")
    rendered: list[str] = []
    files, more = render.site_files(
        public,
        options.templates,
        options.today,
        drafts=options.drafts or options.full,
        full=options.full,
        pdf_sizes=None if on_demand else {path: len(data) for path, data in made.items()},
        memo=memo,
        rendered=rendered,
        previous=previous,
    )
    files.update(made)
    lap("HTML")
    if index and not has_errors(more):
        found, more_problems = search.search_files(files, options.cache)
        files.update(found)
        more = more + more_problems
        lap("sökindex")
    return Result(
        checked.problems + problems + more,
        checked.archive,
        files,
        tuple(rendered),
        tuple(timings),
        pdfs_rendered=tuple(pdfs_rendered),
    )


def _inputs(options: Options, html_only: bool) -> str:
    settings = (
        str(options.content.resolve()),
        str(options.templates.resolve()),
        str(options.out.resolve()),
        options.drafts,
        options.full,
        options.today.isoformat(),
        html_only,
    )
    return stored.inputs_key([options.content, options.templates, options.out], settings)


def build(options: Options, html_only: bool = False) -> Result:
    """Check, render and publish; on any error the output folder is left as it was. When no
    file it reads or writes has changed since the last build, it does nothing at all. One
    build at a time per output folder: a second one refuses at once."""
    kind = "full" if options.full else "public"
    check_target(options.out, [options.content, options.templates], kind)  # fail before work
    with build_lock(options.out):
        return _build_locked(options, html_only, kind)


def _build_locked(options: Options, html_only: bool, kind: str) -> Result:
    if options.cache is not None:
        last = stored.last_build(options.cache, options.out)
        if last is not None and last[0] == _inputs(options, html_only):
            return Result(last[1], unchanged=True, count=last[2])
    memo = stored.load(options.cache, options.content) if options.cache else None
    previous = options.out if (options.out / MARKER).is_file() else None
    result = make(options, memo, pdfs=not html_only, index=not html_only, previous=previous)
    if not result.ok:
        return result
    started = time.perf_counter()
    check_target(options.out, [options.content, options.templates], kind)
    written = publish(result.files, options.out, kind)
    if memo is not None and options.cache is not None:
        stored.save(memo, options.cache, options.content)
        key = _inputs(options, html_only)
        stored.remember_build(options.cache, options.out, key, result.problems, len(result.files))
    took = time.perf_counter() - started
    return replace(
        result,
        timings=(*result.timings, ("skriva", took)),
        written=written,
        count=len(result.files),
    )
