"""What several commands ask alike: a date (``iso_date``), the content and templates folders
(``content_options``) and the cache (``cache_option``)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum i formen ÅÅÅÅ-MM-DD") from None


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


def cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--cache",
        type=Path,
        default=Path(".cache/justerat"),
        metavar="MAPP",
        help="mapp för det som byggts förut (PDF:er, sökindex, tolkade filer), återanvänt "
        "när innehållet är detsamma (standard: .cache/justerat)",
    )
