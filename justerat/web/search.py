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
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from ..core import processes
from ..reading.guard import identity_numbers
from . import searchindex, units
from .postings import Part
from .searchindex import MANIFEST, Sizes
from .units import Document, address, document

if TYPE_CHECKING:
    from ..core.cache import Cache

FOLDER = "sok/index"
MARKER = b"data-search-doc"


def searched(target: str, data: bytes) -> bool:
    """Whether the search index reads this file: a page that marks a document."""
    return target.endswith(".html") and MARKER in data


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
) -> None:
    """Write the index of ``pages`` (output path → digest of the page) into the sink."""
    digests = {address(path): _read_as(digest) for path, digest in pages.items()}
    paths = {address(path): path for path in pages}

    def found(url: str) -> Document:
        """A page's document: kept in the cache, or read from the page (in the worker that
        makes its part, in a cold build)."""
        kept = cache.search_document(digests[url])
        if isinstance(kept, Document):
            return kept
        made = _without_numbers(_read(paths[url], sink.read(paths[url])))
        cache.keep_search_document(digests[url], made)
        return made

    def mapper(
        function: Callable[[Sequence[str]], Part], groups: Sequence[Sequence[str]]
    ) -> Iterable[Part]:
        return processes.forked_map(function, groups, workers, private, parallel_from=2)

    previous = _published_state(sink, cache)
    built = searchindex.update(digests, found, previous, sizes or Sizes(), mapper)
    for name in built.kept:
        sink.keep(f"{FOLDER}/{name}")
    for name, data in sorted(built.files.items()):
        sink.write(f"{FOLDER}/{name}", hashlib.sha256(data).hexdigest(), data)
    cache.keep_search_state(built.state.manifest, built.state)


def _read_as(page: str) -> str:
    """What a page's document is known by: the page's digest, and how it was read."""
    return hashlib.sha256(f"{units.VERSION} {searchindex.FORMAT} {page}".encode()).hexdigest()


def _published_state(sink: _Sink, cache: Cache) -> searchindex.State | None:
    """The state of the index the site holds, when the cache knows it."""
    for manifest, state in reversed(cache.search_states().items()):
        if isinstance(state, searchindex.State) and sink.current(f"{FOLDER}/{MANIFEST}", manifest):
            return state
    return None


def _read(path: str, page: bytes) -> Document:
    """The document a page gives; a page that marks none where ``searched`` found the marker
    (the words in its text) gives an empty one."""
    made = document(path, page)
    if made is None:
        return Document(address(path), "", "", (), None, "", ())
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
