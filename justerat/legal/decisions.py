"""Who decided what, § by §: who served at each paragraph, and the law's rules on jäv, votes,
reservations, ersättare and beslutförhet. No I/O.

The front page lists the beslutande; ``proceedings`` in the front matter record what changed
at single paragraphs. Changes of attendance hold from their paragraph on (a member who arrived
at § 5 is counted from § 5, one who left before § 8 no more from § 8, one who left and came
back was there before leaving); jäv holds at its paragraph alone. Only beslutande count: an
official who arrives is recorded, not counted. Rules, from Kommunallag (2017:725):

- 4 kap. 24-25 §§: each ledamot has one vote (a name once) and may abstain: ja, nej and
  avstår add up to those serving at the paragraph.
- 6 kap. 28 och 30 §§ (nämnder), 5 kap. 47 § (fullmäktige): one with jäv takes no part: neither
  votes, proposes nor counts at that paragraph.
- 5 kap. 45-46 §§ (fullmäktige), 6 kap. 27 § (nämnder): more than half of the ledamöter are
  present at every paragraph (for fullmäktige, a quorum lost through jäv alone does not
  count, 5 kap. 46 §). Checked where the register in site.yaml says how many ledamöter the
  body has.
- 5 kap. 55-56 §§, applied to nämnder by 6 kap. 33 §: simple majority; at equal votes the
  chair's vote decides.
- 4 kap. 27 §: only one who took part in the decision may reserve against it (not one who
  was absent, jävig or abstained).
- 5 kap. 17 §: an ersättare serves in place of a ledamot who is absent (not there, left
  before the paragraph or jävig at it; the order among the ersättare, often by party, is the
  body's own rule: a warning).

The paragraph's text may state the omröstning too ("Med 12 ja-röster mot 7 nej-röster …"):
counts it states that are not the recorded ones get a warning at the sentence's line
(``vote_counts``), and a text that states the recorded counts is where the page shows them.
A name that is not one of the meeting's gets the nearest one as 'menade du …?'.

A protocol that refers to its beslutande instead of listing them ("Se närvarolista, bilaga 1",
``Attendance.by_reference``) does not say who served: the rules that need to know (who may
leave, vote, reserve or have jäv, whether the votes add up, beslutförhet) are not applied to
it, and say nothing. The rules that need no list still are: one vote each, no jäv who votes or
proposes, no reservation by one who abstained, the majority, the counts in the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..core.problems import Problem, error, warning
from ..domain.model import Paragraph, Person, Proceedings, Protocol, Vote
from . import people, vote_counts

_key = people.key  # names compare as the register compares them

RULE_VOTES = "KL 4 kap. 24–25 §§"
RULE_JAV = {True: "KL 5 kap. 47 §", False: "KL 6 kap. 28 och 30 §§"}
RULE_QUORUM = {True: "KL 5 kap. 45–46 §§", False: "KL 6 kap. 27 §"}
RULE_MAJORITY = "KL 5 kap. 55–56 §§"
RULE_RESERVATION = "KL 4 kap. 27 §"
RULE_SUBSTITUTE = "KL 5 kap. 17 §"
RULE_VOTE_TEXT = "omrostning-text"
_WARNED = {vote_counts.Standing.DIFFERS, vote_counts.Standing.OMITS}


@dataclass(frozen=True)
class Serving:
    """Who served at one paragraph: ``present`` of the beslutande, ``jav`` of them declared
    jäv, so that ``deciding`` took part in the decision."""

    paragraph: int
    present: tuple[str, ...]
    jav: tuple[str, ...] = ()
    substitutes: tuple[Person, ...] = ()  # ersättare serving here, with whom they replace
    front: tuple[str, ...] = ()  # the beslutande of the front page, as ``present`` names them
    told: tuple[str, ...] = ()  # who left, arrived or began to serve here, named as ``present``
    entering: tuple[Person, ...] = ()  # the ersättare who began to serve here, named so too
    vote_told: bool = False  # the § text states the recorded omröstning's counts, every one

    @property
    def deciding(self) -> tuple[str, ...]:
        return tuple(name for name in self.present if name not in self.jav)


def _keys(names: Iterable[str] | int) -> set[str]:
    """The names of a list (a vote's side may be a bare number: no names)."""
    return set() if isinstance(names, int) else {_key(n) for n in names}


def _opening(protocol: Protocol) -> Serving:
    """The beslutande present when the meeting opened: those of the front page but the ones
    whose first change of attendance is an arrival (one who left and came back was there)."""
    facts = {p.paragraph: p for p in protocol.proceedings}
    first: dict[str, bool] = {}  # name -> whether the first change was an arrival
    for paragraph in protocol.paragraphs:
        here = facts.get(paragraph.number)
        if here is not None:
            for name in here.left:
                first.setdefault(_key(name), False)
            for name in here.arrived:
                first.setdefault(_key(name), True)
    present = tuple(p.name for p in protocol.attendees.deciding if not first.get(_key(p.name)))
    return Serving(0, present, (), protocol.attendees.serving_substitutes)


def serving(protocol: Protocol) -> dict[int, Serving]:
    """Who served at each paragraph of the protocol, by its number (two namesakes at the
    meeting named with their party, as ``people.distinguished`` names them)."""
    protocol = people.distinguished(protocol)
    front = tuple(p.name for p in protocol.attendees.deciding)
    facts = {p.paragraph: p for p in protocol.proceedings}
    beslutande = {_key(p.name) for p in protocol.attendees.deciding}
    opening = _opening(protocol)
    present, substitutes = list(opening.present), list(opening.substitutes)
    found: dict[int, Serving] = {}
    for paragraph in protocol.paragraphs:
        here = facts.get(paragraph.number)
        if here is not None:
            gone = {_key(n) for n in here.left}
            present = [n for n in present if _key(n) not in gone]
            substitutes = [p for p in substitutes if _key(p.name) not in gone]
            present += [  # an official or a non-serving ersättare who arrives does not decide
                n
                for n in here.arrived
                if _key(n) in beslutande and _key(n) not in {_key(p) for p in present}
            ]
            present += [p.name for p in here.serving]
            substitutes += list(here.serving)
        jav = here.jav if here is not None else ()
        told = (*here.left, *here.arrived, *(p.name for p in here.serving)) if here else ()
        entering = here.serving if here else ()
        vote = here.vote if here else None
        standing = _standing(paragraph, vote)[0] if vote else None
        found[paragraph.number] = Serving(
            paragraph.number,
            tuple(present),
            jav,
            tuple(substitutes),
            front,
            told,
            entering,
            standing is vote_counts.Standing.TOLD,
        )
    return found


def _standing(
    paragraph: Paragraph, vote: Vote
) -> tuple[vote_counts.Standing, vote_counts.Stated | None]:
    """How the counts the paragraph's text states stand to the recorded vote. The text is
    read as the page shows it (its parts' HTML, a line for each line of the Markdown), so that
    ``check`` and the page, which has only the record, judge it alike."""
    text = "\n".join(
        line
        for part in paragraph.parts
        for line in (part.heading, html.unescape(_TAG.sub("", part.html)))
        if line
    )
    counts = (Vote.count(vote.yes), Vote.count(vote.no), Vote.count(vote.abstain))
    return vote_counts.standing(text, *counts)


_TAG = re.compile(r"<[^>]*>")


def check(protocol: Protocol) -> list[Problem]:
    """Every rule above, on every paragraph with proceedings (and beslutförhet on all)."""
    if not protocol.proceedings and not protocol.organ.members:
        return []
    protocol = people.distinguished(protocol)  # two namesakes at the meeting told apart
    numbers = {p.number for p in protocol.paragraphs}
    by_paragraph = serving(protocol)
    opening = _opening(protocol)
    problems = []
    for facts in protocol.proceedings:
        if facts.paragraph not in numbers:
            problems.append(
                error(
                    protocol.path,
                    facts.line,
                    f"§ {facts.paragraph} finns inte i protokollet (proceedings)",
                    "proceedings",
                )
            )
            continue
        before = _before(protocol.paragraphs, facts.paragraph, by_paragraph) or opening
        problems += _attendance_rules(protocol, facts, before)
        problems += _decision_rules(protocol, facts, by_paragraph[facts.paragraph])
    if not protocol.attendees.by_reference:
        problems += _quorum(protocol, by_paragraph)
    return problems


def _before(
    paragraphs: Iterable[Paragraph], number: int, found: dict[int, Serving]
) -> Serving | None:
    """Who served just before paragraph ``number`` (None for the first: the opening)."""
    previous = None
    for paragraph in paragraphs:
        if paragraph.number == number:
            break
        previous = found[paragraph.number]
    return previous


def _attendance_rules(protocol: Protocol, facts: Proceedings, before: Serving) -> list[Problem]:
    """Attendance changes only to people present (or listed), ersättare only for the absent."""
    listed = {_key(p.name) for p in protocol.attendees.present}
    present = {_key(n) for n in before.present}
    problems = []
    if protocol.attendees.by_reference:  # who was there is in the list the note refers to
        return _substitutes(protocol, facts, set())
    for name in facts.left:
        if _key(name) not in present:
            problems.append(
                _unknown(
                    protocol, facts, "left", name, "lämnar sammanträdet men är inte närvarande"
                )
            )
    for name in facts.arrived:
        if _key(name) not in listed:
            problems.append(
                _unknown(
                    protocol,
                    facts,
                    "arrived",
                    name,
                    "kommer till sammanträdet men finns inte bland deltagarna på förstasidan",
                )
            )
    # a ledamot who leaves before this §, or is jävig at it, is not there: an ersättare may serve
    away = {_key(n) for n in facts.left + facts.jav}
    problems += _substitutes(protocol, facts, present - away)
    return problems


def _substitutes(protocol: Protocol, facts: Proceedings, present: set[str]) -> list[Problem]:
    problems = []
    parties = {
        _key(p.name): p.party for p in protocol.attendees.present + protocol.attendees.absent
    }
    for index, person in enumerate(facts.serving):
        line = protocol.source.line_of("proceedings", facts.index, "serving", index)
        replaced = person.replaces or ""
        if _key(replaced) in present:
            problems.append(
                error(
                    protocol.path,
                    line,
                    f"ersättaren {person.name} tjänstgör från § {facts.paragraph} i stället för "
                    f"{replaced}, som är närvarande; en ersättare tjänstgör bara för en ledamot "
                    f"som inte är där [{RULE_SUBSTITUTE}]",
                    "proceedings",
                )
            )
        party = person.party or parties.get(_key(person.name))
        theirs = parties.get(_key(replaced))
        if party and theirs and party != theirs:
            problems.append(
                warning(
                    protocol.path,
                    line,
                    f"ersättaren {person.name} ({party}) tjänstgör för {replaced} ({theirs}): "
                    "kontrollera ersättarnas turordning, som fullmäktige har bestämt "
                    f"[{RULE_SUBSTITUTE}]",
                    "proceedings",
                )
            )
    return problems


def _unknown(protocol: Protocol, facts: Proceedings, key: str, name: str, what: str) -> Problem:
    index = list(getattr(facts, key)).index(name)
    return error(
        protocol.path,
        protocol.source.line_of("proceedings", facts.index, key, index),
        f"{name} {what} (§ {facts.paragraph})" + _hint(protocol, name),
        "proceedings",
    )


def _hint(protocol: Protocol, name: str) -> str:
    """'; menade du 'Karin Wester'?' for a name that is none of the meeting's attendees (none
    for one who is listed: the name is right, the facts are not)."""
    known = [p.name for p in protocol.attendees.present + protocol.attendees.absent]
    return people.hint(name, known)


def _decision_rules(protocol: Protocol, facts: Proceedings, here: Serving) -> list[Problem]:
    fullmaktige = protocol.organ.is_fullmaktige
    jav = {_key(n) for n in here.jav}
    problems = []
    listed = not protocol.attendees.by_reference
    for name in here.jav if listed else ():
        if _key(name) not in {_key(n) for n in here.present}:
            problems.append(
                _unknown(protocol, facts, "jav", name, "anmäler jäv men tjänstgör inte")
            )
    for statement in facts.proposals:
        for name in statement.by:
            if _key(name) in jav:
                problems.append(
                    error(
                        protocol.path,
                        statement.line,
                        f"{name} har anmält jäv vid § {facts.paragraph} och får inte delta i "
                        f"handläggningen, inte heller yrka [{RULE_JAV[fullmaktige]}]",
                        "jav",
                    )
                )
    return problems + _vote_rules(protocol, facts, here) + _reservations(protocol, facts, here)


def _reservations(protocol: Protocol, facts: Proceedings, here: Serving) -> list[Problem]:
    """Only one who took part in the decision reserves: serving, without jäv, and not among
    those who abstained from the vote (4 kap. 25 och 27 §§)."""
    deciding = {_key(n) for n in here.deciding}
    vote = facts.vote
    abstained = set() if vote is None else _keys(vote.abstain)
    problems = []
    listed = not protocol.attendees.by_reference
    for statement in facts.reservations:
        for name in statement.by:
            if (_key(name) in deciding or not listed) and _key(name) not in abstained:
                continue
            why = "avstod i omröstningen" if _key(name) in abstained else "deltog inte i beslutet"
            problems.append(
                error(
                    protocol.path,
                    statement.line,
                    f"{name} reserverar sig vid § {facts.paragraph} men {why}; bara den som "
                    f"deltagit i avgörandet får reservera sig{_hint(protocol, name)} "
                    f"[{RULE_RESERVATION}]",
                    "reservation",
                )
            )
    return problems


def _vote_rules(protocol: Protocol, facts: Proceedings, here: Serving) -> list[Problem]:
    vote = facts.vote
    if vote is None:
        return []
    fullmaktige = protocol.organ.is_fullmaktige
    line = protocol.source.line_of("proceedings", facts.index, "vote")
    deciding = {_key(n) for n in here.deciding}
    jav = {_key(n) for n in here.jav}
    problems = []
    counted: set[str] = set()
    for name in vote.voters():
        if _key(name) in counted:
            message = (
                f"{name} röstar mer än en gång vid § {facts.paragraph}; varje ledamot har en "
                f"röst [{RULE_VOTES}]"
            )
        elif _key(name) in jav:
            message = (
                f"{name} röstar vid § {facts.paragraph} men har anmält jäv; den som är jävig "
                f"deltar inte och räknas inte [{RULE_JAV[fullmaktige]}]"
            )
        elif _key(name) not in deciding and not protocol.attendees.by_reference:
            message = (
                f"{name} röstar vid § {facts.paragraph} men tjänstgör inte "
                f"där{_hint(protocol, name)} [{RULE_VOTES}]"
            )
        else:
            counted.add(_key(name))
            continue
        problems.append(error(protocol.path, line, message, "vote"))
    counts = [Vote.count(vote.yes), Vote.count(vote.no), Vote.count(vote.abstain)]
    total = sum(counts)
    if total != len(here.deciding) and not protocol.attendees.by_reference:
        problems.append(
            error(
                protocol.path,
                line,
                f"omröstningen vid § {facts.paragraph} har {total} röster (ja {counts[0]}, nej "
                f"{counts[1]}, avstår {counts[2]}) men {len(here.deciding)} tjänstgör där; "
                f"varje tjänstgörande ledamot har en röst och får avstå [{RULE_VOTES}]",
                "vote",
            )
        )
    problems += _majority(protocol, facts, counts, line)
    return problems + _vote_text(protocol, facts, counts)


def _vote_text(protocol: Protocol, facts: Proceedings, counts: list[int]) -> list[Problem]:
    """The counts the § text states against the recorded ones: a warning at the sentence
    when they differ, or when the text leaves out that some abstained (the text may be the
    protocol as justerat, the facts what was typed after: either may be wrong)."""
    paragraph = next(p for p in protocol.paragraphs if p.number == facts.paragraph)
    assert facts.vote is not None
    standing, stated = _standing(paragraph, facts.vote)
    if stated is None or standing not in _WARNED:
        return []
    yes, no, abstain = counts
    if standing is vote_counts.Standing.DIFFERS:
        message = (
            f"texten i § {facts.paragraph} anger {stated} i omröstningen, men vote i "
            f"proceedings säger ja {yes}, nej {no}, avstår {abstain}; rätta det som är fel, "
            "texten eller vote"
        )
    else:
        message = (
            f"texten i § {facts.paragraph} anger {stated} i omröstningen men inte att "
            f"{abstain} avstod, som vote i proceedings säger; skriv det i texten (till exempel "
            f"'och {abstain} avstår') eller rätta vote"
        )
    return [warning(protocol.path, _line_of(protocol, paragraph, stated), message, RULE_VOTE_TEXT)]


def _line_of(protocol: Protocol, paragraph: Paragraph, stated: vote_counts.Stated) -> int:
    """The file's line of the sentence that states ``stated`` in the paragraph (its heading's
    line when the Markdown, read alike, does not find it)."""
    lines = protocol.source.body.split("\n")
    first = paragraph.line - protocol.source.body_line + 1  # the line after the heading
    after = [p.line for p in protocol.paragraphs if p.line > paragraph.line]
    end = min(after) - protocol.source.body_line if after else len(lines)
    for found in vote_counts.read("\n".join(lines[first:end])):
        if replace(found, line=stated.line) == stated:
            return paragraph.line + found.line
    return paragraph.line


def _winner(protocol: Protocol, vote: Vote, yes: int, no: int) -> str:
    """The side that won by the counts, or at equal votes the chair's side ("" if unknown)."""
    if yes != no:
        return "yes" if yes > no else "no"
    chair = _key(protocol.chair)
    for side, names in (("yes", vote.yes), ("no", vote.no)):
        if not isinstance(names, int) and chair in {_key(n) for n in names}:
            return side
    return ""  # equal counts without the chair's vote known


def _majority(
    protocol: Protocol, facts: Proceedings, counts: list[int], line: int
) -> list[Problem]:
    vote = facts.vote
    assert vote is not None
    yes, no = counts[0], counts[1]
    winner = _winner(protocol, vote, yes, no)
    if winner and winner != vote.result:
        said = {"yes": "ja", "no": "nej"}
        why = "flest röster" if yes != no else "ordförandens utslagsröst"
        claimed = said.get(vote.result, vote.result)
        return [
            error(
                protocol.path,
                line,
                f"omröstningen vid § {facts.paragraph} slutade ja {yes}, nej {no}: "
                f"{said[winner]} vann ({why}), men result säger {claimed} [{RULE_MAJORITY}]",
                "vote",
            )
        ]
    return []


def _quorum(protocol: Protocol, by_paragraph: dict[int, Serving]) -> list[Problem]:
    """More than half of the ledamöter present at every paragraph, where the register says
    how many there are."""
    seats = protocol.organ.seats(protocol.date)
    if not seats:
        return []
    fullmaktige = protocol.organ.is_fullmaktige
    for paragraph in protocol.paragraphs:
        here = by_paragraph[paragraph.number]
        counted = here.present if fullmaktige else here.deciding  # 5 kap. 46 §, 6 kap. 30 §
        if len(counted) * 2 <= seats:
            return [
                error(
                    protocol.path,
                    paragraph.line,
                    f"vid § {paragraph.number} tjänstgör {len(counted)} av {seats} ledamöter; "
                    f"organet är beslutfört bara när fler än hälften är närvarande "
                    f"[{RULE_QUORUM[fullmaktige]}]",
                    "quorum",
                )
            ]
    return []
