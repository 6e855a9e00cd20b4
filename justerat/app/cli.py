"""The command line: ``python build.py check|build`` and the ``justerat`` console script."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from ..build import folder
from ..build.options import Options, Result
from ..core.files import ContentChanged
from ..core.problems import has_errors, report
from ..core.swedish import counted
from ..legal import publog
from ..publishing.publish import PublishError
from . import export
from .arguments import cache_option, content_options, iso_date
from .new import command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Justerat: bygger ett offentligt protokollarkiv från Markdown.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    check = commands.add_parser(
        "check",
        help="kontrollera allt innehåll och rapportera alla fel",
        description="Läser allt innehåll och rapporterar varje problem som "
        "'fil:rad: error|warning: meddelande'. Avslutar med kod 1 vid fel.",
    )
    content_options(check)
    check.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen som kontrollen gäller (standard: dagens datum): ett sammanträde som hölls "
        "för mer än 14 dagar sedan utan protokoll ger en varning",
    )
    check.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="MAPP",
        help="den publicerade webbplatsen, vars publiceringslogg kontrolleras (standard: site)",
    )

    build = commands.add_parser(
        "build",
        help="kontrollera och bygg webbplatsen",
        description="Kontrollerar allt innehåll och bygger webbplatsen. Vid fel skrivs "
        "ingenting och en tidigare byggd webbplats lämnas orörd.",
    )
    content_options(build)
    build.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="MAPP",
        help="utmappen för webbplatsen (standard: site)",
    )
    cache_option(build)
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="bygg allt på nytt, utan att använda eller spara något i cachen",
    )
    build.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen som anslagstavlan visas för (standard: dagens datum)",
    )
    build.add_argument(
        "--no-pdf",
        action="store_true",
        help="HTML-sidorna och sökindexet, utan PDF:er (kansliets snabba bygge)",
    )
    build.add_argument(
        "--html-only",
        action="store_true",
        help="bara HTML-sidorna, utan PDF:er och sökindex (för mätningar och snabba prov)",
    )
    build.add_argument(
        "--timings",
        action="store_true",
        help="skriv ut hur lång tid varje steg av bygget tog",
    )
    build.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="antal processer som läser och bygger sidor samtidigt när det är många "
        "(standard: en per processorkärna)",
    )
    build.add_argument(
        "--full",
        action="store_true",
        help="den fullständiga versionen för kansliet, med paragrafer som hålls utanför "
        "webben (not_for_web); byggs i en egen mapp (--out), aldrig i site/",
    )
    build.add_argument(
        "--drafts",
        action="store_true",
        help="ta med utkast (märkta 'UTKAST — ej justerat'); aldrig för publicering",
    )
    build.add_argument(
        "--start-log",
        action="store_true",
        help="starta publiceringsloggen i utmappen (en gång, i kansliets riktiga bygge); "
        "utan den startar ett bygge i en ny mapp ingen logg",
    )
    verify = commands.add_parser(
        "verify",
        help="kontrollera sigillet på PDF:er och att en publicerad webbplats är orörd",
        description="För en PDF: om sigillet är helt, vem som förseglade och när, och om "
        "certifikatet leder till den betrodda roten. För en byggd webbplats (en utmapp): om "
        "varje fil är den som publicerades och om publiceringsloggens kedja håller. Avslutar "
        "med kod 1 om något inte stämmer.",
    )
    verify.add_argument(
        "paths", nargs="+", type=Path, metavar="SÖKVÄG", help="PDF:er eller utmappar"
    )
    verify.add_argument(
        "--root",
        type=Path,
        default=None,
        metavar="FIL",
        help="rotcertifikatet sigillet ska leda till (PEM eller DER; standard: trust_root "
        "under seal: i innehållsmappens site.yaml, om den finns)",
    )
    verify.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="MAPP",
        help="innehållsmappen vars site.yaml anger trust_root (standard: content)",
    )
    serve = commands.add_parser(
        "serve",
        help="förhandsvisa webbplatsen med utkast, som laddas om när du sparar",
        description="Bygger webbplatsen med utkast i minnet (aldrig i site/), visar den på "
        "http://HOST:PORT/ och bygger om och laddar om webbläsaren när något i innehålls- "
        "eller mallmappen sparas. Fel visas i webbläsaren och i terminalen.",
    )
    content_options(serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="adress att lyssna på (standard: 127.0.0.1, bara den här datorn: utkast ska "
        "inte nås från nätverket)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port (standard: 8000)")
    cache_option(serve)

    importer = commands.add_parser(
        "import",
        help="gör om äldre protokoll (.txt, .pdf, .docx, mappar) till Justerats Markdown",
        description="Läser äldre protokoll (text, PDF med textlager, Word) en och en eller i "
        "mappar och skriver Markdown med front matter, en fil per möte: UT/<organ>/<datum>.md. "
        "Varje ord i källan redovisas: det som inte förstås blir kvar i texten, med en varning "
        "som anger raden. Kontrollera resultatet med check.",
    )
    importer.add_argument(
        "files", nargs="+", type=Path, metavar="FIL", help="filer eller mappar (.txt, .pdf, .docx)"
    )
    importer.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="MAPP",
        help="innehållsmappen, vars site.yaml anger organen (standard: content)",
    )
    importer.add_argument(
        "--out",
        type=Path,
        metavar="MAPP",
        help="var protokollen skrivs (standard: INNEHÅLL/protocols)",
    )
    importer.add_argument(
        "--organ",
        default=None,
        help="organets kortnamn i site.yaml, för alla filer (standard: det organ texten anger)",
    )
    importer.add_argument("--force", action="store_true", help="skriv över filer som finns")
    importer.add_argument(
        "--plan", action="store_true", help="filerna är planer eller budgetar (till plans/)"
    )
    importer.add_argument(
        "--forfattning",
        action="store_true",
        help="filerna är föreskrifter i författningssamlingen (till forfattningar/)",
    )
    importer.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="FIL.csv",
        help="skriv en rapport per fil (datum, organ, paragrafer, varningar, ord) som CSV",
    )
    importer.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="antal processer som importerar samtidigt (standard: en per processorkärna)",
    )

    dates = commands.add_parser(
        "anslag",
        help="räkna ut lagens datum för anslaget om ett protokolls justering",
        description="Skriver ut sista dag att sätta upp anslaget, sista dag att överklaga och "
        "första dag anslaget får tas ned, för ett protokoll (dess justering och anslag) eller "
        "för ett justeringsdatum, och front matter att klistra in.",
    )
    dates.add_argument(
        "protocol", nargs="?", type=Path, metavar="PROTOKOLL", help="protokollfilen (.md)"
    )
    dates.add_argument("--justering", type=iso_date, metavar="ÅÅÅÅ-MM-DD", help="justeringsdatum")
    dates.add_argument(
        "--posted",
        type=iso_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="dag då anslaget sätts upp (standard: protokollets, annars sista tillåtna dag)",
    )
    command.parser(commands)
    export.parser(commands)
    from .audit import add_parser as granska_parser  # granska's arguments are its own

    granska_parser(commands)
    return parser


def _import(args: argparse.Namespace) -> int:
    import time

    from ..core.processes import cores
    from ..core.progress import watched
    from ..importer import batch

    site = args.content / "site.yaml"
    settings = batch.Settings(
        out=args.out or args.content / "protocols",
        bodies=batch.read_bodies(site),
        organ=args.organ,
        force=args.force,
        plans=args.content / "plans",
        plan=args.plan,
        forfattningar=args.content / "forfattningar",
        forfattning=args.forfattning,
    )
    started = time.monotonic()
    outcomes, problems = batch.run(args.files, settings, args.workers or cores(), watched())
    for outcome in outcomes:
        problems += outcome.problems
        if outcome.target:
            print(
                f"{outcome.source} → {outcome.target}: {outcome.account.summary()}", file=sys.stderr
            )
    if problems:
        print(report(problems), file=sys.stderr)
    if len(outcomes) > 1:
        print(batch.summary(outcomes, time.monotonic() - started), file=sys.stderr)
    if args.report is not None:
        batch.write_report(outcomes, args.report)
        print(f"Rapporten skrevs till {args.report}", file=sys.stderr)
    failed = any(o.target is None for o in outcomes) or not outcomes
    return 1 if failed or has_errors(problems) else 0


def _anslag(args: argparse.Namespace) -> int:
    from ..domain.source import read_file

    justering: date | None = args.justering
    posted: date | None = args.posted
    if args.protocol is not None:
        source, problems = read_file(args.protocol)
        if source is None:
            print(report(problems), file=sys.stderr)
            return 1
        meta = source.meta
        try:
            justering = justering or date.fromisoformat(meta["justering"]["date"])
        except (KeyError, TypeError, ValueError):
            print(
                f"{source.path}:{source.line_of('justering')}: error: protokollet saknar ett "
                "giltigt justeringsdatum (justering: date:); ange --justering",
                file=sys.stderr,
            )
            return 1
        recorded = (meta.get("anslag") or {}).get("posted")
        if posted is None and isinstance(recorded, str):
            try:
                posted = date.fromisoformat(recorded)
            except ValueError:
                posted = None
    if justering is None:
        print("anslag: ange en protokollfil eller --justering ÅÅÅÅ-MM-DD", file=sys.stderr)
        return 2
    print(legal_dates(justering, posted))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from ..publishing import verify

    root, notes = (args.root, []) if args.root else verify.configured_root(args.content)
    code, lines = verify.run(args.paths, root)
    print("\n".join(notes + lines))
    return code


def _granska(args: argparse.Namespace) -> int:
    from .audit import run as granska  # the browser and the checker: only for this command

    return granska(args)


def legal_dates(justering: date, posted: date | None) -> str:
    """The law's dates for a notice, as the secretary reads them, with front matter to paste."""
    from ..core.swedish import swedish_date
    from ..legal import law

    calendar = law.Calendar()
    deadline = calendar.posting_deadline(justering)
    assumed = posted is None
    dates = calendar.deadlines(justering, posted or deadline)

    def day(value: date) -> str:
        return swedish_date(value, weekday=True)

    def moved(unmoved: date, value: date) -> str:
        if unmoved == value:
            return ""
        reason = calendar.closed_because(unmoved)
        named = f", {reason}" if reason not in ("lördag", "söndag") else ""
        return f"; flyttad från {day(unmoved)}{named}"

    rows = [
        ("Justering", day(justering)),
        (
            "Anslaget sätts upp senast",
            f"{day(deadline)} (andra dagen efter justeringen, KL 8 kap. 12 §"
            f"{moved(justering + timedelta(days=law.POSTING_DAYS), deadline)})",
        ),
        (
            "Anslaget sätts upp",
            day(dates.posted)
            + (" (antaget: sista tillåtna dag; ange --posted för en annan)" if assumed else ""),
        ),
        (
            "Sista dag att överklaga",
            f"{day(dates.appeal_last_day)} (tre veckor, KL 13 kap. 5 §, lag 1930:173"
            f"{moved(dates.posted + timedelta(weeks=law.APPEAL_WEEKS), dates.appeal_last_day)})",
        ),
        ("Anslaget tas ned tidigast", day(dates.earliest_take_down)),
        ("Besluten kan inte överklagas från", day(dates.unappealable_from)),
    ]
    lines = [f"{label + ':':<35}{value}" for label, value in rows]
    if dates.posted < justering:
        lines.append("Obs: anslaget kan inte sättas upp före justeringen (KL 8 kap. 12 §).")
    lines += [
        "",
        "Front matter:",
        "anslag:",
        f"  posted: {dates.posted.isoformat()}",
        f"  taken_down: {dates.earliest_take_down.isoformat()}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"anslag": _anslag, "import": _import, "new": command.run, "verify": _verify}
    commands["export"] = export.run
    commands["granska"] = _granska
    if args.command in commands:
        return commands[args.command](args)
    options = Options(
        content=args.content,
        templates=args.templates,
        out=getattr(args, "out", Path("site")),
        drafts=getattr(args, "drafts", False),
        full=getattr(args, "full", False),
        today=getattr(args, "today", None) or publog.today(),
        cache=None if getattr(args, "no_cache", False) else getattr(args, "cache", None),
        workers=max(0, getattr(args, "workers", 0)),
        start_log=getattr(args, "start_log", False),
    )
    if args.command == "serve":
        from .serve import serve

        return serve(options, args.host, args.port)
    if args.command == "check":
        from ..build import pipeline  # the stages; a build imports them only when needed

        result = pipeline.check(options)
        print(report(result.problems), file=sys.stderr)
        return 0 if result.ok else 1
    try:
        result = folder.build(options, html_only=args.html_only, pdfs=not args.no_pdf)
    except (PublishError, ContentChanged) as exc:
        print(f"{options.out}: error: {exc}", file=sys.stderr)
        return 1
    return _told(options, result, args.timings)


def _told(options: Options, result: Result, timings: bool) -> int:
    """What a build did, for the office (on stderr), and its exit code."""
    print(report(result.problems), file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    if result.held and result.committed:
        print(
            f"Byggde {counted(result.count, 'fil', 'filer')} i {options.out}/, men höll tillbaka "
            f"{counted(len(result.held), 'fil', 'filer')} med fel (rätta och bygg igen):",
            file=sys.stderr,
        )
        for held in result.held:
            print(f"  {held}", file=sys.stderr)
        return 1
    if not result.ok:
        print(f"Inget byggdes; {options.out} är orörd.", file=sys.stderr)
        return 1
    if result.unchanged:
        print(
            f"Inget har ändrats sedan förra bygget; {options.out}/ "
            f"({counted(result.count, 'fil', 'filer')}) lämnades som den var",
            file=sys.stderr,
        )
        return 0
    print(
        f"Byggde {counted(result.count, 'fil', 'filer')} i {options.out}/ "
        f"({counted(result.written, 'ny eller ändrad', 'nya eller ändrade')})",
        file=sys.stderr,
    )
    if timings:
        print(
            f"  {counted(len(result.parsed), 'fil läst och tolkad', 'filer lästa och tolkade')}, "
            f"{counted(result.examined, 'fil prövad', 'filer prövade')} mot förra bygget, "
            f"{counted(len(result.rendered), 'sida gjord', 'sidor gjorda')}",
            file=sys.stderr,
        )
        for stage, seconds in result.timings:
            print(f"  {stage:<22}{seconds:8.2f} s", file=sys.stderr)
        total = sum(seconds for _, seconds in result.timings)
        print(f"  {'totalt':<22}{total:8.2f} s", file=sys.stderr)
    return 0


def run() -> NoReturn:
    """``main`` as a program: when it is done, everything is written and flushed, so the
    process ends at once instead of freeing what a build holds object by object, which costs
    a rebuild of a large archive more than its writing (mypy ends the same way)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
