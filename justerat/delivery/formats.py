"""What a file of a package is, as an e-arkiv's intake sees it: its PRONOM format (PUID),
found by opf-fido's PRONOM signatures as intake runs them, and its MIME type.

fido reads a file's first and last bytes. A format it finds by its signature is the file's
PUID. Where it finds none and only guesses from the name (a Markdown, JSON or plain text
file), the PUID is the one of the format Justerat wrote the file in (``WRITTEN``), said to
be so, never fido's guess: for ``.json`` that guess is "Tweet JSON"."""

from __future__ import annotations

import mimetypes
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SIGNATURE = "signature"  # fido matched the file's bytes against the format's PRONOM signature
WRITTEN = "written"  # Justerat wrote the file in this format; fido has no signature for it

# the formats Justerat writes that have no PRONOM signature: PUID, name, MIME type
_WRITTEN = {
    ".md": ("fmt/1149", "Markdown", "text/markdown"),
    ".json": ("fmt/817", "JSON Data Interchange Format", "application/json"),
    ".txt": ("x-fmt/111", "Plain Text File", "text/plain"),
}
_MIME = {".md": "text/markdown", ".xsd": "application/xml", ".xml": "application/xml"}


@dataclass(frozen=True)
class Format:
    """A file's format: its PUID and name (None: not identified), how it was found, and its
    MIME type."""

    puid: str | None
    name: str | None
    basis: str  # SIGNATURE, WRITTEN, or "" (not identified)
    mime: str
    version: str | None = None  # PRONOM's version of the format ("2a")

    @property
    def is_pdfa(self) -> bool:
        """PDF/A-1, -2, -3 or -4, in any conformance level, by its signature."""
        return self.basis == SIGNATURE and (self.name or "").startswith("Acrobat PDF/A")


@contextmanager
def _quiet() -> Iterator[None]:
    """fido's own warnings (its regular expressions, six) stay out of the user's terminal."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"fido(\.|$)")
        warnings.filterwarnings("ignore", module=r"six(\.|$)")
        yield


@cache
def _fido() -> tuple[Any, list[tuple[str, list[Any]]]]:
    """fido with the PRONOM signatures it ships, once per process, and where it reports."""
    with _quiet():
        from fido import CONFIG_DIR
        from fido.fido import Fido
        from fido.versions import get_local_versions

        versions = get_local_versions(CONFIG_DIR)
        found: list[tuple[str, list[Any]]] = []
        fido = Fido(
            quiet=True,
            nocontainer=True,
            format_files=[versions.pronom_signature],
            handle_matches=lambda name, matches, took, kind="": found.append((kind, matches)),
        )
    return fido, found


@cache
def tool() -> str:
    """The identifying tool and its signatures, as PREMIS names the agent: "fido 1.6.1
    (PRONOM v109)"."""
    with _quiet():
        from fido import CONFIG_DIR, __version__
        from fido.versions import get_local_versions

        return f"fido {__version__} (PRONOM v{get_local_versions(CONFIG_DIR).pronom_version})"


def mime_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return _MIME.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def identify(path: Path) -> Format:
    """The format of the file at ``path``."""
    fido, found = _fido()
    found.clear()
    with _quiet():
        fido.identify_file(str(path), extension=False)
    matches = [m for kind, ms in found if kind == SIGNATURE for m in ms]
    if matches:
        element = matches[0][0]
        mime = element.findtext("mime") or mime_type(path)
        name, version = element.findtext("name"), element.findtext("version") or None
        return Format(fido.get_puid(element), name, SIGNATURE, mime, version)
    written = _WRITTEN.get(path.suffix.lower())
    if written is not None:
        return Format(written[0], written[1], WRITTEN, written[2])
    return Format(None, None, "", mime_type(path))
