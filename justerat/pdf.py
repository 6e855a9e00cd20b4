"""PDF versions for the archive: protocol, anslagsbevis, plan and protokollsutdrag (one §).

Rendered by WeasyPrint from the print templates in ``templates/pdf/``, from the same model as
the HTML. Each PDF is PDF/A-2a (tagged, sRGB output intent, document language, title, author and
the justering date in its metadata, no wall-clock dates), so the same input gives the same
bytes. The renderer is sandboxed: it may read only files inside the content and templates
folders; any other URL fails the build with a problem naming the source file.

Rendering is the slowest stage, so each PDF is cached under the hash of everything it is made
from (its self-contained HTML, the base folder and the renderer's version) and rendered in
parallel processes when there are several to make.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import jinja2
import pydyf
import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from . import notice
from .content import Records
from .model import Archive
from .problems import Problem, error
from .source import Source

VARIANT = "pdf/a-2a"
PARALLEL_FROM = 4  # render in processes when at least this many PDFs are not cached


class SandboxViolation(FatalURLFetchingError):  # type: ignore[misc]
    """The document asked for a file or URL outside the allowed folders."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
    """Only data: URLs and files inside ``roots``; never the network."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlparse(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots):
                return super().fetch(url, headers)
        raise SandboxViolation(url)


@dataclass(frozen=True)
class Document:
    """One PDF to make: where it goes, its print template and what the template needs."""

    path: str
    template: str
    source: Source = field(compare=False)
    context: Mapping[str, Any] = field(default_factory=dict, compare=False)
    title: str = ""
    created: date | None = None


def documents(archive: Archive, records: Records) -> list[Document]:
    """Every PDF of the archive: per protocol the protocol, its anslagsbevis and an extract of
    each §; per plan the plan."""
    found = []
    for summary in archive.protocols:
        protocol = records.full(summary, archive.redacted)
        legal = {
            "notices": notice.notices(protocol),
            "findings": [f for f in notice.findings(protocol) if f.acknowledgement],
        }
        created = protocol.justering.date if protocol.justering else None
        name = f"{protocol.organ.name} {protocol.date.isoformat()}"
        base = {"protocol": protocol, "body": protocol.organ, **legal}
        found.append(
            Document(
                protocol.pdf_url,
                "pdf/protocol.html",
                protocol.source,
                base,
                f"Protokoll {name}",
                created,
            )
        )
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
    for plan in archive.plans:
        found.append(
            Document(
                plan.pdf_url, "pdf/plan.html", plan.source, {"plan": plan}, plan.title, plan.adopted
            )
        )
    return found


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
    fetcher = SandboxedFetcher([Path(root) for root in roots])
    try:
        data = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
            pdf_variant=VARIANT, uncompressed_pdf=False
        )
    except SandboxViolation as exc:
        return None, exc.url
    assert data is not None
    return bytes(data), None


def _renderer() -> str:
    return f"weasyprint {weasyprint.__version__} pydyf {pydyf.__version__} {VARIANT}"


def cache_key(html: str, base_url: str, roots: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in (_renderer(), base_url, *roots, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


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
) -> tuple[dict[str, bytes], list[Problem]]:
    """Every PDF of the archive (or just the one at path ``only``), keyed by output path, and
    the problems that stopped any."""
    roots = [str(content.resolve()), str(templates.resolve())]
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    jobs: list[tuple[Document, str, str, str]] = []  # (document, html, base_url, key)
    for document in documents(archive, records):
        if only is not None and document.path != only:
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
        key = cache_key(html, base_url, roots)
        cached = cache / "pdf" / f"{key}.pdf" if cache else None
        if cached and cached.is_file():
            files[document.path] = cached.read_bytes()
            continue
        jobs.append((document, html, base_url, key))

    for (document, _html, _base, key), (data, violation) in zip(
        jobs, _render_all([(html, base, roots) for _, html, base, _ in jobs], workers), strict=True
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
        files[document.path] = data
        if rendered is not None:
            rendered.append(document.path)
        if cache:
            target = cache / "pdf" / f"{key}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            temporary.replace(target)
    return files, problems


def _render_one(job: tuple[str, str, Sequence[str]]) -> tuple[bytes | None, str | None]:
    return render_pdf(*job)


def _render_all(
    jobs: Sequence[tuple[str, str, Sequence[str]]], workers: int | None = None
) -> Iterable[tuple[bytes | None, str | None]]:
    workers = min(len(jobs), workers or os.cpu_count() or 1)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [_render_one(job) for job in jobs]
    # forkserver, not fork: workers must not inherit the build lock's file descriptor, or a
    # killed build would leave its lock held by orphaned workers
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_render_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
