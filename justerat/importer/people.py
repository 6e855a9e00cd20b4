"""Recognisers for lines naming people: "Sedat Dogru (M) Haninge kommun, ordförande",
"Ajda Asgari, Tyresö kommun, ordförande", "Cia Holmér Arbetsförmedlingen",
"Carina Olsen, Arbetsförmedlingen (deltog till kl. 14.00)", "Anna Lexelius, förbundschef",
"Dan Dahl (S), tjänstgörande ersättare för Eva Ek (S)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Group(StrEnum):
    """Which list a person line is read for; decides how loose text after the name is read."""

    VOTING = "voting"
    SERVING = "serving_substitutes"
    SUBSTITUTES = "substitutes"
    ABSENT = "absent"
    OTHERS = "others"
    OFFICIAL = "official"  # secretary: the text after the name is a title


@dataclass(frozen=True)
class PersonLine:
    name: str
    party: str | None = None
    represents: str | None = None
    role: str | None = None
    title: str | None = None
    note: str | None = None
    replaces: str | None = None
    doubts: tuple[str, ...] = field(default=())  # what could not be read with confidence

    def as_dict(self) -> dict[str, str]:
        """The person as front matter: only the keys that have a value, in the format's order."""
        keys = ("name", "party", "represents", "role", "title", "note", "replaces")
        return {k: v for k in keys if (v := getattr(self, k))}


# --- organisations -----------------------------------------------------------------------

# Whole words that are organisations by themselves.
AGENCIES = (
    "Arbetsförmedlingen",
    "Försäkringskassan",
    "Kriminalvården",
    "Migrationsverket",
    "Polismyndigheten",
    "Polisen",
    "Skatteverket",
    "Kronofogden",
    "Socialstyrelsen",
    "Pensionsmyndigheten",
    "Länsstyrelsen",
    "Kommunförbundet",
    "Landstinget",
    "Regionen",
    "Kommunen",
    "SKR",
)
# Words that end an organisation's name and follow the place: "Haninge kommun".
_PLACE_SUFFIXES = ("kommun", "kommuns", "stad", "stads", "landsting", "län", "läns", "municipality")
# Endings of one-word organisations: "Socialförvaltningen", "Västra Götalandsregionen".
_COMPOUND_ENDINGS = (
    "förmedlingen",
    "kassan",
    "verket",
    "myndigheten",
    "förvaltningen",
    "förvaltning",
    "förbundet",
    "regionen",
    "landstinget",
    "kommunen",
    "nämnden",
    "bolaget",
    "styrelsen",
    "kansliet",
)
# Words that begin a place name of two words: "Upplands Väsby kommun", "Östra Göinge kommun".
_PLACE_PREFIXES = {
    "upplands",
    "lilla",
    "stora",
    "övre",
    "nedre",
    "norra",
    "södra",
    "östra",
    "västra",
    "mönsterås",
    "dals",
    "malung-sälens",
}
# Words that begin an organisation and take the rest of the text: "Region Stockholm".
_LEADING = ("Region", "Landstinget", "Samordningsförbundet", "Kommunförbundet", "Länsstyrelsen")


def _words(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text)]


def find_organisation(text: str) -> int | None:
    """Where an organisation's name begins in ``text`` ("Cia Holmér Arbetsförmedlingen" → 11),
    or None when no organisation word is found."""
    words = _words(text)
    for index, (start, word) in enumerate(words):
        bare = word.strip(",.;()")
        if bare in _LEADING and index + 1 < len(words) and words[index + 1][1][:1].isupper():
            return start
        if bare in AGENCIES:
            return start
        if bare.lower() in _PLACE_SUFFIXES and index > 0 and words[index - 1][1][:1].isupper():
            first = index - 1
            if first > 0 and words[first - 1][1].lower() in _PLACE_PREFIXES:
                first -= 1
            return words[first][0]
        if (
            bare[:1].isupper()
            and len(bare) > 6
            and bare.lower().endswith(_COMPOUND_ENDINGS)
            and bare.lower() not in _COMPOUND_ENDINGS
        ):
            first = index
            if first > 0 and words[first - 1][1].lower() in _PLACE_PREFIXES:
                first -= 1
            return words[first][0]
    return None


def is_organisation(text: str) -> bool:
    return find_organisation(text) == 0


# --- roles, parties, notes ------------------------------------------------------------------

_ROLE = re.compile(
    r"^(?:(?:[123][:-]e|förste|första|andre|andra|tredje)\s+)?(?:vice\s+)?ordförande"
    r"(?:\s+§§?\s*[\d\s,–-]+)?$"
    r"|^ålderspresident$|^ledamot$|^ersättare$|^tjänstgörande ersättare$|^adjungerad$",
    re.IGNORECASE,
)
_PARTY = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,3}$|^[A-ZÅÄÖ]{1,6}$")
_NOTE = re.compile(
    r"^(?:deltog|deltar|deltagit|närvarande|närvarade|ej\b|ej närvarande|från\b|till\b"
    r"|fr\.?o\.?m|t\.?o\.?m|§|§§|ankom|anlände|lämnade|avvek|avgick|kom\b|gick\b|jäv|via\b"
    r"|digitalt|på distans)",
    re.IGNORECASE,
)
_REPLACES = re.compile(
    r"(?:,\s*|\s+|^)(?:tjänstgörande\s+ersättare\s+för|tjänstgör\s+för|tjänstgjorde\s+för"
    r"|ersättare\s+för|ersätter|i\s+stället\s+för|istället\s+för)\s+"
    r"(?P<who>[^,()]+?)\s*(?:\((?P<party>[^)]*)\))?\s*(?=,|$)",
    re.IGNORECASE,
)
_PLAIN_FOR = re.compile(r"\s+för\s+(?P<who>[A-ZÅÄÖ][^,()]+?)\s*(?:\([^)]*\))?\s*(?=,|$)")
_PAREN = re.compile(r"\(([^()]*)\)")
_NAME = re.compile(
    r"^(?:[A-ZÅÄÖÉÜØÆ][\w'’.-]*|von|van|der|de|af|la|le|el|al|bin|du|di)"
    r"(?:\s+(?:[A-ZÅÄÖÉÜØÆ][\w'’.-]*|von|van|der|de|af|la|le|el|al|bin|du|di)){0,4}$"
)


def is_role(text: str) -> bool:
    return bool(_ROLE.match(text.strip()))


def is_party(text: str) -> bool:
    text = text.strip()
    return bool(_PARTY.match(text)) and not is_organisation(text)


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text.strip()))


def looks_like_name(text: str) -> bool:
    """One to five capitalised words (with the particles of names: "von", "af", …)."""
    return bool(_NAME.match(text.strip())) and not any(c.isdigit() for c in text)


def _join(*parts: str | None) -> str | None:
    values = [p for p in parts if p]
    return ", ".join(values) if values else None


def parse_person(text: str, group: Group = Group.VOTING) -> PersonLine:
    """Read one person line. Text that cannot be placed goes into ``doubts`` (and, for
    voting groups, into ``represents`` or ``note`` so that nothing is lost)."""
    text, replaces = _take_replaces(text.strip().rstrip(",;"), group)
    leading, text = _leading_party(text)
    party, notes, roles, outside = _parentheses(text)
    party = party or leading
    chunks = _chunks(outside)
    if not chunks:
        return PersonLine(name=text, doubts=("inget namn",))
    after = chunks[1:] + roles
    name, represents, role_after_name = _after_name(chunks[0])
    if role_after_name:
        after.insert(0, role_after_name)
    doubts: list[str] = []
    if not looks_like_name(name):
        doubts.append(f"namnet '{name}'")
    role, title, represents = _read_after(after, group, represents, notes, doubts)
    return PersonLine(
        name=name,
        party=party,
        represents=represents,
        role=role,
        title=title,
        note="; ".join(notes) if notes else None,
        replaces=replaces,
        doubts=tuple(doubts),
    )


_LEADING_PARTY = re.compile(
    r"^(?P<party>[A-ZÅÄÖ]{1,4})\s+(?=[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?"
    r"(?:\s+[A-ZÅÄÖ]\.)?\s+[A-ZÅÄÖÉ][a-zåäöéü])"
)


def _leading_party(text: str) -> tuple[str | None, str]:
    """A party written in a column of its own before the name ("M Anders Lindahl",
    "MBP Henry Sandahl (MBP)"): (the party, the rest); a party in parentheses after the
    name is the one written."""
    found = _LEADING_PARTY.match(text)
    if found is None:
        return None, text
    return found.group("party"), text[found.end() :]


def _take_replaces(text: str, group: Group) -> tuple[str, str | None]:
    """Whom the person replaces ("tjänstgörande ersättare för Eva Ek (S)"): (the text without
    it, the name), or (the text, None)."""
    match = _REPLACES.search(text)
    if match is None and group is Group.SERVING:
        match = _PLAIN_FOR.search(text)
    if not match:
        return text, None
    rest = (text[: match.start()] + text[match.end() :]).strip().rstrip(",")
    return rest, match.group("who").strip()


_PARTY_MARK = "\x00"  # put where a party stood, outside the parentheses: the name ends there


def _parentheses(text: str) -> tuple[str | None, list[str], list[str], str]:
    """Parentheses: a party right after the name, a role, anything else is a note. Returns
    (party, notes, roles, the text outside them with ``_PARTY_MARK`` where the party stood)."""
    party = None
    notes: list[str] = []
    roles: list[str] = []
    cursor = 0
    outside: list[str] = []
    for paren in _PAREN.finditer(text):
        inner = paren.group(1).strip()
        outside.append(text[cursor : paren.start()])
        if party is None and is_party(inner):
            party = inner
            outside.append(_PARTY_MARK)
        elif is_role(inner):
            roles.append(inner)
        else:
            notes.append(inner)
        cursor = paren.end()
    outside.append(text[cursor:])
    return party, notes, roles, "".join(outside)


def _chunks(outside: str) -> list[str]:
    """The comma-separated parts of the text outside parentheses, the name first (the name
    also ends where the party stood)."""
    if _PARTY_MARK in outside:
        head, tail = outside.split(_PARTY_MARK, 1)
        chunks = [head.strip().rstrip(","), *tail.split(",")]
    else:
        chunks = outside.split(",")
    chunks = [re.sub(r"\s+", " ", c).strip() for c in chunks]
    return [c for c in chunks if c]


def _after_name(name: str) -> tuple[str, str | None, str | None]:
    """An organisation or a role written straight after the name, without a comma:
    (the name, the organisation, the role)."""
    org_at = find_organisation(name)
    if org_at:
        return name[:org_at].strip(), name[org_at:].strip(), None
    if not looks_like_name(name):
        # "Anna Berg ordförande": a role straight after the name
        role_match = re.search(
            r"\s+((?:(?:1:e|2:e|förste|andre)\s+)?(?:vice\s+)?ordförande)$", name, re.IGNORECASE
        )
        if role_match:
            return name[: role_match.start()].strip(), None, role_match.group(1)
    return name, None, None


def _read_after(
    after: list[str],
    group: Group,
    represents: str | None,
    notes: list[str],
    doubts: list[str],
) -> tuple[str | None, str | None, str | None]:
    """The parts after the name, read for ``group``: (role, title, represents). Notes and
    doubts are added to ``notes`` and ``doubts``."""
    role = None
    title = None
    for chunk in after:
        if is_note(chunk):
            notes.append(chunk)
        elif group is not Group.OTHERS and group is not Group.OFFICIAL and is_role(chunk):
            role = _join(role, chunk)
        elif is_organisation(chunk) or (
            group not in (Group.OTHERS, Group.OFFICIAL)
            and represents is None
            and chunk[:1].isupper()
            and find_organisation(chunk) is None
        ):
            if represents:
                doubts.append(f"'{chunk}'")
                notes.append(chunk)
            else:
                represents = chunk
        elif group in (Group.OTHERS, Group.OFFICIAL):
            title = _join(title, chunk)
        elif chunk[:1].islower():
            role = _join(role, chunk)
        else:
            doubts.append(f"'{chunk}'")
            notes.append(chunk)
    return role, title, represents


def strip_party(text: str) -> str:
    """The name alone: "Sedat Dogru (M)" → "Sedat Dogru"."""
    return re.sub(r"\s*\([^)]*\)", "", text).strip().rstrip(",")


def split_names(text: str) -> list[str]:
    """Several names on one line: "Ajda Asgari och Bo Berg (M)", "Anna A, Bo B"."""
    parts = re.split(r"\s*,\s*|\s+och\s+|\s+samt\s+|\s*&\s*", strip_party(text))
    return [p.strip() for p in parts if p.strip()]


def split_people(text: str) -> list[str]:
    """A line that names several people with their parties, "Anna A (S), Bo B (M)", split in
    one piece per person; any other line is one piece."""
    parties = [m for m in _PAREN.finditer(text) if is_party(m.group(1))]
    if len(parties) < 2:
        return [text]
    pieces = re.split(r"(?<=\))\s*[,;]\s*(?=[A-ZÅÄÖÉ])", text)
    if not all(looks_like_name(strip_party(p).split(",")[0]) for p in pieces):
        return [text]
    return pieces
