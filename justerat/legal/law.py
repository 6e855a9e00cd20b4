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
- Kommunallagen 5 kap. 13 §: fullmäktige's meetings are announced on the anslagstavla, with
  time, place and the ärenden, at least one week before the meeting day. A week before is
  counted back: the notice must be up on the same weekday a week earlier. Lag 1930:173 2 § does
  not move that day (moving a day counted back to a later day would shorten the week the law
  gives the public; an interpretation): a deadline on a holiday means posting by that day.
- Kommunallagen 5 kap. 14 §: an urgent ärende is announced no later than the vardag closest
  before the meeting day (a vardag: not a Saturday, Sunday or a day lag 1930:173 treats alike).

``Calendar`` applies these rules. Its holidays come from the maintained ``holidays`` package
(Sweden, public holidays plus the de facto ones: midsommarafton, julafton, nyårsafton); tests
check it against the law's list for several years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

POSTING_DAYS = 2
APPEAL_WEEKS = 3
JUSTERING_DAYS = 14
KUNGORELSE_WEEKS = 1
_WEEKEND = {5: "lördag", 6: "söndag"}

Holidays = dict[int, dict[date, str]]  # year → its holidays, day → name


# who may appeal a decision by laglighetsprövning (KL 13 kap. 1 §), by the kind of organisation
APPEAL_RIGHT = {
    "kommun": "Varje medlem av kommunen",
    "region": "Varje medlem av regionen",
    "kommunalförbund": "Varje medlem av en kommun eller region som är medlem i förbundet",
    "samordningsförbund": "Varje medlem av en kommun eller region som är medlem i förbundet "
    "(lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser, 28 §)",
}


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


def holidays_of(year: int) -> dict[date, str]:
    """Sweden's public and de facto holidays of ``year`` (from the ``holidays`` package)."""
    import holidays  # loading it costs a rebuild more than the rest of its reading

    found = holidays.Sweden(  # type: ignore[attr-defined]
        years=year,
        categories=("public", "de_facto"),
        language="sv",
        include_sundays=False,
    )
    return dict(found.items())


class Calendar:
    """The law's dates on the calendar of Swedish holidays. A build makes one and hands it to
    what computes dates; ``known`` holidays (kept by an earlier build, see ``cache``) spare
    loading the holidays package. Holidays of other years are computed when first asked for,
    and every answer is a pure function of the day: two calendars never disagree."""

    def __init__(self, known: Holidays | None = None) -> None:
        self._holidays: Holidays = dict(known or {})
        self._deadlines: dict[tuple[date, date], Deadlines] = {}

    def holidays(self, year: int) -> dict[date, str]:
        found = self._holidays.get(year)
        if found is None:
            found = self._holidays[year] = holidays_of(year)
        return found

    def years(self, years: range) -> Holidays:
        """The holidays of ``years``, for a cache to keep and give to the next calendar."""
        return {year: self.holidays(year) for year in years}

    def closed_because(self, day: date) -> str | None:
        """Why ``day`` cannot be a period's last day (lag 1930:173), or None if it can."""
        holiday = self.holidays(day.year).get(day)
        if holiday:
            return holiday
        return _WEEKEND.get(day.weekday())

    def next_open_day(self, day: date) -> date:
        """``day`` itself, or the first day after it that may end a period (lag 1930:173 2 §)."""
        while self.closed_because(day):
            day += timedelta(days=1)
        return day

    def posting_deadline(self, justering: date) -> date:
        """The last day to post the notice: the second day after the justering (KL 8:12)."""
        return self.next_open_day(justering + timedelta(days=POSTING_DAYS))

    def appeal_last_day(self, posted: date) -> date:
        """The last day an appeal may reach the court: three weeks from posting (KL 13:5)."""
        return self.next_open_day(posted + timedelta(weeks=APPEAL_WEEKS))

    def earliest_take_down(self, posted: date) -> date:
        """The first day the notice may come down, which is also the first day on which the
        decisions can no longer be appealed: the day after the appeal period's last day."""
        return self.appeal_last_day(posted) + timedelta(days=1)

    def previous_vardag(self, day: date) -> date:
        """The vardag closest before ``day`` (KL 5:14: the last day to announce an urgent
        ärende)."""
        day -= timedelta(days=1)
        while self.closed_because(day):
            day -= timedelta(days=1)
        return day

    def deadlines(self, justering: date, posted: date) -> Deadlines:
        """Every date of one notice (remembered: the board and the feed ask for each)."""
        found = self._deadlines.get((justering, posted))
        if found is None:
            found = self._deadlines[(justering, posted)] = Deadlines(
                justering=justering,
                posting_deadline=self.posting_deadline(justering),
                posted=posted,
                appeal_last_day=self.appeal_last_day(posted),
                earliest_take_down=self.earliest_take_down(posted),
            )
        return found


def kungorelse_deadline(meeting: date) -> date:
    """The last day a fullmäktige meeting's kungörelse may be posted: a week before the
    meeting day (KL 5:13)."""
    return meeting - timedelta(weeks=KUNGORELSE_WEEKS)


def justering_deadline(meeting: date) -> date:
    """The last day the protocol should be justerat (14 days after the meeting)."""
    return meeting + timedelta(days=JUSTERING_DAYS)
