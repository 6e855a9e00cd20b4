"""An entry in a document's table of contents: a plan's, a föreskrift's (``markdown`` makes
them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str
