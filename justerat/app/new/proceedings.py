"""The example of ``proceedings`` in a protocol's draft: yrkanden, a vote by name and a
reservation, named from the draft's own beslutande, written as YAML comments between two marker
lines so that it is valid once the "# " is taken off the lines between them."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ...domain.model import Person
from ...domain.settings import Body
from ...legal import people
from ...reading.unfinished import (
    EXAMPLE_AGAINST,
    EXAMPLE_END,
    EXAMPLE_FOR,
    EXAMPLE_NO_MEANS,
    EXAMPLE_ORDER,
    EXAMPLE_START,
    EXAMPLE_YES_MEANS,
)
from .common import comment, lowered, quoted, scalar

_EXAMPLE_WIDTH = 98  # a line of the example once commented out ("# ") is at most 100 long


def _sides(voting: Sequence[Person], chair: str) -> tuple[list[str], list[str]]:
    """The example's ja and nej: the last (n - 1) // 2 of the n beslutande vote nej (one of two:
    then the chair's vote decides, KL 5 kap. 56 §), the chair and the others ja. Each is named
    as the proceedings name them: one of two namesakes with the party after the name."""
    shown = _as_proceedings_name(voting)
    at = next((index for index, p in enumerate(voting) if p.name == chair), None)
    first = shown[at] if at is not None else chair
    others = [name for index, name in enumerate(shown) if index != at]
    against = max((len(voting) - 1) // 2, min(len(others), 1))
    split = len(others) - against
    return [first, *others[:split]], others[split:]


def _as_proceedings_name(persons: Sequence[Person]) -> list[str]:
    """Each person's name, with the party after it for two of one name ('Anders Andersson
    (S)', ``people.with_party``)."""
    count: dict[str, int] = {}
    for person in persons:
        count[people.key(person.name)] = count.get(people.key(person.name), 0) + 1
    return [
        people.with_party(p.name, p.party) if count[people.key(p.name)] > 1 and p.party else p.name
        for p in persons
    ]


def _flow(name: str) -> str:
    """A name as an item of a YAML flow list, where a comma separates items."""
    return quoted(name) if "," in name else scalar(name)


def _name_list(head: str, names: Sequence[str], indent: str) -> list[str]:
    """``head`` ('      yes:') with the names as a flow list, wrapped onto lines at ``indent``."""
    lines: list[str] = []
    line = f"{head} ["
    for index, name in enumerate(names):
        item = _flow(name) + ("," if index < len(names) - 1 else "")
        if line.endswith("[") or len(line) + len(item) + 2 <= _EXAMPLE_WIDTH:
            line += item if line.endswith("[") else f" {item}"
        else:
            lines.append(line)
            line = indent + item
    lines.append(line + "]")
    return lines


def _noted(lines: list[str], note: str) -> list[str]:
    """``lines`` with ``note`` as a comment beside them when it fits, else on a line above."""
    if len(lines) == 1 and len(lines[0]) + len(note) + 4 <= _EXAMPLE_WIDTH:
        return [f"{lines[0]}  # {note}"]
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    return [f"{indent}# {note}", *lines]


def _example_entry(body: Body, number: int, yes: list[str], no: list[str]) -> list[str]:
    """The example entry as YAML (uncommented): yrkanden, a vote by name and a reservation by
    those who voted nej; the other keys as comments within it."""
    order = textwrap.wrap(EXAMPLE_ORDER.format(body=lowered(body.name)), _EXAMPLE_WIDTH - 6)
    lines = [
        "proceedings:",
        f"  - paragraph: {number}  # paragrafens nummer; en post per paragraf där något hände",
        "    # arrived: [namn]  # beslutande som kom till sammanträdet vid denna paragraf",
        "    # left: [namn]  # beslutande som lämnade sammanträdet före denna paragraf",
        "    # serving: [{name: namn, replaces: namn}]  # ersättare som går in för en ledamot",
        "    # jav: [namn]  # anmälde jäv: deltar inte i paragrafen, varken yrkar eller röstar",
        "    proposals:  # yrkandena i ordning: vem (by) och vad (text)",
        f"      - {{by: {_flow(yes[-1])}, text: {EXAMPLE_FOR}}}",
        *([f"      - {{by: {_flow(no[0])}, text: {EXAMPLE_AGAINST}}}"] if no else []),
        "    proposition_order: >-  # propositionsordningen, som protokollet skriver den",
        *[f"      {line}" for line in order],
        "    vote:  # omröstningen: namnen, eller bara antalet (yes: 4)",
        f"      yes_means: {EXAMPLE_YES_MEANS}  # vad en ja-röst gäller",
        f"      no_means: {EXAMPLE_NO_MEANS}  # vad en nej-röst gäller",
        *_noted(_name_list("      yes:", yes, "        "), "de som röstade ja"),
        *_noted(_name_list("      no:", no, "        "), "de som röstade nej"),
        "      abstain: []  # de som avstod; ja, nej och avstår är alla som tjänstgör, en gång var",
        "      result: yes  # yes | no: den sida som vann (vid lika röster ordförandens sida)",
    ]
    if no:
        lines += [
            "    reservations:  # bara den som deltog i beslutet reserverar sig (KL 4 kap. 27 §)",
            *_noted(_name_list("      - by:", no, "          "), "ett namn eller en lista"),
            "        # against: vad reservationen gäller, om den inte gäller hela beslutet",
            "        # text: en skriftlig reservation",
        ]
    else:  # one beslutande: nobody voted against to reserve
        lines.append("    # reservations: [{by: namn}]  # de som reserverade sig mot beslutet")
    return [*lines, "    # notes: [{by: namn, text: …}]  # protokollsanteckningar"]


def proceedings_example(
    body: Body, number: int, voting: Sequence[Person], chair: str, placeholders: bool = False
) -> list[str]:
    """A commented-out ``proceedings`` entry for § ``number``: who proposed, voted and reserved,
    named from ``voting`` (``placeholders``: the draft's NN names) so that it is valid once the
    "# " is taken off its lines."""
    yes, no = _sides(voting, chair)
    entry = _example_entry(body, number, yes, no)
    renamed = (
        " Namnen är platshållarna under attendees: skriv samma namn här som där."
        if placeholders
        else ""
    )
    return [
        *comment(
            "Vem som beslutade vad vid en paragraf (närvaro, jäv, yrkanden, omröstning, "
            "reservationer) skrivs under proceedings:, en post per paragraf; se "
            '"Närvaro, jäv, omröstning och reservationer" i docs/guide.md. Exemplet nedan är '
            'bara kommentarer, med protokollets egna beslutande. Ta bort "# " först på raderna '
            "mellan EXEMPEL-raderna, ändra till det som hände och stryk det som inte hände."
            + renamed
        ),
        EXAMPLE_START,
        *[f"# {line}" for line in entry],
        EXAMPLE_END,
    ]
