"""The preview server: a real subprocess on a free port, edited content, the error page,
debounced bursts, incremental rebuilds, and live reload in a real browser."""

from __future__ import annotations

import gzip
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, ROOT, run_build_py

from justerat.app.serve import Preview
from justerat.build.options import Options

PAGE = "protokoll/styrelsen/2023-09-13/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    content: Path
    log: Path

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def wait_for(self, path: str, needle: str, timeout: float = 20) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if needle in body:
                return status, body
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared at /{path}; log:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text("utf-8")


def _as_in_a_terminal() -> None:
    """In the server's process before it starts: Ctrl-C (SIGINT) as a terminal delivers it.
    A suite started in the background of a shell inherits SIGINT ignored, and Python keeps an
    ignored SIGINT ignored: the server would not stop as the secretary's does."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def served(content: Path, tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--content",
                str(content),
                "--cache",
                str(tmp_path / "cache"),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_as_in_a_terminal,
        )
    server = Served(process, port, content, log)
    deadline = time.monotonic() + 30
    while "Förhandsvisning med utkast" not in server.output():
        assert process.poll() is None, server.output()
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.1)
    yield server
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_serves_the_site_and_new_text_after_a_save(served: Served) -> None:
    assert f"http://127.0.0.1:{served.port}/" in served.output()
    status, body = served.get(PAGE)
    assert status == 200 and "Val av justerare" in body
    assert "/livereload.js" in body  # the browser tab will reload itself
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "## § 1 Val av justerare",
        "## § 1 Val av justerare och protokollförare",
    )
    status, body = served.wait_for(PAGE, "Val av justerare och protokollförare")
    assert status == 200


def _indexed(served: Served) -> set[str]:
    """Every word of the preview's search index, read from its vocabulary files."""
    with urllib.request.urlopen(served.url("sok/index/manifest.json"), timeout=10) as response:
        manifest = json.loads(response.read())
    words: set[str] = set()
    for segment in manifest["segments"]:
        for i in range(len(segment["vocabulary"])):
            file = served.url(f"sok/index/{segment['id']}/v{i}.json.gz")
            with urllib.request.urlopen(file, timeout=10) as response:
                words |= set(json.loads(gzip.decompress(response.read())))
    return words


def test_the_preview_searches_what_the_secretary_writes(served: Served) -> None:
    """The preview has the search index too, drafts included (a preview's index is never
    published), and a save updates it."""
    assert "protokollförare" not in _indexed(served)
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "## § 1 Val av justerare",
        "## § 1 Val av justerare och protokollförare",
    )
    served.wait_for(PAGE, "Val av justerare och protokollförare")
    assert "protokollförare" in _indexed(served)


def test_a_broken_file_shows_the_problem_then_recovers(served: Served) -> None:
    protocol = served.content / "protocols/styrelsen/2023-09-13.md"
    good = protocol.read_text("utf-8")
    protocol.write_text(good.replace("date: 2023-09-13", "date: 2023-09-31", 1), "utf-8")
    expected = (
        f"{protocol.as_posix()}:4: error: 'date': '2023-09-31' är inget riktigt datum [schema]"
    )
    status, body = served.wait_for(PAGE, "inget riktigt datum")
    assert status == 500
    assert expected.replace("'", "&#x27;") in body
    check = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(served.content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert expected in check.stderr.splitlines()  # the same text as `check`
    assert expected in served.output()  # and in the terminal
    assert served.get("")[0] == 500  # every page shows it
    protocol.write_text(good, "utf-8")
    status, body = served.wait_for(PAGE, "Val av justerare")
    assert status == 200
    assert served.process.poll() is None


def test_a_burst_of_saves_is_one_rebuild(served: Served) -> None:
    protocol = served.content / "protocols/styrelsen/2023-09-13.md"
    text = protocol.read_text("utf-8")
    before = served.output().count("Byggde:")
    for n in range(6):  # an editor writing several times per save
        protocol.write_text(text.replace("Val av justerare", f"Val av justerare {n}", 1), "utf-8")
        time.sleep(0.03)
    served.wait_for(PAGE, "Val av justerare 5")
    time.sleep(1.0)
    assert served.output().count("Byggde:") - before == 1, served.output()


def test_drafts_are_shown_and_marked(served: Served) -> None:
    draft = (
        (FIXTURES / "minimal.md").read_text("utf-8").replace("status: justerat", "status: draft")
    )
    (served.content / "protocols/styrelsen/2024-03-06.md").write_text(draft, "utf-8")
    status, body = served.wait_for("protokoll/styrelsen/2024-03-06/", "UTKAST — ej justerat")
    assert status == 200 and "noindex" in body


def test_pdfs_are_made_when_opened_and_follow_the_content(served: Served) -> None:
    status, body = served.get(PAGE)
    assert "skapas när du öppnar den" in body
    pdf = PAGE + "utdrag/protokollsutdrag-styrelsen-2023-09-13-paragraf-1.pdf"
    with urllib.request.urlopen(served.url(pdf), timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        first = response.read()
    assert first.startswith(b"%PDF")
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "utsågs Ajda Asgari",
        "utsågs Ajda Asgari (nytt)",
    )
    served.wait_for(PAGE, "utsågs Ajda Asgari (nytt)")
    with urllib.request.urlopen(served.url(pdf), timeout=60) as response:
        assert response.read() != first  # never stale


def test_clean_stop_on_ctrl_c(served: Served) -> None:
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=10) == 0
    assert "Förhandsvisningen avslutad." in served.output()


def test_a_taken_port_gets_a_clear_message(served: Served) -> None:
    second = run_build_py("serve", "--port", str(served.port))
    assert second.returncode == 1
    assert f"kan inte lyssna på 127.0.0.1:{served.port}" in second.stderr
    assert "välj en annan med --port" in second.stderr


def test_the_published_site_is_never_touched(served: Served) -> None:
    site = ROOT / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")} if site.exists() else {}
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "Val av justerare",
        "Val av justerare X",
    )
    served.wait_for(PAGE, "Val av justerare X")
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*")} if site.exists() else {}
    assert before == after


# --- what a rebuild re-renders (in process) -----------------------------------------------


@pytest.fixture
def preview(content: Path, tmp_path: Path) -> Preview:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    options = Options(content=content, templates=templates, cache=tmp_path / "cache")
    made = Preview(options, today=lambda: date(2023, 9, 25))
    assert not made.rebuild().failed
    return made


def rendered(preview: Preview) -> set[str]:
    snapshot = preview.rebuild()
    assert not snapshot.failed, snapshot.problems
    assert snapshot.result is not None
    return set(snapshot.result.rendered)


def test_nothing_changed_renders_nothing(preview: Preview) -> None:
    assert rendered(preview) == set()


def test_editing_one_protocol_renders_what_depends_on_it(preview: Preview) -> None:
    protocol = preview.options.content / "protocols/styrelsen/2022-05-11.md"
    edit(protocol, "Val av justerare", "Val av justerare och rösträknare")
    assert rendered(preview) == {  # nothing that other pages show of it changed
        "protokoll/styrelsen/2022-05-11/index.html",  # its page
        "protokoll/styrelsen/2022-05-11/anslagsbevis/index.html",  # its anslagsbevis
    }
    text = protocol.read_text("utf-8")
    protocol.write_text(text + "\n## § 99 Övriga frågor\n\nInga övriga frågor.\n", "utf-8")
    assert rendered(preview) == {  # its paragraphs are listed, linked and on the board
        "protokoll/styrelsen/2022-05-11/index.html",
        "protokoll/styrelsen/2022-05-11/anslagsbevis/index.html",
        "protokoll/styrelsen/2023-09-13/index.html",  # its neighbour links to it
        "index.html",
        "protokoll/styrelsen/index.html",  # listings (not the list of bodies)
        "protokoll/styrelsen/2022/index.html",
        "oppna-data/styrelsen/index.html",  # it lists the body's protocols
        "anslagstavla/index.html",  # the notice board
    }


def test_editing_a_template_renders_the_pages_that_use_it(preview: Preview) -> None:
    plan = preview.options.templates / "plan.html"
    edit(plan, "Hela dokumentet", "Hela planen")
    assert rendered(preview) == {"planer/verksamhetsplan-2019/index.html"}
    base = preview.options.templates / "base.html"
    edit(base, "offentligt arkiv", "offentligt arkiv (ändrat)")
    assert len(rendered(preview)) == len([f for f in preview.snapshot.files if f.endswith(".html")])


def test_the_open_page_reloads_itself_in_a_real_browser(served: Served, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2023, 9, 25, 12, tzinfo=ZoneInfo("Europe/Stockholm")))
    page.goto(served.url(PAGE))
    page.wait_for_function("() => window.LiveReload !== undefined")  # the client has connected
    page.evaluate("() => { window.notReloaded = true; }")
    time.sleep(0.5)
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "## § 2 Godkännande av dagordning",
        "## § 2 Godkännande av dagordningen med tillägg",
    )
    page.wait_for_function("() => document.body.innerText.includes('med tillägg')", timeout=20000)
    assert page.evaluate("() => window.notReloaded") is None  # a fresh page, not the old one
    heading = page.locator("#paragraf-2-rubrik").inner_text()
    assert "Godkännande av dagordningen med tillägg" in heading
    # a broken save shows the problem in the same tab, and fixing it brings the page back
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "chair: Sedat Dogru",
        "chair: Sedat Dogruu",
    )
    page.wait_for_function("() => document.title.startsWith('Fel i innehållet')", timeout=20000)
    assert (
        "ordföranden Sedat Dogruu finns inte bland deltagarna"
        in page.locator("#problem").inner_text()
    )
    edit(
        served.content / "protocols/styrelsen/2023-09-13.md",
        "chair: Sedat Dogruu",
        "chair: Sedat Dogru",
    )
    page.wait_for_function(
        "() => document.querySelector('#paragraf-2-rubrik') !== null", timeout=20000
    )
    page.close()


def test_the_first_build_of_a_large_archive_uses_the_cores(tmp_path: Path) -> None:
    """The preview's first build is made before the server's threads start, in worker
    processes when the archive is large: the same site as one process makes."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    archive = tmp_path / "archive"
    generate(archive, 240)
    sites = []
    for workers in (2, 1):
        options = Options(content=archive, cache=tmp_path / f"cache{workers}", workers=workers)
        preview = Preview(options, today=lambda: date(2026, 11, 23))
        snapshot = preview.rebuild(first=True)
        assert not snapshot.failed, snapshot.problems
        sites.append(snapshot.files)
    assert len(sites[0]) > 480 and sites[0] == sites[1]
