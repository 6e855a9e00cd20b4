"""The författningssamling as files besides its pages: its register as open data
(``/data/forfattningar.json``, schema ``opendata-forfattningar``) and the Atom feed of new
föreskrifter (``/forfattningssamling/nya.xml``).

A föreskrift is new on the day it was kungjord (the notice that its protocol is justerat went
up, KL 8 kap. 13 §), or, where the archive does not say, on the day it was adopted. Every date
comes from the content, so the same content and day give the same bytes.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..core.swedish import swedish_date
from ..domain.forfattningar import FOLDER, Forfattning
from ..domain.model import Archive
from ..legal import forfattningar
from . import feed

DATA_PATH = "data/forfattningar.json"
FEED_PATH = f"{FOLDER}/nya.xml"
FORMAT = "justerat-opendata/1"
ENTRIES = 100  # the newest föreskrifter; the register holds them all


def announced(each: Forfattning, archive: Archive) -> date:
    """The day the föreskrift was kungjord, or else adopted."""
    return forfattningar.posted(each.adopted, archive.protocols) or each.adopted.date


def data(archive: Archive, today: date) -> bytes:
    """The register on ``today`` as a JSON document (docs/open-data.md)."""
    base = archive.settings.base_url
    every = archive.forfattningar
    after = forfattningar.successors(every)
    known = {p.url for p in archive.protocols}

    def decision(each: Any) -> dict[str, Any]:
        url = each.protocol_url
        return {
            "organization": each.organ,
            "date": each.date.isoformat(),
            "paragraph": each.paragraph,
            "web": f"{base}{each.url}" if url in known else None,
        }

    entries = []
    for each in every:
        successor = after.get(each.beteckning)
        kungjord = forfattningar.posted(each.adopted, archive.protocols)
        entries.append(
            {
                "id": each.beteckning,
                "title": each.title,
                "kind": each.kind.value,
                "state": forfattningar.state(each, today, after, archive.protocols).value,
                "adopted": decision(each.adopted),
                "announced": kungjord.isoformat() if kungjord else None,
                "inForce": each.in_force.isoformat(),
                "replaces": list(each.replaces),
                "replacedBy": successor.beteckning if successor else None,
                "repealed": decision(each.repealed) if each.repealed else None,
                "web": f"{base}{each.url}",
                "pdf": f"{base}{each.pdf_url}",
            }
        )
    document = {
        "format": FORMAT,
        "organization": archive.settings.organisation,
        "date": today.isoformat(),
        "web": f"{base}{FOLDER}/",
        "regulations": entries,
    }
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def atom(archive: Archive, today: date) -> bytes:
    """The feed of föreskrifter kungjorda on or before ``today``, newest first."""
    site = archive.settings
    base = site.base_url
    dated = sorted(
        ((announced(f, archive), f) for f in archive.forfattningar),
        key=lambda pair: (pair[0], pair[1].order),
        reverse=True,
    )
    shown = [(day, f) for day, f in dated if day <= today][:ENTRIES]
    generator = feed.started(
        f"{base}{FOLDER}/",
        f"Författningssamling – {site.organisation}",
        "Nya föreskrifter i författningssamlingen",
        site.organisation,
        f"{base}{FEED_PATH}",
    )
    generator.updated(feed.moment(shown[0][0] if shown else date(1970, 1, 1)))
    for day, each in reversed(shown):  # feedgen prepends: the newest ends up first
        entry = generator.add_entry()
        entry.id(f"{base}{each.url}")
        entry.title(f"{each.beteckning} {each.title}")
        entry.link(href=f"{base}{each.url}", rel="alternate")
        kungjord = forfattningar.posted(each.adopted, archive.protocols)
        said = f"; kungjord {swedish_date(kungjord)}" if kungjord else ""
        entry.summary(
            f"{each.kind.heading}. Antagen {swedish_date(each.adopted.date)}, "
            f"§ {each.adopted.paragraph}{said}; gäller från {swedish_date(each.in_force)}."
        )
        entry.published(feed.moment(day))
        entry.updated(feed.moment(day))
    written: bytes = generator.atom_str(pretty=True)
    return written
