"""PyYAML's errors as messages a secretary understands: Swedish, the line, and what to do.

PyYAML describes a problem in its own terms ("mapping values are not allowed here"). One table,
``EXPLAINED``, maps every problem its reader, scanner, parser, composer and safe constructor
can report to what it means in a content file and how to put it right, often with the very
line rewritten as it should be. A problem the table does not know still gets a Swedish message
with its line; only then are PyYAML's own words added, in parentheses, for whoever helps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from ..core.problems import Problem, error

RULE = "yaml"


@dataclass(frozen=True)
class Spot:
    """Where a problem is: the file line's text and the character the mark points at."""

    text: str  # the whole line, without its line break
    char: str  # the character at the mark ("" past the end)
    later: bool = False  # PyYAML noticed the problem on a later line than the one named

    @property
    def example(self) -> str:
        """The line with its value within quotation marks, as it should be written; "" if the
        line has no 'key: value' to rewrite."""
        found = _KEY_VALUE.match(self.text)
        if found is None or not found["value"].strip():
            return ""
        return f"{found['key']}: {quoted(found['value'].strip())}"

    @property
    def single_quoted(self) -> str:
        """The line with its double-quoted value within single quotation marks instead, where
        a backslash is an ordinary character."""
        found = _KEY_VALUE.match(self.text)
        if found is None:
            return ""
        value = found["value"].strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        return f"{found['key']}: '" + value.replace("'", "''") + "'"


# 'key: value' on one line, a list item's dash kept with its key ("- name: Anna")
_KEY_VALUE = re.compile(r"^[ \t]*(?P<key>(?:- )?[^\s:#][^:]*?):[ \t]+(?P<value>.*)$")


def quoted(value: str) -> str:
    """``value`` within quotation marks, so that YAML reads it as the text it is."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


Explain = Callable[[Spot], str]


def _with_example(before: str, after: str = "") -> Explain:
    """``before``, then the line rewritten with its value quoted (when it has one), then
    ``after``."""

    def explain(spot: Spot) -> str:
        example = spot.example
        shown = f"{before}: {example}" if example else before
        return shown + after

    return explain


def _colon_in_value(spot: Spot) -> str:
    """A second ': ' on a line is a value holding a colon; a lone one on an indented line is a
    key indented too far (or a value carried on from the line above)."""
    found = _KEY_VALUE.match(spot.text)
    if found is not None and ":" in found["value"]:
        return _with_example(
            "värdet innehåller ett kolon följt av mellanslag, som YAML läser som början på en ny "
            "nyckel; sätt hela värdet inom citattecken"
        )(spot)
    return (
        "nyckeln på raden är indragen mer än nycklarna ovanför på samma nivå; ta bort mellanslag "
        "i början av raden så att den står rakt under dem"
    )


def _missing_colon(spot: Spot) -> str:
    stripped = spot.text.strip()
    if stripped.startswith("-") and not stripped.startswith(("- ", "---")):
        return f"en listpost skrivs med ett mellanslag efter strecket: '- {stripped[1:].strip()}'"
    if ":" in stripped:
        key, _, value = stripped.partition(":")
        return f"kolonet efter nyckeln ska följas av ett mellanslag; skriv '{key}: {value.strip()}'"
    return (
        "raden saknar kolon efter nyckeln; skriv nyckeln, ett kolon och ett mellanslag före "
        "värdet (till exempel 'place: Kommunhuset'), eller dra in raden om den fortsätter "
        "värdet på raden ovanför"
    )


def _unclosed_quote(spot: Spot) -> str:
    mark = spot.char if spot.char in "\"'" else '"'
    return (
        f"citattecknet {mark} som börjar här avslutas aldrig; avsluta värdet med {mark} på samma "
        "rad, eller ta bort citattecknet"
    )


def _backslash(spot: Spot) -> str:
    shown = spot.single_quoted
    fix = f"sätt värdet inom enkla citattecken: {shown}" if shown else "använd enkla citattecken"
    return (
        "inom dubbla citattecken inleder \\ (bakåtsnedstreck) en specialkod; skriv \\\\ för ett "
        f"bakåtsnedstreck, eller {fix}"
    )


def _unclosed(opening: str, closing: str, what: str) -> Explain:
    def explain(spot: Spot) -> str:
        if not spot.later:  # closed, but something inside is amiss
            return _with_example(
                f"{what} inom {opening} {closing} är inte rätt skriven: skilj posterna åt med "
                "kommatecken; om värdet är en vanlig text, sätt det inom citattecken"
            )(spot)
        return (
            f"{what} som börjar med {opening} på raden avslutas aldrig med {closing}; lägg till "
            f"{closing} i slutet av värdet, eller sätt värdet inom citattecken om {opening} hör "
            "till texten"
        )

    return explain


_TAG = _with_example(
    "ett utropstecken ! i början av ett värde betyder en YAML-tagg, som inte används i Justerat; "
    "sätt värdet inom citattecken"
)
_ALIAS = _with_example(
    "en asterisk * i början av ett värde betyder ett YAML-alias, som inte används i Justerat; "
    "sätt värdet inom citattecken"
)
_ANCHORS = "YAML-ankare och alias (& och *) används inte i front matter; skriv ut värdet"
_DIRECTIVE = (
    "en rad som börjar med % är ett YAML-direktiv, som inte används i Justerat; ta bort raden, "
    "eller sätt texten inom citattecken om % hör till den"
)
_INDENT = (
    "raden är indragen fel: nycklar på samma nivå ska stå rakt under varandra, med lika många "
    "mellanslag före"
)


@dataclass(frozen=True)
class Known:
    """One kind of problem: PyYAML's words for it (``problem``, and ``context`` when that is
    what tells it apart), the mark that names the right line, and the Swedish message."""

    problem: str  # a regular expression, searched for in the problem's text
    explain: Explain | str
    context: str = ""  # a regular expression the context must match, if given
    at_context: bool = False  # the context's mark names the line (where a quote opened)


# Every problem PyYAML 6's pure-Python scanner, parser and composer raise (libyaml words its
# own differently, but a file libyaml cannot read is read again by the pure-Python reader to
# describe it). The reader's one problem is ``control_character``; the constructor meets no
# surprise (``source`` refuses every written tag first). First match wins.
EXPLAINED: tuple[Known, ...] = (
    # --- the scanner ---------------------------------------------------------------------
    Known(r"^mapping values are not allowed here", _colon_in_value),
    Known(
        r"^found character '\\t' that cannot start any token",
        "raden har ett tabbtecken, och YAML tillåter bara mellanslag; byt tabben mot mellanslag "
        "(två mellanslag för varje steg i indraget)",
    ),
    Known(
        r"^found character .* that cannot start any token",
        lambda spot: _with_example(
            f"ett värde kan inte börja med tecknet {spot.char} i YAML; sätt värdet inom citattecken"
        )(spot),
    ),
    Known(r"^could not find expected ':'", _missing_colon, r"simple key", at_context=True),
    Known(
        r"^found unexpected (end of stream|document separator)",
        _unclosed_quote,
        r"quoted scalar",
        at_context=True,
    ),
    Known(r"escape", _backslash, r"double-quoted scalar"),
    Known(
        r"^sequence entries are not allowed here",
        _with_example(
            "en listpost ('- ') kan inte stå på samma rad som nyckeln; skriv varje listpost på en "
            "egen rad under nyckeln, indragen två mellanslag, eller, om strecket hör till texten, "
            "sätt värdet inom citattecken",
        ),
    ),
    Known(
        r"^mapping keys are not allowed here",
        _with_example(
            "ett frågetecken följt av mellanslag betyder något särskilt i YAML; sätt värdet inom "
            "citattecken"
        ),
    ),
    Known(r".", _ALIAS, r"scanning an alias"),
    Known(
        r".",
        _with_example(
            "tecknet & i början av ett värde betyder ett YAML-ankare, som inte används i "
            "Justerat; sätt värdet inom citattecken"
        ),
        r"scanning an anchor",
    ),
    Known(r".", _TAG, r"\btag\b"),
    Known(
        r".",
        _with_example(
            "tecknen | och > i början av ett värde inleder en text på raderna under; sätt värdet "
            "inom citattecken",
            ", eller låt raden sluta med | och skriv texten på raderna under, indragen",
        ),
        r"block scalar",
    ),
    Known(r".", _DIRECTIVE, r"directive"),
    # --- the parser ----------------------------------------------------------------------
    Known(
        r"^expected <block end>, but found '<block sequence start>'",
        "listposten är indragen annorlunda än listposterna ovanför; ställ alla '- ' i samma "
        "lista rakt under varandra",
    ),
    Known(
        r"^expected <block end>, but found '-'",
        "en listpost ('- ') står där en nyckel väntas; dra in listan under sin nyckel, eller ta "
        "bort '- ' om raden är en nyckel",
    ),
    Known(r"^expected <block end>, but found '<block mapping start>'", _INDENT),
    Known(
        r"^expected <block end>, but found '\?'",
        "raden står rakt under listans '-' men är ingen listpost; dra in den så att den står rakt "
        "under nyckeln ovanför, eller börja den med '- ' om den är en ny listpost",
    ),
    Known(
        r"^expected <block end>, but found '(<scalar>|,)'",
        _with_example(
            "värdet fortsätter efter ett avslutande citattecken (eller en parentes); sätt hela "
            "värdet inom citattecken"
        ),
    ),
    Known(
        r"^expected <block end>, but found ':'",
        "raden börjar med ett kolon; skriv nyckeln före kolonet",
    ),
    Known(
        r"^expected <block end>, but found '[\]}]'",
        _with_example(
            "värdet har en ] eller } för mycket; ta bort den, eller sätt värdet inom citattecken"
        ),
    ),
    Known(
        r"^expected <block end>",
        "raden passar inte in bland raderna ovanför; kontrollera indraget (mellanslagen i början "
        "av raden) och att varje nyckel följs av ett kolon",
    ),
    Known(
        r"^expected ',' or '\]', but got",
        _unclosed("[", "]", "listan"),
        r"flow sequence",
        at_context=True,
    ),
    Known(
        r"^expected ',' or '}', but got",
        _unclosed("{", "}", "värdet"),
        r"flow mapping",
        at_context=True,
    ),
    Known(
        r"^expected the node content, but found ','",
        _with_example(
            "ett kommatecken står där ett värde väntas (två i rad, eller först i värdet); ta bort "
            "det, eller sätt värdet inom citattecken"
        ),
    ),
    Known(
        r"^expected the node content",
        _with_example(
            "värdet börjar med ett tecken som betyder något särskilt i YAML; sätt värdet inom "
            "citattecken"
        ),
    ),
    Known(r"^found undefined tag handle", _TAG),
    Known(
        r"^(found duplicate YAML directive|found incompatible YAML document|duplicate tag handle)",
        _DIRECTIVE,
    ),
    Known(
        r"^expected '<document start>'",
        "innehållet fortsätter efter en rad '...' (som avslutar YAML) eller en rad som börjar "
        "med %; ta bort den raden",
    ),
    # --- the composer --------------------------------------------------------------------
    Known(
        r"^but found another document",
        "en rad '---' delar filen i två YAML-dokument; ta bort raden '---' här",
    ),
    Known(r"^found undefined alias", _ALIAS),
    Known(r"^second occurrence", _ANCHORS, r"duplicate anchor"),
)


def explain(path: str, exc: yaml.MarkedYAMLError, text: str, first_line: int) -> Problem:
    """The Swedish problem for PyYAML's ``exc`` in ``text``, which starts on file line
    ``first_line``."""
    known = known_for(exc)
    if known is not None:
        mark = exc.context_mark if known.at_context else exc.problem_mark
        spot = _spot(text, mark or exc.problem_mark or exc.context_mark, _later(exc))
        message = known.explain if isinstance(known.explain, str) else known.explain(spot)
        return error(path, _line(mark or exc.problem_mark, first_line), message, RULE)
    problem, context = exc.problem or "", exc.context or ""
    english = " ".join(part for part in (context, problem) if part) or str(exc)
    return error(
        path,
        _line(exc.problem_mark or exc.context_mark, first_line),
        "YAML kan inte läsas på raden; kontrollera indraget (bara mellanslag), att varje nyckel "
        f"följs av kolon och mellanslag, och att citattecken avslutas (YAML: {english})",
        RULE,
    )


def known_for(exc: yaml.MarkedYAMLError) -> Known | None:
    """The first entry of ``EXPLAINED`` that describes ``exc``, if any."""
    problem, context = exc.problem or "", exc.context or ""
    for known in EXPLAINED:
        if re.search(known.problem, problem) and (
            not known.context or re.search(known.context, context)
        ):
            return known
    return None


def unreadable(path: str, exc: yaml.YAMLError, first_line: int) -> Problem:
    """A YAML error with no mark (none is known from PyYAML's safe loading)."""
    return error(
        path,
        first_line,
        f"YAML kan inte läsas; kontrollera indrag, kolon och citattecken (YAML: {exc})",
        RULE,
    )


def control_character(
    path: str, exc: yaml.reader.ReaderError, text: str, first_line: int
) -> Problem:
    """A character YAML does not allow (a control character, often pasted in with text)."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    line = first_line + text[: exc.position].count("\n")
    return error(
        path,
        line,
        f"otillåtet osynligt tecken (U+{code:04X}, ett styrtecken) på raden; ta bort det (det "
        "följer ibland med när text kopieras från ett annat program)",
        RULE,
    )


def tag(path: str, node: yaml.Node, text: str, first_line: int) -> Problem:
    """A node with a YAML tag (``!Viktigt``, ``!!binary``): tags are not used."""
    return error(path, _line(node.start_mark, first_line), _TAG(_spot(text, node.start_mark)), RULE)


def _line(mark: yaml.Mark | None, first_line: int) -> int:
    return first_line + mark.line if mark is not None else first_line


def _later(exc: yaml.MarkedYAMLError) -> bool:
    start, found = exc.context_mark, exc.problem_mark
    if "<stream end>" in (exc.problem or ""):
        return True
    return start is not None and found is not None and found.line > start.line


def _spot(text: str, mark: yaml.Mark | None, later: bool = False) -> Spot:
    if mark is None:
        return Spot("", "")
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    char = text[mark.index] if mark.index < len(text) else ""
    return Spot(line, char, later)
