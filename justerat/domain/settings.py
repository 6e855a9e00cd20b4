"""The site's settings (site.yaml): the organisation, its bodies and their registers of
members, where the e-sigill's key is, and what a delivery to the e-arkiv names. Read by
``documents.settings_of``; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

SEAL_TIMEOUT = 10.0  # seconds to wait for the seal's timestamp service


@dataclass(frozen=True)
class Member:
    """A member of a body in the register (site.yaml): a ledamot or an ersättare, for a term
    of office (mandatperiod) when it is given."""

    name: str
    party: str | None = None
    represents: str | None = None
    role: str | None = None  # ledamot, ersättare, ordförande, vice ordförande …
    start: date | None = None
    end: date | None = None
    id: str | None = None  # the person's own identity: the same id is the same person

    @property
    def is_substitute(self) -> bool:
        return (self.role or "").casefold().startswith("ersättare")

    def serves_on(self, day: date) -> bool:
        """Whether the term includes ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class BodyKind(StrEnum):
    """What a body is: fullmäktige's meetings are announced on the board (KL 5:13)."""

    FULLMAKTIGE = "fullmaktige"
    STYRELSE = "styrelse"
    NAMND = "namnd"
    UTSKOTT = "utskott"
    OTHER = "annat"


@dataclass(frozen=True)
class Body:
    slug: str
    name: str
    kind: BodyKind = BodyKind.NAMND
    members: tuple[Member, ...] = ()

    def seats(self, day: date) -> int:
        """The number of ledamöter on ``day`` (0: the register does not say)."""
        return sum(1 for m in self.members if not m.is_substitute and m.serves_on(day))

    @property
    def is_fullmaktige(self) -> bool:
        return self.kind is BodyKind.FULLMAKTIGE


@dataclass(frozen=True)
class Picture:
    """A picture site.yaml names (the logo, the favicon): its file and, once checked, its kind
    ("svg", "png" or "ico"), its own size in CSS pixels and the digest of its bytes."""

    path: Path
    kind: str = ""
    width: int = 0
    height: int = 0
    digest: str = ""


@dataclass(frozen=True)
class Identity:
    """How the site shows whose it is (site.yaml): the logo in every page's header, the
    favicon (made from the logo when not given), the accent colour (checked against WCAG 2.1
    AA contrast wherever the stylesheet uses it) and the organisation's main website."""

    logo: Picture | None = None
    favicon: Picture | None = None
    accent: str | None = None  # "#rrggbb", lower case
    website: str | None = None

    @staticmethod
    def of(data: Mapping[str, Any], base: Path) -> Identity:
        logo, favicon, accent = data.get("logo"), data.get("favicon"), data.get("accent")
        return Identity(
            logo=Picture(base / logo) if logo else None,
            favicon=Picture(base / favicon) if favicon else None,
            accent=str(accent).lower() if accent else None,
            website=data.get("website"),
        )


@dataclass(frozen=True)
class Delivery:
    """What a delivery to the e-arkiv names (site.yaml's ``earkiv``): the organisation's
    organisationsnummer, its arkivmyndighet, the archival organisation that takes the
    packages, the leveransöverenskommelse's id, and each body's reference code in the
    archive. Every value may be missing: ``export earkiv`` says which are (``missing``)."""

    organisationsnummer: str | None = None
    arkivmyndighet: str | None = None
    archival_organisation: str | None = None
    archival_organisation_id: str | None = None
    submission_agreement: str | None = None
    reference_codes: Mapping[str, str] = field(default_factory=dict)
    line: int = 0  # of ``earkiv`` in site.yaml (0: it has none)

    @staticmethod
    def of(data: Mapping[str, Any] | None, line: int) -> Delivery:
        data = data or {}
        archival = data.get("archival_organisation") or {}
        codes = data.get("reference_codes") or {}
        return Delivery(
            organisationsnummer=_text(data.get("organisationsnummer")),
            arkivmyndighet=_text(data.get("arkivmyndighet")),
            archival_organisation=_text(archival.get("name")),
            archival_organisation_id=_text(archival.get("id")),
            submission_agreement=_text(data.get("submission_agreement")),
            reference_codes={str(k): str(v) for k, v in codes.items()},
            line=line,
        )

    @property
    def number(self) -> str:
        """The organisationsnummer as NNNNNN-NNNN, however site.yaml writes it."""
        digits = (self.organisationsnummer or "").replace("-", "")
        return f"{digits[:6]}-{digits[6:]}" if digits else ""

    @property
    def org_code(self) -> str:
        """The organisation's identification code, as Riksarkivet writes it: ORG:NNNNNNNNNN."""
        return f"ORG:{self.number.replace('-', '')}"

    def missing(self, organ: str) -> list[str]:
        """The keys under ``earkiv`` a package of ``organ`` needs and site.yaml lacks."""
        wanted = {
            "organisationsnummer": self.organisationsnummer,
            "arkivmyndighet": self.arkivmyndighet,
            "archival_organisation.name": self.archival_organisation,
            "submission_agreement": self.submission_agreement,
            f"reference_codes.{organ}": self.reference_codes.get(organ),
        }
        return [key for key, value in wanted.items() if not value]


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


@dataclass(frozen=True)
class Settings:
    organisation: str
    base_url: str
    kept_at: str
    bodies: tuple[Body, ...]
    organisation_type: str = "kommun"
    appeal_court: str = "förvaltningsrätten"
    appeal_address: str | None = None
    contact_email: str = ""
    contact_phone: str | None = None
    contact_address: str | None = None
    accessibility_assessed: date | None = None
    known_issues: tuple[str, ...] = ()
    path: str = "content/site.yaml"
    digest: str = ""  # of the settings file: records made with these settings depend on it
    seal: SealSettings | None = None  # the e-sigill, when site.yaml asks for one
    person_pages: bool = True  # a page per person (/ledamoter/<slug>/) and links to them
    identity: Identity = Identity()
    delivery: Delivery = Delivery()  # to the e-arkiv (``export earkiv``)

    def body(self, slug: str) -> Body | None:
        return next((b for b in self.bodies if b.slug == slug), None)

    def rank(self, slug: str) -> int:
        """Where the body is in site.yaml's order, which every list of bodies follows (a body
        not in the settings comes last)."""
        return next((i for i, b in enumerate(self.bodies) if b.slug == slug), len(self.bodies))


@dataclass(frozen=True)
class Token:
    """A PKCS#11 token (a smart card, an HSM) that holds the seal's key: the module that
    speaks to it, the token's label, and the labels of the key and its certificate on it."""

    module: Path
    label: str
    key: str
    certificate: str | None = None  # the key's label when not given

    @staticmethod
    def of(data: dict[str, Any], base: Path) -> Token:
        return Token(
            module=base / data["module"],  # an absolute path stays as it is
            label=data["token"],
            key=data["key"],
            certificate=data.get("certificate"),
        )


@dataclass(frozen=True)
class SealSettings:
    """Where the seal's key is (a PKCS#12 file, or a PKCS#11 token), the environment variable
    with its password (the file's, or the token's PIN), the timestamp service and the root."""

    pkcs12: Path | None
    password_env: str
    timestamp_url: str | None = None
    trust_root: Path | None = None
    timeout: float = SEAL_TIMEOUT
    pkcs11: Token | None = None

    @staticmethod
    def of(data: dict[str, Any] | None, base: Path) -> SealSettings | None:
        """The settings under ``seal`` in site.yaml (paths relative to its folder)."""
        if not data:
            return None
        root, file, token = data.get("trust_root"), data.get("pkcs12"), data.get("pkcs11")
        return SealSettings(
            pkcs12=(base / file).resolve() if file else None,
            password_env=data["password_env"],
            timestamp_url=data.get("timestamp_url"),
            trust_root=(base / root).resolve() if root else None,
            timeout=float(data.get("timeout", SEAL_TIMEOUT)),
            pkcs11=Token.of(token, base) if token else None,
        )
