"""For search engines: sitemap.xml with every public page, and robots.txt pointing to it."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ..domain.settings import Settings


def sitemap(settings: Settings, pages: Iterable[str]) -> bytes:
    """The sitemap of the pages at ``pages`` (site paths such as 'protokoll/')."""
    urls = "".join(
        f"  <url><loc>{escape(settings.base_url + page, quote=False)}</loc></url>\n"
        for page in sorted(pages)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


def robots(settings: Settings, drafts: bool) -> bytes:
    if drafts:  # a preview with drafts is never for indexing
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\nSitemap: {settings.base_url}sitemap.xml\n".encode()
