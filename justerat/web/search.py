"""The search index: Pagefind, run as a build stage over the rendered pages, in memory.

Pages mark what is indexed (``data-pagefind-body``), the filters (body, year, document type) and
the sort order in their markup; ``lang="sv"`` gives Swedish stemming. Every § heading has an id,
so a hit inside a protocol links to its paragraph. The index is written to a temporary folder by
Pagefind and read back into the build's files, so publishing stays all-or-nothing. Which pages
are indexed is known from their bytes when they are made (``searched``) and kept with them.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import read_folder
from ..core.problems import Problem, error
from ..core.processes import beside_any_loop

if TYPE_CHECKING:
    from ..core.cache import Cache

FOLDER = "pagefind"
MARKER = b"data-pagefind-body"


async def _index(pages: Path, out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language="sv", write_playground=False, output_path=str(out))
    async with PagefindIndex(config=config) as index:  # which writes the files as it closes
        await index.add_directory(path=str(pages))


def _gather(pages: Mapping[str, str], read: Callable[[str], bytes], folder: Path) -> None:
    """The pages to index, as files under ``folder``: Pagefind reads a folder of pages
    (``add_directory``) in a fraction of the time it takes them one by one from the build
    (``add_html_file``: a tenth of a second a page). Each page's address is its path there."""
    for path in pages:
        file = folder / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(read(path))


def search_files(
    read: Callable[[str], bytes], pages: Mapping[str, str], cache: Cache
) -> tuple[dict[str, bytes], list[Problem]]:
    """The Pagefind bundle for ``pages`` (output path → digest of the page), keyed by output
    path; ``read`` gives a page's bytes.

    Pagefind writes its filter and metadata indexes in no fixed order (upstream issue #638), so
    the bundle is kept in the cache under the hash of the pages it indexes: the same pages give
    the same bundle, byte for byte, and an unchanged archive is not indexed again."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"pagefind {version('pagefind')}".encode())
    for path, page_digest in sorted(pages.items()):
        digest.update(f"{path}\0{page_digest}\0".encode())
    key = digest.hexdigest()
    bundle = cache.search_bundle(key)
    if bundle is None:
        with tempfile.TemporaryDirectory(prefix="justerat-search-") as folder:
            out, site = Path(folder) / FOLDER, Path(folder) / "site"
            _gather(pages, read, site)
            try:
                beside_any_loop(lambda: asyncio.run(_index(site, out)))
            except Exception as exc:  # the Pagefind service's errors carry no file or line
                return {}, [error("pagefind", 0, f"sökindexet kunde inte byggas: {exc}", "search")]
            bundle = read_folder(out)
        cache.keep_search_bundle(key, bundle)
    return {f"{FOLDER}/{path}": data for path, data in bundle.items()}, []


def searched(target: str, data: bytes) -> bool:
    """Whether the search index reads this file: a page that marks what to index."""
    return target.endswith(".html") and MARKER in data
