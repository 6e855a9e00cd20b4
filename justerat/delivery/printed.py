"""The PDFs of the packages: each protocol's PDF and anslagsbevis in the full version,
printed side by side for every package of an export at once, and sealed when site.yaml asks
for a seal. A protocol without a § kept off the web is printed exactly as the published site
prints it, so the office's nightly build has already printed it (the same cache)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..core.cache import Cache
from ..core.problems import Problem, error, has_errors, warning
from ..domain.model import Archive, Summary
from ..domain.settings import Settings
from ..loading.content import Records
from ..pdfs import pdf, seal
from ..pdfs.pdf import Printed, Printing


def pdfs(
    archive: Archive, records: Records, printing: Printing, summaries: Sequence[Summary]
) -> tuple[dict[str, Printed], list[Problem]]:
    """The PDFs of ``summaries`` (every package's at once: printed side by side), sealed
    when site.yaml asks for a seal."""
    found, problems = _printed(archive, records, printing, summaries)
    if has_errors(problems):
        return found, problems
    sealed, more = _sealed(archive.settings, printing.content, found, printing.cache)
    return sealed, problems + more


def _printed(
    archive: Archive, records: Records, printing: Printing, summaries: Sequence[Summary]
) -> tuple[dict[str, Printed], list[Problem]]:
    """Each protocol's PDF and anslagsbevis, in the full version. Those without a § kept
    off the web are printed as the site prints them (and so found in the cache)."""
    wanted = {s.pdf_url for s in summaries} | {s.anslagsbevis_pdf_url for s in summaries}
    found: dict[str, Printed] = {}
    problems: list[Problem] = []
    for redacted in (True, False):
        chosen = tuple(s for s in summaries if bool(s.hidden) != redacted)
        if not chosen:
            continue
        part = replace(
            archive,
            protocols=chosen,
            withdrawn=(),
            plans=(),
            meetings=(),
            announcements=(),
            forfattningar=(),
            redacted=redacted,
        )
        files, said = pdf.pdf_files(part, records, printing, among=wanted)
        found |= files
        problems += said
    return found, problems


def _sealed(
    settings: Settings, content: Path, printed: dict[str, Printed], cache: Cache
) -> tuple[dict[str, Printed], list[Problem]]:
    where = settings.path
    if settings.seal is None:
        said = (
            "PDF:erna i paketet är inte förseglade: site.yaml har inget e-sigill (seal:). "
            "Ett e-arkiv kan kräva sigill; se docs/format.md"
        )
        return printed, [warning(where, 0, said, "earkiv-sigill")]
    try:
        with seal.load(settings.seal, content) as sealer:
            sealed, _ = pdf.sealed_files(printed, sealer, cache)
    except seal.SealError as exc:
        return printed, [error(where, 0, f"e-sigillet: {exc}", "seal")]
    return sealed, []
