"""`verify` of a delivered E-ARK package (``export earkiv``): every file its METS documents
list (the root's ``METS.xml`` and each representation's) is there with the size and SHA-256
they give, no file is there that none lists, and each sealed PDF's seal is intact and chains
to the trusted root. It reads the METS as any archive would, by the standard's names, and
trusts nothing Justerat wrote elsewhere."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from lxml import etree  # type: ignore[import-untyped]

from ..core.swedish import counted
from ..pdfs import seal

METS = "{http://www.loc.gov/METS/}"
HREF = "{http://www.w3.org/1999/xlink}href"


class Listing:
    """What a package's METS documents say of its files: path → (size, SHA-256)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, str]] = {}
        self.problems: list[str] = []

    def read(self, root: Path, mets: str) -> None:
        """The files ``mets`` (a path from the package's root) lists, and the METS
        documents it points at, read in turn."""
        folder = PurePosixPath(mets).parent
        try:
            tree = etree.parse(str(root / mets))
        except (OSError, etree.XMLSyntaxError) as exc:
            self.problems.append(f"{mets} kan inte läsas: {exc}")
            return
        for element in tree.iter(f"{METS}file", f"{METS}mdRef"):
            located = element if element.tag == f"{METS}mdRef" else element.find(f"{METS}FLocat")
            href = located.get(HREF) if located is not None else None
            if not href:
                self.problems.append(f"{mets}: en fil utan adress (xlink:href)")
                continue
            path = (folder / href).as_posix().removeprefix("./")
            size, checksum = element.get("SIZE"), (element.get("CHECKSUM") or "").lower()
            if element.get("CHECKSUMTYPE") != "SHA-256" or not size or not checksum:
                self.problems.append(f"{mets}: {path} saknar storlek eller SHA-256")
                continue
            self.files[path] = (int(size), checksum)
            if PurePosixPath(path).name == "METS.xml":
                self.read(root, path)


def verdicts(root: Path, trust_root: bytes | None) -> Iterator[tuple[bool, str]]:
    """The verdicts on the package in folder ``root``."""
    listing = Listing()
    listing.read(root, "METS.xml")
    yield from ((False, problem) for problem in listing.problems)
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    missing = sorted(set(listing.files) - present)
    unlisted = sorted(present - set(listing.files) - {"METS.xml"})
    wrong = []
    for path, (size, checksum) in sorted(listing.files.items()):
        if path in present:
            data = (root / path).read_bytes()
            if len(data) != size or hashlib.sha256(data).hexdigest() != checksum:
                wrong.append(path)
    for paths, said in (
        (missing, "saknas men står i METS"),
        (unlisted, "finns men står inte i någon METS"),
        (wrong, "har en annan storlek eller kontrollsumma än METS anger"),
    ):
        yield from ((False, f"{path} {said}") for path in paths)
    if not (missing or unlisted or wrong or listing.problems):
        listed = counted(len(listing.files), "fil", "filer")
        said = "stämmer med METS (storlek och SHA-256), ingen fil saknas eller är oförtecknad"
        yield True, f"alla {listed} {said}"
    for path in sorted(p for p in present if p.endswith(".pdf") and "/handlingar/" not in p):
        if path.startswith("representations/"):
            verdict = seal.verify((root / path).read_bytes(), trust_root)
            if verdict.sealed or trust_root is not None:
                yield verdict.ok, f"{path}: {verdict.swedish()}"
