"""The model → the site's files, in memory: every page rendered through the user's templates.

``site_files`` returns a mapping from output path to bytes; nothing is written here. Templates
live in the project's ``templates/`` folder, which a site owner may change freely; anything in
``templates/assets/`` is copied to ``/assets/`` as it is.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2
import jinja2.meta

from . import feed, frontmatter, notice, opendata, sitemap
from .memo import Memo
from .model import Archive, Body, Plan, Protocol
from .pdf import size_label
from .problems import Problem, error
from .swedish import swedish_date

ASSETS_DIR = "assets"


def relative_url(target: str, page: str) -> str:
    """The link from ``page`` to ``target`` (both site paths such as 'protokoll/x/'), relative so
    that the site works from any folder, from a file system, and behind any base path."""
    target, _, fragment = target.partition("#")
    base = page if page.endswith("/") or not page else posixpath.dirname(page) + "/"
    link = posixpath.relpath("/" + target, "/" + base)
    if (target.endswith("/") or not target) and not link.endswith("/"):
        link = "./" if link == "." else link + "/"
    return link + (f"#{fragment}" if fragment else "")


_TAG = re.compile(r"(<[^>]+>)")
_REFERENCE = re.compile(r"§\s?(\d+)")


def refer(html: str, protocol: Protocol, number: int, earlier: Iterable[Protocol]) -> str:
    """Link each "§ N" in a paragraph's text to the paragraph it names: an earlier § of the same
    protocol, or of an earlier meeting of the same body that year (numbering that runs on)."""
    here = {p.number for p in protocol.paragraphs}
    before = sorted(earlier, key=lambda p: p.date, reverse=True)

    def target(n: int) -> str | None:
        if n in here:
            return f"#paragraf-{n}" if n < number else None
        for other in before:
            if any(p.number == n for p in other.paragraphs):
                return f"{other.url}#paragraf-{n}"
        return None

    out = []
    inside_link = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if piece.startswith("<a "):
                inside_link += 1
            elif piece == "</a>":
                inside_link = max(0, inside_link - 1)
            out.append(piece)
        elif inside_link or "§" not in piece:
            out.append(piece)
        else:
            out.append(_REFERENCE.sub(lambda m: _reference_link(m, target), piece))
    return "".join(out)


def _reference_link(match: re.Match[str], target: Callable[[int], str | None]) -> str:
    found = target(int(match.group(1)))
    if found is None:
        return match.group(0)
    return f'<a class="reference" href="{{{{REF:{found}}}}}">{match.group(0)}</a>'


def output_file(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    rooted: bool = False  # links from the site's root path: the 404 page is served anywhere
    listed: bool = True  # in the sitemap


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = swedish_date
    env.filters["iso"] = lambda d: d.isoformat()
    return env


def _years(protocols: list[Protocol]) -> list[tuple[int, list[Protocol]]]:
    by_year: dict[int, list[Protocol]] = defaultdict(list)
    for protocol in protocols:
        by_year[protocol.date.year].append(protocol)
    return [
        (year, sorted(items, key=lambda p: p.date, reverse=True))
        for year, items in sorted(by_year.items(), reverse=True)
    ]


APPEAL_RIGHT = {
    "kommun": "Varje medlem av kommunen",
    "region": "Varje medlem av regionen",
    "kommunalförbund": "Varje medlem av en kommun eller region som är medlem i förbundet",
    "samordningsförbund": "Varje medlem av en kommun eller region som är medlem i förbundet "
    "(lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser, 28 §)",
}


def pages(archive: Archive, today: date) -> Iterator[Page]:
    """Every page of the site, in a stable order."""
    site = archive.settings
    by_body: dict[str, list[Protocol]] = defaultdict(list)
    for protocol in archive.protocols:
        by_body[protocol.organ.slug].append(protocol)
    latest = sorted(archive.protocols, key=lambda p: (p.date, p.organ.slug), reverse=True)[:10]
    bodies = [(body, len(by_body[body.slug])) for body in site.bodies]
    yield Page("", "index.html", {"latest": latest, "bodies": bodies, "plans": archive.plans})
    yield Page("protokoll/", "protocols.html", {"bodies": bodies}, "Protokoll")
    for body in site.bodies:
        years = _years(by_body[body.slug])
        yield Page(
            f"protokoll/{body.slug}/", "body.html", {"body": body, "years": years}, body.name
        )
        for year, protocols in years:
            yield Page(
                f"protokoll/{body.slug}/{year}/",
                "year.html",
                {"body": body, "year": year, "protocols": protocols},
                f"{body.name} {year}",
            )
        ordered = sorted(by_body[body.slug], key=lambda p: p.date)
        for index, protocol in enumerate(ordered):
            legal = {
                "notices": notice.notices(protocol),
                "findings": [f for f in notice.findings(protocol) if f.acknowledgement],
                "today": today,
            }
            yield Page(
                protocol.url,
                "protocol.html",
                {
                    "protocol": protocol,
                    "body": body,
                    "previous": ordered[index - 1] if index > 0 else None,
                    "next": ordered[index + 1] if index + 1 < len(ordered) else None,
                    "earlier": tuple(
                        p for p in ordered[:index] if p.date.year == protocol.date.year
                    ),
                    **legal,
                },
                f"Protokoll {body.name} {swedish_date(protocol.date)}",
            )
            if not protocol.is_draft:
                yield Page(
                    protocol.anslagsbevis_url,
                    "anslagsbevis.html",
                    {"protocol": protocol, "body": body, **legal},
                    f"Anslagsbevis {body.name} {swedish_date(protocol.date)}",
                )
    yield Page(
        "anslagstavla/",
        "anslagstavla.html",
        {
            "board": notice.board(archive.protocols + archive.withdrawn, today),
            "appeal_right": APPEAL_RIGHT[site.organisation_type],
        },
        "Anslagstavla",
    )
    yield Page("sok/", "search.html", {}, "Sök")
    yield Page("tillganglighet/", "accessibility.html", {}, "Tillgänglighetsredogörelse")
    yield Page("oppna-data/", "opendata.html", {"protocols": archive.protocols}, "Öppna data")
    yield Page("404.html", "404.html", {}, "Sidan finns inte", rooted=True, listed=False)
    yield Page("planer/", "plans.html", {"plans": archive.plans}, "Planer och budgetar")
    for plan in archive.plans:
        yield Page(plan.url, "plan.html", {"plan": plan}, plan.title)


def _render_page(
    env: jinja2.Environment, page: Page, archive: Archive, drafts: bool, templates: Path
) -> tuple[bytes | None, Problem | None]:
    def url(target: str | Protocol | Plan | Body) -> str:
        if isinstance(target, Body):
            target = f"protokoll/{target.slug}/"
        elif not isinstance(target, str):
            target = target.url
        if page.rooted:
            return urlparse(archive.settings.base_url).path + target
        return relative_url(target, page.url)

    def refer_here(html: str, protocol: Protocol, number: int) -> str:
        linked = refer(html, protocol, number, page.context.get("earlier", ()))
        return re.sub(r"\{\{REF:([^}]*)\}\}", lambda m: _local(m.group(1)), linked)

    def _local(target: str) -> str:
        return target if target.startswith("#") else url(target)

    context = {
        "site": archive.settings,
        "page": page,
        "url": url,
        "refer": refer_here,
        "drafts": drafts,
        **page.context,
    }
    try:
        html = env.get_template(page.template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        return None, error(
            f"{templates.as_posix()}/{exc.name or page.template}",
            exc.lineno,
            f"mallen kan inte läsas: {exc.message}",
            "template",
        )
    except jinja2.TemplateError as exc:
        return None, error(
            f"{templates.as_posix()}/{page.template}",
            0,
            f"mallen kunde inte fyllas i: {exc}",
            "template",
        )
    return html.encode("utf-8"), None


class Fingerprints:
    """Keys of everything a page is made from: its templates (with what they extend, include
    and import) and the records in its context, by their sources' digests."""

    def __init__(self, env: jinja2.Environment, sizes: Mapping[str, int] | None) -> None:
        self.env = env
        self.sizes = sizes
        self._templates: dict[str, str] = {}
        self._records: dict[int, tuple[object, str]] = {}  # by id(): records recur on pages

    def template(self, name: str) -> str:
        if name not in self._templates:
            self._templates[name] = ""  # a cycle of includes ends here
            loader = self.env.loader
            assert loader is not None
            try:
                text = loader.get_source(self.env, name)[0]
                referenced = jinja2.meta.find_referenced_templates(self.env.parse(text))
            except jinja2.TemplateError:
                text, referenced = f"missing {name}", iter(())
            parts = [text] + [self.template(r) for r in sorted(r for r in referenced if r)]
            self._templates[name] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return self._templates[name]

    def value(self, value: Any) -> str:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self._records.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            key = self._record(value)
            self._records[id(value)] = (value, key)
            return key
        if isinstance(value, list | tuple):
            return "[" + ",".join(self.value(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k}:{self.value(v)}" for k, v in sorted(value.items())) + "}"
        return repr(value)

    def _record(self, value: Any) -> str:
        if isinstance(value, Protocol):
            if self.sizes is None:
                return f"P{value.source.digest}"
            pdfs = [value.pdf_url, value.anslagsbevis_pdf_url] + [
                value.extract_pdf_url(p.number) for p in value.paragraphs
            ]
            return f"P{value.source.digest}{self._sizes(pdfs)}"
        if isinstance(value, Plan):
            return f"L{value.source.digest}{self._sizes([value.pdf_url])}"
        fields = (getattr(value, f.name) for f in dataclasses.fields(value))
        return f"{type(value).__name__}(" + ",".join(self.value(v) for v in fields) + ")"

    def _sizes(self, paths: list[str]) -> str:
        if self.sizes is None:
            return ""
        return ",".join(str(self.sizes.get(path, "")) for path in paths)

    def page(self, page: Page, archive: Archive, drafts: bool, full: bool = False) -> str:
        parts = [
            self.template(page.template),
            page.url,
            self.value(archive.settings),
            str(drafts),
            str(full),
            self.value(dict(page.context)),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _images(archive: Archive, files: dict[str, bytes]) -> list[Problem]:
    """Copy each image a document shows to where its relative address points from the page."""
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    documents: list[Protocol | Plan] = [*archive.protocols, *archive.plans]
    for document in documents:
        for address, file in document.images:
            target = posixpath.normpath(posixpath.join(document.url, address))
            if target.startswith("../") or target == ".." or target.startswith("/"):
                problems.append(
                    error(
                        document.path, 0, f"bilden '{address}' hamnar utanför webbplatsen", "image"
                    )
                )
                continue
            if target in owners and owners[target] != file:
                problems.append(
                    error(
                        document.path,
                        0,
                        f"bilden '{address}' får samma adress /{target} som en annan bild "
                        f"({owners[target]}); byt namn på en av dem",
                        "image",
                    )
                )
                continue
            owners[target] = file
            files[target] = Path(file).read_bytes()
    return problems


def _published(memo: Memo | None, previous: Path | None, target: str, key: str) -> bytes | None:
    """The page as the previous build published it, if it was made from the same inputs."""
    if memo is None or previous is None or target not in memo.published:
        return None
    known_key, digest = memo.published[target]
    if known_key != key:
        return None
    try:
        body = (previous / target).read_bytes()
    except OSError:
        return None
    return body if hashlib.sha256(body).hexdigest() == digest else None


def site_files(
    archive: Archive,
    templates: Path,
    today: date,
    drafts: bool = False,
    pdf_sizes: Mapping[str, int] | None = None,
    memo: Memo | None = None,
    full: bool = False,
    previous: Path | None = None,
    rendered: list[str] | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """All output files of the site, keyed by their path inside the output folder.

    ``pdf_sizes`` gives each PDF's size for its link; None means the PDFs are made when they are
    opened (the preview). With a ``memo``, a page whose inputs are unchanged is not rendered
    again; the pages that were rendered are appended to ``rendered``."""
    env = environment(templates)

    def pdf_size(path: str) -> str:
        if pdf_sizes is None:
            return "skapas när du öppnar den"
        return size_label(pdf_sizes[path]) if path in pdf_sizes else ""

    env.globals["pdf_size"] = pdf_size
    env.globals["full_version"] = full
    keys = Fingerprints(env, pdf_sizes)
    files: dict[str, bytes] = {}
    claimed: dict[str, str] = {}
    problems: list[Problem] = []
    for page in pages(archive, today):
        target = output_file(page.url)
        owner = page.context.get("protocol") or page.context.get("plan")
        source = owner.path if owner is not None else page.template
        if target in claimed:
            problems.append(
                error(
                    source,
                    0,
                    f"adressen /{page.url} används redan av {claimed[target]}",
                    "unique-url",
                )
            )
            continue
        claimed[target] = source
        key = keys.page(page, archive, drafts, full) if memo is not None else ""
        if memo is not None and target in memo.pages and memo.pages[target][0] == key:
            files[target] = memo.pages[target][1]
            continue
        reused = _published(memo, previous, target, key)
        if reused is not None and memo is not None:
            files[target] = reused
            memo.pages[target] = (key, reused)
            continue
        body, problem = _render_page(env, page, archive, drafts, templates)
        if problem:
            problems.append(problem)
        elif body is not None:
            files[target] = body
            if memo is not None:
                memo.pages[target] = (key, body)
            if rendered is not None:
                rendered.append(target)
    problems += _images(archive, files)
    assets = templates / ASSETS_DIR
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                files[f"{ASSETS_DIR}/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    files[feed.PATH] = feed.atom(archive, today)
    files.update(opendata.data_files(archive))
    listed = [p.url for p in pages(archive, today) if p.listed]
    files["sitemap.xml"] = sitemap.sitemap(archive.settings, listed)
    files["robots.txt"] = sitemap.robots(archive.settings, drafts)
    for kind in frontmatter.SCHEMAS:
        files[f"schema/{kind}.schema.json"] = frontmatter.schema_text(kind).encode("utf-8")
    return files, problems
