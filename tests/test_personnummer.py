"""A mistyped personnummer is pointed out (issue 27, item 10): a number spelled as a
personnummer, with a real date but the wrong check digit, gets a warning at its line; a right
one stays an error, and numbers of other shapes get nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build_py

from justerat.core.problems import Severity
from justerat.domain.source import read_source
from justerat.reading.guard import identity_numbers, luhn_ok, mistyped_numbers, personal_numbers

WARNING = (
    "warning: numret {masked} ser ut som ett personnummer med fel kontrollsiffra; kontrollera "
    "numret: ett personnummer får aldrig publiceras (ta bort eller maskera det), och är det "
    "inget personnummer, skriv det på ett annat sätt eller tillåt just det numret med "
    "allow_numbers och ett skäl [personnummer-kontrollsiffra]"
)


def luhn_digit(nine: str) -> str:
    """The check digit of nine digits, worked out here by the rule itself: from the left, every
    other digit doubled (its digits summed), the sum brought up to a multiple of ten."""
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def test_the_examples_check_digits() -> None:
    # 5·2=10→1, 6, 0·2=0, 4, 1·2=2, 2, 1·2=2, 2, 3·2=6: 25, so 560412-123 needs a 5:
    # 560412-1234 is wrong and 560412-1235 is right
    assert luhn_digit("560412123") == "5"
    assert not luhn_ok("5604121234")
    assert luhn_ok("5604121235")
    assert luhn_digit("121212121") == "2"  # Skatteverket's test number 121212-1212


@pytest.mark.parametrize(
    "written",
    ["560412-1234", "560412+1234", "19560412-1234", "5604121234", "195604121234"],
)
def test_a_wrong_check_digit_is_mistyped(written: str) -> None:
    text = f"Ärendet gäller {written}."
    assert list(mistyped_numbers(text)) == [(written, "5604121234")]
    assert list(identity_numbers(text)) == []


@pytest.mark.parametrize(
    "written",
    ["560412-1235", "560412+1235", "19560412-1235", "5604121235", "195604121235"],
)
def test_a_right_check_digit_is_an_identity_number_not_a_mistyped_one(written: str) -> None:
    text = f"Ärendet gäller {written}."
    assert list(identity_numbers(text)) == [(written, "5604121235")]
    assert list(mistyped_numbers(text)) == []


def test_a_samordningsnummer_with_a_wrong_check_digit_is_mistyped() -> None:
    right = "560472-123" + luhn_digit("560472123")  # the 12th, day plus 60
    wrong = right[:-1] + str((int(right[-1]) + 1) % 10)
    assert list(identity_numbers(right)) == [(right, right.replace("-", ""))]
    assert list(mistyped_numbers(wrong)) == [(wrong, wrong.replace("-", ""))]


@pytest.mark.parametrize(
    "text",
    [
        "561332-1234",  # no 13th month
        "560432-1234",  # no 32nd of April
        "19561332-1234",
        "010229-1234",  # 2001 and 1901 were no leap years
        "KS 2023/145",
        "Dnr 941-2011",
        "Dnr 2012.0034",
        "telefon 08-123 456 78",
        "telefon 070-123 45 67",
        "belopp 1 250 000 kr",
        "2023-04-12",
        "560412-123",  # nine digits
        "560412-12345",  # eleven
        "5604121234567",  # thirteen
        "212000-2270",  # an organisationsnummer: month 20
        "a5604121234",  # inside a word or a hash
        "https://example.se/5604121234",  # an address's part
        "5604121234,50 kr",  # a decimal number
    ],
)
def test_other_numbers_get_nothing(text: str) -> None:
    assert list(mistyped_numbers(text)) == []
    assert list(identity_numbers(text)) == []


def test_a_space_between_date_and_digits_is_not_warned_of() -> None:
    """A real personnummer so written is an error still; a wrong one is no warning (numbers
    spaced so are common and the issue names only the spellings without a space)."""
    assert list(identity_numbers("560412 1235")) == [("560412 1235", "5604121235")]
    assert list(mistyped_numbers("560412 1234")) == []


def test_leap_day_of_either_century_is_a_real_date() -> None:
    wrong = "000229-123" + str((int(luhn_digit("000229123")) + 1) % 10)
    assert [w for w, _ in mistyped_numbers(wrong)] == [wrong]


PROTOCOL = """\
---
organ: styrelsen
note: 19560412-1234
allow_numbers:
  - number: 560412-1236
    reason: Inget personnummer utan ett ärendenummer
---

## § 1 Ärende

Ärendet gäller 560412-1234 och 560412-1235.
Och 560412-1236, som får stå här.

## § 2 Personärende

Gäller 560412-1235 och 560412-1237.
"""


def test_personal_numbers_warns_at_the_line_in_front_matter_and_body() -> None:
    source, problems = read_source("protokoll.md", PROTOCOL.encode())
    assert source is not None and not problems
    found = personal_numbers(source, hidden_lines=[range(15, 18)])  # § 2 is kept off the web
    seen = [(p.line, p.severity, p.rule) for p in sorted(found)]
    assert seen == [
        (3, Severity.WARNING, "personnummer-kontrollsiffra"),
        (11, Severity.ERROR, "personnummer"),
        (11, Severity.WARNING, "personnummer-kontrollsiffra"),
    ]
    warned = [str(p) for p in found if p.severity is Severity.WARNING]
    assert warned == [
        "protokoll.md:3: " + WARNING.format(masked="19560412-****"),
        "protokoll.md:11: " + WARNING.format(masked="560412-****"),
    ]


PROTOCOL_FILE = "protocols/styrelsen/2023-09-13.md"
SENTENCE = "Ledamöterna får möjlighet att anmäla övriga ärenden."


def test_check_and_build_warn_of_a_mistyped_personnummer_and_go_on(
    content: Path, tmp_path: Path
) -> None:
    file = content / PROTOCOL_FILE
    text = file.read_text("utf-8")
    assert text.count(SENTENCE) == 1
    line = text[: text.index(SENTENCE)].count("\n") + 1
    file.write_text(text.replace(SENTENCE, f"{SENTENCE} Ärendet gäller 560412-1234."), "utf-8")
    expected = f"{file.as_posix()}:{line}: " + WARNING.format(masked="560412-****")

    checked = run_build_py("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr  # a warning is not an error
    assert expected in checked.stderr.splitlines(), checked.stderr
    assert "[personnummer]" not in checked.stderr

    out = tmp_path / "site"
    built = run_build_py("build", "--content", str(content), "--out", str(out), "--no-pdf")
    assert built.returncode == 0, built.stderr
    assert expected in built.stderr.splitlines(), built.stderr
    assert (out / "index.html").is_file()
