"""What a page gives the search: its document and units, read from the page's markup
(docs/search.md, section 5, "What a page gives").

A page marks its document with ``data-search-doc`` and its units with ``data-search-unit``;
``document`` reads them into a ``Document``: the units in page order, each as fields of text
cut at block elements, labels joined to their values ("Sekreterare: Åsa Berglund"). No I/O.

How the markup is read:

- the document's own text, outside every unit, is its first unit (anchor "", the document's
  title), left out when it has no text;
- a unit's title is its ``data-search-title``, or else the text of its first heading;
- a unit on a heading (``<h2 data-search-unit="…">``, as a plan's sections are marked) runs
  over the heading's following siblings, up to the next heading unit of the same or a higher
  level; a unit inside another unit is a unit of its own and its text is not the outer one's;
- ``data-search-ignore``, ``hidden`` and script, style, template and noscript are skipped;
- a field ends at every block element (p, li, td, h2, br …), never at an inline one, so
  ``<span>Å</span>sa`` is "Åsa"; a ``dt`` and the ``dd`` (or several) after it are one field
  "Label: value", and what breaks a block inside them is written "; ".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

# what a page gives the search, by version: raised when ``document`` reads pages otherwise, so
# that every page is read again (the index keeps what it read by the page's digest and this)
VERSION = 1


@dataclass(frozen=True)
class Unit:
    """What a hit points at: ``anchor`` in its page ("" for the page itself)."""

    anchor: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A page the search reads: its address in the site (``url``, e.g.
    "protokoll/ks/2023-09-13/"), its filters and date, and its units in page order."""

    url: str
    title: str
    typ: str
    organs: tuple[str, ...]
    year: int | None
    date: str  # ISO, or "" when it has none
    units: tuple[Unit, ...]


HEADINGS = {f"h{level}": level for level in range(1, 7)}
# the elements that end a field: HTML's block-level, list and table elements, and br
BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "center", "details", "dialog", "div"}
    | {"fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "legend"}
    | {"main", "nav", "p", "pre", "search", "section", "summary"}
    | {"dd", "dir", "dl", "dt", "li", "menu", "ol", "ul"}
    | {"caption", "table", "tbody", "td", "tfoot", "th", "thead", "tr"}
    | HEADINGS.keys()
)
SKIPPED = frozenset({"script", "style", "template", "noscript"})
PLAIN_BLOCKS = BLOCKS - HEADINGS.keys() - {"dt", "dd"}
GROUP_BREAK = "\x00"  # a block's end inside a dt or dd: written "; " in the field


def document(path: str, html: bytes) -> Document | None:
    """The document the page at ``path`` (its output path, "protokoll/ks/2023-09-13/index.html")
    marks with ``data-search-doc``, or None when it marks none."""
    if b"data-search-doc" not in html:
        return None  # most pages that give nothing, without parsing them
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    element = root.find(".//*[@data-search-doc]") if root is not None else None
    if element is None:
        return None
    title = _collapsed(element.get("data-search-title") or "")
    reader = _Reader(title)
    reader.walk(element)
    reader.close()
    own, *marked = reader.units
    units = ([own] if own.fields else []) + marked
    year = (element.get("data-search-year") or "").strip()
    return Document(
        url=address(path),
        title=title,
        typ=_collapsed(element.get("data-search-typ") or ""),
        organs=tuple(
            organ
            for organ in (
                _collapsed(o) for o in (element.get("data-search-organ") or "").split("|")
            )
            if organ
        ),
        year=int(year) if year.isdigit() else None,
        date=(element.get("data-search-date") or "").strip(),
        units=tuple(Unit(u.anchor, u.title or "", tuple(u.fields)) for u in units),
    )


def address(path: str) -> str:
    """A page's address in the site, from its output path: the folder of an ``index.html``
    ("protokoll/ks/2023-09-13/"), else the path itself."""
    return path[: -len("index.html")] if path.rsplit("/", 1)[-1] == "index.html" else path


def _collapsed(text: str) -> str:
    return " ".join(text.split())


class _Collecting:
    """A unit being read: its fields so far, the text of the field it is in (``buffer``), and
    the open label group (a ``dt``'s ``labels`` and the ``values`` of the ``dd``s after it)."""

    __slots__ = ("anchor", "title", "fields", "buffer", "labels", "values", "grouped")

    def __init__(self, anchor: str, title: str | None) -> None:
        self.anchor = anchor
        self.title = title
        self.fields: list[str] = []
        self.buffer: list[str] = []
        self.labels: list[str] = []
        self.values: list[str] = []
        self.grouped = 0  # > 0 inside a dt or dd

    def cut(self) -> str:
        """The buffer's text, whitespace collapsed, and an empty buffer."""
        buffer = self.buffer
        if not buffer:
            return ""
        text = "".join(buffer) if len(buffer) > 1 else buffer[0]
        buffer.clear()
        if GROUP_BREAK in text:
            return "; ".join(part for part in map(_collapsed, text.split(GROUP_BREAK)) if part)
        return _collapsed(text)

    def boundary(self) -> str:
        """A block begins or ends: inside a dt or dd a break, elsewhere the end of the field
        (and of an open label group); the field's text."""
        if self.grouped:
            self.buffer.append(GROUP_BREAK)
            return ""
        text = self.cut() if self.buffer else ""
        if self.labels or self.values:
            self.close_group()
        if text:
            self.fields.append(text)
        return text

    def close_group(self) -> None:
        label = "; ".join(self.labels)
        value = "; ".join(self.values)
        self.labels.clear()
        self.values.clear()
        field = f"{label}: {value}" if label and value else label or value
        if field:
            self.fields.append(field)


class _Reader:
    """Reads a document element into units: ``units[0]`` is the document's own."""

    def __init__(self, title: str) -> None:
        own = _Collecting("", title)
        self.units = [own]
        self.stack = [own]  # the units the walk is inside, innermost last

    def walk(self, element: Any) -> None:
        """``element``'s text and children into the innermost unit (or the units they open).
        Whitespace after a block is left out: it could only begin a field."""
        stack = self.stack
        if element.text:
            stack[-1].buffer.append(element.text)
        levels: list[int] = []  # the heading units opened among these children
        for child in element:
            block = self.child(child, levels)
            tail = child.tail
            if tail and not (block and tail.isspace()):
                stack[-1].buffer.append(tail)
        for _ in levels:
            self.close()

    def child(self, child: Any, levels: list[int]) -> bool:
        """One child of the element walked, into the innermost unit or a unit it opens (a
        heading unit's level joins ``levels``); whether it is a block."""
        tag = child.tag
        if tag.__class__ is not str:  # a comment or processing instruction
            return False
        if (
            tag in SKIPPED
            or child.get("hidden") is not None
            or child.get("data-search-ignore") is not None
        ):
            if tag in PLAIN_BLOCKS or tag in HEADINGS:
                self.stack[-1].boundary()  # what stood on either side of it stays apart
            return tag in BLOCKS
        anchor = child.get("data-search-unit")
        if anchor is not None:
            self.unit(child, tag, anchor, levels)
            return tag in BLOCKS
        if tag in PLAIN_BLOCKS:
            self.plain(child)
        elif tag in BLOCKS:
            self.block(child, tag)
        elif len(child):  # inline: the text runs on
            self.walk(child)
        elif child.text:
            self.stack[-1].buffer.append(child.text)
        return tag in BLOCKS

    def plain(self, element: Any) -> None:
        """A block other than a heading, dt or dd: a field of its own."""
        unit = self.stack[-1]
        if unit.buffer or unit.labels or unit.values:
            unit.boundary()
        if len(element):
            self.walk(element)
        elif element.text:
            unit.buffer.append(element.text)
        if unit.buffer or unit.labels or unit.values:
            unit.boundary()

    def unit(self, element: Any, tag: str, anchor: str, levels: list[int]) -> None:
        """A unit's element: a unit of its own, or on a heading, the start of one that runs
        over the heading's following siblings to the next heading unit as high as it."""
        level = HEADINGS.get(tag)
        if level is not None:
            while levels and levels[-1] >= level:
                levels.pop()
                self.close()
            levels.append(level)
        self.open(anchor, element)
        if tag in BLOCKS:
            self.block(element, tag)
        else:
            self.walk(element)
        if level is None:
            self.close()

    def block(self, element: Any, tag: str) -> None:
        """A block element: a field of its own (a heading's is its unit's title if it has
        none), or a part of a label group."""
        unit = self.stack[-1]
        if tag == "dt" or tag == "dd":
            self.group(unit, element, tag)
            return
        unit.boundary()
        self.walk(element)
        text = unit.boundary()
        if unit.title is None and text and tag in HEADINGS:
            unit.title = text

    def group(self, unit: _Collecting, element: Any, tag: str) -> None:
        """A dt (a label) or a dd (its value): one field with the label, "Label: value"."""
        if unit.grouped:  # a dt or dd inside another: a break in it
            unit.buffer.append(GROUP_BREAK)
            self.walk(element)
            unit.buffer.append(GROUP_BREAK)
            return
        text = unit.cut()  # what stood before it, outside the group
        if tag == "dt" and unit.values:
            unit.close_group()  # a new label: the last one has its values
        if text:
            if unit.labels or unit.values:
                unit.close_group()
            unit.fields.append(text)
        unit.grouped += 1
        self.walk(element)
        unit.grouped -= 1
        text = unit.cut()
        if not text:
            return
        if tag == "dt":
            unit.labels.append(text)
        elif unit.labels:
            unit.values.append(text)
        else:
            unit.fields.append(text)  # a value with no label

    def open(self, anchor: str, element: Any) -> None:
        unit = _Collecting(anchor, _collapsed(element.get("data-search-title") or "") or None)
        self.units.append(unit)
        self.stack.append(unit)

    def close(self) -> None:
        """The end of the innermost unit: its last field and label group."""
        unit = self.stack.pop() if len(self.stack) > 1 else self.stack[0]
        unit.grouped = 0
        unit.boundary()
