"""An independent count of the words an import lost, for the import tests.

It knows only the source text, the written Markdown file and the list of labels
(``accounting.LABEL_WORDS``: the labels the recognisers read, and the words dates are written
with). It shares nothing else with the importer: it does not ask the importer what it removed
or read. A word of the source is missing when the written file (its front-matter values and
its body) holds fewer of it than the source, unless it is a label word, or it stands on a
line of page furniture, which this module recognises by itself:

- a line that stands on two or more pages (a running header or footer): a line repeated in
  the source, in full but for its page number ("2 (6)", "Sida 2 av 6"), with a digit or a
  capital word: where the text has its pages (form feeds, as ``pdftotext`` writes them),
  among the first or last four lines of each page it is on; else at least 20 lines apart;
- a page number ("2", "Sida 2 av 6", "2 (6)", "- 2 -");
- a signature line (a run of dots, underscores or dashes, or "Justerandes sign", "Utdragsbestyrkande",
  "Underskrift(er)"), and the printed names up to two lines under a run of dots.

The organ's letters before a § ("KS § 46") are the § heading's label. A word broken over two
lines by a hyphen ("kommun-" / "styrelsen") counts once, joined or not.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import yaml

from justerat.importer.accounting import LABEL_WORDS, words

_PAGE_NUMBER = re.compile(
    r"^\W*(?:(?:sida|sid\.?|page)\s*)?\d{1,3}(?:\s*(?:\(\s*\d{1,3}\s*\)|(?:av|/)\s*\d{1,3}))?\W*$",
    re.IGNORECASE,
)
_PAGE_MARK = re.compile(r"\b(?:sida|sid\.?)\s*\d+(?:\s*(?:av|/)\s*\d+)?|\b\d+\s*\(\d+\)", re.I)
_RULE = re.compile(r"[._…]{4,}|_{3,}|-{6,}")
_SIGNATURE = re.compile(
    r"^\W*(?:justerandes?\s+sign\w*|utdragsbestyrkande|underskrift(?:er)?|sign\b)", re.IGNORECASE
)
_PARAGRAPH_PREFIX = re.compile(r"\b[A-ZÅÄÖ]{1,6}(?=\s*§)")
_HYPHENATED = re.compile(r"([^\W\d_]+)-$")


def _values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for each in value.values():
            yield from _values(each)
    elif isinstance(value, list):
        for each in value:
            yield from _values(each)
    elif isinstance(value, datetime.date):
        yield value.isoformat()
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def written_words(markdown: str) -> Counter[str]:
    """The words of a written file: its front matter's values (not its keys) and its body."""
    assert markdown.startswith("---\n"), markdown[:80]
    front, body = markdown[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front) or {}
    found: Counter[str] = Counter()
    for text in _values(meta):
        found.update(words(text))
    found.update(words(body))
    return found


def _page_edges(lines: list[str]) -> set[int] | None:
    """The indexes of the first and last four non-blank lines of each page, or None when the
    text has no pages."""
    pages: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        if "\f" in line:
            pages.append([])
        if line.replace("\f", "").strip():
            pages[-1].append(index)
    if len(pages) < 2:
        return None
    return {index for page in pages for index in page[:4] + page[-4:]}


def furniture_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that are page furniture, by the rules in the docstring."""
    edges = _page_edges(lines)
    clean = [" ".join(line.replace("\f", " ").split()) for line in lines]
    keys = [" ".join(_PAGE_MARK.sub(" ", text).split()) for text in clean]
    where: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        where.setdefault(key, []).append(index)
    found: set[int] = set()
    for text, indexes in where.items():
        if edges is None:
            repeated = len(indexes) >= 2 and indexes[-1] - indexes[0] >= 20
        else:
            repeated = len(indexes) >= 2 and all(i in edges for i in indexes)
        if text and repeated and re.search(r"\d|\b[A-ZÅÄÖ]", text):
            found.update(indexes)
    for index, text in enumerate(clean):
        if _PAGE_NUMBER.match(text) or _SIGNATURE.match(text):
            found.add(index)
        if _RULE.search(text):
            found.add(index)
            for after in range(index + 1, min(index + 3, len(clean))):
                if clean[after] and len(clean[after].split()) <= 6:
                    found.add(after)
    return found


def missing_words(source: str, markdown: str) -> Counter[str]:
    """The words of ``source`` that the written file ``markdown`` does not hold (as often),
    but labels and page furniture."""
    lines = source.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    furniture = furniture_lines(lines)
    output = written_words(markdown)
    wanted: Counter[str] = Counter()
    carried: str | None = None  # the first half of a word broken at the last line's end
    for index, line in enumerate(lines):
        text = _PARAGRAPH_PREFIX.sub(" ", line.replace("\f", " "))
        found = words(text)
        if index in furniture:
            carried = None
            continue
        if carried is not None and found:
            joined = carried + found[0]
            if output[joined] > 0:
                output[joined] -= 1
                found = found[1:]
            else:
                wanted[carried] += 1
            carried = None
        elif carried is not None:
            wanted[carried] += 1
            carried = None
        if found and _HYPHENATED.search(line.rstrip()):
            carried = found.pop()
        wanted.update(found)
    if carried is not None:
        wanted[carried] += 1
    missing = wanted - output
    return Counter({w: n for w, n in missing.items() if w not in LABEL_WORDS})
