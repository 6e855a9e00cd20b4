"""A kallelse's handlingar are shown by their ``title``, with their kind and size; a handling
without one by a readable name made of its file name. Checked on the built kallelse page (and
the open data) of a copy of the sample archive, and the schema refuses a handling it cannot
read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_build_py
from lxml import html

from justerat.domain.meetings import readable

MEETING = "meetings/styrelsen/2023-09-13.md"
PAGE = "sammantraden/styrelsen/2023-09-13/"
HANDLINGAR = """\
    handlingar:
      - handlingar/2023-09-13/tjansteskrivelse-halvarsrapport-2023.txt
      - file: handlingar/2023-09-13/rapport.txt
        title: Halvårsrapport för Samordningsförbundet Östra Södertörn
      - handlingar/2023-09-13/Bilaga_3__ekonomi-oversikt.txt
"""


@pytest.mark.parametrize(
    "name, shown",
    [
        (
            "tjansteskrivelse-regelverk-enskilda-vagar.pdf",
            "Tjansteskrivelse regelverk enskilda vagar",
        ),
        ("Bilaga_3__ekonomi-oversikt.txt", "Bilaga 3 ekonomi oversikt"),
        ("budget.2027.pdf", "Budget.2027"),
        ("karta.PNG", "Karta"),
    ],
)
def test_a_file_name_reads_as_words(name: str, shown: str) -> None:
    assert readable(name) == shown


def _content(tmp_path: Path, handlingar: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    folder = content / "meetings/styrelsen/handlingar/2023-09-13"
    (folder / "rapport.txt").write_text("Halvårsrapporten i korthet.\n", "utf-8")
    (folder / "Bilaga_3__ekonomi-oversikt.txt").write_text("Ekonomin i översikt.\n", "utf-8")
    meeting = content / MEETING
    text = meeting.read_text("utf-8")
    old = (
        "    handlingar:\n      - handlingar/2023-09-13/tjansteskrivelse-halvarsrapport-2023.txt\n"
    )
    assert old in text
    meeting.write_text(text.replace(old, handlingar), "utf-8")
    return content


def test_the_kallelse_shows_each_handling_by_its_title_or_a_readable_name(tmp_path: Path) -> None:
    content = _content(tmp_path, HANDLINGAR)
    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c"),
        "--today", "2023-09-25", "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = html.parse(str(out / PAGE / "index.html"))
    entries = page.xpath("//ul[@class='attachments']/li")
    shown = [
        (
            " ".join(li.xpath("a")[0].text_content().split()),
            li.xpath("a/@href")[0].rsplit("/", 1)[-1],
            li.xpath("span[@class='size']")[0].text_content(),
        )
        for li in entries
    ]
    assert [(text, href) for text, href, _ in shown] == [
        ("Tjansteskrivelse halvarsrapport 2023", "tjansteskrivelse-halvarsrapport-2023.txt"),
        ("Halvårsrapport för Samordningsförbundet Östra Södertörn", "rapport.txt"),
        ("Bilaga 3 ekonomi oversikt", "Bilaga_3__ekonomi-oversikt.txt"),
    ]
    for _, href, size in shown:  # the kind and the size, as before
        bytes_ = (out / PAGE / "handlingar" / href).stat().st_size
        assert size.startswith("(text, ") and size.endswith(")"), size
        assert bytes_ > 0
    data = json.loads((out / "data" / "sammantraden.json").read_text("utf-8"))
    files = [
        (f["name"], f["fileName"])
        for m in data["meetings"]
        for item in m["agendaItem"]
        for f in item.get("auxiliaryFile", [])
    ]
    assert ("Halvårsrapport för Samordningsförbundet Östra Södertörn", "rapport.txt") in files


@pytest.mark.parametrize(
    "entry",
    [
        "      - title: Utan fil\n",
        "      - file: handlingar/2023-09-13/rapport.txt\n        rubrik: Fel nyckel\n",
        "      - file: handlingar/2023-09-13/rapport.txt\n        title: ''\n",
    ],
)
def test_a_handling_the_schema_cannot_read_is_refused(tmp_path: Path, entry: str) -> None:
    content = _content(tmp_path, "    handlingar:\n" + entry)
    result = run_build_py("check", "--content", str(content))
    assert result.returncode != 0
    assert "2023-09-13.md" in result.stderr
