"""What a paragraph's text records that the front matter's ``proceedings`` can hold: an
omröstning's result and the reservations, read only where the text leaves no doubt.

The paragraph's text stays as it is (every word of it in the body); the facts are written
beside it, keyed by the § number, so that ``check`` can hold them to kommunallagen and the
open data can publish them. A fact is written only when it agrees with the front page: each
name read is one of the beslutande, and the votes add up to the beslutande (``check`` would
refuse anything else, and the importer must never write a wrong fact). Otherwise the text is
the only record and a warning ([import-vote], [import-reservation]) names its line.

Shapes read (see tests/test_import_proceedings.py for the real texts they come from):

- the result in a sentence: "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår
  från att rösta beslutar kommunstyrelsen …", "… med 25 ja-röster, 20 nej-röster och 4 som
  avstår";
- the result by label: "Ja-röster: 25", "Nej-röster: 20", "Avstår: 4";
- the voters by name, a label at the start of a line: "Ja: Anna Andersson (S), Bo Berg (M)",
  "Nej (2): …", a list carried on to the next line after a comma or "och";
- what ja and nej are for: "Ja-röst för bifall till AnnSofie Anderssons yrkande";
- reservations: "Erik Ek (SD) reserverar sig mot beslutet.", "Mot beslutet reserverar sig
  A (M) och B (M).", "A (SD), B (SD) och C (SD) lämnar skriftlig reservationsmotivering".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.problems import Problem, warning
from .paragraphs import ParagraphLines
from .people import looks_like_name
from .text import Line

RULE_VOTE = "import-vote"
RULE_RESERVATION = "import-reservation"

NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        [
            "noll",
            "en ett",
            "två",
            "tre",
            "fyra",
            "fem",
            "sex",
            "sju",
            "åtta",
            "nio",
            "tio",
            "elva",
            "tolv",
            "tretton",
            "fjorton",
            "femton",
            "sexton",
            "sjutton",
            "arton",
            "nitton",
            "tjugo",
        ]
    )
    for word in words.split()
}
_N = r"(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

# counts in a sentence: "11 ja-röster", "2 nej-röster", "2 ledamöter som avstår", "4 avstod"
# (not the number of a label before them: "Ja-röster: 3 Nej-röster: 3")
_BEFORE = r"(?<![\w:-])(?<!:\s)"
_SENTENCE_COUNTS = {
    "yes": re.compile(rf"{_BEFORE}{_N}\s+ja-?\s?röst(?:er|en)?\b", re.IGNORECASE),
    "no": re.compile(rf"{_BEFORE}{_N}\s+nej-?\s?röst(?:er|en)?\b", re.IGNORECASE),
    "abstain": re.compile(
        rf"{_BEFORE}{_N}\s+(?:(?:ledamöter|ledamot|st)\s+)?(?:som\s+)?"
        r"(?:avstår|avstod|avstått|avstående|nedlagda\s+röster)\b",
        re.IGNORECASE,
    ),
}
# counts by label: "Ja-röster: 25", "Nej: 20", "Avstår: 4"
_LABEL = (
    r"(?<![\w-])(?P<label>ja(?:-röster)?|nej(?:-röster)?|avstår|avstod|avstående|"
    r"avstående\s+från\s+att\s+rösta)"
)
_LABELLED_COUNT = re.compile(_LABEL + r"\s*:\s*(?P<n>\d{1,3})(?![\w,(])", re.IGNORECASE)
# a list of voters: a label at the start of a line, the names after it
_LABELLED_NAMES = re.compile(
    r"^(?P<label>ja(?:-röster)?|nej(?:-röster)?|avstår|avstod|avstående)"
    r"(?:\s*\((?P<n>\d{1,3})\))?\s*:\s*(?P<names>[A-ZÅÄÖÉ].*)$",
    re.IGNORECASE,
)
# what ja and nej stand for: "Ja-röst för bifall till …", "nej för avslag"
_MEANS = {
    "yes": re.compile(
        r"(?<![\w-])ja(?:-röst)?\s+(?:för|innebär|betyder)\s+(?P<m>.+?)"
        r"(?=[,;.]?\s+(?:och\s+)?nej(?:-röst)?\s+(?:för|innebär|betyder)\s|[.;,]?$)",
        re.IGNORECASE,
    ),
    "no": re.compile(
        r"(?<![\w-])nej(?:-röst)?\s+(?:för|innebär|betyder)\s+(?P<m>.+?)[.;,]?$", re.IGNORECASE
    ),
}
_OMROSTNING = re.compile(r"(?<![\w-])(?:omröstning|votering)", re.IGNORECASE)
_NO_VOTE = re.compile(
    r"(?:ingen|utan)\s+(?:omröstning|votering)|(?:omröstning|votering)\s+"
    r"(?:begärs|begärdes|har\s+begärts)\s+(?:inte|ej)",
    re.IGNORECASE,
)
# the body that decided, in the sentence that gives the counts: "beslutar kommunstyrelsen"
_ORGAN = r"[\wåäöÅÄÖ-]*(?:styrelsen|nämnden|fullmäktige|utskottet|direktionen|beredningen)"
_VERB = r"(?:beslutar|beslutade|beslöt|föreslår|föreslog|antar|antog|bifaller|biföll|avslår|avslog)"
_DECIDED_BY = re.compile(
    rf"(?<![\w-])(?:{_VERB}\s+(?P<after>{_ORGAN})|(?P<before>{_ORGAN})\s+{_VERB})(?![\w-])",
    re.IGNORECASE,
)

_RESERVES = re.compile(
    r"(?P<verb>reserverar\s+sig|reserverade\s+sig|"
    r"(?:lämnar|lämnade|inkommer\s+med|inkom\s+med|avger|avgav)\s+(?:en\s+)?"
    r"(?:skriftlig\s+)?reservation(?:smotivering)?)",
    re.IGNORECASE,
)
_AGAINST_FIRST = re.compile(r"mot\s+beslutet\s+(?:reserverar|reserverade)\s+sig\s+", re.I)
_RESERVATION_HEADING = re.compile(r"^reservation(?:er)?:?$", re.IGNORECASE)
_LEAD_CUT = re.compile(r"[.!?:;]\s+|(?<![\w-])Reservation(?:er)?:?\s+")
_NAME_AND_PARTY = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<party>[^()]{1,20})\))?$")
_SPLIT_NAMES = re.compile(r"\s*,\s*(?:och\s+)?|\s+och\s+|\s+samt\s+")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.casefold()]


def _side(label: str) -> str:
    label = label.casefold()
    if label.startswith("ja"):
        return "yes"
    return "no" if label.startswith("nej") else "abstain"


@dataclass
class Text:
    """A paragraph's non-blank lines joined by spaces, each line's start kept, so that a fact
    found anywhere is told by the line it stands on."""

    lines: list[Line]
    joined: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = [line for line in self.lines if not line.blank]
        parts: list[str] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            parts.append(line.text)
            offset += len(line.text) + 1
        self.joined = " ".join(parts)

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset`` of the joined text."""
        found = 0
        for index, start in enumerate(self.starts):
            if start <= offset:
                found = index
        return self.lines[found].number if self.lines else 0

    def sentence_at(self, offset: int) -> str:
        """The sentence around ``offset``: from the last sentence end before it to the next."""
        before = max(self.joined.rfind(". ", 0, offset), self.joined.rfind(": ", 0, offset))
        after = self.joined.find(". ", offset)
        return self.joined[before + 2 if before >= 0 else 0 : after if after >= 0 else None]


@dataclass(frozen=True)
class Beslutande:
    """The front page's beslutande (the deciding: ledamöter and tjänstgörande ersättare) by
    the words of their names, whichever order the text writes them in; and the chair."""

    names: Mapping[tuple[str, ...], str]
    chair: str = ""

    @staticmethod
    def of(meta: Mapping[str, Any]) -> Beslutande:
        attendees = meta.get("attendees") or {}
        people = [*attendees.get("voting", []), *attendees.get("serving_substitutes", [])]
        names = {_words(p["name"]): p["name"] for p in people if p.get("name")}
        return Beslutande(names, str(meta.get("chair") or ""))

    def find(self, name: str) -> str | None:
        """The name as the front page writes it, if ``name`` is one of the beslutande."""
        return self.names.get(_words(name))


def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(name.casefold().split()))


class Unclear(Exception):
    """What makes a fact in the text unsafe to write: the text stays its only record."""


def names_in(text: str, beslutande: Beslutande) -> list[str]:
    """The names of a list ("A (S), B (M) och C (C)") as the front page writes them; Unclear
    when an item is no name or not one of the beslutande."""
    found: list[str] = []
    if not text.strip(" .,;"):
        raise Unclear("inga namn")
    for item in _SPLIT_NAMES.split(text.strip().rstrip(".,;")):
        match = _NAME_AND_PARTY.match(item.strip())
        name = match.group("name").strip() if match else item.strip()
        if not looks_like_name(name):
            raise Unclear(f"'{item.strip()}' är inget namn")
        known = beslutande.find(name)
        if known is None:
            raise Unclear(f"{name} finns inte bland de beslutande på förstasidan")
        found.append(known)
    return found


# --- reservations ----------------------------------------------------------------------------


def _lead(before: str) -> str:
    """The text of the sentence up to a point: after the last sentence end, or after a
    heading "Reservation" run into it."""
    cut = 0
    for match in _LEAD_CUT.finditer(before):
        cut = match.end()
    return before[cut:]


def _reservers(
    text: Text, match: re.Match[str], beslutande: Beslutande, same_organ: Callable[[str], bool]
) -> list[str] | None:
    """Who reserved themselves in the sentence of ``match``: the names before the verb, or
    after "Mot beslutet reserverar sig"; None when the sentence is told already (by an
    earlier verb of it) or says that nobody did. Unclear when it names another body."""
    _other_organ(text.sentence_at(match.start()), same_organ)
    against = _AGAINST_FIRST.search(text.joined, max(0, match.start() - 20), match.end() + 1)
    if against is not None and against.end() >= match.end():
        after = text.joined[against.end() :]
        names = re.split(r"\.(?:\s|$)|\s+(?:till\s+förmån|med\s+hänvisning|och\s+lämnar)", after)
        return names_in(names[0], beslutande)
    lead = _lead(text.joined[max(0, match.start() - 600) : match.start()])
    if re.search(r"reserver|^ingen\b", lead, re.IGNORECASE):
        return None
    return names_in(lead, beslutande)


def reservations(
    text: Text,
    beslutande: Beslutande,
    same_organ: Callable[[str], bool],
    where: tuple[int, str],
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The reservations the paragraph's text states, and a warning for each it states
    unclearly (or a heading "Reservation" with no reservation read under it). ``where`` is
    the paragraph's number and the file's path."""
    number, path = where
    found: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for match in _RESERVES.finditer(text.joined):
        try:
            names = _reservers(text, match, beslutande, same_organ)
        except Unclear as why:
            problems.append(_unread("reservationen", number, str(why), text, match, path))
            continue
        told = {name for each in found for name in _listed(each["by"])}
        if names and not set(names) <= told:
            found.append({"by": names[0] if len(names) == 1 else names})
    headings = [line for line in text.lines if _RESERVATION_HEADING.match(line.text)]
    if headings and not found and not problems:
        problems.append(
            warning(
                path,
                headings[0].number,
                f"reservationen vid § {number} kunde inte läsas (ingen mening med 'reserverar "
                "sig' under rubriken); den står kvar som text: skriv den under proceedings om "
                "den ska med",
                RULE_RESERVATION,
            )
        )
    return found, problems


def _listed(by: str | list[str]) -> list[str]:
    return [by] if isinstance(by, str) else by


def _unread(
    what: str, number: int, why: str, text: Text, match: re.Match[str], path: str
) -> Problem:
    rule = RULE_RESERVATION if what == "reservationen" else RULE_VOTE
    return warning(
        path,
        text.line_at(match.start()),
        f"{what} vid § {number} kunde inte läsas säkert ({why}); den står kvar som text: "
        "skriv den under proceedings om den ska med",
        rule,
    )


# --- omröstning -------------------------------------------------------------------------------


@dataclass
class Sides:
    """What the text says of each side of an omröstning: its count, its names, what it is for."""

    counts: dict[str, set[int]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    means: dict[str, set[str]] = field(default_factory=dict)
    first: int = -1  # where in the joined text the omröstning is first told

    def count(self, side: str, value: int, at: int) -> None:
        self.counts.setdefault(side, set()).add(value)
        self.first = at if self.first < 0 else min(self.first, at)

    @property
    def found(self) -> bool:
        """Whether the text gives ja or nej votes (an "avstår" alone is no omröstning: a
        member may abstain from a decision without one)."""
        told = {*self.counts, *self.names}
        return "yes" in told or "no" in told


_ORGAN_NAMED = re.compile(rf"(?<![\w-]){_ORGAN}(?![\w-])", re.IGNORECASE)


def _other_organ(sentence: str, same_organ: Callable[[str], bool]) -> None:
    """Unclear when the sentence of a reservation names another body (one quoted from the
    body that prepared the ärende)."""
    for organ in _ORGAN_NAMED.findall(sentence):
        if not same_organ(organ):
            raise Unclear(f"meningen gäller {organ}")


def _counts(text: Text, same_organ: Callable[[str], bool]) -> Sides:
    """The counts the text gives, in sentences and by label; Unclear when a sentence with
    counts names another body as deciding (a vote of the body that prepared the ärende)."""
    sides = Sides()
    for side, pattern in _SENTENCE_COUNTS.items():
        for match in pattern.finditer(text.joined):
            decided = _DECIDED_BY.search(text.sentence_at(match.start()))
            organ = decided.group("after") or decided.group("before") if decided else None
            if organ and not same_organ(organ):
                raise Unclear(f"röstetalen gäller {organ}")
            sides.count(side, _number(match.group("n")), match.start())
    for match in _LABELLED_COUNT.finditer(text.joined):
        sides.count(_side(match.group("label")), int(match.group("n")), match.start())
    return sides


def _voters(text: Text, sides: Sides, beslutande: Beslutande) -> None:
    """The lists of voters by name: a label at a line's start, the list carried on to the
    next line while a line ends in a comma or "och"."""
    lines = text.lines
    for index, line in enumerate(lines):
        match = _LABELLED_NAMES.match(line.text)
        if match is None:
            continue
        listed = match.group("names")
        following = index + 1
        while re.search(r"(?:,|\soch)$", listed) and following < len(lines):
            listed = f"{listed} {lines[following].text}"
            following += 1
        side = _side(match.group("label"))
        if side in sides.names:
            raise Unclear("flera listor med samma röst")
        sides.names[side] = names_in(listed, beslutande)
        if match.group("n") and int(match.group("n")) != len(sides.names[side]):
            raise Unclear(f"{match.group('n')} röster men {len(sides.names[side])} namn")
        sides.first = text.starts[index] if sides.first < 0 else sides.first


def _means(text: Text, sides: Sides) -> None:
    """What ja and nej are for, read line by line (a line carried on by one that begins in
    lower case)."""
    lines = text.lines
    for index, line in enumerate(lines):
        written = line.text
        if index + 1 < len(lines) and lines[index + 1].text[:1].islower():
            written = f"{written} {lines[index + 1].text}"
        for side, pattern in _MEANS.items():
            match = pattern.search(written)
            if match and len(match.group("m")) <= 500:
                sides.means.setdefault(side, set()).add(match.group("m").strip())


def _tally(sides: Sides) -> dict[str, int | list[str]]:
    """Each side's count or names; Unclear when the text gives two of them, or names and a
    count that differ, or no ja or no nej."""
    tally: dict[str, int | list[str]] = {}
    for side in ("yes", "no", "abstain"):
        counts = sides.counts.get(side, set())
        names = sides.names.get(side)
        if len(counts) > 1:
            raise Unclear("flera omröstningar eller olika röstetal")
        if names is not None and counts and len(names) not in counts:
            raise Unclear(f"{len(names)} namn men röstetalet {min(counts)}")
        if names is not None:
            tally[side] = names
        elif counts:
            tally[side] = min(counts)
    if "yes" not in tally or "no" not in tally:
        raise Unclear("ja- och nej-röster står inte båda i texten")
    if len({isinstance(v, int) for v in tally.values()}) > 1:
        raise Unclear("några röster med namn, andra bara med antal")
    return tally


def _size(value: int | list[str]) -> int:
    return value if isinstance(value, int) else len(value)


def _result(tally: Mapping[str, int | list[str]], beslutande: Beslutande) -> str:
    """The side that won: the one with more votes, at equal votes the chair's."""
    yes, no = _size(tally["yes"]), _size(tally["no"])
    if yes != no:
        return "yes" if yes > no else "no"
    for side in ("yes", "no"):
        names = tally[side]
        if isinstance(names, list) and beslutande.find(beslutande.chair) in names:
            return side
    raise Unclear(f"lika röstetal ({yes}–{no}) och ordförandens utslagsröst står inte i texten")


def vote(
    text: Text, beslutande: Beslutande, same_organ: Callable[[str], bool]
) -> dict[str, Any] | None:
    """The omröstning the paragraph's text states, as the front matter's ``vote``; None when
    it tells of none; Unclear when what it tells is not safe to write."""
    sides = _counts(text, same_organ)
    _voters(text, sides, beslutande)
    if not sides.found:
        return None
    tally = _tally(sides)
    if not beslutande.names:
        raise Unclear("förstasidan anger inga beslutande att räkna rösterna mot")
    if isinstance(tally["yes"], list):
        tally.setdefault("abstain", [])
    total = sum(_size(v) for v in tally.values())
    if total != len(beslutande.names):
        raise Unclear(
            f"{total} röster men {len(beslutande.names)} beslutande på förstasidan; kom eller "
            "gick någon, eller anmälde någon jäv?"
        )
    written: dict[str, Any] = {side: tally.get(side, 0) for side in ("yes", "no", "abstain")}
    written["result"] = _result(tally, beslutande)
    _means(text, sides)
    for side in ("yes", "no"):
        means = sides.means.get(side, set())
        if len(means) == 1:
            written[f"{side}_means"] = next(iter(means))
    return written


def _vote_told(text: Text) -> re.Match[str] | None:
    """Where the text tells of an omröstning held (not of one not held), if it does."""
    for match in _OMROSTNING.finditer(text.joined):
        if not _NO_VOTE.search(text.sentence_at(match.start())):
            return match
    return None


def paragraph_proceedings(
    paragraph: ParagraphLines,
    beslutande: Beslutande,
    same_organ: Callable[[str], bool],
    path: str,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The proceedings of one paragraph (None: it states none) and warnings."""
    number = paragraph.heading.number
    text = Text(list(paragraph.lines))
    found, problems = reservations(text, beslutande, same_organ, (number, path))
    facts: dict[str, Any] = {"paragraph": number}
    try:
        read = vote(text, beslutande, same_organ)
    except Unclear as why:
        told = _vote_told(text) or next(_any_count(text), None)
        line = text.line_at(told.start()) if told else paragraph.line
        problems.append(
            warning(
                path,
                line,
                f"omröstningen vid § {number} kunde inte läsas säkert ({why}); den står kvar "
                "som text: skriv den under proceedings om den ska med",
                RULE_VOTE,
            )
        )
        read = None
    else:
        told = _vote_told(text)
        if read is None and told is not None:
            problems.append(
                _unread("omröstningen", number, "inget röstetal", text, told, path),
            )
    if read is not None:
        facts["vote"] = read
    if found:
        facts["reservations"] = found
    return (facts if len(facts) > 1 else None), problems


def _any_count(text: Text) -> Any:
    for pattern in (*_SENTENCE_COUNTS.values(), _LABELLED_COUNT):
        yield from pattern.finditer(text.joined)


def read_proceedings(
    path: str,
    paragraphs: Sequence[ParagraphLines],
    meta: Mapping[str, Any],
    same_organ: Callable[[str], bool],
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The front matter's ``proceedings`` from the paragraphs' texts, with warnings for what
    the texts state unclearly. ``meta`` is the front matter read from the front page (its
    beslutande and chair); ``same_organ`` tells whether a body named in the text is the
    protocol's."""
    beslutande = Beslutande.of(meta)
    found: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for paragraph in paragraphs:
        facts, more = paragraph_proceedings(paragraph, beslutande, same_organ, path)
        problems += more
        if facts is not None:
            found.append(facts)
    return found, problems
