"""Writes an imported protocol's front matter as YAML between its two '---' lines:
deterministic, keys in the given order, dates unquoted ISO, times and places quoted, and only
true and false read as booleans (as Justerat reads YAML: a vote's ``yes:`` and ``result: no``
are written as the format shows them, not quoted).

It only writes; ``justerat.frontmatter`` checks front matter against the schemas.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class Quoted(str):
    """A string written in double quotes ("15.00-16.15"), as docs/format.md shows them."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as in the sample content."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_Dumper.add_representer(Quoted, _quoted)
_BOOL = "tag:yaml.org,2002:bool"
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def dump(data: dict[str, Any]) -> str:
    """The front matter block, with its two '---' lines."""
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"---\n{text}---\n"
