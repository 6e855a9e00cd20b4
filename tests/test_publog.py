"""The publication log's hash chain: entries appended build by build, an edited entry
found, and the gaps in a notice's appeal period."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import in_memory, run_build_py

from justerat.legal import publog

D = date.fromisoformat


def built(*days: str) -> tuple[publog.Entry, ...]:
    entries: tuple[publog.Entry, ...] = ()
    for day in days:
        shown = [publog.Shown("styrelsen-2023-09-13-anslag-1", "a" * 64)]
        moment = datetime.fromisoformat(f"{day}T00:05:00+02:00")
        entries = publog.append(entries, moment, D(day), shown)
    return entries


def test_entries_chain_and_read_back() -> None:
    entries = built("2023-09-22", "2023-09-23", "2023-09-24")
    assert [e.number for e in entries] == [1, 2, 3]
    assert entries[0].previous == "" and entries[1].previous == entries[0].digest
    assert entries[0].built == "2023-09-21T22:05:00+00:00"  # kept in UTC
    assert publog.loads(publog.dumps(entries)) == entries
    first, last = publog.History.of(entries).index.get("styrelsen-2023-09-13-anslag-1") or (
        None,
        None,
    )
    assert first is entries[0] and last is entries[2]
    assert publog.History.of(entries).index.get("okänd") is None


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda e: e[1].update(day="2023-09-30"),
            "post 2 (2023-09-22T22:05:00+00:00) stämmer inte",
        ),
        (lambda e: e[1]["notices"].clear(), "post 2 (2023-09-22T22:05:00+00:00) stämmer inte"),
        (lambda e: e.pop(1), "post 2 har nummer 3: en post saknas eller är flyttad"),
        (
            lambda e: e[2].update(previous="0" * 64),
            "post 3 (2023-09-23T22:05:00+00:00) pekar inte på posten före",
        ),
    ],
)
def test_an_entry_edited_by_hand_is_found(edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(publog.dumps(built("2023-09-22", "2023-09-23", "2023-09-24")))
    edit(document["entries"])
    with pytest.raises(publog.LogError) as caught:
        publog.loads(json.dumps(document).encode())
    assert str(caught.value).startswith(expected)


def test_an_edit_that_recomputes_its_own_digest_still_breaks_the_next_link() -> None:
    document = json.loads(publog.dumps(built("2023-09-22", "2023-09-23", "2023-09-24")))
    forged = dict(document["entries"][1], day="2023-09-30")
    entry = publog.Entry(
        forged["number"],
        forged["built"],
        forged["day"],
        tuple(publog.Shown(**n) for n in forged["notices"]),
        forged["previous"],
    )
    document["entries"][1] = {**forged, "digest": entry.computed()}
    with pytest.raises(publog.LogError) as caught:
        publog.loads(json.dumps(document).encode())
    assert str(caught.value).startswith(
        "post 3 (2023-09-23T22:05:00+00:00) pekar inte på posten före"
    )


def test_gaps_of_more_than_a_day_inside_a_period() -> None:
    entries = built("2023-09-22", "2023-09-23", "2023-09-26", "2023-09-27", "2023-10-14")
    history = publog.History.of(entries)
    assert history.gaps(D("2023-09-22"), D("2023-10-13")) == [(D("2023-09-23"), D("2023-09-26"))]
    assert history.gaps(D("2023-09-26"), D("2023-10-16")) == [(D("2023-09-27"), D("2023-10-14"))]
    daily = publog.History.of(built("2023-09-22", "2023-09-23"))
    assert daily.gaps(D("2023-09-22"), D("2023-09-23")) == []


def test_the_history_says_what_the_log_shows_of_each_notice() -> None:
    entries = built("2023-09-22", "2023-09-23", "2023-09-26")
    history = publog.History.of(entries)
    ident = "styrelsen-2023-09-13-anslag-1"
    period = publog.Period(ident, D("2023-09-22"), D("2023-10-13"))
    seen = history.seen([period, publog.Period("okänd", D("2023-09-22"), D("2023-10-13"))])
    assert list(seen) == [ident]  # a notice the log never showed: nothing said
    assert seen[ident] == (entries[0], entries[2], ((D("2023-09-23"), D("2023-09-26")),))
    assert publog.told({}) == "" and publog.told(publog.History().seen([period])) == ""
    # what it says changes with the last build that showed the notice, and only then
    again = publog.History.of(entries).seen([period])
    later = publog.History.of(built("2023-09-22", "2023-09-23", "2023-09-26", "2023-09-27"))
    assert publog.told(again) == publog.told(seen) != publog.told(later.seen([period]))


def test_the_built_moment_is_utc_whatever_the_zone() -> None:
    entries = publog.append((), datetime(2023, 9, 22, 6, 0, tzinfo=UTC), D("2023-09-22"), [])
    assert entries[0].built == "2023-09-22T06:00:00+00:00"


# --- the log of real builds ------------------------------------------------------------------


def _build(content, out, day: str, *more: str):  # type: ignore[no-untyped-def]
    moment = datetime.fromisoformat(f"{day}T00:05:00+02:00")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}
    if more[0] == "verify":
        args = ["verify", str(out)]
    elif more[0] == "check":
        args = ["check", "--content", str(content), "--out", str(out), "--today", day]
    else:
        args = [*more, "--content", str(content), "--out", str(out), "--today", day]
        args += ["--start-log"] if more[0] == "build" else []
    return run_build_py(*args, env=env)


def test_builds_on_several_days_make_a_log_that_shows_the_notice(content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    days = ["2023-09-21", "2023-09-22", "2023-09-23", "2023-09-26", "2023-09-27"]
    for day in days:
        result = _build(content, out, day, "build", "--no-pdf")
        assert result.returncode == 0, result.stderr
    entries = publog.loads((out / publog.PATH).read_bytes())
    assert [e.day for e in entries] == days
    ident = "styrelsen-2023-09-13-anslag-1"
    assert [
        bool(publog.History.of(entries[: n + 1]).index.get(ident)) for n in range(len(days))
    ] == [
        False,
        True,
        True,
        True,
        True,
    ]
    first, last = publog.History.of(entries).index.get(ident) or (None, None)
    assert (first.day, last.day) == ("2023-09-22", "2023-09-27")  # type: ignore[union-attr]
    # no build on 24 and 25 September, inside the appeal period (22 September to 13 October)
    checked = _build(content, out, "2023-09-27", "check")
    assert checked.returncode == 0
    warned = [line for line in checked.stderr.splitlines() if "[log-gap]" in line]
    assert len(warned) == 1, checked.stderr
    assert warned[0].startswith(f"{content.as_posix()}/protocols/styrelsen/2023-09-13.md:")
    assert (
        "anslagstavlan byggdes inte mellan 2023-09-23 och 2023-09-26, under överklagandetiden "
        "för anslaget uppsatt 2023-09-22 (sista dag 2023-10-13)"
    ) in warned[0]
    verified = _build(content, out, "2023-09-27", "verify")
    assert "publiceringsloggens kedja håller (5 poster)" in verified.stdout
    # the anslagsbevis says which builds showed the notice, and where the board may have been down
    from bs4 import BeautifulSoup

    page = out / "protokoll/styrelsen/2023-09-13/anslagsbevis/index.html"
    facts = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("p.log-facts")
    assert facts is not None
    text = " ".join(facts.get_text().split())
    assert "första gången i bygget 2023-09-21 22:05 UTC (post 2)" in text
    assert "senast i bygget 2023-09-26 22:05 UTC (post 5)" in text
    assert "Anslagstavlan byggdes inte mellan 23 september 2023 och 26 september 2023" in text
    log_page = (out / "anslagstavla/publiceringslogg/index.html").read_text("utf-8")
    assert log_page.count("<tr><td>") == 5


def test_a_log_edited_by_hand_stops_publishing(content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import tree_snapshot

    out = tmp_path / "site"
    for day in ("2023-09-22", "2023-09-23"):
        assert _build(content, out, day, "build", "--no-pdf").returncode == 0
    log = out / publog.PATH
    log.write_text(
        log.read_text("utf-8").replace('"day": "2023-09-22"', '"day": "2023-09-20"'), "utf-8"
    )
    before = tree_snapshot(out)
    result = _build(content, out, "2023-09-24", "build", "--no-pdf")
    assert result.returncode == 1
    assert (
        f"{out.as_posix()}/{publog.PATH}: error: publiceringsloggen går inte att lita på: post 1 "
        "(2023-09-21T22:05:00+00:00) stämmer inte med sin kontrollsumma"
    ) in result.stderr
    assert tree_snapshot(out) == before  # nothing published
    assert _build(content, out, "2023-09-24", "check").returncode == 1  # check says so too
    verified = _build(content, out, "2023-09-24", "verify")
    assert verified.returncode == 1
    assert "publiceringsloggen: post 1" in verified.stdout


# --- the anslagsbevis PDFs say it too ----------------------------------------------------------

PROTOCOL_BEVIS = "protokoll/kommunfullmaktige/2026-11-16/anslagsbevis/anslagsbevis-kommunfullmaktige-2026-11-16.pdf"
NOTICE_BEVIS = (  # a delegationsbeslut, posted 2026-11-27
    "anslag/2026/bidrag-till-bastu-i-bjorkhage/anslagsbevis/anslagsbevis-bidrag-till-bastu-i-bjorkhage.pdf"
)
PLAN_BEVIS = (  # an underrättelse under plan- och bygglagen, posted 2026-11-24
    "anslag/2026/antagande-upphavande-detaljplan-bjorkhage/anslagsbevis/"
    "anslagsbevis-antagande-upphavande-detaljplan-bjorkhage.pdf"
)


def _pdf_text(path):  # type: ignore[no-untyped-def]
    import pypdf

    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def test_the_anslagsbevis_pdfs_say_which_builds_showed_the_notice(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The example kommun built with its PDFs on several days, as a nightly build would be
    (none on 26-27 November and 30 November-1 December): each anslagsbevis PDF lists the
    first and the last build that showed its notice and the days without a build, and is
    printed anew when that changes, and only then."""
    import io
    import os
    import shutil
    from dataclasses import replace

    from conftest import ROOT

    from justerat.build.folder import build as build_into_folder
    from justerat.build.options import Options, Result

    content = tmp_path / "kommun"
    shutil.copytree(ROOT / "examples/kommun", content)
    options = Options(
        content=content, out=tmp_path / "site", cache=tmp_path / "cache", start_log=True
    )

    def build(day: str) -> Result:
        moment = datetime.fromisoformat(f"{day}T00:05:00+01:00")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
        result = build_into_folder(replace(options, today=D(day)))
        assert result.ok, result.problems
        return result

    first = build("2026-11-24")
    # ten of the protocol of 16 November 2026 and the notices, seven of the protocol of
    # 22 September 2025 (with its anslagsbevis and five extracts) and five föreskrifter
    assert PROTOCOL_BEVIS in first.pdfs_rendered and len(first.pdfs_rendered) == 22
    # a new entry: only the anslagsbevis of the notices on the board are printed anew (the
    # delegationsbeslut is not up yet; the protocol and its extracts stay as they were)
    assert set(build("2026-11-25").pdfs_rendered) == {PROTOCOL_BEVIS, PLAN_BEVIS}
    assert set(build("2026-11-28").pdfs_rendered) == {PROTOCOL_BEVIS, PLAN_BEVIS, NOTICE_BEVIS}
    build("2026-11-29")
    assert set(build("2026-12-02").pdfs_rendered) == {PROTOCOL_BEVIS, PLAN_BEVIS, NOTICE_BEVIS}
    site = tmp_path / "site"
    assert len(publog.loads((site / publog.PATH).read_bytes())) == 5
    address = "https://arkiv.adala.example.se/anslagstavla/publiceringslogg.json"
    down = "; den kan ha varit nere under överklagandetiden."
    protocol = _pdf_text(site / PROTOCOL_BEVIS)
    for said in (
        address,
        "första gången i bygget 2026-11-23 23:05 UTC (post 1)",
        "senast i bygget 2026-12-01 23:05 UTC (post 5)",
        f"Anslagstavlan byggdes inte mellan 25 november 2026 och 28 november 2026{down}",
        f"Anslagstavlan byggdes inte mellan 29 november 2026 och 2 december 2026{down}",
    ):
        assert said in protocol
    notice = _pdf_text(site / NOTICE_BEVIS)
    for said in (
        address,
        "första gången i bygget 2026-11-27 23:05 UTC (post 3)",
        "senast i bygget 2026-12-01 23:05 UTC (post 5)",
        f"Anslagstavlan byggdes inte mellan 29 november 2026 och 2 december 2026{down}",
    ):
        assert said in notice
    assert "25 november 2026 och 28 november 2026" not in notice  # before it was posted
    # the same board again the same day (a content file touched, so the build runs): the log
    # has no new entry, and no PDF is printed anew
    touched = content / "protocols/kommunfullmaktige/2026-11-16.md"
    os.utime(touched, (touched.stat().st_atime, touched.stat().st_mtime + 60))
    again = build("2026-12-02")
    assert not again.unchanged and again.pdfs_rendered == ()
    assert len(publog.loads((site / publog.PATH).read_bytes())) == 5
    # the preview keeps no log: its anslagsbevis say nothing of one
    preview = in_memory(replace(options, today=D("2026-12-02"), cache=tmp_path / "preview"))
    assert preview.ok
    assert "publiceringsloggen" not in " ".join(
        _pdf_text(io.BytesIO(preview.files[path])) for path in (PROTOCOL_BEVIS, NOTICE_BEVIS)
    )


# --- the log records only what happened, on the real site (issue 27) -------------------------


def _run_on(day_in_sweden: str, *args: str):  # type: ignore[no-untyped-def]
    """``build.py`` run at noon in Sweden on ``day_in_sweden``, whatever ``--today`` says."""
    moment = datetime.fromisoformat(f"{day_in_sweden}T12:00:00+01:00")
    return run_build_py(
        *args, env={**os.environ, "SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}
    )


def _kommun(tmp_path):  # type: ignore[no-untyped-def]
    import shutil

    from conftest import ROOT

    content = tmp_path / "kommun"
    shutil.copytree(ROOT / "examples/kommun", content)
    return content


def test_a_build_for_another_day_than_todays_never_writes_the_log(tmp_path) -> None:  # type: ignore[no-untyped-def]
    content, out = _kommun(tmp_path), tmp_path / "site"
    where = ["--content", str(content), "--out", str(out), "--no-pdf"]
    # on 6 December, a build that shows the board of 7 December: no entry, and it says so
    early = _run_on("2026-12-06", "build", *where, "--today", "2026-12-07", "--start-log")
    assert early.returncode == 0, early.stderr
    assert not (out / publog.PATH).exists()
    assert "Publiceringsloggen skrevs inte" in early.stderr and "2026-12-06" in early.stderr
    # the real build of 6 December starts the log
    real = _run_on("2026-12-06", "build", *where, "--today", "2026-12-06", "--start-log")
    assert real.returncode == 0, real.stderr
    logged = (out / publog.PATH).read_bytes()
    assert [(e.day, e.site) for e in publog.loads(logged)] == [
        ("2026-12-06", "https://arkiv.adala.example.se")
    ]
    # a trial of the board of 9 December, on the same day, leaves the published log as it was
    trial = _run_on("2026-12-06", "build", *where, "--today", "2026-12-09")
    assert trial.returncode == 0, trial.stderr
    assert "Publiceringsloggen skrevs inte" in trial.stderr
    assert (out / publog.PATH).read_bytes() == logged
    # the next day's build, without --start-log, goes on with the log it finds
    nextday = _run_on("2026-12-07", "build", *where, "--today", "2026-12-07")
    assert nextday.returncode == 0, nextday.stderr
    assert [e.day for e in publog.loads((out / publog.PATH).read_bytes())] == [
        "2026-12-06",
        "2026-12-07",
    ]


def _built(content: Path | str, out: Path, *more: str):  # type: ignore[no-untyped-def]
    """A quick build of ``content`` into ``out`` for 7 December, run that day in Sweden."""
    where = ["--content", str(content), "--out", str(out), "--no-pdf", "--today", "2026-12-07"]
    return _run_on("2026-12-07", "build", *where, *more)


def test_a_trial_build_into_a_new_folder_starts_no_log(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "prov"
    result = _built(_kommun(tmp_path), out)
    assert result.returncode == 0, result.stderr
    assert not (out / publog.PATH).exists()
    assert "Ingen publiceringslogg startades" in result.stderr and "--start-log" in result.stderr


def test_the_log_of_another_site_stops_the_build(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import tree_snapshot

    out = tmp_path / "site"
    first = _built(_kommun(tmp_path), out, "--start-log")
    assert first.returncode == 0, first.stderr
    before = tree_snapshot(out)
    other = _built("content", out)
    assert other.returncode == 1
    assert "hör till webbplatsen https://arkiv.adala.example.se" in other.stderr
    assert "https://arkiv.samordningsforbundetostrasodertorn.se" in other.stderr
    assert "Inget byggdes" in other.stderr
    assert tree_snapshot(out) == before


def test_a_drafts_trial_into_the_published_folder_keeps_its_log(tmp_path) -> None:  # type: ignore[no-untyped-def]
    content, out = _kommun(tmp_path), tmp_path / "site"
    where = ["--content", str(content), "--out", str(out), "--no-pdf", "--today", "2026-12-07"]
    assert _run_on("2026-12-07", "build", *where, "--start-log").returncode == 0
    logged = (out / publog.PATH).read_bytes()
    assert _run_on("2026-12-07", "build", *where, "--drafts").returncode == 0
    assert (out / publog.PATH).read_bytes() == logged
    nextday = _run_on("2026-12-08", "build", *where[:-1], "2026-12-08")
    assert nextday.returncode == 0, nextday.stderr
    assert len(publog.loads((out / publog.PATH).read_bytes())) == 2


def test_without_today_the_board_is_of_the_day_in_sweden_on_a_utc_server(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The nightly build at 00:30 in Sweden is 23:30 UTC the day before: its board and its
    log entry are of the Swedish day, whatever the server's time zone."""
    from justerat.app.cli import main

    content, out = _kommun(tmp_path), tmp_path / "site"
    monkeypatch.setenv("TZ", "UTC")
    moment = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    args = ["build", "--content", str(content), "--out", str(out), "--no-pdf", "--start-log"]
    assert main([*args, "--cache", str(tmp_path / "cache")]) == 0
    assert [e.day for e in publog.loads((out / publog.PATH).read_bytes())] == ["2026-12-08"]
