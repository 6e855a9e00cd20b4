"""`python build.py new kallelse|protokoll|anslag`: the drafts the secretary starts from, run as
the secretary runs them, in a copy of the sample content. Every draft must pass `check`; the
law's dates written beside them are compared with dates computed here from the rules, and with
dates worked out by hand."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build_py

from justerat.app.new.proceedings import EXAMPLE_END, EXAMPLE_START
from justerat.domain.source import read_file, read_source
from justerat.legal import law
from justerat.reading import unfinished

D = date.fromisoformat

# A 2026 protocol of styrelsen whose last § is 44, and a 2025 one with higher numbers: the
# next 2026 protocol goes on from 44, whatever 2025 held.
EARLIER = """---
organ: styrelsen
status: draft
date: {day}
time: "15.00-16.00"
place: Kansliet
attendees:
  voting:
    - name: Sedat Dogru
secretary:
  name: Emmeli Söderholm
chair: Sedat Dogru
justerare:
  - Sedat Dogru
---

{paragraphs}
"""

ITEMS = """items:
  - title: Val av justerare
  - title: Verksamhetsplan och budget 2027
    diarienummer: "2026/41"
    proposal: Styrelsen fastställer verksamhetsplanen och budgeten för 2027.
"""

KF = """  kf:
    name: Kommunfullmäktige
    kind: fullmaktige
    members:
      - name: Anna Andersson
        party: S
        role: ordförande
      - name: Bo Berg
        party: M
        role: vice ordförande
      - name: Cecilia Ek
        party: C
        represents: Haninge kommun
        role: ledamot
      - name: Dan Dahl
        party: V
        role: ersättare
      - name: Eva Ek
        party: L
        role: ersättare
"""


def new(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python build.py new ARGS --content content`, run in the folder that holds content/."""
    return run_build_py("new", *args, "--content", "content", cwd=folder)


def check(folder: Path, today: str | None = None) -> subprocess.CompletedProcess[str]:
    """``check`` in ``folder``, for ``today`` (a day after the justering, where a test's
    protocol is justerat: before it, the protocol waits and ``check`` says so)."""
    result = run_build_py(
        "check", "--content", "content", *(["--today", today] if today else []), cwd=folder
    )
    assert result.returncode == 0, result.stderr
    assert "\n0 fel," in f"\n{result.stderr}"
    return result


def meta(file: Path) -> dict[str, object]:
    source, problems = read_file(file)
    assert source is not None, problems
    return dict(source.meta)


def edit(file: Path, *pairs: tuple[str, str]) -> None:
    text = file.read_text("utf-8")
    for old, replacement in pairs:
        assert old in text, old
        text = text.replace(old, replacement, 1)
    file.write_text(text, "utf-8")


def protocol(day: str, numbers: list[int]) -> str:
    paragraphs = "\n\n".join(f"## § {n} Ärende {n}\n\nText." for n in numbers)
    return EARLIER.format(day=day, paragraphs=paragraphs)


def test_kallelse_then_protocol_then_the_built_meeting_links_its_paragraphs(
    content: Path,
) -> None:
    folder = content.parent
    (content / "protocols/styrelsen/2026-10-14.md").write_text(protocol("2026-10-14", [40, 41, 44]))
    (content / "protocols/styrelsen/2025-12-10.md").write_text(protocol("2025-12-10", [90, 91]))

    result = new(folder, "kallelse", "styrelsen", "2026-12-16")
    assert result.returncode == 0, result.stderr
    kallelse = content / "meetings/styrelsen/2026-12-16.md"
    assert "content/meetings/styrelsen/2026-12-16.md" in result.stdout
    assert "Nästa steg" in result.stdout
    check(folder)
    written = meta(kallelse)
    assert (written["organ"], written["date"], written["status"]) == (
        "styrelsen",
        "2026-12-16",
        "draft",
    )
    # time and place as at the body's latest earlier meeting (content/meetings/.../2026-12-09.md)
    previous = meta(content / "meetings/styrelsen/2026-12-09.md")
    assert (written["time"], written["place"]) == (previous["time"], previous["place"])
    assert written["items"] == []
    assert "kungorelse" not in written  # styrelsen is no fullmäktige

    edit(kallelse, ("items: []\n", ITEMS), ("status: draft", "status: planned"))
    check(folder)

    result = new(folder, "protokoll", "styrelsen", "2026-12-16")
    assert result.returncode == 0, result.stderr
    assert "content/meetings/styrelsen/2026-12-16.md" in result.stdout  # the kallelse it used
    file = content / "protocols/styrelsen/2026-12-16.md"
    text = file.read_text("utf-8")
    assert "## § 45 Val av justerare\n" in text
    assert "## § 46 Verksamhetsplan och budget 2027\n" in text
    assert "§ 47" not in text and "§ 1 " not in text
    paragraph = text.split("## § 46 ", 1)[1]
    assert paragraph.index("### Förslag till beslut") < paragraph.index(
        "Styrelsen fastställer verksamhetsplanen och budgeten för 2027."
    )
    assert paragraph.index("2027.") < paragraph.index("### Beslut")
    assert text.count("### Beslut\n") == 2
    # justering by 30 December 2026 (14 days); posted the second day after, 1 January 2027,
    # is nyårsdagen, a Friday: the notice is due on Monday 4 January (lag 1930:173)
    assert "onsdag 30 december 2026 (2026-12-30)" in text
    assert "KL 5 kap. 69 §" in text
    assert "måndag 4 januari 2027 (2027-01-04)" in text
    assert "KL 8 kap. 12 §" in text
    assert meta(file)["status"] == "draft"
    check(folder)

    # justerat, with the dates the draft suggested: published, and the meeting's page links
    # each ärende to its §
    edit(
        file,
        ("status: draft", "status: justerat"),
        (
            "# justering:\n#   date: 2026-12-30\n#   digital: true\n# anslag:\n"
            "#   posted: 2027-01-04\n",
            "justering:\n  date: 2026-12-30\n  digital: true\nanslag:\n  posted: 2027-01-04\n",
        ),
    )
    # the register in site.yaml ends in 2023: the draft's attendees are placeholders
    edit(
        file,
        *((unfinished.CHAIR_PLACEHOLDER, "Sedat Dogru"),) * 2,
        *((unfinished.MEMBER_PLACEHOLDER, "Anders Widerström"),) * 2,
    )
    first, second, rest = file.read_text("utf-8").split("### Beslut\n")
    decisions = ("Till justerare utsågs Anders Widerström.", "Styrelsen beslutar enligt förslaget.")
    file.write_text(
        f"{first}### Beslut\n\n{decisions[0]}\n{second}### Beslut\n\n{decisions[1]}\n{rest}",
        "utf-8",
    )
    check(folder, today="2027-01-05")
    built = run_build_py(
        "build", "--no-pdf", "--content", "content", "--out", "site",
        "--templates", str(ROOT / "templates"), "--today", "2027-01-05", cwd=folder,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    page = folder / "site/sammantraden/styrelsen/2026-12-16/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True) if "#paragraf-" in a["href"]]
    assert [link.rsplit("/", 2)[-2:] for link in links] == [
        ["2026-12-16", "#paragraf-45"],
        ["2026-12-16", "#paragraf-46"],
    ]
    assert all("protokoll/styrelsen/2026-12-16/" in link for link in links)
    target = folder / "site/protokoll/styrelsen/2026-12-16/index.html"
    protocol_page = BeautifulSoup(target.read_text("utf-8"), "html.parser")
    for number, title in ((45, "Val av justerare"), (46, "Verksamhetsplan och budget 2027")):
        anchor = protocol_page.find(id=f"paragraf-{number}")
        assert anchor is not None
        assert title in anchor.get_text(" ", strip=True)


def test_a_fullmaktige_body_gets_its_kungorelse_day_and_its_members(content: Path) -> None:
    folder = content.parent
    site = content / "site.yaml"
    edit(site, ("bodies:\n", "bodies:\n" + KF))

    result = new(folder, "kallelse", "kf", "2026-12-17")
    assert result.returncode == 0, result.stderr
    kallelse = content / "meetings/kf/2026-12-17.md"
    text = kallelse.read_text("utf-8")
    # a week before Thursday 17 December 2026 (KL 5 kap. 13 §)
    assert "senast torsdag 10 december 2026 (2026-12-10), KL 5 kap. 13 §" in text
    assert meta(kallelse)["kungorelse"] == {"posted": "2026-12-10"}
    assert "10 december 2026" in result.stdout
    # the day counted back is not moved off a holiday: a week before 13 January 2027 is
    # trettondedag jul, and the kungörelse is due by then
    assert new(folder, "kallelse", "kf", "2027-01-13").returncode == 0
    later = content / "meetings/kf/2027-01-13.md"
    assert "onsdag 6 januari 2027 (2027-01-06)" in later.read_text("utf-8")
    kungorelse = meta(later)["kungorelse"]
    assert isinstance(kungorelse, dict)
    assert D(kungorelse["posted"]) == law.kungorelse_deadline(D("2027-01-13"))
    check(folder)

    result = new(folder, "protokoll", "kf", "2026-12-17")
    assert result.returncode == 0, result.stderr
    assert "ingen kallelse" not in result.stdout.casefold()
    written = meta(content / "protocols/kf/2026-12-17.md")
    attendees = written["attendees"]
    assert isinstance(attendees, dict)
    assert attendees["voting"] == [
        {"name": "Anna Andersson", "party": "S", "role": "ordförande"},
        {"name": "Bo Berg", "party": "M", "role": "vice ordförande"},
        {"name": "Cecilia Ek", "party": "C", "represents": "Haninge kommun"},
    ]
    assert attendees["substitutes"] == [
        {"name": "Dan Dahl", "party": "V"},
        {"name": "Eva Ek", "party": "L"},
    ]
    assert written["chair"] == "Anna Andersson"
    justerare = written["justerare"]
    assert isinstance(justerare, list)
    assert set(justerare) <= {p["name"] for p in attendees["voting"]}
    check(folder)


def test_a_protocol_without_kallelse_gets_one_example_paragraph(content: Path) -> None:
    folder = content.parent
    result = new(folder, "protokoll", "styrelsen", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert "ingen kallelse" in result.stdout
    text = (content / "protocols/styrelsen/2026-11-25.md").read_text("utf-8")
    assert text.count("\n## § ") == 1
    assert "\n## § 1 " in text  # no 2026 protocol yet
    check(folder)


def test_new_never_overwrites(content: Path) -> None:
    folder = content.parent
    assert new(folder, "kallelse", "styrelsen", "2026-12-16").returncode == 0
    kallelse = content / "meetings/styrelsen/2026-12-16.md"
    kallelse.write_text(kallelse.read_text("utf-8") + "Ändrat av sekreteraren.\n", "utf-8")
    edited = kallelse.read_bytes()
    result = new(folder, "kallelse", "styrelsen", "2026-12-16")
    assert result.returncode == 1
    assert "content/meetings/styrelsen/2026-12-16.md finns redan" in result.stderr
    assert kallelse.read_bytes() == edited

    signed = content / "protocols/styrelsen/2023-09-13.md"
    before = signed.read_bytes()
    result = new(folder, "protokoll", "styrelsen", "2023-09-13")
    assert result.returncode == 1
    assert "content/protocols/styrelsen/2023-09-13.md finns redan" in result.stderr
    assert signed.read_bytes() == before

    args = ("anslag", "ovrigt", "--title", "Tillfällig stängning", "--posted", "2026-12-01")
    assert new(folder, *args).returncode == 0
    result = new(folder, *args)
    assert result.returncode == 1
    assert "content/notices/2026/tillfallig-stangning.md finns redan" in result.stderr


def test_new_refuses_an_unknown_body_and_a_bad_date(content: Path) -> None:
    folder = content.parent
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    for draft in ("kallelse", "protokoll"):
        result = new(folder, draft, "styrelsn", "2026-12-16")
        assert result.returncode == 1
        assert "'styrelsn' finns inte" in result.stderr
        assert "menade du 'styrelsen'?" in result.stderr
    result = new(folder, "anslag", "delegationsbeslut", "--issuer", "styrelsn")
    assert result.returncode == 1
    assert "menade du 'styrelsen'?" in result.stderr
    for bad in ("2026-02-30", "16/12/2026", "imorgon"):
        result = new(folder, "kallelse", "styrelsen", bad)
        assert result.returncode == 2
        assert f"'{bad}' är inget datum i formen ÅÅÅÅ-MM-DD" in result.stderr
    result = new(folder, "anslag", "delegationsbeslut", "--posted", "2026-13-01")
    assert result.returncode == 2
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before


def appeal_last_day(posted: date) -> date:
    """The rule itself: three weeks from the day posted (KL 13 kap. 5 §), a last day on a
    Saturday, Sunday or holiday moved to the next day that is none (lag 1930:173 2 §)."""
    day = posted + timedelta(weeks=3)
    while day.weekday() >= 5 or day in law.holidays_of(day.year):
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(
    ("posted", "by_hand"),
    [
        ("2026-12-04", "måndag 28 december 2026 (2026-12-28)"),  # 25 Dec juldagen, a Friday
        ("2027-03-05", "tisdag 30 mars 2027 (2027-03-30)"),  # 26 Mar långfredagen, then Easter
        ("2026-06-01", "måndag 22 juni 2026 (2026-06-22)"),  # nothing moves it
    ],
)
def test_a_delegationsbeslut_shows_its_last_day_of_appeal(
    content: Path, posted: str, by_hand: str
) -> None:
    folder = content.parent
    title = "Beslut om medel till Ö-projektet"
    result = new(
        folder, "anslag", "delegationsbeslut", "--title", title, "--posted", posted,
        "--issuer", "styrelsen",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    file = content / f"notices/{posted[:4]}/beslut-om-medel-till-o-projektet.md"
    text = file.read_text("utf-8")
    last = appeal_last_day(D(posted))
    assert f"Sista dag att överklaga: {by_hand}" in text
    assert f"({last.isoformat()})" in text
    assert "KL 13 kap. 5 §" in text
    written = meta(file)
    assert written["kind"] == "delegationsbeslut"
    assert written["status"] == "draft"
    assert (written["title"], written["issuer"], written["posted"]) == (
        title,
        "styrelsen",
        posted,
    )
    assert D(str(written["decided"])) <= D(posted)
    assert "decided_by" in written and "taken_down" not in written
    check(folder)
    # filled in and published, it still passes
    edit(
        file,
        ("status: draft", "status: published"),
        ('decided_by: "ÄNDRA: delegatens titel eller namn"', "decided_by: förbundschefen"),
        ("ÄNDRA: anslagets text.", "Förbundschefen har beviljat medel till Ö-projektet."),
    )
    check(folder)


def test_other_notices_get_a_day_to_come_down(content: Path) -> None:
    folder = content.parent
    result = new(
        folder, "anslag", "foreskrifter", "--title", "Antagna föreskrifter om avgifter",
        "--posted", "2026-12-04", "--issuer", "Länsstyrelsen i Stockholms län",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    file = content / "notices/2026/antagna-foreskrifter-om-avgifter.md"
    written = meta(file)
    assert written["issuer"] == "Länsstyrelsen i Stockholms län"
    assert "decided" not in written
    taken_down = D(str(written["taken_down"]))
    assert taken_down > D("2026-12-04")
    check(folder)
    edit(
        file,
        ("status: draft", "status: published"),
        ("ÄNDRA: anslagets text.", "Föreskrifterna om avgifter är antagna."),
    )
    result = check(folder)
    assert str(file.relative_to(folder)) not in result.stderr  # not even a warning


# A fullmäktige of 31 ledamöter, one whose name has a comma: the example's lists of names wrap
# over lines and quote that name, and still read back as YAML.
FIRST_NAMES = ("Anna", "Bo", "Cecilia", "Dan", "Eva", "Filip", "Greta", "Hans")
LAST_NAMES = ("Andersson", "Bergström-Lindqvist", "Ek", "Dahl")
BIG = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES][:31]
BIG[30] = "Holm, Åsa"
BIG_KF = "  kf:\n    name: Kommunfullmäktige\n    kind: fullmaktige\n    members:\n" + "".join(
    f"      - {{name: {name!r}, party: S{', role: ordförande' if n == 0 else ''}}}\n"
    for n, name in enumerate(BIG)
)
# a body without a register: the draft's attendees and the example are placeholders
NO_REGISTER = "  au:\n    name: Arbetsutskottet\n"
# two of one name, told apart by id and party: the proceedings name them with the party
NAMESAKES = (
    "  ks:\n    name: Kommunstyrelsen\n    members:\n"
    "      - {name: Erik Lövgren, id: erik-lovgren-c, party: C, role: ordförande}\n"
    "      - {name: Anna Berg, party: S}\n"
    "      - {name: Erik Lövgren, id: erik-lovgren-m, party: M}\n"
    "      - {name: Per Ek, party: V}\n"
)


def uncommented(text: str) -> str:
    """The draft with its proceedings example taken in: the "# " off every line between the
    example's two marker lines."""
    lines = text.split("\n")
    start, end = lines.index(EXAMPLE_START), lines.index(EXAMPLE_END)
    inside = lines[start + 1 : end]
    assert inside and all(line.startswith("# ") for line in inside)
    return "\n".join([*lines[: start + 1], *(line[2:] for line in inside), *lines[end:]])


def without_example(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[: lines.index(EXAMPLE_START)] + lines[lines.index(EXAMPLE_END) + 1 :])


# what the secretary writes in place of the placeholders of a draft without kallelse
FILLED = {
    unfinished.TIME_PLACEHOLDER: "18.00-19.30",
    unfinished.PLACE_PLACEHOLDER: "Kansliet",
    unfinished.SECRETARY_PLACEHOLDER: "Emmeli Söderholm",
    unfinished.CHAIR_PLACEHOLDER: "Nils Ek",
    unfinished.MEMBER_PLACEHOLDER: "Lena Lind",
    unfinished.ITEM_PLACEHOLDER: "Verksamhetsplan",
    unfinished.PROPOSAL_PLACEHOLDER: "Verksamhetsplanen fastställs.",
}


def finished(file: Path) -> None:
    """The draft filled in: its placeholders replaced, its decisions written, and the example
    of proceedings made what happened (the vote was asked for and held)."""
    text = file.read_text("utf-8")
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    text = re.sub(r"### Beslut\n+(?=## |\Z)", "### Beslut\n\nBifall efter omröstning.\n\n", text)
    text = re.sub(r"Omröstning\s+begärs\.", "Omröstning begärs och verkställs.", text)
    file.write_text(text, "utf-8")


def justerat(file: Path) -> None:
    """Status justerat, with the justering and anslag the draft suggests in its comments."""
    text = file.read_text("utf-8").replace("status: draft", "status: justerat", 1)
    suggested = re.compile(
        r"^# justering:\n#   date: (\S+)\n#   digital: true\n# anslag:\n#   posted: (\S+)\n", re.M
    )
    assert suggested.search(text)
    text = suggested.sub(
        r"justering:\n  date: \1\n  digital: true\nanslag:\n  posted: \2\n", text, count=1
    )
    file.write_text(text, "utf-8")


@pytest.mark.parametrize(
    ("organ", "day", "bodies", "paragraph", "yes", "no"),
    [
        # the sample's register on that day: six ledamöter, the ordförande first; § 12 follows
        # the protocol of 13 September 2023
        (
            "styrelsen",
            "2023-10-11",
            "",
            12,
            ["Sedat Dogru", "Anders Widerström", "Ajda Asgari", "Antonella Pirrone"],
            ["Kent Svensson", "Cia Holmér"],
        ),
        ("kf", "2026-12-17", BIG_KF, 1, BIG[:16], BIG[16:]),
        # 1 against 1: the chair's vote decides (KL 5 kap. 56 §)
        ("au", "2026-12-17", NO_REGISTER, 1, ["Nils Ek"], ["Lena Lind"]),  # once filled in
        (
            "ks",
            "2026-12-17",
            NAMESAKES,
            1,
            ["Erik Lövgren (C)", "Anna Berg", "Erik Lövgren (M)"],
            ["Per Ek"],
        ),
    ],
    ids=["register", "wrapped", "no-register", "namesakes"],
)
def test_the_proceedings_example_is_valid_once_uncommented(
    content: Path,
    organ: str,
    day: str,
    bodies: str,
    paragraph: int,
    yes: list[str],
    no: list[str],
) -> None:
    folder = content.parent
    edit(content / "site.yaml", ("bodies:\n", "bodies:\n" + bodies))
    result = new(folder, "protokoll", organ, day)
    assert result.returncode == 0, result.stderr
    file = content / f"protocols/{organ}/{day}.md"
    text = file.read_text("utf-8")
    # only comments: the front matter is the same with and without the example
    assert "\nproceedings:" not in text and "\n# proceedings:" in text
    bare, problems = read_source(str(file), without_example(text).encode("utf-8"))
    assert bare is not None, problems
    assert meta(file) == dict(bare.meta)
    assert all(len(line) <= 100 for line in text.splitlines())
    if organ == "au":
        assert "Namnen är platshållarna under attendees" in text
    check(folder)

    file.write_text(uncommented(text), "utf-8")
    justerat(file)
    # as the draft was, the example is unfinished work; filled in, it is none
    assert (
        "exemplet under proceedings"
        in run_build_py("check", "--content", "content", cwd=folder).stderr
    )
    finished(file)
    facts = meta(file)["proceedings"]
    assert isinstance(facts, list) and len(facts) == 1
    assert facts[0]["paragraph"] == paragraph
    assert facts[0]["vote"]["yes"] == yes and facts[0]["vote"]["no"] == no
    assert facts[0]["reservations"] == [{"by": no}]
    result = check(folder, today="2027-02-01")  # after its justering
    assert f"{organ}/{day}.md" not in result.stderr  # not even a warning

    built = run_build_py(
        "build", "--no-pdf", "--content", "content", "--out", "site",
        "--templates", str(ROOT / "templates"), "--today", "2027-02-01", cwd=folder,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    page = folder / f"site/protokoll/{organ}/{day}/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    vote = soup.select_one("div.proceedings.vote")
    assert vote is not None
    caption = vote.find("caption")
    assert caption is not None
    assert f"{len(yes)} ja, {len(no)} nej, 0 avstår" in caption.get_text()
    rows = [
        (row.select_one(".name").get_text(strip=True), [td.get_text() for td in row.find_all("td")])
        for row in vote.select("tbody tr")
    ]
    assert [name for name, marks in rows if marks == ["X", "", ""]] == yes
    assert [name for name, marks in rows if marks == ["", "X", ""]] == no
    result_text = vote.select_one("p.vote-result")
    assert result_text is not None
    assert "har beslutat enligt ja: bifall till förslaget." in result_text.get_text()
    reservation = soup.select_one("div.proceedings.reservations")
    assert reservation is not None
    said = " ".join(reservation.get_text(" ", strip=True).split())
    assert "reserverar sig mot beslutet" in said
    assert [a.get_text(strip=True) for a in reservation.select(".name")] == no
