"""Small pure functions, case by case."""

from __future__ import annotations

from datetime import date

import pytest

from justerat.core.problems import Problem, Severity, report
from justerat.core.swedish import counted, swedish_date
from justerat.domain.model import PartKind
from justerat.domain.source import read_source
from justerat.reading.markdown import classify, parser, slug
from justerat.web.render import relative_url


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        ("", "", "./"),
        ("protokoll/", "", "protokoll/"),
        ("", "protokoll/styrelsen/2023-09-13/", "../../../"),
        ("assets/style.css", "protokoll/styrelsen/", "../../assets/style.css"),
        ("protokoll/styrelsen/2023/", "protokoll/styrelsen/2023-09-13/", "../2023/"),
        (
            "protokoll/styrelsen/2023-09-13/#paragraf-3",
            "",
            "protokoll/styrelsen/2023-09-13/#paragraf-3",
        ),
        ("planer/x/", "planer/x/", "./"),
    ],
)
def test_relative_url(target: str, page: str, expected: str) -> None:
    assert relative_url(target, page) == expected


@pytest.mark.parametrize(
    ("day", "weekday", "expected"),
    [
        (date(2023, 9, 13), False, "13 september 2023"),
        (date(2022, 5, 11), False, "11 maj 2022"),
        (date(2023, 9, 22), True, "fredag 22 september 2023"),
        (date(2024, 1, 1), False, "1 januari 2024"),
    ],
)
def test_swedish_date(day: date, weekday: bool, expected: str) -> None:
    assert swedish_date(day, weekday) == expected


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Styrelsen beslutar", PartKind.DECISION),
        ("Kommunstyrelsen beslutar:", PartKind.DECISION),
        ("Kommunfullmäktiges beslut", PartKind.DECISION),
        ("Kommunledningsutskottets förslag", PartKind.PROPOSAL),
        ("Kommunstyrelsens förslag till kommunfullmäktige", PartKind.PROPOSAL),
        ("Nämndens beslut och motivering", PartKind.TEXT),
        ("Förslag till beslut", PartKind.PROPOSAL),
        ("Styrelsen föreslås besluta", PartKind.PROPOSAL),
        ("Beslutsunderlag", PartKind.BASIS),
        ("Sammanfattning", PartKind.SUMMARY),
        ("Kommentarer", PartKind.TEXT),
        ("Halvårsbokslut", PartKind.TEXT),
    ],
)
def test_parts_are_recognised_by_heading(heading: str, kind: PartKind) -> None:
    assert classify(heading) is kind


def test_slug_is_ascii() -> None:
    assert (
        slug("4.8 Utveckling av ”vuxenteam” i Haninge - pilot")
        == "4-8-utveckling-av-vuxenteam-i-haninge-pilot"
    )
    assert slug("Överskott") == "overskott"
    assert slug("§§") == "avsnitt"


def test_raw_html_stays_text_and_script_links_are_refused() -> None:
    html = parser().render("<script>alert(1)</script>\n\n[klick](javascript:alert(1))\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_table_caption_comes_from_the_line_above() -> None:
    html = parser().render("Tabell: Budget\n\n| Post | Belopp |\n|---|---:|\n| A | 1 000 |\n", {})
    assert '<caption id="tabell-1">Budget</caption>' in html
    assert "<p>Tabell" not in html


def test_yaml_keeps_dates_times_and_party_abbreviations_as_text() -> None:
    source, problems = read_source(
        "x.md", b"---\ndate: 2023-09-13\ntime: 15.00\nparty: NO\nflag: true\n---\nbody\n"
    )
    assert problems == [] and source is not None
    assert source.meta == {"date": "2023-09-13", "time": "15.00", "party": "NO", "flag": True}
    assert source.line_of("party") == 4
    assert source.body_line == 7


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 filer"), (1, "1 fil"), (2, "2 filer"), (21, "21 filer")]
)
def test_a_count_takes_the_singular_for_one_alone(number: int, expected: str) -> None:
    assert counted(number, "fil", "filer") == expected


def test_one_warning_is_a_warning_not_warnings() -> None:
    one = Problem("content/site.yaml", 3, Severity.WARNING, "något", "regel")
    assert report([one]).splitlines()[-1] == "0 fel, 1 varning"
    assert report([]).splitlines()[-1] == "0 fel, 0 varningar"
