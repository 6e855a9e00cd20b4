"""Shared fixtures: the project, a fresh copy of the sample content, and one built site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import settings

from justerat.app.audit import CHROMIUM, CHROMIUM_ARGS  # Debian's, as granska drives it
from justerat.build.options import Made, Options, Result

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis keeps no example database (each run draws its examples anew), and what it caches
# (Unicode tables, constants) lives in the system's temporary folder, not the repository
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "justerat-hypothesis")
)
settings.register_profile("justerat", database=None)
settings.load_profile("justerat")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"  # the real documents the sample content was converted from

# Builds in the tests happen at a fixed moment (the reproducible-builds convention Justerat's
# publication log reads): noon in Sweden on ``TODAY``, the day a test's build is for, so a
# build for that day may log it; two builds of the same content at it give the same log. A
# test of the log sets its own moments.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1796641200")  # 2026-12-07 12:00 Europe/Stockholm
LOGGED = re.compile(
    rb'<p class="log-facts">.*?</p>\n?', re.S
)  # on an anslagsbevis page: the builds that showed the notice


TODAY = "2026-12-07"  # the day a test's build or check is for, when the test names none
_SESSION: dict[str, Path] = {}  # the session's temporary folders (``_session_folders``)


def run_build_py(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a user would, in ``cwd``. The test's world is its own: a
    build that names no cache keeps it in the session's temporary folder, never in the
    repository, and a build or check that names no day is for ``TODAY``, never the clock's."""
    command = list(args)
    if command[:1] in (["build"], ["serve"]) and not {"--cache", "--no-cache"} & set(command):
        command += ["--cache", str(_SESSION["cache"])]
    if command[:1] in (["build"], ["check"]) and not {"--today", "--help"} & set(command):
        command += ["--today", TODAY]
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.fixture(scope="session", autouse=True)
def _session_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    _SESSION["cache"] = tmp_path_factory.mktemp("cache")


def build_site(content: Path, out: Path, cache: Path, today: str) -> Path:
    """``build --no-pdf`` of ``content`` into ``out`` with its own cache, on the board's day
    ``today``; the output folder."""
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(cache),
        "--no-pdf", "--today", today,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


class Yaml12(yaml.SafeLoader):
    """YAML as Justerat reads it: only true and false are booleans (a vote's ``yes:`` and
    ``no:`` are keys, ``result: no`` a word)."""


Yaml12.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the shipped sample content that a test may break."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive, built once by the real command line."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_build_py("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def page(site: Path) -> Callable[[str], BeautifulSoup]:
    def load(url: str) -> BeautifulSoup:
        file = site / url / "index.html" if not url.endswith(".html") else site / url
        return BeautifulSoup(file.read_text("utf-8"), "html.parser")

    return load


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium, driven by Playwright (installed by ./setup.sh --dev)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run ./setup.sh --dev (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a folder was left untouched."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_snapshot(folder: Path) -> dict[str, bytes]:
    """The site under ``folder`` as its content makes it, to compare two builds of the same
    content with different histories: without the publication log (a record of the builds
    themselves) and what the anslagsbevis pages say of it."""
    return site_snapshot_of(tree_snapshot(folder))


def site_snapshot_of(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    """``site_snapshot`` of a ``tree_snapshot`` taken earlier."""
    return {
        path: LOGGED.sub(b"", data)
        for path, data in snapshot.items()
        if not path.startswith("anslagstavla/publiceringslogg")
    }


def leftovers(beside: Path) -> list[str]:
    """What a build left beside the output folder ``site`` other than its lock and its two
    trees (the published one and the one the next build writes)."""
    return sorted(
        p.name
        for p in beside.iterdir()
        if p.name.startswith(".site.") and p.name not in {".site.lock", ".site.trees"}
    )


def in_memory(options: Options, made: Made = Made()) -> Result:
    """The whole site built into memory, as the preview builds it (``pipeline.run`` into an
    ``InMemory`` sink), with the files in the result."""
    from dataclasses import replace

    from justerat.build import pipeline
    from justerat.core.cache import Cache
    from justerat.publishing.publish import InMemory

    sink = InMemory()
    cache = Cache(options.cache, options.content, None)
    return replace(pipeline.run(options, cache, lambda: sink, made), files=sink.files)


# No test writes into the repository: what git sees in the working tree (tracked changes,
# untracked and ignored files, but for the environments setup.sh makes and Python's bytecode)
# is the same after the session as before it.
_OWN = (".venv/", "node_modules/", "__pycache__/")


def _working_tree() -> set[str] | None:
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout
    return {line for line in status.splitlines() if not any(part in line for part in _OWN)}


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, not an xdist worker
        session.config.stash[_TREE] = _working_tree()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_TREE, None)
    after = _working_tree() if before is not None else None
    if before is not None and after is not None and after != before:
        written = "\n".join(sorted(after ^ before))
        print(f"\nThe tests wrote into the repository:\n{written}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_TREE = pytest.StashKey[set[str] | None]()
