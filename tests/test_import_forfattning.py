"""``build.py import --forfattning``: real föreskrifter of five kommuner's författningssamlingar
(tests/fixtures/import/kfs/, sources in its SOURCES.md), as text, Word and PDF, imported into
front matter that the schema accepts, with every fact the document states found as typed by
hand in its ``.expected.yaml``, every fact it does not state marked ÄNDRA (a draft), and no
word lost by the independent count of tests/wordcount.py."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_build_py
from jsonschema import Draft202012Validator, FormatChecker
from wordcount import missing_words

from justerat.domain.source import read_file, read_source
from justerat.importer import batch
from justerat.importer.forfattning import import_forfattning
from justerat.importer.sources import extract
from justerat.reading import frontmatter, unfinished

HERE = Path(__file__).parent
KFS = HERE / "fixtures" / "import" / "kfs"
BODIES = {"kf": "Kommunfullmäktige", "ks": "Kommunstyrelsen"}
DOCUMENTS = sorted(
    p for p in KFS.iterdir() if p.suffix in (".txt", ".docx", ".pdf") and p.parent == KFS
)
MARK = f"{unfinished.CHANGE}:"
VALID = {  # a value of each placeholder's type, to show the rest of the file is valid
    ("beteckning",): "2000:1",
    ("title",): "Rubrik",
    ("adopted", "organ"): "kf",
    ("adopted", "date"): "2000-01-01",
    ("adopted", "paragraph"): 1,
    ("in_force",): "2000-01-01",
}


def _expected(document: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        document.with_name(f"{document.stem}.expected.yaml").read_text("utf-8")
    )
    return loaded


def _imported(document: Path) -> batch.Outcome:
    settings = batch.Settings(out=Path("unused"), bodies=BODIES, forfattning=True)
    return batch.import_one(document, settings)


def _front(markdown: str) -> dict[str, Any]:
    """The front matter as Justerat reads it (dates as text)."""
    source, problems = read_source("f.md", markdown.encode("utf-8"))
    assert source is not None and not problems, problems
    return dict(source.meta)


def _marked(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(MARK)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def test_the_corpus_is_real_varied_and_sourced() -> None:
    texts = [p for p in DOCUMENTS if p.suffix == ".txt"]
    kommuner = {p.stem.split("-")[0] for p in texts}
    assert len(texts) >= 5 and len(kommuner) >= 3
    assert {p.suffix for p in DOCUMENTS} == {".txt", ".docx", ".pdf"}
    sources = (KFS / "SOURCES.md").read_text("utf-8")
    for document in DOCUMENTS:
        assert document.with_name(f"{document.stem}.expected.yaml").is_file(), document.name
        original = document.stem.removesuffix("-word").removesuffix("-fromword")
        assert f"`{original}.txt`" in sources, document.name


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_fact_is_found_as_the_document_states_it(document: Path) -> None:
    outcome = _imported(document)
    meta = _front(outcome.markdown)
    expected = _expected(document)
    for key in ("beteckning", "title", "kind", "in_force"):
        wanted, got = expected[key], _plain(meta[key])
        if wanted is None:
            assert _marked(got), (key, got)
        else:
            assert got == _plain(wanted), key
    for key, wanted in expected["adopted"].items():
        got = _plain(meta["adopted"][key])
        assert _marked(got) if wanted is None else got == _plain(wanted), (key, got)
    assert meta.get("replaces") == expected["replaces"]
    unstated = any(v is None for v in (*expected.values(), *expected["adopted"].values()))
    assert meta["status"] == ("draft" if unstated else "published")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_the_front_matter_is_valid_but_for_its_placeholders(document: Path) -> None:
    meta = _front(_imported(document).markdown)
    validator = Draft202012Validator(
        frontmatter.schema("forfattning"), format_checker=FormatChecker()
    )
    wrong = {tuple(e.absolute_path) for e in validator.iter_errors(meta)}
    marked = {path for path in VALID if _marked(_get(meta, path))}
    assert wrong <= marked  # nothing wrong but what is marked for the secretary
    for path in marked:
        _set(meta, path, VALID[path])
    assert not list(validator.iter_errors(meta))


def _get(meta: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        meta = meta[key]
    return meta


def _set(meta: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    _get(meta, path[:-1])[path[-1]] = value


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_no_word_of_the_document_is_missing(document: Path) -> None:
    outcome = _imported(document)
    text = extract(document).text
    assert text is not None
    assert missing_words(text, outcome.markdown) == {}
    assert outcome.account.lost_words == 0


def test_the_sections_of_a_foreskrift_are_headings() -> None:
    markdown = _imported(KFS / "arvika-arbetsordning-kf-word.docx").markdown
    assert [line for line in markdown.splitlines() if line.startswith("## ")] == [
        "## 1 §",
        "## 2 §",
        "## 3 §",
        "## 4 §",
    ]
    assert "Antagen av Kommunfullmäktige den 24 april 1978, § 77." in markdown  # kept in the text


def test_a_paragraph_without_its_sign_is_written_and_said_to_be_unsure() -> None:
    outcome = _imported(KFS / "trollhattan-va-taxa.txt")
    unsure = [p for p in outcome.problems if p.rule == "import-unsure"]
    assert len(unsure) == 1 and "178" in unsure[0].message and unsure[0].line == 1


def test_a_document_missing_its_adoption_is_a_draft_with_the_values_marked(tmp_path: Path) -> None:
    real = (KFS / "arvika-arbetsordning-kf.txt").read_text("utf-8")
    line = "Antagen av Kommunfullmäktige den 24 april 1978, § 77.\n"
    assert line in real
    source = tmp_path / "arvika-utan-antagande.txt"
    source.write_text(real.replace(line, ""), "utf-8")
    content = tmp_path / "content"
    settings = batch.Settings(
        out=content / "protocols",
        bodies=BODIES,
        forfattning=True,
        forfattningar=content / "forfattningar",
    )
    outcomes, problems = batch.run([source], settings)
    assert not problems
    [outcome] = outcomes
    written = content / "forfattningar" / "utan-beteckning-arvika-utan-antagande.md"
    assert outcome.target == written.as_posix()
    meta = _front(written.read_text("utf-8"))
    assert meta["status"] == "draft"
    assert all(_marked(meta["adopted"][key]) for key in ("organ", "date", "paragraph"))
    said = [str(p) for p in outcome.problems if "antagandet" in p.message]
    assert said and all(str(source.as_posix()) in each for each in said)
    # check names each marked line: the marks of unfinished work, one per placeholder
    read, read_problems = read_file(written)
    assert read is not None and not read_problems
    marked_lines = {
        number
        for number, text in enumerate(written.read_text("utf-8").splitlines(), start=1)
        if MARK in text
    }
    assert {p.line for p in unfinished.notice(read)} == marked_lines
    assert len(marked_lines) == 5  # beteckning, organ, date, paragraph, in_force


def test_the_organ_is_matched_with_site_yaml_or_given() -> None:
    text = (KFS / "nassjo-arbetsordning-kf.txt").read_text("utf-8")
    assert "organ: kf\n" in import_forfattning("n.txt", text, None, BODIES).markdown
    unknown = import_forfattning("n.txt", text, None, {"ks": "Kommunstyrelsen"})
    assert "organ: kommunfullmaktige\n" in unknown.markdown
    assert any("finns inte i site.yaml" in p.message for p in unknown.problems)
    given = import_forfattning("n.txt", text, "fullmaktige", BODIES)
    assert "organ: fullmaktige\n" in given.markdown


@pytest.mark.parametrize(
    ("head", "facts"),
    [
        (
            "KFS 2019:4\nLokala ordningsföreskrifter för Hofors kommun\n"
            "Antagen av kommunfullmäktige 2019-03-25, § 34\nGäller från 2019-05-01\n"
            "Ersätter KFS 2012:7\n",
            ("2019:4", "ordningsforeskrifter", "2019-03-25", 34, "2019-05-01", ["2012:7"]),
        ),
        (
            "Kommunal författningssamling nr 2021:12\nTaxa för prövning enligt alkohollagen\n"
            "Antagen av KF 2020-11-23 § 140\nGäller fr.o.m. 2021-01-01\n",
            ("2021:12", "taxa", "2020-11-23", 140, "2021-01-01", None),
        ),
        (
            "Författningssamling 2018:3\nReglemente för kommunstyrelsen\n"
            "Beslutad av kommunfullmäktige den 25 mars 2019, § 7\n"
            "Reglementet träder i kraft den 1 maj 2019 och ersätter 2015:2 och 2016:1.\n"
            "Ersätter: 2015:2, 2016:1\n",
            ("2018:3", "reglemente", "2019-03-25", 7, "2019-05-01", ["2015:2", "2016:1"]),
        ),
    ],
)
def test_the_forms_offices_write_the_facts_in(head: str, facts: tuple[Any, ...]) -> None:
    meta = _front(import_forfattning("f.txt", head + "\n1 §\nText.\n", None, BODIES).markdown)
    beteckning, kind, date, paragraph, in_force, replaces = facts
    assert (meta["beteckning"], meta["kind"], meta["status"]) == (beteckning, kind, "published")
    assert (_plain(meta["adopted"]["date"]), meta["adopted"]["paragraph"]) == (date, paragraph)
    assert meta["adopted"]["organ"] == "kf"
    assert (_plain(meta["in_force"]), meta.get("replaces")) == (in_force, replaces)


def test_the_command_writes_the_folder_and_does_not_overwrite(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text("bodies:\n  kf:\n    name: Kommunfullmäktige\n", "utf-8")
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for name in ("arvika-arbetsordning-kf-word.docx", "trollhattan-va-taxa-fromword.pdf"):
        shutil.copy(KFS / name, folder / name)
    first = run_build_py("import", "--forfattning", str(folder), "--content", str(content))
    assert first.returncode == 0, first.stderr
    out = content / "forfattningar"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "utan-beteckning-arvika-arbetsordning-kf-word.md",
        "utan-beteckning-trollhattan-va-taxa-fromword.md",
    ]
    assert not (content / "protocols").exists() and not (content / "plans").exists()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / names[0]).write_text("edited by the secretary\n", "utf-8")
    second = run_build_py("import", "--forfattning", str(folder), "--content", str(content))
    assert second.returncode != 0 and "--force" in second.stderr
    assert (out / names[0]).read_text("utf-8") == "edited by the secretary\n"
    assert (out / names[1]).read_bytes() == before[names[1]]
