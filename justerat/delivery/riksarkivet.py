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

NAMESPACE = "http://xml.ra.se/e-arkiv/implementation-IP/version10/SNAadditionalPackageInfo"
FILE = "documentation/additionalPackageInfo.xml"
_E = f"{{{NAMESPACE}}}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _E + tag, attrs)
    if text is not None:
        element.text = text
    return element


def _restrictions(parent: etree._Element) -> None:
    """Protocols are allmänna handlingar kept for ever (bevaras), public and publishable:
    a § kept off the web is still so, its restriction is the office's to record."""
    disposal = _sub(parent, "disposal", disposable="false")
    _sub(disposal, "disposalDesc", "Bevaras. Protokoll gallras inte.")
    _sub(parent, "accessRestrict", restricted="false")
    _sub(parent, "useRestrict", restricted="false")


def document(
    objid: str,
    created: str,
    organisation: str,
    organisationsnummer: str,
    archive_name: str,
    period: tuple[date, date],
    files: Sequence[tuple[str, str, str]],
) -> bytes:
    """The file for package ``objid``; ``files``: (path from the package's root, reference
    code, record type) of each document in it."""
    root = etree.Element(_E + "additionalPackageInfo", nsmap={None: NAMESPACE})
    control = _sub(root, "control")
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:justerat:sip:{objid}:additionalPackageInfo")
    _sub(control, "identification", str(ident), type="UUID")
    _sub(control, "status", "NEW")
    _sub(control, "creationDate", created)
    creator = _sub(control, "creator")
    _sub(creator, "creatorName", organisation)
    _sub(creator, "creatorCode", organisationsnummer.replace("-", ""), type="ORG")
    package = _sub(root, "package", id=objid)
    _sub(package, "archiveName", archive_name)
    _restrictions(package)
    _sub(package, "startDate", period[0].isoformat())
    _sub(package, "endDate", period[1].isoformat())
    _sub(package, "audience", publishable="true")
    listed = _sub(package, "files")
    for path, reference, kind in files:
        entry = _sub(listed, "file", name=path.rsplit("/", 1)[-1], path=path)
        _sub(entry, "archivalReferencecode", reference)
        _sub(entry, "archivalRecordtype", kind)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
