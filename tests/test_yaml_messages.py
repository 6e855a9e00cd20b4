"""Messages a secretary understands (issue 27, item 8): every YAML mistake in a front matter or
in site.yaml is reported in Swedish, on the file's own line, with what to do; and YAML 1.1's
surprises (``time: 8:30`` read as 510, ``0701234567`` read in base 8) are gone.

Each case breaks one file of a copy of the example kommun and runs the real `build.py check`.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site, run_build_py

from justerat.domain import yamlerrors
from justerat.domain.source import parse_yaml

KOMMUN = ROOT / "examples" / "kommun"
MEETING = "meetings/kommunstyrelsen/2026-12-08.md"  # a kallelse; its front matter is lines 1-23
PROTOCOL = "protocols/kommunfullmaktige/2026-11-16.md"
SITE = "site.yaml"

# PyYAML's own vocabulary: none of it may reach a secretary
ENGLISH = re.compile(
    r"not allowed|could not|cannot start|found|expected|while (?:scanning|parsing)|"
    r"end of stream|token|scalar|mapping|sequence|\bNone\b|\bTrue\b|\bFalse\b"
)


@pytest.fixture
def kommun(tmp_path: Path) -> Path:
    """A private copy of the example kommun, which checks clean as shipped."""
    copy = tmp_path / "kommun"
    shutil.copytree(KOMMUN, copy)
    return copy


def edit(kommun: Path, name: str, old: str, new: str) -> None:
    file = kommun / name
    text = file.read_text("utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), "utf-8")


def check(kommun: Path) -> tuple[int, list[str]]:
    result = run_build_py("check", "--content", str(kommun))
    return result.returncode, result.stderr.splitlines()


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    old: str
    new: str
    line: int
    message: str  # the whole message, as the secretary reads it
    rule: str = "yaml"


CASES = [
    Case(
        "colon-in-value",
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        "place: Tingssalen: kommunhuset",
        5,
        "värdet innehåller ett kolon följt av mellanslag, som YAML läser som början på en ny "
        'nyckel; sätt hela värdet inom citattecken: place: "Tingssalen: kommunhuset"',
    ),
    Case(
        "colon-in-value-in-site-yaml",  # site.yaml is YAML from its first line
        SITE,
        "  court: Förvaltningsrätten i Växjö",
        "  court: Förvaltningsrätten: Växjö",
        8,
        "värdet innehåller ett kolon följt av mellanslag, som YAML läser som början på en ny "
        'nyckel; sätt hela värdet inom citattecken: court: "Förvaltningsrätten: Växjö"',
    ),
    Case(
        "tab-for-indentation",
        MEETING,
        "  - title: Upprop och val av justerare",
        "\t- title: Upprop och val av justerare",
        10,
        "raden har ett tabbtecken, och YAML tillåter bara mellanslag; byt tabben mot mellanslag "
        "(två mellanslag för varje steg i indraget)",
    ),
    Case(
        "list-item-indented-less",
        MEETING,
        "  - title: Anmälan om delegationsbeslut",
        " - title: Anmälan om delegationsbeslut",
        11,
        "listposten är indragen annorlunda än listposterna ovanför; ställ alla '- ' i samma "
        "lista rakt under varandra",
    ),
    Case(
        "key-in-list-item-indented-wrong",
        MEETING,
        "    diarienummer: KS 2026/58",
        "   diarienummer: KS 2026/58",
        14,
        "raden är indragen fel: nycklar på samma nivå ska stå rakt under varandra, med lika "
        "många mellanslag före",
    ),
    Case(
        "key-in-list-item-under-the-dash",
        MEETING,
        "    diarienummer: KS 2026/58",
        "  diarienummer: KS 2026/58",
        14,
        "raden står rakt under listans '-' men är ingen listpost; dra in den så att den står "
        "rakt under nyckeln ovanför, eller börja den med '- ' om den är en ny listpost",
    ),
    Case(
        "unclosed-quote",  # found at the end of the front matter; named where it opens
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala',
        5,
        'citattecknet " som börjar här avslutas aldrig; avsluta värdet med " på samma rad, '
        "eller ta bort citattecknet",
    ),
    Case(
        "text-after-the-closing-quote",
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        'place: "Tingssalen", kommunhuset',
        5,
        "värdet fortsätter efter ett avslutande citattecken (eller en parentes); sätt hela "
        "värdet inom citattecken: place: '\"Tingssalen\", kommunhuset'",
    ),
    Case(
        "unclosed-bracket",  # found lines later; named where it opens
        PROTOCOL,
        "justerare: [Karin Wester, Per-Olof Ek]",
        "justerare: [Karin Wester, Per-Olof Ek",
        44,
        "listan som börjar med [ på raden avslutas aldrig med ]; lägg till ] i slutet av "
        "värdet, eller sätt värdet inom citattecken om [ hör till texten",
    ),
    Case(
        "unclosed-brace",
        SITE,
        "      - {name: Lars Nyberg, party: S, role: 1:e vice ordförande}",
        "      - {name: Lars Nyberg, party: S, role: 1:e vice ordförande",
        30,
        "värdet som börjar med { på raden avslutas aldrig med }; lägg till } i slutet av "
        "värdet, eller sätt värdet inom citattecken om { hör till texten",
    ),
    Case(
        "duplicate-key",
        MEETING,
        "status: planned\n",
        "status: planned\nstatus: planned\n",
        7,
        "nyckeln 'status' förekommer två gånger (första gången på rad 6); ta bort den ena "
        "eller byt namn på den",
    ),
    Case(
        "value-starting-with-at",
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        "place: @Tingssalen",
        5,
        "ett värde kan inte börja med tecknet @ i YAML; sätt värdet inom citattecken: "
        'place: "@Tingssalen"',
    ),
    Case(
        "value-starting-with-backtick",
        MEETING,
        "  - title: Rapporter",
        "  - title: `Rapporter`",
        22,
        "ett värde kan inte börja med tecknet ` i YAML; sätt värdet inom citattecken: "
        '- title: "`Rapporter`"',
    ),
    Case(
        "value-starting-with-asterisk",
        MEETING,
        "  - title: Rapporter",
        "  - title: *Rapporter*",
        22,
        "en asterisk * i början av ett värde betyder ett YAML-alias, som inte används i "
        'Justerat; sätt värdet inom citattecken: - title: "*Rapporter*"',
    ),
    Case(
        "value-starting-with-exclamation-mark",
        MEETING,
        "  - title: Rapporter",
        "  - title: !Viktigt Rapporter",
        22,
        "ett utropstecken ! i början av ett värde betyder en YAML-tagg, som inte används i "
        'Justerat; sätt värdet inom citattecken: - title: "!Viktigt Rapporter"',
    ),
    Case(
        "a-tag-yaml-cannot-construct",  # once a crash (ValueError) instead of a message
        MEETING,
        "  - title: Rapporter",
        "  - title: !!int Rapporter",
        22,
        "ett utropstecken ! i början av ett värde betyder en YAML-tagg, som inte används i "
        'Justerat; sätt värdet inom citattecken: - title: "!!int Rapporter"',
    ),
    Case(
        "no-space-after-the-colon",
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        "place:Tingssalen",
        5,
        "kolonet efter nyckeln ska följas av ett mellanslag; skriv 'place: Tingssalen'",
    ),
    Case(
        "list-item-without-space",
        MEETING,
        "  - title: Rapporter",
        "  -Rapporter",
        22,
        "en listpost skrivs med ett mellanslag efter strecket: '- Rapporter'",
    ),
    Case(
        "backslash-in-double-quotes",
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        'place: "Tingssalen\\Kommunhuset"',
        5,
        "inom dubbla citattecken inleder \\ (bakåtsnedstreck) en specialkod; skriv \\\\ för ett "
        "bakåtsnedstreck, eller sätt värdet inom enkla citattecken: "
        "place: 'Tingssalen\\Kommunhuset'",
    ),
    Case(
        "front-matter-never-closed",
        MEETING,
        "  - title: Rapporter\n---\n",
        "  - title: Rapporter\n\n",
        1,
        "front matter avslutas aldrig: lägg till en rad '---' efter den",
        "",
    ),
    Case(
        "empty-value",  # YAML's null is no word for a secretary
        MEETING,
        'place: "Tingssalen, kommunhuset, Storgatan 1, Ådala"',
        "place:",
        5,
        "'place' är tomt men ska vara text; skriv ett värde efter kolonet",
        "schema",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_yaml_mistake_is_explained_in_swedish_on_its_line(kommun: Path, case: Case) -> None:
    edit(kommun, case.file, case.old, case.new)
    code, lines = check(kommun)
    assert code == 1, lines
    rule = f" [{case.rule}]" if case.rule else ""
    expected = f"{(kommun / case.file).as_posix()}:{case.line}: error: {case.message}{rule}"
    assert [each for each in lines if ": error: " in each] == [expected], lines
    said = [each.split(": ", 1)[-1] for each in lines]  # the messages, without the paths
    assert not ENGLISH.search("\n".join(said)), lines


def test_the_shipped_example_checks_clean(kommun: Path) -> None:
    """What every case above breaks is in order as shipped."""
    assert check(kommun) == (0, ["0 fel, 0 varningar"])


# --- times and numbers as a Swedish secretary writes them ----------------------------------


def test_time_8_30_is_the_same_time_as_08_30(kommun: Path, tmp_path: Path) -> None:
    """YAML 1.1 reads an unquoted 8:30 as 510 (base 60); it is read as the time it is, and the
    calendar and open data have the meeting at 08.30 as with "08.30"."""
    built = build_site(kommun, tmp_path / "quoted", tmp_path / "cache-1", "2026-12-07")
    edit(kommun, MEETING, 'time: "08.30"', "time: 8:30")
    assert check(kommun) == (0, ["0 fel, 0 varningar"])
    unquoted = build_site(kommun, tmp_path / "unquoted", tmp_path / "cache-2", "2026-12-07")
    calendar = "sammantraden/kommunstyrelsen/kalender.ics"
    assert b"DTSTART;TZID=Europe/Stockholm:20261208T083000" in (built / calendar).read_bytes()
    assert (unquoted / calendar).read_bytes() == (built / calendar).read_bytes()

    def start(site: Path) -> list[str]:
        data = json.loads((site / "data" / "sammantraden.json").read_text("utf-8"))
        return re.findall(r'"start": "(2026-12-08T[^"]*)"', json.dumps(data))

    assert start(unquoted) == start(built) == ["2026-12-08T08:30:00+01:00"]


def test_an_unquoted_time_span_with_colons_checks_clean(kommun: Path) -> None:
    edit(kommun, PROTOCOL, 'time: "18.30-19.55"', "time: 18:30-19:55")
    edit(kommun, MEETING, 'time: "08.30"', "time: 18:30")  # 18:30 alone was 1110
    assert check(kommun) == (0, ["0 fel, 0 varningar"])


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "message"),
    [
        (
            MEETING,
            'time: "08.30"',
            "time: 830",
            4,
            "'time': 830 läses som ett tal, inte en tid; skriv tiden inom citattecken: \"08.30\"",
        ),
        (
            MEETING,
            'time: "08.30"',
            "time:",
            4,
            "'time' är tomt; skriv tiden inom citattecken: \"08.30\"",
        ),
        (  # a protocol's time is a span: the example is one
            PROTOCOL,
            'time: "18.30-19.55"',
            "time: 1830",
            5,
            "'time': 1830 läses som ett tal, inte en tid; skriv tiden inom citattecken: "
            '"08.30-09.15"',
        ),
    ],
    ids=["number", "empty", "number-in-a-protocol"],
)
def test_a_time_that_cannot_be_read_says_to_quote_it(
    kommun: Path, file: str, old: str, new: str, line: int, message: str
) -> None:
    edit(kommun, file, old, new)
    code, lines = check(kommun)
    assert code == 1
    expected = f"{(kommun / file).as_posix()}:{line}: error: {message} [schema]"
    assert [each for each in lines if ": error: " in each] == [expected], lines


def test_a_telephone_number_with_a_leading_zero_is_text(kommun: Path) -> None:
    """0701234567 was a number in base 8 (117782903: "ska vara text"); a leading zero means
    the text as written."""
    edit(kommun, SITE, 'phone: "0491-000 00"', "phone: 0701234567")
    assert check(kommun) == (0, ["0 fel, 0 varningar"])
    meta, _, problems = parse_yaml("site.yaml", "phone: 0701234567\nparagraph: 010\n", 1)
    assert problems == [] and meta == {"phone": "0701234567", "paragraph": "010"}


def test_plain_numbers_and_true_false_keep_their_types() -> None:
    meta, _, problems = parse_yaml(
        "x.md", "year: 2023\nyes: 12\nno: -3\nzero: 0\ndigital: true\nparty: NO\n2024: a\n", 2
    )
    assert problems == []
    assert meta == {
        "year": 2023,
        "yes": 12,
        "no": -3,
        "zero": 0,
        "digital": True,
        "party": "NO",
        "2024": "a",
    }


# --- the table: every entry is met by a real PyYAML problem, none goes out in English -------

# (YAML starting on file line 2, as a front matter does; the line named; the message's start)
CORPUS = [
    ("a: 1\nb: x: y\n", 3, "värdet innehåller ett kolon"),
    ("a: 1\n b: 2\n", 3, "nyckeln på raden är indragen mer"),
    ("a:\n\tb: 1\n", 3, "raden har ett tabbtecken"),
    ("a: 1\nb: @x\n", 3, "ett värde kan inte börja med tecknet @"),
    ("a: 1\nb: %x\n", 3, "ett värde kan inte börja med tecknet %"),
    ("a: 1\nb c\nd: 2\n", 3, "raden saknar kolon efter nyckeln"),
    ("a: 1\nb: 'x\nc: 2\n", 3, "citattecknet ' som börjar här avslutas aldrig"),
    ('a: "x\\qy"\n', 2, "inom dubbla citattecken inleder \\"),
    ('a: "\\x4"\n', 2, "inom dubbla citattecken inleder \\"),
    ("a: 1\nb: - x\n", 3, "en listpost ('- ') kan inte stå på samma rad"),
    ("a: ? b\n", 2, "ett frågetecken följt av mellanslag"),
    ("a: *b*\n", 2, "en asterisk *"),
    ("a: *b\n", 2, "en asterisk *"),
    ("a: & b\n", 2, "tecknet & i början av ett värde"),
    ("a: !<x\n", 2, "ett utropstecken !"),
    ("a: !x!y z\n", 2, "ett utropstecken !"),
    ("a: > 5 min\n", 2, "tecknen | och >"),
    ("%YAML 1.1x\n---\na: 1\n", 2, "en rad som börjar med % är ett YAML-direktiv"),
    ("%YAML 2.0\n---\na: 1\n", 2, "en rad som börjar med % är ett YAML-direktiv"),
    ("j:\n  - a\n - b\n", 4, "listposten är indragen annorlunda"),
    ("a: 1\n- b\n", 3, "en listpost ('- ') står där en nyckel väntas"),
    ("a:\n  b: 1\n c: 2\n", 4, "raden är indragen fel"),
    ("j:\n  - a: 1\n  b: 2\n", 4, "raden står rakt under listans '-'"),
    ('a: "x" y\n', 2, "värdet fortsätter efter ett avslutande citattecken"),
    ("a: 1\n: x\n", 3, "raden börjar med ett kolon"),
    ("a: [x]]\n", 2, "värdet har en ] eller } för mycket"),
    ("a: [x: y: z]\n", 2, "listan inom [ ] är inte rätt skriven"),
    ("a: [x\nb: 1\n", 2, "listan som börjar med [ på raden avslutas aldrig"),
    ("a: {x: 1\nb: 1\n", 2, "värdet som börjar med { på raden avslutas aldrig"),
    ("a: [x,, y]\n", 2, "ett kommatecken står där ett värde väntas"),
    ("a: ]\n", 2, "värdet börjar med ett tecken som betyder något särskilt"),
    ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 3, "en rad som börjar med % är ett YAML-direktiv"),
    ("a: 1\n...\nb: 2\n", 4, "innehållet fortsätter efter en rad '...'"),
    ("a: 1\n---\nb: 2\n", 3, "en rad '---' delar filen i två YAML-dokument"),
    ("a: &x 1\nb: &x 2\n", 3, "YAML-ankare och alias"),
    ("a:\n  b: 1\n [x]\n", 4, "raden passar inte in bland raderna ovanför"),
]


@pytest.mark.parametrize(("text", "line", "start"), CORPUS)
def test_each_problem_is_told_in_swedish_on_its_line(text: str, line: int, start: str) -> None:
    meta, _, problems = parse_yaml("x.md", text, 2)
    assert meta is None
    [problem] = problems
    assert (problem.line, problem.rule) == (line, "yaml"), problem
    assert problem.message.startswith(start), problem.message
    assert not ENGLISH.search(problem.message), problem.message


def test_every_entry_of_the_table_is_met_by_a_real_problem() -> None:
    """No entry is dead, and none of the corpus falls through to the fallback."""
    met = set()
    for text, _, _ in CORPUS:
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)  # the pure-Python reader
        except yaml.MarkedYAMLError as exc:
            known = yamlerrors.known_for(exc)
            assert known is not None, exc
            met.add(known)
    assert met == set(yamlerrors.EXPLAINED)


def test_a_problem_the_table_does_not_know_is_still_swedish_with_its_line() -> None:
    """The fallback: Swedish first, with the line; PyYAML's words only after, in parentheses,
    for whoever helps the secretary."""
    text = "a: 1\nb: 2\n"
    mark = yaml.Mark("x.md", 5, 1, 0, text, 5)
    exc = yaml.MarkedYAMLError("while doing something new", mark, "found a new problem", mark)
    problem = yamlerrors.explain("x.md", exc, text, 2)
    assert str(problem) == (
        "x.md:3: error: YAML kan inte läsas på raden; kontrollera indraget (bara mellanslag), "
        "att varje nyckel följs av kolon och mellanslag, och att citattecken avslutas "
        "(YAML: while doing something new found a new problem) [yaml]"
    )


def test_a_control_character_is_named_by_its_code_on_its_line() -> None:
    _, _, [problem] = parse_yaml("x.md", "a: 1\nb: x\x07y\n", 2)
    assert (problem.line, problem.message) == (
        3,
        "otillåtet osynligt tecken (U+0007, ett styrtecken) på raden; ta bort det (det följer "
        "ibland med när text kopieras från ett annat program)",
    )
