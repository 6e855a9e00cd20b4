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
from . import yamlerrors

Key = str | int
KeyPath = tuple[Key, ...]

# The largest content file we accept. A protocol with many tables is a few hundred KB.
MAX_FILE_BYTES = 5 * 1024 * 1024


def _restricted(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` without surprises for secretaries.

    Dates stay text (the schema checks them and the model parses them, so that "2023-02-30" is
    reported instead of crashing), floats stay text ("15.00"), and only true/false are booleans
    ("NO" is a party, not False). Only plain decimal numbers are numbers: YAML 1.1 reads
    ``8:30`` as 510 (base 60) and ``0701234567`` in base 8, so a time, a telephone number or
    anything with a leading zero stays the text it was written as. ``<<`` and ``=`` are words.
    """

    class Loader(base):  # type: ignore[valid-type,misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _SKIPPED_TAGS]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        _BOOL,
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    Loader.add_implicit_resolver(
        _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
    )
    return Loader


_BOOL, _INT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_SKIPPED_TAGS = {
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
    _BOOL,
    _INT,
}
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
    """Parse YAML into plain data plus the file line of every key and item. A problem is a
    Swedish message with its line and what to do (``yamlerrors``)."""
    try:
        loader, node = _compose(text)
    except yaml.reader.ReaderError as exc:
        return None, {}, [yamlerrors.control_character(path, exc, text, first_line)]
    except yaml.MarkedYAMLError as exc:
        return None, {}, [yamlerrors.explain(path, exc, text, first_line)]
    except yaml.YAMLError as exc:  # errors without a mark
        return None, {}, [yamlerrors.unreadable(path, exc, first_line)]
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
        data = _Converter(loader, lines, problems, path, text, first_line).convert(node, ())
    except yaml.MarkedYAMLError as exc:
        return None, {}, [yamlerrors.explain(path, exc, text, first_line)]
    except yaml.YAMLError as exc:
        return None, {}, [yamlerrors.unreadable(path, exc, first_line)]
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


@dataclass
class _Converter:
    """A node tree as plain data, noting the line of every key and item, and a problem for
    what YAML allows but front matter does not (a tag, a key written twice)."""

    loader: yaml.SafeLoader
    lines: dict[KeyPath, int]
    problems: list[Problem]
    path: str
    text: str
    first_line: int

    def convert(self, node: yaml.Node, at: KeyPath) -> Any:
        self.lines.setdefault(at, self.first_line + node.start_mark.line)
        tagged = not _untagged(self.loader, node)
        if tagged:  # reported, and read on as if untagged: one problem, not one more per use
            self.problems.append(yamlerrors.tag(self.path, node, self.text, self.first_line))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                if key is None:
                    continue
                if key in result:
                    first = self.lines[(*at, key)]
                    self.problems.append(
                        error(
                            self.path,
                            self.first_line + key_node.start_mark.line,
                            f"nyckeln '{key}' förekommer två gånger (första gången på rad "
                            f"{first}); ta bort den ena eller byt namn på den",
                            "yaml",
                        )
                    )
                    continue
                self.lines[(*at, key)] = self.first_line + key_node.start_mark.line
                result[key] = self.convert(value_node, (*at, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*at, index)) for index, item in enumerate(node.value)]
        if tagged or node.tag == _STRING:  # most values: the text as it is written
            return node.value
        return self.loader.construct_object(node, deep=True)

    def _key(self, node: yaml.Node) -> str | None:
        """A key as it is written ("2023", "true"), or None after noting why it is none."""
        line = self.first_line + node.start_mark.line
        if not _untagged(self.loader, node):
            self.problems.append(yamlerrors.tag(self.path, node, self.text, self.first_line))
            return None
        if not isinstance(node, yaml.ScalarNode):
            message = (
                "en nyckel kan inte vara en lista eller nycklar och värden; skriv nyckeln som ett "
                "ord följt av kolon"
            )
        elif not node.value:
            message = "raden saknar nyckel före kolonet; skriv nyckeln före kolonet"
        else:
            return str(node.value)
        self.problems.append(error(self.path, line, message, "yaml"))
        return None


def _untagged(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    """Whether ``node`` has the tag YAML gives it as written: a tag written out (``!Viktigt``,
    ``!!binary``, ``!!int abc``) is refused, so that no constructor meets a surprise."""
    if isinstance(node, yaml.MappingNode):
        return bool(node.tag == _MAPPING)
    if isinstance(node, yaml.SequenceNode):
        return bool(node.tag == _SEQUENCE)
    if node.tag == _STRING:  # also a written !!str: any text is text
        return True
    written = loader.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
    return bool(node.tag == written)


_STRING = "tag:yaml.org,2002:str"
_MAPPING = "tag:yaml.org,2002:map"
_SEQUENCE = "tag:yaml.org,2002:seq"


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
