"""Markdown bodies → HTML fragments, paragraphs (§) and tables of contents.

One configured markdown-it parser for all content: CommonMark with raw HTML off (untrusted
text stays text), GFM tables with captions ("Tabell: …" directly above a table) wrapped so that
wide tables scroll on a phone, and token line maps turned into file lines for every problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore, normalize, text_join
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..core.problems import Problem, error, warning
from ..domain.headings import Heading
from ..domain.model import Paragraph, Part, PartKind

CAPTION_PREFIX = "Tabell:"


@cache
def parser() -> MarkdownIt:
    """The one configured parser. Its rules are set up here once: do not enable or disable
    rules on it afterwards (the fast paths below are built from the rules enabled here)."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "typographer": False, "xhtmlOut": False},
        renderer_cls=_Renderer,
    )
    md.enable(["table", "strikethrough"])
    # With raw HTML off these two rules only ever answer "no": don't ask them.
    md.disable(["html_block", "html_inline"])
    md.block.ruler.before("table", "first_character", _block_dispatcher(md), {"alt": []})
    md.core.ruler.at("normalize", _normalize)
    md.core.ruler.at("inline", _inline_rule(md))
    md.core.ruler.disable("text_join")  # done by the inline rule, where there is work for it
    md.core.ruler.push("tables", _tables)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer, but most tokens have no attributes: for them it need not
    list the attributes and loop over none to render them as ""."""

    @staticmethod
    def renderAttrs(token: Token) -> str:
        return RendererHTML.renderAttrs(token) if token.attrs else ""


# --- parsing fast paths -------------------------------------------------------------------
#
# markdown-it tries every block rule, in order, at the start of every block, and runs the whole
# inline parser on every paragraph, heading and table cell. Most of those attempts cannot
# succeed, and each rule says so only after a function call and a debug log call. The two fast
# paths below skip exactly the attempts that provably fail, so the tokens are the same as
# without them; rules they know nothing about are always tried.


def _normalize(state: StateCore) -> None:
    """CommonMark's line endings and no NUL characters: a no-op for text without CR or NUL,
    which then need not be copied through two regular expressions."""
    if "\r" in state.src or "\0" in state.src:
        normalize(state)


# The characters a block rule needs first on its line (after the indent) to match at all;
# each of these rules returns False at once, changing nothing, for any other first character,
# and also for an indented code line (4+ spaces deeper than the block), where only "code" can
# match among the rules named here.
_BLOCK_FIRST_CHARACTERS = {
    name: frozenset(characters)
    for name, characters in {
        "fence": "`~",
        "blockquote": ">",
        "hr": "*-_",
        "list": "*-+0123456789",
        "reference": "[",
        "html_block": "<",
        "heading": "#",
    }.items()
}

_BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _block_chain(pairs: list[tuple[str, _BlockRule]], first: str | None) -> tuple[_BlockRule, ...]:
    """The rules to try on a line starting with ``first``; None: an indented code line."""
    chosen = []
    for name, rule in pairs:
        if name in _BLOCK_FIRST_CHARACTERS:
            if first is None or first not in _BLOCK_FIRST_CHARACTERS[name]:
                continue
        elif name == "code" and first is not None:
            continue
        chosen.append(rule)
    return tuple(chosen)


def _block_dispatcher(md: MarkdownIt) -> _BlockRule:
    """One block rule, first in the chain, that tries only the rules that can match a line:
    the same rules in the same order, minus those ruled out by the line's first character.
    It always matches (the paragraph rule does), so the rules after it are not tried again."""
    pairs = list(zip(md.block.ruler.get_active_rules(), md.block.ruler.getRules(""), strict=True))
    starts = set().union(*_BLOCK_FIRST_CHARACTERS.values())
    by_first = {first: _block_chain(pairs, first) for first in starts}
    other = _block_chain(pairs, "")
    code = _block_chain(pairs, None)
    everything = tuple(rule for _, rule in pairs)

    def first_character(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.is_code_block(start):
            candidates = code
        else:
            position = state.bMarks[start] + state.tShift[start]
            if position < len(state.src):
                candidates = by_first.get(state.src[position], other)
            else:  # not a block start that markdown-it makes; let every rule judge it
                candidates = everything
        # a loop, not any() over a generator: this runs at every block start
        for rule in candidates:  # noqa: SIM110
            if rule(state, start, end, silent):
                return True
        return False

    return first_character


# The characters an inline rule needs to see to do anything; at every other character each of
# them returns False, changing nothing. Text without any of these characters is parsed into
# a single text token (or none, if empty) holding all of it: the fallback of the inline parser
# for characters no rule takes is to add them to the pending text. An image starts with "![",
# so it needs a "[" as well. The post-processing rules only act on delimiters (*, _, ~) and on
# adjacent text tokens, neither of which plain text has.
_INLINE_CHARACTERS = {
    "text": "",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "[",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
_INLINE_POST_PROCESSING = {"balance_pairs", "strikethrough", "emphasis", "fragments_join"}


def _inline_rule(md: MarkdownIt) -> Callable[[StateCore], None]:
    """The core rules "inline" and "text_join" in one: inline-parse every inline token, but
    skip the parser for plain text, whose one text token is known beforehand and needs no
    joining."""
    rules = md.inline.ruler.get_active_rules()
    known = (
        set(rules) <= _INLINE_CHARACTERS.keys()
        and set(md.inline.ruler2.get_active_rules()) <= _INLINE_POST_PROCESSING
    )
    characters = "".join(sorted({c for name in rules for c in _INLINE_CHARACTERS.get(name, "")}))
    # an unknown rule might act on any character: then every text goes through the parser
    markup = re.compile(f"[{re.escape(characters)}]" if known and characters else "")
    parse = md.inline.parse

    def inline(state: StateCore) -> None:
        parsed = []
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                content = token.content
                if markup.search(content):
                    parse(content, state.md, state.env, token.children)
                    parsed.append(token)
                elif content:
                    token.children.append(Token("text", "", 0, content=content))
        if parsed:
            text_join(StateCore(state.src, state.md, state.env, parsed))

    return inline


_TYPE = attrgetter("type")


def _tables(state: StateCore) -> None:
    """A paragraph 'Tabell: …' right before a table becomes that table's caption, and an empty
    header cell (the corner above row labels) is a data cell: a header with no text tells a
    screen reader nothing."""
    tokens = state.tokens
    types = list(map(_TYPE, tokens))  # searched at C speed, for the few tokens of interest
    if "table_open" not in types:
        return
    for index in _indexes(types, "th_open") + _indexes(types, "td_open"):
        cell = tokens[index]  # a column's alignment as a class: the site's CSP allows no style
        style = cell.attrs.pop("style", None)
        if isinstance(style, str) and style.startswith("text-align:"):
            cell.attrs["class"] = "align-" + style.removeprefix("text-align:")
    for index in _indexes(types, "th_open"):
        inline = tokens[index + 1]
        if inline.type == "inline" and not inline.content.strip():
            opening, closing = tokens[index], tokens[index + 2]
            opening.type, opening.tag = "td_open", "td"
            closing.type, closing.tag = "td_close", "td"
    captions = []
    for index in _indexes(types, "table_open"):
        if index < 3:
            continue
        opening, inline, closing = tokens[index - 3 : index]
        if (
            opening.type == "paragraph_open"
            and inline.type == "inline"
            and inline.content.startswith(CAPTION_PREFIX)
            and closing.type == "paragraph_close"
        ):
            tokens[index].meta["caption"] = inline
            captions.append(index - 3)
    for index in reversed(captions):
        del tokens[index : index + 3]


def _indexes(values: list[str], value: str) -> list[int]:
    """Every index of ``value`` in ``values``."""
    found: list[int] = []
    index = -1
    while True:
        try:
            index = values.index(value, index + 1)
        except ValueError:
            return found
        found.append(index)


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    env["tables"] = env.get("tables", 0) + 1
    table_id = f"{env.get('prefix', '')}tabell-{env['tables']}"
    caption = tokens[idx].meta.get("caption")
    if caption is None:
        return '<div class="table-wrap" role="region" tabindex="0" aria-label="Tabell">\n<table>\n'
    children = caption.children or []
    inner = self.renderInline(children, options, env)
    inner = inner.removeprefix(CAPTION_PREFIX).strip()
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{table_id}">\n'
        f'<table>\n<caption id="{table_id}">{inner}</caption>\n'
    )


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</table>\n</div>\n"


def slug(text: str) -> str:
    """An ASCII anchor for a heading: 'Förslag till beslut' → 'forslag-till-beslut'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "avsnitt"


def _line(token: Token, body_line: int) -> int:
    return body_line + token.map[0] if token.map else body_line


_WORDS = frozenset({"text", "code_inline"})


def _plain(tokens: Sequence[Token]) -> str:
    """The readable text of a token run, for search and the data export."""
    words = []
    for token in tokens:
        if token.type == "inline" and token.children:
            children = token.children
            if len(children) == 1:  # plain text, most often
                word = children[0].content if children[0].type in _WORDS else ""
            else:
                word = "".join([c.content for c in children if c.type in _WORDS])
            if word:
                words.append(word)
    return " ".join(words)


def _top_headings(tokens: Sequence[Token]) -> list[int]:
    """The index of every heading_open of the document itself (not in a list or quote)."""
    return [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0]


def heading_jumps(path: str, tokens: Sequence[Token], body_line: int) -> list[Problem]:
    """Headings may go down one level at a time (WCAG 1.3.1: screen readers navigate by them).
    ``tokens`` may be a whole token stream or just its headings' heading_open tokens."""
    problems = []
    previous = 2  # the page's own h1 and the paragraph or section h2 come first
    for token in tokens:
        if token.type != "heading_open" or token.level != 0:
            continue
        level = int(token.tag[1])
        if level > previous + 1:
            problems.append(
                warning(
                    path,
                    _line(token, body_line),
                    f"rubriken hoppar från nivå {previous} till nivå {level}; "
                    f"använd {'#' * (previous + 1)} här",
                    "heading-order",
                )
            )
        previous = level
    return problems


def _render(tokens: Sequence[Token], env: dict[str, Any]) -> str:
    """HTML for a token run, rendered on its own: the first token has no predecessor and the
    last no successor, which is what the renderer's line breaks depend on."""
    md = parser()
    html: str = md.renderer.render(tokens, md.options, env)
    return html


# --- protocols ---------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"^§\s*(\d+)\s*(.*)$")
# A §'s diarienummer, the first line of its text: "Dnr: KS 2023/145", "Dnr 941-2011",
# "Diarienummer: BMN 2022-0113" (also "Dnr." and "Diarienr"; "Diarienummer" and
# "Ärendenummer" only with their colon, since a sentence may begin with the word). The
# number is the rest of the line as written, and holds a digit: "Dnr saknas" is text.
_DNR = re.compile(
    r"^(?:(?:dnr|diarienr)\.?(?::\s*|\s+)|(?:diarienummer|ärendenummer):\s*)"
    r"(?P<number>\S(?=.*\d).*?)\s*$",
    re.IGNORECASE,
)


def classify(heading: str) -> PartKind:
    """Recognise the common parts of a paragraph by their heading."""
    text = heading.strip().rstrip(":").strip().lower()
    if text == "sammanfattning":
        return PartKind.SUMMARY
    if text.startswith("beslutsunderlag"):
        return PartKind.BASIS
    words = text.split()
    genitive = len(words) >= 2 and words[0].endswith("s")  # "Kommunfullmäktiges beslut"
    if text.startswith("förslag till beslut") or text.endswith(("föreslås besluta", "föreslår")):
        return PartKind.PROPOSAL
    if genitive and words[1] == "förslag":  # "Kommunstyrelsens förslag (till …)"
        return PartKind.PROPOSAL
    if text.endswith(" beslutar") or text == "beslut" or (genitive and words[1:] == ["beslut"]):
        return PartKind.DECISION
    return PartKind.TEXT


@dataclass(frozen=True)
class ProtocolBody:
    preamble_html: str
    paragraphs: tuple[Paragraph, ...]


def protocol_body(path: str, body: str, body_line: int) -> tuple[ProtocolBody, list[Problem]]:
    """Split a protocol's Markdown into its paragraphs (§) and their parts."""
    env: dict[str, Any] = {}
    tokens = parser().parse(body, env)
    headings = _top_headings(tokens)
    problems = heading_jumps(path, [tokens[i] for i in headings], body_line)
    # A paragraph is its '## § N Title' heading (heading_open, inline, heading_close) and the
    # tokens up to the next one; the tokens before the first one are the preamble. Other
    # headings stay in the text, the level-3 ones start the paragraph's parts.
    starts: list[int] = []
    part_starts: list[list[int]] = []
    for index in headings:
        token = tokens[index]
        if token.tag == "h1":
            problems.append(
                error(
                    path,
                    _line(token, body_line),
                    "rubrik på nivå 1 ('# …') används inte i protokollets text; "
                    "skriv paragrafer som '## § 1 Rubrik'",
                    "markdown",
                )
            )
        elif token.tag == "h2":
            heading = tokens[index + 1].content.strip()
            if _PARAGRAPH.match(heading):
                starts.append(index)
                part_starts.append([])
            else:
                problems.append(
                    error(
                        path,
                        _line(token, body_line),
                        f"rubriken '{heading}' saknar paragrafnummer; skriv '## § 1 Rubrik'",
                        "paragraph",
                    )
                )
        elif token.tag == "h3" and part_starts:
            part_starts[-1].append(index)

    paragraphs = []
    ends = [*starts[1:], len(tokens)]
    for start, end, parts in zip(starts, ends, part_starts, strict=False):
        match = _PARAGRAPH.match(tokens[start + 1].content.strip())
        assert match is not None
        number, title = int(match.group(1)), match.group(2).strip()
        line = _line(tokens[start], body_line)
        if not title:
            problems.append(error(path, line, f"§ {number} saknar rubrik", "paragraph"))
        env["prefix"] = f"paragraf-{number}-"
        first, dnr = _diarienummer(tokens, start + 3, end, env)
        paragraphs.append(
            Paragraph(
                number=number,
                title=title,
                line=line,
                parts=_parts(tokens, first, end, parts, number, env),
                text=_plain(tokens[first:end]),
                dnr=dnr,
            )
        )
    preamble = tokens[: starts[0]] if starts else tokens
    if preamble and any(t.type != "hr" for t in preamble):
        opening = next(t for t in preamble if t.map)
        problems.append(
            warning(
                path,
                _line(opening, body_line),
                "text före första paragrafen visas före paragraferna; "
                "börja paragrafer med '## § 1 Rubrik'",
                "paragraph",
            )
        )
    env["prefix"] = "inledning-"
    return ProtocolBody(_render(preamble, env), tuple(paragraphs)), problems


def _diarienummer(
    tokens: list[Token], start: int, end: int, env: dict[str, Any]
) -> tuple[int, str]:
    """The diarienummer of the paragraph whose text is ``tokens[start:end]``, when its first
    line is one (``_DNR``), and where its text then starts: that line is taken out of it. A
    paragraph of the Markdown whose first line it is keeps its other lines, re-parsed (a
    second "Dnr" line stays text)."""
    if end - start < 3 or tokens[start].type != "paragraph_open":
        return start, ""
    inline = tokens[start + 1]
    first, _, rest = inline.content.partition("\n")
    found = _DNR.match(first.strip())
    if found is None:
        return start, ""
    md = parser()
    number = found.group("number")
    if any(c in number for c in "\\`*_[&"):  # the text of "KS 2023\_145", "*KS 1*"
        number = _plain(md.parseInline(number, env)) or number
    if not rest.strip():
        return start + 3, number  # the Markdown paragraph was the line alone
    inline.content, inline.children = rest, []
    md.inline.parse(rest, md, env, inline.children)
    if inline.map:
        tokens[start].map = inline.map = [inline.map[0] + 1, inline.map[1]]
    return start, number


def _parts(
    tokens: list[Token],
    start: int,
    end: int,
    headings: list[int],
    number: int,
    env: dict[str, Any],
) -> tuple[Part, ...]:
    """The parts of the paragraph ``tokens[start:end]``, whose level-3 headings are at the
    indexes ``headings``: the text before the first heading, then one part per heading."""
    groups = [("", start, headings[0] if headings else end)]
    for index, following in zip(headings, [*headings[1:], end], strict=False):
        heading = tokens[index + 1].content.strip().rstrip(":").strip()
        groups.append((heading, index + 3, following))
    parts = []
    for heading, first, last in groups:
        if not heading and first >= last:
            continue
        kind = classify(heading) if heading else PartKind.TEXT
        anchor = f"paragraf-{number}-{kind.value}" if kind is PartKind.DECISION else ""
        parts.append(Part(kind, heading, _render(tokens[first:last], env), anchor))
    return tuple(parts)


# --- plans -------------------------------------------------------------------------------


def document_body(
    path: str, body: str, body_line: int
) -> tuple[str, tuple[Heading, ...], list[Problem]]:
    """A plan's Markdown: HTML with an id on every heading, and its table of contents."""
    env: dict[str, Any] = {"prefix": ""}
    tokens = parser().parse(body, env)
    problems = heading_jumps(path, tokens, body_line)
    toc = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = tokens[index + 1].content.strip()
        if token.tag == "h1":
            problems.append(
                error(
                    path,
                    _line(token, body_line),
                    "rubrik på nivå 1 ('# …') används inte; dokumentets titel står i front "
                    "matter (title), börja avsnitt med '## '",
                    "markdown",
                )
            )
            continue
        anchor = base = slug(text)
        counter = 2
        while anchor in used:
            anchor = f"{base}-{counter}"
            counter += 1
        used.add(anchor)
        token.attrSet("id", anchor)
        if token.tag in {"h2", "h3"}:
            toc.append(Heading(int(token.tag[1]), text, anchor))
    return _render(tokens, env), tuple(toc), problems
