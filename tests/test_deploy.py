"""How an office runs Justerat (docs/drift.md, deploy/): the systemd units pass systemd's own
check, and `deploy/publish-remote.sh` puts a site on another server as one switch of a link,
with unchanged files shared with the release before (run through a stand-in for ssh that runs
the commands on this machine, so that rsync and the shell do the real work)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])


def test_the_units_are_the_ones_the_guide_names() -> None:
    guide = (ROOT / "docs" / "drift.md").read_text("utf-8")
    assert {unit.name for unit in UNITS} >= {
        "justerat-build.service",
        "justerat-build.timer",
        "justerat-build-dagtid.timer",
        "justerat-preview.service",
    }
    for unit in UNITS:
        assert f"deploy/{unit.name}" in guide, unit.name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze saknas")
def test_systemd_finds_nothing_wrong_with_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the units, with the program's path where this checkout has
    it (systemd checks that what a unit runs exists)."""
    for unit in UNITS:
        text = unit.read_text("utf-8").replace(
            "/srv/justerat/justerat/.venv/bin/python", sys.executable
        )
        (tmp_path / unit.name).write_text(text, "utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit.name) for unit in UNITS)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    said = [line for line in done.stderr.splitlines() if "justerat" in line]
    assert done.returncode == 0 and said == [], done.stderr


def test_publish_remote_switches_one_link_and_shares_unchanged_files(tmp_path: Path) -> None:
    assert shutil.which("rsync"), "rsync saknas: kör ./setup.sh --dev"
    shim = tmp_path / "bin"
    shim.mkdir()
    ssh = shim / "ssh"  # "ssh HOST COMMAND…": the command, here
    ssh.write_text('#!/bin/sh\nshift\nexec sh -c "$*"\n', "utf-8")
    ssh.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}"}
    site, server = tmp_path / "site", tmp_path / "server"
    (site / "protokoll").mkdir(parents=True)
    (site / "index.html").write_text("<p>Första</p>", "utf-8")
    (site / "protokoll" / "index.html").write_text("<p>Protokoll</p>", "utf-8")
    server.mkdir()

    def publish() -> Path:
        subprocess.run(
            [str(DEPLOY / "publish-remote.sh"), str(site), "webbserver", str(server)],
            check=True,
            env=env,
            capture_output=True,
        )
        link = server / "site"
        assert link.is_symlink()
        return link.resolve()

    first = publish()
    assert (server / "site" / "index.html").read_text("utf-8") == "<p>Första</p>"
    (site / "index.html").write_text("<p>Andra</p>", "utf-8")
    second = publish()
    assert second != first and second.parent == first.parent
    assert (server / "site" / "index.html").read_text("utf-8") == "<p>Andra</p>"
    unchanged = [release / "protokoll" / "index.html" for release in (first, second)]
    assert unchanged[0].stat().st_ino == unchanged[1].stat().st_ino  # shared, not copied
    assert not (server / "site.next").exists()
