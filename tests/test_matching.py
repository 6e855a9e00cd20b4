"""What a search matches, by definition (docs/search.md sections 2 and 3): the words of a text,
the terms of a query, and the brute-force answer the search index will be tested against."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justerat.web.matching import Query, matches, parse, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sekreterare: Åsa Berglund", ["sekreterare", "åsa", "berglund"]),
        ("KS-2023/145, § 12", ["ks", "2023", "145", "12"]),
        ("FÅR far HÖR hor", ["får", "far", "hör", "hor"]),  # å and ö are letters of their own
        ("Café Müller", ["café", "müller"]),
        ("arbetsträning—arbetet", ["arbetsträning", "arbetet"]),
        ("snake_case och 3,5 procent", ["snake", "case", "och", "3", "5", "procent"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_decomposed_letters_are_the_same_words_as_composed_ones() -> None:
    composed = "Överförmyndarnämnden på Åland"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert words(decomposed) == words(composed) == ["överförmyndarnämnden", "på", "åland"]


def test_queries_are_prefix_terms_whole_words_and_phrases() -> None:
    assert parse('styrelse "bastu" "enskilda vägar" Styrelse') == Query(
        prefixes=("styrelse",), whole=("bastu",), phrases=(("enskilda", "vägar"),)
    )
    assert parse('"öppen') == Query(whole=("öppen",))  # an unclosed quote runs to the end
    assert parse("  —  ").empty


UNIT = [words("§ 188 Bidrag till bastu i Björkhage"), words("Kommunstyrelsen beslutar att bevilja")]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("bastu", True),
        ("bas", True),  # a prefix
        ("bastun", False),  # no word begins with it: never a substitute word
        ('"bas"', False),  # quoted: a whole word
        ('"bastu"', True),
        ("kommunstyrelse bevil", True),  # every term, anywhere in the unit
        ("kommunstyrelse avslå", False),
        ('"bidrag till bastu"', True),  # a phrase, in one field
        ('"till bidrag"', False),  # not in that order
        ('"bastu kommunstyrelsen"', False),  # not across two fields
        ("björkhage", True),
        ("bjorkhage", False),  # ö is not o
        ("", False),
    ],
)
def test_matches(query: str, found: bool) -> None:
    assert matches(parse(query), UNIT) is found


@given(st.text(max_size=80))
def test_a_text_is_found_by_each_of_its_words_and_their_prefixes(text: str) -> None:
    found = words(text)
    for word in found:
        assert matches(Query(prefixes=(word,)), [found])
        assert matches(Query(prefixes=(word[:1],)), [found])
        assert matches(Query(whole=(word,)), [found])
    if found:
        assert matches(Query(phrases=(tuple(found),)), [found])


@given(st.text(max_size=60), st.text(min_size=1, max_size=12))
def test_a_prefix_matches_exactly_when_a_word_begins_with_it(text: str, term: str) -> None:
    unit = words(text)
    folded = words(term)
    if len(folded) == 1:
        assert matches(Query(prefixes=(folded[0],)), [unit]) == any(
            word.startswith(folded[0]) for word in unit
        )
