"""Every word of the source accounted for: in the body, in a front-matter value, or in the
page furniture removed (running headers, page numbers, signature lines). What would be lost
otherwise is named, so that the importer puts it back into the body with a warning.

Words are compared as multisets, line by line in the source's order: a word of a line is in
the body when the body still has one of it not yet claimed. A word split over two lines by a
hyphen ("kommun-" / "styrelsen") counts as the word the body joined. A line the front page
was read from counts as in the front matter when its words are among the front matter's
values, or are the front page's own words (its labels, weekday and month names, "kl"), or
are a date's parts written in the front matter as ISO.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..core.problems import Problem, warning
from .text import Line

_WORD = re.compile(r"[^\W_]+")  # letters and digits: a line of underscores has no words
_HYPHENATED = re.compile(r"([^\W\d_]+)-$")  # a word cut by a hyphen (not "2016-", a range)
_FIRST_WORD = re.compile(r"^\W*(\w+)")

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# The front page's own words: its labels and the words around its facts.
_FRONT_TEXT = """
    plats och tid datum för justering justeringen justeringens justeras justeringsdatum
    sammanträdets sammanträdesdatum sammanträde sammanträdet mötesdatum mötet möte lokal
    beslutande ledamöter ledamot tjänstgörande ersättare ersättaren närvarande ej icke övriga
    deltagare deltagande deltog utses att justera justerare justerande justerandes underskrifter
    underskrift sekreterare ordförande vice paragrafer paragraf anslag bevis anslagsbevis
    organ anslags uppsättande nedtagande uppsatt nedtagen nedtas förvaringsplats
    protokollets protokollet protokoll sammanträdesprotokoll är justerat har tillkännagivits
    tillkännagetts kungjorts genom på anslagstavlan kommunens anslagstavla digitalt digital
    kl klockan den dag från till med via se sid sidan närvarolista frånvarande mötet i
    anmält anmälda förhinder tjänstgör ersätter ersatt signering signerad signerat
    signerades då sätts upp tas ned anslaget avser gäller omfattar nedtaget nedtogs sattes
    uppsattes tillkännagivande
    måndag tisdag onsdag torsdag fredag lördag söndag
    måndagen tisdagen onsdagen torsdagen fredagen lördagen söndagen
"""
FRONT_WORDS = frozenset(_FRONT_TEXT.split()) | frozenset(MONTHS)


def kept(path: str, line: Line) -> Problem:
    """The warning for a line put back into the text because no recogniser kept its words."""
    return warning(
        path,
        line.number,
        f"raden '{line.text}' kom inte med i importen; den ligger kvar som text",
        "import-kept",
    )


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded; a number without its leading zeros ("09" is "9")."""
    return [_plain(word.casefold()) for word in _WORD.findall(_BULLET.sub("", text))]


def _plain(word: str) -> str:
    return (word.lstrip("0") or "0") if word.isdigit() else word


# A list's bullet drawn as the letter o (a symbol font's bullet, as PDFs give it).
_BULLET = re.compile(r"^\s*o\s+(?=[A-ZÅÄÖ])")


def _date_words(day: datetime.date) -> Iterator[str]:
    yield from (str(day.year), str(day.month), str(day.day), MONTHS[day.month - 1])
    yield _plain(f"{day.year % 100:02}{day.month:02}{day.day:02}")  # 230913
    yield day.strftime("%Y%m%d")


def value_words(value: Any) -> Iterator[str]:
    """The words of every value in the front matter (dates also in their Swedish parts)."""
    if isinstance(value, Mapping):
        for each in value.values():
            yield from value_words(each)
    elif isinstance(value, list | tuple):
        for each in value:
            yield from value_words(each)
    elif isinstance(value, datetime.date):
        yield from _date_words(value)
    elif isinstance(value, str):
        yield from words(value)


@dataclass
class Account:
    """Where the source's words went, and the lines whose words went nowhere."""

    body: int = 0
    front_matter: int = 0
    furniture: int = 0
    lost: list[Line] = field(default_factory=list)  # lines with a word that went nowhere
    lost_words: int = 0
    furniture_lines: list[tuple[Line, str]] = field(default_factory=list)  # (line, kind)
    front: frozenset[int] = frozenset()  # the lines the front matter was read from
    read: Mapping[int, str] = field(default_factory=dict)  # line → what was read from it
    # and checked, not written (the body's name, the § range the front page states)

    @property
    def total(self) -> int:
        return self.body + self.front_matter + self.furniture + self.lost_words

    def summary(self) -> str:
        return (
            f"{self.total} ord: {self.body} i texten, {self.front_matter} i front matter, "
            f"{self.furniture} i sidhuvuden, sidnummer och underskriftsrader som togs bort"
        ) + (f", {self.lost_words} lades tillbaka i texten" if self.lost_words else "")


def account(
    lines: Iterable[Line],
    body: str,
    meta: Mapping[str, Any],
    front: set[int],
    furniture: Mapping[int, str],
    read: Mapping[int, str] | None = None,
) -> Account:
    """Account for the words of ``lines``: in ``body``, in the front matter ``meta`` (for the
    lines in ``front``, which the front page was read from, with the texts the importer
    ``read`` from a line and checked without writing them: the body's name, the § range a
    front page states; credited only to that line), or in ``furniture`` (line number → what
    it was).

    The source's words are aligned with the body's in order (``difflib``), so that a word is
    found where it stands; a word the alignment leaves out may still be in the body
    elsewhere (a moved line), and a front page's word in the front matter."""
    read = dict(read or {})
    found = Account(front=frozenset(front), read=read)
    tokens: list[tuple[str, Line]] = []  # the words of lines not from the front page
    on_front: list[tuple[str, Line]] = []  # the front page's
    halves: dict[str, tuple[str, str]] = {}  # a word joined over a line break → its halves
    for line, words_of_line, cut in _source_words(lines):
        kind = furniture.get(line.number)
        if kind is not None:
            found.furniture += len(words_of_line)
            found.furniture_lines.append((line, kind))
            continue
        (on_front if line.number in front else tokens).extend((w, line) for w in words_of_line)
        if cut is not None:
            halves["".join(cut)] = cut
    spare = _aligned(tokens, words(body), found)
    in_meta = Counter(value_words(meta))
    known = {line: Counter(words(text)) for line, text in read.items()}
    lost: dict[int, Line] = {}
    for word, line in [*tokens, *on_front]:
        if line.number in front and (in_meta[word] > 0 or word in FRONT_WORDS):
            found.front_matter += 1  # a front page repeats its facts (a name, the date)
        elif _take(word, known.get(line.number, Counter()), {}) or _take(word, spare, halves):
            found.body += 1
        else:
            found.lost_words += 1
            lost.setdefault(line.number, line)
    found.lost = sorted(lost.values(), key=lambda line: line.number)
    return found


def _aligned(tokens: list[tuple[str, Line]], output: list[str], found: Account) -> Counter[str]:
    """Align the source's words with the body's, in order (``difflib``): the aligned ones
    are in the body (counted in ``found`` and taken out of ``tokens``). Gives the body's
    words that no source word was aligned with."""
    matcher = SequenceMatcher(None, [word for word, _ in tokens], output, autojunk=False)
    aligned: set[int] = set()
    spare = Counter(output)
    for block in matcher.get_matching_blocks():
        aligned.update(range(block.a, block.a + block.size))
        spare.subtract(output[block.b : block.b + block.size])
    found.body += len(aligned)
    tokens[:] = [token for index, token in enumerate(tokens) if index not in aligned]
    return spare


def _take(word: str, spare: Counter[str], halves: Mapping[str, tuple[str, str]]) -> bool:
    """Take ``word`` from ``spare`` (or the halves of a word joined over a line break)."""
    if spare[word] > 0:
        spare[word] -= 1
        return True
    pair = halves.get(word)
    if pair is not None and all(spare[half] > 0 for half in pair):
        spare.subtract(pair)
        return True
    return False


def _source_words(
    lines: Iterable[Line],
) -> Iterator[tuple[Line, list[str], tuple[str, str] | None]]:
    """Each non-blank line with its words; a word cut at a line's end by a hyphen
    ("kommun-" / "styrelsen") is counted whole, with the line it begins on (and its halves
    are given)."""
    ordered = [line for line in lines if not line.blank]
    carried = False
    for index, line in enumerate(ordered):
        found = words(line.text)
        if carried and found:
            found = found[1:]
        carried = False
        cut = _HYPHENATED.search(line.text)
        following = _FIRST_WORD.match(ordered[index + 1].text) if index + 1 < len(ordered) else None
        if cut and following and found:
            pair = (found[-1], following.group(1).casefold())
            found[-1] = "".join(pair)
            carried = True
            yield line, found, pair
        else:
            yield line, found, None
