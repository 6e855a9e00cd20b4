"""Importing whole documents as offices have them (tests/fixtures/import/whole/, see its
SOURCES.md): text files, PDFs made from Word, scanned PDFs with an OCR layer and Word files
with table front pages, of many bodies and kinds.

For each document, against the facts it states (its ``.expected.yaml``, written by hand):
- no word of the source is missing from the written file, by the independent count of
  tests/wordcount.py, on text read apart from the importer (a PDF's text by ``pdftotext``,
  a Word file's paragraphs straight from its XML);
- every stated fact is found as stated, or reported missing; never another value;
- no value holds two people, a phrase or another field's words (tests/factcheck.py).
"""

from __future__ import annotations

import datetime
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import factcheck
import pytest
import yaml
from lxml import etree
from wordcount import missing_words

from justerat.importer.batch import Outcome, Settings, import_one

WHOLE = Path(__file__).resolve().parent / "fixtures" / "import" / "whole"
KINDS = (".txt", ".pdf", ".docx")
DOCUMENTS = sorted(
    p for p in WHOLE.glob("*") if p.suffix in KINDS and p.with_suffix(".expected.yaml").is_file()
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def expected(document: Path) -> dict[str, Any]:
    data = yaml.safe_load(document.with_suffix(".expected.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def source_text(document: Path) -> str:
    """The document's text, read apart from the importer: a text file as it is, a PDF by
    poppler (pages apart, as it writes them), a Word file's paragraphs from its XML, each
    once (a merged cell's continuation is empty there, a nested table's paragraphs are
    its own; the header and footer parts are page furniture, not read)."""
    if document.suffix == ".txt":
        return document.read_text("utf-8")
    if document.suffix == ".pdf":
        done = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(document), "-"],
            capture_output=True,
            check=True,
        )
        return done.stdout.decode("utf-8")
    with zipfile.ZipFile(document) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    lines = []
    for paragraph in root.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
            if any(a.tag == f"{W}del" for a in node.iterancestors()):
                continue
            parts.append(node.text or "" if node.tag == f"{W}t" else " ")
        lines.append("".join(parts))
    return "\n".join(lines)


def imported(document: Path) -> Outcome:
    return import_one(document, Settings(out=Path("unused")))


def front(markdown: str) -> tuple[dict[str, Any], str]:
    head, body = markdown[4:].split("\n---\n", 1)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def test_the_corpus_is_whole_varied_and_sourced() -> None:
    """At least 30 documents, of at least 15 bodies and 6 kinds of body, in 3 file types,
    each named in SOURCES.md."""
    facts = [expected(d) for d in DOCUMENTS]
    assert len(DOCUMENTS) >= 30
    assert len({(f["body_name"], f.get("organisation")) for f in facts}) >= 15
    assert len({f["body_kind"] for f in facts}) >= 6
    assert {d.suffix for d in DOCUMENTS} == set(KINDS)
    sources = (WHOLE / "SOURCES.md").read_text("utf-8")
    for document in DOCUMENTS:
        assert f"`{document.name}`" in sources, document.name


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_no_word_of_the_document_is_missing(document: Path) -> None:
    outcome = imported(document)
    assert outcome.markdown, [str(p) for p in outcome.problems]
    assert missing_words(source_text(document), outcome.markdown) == Counter()


def _normal(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.replace("–", "-").replace(":", ".").split()).rstrip(".")
    return value


def _at(meta: dict[str, Any], *keys: str) -> Any:
    value: Any = meta
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


# expected key → where the import writes it, and a word its warning has when it is missing
PROTOCOL_FACTS = {
    "date": (("date",), "datum"),
    "time": (("time",), "tid"),
    "place": (("place",), "plats"),
    "chair": (("chair",), "chair"),
    "secretary": (("secretary", "name"), "secretary"),
    "justering_date": (("justering", "date"), "justering"),
    "anslag_posted": (("anslag", "posted"), "anslag"),
    "anslag_taken_down": (("anslag", "taken_down"), "anslag"),
    "kept_at": (("kept_at",), "kept_at"),
    "attendees_note": (("attendees", "note"), "attendees"),
}
PLAN_FACTS = {
    "title": (("title",), "titel"),
    "year": (("year",), "året"),
    "adopted": (("adopted",), "adopted"),
}


def _stated(value: Any) -> bool:
    return value is not None and value != [] and value != {}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_stated_fact_is_found_or_reported_missing(document: Path) -> None:
    facts = expected(document)
    outcome = imported(document)
    meta, body = front(outcome.markdown)
    said = " ".join(p.message for p in outcome.problems).casefold()
    checks = PLAN_FACTS if facts.get("kind") == "plan" else PROTOCOL_FACTS
    for name, (keys, missing) in checks.items():
        _check_fact(name, facts.get(name), _at(meta, *keys), missing, said)
    if facts.get("kind") != "plan":
        _check_people(facts, meta, said)
        _check_paragraphs(facts, body)


def _check_fact(name: str, wanted: Any, found: Any, missing: str, said: str) -> None:
    """One fact: as stated, or missing with a warning that says so; a date not stated may
    come from the file's name, with a warning."""
    if isinstance(wanted, dict) and name == "adopted":
        wanted = wanted.get("date")
    if found is None:
        assert not _stated(wanted) or missing.casefold() in said, (name, wanted, said[:2000])
    elif name == "date" and not _stated(wanted):
        assert "filnamnet" in said, (name, "written but not stated", found)
    elif name == "place":  # as far as the front page's line states it
        assert _normal(str(wanted)).startswith(_normal(found)), (name, found, wanted)
    else:
        assert _stated(wanted), (name, "written but not stated", found)
        assert _normal(found) == _normal(wanted), (name, found, wanted)


def _check_people(facts: dict[str, Any], meta: dict[str, Any], said: str) -> None:
    """The justerare and the beslutande written are those the document names."""
    for name in meta.get("justerare", []):
        assert name in (facts.get("justerare") or []), name
    voting = [p["name"] for p in _at(meta, "attendees", "voting") or []]
    if voting:
        assert set(voting) <= set(facts.get("voting") or []), voting
    elif facts.get("voting"):
        assert "attendees.voting" in said, said[:2000]


def _check_paragraphs(facts: dict[str, Any], body: str) -> None:
    """The §§ written are among those stated, in order; a § stated with its diarienummer
    has it as its first line."""
    numbers = [n for n in facts.get("paragraphs") or [] if isinstance(n, int)]
    written = [int(n) for n in re.findall(r"^## § (\d+)", body, re.MULTILINE)]
    assert written == [n for n in numbers if n in written]
    for number, dnr in (facts.get("dnr") or {}).items():
        if int(number) not in written:
            continue  # the § itself was not found (and that was said): see the numbers above
        after = re.search(rf"^## § {number}\b[^\n]*\n\n([^\n]*)", body, re.MULTILINE)
        assert after is not None and after.group(1).replace(":", "") == dnr.replace(":", "")


@pytest.mark.parametrize(
    "document", [d for d in DOCUMENTS if expected(d).get("kind") != "plan"], ids=lambda d: d.name
)
def test_no_value_holds_two_people_a_phrase_or_another_fields_words(document: Path) -> None:
    meta, _ = front(imported(document).markdown)
    assert list(factcheck.problems(meta)) == []


SAME_DOCUMENT = [
    ("sos-styrelse-2023-09-13.txt", "sos-styrelse-2023-09-13-word.docx"),
    ("sos-styrelse-2023-09-13.txt", "sos-styrelse-2023-09-13-fromword.pdf"),
    ("sos-styrelse-2022-05-11.txt", "sos-styrelse-2022-05-11-fromword.pdf"),
    ("sos-verksamhetsplan-2019.txt", "sos-verksamhetsplan-2019-word.docx"),
    ("sos-verksamhetsplan-2019.txt", "sos-verksamhetsplan-2019-fromword.pdf"),
]


@pytest.mark.parametrize(("text", "layout"), SAME_DOCUMENT, ids=lambda name: name)
def test_a_real_document_gives_the_same_facts_as_text_as_word_and_as_its_pdf(
    text: str, layout: str
) -> None:
    """The whole real seed documents, and the same words laid out as offices' Word
    templates lay them out (table front page, ANSLAG/BEVIS table, labels wrapping in their
    column) and as the PDF such a template prints: the same front matter, field by field
    (but where each was imported from), and the same §§."""
    mine, theirs = imported(WHOLE / text), imported(WHOLE / layout)
    (meta, body), (other, other_body) = front(mine.markdown), front(theirs.markdown)
    meta.pop("imported", None), other.pop("imported", None)
    assert other == meta
    assert re.findall(r"^## .*", other_body, re.MULTILINE) == re.findall(
        r"^## .*", body, re.MULTILINE
    )
