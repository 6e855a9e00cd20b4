"""The command line: ``python build.py check|build`` and the ``justerat`` console script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import pipeline
from .problems import report
from .publish import PublishError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Justerat: bygger ett offentligt protokollarkiv från Markdown.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    def content_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            metavar="MAPP",
            help="innehållsmappen med site.yaml, protocols/ och plans/ (standard: content)",
        )
        command.add_argument(
            "--templates",
            type=Path,
            default=Path("templates"),
            metavar="MAPP",
            help="mallmappen (standard: templates)",
        )

    check = commands.add_parser(
        "check",
        help="kontrollera allt innehåll och rapportera alla fel",
        description="Läser allt innehåll och rapporterar varje problem som "
        "'fil:rad: error|warning: meddelande'. Avslutar med kod 1 vid fel.",
    )
    content_options(check)

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
    build.add_argument(
        "--drafts",
        action="store_true",
        help="ta med utkast (märkta 'UTKAST — ej justerat'); aldrig för publicering",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = pipeline.Options(
        content=args.content,
        templates=args.templates,
        out=getattr(args, "out", Path("site")),
        drafts=getattr(args, "drafts", False),
    )
    if args.command == "check":
        result = pipeline.check(options)
        print(report(result.problems), file=sys.stderr)
        return 0 if result.ok else 1
    try:
        result = pipeline.build(options)
    except PublishError as exc:
        print(f"{options.out}: error: {exc}", file=sys.stderr)
        return 1
    print(report(result.problems), file=sys.stderr)
    if not result.ok:
        print(f"Inget byggdes; {options.out} är orörd.", file=sys.stderr)
        return 1
    print(f"Byggde {result.files} filer i {options.out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
