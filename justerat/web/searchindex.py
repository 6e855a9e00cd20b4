"""The search index's files, made from the documents the pages give (docs/search.md, section 5).

``build`` makes an index of documents: one base segment, or, given the state of the index it
replaces, that base kept as it is and a delta segment with every document changed since, and
the base's documents it replaces; when the delta grows past a fifth of the base, one new base.
Every segment's files are named by a digest of the segment, so a name never changes its bytes.
The same documents give the same bytes. No I/O: the stage in ``search`` reads the pages and
writes the files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .matching import normalise
from .units import Document

FORMAT = 1
MANIFEST = "manifest.json"
# the kinds of document, in the order the search page offers them (others follow, sorted)
KINDS = ("Protokoll", "Plan och budget", "Anslag", "Kallelse", "Ledamot")

_WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f][^\W_]*)*")  # matching.words, on normalised text
_VARINTS = [bytes([n]) if n < 128 else bytes([n & 0x7F | 0x80, n >> 7]) for n in range(1 << 14)]


@dataclass(frozen=True)
class Sizes:
    """Byte budgets (before compression): a word or prefix shard, the postings a prefix's
    words must pass to get an entry of its own, a text chunk, a vocabulary file."""

    shard: int = 48_000
    prefix: int = 48_000
    text: int = 24_000
    vocabulary: int = 32_000


@dataclass(frozen=True)
class Segment:
    """A published segment, as the next build needs it: its documents (address and digest,
    in id order) with their unit counts and lengths, and its manifest entry."""

    entry: dict[str, Any]
    docs: tuple[tuple[str, str], ...]
    units: tuple[int, ...]
    lengths: tuple[int, ...]
    files: tuple[str, ...]

    @property
    def first(self) -> int:
        return int(self.entry["first"])

    @property
    def firstdoc(self) -> int:
        return int(self.entry["firstdoc"])


@dataclass(frozen=True)
class State:
    """What an index is, for the build that updates it: its segments (base first) and its
    filter values (new values are added at the end: the base's documents point into them)."""

    segments: tuple[Segment, ...]
    filters: dict[str, tuple[str, ...]]
    manifest: str  # the digest of its manifest's bytes


@dataclass(frozen=True)
class Built:
    """An index: the files written (paths inside ``sok/index/``), the files of the earlier
    index that stay as they are, and its state for the next build."""

    files: dict[str, bytes]
    kept: tuple[str, ...]
    state: State
    fresh: bool = field(default=False)  # whether it was made anew, as one base


def digest(document: Document) -> str:
    """A document's digest, for documents given without one."""
    return hashlib.sha256(repr(document).encode()).hexdigest()


def build(
    documents: Iterable[Document],
    previous: State | None = None,
    sizes: Sizes | None = None,
) -> Built:
    """The index of ``documents`` (after ``previous``, when given)."""
    by_url = {document.url: document for document in documents}
    digests = {url: digest(document) for url, document in by_url.items()}
    return update(digests, by_url.__getitem__, previous, sizes or Sizes())


def update(
    digests: Mapping[str, str],
    document: Callable[[str], Document],
    previous: State | None,
    sizes: Sizes,
) -> Built:
    """The index of the documents whose addresses and digests ``digests`` gives (``document``
    reads one), after ``previous``: only the documents that changed since its base are read."""
    if previous is None or not previous.segments:
        return _fresh(digests, document, sizes)
    base = previous.segments[0]
    known = dict(base.docs)
    changed = sorted(url for url, each in digests.items() if known.get(url) != each)
    removed = [
        base.firstdoc + i for i, (url, each) in enumerate(base.docs) if digests.get(url) != each
    ]
    delta = previous.segments[1] if len(previous.segments) > 1 else None
    if not changed and not removed:
        wanted: tuple[Segment, ...] | None = (base,)
    elif (
        delta is not None
        and delta.docs == tuple((url, digests[url]) for url in changed)
        and delta.entry["removed"] == removed
    ):
        wanted = (base, delta)
    else:
        wanted = None
    if wanted == previous.segments:
        return Built({}, (*_files(wanted), MANIFEST), previous)
    if wanted is not None:
        return _manifest(wanted, previous.filters, {}, kept=_files(wanted))
    docs = [document(url) for url in changed]
    if 5 * sum(len(each.units) for each in docs) > sum(base.units):
        return _fresh(digests, document, sizes)
    filters = _filters(docs, previous.filters)
    made, files = _segment(
        docs,
        [digests[url] for url in changed],
        base.first + sum(base.units),
        base.firstdoc + len(base.docs),
        removed,
        filters,
        sizes,
    )
    return _manifest((base, made), filters, files, kept=base.files)


def _files(segments: Iterable[Segment]) -> tuple[str, ...]:
    return tuple(name for segment in segments for name in segment.files)


def _fresh(digests: Mapping[str, str], document: Callable[[str], Document], sizes: Sizes) -> Built:
    urls = sorted(digests)
    docs = [document(url) for url in urls]
    filters = _filters(docs, {})
    segment, files = _segment(docs, [digests[url] for url in urls], 0, 0, [], filters, sizes)
    built = _manifest((segment,), filters, files, kept=())
    return Built(built.files, built.kept, built.state, fresh=True)


def _filters(
    docs: Sequence[Document], earlier: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The filter values: the earlier ones as they were, then the new ones (bodies by name,
    years newest first, kinds in the order of ``KINDS``)."""
    found = {
        "organ": sorted({organ for each in docs for organ in each.organs}),
        "ar": sorted({str(each.year) for each in docs if each.year is not None}, reverse=True),
        "typ": sorted(
            {each.typ for each in docs},
            key=lambda kind: (KINDS.index(kind) if kind in KINDS else len(KINDS), kind),
        ),
    }
    values = {}
    for name, new in found.items():
        kept = tuple(earlier.get(name, ()))
        values[name] = kept + tuple(value for value in new if value not in kept)
    return values


def _manifest(
    segments: tuple[Segment, ...],
    filters: dict[str, tuple[str, ...]],
    files: dict[str, bytes],
    kept: tuple[str, ...],
) -> Built:
    removed = {int(i) for segment in segments for i in segment.entry["removed"]}
    units = length = 0
    for segment in segments:
        for i, (count, size) in enumerate(zip(segment.units, segment.lengths, strict=True)):
            if segment.firstdoc + i not in removed:
                units, length = units + count, length + size
    manifest = {
        "format": FORMAT,
        "k1": 1.2,
        "b": 0.75,
        "units": units,
        "length": length,
        "filters": {name: list(values) for name, values in filters.items()},
        "segments": [segment.entry for segment in segments],
    }
    data = _json(manifest)
    state = State(segments, filters, hashlib.sha256(data).hexdigest())
    return Built({**files, MANIFEST: data}, kept, state)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _varint(number: int) -> bytes:
    if number < 1 << 14:
        return _VARINTS[number]
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _order(word: str) -> bytes:
    """JavaScript's string order (UTF-16 code units)."""
    return word.encode("utf-16-be")


class _Postings:
    """Postings as they are encoded: for each key, the bytes of its postings, how many, and
    the last unit id written (the next is written as the difference)."""

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
            postings += varints[delta] if delta < 16384 else _varint(delta)
            postings += varints[tf] if tf < 16384 else _varint(tf)
            postings += length
            last[key] = unit


def _postings(
    docs: Sequence[Document], first: int
) -> tuple[_Postings, _Postings, list[int], list[int]]:
    """The postings of the documents' words and of their prefixes of two and three
    characters, their units numbered from ``first``; each document's units and length."""
    words = _Postings(first)
    prefixes = _Postings(first)
    unit = first
    counts, lengths = [], []
    for document in docs:
        total = 0
        for each in document.units:
            found = Counter(_WORD.findall(normalise("\n".join(each.fields))))
            length = sum(found.values())
            encoded = _varint(length)
            words.add(found, unit, encoded)
            short: dict[str, int] = {}
            for word, tf in found.items():
                if len(word) >= 2:
                    cut = word[:2]
                    short[cut] = short.get(cut, 0) + tf
                    if len(word) >= 3:
                        cut = word[:3]
                        short[cut] = short.get(cut, 0) + tf
            prefixes.add(short, unit, encoded)
            total += length
            unit += 1
        counts.append(len(document.units))
        lengths.append(total)
    return words, prefixes, counts, lengths


def _segment(
    docs: Sequence[Document],
    digests: Sequence[str],
    first: int,
    firstdoc: int,
    removed: Sequence[int],
    filters: Mapping[str, tuple[str, ...]],
    sizes: Sizes,
) -> tuple[Segment, dict[str, bytes]]:
    """A segment of ``docs``, its units numbered from ``first`` and its documents from
    ``firstdoc``: its state and its files."""
    words, prefixes, counts, lengths = _postings(docs, first)
    unit = first + sum(counts)
    vocabulary = sorted(words.data, key=_order)
    size = {word: len(words.data[word]) + len(word) + 4 for word in vocabulary}
    below: Counter[str] = Counter()
    for word in vocabulary:
        for cut in {word[:2], word[:3]}:
            if len(cut) >= 2:
                below[cut] += size[word]
    wanted = sorted((p for p in prefixes.data if below[p] > sizes.prefix), key=_order)
    files: dict[str, bytes] = {}
    word_ranges = _shards("w", vocabulary, words, sizes.shard, files)
    prefix_ranges = _shards("p", wanted, prefixes, sizes.shard, files)
    vocabulary_ranges = _vocabulary(vocabulary, sizes.vocabulary, files)
    chunks = _texts(docs, sizes.text, files)
    files["docs.json.gz"] = _gzip(_json(_columns(docs, counts, chunks, filters)))
    identity = hashlib.sha256()
    for name, data in sorted(files.items()):
        identity.update(f"{name}\0{len(data)}\0".encode())
        identity.update(data)
    name = identity.hexdigest()[:16]
    entry: dict[str, Any] = {
        "id": name,
        "first": first,
        "firstdoc": firstdoc,
        "docs": len(docs),
        "units": unit - first,
        "words": word_ranges,
        "prefixes": prefix_ranges,
        "vocabulary": vocabulary_ranges,
        "texts": max(chunks, default=-1) + 1,
        "removed": list(removed),
    }
    placed = {f"{name}/{file}": data for file, data in files.items()}
    segment = Segment(
        entry,
        tuple(zip((each.url for each in docs), digests, strict=True)),
        tuple(counts),
        tuple(lengths),
        tuple(sorted(placed)),
    )
    return segment, placed


def _shards(
    kind: str,
    keys: Sequence[str],
    postings: _Postings,
    budget: int,
    files: dict[str, bytes],
) -> list[list[str]]:
    """``keys`` (sorted) cut into shards of about ``budget`` bytes, written into ``files``;
    the range (first and last key) of each."""
    ranges: list[list[str]] = []
    shard: list[str] = []
    size = 0

    def close() -> None:
        out = bytearray(_varint(len(shard)))
        before = b""
        for key in shard:
            encoded = key.encode()
            shared = 0
            for a, b in zip(before, encoded, strict=False):
                if a != b:
                    break
                shared += 1
            data = postings.data[key]
            out += _varint(shared) + _varint(len(encoded) - shared) + encoded[shared:]
            out += _varint(postings.count[key]) + data
            before = encoded
        files[f"{kind}{len(ranges)}.bin.gz"] = _gzip(bytes(out))
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


def _vocabulary(words: Sequence[str], budget: int, files: dict[str, bytes]) -> list[list[str]]:
    ranges: list[list[str]] = []
    part: list[str] = []
    size = 0
    for word in [*words, None]:
        if part and (word is None or size + len(word) + 3 > budget):
            files[f"v{len(ranges)}.json.gz"] = _gzip(_json(part))
            ranges.append([part[0], part[-1]])
            part, size = [], 0
        if word is not None:
            part.append(word)
            size += len(word.encode()) + 3
    return ranges


def _texts(docs: Sequence[Document], budget: int, files: dict[str, bytes]) -> list[int]:
    """The documents' texts in chunks of consecutive documents; each document's chunk."""
    chunks: list[int] = []
    part: list[bytes] = []
    size = 0

    def close() -> None:
        files[f"t{len(files_written)}.json.gz"] = _gzip(b"[" + b",".join(part) + b"]")
        files_written.append(len(part))

    files_written: list[int] = []
    for document in docs:
        data = _json(
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
        if part and size + len(data) > budget:
            close()
            part, size = [], 0
        part.append(data)
        size += len(data)
        chunks.append(len(files_written))
    if part:
        close()
    return chunks


def _columns(
    docs: Sequence[Document],
    counts: Sequence[int],
    chunks: Sequence[int],
    filters: Mapping[str, tuple[str, ...]],
) -> dict[str, list[object]]:
    organs = {value: i for i, value in enumerate(filters["organ"])}
    years = {value: i for i, value in enumerate(filters["ar"])}
    kinds = {value: i for i, value in enumerate(filters["typ"])}
    return {
        "units": list(counts),
        "date": [each.date for each in docs],
        "typ": [kinds[each.typ] for each in docs],
        "organ": [[organs[organ] for organ in each.organs] for each in docs],
        "ar": [years[str(each.year)] if each.year is not None else -1 for each in docs],
        "text": list(chunks),
    }
