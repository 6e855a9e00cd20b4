"""Who decided what, § by §: the law's rules on a protocol's ``proceedings`` and its body's
register of members (justerat/legal/decisions.py, justerat/legal/people.py), each with a worked protocol,
run through `check` as a secretary runs it, and the exact line it reports.

Kommunallagen (2017:725): 4 kap. 24–25 §§ (one vote each, ja, nej and avstår add up to those
serving), 4 kap. 27 § (only one who took part in the decision reserves), 5 kap. 17 § (an
ersättare serves for an absent ledamot), 5 kap. 45–46 §§ and 6 kap. 27 § (beslutförhet; for
fullmäktige a quorum lost through jäv does not count), 5 kap. 47 § and 6 kap. 28 och 30 §§
(one with jäv takes no part), 5 kap. 55–56 §§ (simple majority, the chair's casting vote).

The sample content gets two bodies with the same register: a nämnd (``nd``) and a fullmäktige
(``kf``): five ledamöter serving on the meeting day (a sixth whose term has ended is not
counted) and ersättare. The meeting of 6 March 2024 has four ledamöter present (Eva Ek (C) is
absent), two ersättare who do not serve, and § 1–5.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import ROOT, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justerat.app.cli import main
from justerat.domain.model import Protocol
from justerat.domain.settings import Settings
from justerat.domain.source import Source, parse_yaml, read_source
from justerat.legal import decisions
from justerat.reading import documents

MEMBERS = """\
    members:
      - name: Anna Andersson
        party: S
        role: ordförande
      - name: Bo Berg
        party: M
        role: vice ordförande
      - name: Cecilia Carlsson
        party: S
      - name: Dan Dahl
        party: M
      - name: Eva Ek
        party: C
      - name: Karl Kvist
        party: C
        to: 2023-12-31
      - name: Frida Fors
        party: S
        role: ersättare
      - name: Gustav Grön
        party: M
        role: ersättare
      - name: Hanna Holm
        party: C
        role: ersättare
        from: 2025-01-01
"""

BODIES = f"""\
  nd:
    name: Nämnden
{MEMBERS}\
  kf:
    name: Kommunfullmäktige
    kind: fullmaktige
{MEMBERS}"""

FRONT = """\
---
organ: {organ}
status: justerat
date: 2024-03-06
time: "15.00-16.00"
place: Kansliet
attendees:
  voting:
    - name: Anna Andersson
      party: S
      role: ordförande
    - name: Bo Berg
      party: M
    - name: Cecilia Carlsson
      party: S
    - name: Dan Dahl
      party: M
  substitutes:
    - name: Frida Fors
      party: S
    - name: Gustav Grön
      party: M
  absent:
    - name: Eva Ek
      party: C
  others:
    - name: Olle Tjänsteman
      title: nämndsekreterare
secretary:
  name: Olle Tjänsteman
  title: nämndsekreterare
chair: Anna Andersson
justerare:
  - Bo Berg
justering:
  date: 2024-03-12
  digital: true
anslag:
  posted: 2024-03-13
  taken_down: 2024-04-08
"""

BODY = """\
---

## § 1 Val av justerare

Till justerare utsågs Bo Berg.

## § 2 Godkännande av dagordningen

Dagordningen godkändes.

## § 3 Bidrag till föreningar 2024

### Beslut

Bidragen fördelas enligt förslaget.

## § 4 Riktlinjer för föreningsbidrag

### Beslut

Riktlinjerna antas.

## § 5 Information

Informationen läggs till handlingarna.
"""

Capture = pytest.CaptureFixture[str]

# the rules' references, as the messages end
VOTES = "[KL 4 kap. 24–25 §§] [vote]"
JAV_NAMND = "KL 6 kap. 28 och 30 §§"
MAJORITY = "[KL 5 kap. 55–56 §§] [vote]"
RESERVATION = "bara den som deltagit i avgörandet får reservera sig [KL 4 kap. 27 §] [reservation]"
SUBSTITUTE = "[KL 5 kap. 17 §] [proceedings]"
QUORUM = "organet är beslutfört bara när fler än hälften är närvarande"


def protocol_text(proceedings: str = "", organ: str = "nd") -> str:
    return FRONT.format(organ=organ) + proceedings + BODY


def at(text: str, needle: str) -> int:
    """The line of the one line of ``text`` that holds ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


@pytest.fixture
def folder(content: Path) -> Path:
    """The sample content with the two bodies and their register."""
    settings_file = content / "site.yaml"
    text = settings_file.read_text("utf-8")
    settings_file.write_text(text.replace("bodies:\n", "bodies:\n" + BODIES, 1), "utf-8")
    for organ in ("nd", "kf"):
        (content / "protocols" / organ).mkdir(parents=True)
    return content


def check(folder: Path, capsys: Capture, text: str, organ: str = "nd") -> tuple[int, list[str]]:
    """`check` on the content with the protocol ``text``: the exit code and the problems of
    that file, each as ':LINE: severity: message [tag]'."""
    file = folder / "protocols" / organ / "2024-03-06.md"
    file.write_text(text, "utf-8")
    code = main(["check", "--content", str(folder), "--today", TODAY])
    name = file.as_posix()
    lines = capsys.readouterr().err.splitlines()
    return code, [line.removeprefix(name) for line in lines if line.startswith(name + ":")]


def _parsed_site() -> Settings:
    """The sample's settings with the two bodies, read once (for the model-level tests)."""
    shipped = (ROOT / "content" / "site.yaml").read_text("utf-8")
    text = shipped.replace("bodies:\n", "bodies:\n" + BODIES, 1)
    meta, lines, problems = parse_yaml("site.yaml", text, 1)
    assert meta is not None, problems
    return documents.settings(Source("site.yaml", meta, lines, ""))


SITE = _parsed_site()


def parsed(text: str) -> Protocol:
    """The protocol ``text`` as the model holds it, with the register above."""
    source, problems = read_source("p.md", text.encode())
    assert source is not None, problems
    protocol, problems = documents.protocol(source, SITE)
    assert protocol is not None, problems
    return protocol


# --- a complete, consistent record passes -----------------------------------------------------

CLEAN = """\
proceedings:
  - paragraph: 2
    left: [Dan Dahl]
    serving:
      - name: Gustav Grön
        replaces: Dan Dahl
  - paragraph: 3
    jav: [Cecilia Carlsson]
    proposals:
      - by: Bo Berg
        text: Bifall till förslaget.
      - by: [Anna Andersson, Gustav Grön]
        text: Återremiss.
    proposition_order: Ordföranden ställer proposition på förslagen och finner bifall.
    vote:
      yes: [Bo Berg, Gustav Grön]
      no: [Anna Andersson]
      result: yes
      yes_means: bifall
      no_means: återremiss
    reservations:
      - by: Anna Andersson
        text: Ärendet borde ha återremitterats.
    notes:
      - by: Gustav Grön
        text: Vi vill se en uppföljning.
  - paragraph: 4
    arrived: [Dan Dahl]
    left: [Gustav Grön]
    vote:
      yes: 2
      no: 1
      abstain: 1
      result: yes
"""


def test_a_complete_consistent_record_passes(folder: Path, capsys: Capture) -> None:
    # Dan Dahl (M) leaves before § 2 and Gustav Grön (M) serves for him; Cecilia Carlsson has
    # jäv at § 3 alone, so three vote there; Dan Dahl is back at § 4 and Gustav Grön steps
    # down, so four vote there
    code, problems = check(folder, capsys, protocol_text(CLEAN))
    assert (code, problems) == (0, [])


def test_the_same_record_passes_in_fullmaktige(folder: Path, capsys: Capture) -> None:
    code, problems = check(folder, capsys, protocol_text(CLEAN, "kf"), "kf")
    assert (code, problems) == (0, [])


def test_the_serving_members_paragraph_by_paragraph() -> None:
    protocol = parsed(protocol_text(CLEAN))
    served = decisions.serving(protocol)
    three = ("Anna Andersson", "Bo Berg", "Cecilia Carlsson")
    assert served[1].deciding == (*three, "Dan Dahl")
    assert served[2].deciding == (*three, "Gustav Grön")
    assert served[3].deciding == ("Anna Andersson", "Bo Berg", "Gustav Grön")  # jäv: § 3 only
    assert served[3].jav == ("Cecilia Carlsson",)
    assert served[4].deciding == (*three, "Dan Dahl")
    assert served[5].deciding == served[4].deciding  # changes hold from their § on
    assert protocol.organ.seats(protocol.date) == 5  # Karl Kvist's term ended in 2023


# --- 4 kap. 24–25 §§: one vote each; ja, nej and avstår add up to those serving ---------------


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        (
            "      yes: [Anna Andersson, Cecilia Carlsson]\n      no: [Bo Berg]\n",
            "omröstningen vid § 3 har 3 röster (ja 2, nej 1, avstår 0) men 4 tjänstgör där",
        ),
        (
            "      yes: 3\n      no: 2\n",
            "omröstningen vid § 3 har 5 röster (ja 3, nej 2, avstår 0) men 4 tjänstgör där",
        ),
        (
            "      yes: 2\n      no: 1\n      abstain: 0\n",
            "omröstningen vid § 3 har 3 röster (ja 2, nej 1, avstår 0) men 4 tjänstgör där",
        ),
    ],
    ids=["names", "counts", "counts-with-abstain"],
)
def test_votes_that_do_not_add_up(folder: Path, capsys: Capture, vote: str, expected: str) -> None:
    text = protocol_text(f"proceedings:\n  - paragraph: 3\n    vote:\n{vote}      result: yes\n")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '    vote:')}: error: {expected}; varje tjänstgörande ledamot har en röst "
        f"och får avstå {VOTES}"
    ]


def test_a_voter_who_left_before_the_vote(folder: Path, capsys: Capture) -> None:
    # four names for the three serving would also not add up; here the count is right (Cecilia
    # Carlsson's vote is missing), and the name of one who is not there is the fault
    text = protocol_text(
        "proceedings:\n"
        "  - paragraph: 2\n    left: [Dan Dahl]\n"
        "  - paragraph: 3\n    vote:\n"
        "      yes: [Anna Andersson, Dan Dahl]\n      no: [Bo Berg]\n      result: yes\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '    vote:')}: error: Dan Dahl röstar vid § 3 men tjänstgör inte där {VOTES}"
    ]


def test_a_voter_who_arrived_later(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n"
        "  - paragraph: 3\n    vote:\n"
        "      yes: [Anna Andersson, Dan Dahl]\n      no: [Bo Berg]\n      result: yes\n"
        "  - paragraph: 4\n    arrived: [Dan Dahl]\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '    vote:')}: error: Dan Dahl röstar vid § 3 men tjänstgör inte där {VOTES}"
    ]


def test_one_who_votes_twice(folder: Path, capsys: Capture) -> None:
    # four votes for four serving, but Bo Berg twice and Dan Dahl not at all
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    vote:\n"
        "      yes: [Anna Andersson, Bo Berg]\n      no: [Bo Berg, Cecilia Carlsson]\n"
        "      result: yes\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '    vote:')}: error: Bo Berg röstar mer än en gång vid § 3; varje ledamot "
        f"har en röst {VOTES}"
    ]


def test_one_who_left_and_came_back_counts_before_and_after(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n"
        "  - paragraph: 2\n    left: [Dan Dahl]\n"
        "  - paragraph: 3\n    vote:\n"
        "      yes: [Anna Andersson, Cecilia Carlsson]\n      no: [Bo Berg]\n      result: yes\n"
        "  - paragraph: 4\n    arrived: [Dan Dahl]\n    vote:\n"
        "      yes: [Anna Andersson, Cecilia Carlsson]\n      no: [Bo Berg, Dan Dahl]\n"
        "      result: yes\n"
    )
    code, problems = check(folder, capsys, text)
    assert (code, problems) == (0, [])


def test_an_official_who_arrives_does_not_vote(folder: Path, capsys: Capture) -> None:
    # the nämndsekreterare is on the front page among the others: arriving, not deciding
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    arrived: [Olle Tjänsteman]\n    vote:\n"
        "      yes: 3\n      no: 1\n      result: yes\n"
    )
    code, problems = check(folder, capsys, text)
    assert (code, problems) == (0, [])


# --- jäv: 6 kap. 28 och 30 §§, 5 kap. 47 § -------------------------------------------------------


@pytest.mark.parametrize(("organ", "rule"), [("nd", JAV_NAMND), ("kf", "KL 5 kap. 47 §")])
def test_a_voter_with_jav(folder: Path, capsys: Capture, organ: str, rule: str) -> None:
    # three serving, three votes: the count is right, the jävig's vote is the fault
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    jav: [Cecilia Carlsson]\n    vote:\n"
        "      yes: [Anna Andersson, Cecilia Carlsson]\n      no: [Bo Berg]\n      result: yes\n",
        organ,
    )
    code, problems = check(folder, capsys, text, organ)
    assert code == 1
    assert problems == [
        f":{at(text, '    vote:')}: error: Cecilia Carlsson röstar vid § 3 men har anmält jäv; "
        f"den som är jävig deltar inte och räknas inte [{rule}] [vote]"
    ]


def test_a_proposal_by_one_with_jav(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    jav: [Cecilia Carlsson]\n    proposals:\n"
        "      - by: Bo Berg\n        text: Bifall.\n"
        "      - by: [Dan Dahl, Cecilia Carlsson]\n        text: Avslag.\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '- by: [Dan Dahl')}: error: Cecilia Carlsson har anmält jäv vid § 3 och får "
        f"inte delta i handläggningen, inte heller yrka [{JAV_NAMND}] [jav]"
    ]


def test_jav_for_one_who_does_not_serve(folder: Path, capsys: Capture) -> None:
    # Eva Ek is absent; Frida Fors is an ersättare who does not serve
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    jav:\n      - Eva Ek\n      - Frida Fors\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '- Eva Ek')}: error: Eva Ek anmäler jäv men tjänstgör inte (§ 3) [proceedings]",
        f":{at(text, '- Frida Fors')}: error: Frida Fors anmäler jäv men tjänstgör inte (§ 3) "
        "[proceedings]",
    ]


# --- beslutförhet: 6 kap. 27 §, 5 kap. 45–46 §§ ---------------------------------------------------

TWO_WITH_JAV = "proceedings:\n  - paragraph: 3\n    jav: [Bo Berg, Cecilia Carlsson]\n"


def test_a_namnd_loses_its_quorum_through_jav(folder: Path, capsys: Capture) -> None:
    # of the five ledamöter four are present; two have jäv at § 3, so two decide there
    text = protocol_text(TWO_WITH_JAV)
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '## § 3 ')}: error: vid § 3 tjänstgör 2 av 5 ledamöter; {QUORUM} "
        "[KL 6 kap. 27 §] [quorum]"
    ]


def test_fullmaktige_keeps_its_quorum_through_jav(folder: Path, capsys: Capture) -> None:
    code, problems = check(folder, capsys, protocol_text(TWO_WITH_JAV, "kf"), "kf")
    assert (code, problems) == (0, [])


def test_fullmaktige_loses_its_quorum_when_ledamoter_leave(folder: Path, capsys: Capture) -> None:
    # from § 4 on two of the five are present: reported at the first § without a quorum
    text = protocol_text(
        "proceedings:\n  - paragraph: 4\n    left: [Bo Berg, Cecilia Carlsson]\n", "kf"
    )
    code, problems = check(folder, capsys, text, "kf")
    assert code == 1
    assert problems == [
        f":{at(text, '## § 4 ')}: error: vid § 4 tjänstgör 2 av 5 ledamöter; {QUORUM} "
        "[KL 5 kap. 45–46 §§] [quorum]"
    ]


def test_a_member_outside_their_term_is_not_counted(folder: Path, capsys: Capture) -> None:
    # three of the five serving ledamöter are more than half; had Karl Kvist's term not ended
    # on 31 December 2023, three of six would not be
    text = protocol_text("proceedings:\n  - paragraph: 3\n    left: [Dan Dahl]\n")
    assert check(folder, capsys, text) == (0, [])
    settings_file = folder / "site.yaml"
    register = settings_file.read_text("utf-8")
    settings_file.write_text(register.replace("        to: 2023-12-31\n", ""), "utf-8")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '## § 3 ')}: error: vid § 3 tjänstgör 3 av 6 ledamöter; {QUORUM} "
        "[KL 6 kap. 27 §] [quorum]"
    ]


# --- majority: 5 kap. 55–56 §§ ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        (
            "      yes: 3\n      no: 1\n      result: no\n",
            "omröstningen vid § 3 slutade ja 3, nej 1: ja vann (flest röster), men result säger nej",
        ),
        (
            "      yes: [Bo Berg]\n      no: [Anna Andersson, Cecilia Carlsson]\n"
            "      abstain: [Dan Dahl]\n      result: yes\n",
            "omröstningen vid § 3 slutade ja 1, nej 2: nej vann (flest röster), men result säger ja",
        ),
        (
            "      yes: [Anna Andersson, Cecilia Carlsson]\n      no: [Bo Berg, Dan Dahl]\n"
            "      result: no\n",
            "omröstningen vid § 3 slutade ja 2, nej 2: ja vann (ordförandens utslagsröst), men "
            "result säger nej",
        ),
    ],
    ids=["counts", "names", "tie-chair-voted-ja"],
)
def test_a_result_the_votes_contradict(
    folder: Path, capsys: Capture, vote: str, expected: str
) -> None:
    text = protocol_text(f"proceedings:\n  - paragraph: 3\n    vote:\n{vote}")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [f":{at(text, '    vote:')}: error: {expected} {MAJORITY}"]


@pytest.mark.parametrize(
    "vote",
    [
        # the chair (Anna Andersson) voted nej: her casting vote decides for nej
        "      yes: [Bo Berg, Dan Dahl]\n      no: [Anna Andersson, Cecilia Carlsson]\n"
        "      result: no\n",
        # a tie by numbers: who the chair voted with is not known, so neither result is judged
        "      yes: 2\n      no: 2\n      result: no\n",
        "      yes: 2\n      no: 2\n      result: yes\n",
    ],
    ids=["tie-chair-voted-nej", "tie-by-numbers-nej", "tie-by-numbers-ja"],
)
def test_a_tie_decided_by_the_chair_or_not_judged(folder: Path, capsys: Capture, vote: str) -> None:
    text = protocol_text(f"proceedings:\n  - paragraph: 3\n    vote:\n{vote}")
    assert check(folder, capsys, text) == (0, [])


# --- reservation: 4 kap. 27 § -------------------------------------------------------------------


def test_reservations_by_those_who_took_no_part(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    jav: [Cecilia Carlsson]\n    vote:\n"
        "      yes: [Anna Andersson]\n      no: [Bo Berg]\n      abstain: [Dan Dahl]\n"
        "      result: yes\n"
        "    reservations:\n"
        "      - by: Eva Ek\n"
        "      - by: Cecilia Carlsson\n        text: Jag var jävig men vill reservera mig.\n"
        "      - by: Dan Dahl\n"
        "      - by: Bo Berg\n        against: beslutet att bifalla förslaget\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    # Eva Ek is absent, Cecilia Carlsson jävig, Dan Dahl abstained; Bo Berg voted and lost
    assert problems == [
        f":{at(text, '- by: Eva Ek')}: error: Eva Ek reserverar sig vid § 3 men deltog inte i "
        f"beslutet; {RESERVATION}",
        f":{at(text, '- by: Cecilia Carlsson')}: error: Cecilia Carlsson reserverar sig vid § 3 "
        f"men deltog inte i beslutet; {RESERVATION}",
        f":{at(text, '- by: Dan Dahl')}: error: Dan Dahl reserverar sig vid § 3 men avstod i "
        f"omröstningen; {RESERVATION}",
    ]


# --- ersättare: 5 kap. 17 § -----------------------------------------------------------------------


def test_an_ersattare_serving_for_a_present_ledamot(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    serving:\n"
        "      - name: Frida Fors\n        replaces: Cecilia Carlsson\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '      - name: Frida Fors')}: error: ersättaren Frida Fors tjänstgör från § 3 i "
        "stället för Cecilia Carlsson, som är närvarande; en ersättare tjänstgör bara för en "
        f"ledamot som inte är där {SUBSTITUTE}"
    ]


def test_an_ersattare_for_a_ledamot_who_leaves_or_has_jav_at_that_paragraph(
    folder: Path, capsys: Capture
) -> None:
    # Cecilia Carlsson leaves before § 3 and Frida Fors (S) serves from there; Dan Dahl has
    # jäv at § 4, where Gustav Grön (M) serves: neither replaced ledamot is there to decide
    text = protocol_text(
        "proceedings:\n"
        "  - paragraph: 3\n    left: [Cecilia Carlsson]\n    serving:\n"
        "      - name: Frida Fors\n        replaces: Cecilia Carlsson\n"
        "    vote:\n      yes: 3\n      no: 1\n      result: yes\n"
        "  - paragraph: 4\n    jav: [Dan Dahl]\n    serving:\n"
        "      - name: Gustav Grön\n        replaces: Dan Dahl\n"
        "    vote:\n      yes: 4\n      no: 0\n      result: yes\n"
    )
    assert check(folder, capsys, text) == (0, [])


def test_an_ersattare_for_another_partys_ledamot(folder: Path, capsys: Capture) -> None:
    text = protocol_text(
        "proceedings:\n  - paragraph: 3\n    serving:\n"
        "      - name: Gustav Grön\n        replaces: Eva Ek\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 0  # the order among the ersättare is the body's own rule: a warning
    assert problems == [
        f":{at(text, '      - name: Gustav Grön')}: warning: ersättaren Gustav Grön (M) tjänstgör för "
        "Eva Ek (C): kontrollera ersättarnas turordning, som fullmäktige har bestämt "
        f"{SUBSTITUTE}"
    ]


# --- attendance changes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Eva Ek", ""),  # on the front page, but absent: no 'did you mean' herself
        ("Frida Fors", ""),  # an ersättare who does not serve
        ("Bo Bergh", "; menade du 'Bo Berg'?"),
    ],
)
def test_left_for_one_who_is_not_there(folder: Path, capsys: Capture, name: str, hint: str) -> None:
    text = protocol_text(f"proceedings:\n  - paragraph: 3\n    left:\n      - {name}\n")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, f'- {name}')}: error: {name} lämnar sammanträdet men är inte närvarande "
        f"(§ 3){hint} [proceedings]"
    ]


def test_left_at_the_first_paragraph(folder: Path, capsys: Capture) -> None:
    # present at the opening, gone before § 1: three of five decide from there
    text = protocol_text("proceedings:\n  - paragraph: 1\n    left: [Dan Dahl]\n")
    assert check(folder, capsys, text) == (0, [])


def test_an_ersattare_at_the_first_paragraph_for_a_present_ledamot(
    folder: Path, capsys: Capture
) -> None:
    text = protocol_text(
        "proceedings:\n  - paragraph: 1\n    serving:\n"
        "      - name: Frida Fors\n        replaces: Anna Andersson\n"
    )
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '      - name: Frida Fors')}: error: ersättaren Frida Fors tjänstgör från § 1 i "
        "stället för Anna Andersson, som är närvarande; en ersättare tjänstgör bara för en "
        f"ledamot som inte är där {SUBSTITUTE}"
    ]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Eva Ek", ""),  # listed, but as absent: the front page must say she took part
        ("Eva Eck", "; menade du 'Eva Ek'?"),
        ("Zelda Zetterberg", ""),
    ],
)
def test_arrived_for_one_not_on_the_front_page(
    folder: Path, capsys: Capture, name: str, hint: str
) -> None:
    text = protocol_text(f"proceedings:\n  - paragraph: 3\n    arrived:\n      - {name}\n")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, f'- {name}')}: error: {name} kommer till sammanträdet men finns inte bland "
        f"deltagarna på förstasidan (§ 3){hint} [proceedings]"
    ]


def test_proceedings_for_a_paragraph_that_does_not_exist(folder: Path, capsys: Capture) -> None:
    text = protocol_text("proceedings:\n  - paragraph: 9\n    jav: [Bo Berg]\n")
    code, problems = check(folder, capsys, text)
    assert code == 1
    assert problems == [
        f":{at(text, '- paragraph: 9')}: error: § 9 finns inte i protokollet (proceedings) "
        "[proceedings]"
    ]


# --- the register: people.register_check ---------------------------------------------------------


def test_attendees_not_in_the_register_on_the_meeting_day(folder: Path, capsys: Capture) -> None:
    text = (
        protocol_text()
        .replace("    - name: Cecilia Carlsson\n", "    - name: Cecilia Karlsson\n")
        .replace("    - name: Gustav Grön\n", "    - name: Gustav Green\n    - name: Hanna Holm\n")
        .replace("  absent:\n", "  absent:\n    - name: Karl Kvist\n    - name: Ulla Okänd\n")
    )
    code, problems = check(folder, capsys, text)
    assert code == 0  # warnings: the register may be behind
    register = "finns inte bland Nämndens ledamöter och ersättare i site.yaml den 2024-03-06"
    assert problems == [
        f":{at(text, 'Cecilia Karlsson')}: warning: Cecilia Karlsson {register}; menade du "
        "'Cecilia Carlsson'? [register]",
        f":{at(text, 'Gustav Green')}: warning: Gustav Green {register}; menade du 'Gustav Grön'? "
        "[register]",
        f":{at(text, 'Hanna Holm')}: warning: Hanna Holm {register}; uppdraget gäller där från "
        "2025-01-01 [register]",
        f":{at(text, 'Karl Kvist')}: warning: Karl Kvist {register}; uppdraget gäller där till "
        "2023-12-31 [register]",
        f":{at(text, 'Ulla Okänd')}: warning: Ulla Okänd {register}; lägg till personen under "
        "members [register]",
    ]


def test_a_day_no_term_covers_is_not_checked(folder: Path, capsys: Capture) -> None:
    # an arbetsutskott whose register begins in 2025: the register says nothing of 2024 (an
    # archive older than its register), neither who belonged nor how many ledamöter there were
    settings_file = folder / "site.yaml"
    au = (
        "  au:\n    name: Arbetsutskottet\n    members:\n"
        "      - name: Anna Andersson\n        from: 2025-01-01\n"
        "      - name: Bo Berg\n        from: 2025-01-01\n"
    )
    text = settings_file.read_text("utf-8").replace("bodies:\n", "bodies:\n" + au, 1)
    settings_file.write_text(text, "utf-8")
    (folder / "protocols/au").mkdir()
    code, problems = check(folder, capsys, protocol_text(TWO_WITH_JAV, "au"), "au")
    assert (code, problems) == (0, [])
    # from 2024 on, the same protocol is checked against it: five names are not registered
    settings_file.write_text(text.replace("from: 2025-01-01", "from: 2024-01-01"), "utf-8")
    code, problems = check(folder, capsys, protocol_text(TWO_WITH_JAV, "au"), "au")
    assert code == 0
    assert [line.rsplit("[", 1)[1] for line in problems] == ["register]"] * 5


def test_a_body_without_a_register_is_not_checked_against_one(
    folder: Path, capsys: Capture
) -> None:
    settings_file = folder / "site.yaml"
    text = settings_file.read_text("utf-8")
    start = text.index("  nd:\n")
    end = text.index("  kf:\n")
    settings_file.write_text(text[:start] + "  nd:\n    name: Nämnden\n" + text[end:], "utf-8")
    # no register: no names to compare, no number of ledamöter for a quorum
    code, problems = check(folder, capsys, protocol_text(TWO_WITH_JAV))
    assert (code, problems) == (0, [])


# --- a property: the names of a vote are right exactly when each serving member votes once ------

SERVING = ("Anna Andersson", "Bo Berg", "Cecilia Carlsson", "Dan Dahl")
NOT_SERVING = ("Eva Ek", "Frida Fors", "Olle Tjänsteman")
SIDES = ("yes", "no", "abstain")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sides=st.lists(st.sampled_from((*SIDES, None)), min_size=4, max_size=4),
    extra=st.lists(st.sampled_from(NOT_SERVING + SERVING), max_size=2),
    extra_sides=st.lists(st.sampled_from(SIDES), min_size=2, max_size=2),
    jav=st.sets(st.sampled_from(SERVING), max_size=2),
)
def test_the_vote_rules_hold_exactly_when_each_serving_member_votes_once(
    sides: list[str | None], extra: list[str], extra_sides: list[str], jav: set[str]
) -> None:
    votes: dict[str, list[str]] = {side: [] for side in SIDES}
    for name, side in zip(SERVING, sides, strict=True):
        if side is not None:
            votes[side].append(name)
    for name, side in zip(extra, extra_sides, strict=False):
        votes[side].append(name)
    yes, no = len(votes["yes"]), len(votes["no"])
    chair_side = next((s for s in ("yes", "no") if "Anna Andersson" in votes[s]), "yes")
    result = "yes" if yes > no else "no" if no > yes else chair_side
    lists = "".join(f"      {side}: [{', '.join(votes[side])}]\n" for side in SIDES)
    jav_line = f"    jav: [{', '.join(sorted(jav))}]\n" if jav else ""
    text = protocol_text(
        f"proceedings:\n  - paragraph: 3\n{jav_line}    vote:\n{lists}      result: {result}\n"
    )
    protocol = parsed(text)
    found = [p.message for p in decisions.check(protocol) if p.rule == "vote"]

    deciding = [n for n in SERVING if n not in jav]
    named = list(itertools.chain.from_iterable(votes.values()))
    total = len(named)
    # the sum rule: reported exactly when the votes are not as many as the deciding
    assert any("röster (ja" in m for m in found) == (total != len(deciding))
    # and no vote problem at all exactly when each deciding member voted once and no one else
    assert (found == []) == (sorted(named) == sorted(deciding))
