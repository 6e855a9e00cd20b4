"""`check` is never more lenient than `build`: both run one check stage, so for every case of
the bad-input corpus they report the same problems, word for word, with the same file and
line. And the build keeps no state in the process: two builds of different content in one
process make what two processes make."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TODAY, site_snapshot, tree_snapshot
from test_check import CASES as EDITS
from test_check import NAME

from justerat.app.cli import main
from justerat.build.folder import build as build_into_folder
from justerat.build.options import Options

PLAN = "plans/verksamhetsplan-2019.md"
PNG = (  # a 1×1 picture
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], None]
    expected: list[str]  # lines check must print, "{content}" standing for the folder
    absent: str = ""  # the page the build holds back


def plan_in_a_subfolder(content: Path) -> None:
    """The issue's case: a copy of the plan under plans/extra/ claims the plan's address."""
    (content / "plans/extra").mkdir()
    shutil.copy(content / PLAN, content / "plans/extra/verksamhetsplan-2019.md")


def image_leaving_the_site(content: Path) -> None:
    """An image inside the content folder (from a plan two folders down) whose address, from
    the plan's page, leaves the site."""
    (content / "plans/a/b").mkdir(parents=True)
    plan = content / "plans/a/b/karta-plan.md"
    shutil.copy(content / PLAN, plan)
    (content / "karta.png").write_bytes(PNG)
    head, body = plan.read_text("utf-8").split("\n---\n", 1)
    plan.write_text(f"{head}\n---\n![Karta](../../../karta.png)\n\n{body}", "utf-8")


def two_images_one_address(content: Path) -> None:
    """Two protocols show different pictures, each by the address '../karta.png' from its own
    file, that would both be copied to /protokoll/styrelsen/karta.png: one protocol lies a
    folder deeper. The second is refused, naming the first."""
    folder = content / "protocols/styrelsen"
    (folder / "tidigare").mkdir()
    (folder / "2023-09-13.md").rename(folder / "tidigare/2023-09-13.md")
    (content / "protocols/karta.png").write_bytes(PNG)
    (folder / "karta.png").write_bytes(PNG + b"\x00")
    for path in (folder / "2022-05-11.md", folder / "tidigare/2023-09-13.md"):
        text = path.read_text("utf-8")
        path.write_text(text.replace("\n## § 1", "\n![Karta](../karta.png)\n\n## § 1", 1))


EXTRA = [
    Case(
        "plan-address-taken",
        plan_in_a_subfolder,
        [
            "{content}/plans/extra/verksamhetsplan-2019.md:1: error: adressen "
            "/planer/verksamhetsplan-2019/ används också av "
            "{content}/plans/verksamhetsplan-2019.md: planens adress är filnamnet; byt namn på "
            "en av filerna [unique-url]",
            "{content}/plans/verksamhetsplan-2019.md:1: error: adressen "
            "/planer/verksamhetsplan-2019/ används också av "
            "{content}/plans/extra/verksamhetsplan-2019.md: planens adress är filnamnet; byt "
            "namn på en av filerna [unique-url]",
        ],
        "planer/verksamhetsplan-2019/index.html",
    ),
    Case(
        "image-leaves-the-site",
        image_leaving_the_site,
        [
            "{content}/plans/a/b/karta-plan.md:{line}: error: bilden '../../../karta.png' hamnar "
            "utanför webbplatsen från sidan /planer/karta-plan/; lägg bilden i samma mapp som "
            "dokumentet eller under den [image]"
        ],
        "planer/karta-plan/index.html",
    ),
]


def _problems(output: str) -> list[str]:
    """The problem lines of check's or build's report (not the count or the closing words)."""
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


def _check_then_build(
    content: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, int, str]:
    code = main(["check", "--content", str(content), "--today", TODAY])
    checked = capsys.readouterr().err
    built_code = main(
        ["build", "--content", str(content), "--out", str(out), "--today", TODAY, "--no-pdf"]
        + ["--cache", str(out.parent / "cache")]
    )
    built = capsys.readouterr().err
    return code, checked, built_code, built


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, published (with its trees, beside it), HTML and search index."""
    out = tmp_path_factory.mktemp("published") / "site"
    args = ["build", "--out", str(out), "--today", TODAY, "--no-pdf"]
    assert main([*args, "--cache", str(out.parent / "cache")]) == 0
    return out


@pytest.mark.parametrize("case", [c for c in EDITS if c.exit_code], ids=lambda c: c.id)
def test_check_and_build_report_the_same_for_every_bad_input(
    case: Any, content: Path, tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same problems, word for word; the build holds the bad file back (it was never
    published: it stays absent) and the published site stays as it was, byte for byte."""
    shutil.copytree(published.parent, tmp_path / "published", symlinks=True)
    out = tmp_path / "published/site"
    before = tree_snapshot(out)
    case.edit(content)
    code, checked, built_code, built = _check_then_build(content, out, capsys)
    assert code == built_code == 1
    assert _problems(checked) == _problems(built), (checked, built)
    assert f"{content.as_posix()}/{NAME}" in checked
    assert "höll tillbaka" in built and f"{content.as_posix()}/{NAME}:" in built
    assert tree_snapshot(out) == before


@pytest.mark.parametrize("case", EXTRA, ids=lambda c: c.id)
def test_addresses_and_images_are_checked_before_rendering(
    case: Case, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case.edit(content)
    code, checked, built_code, built = _check_then_build(content, tmp_path / "site", capsys)
    assert code == built_code == 1, checked
    assert _problems(checked) == _problems(built)
    lines = _problems(checked)
    for expected in case.expected:
        text = expected.replace("{content}", content.as_posix())
        if "{line}" in text:  # the line of the image: after the front matter
            head, tail = text.split("{line}")
            assert any(line.startswith(head) and line.endswith(tail) for line in lines), lines
            number = next(line for line in lines if line.startswith(head))[len(head) :]
            assert int(number.split(":")[0]) > 1
        else:
            assert text in lines, lines
    assert "höll tillbaka" in built  # the files with errors; the rest is published
    assert (tmp_path / "site/index.html").is_file()
    assert not (tmp_path / "site" / case.absent).exists()


def test_two_pictures_for_one_address_name_both(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_images_one_address(content)
    code, checked, built_code, built = _check_then_build(content, tmp_path / "site", capsys)
    assert code == built_code == 1, checked
    assert _problems(checked) == _problems(built)
    refused = [line for line in _problems(checked) if "[image]" in line]
    assert len(refused) == 1, refused
    assert "/protokoll/styrelsen/karta.png" in refused[0]
    assert "tidigare/2023-09-13.md:" in refused[0]
    assert "2022-05-11.md" in refused[0].split("error:")[1]


def test_a_build_stopped_by_its_content_touches_neither_tree(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error in site.yaml stops the whole build: the published tree, the one the next build
    writes, and their manifests stay byte for byte as they were (the next build still writes
    only what changed). An error in one file holds back only that file (test_holding_back)."""
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--today", "2024-01-01"]
    args += ["--html-only", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    trees = tmp_path / ".site.trees"
    before = tree_snapshot(trees)
    assert {"a.manifest", "b.manifest"} <= set(before)
    settings = content / "site.yaml"  # an error of the whole site: nothing is built
    settings.write_text(settings.read_text("utf-8") + "\nokänd_nyckel: 1\n")
    assert main(args) == 1
    assert "Inget byggdes" in capsys.readouterr().err
    assert tree_snapshot(trees) == before


def test_two_builds_in_one_process_make_what_two_processes_make(
    content: Path, tmp_path: Path
) -> None:
    """Different content, one process, one after the other (caches of their own): the same
    bytes as separate processes, so nothing of the first build leaks into the second."""
    other = tmp_path / "other"
    shutil.copytree(content, other)
    protocol = other / "protocols/styrelsen/2023-09-13.md"
    protocol.write_text(protocol.read_text("utf-8").replace("Val av justerare", "Val av två"))
    (other / "plans/verksamhetsplan-2019.md").unlink()
    today = date(2023, 9, 25)
    for name, folder in (("first", content), ("second", other)):
        options = Options(
            content=folder,
            out=tmp_path / "in-process" / name,
            today=today,
            cache=tmp_path / "cache" / name,
        )
        assert build_into_folder(options, html_only=True).ok
    for name, folder in (("first", content), ("second", other)):
        out = tmp_path / "processes" / name
        command = [sys.executable, str(ROOT / "build.py"), "build", "--html-only", "--no-cache"]
        command += ["--content", str(folder), "--out", str(out), "--today", today.isoformat()]
        assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
        assert site_snapshot(tmp_path / "in-process" / name) == site_snapshot(out), name
    assert site_snapshot(tmp_path / "processes/first") != site_snapshot(
        tmp_path / "processes/second"
    )
