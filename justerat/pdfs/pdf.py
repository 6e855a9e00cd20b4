"""PDF versions for the archive: protocol, anslagsbevis, plan and protokollsutdrag (one §).

Rendered by WeasyPrint from the print templates in ``templates/pdf/``, from the same model as
the HTML. Each PDF is PDF/A-2a (tagged, sRGB output intent, document language, title, author and
the justering date in its metadata, no wall-clock dates), so the same input gives the same
bytes. The renderer is sandboxed (``printing``): it may read only files inside the content and
templates folders; any other URL fails the build with a problem naming the source file.

Rendering is the slowest stage, so each PDF is kept in the cache (``cache.Cache``) under the
key of what it is made from (its print template, its source, the settings, the renderer) and
under the key of the page it prints, and printed in parallel processes when there are several
to make. The PDFs of a protocol come from one table (``planned``).

An anslagsbevis (a protocol's, or a notice's) also shows what the publication log says of its
notices (``board.seen``): the key of its PDF holds the digest of those facts, so a publishing
build prints it anew when they change (the last build that showed the notice, daily while it
is up) and only then. Without a log (a build that does not publish) it shows none.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import jinja2

from ..core import processes
from ..core.cache import Cache
from ..core.problems import Problem, error
from ..core.progress import Progress
from ..domain.meetings import Announcement
from ..domain.model import Archive, Image, Plan, Protocol, Summary
from ..domain.source import Source
from ..legal import announcement, board, decisions, law, notice, publog
from ..legal.law import Calendar
from ..loading.content import Records
from ..web.templates import TemplateKeys, file_digests
from . import seal
from .seal import Sealer

VARIANT = "pdf/a-2a"
ANSLAGSBEVIS_TEMPLATE = "pdf/anslagsbevis.html"  # a protocol's
NOTICE_TEMPLATE = "pdf/notice_anslagsbevis.html"  # a notice's (a delegationsbeslut)
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


FORFATTNING_TEMPLATE = "pdf/forfattning.html"


class Planned(NamedTuple):
    """One PDF of a protocol: where it goes, its print template, the title before the body's
    name and the date, and the paragraph of an extract."""

    path: str
    template: str
    title: str
    paragraph: int | None = None


def planned(summary: Summary, redacted: bool) -> list[Planned]:
    """The table of a protocol's PDFs, known from its summary: the protocol, its
    anslagsbevis when it has a notice, and an extract of each § shown. Both the keys of the
    PDFs and the documents printed (``protocol_documents``) come from it."""
    found = [Planned(summary.pdf_url, "pdf/protocol.html", "Protokoll")]
    if summary.notices:
        found.append(Planned(summary.anslagsbevis_pdf_url, ANSLAGSBEVIS_TEMPLATE, "Anslagsbevis"))
    for number in summary.numbers:
        if not (redacted and number in summary.hidden):
            path = summary.extract_pdf_url(number)
            found.append(Planned(path, "pdf/extract.html", "Protokollsutdrag", number))
    return found


def protocol_documents(
    protocol: Protocol,
    summary: Summary,
    redacted: bool,
    calendar: Calendar,
    shown: Mapping[str, publog.Seen] | None = None,
) -> list[Document]:
    """The PDFs of one protocol as ``planned`` names them, with what their templates need;
    the anslagsbevis is given what the publication log says of the notices (``shown``)."""
    legal = {
        "notices": notice.notices(protocol, calendar),
        "findings": [f for f in notice.findings(protocol, calendar) if f.acknowledgement],
    }
    created = protocol.justering.date if protocol.justering else None
    name = f"{protocol.organ.name} {protocol.date.isoformat()}"
    base = {
        "protocol": protocol,
        "body": protocol.organ,
        **legal,
        "serving": decisions.serving(protocol),
    }
    paragraphs = {paragraph.number: paragraph for paragraph in protocol.paragraphs}
    found = []
    for each in planned(summary, redacted):
        context, title = base, f"{each.title} {name}"
        if each.paragraph is not None:
            context = {**base, "paragraph": paragraphs[each.paragraph]}
            title += f" § {each.paragraph}"
        if each.template == ANSLAGSBEVIS_TEMPLATE:
            context = {**base, "shown": shown or {}}
        found.append(Document(each.path, each.template, protocol.source, context, title, created))
    return found


def plan_document(plan: Plan) -> Document:
    return Document(
        plan.pdf_url, "pdf/plan.html", plan.source, {"plan": plan}, plan.title, plan.adopted
    )


def _statics(templates: Path) -> str:
    """The digest of the files beside the templates that a print template may refer to
    (styles, fonts, images): the templates themselves are keyed by what they include."""
    digest = hashlib.sha256()
    for path, file_digest in file_digests(templates):
        if not path.endswith(".html"):
            digest.update(f"{path}\0".encode() + file_digest)
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


def printed_page(html: str, base: Path, printing: Printing) -> tuple[bytes | None, str | None]:
    """One page printed as a PDF/A from the folder ``base``, or found in the cache by the key
    of what it prints: (PDF bytes, None), or (None, the URL that broke the sandbox)."""
    key = _html_key(html, base, printing, _statics(printing.templates))
    kept = printing.cache.pdf(key)
    if kept is not None:
        return kept.read_bytes(), None
    data, violation = render_pdf(html, base.resolve().as_uri() + "/", printing.roots)
    if data is not None:
        printing.cache.keep_pdf(key, data)
    return data, violation


@cache
def _renderer() -> str:
    """The printing software, by the versions installed (known without loading it), and how
    it is used (the XMP written uncompressed: ``printing.PlainMetadata``)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')} pydyf {version('pydyf')} {VARIANT} xmp-plain"


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


@dataclass(frozen=True)
class Printing:
    """What printing needs: the folders the renderer may read, the print templates (their
    environment and keys), the law's calendar, the cache, the processes to print in, and the
    publication log of a build that publishes (empty otherwise)."""

    templates: Path
    content: Path
    env: jinja2.Environment
    keys: TemplateKeys
    calendar: Calendar
    cache: Cache
    workers: int = 1
    progress: TextIO | None = None  # where a progress bar is shown while printing
    history: publog.History = field(default_factory=publog.History)  # the anslagsbevis show it

    @property
    def roots(self) -> list[str]:
        return [str(self.content.resolve()), str(self.templates.resolve())]

    @property
    def layout(self) -> str:
        """Where the templates' folder is, seen from the content folder."""
        return os.path.relpath(self.templates.resolve(), self.content.resolve())


class _Job(NamedTuple):
    """A PDF to print: its document, the printed page, its base, and its two keys (of what
    it is made from, and of the page it prints)."""

    document: Document
    html: str
    base_url: str
    made_from: str
    print_key: str


class _Wanted(NamedTuple):
    """A document's PDFs not in the cache: how to make its documents, the keys of the PDFs
    to print, and the key of the files its printed pages name but do not hold."""

    documents: Callable[[], list[Document]]
    missing: dict[str, str]
    fetched: str


def pdf_files(
    archive: Archive,
    records: Records,
    printing: Printing,
    only: str | None = None,
    rendered: list[str] | None = None,
    among: Collection[str] | None = None,
) -> tuple[dict[str, Printed], list[Problem]]:
    """Every PDF of the archive (or just the one at path ``only``, or those at the paths
    ``among``), keyed by output path, and the problems that stopped any. A PDF's bytes stay
    where they are until asked for: a PDF whose key is kept in the cache is not printed
    again."""
    files: dict[str, Printed] = {}
    statics = _statics(printing.templates)
    fixed = (_renderer(), statics, records.key, str(archive.redacted), *printing.roots)
    key = _Key(fixed, printing.keys)
    every = chain(
        _protocol_pdfs(archive, records, printing, key),
        _notice_pdfs(archive, printing, key),
        _plan_pdfs(archive, key),
        _forfattning_pdfs(archive, key),
    )
    wanted: list[_Wanted] = []
    for keys, documents, images in every:
        chosen = {
            path: made_from
            for path, made_from in keys.items()
            if only in (None, path) and (among is None or path in among)
        }
        missing = _not_kept(printing.cache, chosen, files)
        if missing:
            wanted.append(_Wanted(documents, missing, _fetched(statics, images)))
    jobs, problems = _jobs(archive, printing, wanted, files)
    problems += _print(jobs, printing, files, rendered)
    return files, problems


@dataclass(frozen=True)
class _Key:
    """The key of a PDF: everything it is made from (its print template with what that
    includes, the record's source, the settings, the renderer, and for an anslagsbevis what it
    says of the publication log). The same key, the same PDF."""

    fixed: tuple[str, ...]
    templates: TemplateKeys

    def __call__(self, path: str, template: str, source: str, digest: str, told: str = "") -> str:
        """``told``: the digest of what an anslagsbevis says of the log ("": nothing, and
        the key is the one it had before the log)."""
        parts = (*self.fixed, path, self.templates.key(template), source, digest)
        return hashlib.sha256("\0".join((*parts, told) if told else parts).encode()).hexdigest()


class _Keyed(NamedTuple):
    """A document's PDFs: their keys by output path, how to make its documents, and the
    images its printed pages name."""

    keys: dict[str, str]
    documents: Callable[[], list[Document]]
    images: Iterable[Image]


def _protocol_pdfs(
    archive: Archive, records: Records, printing: Printing, key: _Key
) -> Iterator[_Keyed]:
    """Each protocol's PDFs as ``planned`` names them; its anslagsbevis keyed with what it
    says of the publication log."""
    for summary in archive.protocols:
        shown = board.seen(printing.history, summary, printing.calendar)
        told = publog.told(shown)
        keys = {
            each.path: key(
                each.path,
                each.template,
                summary.path,
                summary.digest,
                told if each.template == ANSLAGSBEVIS_TEMPLATE else "",
            )
            for each in planned(summary, archive.redacted)
        }
        documents = partial(
            _full_documents, records, summary, archive.redacted, printing.calendar, shown
        )
        yield _Keyed(keys, documents, summary.images)


def _notice_pdfs(archive: Archive, printing: Printing, key: _Key) -> Iterator[_Keyed]:
    """The anslagsbevis of each notice that starts an appeal period, keyed with what it says
    of the publication log."""
    for posted in archive.announcements:
        if posted.appeal and not posted.is_draft:
            shown = board.seen(printing.history, posted, printing.calendar)
            path = posted.anslagsbevis_pdf_url
            told = publog.told(shown)
            keys = {path: key(path, NOTICE_TEMPLATE, posted.path, posted.source.digest, told)}
            documents = partial(_notice_documents, posted, printing.calendar, archive, shown)
            yield _Keyed(keys, documents, ())


def _plan_pdfs(archive: Archive, key: _Key) -> Iterator[_Keyed]:
    for plan in archive.plans:
        keys = {plan.pdf_url: key(plan.pdf_url, "pdf/plan.html", plan.path, plan.source.digest)}
        yield _Keyed(keys, partial(_plan_documents, plan), plan.images)


def _forfattning_pdfs(archive: Archive, key: _Key) -> Iterator[_Keyed]:
    """Each föreskrift of the författningssamling as a PDF of its own."""
    for each in archive.forfattningar:
        made_from = key(each.pdf_url, FORFATTNING_TEMPLATE, each.path, each.source.digest)
        document = Document(
            each.pdf_url,
            FORFATTNING_TEMPLATE,
            each.source,
            {"forfattning": each},
            f"{each.beteckning} {each.title}",
            each.adopted.date,
        )
        yield _Keyed({each.pdf_url: made_from}, partial(list, [document]), ())


def _not_kept(cache: Cache, keys: dict[str, str], files: dict[str, Printed]) -> dict[str, str]:
    """The PDFs (path → key) the cache does not keep; those it keeps go to ``files``."""
    missing = {}
    for path, made_from in keys.items():
        kept = cache.pdf(made_from)
        if kept is None:
            missing[path] = made_from
        else:
            files[path] = Printed(made_from, kept.stat().st_size, kept)
    return missing


def _jobs(
    archive: Archive, printing: Printing, wanted: list[_Wanted], files: dict[str, Printed]
) -> tuple[list[_Job], list[Problem]]:
    """The PDFs to print: the pages of those ``wanted``, but for a page printed before (an
    edit that leaves a PDF's page as it was: another paragraph's extract), whose PDF is
    found in the cache by the page's key and kept under the new key too."""
    jobs: list[_Job] = []
    problems: list[Problem] = []
    for documents, missing, fetched in wanted:
        for document in documents():
            if document.path not in missing:
                continue
            try:
                html = _render_html(printing.env, document, archive)
            except jinja2.TemplateError as exc:
                problems.append(_template_problem(printing.templates, document, exc))
                continue
            base = Path(document.source.path).resolve().parent
            base_url = base.as_uri() + "/"
            made_from = missing[document.path]
            print_key = _html_key(html, base, printing, fetched)
            kept = printing.cache.pdf(print_key)
            if kept is not None:
                files[document.path] = Printed(made_from, kept.stat().st_size, kept)
                printing.cache.alias_pdf(print_key, made_from)  # the same print as before
                continue
            jobs.append(_Job(document, html, base_url, made_from, print_key))
    return jobs, problems


def _template_problem(templates: Path, document: Document, exc: jinja2.TemplateError) -> Problem:
    return error(
        f"{templates.as_posix()}/{document.template}",
        getattr(exc, "lineno", 0) or 0,
        f"mallen kunde inte fyllas i: {exc}",
        "template",
    )


def _print(
    jobs: list[_Job],
    printing: Printing,
    files: dict[str, Printed],
    rendered: list[str] | None,
) -> list[Problem]:
    """Print the jobs (in parallel processes when there are several), keep each PDF in the
    cache under both its keys as soon as it is printed (a build stopped half-way keeps what
    it printed, and the next goes on from there); a job that broke the sandbox becomes a
    problem."""
    problems = []
    bar = Progress(printing.progress if len(jobs) >= _SHOWN_FROM else None, len(jobs), "PDF:er")
    work = [(job.html, job.base_url, printing.roots) for job in jobs]
    workers = printing.workers if len(jobs) >= PARALLEL_FROM else 1
    for job, (data, violation) in zip(
        jobs, processes.fresh_map(_render_one, work, workers), strict=True
    ):
        if violation is not None:
            problems.append(_sandbox_problem(job.document, violation, printing.content))
            continue
        assert data is not None
        files[job.document.path] = Printed(job.made_from, len(data), None, data)
        if rendered is not None:
            rendered.append(job.document.path)
        printing.cache.keep_pdf(job.made_from, data, job.print_key)
        bar.step()
    bar.end()
    return problems


_SHOWN_FROM = 20  # PDFs to print before a progress bar is worth showing


def _sandbox_problem(document: Document, violation: str, content: Path) -> Problem:
    return error(
        document.source.path,
        _line_of(document.source, violation),
        f"PDF-versionen får bara använda filer i innehålls- och mallmapparna; "
        f"'{violation}' är inte tillåten. Lägg filen i {content.as_posix()}/ och "
        "länka den relativt",
        "pdf-sandbox",
    )


def _html_key(html: str, base: Path, printing: Printing, fetched: str) -> str:
    """The key of a PDF by the page it prints, the files that page names (``fetched``, by
    their bytes), and where it is printed from as seen from the content folder: the page's
    folder ``base`` and the templates' folder. Not by where the content folder is: the same
    content copied or moved elsewhere, or named by another path, prints the same bytes, so it
    is not printed again (a sealed PDF is sealed anew: ``sealed_files``)."""
    content = printing.content.resolve()
    places = (os.path.relpath(base.resolve(), content), printing.layout)
    digest = hashlib.sha256()
    for part in (_renderer(), *places, fetched, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _fetched(statics: str, images: Iterable[Image]) -> str:
    """The key of the files a printed page names but does not hold: the print templates'
    files (fonts, pictures) and the document's images, by their bytes."""
    digest = hashlib.sha256(statics.encode())
    for image in sorted(images):
        digest.update(f"{image.address}\0".encode())
        with suppress(OSError):  # a missing image is the build's problem, named elsewhere
            digest.update(hashlib.sha256(Path(image.file).read_bytes()).digest())
    return digest.hexdigest()


def _plan_documents(plan: Plan) -> list[Document]:
    return [plan_document(plan)]


def _notice_documents(
    posted: Announcement,
    calendar: Calendar,
    archive: Archive,
    shown: Mapping[str, publog.Seen] | None = None,
) -> list[Document]:
    """The anslagsbevis of a notice that starts an appeal period (a delegationsbeslut), with
    what the publication log says of it (``shown``)."""
    context = {
        "notice": posted,
        "posting": board.other(posted, calendar),
        "kind": announcement.TITLES[posted.kind],
        "appeal_right": law.APPEAL_RIGHT[archive.settings.organisation_type],
        "shown": shown or {},
    }
    title = f"Anslagsbevis {posted.title}"
    return [
        Document(
            posted.anslagsbevis_pdf_url,
            NOTICE_TEMPLATE,
            posted.source,
            context,
            title,
            posted.posted,
        )
    ]


def _full_documents(
    records: Records,
    summary: Summary,
    redacted: bool,
    calendar: Calendar,
    shown: Mapping[str, publog.Seen] | None = None,
) -> list[Document]:
    protocol = records.full(summary, redacted)
    return protocol_documents(protocol, summary, redacted, calendar, shown)


def _render_one(job: tuple[str, str, Sequence[str]]) -> tuple[bytes | None, str | None]:
    return render_pdf(*job)


def sealed_files(
    printed: dict[str, Printed], sealer: Sealer, cache: Cache
) -> tuple[dict[str, Printed], list[str]]:
    """Every printed PDF with its seal (keyed anew by
    the PDF's key and the certificate's): a seal is made only for a PDF or certificate not
    sealed before, and kept in the cache like the PDFs. The paths sealed anew."""
    found: dict[str, Printed] = {}
    made: list[str] = []
    url = sealer.settings.timestamp_url or ""
    for path, each in sorted(printed.items()):
        key = hashlib.sha256(
            f"sigill\0{each.key}\0{sealer.fingerprint}\0{url}".encode()
        ).hexdigest()
        kept = cache.pdf(key)
        if kept is not None:
            found[path] = Printed(key, kept.stat().st_size, kept)
            continue
        data = sealer.seal(each.data())
        if not made:  # the first seal of the build, as `verify` will see it
            seal.check_trusted(data, sealer.settings)
        cache.keep_pdf(key, data)
        found[path] = Printed(key, len(data), None, data)
        made.append(path)
    return found, made
