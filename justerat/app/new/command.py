"""``python build.py new``: the command line of the drafts (``justerat.app.new``): its
arguments and the dispatch to the module of each kind of draft."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..arguments import iso_date

FORESKRIFT = ("föreskrift", "forfattning", "foreskrift")


def parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``new kallelse|protokoll|anslag|föreskrift``: drafts for the secretary."""
    from ...domain.meetings import AnnouncementKind

    new = commands.add_parser(
        "new",
        help="skapa ett utkast: en kallelse, ett protokoll, ett anslag eller en föreskrift",
        description="Skriver ett utkast (status: draft) som check godkänner, med lagens datum "
        "som kommentarer. En fil som redan finns skrivs aldrig över.",
    )
    drafts = new.add_subparsers(dest="draft", required=True, metavar="UTKAST")

    def content_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            metavar="MAPP",
            help="innehållsmappen med site.yaml (standard: content)",
        )

    for name, help_text, description in (
        (
            "kallelse",
            "ett sammanträde med kallelse: INNEHÅLL/meetings/ORGAN/DATUM.md",
            "Skriver ett sammanträde med kallelse som utkast: tid och plats från organets "
            "senaste sammanträde, en tom ärendelista med exempel och, för fullmäktige, sista "
            "dag för kungörelsen (KL 5 kap. 13 §).",
        ),
        (
            "protokoll",
            "ett protokoll från ett sammanträde: INNEHÅLL/protocols/ORGAN/DATUM.md",
            "Skriver ett protokoll som utkast: en paragraf per ärende i kallelsen, numrerade "
            "efter organets senaste paragraf samma år, deltagarna från organets ledamöter i "
            "site.yaml och sista dag för justering och anslag (KL 5 kap. 69 §, 8 kap. 12 §).",
        ),
    ):
        draft = drafts.add_parser(name, help=help_text, description=description)
        draft.add_argument("organ", metavar="ORGAN", help="organets kortnamn i site.yaml")
        draft.add_argument(
            "date", type=iso_date, metavar="ÅÅÅÅ-MM-DD", help="dagen för sammanträdet"
        )
        content_option(draft)
    notice = drafts.add_parser(
        "anslag",
        help="ett anslag på anslagstavlan: INNEHÅLL/notices/ÅR/NAMN.md",
        description="Skriver ett anslag som utkast: för ett delegationsbeslut beslutsdag, "
        "delegat och sista dag att överklaga (KL 13 kap. 5 §), för andra slag dagen då "
        "anslaget tas ned.",
    )
    notice.add_argument(
        "kind",
        choices=[kind.value for kind in AnnouncementKind],
        metavar="SLAG",
        help=f"anslagets slag: {', '.join(kind.value for kind in AnnouncementKind)}",
    )
    notice.add_argument("--title", metavar="TEXT", help="rubriken (ger också filens namn)")
    notice.add_argument(
        "--issuer",
        metavar="ORGAN_ELLER_NAMN",
        help="vem som utfärdar anslaget: ett organs kortnamn i site.yaml eller en myndighets "
        "namn (standard: det enda organet)",
    )
    notice.add_argument(
        "--posted",
        type=iso_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen anslaget sätts upp (standard: i dag)",
    )
    content_option(notice)
    regulation = drafts.add_parser(
        FORESKRIFT[0],
        aliases=FORESKRIFT[1:],  # with or without diacritics, as the secretary types it
        help="en föreskrift i författningssamlingen: INNEHÅLL/forfattningar/ÅÅÅÅ-N.md",
        description="Skriver en föreskrift som utkast, antagen av ORGAN på sammanträdet DATUM "
        "i paragraf PARAGRAF, med nästa lediga beteckning det året. Den kungörs genom anslaget "
        "om protokollets justering (KL 8 kap. 13 §).",
    )
    regulation.add_argument("organ", metavar="ORGAN", help="organets kortnamn i site.yaml")
    regulation.add_argument(
        "date", type=iso_date, metavar="ÅÅÅÅ-MM-DD", help="dagen för sammanträdet"
    )
    regulation.add_argument(
        "paragraph", type=int, metavar="PARAGRAF", help="paragrafen som antog föreskriften"
    )
    content_option(regulation)


def run(args: argparse.Namespace) -> int:
    from ...domain.meetings import AnnouncementKind
    from ...legal import law
    from . import anslag, common, forfattning, kallelse, protokoll

    try:
        site = common.settings(args.content)
        if args.draft == "kallelse":
            draft = kallelse.kallelse(args.content, site, args.organ, args.date)
        elif args.draft in FORESKRIFT:
            draft = forfattning.forfattning(
                args.content, site, args.organ, args.date, args.paragraph
            )
        elif args.draft == "protokoll":
            draft = protokoll.protocol(args.content, site, args.organ, args.date, law.Calendar())
        else:
            draft = anslag.notice(
                args.content,
                site,
                AnnouncementKind(args.kind),
                args.title,
                args.issuer,
                args.posted or date.today(),
                law.Calendar(),
            )
        common.write(draft)
    except common.Refused as refused:
        print(f"new {args.draft}: {refused}", file=sys.stderr)
        return 1
    print(draft.message())
    return 0
