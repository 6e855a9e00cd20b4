"""The people of the archive: the register of each body's members (site.yaml) matched with
the names protocols give, and each person's address on the site. No I/O.

A body's register lists its ledamöter and ersättare with party, what they represent and
their term of office. Where a body's register covers the meeting's day (someone's term
includes it), every beslutande, ersättare and frånvarande a protocol names must be in it for
that day; a misspelt name gets the nearest registered name as a suggestion, a name registered
for other days the terms it has. A day no term covers is one the register says nothing of
(an archive older than its register, as for beslutförhet in ``decisions``): not checked.
"""

from __future__ import annotations

from .markdown import slug as text_slug
from .model import Member, Protocol
from .problems import Problem, nearest, warning

LISTS = ("voting", "serving_substitutes", "substitutes", "absent")


def key(name: str) -> str:
    """A name as names are compared: letter case and spacing aside."""
    return " ".join(name.casefold().split())


def slug(name: str) -> str:
    """A person's address on the site: /ledamoter/<slug>/."""
    return text_slug(name)


def register_check(protocol: Protocol) -> list[Problem]:
    """The protocol's attendees against its body's register on the meeting's day."""
    body = protocol.organ
    members = [m.name for m in body.members if m.serves_on(protocol.date)]
    if not members:  # no register, or none for this day
        return []
    known = {key(name) for name in members}
    problems = []
    for list_key in LISTS:
        for index, person in enumerate(getattr(protocol.attendees, list_key)):
            if key(person.name) in known:
                continue
            problems.append(
                warning(
                    protocol.path,
                    protocol.source.line_of("attendees", list_key, index, "name"),
                    f"{person.name} finns inte bland {body.name}s ledamöter och ersättare i "
                    f"site.yaml den {protocol.date.isoformat()}"
                    + _advice(person.name, members, body.members),
                    "register",
                )
            )
    return problems


def _advice(name: str, serving: list[str], register: tuple[Member, ...]) -> str:
    """What to do: the terms the register gives the name (for one registered for other days),
    else the nearest name serving on the day, else add the person."""
    terms = [_term(m) for m in register if key(m.name) == key(name)]
    if terms:
        return f"; uppdraget gäller där {' och '.join(terms)}"
    hint = nearest(name, serving)
    return f"; menade du '{hint}'?" if hint else "; lägg till personen under members"


def _term(member: Member) -> str:
    """'2019-04-01–2023-03-31', 'från 2023-04-01', 'till 2022-12-31'."""
    start = member.start.isoformat() if member.start else ""
    end = member.end.isoformat() if member.end else ""
    if start and end:
        return f"{start}–{end}"
    return f"från {start}" if start else f"till {end}"
