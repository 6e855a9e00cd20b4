"""Unfinished work is an error outside drafts (``justerat/reading/unfinished.py``): the
placeholders ``new`` writes and the usual marks (ÄNDRA:, NN as a name, TODO, XXX, an empty
decision, a time that starts and ends the same minute, the proceedings example taken in
unchanged), each reported by the real `check` at its file and line, in copies of the example
kommun; and words that only look like marks are left alone."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_build_py
from test_new import edit

from justerat.reading import unfinished

EXAMPLE = ROOT / "examples" / "kommun"
TEMPLATES = str(ROOT / "templates")
PROTOCOL = "content/protocols/kommunfullmaktige/2026-11-16.md"
MEETING = "content/meetings/kommunstyrelsen/2026-12-08.md"
NOTICE = "content/notices/2026/bidrag-till-bastu-i-bjorkhage.md"
PROBLEM = re.compile(r"^(\S+):(\d+): (error|warning): (.*?)(?: \[([^\]]+)\])?$", re.M)
RULE = "oavslutat"
# every placeholder the drafts of ``new`` write, as the module names them
PLACEHOLDERS = {
    name: value for name, value in vars(unfinished).items() if name.endswith("_PLACEHOLDER")
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding ``content/``: a private copy of the example kommun."""
    shutil.copytree(EXAMPLE, tmp_path / "content")
    return tmp_path


def new(folder: Path, *args: str) -> str:
    """`python build.py new ARGS`; the path of the file written, as check names it."""
    result = run_build_py("new", *args, "--content", "content", cwd=folder)
    assert result.returncode == 0, result.stderr
    written = re.search(r"^Skrev (\S+):", result.stdout, re.M)
    assert written is not None, result.stdout
    return written.group(1)


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return run_build_py("check", "--content", "content", "--templates", TEMPLATES, cwd=folder)


def problems(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int, str, str, str]]:
    """(path, line, severity, message, rule) of every problem `check` printed."""
    return {
        (path, int(line), severity, message, rule or "")
        for path, line, severity, message, rule in PROBLEM.findall(result.stderr)
    }


def line_of(file: Path, needle: str) -> int:
    """The 1-based line of the first line holding ``needle``."""
    lines = file.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def unfinished_errors(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int, str]]:
    return {(p, n, m) for p, n, s, m, r in problems(result) if r == RULE and s == "error"}


def written_lines(file: Path, text: str) -> list[int]:
    """The lines of ``file`` on which ``text`` is written as a value or as text (not in a YAML
    comment: comments are never published)."""
    lines = file.read_text("utf-8").split("\n")
    end = lines.index("---", 1)
    found = []
    for number, line in enumerate(lines, 1):
        if number <= end + 1:  # the front matter: what stands before a comment
            line = "" if line.lstrip().startswith("#") else line.split("  # ")[0]
        if text in line:
            found.append(number)
    return found


def published(file: Path) -> None:
    """A draft of `new` made public as it stands: a kallelse sent, a notice posted, a protocol
    justerat with the justering and anslag its comments suggest."""
    text = file.read_text("utf-8")
    if "/protocols/" in file.as_posix():
        text = text.replace("status: draft", "status: justerat", 1)
        suggested = re.compile(
            r"^# justering:\n#   date: (\S+)\n#   digital: true\n# anslag:\n#   posted: (\S+)\n",
            re.M,
        )
        assert suggested.search(text)
        text = suggested.sub(
            r"justering:\n  date: \1\n  digital: true\nanslag:\n  posted: \2\n", text, count=1
        )
    elif "/meetings/" in file.as_posix():
        text = text.replace("status: draft", "status: planned", 1)
    else:
        text = text.replace("status: draft", "status: published", 1)
    file.write_text(text, "utf-8")


def test_every_placeholder_new_writes_is_an_error_once_published(folder: Path) -> None:
    """A body without a register and without an earlier meeting: its kallelse, its protocol,
    two notices and a föreskrift hold every placeholder `new` writes. Published as they stand, each placeholder
    is an error at its line, and so is each empty ### Beslut; nothing else is wrong."""
    edit(folder / "content/site.yaml", ("bodies:\n", "bodies:\n  au:\n    name: Arbetsutskottet\n"))
    written = [
        new(folder, "kallelse", "au", "2026-12-16"),
        new(folder, "protokoll", "au", "2026-12-16"),
        new(folder, "anslag", "delegationsbeslut", "--posted", "2026-12-04"),
        new(folder, "anslag", "ovrigt", "--posted", "2026-12-04"),
        new(folder, "föreskrift", "au", "2026-12-16", "1"),
    ]
    for path in written:
        published(folder / path)

    result = check(folder)
    assert result.returncode == 1
    reported = {(p, n) for p, n, _ in unfinished_errors(result)}
    expected: set[tuple[str, int]] = set()
    for name, placeholder in PLACEHOLDERS.items():
        found = {(path, n) for path in written for n in written_lines(folder / path, placeholder)}
        assert found, f"{name} ({placeholder!r}) is written by none of the drafts"
        expected |= found
    protocol = folder / written[1]
    decisions = written_lines(protocol, "### Beslut")
    assert decisions  # the draft's § has an empty decision
    expected |= {(written[1], n) for n in decisions}
    assert reported == expected
    # the drafts are otherwise complete: the placeholders are the only errors
    others = [p for p in problems(result) if p[2] == "error" and p[4] != RULE]
    assert others == []

    # build publishes the rest and holds each of them back
    built = run_build_py(
        "build", "--no-pdf", "--content", "content", "--out", "site", "--templates", TEMPLATES,
        cwd=folder,
    )  # fmt: skip
    assert built.returncode == 1
    assert (folder / "site/protokoll/kommunfullmaktige/2026-11-16/index.html").is_file()
    held = [line for line in built.stderr.splitlines() if line.endswith("→ publiceras inte")]
    assert sorted(line.split(":")[0].strip() for line in held) == sorted(written)
    site = folder / "site"
    notices = [f"anslag/2026/{Path(path).stem}" for path in written[2:]]
    for page in ("protokoll/au/2026-12-16", "sammantraden/au/2026-12-16", *notices):
        assert not (site / page).exists(), page


def test_the_issues_justerat_protocol_is_refused(folder: Path) -> None:
    """The protocol of the issue: NN as secretary, a time from 18.30 to 18.30, ÄNDRA for the
    place, an empty decision, and TODO and XXX in the text."""
    file = folder / PROTOCOL
    edit(
        file,
        ('time: "18.30-19.55"', 'time: "18.30-18.30"'),
        (
            'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala. Ajournering mellan kl. 18.55 '
            'och 19.05."',
            f'place: "{unfinished.PLACE_PLACEHOLDER}"',
        ),
        ("{name: Åsa Berglund, title", "{name: NN sekreterare, title"),
        ("### Kommunfullmäktige beslutar\n\nDagordningen godkännes.\n", "### Beslut\n\n"),
        ("Sammanträdet har blivit i laga ordning kungjort.", "TODO kontrollera kungörelsen."),
        ("i Ådala kommun\n\n", "i Ådala kommun\n\nFrågan ställdes av XXX.\n\n"),
    )
    result = check(folder)
    assert result.returncode == 1
    assert unfinished_errors(result) == {
        (
            PROTOCOL,
            line_of(file, "time:"),
            "'time': 18.30-18.30 börjar och slutar samma minut: skriv när sammanträdet började "
            "och slutade",
        ),
        (
            PROTOCOL,
            line_of(file, "place:"),
            "'place': platshållaren 'ÄNDRA: lokal och adress' står kvar: skriv in det som ska "
            "stå där i stället",
        ),
        (
            PROTOCOL,
            line_of(file, "secretary:"),
            "'secretary.name': 'NN sekreterare' är en platshållare, inget namn: skriv personens "
            "namn",
        ),
        (
            PROTOCOL,
            line_of(file, "### Beslut"),
            "rubriken '### Beslut' följs inte av något beslut: skriv beslutet under rubriken, "
            "eller ta bort rubriken om paragrafen inte har något beslut",
        ),
        (
            PROTOCOL,
            line_of(file, "TODO"),
            "markeringen TODO står kvar ('TODO kontrollera kungörelsen.'): gör klart det som "
            "återstår och ta bort markeringen",
        ),
        (
            PROTOCOL,
            line_of(file, "XXX"),
            "markeringen XXX står kvar ('Frågan ställdes av XXX.'): skriv in det som ska stå i "
            "stället för XXX",
        ),
    }


def test_a_meeting_and_a_published_notice_with_marks(folder: Path) -> None:
    """A kallelse from 08.30 to 08.30 (an en dash), and the issue's published anslag reading
    "ÄNDRA: delegatens titel eller namn" and "ÄNDRA: anslagets text."."""
    meeting = folder / MEETING
    edit(meeting, ('time: "08.30"', 'time: "08.30–08.30"'))
    notice = folder / NOTICE
    edit(
        notice,
        (
            "decided_by: kommunchefen, med stöd av kommunstyrelsens delegationsordning",
            f'decided_by: "{unfinished.DECIDED_BY_PLACEHOLDER}"',
        ),
    )
    text = notice.read_text("utf-8")
    front = text[: text.index("\n---\n") + len("\n---\n")]
    notice.write_text(f"{front}{unfinished.NOTICE_TEXT_PLACEHOLDER}\n", "utf-8")
    result = check(folder)
    assert result.returncode == 1
    assert unfinished_errors(result) == {
        (
            MEETING,
            line_of(meeting, "time:"),
            "'time': 08.30–08.30 börjar och slutar samma minut: skriv när sammanträdet börjar och "
            "slutar, eller bara när det börjar (18.30)",
        ),
        (
            NOTICE,
            line_of(notice, "decided_by:"),
            "'decided_by': platshållaren 'ÄNDRA: delegatens titel eller namn' står kvar: skriv in "
            "det som ska stå där i stället",
        ),
        (
            NOTICE,
            line_of(notice, "ÄNDRA: anslagets text."),
            "platshållaren 'ÄNDRA: anslagets text.' står kvar: skriv in det som ska stå där i "
            "stället, eller ta bort raden",
        ),
    }


def test_words_that_only_look_like_marks_pass(folder: Path) -> None:
    """Sizes, Roman numerals, codes, a name left out with NN, the verb "ändra", a decision
    heading with its decision in a list, and a meeting of one minute are no unfinished work:
    the example kommun still checks clean."""
    file = folder / PROTOCOL
    edit(
        file,
        ('time: "18.30-19.55"', 'time: "18.30-18.31"'),
        (
            "Dagordningen godkännes.\n",
            "Dagordningen godkännes. Kommunfullmäktige beslutar att ändra: ordningen i XXXI "
            "kap. gäller. Tröjor i storlek XXXL, xxx-nummer och XXX-nummer, nätverket NNS "
            "(MSI/NNS), ärende NN-12, FÖRÄNDRA: inget. Ansökan från NN avslås. Todo Bien AB "
            "och N.N.S. nämns.\n",
        ),
        (
            "Sammanträdet har blivit i laga ordning kungjort.",
            "- Sammanträdet har blivit i laga ordning kungjort.",
        ),
    )
    result = check(folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("0 fel, 0 varningar\n"), result.stderr


def uncommented(text: str) -> str:
    """The draft with its proceedings example taken in: the "# " off every line between the
    example's two marker lines."""
    lines = text.split("\n")
    start, end = lines.index(unfinished.EXAMPLE_START), lines.index(unfinished.EXAMPLE_END)
    inside = lines[start + 1 : end]
    assert inside and all(line.startswith("# ") for line in inside)
    return "\n".join([*lines[: start + 1], *(line[2:] for line in inside), *lines[end:]])


def test_the_proceedings_example_taken_in_unchanged_is_an_error(folder: Path) -> None:
    """Kommunstyrelsen's protocol of 8 December from its kallelse: the kallelse gives only a
    start, so the draft's time is 08.30-08.30 (the issue's). With the time, the secretary, the
    decisions and the dates written, the example taken in as it stands is the one error;
    changed to what happened, it is none."""
    path = new(folder, "protokoll", "kommunstyrelsen", "2026-12-08")
    file = folder / path
    assert 'time: "08.30-08.30"' in file.read_text("utf-8")
    published(file)
    text = uncommented(file.read_text("utf-8")).replace('"08.30-08.30"', '"08.30-10.15"', 1)
    text = text.replace(f"name: {unfinished.SECRETARY_PLACEHOLDER}", "name: Åsa Berglund", 1)
    text = re.sub(
        r"### Beslut\n+(?=## |\Z)", "### Beslut\n\nKommunstyrelsen beslutar så.\n\n", text
    )
    file.write_text(text, "utf-8")
    paragraph = re.findall(r"^  - paragraph: (\d+)", text, re.M)[0]

    result = check(folder)
    assert unfinished_errors(result) == {
        (
            path,
            line_of(file, "  - paragraph:"),
            f"exemplet under proceedings (§ {paragraph}) står "
            "kvar som 'new protokoll' skrev det: ändra det till det som hände vid "
            "sammanträdet, eller ta bort det",
        )
    }
    assert [p for p in problems(result) if p[2] == "error" and p[4] != RULE] == []

    # what happened: the avslag was moved by another of those who voted nej
    entry = file.read_text("utf-8")
    no = re.search(r"^      no: \[(.*)\]", entry, re.M)
    assert no is not None and "," in no.group(1)
    second = no.group(1).split(", ")[1]
    file.write_text(
        re.sub(r"\{by: [^,]+, text: Avslag", f"{{by: {second}, text: Avslag", entry), "utf-8"
    )
    result = check(folder)
    assert result.returncode == 0, result.stderr
    assert unfinished_errors(result) == set()


def test_a_draft_reports_its_marks_at_their_lines(folder: Path) -> None:
    """A draft's marks are reported too, at their lines (how much they weigh in a draft, and
    how the message says it is a draft, is the pipeline's to say)."""
    path = new(folder, "anslag", "ovrigt", "--title", "Tillfällig stängning", "--posted",
               "2026-12-04", "--issuer", "kommunstyrelsen")  # fmt: skip
    line = line_of(folder / path, unfinished.NOTICE_TEXT_PLACEHOLDER)
    said = (
        "platshållaren 'ÄNDRA: anslagets text.' står kvar: skriv in det som ska stå där i "
        "stället, eller ta bort raden"
    )
    result = check(folder)
    found = [(n, m) for p, n, _, m, r in problems(result) if p == path and r == RULE]
    assert len(found) == 1, result.stderr
    assert found[0][0] == line and found[0][1].endswith(said), result.stderr
