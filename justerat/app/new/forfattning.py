"""``new föreskrift ORGAN ÅÅÅÅ-MM-DD PARAGRAF`` (also ``new forfattning``): the draft of a
föreskrift in the författningssamling, adopted at that § of that body's meeting, with the next
free beteckning of the meeting's year. It is kungjord by the notice that the protocol adopting
it is justerat, and binds the public only from then (kommunallagen 8 kap. 13 §)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ...domain.settings import Settings
from ...domain.source import Source
from ...legal.forfattningar import RULE_KUNGORELSE
from ...reading.unfinished import (
    CHANGE,
    FORESKRIFT_TEXT_PLACEHOLDER,
    FORESKRIFT_TITLE_PLACEHOLDER,
)
from .common import PROTOCOLS, Draft, body_of, comment, dated, long_day, markdown_files, quoted

FORFATTNINGAR = "forfattningar"
_BETECKNING = re.compile(r"^([0-9]{4}):([1-9][0-9]*)$")


def next_number(sources: Iterable[Source], year: int) -> int:
    """The next free number of ``year`` in the collection (1 for the year's first)."""
    taken = [0]
    for source in sources:
        found = _BETECKNING.match(str(source.meta.get("beteckning", "")))
        if found and int(found.group(1)) == year:
            taken.append(int(found.group(2)))
    return max(taken) + 1


def forfattning_text(beteckning: str, organ: str, day: date, paragraph: int, in_force: date) -> str:
    """The draft's text: valid against the schema, with what to fill in marked ÄNDRA."""
    lines = [
        "---",
        "# En föreskrift i författningssamlingen. Ett utkast: den publiceras först när status är",
        "# published, och får publiceras först när protokollet som antog den är justerat. Den",
        "# kungörs genom anslaget om protokollets justering och binder allmänheten först då",
        f"# ({RULE_KUNGORELSE}).",
        f'beteckning: "{beteckning}"  # årtal:löpnummer i samlingen; filen heter likadant',
        f"title: {quoted(FORESKRIFT_TITLE_PLACEHOLDER)}",
        "kind: ovrigt  # taxa | ordningsföreskrifter | reglemente | arbetsordning | övrigt",
        "status: draft  # draft | published",
        f"adopted: {{organ: {organ}, date: {day.isoformat()}, paragraph: {paragraph}}}"
        "  # paragrafen som antog den",
        f"in_force: {in_force.isoformat()}  # {CHANGE}: dagen föreskriften börjar gälla "
        "(tidigast dagen den kungörs)",
        *comment(
            "Ersätter föreskriften en tidigare i sin helhet, ange den tidigare: "
            'replaces: ["2019:4"]. Upphävs den senare av ett beslut, ange det: '
            "repealed: {organ: …, date: …, paragraph: …}."
        ),
        "---",
        "",
        "## 1 §",
        "",
        FORESKRIFT_TEXT_PLACEHOLDER,
        "",
    ]
    return "\n".join(lines)


def forfattning(content: Path, site: Settings, organ: str, day: date, paragraph: int) -> Draft:
    """The draft of a föreskrift adopted at § ``paragraph`` of ``organ``'s meeting on ``day``."""
    body = body_of(site, organ)
    number = next_number(markdown_files(content / FORFATTNINGAR), day.year)
    beteckning = f"{day.year}:{number}"
    path = content / FORFATTNINGAR / f"{day.year}-{number}.md"
    notes = []
    protocols = dict(dated(markdown_files(content / PROTOCOLS / organ), organ))
    posted = _posted(protocols.get(day))
    if day not in protocols:
        notes.append(
            f"Protokollet från {body.name} {long_day(day)} finns inte än i "
            f"{(content / PROTOCOLS / organ).as_posix()}; check påminner om det tills det finns."
        )
    steps = (
        "Skriv föreskriftens rubrik under title: och dess text, med dess egna paragrafer som "
        "rubriker (## 1 §), och ändra det som är märkt ÄNDRA.",
        "Ange kind: och dagen den börjar gälla under in_force:.",
        "Sätt status: published när protokollet är justerat; föreskriften visas då i "
        "författningssamlingen, och anslaget om justeringen länkar till den.",
        f"Kontrollera med 'python build.py check --content {content.as_posix()}'.",
    )
    return Draft(
        path,
        forfattning_text(beteckning, organ, day, paragraph, posted or day),
        f"föreskrift {beteckning}, antagen av {body.name} {long_day(day)} § {paragraph}",
        tuple(notes),
        steps,
    )


def _posted(protocol: Source | None) -> date | None:
    """The day the protocol's notice of justering goes up, when its front matter says."""
    anslag = protocol.meta.get("anslag") if protocol is not None else None
    written = anslag.get("posted") if isinstance(anslag, dict) else None
    try:
        return date.fromisoformat(written) if isinstance(written, str) else None
    except ValueError:
        return None
