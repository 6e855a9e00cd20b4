"""What of the site a build must make anew: the key of the site in parts, and the scope of
the files that may have changed since the build that gave the last key.

A page shows its own protocol, and of the rest of the site only what ``pages.pages`` puts in
its context. A body's pages (``protokoll/<slug>/`` and ``data/protokoll/<slug>/``) show the
templates, the settings and that body's protocols, never another body's. So the key of the
site is kept in parts: one for what every page may show, and one per body for its protocols'
summaries and PDFs. When only bodies' parts changed (a justering, a new protocol), the pages of
the other bodies stay as they are without a look at their keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..domain.forfattningar import Forfattning
from ..domain.meetings import Announcement, Meeting
from ..domain.model import Archive, Plan
from ..loading.checks import image_target
from ..reading import audit_record
from .opendata import FOLDER as DATA_FOLDER
from .templates import file_digests


def body_folders(slug: str) -> tuple[str, str]:
    """Where a body's files are: its pages (with its protocols' PDFs) and its data."""
    return f"protokoll/{slug}/", f"{DATA_FOLDER}/protokoll/{slug}/"


@dataclass(frozen=True)
class SiteKey:
    """The key of everything one protocol's pages may show of the rest of the site: what
    every page may show (``shared``: every template, the settings, the build's options, the
    plans, meetings and notices, and the PDFs of no body) and, per body, its protocols'
    summaries and PDF sizes."""

    shared: str = ""
    bodies: tuple[tuple[str, str], ...] = ()  # (slug, key), in the settings' order

    def __str__(self) -> str:
        return " ".join([self.shared, *(f"{slug}={key}" for slug, key in self.bodies)])

    @classmethod
    def read(cls, text: str) -> SiteKey:
        """The key as ``str`` wrote it (anything else is a key no build gives)."""
        shared, *rest = text.split(" ")
        pairs = [part.partition("=") for part in rest]
        if not all(equals for _, equals, _ in pairs):
            return cls(text)
        return cls(shared, tuple((slug, key) for slug, _, key in pairs))


def _shared(archive: Archive, templates: Path, settings: tuple[object, ...]) -> hashlib._Hash:
    """The part of the key every page may show: the templates, the settings, the record of
    the last accessibility test, the plans, meetings, notices (with the files they attach) and
    föreskrifter."""
    shared = hashlib.sha256(repr(settings).encode())
    # the record of the last accessibility test, which the statement shows
    shared.update(audit_record.digest(archive.settings.path).encode())
    for path, file_digest in file_digests(templates):
        shared.update(f"{path}\0".encode() + file_digest)
    documents: list[Plan | Meeting | Announcement | Forfattning] = [
        *archive.plans,
        *archive.meetings,
        *archive.announcements,
        *archive.forfattningar,  # the register, and the protocols' and board's links to them
    ]
    for document in documents:
        shared.update(f"{document.path}\0{document.source.digest}".encode())
        for attachment in getattr(document, "attachments", ()):  # copied into the site as-is
            shared.update(f"{attachment.address}\0{attachment.digest}".encode())
    return shared


def site_key(
    archive: Archive, templates: Path, settings: tuple[object, ...], pdf_sizes: Mapping[str, int]
) -> SiteKey:
    """The key of the site that ``archive`` and ``templates`` make under the build's
    ``settings`` and with these PDFs."""
    shared = _shared(archive, templates, settings)
    bodies = {body.slug: hashlib.sha256(body.slug.encode()) for body in archive.settings.bodies}
    protocols = archive.protocols + archive.withdrawn
    called = {(m.organ.slug, m.held_on) for m in archive.meetings}
    people_pages = archive.settings.person_pages
    for protocol in protocols:
        part = bodies.setdefault(protocol.organ.slug, hashlib.sha256())
        part.update(protocol.key.encode())
        if (protocol.organ.slug, protocol.date) in called:  # its meeting's page links its §§
            part.update(repr(protocol.titles).encode())
        if people_pages:  # the person pages show who attended and what they did
            part.update(protocol.people.encode())
    folders = {body_folders(slug)[0]: slug for slug in bodies}

    def owner(path: str) -> hashlib._Hash:
        slug = folders.get("/".join(path.split("/", 2)[:2]) + "/")
        return shared if slug is None else bodies[slug]

    for protocol in protocols:  # an image may be copied into another body's folder
        for image in protocol.images:
            target = image_target(protocol.url, image.address)
            owner(target).update(f"{target}\0{protocol.key}".encode())
    for path, size in sorted(pdf_sizes.items()):
        owner(path).update(f"{path}\0{size}".encode())
    return SiteKey(shared.hexdigest(), tuple((s, d.hexdigest()) for s, d in bodies.items()))


@dataclass(frozen=True)
class Scope:
    """The files a build makes when the site's key changed at most in some bodies' parts:
    every file of the ``bodies`` whose protocols changed, and then the pages of the whole site
    (they list every protocol); the own files of the protocols at ``own`` (edited, showing
    nothing new to other pages); the rest stays as it is."""

    own: Collection[str]
    bodies: frozenset[str] = frozenset()
    kept: tuple[str, ...] = ()  # the folders of the bodies that did not change

    @property
    def remakes_listings(self) -> bool:
        """Whether the pages that list protocols (start, bodies, years, board, feed) and the
        site's own files are made: when some body's protocols changed."""
        return bool(self.bodies)

    def makes(self, target: str, source: str = "") -> bool:
        """Whether the file ``target`` (showing the protocol at ``source``) is made."""
        if source in self.own:
            return True
        return self.remakes_listings and not target.startswith(self.kept)

    def keeps(self, target: str) -> bool:
        """Whether the published file ``target``, unless made, stays."""
        return not self.remakes_listings or target.startswith(self.kept)


def scope(site: SiteKey, last: SiteKey, parsed: Collection[str]) -> Scope | None:
    """What to make of a site with the key ``site``, whose last build had the key ``last`` and
    read the files ``parsed``; None: everything."""
    if site.shared != last.shared:
        return None
    mine, theirs = dict(site.bodies), dict(last.bodies)
    changed = frozenset(s for s in mine.keys() | theirs.keys() if mine.get(s) != theirs.get(s))
    kept = tuple(f for slug in mine if slug not in changed for f in body_folders(slug))
    return Scope(frozenset(parsed), changed, kept)
