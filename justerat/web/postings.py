"""The search index's postings and files, by parts (docs/search.md, section 5, "Files").

A segment's documents are read in groups of ``GROUP``, each into a ``Part`` (its postings
numbered from 0, its documents' columns and its text chunks), which worker processes make
side by side; ``merge`` joins the parts' postings in order, as one pass over every document
would have made them, and ``shards``, ``vocabulary`` write the files. The groups are cut by
count, never by the number of workers, so the files are the same on any machine. No I/O.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .matching import words
from .units import Document

GROUP = 200  # documents in a part

_VARINTS = [bytes([n]) if n < 128 else bytes([n & 0x7F | 0x80, n >> 7]) for n in range(1 << 14)]


def varint(number: int) -> bytes:
    """``number`` as an unsigned LEB128 varint."""
    if number < 1 << 14:
        return _VARINTS[number]
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _read_varint(data: bytes | bytearray, at: int) -> tuple[int, int]:
    """The varint at ``at`` in ``data``, and where the next begins."""
    number = shift = 0
    while True:
        byte = data[at]
        at += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, at
        shift += 7


def order(word: str) -> bytes:
    """JavaScript's string order (UTF-16 code units)."""
    return word.encode("utf-16-be")


def as_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


class Postings:
    """Postings as they are encoded: for each key, the bytes of its postings, how many, and
    the last unit id written (the next is written as the difference; the first as the
    difference from ``first``)."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.data: dict[str, bytearray] = {}
        self.last: dict[str, int] = {}
        self.count: dict[str, int] = {}

    def add(self, found: Mapping[str, int], unit: int, length: bytes) -> None:
        """The postings of one unit: its keys with their tf (the hot loop of a cold build:
        written out, without calls)."""
        data, last, count, varints = self.data, self.last, self.count, _VARINTS
        for key, tf in found.items():
            postings = data.get(key)
            if postings is None:
                delta = unit - self.first
                data[key] = postings = bytearray()
                count[key] = 1
            else:
                delta = unit - last[key]
                count[key] += 1
            postings += varints[delta] if delta < 16384 else varint(delta)
            postings += varints[tf] if tf < 16384 else varint(tf)
            postings += length
            last[key] = unit


@dataclass
class Part:
    """What a group of documents gives its segment: the postings of their words and of their
    words' prefixes of two and three characters (units numbered from 0), each document's
    units, length, filter values and text chunk (numbered from 0), and the chunks."""

    words: Postings = field(default_factory=lambda: Postings(0))
    prefixes: Postings = field(default_factory=lambda: Postings(0))
    counts: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    organs: list[tuple[str, ...]] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    chunks: list[int] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)


def part(docs: Iterable[Document], text_budget: int) -> Part:
    """The part of ``docs``."""
    made = Part()
    unit = 0
    pending: list[bytes] = []
    size = 0
    for document in docs:
        total = 0
        for each in document.units:
            found = Counter(words("\n".join(each.fields)))
            length = sum(found.values())
            encoded = varint(length)
            made.words.add(found, unit, encoded)
            made.prefixes.add(_prefixes(found), unit, encoded)
            total += length
            unit += 1
        made.counts.append(len(document.units))
        made.lengths.append(total)
        made.kinds.append(document.typ)
        made.organs.append(document.organs)
        made.years.append(document.year)
        made.dates.append(document.date)
        text = _text(document)
        if pending and size + len(text) > text_budget:
            made.texts.append(gzipped(b"[" + b",".join(pending) + b"]"))
            pending, size = [], 0
        pending.append(text)
        size += len(text)
        made.chunks.append(len(made.texts))
    if pending:
        made.texts.append(gzipped(b"[" + b",".join(pending) + b"]"))
    return made


def _prefixes(found: Mapping[str, int]) -> dict[str, int]:
    """The tf of each prefix of two and three characters of the words ``found``."""
    short: dict[str, int] = {}
    for word, tf in found.items():
        if len(word) >= 2:
            cut = word[:2]
            short[cut] = short.get(cut, 0) + tf
            if len(word) >= 3:
                cut = word[:3]
                short[cut] = short.get(cut, 0) + tf
    return short


def _text(document: Document) -> bytes:
    return as_json(
        {
            "url": document.url,
            "title": document.title,
            "date": document.date,
            "units": [
                {"anchor": u.anchor, "title": u.title, "fields": list(u.fields)}
                for u in document.units
            ],
        }
    )


def merge(merged: Postings, part: Postings, offset: int) -> None:
    """Add a part's postings (its units starting at ``offset``) to ``merged``, after the
    parts before it: only each key's first posting in the part changes."""
    data, last, count, first = merged.data, merged.last, merged.count, merged.first
    for key, bytes_ in part.data.items():
        local, after = _read_varint(bytes_, 0)
        before = last.get(key)
        joined = data.get(key)
        if joined is None:
            data[key] = joined = bytearray()
        joined += varint(offset + local - (first if before is None else before))
        joined += memoryview(bytes_)[after:]
        last[key] = offset + part.last[key]
        count[key] = count.get(key, 0) + part.count[key]


def shards(
    kind: str, keys: Sequence[str], postings: Postings, budget: int, files: dict[str, bytes]
) -> list[list[str]]:
    """``keys`` (sorted) cut into shards of about ``budget`` bytes, written into ``files``;
    the range (first and last key) of each."""
    ranges: list[list[str]] = []
    shard: list[str] = []
    size = 0

    def close() -> None:
        out = bytearray(varint(len(shard)))
        before = b""
        for key in shard:
            encoded = key.encode()
            shared = 0
            for a, b in zip(before, encoded, strict=False):
                if a != b:
                    break
                shared += 1
            out += varint(shared) + varint(len(encoded) - shared) + encoded[shared:]
            out += varint(postings.count[key]) + postings.data[key]
            before = encoded
        files[f"{kind}{len(ranges)}.bin.gz"] = gzipped(bytes(out))
        ranges.append([shard[0], shard[-1]])

    for key in keys:
        cost = len(postings.data[key]) + len(key) + 4
        if shard and size + cost > budget:
            close()
            shard, size = [], 0
        shard.append(key)
        size += cost
    if shard:
        close()
    return ranges


def vocabulary(words: Sequence[str], budget: int, files: dict[str, bytes]) -> list[list[str]]:
    """The words (sorted) as JSON arrays of about ``budget`` bytes, written into ``files``;
    the range of each."""
    ranges: list[list[str]] = []
    part: list[str] = []
    size = 0
    for word in [*words, None]:
        if part and (word is None or size + len(word) + 3 > budget):
            files[f"v{len(ranges)}.json.gz"] = gzipped(as_json(part))
            ranges.append([part[0], part[-1]])
            part, size = [], 0
        if word is not None:
            part.append(word)
            size += len(word.encode()) + 3
    return ranges
