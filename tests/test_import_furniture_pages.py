"""Running headers and footers of a PDF's pages (issue 29): the lines that stand at the top or
the bottom of the pages, found by the pages ``pdftotext`` marks with a form feed, are page
furniture, removed with a count, wherever they fall, inside a § included; the independent
word count (tests/wordcount.py) finds every other word in the written file."""

from __future__ import annotations

from collections import Counter

from wordcount import missing_words

from justerat.importer.convert import import_text

FRONT = """KOMMUNSTYRELSEN                         SAMMANTRÄDESPROTOKOLL        1 (3)
Sammanträdesdatum 2012-01-24

Plats och tid      Rådhuset, sammanträdesrum Ådalen, tisdagen den 24 januari 2012 kl 13.00–16.30
Beslutande         Karin Wester (M), ordförande
                   Lars Nyberg (S)
                   Eva Nord (V)
Utses att justera  Lars Nyberg
Justeringens       Kommunkansliet, Ådala, den 30 januari 2012
plats och tid
Sekreterare        ..................................
                   Mats Rydén
Ordförande         ..................................
                   Karin Wester

§ 22 Val av justerare

Kommunstyrelsen beslutar att utse Lars Nyberg att justera protokollet.

Östersunds kommun · Rådhusgatan 42 · 831 82 Östersund
"""
PAGE_2 = """\fKOMMUNSTYRELSEN                         SAMMANTRÄDESPROTOKOLL        2 (3)
Sammanträdesdatum 2012-01-24

§ 23 Badplats vid Önsjön

Kultur- och fritidsnämnden har lämnat yttrande i ärendet. Förvaltningen har tagit fram
ett underlag om kostnaderna för en badplats och om hur den kan skötas gemensamt med
Krokoms kommun.

Östersunds kommun · Rådhusgatan 42 · 831 82 Östersund
"""
PAGE_3 = """\fKOMMUNSTYRELSEN                         SAMMANTRÄDESPROTOKOLL        3 (3)
Sammanträdesdatum 2012-01-24

Kostnaden beräknas till 450 000 kronor per år, som delas lika mellan kommunerna.

Kommunstyrelsen beslutar att bifalla motionen.

Östersunds kommun · Rådhusgatan 42 · 831 82 Östersund
"""


def test_running_headers_and_footers_are_removed_inside_a_paragraph_too() -> None:
    source = FRONT + PAGE_2 + PAGE_3
    imported = import_text("ks.pdf.txt", source, "kommunstyrelse")
    body = imported.markdown.split("\n---\n", 1)[1]
    section = body[body.index("## § 23") :]
    assert "SAMMANTRÄDESPROTOKOLL" not in section
    assert "Rådhusgatan" not in section
    assert "Sammanträdesdatum" not in section
    assert "450 000 kronor" in section and "bifalla motionen" in section
    removed = [line.number for line, kind in imported.account.furniture_lines]
    assert len(removed) >= 6  # two headers, two dates and three footers at least
    assert "sidhuvuden, sidfötter" in imported.account.summary()
    assert missing_words(source, imported.markdown) == Counter()


def test_without_pages_a_line_repeated_in_the_text_is_no_furniture() -> None:
    """A text file without form feeds: "Kommunstyrelsen beslutar" three times is the text's."""
    source = (FRONT + PAGE_2 + PAGE_3).replace("\f", "")
    imported = import_text("ks.txt", source, "kommunstyrelse")
    assert imported.markdown.count("Kommunstyrelsen beslutar") >= 2
    assert missing_words(source, imported.markdown) == Counter()
