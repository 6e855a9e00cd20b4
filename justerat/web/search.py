"""The search index, as a build stage: Justerat's own (docs/search.md), over the pages made.

Pages mark their document and units in their markup (``data-search-doc``; ``units``), and a
page is known to be read by the search from its bytes when it is made (``searched``). The
stage reads only the pages it has not read before (what it read is kept in the cache by the
page's digest, in forked workers when there are many), and gives ``searchindex`` the state of
the index the site holds, so that a build after a justering writes a small delta segment and
keeps the rest. Every file's key is its own digest: a file kept is a file unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from ..core import processes
from ..core.problems import Problem, error
from ..reading.guard import identity_numbers
from . import searchindex, units
from .searchindex import MANIFEST, Sizes
from .units import Document, document

if TYPE_CHECKING:
    from ..core.cache import Cache

FOLDER = "sok/index"
MARKER = b"data-search-doc"


def searched(target: str, data: bytes) -> bool:
    """Whether the search index reads this file: a page that marks a document."""
    return target.endswith(".html") and MARKER in data


def address(path: str) -> str:
    """A page's address in the site, as the index names it."""
    return path.removesuffix("index.html")


class _Sink(Protocol):
    """What the stage needs of the build's sink (``options.Sink``)."""

    def read(self, target: str) -> bytes: ...
    def current(self, target: str, key: str) -> bool: ...
    def keep(self, target: str) -> None: ...
    def write(self, target: str, key: str, data: bytes, searched: bool = False) -> None: ...


def index(
    sink: _Sink,
    pages: Mapping[str, str],
    cache: Cache,
    workers: int = 1,
    private: Collection[int] = (),
    sizes: Sizes | None = None,
) -> list[Problem]:
    """Write the index of ``pages`` (output path → digest of the page) into the sink."""
    digests = {address(path): _read_as(digest) for path, digest in pages.items()}
    paths = {address(path): path for path in pages}
    previous = _published_state(sink, cache)
    if previous is not None:
        base = dict(previous.segments[0].docs)
        wanted = [url for url, each in digests.items() if base.get(url) != each]
    else:
        wanted = list(digests)
    wanted_paths = {url: paths[url] for url in wanted}
    documents, problems = _read(sink, cache, wanted_paths, digests, workers, private)
    if problems:
        return problems

    def found(url: str) -> Document:
        known = documents.get(url)
        if known is None:
            known = documents[url] = _document(sink, cache, paths[url], digests[url])
        return known

    built = searchindex.update(digests, found, previous, sizes or Sizes())
    for name in built.kept:
        sink.keep(f"{FOLDER}/{name}")
    for name, data in sorted(built.files.items()):
        sink.write(f"{FOLDER}/{name}", hashlib.sha256(data).hexdigest(), data)
    cache.keep_search_state(built.state.manifest, built.state)
    return []


def _read_as(page: str) -> str:
    """What a page's document is known by: the page's digest, and how it was read."""
    return hashlib.sha256(f"{units.VERSION} {searchindex.FORMAT} {page}".encode()).hexdigest()


def _published_state(sink: _Sink, cache: Cache) -> searchindex.State | None:
    """The state of the index the site holds, when the cache knows it."""
    for manifest, state in reversed(cache.search_states().items()):
        if isinstance(state, searchindex.State) and sink.current(f"{FOLDER}/{MANIFEST}", manifest):
            return state
    return None


def _read(
    sink: _Sink,
    cache: Cache,
    paths: Mapping[str, str],
    digests: Mapping[str, str],
    workers: int,
    private: Collection[int],
) -> tuple[dict[str, Document], list[Problem]]:
    """The documents of the pages at ``paths`` (by address): from the cache, or read from the
    pages, in worker processes when there are many."""
    documents: dict[str, Document] = {}
    todo = []
    for url in sorted(paths):
        kept = cache.search_document(digests[url])
        if isinstance(kept, Document):
            documents[url] = kept
        else:
            todo.append(url)

    def read(url: str) -> Document | None:
        return document(paths[url], sink.read(paths[url]))

    problems = []
    for url, made in zip(todo, processes.forked_map(read, todo, workers, private), strict=True):
        if made is None:
            problems.append(error(paths[url], 0, "sidan saknar sitt sökdokument", "search"))
            continue
        made = _without_numbers(made)
        cache.keep_search_document(digests[url], made)
        documents[url] = made
    return documents, problems


def _document(sink: _Sink, cache: Cache, path: str, digest: str) -> Document:
    kept = cache.search_document(digest)
    if isinstance(kept, Document):
        return kept
    made = document(path, sink.read(path))
    assert made is not None, path  # searched: the page marks its document
    made = _without_numbers(made)
    cache.keep_search_document(digest, made)
    return made


def _without_numbers(found: Document) -> Document:
    """The document with no personnummer or samordningsnummer in its text: the guard refuses
    them in what is published, unless the front matter allows that number on the page; the
    index holds none, allowed or not."""
    if not any(any(identity_numbers(f)) for unit in found.units for f in unit.fields):
        return found

    def masked(text: str) -> str:
        for written, _ in identity_numbers(text):
            text = text.replace(written, "")
        return text

    units = tuple(
        replace(unit, fields=tuple(masked(f) for f in unit.fields)) for unit in found.units
    )
    return replace(found, units=units)
