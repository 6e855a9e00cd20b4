"""Writing the site: all or nothing.

The files are written into a fresh folder beside the output and swapped in whole only when
every one of them is written, so the public never sees a half-built or mixed site and a
failed build leaves the previous one untouched. A lock keeps two builds from racing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

MARKER = ".justerat-site"


class PublishError(Exception):
    """The output folder cannot be written; the message says why, in Swedish."""


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one refuses at once."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"en annan bygg skriver redan till {out}; vänta tills den är klar"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


KINDS = {
    "public": "den publika webbplatsen",
    "full": "den fullständiga versionen för kansliet",
}


def _kind(folder: Path) -> str | None:
    marker = folder / MARKER
    if not marker.is_file():
        return None
    text = marker.read_text("utf-8", "replace")
    return "full" if "kind: full" in text else "public"


def check_target(out: Path, protected: list[Path], kind: str = "public") -> None:
    """Refuse to replace a folder that is not a Justerat site, that holds the sources, or that
    holds the other kind of build (the office's full version never replaces the public site,
    nor the other way round)."""
    resolved = out.resolve()
    for folder in protected:
        folder = folder.resolve()
        if resolved == folder or folder.is_relative_to(resolved):
            raise PublishError(
                f"utmappen {out} innehåller {folder}; välj en egen mapp för webbplatsen"
            )
    if resolved.exists() and not resolved.is_dir():
        raise PublishError(f"utmappen {out} är en fil, inte en mapp")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).exists():
        raise PublishError(
            f"utmappen {out} finns redan och är inte byggd av Justerat; "
            "töm den eller välj en annan mapp"
        )
    existing = _kind(resolved) if resolved.is_dir() else None
    if existing is not None and existing != kind:
        raise PublishError(
            f"utmappen {out} innehåller {KINDS[existing]}; {KINDS[kind]} byggs i en egen mapp"
        )
    if kind == "full" and resolved == Path("site").resolve():
        raise PublishError(
            "den fullständiga versionen får inte byggas i site/, som publiceras; "
            "ange en egen mapp med --out"
        )


def write_tree(files: Mapping[str, bytes], folder: Path, previous: Path | None = None) -> int:
    """Write ``files`` into ``folder``; no path may leave it. A file whose bytes are the same as
    in the ``previous`` build is linked, not written, so it keeps its modification time (a sync
    to the web server then sends only what changed). Returns how many files were written."""
    root = folder.resolve()
    written = 0
    for relative, data in sorted(files.items()):
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or target == root:
            raise PublishError(f"sökvägen {relative!r} hamnar utanför utmappen")
        target.parent.mkdir(parents=True, exist_ok=True)
        if previous is not None and _unchanged(previous / relative, data):
            try:
                os.link(previous / relative, target)
                continue
            except OSError:
                pass  # another file system, or links not allowed: write it
        target.write_bytes(data)
        written += 1
    return written


def _unchanged(old: Path, data: bytes) -> bool:
    try:
        return (
            old.is_file()
            and not old.is_symlink()
            and old.stat().st_size == len(data)
            and (old.read_bytes() == data)
        )
    except OSError:
        return False


def remove_leftovers(out: Path) -> None:
    """Folders a killed build left beside the output (it was stopped before it could clean up);
    call this only while holding the build lock."""
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def publish(files: Mapping[str, bytes], out: Path, kind: str = "public") -> int:
    """Replace ``out`` with exactly ``files``, atomically; returns how many files were new or
    changed (the rest keep their modification time)."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fresh.chmod(0o755)
        written = write_tree(
            {
                **files,
                MARKER: f"Built by Justerat. This folder is replaced on every build.\n"
                f"kind: {kind}\n".encode(),
            },
            fresh,
            out if out.is_dir() else None,
        )
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, old / "site")
            os.rename(fresh, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return written
