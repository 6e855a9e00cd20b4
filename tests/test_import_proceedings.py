"""The importer writes an omröstning's result and the reservations of a paragraph into the front
matter's ``proceedings`` where the text leaves no doubt, and leaves them as text with an
[import-vote] or [import-reservation] warning otherwise; the paragraph's text stays in the body,
every word of it.

The paragraphs are real (tests/fixtures/import/corpus/SOURCES.md, "Paragraphs with votes and
reservations"):

- Östersunds kommun, kommunstyrelsen 2012-01-24 § 25 "Motion - Badplats Önsjön", as a bilaga of
  kommunfullmäktige 2012-03-15 § 56 (tests/fixtures/import/proceedings/
  ostersund-ks-2012-01-24-p25.txt): an omröstning with its propositionsordning and the result
  in a sentence, "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår från att
  rösta beslutar kommunstyrelsen …";
- Ånge kommun, kommunfullmäktige 2022-12-19 (tests/fixtures/import/corpus/
  25_kf-ange-2022-12-19-web.txt): yrkanden, a beslutsgång and a reservation of six members,
  "… lämnar skriftlig reservationsmotivering som biläggs protokollet".

The front pages around them (the § heading, the beslutande, the justering) are written here:
the sources give the paragraphs without theirs. The voters by name ("Ja: …") are set in the
frame of tests/fixtures/import/unseen/ks_2024-03-05.txt, which is not a real protocol: no real
protocol with the voters listed by name was found among the stored pages.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, Yaml12, run_build_py

from justerat.importer import accounting
from justerat.importer.convert import Imported, import_text
from justerat.importer.text import split_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
OSTERSUND = (FIXTURES / "proceedings" / "ostersund-ks-2012-01-24-p25.txt").read_text("utf-8")
ANGE = (FIXTURES / "corpus" / "25_kf-ange-2022-12-19-web.txt").read_text("utf-8")
UNSEEN_KS = (FIXTURES / "unseen" / "ks_2024-03-05.txt").read_text("utf-8")


# Östersund's kommunstyrelse: the two the paragraph names, and 13 more (invented) to make the
# 15 whose votes the paragraph counts
OSTERSUND_MEMBERS = [
    "AnnSofie Andersson (S)",
    "Pär Löfstrand (FP)",
    *(
        f"{first} {last} ({party})"
        for first, last, party in [
            ("Anna", "Berg", "S"),
            ("Bertil", "Dahl", "S"),
            ("Cecilia", "Ek", "S"),
            ("David", "Falk", "S"),
            ("Eva", "Gran", "S"),
            ("Fredrik", "Holm", "C"),
            ("Greta", "Idström", "C"),
            ("Hans", "Jonsson", "M"),
            ("Ida", "Kron", "M"),
            ("Johan", "Lind", "M"),
            ("Karin", "Moberg", "V"),
            ("Lars", "Nord", "MP"),
            ("Maria", "Olsson", "KD"),
        ]
    ),
]
# Ånge's kommunfullmäktige: those the paragraph names (the six who reserve themselves among
# them)
ANGE_MEMBERS = [
    "Erik Lövgren (S)",
    "Elisabet Larsson (C)",
    "Sten-Ove Danielsson (S)",
    "Carl-Olof Svensson (KD)",
    "Anette Lövgren (S)",
    "Jan Filipsson (S)",
    "Lars-Olof Larsson (VF)",
    "Hans-Erik Bäck (M)",
    "Örjan Olsson (V)",
    "Dennis Hjalmarsson (SD)",
    "Stig Malmberg (SD)",
    "Kent Johansson (SD)",
    "Tony Jensén (SD)",
    "Peter Edbom (SD)",
    "Gunnar Jansson (SD)",
]
ANGE_RESERVING = [
    "Dennis Hjalmarsson",
    "Kent Johansson",
    "Tony Jensén",
    "Stig Malmberg",
    "Peter Edbom",
    "Gunnar Jansson",
]


def frame(organ: str, day: str, members: list[str], heading: str, paragraph: str) -> str:
    """A whole protocol: a front page (``members`` the beslutande, the first of them chair),
    one paragraph ``heading`` with the text ``paragraph``, and the ANSLAGSBEVIS (justerat three
    days after the meeting, the notice up the day after for 25 days)."""
    chair = members[0].split(" (")[0]
    justerare = members[1].split(" (")[0]
    held = date.fromisoformat(day)
    justering, posted, down = (held + timedelta(days=n) for n in (3, 4, 29))
    return "\n".join(
        [
            f"{organ}",
            f"Sammanträdesdatum {day}",
            "",
            f"Plats och tid      Rådhuset, sammanträdesrum 1, {day} kl 13:00–16:00",
            "",
            "Beslutande",
            f"{members[0]}, ordförande",
            *members[1:],
            "",
            f"Utses att justera  {members[1]}",
            "",
            f"Justeringens       Kommunkansliet, {justering}",
            "plats och tid",
            "",
            "Underskrifter      Sekreterare   .......................................",
            "                                 Lisa Lund",
            "                   Ordförande    .......................................",
            f"                                 {chair}",
            "                   Justerande    .......................................",
            f"                                 {justerare}",
            "",
            heading,
            paragraph,
            "",
            "ANSLAG/BEVIS",
            "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
            f"Organ              {organ}",
            f"Sammanträdesdatum  {day}",
            f"Datum då anslaget sätts upp   {posted}        Datum då anslaget tas ned   {down}",
            "Förvaringsplats för protokollet   Kommunkansliet",
        ]
    )


def front_matter(imported: Imported) -> dict[str, Any]:
    front = imported.markdown[4:].split("\n---\n", 1)[0]
    meta: dict[str, Any] = yaml.load(front, Loader=Yaml12)
    return meta


def warnings_of(imported: Imported, rule: str) -> list[str]:
    return [str(p) for p in imported.problems if p.rule == rule]


def every_word_kept(source: str, imported: Imported) -> None:
    """The accounting of the written file finds nothing lost, and the paragraph's text is all
    in the body: the facts are written beside it, not taken out of it."""
    meta = front_matter(imported)
    body = imported.markdown[4:].split("\n---\n", 1)[1]
    first = imported.account
    furniture = {line.number: kind for line, kind in first.furniture_lines}
    again = accounting.account(split_lines(source), body, meta, first.front, furniture, first.read)
    assert again.lost == [] and first.lost == []


def ostersund(organ: str = "Kommunstyrelsen", members: list[str] = OSTERSUND_MEMBERS) -> str:
    return frame(organ, "2012-01-24", members, "KS § 25                Dnr 941-2011", OSTERSUND)


def test_a_vote_counted_in_a_sentence_is_written_with_what_ja_and_nej_are_for() -> None:
    source = ostersund()
    imported = import_text("ostersund.txt", source, organ="kommunstyrelsen")
    assert front_matter(imported)["proceedings"] == [
        {
            "paragraph": 25,
            "vote": {
                "yes": 11,
                "no": 2,
                "abstain": 2,
                "result": "yes",
                "yes_means": "bifall till AnnSofie Anderssons yrkande",
                "no_means": "bifall till Pär Löfstrands yrkande",
            },
        }
    ]
    assert not warnings_of(imported, "import-vote")
    assert "Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår" in imported.markdown
    every_word_kept(source, imported)


def test_the_imported_vote_passes_check(content: Path) -> None:
    """`check` holds the written vote to kommunallagen: the 15 votes are the 15 beslutande's,
    and ja won."""
    imported = import_text("ostersund.txt", ostersund(), organ="kommunstyrelsen")
    site = content / "site.yaml"
    settings = yaml.safe_load(site.read_text("utf-8"))
    settings["bodies"]["kommunstyrelsen"] = {"name": "Kommunstyrelsen"}
    site.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), "utf-8")
    target = content / "protocols" / "kommunstyrelsen" / "2012-01-24.md"
    target.parent.mkdir(parents=True)
    target.write_text(imported.markdown, "utf-8")
    result = run_build_py("check", "--content", str(content))
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [], result.stderr


def test_another_bodys_vote_quoted_in_a_paragraph_stays_text() -> None:
    """In Östersund the paragraph stood as a bilaga to kommunfullmäktige's § 56: the votes are
    kommunstyrelsen's, not fullmäktige's, and are not written as fullmäktige's."""
    source = ostersund("Kommunfullmäktige")
    imported = import_text("ostersund.txt", source, organ="kommunfullmaktige")
    assert "proceedings" not in front_matter(imported)
    [message] = warnings_of(imported, "import-vote")
    assert "omröstningen vid § 25 kunde inte läsas säkert (röstetalen gäller kommunstyrelsen)" in (
        message
    )
    every_word_kept(source, imported)


def test_votes_that_are_not_the_beslutande_stay_text() -> None:
    """Fourteen beslutande cannot cast fifteen votes: someone came or went, or had jäv, and the
    text does not say; the vote is not written."""
    source = ostersund(members=OSTERSUND_MEMBERS[:-1])
    imported = import_text("ostersund.txt", source, organ="kommunstyrelsen")
    assert "proceedings" not in front_matter(imported)
    [message] = warnings_of(imported, "import-vote")
    assert "15 röster men 14 beslutande på förstasidan" in message
    line = source.splitlines().index("Omröstning") + 1  # where the paragraph tells of it
    assert f"ostersund.txt:{line}: warning:" in message


def ange_paragraph() -> str:
    """The ärende of Ånge's stored page, from its text to its "Bilagor" (the page's navigation
    and cookie lines left out)."""
    lines = ANGE.splitlines()
    first = next(i for i, line in enumerate(lines) if "Ärendet avser" in line)
    last = next(i for i, line in enumerate(lines) if line.strip() == "Bilagor")
    return "\n".join(lines[first : last + 1])


def ange(members: list[str] = ANGE_MEMBERS) -> str:
    heading = "KF § 120 Investering och finansiering av ombyggnation av kommunhusets entréplan"
    return frame("Kommunfullmäktige", "2022-12-19", members, heading, ange_paragraph())


def test_a_reservation_of_six_is_written() -> None:
    source = ange()
    imported = import_text("ange.txt", source, organ="kommunfullmaktige")
    assert front_matter(imported)["proceedings"] == [
        {"paragraph": 120, "reservations": [{"by": ANGE_RESERVING}]}
    ]
    assert not warnings_of(imported, "import-reservation")
    assert not warnings_of(imported, "import-vote")  # yrkanden and a beslutsgång, no omröstning
    every_word_kept(source, imported)


def test_a_reservation_of_one_not_among_the_beslutande_stays_text() -> None:
    source = ange([m for m in ANGE_MEMBERS if not m.startswith("Gunnar Jansson")])
    imported = import_text("ange.txt", source, organ="kommunfullmaktige")
    assert "proceedings" not in front_matter(imported)
    [message] = warnings_of(imported, "import-reservation")
    assert (
        "reservationen vid § 120 kunde inte läsas säkert (Gunnar Jansson finns inte bland de "
        "beslutande på förstasidan)"
    ) in message
    every_word_kept(source, imported)


def test_the_stored_page_alone_has_no_paragraph_to_record_at() -> None:
    imported = import_text("ange.txt", ANGE)
    assert "proceedings" not in front_matter(imported)
    assert not warnings_of(imported, "import-reservation")


def test_a_reservation_of_one_member() -> None:
    imported = import_text("ks.txt", UNSEEN_KS, organ="kommunstyrelsen")
    assert front_matter(imported)["proceedings"] == [
        {"paragraph": 46, "reservations": [{"by": "Erik Ek"}]}
    ]


def unseen_with(text: str) -> str:
    """The frame of unseen/ks_2024-03-05.txt with ``text`` in place of § 46's reservation."""
    old = "Reservation\nErik Ek (SD) reserverar sig mot beslutet.\n"
    assert old in UNSEEN_KS
    return UNSEEN_KS.replace(old, text)


BY_NAME = """Omröstning
Omröstning begärs.
Ja-röst för bifall till förslaget, nej-röst för Erik Eks avslagsyrkande.
Ja: Anna Andersson (S), Bo Berg (M), Cecilia Carlsson (C),
David Dahl (S)
Nej: Erik Ek (SD), Fatima Farah (S)
Avstår: Helena Hult (L)
Mot beslutet reserverar sig Erik Ek (SD) och Fatima Farah (S).
"""


def test_voters_by_name_and_a_reservation_after_the_verb() -> None:
    source = unseen_with(BY_NAME)
    imported = import_text("ks.txt", source, organ="kommunstyrelsen")
    assert front_matter(imported)["proceedings"] == [
        {
            "paragraph": 46,
            "vote": {
                "yes": ["Anna Andersson", "Bo Berg", "Cecilia Carlsson", "David Dahl"],
                "no": ["Erik Ek", "Fatima Farah"],
                "abstain": ["Helena Hult"],
                "result": "yes",
                "yes_means": "bifall till förslaget",
                "no_means": "Erik Eks avslagsyrkande",
            },
            "reservations": [{"by": ["Erik Ek", "Fatima Farah"]}],
        }
    ]
    assert [p for p in imported.problems if p.rule.startswith("import-")] == []
    every_word_kept(source, imported)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "Omröstning\nOmröstning begärs och verkställs, se bilaga 2.\n",
            "inget röstetal",
        ),
        (
            "Omröstning\nJa-röster: 3\nNej-röster: 3\nAvstår: 1\n",
            "lika röstetal (3–3) och ordförandens utslagsröst står inte i texten",
        ),
        (
            "Omröstning\nJa-röster: 4\nNej-röster: 2\n",
            "6 röster men 7 beslutande på förstasidan",
        ),
        (
            "Omröstning\nJa: Anna Andersson (S), Bo Berg (M), Ivan Isaksson (V)\n"
            "Nej: Erik Ek (SD), Fatima Farah (S), David Dahl (S), Helena Hult (L)\n",
            "Ivan Isaksson finns inte bland de beslutande på förstasidan",
        ),
    ],
    ids=["no-count", "equal", "too-few", "not-serving"],
)
def test_a_vote_not_safe_to_write_stays_text(text: str, why: str) -> None:
    source = unseen_with(text)
    imported = import_text("ks.txt", source, organ="kommunstyrelsen")
    assert "proceedings" not in front_matter(imported)
    [message] = warnings_of(imported, "import-vote")
    assert f"omröstningen vid § 46 kunde inte läsas säkert ({why}" in message
    assert message.endswith("[import-vote]")
    every_word_kept(source, imported)


def test_equal_votes_decided_by_the_chair_named_among_them() -> None:
    text = (
        "Omröstning\nJa: Anna Andersson (S), Bo Berg (M), Cecilia Carlsson (C)\n"
        "Nej: Erik Ek (SD), Fatima Farah (S), David Dahl (S)\nAvstår: Helena Hult (L)\n"
    )
    imported = import_text("ks.txt", unseen_with(text), organ="kommunstyrelsen")
    [facts] = front_matter(imported)["proceedings"]
    assert facts["vote"]["result"] == "yes"  # Anna Andersson, the chair, voted ja


def test_no_omrostning_where_none_was_held() -> None:
    """ "Ingen omröstning begärs", a folkomröstning, a member abstaining from a decision: no
    vote, and nothing to warn of."""
    text = (
        "Ingen omröstning begärs.\nMotionen gäller en folkomröstning om skolan.\n"
        "Helena Hult (L) avstår från att delta i beslutet.\n"
    )
    imported = import_text("ks.txt", unseen_with(text), organ="kommunstyrelsen")
    assert "proceedings" not in front_matter(imported)
    assert [p for p in imported.problems if p.rule.startswith("import-")] == []


def test_a_folder_import_writes_the_proceedings(tmp_path: Path) -> None:
    """`build.py import` writes them, and the file passes `check`."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    source = tmp_path / "texter"
    source.mkdir()
    (source / "ks_2024-03-05.txt").write_text(unseen_with(BY_NAME), "utf-8")
    site = content / "site.yaml"
    settings = yaml.safe_load(site.read_text("utf-8"))
    settings["bodies"]["kommunstyrelsen"] = {"name": "Kommunstyrelsen"}
    site.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), "utf-8")
    result = run_build_py("import", str(source), "--content", str(content))
    assert result.returncode == 0, result.stderr
    written = content / "protocols" / "kommunstyrelsen" / "2024-03-05.md"
    assert "proceedings:" in written.read_text("utf-8")
    checked = run_build_py("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr


def test_a_reservation_in_another_body_stays_text() -> None:
    """A reservation the paragraph quotes from another body (here fullmäktige's, in
    kommunstyrelsen's protocol) is not written as this body's."""
    text = "Reservation\nErik Ek (SD) reserverade sig mot beslutet i kommunfullmäktige.\n"
    imported = import_text("ks.txt", unseen_with(text), organ="kommunstyrelsen")
    assert "proceedings" not in front_matter(imported)
    [message] = warnings_of(imported, "import-reservation")
    assert "(meningen gäller kommunfullmäktige)" in message


def test_what_ja_and_nej_are_for_as_a_chair_words_it() -> None:
    """The chair's words for a roll call in Alingsås kommun's course for its politicians
    (https://kurser.alingsas.se/topics/omrostning-votering/): "Ja för bifall till
    arbetsutskottets förslag, och nej för bifall till Bengts förslag"."""
    text = (
        "Omröstning\n"
        "Omröstning har begärts och den ska verkställas. Ja för bifall till arbetsutskottets\n"
        "förslag, och nej för bifall till Bengts förslag.\n"
        "Ja-röster: 4\nNej-röster: 2\nAvstår: 1\n"
    )
    imported = import_text("ks.txt", unseen_with(text), organ="kommunstyrelsen")
    [facts] = front_matter(imported)["proceedings"]
    assert facts["vote"] == {
        "yes": 4,
        "no": 2,
        "abstain": 1,
        "result": "yes",
        "yes_means": "bifall till arbetsutskottets förslag",
        "no_means": "bifall till Bengts förslag",
    }
