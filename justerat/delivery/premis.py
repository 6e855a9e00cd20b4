"""The package's preservation metadata (``metadata/preservation/premis.xml``, PREMIS 3.0):
an object for each file of the representations, with its SHA-256, size and format; the events
that give the files their meaning (each protocol's justering, its notices on the
anslagstavla, the seal on each PDF and its verification, each file's format identification);
and the agents of those events (the body, the justerare, the seal's holder, the tools)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]

from .mets import Listed

PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "premis-v3-0.xsd"
_P = f"{{{PREMIS}}}"
LOCAL = "local"  # the identifier type of every object, event and agent: its path or name


@dataclass(frozen=True)
class Agent:
    """Who or what took part in an event: a person, an organisation or a piece of software."""

    ident: str
    name: str
    type: str  # "person", "organization", "software" (PREMIS's agentType vocabulary)
    version: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    """Something that happened to the files: its type (the PREMIS event type vocabulary's
    where one fits: "digital signature generation", "format identification"), when, what,
    its outcome, and the agents and files it concerns."""

    ident: str
    type: str
    when: str  # ISO 8601: a date, or a date and time
    detail: str
    outcome: str
    outcome_detail: str = ""
    agents: Sequence[tuple[str, str]] = ()  # (agent's ident, its role)
    objects: Sequence[str] = ()  # the files' paths


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _P + tag)
    if text is not None:
        element.text = text
    return element


def _identifier(parent: etree._Element, tag: str, value: str) -> etree._Element:
    """An identifier or a link to one (``objectIdentifier``, ``linkingAgentIdentifier`` …):
    its ``…Type`` (local) and ``…Value``."""
    element = _sub(parent, tag)
    _sub(element, f"{tag}Type", LOCAL)
    _sub(element, f"{tag}Value", value)
    return element


def _object(root: etree._Element, listed: Listed, events: Sequence[str]) -> None:
    element = _sub(root, "object")
    element.set(f"{{{XSI}}}type", "premis:file")
    _identifier(element, "objectIdentifier", listed.path)
    characteristics = _sub(element, "objectCharacteristics")
    _sub(characteristics, "compositionLevel", "0")
    fixity = _sub(characteristics, "fixity")
    _sub(fixity, "messageDigestAlgorithm", "SHA-256")
    _sub(fixity, "messageDigest", listed.sha256)
    _sub(characteristics, "size", str(listed.size))
    form = _sub(characteristics, "format")
    designation = _sub(form, "formatDesignation")
    _sub(designation, "formatName", listed.format.name or listed.format.mime)
    if listed.format.version:
        _sub(designation, "formatVersion", listed.format.version)
    if listed.format.puid:
        registry = _sub(form, "formatRegistry")
        _sub(registry, "formatRegistryName", "PRONOM")
        _sub(registry, "formatRegistryKey", listed.format.puid)
        _sub(registry, "formatRegistryRole", "specification")
    _sub(element, "originalName", listed.path.rsplit("/", 1)[-1])
    for event in events:
        _identifier(element, "linkingEventIdentifier", event)


def _event(root: etree._Element, event: Event) -> None:
    element = _sub(root, "event")
    _identifier(element, "eventIdentifier", event.ident)
    _sub(element, "eventType", event.type)
    _sub(element, "eventDateTime", event.when)
    _sub(_sub(element, "eventDetailInformation"), "eventDetail", event.detail)
    outcome = _sub(element, "eventOutcomeInformation")
    _sub(outcome, "eventOutcome", event.outcome)
    if event.outcome_detail:
        detail = _sub(outcome, "eventOutcomeDetail")
        _sub(detail, "eventOutcomeDetailNote", event.outcome_detail)
    for agent, role in event.agents:
        link = _identifier(element, "linkingAgentIdentifier", agent)
        _sub(link, "linkingAgentRole", role)
    for path in event.objects:
        _identifier(element, "linkingObjectIdentifier", path)


def _agent(root: etree._Element, agent: Agent) -> None:
    element = _sub(root, "agent")
    _identifier(element, "agentIdentifier", agent.ident)
    _sub(element, "agentName", agent.name)
    _sub(element, "agentType", agent.type)
    if agent.version:
        _sub(element, "agentVersion", agent.version)
    if agent.note:
        _sub(element, "agentNote", agent.note)


def document(objects: Sequence[Listed], events: Sequence[Event], agents: Sequence[Agent]) -> bytes:
    """``premis.xml``: the objects (each linked to the events that concern it), the events
    and the agents, in the order given."""
    root = etree.Element(_P + "premis", nsmap={"premis": PREMIS, "xsi": XSI})
    root.set("version", "3.0")
    root.set(f"{{{XSI}}}schemaLocation", f"{PREMIS} ../../schemas/{SCHEMA}")
    concerning: dict[str, list[str]] = {}
    for event in events:
        for path in event.objects:
            concerning.setdefault(path, []).append(event.ident)
    for listed in objects:
        _object(root, listed, concerning.get(listed.path, ()))
    for event in events:
        _event(root, event)
    for agent in agents:
        _agent(root, agent)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
