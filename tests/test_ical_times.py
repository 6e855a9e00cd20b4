"""Every event in the built calendars has an end (DTEND): the times the justerat protocol
records ("18.30-19.55"), else the kallelse's start and end, else two hours after the kallelse's
start (``ical.LENGTH``, documented in docs/format.md and the guide). Checked by reading the
built .ics files of the example kommun and of the sample archive with the icalendar parser."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT, Yaml12, build_site
from icalendar import Calendar

SWEDEN = ZoneInfo("Europe/Stockholm")
CONTENTS = {  # the content, the day it is built for
    "example kommun": (ROOT / "examples" / "kommun", "2026-12-07"),
    "sample": (ROOT / "content", "2023-09-25"),
}


def _front(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.load(path.read_text("utf-8").split("---")[1], Yaml12)


def _at(day: date, clock: str) -> datetime:
    hours, minutes = clock.replace(":", ".").split(".")
    return datetime.combine(day, datetime.min.time(), SWEDEN).replace(
        hour=int(hours), minute=int(minutes)
    )


def _expected(content: Path) -> dict[str, tuple[datetime, datetime, str]]:
    """Each meeting's UID prefix (body-day): its start and end as the content gives them, and
    where they come from."""
    recorded = {}
    for path in (content / "protocols").rglob("*.md"):
        meta = _front(path)
        if meta["status"] == "justerat":
            recorded[(meta["organ"], meta["date"])] = meta["time"]
    found = {}
    for path in (content / "meetings").rglob("*.md"):
        meta = _front(path)
        assert meta["status"] == "planned"  # none moved or cancelled in these contents
        day: date = meta["date"]
        written = recorded.get((meta["organ"], day))
        how = "protocol" if written else "kallelse"
        start, _, end = (written or meta["time"]).replace("–", "-").partition("-")
        begins = _at(day, start.strip())
        if end:
            ends = _at(day, end.strip())
        else:
            how, ends = "default", begins + timedelta(hours=2)
        found[f"{meta['organ']}-{day.isoformat()}"] = (begins, ends, how)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each content of CONTENTS built once (without PDFs) for its day: its site."""
    sites = {}
    for name, (content, today) in CONTENTS.items():
        folder = tmp_path_factory.mktemp("ical")
        sites[name] = build_site(content, folder / "site", folder / "c", today)
    return sites


@pytest.mark.parametrize("name", CONTENTS)
def test_every_event_ends_when_the_content_says_or_two_hours_on(
    name: str, built: dict[str, Path]
) -> None:
    content, _ = CONTENTS[name]
    out = built[name]
    expected = _expected(content)
    feeds = sorted((out / "sammantraden").rglob("kalender.ics"))
    assert len(feeds) >= 2  # all bodies' and each body's
    seen = set()
    for feed in feeds:
        calendar = Calendar.from_ical(feed.read_bytes())
        for event in calendar.walk("VEVENT"):
            ident = str(event["UID"]).split("@")[0]
            begins, ends, how = expected[ident]
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert isinstance(start, datetime) and isinstance(end, datetime)  # not all-day
            assert str(start.tzinfo) == str(end.tzinfo) == "Europe/Stockholm"
            assert (start, end) == (begins, ends), (feed, ident, how)
            assert "DURATION" not in event
            seen.add(how)
    # the example has a protocol's times ("18.30-19.55") and meetings with only a start
    assert {"protocol", "default"} <= seen if name == "example kommun" else "kallelse" in seen
    assert len(seen) >= 2


def test_the_example_kommuns_november_meeting_ends_at_1955(built: dict[str, Path]) -> None:
    out = built["example kommun"]
    feed = out / "sammantraden" / "kommunfullmaktige" / "kalender.ics"
    events = {
        str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    }
    november = events["kommunfullmaktige-2026-11-16"]
    assert november.decoded("DTSTART") == datetime(2026, 11, 16, 18, 30, tzinfo=SWEDEN)
    assert november.decoded("DTEND") == datetime(2026, 11, 16, 19, 55, tzinfo=SWEDEN)
    december = events["kommunfullmaktige-2026-12-14"]
    length = december.decoded("DTEND") - december.decoded("DTSTART")
    assert length == timedelta(hours=2)
