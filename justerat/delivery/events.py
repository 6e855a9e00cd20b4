"""The PREMIS events an export adds to each package's own (``contents``): the seal on each of
Justerat's PDFs and its verification, and each file's format identification; and the tools
that took part."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..core.problems import Problem, error
from ..domain.settings import SealSettings
from ..pdfs import seal
from . import formats
from .contents import Gathered
from .mets import Listed
from .premis import Agent, Event


def tools() -> dict[str, Agent]:
    """The software the events name."""
    from importlib.metadata import version

    tools = [
        Agent("software:justerat", "Justerat", "software", __version__),
        Agent("software:fido", formats.tool(), "software", version("opf-fido")),
        Agent("software:pyhanko", "pyHanko", "software", version("pyhanko")),
    ]
    return {tool.ident: tool for tool in tools}


def seals(
    got: Gathered,
    staging: Path,
    rep1: Sequence[Listed],
    settings: SealSettings | None,
    created: str,
) -> tuple[list[Event], list[Problem]]:
    """For each of Justerat's PDFs, when site.yaml asks for a seal: the seal (who, when, the
    certificate) and its verification now, against site.yaml's trust root. A PDF whose seal is
    missing or does not hold is an error: no package goes out with it."""
    if settings is None:
        return [], []
    root = settings.trust_root.read_bytes() if settings.trust_root else None
    found, problems = [], []
    for listed in rep1:
        if listed.format.mime != "application/pdf" or "/handlingar/" in listed.path:
            continue
        verdict = seal.verify((staging / listed.path).read_bytes(), root)
        if not verdict.ok:
            said = f"{listed.path}: {verdict.swedish()}; inget paket skrevs"
            problems.append(error(str(settings.pkcs12 or "site.yaml"), 0, said, "seal"))
            continue
        holder = got.agent(
            Agent(
                f"sigill:{verdict.fingerprint}",
                verdict.sealed_by,
                "organization",
                note="e-sigillets innehavare",
            )
        )
        when = verdict.sealed_at.isoformat() if verdict.sealed_at else created
        stamp = " med tidsstämpel" if verdict.timestamped else ""
        certificate = (
            f"Certifikat: {verdict.sealed_by}, utfärdat av {verdict.issuer}, serienummer "
            f"{verdict.serial}, SHA-256-fingeravtryck {verdict.fingerprint}"
        )
        found.append(
            Event(
                f"sigill-{listed.path}",
                "digital signature generation",
                when,
                f"E-sigill (PAdES){stamp}. {certificate}.",
                "förseglad",
                agents=[(holder, "signer")],
                objects=[listed.path],
            )
        )
        found.append(
            Event(
                f"sigillkontroll-{listed.path}",
                "digital signature validation",
                created,
                "Sigillet prövades med pyHanko"
                + (" mot site.yaml:s betrodda rot (trust_root)." if root else " utan betrodd rot."),
                "giltigt",
                verdict.swedish(),
                agents=[("software:pyhanko", "validator")],
                objects=[listed.path],
            )
        )
    return found, problems


def identification(reps: dict[str, list[Listed]], created: str) -> list[Event]:
    """Each file's format identification: by fido's PRONOM signatures, or as Justerat wrote
    it, or not identified."""
    found = []
    for listed in (each for files in reps.values() for each in files):
        form = listed.format
        if form.basis == formats.SIGNATURE:
            outcome, detail = form.puid or "", f"{form.name} (PRONOM {form.puid}), efter signatur"
        elif form.basis == formats.WRITTEN:
            outcome = form.puid or ""
            detail = f"ingen PRONOM-signatur; Justerat skrev filen som {form.name} ({form.puid})"
        else:
            outcome, detail = "inte identifierat", f"formatet känns inte igen; MIME-typ {form.mime}"
        found.append(
            Event(
                f"format-{listed.path}",
                "format identification",
                created,
                f"Formatidentifiering med {formats.tool()}",
                outcome,
                detail,
                agents=[("software:fido", "executing program")],
                objects=[listed.path],
            )
        )
    return found
