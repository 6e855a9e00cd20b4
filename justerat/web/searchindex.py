"""The search index's files, made from the documents the pages give (docs/search.md, section 5).

``build`` makes an index of documents: one base segment, or, given the state of the index it
replaces, that base kept as it is and a delta segment with every document changed since, and
the base's documents it replaces; when the delta grows past a fifth of the base, one new base.
Every segment's files are named by a digest of the segment, so a name never changes its bytes.
The same documents give the same bytes. No I/O: the stage in ``search`` reads the pages and
writes the files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import postings
from .postings import GROUP, Part, as_json, gzipped, order
from .units import Document

FORMAT = 1
MANIFEST = "manifest.json"
# the kinds of document, in the order the search page offers them (others follow, sorted)
KINDS = ("Protokoll", "Plan och budget", "Anslag", "Kallelse", "Ledamot")

# how parts are made: ``function`` over groups of addresses, the parts in order (the stage
# gives worker processes; by default, one after the other here)
Mapper = Callable[[Callable[[Sequence[str]], Part], Sequence[Sequence[str]]], Iterable[Part]]


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
    mapper: Mapper | None = None,
) -> Built:
    """The index of the documents whose addresses and digests ``digests`` gives (``document``
    reads one), after ``previous``: only the documents that changed since its base are read.
    ``mapper`` makes the parts (``postings.part``) of groups of documents."""
    way = _Way(document, sizes, mapper or _one_by_one)
    if previous is None or not previous.segments:
        return _fresh(digests, way)
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
    parts = list(way.parts(changed))
    if 5 * sum(sum(each.counts) for each in parts) > sum(base.units):
        return _fresh(digests, way)
    made, files, filters = _segment(
        parts,
        [(url, digests[url]) for url in changed],
        base.first + sum(base.units),
        base.firstdoc + len(base.docs),
        removed,
        previous.filters,
        sizes,
    )
    return _manifest((base, made), filters, files, kept=base.files)


def _one_by_one(
    function: Callable[[Sequence[str]], Part], groups: Sequence[Sequence[str]]
) -> Iterable[Part]:
    return map(function, groups)


@dataclass(frozen=True)
class _Way:
    """How documents are read and made into parts."""

    document: Callable[[str], Document]
    sizes: Sizes
    mapper: Mapper

    def part(self, group: Sequence[str]) -> Part:
        return postings.part((self.document(url) for url in group), self.sizes.text)

    def parts(self, urls: Sequence[str]) -> Iterable[Part]:
        """The parts of ``urls``, in order, as they are made."""
        groups = [urls[i : i + GROUP] for i in range(0, len(urls), GROUP)]
        return self.mapper(self.part, groups)


def _files(segments: Iterable[Segment]) -> tuple[str, ...]:
    return tuple(name for segment in segments for name in segment.files)


def _fresh(digests: Mapping[str, str], way: _Way) -> Built:
    urls = sorted(digests)
    segment, files, filters = _segment(
        way.parts(urls), [(url, digests[url]) for url in urls], 0, 0, [], {}, way.sizes
    )
    built = _manifest((segment,), filters, files, kept=())
    return Built(built.files, built.kept, built.state, fresh=True)


def _filters(
    parts: Sequence[Part], earlier: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The filter values: the earlier ones as they were, then the new ones (bodies by name,
    years newest first, kinds in the order of ``KINDS``); the search page shows the bodies in
    site.yaml's order (its organ filter's data-order)."""
    found = {
        "organ": sorted({organ for each in parts for organs in each.organs for organ in organs}),
        "ar": sorted({str(y) for each in parts for y in each.years if y is not None}, reverse=True),
        "typ": sorted(
            {kind for each in parts for kind in each.kinds if kind},
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
    data = as_json(manifest)
    state = State(segments, filters, hashlib.sha256(data).hexdigest())
    return Built({**files, MANIFEST: data}, kept, state)


def _segment(
    parts: Iterable[Part],
    docs: Sequence[tuple[str, str]],
    first: int,
    firstdoc: int,
    removed: Sequence[int],
    earlier: Mapping[str, tuple[str, ...]],
    sizes: Sizes,
) -> tuple[Segment, dict[str, bytes], dict[str, tuple[str, ...]]]:
    """A segment of the parts of ``docs`` (address and digest), its units numbered from
    ``first`` and its documents from ``firstdoc``: its state, its files, the filter values."""
    words, prefixes = postings.Postings(first), postings.Postings(first)
    kept: list[Part] = []
    files: dict[str, bytes] = {}
    unit = first
    for each in parts:
        postings.merge(words, each.words, unit)
        postings.merge(prefixes, each.prefixes, unit)
        unit += sum(each.counts)
        for text in each.texts:
            files[f"t{len(files)}.json.gz"] = text
        # the columns kept; the postings and texts let go (the texts counted, as empty)
        empty = postings.Postings(0)
        kept.append(replace(each, words=empty, prefixes=empty, texts=[b""] * len(each.texts)))
    parts = kept
    chunks = len(files)  # the texts, so far the only files
    vocabulary = sorted(words.data, key=order)
    below: Counter[str] = Counter()
    for word in vocabulary:
        size = len(words.data[word]) + len(word) + 4
        for cut in {word[:2], word[:3]}:
            if len(cut) >= 2:
                below[cut] += size
    wanted = sorted((p for p in prefixes.data if below[p] > sizes.prefix), key=order)
    word_ranges = postings.shards("w", vocabulary, words, sizes.shard, files)
    prefix_ranges = postings.shards("p", wanted, prefixes, sizes.shard, files)
    vocabulary_ranges = postings.vocabulary(vocabulary, sizes.vocabulary, files)
    filters = _filters(parts, earlier)
    files["docs.json.gz"] = gzipped(as_json(_columns(parts, filters)))
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
        "texts": chunks,
        "removed": list(removed),
    }
    placed = {f"{name}/{file}": data for file, data in files.items()}
    segment = Segment(
        entry,
        tuple(docs),
        tuple(count for each in parts for count in each.counts),
        tuple(length for each in parts for length in each.lengths),
        tuple(sorted(placed)),
    )
    return segment, placed, filters


def _columns(
    parts: Sequence[Part], filters: Mapping[str, tuple[str, ...]]
) -> dict[str, list[object]]:
    organs = {value: i for i, value in enumerate(filters["organ"])}
    years = {value: i for i, value in enumerate(filters["ar"])}
    kinds = {value: i for i, value in enumerate(filters["typ"])}
    columns: dict[str, list[object]] = {
        name: [] for name in ("units", "date", "typ", "organ", "ar", "text")
    }
    chunks = 0
    for each in parts:
        columns["units"] += each.counts
        columns["date"] += each.dates
        columns["typ"] += [kinds.get(kind, -1) for kind in each.kinds]
        columns["organ"] += [[organs[organ] for organ in names] for names in each.organs]
        columns["ar"] += [years[str(y)] if y is not None else -1 for y in each.years]
        columns["text"] += [chunks + chunk for chunk in each.chunks]
        chunks += len(each.texts)
    return columns
