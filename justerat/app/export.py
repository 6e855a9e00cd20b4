"""``python build.py export earkiv``: its arguments, and what it tells the office."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .arguments import cache_option, content_options, iso_date


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"'{text}' är inget år i formen ÅÅÅÅ")
    return int(text)


PROFILES = ("2.2.0", "2.1.0")  # delivery.mets.PROFILES, not imported for the command line


def parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="leverera till e-arkivet: ett E-ARK SIP per organ och år",
        description="Skriver arkivets justerade protokoll som informationspaket för leverans "
        "(E-ARK SIP) till e-arkivet: ett paket per organ och år, med protokollen och "
        "anslagsbevisen som PDF/A (med e-sigill när site.yaml anger ett), handlingarna, "
        "källtexterna och öppna data, beskrivande metadata och bevarandemetadata (PREMIS). "
        "Uppgifterna om leveransen står under earkiv: i site.yaml.",
    )
    kinds = export.add_subparsers(dest="kind", required=True, metavar="SLAG")
    earkiv = kinds.add_parser(
        "earkiv",
        help="E-ARK SIP (CSIP/SIP 2.2.0, eller 2.1.0 för FGS Paketstruktur 2.0)",
        description=export.description,
    )
    content_options(earkiv)
    earkiv.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="MAPP",
        help="mappen som paketen skrivs i, en undermapp per paket (aldrig webbplatsens utmapp)",
    )
    earkiv.add_argument(
        "--site",
        type=Path,
        default=Path("site"),
        metavar="MAPP",
        help="den publicerade webbplatsen, vars publiceringslogg anslagsbevisen och "
        "bevarandemetadatan redovisar (standard: site)",
    )
    earkiv.add_argument(
        "--organ", metavar="ORGAN", help="bara detta organ (kortnamnet i site.yaml)"
    )
    earkiv.add_argument("--year", type=_year, metavar="ÅÅÅÅ", help="bara detta år")
    earkiv.add_argument(
        "--profile",
        choices=PROFILES,
        default="2.2.0",
        help="E-ARK-versionen (standard: 2.2.0; 2.1.0 är Riksarkivets FGS Paketstruktur 2.0)",
    )
    earkiv.add_argument(
        "--date",
        type=iso_date,
        default=None,
        metavar="ÅÅÅÅ-MM-DD",
        help="paketets skapandedatum (standard: i dag); samma innehåll och datum ger samma "
        "paket, byte för byte",
    )
    earkiv.add_argument(
        "--additional-package-info",
        action="store_true",
        help="lägg till Riksarkivets additionalPackageInfo.xml (för arkiv som följer "
        "Riksarkivets tillämpning)",
    )
    cache_option(earkiv)


def run(args: argparse.Namespace) -> int:
    from ..core.problems import has_errors, report
    from ..core.swedish import counted
    from ..delivery.earkiv import Request, export

    request = Request(
        content=args.content,
        out=args.out,
        templates=args.templates,
        site=args.site,
        organ=args.organ,
        year=args.year,
        profile=args.profile,
        day=args.date,
        additional_package_info=args.additional_package_info,
        cache=args.cache,
    )
    exported = export(request)
    if exported.problems:
        print(report(exported.problems), file=sys.stderr)
    for path in exported.packages:
        print(path)
    if has_errors(exported.problems):
        print("Inga fler paket skrevs; rätta felen och försök igen.", file=sys.stderr)
        return 1
    print(
        f"Skrev {counted(len(exported.packages), 'paket', 'paket')} i {args.out}/",
        file=sys.stderr,
    )
    return 0
