"""The model → the site's files: every page rendered through the user's templates.

``outputs`` lists every file of the site with the key of what it is made from and how to make
it; nothing is made or written here. A file whose key is the same as in the last build is the
same file, so a build makes only what changed (``pipeline``). Templates live in the project's
``templates/`` folder, which a site owner may change freely; anything in ``templates/assets/``
is copied to ``/assets/`` as it is.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2
import jinja2.meta

from . import __version__, feed, frontmatter, memo, notice, opendata, sitemap
from .content import Records
from .model import Addressed, Archive, Body, Plan, Protocol, Summary
from .problems import Problem, error
from .scope import Scope, image_target
from .swedish import size_label, swedish_date

ASSETS_DIR = "assets"


def relative_url(target: str, page: str) -> str:
    """The link from ``page`` to ``target`` (both site paths such as 'protokoll/x/'), relative so
    that the site works from any folder, from a file system, and behind any base path."""
    return links_from(page)(target)


def links_from(page: str) -> Callable[[str], str]:
    """``relative_url`` for one page: its folder is split once for all the page's links."""
    base = _segments(page if page.endswith("/") or not page else posixpath.dirname(page))

    def link(target: str) -> str:
        target, _, fragment = target.partition("#")
        path = _segments(target)
        common = 0
        for mine, theirs in zip(base, path, strict=False):
            if mine != theirs:
                break
            common += 1
        relative = "/".join([".."] * (len(base) - common) + path[common:]) or "."
        if (target.endswith("/") or not target) and not relative.endswith("/"):
            relative = "./" if relative == "." else relative + "/"
        return relative + (f"#{fragment}" if fragment else "")

    return link


def _segments(path: str) -> list[str]:
    """The folders and name of a site path as ``posixpath.relpath`` sees them from the root."""
    parts = path.split("/")
    if "." in parts or ".." in parts:
        parts = posixpath.normpath("/" + path).split("/")
    return [part for part in parts if part]


_TAG = re.compile(r"(<[^>]+>)")
_REFERENCE = re.compile(r"§\s?(\d+)")
_PLACEHOLDER = re.compile(r"\{\{REF:([^}]*)\}\}")  # a reference's target, made local per page


def refer(html: str, protocol: Addressed, number: int, earlier: Iterable[Addressed]) -> str:
    """Link each "§ N" in a paragraph's text to the paragraph it names: an earlier § of the same
    protocol, or of an earlier meeting of the same body that year (numbering that runs on)."""
    if "§" not in html:  # most text names no paragraph
        return html
    here = set(protocol.numbers)
    before = sorted(earlier, key=lambda p: p.date, reverse=True)

    def target(n: int) -> str | None:
        if n in here:
            return f"#paragraf-{n}" if n < number else None
        for other in before:
            if n in other.numbers:
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
class Lazy:
    """A template variable made only when its page is rendered; ``key`` stands for everything
    it is made from."""

    key: str
    make: Callable[[], Any] = field(compare=False)


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    rooted: bool = False  # links from the site's root path: the 404 page is served anywhere
    listed: bool = True  # in the sitemap
    source: str = ""  # the content file the page shows, for problems
    record: Summary | None = None  # the protocol the page shows (its PDFs' sizes are in the key)


class RenderError(Exception):
    """A template failed; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, the key of what it is made from, how to make it."""

    target: str
    key: str
    make: Callable[[], bytes] = field(compare=False)
    page: Page | None = field(default=None, compare=False)


def environment(templates: Path, cache: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with ``cache``, compiled templates are kept there (by the
    hash of their text) for the next build."""
    compiled = None
    if cache is not None:
        (cache / "templates").mkdir(parents=True, exist_ok=True)
        compiled = jinja2.FileSystemBytecodeCache(str(cache / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=compiled,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lasts one build: no template changes under it
    )
    env.filters["datum"] = swedish_date
    env.filters["iso"] = lambda d: d.isoformat()
    return env


def _years(protocols: list[Summary]) -> list[tuple[int, list[Summary]]]:
    by_year: dict[int, list[Summary]] = defaultdict(list)
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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _chain(protocols: Iterable[Summary], group: Callable[[Summary], object]) -> list[str]:
    """For each protocol, the key of those before it in its group: the meetings whose
    paragraphs its "§ N" references may point to."""
    keys: list[str] = []
    key, current = "", None
    for protocol in protocols:
        if group(protocol) != current:
            key, current = "", group(protocol)
        keys.append(key)
        key = _digest(key, protocol.key)
    return keys


def pages(
    archive: Archive,
    today: date,
    records: Records | None = None,
    only: Collection[str] | None = None,
) -> Iterator[Page]:
    """Every page of the site, in a stable order (or, given ``only``, just the own pages of
    the protocols at those paths). A protocol's own pages get its full record from ``records``
    when they are rendered."""
    if only is not None:
        yield from _own_pages(archive, records, only)
        return
    site = archive.settings
    by_body: dict[str, list[Summary]] = defaultdict(list)
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
        yield from _protocol_pages(body, by_body[body.slug], records, archive.redacted)
    every = archive.protocols + archive.withdrawn
    yield Page(
        "anslagstavla/",
        "anslagstavla.html",
        {
            "board": Lazy(
                _digest("board", today.isoformat(), *(p.key for p in every)),
                partial(notice.board, every, today),
            ),
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
        yield Page(plan.url, "plan.html", {"plan": plan}, plan.title, source=plan.path)


def _protocol_pages(
    body: Body,
    protocols: list[Summary],
    records: Records | None,
    redacted: bool,
    only: Collection[str] | None = None,
) -> Iterator[Page]:
    """The protocol page and the anslagsbevis of each of a body's protocols (or of those at
    the paths in ``only``)."""
    ordered = sorted(protocols, key=lambda p: p.date)
    chain = _chain(ordered, lambda p: p.date.year)
    first_of_year = 0
    for index, summary in enumerate(ordered):
        if index and ordered[index - 1].date.year != summary.date.year:
            first_of_year = index
        if only is not None and summary.path not in only:
            continue
        full = _full(summary, records, redacted)
        earlier = ordered[first_of_year:index]  # the same year's meetings before it
        legal = {
            "notices": Lazy(full.key, partial(_notices, full)),
            "findings": Lazy(full.key, partial(_acknowledged, full)),
        }
        yield Page(
            summary.url,
            "protocol.html",
            {
                "protocol": full,
                "body": body,
                "previous": ordered[index - 1] if index > 0 else None,
                "next": ordered[index + 1] if index + 1 < len(ordered) else None,
                "earlier": Lazy(chain[index], partial(tuple, earlier)),
                **legal,
            },
            f"Protokoll {body.name} {swedish_date(summary.date)}",
            source=summary.path,
            record=summary,
        )
        if not summary.is_draft:
            yield Page(
                summary.anslagsbevis_url,
                "anslagsbevis.html",
                {"protocol": full, "body": body, **legal},
                f"Anslagsbevis {body.name} {swedish_date(summary.date)}",
                source=summary.path,
                record=summary,
            )


def _own_pages(archive: Archive, records: Records | None, only: Collection[str]) -> Iterator[Page]:
    by_body: dict[str, list[Summary]] = defaultdict(list)
    for protocol in archive.protocols:
        by_body[protocol.organ.slug].append(protocol)
    wanted = {p.organ.slug for p in archive.protocols if p.path in only}
    for body in archive.settings.bodies:
        if body.slug in wanted:
            yield from _protocol_pages(body, by_body[body.slug], records, archive.redacted, only)


def _notices(full: Lazy) -> tuple[notice.Notice, ...]:
    return notice.notices(full.make())


def _acknowledged(full: Lazy) -> list[notice.Finding]:
    protocol = full.make()
    if not protocol.acknowledged:  # most protocols: no finding can carry an acknowledgement
        return []
    return [f for f in notice.findings(protocol) if f.acknowledgement]


def _data(full: Lazy, base: str) -> bytes:
    return opendata.document(full.make(), base)


def _full(summary: Summary, records: Records | None, redacted: bool) -> Lazy:
    """The protocol's full record, read when its page is rendered."""

    def make() -> Protocol:
        assert records is not None, "a page that shows a full record needs the records"
        return records.full(summary, redacted)

    return Lazy(f"P{summary.digest}{redacted}", make)


def _resolved(value: Any) -> Any:
    return value.make() if isinstance(value, Lazy) else value


def render_page(
    env: jinja2.Environment, page: Page, archive: Archive, drafts: bool, templates: Path
) -> bytes:
    """The page's HTML; a template that fails raises ``RenderError`` with the problem."""

    link = links_from(page.url)
    root = urlparse(archive.settings.base_url).path if page.rooted else ""

    def url(target: str | Addressed | Plan | Body) -> str:
        if not isinstance(target, str):
            target = f"protokoll/{target.slug}/" if isinstance(target, Body) else target.url
        return root + target if page.rooted else link(target)

    context = {key: _resolved(value) for key, value in page.context.items()}

    def refer_here(html: str, protocol: Addressed, number: int) -> str:
        linked = refer(html, protocol, number, context.get("earlier", ()))
        if "{{REF:" not in linked:  # nothing linked: the usual case
            return linked
        return _PLACEHOLDER.sub(lambda m: _local(m.group(1)), linked)

    def _local(target: str) -> str:
        return target if target.startswith("#") else url(target)

    variables = {
        "site": archive.settings,
        "page": page,
        "url": url,
        "refer": refer_here,
        "drafts": drafts,
        **context,
    }
    try:
        html = env.get_template(page.template).render(variables)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            error(
                f"{templates.as_posix()}/{exc.name or page.template}",
                exc.lineno,
                f"mallen kan inte läsas: {exc.message}",
                "template",
            )
        ) from None
    except jinja2.TemplateError as exc:
        raise RenderError(
            error(
                f"{templates.as_posix()}/{page.template}",
                0,
                f"mallen kunde inte fyllas i: {exc}",
                "template",
            )
        ) from None
    return html.encode("utf-8")


class Fingerprints:
    """Keys of everything a page is made from: its templates (with what they extend, include
    and import) and the values in its context (records by their sources' digests, summaries by
    their own keys, lazy values by theirs)."""

    def __init__(
        self, env: jinja2.Environment, sizes: Mapping[str, int] | None, cache: Path | None = None
    ) -> None:
        self.env = env
        self.sizes = sizes
        self._store = cache / "templates" / "references.json" if cache is not None else None
        self._known: dict[str, list[str]] = {}
        self._learned = False
        if self._store is not None:
            try:
                self._known = dict(json.loads(self._store.read_text("utf-8")))
            except (OSError, ValueError, TypeError):
                self._known = {}
        self._templates: dict[str, str] = {}
        self._records: dict[int, tuple[object, str]] = {}  # by id(): records recur on pages

    def template(self, name: str) -> str:
        if name not in self._templates:
            self._templates[name] = ""  # a cycle of includes ends here
            loader = self.env.loader
            assert loader is not None
            try:
                text = loader.get_source(self.env, name)[0]
                referenced = self._referenced(text)
            except jinja2.TemplateError:
                text, referenced = f"missing {name}", []
            parts = [text] + [self.template(r) for r in referenced]
            self._templates[name] = _digest(*parts)
        return self._templates[name]

    def _referenced(self, text: str) -> list[str]:
        """The templates ``text`` extends, includes and imports (known from earlier builds by
        the hash of the text: parsing a template costs more than the rest of its key)."""
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest not in self._known:
            found = jinja2.meta.find_referenced_templates(self.env.parse(text))
            self._known[digest] = sorted(r for r in found if r)
            self._learned = True
        return self._known[digest]

    def remember(self) -> None:
        """Keep what was learnt of the templates' references for the next build."""
        if self._store is None or not self._learned:
            return
        memo.write_bytes(self._store, json.dumps(self._known, sort_keys=True).encode())

    def value(self, value: Any) -> str:
        if isinstance(value, Lazy):
            return value.key
        if isinstance(value, Summary) or (
            dataclasses.is_dataclass(value) and not isinstance(value, type)
        ):
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
        if isinstance(value, Summary):
            return f"S{value.key}{self._sizes(value)}"
        if isinstance(value, Plan):
            return f"L{value.source.digest}{self._sizes(value)}"
        fields = (getattr(value, f.name) for f in dataclasses.fields(value))
        return f"{type(value).__name__}(" + ",".join(self.value(v) for v in fields) + ")"

    def _sizes(self, document: Summary | Plan) -> str:
        """The sizes of the document's PDFs, which its links show."""
        if self.sizes is None:  # made when their link is opened (the preview)
            return ""
        if not self.sizes:  # none made
            return "-"
        if isinstance(document, Plan):
            paths = [document.pdf_url]
        else:
            paths = [document.pdf_url, document.anslagsbevis_pdf_url] + [
                document.extract_pdf_url(n) for n in document.numbers
            ]
        return ",".join(str(self.sizes.get(path, "")) for path in paths)

    def page(self, page: Page, settings: str, drafts: bool, full: bool) -> str:
        return _digest(
            self.template(page.template),
            page.url,
            settings,
            str(drafts),
            str(full),
            self.value(dict(page.context)),
            self.value(page.record),
        )


def outputs(
    archive: Archive,
    records: Records | None,
    templates: Path,
    today: date,
    drafts: bool = False,
    full: bool = False,
    pdf_sizes: Mapping[str, int] | None = None,
    scope: Scope | None = None,
    cache: Path | None = None,
) -> tuple[list[Output], list[Problem]]:
    """Every file of the site with its key and how to make it; given a ``scope``, just the
    files it makes (the rest stays as published).

    ``pdf_sizes`` gives each PDF's size for its link; None means the PDFs are made when they are
    opened (the preview)."""
    env = environment(templates, cache)

    def pdf_size(path: str) -> str:
        if pdf_sizes is None:
            return "skapas när du öppnar den"
        return size_label(pdf_sizes[path]) if path in pdf_sizes else ""

    env.globals["pdf_size"] = pdf_size
    env.globals["full_version"] = full
    keys = Fingerprints(env, pdf_sizes, cache)
    settings = f"{__version__}\0{keys.value(archive.settings)}"  # a new version: every page anew
    found: list[Output] = []
    claimed: dict[str, str] = {}
    problems: list[Problem] = []
    listed: list[str] = []
    base = archive.settings.base_url

    def made(target: str, source: str) -> bool:
        return scope is None or scope.makes(target, source)

    def data_of(summary: Summary | None) -> list[Output]:
        """The protocol's JSON document if this build makes it: right after its pages, from
        the same record."""
        if summary is None:
            return []
        target = opendata.protocol_path(summary)
        if not made(target, summary.path):
            return []
        document = _full(summary, records, archive.redacted)
        return [
            Output(target, _digest("data", document.key, settings), partial(_data, document, base))
        ]

    own = scope.own if scope is not None and not scope.whole_site else None
    shown: Summary | None = None  # the protocol whose pages came last
    for page in pages(archive, today, records, own):
        if page.record is not shown:
            found += data_of(shown)
        shown = page.record
        target = output_file(page.url)
        source = page.source or page.template
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
        if page.listed:
            listed.append(page.url)
        if not made(target, page.source):
            continue
        found.append(
            Output(
                target,
                keys.page(page, settings, drafts, full),
                partial(render_page, env, page, archive, drafts, templates),
                page,
            )
        )
    found += data_of(shown)
    keys.remember()
    if own is not None:
        return found, problems
    summaries = _digest(*(p.key for p in archive.protocols))
    plans = _digest(*(keys.value(p) for p in archive.plans))
    found.append(
        Output(
            f"{opendata.FOLDER}/index.json",
            _digest("index", settings, summaries, plans),
            lambda: opendata.index(archive),
        )
    )
    every = _digest(*(p.key for p in archive.protocols + archive.withdrawn))
    found.append(
        Output(
            feed.PATH,
            _digest("feed", settings, today.isoformat(), every),
            lambda: feed.atom(archive, today),
        )
    )
    fixed: dict[str, bytes] = {}
    problems += _images(archive, fixed)
    assets = templates / ASSETS_DIR
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                fixed[f"{ASSETS_DIR}/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    fixed["sitemap.xml"] = sitemap.sitemap(archive.settings, listed)
    fixed["robots.txt"] = sitemap.robots(archive.settings, drafts)
    for kind in frontmatter.SCHEMAS:
        fixed[f"schema/{kind}.schema.json"] = frontmatter.schema_text(kind).encode("utf-8")
    for target, data in fixed.items():
        found.append(Output(target, hashlib.sha256(data).hexdigest(), partial(bytes, data)))
    return found, problems


def _images(archive: Archive, files: dict[str, bytes]) -> list[Problem]:
    """Copy each image a document shows to where its relative address points from the page."""
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    documents: list[Summary | Plan] = [*archive.protocols, *archive.plans]
    for document in documents:
        for address, file in document.images:
            target = image_target(document.url, address)
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
