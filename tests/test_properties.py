"""Property-based tests: the front-matter reader and the date rules never crash, and answer
only with clear problems, on arbitrary input."""

from __future__ import annotations

from datetime import date, timedelta

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from justerat.domain.source import read_source
from justerat.legal import law
from justerat.reading import frontmatter

GATES = frontmatter.Gates()  # the schemas' fast gates, compiled once, as a build does
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_reader_never_crashes_on_bytes(data: bytes) -> None:
    source, problems = read_source("x.md", data)
    # a file that cannot be read says why, as an error
    assert source is not None or any(p.severity.value == "error" for p in problems)
    for problem in problems:
        assert problem.path == "x.md" and problem.line >= 0 and problem.message
        assert str(problem).startswith("x.md")


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_reader_never_crashes_on_front_matter_text(front: str, body: str) -> None:
    source, problems = read_source("x.md", f"---\n{front}\n---\n{body}".encode())
    if source is None:
        assert problems and all(p.line >= 1 for p in problems)
    else:
        for problem in frontmatter.validate(source, "protocol", GATES):
            assert problem.message and problem.line >= 1


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    [
        "organ",
        "status",
        "date",
        "time",
        "place",
        "attendees",
        "secretary",
        "chair",
        "justerare",
        "justering",
        "anslag",
        "acknowledged",
        "immediate",
        "not_for_web",
        "withdrawn",
        "digital",
    ]
) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=12))
def test_schema_messages_for_any_front_matter(meta: dict[str, object]) -> None:
    text = yaml.safe_dump(meta, allow_unicode=True)
    source, problems = read_source("x.md", f"---\n{text}---\n".encode())
    if source is None:
        return
    for problem in frontmatter.validate(source, "protocol", GATES):
        assert problem.message and problem.line >= 1 and problem.rule == "schema"


CALENDAR = law.Calendar()
DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 1))


@settings(max_examples=1000, deadline=None)
@given(DAYS)
def test_appeal_period_rules(posted: date) -> None:
    last = CALENDAR.appeal_last_day(posted)
    three_weeks = posted + timedelta(weeks=3)
    assert three_weeks <= last <= three_weeks + timedelta(days=6)  # the longest run: Christmas
    assert CALENDAR.closed_because(last) is None
    for day in range((last - three_weeks).days):
        assert CALENDAR.closed_because(three_weeks + timedelta(days=day)) is not None
    assert CALENDAR.earliest_take_down(posted) == last + timedelta(days=1)


@settings(max_examples=1000, deadline=None)
@given(DAYS)
def test_posting_deadline_rules(justering: date) -> None:
    deadline = CALENDAR.posting_deadline(justering)
    second = justering + timedelta(days=2)
    assert second <= deadline <= second + timedelta(days=6)
    assert CALENDAR.closed_because(deadline) is None
    assert CALENDAR.next_open_day(deadline) == deadline
