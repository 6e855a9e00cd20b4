"""Files shown with a kallelse or a notice (handlingar, attached decisions): where they are,
what kind they are, and that they hold nothing that must not reach the public.

A file is named in the front matter relative to the document, must lie inside the content
folder and be of a kind a browser shows by itself (PDF, images, plain text): a Word or Excel
file would be downloaded, not read, and is refused with the advice to save it as PDF. The text
of each file is searched for personnummer as the documents' own text is (``guard``).
"""

from __future__ import annotations

import hashlib
import posixpath
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ..core.problems import Problem, error
from ..domain.meetings import Attachment
from ..domain.source import Key, Source
from .guard import allowed_numbers, identity_numbers, masked

# the kinds a browser shows by itself, as readers are told
KINDS = {
    ".pdf": "PDF",
    ".png": "PNG-bild",
    ".jpg": "JPEG-bild",
    ".jpeg": "JPEG-bild",
    ".gif": "GIF-bild",
    ".webp": "WebP-bild",
    ".txt": "text",
}
TEXT_TIMEOUT = 60  # seconds for pdftotext on one file


def found(
    source: Source, keys: Sequence[tuple[Key, ...]], content: Path, folder: str
) -> tuple[tuple[Attachment, ...], list[Problem]]:
    """The attachments named at ``keys`` of ``source``'s front matter, to be published under
    ``folder`` (the document's address plus a folder name), and the problems of those that are
    not files inside the content folder, not of a kind a browser shows, or hold a personnummer."""
    root = content.resolve()
    here = Path(source.path).parent
    attachments: list[Attachment] = []
    problems: list[Problem] = []
    allowed = allowed_numbers(source)
    for key in keys:
        named, title = _value(source, key)
        line = source.line_of(*key)
        problem = _refused(source.path, line, named, here, root)
        if problem is not None:
            problems.append(problem)
            continue
        target = (here / named).resolve()
        kind = KINDS[target.suffix.lower()]
        address = posixpath.join(folder, PurePosixPath(named).name)
        data = target.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        attachments.append(Attachment(str(target), address, line, len(data), kind, digest, title))
        problems += _personal_numbers(source.path, line, named, target, allowed)
    problems += _unique(source.path, attachments)
    return tuple(attachments), problems


def _value(source: Source, key: tuple[Key, ...]) -> tuple[str, str | None]:
    """The file named at ``key`` and its title: a path, or a mapping with ``file`` and an
    optional ``title``."""
    value: object = source.meta
    for part in key:
        value = value[part]  # type: ignore[index]
    if isinstance(value, dict):
        title = value.get("title")
        return str(value["file"]), " ".join(str(title).split()) or None if title else None
    return str(value), None


def _refused(path: str, line: int, named: str, here: Path, root: Path) -> Problem | None:
    if named.startswith("/") or ":" in named.split("/")[0]:
        return error(
            path,
            line,
            f"filen '{named}' måste ligga i innehållsmappen och anges relativt dokumentet "
            "(till exempel handlingar/budget.pdf)",
            "attachment",
        )
    target = (here / named).resolve()
    if not target.is_relative_to(root):
        return error(path, line, f"filen '{named}' ligger utanför innehållsmappen", "attachment")
    if not target.is_file():
        return error(path, line, f"filen '{named}' finns inte", "attachment")
    if target.suffix.lower() not in KINDS:
        return error(
            path,
            line,
            f"filen '{named}' är av ett slag som en webbläsare inte visar "
            f"({target.suffix or 'utan filändelse'}); spara den som PDF "
            f"(tillåtna: {', '.join(sorted(KINDS))})",
            "attachment",
        )
    return None


def text_of(target: Path) -> str:
    """The text of an attached file, to search: a PDF's by pdftotext (poppler), plain text's
    as it is, nothing of an image."""
    suffix = target.suffix.lower()
    if suffix == ".txt":
        return target.read_bytes().decode("utf-8", "replace")
    if suffix != ".pdf":
        return ""
    try:
        done = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", str(target), "-"],
            capture_output=True,
            timeout=TEXT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", "replace")


def _personal_numbers(
    path: str, line: int, named: str, target: Path, allowed: set[str]
) -> list[Problem]:
    text = text_of(target)
    pages = text.split("\f") if text else []
    return [
        error(
            path,
            line,
            f"filen '{named}' innehåller personnummer eller samordningsnummer "
            f"{masked(written)}{f' (sidan {page})' if len(pages) > 1 else ''} som inte får "
            "publiceras; maskera det i filen eller tillåt just det numret med allow_numbers "
            "och ett skäl",
            "personnummer",
        )
        for page, content in enumerate(pages, start=1)
        for written, ten in identity_numbers(content)
        if ten not in allowed
    ]


def _unique(path: str, attachments: Sequence[Attachment]) -> list[Problem]:
    """Two files of one document may not be published at one address."""
    owners: dict[str, str] = {}
    problems = []
    for attachment in attachments:
        owner = owners.setdefault(attachment.address, attachment.file)
        if owner != attachment.file:
            problems.append(
                error(
                    path,
                    attachment.line,
                    f"filen '{PurePosixPath(attachment.address).name}' har samma namn som en "
                    f"annan fil i samma dokument ({owner}); byt namn på en av dem",
                    "attachment",
                )
            )
    return problems
