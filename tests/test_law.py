"""The legal date rules, over worked cases computed by hand from the almanac and the law."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from justerat.legal import law

D = date.fromisoformat
CALENDAR = law.Calendar()

# posted → last day of the appeal period (KL 13:5 with lag 1930:173), each worked by hand.
APPEAL_CASES = [
    ("2023-09-22", "2023-10-13", "LAW.md's worked example: Friday to Friday"),
    ("2022-05-20", "2022-06-10", "the 2022 seed protocol"),
    ("2024-02-05", "2024-02-26", "an ordinary Monday"),
    ("2024-02-03", "2024-02-26", "posted Saturday: the Saturday three weeks on moves to Monday"),
    ("2024-02-04", "2024-02-26", "posted Sunday: Sunday moves to Monday"),
    ("2024-02-08", "2024-02-29", "a leap day is an ordinary day"),
    ("2024-03-07", "2024-03-28", "skärtorsdagen is not a holiday"),
    ("2024-03-08", "2024-04-02", "långfredagen, påskafton, påskdagen, annandag påsk"),
    ("2024-03-11", "2024-04-02", "annandag påsk"),
    ("2025-03-28", "2025-04-22", "Easter 2025"),
    ("2026-03-13", "2026-04-07", "Easter 2026"),
    ("2027-03-05", "2027-03-30", "Easter 2027, in March"),
    ("2024-04-09", "2024-04-30", "valborgsmässoafton is not a holiday"),
    ("2024-04-10", "2024-05-02", "första maj"),
    ("2024-04-18", "2024-05-10", "Kristi himmelsfärdsdag; the klämdag after it is not a holiday"),
    ("2025-05-08", "2025-05-30", "Kristi himmelsfärdsdag 2025"),
    ("2026-04-23", "2026-05-15", "Kristi himmelsfärdsdag 2026"),
    ("2022-05-05", "2022-05-27", "Kristi himmelsfärdsdag 2022"),
    ("2024-05-16", "2024-06-07", "nationaldagen"),
    ("2025-05-16", "2025-06-09", "nationaldagen, then pingst; annandag pingst is no holiday"),
    ("2023-06-02", "2023-06-26", "midsommarafton 2023"),
    ("2024-05-31", "2024-06-24", "midsommarafton and midsommardagen 2024"),
    ("2026-05-29", "2026-06-22", "midsommarafton 2026"),
    ("2024-10-11", "2024-11-01", "allhelgonaafton is not a holiday"),
    ("2023-10-14", "2023-11-06", "alla helgons dag 2023 (a Saturday)"),
    ("2023-12-03", "2023-12-27", "julafton on a Sunday, juldagen, annandag jul"),
    ("2024-12-03", "2024-12-27", "julafton on a Tuesday"),
    ("2026-12-04", "2026-12-28", "juldagen on a Friday"),
    ("2024-12-10", "2025-01-02", "nyårsafton and nyårsdagen"),
    ("2025-12-10", "2026-01-02", "nyårsafton 2025"),
    ("2024-12-16", "2025-01-07", "trettondedag jul"),
    ("2025-12-15", "2026-01-05", "trettondedagsafton is not a holiday"),
]

# justering → last day to post the notice (KL 8:12, moved by lag 1930:173: interpretation)
POSTING_CASES = [
    ("2023-09-21", "2023-09-25", "the 2023 seed: Saturday moves to Monday"),
    ("2025-05-28", "2025-05-30", "the day after Kristi himmelsfärd is open"),
    ("2024-03-27", "2024-04-02", "långfredagen to annandag påsk"),
    ("2024-12-20", "2024-12-23", "Sunday before Christmas"),
    ("2024-12-22", "2024-12-27", "julafton, juldagen, annandag jul"),
    ("2025-01-03", "2025-01-07", "Sunday, then trettondedag jul"),
    ("2026-01-03", "2026-01-05", "trettondedagsafton is open"),
    ("2024-06-04", "2024-06-07", "nationaldagen"),
    ("2024-05-07", "2024-05-10", "Kristi himmelsfärdsdag"),
]


@pytest.mark.parametrize(("posted", "last", "why"), APPEAL_CASES, ids=[c[2] for c in APPEAL_CASES])
def test_appeal_period_last_day(posted: str, last: str, why: str) -> None:
    assert CALENDAR.appeal_last_day(D(posted)) == D(last)
    assert CALENDAR.earliest_take_down(D(posted)) == D(last) + timedelta(days=1)
    assert CALENDAR.closed_because(D(last)) is None


@pytest.mark.parametrize(
    ("justering", "deadline", "why"), POSTING_CASES, ids=[c[2] for c in POSTING_CASES]
)
def test_posting_deadline(justering: str, deadline: str, why: str) -> None:
    assert CALENDAR.posting_deadline(D(justering)) == D(deadline)


# The law's list (lag 1989:253 allmänna helgdagar, plus midsommarafton, julafton and nyårsafton
# from lag 1930:173), typed from the almanac for five years: the movable feasts move.
ALMANAC = {
    2023: [
        "01-01",
        "01-06",
        "04-07",
        "04-09",
        "04-10",
        "05-01",
        "05-18",
        "05-28",
        "06-06",
        "06-23",
        "06-24",
        "11-04",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ],
    2024: [
        "01-01",
        "01-06",
        "03-29",
        "03-31",
        "04-01",
        "05-01",
        "05-09",
        "05-19",
        "06-06",
        "06-21",
        "06-22",
        "11-02",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ],
    2025: [
        "01-01",
        "01-06",
        "04-18",
        "04-20",
        "04-21",
        "05-01",
        "05-29",
        "06-06",
        "06-08",
        "06-20",
        "06-21",
        "11-01",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ],
    2026: [
        "01-01",
        "01-06",
        "04-03",
        "04-05",
        "04-06",
        "05-01",
        "05-14",
        "05-24",
        "06-06",
        "06-19",
        "06-20",
        "10-31",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ],
    2027: [
        "01-01",
        "01-06",
        "03-26",
        "03-28",
        "03-29",
        "05-01",
        "05-06",
        "05-16",
        "06-06",
        "06-25",
        "06-26",
        "11-06",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ],
}


@pytest.mark.parametrize("year", sorted(ALMANAC))
def test_holiday_library_matches_the_law(year: int) -> None:
    expected = {date.fromisoformat(f"{year}-{day}") for day in ALMANAC[year]}
    assert set(law.holidays_of(year)) == expected
    assert set(CALENDAR.holidays(year)) == expected
    for day in expected:
        assert CALENDAR.closed_because(day)


def test_not_holidays() -> None:
    for day in ["2026-01-05", "2024-04-30", "2024-03-28", "2024-11-01", "2025-06-09", "2024-05-10"]:
        assert CALENDAR.closed_because(D(day)) is None, day


def test_deadlines_bundle() -> None:
    dates = CALENDAR.deadlines(D("2023-09-21"), D("2023-09-22"))
    assert dates.posting_deadline == D("2023-09-25")
    assert dates.appeal_last_day == D("2023-10-13")
    assert dates.earliest_take_down == dates.unappealable_from == D("2023-10-14")
    assert law.justering_deadline(D("2023-09-13")) == D("2023-09-27")


def test_a_calendar_given_known_holidays_answers_from_them() -> None:
    """A build hands the calendar the holidays an earlier build kept: they are what it uses,
    and a calendar made from them agrees with one that computed its own."""
    kept = CALENDAR.years(range(2023, 2025))
    assert set(kept) == {2023, 2024}
    again = law.Calendar(kept)
    for posted in (D("2023-06-02"), D("2023-12-03"), D("2024-03-08"), D("2024-12-10")):
        assert again.deadlines(posted, posted) == CALENDAR.deadlines(posted, posted)
    # midsommarafton 2023 is closed by the law; a calendar told 2023 has no holidays trusts that
    assert CALENDAR.closed_because(D("2023-06-23")) == "Midsommarafton"
    assert law.Calendar({2023: {}}).closed_because(D("2023-06-23")) is None
