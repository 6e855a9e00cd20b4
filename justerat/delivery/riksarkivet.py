"""Riksarkivet's ``additionalPackageInfo.xml`` (Riksarkivets tillämpning av E-ARK CSIP och
SIP, FGS Paketstruktur 2.0), for archives that use it: who made the package, the package's
period, whether it may be disposed of (gallras), restricted or published, and each file's
reference code and record type (handlingstyp). It goes in ``documentation/``, as Riksarkivet's
example package has it, listed in the METS as documentation.

Its schema (``SNAadditionalPackageInfo.xsd``) is Riksarkivet's and is not shipped with
Justerat: the archive that asks for the file validates it. The elements are written in the
order Riksarkivet's example gives them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from lxml import etree  # type: ignore[import-untyped]

from ..domain.model import Protocol
from ..domain.settings import Settings
from .mets import Listed

NAMESPACE = "http://xml.ra.se/e-arkiv/implementation-IP/version10/SNAadditionalPackageInfo"
FILE = "documentation/additionalPackageInfo.xml"
_E = f"{{{NAMESPACE}}}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _E + tag, attrs)
    if text is not None:
        element.text = text
    return element


def _restrictions(parent: etree._Element, off_the_web: str | None) -> None:
    """Protocols are allmänna handlingar kept for ever (bevaras) and public. A § kept off the
    web (often for the personal data it holds) restricts the use of its protocol: said so,
    with the §§ (``off_the_web``)."""
    disposal = _sub(parent, "disposal", disposable="false")
    _sub(disposal, "disposalDesc", "Bevaras. Protokoll gallras inte.")
    _sub(parent, "accessRestrict", restricted="false")
    use = _sub(parent, "useRestrict", restricted="true" if off_the_web else "false")
    if off_the_web:
        _sub(use, "useRestrictDesc", f"Hålls utanför webben: {off_the_web}.")


def document(
    objid: str,
    created: str,
    organisation: str,
    organisationsnummer: str,
    archive_name: str,
    period: tuple[date, date],
    files: Sequence[tuple[str, str, str]],
    off_the_web: str | None = None,
) -> bytes:
    """The file for package ``objid`` (``organisationsnummer``: its ten digits); ``files``:
    (path from the package's root, reference code, record type) of each document in it;
    ``off_the_web``: the §§ its protocols keep off the web, if any."""
    root = etree.Element(_E + "additionalPackageInfo", nsmap={None: NAMESPACE})
    control = _sub(root, "control")
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:justerat:sip:{objid}:additionalPackageInfo")
    _sub(control, "identification", str(ident), type="UUID")
    _sub(control, "status", "NEW")
    _sub(control, "creationDate", created)
    creator = _sub(control, "creator")
    _sub(creator, "creatorName", organisation)
    _sub(creator, "creatorCode", organisationsnummer, type="ORG")
    package = _sub(root, "package", id=objid)
    _sub(package, "archiveName", archive_name)
    _restrictions(package, off_the_web)
    _sub(package, "startDate", period[0].isoformat())
    _sub(package, "endDate", period[1].isoformat())
    # the package holds the §§ kept off the web whole: not to be published as it is
    _sub(package, "audience", publishable="false" if off_the_web else "true")
    listed = _sub(package, "files")
    for path, reference, kind in files:
        entry = _sub(listed, "file", name=path.rsplit("/", 1)[-1], path=path)
        _sub(entry, "archivalReferencecode", reference)
        _sub(entry, "archivalRecordtype", kind)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def for_package(
    settings: Settings,
    organ: str,
    objid: str,
    created: str,
    rep1: Sequence[Listed],
    protocols: Sequence[Protocol],
) -> bytes:
    """The file for one body's package: each rep1 document with the body's reference code and
    its record type, the period of its meetings, and the §§ its protocols keep off the web."""
    reference = settings.delivery.reference_codes.get(organ, "")
    kinds = {"protokoll": "Protokoll", "anslagsbevis": "Anslagsbevis"}
    files = []
    for listed in rep1:
        name = listed.path.rsplit("/", 1)[-1]
        kind = "Handling" if "/handlingar/" in listed.path else kinds.get(name.split("-", 1)[0])
        files.append((listed.path, reference, kind or "Protokoll"))
    body = settings.body(organ)
    hidden = "; ".join(
        f"§ {', '.join(str(n) for n in p.not_for_web)} i protokollet {p.date.isoformat()}"
        for p in protocols
        if p.not_for_web
    )
    return document(
        objid,
        created,
        settings.organisation,
        settings.delivery.number.replace("-", ""),
        f"{settings.organisation}, {body.name if body else organ}",
        (min(p.date for p in protocols), max(p.date for p in protocols)),  # its meetings
        files,
        hidden or None,
    )
