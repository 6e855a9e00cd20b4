"""What earlier builds made, by the digest of what they were made from.

A build given a ``Memo`` reuses every result whose inputs are unchanged: a file whose bytes are
the same is not parsed again, a record whose source and settings are the same is not modelled
again, a page whose template closure and data are the same is not rendered again. The preview
server keeps one ``Memo`` for its whole run, so a save re-renders only what depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problems import Problem
from .source import Source


@dataclass
class Memo:
    # path → (digest of the file's bytes, its source, its read and schema problems)
    sources: dict[str, tuple[str, Source | None, list[Problem]]] = field(default_factory=dict)
    # (kind, source digest, settings digest) → (record, problems)
    records: dict[tuple[str, str, str], tuple[Any, list[Problem]]] = field(default_factory=dict)
    # output path → (key of everything the page is made from, its bytes)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
