"""Importing real protocols nobody here wrote (tests/fixtures/import/corpus/, see its
SOURCES.md): every word accounted for, every fact found as the text states it or reported
missing, never wrong; a whole folder at once, with its summary and CSV report, and `check`
on the result."""

from __future__ import annotations

import csv
import datetime
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import factcheck
import pytest
import yaml
from conftest import ROOT, run_build_py
from wordcount import missing_words

from justerat.importer import accounting
from justerat.importer.convert import import_text

CORPUS = Path(__file__).resolve().parent / "fixtures" / "import" / "corpus"
TEXTS = sorted(CORPUS.glob("*.txt"))


def front_and_body(markdown: str) -> tuple[dict[str, Any], str]:
    front, body = markdown[4:].split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data, body


def test_the_corpus_is_real_and_varied() -> None:
    """At least 20 texts, from at least 12 bodies and three decades, each with its source."""
    expected = [yaml.safe_load(t.with_suffix(".expected.yaml").read_text("utf-8")) for t in TEXTS]
    assert len(TEXTS) >= 20
    assert all(str(e["source"]).startswith("http") for e in expected)
    assert len({(e["body_name"], e.get("organisation"), e["source"]) for e in expected}) >= 12
    decades = {e["date"].year // 10 for e in expected if isinstance(e["date"], datetime.date)}
    assert len(decades) >= 3


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t.stem)
def test_every_word_is_accounted_for(text: Path) -> None:
    """The importer's own account: each word of the source once, in the body, in the front
    matter, a label, or the page furniture removed; each line it put back into the text has
    a warning naming it. (Whether that account is true is checked apart from it, below.)"""
    source = text.read_text("utf-8")
    imported = import_text(text.as_posix(), source)
    kept = {p.line for p in imported.problems if p.rule == "import-kept"}
    assert kept == {line.number for line in imported.account.lost}
    assert imported.account.total == len(accounting.words(source))


def _normal(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.replace("–", "-").split()).rstrip(".")
    return value


FACTS = {  # expected key → where the import writes it, and the warning's words when missing
    "date": (("date",), "datum"),
    "time": (("time",), "tid"),
    "place": (("place",), "plats"),
    "chair": (("chair",), "Ordförande"),
    "secretary": (("secretary", "name"), "Sekreterare"),
    "justering_date": (("justering", "date"), "Justering"),
    "anslag_posted": (("anslag", "posted"), "anslag"),
    "anslag_taken_down": (("anslag", "taken_down"), "anslag"),
}


def _at(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    value: Any = meta
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t.stem)
def test_facts_are_found_or_reported_missing_never_wrong(text: Path) -> None:
    expected = yaml.safe_load(text.with_suffix(".expected.yaml").read_text("utf-8"))
    imported = import_text(text.as_posix(), text.read_text("utf-8"))
    meta, _ = front_and_body(imported.markdown)
    messages = " ".join(p.message for p in imported.problems)
    for name, (keys, missing) in FACTS.items():
        found, wanted = _normal(_at(meta, keys)), _normal(expected.get(name))
        if found is None:
            assert missing.casefold() in messages.casefold(), (name, messages)
            continue
        if name == "time":  # "09:00-11:30" and "09.00-11.30" are one time
            found, wanted = found.replace(":", "."), str(wanted).replace(":", ".")
            wanted = ".".join(part.zfill(2) for part in wanted.split("."))
            found = ".".join(part.zfill(2) for part in found.split("."))
        if name == "place":  # the place as far as the front page's line states it
            assert str(wanted).startswith(found), (name, found, wanted)
            continue
        assert found == wanted, (name, found, wanted)
    for person in meta.get("justerare", []):
        assert person in expected["justerare"], person
    numbers = list(imported.numbers)
    assert numbers == [n for n in expected["paragraphs"] if n in numbers], numbers


def test_the_body_is_the_one_the_text_names() -> None:
    named = {
        "Kommunfullmäktige": "kommunfullmaktige",
        "Kommunstyrelsen": "kommunstyrelsen",
        "Barn- och utbildningsnämnden": "barn-och-utbildningsnamnden",
        "Socialnämnden": "socialnamnden",
    }
    checked = 0
    for text in TEXTS:
        expected = yaml.safe_load(text.with_suffix(".expected.yaml").read_text("utf-8"))
        if expected["body_name"] in named:
            imported = import_text(text.as_posix(), text.read_text("utf-8"))
            assert imported.organ == named[expected["body_name"]], text.name
            checked += 1
    assert checked >= 8


@pytest.fixture(scope="module")
def imported_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Path]:
    """The whole corpus imported at once into a copy of the sample content, with a report."""
    root = tmp_path_factory.mktemp("archive")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.rmtree(content / "protocols")
    report = root / "rapport.csv"
    result = run_build_py("import", str(CORPUS), "--content", str(content), "--report", str(report))
    return content, result, report


def test_a_folder_imports_with_a_summary_and_a_report(
    imported_folder: tuple[Path, Any, Path],
) -> None:
    content, result, report = imported_folder
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("fil "))
    table = lines[header + 1 : header + 1 + len(TEXTS)]
    assert [row.split()[0] for row in table] == [t.name for t in TEXTS]
    assert f"{len(TEXTS)} av {len(TEXTS)} filer skrevs" in lines[header + 1 + len(TEXTS)]
    with report.open(encoding="utf-8-sig", newline="") as handle:
        assert handle.readline().count(";") == 13  # as Swedish Excel splits it
        handle.seek(0)
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [Path(row["fil"]).name for row in rows] == [t.name for t in TEXTS]
    for row in rows:
        assert Path(row["skrevs till"]).is_file()
        parts = (
            "ord i texten",
            "ord i front matter",
            "ord i etiketter",
            "ord borttagna (sidhuvud, sidfot, sidnummer, underskrift)",
            "ord tillbakalagda",
        )
        assert sum(int(row[p]) for p in parts) == int(row["ord"])
    written = sorted(content.glob("protocols/*/*.md"))
    assert len(written) == len(TEXTS)


# What `check` may find in an imported archive: only facts the source itself lacks.
MISSING_IN_SOURCE = ("schema", "paragraph", "KL 5:69", "justering-saknas", "anslag-saknas")


def test_check_finds_only_what_the_sources_lack(imported_folder: tuple[Path, Any, Path]) -> None:
    """Once the bodies the import named are in site.yaml (its warnings say what to add),
    `check` reports errors only where a source does not state a required fact."""
    content, _, _ = imported_folder
    site = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
    for folder in sorted((content / "protocols").iterdir()):
        site["bodies"].setdefault(folder.name, {"name": folder.name.capitalize()})
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), "utf-8")
    result = run_build_py("check", "--content", str(content))
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors, "the truncated corpus lacks facts: check must say so"
    for line in errors:
        assert line.endswith(tuple(f"[{rule}]" for rule in MISSING_IN_SOURCE)), line
        if line.endswith("[schema]"):
            assert "saknas" in line or "saknar" in line or "minst" in line, line


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t.stem)
def test_no_word_of_the_source_is_missing_from_the_written_file(text: Path) -> None:
    """Checked apart from the accounting (tests/wordcount.py, which knows only the source,
    the written file and the list of labels): the written file holds every word of the
    source as often as the source does, but labels and page furniture."""
    source = text.read_text("utf-8")
    imported = import_text(text.as_posix(), source)
    assert missing_words(source, imported.markdown) == Counter()


def test_bodies_from_file_names_and_dateless_files_kept_apart(tmp_path: Path) -> None:
    from justerat.importer.organs import from_file_name

    assert from_file_name("protokoll-barn-och-utbildningsnamnden") == "Barn- och utbildningsnamnden"
    assert from_file_name("ks-au-2020-05-04") == "Kommunstyrelsens arbetsutskott"
    assert from_file_name("ks_2024-03-05") == "Kommunstyrelsen"
    assert from_file_name("protokoll_2020") is None
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "anteckning.txt").write_text("Styrelsen\n\n§ 1 Val\n\nText.\n")
    result = run_build_py(
        "import", str(tmp_path / "a"), str(tmp_path / "b"), "--content", str(content)
    )
    written = sorted(p.name for p in (content / "protocols/styrelsen").glob("utan-datum-*"))
    assert written == ["utan-datum-anteckning-2.md", "utan-datum-anteckning.md"], result.stderr


UNSEEN = sorted((CORPUS.parent / "unseen").glob("*.txt"))


@pytest.mark.parametrize("text", TEXTS + UNSEEN, ids=lambda t: t.stem)
def test_no_value_holds_two_people_a_phrase_or_another_fields_words(text: Path) -> None:
    """Checked apart from the importer's own sieve (tests/factcheck.py): every name is one
    person's, no name is a phrase ("Enligt förteckning") or a sentence, no title or note
    holds another person or a list of parties, no place holds another field's label. Where
    the importer was unsure it left the value out, with a warning, and the line is in the
    text (the word count above shows it)."""
    imported = import_text(text.as_posix(), text.read_text("utf-8"))
    meta, _ = front_and_body(imported.markdown)
    assert list(factcheck.problems(meta)) == []


PROCEEDINGS = CORPUS.parent / "proceedings"


def test_the_ostersund_paragraph_keeps_every_line_its_dnr_and_its_list() -> None:
    """The Östersund kommunstyrelse § of 2012 (tests/fixtures/import/proceedings/), laid out
    as its web page prints it: the page's title line, "KS § 25" with its "Dnr 941-2011", the
    "Underlag till beslut" list whose lines hold dates, and the propositionsordning. Nothing
    is lost (the independent count), the dnr is the §'s first line as the format reads it,
    and the documents stay a list."""
    source = (PROCEEDINGS / "ostersund-ks-2012-01-24-p25-page.txt").read_text("utf-8")
    imported = import_text("ostersund.txt", source, "kommunstyrelse")
    assert missing_words(source, imported.markdown) == Counter()
    meta, body = front_and_body(imported.markdown)
    assert body.lstrip().startswith("## § 25 Motion - Badplats Önsjön\n\nDnr 941-2011\n")
    assert (
        "### Underlag till beslut\n\n- Finansutskottet 2012-01-12 § 9\n"
        "- Kommunledningsförvaltningens tjänstemannaförslag 2011-12-09\n"
    ) in body
    assert "Kommunstyrelsen godkänner följande propositionsordning" in body
    assert meta["imported"]["text"] == ["Kommunfullmäktiges protokoll 20120315 - Östersunds kommun"]
