"""Validating front matter against the published JSON Schemas.

The schemas in ``justerat/schema/`` are the one definition of every field: editors use them,
and so does ``check``. This module turns the validator's findings into Swedish messages that
name the file and line, and suggests the nearest known key for a misspelt one.

Nearly every file is valid, so a fast gate answers first: fastjsonschema compiles each schema
to plain Python once and says yes or no. Only on a no does jsonschema run, to find and describe
every problem; its findings, and so every message, are the same as without the gate.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import sys
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from ..core.problems import Problem, error, nearest
from ..domain.source import KeyPath, Source

SCHEMAS = ("protocol", "plan", "site", "meeting", "notice", "forfattning")


def schema_text(kind: str) -> str:
    """The published JSON Schema of ``kind`` (protocol, plan, site, meeting, notice)."""
    return resources.files("justerat").joinpath(f"schema/{kind}.schema.json").read_text("utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


@cache
def _validator(kind: str) -> Draft202012Validator:
    """jsonschema's validator, which explains what is wrong (imported only then: most builds
    find nothing wrong, and start faster without it)."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(kind), format_checker=FormatChecker())


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: Any) -> bool:
    """The "date" format as jsonschema's FormatChecker has it: a real calendar date in ISO
    form (2023-02-30 is not); anything but text is not its business."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_valid(meta: Any, kind: str, gates: Gates) -> bool:
    """Whether ``meta``, as read from YAML, is valid against ``kind``'s schema.

    Fast, and always jsonschema's answer (tests/test_schema_gate.py holds it to that).
    """
    try:
        gates.gate(kind)(meta)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def validate(source: Source, kind: str, gates: Gates) -> list[Problem]:
    """Every schema problem in ``source``'s front matter, each with its line."""
    if is_valid(source.meta, kind, gates):
        return []
    return _explained(source, kind)


def _explained(source: Source, kind: str) -> list[Problem]:
    """What jsonschema finds wrong in ``source``'s front matter, as messages (the slow path)."""
    found = list(_validator(kind).iter_errors(source.meta))
    # A date of the wrong shape fails both its pattern and its format: report it once.
    misshapen = {tuple(e.absolute_path) for e in found if e.validator == "pattern"}
    problems = []
    for each in found:
        if each.validator == "format" and tuple(each.absolute_path) in misshapen:
            continue
        problems.extend(_describe(source, each))
    return problems


# The gate. fastjsonschema officially knows drafts 04 to 07, so it gets a draft-07 copy of each
# schema that accepts exactly what the 2020-12 original accepts. Only keywords known to mean
# the same in both, for the data YAML gives (dicts, lists, text, numbers, booleans, null), may
# appear; anything else stops the gate from being built rather than let it answer wrongly.
_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_ANNOTATIONS = frozenset({"title", "description", "$comment"})
_PLAIN = frozenset(
    {
        "required",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "minimum",
        "maximum",
    }
)
_SCHEMA_MAPS = frozenset({"properties", "$defs"})  # name -> schema
_SCHEMA_VALUES = frozenset({"items", "additionalProperties", "propertyNames"})  # one schema
_SCHEMA_LISTS = frozenset({"oneOf", "anyOf"})  # a list of schemas
_FORMATS_KNOWN = frozenset({"date"})
# Not "number": the two libraries count different Python types as numbers. (fastjsonschema
# also takes a tuple for an array, jsonschema does not; YAML gives lists, never tuples.)
_TYPES = frozenset({"string", "integer", "boolean", "object", "array", "null"})


class Gates:
    """The fast gate of each kind, compiled from its schema when first asked for, or given as
    compiled code (``known``, by the key of its schema and compiler) by an earlier build: the
    compiling costs a rebuild more than validating its files."""

    def __init__(self, known: Mapping[str, bytes] | None = None) -> None:
        self._code: dict[str, bytes] = dict(known or {})
        self._gates: dict[str, Callable[..., Any]] = {}

    def gate(self, kind: str) -> Callable[..., Any]:
        found = self._gates.get(kind)
        if found is None:
            namespace: dict[str, Any] = {}
            # the module fastjsonschema wrote for the schema
            exec(marshal.loads(self._compiled(kind)), namespace)
            found = self._gates[kind] = partial(namespace["validate"], custom_formats=_formats())
        return found

    def _compiled(self, kind: str) -> bytes:
        gate = gate_schema(kind)
        key = hashlib.sha256(
            f"{json.dumps(gate, sort_keys=True)}\0{fastjsonschema.VERSION}\0{sys.version}".encode()
        ).hexdigest()
        code = self._code.get(key)
        if code is None:
            source = fastjsonschema.compile_to_code(
                gate,
                formats=_formats(),
                use_default=False,  # never add defaults to the front matter
                detailed_exceptions=False,  # a no is all the gate gives; jsonschema explains it
            )
            code = self._code[key] = marshal.dumps(compile(source, f"<gate of {kind}>", "exec"))
        return code

    def compiled(self) -> dict[str, bytes]:
        """Every kind's gate as compiled code, for a cache to keep and give back."""
        for kind in SCHEMAS:
            self._compiled(kind)
        return dict(self._code)


def _formats() -> dict[str, Callable[[Any], bool]]:
    """The formats the gate checks itself, by name."""
    return {name: _format(name) for name in _FORMATS_KNOWN}


def _format(name: str) -> Callable[[Any], bool]:
    assert name == "date", name
    return _is_date


def gate_schema(kind: str) -> dict[str, Any]:
    """The draft-07 copy of ``kind``'s schema that the fast gate is compiled from."""
    root = dict(schema(kind))
    if root.pop("$schema", None) != _DRAFT_2020_12:
        raise ValueError(f"{kind}: the fast gate knows only draft 2020-12 schemas")
    # Every $ref is local ("#/$defs/..."): without the $id they resolve in this copy.
    root.pop("$id", None)
    translated = _for_gate(root, "#")
    assert isinstance(translated, dict)
    return {"$schema": _DRAFT_07, **translated}


def _for_gate(node: Any, at: str) -> Any:
    """Subschema ``node`` (at JSON pointer ``at``) in draft 07, accepting the same data."""
    if isinstance(node, bool):
        return node
    if not isinstance(node, dict):
        raise ValueError(f"{at}: the fast gate expects a schema here")
    out = {
        key: _keyword(key, value, f"{at}/{key}")
        for key, value in node.items()
        if key not in _ANNOTATIONS
    }
    if "$ref" in out and len(out) > 1:
        # Draft 07 ignores whatever stands beside a $ref (minItems beside "#/$defs/people");
        # 2020-12 applies it as well.
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


def _keyword(key: str, value: Any, where: str) -> Any:
    """The value of keyword ``key`` (at ``where``) in the gate's copy."""
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: _for_gate(sub, f"{where}/{name}") for name, sub in value.items()}
    if key in _SCHEMA_VALUES:
        return _for_gate(value, where)  # a list under "items" is refused here
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [_for_gate(sub, f"{where}/{n}") for n, sub in enumerate(value)]
    if key == "pattern" and isinstance(value, str):
        return _search_alike(value, where)
    if _same_in_both(key, value):
        return value
    raise ValueError(f"{where}: the fast gate does not know this keyword or value")


def _same_in_both(key: str, value: Any) -> bool:
    """Whether keyword ``key`` with ``value`` means the same to both validators as it stands."""
    if key == "type":
        return set(value if isinstance(value, list) else [value]) <= _TYPES
    if key == "enum":
        # Only text: fastjsonschema compares other values with ==, so True would equal 1.
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if key == "format":
        return value in _FORMATS_KNOWN
    if key == "$ref":
        return isinstance(value, str) and value.startswith("#/$defs/")
    return key in _PLAIN


def _search_alike(pattern: str, at: str) -> str:
    r"""``pattern`` spelt so that fastjsonschema matches it as jsonschema's ``re.search`` does.

    fastjsonschema turns every unescaped "$" into "\Z", the very end of the text, while Python's
    "$" also matches just before a final newline ("styrelsen\n"): a final "$" becomes a
    lookahead that says exactly that. A "$" anywhere else is refused.
    """
    body = pattern.removesuffix("$")
    if "$" in body or body.endswith("\\"):
        raise ValueError(f"{at}: the fast gate cannot keep the meaning of '$' in {pattern!r}")
    return body + r"(?=\n?\Z)" if body != pattern else pattern


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
    if kind == "oneOf":
        return [error(source.path, line, _one_of(where, found), "schema")]
    if kind == "anyOf":
        return [error(source.path, line, _any_of(where, found), "schema")]
    if kind == "type":
        return [error(source.path, line, _wrong_type(where, at, value, found), "schema")]
    expected: Any = found.validator_value
    messages = {
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


def _wrong_type(where: str, at: KeyPath, value: Any, found: ValidationError) -> str:
    """A value of the wrong type. A time YAML read as a number (``time: 830``) or that is empty
    gets the fix; an empty value is called empty, not None."""
    expected = _type_name(found.validator_value)
    if at and at[-1] == "time" and (value is None or isinstance(value, int)):
        rules = found.schema if isinstance(found.schema, Mapping) else {}
        pattern = rules.get("pattern")
        example = "08.30" if not pattern or re.search(pattern, "08.30") else "08.30-09.15"
        what = " är tomt" if value is None else f": {_shown(value)} läses som ett tal, inte en tid"
        return f"'{where}'{what}; skriv tiden inom citattecken: \"{example}\""
    if value is None:
        return f"'{where}' är tomt men ska vara {expected}; skriv ett värde efter kolonet"
    return f"'{where}' har fel typ: {_shown(value)} ska vara {expected}"


def _one_of(where: str, found: ValidationError) -> str:
    """'seal' with both or neither of the keys its alternatives each require."""
    choices: Any = found.validator_value
    names = [f"'{name}'" for each in choices for name in each.get("required", ())]
    return f"'{where}' ska ha precis en av {' och '.join(names)}"


def _any_of(where: str, found: ValidationError) -> str:
    """'attendees' with none of the keys its alternatives each require (the beslutande listed
    under 'voting', or referred to by 'note')."""
    choices: Any = found.validator_value
    names = [f"'{name}'" for each in choices for name in each.get("required", ())]
    if where == "attendees":
        return (
            "'attendees' saknar de beslutande: räkna upp dem under 'voting', eller skriv var de "
            "står under 'note' (till exempel note: \"Se närvarolista, bilaga 1\")"
        )
    return f"'{where}' ska ha minst en av {' och '.join(names)}"


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
    if isinstance(value, bool):  # as it is written in YAML, not Python's True
        return "true" if value else "false"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _example(at: KeyPath) -> str:
    last = at[-1] if at else ""
    examples = {
        "time": ' (skriv till exempel "15.00-16.15")',
        "organ": " (små bokstäver, siffror och bindestreck, till exempel 'styrelsen')",
        "id": " (små bokstäver, siffror och bindestreck, till exempel 'anders-andersson-m')",
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
