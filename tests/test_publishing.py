"""Publishing safely: paragraphs kept off the web, the office's full version, withdrawal, the
build lock, and a build killed half-way."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, leftovers, run_build_py, site_snapshot, site_snapshot_of, tree_snapshot
from pypdf import PdfReader

from justerat.publishing.publish import build_lock

SECRET = "Ledamöterna får möjlighet att anmäla övriga ärenden."  # § 2 of 13 September 2023


def hide_paragraph_2(content: Path) -> Path:
    protocol = content / "protocols/styrelsen/2023-09-13.md"
    text = protocol.read_text("utf-8")
    protocol.write_text(
        text.replace(
            "\n---\n", "\nnot_for_web:\n  - paragraph: 2\n    reason: Personärende\n---\n", 1
        ),
        "utf-8",
    )
    return protocol


def every_text(out: Path) -> str:
    texts = []
    for path in sorted(out.rglob("*")):
        if path.suffix in {".html", ".json", ".xml", ".txt"}:
            texts.append(path.read_text("utf-8"))
        elif path.suffix == ".pdf":
            texts.extend(page.extract_text() or "" for page in PdfReader(path).pages)
    return "\n".join(texts)


def test_a_paragraph_kept_off_the_web(content: Path, tmp_path: Path) -> None:
    hide_paragraph_2(content)
    public = tmp_path / "public"
    result = run_build_py("build", "--content", str(content), "--out", str(public))
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(
        (public / "protokoll/styrelsen/2023-09-13/index.html").read_text(), "html.parser"
    )
    assert " ".join(page.select_one("#paragraf-2").get_text().split()).startswith(
        "§ 2 Utgår i webbversionen"
    )
    assert "§ 2 utgår i webbversionen." in page.select_one("#paragraf-2").get_text()
    assert SECRET not in every_text(public)  # pages, PDFs, open data, feed, sitemap
    assert not list(public.rglob("*2023-09-13-paragraf-2.pdf"))  # no extract of it
    data = json.loads((public / "data/protokoll/styrelsen/2023-09-13.json").read_text())
    assert data["agendaItems"][1]["name"] == "Utgår i webbversionen"
    pdf_text = " ".join(
        p.extract_text()
        for p in PdfReader(
            public / "protokoll/styrelsen/2023-09-13/protokoll-styrelsen-2023-09-13.pdf"
        ).pages
    )
    assert "§ 2 utgår i webbversionen." in " ".join(pdf_text.split())

    full = tmp_path / "kansliet"
    result = run_build_py("build", "--content", str(content), "--out", str(full), "--full")
    assert result.returncode == 0, result.stderr
    full_page = (full / "protokoll/styrelsen/2023-09-13/index.html").read_text("utf-8")
    assert SECRET in full_page and "Fullständig version för kansliet" in full_page
    assert (full / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert list(full.rglob("*2023-09-13-paragraf-2.pdf"))


def test_the_full_version_never_lands_in_a_public_folder(content: Path, tmp_path: Path) -> None:
    public = tmp_path / "public"
    assert run_build_py("build", "--content", str(content), "--out", str(public)).returncode == 0
    before = tree_snapshot(public)
    result = run_build_py("build", "--content", str(content), "--out", str(public), "--full")
    assert result.returncode == 1
    assert (
        "innehåller den publika webbplatsen; den fullständiga versionen för kansliet byggs i en egen mapp"
        in result.stderr
    )
    assert tree_snapshot(public) == before
    default = run_build_py(
        "build",
        "--content",
        str(content),
        "--templates",
        str(ROOT / "templates"),
        "--full",
        cwd=tmp_path,
    )
    assert default.returncode == 1 and "får inte byggas i site/" in default.stderr
    full = tmp_path / "full"
    assert (
        run_build_py("build", "--content", str(content), "--out", str(full), "--full").returncode
        == 0
    )
    back = run_build_py("build", "--content", str(content), "--out", str(full))
    assert (
        back.returncode == 1 and "innehåller den fullständiga versionen för kansliet" in back.stderr
    )


def test_a_withdrawn_protocol_leaves_every_public_output(content: Path, tmp_path: Path) -> None:
    protocol = content / "protocols/styrelsen/2023-09-13.md"
    protocol.write_text(
        protocol.read_text("utf-8").replace(
            "\n---\n",
            "\nwithdrawn:\n  date: 2026-11-20\n  reason: Publicerades med fel bilaga.\n---\n",
            1,
        ),
        "utf-8",
    )
    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--today", "2023-09-25"
    )
    assert result.returncode == 0, result.stderr
    assert not (out / "protokoll/styrelsen/2023-09-13").exists()
    # the kallelse is a document of its own, published before the meeting: it stays, and says
    # the protocol was taken off the web, without a link to it
    meeting = out / "sammantraden/styrelsen/2023-09-13"
    assert [p for p in out.rglob("*2023-09-13*") if meeting not in (p, *p.parents)] == []
    kallelse = BeautifulSoup((meeting / "index.html").read_text("utf-8"), "html.parser")
    assert not [a for a in kallelse.select("a") if "protokoll/styrelsen/2023" in a["href"]]
    assert "Protokollet har tagits bort från webbplatsen" in kallelse.get_text()
    # the home page lists the meeting, whose kallelse stays, but not the protocol
    assert "protokoll/styrelsen/2023-09-13" not in (out / "index.html").read_text("utf-8")
    for name in (
        "protokoll/styrelsen/index.html",
        "data/index.json",
        "anslagstavla/anslag.xml",
        "oppna-data/index.html",
        "oppna-data/styrelsen/index.html",
    ):
        assert "2023-09-13" not in (out / name).read_text("utf-8"), name
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "protokoll/styrelsen/2023-09-13" not in sitemap
    board = BeautifulSoup((out / "anslagstavla/index.html").read_text(), "html.parser")
    item = board.select_one("#aktuella li")  # the notice is still up, as the law requires
    assert item["data-posted"] == "2023-09-22"
    assert item.select("a") == []
    assert (
        "Protokollet togs bort från webbplatsen 20 november 2026: Publicerades med fel bilaga."
        in " ".join(item.get_text().split())
    )


def test_two_builds_at_once_the_second_refuses(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build_py("build", "--out", str(out)).returncode == 0
    before = tree_snapshot(out)
    with build_lock(out):
        second = run_build_py("build", "--out", str(out))
    assert second.returncode == 1
    assert f"en annan bygg skriver redan till {out}; vänta tills den är klar" in second.stderr
    assert tree_snapshot(out) == before


@pytest.mark.parametrize("after", [0.5, 1.5, 3.0])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_killed_half_way_leaves_the_old_site(
    tmp_path: Path, after: float, how: int
) -> None:
    out = tmp_path / "site"
    assert run_build_py("build", "--out", str(out), "--today", "2024-01-01").returncode == 0
    before = tree_snapshot(out)
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--out",
            str(out),
            "--no-cache",
            "--today",
            "2024-02-01",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)
    process.send_signal(how)
    process.wait(timeout=60)
    now = tree_snapshot(out)
    assert now == before or process.returncode == 0  # the old site, or the whole new one
    again = run_build_py("build", "--out", str(out), "--today", "2024-01-01")
    assert again.returncode == 0, again.stderr
    assert site_snapshot(out) == site_snapshot_of(before)  # the log has one entry more
    assert leftovers(tmp_path) == []


def _descendants(pid: int) -> set[int]:
    """Every process started by ``pid`` or by one of its own, as Linux lists them now."""
    found: set[int] = set()
    parents = [pid]
    while parents:
        for task in Path(f"/proc/{parents.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            parents += children - found
            found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent has not been told


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="PDFs are printed in processes on 2+ cores")
def test_a_build_killed_while_printing_leaves_no_worker_behind(tmp_path: Path) -> None:
    """The PDF printers run in a pool of their own (a server process and its workers): when
    the build is killed, they end too, instead of printing on for nobody."""
    args = ["build", "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "cache")]
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *args, "--today", "2024-01-01"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 3 and time.monotonic() < deadline and process.poll() is None:
        workers = {p for p in _descendants(process.pid) if _alive(p)}  # server and printers
        time.sleep(0.05)
    assert len(workers) >= 3, "the build printed its 25 PDFs without a pool of processes"
    process.kill()
    process.wait(timeout=60)
    deadline = time.monotonic() + 20
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)]


def test_a_published_file_changed_by_hand_is_put_back_by_the_next_build(tmp_path: Path) -> None:
    """The no-op check looks at the published files too (size, modification time, inode): a
    page edited in place (its link in the other tree is the same file), a page removed and a
    file added by hand are put back by the next plain build, which says so (on a copy of the
    example kommun)."""
    content = tmp_path / "kommun"
    shutil.copytree(ROOT / "examples/kommun", content)
    out = tmp_path / "site"
    build = ["build", "--content", str(content), "--out", str(out), "--no-pdf"]
    assert run_build_py(*build).returncode == 0
    before = tree_snapshot(out)
    page = out / "protokoll/index.html"
    with page.open("ab") as edited:  # in place: the same inode, in both trees
        edited.write(b"<p>Tillagt av n\xc3\xa5gon</p>")
    (out / "index.html").unlink()
    (out / "hemlig.html").write_text("<p>inte från Justerat</p>")
    assert run_build_py("verify", str(out)).returncode != 0
    again = run_build_py(*build)
    assert again.returncode == 0, again.stderr
    assert "Inget har ändrats" not in again.stderr
    for said in (
        f"{out.as_posix()}/protokoll/index.html: warning: ändrad efter publiceringen; återställd",
        f"{out.as_posix()}/index.html: warning: borttagen efter publiceringen; återställd",
        f"{out.as_posix()}/hemlig.html: warning: tillagd efter publiceringen",
    ):
        assert said in again.stderr
    assert tree_snapshot(out) == before
    verified = run_build_py("verify", str(out))
    assert verified.returncode == 0, verified.stdout
    # and it stays put back: the next builds (into the other tree, then this one) neither
    # bring the edit back nor publish the added file again
    (content / "site.yaml").touch()
    for _ in range(2):
        later = run_build_py(*build)
        assert later.returncode == 0 and "efter publiceringen" not in later.stderr
        assert tree_snapshot(out) == before
    # a file whose bytes are the same but whose modification time changed is read, and left
    os.utime(page)
    touched = run_build_py(*build)
    assert touched.returncode == 0 and "efter publiceringen" not in touched.stderr


def test_an_unchanged_rebuild_keeps_every_file_and_its_modification_time(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build = ["build", "--content", str(content), "--out", str(out)]
    first = run_build_py(*build, "--today", "2024-01-01")
    assert first.returncode == 0, first.stderr
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(0.05)
    again = run_build_py(*build, "--today", "2024-01-01")
    assert "Inget har ändrats sedan förra bygget" in again.stderr  # nothing read, nothing written
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == times
    touched = content / "site.yaml"  # the test's own copy: the repository is left alone
    os.utime(touched)  # a save without a change: the build runs, and finds nothing new
    forced = run_build_py(*build, "--today", "2024-01-01")
    assert "(0 nya eller ändrade)" in forced.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == times
    later = run_build_py(*build, "--today", "2024-02-01")
    changed = {p for p in out.rglob("*") if p.is_file() and p.stat().st_mtime_ns != times.get(p)}
    # only the board and the home page (its notices and next meetings) follow the date (a trial
    # of another day than today: no log is kept), and their precompressed copies with them
    dated = [out / "anslagstavla/index.html", out / "index.html"]
    assert changed == {p.with_name(f"index.html{s}") for p in dated for s in ("", ".gz", ".br")}
    assert "(2 nya eller ändrade)" in later.stderr
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    (out / "index.html").unlink()  # a file lost from the published folder: a full check finds it
    restored = run_build_py(*build, "--today", "2024-02-01", "--no-cache")
    assert restored.returncode == 0, restored.stderr
    # the rest is linked, not written, the search index too (made anew, to the same bytes)
    now = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert now.keys() == times.keys()
    assert {p for p in now if now[p] != times[p]} == {out / "index.html"}


def test_a_change_of_compression_level_compresses_every_copy_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The level is part of each precompressed copy's key: a site whose copies were made at
    another level (an older Justerat's brotli 11) gets every copy made anew by the next
    build, and each still unpacks to its file."""
    from datetime import date

    from justerat.build.folder import build
    from justerat.build.options import Options
    from justerat.core import files

    out = tmp_path / "site"
    options = Options(
        content=ROOT / "content", out=out, cache=tmp_path / "cache", today=date(2026, 12, 7)
    )
    with monkeypatch.context() as older:
        older.setattr(files, "LEVELS", {".gz": 9, ".br": 11})
        older.setattr(files, "COMPRESSION", "gz9-br11")
        assert build(options, pdfs=False).ok
    before = tree_snapshot(out)
    assert build(options, pdfs=False).ok
    after = tree_snapshot(out)
    assert after.keys() == before.keys()
    copies = [path for path in after if path.endswith(".br")]
    assert len(copies) > 50
    assert {path for path in after if after[path] != before[path]} <= set(copies)
    for path in copies:
        assert brotli.decompress(after[path]) == after[path.removesuffix(".br")]
    assert sum(after[p] != before[p] for p in copies) > len(copies) // 2  # made anew at 8
