"""One broken file holds back only itself; drafts never block; no justering before it happens
(issue 27, items 2–4), on copies of the example kommun, built by the real command line."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build_py, site_snapshot_of, tree_snapshot
from test_browser_a11y import serve

KF = "protocols/kommunfullmaktige/2026-11-16.md"
KS = "protocols/kommunstyrelsen/2026-12-03.md"
KS_PAGE = "protokoll/kommunstyrelsen/2026-12-03/index.html"

# Body A: a kommunstyrelsen meeting justerad on the day of the build and posted the same day
KS_PROTOCOL = """---
organ: kommunstyrelsen
status: justerat
date: 2026-12-03
time: "13.00-15.00"
place: "Kommunhuset, Storgatan 1, Ådala"
attendees:
  voting:
    - {{name: Erik Lövgren, party: C, role: ordförande}}
    - {{name: Maria Lindqvist, party: S, role: vice ordförande}}
    - {{name: Sara Ljung, party: C}}
    - {{name: Karin Wester, party: M}}
    - {{name: Ingrid Ahlström, party: KD}}
    - {{name: Per-Olof Ek, party: S}}
    - {{name: Anna Strand, party: S}}
    - {{name: Peter Almqvist, party: SD}}
    - {{name: Susanne Dahl, party: SD}}
secretary: {{name: Åsa Berglund, title: kommunsekreterare}}
chair: Erik Lövgren
justerare: [Karin Wester]
justering: {{date: {justering}, place: "Kommunhuset"}}
anslag: {{posted: {posted}}}
kept_at: "Kommunkansliet, kommunhuset, Storgatan 1, 579 99 Ådala"
---

## § 101 Val av justerare

Till justerare utsågs Karin Wester.

## § 102 Snöröjning i centrum

### Kommunstyrelsens beslut

Kommunstyrelsen beslutar att ge tekniska nämnden i uppdrag att se över snöröjningen.
"""


def _on(day: str, content: Path, out: Path, *more: str, pdf: bool = False):  # type: ignore[no-untyped-def]
    """The nightly build of ``day``, run at 00:05 in Sweden that day (the HTML and the search
    index; the PDFs too with ``pdf``, as the office's build makes them)."""
    moment = datetime.fromisoformat(f"{day}T00:05:00+01:00")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}
    args = ["build", "--content", str(content), "--out", str(out), "--today", day]
    return run_build_py(*args, *more, *([] if pdf else ["--no-pdf"]), env=env)


@pytest.fixture
def kommun(tmp_path: Path) -> Path:
    content = tmp_path / "kommun"
    shutil.copytree(ROOT / "examples/kommun", content)
    return content


def _of(out: Path, prefix: str) -> dict[str, bytes]:
    return {path: data for path, data in tree_snapshot(out).items() if path.startswith(prefix)}


def _board(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "anslagstavla/index.html").read_text("utf-8"), "html.parser")


def test_a_justering_is_announced_on_time_while_another_bodys_protocol_is_broken(
    kommun: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    first = _on("2026-12-06", kommun, out, "--start-log", pdf=True)
    assert first.returncode == 0, first.stderr
    kf_before = _of(out, "protokoll/kommunfullmaktige/")
    data_before = json.loads((out / "data/index.json").read_text("utf-8"))
    assert kf_before and not (out / KS_PAGE).exists()
    # overnight: kommunstyrelsen's protocol is justerat (body A) while a colleague leaves the
    # fullmäktige protocol half-edited (body B): a YAML error and an unfinished mark
    (kommun / KS).parent.mkdir(parents=True)
    (kommun / KS).write_text(KS_PROTOCOL.format(justering="2026-12-07", posted="2026-12-07"))
    broken = (
        (kommun / KF).read_text("utf-8").replace("digital: false", "digital: false\nplace: Sal: 3")
    )
    (kommun / KF).write_text(broken.replace("Tingssalen", "ÄNDRA: lokal"))
    night = _on("2026-12-07", kommun, out, pdf=True)
    assert night.returncode == 1, night.stderr
    held = night.stderr.split("höll tillbaka 1 fil med fel", 1)[1]
    assert f"{kommun.as_posix()}/{KF}:" in held and "den senast publicerade versionen visas" in held
    # body A is published and its notice is on the board the day it was posted
    assert (out / KS_PAGE).is_file()
    assert list((out / KS_PAGE).parent.glob("*.pdf"))
    current = _board(out).select_one("#aktuella")
    assert current is not None and "Kommunstyrelsen" in current.get_text()
    # body B: every page and file exactly as last published, but what its anslagsbevis (page
    # and PDF) say of the publication log: its notice is still up, and tonight's entry shows it
    now = _of(out, "protokoll/kommunfullmaktige/")
    assert now.keys() == kf_before.keys()
    changed = {path for path, data in now.items() if data != kf_before[path]}
    assert {path.split("/anslagsbevis/")[0] for path in changed} == {
        "protokoll/kommunfullmaktige/2026-11-16"
    }
    # (the anslagsbevis page's compressed copies follow its HTML, compared cleaned)
    assert site_snapshot_of(now) == site_snapshot_of(
        {**kf_before, **{p: now[p] for p in changed if p.endswith((".pdf", ".gz", ".br"))}}
    )
    data_now = json.loads((out / "data/index.json").read_text("utf-8"))
    assert [e for e in data_now if "kommunfullmaktige" in json.dumps(e)] == [
        e for e in data_before if "kommunfullmaktige" in json.dumps(e)
    ]
    assert "ÄNDRA" not in "".join(
        data.decode("utf-8", "replace") for data in tree_snapshot(out).values()
    )


def test_a_file_never_published_stays_absent_and_a_global_error_stops_everything(
    kommun: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out).returncode == 0
    (kommun / KS).parent.mkdir(parents=True)
    (kommun / KS).write_text(
        KS_PROTOCOL.format(justering="2026-12-07", posted="2026-12-07").replace("time:", "tid:")
    )
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 1
    assert "publiceras inte" in night.stderr.split("höll tillbaka", 1)[1]
    assert not (out / "protokoll/kommunstyrelsen/2026-12-03").exists()
    before = tree_snapshot(out)
    settings = kommun / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "\nokänd_nyckel: 1\n")
    stopped = _on("2026-12-08", kommun, out)
    assert stopped.returncode == 1 and "Inget byggdes" in stopped.stderr
    assert tree_snapshot(out) == before


def test_two_files_at_one_address_are_both_held_back(kommun: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out).returncode == 0
    before = _of(out, "protokoll/kommunfullmaktige/")
    # a copy of the fullmäktige protocol under another file name: one meeting, two files
    twin = kommun / "protocols/kommunfullmaktige/2026-11-16-kopia.md"
    shutil.copy(kommun / KF, twin)
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 1
    held = night.stderr.split("höll tillbaka", 1)[1]
    assert "2 filer" in night.stderr.split("höll tillbaka", 1)[1].splitlines()[0]
    assert twin.as_posix() in held and f"{kommun.as_posix()}/{KF}" in held
    assert _of(out, "protokoll/kommunfullmaktige/") == before


def test_a_broken_draft_never_blocks(kommun: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    draft = kommun / "protocols/kommunstyrelsen/2026-12-10.md"
    draft.parent.mkdir(parents=True)
    text = KS_PROTOCOL.format(justering="2026-12-14", posted="2026-12-15")
    draft.write_text(
        text.replace("status: justerat", "status: draft").replace("place:", "place: Sal: 3\nx:")
    )
    checked = run_build_py("check", "--content", str(kommun), "--today", "2026-12-07")
    assert checked.returncode == 0, checked.stderr
    assert f"{draft.as_posix()}:6: warning: utkast: " in checked.stderr
    assert checked.stderr.splitlines()[-1].startswith("0 fel, ")
    built = _on("2026-12-07", kommun, out)
    assert built.returncode == 0, built.stderr
    assert "warning: utkast:" in built.stderr
    assert not (out / "protokoll/kommunstyrelsen/2026-12-03").exists()


def test_a_justering_dated_after_the_build_waits_for_its_day(kommun: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (kommun / KS).parent.mkdir(parents=True)
    (kommun / KS).write_text(KS_PROTOCOL.format(justering="2026-12-09", posted="2026-12-10"))
    early = _on("2026-12-07", kommun, out)
    assert early.returncode == 0, early.stderr
    assert "justeringen är daterad 9 december 2026, efter bygget (7 december 2026)" in early.stderr
    assert not (out / KS_PAGE).exists()
    assert "kommunstyrelsen/2026-12-03" not in str(_board(out))
    assert "kommunstyrelsen/2026-12-03" not in (out / "sitemap.xml").read_text("utf-8")
    on_the_day = _on("2026-12-09", kommun, out)
    assert on_the_day.returncode == 0, on_the_day.stderr
    assert "justeringen är daterad" not in on_the_day.stderr
    assert (out / KS_PAGE).is_file()


def test_the_board_of_a_healthy_body_is_published_while_another_bodys_file_is_broken(
    browser, kommun: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """In a real browser, on 7 December: kommunstyrelsen's notice, justerad and posted that
    day, is up on the board; fullmäktige's broken protocol keeps its published notice, and
    nothing of the broken edit shows."""
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out, "--start-log").returncode == 0
    (kommun / KS).parent.mkdir(parents=True)
    (kommun / KS).write_text(KS_PROTOCOL.format(justering="2026-12-07", posted="2026-12-07"))
    (kommun / KF).write_text(
        (kommun / KF).read_text("utf-8").replace("Tingssalen", "ÄNDRA: lokal och adress")
    )
    assert _on("2026-12-07", kommun, out).returncode == 1
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.clock.set_fixed_time(datetime(2026, 12, 7, 12, tzinfo=ZoneInfo("Europe/Stockholm")))
    served = serve(out)
    page.goto(next(served) + "anslagstavla/")
    current = page.locator("#aktuella")
    assert current.get_by_text("Kommunstyrelsen", exact=False).first.is_visible()
    assert current.get_by_text("Kommunfullmäktige", exact=False).first.is_visible()
    page.locator("#aktuella a[href*='kommunstyrelsen/2026-12-03']").first.click()
    assert "Protokollet är justerat" in page.locator("main").inner_text()  # its anslagsbevis
    page.get_by_role("link", name="Till protokollet").click()
    assert "Snöröjning i centrum" in page.locator("main").inner_text()
    page.goto(page.url.split("protokoll/")[0] + "anslagstavla/")
    page.locator("#aktuella a[href*='kommunfullmaktige/2026-11-16']").first.click()
    page.get_by_role("link", name="Till protokollet").click()
    text = page.locator("main").inner_text()
    assert "Tingssalen" in text and "ÄNDRA" not in text
    context.close()
    served.close()


PNG = (  # a 1×1 picture
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_draft_copy_of_a_published_protocol_does_not_take_it_down(
    kommun: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out).returncode == 0
    before = _of(out, "protokoll/kommunfullmaktige/")
    draft = kommun / "protocols/kommunfullmaktige/2026-11-16-utkast.md"
    draft.write_text((kommun / KF).read_text("utf-8").replace("status: justerat", "status: draft"))
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 0, night.stderr
    assert "höll tillbaka" not in night.stderr
    assert f"{(kommun / KF).as_posix()}:4: warning: två protokoll för samma möte" in night.stderr
    assert site_snapshot_of(_of(out, "protokoll/kommunfullmaktige/")) == site_snapshot_of(before)


def test_a_file_whose_published_version_cannot_be_built_again_stops_the_build(
    kommun: Path, tmp_path: Path
) -> None:
    """Held back, the last published version stands in; if it fails now on its own (the
    picture it shows was removed), holding it back would take it off the site: the build
    stops instead, and says why."""
    out = tmp_path / "site"
    (kommun / "protocols/kommunfullmaktige/karta.png").write_bytes(PNG)
    shown = (kommun / KF).read_text("utf-8").replace("\n## § ", "\n![Karta](karta.png)\n\n## § ", 1)
    (kommun / KF).write_text(shown)
    assert _on("2026-12-06", kommun, out).returncode == 0
    before = tree_snapshot(out)
    (kommun / KF).write_text(shown.replace("date: 2026-11-16", "date: 2026-11-31"))
    (kommun / "protocols/kommunfullmaktige/karta.png").unlink()
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 1
    assert (
        "kan inte hållas tillbaka: den senast publicerade versionen går inte heller" in night.stderr
    )
    assert "Inget byggdes" in night.stderr
    assert tree_snapshot(out) == before


def test_without_copies_of_what_was_published_a_broken_file_stops_the_build(
    kommun: Path, tmp_path: Path
) -> None:
    """A site published by an earlier version of Justerat has no copies of its sources: a
    broken file cannot be held back as it was, and is not taken off the site either."""
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out).returncode == 0
    for index in (tmp_path / ".site.trees").glob("*.sources"):
        index.unlink()
    before = tree_snapshot(out)
    (kommun / KF).write_text((kommun / KF).read_text("utf-8").replace("time:", "tid:"))
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 1
    assert "det finns ingen sparad kopia av vad som publicerades" in night.stderr
    assert tree_snapshot(out) == before


def test_a_published_protocol_whose_justering_is_moved_into_the_future_stays(
    kommun: Path, tmp_path: Path
) -> None:
    """A typo that dates a published justering after today does not take the protocol off
    the site during its appeal period: it is an error, and the protocol stays as published."""
    out = tmp_path / "site"
    assert _on("2026-12-06", kommun, out).returncode == 0
    before = _of(out, "protokoll/kommunfullmaktige/")
    text = (kommun / KF).read_text("utf-8")
    (kommun / KF).write_text(
        text.replace("date: 2026-11-23", "date: 2026-12-23").replace(
            "posted: 2026-11-24", "posted: 2026-12-24"
        )
    )
    night = _on("2026-12-07", kommun, out)
    assert night.returncode == 1
    assert "protokollet är redan publicerat, men justeringen är nu daterad" in night.stderr
    assert "den senast publicerade versionen visas" in night.stderr
    assert site_snapshot_of(_of(out, "protokoll/kommunfullmaktige/")) == site_snapshot_of(before)
