"""The legal dates of a notice of justering, computed from the law. No I/O.

- Kommunallagen (2017:725) 8 kap. 12 §: the justering is announced on the anslagstavla no later
  than the second day after the justering; the notice may not be taken down before the appeal
  period has run out.
- Kommunallagen 13 kap. 5 §: an appeal must reach the court within three weeks from the day the
  notice was posted.
- Lag (1930:173) om beräkning av lagstadgad tid: a period in weeks ends on the same weekday; a last
  day that is a Saturday, Sunday, public holiday (lag 1989:253), midsommarafton, julafton or
  nyårsafton moves to the next day that is none of these. The same rule is applied to the posting
  deadline (an interpretation; see shared/LAW.md).
- Kommunallagen 5 kap. 69 § and 6 kap. 35 §: protocols are justerade within 14 days.

The calendar of holidays comes from the maintained ``holidays`` package (Sweden, public holidays
plus the de facto ones: midsommarafton, julafton, nyårsafton); tests check it against the law's
list for several years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

POSTING_DAYS = 2
APPEAL_WEEKS = 3
JUSTERING_DAYS = 14
_WEEKEND = {5: "lördag", 6: "söndag"}


# year → its holidays, as computed here or as an earlier build computed them (``remember``)
Calendar = dict[int, dict[date, str]]
_CALENDAR: Calendar = {}


def _holidays(year: int) -> dict[date, str]:
    found = _CALENDAR.get(year)
    if found is None:
        import holidays  # loading it costs a rebuild more than the rest of its reading

        calendar = holidays.Sweden(  # type: ignore[attr-defined]
            years=year,
            categories=("public", "de_facto"),
            language="sv",
            include_sundays=False,
        )
        found = _CALENDAR[year] = dict(calendar.items())
    return found


def calendar(years: range) -> Calendar:
    """The holidays of ``years``, for a cache to keep and give back with ``remember``."""
    return {year: _holidays(year) for year in years}


def remember(known: Calendar) -> None:
    """Holidays an earlier run computed from the same version of the package."""
    for year, days in known.items():
        _CALENDAR.setdefault(year, days)


def closed_because(day: date) -> str | None:
    """Why ``day`` cannot be a period's last day (lag 1930:173), or None if it can."""
    holiday = _holidays(day.year).get(day)
    if holiday:
        return holiday
    return _WEEKEND.get(day.weekday())


def next_open_day(day: date) -> date:
    """``day`` itself, or the first day after it that may end a period (lag 1930:173 2 §)."""
    while closed_because(day):
        day += timedelta(days=1)
    return day


def posting_deadline(justering: date) -> date:
    """The last day to post the notice: the second day after the justering (KL 8:12)."""
    return next_open_day(justering + timedelta(days=POSTING_DAYS))


def appeal_last_day(posted: date) -> date:
    """The last day an appeal may reach the court: three weeks from posting (KL 13:5)."""
    return next_open_day(posted + timedelta(weeks=APPEAL_WEEKS))


def earliest_take_down(posted: date) -> date:
    """The first day the notice may come down, which is also the first day on which the
    decisions can no longer be appealed: the day after the appeal period's last day."""
    return appeal_last_day(posted) + timedelta(days=1)


def justering_deadline(meeting: date) -> date:
    """The last day the protocol should be justerat (14 days after the meeting)."""
    return meeting + timedelta(days=JUSTERING_DAYS)


@dataclass(frozen=True)
class Deadlines:
    """Every date the law gives for one notice."""

    justering: date
    posting_deadline: date
    posted: date
    appeal_last_day: date
    earliest_take_down: date

    @property
    def unappealable_from(self) -> date:
        """The first day the decisions can no longer be appealed."""
        return self.earliest_take_down


@cache  # the board and the feed ask for every notice of the archive
def deadlines(justering: date, posted: date) -> Deadlines:
    return Deadlines(
        justering=justering,
        posting_deadline=posting_deadline(justering),
        posted=posted,
        appeal_last_day=appeal_last_day(posted),
        earliest_take_down=earliest_take_down(posted),
    )
