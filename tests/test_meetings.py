"""Meetings, kungörelser and the other notices on the board: the law's rules with worked
dates, and the board on several days.

Kommunallagen (2017:725) 5 kap. 13 § (a fullmäktige meeting announced at least one week before
the meeting day), 5 kap. 14 § (an urgent ärende no later than the vardag closest before), 8 kap.
10 § and 13 kap. 5 § (a delegationsbeslut not reported to the nämnd is announced, and appealed
within three weeks from the day posted; the notice stays up the whole period).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, run_build_py

from justerat.app.cli import main
from justerat.legal import board, law
from justerat.loading import content
from justerat.reading.frontmatter import Gates

D = date.fromisoformat
CALENDAR = law.Calendar()

FULLMAKTIGE = """\
  kf:
    name: Kommunfullmäktige
    kind: fullmaktige
"""


def kf_meeting(day: str, posted: str | None, items: bool = True, extra: str = "") -> str:
    kungorelse = f"kungorelse:\n  posted: {posted}\n{extra}" if posted else ""
    ärenden = "items:\n  - title: Budget 2027\n  - title: Motion om cykelvägar\n" if items else ""
    return (
        f"---\norgan: kf\ndate: {day}\ntime: '18.30-21.00'\nplace: Sessionssalen\n"
        f"status: planned\n{kungorelse}{ärenden}---\n"
    )


@pytest.fixture
def kommun(content: Path) -> Path:
    """The sample content with a fullmäktige among its bodies."""
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("bodies:\n", "bodies:\n" + FULLMAKTIGE, 1), "utf-8")
    (content / "meetings/kf").mkdir(parents=True)
    return content


def checked(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(folder), "--today", TODAY])
    return code, capsys.readouterr().err.splitlines()


def lines_of(lines: list[str], name: str) -> list[str]:
    """The problems of one file (but the office's reminder of a protocol not yet published for
    a meeting long past, which depends on the day and is tested below)."""
    return [line.split(name, 1)[1] for line in lines if name in line and "[meeting]" not in line]


# --- the kungörelse: a week before the meeting day (KL 5:13) ------------------------------------


@pytest.mark.parametrize(
    ("meeting", "posted", "expected"),
    [
        # Monday 14 December 2026: the deadline is Monday 7 December, across a weekend
        ("2026-12-14", "2026-12-08", "1 dag för sent"),  # 6 days before: Tuesday
        ("2026-12-14", "2026-12-07", None),  # 7 days: the deadline itself
        ("2026-12-14", "2026-12-06", None),  # 8 days: a Sunday, earlier is always in time
        # Monday 13 April 2026: the deadline is Annandag påsk (6 April), a holiday; the law's
        # week is counted back and does not move (lag 1930:173 2 § moves only a last day of
        # a period to do something, and moving this one later would shorten the week)
        ("2026-04-13", "2026-04-07", "1 dag för sent"),  # 6 days: the Tuesday after Easter
        ("2026-04-13", "2026-04-06", None),  # 7 days: on the holiday itself
        ("2026-04-13", "2026-04-05", None),  # 8 days: Easter Sunday
        ("2026-04-13", "2026-04-10", "4 dagar för sent"),
    ],
)
def test_a_fullmaktige_meeting_is_announced_a_week_before(
    kommun: Path, capsys: pytest.CaptureFixture[str], meeting: str, posted: str, expected: str
) -> None:
    file = kommun / f"meetings/kf/{meeting}.md"
    file.write_text(kf_meeting(meeting, posted), "utf-8")
    code, lines = checked(kommun, capsys)
    found = lines_of(lines, f"meetings/kf/{meeting}.md:")
    if expected is None:
        assert code == 0 and found == [], lines
        return
    deadline = law.kungorelse_deadline(D(meeting))
    assert (D(meeting) - deadline).days == 7
    assert code == 1
    assert len(found) == 1, lines
    line, message = found[0].split(": error: ")
    assert line == "8"  # the line of kungorelse.posted
    assert expected in message
    assert "[KL 5 kap. 13 §]" in message and "ska tillkännages minst en vecka före" in message


def test_a_kungorelse_without_arenden_is_refused(
    kommun: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kommun / "meetings/kf/2026-12-14.md").write_text(
        kf_meeting("2026-12-14", "2026-12-01", items=False), "utf-8"
    )
    code, lines = checked(kommun, capsys)
    assert code == 1
    assert lines_of(lines, "meetings/kf/2026-12-14.md:") == [
        "7: error: kungörelsen saknar ärendelista: tillkännagivandet ska ange de ärenden som "
        "ska behandlas [KL 5 kap. 13 §]; skriv items: med ärendena [kungorelse]"
    ]


def test_a_fullmaktige_meeting_without_kungorelse_is_a_warning(
    kommun: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kommun / "meetings/kf/2026-12-14.md").write_text(kf_meeting("2026-12-14", None), "utf-8")
    code, lines = checked(kommun, capsys)
    assert code == 0
    [found] = lines_of(lines, "meetings/kf/2026-12-14.md:")
    assert found.startswith("6: warning: fullmäktiges sammanträden ska tillkännages")


@pytest.mark.parametrize(
    ("meeting", "posted", "late"),
    [
        # Monday 13 April 2026: the vardag before is Friday 10 April
        ("2026-04-13", "2026-04-10", False),
        ("2026-04-13", "2026-04-11", True),  # a Saturday
        # Tuesday 7 April 2026: Annandag påsk, Easter Sunday, Saturday and Långfredag before
        # it are no vardagar; the vardag closest before is Thursday 2 April
        ("2026-04-07", "2026-04-02", False),
        ("2026-04-07", "2026-04-03", True),  # Långfredag
    ],
)
def test_an_urgent_arende_is_announced_by_the_vardag_before(
    kommun: Path, capsys: pytest.CaptureFixture[str], meeting: str, posted: str, late: bool
) -> None:
    urgent = f"  urgent:\n    - item: 2\n      posted: {posted}\n"
    early = law.kungorelse_deadline(D(meeting)).isoformat()
    file = kommun / f"meetings/kf/{meeting}.md"
    file.write_text(kf_meeting(meeting, early, extra=urgent), "utf-8")
    code, lines = checked(kommun, capsys)
    found = lines_of(lines, f"meetings/kf/{meeting}.md:")
    if not late:
        assert code == 0 and found == [], lines
        return
    last = CALENDAR.previous_vardag(D(meeting))
    assert last == {"2026-04-13": D("2026-04-10"), "2026-04-07": D("2026-04-02")}[meeting]
    assert code == 1 and len(found) == 1, lines
    assert found[0].startswith("10: error: det brådskande ärendet 2 tillkännagavs")
    assert found[0].endswith("[KL 5 kap. 14 §] [kungorelse]")


def test_a_kungorelse_taken_down_before_the_meeting_is_refused(
    kommun: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    down = "  taken_down: 2026-12-10\n"
    (kommun / "meetings/kf/2026-12-14.md").write_text(
        kf_meeting("2026-12-14", "2026-12-01", extra=down), "utf-8"
    )
    code, lines = checked(kommun, capsys)
    assert code == 1
    [found] = lines_of(lines, "meetings/kf/2026-12-14.md:")
    assert found.startswith("9: error: kungörelsen togs ned 10 december 2026, före sammanträdet")


def test_a_held_meeting_without_protocol_after_14_days_is_a_warning(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = content / "meetings/styrelsen/2026-12-09.md"
    code = main(["check", "--content", str(content), "--today", "2026-12-23"])
    assert code == 0
    assert f"{meeting.as_posix()}:" not in capsys.readouterr().err  # the 14th day: in time
    code = main(["check", "--content", str(content), "--today", "2026-12-24"])
    err = capsys.readouterr().err
    assert code == 0
    assert (
        f"{meeting.as_posix()}:3: warning: sammanträdet 9 december 2026 hölls för mer än 14 "
        f"dagar sedan men har inget protokoll i {(content / 'protocols/styrelsen').as_posix()}/ "
        "[KL 5 kap. 69 §, 6 kap. 35 §] [meeting]"
    ) in err.splitlines()


# --- the other notices: a delegationsbeslut's appeal period (KL 8:10, 13:5) ---------------------


def delegation(
    posted: str, taken_down: str | None = None, decided: str | None = "2023-09-18"
) -> str:
    lines = [
        "---",
        "kind: delegationsbeslut",
        "status: published",
        "title: Beslut om medel till en insats",
        "issuer: styrelsen",
        f"posted: {posted}",
    ]
    if taken_down:
        lines.append(f"taken_down: {taken_down}")
    if decided:
        lines += [f"decided: {decided}", "decided_by: förbundschefen"]
    return "\n".join([*lines, "---", "Beslutet finns hos kansliet.", ""])


@pytest.mark.parametrize(
    ("taken_down", "expected"),
    [
        # posted Friday 22 September 2023: the last day to appeal is Friday 13 October
        ("2023-10-13", "error: anslaget togs ned 13 oktober 2023, innan överklagandetiden"),
        ("2023-10-14", None),  # the first day the law allows
        (None, None),  # still up: comes down on 14 October by itself
    ],
)
def test_a_delegationsbeslut_stays_up_for_its_appeal_period(
    content: Path, capsys: pytest.CaptureFixture[str], taken_down: str | None, expected: str
) -> None:
    folder = content / "notices/2023"
    folder.mkdir(parents=True)
    (folder / "medel.md").write_text(delegation("2023-09-22", taken_down), "utf-8")
    code, lines = checked(content, capsys)
    found = lines_of(lines, "notices/2023/medel.md:")
    if expected is None:
        assert code == 0 and found == [], lines
        return
    assert code == 1 and len(found) == 1, lines
    assert found[0].startswith(f"7: {expected}")
    assert "sista dag 13 oktober 2023" in found[0]
    assert "tidigast nedtaget 14 oktober 2023" in found[0]
    assert found[0].endswith("[KL 13 kap. 5 § andra stycket, 8 kap. 12 §] [notice]")


def test_a_delegationsbeslut_needs_its_decision_day(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content / "notices/2023"
    folder.mkdir(parents=True)
    (folder / "utan-datum.md").write_text(delegation("2023-09-22", decided=None), "utf-8")
    (folder / "efter.md").write_text(delegation("2023-09-22", decided="2023-09-25"), "utf-8")
    code, lines = checked(content, capsys)
    assert code == 1
    [missing] = lines_of(lines, "notices/2023/utan-datum.md:")
    assert missing.startswith("2: error: ett delegationsbeslut behöver beslutsdagen")
    [later] = lines_of(lines, "notices/2023/efter.md:")
    assert later.startswith("7: error: beslutet är daterat 25 september 2023, efter att")


def test_attachments_must_be_inside_the_content_and_readable_in_a_browser(
    content: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = content / "notices/2023"
    (folder / "bilagor").mkdir(parents=True)
    (folder / "bilagor/beslut.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "bilagor/beslut.txt").write_text("Beslut om medel.\n", "utf-8")
    (folder / "bilagor/kopia").mkdir()
    (folder / "bilagor/kopia/beslut.txt").write_text("Samma namn.\n", "utf-8")
    (tmp_path / "utanfor.pdf").write_bytes(b"%PDF-1.4")
    text = delegation("2023-09-22").replace(
        "decided: ",
        "attachments:\n  - bilagor/beslut.docx\n  - ../../../utanfor.pdf\n  - bilagor/saknas.pdf\n"
        "  - /etc/passwd\n  - bilagor/beslut.txt\n  - bilagor/kopia/beslut.txt\ndecided: ",
    )
    (folder / "medel.md").write_text(text, "utf-8")
    code, lines = checked(content, capsys)
    assert code == 1
    found = lines_of(lines, "notices/2023/medel.md:")
    assert found == [
        "8: error: filen 'bilagor/beslut.docx' är av ett slag som en webbläsare inte visar "
        "(.docx); spara den som PDF (tillåtna: .gif, .jpeg, .jpg, .pdf, .png, .txt, .webp) "
        "[attachment]",
        "9: error: filen '../../../utanfor.pdf' ligger utanför innehållsmappen [attachment]",
        "10: error: filen 'bilagor/saknas.pdf' finns inte [attachment]",
        "11: error: filen '/etc/passwd' måste ligga i innehållsmappen och anges relativt "
        "dokumentet (till exempel handlingar/budget.pdf) [attachment]",
        "13: error: filen 'beslut.txt' har samma namn som en annan fil i samma dokument "
        f"({(folder / 'bilagor/beslut.txt').resolve()}); byt namn på en av dem [attachment]",
    ], lines


def test_a_personnummer_in_an_attached_pdf_is_found(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from weasyprint import HTML

    folder = content / "meetings/styrelsen/handlingar"
    folder.mkdir(parents=True, exist_ok=True)
    pages = "<p>Sidan ett.</p><p style='break-before: page'>Sökande 19121212-1212 bor här.</p>"
    HTML(string=f"<html lang='sv'><body>{pages}</body></html>").write_pdf(folder / "ansokan.pdf")
    meeting = content / "meetings/styrelsen/2026-12-09.md"
    text = meeting.read_text("utf-8").replace(
        "  - title: Val av justerare\n",
        "  - title: Val av justerare\n    handlingar:\n      - handlingar/ansokan.pdf\n",
        1,
    )
    meeting.write_text(text, "utf-8")
    code, lines = checked(content, capsys)
    assert code == 1
    [found] = lines_of(lines, "meetings/styrelsen/2026-12-09.md:")
    assert found == (
        "10: error: filen 'handlingar/ansokan.pdf' innehåller personnummer eller "
        "samordningsnummer 19121212-**** (sidan 2) som inte får publiceras; maskera det i filen "
        "eller tillåt just det numret med allow_numbers och ett skäl [personnummer]"
    )


# --- the board on several days ----------------------------------------------------------------


def _board_on(folder: Path, today: str) -> board.Board:
    loaded = content.load(folder, Gates(), CALENDAR)
    assert loaded.ok, loaded.problems
    archive = loaded.archive.published(include_drafts=False)  # type: ignore[union-attr]
    return board.board(
        archive.protocols + archive.withdrawn,
        archive.meetings,
        archive.announcements,
        D(today),
        CALENDAR,
    )


def _groups(shown: board.Board) -> dict[str, dict[str, list[str]]]:
    return {
        g.key: {
            state: [p.ident for p in getattr(g, state)]
            for state in ("current", "upcoming", "ended")
            if getattr(g, state)
        }
        for g in shown.groups
        if g.current or g.upcoming or g.ended
    }


@pytest.fixture
def every_kind(kommun: Path) -> Path:
    (kommun / "meetings/kf/2026-04-13.md").write_text(
        kf_meeting("2026-04-13", "2026-04-03"), "utf-8"
    )
    notices = kommun / "notices/2026"
    notices.mkdir(parents=True)
    (notices / "medel.md").write_text(
        delegation("2026-04-01", decided="2026-03-30").replace("2023", "2026"), "utf-8"
    )
    (notices / "detaljplan.md").write_text(
        "---\nkind: plan-och-bygg\nstatus: published\ntitle: Granskning av detaljplan för "
        "Hamnen 3\nissuer: Bygg- och miljönämnden\nposted: 2026-04-08\ntaken_down: 2026-04-29\n"
        "---\nFörslaget finns tillgängligt för granskning.\n",
        "utf-8",
    )
    (notices / "utkast.md").write_text(
        "---\nkind: ovrigt\nstatus: draft\ntitle: Ett utkast\nissuer: styrelsen\n"
        "posted: 2026-04-01\ntaken_down: 2026-05-01\n---\n",
        "utf-8",
    )
    return kommun


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            "2026-03-31",
            {
                "sammantraden": {"upcoming": ["kungorelse-kf-2026-04-13"]},
                "delegationsbeslut": {"upcoming": ["anslag-2026-medel"]},
                "ovriga": {"upcoming": ["anslag-2026-detaljplan"]},
            },
        ),
        (
            "2026-04-08",
            {
                "sammantraden": {"current": ["kungorelse-kf-2026-04-13"]},
                "delegationsbeslut": {"current": ["anslag-2026-medel"]},
                "ovriga": {"current": ["anslag-2026-detaljplan"]},
            },
        ),
        (
            # the day after the meeting the kungörelse is down; the delegationsbeslut's
            # appeal period (posted 1 April: last day Wednesday 22 April) still runs
            "2026-04-14",
            {
                "sammantraden": {"ended": ["kungorelse-kf-2026-04-13"]},
                "delegationsbeslut": {"current": ["anslag-2026-medel"]},
                "ovriga": {"current": ["anslag-2026-detaljplan"]},
            },
        ),
        (
            "2026-04-23",
            {
                "sammantraden": {"ended": ["kungorelse-kf-2026-04-13"]},
                "delegationsbeslut": {"ended": ["anslag-2026-medel"]},
                "ovriga": {"current": ["anslag-2026-detaljplan"]},
            },
        ),
        (
            "2026-04-29",
            {
                "sammantraden": {"ended": ["kungorelse-kf-2026-04-13"]},
                "delegationsbeslut": {"ended": ["anslag-2026-medel"]},
                "ovriga": {"ended": ["anslag-2026-detaljplan"]},
            },
        ),
    ],
)
def test_the_board_shows_each_kind_in_its_group_on_each_day(
    every_kind: Path, today: str, expected: dict[str, dict[str, list[str]]]
) -> None:
    assert CALENDAR.appeal_last_day(D("2026-04-01")) == D("2026-04-22")
    found = _groups(_board_on(every_kind, today))
    justeringar = found.pop("justeringar")  # the sample's protocols: ended long ago
    assert set(justeringar) == {"ended"}
    assert found == expected


def test_the_built_board_and_feed_show_every_kind(every_kind: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build_py(
        "build",
        "--content",
        str(every_kind),
        "--out",
        str(out),
        "--no-pdf",
        "--today",
        "2026-04-08",
    )
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "anslagstavla/index.html").read_text("utf-8"), "html.parser")
    current = {
        ul["data-group"]: [a.get_text(" ", strip=True) for a in ul.select("li.notice-item h4 a")]
        for ul in soup.select('ul.notices[data-state="current"]')
    }
    assert current == {
        "sammantraden": ["Kommunfullmäktige – sammanträde 13 april 2026"],
        "justeringar": [],
        "delegationsbeslut": ["Beslut om medel till en insats"],
        "ovriga": ["Granskning av detaljplan för Hamnen 3"],
    }
    assert "Ett utkast" not in (out / "anslagstavla/index.html").read_text("utf-8")
    assert not (out / "anslag/2026/utkast").exists()  # a draft never reaches the public site
    for link in soup.select("li.notice-item h4 a"):
        assert (out / "anslagstavla" / link["href"] / "index.html").resolve().is_file()
    import feedparser

    feed = feedparser.parse((out / "anslagstavla/anslag.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    assert "Kungörelse: Kommunfullmäktige – sammanträde 13 april 2026" in titles
    assert "Delegationsbeslut: Beslut om medel till en insats" in titles
    assert "Plan- och bygglagen: Granskning av detaljplan för Hamnen 3" in titles
    bevis = out / "anslag/2026/medel/anslagsbevis/index.html"
    text = BeautifulSoup(bevis.read_text("utf-8"), "html.parser").get_text(" ", strip=True)
    assert "Sista dag att överklaga 22 april 2026" in text


def test_a_delegationsbeslut_has_its_anslagsbevis_as_pdf(every_kind: Path, tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "site"
    result = run_build_py(
        "build", "--content", str(every_kind), "--out", str(out), "--today", "2026-04-08"
    )
    assert result.returncode == 0, result.stderr
    pdf = out / "anslag/2026/medel/anslagsbevis/anslagsbevis-medel.pdf"
    reader = pypdf.PdfReader(pdf)
    assert reader.metadata.title == "Anslagsbevis Beslut om medel till en insats"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Datum för anslags uppsättande 2026-04-01" in text
    assert "Sista dag att överklaga 2026-04-22" in text
    assert "Beslutsdatum 2026-03-30, förbundschefen" in text
    page = (out / "anslag/2026/medel/anslagsbevis/index.html").read_text("utf-8")
    link = BeautifulSoup(page, "html.parser").select_one("a.pdf")
    assert link is not None and link["href"] == "anslagsbevis-medel.pdf"
    # the plan- och bygglagen notice has no anslagsbevis: it starts no appeal period
    assert not (out / "anslag/2026/detaljplan/anslagsbevis").exists()


def test_a_new_handling_rereads_its_meeting_only(content: Path, tmp_path: Path) -> None:
    from justerat.build.folder import build as build_into_folder
    from justerat.build.options import Options, Result

    def build() -> Result:
        options = Options(
            content=content, out=tmp_path / "site", cache=tmp_path / "cache", today=D("2026-11-29")
        )
        result = build_into_folder(options, html_only=True)
        assert result.ok, result.problems
        return result

    build()
    meeting = content / "meetings/styrelsen/2026-12-09.md"
    handlingar = content / "meetings/styrelsen/handlingar"
    (handlingar / "budget-2027.txt").write_text("Förslag till budget 2027.\n", "utf-8")
    meeting.write_text(
        meeting.read_text("utf-8").replace(
            "    proposal: Styrelsen fastställer verksamhetsplanen",
            "    handlingar:\n      - handlingar/budget-2027.txt\n"
            "    proposal: Styrelsen fastställer verksamhetsplanen",
        ),
        "utf-8",
    )
    assert build().parsed == (meeting.as_posix(),)
    (handlingar / "budget-2027.txt").write_text("Förslag till budget 2027, reviderat.\n", "utf-8")
    second = build()
    assert second.parsed == (meeting.as_posix(),)  # the file it attaches changed, not the rest
    copied = tmp_path / "site/sammantraden/styrelsen/2026-12-09/handlingar/budget-2027.txt"
    assert copied.read_text("utf-8") == "Förslag till budget 2027, reviderat.\n"
    page = (tmp_path / "site/sammantraden/styrelsen/2026-12-09/index.html").read_text("utf-8")
    assert "(text, 1 kB)" in page
