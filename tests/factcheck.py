"""An independent check of the facts an import wrote, for the import tests: no value holds two
people, no name is a phrase, no value holds a word of another field's line.

Written apart from the importer's own sieve (``justerat.importer.plausible``), with rules of
its own, so that the two do not share a blind spot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

# Words that no person's name holds: phrases that stand for a list, labels, titles, §.
_PHRASE_WORDS = frozenset(
    [
        "enligt",
        "förteckning",
        "se",
        "bilaga",
        "bilagor",
        "närvarolista",
        "sid",
        "sidan",
        "och",
        "samt",
        "ordförande",
        "sekreterare",
        "justerare",
        "justerande",
        "ersättare",
        "ledamöter",
        "ledamot",
        "beslutande",
        "närvarande",
        "tjänstgörande",
        "övriga",
        "protokoll",
        "sammanträdesprotokoll",
        "kl",
        "klockan",
        "plats",
        "tid",
        "datum",
        "paragrafer",
        "paragraf",
        "tjänstemän",
        "ej",
        "tjg",
    ]
)
# The labels of the other fields: a place, a title or a note holding one swallowed a line.
_OTHER_LABELS = re.compile(
    r"\b(?:sekreterare|ordförande|justerare|beslutande|ersättare|paragrafer|justerade|"
    r"överklagande|underskrift|anslag|förvaringsplats|sammanträdesdatum|utses)\b",
    re.IGNORECASE,
)
_CAPITAL_PAIR = re.compile(r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?\s+[A-ZÅÄÖÉ][a-zåäöéü]+")
_PARTY_LIST = re.compile(r"\b[A-ZÅÄÖa-zåäö]{1,5}\s*;\s*[A-ZÅÄÖa-zåäö]{1,5}\b")
_PARTICLES = frozenset({"von", "van", "der", "de", "af", "la", "le", "el", "al", "bin", "du"})


def name_problem(name: str) -> str | None:
    tokens = name.split()
    if not tokens:
        return "tomt namn"
    if len(tokens) < 2:
        return "ett ensamt ord: förnamn och efternamn står i ett protokoll"
    if any(ch.isdigit() for ch in name) or "§" in name:
        return "siffror eller § i ett namn"
    if any(t.casefold().strip(".,:;") in _PHRASE_WORDS for t in tokens):
        return "en fras eller etikett, inget namn"
    if len(tokens) > 2 and tokens[0].isupper() and len(tokens[0]) > 1:
        return "ett partis bokstäver före namnet"
    capitals = [t for t in tokens if t[:1].isupper() and len(t.rstrip(".")) > 1]
    if len(capitals) > 3:
        return "fler än ett namn"
    if any(not (t[:1].isupper() or t in _PARTICLES) for t in tokens):
        return "ord som inte hör till ett namn"
    return None


def _text_problem(key: str, value: str) -> str | None:
    """A title, a note, a role, a represents, a place: one thing, for one field."""
    if key in ("title", "role") and value.strip().casefold() in ("sekreterare", "ordförande"):
        return None  # the title is the label's word itself
    if _OTHER_LABELS.search(value) and key not in ("role",):
        return "en annan uppgifts etikett"
    if _PARTY_LIST.search(value):
        return "en lista av partier: flera personer"
    if key in ("title", "note", "role", "replaces", "represents") and len(
        _CAPITAL_PAIR.findall(value)
    ) > (1 if key in ("replaces", "represents") else 0):
        return "ett namn till"
    return None


def problems(meta: Mapping[str, Any]) -> Iterator[str]:
    """Each doubtful value of an imported protocol's front matter, as "where: why"."""
    yield from _people(meta.get("attendees") or {})
    names = [("chair", meta.get("chair"))]
    names += [(f"justerare[{i}]", name) for i, name in enumerate(meta.get("justerare") or [])]
    names.append(("secretary.name", (meta.get("secretary") or {}).get("name")))
    for where, name in names:
        if name is not None and (why := name_problem(str(name))):
            yield f"{where} '{name}': {why}"
    places = {"place": meta.get("place"), "kept_at": meta.get("kept_at")}
    places["justering.place"] = (meta.get("justering") or {}).get("place")
    for key, value in places.items():
        if value is not None:
            yield from (f"{key} '{value}': {why}" for why in _place_problems(str(value)))


def _people(attendees: Mapping[str, Any]) -> Iterator[str]:
    for group, people in attendees.items():
        if not isinstance(people, list):
            continue
        names = [p.get("name", "") for p in people]
        if len(set(names)) != len(names):
            yield f"attendees.{group}: samma person två gånger"
        for index, person in enumerate(people):
            where = f"attendees.{group}[{index}]"
            why = name_problem(str(person.get("name", "")))
            if why:
                yield f"{where}.name '{person.get('name')}': {why}"
            for key in ("title", "note", "role", "represents", "replaces"):
                why = _text_problem(key, str(person[key])) if key in person else None
                if why:
                    yield f"{where}.{key} '{person[key]}': {why}"


def _place_problems(value: str) -> Iterator[str]:
    if why := _text_problem("place", value):
        yield why
    if re.search(r"\d{4}-\d\d-\d\d", value):
        yield "ett datum"
    if re.search(rf"{_CAPITAL_PAIR.pattern}\s+(?:och|samt)\s+[A-ZÅÄÖ]", value):
        yield "personer"
