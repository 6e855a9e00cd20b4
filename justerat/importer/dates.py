"""Recognisers for dates and times written the ways Swedish protocols write them, and the
split of a "Plats och tid" line into date, time span and place.

"2023-09-13", "13 september 2023", "Tisdagen den 5 mars 2024", "kl. 15.00-16.15",
"kl 18:00–20:30", "kl. 13-15".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAY = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_WORDS = re.compile(
    rf"(?:{_WEEKDAY}\s+)?(?:den\s+)?(\d{{1,2}})(?::e|:a)?\s+({_MONTH})\.?\s+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")

_CLOCK = r"(\d{1,2})(?:[.:](\d{2}))?"
_TIME_SPAN = re.compile(
    rf"(?:\b(?:kl\.?|klockan)\s*)?{_CLOCK}\s*(?:[-–—]|till)\s*{_CLOCK}(?![\d.:])",
    re.IGNORECASE,
)
_SINGLE_TIME = re.compile(rf"\b(?:kl\.?|klockan)\s*{_CLOCK}(?![\d.:])", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A value found in a text and where: ``start``/``end`` index the text it was found in."""

    value: datetime.date
    start: int
    end: int
    written: str


def find_dates(text: str) -> list[Found]:
    """Every date in ``text``, in order. Impossible dates ("2023-02-30") are skipped."""
    found: list[Found] = []
    for pattern, order in ((_ISO, "ymd"), (_WORDS, "dmy"), (_NUMERIC, "dmy")):
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
            try:
                value = datetime.date(int(parts["y"]), month_number, int(parts["d"]))
            except ValueError:
                continue
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            found.append(Found(value, match.start(), match.end(), match.group(0)))
    return sorted(found, key=lambda f: f.start)


def invalid_dates(text: str) -> list[str]:
    """Written dates that look like dates but do not exist ("2023-02-30")."""
    bad = []
    for match in _ISO.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            bad.append(match.group(0))
    return bad


@dataclass(frozen=True)
class TimeSpan:
    value: str  # "15.00-16.15"
    start: int
    end: int


def _clock(hours: str, minutes: str | None) -> str | None:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59:
        return None
    return f"{h:02d}.{m:02d}"


def find_time_span(text: str) -> TimeSpan | None:
    """The meeting's time span: the first start and the last end when there are several
    ("kl 18:00–19:30, 19:45–20:30" is "18.00-20.30"). Spans need "kl" or minutes, so
    that "10-20 miljoner" is no time."""
    spans: list[tuple[str, str, int, int]] = []
    for match in _TIME_SPAN.finditer(text):
        has_kl = match.group(0).strip().lower().startswith(("kl", "klockan"))
        if not has_kl and (match.group(2) is None or match.group(4) is None):
            continue
        start = _clock(match.group(1), match.group(2))
        end = _clock(match.group(3), match.group(4))
        if start is None or end is None:
            continue
        if spans and not _JOINS.fullmatch(text[spans[-1][3] : match.start()]):
            break  # not the meeting's own pieces: "(ajournering 10:05–10:20)"
        spans.append((start, end, match.start(), match.end()))
    if not spans:
        return None
    return TimeSpan(f"{spans[0][0]}-{spans[-1][1]}", spans[0][2], spans[-1][3])


_JOINS = re.compile(r"\s*(?:,|och|samt)?\s*")  # between the pieces of one meeting's time


def find_single_time(text: str) -> TimeSpan | None:
    """A start time alone ("kl. 15.00"), which is not enough for the schema's span."""
    match = _SINGLE_TIME.search(text)
    if match is None:
        return None
    value = _clock(match.group(1), match.group(2))
    return TimeSpan(value, match.start(), match.end()) if value else None


@dataclass(frozen=True)
class DateTimePlace:
    """What a "Plats och tid" or "Justeringens plats och tid" line holds."""

    date: datetime.date | None
    time: str | None
    single_time: str | None
    rest: str  # the text left when the date and time are taken out: the place, if any
    more: str = ""  # sentences after the first ("Ajournering mellan kl 18.55-19.05."): not it


_YEARLESS = re.compile(
    rf",?\s*(?:{_WEEKDAY}\s+)?(?:den\s+)?\d{{1,2}}(?::e|:a)?\s+(?:{_MONTH})\b\.?", re.IGNORECASE
)
_FILLER = re.compile(
    rf"^(?:{_WEEKDAY}|den|kl\.?|klockan|,|–|-|och)$|^(?:{_WEEKDAY}),?$", re.IGNORECASE
)


def date_time_place(text: str) -> DateTimePlace:
    """Split a line such as "Kommunhuset, tisdagen den 5 mars 2024 kl 18:00–20:30" into its
    date, time span and the remaining text (the place). Only the first sentence is read: a
    further one ("Ajournering mellan kl 18.55–19.05") is given back as it is."""
    first = _SENTENCE_BREAK.split(text, maxsplit=1)
    text, more = first[0], (first[1] if len(first) > 1 else "")
    for remark in _REMARK.findall(text):  # "(ajournering 10:05–10:20)": about the meeting
        text = text.replace(remark, " ")
        more = f"{remark} {more}".strip()
    cut: list[tuple[int, int]] = []
    dates = find_dates(text)
    if dates:
        cut.append((dates[0].start, dates[0].end))
    span = find_time_span(text)
    single = None
    if span:
        cut.append((span.start, span.end))
    else:
        single = find_single_time(text)
        if single:
            cut.append((single.start, single.end))
    if cut and len(text) > _LONG_PLACE:
        # a place, then the date and time, then a long tail (a flattened front page's next
        # section): the place is what came first
        before, after = text[: min(c[0] for c in cut)], text[max(c[1] for c in cut) :]
        if tidy_rest(before) and len(tidy_rest(after)) > _LONG_PLACE // 2:
            text, more = text[: len(text) - len(after)], f"{after.strip()} {more}".strip()
    rest = text
    for start, end in sorted(cut, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return DateTimePlace(
        dates[0].value if dates else None,
        span.value if span else None,
        single.value if single else None,
        tidy_rest(rest),
        more.strip(),
    )


_LONG_PLACE = 80  # characters: a place is seldom longer
_REMARK = re.compile(r"\([^()]*\d[.:]\d\d[^()]*\)")
_SENTENCE_BREAK = re.compile(r"(?<=[a-zåäö0-9)])\.\s+(?=[A-ZÅÄÖ])")


def tidy_rest(rest: str) -> str:
    """Remove the filler words ("tisdagen den", "kl") and stray commas left around a place."""
    words = [w for w in re.split(r"\s+", rest.strip()) if w]
    while words and _FILLER.match(words[-1]):
        words.pop()
    while words and (_FILLER.match(words[0]) or words[0].lower() in ("på", "i", "via")):
        if words[0].lower() == "via" and len(words) > 1:
            break  # "via Teams" is the place of a digital meeting
        words.pop(0)
    # a weekday left inside ("Kommunhuset, tisdagen den") is filler too
    while len(words) >= 1 and re.match(rf"^{_WEEKDAY},?$|^den$", words[-1], re.IGNORECASE):
        words.pop()
    text = " ".join(words)
    text = _YEARLESS.sub(" ", text)  # "onsdag den 29 augusti": a date without its year
    text = re.sub(r"\s*:\d\d$", "", text)  # ":15", the minutes of a time whose hour was lost
    text = re.sub(r"\s+,", ",", text)
    if text.count("(") != text.count(")"):  # a bracket whose other half went with the time
        text = text.replace("(", " ").replace(")", " ")
    text = re.sub(r"(?:\s+(?:kl\.?|klockan))+$", "", " ".join(text.split()), flags=re.I)
    return text.strip(" ,;–-")
