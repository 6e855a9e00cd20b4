"""The site as a kommun serves it: deploy/nginx.conf in Debian's nginx and deploy/Caddyfile in
Debian's Caddy (each started here on a free port, with the example kommun's built site as its
root), their headers, types, caching, 404 page and precompressed copies, and Chromium through
each with the CSP in force; deploy/nginx-tls.conf passes `nginx -t` and serves the same site with
HSTS. ./setup.sh --dev installs nginx, its brotli module and Caddy; without them these tests
fail, never skip."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, run_build_py
from test_browser_a11y import KOMMUN_TODAY, read_on

PLAIN = ROOT / "deploy/nginx.conf"
CADDYFILE = ROOT / "deploy/Caddyfile"
TLS = ROOT / "deploy/nginx-tls.conf"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
SETUP = "run ./setup.sh --dev (it installs Debian's nginx, libnginx-mod-http-brotli-static, caddy)"

PROTOCOL = "protokoll/kommunfullmaktige/2026-11-16/"
PAGES = {
    "home page": "",
    "protocol": PROTOCOL,
    "anslagstavla": "anslagstavla/",
    "search with a query": "sok/?q=bastu",
    "meeting": "sammantraden/kommunfullmaktige/2026-11-16/",
}


@pytest.fixture(scope="module")
def kommun_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example kommun, built once (with its PDFs) for the day it is written for."""
    out = tmp_path_factory.mktemp("kommun") / "site"
    result = run_build_py(
        "build", "--content", str(ROOT / "examples/kommun"), "--out", str(out), "--today", KOMMUN_TODAY
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def nginx() -> str:
    found = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if found is None or not BROTLI.is_file():
        pytest.fail(f"nginx or its brotli_static module is missing: {SETUP}")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def self_signed(folder: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A throwaway certificate for ``name`` and its key, made by openssl in ``folder``:
    (key, certificate)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         f"/CN={name}", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return key, cert


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not once in the config"
    return text.replace(old, new)


def main_config(folder: Path, server: Path) -> Path:
    """nginx's main configuration as Debian's has it (the brotli module loaded, mime.types),
    but everything it writes in ``folder``, so that it runs anywhere; around ``server``."""
    config = folder / "nginx.conf"
    temporary = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config.write_text(
        f"load_module {BROTLI};\n"
        + ("user root;\n" if os.geteuid() == 0 else "")  # the test's folders are its own
        + f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nworker_processes 1;\n"
        + "events { worker_connections 64; }\n"
        + "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        + f"    access_log {folder}/access.log;\n{temporary}\n    include {server};\n}}\n"
    )
    return config


def check(config: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [nginx(), "-t", "-q", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def started(config: Path, folder: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """nginx in the foreground on ``port``, until the test is done."""
    tested = check(config, folder)
    assert tested.returncode == 0, tested.stderr
    yield from running(
        [nginx(), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config),
         "-g", "daemon off;"],
        port,
    )  # fmt: skip


def caddy_started(caddyfile: Path, folder: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Caddy in the foreground on ``port`` (its admin endpoint off, its state in ``folder``),
    until the test is done."""
    found = shutil.which("caddy")
    if found is None:
        pytest.fail(f"caddy is missing: {SETUP}")
    own = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    own["XDG_CONFIG_HOME"] = str(folder)
    command = [found, "run", "--config", str(caddyfile), "--adapter", "caddyfile"]
    yield from running(command, port, own)


def running(
    command: list[str], port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """The server ``command`` starts, once its port is open; stopped when the test is done."""
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: a chatty server never blocks
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=said, env=env)
        try:
            deadline = time.monotonic() + 10
            while True:
                if process.poll() is not None:
                    said.seek(0)
                    pytest.fail(f"{command[0]} stopped: {said.read().decode()}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"{command[0]} did not open its port"
                    time.sleep(0.05)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def served(
    kommun_site: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[int]:
    """deploy/nginx.conf in nginx, or deploy/Caddyfile in Caddy, serving the example kommun;
    its port."""
    folder = tmp_path_factory.mktemp(request.param)
    port = free_port()
    if request.param == "caddy":
        text = CADDYFILE.read_text("utf-8")
        text = replaced(text, "http://arkiv.kommun.se:80 {", f"http://127.0.0.1:{port} {{")
        text = replaced(text, "root * /var/www/justerat/site", f"root * {kommun_site.resolve()}")
        # a server of its own for the test: no admin endpoint (another test's Caddy has one)
        (folder / "Caddyfile").write_text("{\n\tadmin off\n\tauto_https off\n}\n" + text)
        yield from (port for _ in caddy_started(folder / "Caddyfile", folder, port))
        return
    server = PLAIN.read_text("utf-8")
    server = replaced(server, "root /var/www/justerat/site;", f"root {kommun_site.resolve()};")
    server = replaced(server, "    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
    server = replaced(server, "    listen [::]:80;\n", "")
    (folder / "site.conf").write_text(server)
    yield from (port for _ in started(main_config(folder, folder / "site.conf"), folder, port))


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    """The response, its body read and not decoded (as the server sent it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def test_every_response_has_the_security_headers(served: int) -> None:
    for path in ("/", f"/{PROTOCOL}", "/assets/style.css", "/finns-inte/"):
        response = get(served, path)
        csp = response.getheader("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
        assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin", path
        assert "camera=()" in response.getheader("Permissions-Policy", ""), path
        assert response.getheader("Strict-Transport-Security") is None, path  # port 80: no HSTS
        assert response.getheader("Server") in ("nginx", None), path  # no version (or none)


def test_pages_are_revalidated_and_assets_cached(served: int, kommun_site: Path) -> None:
    assert get(served, "/").getheader("Cache-Control") == "no-cache"
    assert get(served, f"/{PROTOCOL}").getheader("Cache-Control") == "no-cache"
    # the assets the pages name carry their digest: a year; under their plain names, ten minutes
    html = get(served, "/").body.decode("utf-8")  # type: ignore[attr-defined]
    named = re.findall(r'(?:href|src)="(assets/[^"]+)"', html)
    assert {n.rsplit(".", 2)[0] for n in named} >= {"assets/style", "assets/logo"}
    for name in named:
        assert re.fullmatch(r"assets/[a-z-]+\.[0-9a-f]{12}\.(css|js|svg)", name), name
        response = get(served, "/" + name)
        assert response.status == 200, name
        assert response.getheader("Cache-Control") == "max-age=31536000, immutable", name
        data = (kommun_site / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:12] == name.rsplit(".", 2)[1]
    assert get(served, "/assets/style.css").getheader("Cache-Control") == "max-age=600"
    assert get(served, "/sok/index/manifest.json").getheader("Cache-Control") == "no-cache"
    segment = next(p for p in (kommun_site / "sok/index").iterdir() if p.is_dir())
    shard = get(
        served, f"/sok/index/{segment.name}/docs.json.gz", **{"Accept-Encoding": "gzip, br"}
    )
    assert shard.getheader("Cache-Control") == "max-age=31536000, immutable"
    # gzip bytes that the search's script unpacks: not announced as an encoding
    assert shard.getheader("Content-Type") == "application/octet-stream"
    assert shard.getheader("Content-Encoding") is None
    assert shard.body == (segment / "docs.json.gz").read_bytes()  # type: ignore[attr-defined]


def test_the_types(served: int, kommun_site: Path) -> None:
    pdf = next(kommun_site.rglob("*.pdf")).relative_to(kommun_site).as_posix()
    expected = {
        "/": "text/html; charset=utf-8",
        "/sammantraden/kalender.ics": "text/calendar; charset=utf-8",
        "/data/index.json": "application/json; charset=utf-8",
        f"/{pdf}": "application/pdf",
        "/anslagstavla/anslag.xml": "application/atom+xml; charset=utf-8",
        "/forfattningssamling/nya.xml": "application/atom+xml; charset=utf-8",
        "/sitemap.xml": "text/xml; charset=utf-8",
        "/assets/sok.js": "application/javascript; charset=utf-8",
        "/assets/style.css": "text/css; charset=utf-8",
        "/favicon.ico": "image/x-icon",
        "/favicon.svg": "image/svg+xml; charset=utf-8",
        "/apple-touch-icon.png": "image/png",
    }
    for path, content_type in expected.items():
        response = get(served, path)
        assert response.status == 200, path
        assert response.getheader("Content-Type") == content_type, path


def test_an_unknown_address_gets_the_sites_404_page(served: int, kommun_site: Path) -> None:
    response = get(served, "/protokoll/finns-inte/")
    assert response.status == 404
    assert response.body == (kommun_site / "404.html").read_bytes()  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"


@pytest.mark.parametrize(
    "path", ["/", f"/{PROTOCOL}", "/assets/sok-index.js", "/sammantraden/kalender.ics"]
)
def test_precompressed_copies_are_sent_to_who_accepts_them(
    served: int, kommun_site: Path, path: str
) -> None:
    file = kommun_site / path.lstrip("/")
    file = file / "index.html" if path.endswith("/") else file
    plain = get(served, path)
    assert plain.getheader("Content-Encoding") is None
    assert plain.body == file.read_bytes()  # type: ignore[attr-defined]
    zipped = get(served, path, **{"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert zipped.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(zipped.body) == file.read_bytes()  # type: ignore[attr-defined]
    assert zipped.getheader("Content-Type") == plain.getheader("Content-Type")
    squeezed = get(served, path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.getheader("Content-Encoding") == "br"
    assert brotli.decompress(squeezed.body) == file.read_bytes()  # type: ignore[attr-defined]
    assert len(squeezed.body) < len(zipped.body) < len(plain.body)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_chromium_through_nginx_sees_no_csp_violation(browser, served: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    read_on(page, KOMMUN_TODAY)
    said: list[str] = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda exc: said.append(f"pageerror: {exc}"))
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(f"http://127.0.0.1:{served}/{PAGES[kind]}")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if kind == "search with a query":
        page.wait_for_function(
            "() => document.getElementById('status').textContent.includes('träff')"
        )
        status = page.locator("#status").inner_text()
        assert "Inga träffar" not in status, status
        assert page.locator("#traffar li a").count() > 0
    else:
        page.wait_for_load_state("load")
    violations = page.evaluate("window.__violations")
    context.close()
    assert violations == []
    assert [
        line for line in said if "Content Security Policy" in line or line.startswith("pageerror")
    ] == []


def test_both_deploy_configs_pass_nginx_t(tmp_path: Path) -> None:
    assert "Strict-Transport-Security" not in PLAIN.read_text("utf-8")
    tls = TLS.read_text("utf-8")
    assert "Strict-Transport-Security" in tls
    # the TLS variant is the same site: every line of the plain one's server, but its listen
    plain = PLAIN.read_text("utf-8").split("server {\n", 1)[1]
    for line in plain.splitlines():
        if line.strip() and "listen" not in line:
            assert line in tls, line
    key, cert = self_signed(tmp_path, "arkiv.kommun.se")
    for name, text in (("plain.conf", PLAIN.read_text("utf-8")), ("tls.conf", tls)):
        text = text.replace("/etc/ssl/certs/arkiv.kommun.se.pem", str(cert))
        text = text.replace("/etc/ssl/private/arkiv.kommun.se.key", str(key))
        text = text.replace("listen 443 ", f"listen 127.0.0.1:{free_port()} ")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
        text = text.replace("listen [::]:443 ssl http2;\n", "").replace("listen [::]:80;\n", "")
        (tmp_path / name).write_text(text)
        tested = check(main_config(tmp_path, tmp_path / name), tmp_path)
        assert tested.returncode == 0, f"{name}: {tested.stderr}"


def test_the_tls_variant_serves_with_hsts(kommun_site: Path, tmp_path: Path) -> None:
    key, cert = self_signed(tmp_path)
    port, other = free_port(), free_port()
    text = TLS.read_text("utf-8")
    text = replaced(text, "root /var/www/justerat/site;", f"root {kommun_site.resolve()};")
    text = replaced(text, "/etc/ssl/certs/arkiv.kommun.se.pem", str(cert))
    text = replaced(text, "/etc/ssl/private/arkiv.kommun.se.key", str(key))
    text = replaced(
        text, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{port} ssl http2;\n"
    )
    text = replaced(text, "    listen 80;\n", f"    listen 127.0.0.1:{other};\n")
    text = text.replace("    listen [::]:443 ssl http2;\n", "").replace("    listen [::]:80;\n", "")
    (tmp_path / "tls.conf").write_text(text)
    for _ in started(main_config(tmp_path, tmp_path / "tls.conf"), tmp_path, port):
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=insecure)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
        assert "script-src 'self'" in response.getheader("Content-Security-Policy", "")
        connection.close()
        redirect = http.client.HTTPConnection("127.0.0.1", other, timeout=10)
        redirect.request("GET", "/protokoll/")
        moved = redirect.getresponse()
        assert moved.status == 301
        assert moved.getheader("Location", "").startswith("https://")
        redirect.close()
