"""Every word of the source accounted for, checked rather than trusted: in the body, in a
front-matter value the file holds, one of the recognisers' labels, or page furniture removed
(running headers and footers, page numbers, signature lines). What would be lost otherwise is
named, so that the importer puts it back into the body with a warning.

Words are compared as multisets. A body line's word is in the body when the body still has
one of it not yet claimed (aligned in order with ``difflib``, so that a word is found where
it stands). A front-page line's word is in the front matter only when a value still holds
one of it not yet claimed (a date's value gives its ISO parts), or when it is a label word
(``LABEL_WORDS``: the labels the recognisers read, and the words a date is written with).
A front-page line left with other words is either a repeat of facts written (the date once
more, the body's name in a title line, the § range: each such word is in a value, or the
line was ``read`` and checked): it is written verbatim under ``imported.text``; or it holds
something no value holds, and it goes back into the body. A word split over two lines by a
hyphen ("kommun-" / "styrelsen") counts as the word the body joined.
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

# The labels the recognisers read (``front_sections``, ``anslag``, the title lines of
# ``frontpage``, the page headers of ``furniture``), as phrases: tests/test_import_accounting.py
# checks that each is one a recogniser reads.
LABELS = (
    "plats och tid", "tid och plats", "justeringens plats och tid", "justeringens tid och plats",
    "justeringens plats och datum", "plats och tid för justering", "plats och tid för justeringen",
    "justeringsdatum", "justeringens", "justering", "justeras", "sammanträdets plats och tid",
    "plats", "tid", "lokal", "datum och tid", "sammanträdesdatum", "sammanträdes datum",
    "mötesdatum", "datum", "datum för sammanträdet",
    "beslutande ledamöter och tjänstgörande ersättare", "närvarande beslutande ledamöter",
    "beslutande", "närvarande ledamöter", "ledamöter", "tjänstgörande ersättare",
    "beslutande ersättare", "närvarande ej tjänstgörande ersättare", "icke tjänstgörande ersättare",
    "närvarande ersättare", "övriga ersättare", "ersättare", "frånvarande ledamöter",
    "frånvarande ersättare", "frånvarande", "frånvarande (deltog ej i mötet)",
    "anmält förhinder", "ej närvarande", "övriga deltagande från kansliet",
    "närvarande övriga deltagande", "övriga deltagare", "övriga närvarande", "övriga",
    "övriga tjänstemän", "övriga tjänstepersoner", "närvarande tjänstemän", "tjänstepersoner",
    "sekreterare", "sekreterare/protokollförare", "protokollförare", "ordförande",
    "utses att justera", "utsedd att justera", "utsedda att justera", "protokollsjusterare",
    "justerare", "justerande", "justerandes sign", "justerandes signatur", "utdragsbestyrkande",
    "anslagsbevis", "anslag/bevis", "bevis", "bevis om justering", "bevis om anslag",
    "tillkännagivande om protokollets justering", "underskrifter", "underskrift", "sign",
    "paragrafer", "paragraf", "§§", "omfattning", "organ", "sammanträdesprotokoll", "protokoll",
    "protokollet är justerat", "justeringen har tillkännagivits genom anslag",
    "justeringen har tillkännagetts genom anslag", "justeringen har kungjorts genom anslag",
    "datum för anslags uppsättande", "datum då anslaget sattes upp", "datum då anslaget sätts upp",
    "anslaget uppsattes", "datum för anslags nedtagande", "datum då anslaget togs ned",
    "datum då anslaget tas ned", "uppsatt den",
    "nedtaget den", "nedtas den", "uppsättande av anslaget", "nedtagande av anslaget",
    "förvaringsplats för protokollet", "protokollet förvaras på", "protokollet förvaras i",
)  # fmt: skip
# The words a date, a time, a page and a digital justering are written with besides their
# numbers and names, which the readers of dates (``dates``), of the justering (``frontpage``)
# and of page marks (``furniture``) pass over.
FORMS = (
    "kl", "klockan", "den", "sid", "sidan", "digitalt", "digital", "digitala", "elektronisk",
    "elektroniskt", "signering", "signerad", "signerat", "e", "via", "med", "bankid",
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
    "måndagen", "tisdagen", "onsdagen", "torsdagen", "fredagen", "lördagen", "söndagen",
)  # fmt: skip

LABEL_WORDS = frozenset(
    word for phrase in (*LABELS, *FORMS, *MONTHS) for word in _WORD.findall(phrase.casefold())
)


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


def _date_forms(day: datetime.date) -> Iterator[str]:
    """The other ways a source writes a date written in the front matter: its month's name,
    "230913", "20230913"."""
    yield MONTHS[day.month - 1]
    yield _plain(f"{day.year % 100:02}{day.month:02}{day.day:02}")
    yield day.strftime("%Y%m%d")


def value_words(value: Any, forms: bool = False) -> Iterator[str]:
    """The words of every value in the front matter, as written (a date in its ISO parts:
    "2023", "9", "13"); with ``forms``, a date's other forms besides."""
    if isinstance(value, Mapping):
        for each in value.values():
            yield from value_words(each, forms)
    elif isinstance(value, list | tuple):
        for each in value:
            yield from value_words(each, forms)
    elif isinstance(value, datetime.date):
        yield from words(value.isoformat())
        if forms:
            yield from _date_forms(value)
    elif isinstance(value, str):
        yield from words(value)


@dataclass
class Account:
    """Where the source's words went, and the lines whose words went nowhere."""

    body: int = 0
    front_matter: int = 0
    furniture: int = 0
    labels: int = 0
    lost: list[Line] = field(default_factory=list)  # lines with a word that went nowhere
    lost_words: int = 0
    furniture_lines: list[tuple[Line, str]] = field(default_factory=list)  # (line, kind)
    front: frozenset[int] = frozenset()  # the lines the front matter was read from
    read: Mapping[int, str] = field(default_factory=dict)  # line → what was read from it
    # and checked, not written (the body's name, the § range the front page states)
    repeated: list[Line] = field(default_factory=list)  # front lines written under
    # imported.text: they repeat facts written, or were read and checked

    @property
    def total(self) -> int:
        return self.body + self.front_matter + self.labels + self.furniture + self.lost_words

    def summary(self) -> str:
        return (
            f"{self.total} ord: {self.body} i texten, {self.front_matter} i front matter, "
            f"{self.labels} i etiketter (Plats och tid, Justerare …), "
            f"{self.furniture} i sidhuvuden, sidfötter, sidnummer och underskriftsrader som "
            "togs bort"
        ) + (f", {self.lost_words} lades tillbaka i texten" if self.lost_words else "")


def account(
    lines: Iterable[Line],
    body: str,
    meta: Mapping[str, Any],
    front: set[int],
    furniture: Mapping[int, str],
    read: Mapping[int, str] | None = None,
) -> Account:
    """Account for the words of ``lines``: in ``body``; for the lines in ``front`` (which
    the front page was read from), in a value of the front matter ``meta`` or a label;
    or in ``furniture`` (line number → what it was). A front line left with other words
    is ``repeated`` when each of them is in a value (in any of a date's forms) or the line
    is in ``read`` (line → what the importer read from it and checked without writing it:
    the body's name, the § range); else it is ``lost``. Body lines whose words the body
    does not hold are ``lost``."""
    read = dict(read or {})
    found = Account(front=frozenset(front), read=read)
    tokens: list[tuple[str, Line]] = []  # the words of lines not from the front page
    on_front: list[tuple[Line, list[str]]] = []  # the front page's lines and words
    halves: dict[str, tuple[str, str]] = {}  # a word joined over a line break → its halves
    for line, words_of_line, cut in _source_words(lines):
        kind = furniture.get(line.number)
        if kind is not None:
            found.furniture += len(words_of_line)
            found.furniture_lines.append((line, kind))
            continue
        if line.number in front:
            on_front.append((line, words_of_line))
        else:
            tokens.extend((w, line) for w in words_of_line)
        if cut is not None:
            halves["".join(cut)] = cut
    spare = _aligned(tokens, words(body), found)
    lost: dict[int, Line] = {}
    known = {line: Counter(words(text)) for line, text in read.items()}
    for word, line in tokens:
        if _take(word, known.get(line.number, Counter()), {}):
            found.labels += 1  # the organ's letters before a § ("KS § 46"): its label
        elif _take(word, spare, halves):
            found.body += 1
        else:
            found.lost_words += 1
            lost.setdefault(line.number, line)
    facts = [
        (line, found_words)
        for line, found_words in on_front
        if not _kept(found_words, spare, found)
    ]
    for line in _front_lines(facts, meta, read, found, halves):
        lost.setdefault(line.number, line)
    found.lost = sorted(lost.values(), key=lambda line: line.number)
    return found


def _kept(words_of_line: list[str], spare: Counter[str], found: Account) -> bool:
    """Whether a front-page line stands in the body as it is (the importer kept a line it
    did not understand there): then its words are taken from ``spare``."""
    if any(spare[w] < n for w, n in Counter(words_of_line).items()):
        return False
    spare.subtract(words_of_line)
    found.body += len(words_of_line)
    return True


def _front_lines(
    facts: list[tuple[Line, list[str]]],
    meta: Mapping[str, Any],
    read: Mapping[int, str],
    found: Account,
    halves: Mapping[str, tuple[str, str]],
) -> list[Line]:
    """Account for the front page's lines by the front matter's values (each value's words
    claimed once) and the labels; the lines ``repeated`` are noted in ``found``, the lines
    lost are given. The lines a value holds whole are claimed first, so that a fact stated
    twice (a name among the beslutande and as justerare) leaves the fuller line whole. A
    word joined over a line break by a hyphen that a value holds in its halves ("…/arkiv-" /
    "mapp/" of a web address) counts as its halves."""
    unclaimed = Counter(value_words(meta))
    stated = set(value_words(meta, forms=True))
    facts = [
        (line, [part for w in ws for part in _apart(w, unclaimed, halves)]) for line, ws in facts
    ]
    whole = set()
    for index, (_, words_of_line) in enumerate(facts):
        needed = Counter(w for w in words_of_line if w not in LABEL_WORDS)
        if all(unclaimed[w] >= n for w, n in needed.items()):
            unclaimed.subtract(needed)
            whole.add(index)
    lost: list[Line] = []
    for index, (line, words_of_line) in enumerate(facts):
        labelled = sum(1 for w in words_of_line if w in LABEL_WORDS)
        left = (
            []
            if index in whole
            else [w for w in words_of_line if w not in LABEL_WORDS and not _take(w, unclaimed, {})]
        )
        checked = set(words(read.get(line.number, "")))
        if not left:
            found.labels += labelled
            found.front_matter += len(words_of_line) - labelled
        elif all(w in stated or w in checked for w in left):
            found.repeated.append(line)
            found.front_matter += len(words_of_line)
        else:
            found.lost_words += len(words_of_line)
            lost.append(line)
    return lost


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


def _apart(word: str, values: Counter[str], halves: Mapping[str, tuple[str, str]]) -> list[str]:
    """``word``, or its halves where it was joined over a line break and the values hold
    the halves, not the whole."""
    pair = halves.get(word)
    if pair is not None and values[word] == 0 and all(values[half] > 0 for half in pair):
        return list(pair)
    return [word]


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
