"""The METS documents of an E-ARK SIP (CSIP and SIP 2.1.0 or 2.2.0): the root ``METS.xml``
that describes the package and points at each representation's own ``METS.xml``, which lists
its data files.

Every file is listed with its SHA-256, size and MIME type, and, where its format is
identified, its PRONOM id (``sip:FORMATREGISTRY="PRONOM"``, ``sip:FORMATREGISTRYKEY``) with
the format's name and version. Identifiers inside a document are made from the paths they
name, so the same package gives the same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]

from .formats import Format

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
NSMAP = {None: METS, "xlink": XLINK, "xsi": XSI, "csip": CSIP, "sip": SIP}

PROFILES = {
    "2.2.0": "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml",
    "2.1.0": "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-1-0.xml",  # as commons-ip checks it
}
SCHEMA_FILES = (
    "mets1_12.xsd",
    "xlink.xsd",
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
)


@dataclass(frozen=True)
class Listed:
    """A file of the package as the METS lists it: its path from the package's root, size,
    SHA-256 and format."""

    path: str
    size: int
    sha256: str
    format: Format


@dataclass(frozen=True)
class Agent:
    """An agent of the METS header: its role and type, name, and its identification code."""

    role: str
    type: str
    name: str
    code: str | None = None
    other_role: str | None = None
    other_type: str | None = None
    version: str | None = None  # a software's


@dataclass(frozen=True)
class Header:
    """What the root METS says of the package: its id and label, the profile's version, its
    creation moment, its agents and its alternative ids (the submission agreement, the
    reference code)."""

    objid: str
    label: str
    version: str
    created: str  # xs:dateTime
    agents: Sequence[Agent] = ()
    alternatives: Sequence[tuple[str, str]] = ()  # (TYPE, value)
    descriptive: Sequence[Listed] = ()
    preservation: Sequence[Listed] = ()
    documentation: Sequence[Listed] = ()
    schemas: Sequence[Listed] = ()
    representations: Sequence[tuple[str, Listed]] = field(default_factory=tuple)  # (id, METS)


def ident(kind: str, value: str) -> str:
    """A document's identifier for ``value`` (an xs:ID): stable, unique within it."""
    return f"{kind}-{hashlib.sha256(value.encode()).hexdigest()[:16]}"


def _schema_location(prefix: str) -> str:
    """Each namespace with its schema in the package's ``schemas/`` (``SCHEMA_FILES``)."""
    pairs = zip((METS, XLINK, CSIP, SIP), SCHEMA_FILES, strict=True)
    return " ".join(f"{ns} {prefix}schemas/{file}" for ns, file in pairs)


def _root(objid: str, label: str, version: str, type_: str, prefix: str) -> etree._Element:
    root = etree.Element(f"{{{METS}}}mets", nsmap=NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", type_)
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "MIXED")
    root.set("PROFILE", PROFILES[version])
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(prefix))
    return root


def _sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{METS}}}{tag}")
    for key, value in attrs.items():
        if value is not None:
            element.set(key, value)
    return element


def _header(root: etree._Element, created: str, agents: Iterable[Agent]) -> etree._Element:
    header = _sub(root, "metsHdr", CREATEDATE=created, RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    for agent in agents:
        element = _sub(
            header,
            "agent",
            ROLE=agent.role,
            OTHERROLE=agent.other_role,
            TYPE=agent.type,
            OTHERTYPE=agent.other_type,
        )
        etree.SubElement(element, f"{{{METS}}}name").text = agent.name
        for note, kind in ((agent.version, "SOFTWARE VERSION"), (agent.code, "IDENTIFICATIONCODE")):
            if note:
                written = etree.SubElement(element, f"{{{METS}}}note")
                written.text = note
                written.set(f"{{{CSIP}}}NOTETYPE", kind)
    return header


def _file_attrs(listed: Listed, at: str) -> dict[str, str | None]:
    known = listed.format.puid is not None
    return {
        "ID": ident("file", listed.path),
        "MIMETYPE": listed.format.mime,
        "SIZE": str(listed.size),
        "CREATED": at,
        "CHECKSUM": listed.sha256.upper(),
        "CHECKSUMTYPE": "SHA-256",
    } | (
        {
            f"{{{SIP}}}FILEFORMATNAME": listed.format.name,
            f"{{{SIP}}}FILEFORMATVERSION": listed.format.version,
            f"{{{SIP}}}FORMATREGISTRY": "PRONOM",
            f"{{{SIP}}}FORMATREGISTRYKEY": listed.format.puid,
        }
        if known
        else {}
    )


def _file(group: etree._Element, listed: Listed, href: str, at: str) -> None:
    element = _sub(group, "file", **_file_attrs(listed, at))
    _locate(_sub(element, "FLocat", LOCTYPE="URL"), href)


def _locate(element: etree._Element, href: str) -> None:
    element.set(f"{{{XLINK}}}type", "simple")
    element.set(f"{{{XLINK}}}href", href)


def _md_ref(parent: etree._Element, listed: Listed, mdtype: str, at: str) -> etree._Element:
    ref = _sub(
        parent,
        "mdRef",
        ID=ident("md", listed.path),
        LOCTYPE="URL",
        MDTYPE=mdtype,
        MIMETYPE=listed.format.mime,
        SIZE=str(listed.size),
        CREATED=at,
        CHECKSUM=listed.sha256.upper(),
        CHECKSUMTYPE="SHA-256",
    )
    if mdtype == "OTHER":
        ref.set("OTHERMDTYPE", "JUSTERAT-PROTOKOLL")
    _locate(ref, listed.path)
    return ref


def _dump(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _metadata(root: etree._Element, header: Header) -> tuple[list[str], list[str]]:
    """The descriptive (dmdSec) and preservation (amdSec) metadata, by reference: their
    sections' ids."""
    at = header.created
    dmd_ids = []
    for listed in header.descriptive:
        dmd = _sub(root, "dmdSec", ID=ident("dmd", listed.path), CREATED=at, STATUS="CURRENT")
        _md_ref(dmd, listed, "OTHER", at)
        dmd_ids.append(str(dmd.get("ID")))
    amd = _sub(root, "amdSec", ID=ident("amdSec", "METS.xml"))
    amd_ids = []
    for listed in header.preservation:
        digiprov = _sub(amd, "digiprovMD", ID=ident("digiprov", listed.path), STATUS="CURRENT")
        _md_ref(digiprov, listed, "PREMIS", at)
        amd_ids.append(str(digiprov.get("ID")))
    return dmd_ids, amd_ids


def _file_groups(root: etree._Element, header: Header) -> dict[str, str]:
    """The documentation, the schemas and each representation's METS: the groups' ids by
    their use."""
    files = _sub(root, "fileSec", ID=ident("fileSec", "METS.xml"))
    groups = [
        ("Documentation", list(header.documentation)),
        ("Schemas", list(header.schemas)),
        *((f"Representations/{rep}", [mets]) for rep, mets in header.representations),
    ]
    group_ids = {}
    for use, listed_files in groups:
        if listed_files:
            group = _sub(files, "fileGrp", ID=ident("grp", use), USE=use)
            group_ids[use] = str(group.get("ID"))
            for listed in listed_files:
                _file(group, listed, listed.path, header.created)
    return group_ids


def root_mets(header: Header) -> bytes:
    """The package's root ``METS.xml``."""
    root = _root(header.objid, header.label, header.version, "Mixed", "")
    head = _header(root, header.created, header.agents)
    for kind, value in header.alternatives:
        alt = etree.SubElement(head, f"{{{METS}}}altRecordID", TYPE=kind)
        alt.text = value
    dmd_ids, amd_ids = _metadata(root, header)
    group_ids = _file_groups(root, header)
    structure = _sub(
        root, "structMap", ID=ident("structMap", "METS.xml"), TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = _sub(structure, "div", ID=ident("div", "METS.xml"), LABEL=header.objid)
    _sub(
        top,
        "div",
        ID=ident("div", "Metadata"),
        LABEL="Metadata",
        DMDID=" ".join(dmd_ids) or None,
        ADMID=" ".join(amd_ids) or None,
    )
    for use in ("Documentation", "Schemas"):
        if use in group_ids:
            div = _sub(top, "div", ID=ident("div", use), LABEL=use)
            _sub(div, "fptr", FILEID=group_ids[use])
    for rep, mets in header.representations:
        use = f"Representations/{rep}"
        div = _sub(top, "div", ID=ident("div", use), LABEL=use)
        pointer = _sub(div, "mptr", LOCTYPE="URL")
        _locate(pointer, mets.path)
        pointer.set(f"{{{XLINK}}}title", group_ids[use])
    return _dump(root)


def representation_mets(
    objid: str, rep: str, label: str, version: str, created: str, data: Sequence[Listed]
) -> bytes:
    """The ``METS.xml`` of representation ``rep``: its data files (paths from the package's
    root; the METS names them from its own folder)."""
    prefix = f"representations/{rep}/"
    root = _root(rep, label, version, "Mixed", "../../")  # CSIP1: its folder's name
    _header(root, created, ())
    files = _sub(root, "fileSec", ID=ident("fileSec", prefix))
    group = _sub(files, "fileGrp", ID=ident("grp", f"{prefix}Data"), USE="Data")
    for listed in data:
        assert listed.path.startswith(prefix), listed.path
        _file(group, listed, listed.path.removeprefix(prefix), created)
    structure = _sub(
        root, "structMap", ID=ident("structMap", prefix), TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = _sub(structure, "div", ID=ident("div", prefix), TYPE="ORIGINAL", LABEL=rep)
    div = _sub(top, "div", ID=ident("div", f"{prefix}Data"), LABEL="Data")
    _sub(div, "fptr", FILEID=str(group.get("ID")))
    return _dump(root)
