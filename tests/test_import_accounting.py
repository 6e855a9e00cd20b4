"""The accounting's rules are not the importer's to bend (issue 29): a word counts as a label
only if a recogniser reads it as one, and the words it passes over as forms of a date, a time
or a digital justering are those the readers pass over."""

from __future__ import annotations

import pytest

from justerat.importer import accounting, anslag, dates, furniture
from justerat.importer.convert import _ANNOUNCED
from justerat.importer.front_sections import section_label
from justerat.importer.frontpage import _TITLE_WORDS


def _read_by_a_recogniser(phrase: str) -> bool:
    return bool(
        section_label(phrase) is not None
        or anslag._LABEL_RE.search(phrase)
        or anslag._BOILERPLATE.search(phrase)
        or _ANNOUNCED.match(phrase)
        or furniture.page_header(phrase)
        or furniture.page_header(f"{phrase} utdragsbestyrkande")
        or (_TITLE_WORDS.fullmatch(phrase.removeprefix("sammanträdes")))
    )


@pytest.mark.parametrize("phrase", accounting.LABELS)
def test_every_label_is_one_a_recogniser_reads(phrase: str) -> None:
    assert _read_by_a_recogniser(phrase), phrase


def test_a_word_of_text_is_no_label() -> None:
    """Words that fill a protocol's text are not labels, so a line of them that is lost is
    found lost: "godkänner", "följande", "propositionsordning", "underlag", "beslut"."""
    for word in ("godkänner", "följande", "propositionsordning", "underlag", "beslut", "motion"):
        assert word not in accounting.LABEL_WORDS, word


def test_the_forms_are_those_the_date_reader_passes_over() -> None:
    """The weekday, "den" and "kl" of a written date and time are what the date reader reads
    past: "tisdagen den 5 mars 2024 kl 18.00–20.30" gives its date and time, and every word of
    it is a number, a month or one of the forms."""
    text = "tisdagen den 5 mars 2024 kl 18.00–20.30"
    found = dates.date_time_place(text)
    assert found.date is not None and found.date.isoformat() == "2024-03-05"
    for word in accounting.words(text):
        assert word.isdigit() or word in accounting.LABEL_WORDS, word
