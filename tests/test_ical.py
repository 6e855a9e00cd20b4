"""The sammanträdesplan's iCalendar feeds, built by the command line from meeting files written
here and read back with vobject, a library other than the one that writes them.

The meetings straddle Sweden's switch to summer time on Sunday 29 March 2026 (at 01.00 UTC):
18.30 on Thursday 26 March is 17.30 UTC, 18.30 on Thursday 2 April is 16.30 UTC."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import vobject
import yaml
from conftest import ROOT, build_site

BASE = "https://arkiv.samordningsforbundetostrasodertorn.se/"
HOST = "arkiv.samordningsforbundetostrasodertorn.se"
PLACE = "Samordningsförbundet Östra Södertörn, Rudsjöterrassen 1, plan 6."
FEEDS = ("sammantraden/kalender.ics", "sammantraden/styrelsen/kalender.ics")
FEEDS += ("sammantraden/beredning/kalender.ics",)


def meeting_file(organ: str, day: str, time: str, status: str, **more: Any) -> str:
    meta = {"organ": organ, "date": date.fromisoformat(day), "time": time, "place": PLACE}
    meta |= {"status": status, **more}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\nLedamöter och ersättare kallas till sammanträde.\n"


ITEMS = [
    {"title": "Val av justerare"},
    {
        "title": "Budget 2027",
        "diarienummer": "SOS 2026/12",
        "proposal": "Styrelsen antar budgeten.",
    },
]
WRITTEN = {
    # winter time, with an end, and a kungörelse on the board (its day is the DTSTAMP)
    "styrelsen/2026-03-26.md": meeting_file(
        "styrelsen",
        "2026-03-26",
        "18.30-21.00",
        "planned",
        items=ITEMS,
        kungorelse={"posted": date(2026, 3, 16)},
    ),
    # summer time, no end given
    "styrelsen/2026-04-02.md": meeting_file("styrelsen", "2026-04-02", "18.30", "planned"),
    "styrelsen/2026-05-06.md": meeting_file(
        "styrelsen",
        "2026-05-06",
        "13.00-15.00",
        "cancelled",
        cancelled_reason="Inga ärenden att behandla.",
    ),
    "styrelsen/2026-06-10.md": meeting_file("styrelsen", "2026-06-10", "18.30", "planned"),
    "styrelsen/2026-09-09.md": meeting_file("styrelsen", "2026-09-09", "18.30", "draft"),
    "beredning/2026-03-19.md": meeting_file("beredning", "2026-03-19", "09.00-11.00", "planned"),
}
MOVED = meeting_file(
    "styrelsen",
    "2026-06-10",
    "18.30",
    "moved",
    moved_to={"date": date(2026, 6, 17), "time": "17.00-19.00", "place": "Haninge kulturhus"},
    cancelled_reason="Lokalen är upptagen.",
)


def uid(ident: str) -> str:
    return f"{ident}@{HOST}"


@dataclass(frozen=True)
class Builds:
    first: Path  # the content as written
    again: Path  # the same content built anew elsewhere
    moved: Path  # the first site after the meeting of 10 June was moved (an incremental build)
    moved_anew: Path  # the moved content built from nothing


def build(content: Path, out: Path, cache: Path) -> Path:
    return build_site(content, out, cache, "2026-03-01")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    where = tmp_path_factory.mktemp("ical")
    content = where / "content"
    shutil.copytree(ROOT / "content", content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    assert "    name: Styrelsen\n" in text
    text = text.replace(
        "    name: Styrelsen\n", "    name: Styrelsen\n  beredning:\n    name: Beredningen\n"
    )
    settings.write_text(text, "utf-8")
    for name, text in WRITTEN.items():
        (content / "meetings" / name).parent.mkdir(exist_ok=True)
        (content / "meetings" / name).write_text(text, "utf-8")
    first = build(content, where / "first", where / "cache-first")
    again = build(content, where / "again", where / "cache-again")
    kept = where / "first-before-the-move"
    shutil.copytree(first, kept)
    (content / "meetings/styrelsen/2026-06-10.md").write_text(MOVED, "utf-8")
    build(content, first, where / "cache-first")
    moved_anew = build(content, where / "moved-anew", where / "cache-moved-anew")
    return Builds(kept, again, first, moved_anew)


def read(site: Path, feed: str = FEEDS[0]) -> Any:
    return vobject.readOne((site / feed).read_text("utf-8"))


def events(site: Path, feed: str = FEEDS[0]) -> dict[str, Any]:
    """The feed's events by UID (each UID once)."""
    found = read(site, feed).vevent_list
    by_uid = {event.uid.value: event for event in found}
    assert len(by_uid) == len(found)
    return by_uid


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def test_times_are_swedish_across_the_switch_to_summer_time(builds: Builds) -> None:
    calendar = read(builds.first)
    assert calendar.vtimezone.tzid.value == "Europe/Stockholm"
    zone = calendar.vtimezone.gettzinfo()  # the rules as the file writes them
    found = events(builds.first)
    winter, summer = found[uid("styrelsen-2026-03-26")], found[uid("styrelsen-2026-04-02")]
    for event in (winter, summer):
        assert event.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Stockholm"]
    assert utc(winter.dtstart.value) == datetime(2026, 3, 26, 17, 30, tzinfo=UTC)
    assert utc(winter.dtend.value) == datetime(2026, 3, 26, 20, 0, tzinfo=UTC)
    assert utc(summer.dtstart.value) == datetime(2026, 4, 2, 16, 30, tzinfo=UTC)
    # no end time given: the default length (ical.LENGTH), in summer time too
    assert utc(summer.dtend.value) == datetime(2026, 4, 2, 18, 30, tzinfo=UTC)
    # the same instants from the VTIMEZONE in the file, read on its own
    local = {e: e.dtstart.value.replace(tzinfo=None) for e in (winter, summer)}
    assert local[winter] == local[summer] - (date(2026, 4, 2) - date(2026, 3, 26))
    assert utc(local[winter].replace(tzinfo=zone)) == datetime(2026, 3, 26, 17, 30, tzinfo=UTC)
    assert utc(local[summer].replace(tzinfo=zone)) == datetime(2026, 4, 2, 16, 30, tzinfo=UTC)
    # as written: local time with the TZID, not UTC
    raw = vobject.readOne((builds.first / FEEDS[0]).read_text("utf-8"), transform=False)
    written = {e.uid.value: e.dtstart for e in raw.vevent_list}
    assert written[uid("styrelsen-2026-03-26")].params["TZID"] == ["Europe/Stockholm"]
    assert written[uid("styrelsen-2026-03-26")].value == "20260326T183000"
    assert written[uid("styrelsen-2026-04-02")].value == "20260402T183000"


def test_the_calendar_and_its_events_say_what_the_meeting_files_say(builds: Builds) -> None:
    calendar = read(builds.first)
    assert calendar.prodid.value == "-//Justerat//Sammanträden//SV"
    assert calendar.version.value == "2.0"
    assert calendar.method.value == "PUBLISH"
    assert calendar.x_wr_calname.value == "Sammanträden – Samordningsförbundet Östra Södertörn"
    body = read(builds.first, FEEDS[1])
    assert body.x_wr_calname.value == (
        "Sammanträden – Styrelsen, Samordningsförbundet Östra Södertörn"
    )
    winter = events(builds.first)[uid("styrelsen-2026-03-26")]
    assert winter.summary.value == "Styrelsen – sammanträde"
    assert winter.location.value == PLACE
    assert winter.status.value == "CONFIRMED"
    assert winter.sequence.value == "0"
    assert "1. Val av justerare\n2. Budget 2027 (dnr SOS 2026/12)" in winter.description.value
    # DTSTAMP: the day the kungörelse was posted, else the day planned, at midnight UTC
    assert winter.dtstamp.value == datetime(2026, 3, 16, tzinfo=UTC)
    summer = events(builds.first)[uid("styrelsen-2026-04-02")]
    assert summer.dtstamp.value == datetime(2026, 4, 2, tzinfo=UTC)


def test_a_cancelled_meeting_stays_with_status_cancelled(builds: Builds) -> None:
    found = events(builds.first)
    cancelled = found[uid("styrelsen-2026-05-06")]
    assert cancelled.status.value == "CANCELLED"
    assert "Inga ärenden att behandla." in cancelled.description.value
    assert utc(cancelled.dtstart.value) == datetime(2026, 5, 6, 11, 0, tzinfo=UTC)
    others = [e for u, e in found.items() if u != uid("styrelsen-2026-05-06")]
    assert {e.status.value for e in others} == {"CONFIRMED"}


def test_a_moved_meeting_keeps_its_uid_and_gets_the_new_day(builds: Builds) -> None:
    before = events(builds.first)[uid("styrelsen-2026-06-10")]
    assert utc(before.dtstart.value) == datetime(2026, 6, 10, 16, 30, tzinfo=UTC)
    assert before.sequence.value == "0"
    after_all = events(builds.moved)
    assert set(after_all) == set(events(builds.first))  # no event added, none lost
    after = after_all[uid("styrelsen-2026-06-10")]
    assert utc(after.dtstart.value) == datetime(2026, 6, 17, 15, 0, tzinfo=UTC)
    assert utc(after.dtend.value) == datetime(2026, 6, 17, 17, 0, tzinfo=UTC)
    assert after.location.value == "Haninge kulturhus"
    assert after.sequence.value == "1"
    assert after.status.value == "CONFIRMED"
    assert "Sammanträdet är flyttat från 10 juni 2026" in after.description.value
    # the page it links is the meeting's, at the day first planned
    assert after.url.value == before.url.value == f"{BASE}sammantraden/styrelsen/2026-06-10/"
    body = events(builds.moved, FEEDS[1])[uid("styrelsen-2026-06-10")]
    assert utc(body.dtstart.value) == datetime(2026, 6, 17, 15, 0, tzinfo=UTC)


def test_the_draft_is_in_no_feed(builds: Builds) -> None:
    for site in (builds.first, builds.moved):
        for feed in FEEDS:
            assert uid("styrelsen-2026-09-09") not in events(site, feed)
            assert "2026-09-09" not in (site / feed).read_text("utf-8")
            assert "20260909" not in (site / feed).read_text("utf-8")


def test_each_event_links_its_meeting_page(builds: Builds) -> None:
    found = events(builds.first)
    assert set(found) == {
        uid(ident)
        for ident in (
            "styrelsen-2023-09-13",  # the sample content's
            "styrelsen-2026-12-09",
            "styrelsen-2026-03-26",
            "styrelsen-2026-04-02",
            "styrelsen-2026-05-06",
            "styrelsen-2026-06-10",
            "beredning-2026-03-19",
        )
    }
    for key, event in found.items():
        organ, _, day = key.removesuffix(f"@{HOST}").partition("-")
        assert event.url.value == f"{BASE}sammantraden/{organ}/{day}/"
        page = builds.first / event.url.value.removeprefix(BASE) / "index.html"
        assert page.is_file(), event.url.value


def test_each_body_s_feed_holds_its_own_meetings(builds: Builds) -> None:
    every = events(builds.first)
    styrelsen = events(builds.first, FEEDS[1])
    beredning = events(builds.first, FEEDS[2])
    assert set(beredning) == {uid("beredning-2026-03-19")}
    assert set(styrelsen) == {u for u in every if u.startswith("styrelsen-")}
    assert set(styrelsen) | set(beredning) == set(every)
    for key, event in styrelsen.items():
        assert event.serialize() == every[key].serialize()
    assert read(builds.first, FEEDS[2]).vtimezone.tzid.value == "Europe/Stockholm"


def test_the_same_content_gives_the_same_bytes(builds: Builds) -> None:
    def feeds(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.ics")}

    assert set(feeds(builds.first)) == set(FEEDS)
    assert feeds(builds.first) == feeds(builds.again)
    # an incremental build remakes the feeds a move changed, to what a build from nothing makes
    assert feeds(builds.moved) == feeds(builds.moved_anew)
    assert feeds(builds.moved)[FEEDS[1]] != feeds(builds.first)[FEEDS[1]]
    assert feeds(builds.moved)[FEEDS[2]] == feeds(builds.first)[FEEDS[2]]
    for data in feeds(builds.first).values():
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
