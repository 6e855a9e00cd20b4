"""A deterministic archive for benchmarks, in two shapes.

`python benchmarks/generate.py OUT N [--shape generated|real]` writes OUT/site.yaml and N
protocols across bodies and years, valid for `check`; the same N gives the same bytes.

- `generated`: a front page with beslutande, ersättare, frånvarande and övriga, 8–15
  paragraphs of drawn words with proposals, decisions, bullet lists and a budget table.
- `real`: the real protocols of the sample content (the seeds: long front pages with their
  groups of attendees, tables, nested lists, long paragraphs), each given a body and a date
  of its own with the notice's dates the law gives, and one plan with large tables per body
  and year (the sample plan). Real protocols cost about three times as much to read and check
  as the generated ones: this is the corpus to measure an office's build on.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from justerat.legal import law

BODIES = [
    ("kommunfullmaktige", "Kommunfullmäktige"),
    ("kommunstyrelsen", "Kommunstyrelsen"),
    ("barn-och-utbildningsnamnden", "Barn- och utbildningsnämnden"),
    ("socialnamnden", "Socialnämnden"),
    ("tekniska-namnden", "Tekniska nämnden"),
    ("kultur-och-fritidsnamnden", "Kultur- och fritidsnämnden"),
    ("miljo-och-byggnamnden", "Miljö- och byggnämnden"),
    ("valnamnden", "Valnämnden"),
    ("overformyndarnamnden", "Överförmyndarnämnden"),
    ("revisionen", "Revisionen"),
]
FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Karl",
    "Sara",
    "Johan",
    "Lena",
    "Per",
    "Emma",
    "Lars",
    "Ingrid",
    "Ahmed",
    "Fatima",
    "Nils",
    "Elin",
    "Mikael",
    "Aisha",
    "Olof",
    "Sofia",
    "Jonas",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Holmér",
    "Öberg",
    "Åkesson",
    "Hägg",
    "Widerström",
]
PARTIES = ["S", "M", "SD", "C", "V", "KD", "L", "MP"]
TITLES = [
    "Val av justerare",
    "Godkännande av dagordning",
    "Kansliet informerar",
    "Delårsrapport",
    "Budget och verksamhetsplan",
    "Medelstilldelning",
    "Projekt och insatser",
    "Anmälan av delegationsbeslut",
    "Konferenser och seminarier",
    "Meddelanden",
    "Uppföljning och utvärdering",
    "Taxor och avgifter",
    "Motion om cykelbanor",
    "Medborgarförslag om lekplats",
    "Internkontrollplan",
]
WORDS = [
    "förvaltningen",
    "föreslår",
    "att",
    "nämnden",
    "beslutar",
    "godkänna",
    "rapporten",
    "enligt",
    "bilaga",
    "verksamheten",
    "ekonomiska",
    "förutsättningar",
    "samverkan",
    "medlemmarna",
    "insatser",
    "målgruppen",
    "uppföljning",
    "budget",
    "prognos",
    "kvartal",
    "resultat",
    "deltagare",
    "kommunen",
    "regionen",
    "arbete",
    "studier",
    "utveckling",
    "samordnat",
    "stöd",
    "beredningsgruppen",
    "kansliet",
    "ärendet",
]

CALENDAR = law.Calendar()  # the law's dates for the generated notices


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def protocol(rng: random.Random, organ: str, name: str, day: date, first: int) -> str:
    voting = sorted({_person(rng) for _ in range(9)})
    others = sorted({_person(rng) for _ in range(4)} - set(voting))
    substitutes = sorted({_person(rng) for _ in range(3)} - set(voting) - set(others))
    justering = day + timedelta(days=rng.randint(3, 10))
    posted = CALENDAR.next_open_day(justering + timedelta(days=1))
    meta = {
        "organ": organ,
        "status": "justerat",
        "date": day.isoformat(),
        "time": f"{rng.randint(8, 17):02}.00-{rng.randint(18, 21):02}.30",
        "place": "Kommunhuset, sammanträdesrum Ekan",
        "attendees": {
            "voting": [
                {
                    "name": n,
                    "party": rng.choice(PARTIES),
                    **({"role": "ordförande"} if i == 0 else {}),
                }
                for i, n in enumerate(voting)
            ],
            "substitutes": [{"name": n, "party": rng.choice(PARTIES)} for n in substitutes],
            "others": [{"name": n, "title": "nämndsekreterare"} for n in others],
        },
        "secretary": {"name": others[0], "title": "nämndsekreterare"},
        "chair": voting[0],
        "justerare": [voting[1]],
        "justering": {"date": justering.isoformat(), "digital": True},
        "anslag": {
            "posted": posted.isoformat(),
            "taken_down": CALENDAR.earliest_take_down(posted).isoformat(),
        },
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = []
    for number in range(first, first + rng.randint(8, 15)):
        body.append(f"## § {number} {rng.choice(TITLES)}\n")
        body.append(
            " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 8))) + "\n"
        )
        if rng.random() < 0.5:
            body.append(
                "\n".join(f"- {_sentence(rng, rng.randint(5, 12))}" for _ in range(4)) + "\n"
            )
        if rng.random() < 0.2:
            body.append("Tabell: Budget och utfall\n\n| Post | Budget | Utfall |\n|---|---:|---:|")
            body.append(
                "\n".join(
                    f"| {rng.choice(TITLES)} | {rng.randint(1, 9)} {rng.randint(100, 999)} 000 | "
                    f"{rng.randint(1, 9)} {rng.randint(100, 999)} 000 |"
                    for _ in range(8)
                )
                + "\n"
            )
        body.append(f"### Förslag till beslut\n\n{_sentence(rng, 12)}\n")
        body.append(f"### {name} beslutar\n\n{name} beslutar att {_sentence(rng, 14).lower()}\n")
    return f"---\n{front}---\n\n" + "\n".join(body)


ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"


def _real(template: str, organ: str, day: date) -> str:
    """A real sample protocol as another meeting: its body and date, the justering a week on,
    the notice's dates as the law gives them; its acknowledgements (of the original's broken
    rules) and paragraphs justerade omedelbart left out."""
    head, body = template[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head)
    for key in ("acknowledged", "immediate", "not_for_web", "withdrawn"):
        meta.pop(key, None)
    justering = day + timedelta(days=7)
    posted = CALENDAR.next_open_day(justering + timedelta(days=1))
    meta.update(organ=organ, date=day.isoformat(), status="justerat")
    meta["justering"] = {**meta.get("justering", {}), "date": justering.isoformat()}
    taken_down = CALENDAR.earliest_take_down(posted).isoformat()
    meta["anslag"] = {"posted": posted.isoformat(), "taken_down": taken_down}
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}"


def _real_plan(template: str, organ: str, year: int) -> str:
    head, body = template[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head)
    meta.update(organ=organ, year=year, adopted=f"{year - 1}-11-21")
    meta["title"] = f"{meta['title']} ({organ} {year})"
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}"


def generate(out: Path, count: int, seed: int = 2023, shape: str = "generated") -> list[Path]:
    rng = random.Random(seed)
    templates = [p.read_text("utf-8") for p in sorted((SAMPLE / "protocols").rglob("*.md"))]
    plan = next((SAMPLE / "plans").glob("*.md")).read_text("utf-8")
    out.mkdir(parents=True, exist_ok=True)
    settings = {
        "organisation": "Exempelstads kommun",
        "base_url": "https://arkiv.example.se/",
        "kept_at": "Kommunkansliet, Exempelstad",
        "organisation_type": "kommun",
        "appeal": {"court": "Förvaltningsrätten i Exempelstad"},
        "contact": {"email": "kansliet@example.se"},
        "bodies": {slug: {"name": name} for slug, name in BODIES},
        # what `export earkiv` needs (benchmarks/earkiv_speed.py, tests/test_earkiv.py)
        "earkiv": {
            "organisationsnummer": "212000-9986",
            "arkivmyndighet": "Kommunstyrelsen i Exempelstads kommun",
            "archival_organisation": {"name": "Exempelstads e-arkiv"},
            "submission_agreement": "LÖ 2026:7",
            "reference_codes": {slug: f"SE/ES/{slug.upper()}" for slug, _ in BODIES},
        },
    }
    (out / "site.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    written = []
    per_body = -(-count // len(BODIES))
    for index in range(count):
        slug, name = BODIES[index % len(BODIES)]
        nth = index // len(BODIES)
        year = 2005 + nth * 20 // max(per_body, 1)
        day = date(year, 1, 10) + timedelta(days=(nth * 23) % 340)
        path = out / "protocols" / slug / f"{day.isoformat()}.md"
        while path.exists():
            day += timedelta(days=1)
            path = out / "protocols" / slug / f"{day.isoformat()}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if shape == "real":
            path.write_text(_real(templates[index % len(templates)], slug, day), "utf-8")
            plans = out / "plans" / f"verksamhetsplan-{slug}-{day.year}.md"
            if not plans.exists():
                plans.parent.mkdir(parents=True, exist_ok=True)
                plans.write_text(_real_plan(plan, slug, day.year), "utf-8")
        else:
            path.write_text(protocol(rng, slug, name, day, 1), "utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--shape", choices=["generated", "real"], default="generated")
    args = parser.parse_args()
    generate(args.out, args.count, shape=args.shape)
    print(f"{args.count} protokoll i {args.out}")


if __name__ == "__main__":
    main()
