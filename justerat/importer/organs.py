"""Which body a protocol is of: recognised from where a protocol names it (its title lines,
the ANSLAGSBEVIS's "Organ"), or from its file name, and matched with the bodies of
``site.yaml``.

Kommunfullmäktige, kommunstyrelsen, nämnder, utskott, direktion, förbundsstyrelse, styrelse:
each name is read as written and becomes a body slug ("Barn- och utbildningsnämnden" →
``barn-och-utbildningsnamnden``) unless ``site.yaml`` already has the body under another
slug (matched by its name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..core.problems import Problem, warning

# A body's name: the word it ends in says what kind of body it is ("Kommunstyrelsen",
# "Miljö- och byggnämnden", "Kommunstyrelsens arbetsutskott", "Förbundsdirektionen").
_LETTERS = r"[A-Za-zÅÄÖåäöÉé]"
_KIND = (
    r"(?:fullmäktige|styrelsen|styrelse|nämnden|nämnd|utskottet|utskott|direktionen|direktion"
    r"|beredningen)"
)
_BODY = re.compile(
    rf"(?<!{_LETTERS})(?:(?P<owner>{_LETTERS}+(?:styrelsens|nämndens))\s+(?P<sub>{_LETTERS}*utskott(?:et)?)"
    rf"|(?P<first>{_LETTERS}+-\s*(?:och|eller)\s+)?(?P<word>{_LETTERS}*{_KIND}))(?!{_LETTERS})",
    re.IGNORECASE,
)
_KINDS = (
    "fullmäktige",
    "styrelse",
    "nämnd",
    "utskott",
    "direktion",
    "beredning",
)
_SLUGGED_KINDS = tuple(
    kind.replace("ä", "a") + end for kind in _KINDS for end in ("", "n", "en", "et")
)
_SLUGGED_BODY = re.compile(r"(?:[a-zåäö]+- och )?[a-zåäö]*(?:" + "|".join(_SLUGGED_KINDS) + r")\b")
_BARE = {f"{kind}{end}" for kind in _KINDS for end in ("", "n", "en", "et")}
# File names: "ks_2024-03-05", "KF 2022-11-28", "protokoll-barn-och-utbildningsnamnden"
_FILE_ABBREVIATIONS = {
    "kf": "Kommunfullmäktige",
    "ks": "Kommunstyrelsen",
    "ksau": "Kommunstyrelsens arbetsutskott",
    "rf": "Regionfullmäktige",
    "rs": "Regionstyrelsen",
}


@dataclass(frozen=True)
class Organ:
    """A body as the text names it, and the slug it is imported under."""

    name: str
    slug: str
    known: bool  # whether site.yaml has the body


def slug(name: str) -> str:
    """The body's slug: its name in lower case, å, ä and ö as a, a and o, words by hyphens."""
    table = str.maketrans("åäöéü", "aaoeu")
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().translate(table)).strip("-")


_DEFINITE = {"styrelse": "n", "nämnd": "en", "direktion": "en", "utskott": "et", "beredning": "en"}


def _definite(name: str) -> str:
    """A body's name as site.yaml and the protocols write it, in the definite form:
    "Kommunstyrelse" → "Kommunstyrelsen", "Barn- och skolnämnd" → "Barn- och skolnämnden"."""
    for kind, ending in _DEFINITE.items():
        if name.casefold().endswith(kind):
            return name + (ending.upper() if name.isupper() else ending)
    return name


def body_name(text: str) -> str | None:
    """The first body a line names ("Kommunstyrelsen", "Miljö- och byggnämnden"), with its
    first letter in upper case. A bare kind ("Styrelsen", "Nämnd") is a body only when the
    line names no other and it stands first ("Ledamöter i nämnden" names none)."""
    bare: str | None = None
    for found in _BODY.finditer(text):
        name = _definite(" ".join(found.group(0).split()))
        name = name.capitalize() if name.isupper() else name[0].upper() + name[1:]
        if (found.group("word") or "").casefold() not in _BARE:
            return name
        if found.start() == 0 and bare is None:
            bare = name
    return bare


def from_file_name(stem: str) -> str | None:
    """A body named by a file's name ("ks_2024-03-05", "kommunfullmaktige-2022-11-28")."""
    text = re.sub(r"([a-zåäö]+)[-_ ]och[-_ ]", r"\1- och ", stem.casefold())  # barn-och-…
    words = [w for w in re.split(r"[^a-zåäö-]+|(?<!-)-(?! och)", text) if w]
    joined = " ".join(words)
    if re.search(r"\bks\W*au\b", stem.casefold()):
        return "Kommunstyrelsens arbetsutskott"
    for word in words:
        if word in _FILE_ABBREVIATIONS:
            return _FILE_ABBREVIATIONS[word]
    found = _SLUGGED_BODY.search(joined)  # a name written without å, ä and ö
    if found:
        return found.group(0)[0].upper() + found.group(0)[1:]
    return body_name(joined)


def match(name: str, bodies: Mapping[str, str]) -> Organ:
    """The body ``name`` as an ``Organ``: under the slug ``site.yaml``'s ``bodies`` (slug →
    name) have it, matched by name or slug; else under the name's own slug."""
    wanted = slug(name)
    for known_slug, known_name in bodies.items():
        if wanted in (known_slug, slug(known_name)):
            return Organ(known_name, known_slug, True)
    for known_slug, known_name in bodies.items():  # "Styrelse" is "Styrelsen", and back
        if _bare(wanted) in (_bare(known_slug), _bare(slug(known_name))):
            return Organ(known_name, known_slug, True)
    return Organ(name, wanted, False)


def _bare(body: str) -> str:
    """A body's slug without its definite ending ("styrelsen", "namnden", "utskottet")."""
    return re.sub(r"(?<=[a-z]{4})(?:en|et|e)$", "", body)


def recognise(candidates: Iterable[str], bodies: Mapping[str, str]) -> Organ | None:
    """The body the first of the ``candidates`` (lines) that names one names."""
    for text in candidates:
        name = body_name(text)
        if name is not None:
            return match(name, bodies)
    return None


_PREPOSITION = re.compile(
    r"\b(?:av|till|i|hos|med|från|för|om|vid|inför|åt|mot)\s*$", re.IGNORECASE
)
HEAD_WORDS = 6  # a body named in a heading stands among its first words


def named_in_head(text: str) -> str | None:
    """The body a document's head line names as its own: among the line's first words, not
    after a preposition ("behandlats av Kommunfullmäktige" is another body's act)."""
    for found in _BODY.finditer(text):
        before = text[: found.start()]
        if len(before.split()) > HEAD_WORDS or _PREPOSITION.search(before):
            continue
        return body_name(text[found.start() :])
    return None


def unknown(path: str, found: Organ) -> Problem:
    """The warning for a body site.yaml lacks, with the lines to add under ``bodies:``."""
    return warning(
        path,
        0,
        f"organet '{found.name}' finns inte i site.yaml; lägg till det under bodies:\n"
        f"  {found.slug}:\n    name: {found.name}",
    )
