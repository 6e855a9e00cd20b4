"""The last sieve before the front matter is written: every value read from the front page
must look like what its key holds, or it is left out.

A recogniser that misreads a flattened page reads phrases as people ("Enligt förteckning"),
several people as one ("Lars Nyberg Karin Wester Eva Nord"), a run of labels as a name, or a
label of the next field as the end of a value ("Kommunkansliet Sista datum för överklagande").
Such a value is a wrong fact, worse than a missing one. So each value is tested on its own:
a name is one person's name, a party a party's letters, a role a role, a title a title with no
other person in it, a place or a förvaringsplats holds no other field's label. Where one
person of a list is doubtful, the whole list is left out (a list with a gap would say who was
not there): each value left out gets a warning, and its line, no longer written anywhere,
goes back into the text through the accounting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from ..core.problems import Problem, warning
from .people import is_organisation, is_party, is_role, looks_like_name

RULE = "import-unsure"

# Words that are never part of a person's name: labels, phrases standing for a list, titles.
_NOT_IN_NAME = frozenset(
    [
        "enligt",
        "förteckning",
        "se",
        "bilaga",
        "bilagor",
        "närvarolista",
        "närvarolistan",
        "närvarande",
        "beslutande",
        "tjänstgörande",
        "ersättare",
        "ersättarna",
        "ordförande",
        "sekreterare",
        "justerare",
        "justerande",
        "övriga",
        "ej",
        "icke",
        "tjg",
        "suppl",
        "protokoll",
        "protokollet",
        "sammanträdesprotokoll",
        "exp",
        "samtliga",
        "ledamöter",
        "ledamot",
        "ledamöterna",
        "underskrift",
        "underskrifter",
        "paragrafer",
        "paragraf",
        "plats",
        "tid",
        "datum",
        "justering",
        "justeringens",
        "utses",
        "att",
        "och",
        "adjungerade",
        "tjänstemän",
        "tjänstepersoner",
        "vakant",
        "deltagande",
        "deltagare",
        "kommunfullmäktige",
        "kommunstyrelsen",
        "kommunfullmäktiges",
        "nämnden",
        "frånvarande",
        "förhinder",
        "sign",
        "signatur",
    ]
)

# Labels of other fields: a place, a förvaringsplats or a title holding one has swallowed
# the next field's line.
_OTHER_FIELD = re.compile(
    r"\b(?:justerade\s+paragrafer|paragrafer|sista\s+dag(?:en|um)?|överklag\w*|underskrift\w*"
    r"|sekreterare|ordförande|justerare|beslutande|ersättare|anslag\w*|sammanträdesdatum"
    r"|förvaringsplats|utses\s+att\s+justera|plats\s+och\s+tid|datum\s+för)\b",
    re.IGNORECASE,
)
_ORGAN_WORD = re.compile(
    r"(?:nämnden?|styrelsen?|fullmäktige|utskottet?|förbundet|kommun|kansliet|förvaltningen)$",
    re.IGNORECASE,
)
_NAME_PAIR = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü'’-]+\s+[A-ZÅÄÖÉ][a-zåäöéü'’-]+")
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)"
)
_LIST_OF_PARTIES = re.compile(r"^\s*[A-ZÅÄÖ]{1,6}\s*;\s*[A-ZÅÄÖa-zåäö]{1,6}\b")


def is_name(text: str) -> bool:
    """One person's name: two or three capitalised words (initials and the particles of
    names, "af", "von", besides), no digits, no label or phrase ("Enligt förteckning")."""
    if not looks_like_name(text):
        return False
    tokens = text.split()
    words = [t for t in tokens if len(t.strip(".")) > 1 and t[:1].isupper()]
    if len(tokens) < 2 or not 1 <= len(words) <= 3:
        return False  # one word is half a name; four are two people more often than one
    if sum(1 for t in tokens if len(t.strip(".")) <= 2) * 2 > len(tokens) and len(tokens) > 2:
        return False  # "PRO T OK OL L": letters spaced out, not a name
    if any(t.casefold().strip(".,:") in _NOT_IN_NAME for t in tokens):
        return False
    return not any(_ORGAN_WORD.search(t) for t in tokens)  # "Roland Bång Socialnämnden"


def _is_title(text: str) -> bool:
    """A person's title ("ekonomichef §§ 225-226", "projektledare Conecto"): no other
    person's name in it, no label of another field, not a sentence."""
    return (
        len(text) <= 80
        and _NAME_PAIR.search(text) is None
        and not re.search(r"\b(?:ordförande|justerare|beslutande|ersättare)\b", text, re.I)
    )


def _is_note(text: str) -> bool:
    """A note about one person ("deltog till kl. 14.00", "§§ 46–47"): no list of parties
    (which is several people read as one), no name, short."""
    return len(text) <= 80 and not _LIST_OF_PARTIES.match(text) and not _NAME_PAIR.search(text)


def _is_represents(text: str) -> bool:
    """An organisation ("Tyresö kommun", "Försäkringskassan"), or a short place name; not a
    party's letters ("S"), which belong under party."""
    if re.fullmatch(r"[A-ZÅÄÖ]{1,4}", text.strip()):
        return False
    return is_organisation(text) or (len(text.split()) <= 2 and not _NAME_PAIR.search(text))


_TWO_PEOPLE = re.compile(rf"{_NAME_PAIR.pattern}\s+(?:och|samt)\s+{_NAME_PAIR.pattern[2:]}")


def _is_place(text: str) -> bool:
    """A place: a word, no label of another field, no date, not two people ("Ingrid Cassel
    och Hans Pernervik", the justerare read into the justering's place)."""
    if not re.search(r"[^\W\d_]{2}", text):
        return False  # "15.": a broken time, no place
    return not (_OTHER_FIELD.search(text) or _DATE.search(text) or _TWO_PEOPLE.search(text))


_PERSON_KEYS: Mapping[str, Callable[[str], bool]] = {
    "name": is_name,
    "party": is_party,
    "represents": _is_represents,
    "role": is_role,
    "title": _is_title,
    "note": _is_note,
    "replaces": is_name,
}


def person_doubt(person: Mapping[str, Any]) -> str | None:
    """Why ``person`` does not look like one person, or None when it does."""
    if not person.get("name"):
        return "inget namn"
    for key, test in _PERSON_KEYS.items():
        value = person.get(key)
        if isinstance(value, str) and not test(value):
            return f"{key} '{value}'"
    return None


def sift(path: str, meta: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """``meta`` without the values that do not look like what their key holds: a list of
    people with a doubtful one, a doubtful name, a place that holds another field."""
    doubts: list[tuple[str, str]] = []  # (the key left out, why)
    attendees = meta.get("attendees")
    if isinstance(attendees, dict):
        doubts += _sift_attendees(attendees)
    doubts += _sift_officers(meta)
    doubts += _sift_places(meta)
    for key, why in doubts:
        problems.append(
            warning(
                path,
                0,
                f"{key} lästes osäkert ur texten ({why}) och utelämnas; raderna ligger kvar i "
                "texten: skriv in uppgiften för hand",
                RULE,
            )
        )
    return meta


def _sift_attendees(attendees: dict[str, Any]) -> list[tuple[str, str]]:
    """Each list of people with a doubtful person, or a person twice, left out whole."""
    doubts: list[tuple[str, str]] = []
    for group in ("voting", "serving_substitutes", "substitutes", "absent", "others"):
        people = attendees.get(group)
        if not isinstance(people, list):
            continue
        why = next(filter(None, map(person_doubt, people)), None)
        names = Counter(p.get("name") for p in people)
        twice = [name for name, count in names.items() if count > 1]
        if why is None and twice:
            why = f"{twice[0]} står två gånger"
        if why is not None:
            del attendees[group]
            doubts.append((f"attendees.{group}", why))
    if "others" not in attendees:
        attendees.pop("others_heading", None)
    return doubts


def _sift_officers(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """The chair, the secretary and the justerare, each a person's name."""
    doubts: list[tuple[str, str]] = []
    if isinstance(meta.get("chair"), str) and not is_name(meta["chair"]):
        doubts.append(("chair", f"'{meta.pop('chair')}' är inte ett namn"))
    secretary = meta.get("secretary")
    why = person_doubt(secretary) if isinstance(secretary, dict) else None
    if why is not None:
        del meta["secretary"]
        doubts.append(("secretary", why))
    justerare = meta.get("justerare")
    bad = [name for name in justerare if not is_name(name)] if isinstance(justerare, list) else []
    if bad:
        del meta["justerare"]
        doubts.append(("justerare", f"'{bad[0]}' är inte ett namn"))
    return doubts


def _sift_places(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """The meeting's place, the justering's place and the förvaringsplats: each one place."""
    doubts: list[tuple[str, str]] = []
    justering = meta.get("justering")
    if isinstance(justering, dict) and "place" in justering and not _is_place(justering["place"]):
        doubts.append(("justering.place", f"'{justering.pop('place')}' rymmer en annan uppgift"))
    for key in ("place", "kept_at"):
        value = meta.get(key)
        if isinstance(value, str) and not _is_place(value):
            doubts.append((key, f"'{meta.pop(key)}' rymmer en annan uppgift"))
    if "digital" in meta and "place" not in meta:
        del meta["digital"]
    return doubts
