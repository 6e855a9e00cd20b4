"""'Menade du …?' for every name a protocol gives that is not one of the meeting's: the
ordförande and the justerare (justerat/loading/checks.py), the names of the proceedings, who
left or arrived, jäv, ja, nej and avstår in an omröstning, reservations
(justerat/legal/decisions.py), and an attendee the body's register in site.yaml does not have
(justerat/legal/people.py). The hint is the nearest name the meeting (or the register) has;
none when no name is close, and never the name itself: a name that is right but in the wrong
place (an absent chair, an ersättare who does not serve but votes) gets no hint. Two
namesakes at one meeting are named with their party, 'Anders Andersson (S)': a misspelt name
with a party gets the namesake of that party, one without a party both.

The example kommun (examples/kommun) is copied and its November protocol edited; `check` runs
as the secretary runs it, and each message is asked for whole, at its line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_build_py

EXAMPLE = ROOT / "examples" / "kommun"
PROTOCOL = "protocols/kommunfullmaktige/2026-11-16.md"
TODAY = "2026-12-07"
VOTES = "KL 4 kap. 24–25 §§"
RESERVATION = "bara den som deltagit i avgörandet får reservera sig"


class Checked:
    """`check` of the example kommun with the November protocol (and site.yaml) edited: each
    problem of the protocol as 'LINE: severity: message [rule]' (``found``), and the line of
    the edited file that begins with a text (``at``)."""

    def __init__(
        self, tmp_path: Path, *edits: tuple[str, str], site: tuple[tuple[str, str], ...] = ()
    ) -> None:
        content = tmp_path / "content"
        shutil.copytree(EXAMPLE, content)
        self.text = _edited(content / PROTOCOL, edits)
        _edited(content / "site.yaml", site)
        result = run_build_py("check", "--content", str(content), "--today", TODAY)
        prefix = f"{content / PROTOCOL}:"
        self.found = [
            line.removeprefix(prefix) for line in result.stderr.splitlines() if prefix in line
        ]

    def at(self, start: str) -> int:
        lines = self.text.splitlines()
        return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(start))

    @property
    def hints(self) -> list[str]:
        return [line for line in self.found if "menade du" in line]


def _edited(path: Path, edits: tuple[tuple[str, str], ...]) -> str:
    text = path.read_text("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return text


def test_every_name_field_suggests_the_name_meant(tmp_path: Path) -> None:
    checked = Checked(
        tmp_path,
        ("chair: Birgitta Holm", "chair: Birgita Holm"),
        ("justerare: [Karin Wester, Per-Olof Ek]", "justerare: [Karin Vester, Per Ek]"),
        ("jav: [Magnus Wik]", "jav: [Magnus Vik]"),
        ("Lena Bergkvist,\n", "Lena Bergqvist,\n"),  # ja
        ("Roger Hed]", "Roger Hedd]"),  # nej
        ("abstain: [Mats Rydén]", "abstain: [Mats Ryden]"),
        ("- by: [Karin Wester, Eva Nord, Ulla Skog]", "- by: [Karin Wester, Eva Nordh, Ulla Skog]"),
        ("left: [Lars Nyberg]", "left: [Lars Nyborg]"),
    )
    vote = checked.at("vote:")
    expected = [  # as check sorts them: by line, then message
        f"{checked.at('chair:')}: error: ordföranden Birgita Holm finns inte bland deltagarna "
        "(attendees); menade du 'Birgitta Holm'? [KL 5:69]",
        f"{checked.at('justerare:')}: error: justeraren Karin Vester finns inte bland deltagarna "
        "(attendees); menade du 'Karin Wester'? [KL 5:69]",
        f"{checked.at('justerare:')}: error: justeraren Per Ek finns inte bland deltagarna "
        "(attendees); menade du 'Per-Olof Ek'? [KL 5:69]",
        f"{checked.at('jav:')}: error: Magnus Vik anmäler jäv men tjänstgör inte (§ 134); menade du "
        "'Magnus Wik'? [proceedings]",
        f"{vote}: error: Lena Bergqvist röstar vid § 134 men tjänstgör inte där; menade du "
        f"'Lena Bergkvist'? [{VOTES}] [vote]",
        f"{vote}: error: Mats Ryden röstar vid § 134 men tjänstgör inte där; menade du "
        f"'Mats Rydén'? [{VOTES}] [vote]",
        f"{vote}: error: Roger Hedd röstar vid § 134 men tjänstgör inte där; menade du "
        f"'Roger Hed'? [{VOTES}] [vote]",
        f"{checked.at('- by: [Karin Wester, Eva Nordh')}: error: Eva Nordh reserverar sig vid § 134 men "
        f"deltog inte i beslutet; {RESERVATION}; menade du 'Eva Nord'? [KL 4 kap. 27 §] "
        "[reservation]",
        f"{checked.at('left:')}: error: Lars Nyborg lämnar sammanträdet men är inte närvarande "
        "(§ 136); menade du 'Lars Nyberg'? [proceedings]",
    ]
    assert checked.hints == expected


def test_an_attendee_the_register_does_not_have(tmp_path: Path) -> None:
    checked = Checked(
        tmp_path,
        ("{name: Susanne Dahl, party: SD}", "{name: Susanne Dal, party: SD}"),
        ("Susanne Dahl, Roger Hed]", "Susanne Dal, Roger Hed]"),
    )
    assert checked.found == [
        f"{checked.at('- {name: Susanne Dal')}: warning: Susanne Dal finns inte bland "
        "Kommunfullmäktiges ledamöter och ersättare i site.yaml den 2026-11-16; menade du "
        "'Susanne Dahl'? [register]"
    ]


def test_namesakes_are_suggested_by_their_party(tmp_path: Path) -> None:
    """Anna Strand (S) and Eva Nord (M) are both Anders Andersson, as in test_namesakes.py: a
    misspelt name with a party gets the namesake of the party, one without both."""
    name = "Anders Andersson"
    checked = Checked(
        tmp_path,
        ("{name: Anna Strand, party: S}", f"{{name: {name}, party: S}}"),
        ("{name: Eva Nord, party: M}", f"{{name: {name}, party: M}}"),
        ("Anna Strand,", f"{name} (S),"),
        ("Eva Nord, Ulla Skog, Jan", "Anders Anderson (M), Ulla Skog, Jan"),  # nej
        ("- by: [Karin Wester, Eva Nord, Ulla Skog]", f"- by: [Karin Wester, {name}, Ulla Skog]"),
        site=(
            (
                "{name: Anna Strand, party: S, role: ledamot}\n      - {name: Kent",
                "{name: "
                f"{name}, id: anders-andersson-s, party: S, role: ledamot}}\n      - {{name: Kent",
            ),
            ("{name: Eva Nord, party: M,", f"{{name: {name}, id: anders-andersson-m, party: M,"),
        ),
    )
    assert (
        f"{checked.at('vote:')}: error: Anders Anderson (M) röstar vid § 134 men tjänstgör inte där; "
        f"menade du 'Anders Andersson (M)'? [{VOTES}] [vote]"
    ) in checked.found
    assert (
        f"{checked.at('- by: [Karin Wester, Anders')}: error: {name} reserverar sig vid § 134 men "
        f"deltog inte i beslutet; {RESERVATION}; menade du '{name} (S)' eller '{name} (M)'? "
        "[KL 4 kap. 27 §] [reservation]"
    ) in checked.found


def test_a_right_name_in_the_wrong_place_or_no_name_near_gets_no_hint(tmp_path: Path) -> None:
    checked = Checked(
        tmp_path,
        ("chair: Birgitta Holm", "chair: Johan Sandell"),  # listed, as absent
        ("justerare: [Karin Wester, Per-Olof Ek]", "justerare: [Karin Wester, Zelda Zetterberg]"),
        ("yes: [Lars Nyberg,", "yes: [Camilla Rask,"),  # an ersättare who does not serve
        ("- by: [Karin Wester, Eva Nord, Ulla Skog]", "- by: [Karin Wester, Eva Nord, Mats Rydén]"),
    )
    vote = checked.at("vote:")
    for line in (
        f"{checked.at('chair:')}: error: ordföranden Johan Sandell står som frånvarande; den som "
        "justerar måste ha varit med på mötet [KL 5:69]",
        f"{checked.at('justerare:')}: error: justeraren Zelda Zetterberg finns inte bland deltagarna "
        "(attendees); kontrollera stavningen eller lägg till personen [KL 5:69]",
        f"{vote}: error: Camilla Rask röstar vid § 134 men tjänstgör inte där [{VOTES}] [vote]",
        f"{checked.at('- by: [Karin Wester, Eva Nord, Mats')}: error: Mats Rydén reserverar sig vid "
        f"§ 134 men avstod i omröstningen; {RESERVATION} [KL 4 kap. 27 §] [reservation]",
    ):
        assert line in checked.found, "\n".join(checked.found)
    assert not checked.hints
