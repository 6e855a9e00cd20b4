"""Validating front matter against the published JSON Schemas.

The schemas in ``justerat/schema/`` are the one definition of every field: editors use them,
and so does ``check``. This module turns the validator's findings into Swedish messages that
name the file and line, and suggests the nearest known key for a misspelt one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .problems import Problem, error, nearest
from .source import KeyPath, Source

SCHEMAS = ("protocol", "plan", "site")


def schema_text(kind: str) -> str:
    """The published JSON Schema of ``kind`` (protocol, plan or site), as shipped."""
    return resources.files("justerat").joinpath(f"schema/{kind}.schema.json").read_text("utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=FormatChecker())


def validate(source: Source, kind: str) -> list[Problem]:
    """Every schema problem in ``source``'s front matter, each with its line."""
    found = list(_validator(kind).iter_errors(source.meta))
    # A date of the wrong shape fails both its pattern and its format: report it once.
    misshapen = {tuple(e.absolute_path) for e in found if e.validator == "pattern"}
    problems = []
    for each in found:
        if each.validator == "format" and tuple(each.absolute_path) in misshapen:
            continue
        problems.extend(_describe(source, each))
    return problems


def _describe(source: Source, found: ValidationError) -> list[Problem]:
    at: KeyPath = tuple(found.absolute_path)
    where = _field_name(at)
    line = source.line_of(*at)
    value = found.instance
    kind = found.validator
    if kind == "additionalProperties" and isinstance(value, Mapping):
        rules = found.schema if isinstance(found.schema, Mapping) else {}
        allowed = rules.get("properties", {})
        problems = []
        for key in sorted(set(value) - set(allowed)):
            hint = nearest(key, allowed)
            message = f"okänd nyckel '{_field_name((*at, key))}'"
            message += f"; menade du '{hint}'?" if hint else f"; tillåtna: {', '.join(allowed)}"
            problems.append(error(source.path, source.line_of(*at, key), message, "schema"))
        return problems
    if kind == "required":
        missing = found.message.split("'")[1] if "'" in found.message else found.message
        name = _field_name((*at, missing))
        return [error(source.path, line, f"obligatoriskt fält '{name}' saknas", "schema")]
    expected: Any = found.validator_value
    messages = {
        "type": f"'{where}' har fel typ: {_shown(value)} ska vara {_type_name(expected)}",
        "format": f"'{where}': {_shown(value)} är inget riktigt datum",
        "pattern": f"'{where}': {_shown(value)} har fel form{_example(at)}",
        "enum": f"'{where}': {_shown(value)} är inte tillåtet; välj en av "
        + (", ".join(str(v) for v in expected) if kind == "enum" else ""),
        "minLength": f"'{where}' får inte vara tomt",
        "maxLength": f"'{where}' är för långt (högst {found.validator_value} tecken)",
        "minItems": f"'{where}' måste ha minst {found.validator_value} post",
        "maxItems": f"'{where}' har för många poster (högst {found.validator_value})",
        "minimum": f"'{where}': {_shown(value)} är för litet (minst {found.validator_value})",
        "maximum": f"'{where}': {_shown(value)} är för stort (högst {found.validator_value})",
        "minProperties": f"'{where}' måste ha minst {found.validator_value} post",
    }
    message = messages.get(str(kind), f"'{where}': {found.message}")
    return [error(source.path, line, message, "schema")]


_TYPE_NAMES = {
    "string": "text",
    "integer": "ett heltal",
    "boolean": "true eller false",
    "object": "nycklar och värden",
    "array": "en lista",
    "null": "tomt",
}


def _type_name(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " eller ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _example(at: KeyPath) -> str:
    last = at[-1] if at else ""
    examples = {
        "time": ' (skriv till exempel "15.00-16.15")',
        "organ": " (små bokstäver, siffror och bindestreck, till exempel 'styrelsen')",
    }
    if last in examples:
        return examples[str(last)]
    if last in {"date", "posted", "taken_down", "adopted"}:
        return " (skriv datum som ÅÅÅÅ-MM-DD, till exempel 2023-09-13)"
    return ""


def _field_name(at: KeyPath) -> str:
    parts: list[str] = []
    for key in at:
        if isinstance(key, int):
            parts.append(f"[{key + 1}]")
        else:
            parts.append(("." if parts else "") + key)
    return "".join(parts) or "front matter"
