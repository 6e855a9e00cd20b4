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


def test_the_preview_behind_nginx_refuses_who_has_no_password(tmp_path: Path) -> None:
    """deploy/nginx-preview.conf in front of a stand-in for `serve` (a plain HTTP server on
    127.0.0.1, as the preview listens): without the password, or with a wrong one, nginx
    answers 401 and forwards nothing; with it, the preview's page comes through, marked
    noindex; plain HTTP is sent to TLS."""
    import base64
    import http.client
    import http.server
    import ssl
    import threading

    from test_nginx import free_port, main_config, replaced, self_signed, started

    key, cert = self_signed(tmp_path)
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "hemligt"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (tmp_path / "htpasswd").write_text(f"sekreterare:{hashed}\n")
    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "index.html").write_text("<p>Utkast till protokoll</p>", "utf-8")
    seen: list[str] = []  # the requests that reached the preview

    class Preview(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object) -> None:
            super().__init__(*args, directory=str(tmp_path / "preview"))  # type: ignore[arg-type]

        def do_GET(self) -> None:
            seen.append(self.path)
            super().do_GET()

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Preview)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port, plain = free_port(), free_port()
    text = (DEPLOY / "nginx-preview.conf").read_text("utf-8")
    text = replaced(text, "/etc/ssl/certs/forhandsvisning.kommun.se.pem", str(cert))
    text = replaced(text, "/etc/ssl/private/forhandsvisning.kommun.se.key", str(key))
    text = replaced(
        text, "/etc/nginx/justerat-forhandsvisning.htpasswd", str(tmp_path / "htpasswd")
    )
    text = replaced(text, "http://127.0.0.1:8000", f"http://127.0.0.1:{upstream.server_port}")
    text = replaced(text, "    listen 443 ssl;\n", f"    listen 127.0.0.1:{port} ssl;\n")
    text = replaced(text, "    listen 80;\n", f"    listen 127.0.0.1:{plain};\n")
    text = text.replace("    listen [::]:443 ssl;\n", "").replace("    listen [::]:80;\n", "")
    (tmp_path / "preview.conf").write_text(text)
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE

    def get(password: str | None) -> http.client.HTTPResponse:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=insecure)
        headers = {}
        if password is not None:
            token = base64.b64encode(f"sekreterare:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        connection.request("GET", "/", headers=headers)
        response = connection.getresponse()
        response.read()
        return response

    try:
        for _ in started(main_config(tmp_path, tmp_path / "preview.conf"), tmp_path, port):
            refused, wrong, allowed = get(None), get("fel"), get("hemligt")
            assert refused.status == 401 and "Basic" in refused.getheader("WWW-Authenticate", "")
            assert wrong.status == 401
            assert allowed.status == 200
            assert allowed.getheader("X-Robots-Tag") == "noindex, nofollow"
            assert seen == ["/"]  # only the request with the password reached the preview
            redirect = http.client.HTTPConnection("127.0.0.1", plain, timeout=10)
            redirect.request("GET", "/")
            moved = redirect.getresponse()
            assert moved.status == 301 and moved.getheader("Location", "").startswith("https://")
    finally:
        upstream.shutdown()
