"""Notices on the board besides justeringar and kungörelser: the file → the record, and the
law's rules on its dates. No I/O but the attachments' (``attachments``).

- Kommunallagen (2017:725) 8 kap. 10 §: the board holds notices of delegationsbeslut that are
  not reported to a nämnd (första stycket 3), and the kungörelser and notices that other laws
  require (andra stycket): plan- och bygglagen's, antagna föreskrifter (8 kap. 13 §), flyttning
  av fordon, other authorities' notices.
- Such a delegationsbeslut is protokollfört särskilt (6 kap. 40 §, 7 kap. 8 §) and appealed
  within three weeks from the day its notice was posted (13 kap. 5 §, applied to that separate
  protocol; an interpretation). A notice that starts an appeal period may not come down before
  the period is over (13 kap. 5 § andra stycket, 8 kap. 12 §). A plan- och bygglagen decision
  to adopt a detaljplan is appealed from the day it was announced (PBL 13 kap. 16 §): such a
  notice is marked ``appeal: true``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.problems import Problem, error, has_errors, warning
from ..core.swedish import swedish_date
from ..domain.meetings import Announcement, AnnouncementKind
from ..domain.settings import Settings
from ..domain.source import Source
from ..reading import attachments, markdown
from ..reading.documents import date_or_none, file_slug
from . import law

RULE_DELEGATION = "KL 8 kap. 10 § första stycket 3, 13 kap. 5 §"
RULE_TAKE_DOWN = "KL 13 kap. 5 § andra stycket, 8 kap. 12 §"

TITLES = {
    AnnouncementKind.DELEGATION: "Delegationsbeslut",
    AnnouncementKind.PLANNING: "Plan- och bygglagen",
    AnnouncementKind.REGULATIONS: "Föreskrifter",
    AnnouncementKind.VEHICLES: "Flyttning av fordon",
    AnnouncementKind.AUTHORITY: "Från andra myndigheter",
    AnnouncementKind.OTHER: "Övrigt",
}


def announcement(
    source: Source, site: Settings, content: Path
) -> tuple[Announcement | None, list[Problem]]:
    """A notice's record from its validated source, with the problems of its own file."""
    meta = source.meta
    problems: list[Problem] = []
    slug, problem = file_slug(source, "anslagets", "bygglov-hamnen-3.md")
    if problem:
        problems.append(problem)
    kind = AnnouncementKind(meta["kind"])
    posted = date.fromisoformat(meta["posted"])
    folder = f"anslag/{posted.year}/{slug}/bilagor/"
    keys = [("attachments", n) for n in range(len(meta.get("attachments") or ()))]
    found, found_problems = attachments.found(source, keys, content, folder)
    problems += found_problems
    html, _, body_problems = markdown.document_body(source.path, source.body, source.body_line)
    problems += body_problems
    if kind is AnnouncementKind.DELEGATION and meta.get("appeal") is False:
        problems.append(
            error(
                source.path,
                source.line_of("appeal"),
                "ett delegationsbeslut tillkännages på anslagstavlan för att det kan överklagas; "
                f"ta bort appeal: false [{RULE_DELEGATION}]",
                "notice",
            )
        )
    if has_errors(problems):
        return None, problems
    organ = site.body(meta["issuer"])
    return (
        Announcement(
            source=source,
            slug=slug,
            kind=kind,
            published=meta["status"] == "published",
            title=meta["title"],
            issuer=organ.name if organ else meta["issuer"],
            organ=organ,
            posted=posted,
            taken_down=date_or_none(meta.get("taken_down")),
            appeal=kind is AnnouncementKind.DELEGATION or bool(meta.get("appeal")),
            kept_at=meta.get("kept_at") or site.kept_at,
            html=html,
            decided=date_or_none(meta.get("decided")),
            decided_by=meta.get("decided_by"),
            diarienummer=meta.get("diarienummer"),
            attachments=found,
        ),
        problems,
    )


def comes_down(notice: Announcement, calendar: law.Calendar) -> date | None:
    """The day the notice comes down: as recorded; else, for a notice that starts an appeal
    period, the first day the law allows; else None (it stays up until taken_down is written)."""
    if notice.taken_down is not None:
        return notice.taken_down
    return calendar.earliest_take_down(notice.posted) if notice.appeal else None


def check(notice: Announcement, calendar: law.Calendar) -> list[Problem]:
    """The rules of one notice's dates."""
    if notice.is_draft:
        return []
    source = notice.source
    problems: list[Problem] = []
    down = notice.taken_down
    if down is not None and down <= notice.posted:
        problems.append(
            error(
                source.path,
                source.line_of("taken_down"),
                f"anslaget togs ned {swedish_date(down)}, samma dag eller före det sattes upp "
                f"({swedish_date(notice.posted)}); rätta datumen",
                "notice",
            )
        )
    elif down is not None and notice.appeal:
        earliest = calendar.earliest_take_down(notice.posted)
        if down < earliest:
            last = calendar.appeal_last_day(notice.posted)
            problems.append(
                error(
                    source.path,
                    source.line_of("taken_down"),
                    f"anslaget togs ned {swedish_date(down)}, innan överklagandetiden gått ut "
                    f"(sista dag {swedish_date(last)}); då löper tiden inte ut: sätt upp "
                    f"anslaget igen med ett nytt datum, tidigast nedtaget "
                    f"{swedish_date(earliest)} [{RULE_TAKE_DOWN}]",
                    "notice",
                )
            )
    if down is None and not notice.appeal:
        problems.append(
            warning(
                source.path,
                source.line_of("posted"),
                "anslaget har inget datum då det tas ned och sitter uppe tills taken_down "
                "skrivs; skriv taken_down: med dagen då det ska tas ned",
                "notice",
            )
        )
    problems += _decision_rules(notice)
    return problems


def _decision_rules(notice: Announcement) -> list[Problem]:
    source = notice.source
    if notice.kind is not AnnouncementKind.DELEGATION:
        return []
    if notice.decided is None:
        return [
            error(
                source.path,
                source.line_of("kind"),
                "ett delegationsbeslut behöver beslutsdagen: skriv decided: med datumet "
                f"[{RULE_DELEGATION}]",
                "notice",
            )
        ]
    if notice.decided > notice.posted:
        return [
            error(
                source.path,
                source.line_of("decided"),
                f"beslutet är daterat {swedish_date(notice.decided)}, efter att anslaget "
                f"sattes upp {swedish_date(notice.posted)}; rätta datumen",
                "notice",
            )
        ]
    return []
