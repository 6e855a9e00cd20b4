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


def check_target(out: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that is not a Justerat site, or that holds the sources."""
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


def write_tree(files: Mapping[str, bytes], folder: Path) -> None:
    """Write ``files`` into ``folder``; no path may leave it."""
    root = folder.resolve()
    for relative, data in sorted(files.items()):
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or target == root:
            raise PublishError(f"sökvägen {relative!r} hamnar utanför utmappen")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def publish(files: Mapping[str, bytes], out: Path) -> None:
    """Replace ``out`` with exactly ``files``, atomically."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fresh.chmod(0o755)
        write_tree(
            {**files, MARKER: b"Built by Justerat. This folder is replaced on every build.\n"},
            fresh,
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
