"""What a paragraph's text says of an omröstning's counts, read so that ``check`` can hold the
text to the vote its ``proceedings`` record, and a page show the counts once. No I/O.

The text is the protocol as justerat: it is read, never changed. Shapes read (numbers in digits
or words, "sex", "tjugotre", "fyra (4)"; "ingen"/"inga" is none):

- "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår från att rösta …";
- "6 ja, 2 nej och 1 avstår" (avstod, avstående, nedlagda röster);
- "7 ledamöter röstade ja", "2 röstade nej", "3 ledamöter avstod från att rösta", each
  perhaps a sentence of its own;
- "Ja-röster: 25", "Nej: 20", "Avstår: 4", "Nej (2): …";
- counts that do not name their side: "med 25 röster mot 20", "41 ledamöter röstar för
  majoritetsval" and "10 ledamöter röstar för proportionella val", "röstsiffrorna 14–0".

Counts in one sentence, or in sentences that follow each other, are one omröstning, until a
side is told twice (a second omröstning in the same §). A number is a count only beside such
words: dates, diarienummer, sums in kronor and "§ 12" are not read; an "avstår" with no ja or
nej beside it is no omröstning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

_UNITS = (  # by value, 0-19
    *("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva"),
    *("tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton"),
)
_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70}
_TENS |= {"åttio": 80, "nittio": 90}


def _number_words() -> dict[str, int]:
    """Every count written in words up to the largest fullmäktige (101): "en", "ett", "två",
    "tjugoen", "sextiotre", "hundraett", "ingen" …"""
    words = {word: value for value, word in enumerate(_UNITS)}
    ones = {word: value for word, value in words.items() if 1 <= value <= 9} | {"ett": 1}
    words |= {"ett": 1, "aderton": 18, "ingen": 0, "inga": 0}
    for ten, value in _TENS.items():
        words[ten] = value
        words |= {ten + one: value + unit for one, unit in ones.items()}
    words |= {"hundra": 100, "etthundra": 100, "hundraen": 101, "hundraett": 101}
    return words


WORDS = _number_words()
_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
# a count: digits that are no part of a date, a sum, a time or a § ("2012-01-12", "25 000",
# "kl. 14.00", "§ 12"), or a number in words, perhaps with its digits after it ("fyra (4)")
_NUMBER = re.compile(
    rf"(?<![\w§.,:/–-])(?<!§\s)(?:(?P<d>\d{{1,3}})(?![\w]|[.,:/–-]\d|\s\d{{3}}\b)"
    rf"|(?P<w>{_WORD})(?![\w-])(?:\s*\((?P<p>\d{{1,3}})\))?)",
    re.IGNORECASE,
)
_WHO = r"(?:\s+(?:ledamöter|ledamot|personer|st\.?))?(?:\s*\([^()\n]{1,30}\))?(?:\s+som)?"
_VOTED = r"\s+(?:röstar|röstade|röstat|röstat)\s+"
_ABSTAINED = (
    r"\s+(?:avstår|avstod|avstått|avstog|avstående|nedlagda|lade\s+ned\s+sina\s+röster|"
    r"lägger\s+ned\s+sina\s+röster)(?![\w])"
)
# what follows a number and says whose count it is
_AFTER = (
    ("yes", re.compile(r"\s*ja-?\s?röst(?:er|en|erna)?(?![\w])", re.I)),
    ("no", re.compile(r"\s*nej-?\s?röst(?:er|en|erna)?(?![\w])", re.I)),
    ("bare", re.compile(r"\s+(?P<side>ja|nej)(?![\w-])", re.I)),
    ("abstain", re.compile(_WHO + _ABSTAINED, re.I)),
    ("voted", re.compile(_WHO + _VOTED + r"(?:för\s+)?(?P<side>ja|nej)(?![\w-])", re.I)),
    ("either", re.compile(_WHO + _VOTED + r"(?:för|mot)\s+(?!att\b)", re.I)),
    ("either", re.compile(r"\s+röst(?:er)?\s+(?:för|mot)(?![\w])(?!\s+att\b)", re.I)),
)
# a count after its label: "Ja-röster: 25", "Nej (2): …", "Avstår: 4"
_LABEL = re.compile(
    r"(?<![\w-])(?P<label>ja(?:-?\s?röster)?|nej(?:-?\s?röster)?|avstår|avstod|avstående"
    r"(?:\s+från\s+att\s+rösta)?|nedlagda(?:\s+röster)?)\s*(?::\s*\(?|\(\s*)$",
    re.I,
)
# a count after "mot", of the side against the count before it: "11 ja-röster mot 2"
_AGAINST = re.compile(r"(?<![\w-])mot\s+$", re.I)
# the counts after their name: "röstsiffrorna 14–0", "omröstningen slutade 6–2–1"
_FIGURES = re.compile(
    r"(?<![\w-])(?:röstsiffr(?:orna|or)|röstetal(?:et|en)?|siffrorna|slutade|utföll|"
    r"resultatet|omröstningsresultat(?:et)?)(?:\s+(?:blev|var|är|med|på))*\s*:?\s*"
    r"(?:röstsiffrorna\s+)?(?P<a>\d{1,3})\s*[–-]\s*(?P<b>\d{1,3})(?:\s*[–-]\s*(?P<c>\d{1,3}))?"
    r"(?![\d–-])",
    re.I,
)
# where one sentence ends and the next begins: at a full stop, a blank line, or a line that
# begins anew (a capital, a digit, a heading or a list's mark), not one that goes on ("…
# avstår från att rösta / beslutar kommunstyrelsen …")
_BREAK = re.compile(r"[.!?](?=\s+[A-ZÅÄÖÉ0-9]|\s*$)|\n\s*\n|\n(?=\s*[A-ZÅÄÖÉ0-9#*>|-])")
_OPPOSITE = {"yes": "no", "no": "yes", "either": "either"}


@dataclass(frozen=True)
class Stated:
    """One omröstning as a text states it: its counts (None: not stated), those that name no
    side (``either``: "25 röster mot 20"), and the line of the text where it begins (from 1)."""

    line: int
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    either: tuple[int, ...] = ()

    def agrees(self, yes: int, no: int, abstain: int) -> bool:
        """Every count stated is the one recorded (the counts that name no side are the sides
        not named otherwise, in either order)."""
        for said, recorded in ((self.yes, yes), (self.no, no), (self.abstain, abstain)):
            if said is not None and said != recorded:
                return False
        open_sides = [n for said, n in ((self.yes, yes), (self.no, no)) if said is None]
        sides = Counter(open_sides if len(self.either) <= len(open_sides) else (yes, no))
        return not Counter(self.either) - sides

    @property
    def sides(self) -> int:
        """How many of ja and nej the text gives a count for."""
        return min(2, (self.yes is not None) + (self.no is not None) + len(self.either))

    def __str__(self) -> str:
        """'3 ja och 2 nej', '11 ja, 2 nej och 2 avstår', '25 mot 20'."""
        told = [f"{n} {word}" for n, word in ((self.yes, "ja"), (self.no, "nej")) if n is not None]
        if self.either:
            told.insert(0, " mot ".join(map(str, self.either)))
        if self.abstain is not None:
            told.append(f"{self.abstain} avstår")
        return told[0] if len(told) == 1 else f"{', '.join(told[:-1])} och {told[-1]}"


class Standing(StrEnum):
    """How a text's counts stand to the recorded omröstning."""

    SILENT = "silent"  # the text states no counts: the text is silent, the facts tell them
    TOLD = "told"  # a statement gives the recorded counts, every one of them
    PARTIAL = "partial"  # a statement agrees, but gives ja or nej alone
    OMITS = "omits"  # a statement gives the recorded ja and nej, but not that some abstained
    DIFFERS = "differs"  # no statement agrees: a count the text gives is not the recorded one


@dataclass(frozen=True)
class _Mention:
    side: str  # yes, no, abstain or either
    value: int
    start: int
    piece: int  # the sentence it stands in


def read(text: str) -> tuple[Stated, ...]:
    """Every omröstning ``text`` states counts of, in order."""
    text = text.replace("*", "").replace("\u00a0", " ")  # Markdown's emphasis, hard spaces
    breaks = _breaks(text)
    mentions = _figures(text, breaks)
    claimed = [range(m.start, m.start + 1) for m in mentions]
    for found in _NUMBER.finditer(text):
        if any(found.start() in span for span in claimed):
            continue
        value = _value(found)
        side = _side(text, found, value)
        piece = _piece(breaks, found.start())
        if side is None and _AGAINST.search(text, max(0, found.start() - 10), found.start()):
            before = max((m for m in mentions if m.start < found.start()), key=_start, default=None)
            if before is not None and before.piece == piece:  # "11 ja-röster mot 2": 2 nej
                side = _OPPOSITE.get(before.side)
        if side is not None:
            mentions.append(_Mention(side, value, found.start(), piece))
    mentions.sort(key=_start)
    return tuple(_stated(text, group) for group in _groups(mentions) if _votes(group))


def standing(text: str, yes: int, no: int, abstain: int) -> tuple[Standing, Stated | None]:
    """How the counts ``text`` states stand to the recorded ones, and the statement that says
    so: the one that gives the recorded vote (or part of it), else the first."""
    statements = read(text)
    if not statements:
        return Standing.SILENT, None
    agreeing = [s for s in statements if s.agrees(yes, no, abstain)]
    if not agreeing:
        return Standing.DIFFERS, statements[0]
    best = max(agreeing, key=lambda s: (s.sides, s.abstain is not None))
    if best.sides < 2:
        return Standing.PARTIAL, best
    if best.abstain is None and abstain and not _ABSTAINING.search(text):
        return Standing.OMITS, best  # an abstention told by name ("Mats Rydén avstår") is told
    return Standing.TOLD, best


_ABSTAINING = re.compile(r"(?<![\w-])(?:avstår|avstod|avstått|avstående|nedlagda)(?![\w])", re.I)


def _start(mention: _Mention) -> int:
    return mention.start


def _value(found: re.Match[str]) -> int:
    if found.group("d"):
        return int(found.group("d"))
    if found.group("p"):
        return int(found.group("p"))
    return WORDS[found.group("w").casefold()]


def _side(text: str, found: re.Match[str], value: int) -> str | None:
    """Whose count the number is, by its label before it or the words after it."""
    label = _LABEL.search(text, max(0, found.start() - 40), found.start())
    if label is not None:
        return _labelled(label.group("label"))
    words = found.group("w")
    for side, pattern in _AFTER:
        after = pattern.match(text, found.end())
        if after is None:
            continue
        if side in {"bare", "voted"}:
            if side == "bare" and words and words.casefold() in {"en", "ett", "ingen", "inga"}:
                return None  # "ett nej" is a word, not a count
            return "yes" if after.group("side").casefold() == "ja" else "no"
        return side
    return None


def _labelled(label: str) -> str:
    label = label.casefold()
    if label.startswith("ja"):
        return "yes"
    return "no" if label.startswith("nej") else "abstain"


def _figures(text: str, breaks: list[int]) -> list[_Mention]:
    """The counts after their name: "röstsiffrorna 14–0" (a third is those who abstained)."""
    found = []
    for match in _FIGURES.finditer(text):
        piece = _piece(breaks, match.start("a"))
        for group, side in (("a", "either"), ("b", "either"), ("c", "abstain")):
            if match.group(group) is not None:
                found.append(_Mention(side, int(match.group(group)), match.start(group), piece))
    return found


def _breaks(text: str) -> list[int]:
    """Where each sentence of ``text`` begins (a full stop at the end of a line ends one
    sentence, not two)."""
    found: list[int] = []
    for match in _BREAK.finditer(text):
        if found and not text[found[-1] : match.start()].strip():
            found[-1] = match.end()
        else:
            found.append(match.end())
    return found


def _piece(breaks: list[int], at: int) -> int:
    return sum(1 for end in breaks if end <= at)


def _groups(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Mentions in one sentence or in sentences that follow each other, until a side is told
    twice: one omröstning each."""
    groups: list[list[_Mention]] = []
    for mention in mentions:
        group = groups[-1] if groups else None
        if group is None or mention.piece > group[-1].piece + 1 or not _fits(group, mention):
            groups.append([mention])
        else:
            group.append(mention)
    return groups


def _fits(group: list[_Mention], mention: _Mention) -> bool:
    sides = [m.side for m in group]
    if mention.side in {"yes", "no", "abstain"} and mention.side in sides:
        return False
    if mention.side == "abstain":
        return True
    return sum(1 for side in sides if side != "abstain") < 2  # ja and nej: two counts at most


def _votes(group: list[_Mention]) -> bool:
    """Whether the mentions tell an omröstning: ja or nej, not an "avstår" alone."""
    return any(m.side != "abstain" for m in group)


def _stated(text: str, group: list[_Mention]) -> Stated:
    by_side = {m.side: m.value for m in group if m.side != "either"}
    return Stated(
        line=text.count("\n", 0, group[0].start) + 1,
        yes=by_side.get("yes"),
        no=by_side.get("no"),
        abstain=by_side.get("abstain"),
        either=tuple(m.value for m in group if m.side == "either"),
    )
