"""Where a build puts the site (its sink): all or nothing, in time proportional to what changed.

The output folder is a link to one of two trees; a build brings the other one up to date and
then switches the link in one step (``Publication``), so the public never sees a half-built or
mixed site and a failed build leaves the published one untouched. A lock keeps two builds
from racing. The preview's sink (``InMemory``) keeps the site's files in memory.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import posixpath
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..core import files
from ..core.files import Signature, keep, read_kept

MARKER = ".justerat-site"


class PublishError(Exception):
    """The output folder cannot be written; the message says why, in Swedish."""


@contextmanager
def build_lock(out: Path) -> Iterator[int]:
    """One build at a time per output folder; a second one refuses at once. Gives the lock's
    descriptor, which no worker process may keep open."""
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
            yield handle.fileno()
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


def remove_leftovers(out: Path) -> None:
    """What a killed build left beside the output (it was stopped before it could clean up),
    including the folders of earlier versions of Justerat; call this only while holding the
    build lock."""
    for pattern in (f".{out.name}.new-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.link-*"):
        leftover.unlink(missing_ok=True)


# output path → its record: the sha256 of its bytes (64 hex digits), whether the search index
# reads it ("1" or "0"), then the key of what it was made from. One string, not a tuple of
# three: a rebuild reads the manifests of two trees, and every object read back costs.
Manifest = dict[str, str]
TREES = ("a", "b")
SOURCES = "sources"  # beside the trees: the content files' bytes each tree was made from
_DIGEST = 64
_FORMAT = f"manifest-2-{__version__}"


# a precompressed copy's key (``files.precompressed``): this, the levels (``files.COMPRESSION``)
# and the digest of the file it was made from; the copies are not counted among the site's files
COPY = "precompressed:"


def _copy(record: str) -> bool:
    return record.startswith(COPY, _DIGEST + 1)


def _record(key: str, digest: str, searched: bool) -> str:
    return f"{digest}{searched:d}{key}"


def _digest(record: str) -> str:
    return record[:_DIGEST]


def _other(tree: str | None) -> str:
    """The tree that is not ``tree`` (the first build writes "a")."""
    return "b" if tree == "a" else "a"


def _trees(out: Path) -> Path:
    return out.parent / f".{out.name}.trees"


def _load_manifest(file: Path) -> tuple[str, Manifest] | None:
    """(the key of the whole site, its files) as a tree's manifest records them; None if
    there is none, or one written by another version of Justerat."""
    found = read_kept(file)
    if not isinstance(found, tuple) or len(found) != 3 or found[0] != _FORMAT:
        return None
    return found[1], found[2]


def _save_manifest(file: Path, site: str, manifest: Manifest) -> None:
    keep(file, (_FORMAT, site, manifest))


def _stats(tree: Path) -> dict[str, Signature]:
    """Every file of a tree (output path → size, modification time and inode)."""
    prefix = len(tree.as_posix()) + 1
    return {path[prefix:]: sign for path, sign in files.listing([tree]).items()}


CHANGED, MISSING, ADDED = "ändrad", "saknas", "tillagd"  # how a published file was tampered


def tampered(
    tree: Path, manifest: Manifest, known: dict[str, Signature] | None = None
) -> list[tuple[str, str]]:
    """The files of a published ``tree`` that are not what its build wrote: (output path,
    ``CHANGED``, ``MISSING`` or ``ADDED``), in order. Cheap: only a file whose size,
    modification time or inode differ from those ``known`` when its build wrote the tree is
    read and compared with its digest (every file, when nothing is known)."""
    found = []
    stats = _stats(tree)
    for target, record in manifest.items():
        sign = stats.get(target)
        if sign is None:
            found.append((target, MISSING))
        elif known is None or known.get(target) != sign:  # in doubt: read it
            digest = hashlib.sha256((tree / target).read_bytes()).hexdigest()
            found += [(target, CHANGED)] if digest != _digest(record) else []
    found += [(target, ADDED) for target in stats.keys() - manifest.keys()]
    return sorted(found)


def published_tree(out: Path) -> str | None:
    """Which of the two trees the output folder shows now (None: none yet)."""
    out = out.absolute()
    if not out.is_symlink():
        return None
    link = os.readlink(out)
    for tree in TREES:
        if link == f"{_trees(out).name}/{tree}":
            return tree
    raise PublishError(
        f"utmappen {out} är en länk till {link}, inte till en webbplats byggd av Justerat; "
        "ta bort länken eller välj en annan mapp"
    )


def published_sources(out: Path) -> Callable[[str], bytes | None] | None:
    """The bytes of a content file as the published site was made from it, by its path
    inside the content folder (None: it was not published). A build holds back a file with
    errors by publishing these bytes again (``loading.holding``). None instead of a function:
    a site is published, but what it was made from is not known (an earlier version of
    Justerat kept no copies, or they are lost)."""
    tree = published_tree(out)
    if tree is None:
        return lambda inside: None  # nothing published: nothing to keep
    trees = _trees(out.absolute())
    index = read_kept(trees / f"{tree}.sources")
    if not isinstance(index, dict):
        return None

    def previous(inside: str) -> bytes | None:
        digest = index.get(inside)
        try:
            data = (trees / SOURCES / str(digest)).read_bytes() if digest else None
        except OSError:
            return None
        return data if data is not None and hashlib.sha256(data).hexdigest() == digest else None

    return previous


def changed_since_published(out: Path) -> list[str]:
    """The files of the published site at ``out`` that are not what the build that published
    it wrote (changed, missing or added since), by its manifest; each as a Swedish line."""
    tree = published_tree(out)
    if tree is None:
        raise PublishError(f"{out} är ingen webbplats byggd av Justerat (ingen länk till ett träd)")
    loaded = _load_manifest(_trees(out) / f"{tree}.manifest")
    if loaded is None:
        raise PublishError(f"manifestet för {out} saknas eller kan inte läsas")
    said = {
        CHANGED: "ändrad efter publiceringen",
        MISSING: "saknas",
        ADDED: "finns inte i manifestet",
    }
    return [f"{target}: {said[how]}" for target, how in tampered(_trees(out) / tree, loaded[1])]


class Sources:
    """The content files a site is made from: path inside the content folder → (the digest
    of its bytes, how to read them when no copy of them is kept yet)."""

    def __init__(self, files: dict[str, tuple[str, Callable[[], bytes]]]) -> None:
        self.files = files


class Publication:
    """One build's writing, into the tree that is not published, then the switch.

    The output folder is a link to one of two trees beside it (``.site.trees/a`` and ``b``).
    A build brings the other tree up to date, file by file, from what it knows each holds (its
    manifest): a file whose bytes it already holds stays, a file unchanged since the published
    build is linked from the published tree (it keeps its modification time), and only new or
    changed files are written. Then the link is replaced in one step (a rename), so readers see
    the old site or the new one, never a mix, and a build that fails or is killed changes
    nothing they see. The work is proportional to what changed, not to the size of the site.
    """

    def __init__(
        self,
        out: Path,
        kind: str = "public",
        fresh: bool = False,
        protected: Sequence[Path] = (),
    ) -> None:
        """``fresh``: trust no manifest; every file is compared with the published one.
        ``protected``: folders the output may never hold (checked again before the switch)."""
        self.out = out.absolute()
        self.shown_out = out
        self.kind = kind
        self.protected = list(protected)
        self.trees = _trees(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.out)
        self._adopt()
        self.active = published_tree(self.out)
        self.name = _other(self.active)
        self.tree = self.trees / self.name
        self.fresh = fresh
        self.published: Manifest = {}  # what the published tree holds, as its manifest says
        self.site = ""  # the key of the whole published site, as its build gave it
        # published files changed by hand (``tampered``), which this build puts back
        self.repaired: list[tuple[str, str]] = []
        if self.active is not None and not fresh:
            found = _load_manifest(self.trees / f"{self.active}.manifest")
            self.site, self.published = found or ("", {})
            if found is not None:  # without a manifest there is nothing to compare with
                self._repair()
        manifest = self.trees / f"{self.name}.manifest"
        found = None if fresh else _load_manifest(manifest)
        stat = self.trees / f"{self.name}.stat"
        known = read_kept(stat)
        manifest.unlink(missing_ok=True)  # from here on the tree is being changed
        stat.unlink(missing_ok=True)
        held = found[1] if found is not None and self.tree.is_dir() else None
        if held is None:
            shutil.rmtree(self.tree, ignore_errors=True)
            held = {}
        else:
            held = self._clean(held, known if isinstance(known, dict) else None)
        self.tree.mkdir(parents=True, exist_ok=True)
        self.tree.chmod(0o755)
        self.held: Manifest = held  # what the tree holds, as its manifest records it
        self.placed: Manifest = {}
        self.written = 0  # files new or changed against the published site
        self._folders: set[Path] = set()  # folders known to exist in the tree

    def _repair(self) -> None:
        """Find the published files changed by hand since their build (``tampered``): they
        are made anew, not kept, and this build examines every file of the site."""
        known = read_kept(self.trees / f"{self.active}.stat")
        root = self.trees / str(self.active)
        self.repaired = tampered(root, self.published, known if isinstance(known, dict) else None)
        if self.repaired:
            self.site = ""  # nothing is to be trusted as it was: every file is examined
            for target, _ in self.repaired:
                self.published.pop(target, None)

    def _clean(self, held: Manifest, known: dict[str, Signature] | None) -> Manifest:
        """What the tree to write holds as its manifest vouches for it, rid of the rest: a
        file changed by hand (here, or in the published tree: it may be the same file, a
        link) is made anew, and a file added by hand is never published again."""
        wrong = {target for target, _ in [*self.repaired, *tampered(self.tree, held, known)]}
        for target in sorted(wrong):
            (self.tree / target).unlink(missing_ok=True)
        return {target: record for target, record in held.items() if target not in wrong}

    def _adopt(self) -> None:
        """An output folder that is a plain folder (empty, or built by an earlier version)
        becomes the first tree."""
        if self.out.is_symlink() or not self.out.exists():
            return
        if not any(self.out.iterdir()):
            self.out.rmdir()
            return
        self.trees.mkdir(exist_ok=True)
        shutil.rmtree(self.trees / "a", ignore_errors=True)
        os.rename(self.out, self.trees / "a")
        os.symlink(f"{self.trees.name}/a", self.out)

    @property
    def count(self) -> int:
        """The files of the site placed so far (the marker not counted)."""
        copies = sum(map(_copy, self.placed.values()))
        return len(self.placed) - (MARKER in self.placed) - copies

    def read(self, target: str) -> bytes:
        """A file placed in the tree being written."""
        return self.path(target).read_bytes()

    def current(self, target: str, key: str) -> bool:
        """Whether the published file at ``target`` was made from ``key``."""
        known = self.published.get(target)
        return known is not None and known[_DIGEST + 1 :] == key

    def keep(self, target: str) -> None:
        """The file stays as published (``current`` said so)."""
        known = self.published[target]
        self._put(target, _digest(known), None)
        self._note(target, known)

    def searched(self) -> dict[str, str]:
        """The digests of the placed pages that the search index reads, by output path."""
        return {t: _digest(r) for t, r in self.placed.items() if r[_DIGEST] == "1"}

    def write(self, target: str, key: str, data: bytes, searched: bool = False) -> None:
        self.record(target, key, self.store(target, data), searched)

    def originals(self) -> dict[str, str]:
        """The digests of the placed files by output path, but their precompressed copies,
        which are forgotten here: they are placed anew from these (``pipeline``)."""
        for target in [t for t, r in self.placed.items() if _copy(r)]:
            del self.placed[target]
        return {target: _digest(record) for target, record in self.placed.items()}

    def path(self, target: str) -> Path:
        """Where ``target`` is in the tree being written; no path may leave it (the tree
        holds no links, so a path that stays inside by its words stays inside)."""
        shown = posixpath.normpath(target)
        if shown != target or shown.startswith(("/", "../")) or shown in {".", ".."}:
            raise PublishError(f"sökvägen {target!r} hamnar utanför utmappen")
        return self.tree / target

    def _published(self, target: str) -> str | None:
        """The digest of the published file at ``target``: as its manifest says, or, when
        nothing is to be trusted (``fresh``), as read from the file."""
        if not self.fresh:
            known = self.published.get(target)
            return _digest(known) if known is not None else None
        if self.active is None:
            return None
        try:
            return hashlib.sha256((self.trees / self.active / target).read_bytes()).hexdigest()
        except OSError:
            return None

    def store(self, target: str, data: bytes) -> str:
        """Put ``data`` at ``target`` in the tree unless the tree holds it already; returns its
        digest. Only files go to disk here, so that the worker process that made a page can
        store it (each target is stored by one process); ``record`` notes it in the build."""
        digest = hashlib.sha256(data).hexdigest()
        self._put(target, digest, data)
        return digest

    def record(self, target: str, key: str, digest: str, searched: bool) -> None:
        """Note a stored or kept file: in the new manifest, and in the count of changes."""
        self._note(target, _record(key, digest, searched))

    def _note(self, target: str, record: str) -> None:
        new = target not in self.placed and not _copy(record)
        if new and self._published(target) != _digest(record):
            self.written += 1
        self.placed[target] = self.held[target] = record

    def _put(self, target: str, digest: str, data: bytes | None) -> None:
        held = self.held.get(target)
        if held is not None and _digest(held) == digest:
            return
        path = self.path(target)
        if path.parent not in self._folders:  # a mkdir call costs as much as writing a page
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        # a file the tree holds may be a link to the published one: never write into it, put
        # a new file in its place; where the tree holds nothing, the file is made in place
        temporary = path if held is None else path.with_name(f".{path.name}.{os.getpid()}.tmp")
        if self.active is not None and self._published(target) == digest:
            try:
                os.link(self.trees / self.active / target, temporary)
                if temporary != path:
                    os.replace(temporary, path)
                    temporary.unlink(missing_ok=True)  # the same file already: rename did nothing
                return
            except OSError:
                if temporary != path:
                    temporary.unlink(missing_ok=True)  # another file system: copy it
                if data is None:
                    data = self._read_published(target)
        assert data is not None, target
        temporary.write_bytes(data)
        if temporary != path:
            os.replace(temporary, path)

    def _read_published(self, target: str) -> bytes:
        try:
            return (self.trees / str(self.active) / target).read_bytes()
        except OSError:
            raise PublishError(
                f"/{target} saknas i den publicerade webbplatsen ({self.out}), fast förra "
                "bygget skrev den; någon har ändrat där för hand. Bygg om allt med --no-cache"
            ) from None

    def keep_the_rest(self, stays: Callable[[str], bool], but: str) -> None:
        """Every published file not placed by this build that ``stays`` stays as it is, but
        those under the folder ``but`` (made anew by a later step, under other names)."""
        rest = dict(self.published)  # dictionary and set operations: the site has 30,000 files
        for target in [*self.placed, MARKER]:
            rest.pop(target, None)
        for target in [t for t in rest if t.startswith(but) or not stays(t)]:
            del rest[target]
        # what the tree does not hold already (the common case: it does)
        stale = sorted(target for target, _ in rest.items() - self.held.items())
        for target in stale:
            del rest[target]
        self.placed.update(rest)
        for target in stale:
            self.keep(target)

    def commit(self, site: str = "", sources: Sources | None = None) -> None:
        """Remove what the new site no longer has, then show the new tree; ``site`` is the
        key of the whole site, for the next build; ``sources``: the content files it was
        made from, kept beside the trees (``published_sources``)."""
        check_target(self.shown_out, self.protected, self.kind)  # still ours to replace
        self._keep_sources(sources)
        note = f"Built by Justerat. This folder is replaced on every build.\nkind: {self.kind}\n"
        self.write(MARKER, "", note.encode())
        for target in sorted(self.held.keys() - self.placed.keys()):
            path = self.tree / target
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == self.tree:
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break
        _save_manifest(self.trees / f"{self.name}.manifest", site, self.placed)
        keep(self.trees / f"{self.name}.stat", _stats(self.tree))
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        os.symlink(f"{self.trees.name}/{self.name}", link)
        os.replace(link, self.out)
        if self.active is None:
            self._twin(site)

    def _keep_sources(self, sources: Sources | None) -> None:
        """The bytes of every content file this tree is made from, by digest (each written
        once), and the tree's index of them; copies no tree uses any more are removed."""
        index = self.trees / f"{self.name}.sources"
        index.unlink(missing_ok=True)
        if sources is None:
            return
        store = self.trees / SOURCES
        store.mkdir(exist_ok=True)
        stored = {path.name for path in store.iterdir()}
        for digest, read in sources.files.values():
            if digest not in stored:
                data = read()
                if hashlib.sha256(data).hexdigest() == digest:  # else: changed since it was read
                    (store / digest).write_bytes(data)
                    stored.add(digest)
        files = {inside: digest for inside, (digest, _) in sources.files.items()}
        keep(index, files)
        other = read_kept(self.trees / f"{_other(self.name)}.sources")
        used = set(files.values()) | (set(other.values()) if isinstance(other, dict) else set())
        for unused in stored - used:
            (store / unused).unlink(missing_ok=True)

    def _twin(self, site: str) -> None:
        """After the first build: the other tree as a copy of links to this one, so that the
        next build, too, writes only what changed (a link costs a tenth of writing a page)."""
        other = _other(self.name)
        twin = self.trees / other
        (self.trees / f"{other}.manifest").unlink(missing_ok=True)  # until the twin is whole
        shutil.rmtree(twin, ignore_errors=True)
        folders: set[Path] = set()
        try:
            for target in self.placed:
                path = twin / target
                if path.parent not in folders:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(path.parent)
                os.link(self.tree / target, path)
        except OSError:  # no links here: the next build writes the other tree whole
            shutil.rmtree(twin, ignore_errors=True)
            return
        _save_manifest(self.trees / f"{other}.manifest", site, self.placed)
        keep(self.trees / f"{other}.stat", _stats(twin))
        sources = self.trees / f"{self.name}.sources"
        if sources.is_file():  # the twin is made from the same files
            shutil.copyfile(sources, self.trees / f"{other}.sources")


class InMemory:
    """The preview's sink: the site's files in memory, each with the key it was made from.
    A build starts from the ``earlier`` site's files and keeps those still current."""

    def __init__(self, earlier: InMemory | None = None) -> None:
        self.held: dict[str, tuple[str, bytes, bool]] = earlier.placed if earlier else {}
        self.site: str = earlier.committed if earlier else ""
        self.placed: dict[str, tuple[str, bytes, bool]] = {}  # target → (key, data, searched)
        self.committed: str = ""  # the key of the site, once committed
        self.written = 0
        self.repaired: list[tuple[str, str]] = []  # no one changes the preview by hand

    @property
    def files(self) -> dict[str, bytes]:
        return {target: data for target, (_, data, _) in self.placed.items()}

    @property
    def count(self) -> int:
        return len(self.placed)

    def current(self, target: str, key: str) -> bool:
        known = self.held.get(target)
        return known is not None and known[0] == key

    def keep(self, target: str) -> None:
        self.placed[target] = self.held[target]

    def store(self, target: str, data: bytes) -> bytes:
        return data

    def record(self, target: str, key: str, stored: bytes, searched: bool) -> None:
        self.placed[target] = (key, stored, searched)
        self.written += 1

    def write(self, target: str, key: str, data: bytes, searched: bool = False) -> None:
        self.record(target, key, data, searched)

    def keep_the_rest(self, stays: Callable[[str], bool], but: str) -> None:
        for target, held in self.held.items():
            if target not in self.placed and not target.startswith(but) and stays(target):
                self.placed[target] = held

    def searched(self) -> dict[str, str]:
        return {
            target: hashlib.sha256(data).hexdigest()
            for target, (_, data, searched) in self.placed.items()
            if searched
        }

    def read(self, target: str) -> bytes:
        return self.placed[target][1]

    def commit(self, site: str = "", sources: Sources | None = None) -> None:
        self.committed = site
