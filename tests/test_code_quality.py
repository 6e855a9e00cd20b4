"""The project's own lint and type checks, so CI keeps them green."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--no-cache", "--check", "."],
        ["mypy", "--cache-dir", "{tmp}"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str], tmp_path: Path) -> None:
    """Each tool over the repository, its cache kept out of it."""
    tool = shutil.which(command[0], path=str(ROOT / ".venv/bin")) or shutil.which(command[0])
    if tool is None:
        pytest.skip(f"{command[0]} is installed by ./setup.sh --dev")
    result = subprocess.run(
        [sys.executable, "-m", command[0], *(a.format(tmp=tmp_path) for a in command[1:])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
