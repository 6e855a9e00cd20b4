"""Swedish forms for what a reader sees: dates as '13 september 2023', sizes as '1,2 MB'."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date


@lru_cache(maxsize=65536)
def swedish_date(value: date, weekday: bool = False) -> str:
    """'13 september 2023' (or 'onsdag 13 september 2023')."""
    return format_date(value, "EEEE d MMMM y" if weekday else "d MMMM y", locale="sv")


def size_label(size: int) -> str:
    """'48 kB', '1,2 MB': the size shown beside a PDF link."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
