"""Justerat's own descriptive metadata of one protocol, for the package's
``metadata/descriptive/``: the body, the meeting, the §§ with their titles and diarienummer
(and whether each is kept off the web), the attendees, the justering, the notices' dates as
the law gives them, and where the original is kept. Its schema is ``SCHEMA`` (XML Schema
1.0), shipped in every package's ``schemas/``."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree  # type: ignore[import-untyped]

from ..domain.model import Person, Protocol
from ..domain.settings import Settings
from ..legal import notice
from ..legal.law import Calendar

NAMESPACE = "urn:justerat:protokoll:1"
SCHEMA = "justerat-protokoll-1.xsd"
_E = f"{{{NAMESPACE}}}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _E + tag, {k: v for k, v in attrs.items() if v})
    if text:
        element.text = text
    return element


def _people(parent: etree._Element, tag: str, people: Iterable[Person]) -> None:
    group = _sub(parent, tag)
    for person in people:
        _sub(
            group,
            "person",
            person.name,
            parti=person.party or "",
            organisation=person.represents or "",
            roll=person.role or "",
            titel=person.title or "",
            ersatter=person.replaces or "",
            anteckning=person.note or "",
        )


def protocol_xml(
    protocol: Protocol,
    settings: Settings,
    calendar: Calendar,
    files: Iterable[tuple[str, str]],
) -> bytes:
    """The description of ``protocol`` (its full record: every § with its text's title,
    those kept off the web marked ``webb="nej"``); ``files``: its files in the package, each
    with its role ("protokoll", "anslagsbevis", "handling", "källa", "öppna-data") and its
    path from the package's root."""
    delivery = settings.delivery
    root = etree.Element(_E + "protokoll", nsmap={None: NAMESPACE}, version="1")
    _sub(root, "organisation", settings.organisation, organisationsnummer=delivery.number)
    _sub(
        root,
        "organ",
        protocol.organ.name,
        id=protocol.organ.slug,
        referenskod=delivery.reference_codes.get(protocol.organ.slug, ""),
    )
    meeting = _sub(
        root,
        "sammantrade",
        datum=protocol.date.isoformat(),
        start=protocol.start,
        slut=protocol.end,
        digitalt="true" if protocol.digital else "false",
    )
    _sub(meeting, "plats", protocol.place)
    attendees = _sub(root, "narvaro")
    _people(attendees, "beslutande", protocol.attendees.voting)
    _people(attendees, "tjanstgorandeErsattare", protocol.attendees.serving_substitutes)
    _people(attendees, "ersattare", protocol.attendees.substitutes)
    _people(attendees, "franvarande", protocol.attendees.absent)
    _people(attendees, "ovriga", protocol.attendees.others)
    if protocol.attendees.note:
        _sub(attendees, "anteckning", protocol.attendees.note)
    _sub(root, "ordforande", protocol.chair)
    _sub(root, "sekreterare", protocol.secretary.name)
    justerare = _sub(root, "justerare")
    for name in protocol.justerare:
        _sub(justerare, "person", name)
    if protocol.justering is not None:
        _sub(
            root,
            "justering",
            datum=protocol.justering.date.isoformat(),
            digital="true" if protocol.justering.digital else "false",
            plats=protocol.justering.place or "",
        )
    for each in notice.notices(protocol, calendar):
        _sub(
            root,
            "anslag",
            paragrafer=" ".join(str(n) for n in each.paragraphs),
            omedelbarJustering="true" if each.immediate else "false",
            justerat=each.justering.isoformat(),
            uppsatt=each.posted.isoformat(),
            nedtas=each.comes_down.isoformat(),
            sistaDagForOverklagande=each.dates.appeal_last_day.isoformat(),
        )
    _sub(root, "forvaringsplats", protocol.kept_at)
    if protocol.withdrawn is not None:  # taken off the web; the archive keeps it
        withdrawn = protocol.withdrawn
        _sub(root, "togsFranWebben", withdrawn.reason, datum=withdrawn.date.isoformat())
    hidden = set(protocol.not_for_web)
    paragraphs = _sub(root, "paragrafer")
    for paragraph in protocol.paragraphs:
        entry = _sub(
            paragraphs,
            "paragraf",
            nummer=str(paragraph.number),
            webb="nej" if paragraph.number in hidden else "ja",
            diarienummer=paragraph.dnr,
        )
        _sub(entry, "rubrik", paragraph.title)
    listed = _sub(root, "filer")
    for role, path in files:
        _sub(listed, "fil", roll=role, href=path)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
