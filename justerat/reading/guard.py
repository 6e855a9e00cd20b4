"""What must never reach the public: personal identity numbers, script links, outside files.

- Swedish personnummer and samordningsnummer (the day plus 60), in their usual spellings
  (YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, with or without the dash or a space), recognised by
  a real date and the Luhn check digit, anywhere in the front matter or the text. A number may
  be published only where the front matter allows that very number (``allow_numbers``) or in a
  paragraph kept off the web (``not_for_web``).
- A number in one of the usual spellings without a space (YYMMDD-NNNN, YYMMDD+NNNN,
  YYYYMMDD-NNNN, YYMMDDNNNN, YYYYMMDDNNNN) with a real date but the wrong check digit is
  probably a mistyped personnummer: a warning asks the secretary to look (it is never refused,
  since it may be another kind of number), where an identity number would be an error.
- Links with a scheme that runs code or reads local files (``javascript:``, ``vbscript:``,
  ``data:``, ``file:``) are refused; markdown-it would print them as text, but the secretary
  should know.
- Images must be files inside the content folder, named relative to the document; the site
  copies them beside the page, the PDF reads them in its sandbox.
- Raw HTML is shown as text (the parser escapes it); a warning says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.problems import Problem, error, warning
from ..domain.model import Image
from ..domain.source import Key, Source

_NUMBER = re.compile(r"(?<![\d-])((?:19|20)?\d{2})(\d{2})(\d{2})[ ]?([-+])?[ ]?(\d{3})(\d)(?![\d])")
_SCHEME = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_RAW_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?/?>|</[a-zA-Z][a-zA-Z0-9-]*\s*>")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _real_date(century: str, year: str, month: str, day: str) -> bool:
    full_year = int(century + year) if century else 2000 + int(year)
    day_of_month = int(day) - 60 if int(day) > 60 else int(day)  # samordningsnummer
    try:
        date(full_year if full_year > 0 else 2000, int(month), day_of_month)
    except ValueError:
        try:  # the 29th of February in a leap year of the other century
            date(full_year - 100, int(month), day_of_month)
        except ValueError:
            return False
    return True


_SIX_DIGITS = re.compile(r"\d{6}")


def _dated_numbers(text: str) -> Iterator[tuple[re.Match[str], str, bool]]:
    """(the match, normalised ten digits, whether the check digit is right) for each number
    spelled as a personnummer or samordningsnummer with a real date."""
    if not _SIX_DIGITS.search(text):  # every spelling starts with six digits in a row
        return
    for match in _NUMBER.finditer(text):
        year_part, month, day, _sign, serial, check = match.groups()
        century, year = (year_part[:2], year_part[2:]) if len(year_part) == 4 else ("", year_part)
        ten = f"{year}{month}{day}{serial}{check}"
        if _real_date(century, year, month, day):
            yield match, ten, luhn_ok(ten)


def identity_numbers(text: str) -> Iterator[tuple[str, str]]:
    """(as written, normalised ten digits) for each personnummer or samordningsnummer."""
    for match, ten, checked in _dated_numbers(text):
        if checked:
            yield match.group(0), ten


# what stands before or after a mistyped number's digits makes it part of another: a word, a
# hash or an address (a5604121234, /5604121234), a decimal (5604121234,50)
_PART_BEFORE = re.compile(r"[\w./]")
_PART_AFTER = re.compile(r"\w|[.,/]\d")


def mistyped_numbers(text: str) -> Iterator[tuple[str, str]]:
    """(as written, normalised ten digits) for each number written as a personnummer is, with
    a real date but the wrong check digit: probably a personnummer with a digit wrong."""
    for match, ten, checked in _dated_numbers(text):
        if not checked and _stands_alone(text, match):
            yield match.group(0), ten


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """Whether a number is written in a spelling without a space, standing by itself: a space
    between the date and the last four digits is common in other numbers, and digits inside a
    word, a hash, an address or a decimal belong to something else."""
    return not (
        " " in match.group(0)
        or _PART_BEFORE.fullmatch(text[match.start() - 1 : match.start()])
        or _PART_AFTER.match(text[match.end() : match.end() + 2])
    )


def normalise(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits[-10:]


def masked(written: str) -> str:
    return re.sub(r"\d{4}$", "****", written.strip())


def strings(value: Any, at: tuple[Key, ...]) -> Iterator[tuple[tuple[Key, ...], str]]:
    """Every text in a front matter value, with where it is (its keys and indexes)."""
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*at, index))


def allowed_numbers(source: Source) -> set[str]:
    """The identity numbers the front matter allows to be published (``allow_numbers``)."""
    return {
        normalise(str(item.get("number", "")))
        for item in source.meta.get("allow_numbers") or ()
        if isinstance(item, Mapping)
    }


def personal_numbers(source: Source, hidden_lines: Iterable[range] = ()) -> list[Problem]:
    """Every identity number in ``source`` that is neither allowed nor in a hidden paragraph (an
    error), and every mistyped one (``mistyped_numbers``) on the same terms (a warning)."""
    allowed = allowed_numbers(source)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for line, text in _searched(source, list(hidden_lines)):
        for match, ten, checked in _dated_numbers(text):  # one pass finds both kinds
            if ten in allowed:
                continue
            if checked:
                errors.append(_published(source.path, line, match.group(0)))
            elif _stands_alone(text, match):
                warnings.append(_mistyped(source.path, line, match.group(0)))
    return errors + warnings


def _searched(source: Source, hidden: list[range]) -> Iterator[tuple[int, str]]:
    """(line, text) for each string of the front matter but ``allow_numbers`` and each line of
    the body outside the ``hidden`` lines that may hold a number."""
    # each search below first runs over all the text at once, where it finds what it finds in
    # any one string or line and more: most sources have nothing to look for one by one (a
    # string's digits stand together, unescaped, in the JSON of the front matter)
    meta = json.dumps(source.meta, ensure_ascii=False, default=str)
    found = strings(dict(source.meta), ()) if _SIX_DIGITS.search(meta) else iter(())
    for at, text in found:
        if at[:1] != ("allow_numbers",):
            yield source.line_of(*at), text
    lines = source.body.split("\n") if _SIX_DIGITS.search(source.body) else []
    for offset, text in enumerate(lines):
        number = source.body_line + offset
        if not any(number in span for span in hidden):
            yield number, text


def _published(path: str, line: int, written: str) -> Problem:
    return error(
        path,
        line,
        f"personnummer eller samordningsnummer {masked(written)} får inte publiceras; ta "
        "bort eller maskera det, håll paragrafen utanför webben (not_for_web) eller tillåt "
        "just det numret med allow_numbers och ett skäl",
        "personnummer",
    )


def _mistyped(path: str, line: int, written: str) -> Problem:
    return warning(
        path,
        line,
        f"numret {masked(written)} ser ut som ett personnummer med fel kontrollsiffra; "
        "kontrollera numret: ett personnummer får aldrig publiceras (ta bort eller maskera "
        "det), och är det inget personnummer, skriv det på ett annat sätt eller tillåt just "
        "det numret med allow_numbers och ett skäl",
        "personnummer-kontrollsiffra",
    )


def links_and_html(source: Source) -> list[Problem]:
    problems = []
    body = source.body
    lines = body.split("\n") if _SCHEME.search(body) or _RAW_HTML.search(body) else []
    for offset, line in enumerate(lines):
        number = source.body_line + offset
        for match in _SCHEME.finditer(line):
            problems.append(
                error(
                    source.path,
                    number,
                    f"länkar med '{match.group(1).lower()}:' är inte tillåtna; länka till en "
                    "webbadress (https://…) eller en fil i innehållsmappen",
                    "unsafe-link",
                )
            )
        if _RAW_HTML.search(line):
            problems.append(
                warning(
                    source.path,
                    number,
                    "HTML i texten visas som text, inte som HTML; skriv Markdown i stället",
                    "raw-html",
                )
            )
    return problems


def images(source: Source, content: Path) -> tuple[list[Image], list[Problem]]:
    """The images a document shows (its relative address, the file, the line), and the problems of
    those that are not files inside the content folder."""
    found: list[Image] = []
    problems = []
    root = content.resolve()
    folder = Path(source.path).parent
    for offset, line in enumerate(source.body.split("\n") if "![" in source.body else []):
        number = source.body_line + offset
        for match in _IMAGE.finditer(line):
            address = match.group(1)
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", address) or address.startswith("/"):
                problems.append(
                    error(
                        source.path,
                        number,
                        f"bilden '{address}' måste vara en fil i innehållsmappen, angiven "
                        "relativt dokumentet (till exempel bilder/karta.png); bilder från "
                        "andra platser hämtas aldrig",
                        "image",
                    )
                )
                continue
            target = (folder / address).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                where = (
                    "finns inte"
                    if target.is_relative_to(root)
                    else "ligger utanför innehållsmappen"
                )
                problems.append(error(source.path, number, f"bilden '{address}' {where}", "image"))
                continue
            found.append(Image(str(PurePosixPath(address)), str(target), number))
    return found, problems
