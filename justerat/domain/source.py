"""Reading content files: bytes → text → front matter (with line numbers) and body.

This stage knows nothing of protocols or plans. It turns a file into a ``Source``: the
front matter as plain data, a map from each value's path to its line in the file, and the
Markdown body with the line it starts on. Anything that cannot be read becomes a Problem.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.problems import Problem, error

Key = str | int
KeyPath = tuple[Key, ...]

# The largest content file we accept. A protocol with many tables is a few hundred KB.
MAX_FILE_BYTES = 5 * 1024 * 1024


def _restricted(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` without surprises for secretaries.

    Dates stay text (the schema checks them and the model parses them, so that "2023-02-30" is
    reported instead of crashing), floats stay text ("15.00"), and only true/false are booleans
    ("NO" is a party, not False).
    """

    class Loader(base):  # type: ignore[valid-type,misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _SKIPPED_TAGS]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader


_SKIPPED_TAGS = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
# libyaml reads fast; the pure-Python reader, used only to describe a problem, words its
# messages best (and is the only one where libyaml is missing).
_Explaining = _restricted(yaml.SafeLoader)
_Loader = _restricted(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True)
class Source:
    """A content file split into front matter and body, with line numbers."""

    path: str
    meta: Mapping[str, Any]
    lines: Mapping[KeyPath, int] = field(repr=False)
    body: str = field(repr=False)
    body_line: int = 1  # the file line on which the body starts
    digest: str = ""  # sha256 of the file's bytes: what anything made from it was made from

    def line_of(self, *keys: Key) -> int:
        """The line of the value at ``keys``, or of its nearest known parent."""
        path: KeyPath = tuple(keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, or a problem naming the line of the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            error(path, 0, f"filen är {len(data)} byte, större än gränsen {MAX_FILE_BYTES} byte")
        ]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [error(path, line, "filen är binär (innehåller NUL-tecken), inte text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                path,
                line,
                f"filen är inte UTF-8 (byte 0x{data[exc.start]:02x}); spara den som UTF-8",
            )
        ]
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), []


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def split_front_matter(path: str, text: str) -> tuple[str, int, str, int, list[Problem]]:
    """(front matter, its first line, body, its first line, problems)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return (
            "",
            1,
            text,
            1,
            [error(path, 1, "filen saknar front matter: börja filen med en rad '---'")],
        )
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, 2, body, index + 2, []
    return (
        "",
        1,
        "",
        len(lines),
        [error(path, 1, "front matter avslutas aldrig: lägg till en rad '---' efter den")],
    )


def parse_yaml(
    path: str, text: str, first_line: int
) -> tuple[dict[str, Any] | None, dict[KeyPath, int], list[Problem]]:
    """Parse YAML into plain data plus the file line of every key and item."""
    try:
        loader, node = _compose(text)
    except yaml.reader.ReaderError as exc:
        line = first_line + text[: exc.position].count("\n")
        return (
            None,
            {},
            [
                error(
                    path,
                    line,
                    f"otillåtet tecken {exc.character!r} (ett styrtecken); ta bort det",
                    "yaml",
                )
            ],
        )
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_yaml_problem(path, exc, first_line)]
    except yaml.YAMLError as exc:  # errors without a mark
        return None, {}, [error(path, first_line, f"YAML kan inte läsas: {exc}", "yaml")]
    lines: dict[KeyPath, int] = {(): max(first_line - 1, 1)}
    problems: list[Problem] = []
    if node is None:
        return {}, lines, problems
    aliases = _first_alias(node, set())
    if aliases is not None:
        loader.dispose()
        return (
            None,
            {},
            [
                error(
                    path,
                    first_line + aliases.start_mark.line,
                    "YAML-ankare och alias (& och *) används inte i front matter; skriv ut värdet",
                    "yaml",
                )
            ],
        )
    try:
        data = _convert(loader, node, (), lines, problems, path, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        return None, {}, [error(path, line, f"YAML kan inte läsas: {exc}", "yaml")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return (
            None,
            lines,
            [error(path, first_line, "front matter måste vara nycklar och värden (key: value)")],
        )
    return data, lines, problems


def _compose(text: str) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """The node tree of ``text``; a problem is raised by the pure-Python reader, whose
    messages are the clearest."""
    try:
        loader = _Loader(text)
        return loader, loader.get_single_node()
    except yaml.YAMLError:
        pass
    loader = _Explaining(text)
    return loader, loader.get_single_node()


def _first_alias(node: yaml.Node, seen: set[int]) -> yaml.Node | None:
    """The first node that appears twice (an alias): expanding aliases can blow up."""
    if id(node) in seen:
        return node
    seen.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            children += [key, value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        found = _first_alias(child, seen)
        if found is not None:
            return found
    return None


def _yaml_problem(path: str, exc: yaml.MarkedYAMLError, first_line: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "ogiltig YAML"
    if exc.context and exc.context_mark and "end of stream" in what:
        # An unclosed quote or bracket is found at the end; its start is where to look.
        mark = exc.context_mark
        what = f"{exc.context} som aldrig avslutas ({what})"
    line = first_line + mark.line if mark else first_line
    return error(path, line, f"YAML kan inte läsas: {what}", "yaml")


def _convert(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    at: KeyPath,
    lines: dict[KeyPath, int],
    problems: list[Problem],
    path: str,
    first_line: int,
) -> Any:
    line = first_line + node.start_mark.line
    lines.setdefault(at, line)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = first_line + key_node.start_mark.line
            if not isinstance(key, str | int) or isinstance(key, bool):
                problems.append(error(path, key_line, f"ogiltig nyckel {key!r}", "yaml"))
                continue
            key = str(key)
            if key in result:
                problems.append(
                    error(path, key_line, f"nyckeln '{key}' förekommer två gånger", "yaml")
                )
                continue
            lines[(*at, key)] = key_line
            result[key] = _convert(
                loader, value_node, (*at, key), lines, problems, path, first_line
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*at, index), lines, problems, path, first_line)
            for index, item in enumerate(node.value)
        ]
    if node.tag == _STRING:  # most values: the constructor would return the text as it is
        return node.value
    return loader.construct_object(node, deep=True)


_STRING = "tag:yaml.org,2002:str"


def read_source(path: str, data: bytes) -> tuple[Source | None, list[Problem]]:
    """The whole reading stage for one file."""
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    front, front_line, body, body_line, problems = split_front_matter(path, text)
    if problems:
        return None, problems
    meta, lines, problems = parse_yaml(path, front, front_line)
    if meta is None:
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    return Source(path, meta, lines, body, body_line, digest), problems


def read_file(file: Path) -> tuple[Source | None, list[Problem]]:
    """Read ``file``; problems name it as the user gave it (``content/...``)."""
    shown = file.as_posix()
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, [error(shown, 0, f"filen kan inte läsas: {exc.strerror}")]
    return read_source(shown, data)
