"""An omröstning stated in a paragraph's text and recorded in its ``proceedings``
(justerat/legal/vote_counts.py, justerat/legal/decisions.py, templates/macros.html).

- The reader: every real text of the import corpus (tests/fixtures/import/, the seed documents
  in tests/fixtures/seeds/) is read, and the one real sentence there that states vote counts
  (Östersund's kommunstyrelse, 2012-01-24 § 25, see corpus/SOURCES.md) is read with its
  numbers; every other text, full of dates, diarienummer, sums in kronor and § numbers, reads
  as no omröstning. The common ways protocols word the counts are each read with theirs.
- ``check``: a § text whose counts are not the recorded ones gets a warning at the
  sentence's line (rule ``omrostning-text``), so does one that leaves out that some abstained;
  a text that states counts where no vote is recorded is the record, and gets none.
- The page shows the counts once: where the text states the recorded counts, they are read
  in the text, and the Omröstning box keeps only what the text does not say (what ja and nej
  were for, who voted how); where the text is silent, the box gives the counts.

The example kommun (examples/kommun) is copied and its November protocol edited; `check` and
`build` run as the secretary runs them, and the built page is parsed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import FIXTURES, ROOT, run_build_py

from justerat.legal.vote_counts import Standing, Stated, read, standing

EXAMPLE = ROOT / "examples" / "kommun"
PROTOCOL = "protocols/kommunfullmaktige/2026-11-16.md"
PAGE = "protokoll/kommunfullmaktige/2026-11-16/index.html"
TODAY = "2026-12-07"

# --- the reader, on the real texts ---------------------------------------------------------------

REAL = sorted(
    [
        *(FIXTURES / "import" / "corpus").glob("*.txt"),
        *(FIXTURES / "import" / "proceedings").glob("*.txt"),
        *(FIXTURES / "seeds").glob("*.txt"),
    ]
)
# file -> what it states: (line, ja, nej, avstår, counts that name no side), each omröstning
STATED = {
    "ostersund-ks-2012-01-24-p25.txt": [(25, 11, 2, 2, ())],
    "ostersund-ks-2012-01-24-p25-page.txt": [(30, 11, 2, 2, ())],  # the same §, as printed
}


def test_the_corpus_is_there() -> None:
    assert len(REAL) >= 30  # 28 protocols, Östersund's §, the seed documents
    assert set(STATED) <= {path.name for path in REAL}


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_every_real_text_reads_as_the_votes_it_states(path: Path) -> None:
    found = [(s.line, s.yes, s.no, s.abstain, s.either) for s in read(path.read_text("utf-8"))]
    assert found == STATED.get(path.name, [])


def test_the_real_sentence_is_where_the_reader_says() -> None:
    text = (FIXTURES / "import" / "proceedings" / "ostersund-ks-2012-01-24-p25.txt").read_text()
    (stated,) = read(text)
    assert text.splitlines()[stated.line - 1].startswith("Med 11 ja-röster mot 2 nej-röster")
    assert standing(text, 11, 2, 2) == (Standing.TOLD, stated)
    assert standing(text, 11, 3, 2)[0] is Standing.DIFFERS


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        # (ja, nej, avstår, counts that name no side)
        ("Med 12 ja-röster mot 7 nej-röster beslutar fullmäktige att bifalla.", (12, 7, None, ())),
        ("Nämnden beslutar med sex ja-röster mot två nej-röster att bifalla.", (6, 2, None, ())),
        ("Med tjugotre ja-röster mot arton nej-röster antas förslaget.", (23, 18, None, ())),
        ("Omröstningen utföll med 6 ja, 2 nej och 1 avstående.", (6, 2, 1, ())),
        ("Omröstningsresultat: 6 ja, 2 nej och 1 avstår.", (6, 2, 1, ())),
        ("Resultat: 5 ja, 3 nej, 1 avstod.", (5, 3, 1, ())),
        ("Med 30 ja, 19 nej och 2 nedlagda röster bifalls motionen.", (30, 19, 2, ())),
        ("6 ja-röster, 2 nej-röster, ingen avstod.", (6, 2, 0, ())),
        ("Med 11 ja-röster mot 2 samt 2 ledamöter som avstår.", (11, 2, 2, ())),
        ("Med 25 röster mot 20 beslutar fullmäktige att bifalla.", (None, None, None, (25, 20))),
        (
            "Med 30 röster för kommunstyrelsens förslag och 19 röster för Eva Nords yrkande "
            "beslutar fullmäktige att bifalla kommunstyrelsens förslag.",
            (None, None, None, (30, 19)),
        ),
        ("Sju ledamöter röstade ja. Två röstade nej. En ledamot avstod.", (7, 2, 1, ())),
        (
            "Omröstningsresultat\n9 ledamöter röstar ja.\n4 nej.\n"
            "2 ledamöter (SD) avstod från att rösta.",
            (9, 4, 2, ()),
        ),
        (
            "Omröstningsresultat\n41 ledamöter röstar för majoritetsval.\n"
            "10 ledamöter röstar för proportionella val.",
            (None, None, None, (41, 10)),
        ),
        ("Omröstningen slutade med röstsiffrorna 14–0.", (None, None, None, (14, 0))),
        ("Röstsiffrorna blev 6-2-1.", (None, None, 1, (6, 2))),
        ("Omröstning\nJa-röster: 25\nNej-röster: 20\nAvstår: 4", (25, 20, 4, ())),
        ("Ja-röster: 3 Nej-röster: 3", (3, 3, None, ())),
        ("Nej (2): Erik Ek (SD), Bo Berg (M)\nJa (5): …", (5, 2, None, ())),
        (
            "Med **12** ja-röster mot 7 nej-röster beslutar fullmäktige\natt bifalla.",
            (12, 7, None, ()),
        ),
    ],
)
def test_the_ways_protocols_state_the_counts(
    sentence: str, counts: tuple[int | None, int | None, int | None, tuple[int, ...]]
) -> None:
    (stated,) = read(sentence)
    assert (stated.yes, stated.no, stated.abstain, stated.either) == counts


@pytest.mark.parametrize(
    "sentence",
    [
        "Kommunfullmäktige 2026-11-16, § 134, Dnr KS 2026/91.",
        "Föreningen Björkhage bastu beviljas ett bidrag om 25 000 kronor.",
        "Kommunledningsutskottet beslutade 2026-09-07, § 28, att ge räddningschefen i uppdrag.",
        "Sammanträdet ajourneras mellan kl. 18.55 och 19.05; 21 ledamöter är närvarande.",
        "Ingen omröstning begärs. Fullmäktige bifaller förslaget.",
        "Helena Hult (L) avstår från att delta i beslutet.",
        "3 ledamöter avstår från att delta i beslutet.",
        "Svaret blev ett nej. Ja-röst för bifall till förslaget, nej-röst för avslag.",
        "Då fyra (4) röster krävs för att genomdriva proportionella val.",
        "Omröstning genomförs enligt bilaga 2, KS § 12, 4 kap. 25 § kommunallagen.",
    ],
)
def test_what_is_no_vote_count_reads_as_nothing(sentence: str) -> None:
    assert read(sentence) == ()


def test_two_votes_in_one_paragraph() -> None:
    text = (
        "Omröstning om återremiss begärs. Med 9 ja-röster mot 12 nej-röster avslås yrkandet.\n\n"
        "Omröstning begärs. Med 12 ja-röster mot 7 nej-röster och 1 som avstår bifalls "
        "förslaget."
    )
    assert read(text) == (Stated(1, 9, 12), Stated(3, 12, 7, 1))
    assert standing(text, 12, 7, 1) == (Standing.TOLD, Stated(3, 12, 7, 1))


def test_how_a_text_stands_to_the_record() -> None:
    text = "Med 6 ja-röster mot 2 nej-röster beslutar nämnden att bifalla."
    assert standing(text, 6, 2, 0)[0] is Standing.TOLD
    assert standing(text, 6, 3, 0)[0] is Standing.DIFFERS
    assert standing(text, 6, 2, 1)[0] is Standing.OMITS  # the text said 6–2, the facts 6–2–1
    assert standing(text + " Mats Rydén (V) avstår.", 6, 2, 1)[0] is Standing.TOLD
    assert standing("Med 25 röster mot 20 bifalls förslaget.", 20, 25, 0)[0] is Standing.TOLD
    assert standing("41 ledamöter röstar för majoritetsval.", 41, 10, 0)[0] is Standing.PARTIAL
    assert standing("Förslaget bifalls.", 6, 2, 0) == (Standing.SILENT, None)


# --- check and the page, on the example kommun ----------------------------------------------------

SENTENCE_134 = (
    "Omröstning begärs. Med 12 ja-röster mot 7 nej-röster beslutar kommunfullmäktige att\n"
    "bifalla kommunstyrelsens förslag. Mats Rydén (V) avstår från att rösta.\n"
)


def _copy(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, str]:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    path = content / PROTOCOL
    text = path.read_text("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return content, text


def _at(text: str, start: str) -> int:
    """The line of the file that begins with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _stated_in_134(sentence: str) -> tuple[str, str]:
    """An edit: the sentence in § 134's text, before its decision."""
    return (
        "Tjänsteskrivelse från kommunledningsförvaltningen 2026-10-20.\n",
        f"Tjänsteskrivelse från kommunledningsförvaltningen 2026-10-20.\n\n{sentence}",
    )


def _vote(paragraph: int, yes: int, no: int) -> tuple[str, str]:
    """An edit: an omröstning by counts at § 135 or § 136, without what ja and nej were for."""
    if paragraph == 135:
        return (
            "  - paragraph: 136\n",
            f"  - paragraph: 135\n    vote: {{yes: {yes}, no: {no}, abstain: 0, result: 'yes'}}\n"
            "  - paragraph: 136\n",
        )
    return (
        "    left: [Lars Nyberg]\n",
        f"    left: [Lars Nyberg]\n    vote: {{yes: {yes}, no: {no}, abstain: 0, result: 'yes'}}\n",
    )


def _check(content: Path) -> list[str]:
    result = run_build_py("check", "--content", str(content), "--today", TODAY)
    return [  # the line number and message of each problem of the kind or an error
        line.removeprefix(f"{content / PROTOCOL}:")
        for line in result.stderr.splitlines()
        if "omrostning-text" in line or ": error: " in line
    ]


def test_counts_that_differ_are_warned_at_the_sentence(tmp_path: Path) -> None:
    content, text = _copy(
        tmp_path,
        _stated_in_134(SENTENCE_134.replace("mot 7 nej-röster", "mot 6 nej-röster")),
        _vote(136, 14, 6),
        (
            "Handlingsprogrammet för Räddningstjänsten i Ådala kommun, enligt Lagen om skydd mot "
            "olyckor, har\n",
            "Omröstning begärs. Med fjorton ja-röster mot sex nej-röster antar "
            "kommunfullmäktige förslaget.\n\nHandlingsprogrammet för Räddningstjänsten i Ådala "
            "kommun, enligt Lagen om skydd mot olyckor, har\n",
        ),
    )
    assert _check(content) == [
        f"{_at(text, 'Omröstning begärs. Med 12')}: warning: texten i § 134 anger 12 ja och 6 "
        "nej i omröstningen, men vote i proceedings säger ja 12, nej 7, avstår 1; rätta det "
        "som är fel, texten eller vote [omrostning-text]",
    ]  # § 136 states its recorded 14–6: nothing to say


def test_a_text_that_leaves_out_the_abstention_is_warned(tmp_path: Path) -> None:
    sentence = SENTENCE_134.replace(" Mats Rydén (V) avstår från att rösta.", "")
    content, text = _copy(tmp_path, _stated_in_134(sentence))
    assert _check(content) == [
        f"{_at(text, 'Omröstning begärs. Med 12')}: warning: texten i § 134 anger 12 ja och 7 "
        "nej i omröstningen men inte att 1 avstod, som vote i proceedings säger; skriv det i "
        "texten (till exempel 'och 1 avstår') eller rätta vote [omrostning-text]",
    ]


def test_counts_in_a_text_without_a_recorded_vote_are_the_record(tmp_path: Path) -> None:
    content, _ = _copy(
        tmp_path,
        (
            "Inga frågor ställs.\n",
            "Med 20 ja-röster mot 1 nej-röst beslutar kommunfullmäktige att hålla frågestunden.\n"
            "Inga frågor ställs.\n",
        ),
    )
    result = run_build_py("check", "--content", str(content), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "omrostning-text" not in result.stderr


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    """The November protocol with three votes: § 134 by name, stated in the text; § 135 by
    counts, stated in the text (in words); § 136 by counts, the text silent."""
    where = tmp_path_factory.mktemp("votes")
    content, _ = _copy(
        where,
        _stated_in_134(SENTENCE_134),
        _vote(135, 15, 6),
        _vote(136, 14, 6),
        (
            "Syftet med upphävandet är",
            "Omröstning begärs. Med femton ja-röster mot sex nej-röster antar kommunfullmäktige "
            "förslaget.\n\nSyftet med upphävandet är",
        ),
    )
    checked = run_build_py("check", "--content", str(content), "--today", TODAY)
    assert checked.stderr.splitlines() == ["0 fel, 0 varningar"], checked.stderr
    out = where / "site"
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--cache", str(where / "cache"),
        "--today", TODAY, "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return BeautifulSoup((out / PAGE).read_text("utf-8"), "html.parser")


def _section(soup: BeautifulSoup, number: int) -> Tag:
    found = soup.select_one(f"section#paragraf-{number}")
    assert found is not None
    return found


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _counts_shown(tag: Tag) -> list[str]:
    """Every count the tag shows as the page words it: '12 ja', '7 nej-röster', 'femton ja-röster',
    and the cells of a table's row of counts."""
    words = r"\d+|femton|sex|fjorton"
    shown = re.findall(rf"\b(?:{words}) (?:ja|nej|avstår)\b", _text(tag))
    shown += [_text(row) for row in tag.select("tfoot tr, tbody tr") if "Antal" in _text(row)]
    return shown


def test_a_vote_by_name_stated_in_the_text_shows_its_counts_once(page: BeautifulSoup) -> None:
    section = _section(page, 134)
    assert _counts_shown(section) == ["12 ja", "7 nej"]  # the text's "12 ja-röster mot 7 nej-…"
    assert "Mats Rydén (V) avstår från att rösta." in _text(section)
    box = section.select_one(".proceedings.vote")
    assert box is not None
    assert not _counts_shown(box) and box.select_one("tfoot") is None
    assert box.select_one(".vote-result") is None  # the text tells the outcome
    caption = box.select_one("caption")
    assert caption is not None
    assert _text(caption) == (
        "Så röstade ledamöterna vid § 134 (röstetalen står i paragrafens text)"
    )
    rows = {
        _text(r.select("th")[0]): [_text(td) for td in r.select("td")]
        for r in box.select("tbody tr")
    }
    assert len(rows) == 20  # who voted how: what the text does not say
    assert rows["Mats Rydén (V)"] == ["", "", "X"] and rows["Karin Wester (M)"] == ["", "X", ""]
    means = [_text(dd) for dd in box.select(".vote-means dd")]
    assert means == ["bifall till kommunstyrelsens förslag", "avslag på kommunstyrelsens förslag"]


def test_a_vote_by_counts_stated_in_the_text_is_read_there(page: BeautifulSoup) -> None:
    section = _section(page, 135)
    assert _counts_shown(section) == ["femton ja", "sex nej"]
    assert section.select_one(".proceedings.vote") is None  # nothing the text does not say


def test_a_vote_the_text_does_not_state_shows_its_counts(page: BeautifulSoup) -> None:
    section = _section(page, 136)
    box = section.select_one(".proceedings.vote")
    assert box is not None
    caption = box.select_one("caption")
    assert caption is not None
    assert _text(caption) == "Omröstning vid § 136: 14 ja, 6 nej, 0 avstår"
    assert _counts_shown(section) == ["14 ja", "6 nej", "0 avstår", "Antal röster 14 6 0"]
    result = box.select_one(".vote-result")
    assert result is not None
    assert _text(result) == "Kommunfullmäktige har beslutat enligt ja."
