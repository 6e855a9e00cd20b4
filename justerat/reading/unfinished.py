"""Unfinished work left in a content file: the placeholders ``new`` writes into its drafts and
the usual marks a writer leaves, each an error at its line. No I/O.

This module holds the one list of what counts as unfinished, and the placeholders themselves:
the drafts of ``justerat.app.new`` import what they write from here, so that a draft's
placeholders and what ``check`` looks for cannot drift apart. The marks:

- ``ÄNDRA:`` anywhere, in capitals (the drafts' mark; "ändra" is an ordinary verb).
- ``NN`` or ``N.N.`` as a name: the whole word in a name field of the front matter (``name``,
  ``chair``, ``justerare``, the names under ``proceedings``, ``decided_by``, ``issuer``); in the
  text only before a role ("NN sekreterare", "NN ledamot"), since "NN" alone in a published
  protocol is how a private person's name is left out ("ansökan från NN"). Never inside a word
  or code ("NNS", "NN-12", "SE-NN").
- ``TODO`` in capitals as a word, or ``todo:``/``Todo:`` ("Todo" alone may be a name);
  ``XXX`` in capitals as a word: not "XXXL", "XXXI", "XXX-nummer" or "XXX:e".
- The drafts' own text where something is to be written: a line "Förslaget till beslut.".
- A decision heading ("### Beslut", "### Styrelsen beslutar", ``markdown.classify``) with no
  text before the next heading or the end: the draft's empty decision (a decision heading
  right under another, as old protocols have "Beslut" then "Kommunfullmäktige beslutar", is
  one decision with the text under the second).
- A meeting time that starts and ends the same minute ("08.30-08.30"): what a draft holds until
  the end is written (``TIME_PLACEHOLDER`` is one).
- The example of ``proceedings`` (between ``EXAMPLE_START`` and ``EXAMPLE_END``) taken in
  unchanged: its texts, its proposers and its reservation as the draft wrote them.

Each mark names the plain text every match of it holds; text without any is not searched, so
that a file with no marks costs a few substring searches. Comments in the front matter are not
read (they are never published): the drafts' "# ÄNDRA" beside a value marks it for the
secretary, and the value itself is a placeholder found here. Every mark is an error whatever
the file's status; a draft's errors are the pipeline's to weigh.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.problems import Problem, error
from ..domain.model import PartKind
from ..domain.source import Key, Source
from . import guard
from .markdown import classify

RULE = "oavslutat"

# --- the placeholders ``new`` writes ---------------------------------------------------------

CHANGE = "ÄNDRA"  # marks what the secretary must change before the draft is published
PLACE_PLACEHOLDER = f"{CHANGE}: lokal och adress"
TIME_PLACEHOLDER = "00.00-00.00"  # starts and ends the same minute: unfinished
ITEM_PLACEHOLDER = f"{CHANGE}: ärendets rubrik"
PROPOSAL_PLACEHOLDER = "Förslaget till beslut."
CHAIR_PLACEHOLDER = "NN ordförande"
MEMBER_PLACEHOLDER = "NN ledamot"
SECRETARY_PLACEHOLDER = "NN sekreterare"
ISSUER_PLACEHOLDER = f"{CHANGE}: organ eller myndighet"
DECIDED_BY_PLACEHOLDER = f"{CHANGE}: delegatens titel eller namn"
NOTICE_TEXT_PLACEHOLDER = f"{CHANGE}: anslagets text."
FORESKRIFT_TITLE_PLACEHOLDER = f"{CHANGE}: föreskriftens rubrik"
FORESKRIFT_TEXT_PLACEHOLDER = f"{CHANGE}: föreskriftens text."

# The example of ``proceedings`` in a protocol's draft is YAML comments between these two lines:
# taking the "# " off the lines between them gives a valid entry for the draft's own beslutande.
EXAMPLE_START = "# EXEMPEL proceedings: början"
EXAMPLE_END = "# EXEMPEL proceedings: slut"
EXAMPLE_FOR = "Bifall till förslaget."
EXAMPLE_AGAINST = "Avslag på förslaget."
EXAMPLE_YES_MEANS = "bifall till förslaget"
EXAMPLE_NO_MEANS = "avslag på förslaget"
EXAMPLE_ORDER = (
    "Ordföranden ställer proposition på bifall mot avslag och finner att {body} bifaller "
    "förslaget. Omröstning begärs."
)

# --- the marks ------------------------------------------------------------------------------

_NN = r"(?<![\w.-])(?:NN|N\.[ ]?N\.)(?![\w-])"
NN_ADVICE = "är en platshållare, inget namn: skriv personens namn"
_ROLE = r"(?i:vice\s+)?\w*(?i:ordförande|ledamot|ledamöter|ersättare|sekreterare|justerare)\b"


@dataclass(frozen=True)
class Mark:
    """A mark of unfinished work found in text: what it is, its pattern, what to do, and the
    plain text that every match holds (text without it is not searched: the search is fast)."""

    name: str
    pattern: str
    advice: str  # the end of the message, in Swedish
    in_value: str = ""  # the advice for a value of the front matter, if another
    held: tuple[str, ...] = ()  # one of these is in every match


MARKS = (
    Mark(
        "ÄNDRA",
        r"(?<!\w)ÄNDRA\s*:",
        "skriv in det som ska stå där i stället, eller ta bort raden",
        "skriv in det som ska stå där i stället",
        ("ÄNDRA",),
    ),
    Mark("NN", rf"{_NN},?\s+{_ROLE}", NN_ADVICE, held=("NN", "N.")),
    Mark(
        "TODO",
        r"(?<![\w-])TODO(?![\w-])|(?<![\w-])[Tt]odo\s*:",
        "gör klart det som återstår och ta bort markeringen",
        held=("TODO", "odo"),
    ),
    Mark(
        "XXX",
        r"(?<!\w)XXX(?![\w-])(?!:e\b)",
        "skriv in det som ska stå i stället för XXX",
        held=("XXX",),
    ),
    Mark(
        "förslag",
        rf"^[ \t]*{re.escape(PROPOSAL_PLACEHOLDER)}[ \t]*$",
        "skriv förslaget till beslut, eller ta bort raden och dess rubrik",
        "skriv förslaget till beslut",
        (PROPOSAL_PLACEHOLDER,),
    ),
)
_HELD = tuple(sorted({text for mark in MARKS for text in mark.held}))
_MARKS = re.compile("|".join(f"(?P<m{n}>{m.pattern})" for n, m in enumerate(MARKS)), re.M)
_NAME = re.compile(_NN)
# the keys of the front matter whose values are names of people (the last key above a value)
NAME_KEYS = frozenset(
    {
        "name",
        "replaces",
        "chair",
        "justerare",
        "by",
        "arrived",
        "left",
        "jav",
        "yes",
        "no",
        "abstain",
        "decided_by",
        "issuer",
    }
)
_CLOCK = re.compile(
    r"^\s*(?:kl\.?\s*)?([0-2]?\d)[.:]([0-5]\d)\s*[-–—]\s*(?:kl\.?\s*)?([0-2]?\d)[.:]([0-5]\d)\s*$",
    re.I,
)
_HASHES = re.compile(r"#[^\n]*")  # from a line's first # on: perhaps a heading
_BEFORE, _AFTER = EXAMPLE_ORDER.split("{body}")
_EXAMPLE_ORDER = re.compile(
    re.escape(" ".join(_BEFORE.split())) + r" .+ " + re.escape(" ".join(_AFTER.split()))
)
_SHOWN = 60  # characters of the text around a mark shown in its message


# --- per document -----------------------------------------------------------------------------


def protocol(source: Source) -> list[Problem]:
    """The marks in a protocol: its text, its time, its decisions and its proceedings."""
    time = _same_minute(source, ("time",), "skriv när sammanträdet började och slutade")
    return _text(source) + time + _empty_decisions(source) + _example(source)


def meeting(source: Source) -> list[Problem]:
    """The marks in a meeting and its kallelse: its text and its time (also where moved to)."""
    advice = "skriv när sammanträdet börjar och slutar, eller bara när det börjar (18.30)"
    times = _same_minute(source, ("time",), advice)
    times += _same_minute(source, ("moved_to", "time"), advice)
    return _text(source) + times + _empty_decisions(source)


def plan(source: Source) -> list[Problem]:
    """The marks in a plan."""
    return _text(source) + _empty_decisions(source)


def notice(source: Source) -> list[Problem]:
    """The marks in a notice on the anslagstavla."""
    return _text(source) + _empty_decisions(source)


def forfattning(source: Source) -> list[Problem]:
    """The marks in a föreskrift of the författningssamling."""
    return _text(source)


# --- the checks -------------------------------------------------------------------------------


def _problem(source: Source, line: int, message: str) -> Problem:
    return error(source.path, line, message, RULE)


def _text(source: Source) -> list[Problem]:
    """The marks of ``MARKS`` in every string of the front matter and every line of the text,
    and NN in the front matter's names; one problem per mark and line."""
    found: dict[tuple[int, str], Problem] = {}
    if _holds(json.dumps(source.meta, ensure_ascii=False, default=str)):
        for at, value in guard.strings(source.meta, ()):
            line = source.line_of(*at)
            where = f"'{_dotted(at)}': "
            names = [key for key in at if isinstance(key, str)]
            if names and names[-1] in NAME_KEYS and _NAME.search(value):
                message = f"{where}'{_cut(value)}' {NN_ADVICE}"
                found.setdefault((line, "NN"), _problem(source, line, message))
            for match in _MARKS.finditer(value):
                mark = _mark_of(match)
                message = where + _said(value, match.start(), match.end(), mark, True)
                found.setdefault((line, mark.name), _problem(source, line, message))
    body = source.body
    for first in _lines_holding(body):
        last = body.find("\n", first)
        text = body[first : last if last >= 0 else len(body)]
        line = source.body_line + body.count("\n", 0, first)
        for match in _MARKS.finditer(text):
            mark = _mark_of(match)
            message = _said(text, match.start(), match.end(), mark)
            found.setdefault((line, mark.name), _problem(source, line, message))
    return list(found.values())


def _holds(text: str) -> bool:
    """Whether ``text`` holds the plain text of any mark."""
    return any(held in text for held in _HELD)


def _lines_holding(text: str) -> list[int]:
    """Where each line of ``text`` that holds the plain text of a mark starts, in order."""
    starts = set()
    for held in _HELD:
        at = text.find(held)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            end = text.find("\n", at)
            at = text.find(held, end) if end >= 0 else -1
    return sorted(starts)


def _mark_of(match: re.Match[str]) -> Mark:
    group = next(name for name, value in match.groupdict().items() if value is not None)
    return MARKS[int(group[1:])]


def _said(text: str, start: int, end: int, mark: Mark, in_value: bool = False) -> str:
    """The message for ``mark`` found at ``text[start:end]`` (a line, or a front matter value
    when ``in_value``)."""
    advice = (in_value and mark.in_value) or mark.advice
    if mark.name == "NN":
        return f"'{_cut(text[start:end])}' {advice}"
    if mark.name in ("TODO", "XXX"):
        begin = max(start - _SHOWN // 2, 0)
        space = text.find(" ", begin, start) if begin else -1
        around = text[space + 1 if space >= 0 else begin :]
        return f"markeringen {mark.name} står kvar ('{_cut(around)}'): {advice}"
    return f"platshållaren '{_cut(text[start:])}' står kvar: {advice}"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "…"


def _dotted(at: tuple[Key, ...]) -> str:
    """'attendees.voting[2].name' (items counted from 1, as a secretary counts them)."""
    shown = ""
    for key in at:
        shown += f"[{key + 1}]" if isinstance(key, int) else (f".{key}" if shown else key)
    return shown


def _same_minute(source: Source, at: tuple[str, ...], advice: str) -> list[Problem]:
    """A time that starts and ends the same minute ("08.30-08.30")."""
    value: Any = source.meta
    for key in at:
        value = value.get(key) if isinstance(value, Mapping) else None
    found = _CLOCK.match(value) if isinstance(value, str) else None
    if found is None:
        return []
    start_h, start_m, end_h, end_m = (int(g) for g in found.groups())
    if (start_h, start_m) != (end_h, end_m):
        return []
    message = f"'{_dotted(at)}': {value} börjar och slutar samma minut: {advice}"
    return [_problem(source, source.line_of(*at), message)]


def _empty_decisions(source: Source) -> list[Problem]:
    """Each decision heading with no text after it (``_empty_after``)."""
    body = source.body
    headings = []
    for hashes in _HASHES.finditer(body):
        start = body.rfind("\n", 0, hashes.start()) + 1
        heading = _heading(body[start : hashes.end()])
        if heading is not None:
            headings.append((start, hashes.end(), *heading))
    problems = []
    for index, (start, end, _, title) in enumerate(headings):
        if _decides(title) and _empty_after(body, headings, index):
            line = source.body_line + body.count("\n", 0, start)
            message = (
                f"rubriken '{_cut(body[start:end])}' följs inte av något beslut: skriv beslutet "
                "under rubriken, eller ta bort rubriken om paragrafen inte har något beslut"
            )
            problems.append(_problem(source, line, message))
    return problems


def _empty_after(body: str, headings: list[tuple[int, int, int, str]], index: int) -> bool:
    """Whether no text follows heading ``index`` before the end or the next heading at its level
    or above that is no decision heading: "### Beslut" then "### Kommunfullmäktige beslutar"
    and its text, as an old protocol may have them, are one decision."""
    _, end, level, _ = headings[index]
    for start, after, later, title in headings[index + 1 :]:
        if body[end:start].strip():
            return False
        if later <= level and not _decides(title):
            return True
        end = after
    return not body[end:].strip()


def _decides(title: str) -> bool:
    # every decision heading says beslut ("Beslut", "Styrelsen beslutar", "BESLUT")
    return ("eslut" in title or "ESLUT" in title) and classify(title) is PartKind.DECISION


def _heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line ("### Beslut"), or None."""
    text = line.lstrip(" ")
    level = len(text) - len(text.lstrip("#"))
    if len(line) - len(text) > 3 or not 1 <= level <= 6 or text[level : level + 1] not in " \t":
        return None
    title = text[level:].strip()
    closed = title.rstrip("#")
    return level, (closed.rstrip() if closed[-1:] in (" ", "\t") or not closed else title)


def _example(source: Source) -> list[Problem]:
    """Each entry of ``proceedings`` that is the draft's example taken in unchanged."""
    entries = source.meta.get("proceedings")
    problems = []
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        if isinstance(entry, Mapping) and is_example(entry):
            message = (
                f"exemplet under proceedings (§ {entry.get('paragraph')}) står kvar som "
                "'new protokoll' skrev det: ändra det till det som hände vid sammanträdet, "
                "eller ta bort det"
            )
            problems.append(_problem(source, source.line_of("proceedings", index), message))
    return problems


def is_example(entry: Mapping[str, Any]) -> bool:
    """Whether a ``proceedings`` entry is the draft's example as written: its texts, the last
    of the ja-side proposing bifall and the first of the nej-side avslag, every nej reserving
    and nobody abstaining. An entry written anew from what happened differs in one of these."""
    order, vote = entry.get("proposition_order"), entry.get("vote")
    if not isinstance(order, str) or not _EXAMPLE_ORDER.fullmatch(" ".join(order.split())):
        return False
    if not isinstance(vote, Mapping):
        return False
    if (vote.get("yes_means"), vote.get("no_means")) != (EXAMPLE_YES_MEANS, EXAMPLE_NO_MEANS):
        return False
    yes, no = vote.get("yes"), vote.get("no")
    if not isinstance(yes, list) or not isinstance(no, list) or not yes or vote.get("abstain"):
        return False
    proposals = [{"by": yes[-1], "text": EXAMPLE_FOR}]
    proposals += [{"by": no[0], "text": EXAMPLE_AGAINST}] if no else []
    reservations = [{"by": no}] if no else []
    return entry.get("proposals") == proposals and (entry.get("reservations") or []) == reservations
