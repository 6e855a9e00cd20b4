"""Every file of the site, listed with the key of what it is made from and how to make it.

Nothing is made here: a build compares each key with what the published file was made from
and makes only what changed (``pipeline``). The pages come from ``pages`` and are rendered by
``render``; beside them are each protocol's open-data document, the data index, the meetings'
and the people's data documents, the calendar feeds, the feed, the sitemap, the assets, the
schemas (of the front matter and of the open data) and the images the documents show.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..core.swedish import size_label
from ..domain.forfattningar import Forfattning
from ..domain.meetings import Announcement, Meeting
from ..domain.model import Archive, Plan, Summary
from ..domain.settings import Identity
from ..legal import people
from ..legal.law import Calendar
from ..loading.checks import image_target
from ..reading import frontmatter
from . import brand, collection, feed, ical, opendata, sitemap
from .pages import Lazy, Page, Site, board_key, full_record, pages
from .render import output_file, render_page
from .scope import Scope
from .templates import ASSETS_DIR, TemplateKeys, digest

FINGERPRINT = 12  # hex digits of an asset's digest in its name


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, the key of what it is made from, how to make it."""

    target: str
    key: str
    make: Callable[[], bytes] = field(compare=False)
    page: Page | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rendering:
    """How pages are rendered: the templates (their environment and keys), whether drafts and
    the office's full version are shown, and each PDF's size for its link (None: the PDFs are
    made when their link is opened, in the preview)."""

    templates: Path
    env: jinja2.Environment
    keys: TemplateKeys
    drafts: bool = False
    full: bool = False
    pdf_sizes: Mapping[str, int] | None = None


class PageKeys:
    """Keys of everything a page is made from: its templates (``TemplateKeys``) and the values
    in its context (records by their sources' digests, summaries by their own keys, lazy
    values by theirs, PDFs by their sizes)."""

    def __init__(self, rendering: Rendering, settings: Any, assets: str = "") -> None:
        self.rendering = rendering
        self._records: dict[int, tuple[object, str]] = {}  # by id(): records recur on pages
        # a new version of Justerat, new settings or new assets (their names): every page anew
        self.settings = f"{__version__}\0{self.value(settings)}\0{assets}"

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
        if isinstance(value, Forfattning):  # its file's bytes
            return f"F{value.source.digest}"
        if isinstance(value, Meeting | Announcement):  # a file's bytes and its attachments'
            sizes = ",".join(str(a.size) for a in value.attachments)
            return f"{type(value).__name__}{value.source.digest}{sizes}{self._bevis(value)}"
        fields = (getattr(value, f.name) for f in dataclasses.fields(value))
        return f"{type(value).__name__}(" + ",".join(self.value(v) for v in fields) + ")"

    def _bevis(self, document: Meeting | Announcement) -> str:
        """The size of a notice's anslagsbevis PDF, which its pages link."""
        sizes = self.rendering.pdf_sizes
        if not sizes or not isinstance(document, Announcement):
            return ""
        return str(sizes.get(document.anslagsbevis_pdf_url, ""))

    def _sizes(self, document: Summary | Plan) -> str:
        """The sizes of the document's PDFs, which its links show."""
        sizes = self.rendering.pdf_sizes
        if sizes is None:  # made when their link is opened (the preview)
            return ""
        if not sizes:  # none made
            return "-"
        if isinstance(document, Plan):
            paths = [document.pdf_url]
        else:
            paths = [document.pdf_url, document.anslagsbevis_pdf_url] + [
                document.extract_pdf_url(n) for n in document.numbers
            ]
        return ",".join(str(sizes.get(path, "")) for path in paths)

    def page(self, page: Page) -> str:
        rendering = self.rendering
        return digest(
            rendering.keys.key(page.template),
            page.url,
            self.settings,
            str(rendering.drafts),
            str(rendering.full),
            self.value(dict(page.context)),
            self.value(page.record),
        )


def site_files(site: Site, rendering: Rendering, scope: Scope | None = None) -> list[Output]:
    """Every file of the site with its key and how to make it; given a ``scope``, just the
    files it makes (the rest stays as published)."""
    _template_globals(rendering)
    identity = site.archive.settings.identity
    assets = _asset_files(rendering, identity)
    names = {name: fingerprinted(name, data) for name, data in assets.items()}
    rendering.env.globals["brand"] = brand.brand(identity)
    rendering.env.globals["asset"] = lambda name: names.get(name, name)
    # the menu has the författningssamling when there is one
    regulations = bool(site.archive.forfattningar)
    rendering.env.globals["forfattningssamling"] = regulations
    every_page = digest(*sorted(names.values()), str(regulations))
    keys = PageKeys(rendering, site.archive.settings, every_page)
    own = scope.own if scope is not None and not scope.remakes_listings else None
    found, listed = _page_files(site, rendering, keys, scope, own)
    if own is not None:
        return found
    archive = site.archive
    summaries = digest(*(p.key for p in archive.protocols))
    plans = digest(*(keys.value(p) for p in archive.plans))
    every = board_key(archive, site.today)
    found += [
        Output(
            f"{opendata.FOLDER}/index.json",
            digest(
                "index",
                keys.settings,
                summaries,
                plans,
                opendata.MEETINGS_PATH,
                opendata.PEOPLE_PATH,
            ),
            partial(opendata.index, archive),
        ),
        Output(
            feed.PATH,
            digest("feed", keys.settings, every),
            partial(feed.atom, archive, site.today, site.calendar),
        ),
        Output(
            opendata.MEETINGS_PATH,
            digest("meetings", keys.settings, *opendata.meetings_key(archive)),
            partial(opendata.meetings, archive),
        ),
        Output(  # made from the registers in the settings alone
            opendata.PEOPLE_PATH,
            digest("people", keys.settings),
            partial(opendata.people_document, archive.settings),
        ),
    ]
    if archive.forfattningar:
        register = digest(
            "register",
            keys.settings,
            site.today.isoformat(),
            summaries,
            *(f.source.digest for f in archive.forfattningar),
        )
        found += [
            Output(
                collection.DATA_PATH,
                digest("data", register),
                partial(collection.data, archive, site.today),
            ),
            Output(
                collection.FEED_PATH,
                digest("feed", register),
                partial(collection.atom, archive, site.today),
            ),
        ]
    found += _calendars(archive, keys)
    fixed = _fixed_files(archive, rendering, listed)
    fixed.update(assets)  # under their own names too, for templates that name them so
    fixed.update({names[name]: data for name, data in assets.items()})
    fixed.update(brand.files(identity, within=False))
    found += [Output(t, hashlib.sha256(d).hexdigest(), partial(bytes, d)) for t, d in fixed.items()]
    return found


def _calendars(archive: Archive, keys: PageKeys) -> list[Output]:
    """The iCalendar feeds of the meetings: all bodies', and each body's with meetings."""
    settings, meetings = archive.settings, archive.meetings
    return [
        Output(
            ical.path(body),
            digest("ical", keys.settings, *ical.key_of(meetings, body, archive.protocols)),
            partial(ical.calendar, settings, meetings, body, archive.protocols),
        )
        for body in ical.feeds(settings, meetings)
    ]


def _asset_files(rendering: Rendering, identity: Identity) -> dict[str, bytes]:
    """The files under /assets/: the identity's (the logo, accent.css) and those of
    ``templates/assets/``, which win."""
    found = brand.files(identity, within=True)
    assets = rendering.templates / ASSETS_DIR
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                found[f"{ASSETS_DIR}/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    return found


def fingerprinted(name: str, data: bytes) -> str:
    """An asset's name with the digest of its bytes before its suffix (``assets/style.css`` →
    ``assets/style.0a1b2c3d4e5f.css``): cached for a year, since new bytes get a new name."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return f"{name}.{hashlib.sha256(data).hexdigest()[:FINGERPRINT]}"
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:FINGERPRINT]}.{suffix}"


def _template_globals(rendering: Rendering) -> None:
    sizes = rendering.pdf_sizes

    def pdf_size(path: str) -> str:
        if sizes is None:
            return "skapas när du öppnar den"
        return size_label(sizes[path]) if path in sizes else ""

    rendering.env.globals["pdf_size"] = pdf_size
    rendering.env.globals["full_version"] = rendering.full


def _page_files(
    site: Site,
    rendering: Rendering,
    keys: PageKeys,
    scope: Scope | None,
    own: frozenset[str] | Any,
) -> tuple[list[Output], list[str]]:
    """The pages (each protocol's data document right after its pages, made from the same
    record) and the addresses of those the sitemap lists."""
    found: list[Output] = []
    listed: list[str] = []
    shown: Summary | None = None  # the protocol whose pages came last
    register = people.Register(site.archive.settings.bodies)  # who the protocols' names are
    for page in pages(site, own):
        if page.record is not shown:
            found += _data_file(site, keys, scope, shown, register)
        shown = page.record
        target = output_file(page.url)
        if page.listed:
            listed.append(page.url)
        if scope is not None and not scope.makes(target, page.source):
            continue
        make = partial(
            render_page, rendering.env, page, site.archive, rendering.drafts, rendering.templates
        )
        found.append(Output(target, keys.page(page), make, page))
    found += _data_file(site, keys, scope, shown, register)
    return found, listed


def _data_file(
    site: Site,
    keys: PageKeys,
    scope: Scope | None,
    summary: Summary | None,
    register: people.Register,
) -> list[Output]:
    """The protocol's JSON document, if this build makes it."""
    if summary is None:
        return []
    target = opendata.protocol_path(summary)
    if scope is not None and not scope.makes(target, summary.path):
        return []
    document = full_record(summary, site.records, site.archive.redacted)
    base = site.archive.settings.base_url
    make = partial(_data, document, base, site.calendar, register)
    return [Output(target, digest("data", document.key, keys.settings), make)]


def _data(full: Lazy, base: str, calendar: Calendar, register: people.Register) -> bytes:
    return opendata.document(full.make(), base, calendar, register)


def _fixed_files(archive: Archive, rendering: Rendering, listed: list[str]) -> dict[str, bytes]:
    """The files that are copied or written as they are: the images the documents show, the
    handlingar and attachments of meetings and notices, the logo and favicons, the assets, the
    sitemap, robots.txt and the schemas of the front matter and of the open-data documents."""
    fixed: dict[str, bytes] = {}
    documents: list[Summary | Plan] = [*archive.protocols, *archive.plans]
    for document in documents:
        for image in document.images:  # the checks made sure each is inside and one of a kind
            fixed[image_target(document.url, image.address)] = Path(image.file).read_bytes()
    shown: list[Meeting | Announcement] = [*archive.meetings, *archive.announcements]
    for each in shown:
        for attachment in each.attachments:  # checked: inside the content, one per address
            fixed[attachment.address] = Path(attachment.file).read_bytes()
    fixed["sitemap.xml"] = sitemap.sitemap(archive.settings, listed)
    fixed["robots.txt"] = sitemap.robots(archive.settings, rendering.drafts)
    for kind in frontmatter.SCHEMAS:
        fixed[f"schema/{kind}.schema.json"] = frontmatter.schema_text(kind).encode("utf-8")
    for kind in opendata.OPEN_DATA_SCHEMAS:
        fixed[f"schema/opendata-{kind}.schema.json"] = opendata.schema_text(kind).encode("utf-8")
    return fixed
