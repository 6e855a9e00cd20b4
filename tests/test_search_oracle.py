"""The search page's engine (templates/assets/sok-index.js, run in Node) against the definition
(docs/search.md, sections 2-5): the same words as matching.py on every code point and on the
seeds, and on generated archives, built into an index by searchindex.build, the same answers as
matching.rank (the oracle, reading every unit): the same documents in the same order, the same
units under each, the same counts. Node runs once per test, every query of the test batched.

The oracle re-reads every unit for each query; here its ``words`` is memoised (the same pure
function, remembered per text) so that a few thousand queries take seconds.
"""

from __future__ import annotations

import functools
import gzip
import json
import random
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from justerat.web import matching
from justerat.web.matching import normalise, parse, rank, words
from justerat.web.searchindex import Built, Sizes, build
from justerat.web.units import Document, Unit

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

# budgets so small that word ranges and prefixes cross shards, and both ways of answering a short
# prefix are taken: a prefix entry, and the word shards when the prefix shard whose range holds
# it has no entry for it (a prefix shard holds several entries)
TINY = Sizes(shard=600, prefix=40, text=400, vocabulary=120)

Case = tuple[str, dict[str, str], bool]  # query text, filters, newest first


# --- running the engine -------------------------------------------------------------------------


def node(script: str, payload: object) -> Any:
    assert shutil.which("node"), "the search engine's tests need Node"
    done = subprocess.run(
        ["node", str(JS / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def write(files: Mapping[str, bytes], folder: Path) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def built_in(documents: Sequence[Document], folder: Path, sizes: Sizes | None = None) -> Path:
    return write(build(documents, sizes=sizes).files, folder)


def engine(folders: Sequence[Path], cases: Sequence[Case], **extra: bool) -> list[list[dict]]:
    """The engine's answers to ``cases`` on each index folder (one Node process)."""
    queries = [
        {"q": q, "filters": filters, "order": "nyast" if newest else "relevans", **extra}
        for q, filters, newest in cases
    ]
    runs = [{"index": str(folder), "queries": queries} for folder in folders]
    return node("search.mjs", {"runs": runs})["runs"]


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch):
    """matching.rank, its words memoised."""
    monkeypatch.setattr(matching, "words", functools.lru_cache(maxsize=None)(matching.words))

    def answer(documents: Sequence[Document], case: Case) -> list[list[Any]]:
        q, filters, newest = case
        return [[url, list(anchors)] for url, anchors in rank(parse(q), documents, filters, newest)]

    return answer


def compare(
    oracle, documents: Sequence[Document], folders: Sequence[Path], cases: Sequence[Case]
) -> list[list[dict]]:
    """Every case answered by the engine on each folder exactly as the oracle answers it."""
    answers = engine(folders, cases)
    wrong = []
    for i, case in enumerate(cases):
        expected = oracle(documents, case)
        units = sum(len(anchors) for _, anchors in expected)
        for folder, run in zip(folders, answers, strict=True):
            got = run[i]
            if got["documents"] != expected or got["units"] != units:
                wrong.append(
                    (folder.name, case, expected[:4], got["documents"][:4], units, got["units"])
                )
    assert not wrong, (
        f"{len(wrong)} of {len(cases) * len(folders)} answers differ, e.g.\n"
        + "\n".join(map(repr, wrong[:6]))
    )
    return answers


# --- generated archives ---------------------------------------------------------------------

STEMS = [
    "arbets", "styrelse", "kommun", "bygg", "miljö", "skol", "social", "vård", "bidrags", "budget",
    "väg", "vatten", "natur", "fritids", "kultur", "ekonomi", "personal", "förvaltnings",
    "samordnings", "hälso", "färdtjänst", "bostads", "trafik", "äldre", "över", "år",
]  # fmt: skip
TAILS = [
    "", "en", "et", "ar", "arna", "träning", "marknad", "ledamot", "ledamöter", "möte", "nämnd",
    "nämnden", "plan", "frågor", "ärende", "beslut", "förbund", "chef", "grupp", "rapport",
    "givare", "förmedling", "miljö", "ström",
]  # fmt: skip
PLAIN = [
    "arbetet", "arbete", "arbeta", "får", "far", "fär", "hör", "hor", "bastu", "bastun", "bas",
    "och", "att", "i", "på", "till", "av", "för", "enskilda", "vägar", "sekreterare",
    "ordförande", "justerare", "beslutar", "bevilja", "avslå", "yrkande", "ö", "å", "ä", "a", "o",
    "Straße", "ΣΟΦΙΑΣ", "İzmir", "café", "Müller", "Ærø", unicodedata.normalize("NFD", "Ångström"),
    "ﬁnans", "KS-2023/145", "§", "12", "2023", "١٢٣", "½", "Ⅻ", "snake_case", "x²",
]  # fmt: skip
NAMES = ["Åsa Berglund", "Anders Öberg", "Eva Ström", "Lars Åkesson", "Märta Müller", "José Núñez"]
ORGANS = {
    "Kommunstyrelsen": "ks",
    "Barn- och utbildningsnämnden": "bun",
    "Socialnämnden": "sn",
    "Byggnadsnämnden": "bn",
}
KINDS = ("Protokoll", "Plan och budget", "Anslag", "Kallelse", "Ledamot")


def _word(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.55:
        return rng.choice(STEMS) + rng.choice(TAILS)
    if draw < 0.9:
        return rng.choice(PLAIN)
    return rng.choice(NAMES)


def _sentence(rng: random.Random, low: int = 4, high: int = 22) -> str:
    out = [_word(rng) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.5:
        out[0] = out[0].capitalize()
    return " ".join(out) + rng.choice([".", ",", "", " —", "!"])


def _fields(rng: random.Random) -> tuple[str, ...]:
    return tuple(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _protocol(
    rng: random.Random, organ: str, date: str, paragraphs: int, tag: str = ""
) -> Document:
    front = Unit(
        "",
        "Protokoll",
        (  # the same on many protocols: ties in score, broken by date and address
            "Plats och tid: Stadshuset, kl. 13.00",
            f"Sekreterare: {rng.choice(NAMES)}",
        ),
    )
    units = [front] + [
        Unit(f"paragraf-{n}", f"§ {n}", _fields(rng)) for n in range(1, paragraphs + 1)
    ]
    return Document(
        f"protokoll/{ORGANS[organ]}/{date}{tag}/",
        f"{organ} {date}",
        "Protokoll",
        (organ,),
        int(date[:4]),
        date,
        tuple(units),
    )


def archive(seed: int = 1, protocols: int = 90, others: int = 10) -> list[Document]:
    """Protocols of several bodies and years (some on the same day), plans, notices, meetings
    and person pages (several bodies, no year, no date), their words Swedish-like compounds
    sharing prefixes (arbetsträning, arbetsmarknad, arbetet), å, ä and ö beside a and o, and a
    few letters other scripts fold (ß, İ, final sigma, ligatures, decomposed letters)."""
    rng = random.Random(seed)
    docs: dict[str, Document] = {}
    for _ in range(protocols):
        organ = rng.choice(list(ORGANS))
        date = f"{rng.choice([2021, 2022, 2023, 2024])}-{rng.randint(1, 12):02d}-{rng.choice([1, 13]):02d}"
        document = _protocol(rng, organ, date, rng.randint(1, 6))
        docs[document.url] = document
    for i in range(others):
        year = rng.choice([2021, 2022, 2023])
        sections = tuple(
            Unit(f"rubrik-{k}", f"Rubrik {k}", _fields(rng)) for k in range(rng.randint(1, 5))
        )
        docs[f"planer/plan-{i}/"] = Document(
            f"planer/plan-{i}/",
            f"Plan {i}",
            "Plan och budget",
            ("Kommunstyrelsen",),
            year,
            f"{year}-01-01",
            sections,
        )
        year = rng.choice([2023, 2024])
        url = f"anslag/{year}/anslag-{i}/"
        docs[url] = Document(
            url, f"Anslag {i}", "Anslag", (rng.choice(list(ORGANS)),), year, f"{year}-0{rng.randint(1, 9)}-13",
            (Unit("", f"Anslag {i}", _fields(rng)),),
        )  # fmt: skip
        organ = rng.choice(list(ORGANS))
        date = f"2024-{rng.randint(1, 12):02d}-13"
        url = f"sammantraden/{ORGANS[organ]}/{date}-{i}/"
        items = tuple(
            Unit(
                f"arende-{k}", f"Ärende {k}", (_sentence(rng, 2, 8), "Handlingar: tjänsteskrivelse")
            )
            for k in range(1, rng.randint(2, 6))
        )
        docs[url] = Document(url, f"Kallelse {i}", "Kallelse", (organ,), 2024, date, items)
        name = rng.choice(NAMES)
        organs = tuple(rng.sample(list(ORGANS), rng.randint(1, 3)))
        url = f"ledamoter/person-{i}/"
        roles = (name, "Parti: S", *(f"Ledamot i {o}" for o in organs))
        docs[url] = Document(url, name, "Ledamot", organs, None, "", (Unit("", name, roles),))
    return list(docs.values())


def vocabulary(documents: Iterable[Document]) -> list[str]:
    return sorted({w for d in documents for u in d.units for f in u.fields for w in words(f)})


def filters_of(documents: Sequence[Document]) -> list[dict[str, str]]:
    """One filter of each kind for each value the archive has, and a few together."""
    organs = sorted({o for d in documents for o in d.organs})
    years = sorted({str(d.year) for d in documents if d.year is not None})
    kinds = sorted({d.typ for d in documents})
    out = [{"organ": o} for o in organs] + [{"ar": y} for y in years] + [{"typ": k} for k in kinds]
    out += [
        {"organ": organs[0], "ar": years[-1]},
        {"organ": organs[-1], "typ": "Ledamot"},
        {"organ": organs[0], "ar": years[0], "typ": "Protokoll"},
        {"organ": "", "ar": "", "typ": ""},
        {"organ": "Ingen nämnd"},  # a value no document has: nothing
    ]
    return out


@pytest.fixture
def main(tmp_path: Path) -> tuple[list[Document], list[Path]]:
    """The generated archive, built with tiny budgets and with the defaults."""
    documents = archive(protocols=50, others=7)
    return documents, [
        built_in(documents, tmp_path / "tiny", TINY),
        built_in(documents, tmp_path / "default"),
    ]


def decode_shard(data: bytes) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """A word or prefix shard read in Python (section 5), with unit ids relative to the
    segment's first."""
    data = gzip.decompress(data)
    at = 0

    def varint() -> int:
        nonlocal at
        value = shift = 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    out = []
    before = b""
    for _ in range(varint()):
        shared, more = varint(), varint()
        before = before[:shared] + data[at : at + more]
        at += more
        unit, postings = 0, []
        for _ in range(varint()):
            unit += varint()
            postings.append((unit, varint(), varint()))
        out.append((before.decode(), postings))
    assert at == len(data)
    return out


# --- the normalisers, side by side --------------------------------------------------------------


def _chunks(points: Sequence[int], size: int = 64) -> list[str]:
    """Each run of ``size`` code points as one string (neighbours of every category beside
    each other) and each point alone between two letters."""
    out = []
    for i in range(0, len(points), size):
        part = [chr(c) for c in points[i : i + size]]
        out.append("".join(part))
        out.append(" ".join(f"x{c}y" for c in part))
    return out


SPECIAL = [
    "Straße STRASSE ẞ", "İstanbul IZMIR ı", "ΣΟΦΙΑΣ σοφίας ΟΔΟΣ. Σ", "ﬁnans ﬂöde ﬀ",
    unicodedata.normalize("NFD", "Överförmyndarnämnden på Åland, Ærø"), "a\u0301\u0302b \u0301x",
    "e\u0301 \u0345 \u0363a", "١٢٣ ३४ １２ ² ½ Ⅻ ① ߁", "ꭰꮿ Ꭰ ᏸ", "µ ſ ǰ ŉ ᾳ ᾼ", "snake_case KS-2023/145 § 12",
    "a\u200db a\u00adb a\u2060b", "\U0001d400\U0001d7ce \U00020000 \U0001f600", "Ⓐⓐ ǅ ǆ Ǆ",
]  # fmt: skip


def test_the_engine_normalises_as_matching_does_on_every_code_point_and_the_seeds() -> None:
    """NFC, case folding and words: the same on every code point Python's Unicode database
    assigns (alone, between letters and beside its neighbours), on the seeds and on letters
    toLowerCase and casefold treat differently. A code point Python's database does not assign
    yet may be a letter to Node's newer one: those are left out (a newer Python moves the line)."""
    assigned = [
        c for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"
    ]  # fmt: skip
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    assert len(seeds) == 3
    lines = [line for text in seeds for line in text.splitlines() if line.strip()]
    texts = _chunks(assigned) + SPECIAL + seeds + lines
    rng = random.Random(7)
    queries = list(SPECIAL) + [
        'styrelse "bastu" "enskilda vägar" Styrelse',
        '"öppen',
        '""',
        '"a" "a b" a A',
    ]
    for line in lines[:400]:
        cut = sorted(rng.sample(range(len(line) + 1), 2))
        queries.append(f'{line[: cut[0]]}"{line[cut[0] : cut[1]]}"{line[cut[1] :]}')
        queries.append(f'{line[: cut[0]]}"{line[cut[0] :]}')
    got = node("normalise.mjs", {"texts": texts, "queries": queries})
    wrong = [
        (text, got["words"][i], words(text))
        for i, text in enumerate(texts)
        if got["words"][i] != words(text) or got["normalise"][i] != normalise(text)
    ]
    assert not wrong, f"{len(wrong)} texts differ, e.g. {wrong[:3]!r}"
    for text, parsed in zip(queries, got["parse"], strict=True):
        query = parse(text)
        assert (parsed["prefixes"], parsed["whole"], [tuple(p) for p in parsed["phrases"]]) == (
            list(query.prefixes), list(query.whole), list(query.phrases)
        ), text  # fmt: skip
    # what the folding must give, spelled out
    special = dict(zip(SPECIAL, got["words"][len(_chunks(assigned)) :], strict=False))
    assert special["Straße STRASSE ẞ"] == ["strasse", "strasse", "ss"]
    assert special["ΣΟΦΙΑΣ σοφίας ΟΔΟΣ. Σ"] == ["σοφιασ", "σοφίασ", "οδοσ", "σ"]
    assert special["İstanbul IZMIR ı"] == ["i\u0307stanbul", "izmir", "ı"]


# --- the oracle -----------------------------------------------------------------------------


def test_every_word_of_the_archive_finds_what_the_oracle_finds(oracle, main) -> None:
    documents, folders = main
    cases = [(word, {}, False) for word in vocabulary(documents)]
    assert len(cases) > 500
    compare(oracle, documents, folders, cases)


def test_prefixes_of_one_to_four_letters_and_longer(oracle, main) -> None:
    documents, folders = main
    found = vocabulary(documents)
    rng = random.Random(3)
    prefixes = {word[:n] for word in found for n in (1, 2, 3, 4) if len(word) > n}
    prefixes |= {
        word[: rng.randint(5, len(word))] for word in rng.sample(found, 150) if len(word) > 5
    }
    prefixes |= {word[: len(word) - 1] for word in found if len(word) > 1}
    cases = [(prefix, {}, False) for prefix in sorted(prefixes)]
    assert len(cases) > 600
    compare(oracle, documents, folders, cases)
    # both ways of answering a short prefix were taken in the tiny index
    manifest = json.loads((folders[0] / "manifest.json").read_text())
    (segment,) = manifest["segments"]
    entries = {
        key
        for i in range(len(segment["prefixes"]))
        for key, _ in decode_shard((folders[0] / segment["id"] / f"p{i}.bin.gz").read_bytes())
    }
    short = {prefix for prefix in prefixes if len(prefix) <= 3}
    between = {
        t
        for t in short - entries
        if any(_holds(f, last, t, False) for f, last in segment["prefixes"])
    }  # in a prefix shard's range, without an entry there
    assert len(short & entries) > 50 and len(between) > 10
    assert len(segment["words"]) > 40


def test_whole_words_and_phrases(oracle, main) -> None:
    documents, folders = main
    found = vocabulary(documents)
    rng = random.Random(4)
    cases: list[Case] = [(f'"{word}"', {}, False) for word in rng.sample(found, 150)]
    cases += [(f'"{p}"', {}, False) for p in ("arbets", "bas", "styrelse", "å", "a", "far", "fär")]
    fields = [words(f) for d in documents for u in d.units for f in u.fields]
    for _ in range(120):
        field = rng.choice([f for f in fields if len(f) >= 3])
        size = rng.choice([2, 2, 3, 4])
        start = rng.randrange(0, max(1, len(field) - size))
        run = field[start : start + size]
        cases.append(('"' + " ".join(run) + '"', {}, False))  # stands in a field
        cases.append(('"' + " ".join(reversed(run)) + '"', {}, False))  # rarely in that order
        cases.append((f'{run[0][:3]} "{" ".join(run[1:])}"', {}, rng.random() < 0.3))
    for d in rng.sample([d for d in documents if any(len(u.fields) > 1 for u in d.units)], 30):
        unit = next(u for u in d.units if len(u.fields) > 1)
        last, first = words(unit.fields[0])[-1], words(unit.fields[1])[0]
        cases.append((f'"{last} {first}"', {}, False))  # across two fields: not a phrase there
    cases += [
        ('"att att"', {}, False),
        ('"i i" "i"', {}, False),
        ('"enskilda vägar" "vägar"', {}, True),
    ]
    compare(oracle, documents, folders, cases)


def test_and_queries_with_and_without_every_filter(oracle, main) -> None:
    documents, folders = main
    found = vocabulary(documents)
    rng = random.Random(5)
    units = [words(" ".join(u.fields)) for d in documents for u in d.units]
    queries = []
    for _ in range(150):
        unit = rng.choice([u for u in units if len(u) > 3])
        terms = rng.sample(unit, rng.choice([2, 3]))
        terms = [t[: rng.randint(1, len(t))] if rng.random() < 0.5 else t for t in terms]
        if rng.random() < 0.2:
            terms.append(rng.choice(found))  # most likely not in that unit
        if rng.random() < 0.2:
            terms[0] = f'"{terms[0]}"'
        queries.append(" ".join(terms))
    filters = filters_of(documents)
    cases: list[Case] = [(q, {}, False) for q in queries]
    cases += [(q, rng.choice(filters), False) for q in queries for _ in range(2)]
    cases += [
        (word, f, False) for f in filters for word in ("a", "arbets", "styrelse", '"och"', "s")
    ]
    compare(oracle, documents, folders, cases)


def test_newest_first(oracle, main) -> None:
    documents, folders = main
    found = vocabulary(documents)
    rng = random.Random(6)
    filters = filters_of(documents)
    cases: list[Case] = [(word, {}, True) for word in rng.sample(found, 120)]
    cases += [(word[:2], rng.choice(filters), True) for word in rng.sample(found, 60)]
    cases += [
        ("a", {}, True),
        ("plats", {}, True),
        ("s", {"typ": "Ledamot"}, True),
        ("ledamot", {}, True),
    ]
    answers = compare(oracle, documents, folders, cases)
    # ties in date (several bodies on one day, person pages without one) were there to break
    date = {d.url: d.date for d in documents}
    for run in answers:
        ties = sum(
            date[a[0]] == date[b[0]]
            for answer in run
            for a, b in zip(answer["documents"], answer["documents"][1:], strict=False)
        )
        assert ties > 20


def test_words_no_unit_holds_find_nothing(oracle, main) -> None:
    documents, folders = main
    found = set(vocabulary(documents))
    rng = random.Random(8)
    absent = [
        "styrelsekvalitetsgranskning", "arbetsträningsplanen", "bjorkhage", "qxz", "zz", "bastuu",
        '"arbets"', '"styrelse"', "xyzzy arbets", "kommunstyrelsenämndsbeslut", "ärendeö",
    ]  # fmt: skip
    absent += [word + rng.choice("qxzöåä") + "a" for word in rng.sample(sorted(found), 80)]
    cases = [(q, {}, False) for q in absent if not any(w.startswith(q.strip('"')) for w in found)]
    answers = compare(oracle, documents, folders, cases)
    assert all(not a["documents"] for run in answers for a in run)
    assert len(cases) > 80


# --- a series of justeringar ----------------------------------------------------------------


def _edit(rng: random.Random, document: Document) -> Document:
    units = list(document.units)
    k = rng.randrange(len(units))
    units[k] = Unit(
        units[k].anchor,
        units[k].title,
        (*units[k].fields, f"Ändrat: {_sentence(rng, 3, 8)} zebrafink"),
    )
    return Document(
        document.url,
        document.title,
        document.typ,
        document.organs,
        document.year,
        document.date,
        tuple(units),
    )


class _Justeringar:
    """An archive changed step by step, as an office would: documents changed, added, deleted,
    a change undone, copies that tie with their originals, new filter values."""

    def __init__(self, rng: random.Random, documents: Iterable[Document]) -> None:
        self.rng = rng
        self.docs = {d.url: d for d in documents}
        self.undone: dict[str, Document] = {}

    def add(self, n: int, tag: str) -> None:
        for i in range(n):
            date = f"2025-0{self.rng.randint(1, 9)}-{self.rng.randint(10, 28)}"
            organ = self.rng.choice(list(ORGANS))
            d = _protocol(self.rng, organ, date, self.rng.randint(1, 3), f"-{tag}{i}")
            self.docs[d.url] = d

    def change(self, n: int) -> None:
        for url in self.rng.sample(sorted(self.docs), n):
            self.docs[url] = _edit(self.rng, self.docs[url])

    def delete(self, n: int) -> None:
        for url in self.rng.sample(sorted(self.docs), n):
            del self.docs[url]

    def change_to_undo(self) -> None:
        url = self.rng.choice(sorted(self.docs))
        self.undone[url] = self.docs[url]
        self.docs[url] = _edit(self.rng, self.docs[url])

    def undo(self) -> None:
        self.docs.update(self.undone)

    def clones(self) -> None:
        """Copies of base documents under addresses that sort beside theirs: in the delta, they
        tie with the originals in score and date, and only the address orders them."""
        urls = [u for u in sorted(self.docs) if u.startswith(("ledamoter/", "protokoll/"))]
        for url in urls[::9]:
            d = self.docs[url]
            copy = url.rstrip("/") + "-kopia/"
            self.docs[copy] = Document(copy, d.title, d.typ, d.organs, d.year, d.date, d.units)

    def newcomer(self) -> None:
        """A kind, a body and a year the index has not seen: appended to the filter lists the
        base's columns point into."""
        unit = Unit("", "Ny Person", ("Zebrafink i Valnämnden", "Ordförande"))
        organs = ("Valnämnden", "Kommunstyrelsen")
        self.docs["ledamoter/ny/"] = Document(
            "ledamoter/ny/", "Ny Person", "Föreskrift", organs, 2026, "2026-01-01", (unit,)
        )


def _publish(made: Built, folder: Path) -> dict[str, Any]:
    """The files of ``made`` written over the published index, the files neither written nor
    kept deleted; its manifest."""
    write(made.files, folder)
    keep = set(made.files) | set(made.kept)
    for path in list(folder.rglob("*")):
        if path.is_file() and path.relative_to(folder).as_posix() not in keep:
            path.unlink()
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text())
    return manifest


def _replay_cases(rng: random.Random, current: Sequence[Document], gone: list[str]) -> list[Case]:
    found = vocabulary(current)
    cases: list[Case] = [(w, {}, False) for w in rng.sample(found, 30)]
    cases += [(w[:n], {}, rng.random() < 0.3) for w in rng.sample(found, 15) for n in (1, 2, 3)]
    cases += [(w, {}, False) for w in gone]  # words only deleted documents held
    cases += [(rng.choice(["zebra", "a", "s", "ö"]), f, False) for f in filters_of(current)]
    return cases + [
        ("zebrafink", {}, False),
        ('"zebrafink"', {}, True),
        ("ändrat", {}, False),
        ("2025", {}, True),
        ('"plats och tid"', {}, False),
        ('"ledamot i"', {"organ": "Kommunstyrelsen"}, True),
        ("parti", {}, False),
        ("parti", {}, True),
        ("plats", {}, False),
        ("plats", {}, True),
    ]


def test_a_replayed_series_of_justeringar_answers_as_fresh_builds_and_the_oracle(
    oracle, tmp_path: Path
) -> None:
    """Add, change and delete documents step by step, each build after the one before: the
    index published (base and delta, the earlier files kept, the others deleted) answers every
    query as a fresh build of the same documents does, scores included, and as the oracle."""
    rng = random.Random(11)
    archive_ = _Justeringar(rng, archive(seed=2, protocols=40, others=5))
    published = tmp_path / "published"
    state = None
    kinds = []
    seen: set[str] = set()
    steps = [
        lambda: None,  # the first build: a base
        lambda: archive_.change(2),
        lambda: (archive_.add(3, "a"), archive_.clones()),
        lambda: archive_.delete(2),
        lambda: archive_.change(25),  # more than a fifth of the base: compacted
        lambda: (archive_.delete(1), archive_.add(1, "b")),
        archive_.change_to_undo,
        archive_.undo,  # the change undone: the base alone again
        lambda: None,  # nothing changed
        archive_.newcomer,
    ]
    for step in steps:
        step()
        current = sorted(archive_.docs.values(), key=lambda d: d.url)
        made = build(current, previous=state, sizes=TINY)
        state = made.state
        manifest = _publish(made, published)
        kinds.append((made.fresh, len(manifest["segments"])))
        fresh = built_in(current, tmp_path / f"fresh{len(kinds)}")
        found = set(vocabulary(current))
        gone = sorted(seen - found)[:10]
        seen |= found
        cases = _replay_cases(rng, current, gone)
        incremental, anew = compare(oracle, current, [published, fresh], cases)
        assert [a["scores"] for a in incremental] == [a["scores"] for a in anew]
        # a one-word query on the published index fetches the manifest, each segment's
        # columns and the shards whose range may hold its words, no more
        probe = [("zebrafink", {}, False), ("arbets", {}, False)]
        for answer in engine([published], probe, fresh=True)[0]:
            files = answer["fetched"]["search"]["files"]
            assert files <= 1 + sum(1 + len(s["words"]) for s in manifest["segments"])
            assert files <= 1 + len(manifest["segments"]) * 12, answer["fetched"]["paths"]
    deltas = [i for i, (fresh, segments) in enumerate(kinds) if segments == 2]
    compactions = [
        i for i, (fresh, segments) in enumerate(kinds) if i > 0 and fresh and segments == 1
    ]
    assert deltas and compactions, kinds


# --- the two ways Pagefind failed ---------------------------------------------------------------


def test_the_ways_pagefind_failed(oracle, tmp_path: Path) -> None:
    """(a) A prefix whose words fill many shards finds every document, not those of the one
    shard whose range holds it; (b) a word no document holds finds nothing, never the documents
    of its longest known prefix; (c) a longer word does not find a document of a shorter one."""
    rng = random.Random(12)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def tail() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(2, 6)))

    many = []
    for i in range(600):
        first = rng.choice("abcdefghijk" if i < 300 else "lmnopqrstuvwxy")
        text = " ".join(f"arbets{first}{tail()}" for _ in range(rng.randint(2, 5)))
        many.append(
            Document(
                f"protokoll/ks/d{i:04d}/",
                f"D {i}",
                "Protokoll",
                ("Kommunstyrelsen",),
                2023,
                "2023-01-01",
                (Unit("", f"D {i}", (text,)),),
            )
        )
    few = [
        Document("a/", "A", "Protokoll", ("Kommunstyrelsen",), 2023, "2023-02-01", (Unit("", "A", ("Styrelsen beslutar",)),)),
        Document("b/", "B", "Protokoll", ("Kommunstyrelsen",), 2023, "2023-03-01", (Unit("", "B", ("Ny styrelseledamot: Åsa",)),)),
        Document("c/", "C", "Protokoll", ("Kommunstyrelsen",), 2023, "2023-04-01", (Unit("", "C", ("Arbetet med budgeten",)),)),
        Document("d/", "D", "Protokoll", ("Kommunstyrelsen",), 2023, "2023-05-01", (Unit("", "D", ("Kommunens styrelse",)),)),
    ]  # fmt: skip
    small = Sizes(shard=120, prefix=1_000_000, text=2000, vocabulary=200)
    a = built_in(many, tmp_path / "many", small)
    manifest = json.loads((a / "manifest.json").read_text())
    assert len(manifest["segments"][0]["words"]) > 50  # arbets... spans many shards
    (arbets, early, late) = compare(
        oracle, many, [a], [("arbets", {}, False), ("arbetsc", {}, False), ("arbetsx", {}, False)]
    )[0]
    assert len(arbets["documents"]) == 600 and arbets["units"] == 600
    assert {url for url, _ in early["documents"]} <= {d.url for d in many[:300]}
    assert {url for url, _ in late["documents"]} <= {d.url for d in many[300:]}
    b = built_in(few, tmp_path / "few", Sizes(shard=40, prefix=10, text=100, vocabulary=30))
    answers = compare(
        oracle,
        few,
        [b],
        [("styrelsekvalitetsgranskning", {}, False), ("styrelse", {}, False), ("arbetsträning", {}, False),
         ("arbet", {}, False), ("styrelsen", {}, False), ('"styrelse"', {}, False)],
    )[0]  # fmt: skip
    found = [sorted(url for url, _ in answer["documents"]) for answer in answers]
    assert found == [[], ["a/", "b/", "d/"], [], ["c/"], ["a/"], ["d/"]]


# --- what a query fetches, what a page shows -------------------------------------------------


def _holds(first: str, last: str, term: str, prefix: bool) -> bool:
    key = lambda s: s.encode("utf-16-be")  # noqa: E731  JavaScript's order
    if prefix:
        return key(last) >= key(term) and (key(first) <= key(term) or first.startswith(term))
    return key(first) <= key(term) <= key(last)


def test_a_query_fetches_only_what_it_needs(main) -> None:
    """A one-word query on a fresh page fetches the manifest, the columns and exactly the
    shards the ranges point to: the prefix shard of a short term, and the word shards whose
    range may hold a word it begins when that shard has no entry for it."""
    documents, folders = main
    rng = random.Random(9)
    terms = sorted({w[: rng.randint(1, len(w))] for w in rng.sample(vocabulary(documents), 40)})
    terms += ["a", "ar", "arb", "arbets", "ö", "zz"]
    cases = [(t, {}, False) for t in terms] + [(f'"{t}"', {}, False) for t in terms[:20]]
    runs = engine(folders, cases, fresh=True)
    for folder, run in zip(folders, runs, strict=True):
        manifest = json.loads((folder / "manifest.json").read_text())
        (segment,) = manifest["segments"]
        for (q, _, _), answer in zip(cases, run, strict=True):
            prefix = not q.startswith('"')
            term = q.strip('"')
            wanted = 2  # the manifest and the columns
            entry = False
            if prefix and len(term) <= 3:
                for i, (first, last) in enumerate(segment["prefixes"]):
                    if _holds(first, last, term, False):
                        wanted += 1
                        shard = decode_shard((folder / segment["id"] / f"p{i}.bin.gz").read_bytes())
                        entry = any(key == term for key, _ in shard)
                        break
            if not entry:
                wanted += sum(_holds(f, last, term, prefix) for f, last in segment["words"])
            assert answer["fetched"]["search"]["files"] == wanted, (
                folder.name,
                q,
                answer["fetched"]["paths"],
            )
            if folder.name == "default":
                assert answer["fetched"]["search"]["files"] <= 4
            columns = json.loads(
                gzip.decompress((folder / segment["id"] / "docs.json.gz").read_bytes())
            )
            position = {d.url: i for i, d in enumerate(sorted(documents, key=lambda d: d.url))}
            chunks = {columns["text"][position[url]] for url, _ in answer["documents"]}
            assert answer["fetched"]["texts"]["files"] == len(chunks)


def _osa(a: str, b: str) -> int:
    """Damerau-Levenshtein distance, optimal string alignment."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_suggestions(main) -> None:
    """ "Menade du": words of the vocabulary at distance 1-2 from a term (Damerau-Levenshtein,
    optimal string alignment), the nearest first, at most five."""
    documents, folders = main
    found = set(vocabulary(documents))
    rng = random.Random(10)
    typos = {}
    for word in sorted(w for w in found if len(w) >= 8):
        cut = rng.randrange(2, len(word) - 1)
        typo = word[:cut] + word[cut + 1 :]  # a letter left out
        if not any(w.startswith(typo) for w in found) and len(typos) < 12:
            typos[typo if rng.random() < 0.5 else f'"{typo}"'] = word
    assert len(typos) == 12
    cases: list[Case] = [(q, {}, False) for q in typos]
    cases += [(q, {}, False) for q in ("bastv", "styrelsx", "2024 ärendx", '"enskilda vägr"')]
    for run in engine(folders, cases, suggest=True):
        for (q, _, _), answer in zip(cases, run, strict=True):
            query = parse(q)
            terms = [*query.prefixes, *query.whole, *(w for p in query.phrases for w in p)]
            suggested = answer["suggestions"]
            distances = [min(_osa(t, s) for t in terms) for s in suggested]
            assert not answer["documents"] and 1 <= len(suggested) <= 5, (q, suggested)
            assert all(s in found for s in suggested), (q, suggested)
            assert all(1 <= d <= 2 for d in distances) and distances == sorted(distances)
            if q in typos:
                assert typos[q] in suggested and distances[0] == 1, (q, suggested)


def _check_excerpt(query: matching.Query, unit: Unit, pieces: list[dict[str, Any]]) -> None:
    """Pieces of one field as written, at most 30 words, the matched words marked (at least
    one), and only those."""
    exact = {*query.whole, *(w for p in query.phrases for w in p)}

    def hit(word: str) -> bool:
        return word in exact or any(word.startswith(t) for t in query.prefixes)

    text = "".join(p["text"] for p in pieces).removeprefix("… ").removesuffix(" …")
    assert any(text in field for field in unit.fields), (text, unit.fields)
    assert len(words(text)) <= 30
    marked = [p["text"] for p in pieces if p["mark"]]
    assert marked and all(any(hit(w) for w in words(m)) for m in marked), (pieces, query)
    assert not any(hit(w) for p in pieces if not p["mark"] for w in words(p["text"])), pieces


def test_shown_documents_and_their_excerpts(main) -> None:
    """What the page shows of a document: its title, date, kind and bodies, and for each
    matching unit an excerpt around its first matched word."""
    documents, folders = main
    by_url = {d.url: d for d in documents}
    queries = ["arbets", "bas styrelse", '"enskilda vägar"', "å", '"åsa" berg', "strasse", "i̇zm"]
    queries += ["sekreterare", "a", "parti", "plats", '"och" 2023']
    cases: list[Case] = [(q, {}, False) for q in queries]
    shown = 0
    for run in engine(folders, cases, excerpts=True):
        for (q, _, _), answer in zip(cases, run, strict=True):
            assert answer["documents"], q
            for (url, anchors), excerpts, meta in zip(
                answer["documents"], answer["excerpts"], answer["meta"], strict=True
            ):
                document = by_url[url]
                assert meta == {
                    "title": document.title,
                    "date": document.date,
                    "typ": document.typ,
                    "organs": list(document.organs),
                }
                units = {u.anchor: u for u in document.units}
                for anchor, pieces in zip(anchors, excerpts, strict=True):
                    _check_excerpt(parse(q), units[anchor], pieces)
                    shown += 1
    assert shown > 500
