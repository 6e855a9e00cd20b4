"""A page → its HTML, through the user's templates, with every link made relative.

``pages`` says which pages there are and ``outputs`` keys them; this module renders one page
when a build has found that it changed: its context's lazy values are made, each "§ N" in
the text links to the paragraph it names, and a template that fails becomes a problem.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2

from ..core.problems import Problem, error
from ..domain.model import Addressed, Archive, Plan
from ..domain.settings import Body
from .pages import Lazy, Page


def relative_url(target: str, page: str) -> str:
    """The link from ``page`` to ``target`` (both site paths such as 'protokoll/x/'), relative so
    that the site works from any folder, from a file system, and behind any base path."""
    return links_from(page)(target)


def links_from(page: str) -> Callable[[str], str]:
    """``relative_url`` for one page: its folder is split once for all the page's links."""
    base = _segments(page if page.endswith("/") or not page else posixpath.dirname(page))

    def link(target: str) -> str:
        target, _, fragment = target.partition("#")
        path = _segments(target)
        common = 0
        for mine, theirs in zip(base, path, strict=False):
            if mine != theirs:
                break
            common += 1
        relative = "/".join([".."] * (len(base) - common) + path[common:]) or "."
        if (target.endswith("/") or not target) and not relative.endswith("/"):
            relative = "./" if relative == "." else relative + "/"
        return relative + (f"#{fragment}" if fragment else "")

    return link


def _segments(path: str) -> list[str]:
    """The folders and name of a site path as ``posixpath.relpath`` sees them from the root."""
    parts = path.split("/")
    if "." in parts or ".." in parts:
        parts = posixpath.normpath("/" + path).split("/")
    return [part for part in parts if part]


_TAG = re.compile(r"(<[^>]+>)")
_REFERENCE = re.compile(r"§\s?(\d+)")
_PLACEHOLDER = re.compile(r"\{\{REF:([^}]*)\}\}")  # a reference's target, made local per page


def refer(html: str, protocol: Addressed, number: int, earlier: Iterable[Addressed]) -> str:
    """Link each "§ N" in a paragraph's text to the paragraph it names: an earlier § of the same
    protocol, or of an earlier meeting of the same body that year (numbering that runs on)."""
    if "§" not in html:  # most text names no paragraph
        return html
    here = set(protocol.numbers)
    before = sorted(earlier, key=lambda p: p.date, reverse=True)

    def target(n: int) -> str | None:
        if n in here:
            return f"#paragraf-{n}" if n < number else None
        for other in before:
            if n in other.numbers:
                return f"{other.url}#paragraf-{n}"
        return None

    return _linked_outside_links(html, target)


def _linked_outside_links(html: str, target: Callable[[int], str | None]) -> str:
    """Each "§ N" in the text of ``html`` that is not already inside a link, linked to
    ``target(N)`` where that gives a target."""
    out = []
    inside_link = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if piece.startswith("<a "):
                inside_link += 1
            elif piece == "</a>":
                inside_link = max(0, inside_link - 1)
            out.append(piece)
        elif inside_link or "§" not in piece:
            out.append(piece)
        else:
            out.append(_REFERENCE.sub(lambda m: _reference_link(m, target), piece))
    return "".join(out)


def _reference_link(match: re.Match[str], target: Callable[[int], str | None]) -> str:
    found = target(int(match.group(1)))
    if found is None:
        return match.group(0)
    return f'<a class="reference" href="{{{{REF:{found}}}}}">{match.group(0)}</a>'


def output_file(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


class RenderError(Exception):
    """A template failed; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _resolved(value: Any) -> Any:
    return value.make() if isinstance(value, Lazy) else value


def render_page(
    env: jinja2.Environment, page: Page, archive: Archive, drafts: bool, templates: Path
) -> bytes:
    """The page's HTML; a template that fails raises ``RenderError`` with the problem."""

    link = links_from(page.url)
    root = urlparse(archive.settings.base_url).path if page.rooted else ""

    def url(target: str | Addressed | Plan | Body) -> str:
        if not isinstance(target, str):
            target = f"protokoll/{target.slug}/" if isinstance(target, Body) else target.url
        return root + target if page.rooted else link(target)

    context = {key: _resolved(value) for key, value in page.context.items()}

    def refer_here(html: str, protocol: Addressed, number: int) -> str:
        linked = refer(html, protocol, number, context.get("earlier", ()))
        if "{{REF:" not in linked:  # nothing linked: the usual case
            return linked
        return _PLACEHOLDER.sub(lambda m: _local(m.group(1)), linked)

    def _local(target: str) -> str:
        return target if target.startswith("#") else url(target)

    variables = {
        "site": archive.settings,
        "page": page,
        "url": url,
        "refer": refer_here,
        "drafts": drafts,
        **context,
    }
    try:
        html = env.get_template(page.template).render(variables)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            error(
                f"{templates.as_posix()}/{exc.name or page.template}",
                exc.lineno,
                f"mallen kan inte läsas: {exc.message}",
                "template",
            )
        ) from None
    except jinja2.TemplateError as exc:
        raise RenderError(
            error(
                f"{templates.as_posix()}/{page.template}",
                0,
                f"mallen kunde inte fyllas i: {exc}",
                "template",
            )
        ) from None
    return html.encode("utf-8")
