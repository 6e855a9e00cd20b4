"""The search index in the build (docs/search.md, section 5): the same content gives the same
bytes, a justering writes a small delta and keeps the base, drafts never enter it.

The index's answers are held to the oracle in test_search_oracle.py; these tests read the
files a real build publishes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import build_site, site_snapshot

PROTOCOL = Path("protocols/styrelsen/2023-09-13.md")


def _index(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in site_snapshot(out).items() if k.startswith("sok/index/")}


def _manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "sok/index/manifest.json").read_bytes())


def _vocabulary(out: Path) -> set[str]:
    """Every word the published index holds, read from its vocabulary files."""
    words: set[str] = set()
    for segment in _manifest(out)["segments"]:
        for i in range(len(segment["vocabulary"])):
            data = (out / "sok/index" / segment["id"] / f"v{i}.json.gz").read_bytes()
            words |= set(json.loads(gzip.decompress(data)))
    return words


def _addresses(out: Path) -> list[str]:
    """The address of every document in the index's texts."""
    found = []
    for segment in _manifest(out)["segments"]:
        for i in range(segment["texts"]):
            data = (out / "sok/index" / segment["id"] / f"t{i}.json.gz").read_bytes()
            found += [document["url"] for document in json.loads(gzip.decompress(data))]
    return found


def _inodes(out: Path) -> dict[str, int]:
    index = out / "sok/index"
    return {p.relative_to(index).as_posix(): p.stat().st_ino for p in index.rglob("*.*")}


def test_two_fresh_builds_give_the_same_index_bytes(content: Path, tmp_path: Path) -> None:
    first = build_site(content, tmp_path / "a", tmp_path / "ca", "2024-01-01")
    second = build_site(content, tmp_path / "b", tmp_path / "cb", "2024-01-01")
    assert _index(first) == _index(second)
    assert len(_manifest(first)["segments"]) == 1
    addresses = _addresses(first)
    assert "protokoll/styrelsen/2023-09-13/" in addresses
    assert len(addresses) == len(set(addresses))


def test_a_justering_writes_a_delta_and_keeps_the_base(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build_site(content, out, cache, "2024-01-01")
    base = _inodes(out)
    (base_segment,) = _manifest(out)["segments"]
    assert "gränsdragningsfrågan" not in _vocabulary(out)

    protocol = content / PROTOCOL
    text = protocol.read_text("utf-8")
    protocol.write_text(
        text.replace(
            "## § 1 Val av justerare\n", "## § 1 Val av justerare\n\nGränsdragningsfrågan.\n", 1
        ),
        "utf-8",
    )
    build_site(content, out, cache, "2024-01-01")
    after = _inodes(out)
    segments = _manifest(out)["segments"]
    assert [s["id"] for s in segments][0] == base_segment["id"]
    delta = segments[1]
    assert delta["docs"] == 1
    assert len(delta["removed"]) == 1  # the protocol's earlier version in the base
    assert "gränsdragningsfrågan" in _vocabulary(out)
    # the base's files are the published ones, linked, not written again; what is new is the
    # manifest (and its precompressed copies) and the delta's files
    written = sorted(name for name, inode in after.items() if base.get(name) != inode)
    delta_files = sorted(name for name in after if name.startswith(delta["id"] + "/"))
    print(f"a justering wrote {len(written)} of the index's {len(after)} files")
    manifests = ["manifest.json", "manifest.json.gz", "manifest.json.br"]
    assert written == sorted([*manifests, *delta_files])
    assert all(after[name] == base[name] for name in base if name.startswith(base_segment["id"]))

    build_site(content, out, cache, "2024-01-01")  # nothing changed: nothing written
    assert _inodes(out) == after


def test_drafts_never_enter_the_index(content: Path, tmp_path: Path) -> None:
    source = (content / PROTOCOL).read_text("utf-8")
    draft = source.replace("status: justerat", "status: draft", 1).replace(
        "date: 2023-09-13", "date: 2023-10-18", 1
    )
    draft = draft.replace(
        "## § 1 Val av justerare\n", "## § 1 Val av justerare\n\nHemligutkastord.\n", 1
    )
    (content / "protocols/styrelsen/2023-10-18.md").write_text(draft, "utf-8")
    out = build_site(content, tmp_path / "site", tmp_path / "cache", "2024-01-01")
    assert "hemligutkastord" not in _vocabulary(out)
    assert not [url for url in _addresses(out) if "2023-10-18" in url]
