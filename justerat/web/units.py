"""What a page gives the search: its document and units, read from the page's markup
(docs/search.md, section 5, "What a page gives").

A page marks its document with ``data-search-doc`` and its units with ``data-search-unit``;
``document`` reads them into a ``Document``: the units in page order, each as fields of text
cut at block elements, labels joined to their values ("Sekreterare: Åsa Berglund"). No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """What a hit points at: ``anchor`` in its page ("" for the page itself)."""

    anchor: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A page the search reads: its address in the site (``url``, e.g.
    "protokoll/ks/2023-09-13/"), its filters and date, and its units in page order."""

    url: str
    title: str
    typ: str
    organs: tuple[str, ...]
    year: int | None
    date: str  # ISO, or "" when it has none
    units: tuple[Unit, ...]
