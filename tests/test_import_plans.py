"""A plan's or budget's own facts, read from the forms offices write them in: its title
line, the year it covers, and the day it was adopted (issue 29). Each case is a plan's head
as written; OCR'd text without å, ä and ö is read too. Checked through ``import_plan`` and the
written front matter."""

from __future__ import annotations

import datetime

import pytest
import yaml
from wordcount import missing_words

from justerat.importer.plan import import_plan

CASES = [
    pytest.param(
        "VERKSAMHETSPLAN MED MAL OCH BUDGET 2022\nSamordningsforbundet Centrala Sormland\n\n"
        "Styrelsen for Samordningsforbundet Centrala Sormland beslutar att anta denna "
        "verksamhetsplan med mal och budget for 2022 den 26 november 2021.\n",
        "VERKSAMHETSPLAN MED MAL OCH BUDGET 2022",
        2022,
        datetime.date(2021, 11, 26),
        id="ocr-beslutar-att-anta-den",
    ),
    pytest.param(
        "Verksamhetsplan och budget\n\nStyrelsen beslutar att anta denna verksamhetsplan med "
        "mål och budget för 2022 den 26 november 2021.\n",
        "Verksamhetsplan och budget",
        2022,
        datetime.date(2021, 11, 26),
        id="beslutar-att-anta-for-year",
    ),
    pytest.param(
        "Mål, budget och verksamhetsplan 2019\nFastställd av styrelsen den 26 november 2018\n",
        "Mål, budget och verksamhetsplan 2019",
        2019,
        datetime.date(2018, 11, 26),
        id="faststalld-av",
    ),
    pytest.param(
        "Budget 2024\nFaststalld av direktionen 2023-11-20\n",
        "Budget 2024",
        2024,
        datetime.date(2023, 11, 20),
        id="faststalld-without-diacritics",
    ),
    pytest.param(
        "Handlingsplan för ett tryggare Kil 2023–2025\nAntagen av kommunfullmäktige "
        "2022-11-28 § 145\n",
        "Handlingsplan för ett tryggare Kil 2023–2025",
        2023,
        datetime.date(2022, 11, 28),
        id="antagen-av-iso-and-paragraph",
    ),
    pytest.param(
        "Verksamhetsplan 2021\nBeslutad av förbundsstyrelsen\n2020-12-03 § 45\n",
        "Verksamhetsplan 2021",
        2021,
        datetime.date(2020, 12, 3),
        id="beslutad-date-on-next-line",
    ),
    pytest.param(
        "Verksamhetsplan\nStyrelsen beslutade vid sitt sammanträde den 3 december 2020 att "
        "fastställa verksamhetsplanen för 2021.\n",
        "Verksamhetsplan",
        2021,
        datetime.date(2020, 12, 3),
        id="date-before-att",
    ),
    pytest.param(
        "Verksamhetsplan 2020\n\nI enlighet med den strategi som fastställdes den 12 mars 2018 "
        "arbetar förbundet vidare.\n",
        "Verksamhetsplan 2020",
        2020,
        None,
        id="another-documents-adoption-is-none",
    ),
]


@pytest.mark.parametrize(("text", "title", "year", "adopted"), CASES)
def test_a_plans_title_year_and_adoption(
    text: str, title: str, year: int, adopted: datetime.date | None
) -> None:
    plan = import_plan("plan.txt", text)
    meta = yaml.safe_load(plan.markdown[4:].split("\n---\n", 1)[0])
    assert meta["title"] == title
    assert meta["year"] == year
    assert meta.get("adopted") == adopted
    if adopted is None:
        assert any("adopted utelämnas" in p.message for p in plan.problems)
    assert missing_words(text, plan.markdown) == {}
