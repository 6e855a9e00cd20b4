"""The command line, the README's promises, and properties of the whole build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, TODAY, run_build_py, tree_snapshot

from justerat.reading import frontmatter


@pytest.mark.parametrize("command", [[], ["check"], ["build"]])
def test_help_for_every_command(command: list[str]) -> None:
    result = run_build_py(*command, "--help")
    assert result.returncode == 0
    assert "--content" in result.stdout or "check" in result.stdout
    if command == ["build"]:
        for option in ("--content", "--out", "--templates", "--drafts"):
            assert option in result.stdout


def test_unknown_command_exits_2() -> None:
    result = run_build_py("publish")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_console_script_runs_the_same_commands(tmp_path: Path) -> None:
    script = Path(ROOT / ".venv/bin/justerat")
    if not script.exists():
        pytest.skip("the console script is installed by ./setup.sh")
    result = subprocess.run(
        [script, "check", "--today", TODAY], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stderr.strip().endswith("0 fel, 4 varningar")


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2
    assert "build.py build" in commands[0]
    ci = (ROOT / ".ci/run").read_text("utf-8").strip().splitlines()[-1]
    assert ci == commands[1]


def test_every_schema_field_is_documented() -> None:
    docs = (ROOT / "docs/format.md").read_text("utf-8")

    def fields(node: dict, found: set[str]) -> set[str]:
        for name, sub in node.get("properties", {}).items():
            found.add(name)
            fields(sub, found)
        for sub in node.get("$defs", {}).values():
            fields(sub, found)
        if isinstance(node.get("additionalProperties"), dict):
            fields(node["additionalProperties"], found)
        return found

    for kind in frontmatter.SCHEMAS:
        for name in sorted(fields(frontmatter.schema(kind), set())):
            assert re.search(rf"\b{name}:", docs), f"{kind}: field '{name}' not in docs/format.md"


def test_every_command_line_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in ("check", "build"):
        help_text = run_build_py(command, "--help").stdout
        for option in set(re.findall(r"--[a-z-]+", help_text)) - {"--help"}:
            assert f"`{option}" in readme, option


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_build_py("build", "--out", str(out), "--today", "2024-01-01")
        assert result.returncode == 0, result.stderr
    assert tree_snapshot(first) == tree_snapshot(second)


def test_drafts_are_left_out_unless_asked_for(content: Path, tmp_path: Path) -> None:
    draft = (
        (FIXTURES / "minimal.md").read_text("utf-8").replace("status: justerat", "status: draft")
    )
    (content / "protocols/styrelsen/2024-03-06.md").write_text(draft, "utf-8")
    public, preview = tmp_path / "public", tmp_path / "preview"

    assert run_build_py("build", "--content", str(content), "--out", str(public)).returncode == 0
    assert not (public / "protokoll/styrelsen/2024-03-06").exists()
    assert not (public / "protokoll/styrelsen/2024").exists()
    for file in public.rglob("*.html"):
        html = file.read_text("utf-8")
        assert "2024-03-06" not in html and "6 mars 2024" not in html, file
        assert "UTKAST" not in html and "noindex" not in html

    result = run_build_py("build", "--content", str(content), "--out", str(preview), "--drafts")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(
        (preview / "protokoll/styrelsen/2024-03-06/index.html").read_text("utf-8"), "html.parser"
    )
    assert page.select_one(".draft-mark").get_text(strip=True) == "UTKAST — ej justerat"
    listing = (preview / "protokoll/styrelsen/index.html").read_text("utf-8")
    assert "2024-03-06/" in listing and "Utkast" in listing
    for file in preview.rglob("*.html"):
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        assert soup.select_one(".preview-banner"), file
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    css = (preview / "assets/style.css").read_text("utf-8")
    assert re.search(
        r"@media print[^@]*\.is-draft::before \{ content: \"UTKAST — ej justerat\"", css
    )


def test_a_site_owner_can_change_the_templates(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    base = templates / "base.html"
    base.write_text(
        base.read_text("utf-8").replace(
            "offentligt arkiv över protokoll och planer", "Kontakta kansliet på 08-123 45 67"
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    result = run_build_py("build", "--templates", str(templates), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Kontakta kansliet på 08-123 45 67" in (out / "index.html").read_text("utf-8")


def test_a_broken_template_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    year = templates / "year.html"
    year.write_text(year.read_text("utf-8").replace("{% endblock %}", "{% endblok %}", 1), "utf-8")
    out = tmp_path / "out"
    result = run_build_py("build", "--templates", str(templates), "--out", str(out))
    assert result.returncode == 1
    assert re.search(r"templates/year\.html:\d+: error: mallen kan inte läsas", result.stderr)
    assert not out.exists()


def test_build_reports_its_timings_per_stage(tmp_path: Path) -> None:
    result = run_build_py("build", "--out", str(tmp_path / "site"), "--timings")
    assert result.returncode == 0, result.stderr
    stages = re.findall(r"^  (\S.*?)\s+(\d+\.\d\d) s$", result.stderr, re.MULTILINE)
    names = [name for name, _ in stages]
    assert names == ["läsa och kontrollera", "PDF", "HTML", "sökindex", "skriva", "totalt"]
    total = float(stages[-1][1])
    assert abs(sum(float(s) for _, s in stages[:-1]) - total) < 0.05


def test_import_command_writes_protocols_that_pass_check(content: Path, tmp_path: Path) -> None:
    from conftest import SEEDS

    out = content / "protocols"
    shutil.rmtree(out / "styrelsen")
    seed = SEEDS / "001_a4d7043a999553f5.txt"
    result = run_build_py("import", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = out / "styrelsen/2023-09-13.md"
    assert f"{seed.as_posix()} → {written.as_posix()}" in result.stderr
    assert re.search(rf"{re.escape(seed.as_posix())}:\d+: warning: ", result.stderr)  # with lines
    checked = run_build_py("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr
    again = run_build_py("import", str(seed), "--out", str(out))
    assert again.returncode == 1 and "finns redan; ange --force" in again.stderr


def test_no_pdf_builds_the_pages_and_the_search_index_without_pdfs(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build_py("build", "--no-pdf", "--out", str(out), "--today", "2024-01-01")
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.pdf"))
    assert (out / "sok/index/manifest.json").is_file()
    page = (out / "protokoll/styrelsen/2023-09-13/index.html").read_text("utf-8")
    assert ".pdf" not in page  # no link to a PDF that is not there


def test_a_missing_templates_folder_is_found_before_any_work(tmp_path: Path) -> None:
    """Run from another folder without --templates: said at once, and nothing is built."""
    result = run_build_py(
        "build",
        "--content",
        str(ROOT / "content"),
        "--out",
        str(tmp_path / "site"),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "templates: error: mallmappen templates finns inte" in result.stderr
    assert "Inget byggdes" in result.stderr and not (tmp_path / "site").exists()
