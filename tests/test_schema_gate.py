"""The fast schema gate (fastjsonschema) answers exactly as jsonschema does.

``frontmatter.validate`` asks the gate first and runs jsonschema only when the gate says no,
so a gate that said yes to invalid front matter would hide problems. These tests hold the gate
to jsonschema's verdict on mutations of the shipped sample files.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from test_check import CASES, NAME

from justerat.domain.source import Source, parse_yaml, read_source
from justerat.reading import frontmatter

Meta = dict[str, Any]


EXAMPLE = ROOT / "examples" / "kommun"  # a kommun's content: meetings, notices, bodies' kinds


def _sources() -> list[tuple[str, Source]]:
    """The shipped samples of each kind; the first of a kind is the one
    ``test_every_location_with_every_interesting_value`` edits, so the fullest comes first."""
    found = []
    for kind, files in (
        (
            "protocol",
            [
                *sorted(ROOT.glob("content/protocols/**/*.md")),
                FIXTURES / "minimal.md",
                *sorted(EXAMPLE.glob("protocols/**/*.md")),
            ],
        ),
        ("plan", sorted(ROOT.glob("content/plans/*.md"))),
        (
            "meeting",
            [
                *sorted(EXAMPLE.glob("meetings/**/*.md")),
                *sorted(ROOT.glob("content/meetings/**/*.md")),
            ],
        ),
        ("notice", sorted(EXAMPLE.glob("notices/**/*.md"))),
        (
            "forfattning",
            [FIXTURES / "forfattning-full.md", *sorted(EXAMPLE.glob("forfattningar/*.md"))],
        ),
    ):
        assert files, kind
        for path in files:
            source, _ = read_source(path.as_posix(), path.read_bytes())
            assert source is not None, path
            found.append((kind, source))
    # no front matter: read as content.py reads it; the example's first (bodies with a kind and
    # members)
    for site in (EXAMPLE / "site.yaml", ROOT / "content" / "site.yaml"):
        meta, lines, _ = parse_yaml(site.as_posix(), site.read_text("utf-8"), 1)
        assert meta is not None
        found.append(("site", Source(site.as_posix(), meta, lines, "", 0)))
    return found


SOURCES = _sources()
GATES = frontmatter.Gates()  # compiled once for the whole module, as a build does
REFERENCE = {
    kind: Draft202012Validator(frontmatter.schema(kind), format_checker=FormatChecker())
    for kind in frontmatter.SCHEMAS
}


def jsonschema_says_valid(meta: Any, kind: str) -> bool:
    return not list(REFERENCE[kind].iter_errors(meta))


def _paths(value: Any, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


def _shape(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``path`` with every list index as 0: the paths of one schema location share it."""
    return tuple(0 if isinstance(key, int) else key for key in path)


def _at(meta: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        meta = meta[key]
    return meta


def _schema_keys(node: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(node, dict):
        for key, inner in node.items():
            if key == "properties" and isinstance(inner, dict):
                keys |= set(inner)
            keys |= _schema_keys(inner)
    elif isinstance(node, list):
        for inner in node:
            keys |= _schema_keys(inner)
    return keys


# Every value in the samples: transplanted elsewhere, they make many documents that are still
# valid (another date, another name) as well as wrong ones (a list where text belongs).
POOL = [_at(source.meta, path) for _, source in SOURCES for path in _paths(source.meta)]


def _by_key() -> dict[str | int, list[Any]]:
    """The values seen under each key: a likelier valid replacement for a value there."""
    found: dict[str | int, list[Any]] = {}
    for _, source in SOURCES:
        for path in _paths(source.meta)[1:]:
            found.setdefault(path[-1], []).append(_at(source.meta, path))
    return found


LIKE = _by_key()
KNOWN_KEYS = sorted(
    set().union(*(_schema_keys(frontmatter.schema(kind)) for kind in frontmatter.SCHEMAS))
)
KEYS = st.sampled_from([*KNOWN_KEYS, "justeraer", "partyy", "Name", "", "0"]) | st.text(max_size=8)
INTERESTING = [
    # dates: real, impossible, leap days, wrong shapes, with a final newline
    "2023-09-13",
    "2023-02-30",
    "2023-02-29",
    "2024-02-29",
    "1900-02-29",
    "2000-02-29",
    "2023-13-01",
    "2023-00-10",
    "2023-9-13",
    "20230913",
    "2023-09-13\n",
    "2023-09-13 ",
    "2023-09-13T10:00",
    "２０２３-09-13",
    # times, bodies, e-mail, address, personnummer
    "15.00-16.15",
    "15:00 – 16:15",
    "15.00-16.15\n",
    "kl 15",
    "styrelsen",
    "styrelsen\n",
    "Styrelsen",
    "styrelsen-",
    "kultur-och-fritidsnamnden",
    "kansli@example.se",
    "kansli@example.se\n",
    "a@b@c",
    "https://example.se/",
    "https://example.se",
    "https://example.se/\n",
    "19121212-1212",
    "121212-1212",
    # enum members, near misses and empty text
    "draft",
    "justerat",
    "published",
    "Draft",
    "kommun",
    "region",
    "justering-saknas",
    "nedtaget-sista-dagen",
    "",
    " ",
    "\n",
    "ab",
    "abc",
    "x" * 19,
    "x" * 20,
    "x" * 200,
    "x" * 201,
    "x" * 500,
    "x" * 501,
    "x" * 2001,
    # numbers at and beyond the limits, and things that look like numbers
    0,
    -1,
    1,
    1899,
    1900,
    2200,
    2201,
    100000,
    100001,
    2023.0,
    2023.5,
    1e300,
    float("inf"),
    float("nan"),
    True,
    False,
    None,
    "2023",
    date(2023, 9, 13),  # an explicit !!timestamp tag
    b"bytes",  # an explicit !!binary tag
    [],
    {},
    ["styrelsen"],
    {"name": "Bo"},
]
SCALARS = (
    st.sampled_from(INTERESTING)
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates()
    | st.dates().map(str)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
TEXT_EDITS: list[Callable[[str], str]] = [
    lambda s: "",
    lambda s: s + "\n",
    lambda s: " " + s,
    lambda s: s + "x",
    lambda s: s[:-1],
    lambda s: s[1:],
    lambda s: s * 40,
    lambda s: s.upper(),
    lambda s: s.replace("-", "–"),
    lambda s: s.replace("-", "/"),
    lambda s: s.replace("0", "3").replace("1", "9"),
    lambda s: s[:-2] + "30",  # a date's day: 30 February, 30 or 31 in a short month
    lambda s: s[:-2] + "31",
    lambda s: s[:5] + "02" + s[7:],  # a date's month
]
LENGTHS = [0, 1, 2, 20, 21, 100, 101, 200, 201, 500, 501, 1000, 1001]
EDITS = ["replace", "interesting", "like", "transplant", "delete", "add", "edit", "grow"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Source, Meta]:
    """A sample's front matter after a few random edits, some of which keep it valid."""
    kind, source = draw(st.sampled_from(SOURCES))
    meta: Meta = copy.deepcopy(dict(source.meta))
    for _ in range(draw(st.integers(0, 3))):
        path = _draw_path(draw, meta)
        value = _at(meta, path)
        how = draw(st.sampled_from(EDITS))
        if how == "add" and isinstance(value, dict):
            value[draw(KEYS)] = copy.deepcopy(draw(VALUES | st.sampled_from(POOL)))
            continue
        # drawn values may be shared with later examples
        new = copy.deepcopy(_draw_new(draw, how, value, path))
        if not path:
            if how == "replace":
                return kind, source, new  # not even a mapping
            continue
        parent = _at(meta, path[:-1])
        if how == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = new
    return kind, source, meta


def _draw_path(draw: st.DrawFn, meta: Meta) -> tuple[str | int, ...]:
    """A path in ``meta``: a schema location first, so that the many people do not crowd out
    the few dates, then one of its paths."""
    shapes: dict[tuple[str | int, ...], list[tuple[str | int, ...]]] = {}
    for each in _paths(meta):
        shapes.setdefault(_shape(each), []).append(each)
    return draw(st.sampled_from(shapes[draw(st.sampled_from(sorted(shapes, key=repr)))]))


def _draw_new(draw: st.DrawFn, how: str, value: Any, path: tuple[str | int, ...]) -> Any:
    """The value that edit ``how`` puts at ``path`` in place of ``value``."""
    if how == "edit" and isinstance(value, str):
        return draw(st.sampled_from(TEXT_EDITS))(value)
    if how == "edit" and isinstance(value, int) and not isinstance(value, bool):
        return value + draw(st.integers(-2, 2))
    if how == "grow" and isinstance(value, list):
        items = value or [draw(VALUES)]
        length = draw(st.sampled_from(LENGTHS))
        return [copy.deepcopy(items[i % len(items)]) for i in range(length)]
    if how == "like" and path and path[-1] in LIKE:
        return draw(st.sampled_from(LIKE[path[-1]]))
    if how == "interesting":
        return draw(st.sampled_from(INTERESTING))
    if how == "transplant":
        return draw(st.sampled_from(POOL))
    return draw(VALUES)


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_the_gate_answers_as_jsonschema_does(case: tuple[str, Source, Meta]) -> None:
    kind, source, meta = case
    before = repr(meta)
    expected = jsonschema_says_valid(meta, kind)
    event(f"{kind}: {'valid' if expected else 'invalid'}")
    assert frontmatter.is_valid(meta, kind, GATES) == expected
    assert repr(meta) == before  # the gate only reads
    edited = Source(source.path, meta, source.lines, source.body, source.body_line)
    assert frontmatter.validate(edited, kind, GATES) == frontmatter._explained(edited, kind)


DELETED = object()


@pytest.mark.parametrize("kind", frontmatter.SCHEMAS)
def test_every_location_with_every_interesting_value(kind: str) -> None:
    """Systematically: one path per schema location, each value and edit put there in turn."""
    sample = next(source.meta for k, source in SOURCES if k == kind)
    locations: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
    for path in _paths(sample):
        locations.setdefault(_shape(path), path)
    tried = 0
    for path in locations.values():
        if not path:
            continue
        value = _at(sample, path)
        edits = [edit(value) for edit in TEXT_EDITS] if isinstance(value, str) else []
        for new in [*INTERESTING, *edits, DELETED]:
            meta = copy.deepcopy(dict(sample))
            if new is DELETED:
                del _at(meta, path[:-1])[path[-1]]
            else:
                _at(meta, path[:-1])[path[-1]] = copy.deepcopy(new)
            assert frontmatter.is_valid(meta, kind, GATES) == jsonschema_says_valid(meta, kind), (
                path,
                new,
            )
            tried += 1
    assert tried > 20 * len(locations)


def test_the_samples_are_valid() -> None:
    for kind, source in SOURCES:
        assert frontmatter.is_valid(source.meta, kind, GATES), source.path
        assert jsonschema_says_valid(source.meta, kind), source.path


def _protocol() -> Meta:
    return copy.deepcopy(dict(next(s.meta for k, s in SOURCES if k == "protocol")))


def _plan() -> Meta:
    return copy.deepcopy(dict(next(s.meta for k, s in SOURCES if k == "plan")))


def _set(meta: Meta, path: tuple[str | int, ...], value: Any) -> Meta:
    _at(meta, path[:-1])[path[-1]] = value
    return meta


# Where draft 07 and draft 2020-12, or fastjsonschema and jsonschema, could part ways.
EDGE_CASES = [
    ("protocol", ("attendees", "voting"), [], False),  # minItems beside a $ref
    ("protocol", ("date",), "2023-02-30", False),  # the format, not only the pattern
    ("protocol", ("date",), "2024-02-29", True),
    ("protocol", ("date",), "2023-02-29", False),
    ("protocol", ("date",), "2023-09-13\n", False),
    ("protocol", ("organ",), "styrelsen\n", True),  # "$" before a final newline
    ("protocol", ("time",), "15.00-16.15\n", True),
    ("protocol", ("time",), "15.00-16.15\n\n", False),
    ("protocol", ("status",), True, False),
    ("protocol", ("digital",), 1, False),
    ("protocol", ("digital",), True, True),
    ("protocol", ("kept_at",), None, True),
    ("protocol", ("justerare",), ["Bo"] * 600, True),
    ("protocol", ("attendees", "voting"), [{"name": "Bo"}] * 500, True),
    ("protocol", ("attendees", "voting"), [{"name": "Bo"}] * 501, False),
    ("protocol", ("date",), date(2023, 9, 13), False),
    ("plan", ("year",), 2023.0, True),  # an integer, in 2020-12
    ("plan", ("year",), 2023.5, False),
    ("plan", ("year",), True, False),
    ("plan", ("year",), 2201, False),
    ("plan", ("adopted",), "2019-02-29", False),
]


@pytest.mark.parametrize(("kind", "path", "value", "valid"), EDGE_CASES)
def test_edge_cases(kind: str, path: tuple[str, ...], value: Any, valid: bool) -> None:
    meta = _set(_protocol() if kind == "protocol" else _plan(), path, value)
    assert jsonschema_says_valid(meta, kind) is valid
    assert frontmatter.is_valid(meta, kind, GATES) is valid


SEAL_KEYS = {
    "pkcs12": "../sigill.p12",
    "pkcs11": {"module": "/usr/lib/softhsm/libsofthsm2.so", "token": "Sigill", "key": "sigill"},
}


@pytest.mark.parametrize(
    ("keys", "valid"),
    [
        (("pkcs12",), True),
        (("pkcs11",), True),
        (("pkcs12", "pkcs11"), False),  # oneOf: exactly one of the two
        ((), False),
    ],
)
def test_the_seal_has_exactly_one_key_store(keys: tuple[str, ...], valid: bool) -> None:
    meta, _, _ = parse_yaml("site.yaml", (ROOT / "content" / "site.yaml").read_text("utf-8"), 1)
    assert isinstance(meta, dict)
    meta["seal"] = {"password_env": "SIGILL", **{key: SEAL_KEYS[key] for key in keys}}
    assert jsonschema_says_valid(meta, "site") is valid
    assert frontmatter.is_valid(meta, "site", GATES) is valid
    if not valid:
        source = Source("content/site.yaml", meta, {}, "", 0, "")
        messages = [p.message for p in frontmatter.validate(source, "site", GATES)]
        assert messages == ["'seal' ska ha precis en av 'pkcs12' och 'pkcs11'"]


def test_the_bad_input_suite_gets_the_same_problems(tmp_path: Path) -> None:
    """Each case of test_check.py that reaches the schema gets exactly jsonschema's problems."""
    checked = 0
    for case in CASES:
        content = tmp_path / case.id / "content"
        (content / "protocols" / "styrelsen").mkdir(parents=True)
        case.edit(content)
        shown = content.as_posix() + "/" + NAME
        source, _ = read_source(shown, (content / NAME).read_bytes())
        if source is None:
            continue  # stopped before the schema
        problems = frontmatter.validate(source, "protocol", GATES)
        assert problems == frontmatter._explained(source, "protocol"), case.id
        if case.expected.endswith("[schema]"):
            expected = f"{shown}:{case.expected}".format(content=content.as_posix())
            assert expected in [str(p) for p in problems], case.id
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    "rules",
    [
        {"unevaluatedProperties": False},  # not in draft 07
        {"prefixItems": [{"type": "string"}]},
        {"items": [{"type": "string"}]},  # a tuple in draft 07
        {"dependentRequired": {"a": ["b"]}},
        {"type": "number"},
        {"enum": [1, 2]},
        {"const": "x"},
        {"format": "email"},
        {"$ref": "other.json"},
        {"pattern": "^a$|^b$"},
        {"pattern": "^[$]"},
        {"properties": {"a": {"$dynamicRef": "#x"}}},
        {"oneOf": [{"format": "email"}]},
        {"oneOf": {"required": ["a"]}},
    ],
)
def test_the_gate_refuses_what_it_cannot_translate(rules: Meta) -> None:
    with pytest.raises(ValueError, match="fast gate"):
        frontmatter._for_gate(rules, "#")


def test_a_gate_kept_by_an_earlier_build_answers_as_one_compiled_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compiled gates are kept in the cache (``Gates.compiled``) and given to the next
    build's ``Gates``: the gate it runs is the one compiled before, and it answers as
    jsonschema does."""
    kept = frontmatter.Gates().compiled()
    assert set(kept) and all(isinstance(code, bytes) for code in kept.values())

    def no_compiler(*_: object, **__: object) -> str:
        raise AssertionError("a gate kept by an earlier build was compiled again")

    monkeypatch.setattr(fastjsonschema, "compile_to_code", no_compiler)
    gates = frontmatter.Gates(kept)
    good = _protocol()
    bad = _protocol()
    bad["date"] = "2023-02-30"
    for meta in (good, bad):
        assert frontmatter.is_valid(meta, "protocol", gates) == jsonschema_says_valid(
            meta, "protocol"
        )
    assert not frontmatter.is_valid(bad, "protocol", gates)
