"""What a search matches, by definition (docs/search.md, sections 2 and 3).

The words of a text and the terms of a query, normalised one way (the search page's script
does the same, and a test holds the two together), and ``matches``: the brute-force answer to
whether a unit matches a query. The search index must give exactly the units this gives; the
tests compare the two on every query of a generated set. No I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# a word: a run of letters and digits (Unicode L* and N*, and the marks that belong to them)
_WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f][^\W_]*)*")
_QUOTED = re.compile(r'"([^"]*)"?')


def normalise(text: str) -> str:
    """Unicode NFC, case folded. å, ä and ö stay letters of their own (NFC keeps them one
    character, and folding never strips their marks)."""
    return unicodedata.normalize("NFC", text).casefold()


def words(text: str) -> list[str]:
    """The words of ``text``, normalised, in order: everything but letters and digits
    separates them ("KS-2023/145" is "ks", "2023", "145")."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class Query:
    """A query as the reader wrote it: prefix terms (unquoted words), whole words (a quoted
    word) and phrases (several quoted words, in order)."""

    prefixes: tuple[str, ...] = ()
    whole: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.prefixes or self.whole or self.phrases)


def parse(text: str) -> Query:
    """The query in ``text``: each quoted part a whole word or a phrase (an unclosed quote runs
    to the end), each other word a prefix term. Repeated terms count once."""
    prefixes: list[str] = []
    whole: list[str] = []
    phrases: list[tuple[str, ...]] = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        prefixes += words(text[position : quoted.start()])
        inside = tuple(words(quoted.group(1)))
        if len(inside) == 1:
            whole.append(inside[0])
        elif inside:
            phrases.append(inside)
        position = quoted.end()
    prefixes += words(text[position:])
    return Query(_unique(prefixes), _unique(whole), _unique(phrases))


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def matches(query: Query, fields: Sequence[Sequence[str]]) -> bool:
    """Whether a unit, as the words of each of its fields, matches ``query``: every prefix
    term begins one of its words, every whole word is one of them, and every phrase stands in
    one field, word after word. An empty query matches nothing."""
    if query.empty:
        return False
    every = {word for field in fields for word in field}
    if any(not any(word.startswith(term) for word in every) for term in query.prefixes):
        return False
    if any(term not in every for term in query.whole):
        return False
    return all(any(_has_run(field, phrase) for field in fields) for phrase in query.phrases)


def _has_run(field: Sequence[str], phrase: Sequence[str]) -> bool:
    size = len(phrase)
    return any(tuple(field[i : i + size]) == tuple(phrase) for i in range(len(field) - size + 1))
