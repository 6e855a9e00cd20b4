"""The house in floors: every module of the package lives on a floor, and imports only from its
own floor or below. Read from the code itself (every import statement, those inside functions
and under ``TYPE_CHECKING`` included), and held against the README's module table."""

from __future__ import annotations

import ast
import graphlib
import re
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "justerat"

# Lowest first. A module may import from its own floor and the floors below it, never above.
# The package's own __init__ (the version) is the ground, __main__ the roof.
FLOORS = {
    "justerat": 0,
    "justerat.core": 1,
    "justerat.domain": 2,
    "justerat.reading": 3,
    "justerat.legal": 4,
    "justerat.loading": 5,
    "justerat.web": 6,
    "justerat.pdfs": 7,
    "justerat.publishing": 8,
    "justerat.build": 9,
    "justerat.delivery": 10,  # delivery to the e-arkiv: a build's PDFs, packaged
    "justerat.importer": 11,  # the importer's wing: only the application calls it
    "justerat.app": 12,
    "justerat.__main__": 13,
}
LARGEST = 600  # lines a module may have


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def floor_of(module: str) -> int:
    """The floor of the longest package in FLOORS that holds ``module``."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        floor = FLOORS.get(".".join(parts[:end]))
        if floor is not None:
            return floor
    raise AssertionError(f"{module} is on no floor: add its package to FLOORS and the README")


def imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[int, str]]:
    """(line, module of the package) for every import in ``path``, wherever it stands."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            targets = [f"{target}.{alias.name}" for alias in node.names] + [target]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != module:
                yield node.lineno, target


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: {t for _, t in imports(m, p, known)} for m, p in known.items()}


def test_every_module_is_on_a_floor() -> None:
    for module in modules():
        floor_of(module)


def test_no_import_goes_up_a_floor() -> None:
    known = modules()
    upward = [
        f"{path.relative_to(ROOT)}:{line}: {module} (floor {floor_of(module)}) imports "
        f"{target} (floor {floor_of(target)})"
        for module, path in known.items()
        for line, target in imports(module, path, known)
        if floor_of(target) > floor_of(module)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    """Every import, in order: the standard library's topological sort finds any circle."""
    try:
        graphlib.TopologicalSorter(graph()).prepare()
    except graphlib.CycleError as circle:
        raise AssertionError(f"import circle: {' → '.join(circle.args[1])}") from None


def test_the_checker_sees_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The checks above can fail: an import from floor 1 to floor 9, inside a function, is
    found and placed on its floors."""
    path = tmp_path / "cache.py"
    path.write_text("def f():\n    from ..build import pipeline\n", "utf-8")
    known = {"justerat.core.cache": path, "justerat.build.pipeline": path}
    found = list(imports("justerat.core.cache", path, known))
    assert found == [(2, "justerat.build.pipeline")]
    assert floor_of("justerat.build.pipeline") > floor_of("justerat.core.cache")


def test_no_module_is_over_the_limit() -> None:
    large = {
        str(path.relative_to(ROOT)): lines
        for path in modules().values()
        if (lines := len(path.read_text("utf-8").splitlines())) > LARGEST
    }
    assert large == {}


def test_the_readme_lists_every_module_on_its_floor() -> None:
    """The README's module table names each module once, with its floor, as the code has it."""
    readme = (ROOT / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d+) \| `(justerat/[\w/]+\.py)` \|", readme, re.M)
    listed = {path: int(floor) for floor, path in rows}
    actual = {
        str(path.relative_to(ROOT)): floor_of(module)
        for module, path in modules().items()
        if path.name != "__init__.py" or module == "justerat"
    }
    assert listed == actual


if __name__ == "__main__":  # `python tests/test_floors.py`: the floors, as the README shows them
    names = {floor: package for package, floor in FLOORS.items()}
    sizes: dict[int, list[tuple[int, str]]] = {}
    below: dict[int, set[int]] = {}
    for module, targets in graph().items():
        below.setdefault(floor_of(module), set()).update(floor_of(t) for t in targets)
    for module, path in modules().items():
        lines = len(path.read_text("utf-8").splitlines())
        sizes.setdefault(floor_of(module), []).append((lines, str(path.relative_to(PACKAGE))))
    print("| floor | package | modules | lines | largest module | imports from floors |")
    print("|---|---|---|---|---|---|")
    for floor, found in sorted(sizes.items()):
        lines, largest = max(found)
        total = sum(n for n, _ in found)
        used = ", ".join(str(f) for f in sorted(below.get(floor, set()))) or "–"
        print(
            f"| {floor} | `{names[floor]}` | {len(found)} | {total} | `{largest}` ({lines}) "
            f"| {used} |"
        )
