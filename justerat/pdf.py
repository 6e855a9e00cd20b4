"""PDF versions for the archive: protocol, anslagsbevis, plan and protokollsutdrag (one §).

Rendered by WeasyPrint from the print templates in ``templates/pdf/``, from the same model as
the HTML. Each PDF is PDF/A-2a (tagged, sRGB output intent, document language, title, author and
the justering date in its metadata, no wall-clock dates), so the same input gives the same
bytes. The renderer is sandboxed (``printing``): it may read only files inside the content and
templates folders; any other URL fails the build with a problem naming the source file.

Rendering is the slowest stage, so each PDF is cached under the hash of everything it is made
from (its self-contained HTML, the base folder and the renderer's version) and rendered in
parallel processes when there are several to make.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from . import memo, notice, processes
from .content import Records
from .model import Archive, Plan, Protocol, Summary
from .problems import Problem, error
from .render import Fingerprints
from .source import Source

VARIANT = "pdf/a-2a"
PARALLEL_FROM = 4  # render in processes when at least this many PDFs are not cached


@dataclass(frozen=True)
class Document:
    """One PDF to make: where it goes, its print template and what the template needs."""

    path: str
    template: str
    source: Source = field(compare=False)
    context: Mapping[str, Any] = field(default_factory=dict, compare=False)
    title: str = ""
    created: date | None = None


def planned(summary: Summary, redacted: bool) -> list[tuple[str, str]]:
    """(path, print template) of each PDF of a protocol, known from its summary: the
    protocol, its anslagsbevis when it has a notice, and an extract of each § shown."""
    found = [(summary.pdf_url, "pdf/protocol.html")]
    if summary.notices:
        found.append((summary.anslagsbevis_pdf_url, "pdf/anslagsbevis.html"))
    for number in summary.numbers:
        if not (redacted and number in summary.hidden):
            found.append((summary.extract_pdf_url(number), "pdf/extract.html"))
    return found


def protocol_documents(protocol: Protocol) -> list[Document]:
    """The PDFs of one protocol (as ``planned`` names them), with what their templates need."""
    legal = {
        "notices": notice.notices(protocol),
        "findings": [f for f in notice.findings(protocol) if f.acknowledgement],
    }
    created = protocol.justering.date if protocol.justering else None
    name = f"{protocol.organ.name} {protocol.date.isoformat()}"
    base = {"protocol": protocol, "body": protocol.organ, **legal}
    found = [
        Document(
            protocol.pdf_url,
            "pdf/protocol.html",
            protocol.source,
            base,
            f"Protokoll {name}",
            created,
        )
    ]
    if legal["notices"]:
        found.append(
            Document(
                protocol.anslagsbevis_pdf_url,
                "pdf/anslagsbevis.html",
                protocol.source,
                base,
                f"Anslagsbevis {name}",
                created,
            )
        )
    for paragraph in protocol.paragraphs:
        if paragraph.hidden:
            continue
        found.append(
            Document(
                protocol.extract_pdf_url(paragraph.number),
                "pdf/extract.html",
                protocol.source,
                {**base, "paragraph": paragraph},
                f"Protokollsutdrag {name} § {paragraph.number}",
                created,
            )
        )
    return found


def plan_document(plan: Plan) -> Document:
    return Document(
        plan.pdf_url, "pdf/plan.html", plan.source, {"plan": plan}, plan.title, plan.adopted
    )


def _statics(templates: Path) -> str:
    """The digest of the files beside the templates that a print template may refer to
    (styles, fonts, images): the templates themselves are keyed by what they include."""
    digest = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(templates)):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    digest.update(f"{path}\0".encode() + hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def _render_html(env: jinja2.Environment, document: Document, archive: Archive) -> str:
    template = env.get_template(document.template)
    return template.render(
        site=archive.settings,
        title=document.title,
        created=document.created,
        **document.context,
    )


def render_pdf(html: str, base_url: str, roots: Sequence[str]) -> tuple[bytes | None, str | None]:
    """(PDF bytes, None), or (None, the URL that broke the sandbox)."""
    from .printing import render  # WeasyPrint takes most of a second to load: only to print

    return render(html, base_url, roots, VARIANT)


@cache
def _renderer() -> str:
    """The printing software, by the versions installed (known without loading it)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')} pydyf {version('pydyf')} {VARIANT}"


def _line_of(source: Source, url: str) -> int:
    """The file line where ``url`` is written, so a sandbox problem points at it."""
    needle = url.removeprefix("file://")
    try:
        lines = Path(source.path).read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    for number, text in enumerate(lines, start=1):
        if number >= source.body_line and (
            url in text or needle in text or Path(needle).name in text
        ):
            return number
    return 0


class Printed(NamedTuple):
    """One PDF of the site: the key of what it is made from, its size, and its bytes, which
    are read from the cache only when asked for (a rebuild keeps most PDFs as published)."""

    key: str
    size: int
    file: Path | None  # in the cache; None: ``made`` holds the bytes
    made: bytes = b""

    def data(self) -> bytes:
        return self.made if self.file is None else self.file.read_bytes()


def pdf_files(
    archive: Archive,
    records: Records,
    templates: Path,
    content: Path,
    cache: Path | None,
    env: jinja2.Environment,
    only: str | None = None,
    rendered: list[str] | None = None,
    workers: int | None = None,
) -> tuple[dict[str, Printed], list[Problem]]:
    """Every PDF of the archive (or just the one at path ``only``), keyed by output path, and
    the problems that stopped any. A PDF's bytes stay where they are until asked for."""
    roots = [str(content.resolve()), str(templates.resolve())]
    files: dict[str, Printed] = {}
    problems: list[Problem] = []
    jobs: list[tuple[Document, str, str, str, str]] = []  # (document, html, base, key, print)
    closures = Fingerprints(env, None)
    statics = _statics(templates)
    fixed = (_renderer(), statics, records.key, str(archive.redacted), *roots)

    def key(path: str, template: str, source: str, digest: str) -> str:
        """Everything a PDF is made from: its print template with what that includes, the
        record's source, the settings, the renderer. The same key, the same PDF."""
        parts = (*fixed, path, closures.template(template), source, digest)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def cached(path: str, digest: str, made_from: str) -> bool:
        """Whether the PDF is in the cache under ``digest``; noted with the key of what it
        is ``made_from``, which the next build knows before it prints anything."""
        if cache is None:
            return False
        file = cache / "pdf" / f"{digest}.pdf"
        try:
            size = file.stat().st_size
        except OSError:
            return False
        files[path] = Printed(made_from, size, file)
        return True

    # (documents, the PDFs of them to make by key, what the printed HTML names but does not hold)
    wanted: list[tuple[Callable[[], list[Document]], dict[str, str], str]] = []
    for summary in archive.protocols:
        keys = {
            path: key(path, template, summary.path, summary.digest)
            for path, template in planned(summary, archive.redacted)
            if only is None or path == only
        }
        missing = {path: k for path, k in keys.items() if not cached(path, k, k)}
        if missing:
            documents = partial(_full_documents, records, summary, archive.redacted)
            wanted.append((documents, missing, _fetched(statics, summary.images)))
    for plan in archive.plans:
        if only is None or plan.pdf_url == only:
            k = key(plan.pdf_url, "pdf/plan.html", plan.path, plan.source.digest)
            if not cached(plan.pdf_url, k, k):
                fetched = _fetched(statics, plan.images)
                wanted.append((partial(_plan_documents, plan), {plan.pdf_url: k}, fetched))
    for make, missing, fetched in wanted:
        for document in make():
            if document.path not in missing:
                continue
            try:
                html = _render_html(env, document, archive)
            except jinja2.TemplateError as exc:
                problems.append(
                    error(
                        f"{templates.as_posix()}/{document.template}",
                        getattr(exc, "lineno", 0) or 0,
                        f"mallen kunde inte fyllas i: {exc}",
                        "template",
                    )
                )
                continue
            base_url = Path(document.source.path).resolve().parent.as_uri() + "/"
            made_from = missing[document.path]
            print_key = _html_key(html, base_url, roots, fetched)
            if cached(document.path, print_key, made_from):
                _alias(cache, print_key, made_from)  # the same print as before
                continue
            jobs.append((document, html, base_url, made_from, print_key))

    for (document, _, _, digest, print_key), (data, violation) in zip(
        jobs,
        _render_all([(html, base, roots) for _, html, base, _, _ in jobs], workers),
        strict=True,
    ):
        if violation is not None:
            problems.append(
                error(
                    document.source.path,
                    _line_of(document.source, violation),
                    f"PDF-versionen får bara använda filer i innehålls- och mallmapparna; "
                    f"'{violation}' är inte tillåten. Lägg filen i {content.as_posix()}/ och "
                    "länka den relativt",
                    "pdf-sandbox",
                )
            )
            continue
        assert data is not None
        files[document.path] = Printed(digest, len(data), None, data)
        if rendered is not None:
            rendered.append(document.path)
        _keep(cache, digest, data)
        _alias(cache, digest, print_key)
    return files, problems


def _html_key(html: str, base_url: str, roots: Sequence[str], fetched: str) -> str:
    """The key of a PDF by the page it prints and the files that page names (``fetched``):
    an edit that leaves a PDF's page as it was (another paragraph's extract) finds the PDF
    under this key and does not render it."""
    digest = hashlib.sha256()
    for part in (_renderer(), base_url, *roots, fetched, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _fetched(statics: str, images: Iterable[tuple[str, str]]) -> str:
    """The key of the files a printed page names but does not hold: the print templates'
    files (fonts, pictures) and the document's images, by their bytes."""
    digest = hashlib.sha256(statics.encode())
    for address, file in sorted(images):
        digest.update(f"{address}\0".encode())
        with suppress(OSError):  # a missing image is the build's problem, named elsewhere
            digest.update(hashlib.sha256(Path(file).read_bytes()).digest())
    return digest.hexdigest()


def _alias(cache: Path | None, digest: str, other: str) -> None:
    """The cached PDF under ``digest`` is also the one under ``other`` (one file, two names)."""
    if cache is None:
        return
    target = cache / "pdf" / f"{other}.pdf"
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        os.link(cache / "pdf" / f"{digest}.pdf", temporary)
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)


def _keep(cache: Path | None, digest: str, data: bytes) -> None:
    if cache is None:
        return
    memo.write_bytes(cache / "pdf" / f"{digest}.pdf", data)


def _plan_documents(plan: Plan) -> list[Document]:
    return [plan_document(plan)]


def _full_documents(records: Records, summary: Summary, redacted: bool) -> list[Document]:
    return protocol_documents(records.full(summary, redacted))


def _render_one(job: tuple[str, str, Sequence[str]]) -> tuple[bytes | None, str | None]:
    return render_pdf(*job)


def _render_all(
    jobs: Sequence[tuple[str, str, Sequence[str]]], workers: int | None = None
) -> Iterable[tuple[bytes | None, str | None]]:
    workers = min(len(jobs), workers or os.cpu_count() or 1)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [_render_one(job) for job in jobs]
    # forkserver, not fork: workers must not inherit the build lock's file descriptor, or a
    # killed build would leave its lock held by orphaned workers; and they end with the build
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        workers, context, initializer=processes.end_with, initargs=(os.getpid(),)
    ) as pool:
        return list(pool.map(_render_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
