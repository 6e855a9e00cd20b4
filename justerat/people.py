"""The people of the archive: the register of each body's members (site.yaml) matched with
the names protocols give, and each person's address on the site. No I/O.

A body's register lists its ledamöter and ersättare with party, what they represent and
their term of office. Where a body has a register, every beslutande, ersättare and
frånvarande a protocol names must be in it for the meeting's day; a misspelt name gets the
nearest registered name as a suggestion.
"""

from __future__ import annotations

from .markdown import slug as text_slug
from .model import Protocol
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
    if not body.members:
        return []
    members = [m.name for m in body.members if m.serves_on(protocol.date)]
    known = {key(name) for name in members}
    problems = []
    for list_key in LISTS:
        for index, person in enumerate(getattr(protocol.attendees, list_key)):
            if key(person.name) in known:
                continue
            hint = nearest(person.name, members)
            problems.append(
                warning(
                    protocol.path,
                    protocol.source.line_of("attendees", list_key, index, "name"),
                    f"{person.name} finns inte bland {body.name}s ledamöter och ersättare i "
                    f"site.yaml den {protocol.date.isoformat()}"
                    + (f"; menade du '{hint}'?" if hint else "; lägg till personen under members"),
                    "register",
                )
            )
    return problems
