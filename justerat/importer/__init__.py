"""Import text extracted from old protocol PDFs into Justerat Markdown (``build.py import``).

The importer is a pipeline of small recognisers, each tested on its own:

- ``text``: numbered, cleaned lines and small tests on them;
- ``furniture``: page headers, running headers, signature lines, page numbers, tables of
  contents, lone web addresses;
- ``dates``: dates, time spans and "Plats och tid" lines;
- ``people``: person lines (name, party, organisation, role, title, note, replaces);
- ``frontpage``: the front page's labelled sections and their facts;
- ``anslag``: the ANSLAGSBEVIS block's labels and dates;
- ``paragraphs``: § headings and the split into paragraphs;
- ``tables``: rows of numbers into GFM tables;
- ``blocks``: part headings, lists, wrapped lines and the Markdown of a paragraph;
- ``proceedings``: an omröstning's result and the reservations a paragraph's text states,
  for the front matter's ``proceedings`` (the text stays in the body);
- ``yaml_writer``: writes the front matter as deterministic YAML.

``import_text`` puts them together: the front page (and an ANSLAGSBEVIS after the paragraphs)
becomes the front matter, the paragraphs the body, checked on the way (the § numbering, the
organ that decides, the § range the front page states); what the paragraphs record of votes and
reservations, where their text leaves no doubt, is written beside them as ``proceedings``.

Nothing is dropped silently: text that is not understood stays in the body, and a warning
names its source line. A fact the source does not state is left out, with a warning.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..core.problems import Problem, warning
from . import accounting, blocks, furniture, organs
from .accounting import Account
from .anslag import AnslagFacts, read_anslag
from .dates import invalid_dates
from .frontpage import FrontPage, Section, read_front_page, section_label
from .paragraphs import (
    ParagraphLines,
    first_heading,
    paragraph_heading,
    split_paragraphs,
    without_sign,
)
from .people import Group
from .proceedings import read_proceedings
from .text import Line, ends_sentence, split_lines
from .yaml_writer import Quoted, dump

__all__ = ["Imported", "import_text"]


@dataclass(frozen=True)
class Imported:
    markdown: str  # the whole file: front matter + body
    date: datetime.date | None  # the meeting date, for the output file name
    problems: list[Problem]  # warnings (and errors) naming the source file and line
    account: Account = field(default_factory=Account)  # where the source's words went
    organ: str = ""  # the body's slug the protocol was imported to
    numbers: tuple[int, ...] = ()  # the paragraphs' numbers


_SIGNATURE_LABELS = re.compile(
    r"^(?:justerare|justerarnas?|justerandes?|ordförande|sekreterare|sign\.?|signatur|"
    r"utdragsbestyrkande|underskrift(?:er)?)?$",
    re.IGNORECASE,
)


Removed = dict[int, str]  # line number → the kind of page furniture removed there


def _clean_body(lines: list[Line], removed: Removed) -> list[Line]:
    """The body without page furniture (furniture lines become blank lines, and are noted in
    ``removed``)."""
    cleaned: list[Line] = []
    previous = ""
    for line in lines:
        kind = furniture.classify(line.text)
        drop = kind in (
            furniture.Furniture.PAGE_HEADER,
            furniture.Furniture.PAGE_NUMBER,
            furniture.Furniture.CONTENTS,
        )
        if kind is furniture.Furniture.SIGNATURE:
            signature = furniture.signature_line(line.text)
            drop = signature is not None and bool(_SIGNATURE_LABELS.match(signature[0]))
        if kind is furniture.Furniture.URL and furniture.lone_url(line.text):
            drop = not previous or ends_sentence(previous)
        if drop:
            cleaned.append(Line(line.number, "", ""))
            removed[line.number] = str(kind)
            continue
        cleaned.append(line)
        if not line.blank:
            previous = line.text
    return cleaned


def _without_running_headers(lines: list[Line], removed: Removed, top: int = 4) -> list[Line]:
    """The lines with the pages' running header blanked (and noted in ``removed``), except
    where the document begins."""
    headers = furniture.running_headers([line.text for line in lines], top)
    kept: list[Line] = []
    seen = 0
    for line in lines:
        if not line.blank:
            seen += 1
        if seen > top and furniture.is_running_header(line.text, headers):
            kept.append(Line(line.number, "", ""))
            removed[line.number] = "running-header"
        else:
            kept.append(line)
    return kept


def _same_organ(name: str, organ: str) -> bool:
    """ "Kommunstyrelsen" and "kommunstyrelsen" or "ks"; "Nämnden" and "socialnamnden"."""
    stem = re.sub(r"(?:en|n)$", "", organs.slug(name))
    slug = re.sub(r"(?:en|n)$", "", organ)
    initials = "".join(w[0] for w in re.findall(r"[a-z]+", organs.slug(name)))
    return stem in slug or slug in stem or organ == initials


_ANNOUNCED = re.compile(
    r"^(?:protokollet\s+är\s+justerat\.?\s*)?justeringen(?:\s+av\s+\S+)?\s+har\s+"
    r"(?:tillkännagivits|tillkännagetts|kungjorts)\s+genom\s+anslag",
    re.IGNORECASE,
)


_ANSLAG_FACT = re.compile(
    r"^(?:organ|sammanträdesdatum|datum\s+(?:för|då)\s+anslag|anslag(?:et|s)?\s+(?:uppsatt|sätts"
    r"|nedtag|tas)|förvaringsplats|underskrift)",
    re.IGNORECASE,
)


def _cut_anslag(lines: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """An ANSLAGSBEVIS after the paragraphs, from its label ("ANSLAGSBEVIS", "BEVIS") or its
    sentence ("Justeringen har tillkännagivits genom anslag") to the next paragraph or the
    end: (the body without it, its lines to read, all its lines with the label)."""
    headings = [i for i, line in enumerate(lines) if paragraph_heading(line.text) is not None]
    last = headings[-1] if headings else -1
    for index, line in enumerate(lines):
        label = section_label(line.text)
        is_label = label is not None and label.section is Section.ANSLAG and not label.rest
        # the sentence alone is a block only after the paragraphs, with the block's own
        # labels below it: inside a paragraph it tells of another meeting's notice
        found = _ANNOUNCED.match(line.text)
        announced = (
            found is not None
            and len(line.text[found.end() :].strip(" .")) == 0  # the sentence alone, no date
            and index > last
            and any(
                _ANSLAG_FACT.match(after.text) and not ends_sentence(after.text)
                for after in lines[index + 1 : index + 6]
            )
        )
        if not (is_label or announced):
            continue
        end = index + 1
        while end < len(lines) and paragraph_heading(lines[end].text) is None:
            end += 1
        block = lines[index:end]
        return lines[:index] + lines[end:], block[1:] if is_label else block, block
    return lines, [], []


def _people(page: FrontPage, group: Group) -> list[dict[str, str]]:
    return [p.as_dict() for p in page.people.get(group, [])]


def _missing(path: str, what: str, key: str, line: int = 0) -> Problem:
    """The warning for a fact the text does not state: ``key`` is left out of the front matter."""
    return warning(path, line, f"{what} saknas i texten; {key} utelämnas")


def _front_matter(
    path: str, page: FrontPage, organ: str, problems: list[Problem]
) -> dict[str, Any]:
    """The front matter, keys in the format's order, with a warning for each fact not found."""
    meta: dict[str, Any] = {"organ": organ}
    meta["status"] = "justerat" if page.justering else "draft"
    _meeting(path, page, meta, problems)
    meta["attendees"] = _attendees(path, page, problems)
    _officers(path, page, meta, problems)
    _justering(path, page, meta, problems)
    _anslag(path, page, meta, problems)
    return meta


def _meeting(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    """The meeting's date, time and place (and whether it was digital)."""
    if page.date:
        meta["date"] = page.date
    else:
        problems.append(_missing(path, "sammanträdets datum", "date"))
    if page.time:
        meta["time"] = Quoted(page.time)
    else:
        problems.append(
            _missing(path, "sammanträdets tid (kl. från–till)", "time", page.lines.get("date", 0))
        )
    if page.place:
        meta["place"] = Quoted(page.place)
        meta["digital"] = bool(page.digital)
    else:
        problems.append(_missing(path, "sammanträdets plats", "place", page.lines.get("date", 0)))


def _attendees(path: str, page: FrontPage, problems: list[Problem]) -> dict[str, Any]:
    """The attendees by group; a warning when the voting members are not found."""
    attendees: dict[str, Any] = {}
    for group in (Group.VOTING, Group.SERVING, Group.SUBSTITUTES, Group.ABSENT, Group.OTHERS):
        people = _people(page, group)
        if people:
            attendees[group.value] = people
    if page.others_heading and Group.OTHERS in page.people:
        attendees["others_heading"] = page.others_heading
    if Group.VOTING not in page.people:
        if page.voting_reference:
            problems.append(
                warning(
                    path,
                    page.voting_reference,
                    "de beslutande står i en närvarolista som inte hittades i texten; "
                    "attendees.voting utelämnas",
                )
            )
        else:
            problems.append(_missing(path, "Beslutande", "attendees.voting"))
    return attendees


def _officers(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    """The secretary, the chair and the justerare."""
    if page.secretary:
        secretary = page.secretary.as_dict()
        secretary.pop("role", None)
        meta["secretary"] = secretary
    else:
        problems.append(_missing(path, "Sekreterare", "secretary"))
    if page.chair:
        meta["chair"] = page.chair
    else:
        problems.append(_missing(path, "Ordförande", "chair"))
    if page.justerare:
        meta["justerare"] = page.justerare
    else:
        problems.append(_missing(path, "Justerare", "justerare"))


def _justering(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    if page.justering:
        meta["justering"] = page.justering
    else:
        problems.append(
            warning(
                path,
                page.lines.get("justering", 0),
                "Justeringens plats och tid (med datum) saknas i texten; justering utelämnas "
                "och status blir draft",
            )
        )


def _anslag(path: str, page: FrontPage, meta: dict[str, Any], problems: list[Problem]) -> None:
    facts = page.anslag
    if facts is None:
        problems.append(
            warning(
                path,
                0,
                "ANSLAGSBEVIS saknas i texten; anslag (uppsättande och nedtagande) utelämnas",
            )
        )
        return
    anslag: dict[str, Any] = {}
    if facts.posted:
        anslag["posted"] = facts.posted
    else:
        problems.append(
            warning(
                path,
                facts.lines.get("posted", 0),
                "datum för anslags uppsättande saknas i texten; anslag.posted utelämnas",
            )
        )
    if facts.taken_down:
        anslag["taken_down"] = facts.taken_down
    else:
        problems.append(
            warning(
                path,
                facts.lines.get("taken_down", 0),
                "datum för anslags nedtagande saknas i texten; anslag.taken_down utelämnas",
            )
        )
    if anslag:
        meta["anslag"] = anslag
    if facts.kept_at:
        meta["kept_at"] = Quoted(facts.kept_at)
    if facts.meeting_date and page.date and facts.meeting_date != page.date:
        problems.append(
            warning(
                path,
                facts.lines.get("meeting", 0),
                f"anslagsbevisets sammanträdesdatum {facts.meeting_date.isoformat()} skiljer sig "
                f"från sammanträdets datum {page.date.isoformat()}; kontrollera",
            )
        )
    for piece in facts.leftovers:
        problems.append(
            warning(path, piece.line, f"texten '{piece.text}' i anslagsbeviset kunde inte tolkas")
        )


def _merge_anslag(page: FrontPage, late: AnslagFacts) -> None:
    if page.anslag is None:
        page.anslag = late
        return
    for key in ("meeting_date", "posted", "taken_down", "kept_at", "organ_name"):
        if getattr(page.anslag, key) is None:
            setattr(page.anslag, key, getattr(late, key))


def import_text(
    path: str, text: str, organ: str | None = None, bodies: Mapping[str, str] | None = None
) -> Imported:
    """Turn the text of one protocol into a Justerat Markdown file, every word of it
    accounted for (``accounting``): what no recogniser kept is put back into the body. The
    body is ``organ`` when given, else the one the text names (matched with ``bodies``, the
    slugs and names of ``site.yaml``)."""
    problems: list[Problem] = []
    removed: Removed = {}
    source = split_lines(text)
    lines = _without_running_headers(source, removed)
    start = first_heading(lines)
    if start is None:  # numbers without §, as web transcripts write them
        lines = without_sign(lines)
        start = first_heading(lines)
    if start is None:
        problems.append(warning(path, 0, "inga paragrafer (§ 1 Rubrik) hittades i texten"))
        start = len(lines)
    front_lines, body_lines = lines[:start], lines[start:]
    body_lines, late_anslag, cut = _cut_anslag(body_lines)
    page = _read_front(path, front_lines, late_anslag, problems)
    slug = _organ(path, page, organ, bodies or {}, problems)
    meta = _schema_safe(path, _front_matter(path, page, slug, problems), problems)
    chunks, split = _body(path, page, body_lines, slug, problems, removed)
    numbers = tuple(p.heading.number for p in split)
    prefixes = {p.line: p.heading.prefix for p in split}
    _add_proceedings(path, meta, split, slug, problems)
    front = {line.number for line in front_lines + cut}
    _front_furniture(front_lines + cut, removed)
    read = _read_not_written(page, prefixes)
    account = accounting.account(source, _joined(chunks), meta, front, removed, read)
    if account.lost:
        chunks = _put_back(path, chunks, account.lost, problems)
    markdown = dump(meta) + "\n" + _joined(chunks).rstrip() + "\n"
    date = meta.get("date")
    day = date if isinstance(date, datetime.date) else None
    return Imported(markdown, day, problems, account, slug, numbers)


def _add_proceedings(
    path: str,
    meta: dict[str, Any],
    paragraphs: list[ParagraphLines],
    organ: str,
    problems: list[Problem],
) -> None:
    """The votes and reservations the paragraphs state, as ``proceedings`` (last in the front
    matter); what they state unclearly stays text, with a warning."""
    found, unclear = read_proceedings(path, paragraphs, meta, lambda name: _same_organ(name, organ))
    problems += unclear
    if found:
        meta["proceedings"] = found


def _schema_safe(path: str, meta: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The front matter without any value the schema refuses (a person's "title" of 300
    characters is a misread list, not a title): each is left out with a warning, and its
    words, no longer in the front matter, are put back into the body by the accounting. A
    missing required fact is not this function's business: ``check`` reports it."""
    from jsonschema import Draft202012Validator

    from ..reading.frontmatter import schema

    validator = Draft202012Validator(schema("protocol"))
    for _ in range(20):  # each round leaves out one value
        plain = json.loads(json.dumps(meta, default=str))
        wrong = [e for e in validator.iter_errors(plain) if e.validator != "required"]
        if not wrong:
            break
        at = list(min(wrong, key=lambda e: len(e.absolute_path)).absolute_path)
        if not at:
            break
        _remove(meta, at)
        shown = ".".join(str(key) for key in at)
        problems.append(
            warning(path, 0, f"värdet {shown} lästes fel ur texten och utelämnas; kontrollera")
        )
    return meta


def _remove(meta: Any, at: list[Any]) -> None:
    """Remove the value at the path ``at`` (a list's item, a mapping's key)."""
    for key in at[:-1]:
        meta = meta[key]
    del meta[at[-1]]


def _organ(
    path: str,
    page: FrontPage,
    organ: str | None,
    bodies: Mapping[str, str],
    problems: list[Problem],
) -> str:
    """The body's slug: as given, or as the ANSLAGSBEVIS, the title lines or the file name
    name it (a warning says where, when not the front page, and what to add to site.yaml)."""
    if organ is not None:
        return organ
    candidates = [page.anslag.organ_name or ""] if page.anslag else []
    candidates += [entry.text for entry in page.title_lines]
    found = organs.recognise(candidates, bodies)
    for entry in page.head if found is None else ():
        name = organs.named_in_head(entry.text)
        if name is not None:
            found = organs.match(name, bodies)
            break
    named = organs.from_file_name(PurePosixPath(path).stem)
    if found is None and named is not None:
        found = organs.match(named, bodies)
        problems.append(
            warning(path, 0, f"organet står inte i texten; '{named}' togs från filnamnet")
        )
    if found is None:
        return _unknown_organ(path, bodies, problems)
    if bodies and not found.known:
        problems.append(
            warning(
                path,
                0,
                f"organet '{found.name}' finns inte i site.yaml; lägg till det under bodies:\n"
                f"  {found.slug}:\n    name: {found.name}",
            )
        )
    return found.slug


def _unknown_organ(path: str, bodies: Mapping[str, str], problems: list[Problem]) -> str:
    """No body named anywhere: the only body of site.yaml, or a slug check refuses."""
    if len(bodies) == 1:
        only = next(iter(bodies))
        problems.append(
            warning(
                path,
                0,
                f"organet står inte i texten; importeras till '{only}', det enda i site.yaml",
            )
        )
        return only
    problems.append(
        warning(
            path,
            0,
            "organet står inte i texten; protokollet importeras till 'okant-organ': ange "
            "organet med --organ, eller rätta organ: i filen",
        )
    )
    return "okant-organ"


Chunk = tuple[int, str]  # (the source line it begins at, its Markdown)


def _front_furniture(lines: list[Line], removed: Removed) -> None:
    """Note the page furniture of the front page and the ANSLAGSBEVIS (their running header,
    page numbers, lone web addresses, lines to sign on), which the front page reader passes
    over."""
    for line in lines:
        kind = furniture.classify(line.text)
        lone_url = kind is furniture.Furniture.URL and furniture.lone_url(line.text)
        if kind in (furniture.Furniture.PAGE_HEADER, furniture.Furniture.PAGE_NUMBER) or lone_url:
            removed[line.number] = str(kind)
        elif kind is furniture.Furniture.SIGNATURE:
            signature = furniture.signature_line(line.text)
            if signature is not None and not signature[1]:
                removed[line.number] = str(kind)


def _read_not_written(page: FrontPage, prefixes: dict[int, str]) -> dict[int, str]:
    """What the importer read and checked but does not write, by the line it stands on: the
    title lines (the body's and the organisation's names), the § range stated, the
    ANSLAGSBEVIS's own statement of the body and the meeting, the prefixes of § headings
    ("KS" of "KS § 46")."""
    found: dict[int, list[str]] = {}

    def add(line: int | None, text: str | None) -> None:
        if line and text:
            found.setdefault(line, []).append(text)

    for entry in page.title_lines:
        add(entry.line, entry.text)
    add(page.lines.get("paragraphs"), page.paragraphs)
    if page.anslag is not None:
        add(page.anslag.lines.get("organ_name"), page.anslag.organ_name)
        add(page.anslag.lines.get("paragraphs"), page.anslag.paragraphs)
        if page.anslag.meeting_date is not None:
            add(page.anslag.lines.get("meeting"), page.anslag.meeting_date.isoformat())
    for line, prefix in prefixes.items():
        add(line, prefix)
    return {line: " ".join(texts) for line, texts in found.items()}


def _joined(chunks: list[Chunk]) -> str:
    return "\n\n".join(markdown for _, markdown in chunks if markdown)


def _put_back(
    path: str, chunks: list[Chunk], lost: list[Line], problems: list[Problem]
) -> list[Chunk]:
    """Each line whose words no recogniser kept, put back as text after the chunk it stood
    in (before the first chunk when it stood before them all), with a warning."""
    placed: list[list[Chunk]] = [[], *([chunk] for chunk in chunks)]
    for line in lost:
        at = max((i + 1 for i, (start, _) in enumerate(chunks) if start <= line.number), default=0)
        placed[at].append((line.number, blocks.escape(line.text)))
        problems.append(accounting.kept(path, line))
    return [chunk for group in placed for chunk in group]


def _read_front(
    path: str, front_lines: list[Line], late_anslag: list[Line], problems: list[Problem]
) -> FrontPage:
    """The front page's facts, with an ANSLAGSBEVIS found after the paragraphs merged in."""
    page = read_front_page(front_lines)
    if late_anslag:
        _merge_anslag(page, read_anslag(late_anslag))
    if page.date is None and page.anslag and page.anslag.meeting_date:
        page.date = page.anslag.meeting_date
        problems.append(
            warning(
                path,
                page.anslag.lines.get("meeting", 0),
                "sammanträdets datum togs från anslagsbeviset",
            )
        )
    for line in front_lines + late_anslag:
        for bad in invalid_dates(line.text):
            problems.append(warning(path, line.number, f"datumet {bad} finns inte; det utelämnas"))
    for number, note in page.notes:
        problems.append(warning(path, number, note))
    return page


def _body(
    path: str,
    page: FrontPage,
    body_lines: list[Line],
    organ: str,
    problems: list[Problem],
    removed: Removed,
) -> tuple[list[Chunk], list[ParagraphLines]]:
    """The Markdown body in chunks: the front page's leftovers, then one per paragraph; and
    the paragraphs as split (their numbers, their headings' prefixes, their lines)."""
    body_lines = _clean_body(body_lines, removed)
    split = split_paragraphs(body_lines)
    for number, why in split.rejected:
        problems.append(warning(path, number, why))
    width = blocks.body_width(body_lines)
    parts = _front_leftovers(path, page, problems)
    organs: Counter[str] = Counter()
    previous_number: int | None = None
    for paragraph in split.paragraphs:
        problems += _numbering_problems(path, paragraph, previous_number)
        previous_number = paragraph.heading.number
        rendered = blocks.render_lines(paragraph.lines, width)
        organs.update(rendered.organs)
        for note_line, note in rendered.notes:
            problems.append(warning(path, note_line, note))
        parts.append((paragraph.line, _paragraph_markdown(paragraph, rendered.markdown)))
    problems += _range_problems(path, page, split.paragraphs)
    problems += _organ_problems(path, organs, organ)
    return parts, split.paragraphs


def _front_leftovers(path: str, page: FrontPage, problems: list[Problem]) -> list[Chunk]:
    """The front page's lines that were not understood, kept before the first paragraph."""
    parts: list[Chunk] = []
    for entry in page.leftovers:
        parts.append((entry.line, blocks.escape(entry.text)))
        problems.append(
            warning(
                path,
                entry.line,
                f"raden '{entry.text}' på försättsbladet kunde inte tolkas; "
                "den ligger kvar före första paragrafen",
            )
        )
    return parts


def _numbering_problems(
    path: str, paragraph: ParagraphLines, previous_number: int | None
) -> list[Problem]:
    """A gap in the § numbering before ``paragraph``, and a missing title."""
    found: list[Problem] = []
    number = paragraph.heading.number
    if previous_number is not None and number != previous_number + 1:
        found.append(
            warning(
                path,
                paragraph.line,
                f"§ {number} följer på § {previous_number}; saknas en paragraf?",
            )
        )
    if not paragraph.title:
        found.append(warning(path, paragraph.line, f"§ {number} saknar rubrik"))
    return found


def _paragraph_markdown(paragraph: ParagraphLines, rendered: str) -> str:
    """The ``## §`` heading, the lead (the dnr) and the rendered body of one paragraph."""
    number = paragraph.heading.number
    chunk = f"## § {number} {blocks.escape(paragraph.title, block_start=False)}".rstrip()
    lead = "\n\n".join(blocks.escape(t) for t in paragraph.lead)
    return "\n\n".join(filter(None, [chunk, lead, rendered]))


def _range_problems(path: str, page: FrontPage, paragraphs: list[ParagraphLines]) -> list[Problem]:
    """The § range the front page states, if it is not the one the text has."""
    if not (page.paragraphs and paragraphs):
        return []
    written = f"{paragraphs[0].heading.number}-{paragraphs[-1].heading.number}"
    stated = re.sub(r"\s*[–—-]\s*", "-", page.paragraphs).strip()
    if stated == written or stated.replace("§", "").strip() == written:
        return []
    return [
        warning(
            path,
            0,
            f"försättsbladet anger paragraferna {page.paragraphs}, texten har § {written}",
        )
    ]


def _organ_problems(path: str, organs: Counter[str], organ: str) -> list[Problem]:
    """The organ that the paragraphs' "<Organ> beslutar" name most, if it is not ``organ``."""
    if not organs:
        return []
    name = organs.most_common(1)[0][0]
    if _same_organ(name, organ):
        return []
    return [
        warning(
            path,
            0,
            f"texten beslutas av '{name}' men protokollet importeras till organet "
            f"'{organ}'; kontrollera organet",
        )
    ]
