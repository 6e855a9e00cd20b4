"""Builds at archive scale: work spread over processes, rebuilds that do only what changed,
and publishing that switches whole trees. On a generated archive of a few hundred protocols,
enough for the worker processes to start."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, run_build_py, site_snapshot, tree_snapshot

from justerat.build.folder import build as build_into_folder
from justerat.build.options import Options, Result
from justerat.core.swedish import swedish_date
from justerat.legal import law

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

COUNT = 240  # above processes.PARALLEL_FROM (200): parsed and rendered by worker processes
TODAY = "2026-11-23"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive") / "content"
    generate(folder, COUNT)
    return folder


def options(content: Path, out: Path, **more: object) -> Options:
    settings: dict[str, object] = {
        "today": date.fromisoformat(TODAY),
        "cache": out.parent / "cache",
        **more,
    }
    return Options(content=content, out=out, **settings)  # type: ignore[arg-type]


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_two_processes_build_the_same_bytes_as_one(archive: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one/site", tmp_path / "two/site"
    for out, workers in ((one, "1"), (two, "2")):
        result = run_build_py(
            "build", "--html-only", "--content", str(archive), "--out", str(out),
            "--cache", str(out.parent / "cache"), "--today", TODAY, "--workers", workers,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    first = tree_snapshot(one)
    assert len([p for p in first if p.endswith("index.html")]) > 2 * COUNT
    assert first == tree_snapshot(two)


def test_a_rebuild_reads_and_renders_only_what_changed(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build_into_folder(options(archive, out, workers=2), html_only=True)
    assert first.ok and len(first.parsed) == COUNT
    before = mtimes(out)
    protocol = sorted((archive / "protocols/socialnamnden").glob("*.md"))[3]
    text = protocol.read_text("utf-8")
    try:
        protocol.write_text(text.replace("## § 2 ", "## § 2 Ändrad ", 1), "utf-8")
        second = build_into_folder(options(archive, out, workers=2), html_only=True)
        assert second.ok, second.problems
        assert second.parsed == (protocol.as_posix(),)  # the others are known by their stat
        page = f"protokoll/socialnamnden/{protocol.stem}/"
        assert set(second.rendered) == {f"{page}index.html", f"{page}anslagsbevis/index.html"}
        after = mtimes(out)
        assert after.keys() == before.keys()
        changed = {path for path in after if after[path] != before[path]}
        # the anslagsbevis was made anew, but shows nothing that changed; only the changed
        # files are compressed anew (their .gz and .br copies)
        changed_files = [f"{page}index.html", f"data/protokoll/socialnamnden/{protocol.stem}.json"]
        assert changed == {f + suffix for f in changed_files for suffix in ("", ".gz", ".br")}
        assert "Ändrad" in (out / page / "index.html").read_text("utf-8")
        # what the rebuild left is what a build from nothing makes, byte for byte
        fresh = tmp_path / "fresh/site"
        assert build_into_folder(options(archive, fresh, cache=None), html_only=True).ok
        assert site_snapshot(out) == site_snapshot(fresh)
        # an edit that other pages show (a new §: listings, neighbours, the data index)
        protocol.write_text(protocol.read_text("utf-8") + "\n## § 99 Övrigt\n\nInget.\n", "utf-8")
        listed = build_into_folder(options(archive, out, workers=2), html_only=True)
        assert listed.ok and listed.parsed == (protocol.as_posix(),)
        assert f"protokoll/socialnamnden/{protocol.stem[:4]}/index.html" in listed.rendered
        assert len(listed.rendered) < 12  # its pages, its neighbours', the listings, the board
        shutil.rmtree(fresh.parent)
        assert build_into_folder(options(archive, fresh, cache=None), html_only=True).ok
        assert site_snapshot(out) == site_snapshot(fresh)
        again = build_into_folder(options(archive, out, workers=2), html_only=True)
        assert again.unchanged  # nothing read, made or written
    finally:
        protocol.write_text(text, "utf-8")


def _shifted(text: str, days: int) -> str:
    """A protocol's text with every date of its front matter ``days`` later."""
    head, body = text.split("\n---\n", 1)

    def later(match: re.Match[str]) -> str:
        return f"'{date.fromisoformat(match.group(1)) + timedelta(days=days)}'"

    return re.sub(r"'(\d{4}-\d{2}-\d{2})'", later, head) + "\n---\n" + body


def test_a_justering_or_a_new_meeting_makes_the_files_of_one_body_alone(
    archive: Path, tmp_path: Path
) -> None:
    """A change that listings show (a notice's dates, a new or removed protocol) changes only
    its body's part of the site's key: the other bodies' files are neither made nor looked at,
    the site's own pages (start, board, feed, data) are made anew, and the site is the one a
    build from nothing makes."""
    out, fresh = tmp_path / "site", tmp_path / "fresh/site"
    first = build_into_folder(options(archive, out, workers=2), html_only=True)
    assert first.ok and first.examined > 3 * COUNT
    body = "protokoll/socialnamnden/"
    protocols = sorted((archive / body.replace("protokoll", "protocols")).glob("*.md"))
    protocol, meeting = protocols[-1], protocols[-1].with_name("ny.md")
    text = protocol.read_text("utf-8")

    def built_as_from_nothing() -> None:
        shutil.rmtree(fresh.parent, ignore_errors=True)
        assert build_into_folder(options(archive, fresh, cache=None), html_only=True).ok
        assert site_snapshot(out) == site_snapshot(fresh)

    def rebuilt() -> tuple[Result, set[str]]:
        before = mtimes(out)
        result = build_into_folder(options(archive, out, workers=2), html_only=True)
        assert result.ok, result.problems
        # one body of ten, and the site's pages; and the person pages, which every build that
        # remakes listings compares (one per person named: a cost that grows with the people)
        people = len(list((out / "ledamoter").rglob("index.html")))
        assert result.examined - people < (first.examined - people) / 4
        after = mtimes(out)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        assert not {p for p in changed if re.match("(data/)?protokoll/[^/]+/", p) and body not in p}
        return result, changed

    try:
        taken_down = re.search(r"taken_down: '([^']*)'", text)
        assert taken_down is not None
        down = date.fromisoformat(taken_down.group(1)) + timedelta(days=1)
        protocol.write_text(text.replace(taken_down.group(0), f"taken_down: '{down}'"), "utf-8")
        result, changed = rebuilt()
        page = f"{body}{protocol.stem}/"
        assert f"{page}anslagsbevis/index.html" in changed and "anslagstavla/index.html" in changed
        assert swedish_date(down) in (out / page / "anslagsbevis/index.html").read_text("utf-8")
        built_as_from_nothing()

        meeting.write_text(_shifted(text, 28), "utf-8")
        result, changed = rebuilt()
        new = (date.fromisoformat(protocol.stem) + timedelta(days=28)).isoformat()
        assert result.parsed == (meeting.as_posix(),)
        assert {f"{body}{new}/index.html", f"{body}{protocol.stem}/index.html"} <= changed
        assert "index.html" in changed and "sitemap.xml" in changed  # the latest; the map
        built_as_from_nothing()

        meeting.unlink()
        result, changed = rebuilt()
        assert not (out / body / new).exists() and f"{body}{new}/index.html" in changed
        built_as_from_nothing()
    finally:
        protocol.write_text(text, "utf-8")
        meeting.unlink(missing_ok=True)


def test_an_image_copied_into_another_bodys_folder_goes_when_no_page_shows_it(
    archive: Path, tmp_path: Path
) -> None:
    """An image is copied where its address points from the page, which may be another
    body's folder: that folder then changes with the protocol that shows the image."""
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    (content / "valnamnden").mkdir()
    (content / "valnamnden/karta.png").write_bytes(b"\x89PNG a map")
    protocol = sorted((content / "protocols/socialnamnden").glob("*.md"))[-1]
    text = protocol.read_text("utf-8")
    shown = text.rstrip() + "\n\n![Karta](../../valnamnden/karta.png)\n"
    out = tmp_path / "site"
    copied = out / "protokoll/valnamnden/karta.png"
    protocol.write_text(shown, "utf-8")
    assert build_into_folder(options(content, out), html_only=True).ok
    assert copied.is_file()
    protocol.write_text(text, "utf-8")
    result = build_into_folder(options(content, out), html_only=True)
    assert result.ok and result.examined < 3 * COUNT  # not every file: some bodies alone
    assert not copied.exists()


def test_each_build_switches_the_whole_site_at_once(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_into_folder(options(archive, out), html_only=True).ok
    shown = os.readlink(out)
    assert shown in (".site.trees/a", ".site.trees/b")
    assert build_into_folder(options(archive, out, today=date(2026, 12, 1)), html_only=True).ok
    now = os.readlink(out)
    assert now != shown  # the other tree, brought up to date, is shown now
    before, after = tmp_path / shown, tmp_path / now
    assert (before / "anslagstavla/index.html").read_bytes() != (
        after / "anslagstavla/index.html"
    ).read_bytes()
    unchanged = "protokoll/socialnamnden/index.html"
    assert (before / unchanged).stat().st_ino == (after / unchanged).stat().st_ino  # linked
    assert tree_snapshot(out) == tree_snapshot(after)


def test_a_template_change_renders_every_page_that_uses_it(archive: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out = tmp_path / "site"
    assert build_into_folder(options(archive, out, templates=templates), html_only=True).ok
    year = templates / "year.html"
    year.write_text(year.read_text("utf-8").replace("<h1>", "<h1 class='ar'>"), "utf-8")
    result = build_into_folder(options(archive, out, templates=templates), html_only=True)
    assert result.ok and result.parsed == ()
    assert result.rendered and all(p.count("/") == 3 for p in result.rendered)  # year pages
    assert all("class='ar'" in (out / p).read_text("utf-8") for p in result.rendered)


def test_two_output_folders_sharing_a_cache_each_get_every_change(
    archive: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    public, office = tmp_path / "site", tmp_path / "kansli"
    for out in (public, office):
        assert build_into_folder(options(archive, out, cache=cache), html_only=True).ok
    protocol = sorted((archive / "protocols/valnamnden").glob("*.md"))[2]
    settings = archive / "site.yaml"
    text, site_text = protocol.read_text("utf-8"), settings.read_text("utf-8")
    try:
        protocol.write_text(text.replace("## § 3 ", "## § 3 Rättad ", 1), "utf-8")
        assert build_into_folder(options(archive, office, cache=cache), html_only=True).ok
        assert build_into_folder(options(archive, public, cache=cache), html_only=True).ok
        page = f"protokoll/valnamnden/{protocol.stem}/index.html"
        assert "Rättad" in (public / page).read_text("utf-8")
        # a body renamed in site.yaml: its protocols' data documents follow, too
        settings.write_text(site_text.replace("Valnämnden", "Valnämnden (VN)"), "utf-8")
        assert build_into_folder(options(archive, public, cache=cache), html_only=True).ok
        data = (public / f"data/protokoll/valnamnden/{protocol.stem}.json").read_text("utf-8")
        assert "Valnämnden (VN)" in data
    finally:
        protocol.write_text(text, "utf-8")
        settings.write_text(site_text, "utf-8")


def test_a_rebuild_applies_the_kept_calendar_without_the_holidays_package(
    archive: Path, tmp_path: Path
) -> None:
    """The holidays of the archive's years are kept in the cache: a rebuild after an edit
    does not load the holidays package (a tenth of a second), and still moves the edited
    notice's dates past the holidays as the law says."""
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    args = [
        "build", "--html-only", "--content", str(content), "--out", str(tmp_path / "site"),
        "--cache", str(tmp_path / "cache"), "--today", TODAY,
    ]  # fmt: skip
    assert run_build_py(*args).returncode == 0
    protocol = sorted((content / "protocols").rglob("*.md"))[7]
    posted = date(int(protocol.stem[:4]), 12, 4)  # three weeks later: juldagen
    last = law.Calendar().appeal_last_day(posted)
    assert last > posted + timedelta(weeks=3)  # moved past the holidays
    text = protocol.read_text("utf-8")
    text = re.sub(r"posted: '[^']*'", f"posted: '{posted}'", text)
    text = re.sub(r"taken_down: '[^']*'", f"taken_down: '{last}'", text)
    protocol.write_text(text, "utf-8")
    rebuild = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in rebuild.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "justerat.legal.law" in imported and "holidays" not in imported
    # taken down on the appeal period's last day: the law's first allowed day is named
    assert f"tidigast {swedish_date(last + timedelta(days=1), weekday=True)} (KL" in rebuild.stderr


def test_manifests_of_another_version_are_not_trusted(archive: Path, tmp_path: Path) -> None:
    """A tree's manifest written by another version of Justerat (another format, perhaps
    another meaning) is not trusted: every page is made again, and the site is whole."""
    out = tmp_path / "site"
    first = build_into_folder(options(archive, out), html_only=True)
    assert first.ok
    complete = site_snapshot(out)
    for manifest in (tmp_path / ".site.trees").glob("*.manifest"):
        _, site, files = pickle.loads(manifest.read_bytes())
        manifest.write_bytes(pickle.dumps(("manifest-of-another-version", site, files)))
    again = build_into_folder(options(archive, out, today=date(2026, 12, 1)), html_only=True)
    assert again.ok
    assert set(again.rendered) == set(first.rendered)  # nothing taken on the manifest's word
    assert len(again.rendered) > 2 * COUNT
    # the board and the home page (which shows the notices up) follow the day, and their
    # precompressed copies with them
    board = {
        f"{page}{suffix}": b""
        for page in ("anslagstavla/index.html", "index.html")
        for suffix in ("", ".gz", ".br")
    }
    assert {**site_snapshot(out), **board} == {**complete, **board}


def test_an_edit_above_an_image_makes_the_protocols_own_pages_alone(
    archive: Path, tmp_path: Path
) -> None:
    """An image's line is where the checks point, not something listings show: text added
    above it makes the protocol's own pages (and data) and nothing else."""
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    protocol = sorted((content / "protocols/socialnamnden").glob("*.md"))[-1]
    (protocol.parent / "karta.png").write_bytes(b"\x89PNG a map")
    text = protocol.read_text("utf-8").rstrip() + "\n\n![Karta](karta.png)\n"
    protocol.write_text(text, "utf-8")
    out = tmp_path / "site"
    assert build_into_folder(options(content, out), html_only=True).ok
    head, tail = text.rsplit("![Karta]", 1)
    protocol.write_text(f"{head}Ytterligare en mening.\n\n![Karta]{tail}", "utf-8")
    result = build_into_folder(options(content, out), html_only=True)
    assert result.ok, result.problems
    page = f"protokoll/socialnamnden/{protocol.stem}/"
    assert set(result.rendered) == {f"{page}index.html", f"{page}anslagsbevis/index.html"}
    assert "Ytterligare en mening." in (out / page / "index.html").read_text("utf-8")
