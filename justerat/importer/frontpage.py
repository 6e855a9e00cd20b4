"""The facts a front page states, read from its labelled sections (``front_sections``).

``read_front_page`` reads the meeting's date, time and place, the attendees, the secretary,
the chair, the justerare, the justering, the ANSLAGSBEVIS's facts and the title lines; what
cannot be read is kept as a leftover, with a note.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .anslag import AnslagFacts, read_anslag
from .dates import DateTimePlace, date_time_place, find_dates
from .front_sections import Entry, Section, Sections, split_sections
from .people import (
    Group,
    PersonLine,
    looks_like_name,
    parse_person,
    split_names,
    split_people,
    strip_party,
)
from .text import Line, ends_sentence


@dataclass
class FrontPage:
    date: datetime.date | None = None
    time: str | None = None
    place: str | None = None
    digital: bool | None = None
    people: dict[Group, list[PersonLine]] = field(default_factory=dict)
    others_heading: str | None = None
    secretary: PersonLine | None = None
    chair: str | None = None
    justerare: list[str] = field(default_factory=list)
    justering: dict[str, object] | None = None
    anslag: AnslagFacts | None = None
    paragraphs: str | None = None
    title_lines: list[Entry] = field(default_factory=list)
    head: list[Entry] = field(default_factory=list)  # every line before the first label
    lines: dict[str, int] = field(default_factory=dict)  # fact → source line
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, warning) to report
    leftovers: list[Entry] = field(default_factory=list)  # text not understood: kept in body
    voting_reference: int | None = None  # line of "Se närvarolista"
    voting_note: str = ""  # its text: "Se närvarolista, bilaga 1"


_DIGITAL = re.compile(
    r"\bdigital(?:t|a)?\b|\bteams\b|\bzoom\b|\bskype\b|\bvideo|\bdistans|\bwebbmöte", re.IGNORECASE
)
_REFERENCE = re.compile(
    r"^(?:se|enligt)\s+(?:bifogad\s+)?(?:närvarolista|bilaga|sid)", re.IGNORECASE
)
_TITLE_WORDS = re.compile(
    r"protokoll|styrelse|nämnd|fullmäktige|utskott|direktion|förbund|kommun|region|stad\b|beredning",
    re.IGNORECASE,
)


def _join_wrapped(entries: list[Entry]) -> list[Entry]:
    """Join a person line that the PDF broke in two: an open parenthesis, a trailing comma, or a
    next line that begins in lower case."""
    joined: list[Entry] = []
    for entry in entries:
        if joined:
            previous = joined[-1].text
            if (
                previous.count("(") > previous.count(")")
                or previous.endswith((",", " och", "-"))
                or (entry.text[:1].islower() and not entry.text.startswith(("ordf", "vice")))
                or entry.text.startswith(("(", ")"))
            ):
                joined[-1] = Entry(joined[-1].line, f"{previous} {entry.text}".replace(" )", ")"))
                continue
        joined.append(entry)
    return joined


# How many lines under "Plats och tid" may state the meeting's date and time: its value and
# a wrapped second line. A date further down (an agenda item's "KS 2009-10-27, § 148") is no
# meeting date.
_PLACE_TIME_LINES = 2


def _meeting_date(found: DateTimePlace, entry: Entry, page: FrontPage) -> None:
    if not found.date:
        return
    if page.date is None:
        page.date = found.date
        page.lines["date"] = entry.line
    elif found.date != page.date:
        page.notes.append(
            (entry.line, f"ett andra datum ({found.date.isoformat()}) under Plats och tid")
        )


def _meeting_time(found: DateTimePlace, entry: Entry, page: FrontPage) -> None:
    if found.time and page.time is None:
        page.time = found.time
        page.lines["time"] = entry.line
    elif found.single_time and page.time is None:
        page.notes.append(
            (
                entry.line,
                f"bara starttiden kl. {found.single_time} står i texten; "
                "time kräver en tid från–till och utelämnas",
            )
        )


# The rest of a place broken over lines: in lower case, or a street number and what follows
# it in lower case ("Rudsjöterrassen" / "1, plan 6.")
_PLACE_WRAP = re.compile(r"^(?:[a-zåäö]|\d{1,4}\s*[a-z]?,?\s+[a-zåäö][a-zåäö0-9 ,.]*$)")


def _read_place_time(entries: list[Entry], page: FrontPage) -> None:
    places: list[str] = []
    for index, entry in enumerate(entries):
        wrapped = bool(places) and bool(_PLACE_WRAP.match(entry.text))
        if index >= _PLACE_TIME_LINES and (places or page.date) and not wrapped:
            page.leftovers.append(entry)
            continue
        found = date_time_place(entry.text)
        if found.more:
            page.leftovers.append(Entry(entry.line, found.more))
        _meeting_date(found, entry, page)
        _meeting_time(found, entry, page)
        if not found.rest:
            continue
        if (
            places
            and not places[-1].endswith((",", "-", "–"))
            and not _PLACE_WRAP.match(found.rest)
        ):
            # the place is written; a further sentence ("Mötet hölls i hybridform") is not it
            page.leftovers.append(entry)
            continue
        places.append(found.rest)
        page.lines.setdefault("place", entry.line)
    if places:
        page.place = " ".join(places)
        page.digital = bool(_DIGITAL.search(page.place))


def _read_people(entries: list[Entry], group: Group, page: FrontPage) -> None:
    for entry in _join_wrapped(entries):
        if _REFERENCE.match(entry.text):
            page.voting_reference = entry.line
            page.voting_note = entry.text.strip()
            continue
        for piece in split_people(entry.text):
            person = parse_person(piece, group)
            target = group
            if group is Group.VOTING and person.replaces:
                target = Group.SERVING  # "tjänstgörande ersättare för X" among the beslutande
            page.people.setdefault(target, []).append(person)
            page.lines.setdefault(f"attendees.{target.value}", entry.line)
            for doubt in person.doubts:
                page.notes.append(
                    (entry.line, f"osäker tolkning av personraden '{piece}': {doubt}; kontrollera")
                )


def _read_justering(entries: list[Entry], page: FrontPage) -> None:
    text = " ".join(e.text for e in entries)
    found = date_time_place(text)
    if found.date is None:
        page.notes.append(
            (entries[0].line, f"inget datum för justeringen i '{text}'; justering utelämnas")
        )
        page.leftovers.extend(entries)
        return
    digital = bool(re.search(r"digital|elektronisk|e-signer|bankid", text, re.IGNORECASE))
    place = re.sub(
        r"\(?\b(?:digital(?:t|a)?|elektronisk(?:t|a)?|signering|signerad|signerat|e-signering|"
        r"underskrift|via|med|bankid)\b\)?",
        " ",
        found.rest,
        flags=re.IGNORECASE,
    )
    place = re.sub(r"\s+", " ", place).strip(" ,.()")
    justering: dict[str, object] = {"date": found.date}
    if digital:
        justering["digital"] = True
    elif place:
        justering["place"] = place
    page.justering = justering
    page.lines["justering"] = entries[0].line


def _read_names(entries: list[Entry]) -> list[str]:
    names: list[str] = []
    for entry in entries:
        for name in split_names(entry.text):
            name = re.sub(r",?\s*(?:ordförande|justerare|sekreterare)$", "", name).strip()
            if name and name not in names:
                names.append(name)
    return names


def read_front_page(lines: list[Line]) -> FrontPage:
    """All facts of the front page; what cannot be read is in ``leftovers`` with a note."""
    sections = split_sections(lines)
    page = FrontPage()
    entries = sections.entries
    _read_attendees(sections, page)
    if Section.PLACE_TIME in entries:
        _read_place_time(entries[Section.PLACE_TIME], page)
    _read_meeting_date(entries.get(Section.MEETING_DATE, []), page)
    if Section.JUSTERING in entries:
        _read_justering(entries[Section.JUSTERING], page)
    if Section.SECRETARY in entries:
        _read_secretary(entries[Section.SECRETARY], page)
    if Section.CHAIR in entries:
        _read_chair(entries[Section.CHAIR], page)
    if Section.JUSTERARE in entries:
        _read_justerare(entries[Section.JUSTERARE], page)
    for entry in entries.get(Section.PARAGRAPHS, []):
        page.paragraphs = entry.text
        page.lines["paragraphs"] = entry.line
    page.anslag = _anslag(sections)
    _read_title(entries.get(Section.TITLE, []), page)
    for entry in entries.get(Section.SIGNATURES, []):
        if not looks_like_name(entry.text):
            page.leftovers.append(entry)
    return page


_ATTENDEES = (
    (Section.VOTING, Group.VOTING),
    (Section.SERVING, Group.SERVING),
    (Section.SUBSTITUTES, Group.SUBSTITUTES),
    (Section.ABSENT, Group.ABSENT),
    (Section.OTHERS, Group.OTHERS),
)


def _read_attendees(sections: Sections, page: FrontPage) -> None:
    """The people of each attendance section, and the heading of the others'. Labels
    stacked in a column beside one column of names ("Beslutande" / "Ersättare" /
    "Adjungerade" on three lines, each with the name beside it, the other names below)
    do not say who is which: those sections are left as text, with a note."""
    stacked = _stacked(sections)
    for section, group in _ATTENDEES:
        if section in sections.entries and section not in stacked:
            _read_people(sections.entries[section], group, page)
    for section in stacked:
        entries = sections.entries.get(section, [])
        page.leftovers.extend(entries)
    if stacked:
        first = min(sections.headings[s].line for s in stacked)
        page.notes.append(
            (
                first,
                "etiketterna för de närvarande står i en kolumn bredvid en enda kolumn av namn; "
                "vem som är beslutande, ersättare eller övrig går inte att läsa: "
                "attendees utelämnas, för in dem för hand",
            )
        )
    if Section.OTHERS in sections.headings:
        page.others_heading = sections.headings[Section.OTHERS].text.rstrip(":").strip()


def _stacked(sections: Sections) -> set[Section]:
    """The attendance sections when "Beslutande" has a single name and the next label
    stands on the very next line ("Beslutande Ulf Olsson (S) ordförande" / "Ersättare
    Margareta Lövgren (M)" / "Adjungerade Eva Johansson (C)", twenty names below): a column
    of labels beside one column of names, which does not say who is which."""
    people = [s for s, _ in _ATTENDEES if s in sections.headings]
    lines = sorted((sections.headings[s].line, s) for s in people)
    for (line, section), (after, _) in zip(lines, lines[1:], strict=False):
        single = len(sections.entries.get(section, [])) == 1
        if section is Section.VOTING and single and after == line + 1:
            return {s for _, s in lines}
    return set()


def _read_meeting_date(entries: list[Entry], page: FrontPage) -> None:
    """A "Sammanträdesdatum" line: the meeting's date, unless one was found before. Only the
    label's own value is the date: later lines under it are leftovers."""
    for index, entry in enumerate(entries):
        found = find_dates(entry.text) if index == 0 else []
        if found and page.date is None:
            page.date = found[0].value
            page.lines["date"] = entry.line
        elif not found:
            page.leftovers.append(entry)


def _read_secretary(entries: list[Entry], page: FrontPage) -> None:
    """The secretary; further lines that do not repeat the name are leftovers."""
    first, *more = _join_wrapped(entries)
    secretary = parse_person(first.text, Group.OFFICIAL)
    if not looks_like_name(secretary.name):  # "………": a line to sign on, no name
        page.leftovers.extend([first, *more])
        return
    page.secretary = secretary
    page.lines["secretary"] = first.line
    for entry in more:
        if strip_party(entry.text).split(",")[0] != page.secretary.name:
            page.leftovers.append(entry)


_RANGE = re.compile(r"\s*(?:§§?\s*)?\d+(?:\s*[-–]\s*\d+)?\s*$")


def _read_chair(entries: list[Entry], page: FrontPage) -> None:
    """The chair: the first line that is one name; a second chair, or not a name, is left."""
    chair_entries = _join_wrapped(entries)
    page.lines["chair"] = chair_entries[0].line
    named = {n for e in chair_entries for n in _read_names([Entry(e.line, _RANGE.sub("", e.text))])}
    if len(named) > 1:  # two chairs, each for some §§ ("Roger Hansson 6-13" / "Ingrid Cassel")
        page.leftovers.extend(chair_entries)
        page.notes.append(
            (chair_entries[0].line, "två ordförande står i texten; chair utelämnas: välj vem")
        )
        return
    for entry in chair_entries:
        names = _read_names([entry])
        name = names[0] if len(names) == 1 and looks_like_name(names[0]) else None
        if page.chair is None and name:
            page.chair = name
        elif name != page.chair:
            page.leftovers.append(entry)  # a second chair, or not a name


def _read_justerare(entries: list[Entry], page: FrontPage) -> None:
    """The justerare: lines of names; any other line is left."""
    page.lines["justerare"] = entries[0].line
    for entry in _join_wrapped(entries):
        names = _read_names([entry])
        if names and all(looks_like_name(name) for name in names):
            page.justerare += [name for name in names if not _known(name, page.justerare)]
        else:
            page.leftovers.append(entry)


def _known(name: str, names: list[str]) -> bool:
    """Whether ``name`` is one of ``names``, or several of them written on one line without
    a separator (signature lines: "Eva Eriksson Elisabeth Björk")."""
    if name in names:
        return True
    rest = name
    for known in sorted(names, key=len, reverse=True):
        rest = rest.replace(known, " ")
    return len(names) > 1 and not rest.strip()


def _anslag(sections: Sections) -> AnslagFacts | None:
    """The ANSLAGSBEVIS's facts; empty facts for a label without lines, None without a label."""
    if sections.anslag_lines:
        return read_anslag(sections.anslag_lines)
    if Section.ANSLAG in sections.headings:
        return read_anslag([])
    return None


_TITLE_DATE_LINES = 6  # a document's heading lines, before its first label


def _read_title(entries: list[Entry], page: FrontPage) -> None:
    """The lines before the first label: the protocol's heading lines ("Kommunstyrelsen",
    "Sammanträdesprotokoll 2024-03-05"), which give the meeting's date if nothing else did.
    A line that is part of a sentence, or not a heading, stays text (a leftover), and so does
    every line after it: the heading is over where the text begins ("Underlag till beslut" /
    "Finansutskottet 2012-01-12 § 9" is a list in the text, not a dated heading)."""
    previous: str | None = None
    page.head = list(entries)
    in_heading = True
    for index, entry in enumerate(entries):
        heading = _is_heading(entry.text, previous)
        previous = entry.text
        found = find_dates(entry.text)
        in_heading = in_heading and heading and bool(_TITLE_WORDS.search(entry.text) or found)
        if not in_heading:
            page.leftovers.append(entry)
            continue
        page.title_lines.append(entry)
        if index < _TITLE_DATE_LINES and found and page.date is None and _dated_heading(entry.text):
            page.lines["title_date"] = entry.line
            page.date = found[0].value


_OPEN_LINE_END = re.compile(
    r"(?:,|\s(?:och|samt|eller|för|av|till|i|om|med|på|vid|inom|från|mellan|att|som|den|har|är))$",
    re.IGNORECASE,
)
_PAGE_MARKS = re.compile(
    r"\b(?:sida|sid\.?)\s*\d+(?:\s*(?:av|/)\s*\d+)?|\d+\s*\(\d+\)", re.IGNORECASE
)


def _is_heading(text: str, previous: str | None) -> bool:
    """A heading line: a few words (a date and a page mark aside), no sentence, and not the
    rest of a line that went on."""
    words = _heading_words(text)
    if len(text) > 100 or len(words) > _HEADING_WORDS or ends_sentence(text):
        return False
    if any(word in _PROSE for word in words[1:]):  # "Ärendet har tidigare behandlats av …"
        return False
    return previous is None or not _OPEN_LINE_END.search(previous)


_HEADING_WORDS = 6
_PROSE = frozenset(
    [
        "har",
        "hade",
        "är",
        "var",
        "som",
        "att",
        "ska",
        "skall",
        "kommer",
        "blev",
        "beslutade",
        "beslutat",
        "behandlats",
        "behandlade",
        "avser",
        "gäller",
        "enligt",
    ]
)


def _heading_words(text: str) -> list[str]:
    """The words of a line but its dates and page marks."""
    rest = _PAGE_MARKS.sub(" ", text)
    for found in find_dates(rest):
        rest = rest.replace(found.written, " ")
    return rest.replace(">", " ").split()


def _dated_heading(text: str) -> bool:
    """A heading that states the meeting's date: the date with at most the body's name, the
    kind of document and a page mark ("Kommunfullmäktige 1998-12-21", "Socialnämnden
    Sammanträdesprotokoll 2024-02-14", "KF 2017-09-04")."""
    return len(_heading_words(text)) <= 5
