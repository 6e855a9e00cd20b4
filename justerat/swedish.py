"""Swedish forms for what a reader sees: dates as '13 september 2023'."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date


@lru_cache(maxsize=65536)
def swedish_date(value: date, weekday: bool = False) -> str:
    """'13 september 2023' (or 'onsdag 13 september 2023')."""
    return format_date(value, "EEEE d MMMM y" if weekday else "d MMMM y", locale="sv")
