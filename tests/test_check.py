"""`check` and `build` on bad input: every case names the file, the line and the problem,
and exits non-zero. Each case is a small edit of a valid protocol (fixtures/minimal.md)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TODAY, leftovers, run_build_py, tree_snapshot

from justerat.app.cli import main

MINIMAL = (FIXTURES / "minimal.md").read_text("utf-8")
NAME = "protocols/styrelsen/2024-03-06.md"
VOTING = MINIMAL[MINIMAL.index("  voting:\n") : MINIMAL.index("  substitutes:\n")]
ATTENDEES = MINIMAL[MINIMAL.index("attendees:\n") : MINIMAL.index("secretary:\n")]


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], None]
    expected: str  # "LINE: severity: message", after the file's path
    exit_code: int = 1


def replace(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        assert MINIMAL.count(old) >= count, old
        (content / NAME).write_text(MINIMAL.replace(old, new, count), "utf-8")

    return edit


def replace_all(*pairs: tuple[str, str]) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        text = MINIMAL
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        (content / NAME).write_text(text, "utf-8")

    return edit


def write_bytes(data: bytes) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        (content / NAME).write_bytes(data)

    return edit


def second_copy(content: Path) -> None:
    (content / NAME).write_text(MINIMAL, "utf-8")
    (content / "protocols/styrelsen/2024-03-06-extra.md").write_text(MINIMAL, "utf-8")


CASES = [
    Case(
        "yaml-tab",
        replace("\n  title: förbundschef\nchair", "\n\ttitle: förbundschef\nchair"),
        "23: error: raden har ett tabbtecken, och YAML tillåter bara mellanslag; byt tabben mot "
        "mellanslag (två mellanslag för varje steg i indraget) [yaml]",
    ),
    Case(
        "yaml-unclosed-quote",
        replace('time: "15.00-16.00"', 'time: "15.00-16.00'),
        '5: error: citattecknet " som börjar här avslutas aldrig; avsluta värdet med " på samma '
        "rad, eller ta bort citattecknet [yaml]",
    ),
    Case(
        "yaml-duplicate-key",
        replace("status: justerat\n", "status: justerat\nstatus: draft\n"),
        "4: error: nyckeln 'status' förekommer två gånger (första gången på rad 3); ta bort den "
        "ena eller byt namn på den [yaml]",
    ),
    Case(
        "no-front-matter",
        replace("---\norgan", "organ"),
        "1: error: filen saknar front matter: börja filen med en rad '---'",
    ),
    Case(
        "front-matter-unclosed",
        replace("---\n\n## § 1", "\n## § 1"),
        "1: error: front matter avslutas aldrig: lägg till en rad '---' efter den",
    ),
    Case(
        "missing-chair",
        replace("chair: Anna Ordförande\n", ""),
        "1: error: obligatoriskt fält 'chair' saknas [schema]",
    ),
    Case(
        "missing-nested",
        replace("  date: 2024-03-12\n  digital", "  digital"),
        "27: error: obligatoriskt fält 'justering.date' saknas [schema]",
    ),
    Case(
        "impossible-date",
        replace("date: 2024-03-06", "date: 2024-02-30"),
        "4: error: 'date': '2024-02-30' är inget riktigt datum [schema]",
    ),
    Case(
        "date-in-words",
        replace("  posted: 2024-03-13", "  posted: 13 mars 2024"),
        "31: error: 'anslag.posted': '13 mars 2024' har fel form (skriv datum som ÅÅÅÅ-MM-DD, "
        "till exempel 2023-09-13) [schema]",
    ),
    Case(
        "unknown-key-typo",
        replace("justerare:\n", "justeraer:\n"),
        "25: error: okänd nyckel 'justeraer'; menade du 'justerare'? [schema]",
    ),
    Case(
        "unknown-nested-key",
        replace("      party: S\n", "      partyy: S\n"),
        "10: error: okänd nyckel 'attendees.voting[1].partyy'; menade du 'party'? [schema]",
    ),
    Case(
        "wrong-type",
        replace("  digital: true", "  digital: ja"),
        "29: error: 'justering.digital' har fel typ: 'ja' ska vara true eller false [schema]",
    ),
    Case(
        "status-unknown",
        replace("status: justerat", "status: klar"),
        "3: error: 'status': 'klar' är inte tillåtet; välj en av draft, justerat [schema]",
    ),
    Case(
        "time-shape",
        replace('time: "15.00-16.00"', 'time: "kl 15"'),
        "5: error: 'time': 'kl 15' har fel form (skriv till exempel \"15.00-16.15\") [schema]",
    ),
    Case(
        "time-impossible",
        replace('time: "15.00-16.00"', 'time: "25.00-26.00"'),
        "5: error: 'time': 25.00-26.00 är ingen riktig tid",
    ),
    Case(
        "time-backwards",
        replace('time: "15.00-16.00"', 'time: "16.00-15.00"'),
        "5: error: 'time': mötet slutar (15.00) före det börjar (16.00)",
    ),
    Case(
        "unknown-organ",
        replace("organ: styrelsen", "organ: styrelsn"),
        "2: error: organet 'styrelsn' finns inte i {content}/site.yaml; menade du 'styrelsen'? "
        "[organ]",
    ),
    Case(
        "duplicate-paragraph",
        replace("## § 2 Godk", "## § 1 Godk"),
        "39: error: § 1 förekommer två gånger (första gången på rad 35) [paragraph-order]",
    ),
    Case(
        "decreasing-paragraph",
        replace("## § 1 Val", "## § 5 Val"),
        "39: error: § 2 kommer efter § 5; paragrafnumren ska öka [paragraph-order]",
    ),
    Case(
        "heading-without-number",
        replace("## § 2 Godk", "## Godk"),
        "39: error: rubriken 'Godkännande av dagordning' saknar paragrafnummer; "
        "skriv '## § 1 Rubrik' [paragraph]",
    ),
    Case(
        "paragraph-without-title",
        replace("## § 2 Godkännande av dagordning", "## § 2"),
        "39: error: § 2 saknar rubrik [paragraph]",
    ),
    Case(
        "justerare-not-attending",
        replace("justerare:\n  - Bo Ledamot", "justerare:\n  - Bo Ledamoot"),
        "26: error: justeraren Bo Ledamoot finns inte bland deltagarna (attendees); menade du "
        "'Bo Ledamot'? [KL 5:69]",
    ),
    Case(
        "chair-not-attending",
        replace("chair: Anna Ordförande", "chair: Eva Okänd"),
        "24: error: ordföranden Eva Okänd finns inte bland deltagarna (attendees); kontrollera "
        "stavningen eller lägg till personen [KL 5:69]",
    ),
    Case(
        "justerare-absent",
        replace("  others:\n", "  absent:\n    - name: Eva Borta\n  others:\n").__class__
        and (
            lambda c: (c / NAME).write_text(
                MINIMAL.replace(
                    "  others:\n", "  absent:\n    - name: Eva Borta\n  others:\n"
                ).replace("justerare:\n  - Bo Ledamot", "justerare:\n  - Eva Borta"),
                "utf-8",
            )
        ),
        "28: error: justeraren Eva Borta står som frånvarande; den som justerar måste ha varit "
        "med på mötet [KL 5:69]",
    ),
    Case(
        "justerare-substitute",
        replace("justerare:\n  - Bo Ledamot", "justerare:\n  - Cecilia Ersättare"),
        "26: warning: justeraren Cecilia Ersättare finns bland deltagarna men inte bland de "
        "beslutande; protokollet justeras av ordföranden och minst en ledamot [KL 5:69]",
        0,
    ),
    Case(
        "same-meeting-twice",
        second_copy,
        "4: error: två protokoll för samma möte (styrelsen 2024-03-06): även "
        "{content}/protocols/styrelsen/2024-03-06-extra.md [unique-meeting]",
    ),
    Case(
        "not-utf8",
        write_bytes(MINIMAL.encode("latin-1")),
        "9: error: filen är inte UTF-8 (byte 0xf6); spara den som UTF-8",
    ),
    Case(
        "binary",
        write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "3: error: filen är binär (innehåller NUL-tecken), inte text",
    ),
    Case(
        "heading-jump",
        replace("### Styrelsen beslutar", "#### Styrelsen beslutar"),
        "41: warning: rubriken hoppar från nivå 2 till nivå 4; använd ### här [heading-order]",
        0,
    ),
]


IMMEDIATE = (
    "---\n\n## § 1",
    "immediate:\n  - paragraphs: [2]\n    justering:\n      date: 2024-03-06\n"
    "    anslag:\n      posted: 2024-03-05\n---\n\n## § 1",
)
ACK = "acknowledged:\n  - rule: {rule}\n    text: Kvitterat av kansliet 23 november 2026.\n---\n\n## § 1"

# The date rules of the notice board (KL 8:12, 13:5, 5:69; lag 1930:173)
CASES += [
    Case(
        "anslag-fore-justering",
        replace("  posted: 2024-03-13", "  posted: 2024-03-11"),
        "31: error: anslaget sattes upp måndag 11 mars 2024, före justeringen tisdag 12 mars "
        "2024; ett tillkännagivande om justering kan bara sättas upp efter justeringen "
        "(KL 8 kap. 12 §). Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: anslag-fore-justering, text: ...}}] "
        "[anslag-fore-justering]",
    ),
    Case(
        "anslag-for-sent",
        replace("  posted: 2024-03-13", "  posted: 2024-03-15"),
        "31: warning: anslaget sattes upp fredag 15 mars 2024; senast tillåtna dag var torsdag "
        "14 mars 2024, andra dagen efter justeringen (KL 8 kap. 12 §, lag 1930:173) "
        "[anslag-for-sent]",
        0,
    ),
    Case(
        "nedtaget-for-tidigt",
        replace("  taken_down: 2024-04-08", "  taken_down: 2024-04-02"),
        "32: error: anslaget togs ned tisdag 2 april 2024, före överklagandetidens sista dag "
        "onsdag 3 april 2024; då löper överklagandetiden inte ut (KL 8 kap. 12 §, 13 kap. 5 §). "
        "Tidigast tillåtna dag: torsdag 4 april 2024. Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: nedtaget-for-tidigt, "
        "text: ...}}] [nedtaget-for-tidigt]",
    ),
    Case(
        "nedtaget-sista-dagen",
        replace("  taken_down: 2024-04-08", "  taken_down: 2024-04-03"),
        "32: warning: anslaget togs ned onsdag 3 april 2024, överklagandetidens sista dag; det "
        "får tas ned tidigast torsdag 4 april 2024 (KL 8 kap. 12 §, 13 kap. 5 §) "
        "[nedtaget-sista-dagen]",
        0,
    ),
    Case(
        "nedtaget-fore-uppsatt",
        replace("  taken_down: 2024-04-08", "  taken_down: 2024-03-10"),
        "32: error: anslaget togs ned söndag 10 mars 2024, före det sattes upp onsdag 13 mars "
        "2024. Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: nedtaget-fore-uppsatt, text: ...}}] [nedtaget-fore-uppsatt]",
    ),
    Case(
        "justering-fore-mote",
        replace("  date: 2024-03-12", "  date: 2024-03-05"),
        "28: error: justeringen tisdag 5 mars 2024 är före sammanträdet onsdag 6 mars 2024. "
        "Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: justering-fore-mote, text: ...}}] [justering-fore-mote]",
    ),
    Case(
        "justering-for-sen",
        replace_all(
            ("  date: 2024-03-12", "  date: 2024-03-21"),
            ("  posted: 2024-03-13", "  posted: 2024-03-22"),
            ("  taken_down: 2024-04-08", "  taken_down: 2024-04-15"),
        ),
        "28: warning: protokollet justerades torsdag 21 mars 2024, 15 dagar efter sammanträdet; "
        "det ska justeras inom 14 dagar (KL 5 kap. 69 §, 6 kap. 35 §) [justering-for-sen]",
        0,
    ),
    Case(
        "anslag-saknas",
        replace("anslag:\n  posted: 2024-03-13\n  taken_down: 2024-04-08\n", ""),
        "1: error: protokollet är justerat men saknar datum för anslaget (anslag: posted:); "
        "justeringen ska tillkännages på anslagstavlan (KL 8 kap. 12 §). Kör 'python build.py "
        "anslag {content}/protocols/styrelsen/2024-03-06.md' för datumen. "
        "Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: anslag-saknas, text: ...}}] [anslag-saknas]",
    ),
    Case(
        "justering-saknas",
        replace("justering:\n  date: 2024-03-12\n  digital: true\n", ""),
        "1: error: protokollet har status justerat men ingen justering (justering: date:); "
        "ange när det justerades. Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: justering-saknas, text: ...}}] [justering-saknas]",
    ),
    Case(
        "immediate-unknown-paragraph",
        replace(
            *IMMEDIATE[:1], IMMEDIATE[1].replace("[2]", "[7]").replace("2024-03-05", "2024-03-07")
        ),
        "34: error: § 7 är justerad omedelbart men finns inte i protokollet [immediate]",
    ),
    Case(
        "immediate-posted-before-its-justering",
        replace(*IMMEDIATE),
        "38: error: §\u00a02 (justerade omedelbart): anslaget sattes upp tisdag 5 mars 2024, före "
        "justeringen onsdag 6 mars 2024; ett tillkännagivande om justering kan bara sättas upp "
        "efter justeringen (KL 8 kap. 12 §). Ett historiskt protokoll kan publiceras ändå med en skriftlig kvittens: "
        "acknowledged: [{{rule: anslag-fore-justering, text: ...}}] "
        "[anslag-fore-justering]",
    ),
    Case(
        "acknowledged-fault-is-a-warning",
        replace_all(
            ("  posted: 2024-03-13", "  posted: 2024-03-11"),
            ("---\n\n## § 1", ACK.format(rule="anslag-fore-justering")),
        ),
        "31: warning: anslaget sattes upp måndag 11 mars 2024, före justeringen tisdag 12 mars "
        "2024; ett tillkännagivande om justering kan bara sättas upp efter justeringen "
        "(KL 8 kap. 12 §) (kvitterat) [anslag-fore-justering]",
        0,
    ),
    Case(
        "acknowledgement-not-needed",
        replace("---\n\n## § 1", ACK.format(rule="nedtaget-for-tidigt")),
        "34: warning: kvittensen för 'nedtaget-for-tidigt' behövs inte: protokollet bryter inte "
        "mot den regeln; ta bort den [acknowledged]",
        0,
    ),
    Case(
        "acknowledgement-unknown-rule",
        replace("---\n\n## § 1", ACK.format(rule="anslag-sent")),
        "34: error: 'acknowledged[1].rule': 'anslag-sent' är inte tillåtet; välj en av "
        "justering-saknas, justering-fore-mote, justering-for-sen, anslag-saknas, "
        "anslag-fore-justering, anslag-for-sent, nedtaget-fore-uppsatt, nedtaget-for-tidigt, "
        "nedtaget-sista-dagen [schema]",
    ),
]


PERSONNUMMER = (
    "personnummer eller samordningsnummer {masked} får inte publiceras; ta bort eller maskera "
    "det, håll paragrafen utanför webben (not_for_web) eller tillåt just det numret med "
    "allow_numbers och ett skäl [personnummer]"
)
BODY_LINE = "Till justerare utsågs Bo Ledamot."  # line 37


def body(text: str) -> Callable[[Path], None]:
    return replace(BODY_LINE, f"{BODY_LINE} {text}")


def write_text(text: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        (content / NAME).write_text(text, "utf-8")

    return edit


# Personal data, script injection, traversal, enormous values, more broken files (issue 10)
CASES += [
    Case(
        "personnummer-short",
        body("Ärendet gäller 121212-1212."),
        "37: error: " + PERSONNUMMER.format(masked="121212-****"),
    ),
    Case(
        "personnummer-long",
        body("Personnummer 19121212-1212."),
        "37: error: " + PERSONNUMMER.format(masked="19121212-****"),
    ),
    Case(
        "personnummer-no-dash",
        body("(1212121212)"),
        "37: error: " + PERSONNUMMER.format(masked="121212****"),
    ),
    Case(
        "personnummer-plus",
        body("född 121212+1212"),
        "37: error: " + PERSONNUMMER.format(masked="121212+****"),
    ),
    Case(
        "personnummer-space",
        body("nr 121212 1212"),
        "37: error: " + PERSONNUMMER.format(masked="121212 ****"),
    ),
    Case(
        "samordningsnummer",
        body("samordningsnummer 121272-1219"),
        "37: error: " + PERSONNUMMER.format(masked="121272-****"),
    ),
    Case(
        "personnummer-in-front-matter",
        replace(
            "      represents: Försäkringskassan",
            "      represents: Försäkringskassan\n      note: 19121212-1212",
        ),
        "15: error: " + PERSONNUMMER.format(masked="19121212-****"),
    ),
    Case(
        "personnummer-wrong-check-digit",
        body("nummer 121212-1213"),
        "37: warning: numret 121212-**** ser ut som ett personnummer med fel kontrollsiffra; "
        "kontrollera numret: ett personnummer får aldrig publiceras (ta bort eller maskera det), "
        "och är det inget personnummer, skriv det på ett annat sätt eller tillåt just det numret "
        "med allow_numbers och ett skäl [personnummer-kontrollsiffra]",
        0,
    ),
    Case(
        "personnummer-allowed",
        replace_all(
            (BODY_LINE, BODY_LINE + " 121212-1212"),
            (
                "---\n\n## § 1",
                "allow_numbers:\n  - number: 121212-1212\n    reason: Skatteverkets testnummer\n---\n\n## § 1",
            ),
        ),
        "",
        0,
    ),
    Case(
        "personnummer-in-paragraph-off-the-web",
        replace_all(
            (BODY_LINE, BODY_LINE + " 121212-1212"),
            (
                "---\n\n## § 1",
                "not_for_web:\n  - paragraph: 1\n    reason: Personärende\n---\n\n## § 1",
            ),
        ),
        "",
        0,
    ),
    Case(
        "not-for-web-unknown-paragraph",
        replace(
            "---\n\n## § 1",
            "not_for_web:\n  - paragraph: 9\n    reason: Personärende\n---\n\n## § 1",
        ),
        "34: error: § 9 ska hållas utanför webben men finns inte i protokollet [not-for-web]",
    ),
    Case(
        "javascript-link",
        body("[klicka](javascript:alert(1))"),
        "37: error: länkar med 'javascript:' är inte tillåtna; länka till en webbadress "
        "(https://…) eller en fil i innehållsmappen [unsafe-link]",
    ),
    Case(
        "javascript-link-mixed-case",
        body("[klicka]( JaVaScRiPt:alert(1))"),
        "37: error: länkar med 'javascript:' är inte tillåtna; länka till en webbadress "
        "(https://…) eller en fil i innehållsmappen [unsafe-link]",
    ),
    Case(
        "vbscript-link",
        body("[x](vbscript:msgbox)"),
        "37: error: länkar med 'vbscript:' är inte tillåtna; länka till en webbadress "
        "(https://…) eller en fil i innehållsmappen [unsafe-link]",
    ),
    Case(
        "image-from-the-web",
        body("![karta](http://example.com/karta.png)"),
        "37: error: bilden 'http://example.com/karta.png' måste vara en fil i innehållsmappen, "
        "angiven relativt dokumentet (till exempel bilder/karta.png); bilder från andra platser "
        "hämtas aldrig [image]",
    ),
    Case(
        "image-file-url",
        body("![x](file:///etc/passwd)"),
        "37: error: bilden 'file:///etc/passwd' måste vara en fil i innehållsmappen, angiven "
        "relativt dokumentet (till exempel bilder/karta.png); bilder från andra platser hämtas "
        "aldrig [image]",
    ),
    Case(
        "image-traversal",
        body("![x](../../../../../../etc/passwd)"),
        "37: error: bilden '../../../../../../etc/passwd' ligger utanför innehållsmappen [image]",
    ),
    Case(
        "image-absolute-path",
        body("![x](/etc/hostname)"),
        "37: error: bilden '/etc/hostname' måste vara en fil i innehållsmappen, angiven relativt "
        "dokumentet (till exempel bilder/karta.png); bilder från andra platser hämtas aldrig [image]",
    ),
    Case(
        "image-missing",
        body("![x](saknas.png)"),
        "37: error: bilden 'saknas.png' finns inte [image]",
    ),
    Case(
        "raw-html-is-shown-as-text",
        body("<script>alert('x')</script>"),
        "37: warning: HTML i texten visas som text, inte som HTML; skriv Markdown i stället "
        "[raw-html]",
        0,
    ),
    Case(
        "organ-traversal",
        replace("organ: styrelsen", "organ: ../../etc"),
        "2: error: 'organ': '../../etc' har fel form (små bokstäver, siffror och bindestreck, "
        "till exempel 'styrelsen') [schema]",
    ),
    Case(
        "enormous-place",
        replace("place: Kansliet, Haninge", "place: " + "x" * 10000),
        "6: error: 'place' är för långt (högst 500 tecken) [schema]",
    ),
    Case(
        "enormous-file",
        write_bytes(b"---\n" + b"a" * (6 * 1024 * 1024)),
        "error: filen är 6291460 byte, större än gränsen 5242880 byte",
    ),
    Case(
        "yaml-alias-bomb",
        replace("status: justerat\n", "status: justerat\nx: &a [lol, lol]\ny: [*a, *a, *a]\n"),
        "4: error: YAML-ankare och alias (& och *) används inte i front matter; skriv ut värdet [yaml]",
    ),
    Case(
        "utf16",
        write_bytes(MINIMAL.encode("utf-16")),
        "1: error: filen är binär (innehåller NUL-tecken), inte text",
    ),
    Case(
        "empty-file",
        write_bytes(b""),
        "1: error: filen saknar front matter: börja filen med en rad '---'",
    ),
    Case(
        "no-paragraphs",
        replace(
            "\n## § 1 Val av justerare\n\nTill justerare utsågs Bo Ledamot.\n\n"
            "## § 2 Godkännande av dagordning\n\n### Styrelsen beslutar\n\n"
            "Styrelsen beslutar att godkänna dagordningen.\n",
            "\n",
        ),
        "34: error: protokollet har inga paragrafer; börja varje paragraf med '## § 1 Rubrik' [paragraph]",
    ),
    Case(
        "date-as-number",
        replace("date: 2024-03-06", "date: 20240306"),
        "4: error: 'date' har fel typ: 20240306 ska vara text [schema]",
    ),
    Case(
        "attendees-as-text",
        replace_all(
            (
                "attendees:\n  voting:\n    - name: Anna Ordförande\n      party: S\n      represents: Haninge kommun\n"
                "      role: ordförande\n    - name: Bo Ledamot\n      represents: Försäkringskassan\n  substitutes:\n"
                "    - name: Cecilia Ersättare\n      party: M\n  others:\n    - name: Dan Sekreterare\n"
                "      title: förbundschef\n",
                "attendees: Anna, Bo\n",
            )
        ),
        "7: error: 'attendees' har fel typ: 'Anna, Bo' ska vara nycklar och värden [schema]",
    ),
    Case(
        "justerare-as-text",
        replace("justerare:\n  - Bo Ledamot", "justerare: Bo Ledamot"),
        "25: error: 'justerare' har fel typ: 'Bo Ledamot' ska vara en lista [schema]",
    ),
    Case(
        "february-29-in-a-common-year",
        replace("date: 2024-03-06", "date: 2023-02-29"),
        "4: error: 'date': '2023-02-29' är inget riktigt datum [schema]",
    ),
    Case(
        "month-13",
        replace("  posted: 2024-03-13", "  posted: 2024-13-01"),
        "31: error: 'anslag.posted': '2024-13-01' är inget riktigt datum [schema]",
    ),
    Case(
        "year-zero",
        replace("  date: 2024-03-12", "  date: 0000-03-12"),
        "28: error: 'justering.date': '0000-03-12' är inget riktigt datum [schema]",
    ),
    Case(
        "too-many-attendees",
        replace("  substitutes:\n", "  absent:\n" + "    - name: X\n" * 501 + "  substitutes:\n"),
        "15: error: 'attendees.absent' har för många poster (högst 500) [schema]",
    ),
    Case(
        "front-matter-is-a-list",
        write_text("---\n- a\n- b\n---\n\n## § 1 X\n"),
        "2: error: front matter måste vara nycklar och värden (key: value)",
    ),
    Case("crlf-line-endings-are-fine", write_bytes(MINIMAL.replace("\n", "\r\n").encode()), "", 0),
    Case(
        "withdrawn-without-reason",
        replace("---\n\n## § 1", "withdrawn:\n  date: 2026-11-01\n---\n\n## § 1"),
        "33: error: obligatoriskt fält 'withdrawn.reason' saknas [schema]",
    ),
    Case(
        "attendees-empty",
        replace(ATTENDEES, "attendees: {}\n"),
        "7: error: 'attendees' saknar de beslutande: räkna upp dem under 'voting', eller skriv "
        "var de står under 'note' (till exempel note: \"Se närvarolista, bilaga 1\") [schema]",
    ),
    Case(
        "attendees-without-voting-or-note",
        replace(VOTING, ""),
        "7: error: 'attendees' saknar de beslutande: räkna upp dem under 'voting', eller skriv "
        "var de står under 'note' (till exempel note: \"Se närvarolista, bilaga 1\") [schema]",
    ),
    Case(
        "attendees-note-instead-of-voting",  # the chair and justerare cannot be checked: silence
        replace(VOTING, '  note: "Se närvarolista, bilaga 1"\n'),
        "",
        0,
    ),
    Case(
        "attendees-note-and-the-chair-absent",
        replace(
            VOTING,
            '  note: "Se närvarolista, bilaga 1"\n  absent:\n    - name: Anna Ordförande\n',
        ),
        "20: error: ordföranden Anna Ordförande står som frånvarande; den som justerar måste "
        "ha varit med på mötet [KL 5:69]",
    ),
    Case(
        "imported-empty-line",
        replace("---\n\n## § 1", 'imported:\n  file: ks.pdf\n  text: ["KS", ""]\n---\n\n## § 1'),
        "35: error: 'imported.text[2]' får inte vara tomt [schema]",
    ),
    Case(
        "imported-unknown-key",
        replace("---\n\n## § 1", "imported:\n  fil: ks.pdf\n---\n\n## § 1"),
        "34: error: okänd nyckel 'imported.fil'; menade du 'file'? [schema]",
    ),
]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive, built once; each case starts from a copy of it."""
    out = tmp_path_factory.mktemp("baseline") / "site"
    result = run_build_py("build", "--out", str(out), "--today", "2024-01-01", "--no-pdf")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_and_the_published_site_stays(
    case: Case, content: Path, tmp_path: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each bad file is reported by ``check``, and ``build`` holds it back: it exits 1 and
    names the file, and the published site stays byte for byte as it was (the file's last
    published version stands in for it, and nothing else changed)."""
    shutil.copytree(baseline.parent, tmp_path / "published", symlinks=True)  # with its trees
    out = tmp_path / "published/site"
    before = tree_snapshot(out)
    case.edit(content)
    code = main(["check", "--content", str(content), "--today", TODAY])
    checked = capsys.readouterr().err
    assert code == case.exit_code, checked
    if case.expected:
        file = content.as_posix() + "/" + NAME
        expected = f"{file}:{case.expected}".format(content=content.as_posix())
        if case.expected.startswith("error: "):  # a problem of the whole file: no line
            expected = f"{file}: {case.expected}"
        assert expected in checked.splitlines(), checked
    else:
        assert f"{NAME}:" not in checked, checked
    if case.exit_code:
        built = run_build_py(
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--today",
            "2024-01-01",
            "--no-pdf",
        )
        assert built.returncode == 1
        assert checked.splitlines()[0] in built.stderr  # build reports the same
        # the file itself (and, for two files at one address, the other one too)
        assert re.search(r"höll tillbaka (1 fil|2 filer) med fel", built.stderr), built.stderr
        assert f"{content.as_posix()}/{NAME}:" in built.stderr.split("höll tillbaka")[1]
        assert tree_snapshot(out) == before  # the published site, byte for byte
        assert leftovers(tmp_path / "published") == []


def test_shipped_content_passes_check_with_the_seeds_faults_reported() -> None:
    result = run_build_py("check")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == "0 fel, 4 varningar"
    # the 2023 protocol is in order; the 2022 one has the faults of the real document
    assert not [line for line in lines if "2023-09-13.md" in line]
    found = [(line.split(":")[1], line.rsplit("[", 1)[1].rstrip("]")) for line in lines[:-1]]
    assert found == [
        ("57", "KL 5:69"),  # the justerare was an ersättare, not among the beslutande
        ("59", "justering-for-sen"),  # justerat 37 days after the meeting
        ("62", "anslag-fore-justering"),  # posted before the justering: acknowledged
        ("63", "nedtaget-sista-dagen"),  # taken down on the appeal period's last day
    ]
    assert "(kvitterat)" in lines[2]


def test_check_reports_every_problem_at_once(content: Path, capsys) -> None:
    (content / NAME).write_text(
        MINIMAL.replace("date: 2024-03-06", "date: 2024-02-30").replace(
            "justerare:\n", "justeraer:\n"
        ),
        "utf-8",
    )
    (content / "protocols/styrelsen/2024-05-01.md").write_text(
        MINIMAL.replace("date: 2024-03-06", "date: 2024-03-05").replace(
            "## § 2 Godk", "## § 1 Godk"
        ),
        "utf-8",
    )
    code = main(["check", "--content", str(content), "--today", TODAY])
    lines = capsys.readouterr().err.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 4, lines  # bad date, unknown key, missing justerare, duplicate §
    located = [(line.split(":")[0], int(line.split(":")[1])) for line in lines[:-1]]
    assert located == sorted(located)  # sorted by file, then line number
    # the 2022 seed protocol warns as ever; the file 2024-05-01.md holds the meeting of 5 March
    assert lines[-1] == "4 fel, 5 varningar"
    assert [line for line in lines if "[file-place]" in line] == [
        f"{content.as_posix()}/protocols/styrelsen/2024-05-01.md:4: warning: filen ligger inte "
        "där organ och date säger: den publiceras som styrelsen 2024-03-05; flytta den till "
        "styrelsen/2024-03-05.md i sin mapp, eller rätta organ eller date [file-place]"
    ]
    assert code == 1


def test_plan_file_name_must_make_an_address(content: Path, capsys) -> None:
    plan = content / "plans" / "verksamhetsplan-2019.md"
    shutil.move(plan, content / "plans" / "Verksamhetsplan 2019.md")
    assert main(["check", "--content", str(content), "--today", TODAY]) == 1
    assert (
        f"{content.as_posix()}/plans/Verksamhetsplan 2019.md: error: filnamnet 'Verksamhetsplan "
        "2019' blir planens adress: använd små bokstäver a–z, siffror och bindestreck, till "
        "exempel 'verksamhetsplan-2019.md' [slug]"
    ) in capsys.readouterr().err


def test_settings_problems_name_the_settings_file(content: Path, capsys) -> None:
    settings = content / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace("    name: Styrelsen", "    nam: Styrelsen")
    )
    assert main(["check", "--content", str(content), "--today", TODAY]) == 1
    err = capsys.readouterr().err
    assert (
        f"{settings.as_posix()}:7: error: okänd nyckel 'bodies.styrelsen.nam'; "
        "menade du 'name'? [schema]" in err
    )


def test_broken_build_leaves_the_published_site_untouched(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = run_build_py("build", "--content", str(content), "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = tree_snapshot(out)
    protocol = content / "protocols/styrelsen/2023-09-13.md"
    protocol.write_text(protocol.read_text("utf-8").replace("date: 2023-09-13", "date: 2023-09-31"))
    result = run_build_py("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert (
        f"{protocol.as_posix()}:4: error: 'date': '2023-09-31' är inget riktigt datum"
        in result.stderr
    )
    assert tree_snapshot(out) == before
    assert leftovers(tmp_path) == []  # nothing half-written is left


def test_build_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "important.txt").write_text("keep me")
    result = run_build_py("build", "--out", str(out))
    assert result.returncode == 1
    assert "finns redan och är inte byggd av Justerat" in result.stderr
    assert (out / "important.txt").read_text() == "keep me"


def test_build_refuses_an_output_folder_holding_the_content(tmp_path: Path) -> None:
    result = run_build_py("build", "--out", ".", cwd=ROOT)
    assert result.returncode == 1
    assert "välj en egen mapp för webbplatsen" in result.stderr
