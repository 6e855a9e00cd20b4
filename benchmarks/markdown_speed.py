"""Milliseconds per protocol for the Markdown stage, and proof that its output is unchanged.

    .venv/bin/python benchmarks/markdown_speed.py [PATH ...] [--repeat 3]
    .venv/bin/python benchmarks/markdown_speed.py [PATH ...] --record FILE
    .venv/bin/python benchmarks/markdown_speed.py [PATH ...] --compare FILE

PATH is a Markdown file or a folder searched for ``*.md``; the default is a generated archive of
2,000 protocols in /tmp/b2k (written if missing), the sample content and the test fixtures.
Files under a ``plans`` folder are plans (``document_body``), all others protocols
(``protocol_body``); the best of ``--repeat`` runs is printed as milliseconds per file, wall
clock and CPU time (steadier on a busy machine).

``--record`` pickles the full results of every file: both ``protocol_body`` and
``document_body`` (each file through both, for more coverage), every field of every value
(also the ones left out of ``repr``) and every problem with its line. ``--compare`` computes
the same results with the code as it is now and lists every file whose results differ. Record
with one version of ``justerat/reading/markdown.py``, change it, then compare.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

from justerat.domain.source import read_source  # noqa: E402
from justerat.reading import markdown  # noqa: E402

GENERATED = Path("/tmp/b2k/content")
GENERATED_COUNT = 2000

Body = tuple[str, str, int]  # (path, Markdown body, the body's first line in the file)


def default_paths() -> list[Path]:
    if not (GENERATED / "protocols").is_dir():
        print(f"writing {GENERATED_COUNT} protocols to {GENERATED} …", file=sys.stderr)
        generate(GENERATED, GENERATED_COUNT)
    return [
        GENERATED / "protocols",
        ROOT / "content" / "protocols",
        ROOT / "content" / "plans",
        ROOT / "tests" / "fixtures",
    ]


def read_bodies(paths: list[Path]) -> list[Body]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    bodies = []
    for file in files:
        # paths as the build shows them (content/…), so that checkouts can be compared
        shown = file.resolve().relative_to(ROOT) if file.resolve().is_relative_to(ROOT) else file
        source, problems = read_source(shown.as_posix(), file.read_bytes())
        if source is None:
            sys.exit(f"{file}: {problems}")
        bodies.append((source.path, source.body, source.body_line))
    return bodies


def is_plan(path: str) -> bool:
    return "plans" in Path(path).parts


def full(value: object) -> str:
    """Every field of a dataclass value, recursively, including those with repr=False."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return repr(dataclasses.asdict(value))
    return repr(value)


def results(bodies: list[Body]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for path, body, line in bodies:
        protocol, protocol_problems = markdown.protocol_body(path, body, line)
        html, toc, document_problems = markdown.document_body(path, body, line)
        found[path] = (
            full(protocol),
            repr(protocol),
            repr(protocol_problems),
            html,
            repr(toc),
            repr(document_problems),
        )
    return found


def timing(bodies: list[Body], repeat: int) -> None:
    markdown.parser()  # built once per process, not per file
    for label, chosen, stage in [
        ("protocols", [b for b in bodies if not is_plan(b[0])], markdown.protocol_body),
        ("plans", [b for b in bodies if is_plan(b[0])], markdown.document_body),
    ]:
        if not chosen:
            continue
        run: Callable[[str, str, int], object] = stage
        wall = cpu = float("inf")
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            for path, body, line in chosen:
                run(path, body, line)
            wall = min(wall, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - started_cpu)
        size = sum(len(b[1].encode()) for b in chosen) / len(chosen) / 1024
        print(
            f"{len(chosen):>6} {label:<10} {size:5.1f} KB each   "
            f"{wall / len(chosen) * 1000:7.3f} ms / file ({cpu / len(chosen) * 1000:.3f} ms CPU)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--record", type=Path, metavar="FILE")
    group.add_argument("--compare", type=Path, metavar="FILE")
    args = parser.parse_args()
    bodies = read_bodies(args.paths or default_paths())
    if args.record:
        args.record.write_bytes(pickle.dumps(results(bodies)))
        print(f"recorded {len(bodies)} files to {args.record}")
    elif args.compare:
        recorded: dict[str, tuple[str, ...]] = pickle.loads(args.compare.read_bytes())
        now = results(bodies)
        differing = sorted(p for p in recorded.keys() | now.keys() if recorded.get(p) != now.get(p))
        for path in differing:
            print(f"differs: {path}")
        if differing:
            sys.exit(f"{len(differing)} of {len(now)} files differ")
        print(f"identical for all {len(now)} files")
    else:
        timing(bodies, args.repeat)


if __name__ == "__main__":
    main()
