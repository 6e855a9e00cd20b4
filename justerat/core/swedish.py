"""Swedish forms for what a reader sees: dates as '13 september 2023', sizes as '1,2 MB',
counts as '1 fil' and '2 filer'."""

from __future__ import annotations

from datetime import date
from functools import lru_cache


@lru_cache(maxsize=65536)
def swedish_date(value: date, weekday: bool = False) -> str:
    """'13 september 2023' (or 'onsdag 13 september 2023')."""
    from babel.dates import format_date  # Babel takes a tenth of a second to load: when asked

    return format_date(value, "EEEE d MMMM y" if weekday else "d MMMM y", locale="sv")


def size_label(size: int) -> str:
    """'48 kB', '1,2 MB': the size shown beside a PDF link."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def counted(number: int, one: str, many: str) -> str:
    """'1 fil', '0 filer', '2 filer': a count with its noun in the number Swedish gives it (the
    singular for one alone). Every count a secretary or a visitor reads is written with it."""
    return f"{number} {one if number == 1 else many}"


def genitive(name: str) -> str:
    """A name's genitive: "Ådala kommun" → "Ådala kommuns"; a name that ends in s, x or z takes
    no s ("Samordningsförbundet Västerås" stays as it is)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"
