"""Checks on the content model: what a schema cannot see.

Each check takes records and returns problems: those of one document run when it is read
(``content.parse``), those of the whole archive (``archive``) on its summaries and plans.
``check`` and ``build`` run exactly these, in the same stage (``content.load``), so ``check``
is never more lenient than ``build``: nothing about the content is first found while
rendering. The rules cite their source where one exists, so the secretary can read why.
"""

from __future__ import annotations

import posixpath
import typing
from collections.abc import Iterable, Sequence, Set
from datetime import date

from ..core.problems import Problem, error, warning
from ..domain.model import Archive, Person, Plan, Protocol, Summary
from ..legal import forfattningar, people

_key = people.key  # names compare as the register compares them


def paragraph_numbers(protocol: Protocol) -> list[Problem]:
    problems = []
    seen: dict[int, int] = {}
    previous = None
    for paragraph in protocol.paragraphs:
        if paragraph.number in seen:
            problems.append(
                error(
                    protocol.path,
                    paragraph.line,
                    f"§ {paragraph.number} förekommer två gånger (första gången på rad "
                    f"{seen[paragraph.number]})",
                    "paragraph-order",
                )
            )
        elif previous is not None and paragraph.number < previous:
            problems.append(
                error(
                    protocol.path,
                    paragraph.line,
                    f"§ {paragraph.number} kommer efter § {previous}; paragrafnumren ska öka",
                    "paragraph-order",
                )
            )
        seen.setdefault(paragraph.number, paragraph.line)
        previous = paragraph.number if previous is None else max(previous, paragraph.number)
    return problems


def _names(people: Iterable[Person]) -> set[str]:
    return {_key(p.name) for p in people}


def signatories(protocol: Protocol) -> list[Problem]:
    """The chair and the justerare must have been at the meeting, among the beslutande.

    Kommunallagen 5 kap. 69 §: the protocol is justerat by the chair and at least one member.
    A protocol that refers to its beslutande rather than listing them (``by_reference``) says
    who was absent but not who decided: only a signatory listed as absent is reported.
    """
    problems = []
    attendees = protocol.attendees
    deciding = _names(attendees.deciding)
    present = _names(attendees.present)
    absent = _names(attendees.absent)
    listed = [p.name for p in attendees.present + attendees.absent]
    source = protocol.source
    roles = [("ordföranden", protocol.chair, source.line_of("chair"))] + [
        ("justeraren", name, source.line_of("justerare", index))
        for index, name in enumerate(protocol.justerare)
    ]
    for role, name, line in roles:
        key = _key(name)
        if key in deciding:
            continue
        if attendees.by_reference and key not in absent:
            continue  # perhaps among the beslutande the note refers to: nothing to tell
        if key in absent:
            problems.append(
                error(
                    protocol.path,
                    line,
                    f"{role} {name} står som frånvarande; den som justerar måste ha varit med "
                    "på mötet",
                    "KL 5:69",
                )
            )
        elif key in present:
            problems.append(
                warning(
                    protocol.path,
                    line,
                    f"{role} {name} finns bland deltagarna men inte bland de beslutande; "
                    "protokollet justeras av ordföranden och minst en ledamot",
                    "KL 5:69",
                )
            )
        else:
            advice = (
                people.hint(name, listed) or "; kontrollera stavningen eller lägg till personen"
            )
            problems.append(
                error(
                    protocol.path,
                    line,
                    f"{role} {name} finns inte bland deltagarna (attendees){advice}",
                    "KL 5:69",
                )
            )
    return problems


def file_place(path: str, organ: str, day: date, line: int) -> list[Problem]:
    """A protocol or meeting is named by its front matter's organ and date; its file should be
    where they say (``<organ>/<date>.md``), or the office looks for it in the wrong place."""
    expected = f"{organ}/{day.isoformat()}.md"
    if path.endswith("/" + expected):
        return []
    return [
        warning(
            path,
            line,
            f"filen ligger inte där organ och date säger: den publiceras som {organ} "
            f"{day.isoformat()}; flytta den till {expected} i sin mapp, eller rätta organ eller "
            "date",
            "file-place",
        )
    ]


def unique_meetings(protocols: Sequence[Summary]) -> list[Problem]:
    """One protocol per body and meeting date: each has its own address. Each protocol of a
    meeting that has more is named, with the others (a build holds back all of them: which
    one is right is the office's to say)."""
    meetings: dict[tuple[str, object], list[Summary]] = {}
    for protocol in protocols:
        meetings.setdefault((protocol.organ.slug, protocol.date), []).append(protocol)
    problems = []
    for (slug, day), claiming in meetings.items():
        for protocol in claiming if len(claiming) > 1 else ():
            others = [other for other in claiming if other is not protocol]
            problems.append(
                _clash(protocol, others)(
                    protocol.path,
                    protocol.date_line,
                    f"två protokoll för samma möte ({slug} {day}): även "
                    + ", ".join(other.path for other in others),
                    "unique-meeting",
                )
            )
    return problems


def _clash(document: _Addressed, others: Sequence[_Addressed]):  # type: ignore[no-untyped-def]
    """How a document that shares its address with ``others`` is told: an error, but for a
    published document whose every rival is a draft (never published: it cannot take the
    address, and must not take the published document down with it), a warning."""
    if not getattr(document, "is_draft", False) and all(
        getattr(other, "is_draft", False) for other in others
    ):
        return warning
    return error


def archive(archive: Archive, unmodelled: Set[tuple[str, date]] = frozenset()) -> list[Problem]:
    """The checks of the whole archive: one protocol per meeting, one document per address,
    one image per image address, the författningssamling against the protocols (but those of
    the ``unmodelled`` meetings, whose files have errors of their own)."""
    return (
        unique_meetings(archive.protocols)
        + unique_addresses(archive.plans, "planens adress är filnamnet; byt namn på en av filerna")
        + unique_addresses(
            archive.meetings,
            "ett sammanträde per organ och dag; rätta organ eller date i en av dem",
        )
        + unique_addresses(
            archive.announcements,
            "anslagets adress är året det sattes upp och filnamnet; byt namn på en av filerna",
        )
        + unique_image_addresses([*archive.protocols, *archive.plans])
        + forfattningar.check(archive.forfattningar, archive.protocols, unmodelled)
    )


class _Addressed(typing.Protocol):
    @property
    def path(self) -> str: ...
    @property
    def url(self) -> str: ...


def unique_addresses(documents: Sequence[_Addressed], rule: str) -> list[Problem]:
    """Two documents of one address (two plans of one name in different folders under plans/,
    two meetings of a body on one day, two notices of one name posted in one year) would claim
    one page. Each of them is named, with the others."""
    by_address: dict[str, list[_Addressed]] = {}
    for document in sorted(documents, key=lambda d: d.path):
        by_address.setdefault(document.url, []).append(document)
    problems = []
    for url, claiming in by_address.items():
        for document in claiming if len(claiming) > 1 else ():
            rivals = [other for other in claiming if other is not document]
            others = ", ".join(other.path for other in rivals)
            problems.append(
                _clash(document, rivals)(
                    document.path,
                    1,
                    f"adressen /{url} används också av {others}: {rule}",
                    "unique-url",
                )
            )
    return problems


def images_inside_the_site(document: Protocol | Plan) -> list[Problem]:
    """Each image a document shows is copied to where its address points from the page; that
    must be inside the site."""
    problems = []
    for image in document.images:
        target = image_target(document.url, image.address)
        if target.startswith("../") or target in {"..", "."} or target.startswith("/"):
            problems.append(
                error(
                    document.path,
                    image.line,
                    f"bilden '{image.address}' hamnar utanför webbplatsen från sidan "
                    f"/{document.url}; lägg bilden i samma mapp som dokumentet eller under den",
                    "image",
                )
            )
    return problems


def unique_image_addresses(documents: Sequence[Summary | Plan]) -> list[Problem]:
    """Two different images may not be copied to one address of the site."""
    problems = []
    owners: dict[str, tuple[str, str]] = {}  # address on the site → (file, document)
    for document in documents:
        for image in document.images:
            target = image_target(document.url, image.address)
            owner = owners.setdefault(target, (image.file, document.path))
            if owner[0] == image.file:
                continue
            problems.append(
                error(
                    document.path,
                    image.line,
                    f"bilden '{image.address}' får samma adress /{target} som en annan bild "
                    f"({owner[0]}, i {owner[1]}); byt namn på en av dem",
                    "image",
                )
            )
    return problems


def image_target(page: str, address: str) -> str:
    """Where an image a page shows is copied: where its relative address points from the
    page (it may be outside the site, which ``images_inside_the_site`` refuses, or in another
    body's folder)."""
    return posixpath.normpath(posixpath.join(page, address))
