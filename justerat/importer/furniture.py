"""Page furniture: text that the PDF repeats on its pages and that is not content.

"Justerare  Utdragsbestyrkande" headers, signature lines of dashes or dots, page numbers,
tables of contents, the running header that the document's first lines repeat at the top of
later pages, and the lines at the top or bottom of the pages. A web address alone on its line
is recognised (``Furniture.URL``) but is the text's: the importer keeps it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from .text import fold


class Furniture(StrEnum):
    PAGE_HEADER = "page-header"  # "Justerare  Utdragsbestyrkande"
    SIGNATURE = "signature"  # "Ordförande -----------", "Sign ........"
    PAGE_NUMBER = "page-number"  # "Sida 2 av 12", "2 (12)"
    CONTENTS = "contents"  # "§ 45 Val av justerare ........ 3"
    URL = "url"  # "https://example.se/arkiv/"


_HEADER_WORDS = {
    "justerare",
    "justerarnas",
    "justerandes",
    "justerandens",
    "signatur",
    "signaturer",
    "sign",
    "sign.",
    "utdragsbestyrkande",
    "ordförande",
    "ordförandes",
    "sekreterare",
    "och",
}
_SIGNATURE = re.compile(r"^(?P<label>[^\W\d][\w .:/-]*?)?\s*[-_.…·]{6,}\s*(?P<rest>.*)$")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|s\.)\s*\d+(?:\s*(?:av|/|\()\s*\d+\)?)?|\d{1,3}\s*\(\d{1,3}\)|\d{1,3}\s*/\s*\d{1,3})$",
    re.IGNORECASE,
)
_CONTENTS = re.compile(r"^.*\S\s*(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,3}$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def page_header(text: str) -> bool:
    """The running header of signed pages: only words like "Justerare", "Utdragsbestyrkande"."""
    words = fold(text).replace("’", "").split()
    return (
        "utdragsbestyrkande" in words or "justerandes" in words or "justerarnas" in words
    ) and all(w in _HEADER_WORDS for w in words)


def signature_line(text: str) -> tuple[str, str] | None:
    """A line to sign on: ("Ordförande", rest) for "Ordförande ------" (rest is what follows
    the dashes, often empty)."""
    match = _SIGNATURE.match(text)
    if match is None:
        return None
    return (match.group("label") or "").strip(" :"), match.group("rest").strip()


def classify(text: str) -> Furniture | None:
    """What kind of furniture a (clean) line is, or None for content.

    A signature line is reported here only when nothing but a label stands before the
    dashes; the front page reader decides what the label means.
    """
    if not text:
        return None
    if page_header(text):
        return Furniture.PAGE_HEADER
    if _PAGE_NUMBER.match(text):
        return Furniture.PAGE_NUMBER
    if _CONTENTS.match(text):
        return Furniture.CONTENTS
    if _URL.match(text):
        return Furniture.URL
    if signature_line(text) is not None:
        return Furniture.SIGNATURE
    return None


_PAGE_MARK = re.compile(
    r"\s*(?:(?:sida|sid\.?|s\.)\s*\d+(?:\s*(?:av|/)\s*\d+)?|\d{1,3}\s*\(\d{1,3}\)|\d{1,3}\s*/\s*\d{1,3})\s*",
    re.IGNORECASE,
)


def _header_key(text: str) -> str:
    return " ".join(_PAGE_MARK.sub(" ", text).casefold().split())


def running_headers(texts: list[str], first: int = 4) -> set[str]:
    """The running header of the pages: lines from the top of the document (its first
    ``first`` lines) that come back a page later (``_PAGE_LINES``), compared without page
    numbers ("SAMMANTRÄDES-
    PROTOKOLL 3 (6)"), and any repeated line naming the protocol and a date. Returns keys for
    ``is_running_header``."""
    where: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if text.strip("\f "):
            where.setdefault(_header_key(text), []).append(index)
    # a page is longer than a few lines: a line again soon after is the text's, not a page's
    later = {key for key, at in where.items() if len(at) >= 2 and at[-1] - at[0] >= _PAGE_LINES}
    top = [_header_key(t) for t in texts if t.strip("\f ")][:first]
    headers = {key for key in top if key and key in later}
    for key in later:
        if "protokoll" in key and _DATED.search(key):
            headers.add(key)
    return headers | _page_edges(texts)


_DATED = re.compile(r"\d{4}-\d{2}-\d{2}|\b(?:19|20)\d{6}\b|\b\d{1,2} [a-zåäö]+ (?:19|20)\d\d\b")
_PAGE_LINES = 20  # the fewest lines between a running header and its next page's
_EDGE = 3  # a page's first and last lines that may be its running header or footer


def _page_edges(texts: list[str]) -> set[str]:
    """Where the text has its pages (a form feed begins each page, as ``pdftotext`` writes
    them): the lines that stand among the first or last three lines of at least two pages
    and of half of them, compared without page numbers: the running header and footer."""
    pages: list[list[str]] = [[]]
    for text in texts:
        if text.startswith("\f"):
            pages.append([])
        if text.strip("\f "):
            pages[-1].append(_header_key(text.strip("\f ")))
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        for key in set(page[:_EDGE] + page[-_EDGE:]):
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if k and n >= 2 and n * 2 >= len(pages)}


def is_running_header(text: str, headers: set[str]) -> bool:
    return bool(text) and _header_key(text) in headers
