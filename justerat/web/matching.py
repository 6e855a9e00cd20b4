"""What a search matches, by definition (docs/search.md, sections 2 and 3).

The words of a text and the terms of a query, normalised one way (the search page's script
does the same, and a test holds the two together), and ``matches``: the brute-force answer to
whether a unit matches a query. The search index must give exactly the units this gives; the
tests compare the two on every query of a generated set. No I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

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


# --- ranking (docs/search.md, section 4) -----------------------------------------------------

K1 = 1.2
B = 0.75


class _Searched(Protocol):
    """A unit as ranking reads it (``units.Unit``)."""

    @property
    def fields(self) -> tuple[str, ...]: ...

    @property
    def anchor(self) -> str: ...


class _Document(Protocol):
    """A document as ranking reads it (``units.Document``)."""

    @property
    def url(self) -> str: ...

    @property
    def typ(self) -> str: ...

    @property
    def organs(self) -> tuple[str, ...]: ...

    @property
    def year(self) -> int | None: ...

    @property
    def date(self) -> str: ...

    @property
    def units(self) -> Sequence[_Searched]: ...


def scored_terms(query: Query) -> list[tuple[str, bool]]:
    """The terms a unit's score sums over, in order: (term, whether it is a prefix). A phrase
    is scored as its words, each a whole word, a repeated word as often as it stands."""
    return (
        [(term, True) for term in query.prefixes]
        + [(term, False) for term in query.whole]
        + [(word, False) for phrase in query.phrases for word in phrase]
    )


def idf(units: int, df: int) -> float:
    return math.log(1 + (units - df + 0.5) / (df + 0.5))


def bm25(idf: float, tf: int, length: int, average: float) -> float:
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))


def rounded(score: float) -> int:
    """A score as results are ordered by it: Python's and JavaScript's logarithms may differ
    in the last bit, and the rounding keeps the two orders the same."""
    return math.floor(score * 1_000_000 + 0.5)


def _tf(term: str, prefix: bool, unit_words: Sequence[str]) -> int:
    if prefix:
        return sum(1 for word in unit_words if word.startswith(term))
    return sum(1 for word in unit_words if word == term)


def in_filters(document: _Document, filters: Mapping[str, str]) -> bool:
    """Whether ``document`` passes the filters (organ, ar, typ; "" or absent: any)."""
    organ, year, typ = (filters.get(name, "") for name in ("organ", "ar", "typ"))
    return (
        (not organ or organ in document.organs)
        and (not year or (document.year is not None and str(document.year) == year))
        and (not typ or document.typ == typ)
    )


def rank(
    query: Query,
    documents: Sequence[_Document],
    filters: Mapping[str, str] | None = None,
    newest: bool = False,
) -> list[tuple[str, tuple[str, ...]]]:
    """The oracle's answer to ``query``: every matching document, as its address and the
    anchors of its matching units in document order, in result order. Found by reading every
    unit of every document."""
    if query.empty:
        return []
    read = [
        (document, unit, [words(field) for field in unit.fields])
        for document in documents
        for unit in document.units
    ]
    flat = [[word for field in fields for word in field] for _, _, fields in read]
    count = len(read)
    average = sum(len(each) for each in flat) / count if count else 1.0
    terms = scored_terms(query)
    tfs = [[_tf(term, prefix, each) for each in flat] for term, prefix in terms]
    idfs = [idf(count, sum(1 for tf in column if tf)) for column in tfs]
    best: dict[str, tuple[int, _Document]] = {}
    hits: dict[str, list[str]] = {}
    for i, (document, unit, fields) in enumerate(read):
        if not in_filters(document, filters or {}) or not matches(query, fields):
            continue
        score = 0.0
        for column, weight in zip(tfs, idfs, strict=True):
            score += bm25(weight, column[i], len(flat[i]), average)
        points = rounded(score)
        if document.url not in best or points > best[document.url][0]:
            best[document.url] = (points, document)
        hits.setdefault(document.url, []).append(unit.anchor)
    order = sorted(best, key=lambda url: url)
    order.sort(key=lambda url: best[url][1].date, reverse=True)  # a date, then none
    order.sort(key=lambda url: best[url][0], reverse=True)
    if newest:
        order.sort(key=lambda url: best[url][1].date, reverse=True)
    return [(url, tuple(hits[url])) for url in order]
