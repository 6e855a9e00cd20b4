"""`verify`: is this PDF's seal intact, and is this published site what Justerat published?

For a PDF: whether the seal is intact and covers the whole file, who sealed it and when, and
whether the certificate chains to the trusted root (``--root``, or the site's
``seal.trust_root``). For an output folder: whether every file equals the manifest of the
build that published it, and whether the publication log's chain holds. Every verdict is one
Swedish line; the exit code is 0 only when all is well.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.swedish import counted
from ..legal import publog
from ..pdfs import seal
from . import package
from .publish import PublishError, changed_since_published


def pdf(path: Path, root: bytes | None) -> tuple[bool, str]:
    verdict = seal.verify(path.read_bytes(), root)
    return verdict.ok, verdict.swedish()


def site(out: Path) -> Iterator[tuple[bool, str]]:
    """The verdicts on a published site: its files, and its log."""
    try:
        changed = changed_since_published(out)
    except PublishError as exc:
        yield False, str(exc)
        return
    if changed:
        wrong = counted(len(changed), "fil stämmer", "filer stämmer")
        yield False, f"{wrong} inte med manifestet:"
        yield from ((False, f"  {line}") for line in changed)
    else:
        yield True, "varje fil är den som publicerades (enligt manifestet)"
    log = out / publog.PATH
    if not log.is_file():
        yield True, "ingen publiceringslogg ännu"
        return
    try:
        entries = publog.loads(log.read_bytes())
    except publog.LogError as exc:
        yield False, f"publiceringsloggen: {exc}"
        return
    yield True, f"publiceringsloggens kedja håller ({len(entries)} poster)"


def configured_root(content: Path) -> tuple[Path | None, list[str]]:
    """The root certificate site.yaml's ``seal.trust_root`` names (when the content folder has
    a site.yaml that names one), and what stood in the way of reading it."""
    from ..core.problems import Severity, has_errors
    from ..loading.content import load_settings
    from ..reading.frontmatter import Gates

    if not (content / "site.yaml").is_file():
        return None, []
    settings, problems = load_settings(content, Gates())
    if settings is None or has_errors(problems):
        first = next(str(p) for p in problems if p.severity is Severity.ERROR)
        return None, [f"{first} (trust_root därifrån används inte; ange --root)"]
    return (settings.seal.trust_root if settings.seal else None), []


def run(paths: list[Path], root: Path | None) -> tuple[int, list[str]]:
    """The exit code and the lines to print."""
    try:
        trusted = root.read_bytes() if root else None
    except OSError as exc:
        return 1, [f"{root}: rotcertifikatet kan inte läsas: {exc.strerror}"]
    lines = []
    ok = True
    for path in paths:
        if (path / "METS.xml").is_file():  # a package delivered to the e-arkiv
            for good, line in package.verdicts(path, trusted):
                ok &= good
                lines.append(f"{path}: {line}")
        elif path.is_dir():
            for good, line in site(path):
                ok &= good
                lines.append(f"{path}: {line}")
        elif path.suffix.lower() == ".pdf" and path.is_file():
            good, line = pdf(path, trusted)
            ok &= good
            lines.append(f"{path}: {line}")
        else:
            ok = False
            lines.append(
                f"{path}: varken en PDF, en byggd webbplats eller ett paket till e-arkivet"
            )
    return (0 if ok else 1), lines
