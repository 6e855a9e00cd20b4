"""Writes an imported protocol's front matter as YAML between its two '---' lines:
deterministic, keys in the given order, dates unquoted ISO, times and places quoted.

It only writes; ``justerat.frontmatter`` checks front matter against the schemas.
"""

from __future__ import annotations

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
