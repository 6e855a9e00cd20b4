"""Building into the output folder (``build``): one build at a time, and nothing at all when no
file the build reads or writes has changed since the last build. The stages (``pipeline``) are
imported only when something has: a daily rebuild, or an editor's save of an untouched file,
starts and answers without them."""

from __future__ import annotations

from functools import partial

from ..core import files
from ..core.cache import Cache
from ..core.files import Listing
from ..publishing.publish import (
    Publication,
    build_lock,
    check_target,
    published_sources,
    published_tree,
)
from .options import Made, Options, Result


def _sources_key(options: Options, made: Made, found: Listing) -> str:
    """The key of what a build reads: the files ``found`` in the content and templates
    folders, and its settings."""
    settings = (
        str(options.content.resolve()),
        str(options.templates.resolve()),
        str(options.out.absolute()),
        options.drafts,
        options.full,
        options.today.isoformat(),
        made.pdfs,
        made.index,
        files.COMPRESSION,  # the published copies' levels
    )
    return Cache.inputs_key(found, settings)


def _inputs_key(options: Options, sources: str) -> str:
    """The key of what a build reads and writes: its sources (``_sources_key``), the
    published trees' manifests, and the size, modification time and inode of every published
    file (a file changed by hand since is put back by the next build)."""
    trees = options.out.absolute().parent / f".{options.out.name}.trees"
    active = published_tree(options.out)
    shown = [trees / active] if active is not None else []
    manifests = Cache.inputs_key(files.listing(sorted(trees.glob("*.manifest")) + shown), (active,))
    return f"{sources}-{manifests}"


def build(options: Options, html_only: bool = False, pdfs: bool = True) -> Result:
    """Check, render and publish into the output folder; on any error it is left as it was.
    When no file the build reads or writes has changed since the last build, it does nothing
    at all. One build at a time per output folder: a second one refuses at once. Without
    ``pdfs``, HTML and the search index (the office's quick build); ``html_only``: no search
    index either (measurements)."""
    kind = "full" if options.full else "public"
    protected = [options.content, options.templates]
    check_target(options.out, protected, kind)  # fail before work
    with build_lock(options.out) as lock, files.frozen_reads():
        made = Made(
            pdfs=pdfs and not html_only,
            index=not html_only,
            log=kind == "public" and not options.drafts,
            keeps_log=kind == "public",
        )
        return _build_locked(options, made, kind, lock)


def _build_locked(options: Options, made: Made, kind: str, lock: int) -> Result:
    cache = Cache(options.cache, options.content, options.out)
    listed = files.listing([options.content, options.templates])
    sources = _sources_key(options, made, listed)
    last = cache.unchanged(_inputs_key(options, sources))
    if last is not None:
        return Result(last.problems, unchanged=True, count=last.files)
    protected = [options.content, options.templates]
    publication = partial(
        Publication, options.out, kind, fresh=options.cache is None, protected=protected
    )
    found = files.under(listed, options.content)
    from . import pipeline  # the stages: only now that something changed

    previous = published_sources(options.out)  # what stands in for a file with errors
    result = pipeline.run(options, cache, publication, made, found, (lock,), previous)
    if result.ok:
        key = _inputs_key(options, sources)
        cache.remember_build(key, result.problems, result.count)
    return result
