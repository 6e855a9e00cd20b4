"""Builds at archive scale: work spread over processes, rebuilds that do only what changed,
and publishing that switches whole trees. On a generated archive of a few hundred protocols,
enough for the worker processes to start."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, run_build_py, tree_snapshot

from justerat import content as content_stage
from justerat import pipeline

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

COUNT = 240  # above content.PARALLEL_FROM and pipeline.PARALLEL_FROM
TODAY = "2026-11-23"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive") / "content"
    generate(folder, COUNT)
    return folder


def options(content: Path, out: Path, **more: object) -> pipeline.Options:
    settings: dict[str, object] = {
        "today": date.fromisoformat(TODAY),
        "cache": out.parent / "cache",
        **more,
    }
    return pipeline.Options(content=content, out=out, **settings)  # type: ignore[arg-type]


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_generated_archive_is_large_enough_for_workers(archive: Path) -> None:
    files = list((archive / "protocols").rglob("*.md"))
    assert len(files) == COUNT
    assert COUNT >= content_stage.PARALLEL_FROM and COUNT >= pipeline.PARALLEL_FROM


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
    first = pipeline.build(options(archive, out, workers=2), html_only=True)
    assert first.ok and len(first.parsed) == COUNT
    before = mtimes(out)
    protocol = sorted((archive / "protocols/socialnamnden").glob("*.md"))[3]
    text = protocol.read_text("utf-8")
    try:
        protocol.write_text(text.replace("## § 2 ", "## § 2 Ändrad ", 1), "utf-8")
        second = pipeline.build(options(archive, out, workers=2), html_only=True)
        assert second.ok, second.problems
        assert second.parsed == (protocol.as_posix(),)  # the others are known by their stat
        page = f"protokoll/socialnamnden/{protocol.stem}/"
        assert set(second.rendered) == {f"{page}index.html", f"{page}anslagsbevis/index.html"}
        after = mtimes(out)
        assert after.keys() == before.keys()
        changed = {path for path in after if after[path] != before[path]}
        assert changed == {  # the anslagsbevis was made anew, but shows nothing that changed
            f"{page}index.html",
            f"data/protokoll/socialnamnden/{protocol.stem}.json",
        }
        assert "Ändrad" in (out / page / "index.html").read_text("utf-8")
        # what the rebuild left is what a build from nothing makes, byte for byte
        fresh = tmp_path / "fresh/site"
        assert pipeline.build(options(archive, fresh, cache=None), html_only=True).ok
        assert tree_snapshot(out) == tree_snapshot(fresh)
        # an edit that other pages show (a new §: listings, neighbours, the data index)
        protocol.write_text(protocol.read_text("utf-8") + "\n## § 99 Övrigt\n\nInget.\n", "utf-8")
        listed = pipeline.build(options(archive, out, workers=2), html_only=True)
        assert listed.ok and listed.parsed == (protocol.as_posix(),)
        assert f"protokoll/socialnamnden/{protocol.stem[:4]}/index.html" in listed.rendered
        assert len(listed.rendered) < 12  # its pages, its neighbours', the listings, the board
        shutil.rmtree(fresh.parent)
        assert pipeline.build(options(archive, fresh, cache=None), html_only=True).ok
        assert tree_snapshot(out) == tree_snapshot(fresh)
        again = pipeline.build(options(archive, out, workers=2), html_only=True)
        assert again.unchanged  # nothing read, made or written
    finally:
        protocol.write_text(text, "utf-8")


def test_each_build_switches_the_whole_site_at_once(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert pipeline.build(options(archive, out), html_only=True).ok
    shown = os.readlink(out)
    assert shown in (".site.trees/a", ".site.trees/b")
    assert pipeline.build(options(archive, out, today=date(2026, 12, 1)), html_only=True).ok
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
    assert pipeline.build(options(archive, out, templates=templates), html_only=True).ok
    year = templates / "year.html"
    year.write_text(year.read_text("utf-8").replace("<h1>", "<h1 class='ar'>"), "utf-8")
    result = pipeline.build(options(archive, out, templates=templates), html_only=True)
    assert result.ok and result.parsed == ()
    assert result.rendered and all(p.count("/") == 3 for p in result.rendered)  # year pages
    assert all("class='ar'" in (out / p).read_text("utf-8") for p in result.rendered)


def test_two_output_folders_sharing_a_cache_each_get_every_change(
    archive: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    public, office = tmp_path / "site", tmp_path / "kansli"
    for out in (public, office):
        assert pipeline.build(options(archive, out, cache=cache), html_only=True).ok
    protocol = sorted((archive / "protocols/valnamnden").glob("*.md"))[2]
    settings = archive / "site.yaml"
    text, site_text = protocol.read_text("utf-8"), settings.read_text("utf-8")
    try:
        protocol.write_text(text.replace("## § 3 ", "## § 3 Rättad ", 1), "utf-8")
        assert pipeline.build(options(archive, office, cache=cache), html_only=True).ok
        assert pipeline.build(options(archive, public, cache=cache), html_only=True).ok
        page = f"protokoll/valnamnden/{protocol.stem}/index.html"
        assert "Rättad" in (public / page).read_text("utf-8")
        # a body renamed in site.yaml: its protocols' data documents follow, too
        settings.write_text(site_text.replace("Valnämnden", "Valnämnden (VN)"), "utf-8")
        assert pipeline.build(options(archive, public, cache=cache), html_only=True).ok
        data = (public / f"data/protokoll/valnamnden/{protocol.stem}.json").read_text("utf-8")
        assert "Valnämnden (VN)" in data
    finally:
        protocol.write_text(text, "utf-8")
        settings.write_text(site_text, "utf-8")
