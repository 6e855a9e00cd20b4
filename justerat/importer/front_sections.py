"""The front page's labelled sections ("Plats och tid", "Beslutande", "Justerare", …).

``section_label`` recognises one label line; ``split_sections`` groups the front page's lines
under their labels, and the lines of its ANSLAGSBEVIS apart. What each section states is read
in ``frontpage``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from . import furniture
from .text import Line, cells, clean, fold


class Section(StrEnum):
    TITLE = "title"  # the lines before the first label
    PLACE_TIME = "place_time"
    MEETING_DATE = "meeting_date"
    VOTING = "voting"
    SERVING = "serving_substitutes"
    SUBSTITUTES = "substitutes"
    ABSENT = "absent"
    OTHERS = "others"
    JUSTERING = "justering"
    SECRETARY = "secretary"
    CHAIR = "chair"
    JUSTERARE = "justerare"
    ANSLAG = "anslag"
    SIGNATURES = "signatures"
    PARAGRAPHS = "paragraphs"


# (pattern, section, may stand inside an ANSLAGSBEVIS without ending it, takes one line)
_LABELS: tuple[tuple[str, Section, bool, bool], ...] = (
    (
        r"justeringens\s+(?:plats\s+och\s+tid|tid\s+och\s+plats|plats\s+och\s+datum)",
        Section.JUSTERING,
        False,
        False,
    ),
    (
        r"(?:tid\s+och\s+plats|plats\s+och\s+tid)\s+för\s+justering(?:en)?",
        Section.JUSTERING,
        False,
        False,
    ),
    (r"justeringsdatum|justeringens|justering|justeras", Section.JUSTERING, False, False),
    (
        r"(?:sammanträdets\s+)?(?:plats\s+och\s+tid|tid\s+och\s+plats)",
        Section.PLACE_TIME,
        False,
        False,
    ),
    (r"plats|tid|lokal|datum\s+och\s+tid", Section.PLACE_TIME, True, False),
    (r"sammanträdesdatum|mötesdatum|datum", Section.MEETING_DATE, True, True),
    (r"beslutande\s+ledamöter\s+och\s+tjänstgörande\s+ersättare", Section.VOTING, False, False),
    (
        r"(?:närvarande\s+)?beslutande(?:\s+ledamöter)?|närvarande\s+ledamöter|ledamöter",
        Section.VOTING,
        False,
        False,
    ),
    (r"tjänstgörande\s+ersättare|beslutande\s+ersättare", Section.SERVING, False, False),
    (
        r"(?:närvarande\s+)?(?:ej|icke)\s+tjänstgörande\s+ersättare|närvarande\s+ersättare"
        r"|övriga\s+ersättare|ersättare",
        Section.SUBSTITUTES,
        False,
        False,
    ),
    (
        r"frånvarande(?:\s+ledamöter|\s+ersättare)?(?:\s*\([^)]*\))?|anmält\s+förhinder"
        r"|ej\s+närvarande",
        Section.ABSENT,
        False,
        False,
    ),
    (
        r"(?:närvarande\s+)?övriga(?:\s+(?:deltagande|deltagare|närvarande))?"
        r"(?:\s+(?:från\s+(?-i:[a-zåäö])\S*(?:\s+(?-i:[a-zåäö])\S*)?|tjänstemän"
        r"|tjänstepersoner))?"
        r"|närvarande\s+tjänste(?:män|personer)|tjänste(?:män|personer)",
        Section.OTHERS,
        False,
        False,
    ),
    (
        r"sekreterare\s*/\s*protokollförare|protokollförare|sekreterare",
        Section.SECRETARY,
        False,
        False,
    ),
    (r"ordförande", Section.CHAIR, False, False),
    (
        r"(?:utses|utsedd|utsedda)\s+att\s+justera|protokollsjusterare|justerare|justerande",
        Section.JUSTERARE,
        False,
        False,
    ),
    (
        r"anslagsbevis|anslag\s*/\s*bevis|bevis(?:\s+om\s+(?:justering|anslag))?"
        r"|tillkännagivande\s+om\s+(?:protokollets\s+)?justering",
        Section.ANSLAG,
        False,
        False,
    ),
    (r"underskrifter", Section.SIGNATURES, False, False),
    (r"underskrift", Section.SIGNATURES, True, False),
    (r"paragrafer|paragraf|§§|omfattning", Section.PARAGRAPHS, True, True),
)
_LABEL_RES: list[tuple[re.Pattern[str], Section, bool, bool]] = [
    (
        re.compile(rf"^(?P<label>{pattern})\s*:?(?:\s+(?P<rest>\S.*)|\s*)$", re.IGNORECASE),
        section,
        in_anslag,
        one_line,
    )
    for pattern, section, in_anslag, one_line in _LABELS
]


@dataclass(frozen=True)
class Label:
    section: Section
    heading: str  # the label as written, without a colon
    rest: str  # a value on the same line
    in_anslag: bool  # may stand inside an ANSLAGSBEVIS
    one_line: bool  # its value is on its own line only


def section_label(text: str) -> Label | None:
    """The front-page label that begins ``text``, with any value written after it."""
    best: Label | None = None
    for pattern, section, in_anslag, one_line in _LABEL_RES:
        match = pattern.match(text.strip())
        if match is None:
            continue
        heading = match.group("label").strip()
        if best is None or len(heading) > len(best.heading):
            best = Label(section, heading, (match.group("rest") or "").strip(), in_anslag, one_line)
    if best is None:
        return None
    # A sentence that happens to begin with a label word is no label: "Tid för nästa möte …"
    if (
        best.rest
        and best.rest[:1].islower()
        and best.section is not Section.OTHERS
        and not re.match(r"^(?:kl|den|tis|mån|ons|tors|fre|lör|sön)", best.rest)
    ):
        return None
    return best


@dataclass(frozen=True)
class Entry:
    """One value line under a section."""

    line: int
    text: str


@dataclass
class Sections:
    entries: dict[Section, list[Entry]] = field(default_factory=dict)
    headings: dict[Section, Entry] = field(default_factory=dict)  # the label line of each
    anslag_lines: list[Line] = field(default_factory=list)

    def add(self, section: Section, entry: Entry) -> None:
        self.entries.setdefault(section, []).append(entry)


def _labels_in(text: str) -> list[Label]:
    """A line may hold several labels: "Underskrifter Sekreterare ...... Paragrafer 45–52"."""
    found: list[Label] = []
    signature = furniture.signature_line(text)
    if signature is not None and signature[0]:
        label = section_label(signature[0])
        if label is not None:
            found.append(Label(label.section, label.heading, "", False, label.one_line))
            if label.rest:
                found.extend(_labels_in(label.rest) or [])
        else:
            found.append(Label(Section.SIGNATURES, signature[0], "", False, False))
        if signature[1]:
            inner = _labels_in(signature[1])
            if inner:
                found.extend(inner)
            else:
                found.append(Label(found[-1].section, "", signature[1], False, True))
        return found
    label = section_label(text)
    if label is None:
        return []
    found.append(label)
    if label.rest:
        inner = _labels_in(label.rest)
        if inner:
            found[-1] = Label(label.section, label.heading, "", label.in_anslag, label.one_line)
            found.extend(inner)
    return found


_SKIPPED = (
    furniture.Furniture.PAGE_HEADER,
    furniture.Furniture.PAGE_NUMBER,
    furniture.Furniture.CONTENTS,
)


# Labels that begin a section also in the middle of a line, where a front page was flattened
# onto one line ("… kl 08:30-12.15 Beslutande Ledamöter …"): written with a capital, and never
# a word of a place or a person's role.
_INNER_LABELS = re.compile(
    r"(?<=\S)\s+(?=(?:Plats och tid|Tid och plats|Sammanträdesdatum|Beslutande|Närvarande"
    r"|Tjänstgörande ersättare|Ersättare|Övriga närvarande|Övriga deltagande|Övriga deltagare"
    r"|Utses att justera|Justeringens (?:plats|tid)|Underskrifter|Paragrafer|Omfattning"
    r"|ANSLAG/BEVIS"
    r"|Förvaringsplats för protokollet|Datum då anslaget|Datum för anslags)\b)"
)


def _unflattened(lines: list[Line]) -> list[Line]:
    """Each line that holds several labels, split before each (the same line number)."""
    found: list[Line] = []
    for line in lines:
        cuts = [0, *(m.end() for m in _INNER_LABELS.finditer(line.raw)), len(line.raw)]
        if len(cuts) == 2:
            found.append(line)
            continue
        for start, end in zip(cuts, cuts[1:], strict=False):
            raw = " " * start + line.raw[start:end].rstrip()  # each part keeps its column
            found.append(Line(line.number, raw, clean(raw)))
    return found


def _unwrapped(lines: list[Line]) -> list[Line]:
    """A front page laid out in two columns whose labels wrap in their narrow column
    ("Justeringens plats och" / "tid", "Frånvarande (deltog ej" / "i mötet)", "Övriga
    deltagande" / "från kansliet"): each label joined whole on a line of its own, followed by
    the values that stood beside its parts, each on its own line (with its source line's
    number), so that neither label nor value swallows the other."""
    found: list[Line] = []
    for line in lines:
        here = cells(line.raw)
        above = found[-1] if found else None
        there = cells(above.raw) if above is not None else []
        if above is None or not here or not there or here[0][0] > 1 or there[0][0] > 1:
            found.append(line)
            continue
        tail, label = here[0][1], f"{there[0][1]} {here[0][1]}"
        if not tail[:1].islower() or section_label(label) is None:
            found.append(line)
            continue
        found[-1] = Line(above.number, label, label)
        for number, row in ((above.number, there), (line.number, here)):
            if len(row) > 1:
                value = " " * row[1][0] + " ".join(text for _, text in row[1:])
                found.append(Line(number, value, clean(value)))
    return found


def split_sections(lines: list[Line]) -> Sections:
    """Group the front page's lines under their labels. Lines before any label go to TITLE."""
    sections = Sections()
    current = Section.TITLE
    last_heading = ""
    for line in _unflattened(_unwrapped(lines)):
        if line.blank:
            continue
        kind = furniture.classify(line.text)
        if kind in _SKIPPED:
            continue
        if current is Section.ANSLAG and not _ends_anslag(line.text, kind):
            sections.anslag_lines.append(line)
            continue
        labels = _labels_in(line.text)
        if _label_continued(labels, last_heading):
            # "Justeringens" / "plats och tid Kommunhuset 2024-03-08": one label on two lines
            if labels[0].rest:
                sections.add(Section.JUSTERING, Entry(line.number, labels[0].rest))
            last_heading = ""
            continue
        if not labels:
            sections.add(current, Entry(line.number, line.text))
            continue
        last_heading = labels[-1].heading or last_heading
        current = _add_labels(sections, line, labels, current)
    return sections


def _ends_anslag(text: str, kind: furniture.Furniture | None) -> bool:
    """Does this line, inside an ANSLAGSBEVIS, begin a section of its own (and so end it)?"""
    label = section_label(text)
    ends = label is not None and not label.in_anslag and label.section is not Section.ANSLAG
    if kind is furniture.Furniture.SIGNATURE:
        signature = furniture.signature_line(text)
        sig_label = section_label(signature[0]) if signature and signature[0] else None
        ends = sig_label is not None and not sig_label.in_anslag
    return ends


def _label_continued(labels: list[Label], last_heading: str) -> bool:
    """The second line of a label broken in two: "Justeringens" / "plats och tid"."""
    return (
        len(labels) == 1
        and labels[0].section is Section.PLACE_TIME
        and fold(last_heading) == "justeringens"
    )


def _add_labels(sections: Sections, line: Line, labels: list[Label], current: Section) -> Section:
    """File the labels of one line and their values; returns the section that the following
    lines belong to."""
    for label in labels:
        if label.heading:
            sections.headings.setdefault(label.section, Entry(line.number, label.heading))
        if label.section is Section.ANSLAG:
            current = Section.ANSLAG
            if label.rest:
                sections.anslag_lines.append(Line(line.number, label.rest, label.rest))
            continue
        if label.rest:
            sections.add(label.section, Entry(line.number, label.rest))
        if not label.one_line:
            current = label.section
    return current
