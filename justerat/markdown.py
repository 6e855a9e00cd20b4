"""Markdown bodies → HTML fragments, paragraphs (§) and tables of contents.

One configured markdown-it parser for all content: CommonMark with raw HTML off (untrusted
text stays text), GFM tables with captions ("Tabell: …" directly above a table) wrapped so that
wide tables scroll on a phone, and token line maps turned into file lines for every problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .model import Heading, Paragraph, Part, PartKind
from .problems import Problem, error, warning

CAPTION_PREFIX = "Tabell:"


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("table_captions", _table_captions)
    md.core.ruler.push("empty_header_cells", _empty_header_cells)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _table_captions(state: StateCore) -> None:
    """A paragraph 'Tabell: …' right before a table becomes that table's caption."""
    tokens = state.tokens
    index = 0
    while index + 3 < len(tokens):
        opening, inline, closing, table = tokens[index : index + 4]
        if (
            opening.type == "paragraph_open"
            and inline.type == "inline"
            and inline.content.startswith(CAPTION_PREFIX)
            and closing.type == "paragraph_close"
            and table.type == "table_open"
        ):
            table.meta["caption"] = inline
            del tokens[index : index + 3]
        index += 1


def _empty_header_cells(state: StateCore) -> None:
    """An empty header cell (the corner above row labels) is a data cell: a header with no
    text tells a screen reader nothing."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type == "th_open" and inline.type == "inline" and not inline.content.strip():
            opening.type, opening.tag = "td_open", "td"
            closing.type, closing.tag = "td_close", "td"


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


def _plain(tokens: Sequence[Token]) -> str:
    """The readable text of a token run, for search and the data export."""
    words = []
    for token in tokens:
        if token.type == "inline":
            words.append(
                "".join(
                    c.content for c in token.children or [] if c.type in {"text", "code_inline"}
                )
            )
    return " ".join(w for w in words if w)


def heading_jumps(path: str, tokens: Sequence[Token], body_line: int) -> list[Problem]:
    """Headings may go down one level at a time (WCAG 1.3.1: screen readers navigate by them)."""
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
    md = parser()
    html: str = md.renderer.render(list(tokens), md.options, env)
    return html


# --- protocols ---------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"^§\s*(\d+)\s*(.*)$")


def classify(heading: str) -> PartKind:
    """Recognise the common parts of a paragraph by their heading."""
    text = heading.strip().rstrip(":").strip().lower()
    if text == "sammanfattning":
        return PartKind.SUMMARY
    if text.startswith("beslutsunderlag"):
        return PartKind.BASIS
    if text.startswith("förslag till beslut") or text.endswith(("föreslås besluta", "föreslår")):
        return PartKind.PROPOSAL
    if text.endswith(" beslutar") or text == "beslut":
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
    problems = heading_jumps(path, tokens, body_line)
    chunks: list[tuple[Token, Token, list[Token]]] = []  # (heading_open, inline, tokens)
    preamble: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            inline = tokens[index + 1]
            line = _line(token, body_line)
            if token.tag == "h1":
                problems.append(
                    error(
                        path,
                        line,
                        "rubrik på nivå 1 ('# …') används inte i protokollets text; "
                        "skriv paragrafer som '## § 1 Rubrik'",
                        "markdown",
                    )
                )
            elif token.tag == "h2":
                if not _PARAGRAPH.match(inline.content.strip()):
                    problems.append(
                        error(
                            path,
                            line,
                            f"rubriken '{inline.content.strip()}' saknar paragrafnummer; "
                            "skriv '## § 1 Rubrik'",
                            "paragraph",
                        )
                    )
                else:
                    chunks.append((token, inline, []))
                    index += 3
                    continue
        (chunks[-1][2] if chunks else preamble).append(token)
        index += 1

    paragraphs = []
    for heading, inline, content in chunks:
        match = _PARAGRAPH.match(inline.content.strip())
        assert match is not None
        number, title = int(match.group(1)), match.group(2).strip()
        line = _line(heading, body_line)
        if not title:
            problems.append(error(path, line, f"§ {number} saknar rubrik", "paragraph"))
        env["prefix"] = f"paragraf-{number}-"
        paragraphs.append(
            Paragraph(
                number=number,
                title=title,
                line=line,
                parts=tuple(_parts(content, number, env)),
                text=_plain(content),
            )
        )
    if preamble and any(t.type != "hr" for t in preamble):
        first = next(t for t in preamble if t.map)
        problems.append(
            warning(
                path,
                _line(first, body_line),
                "text före första paragrafen visas före paragraferna; "
                "börja paragrafer med '## § 1 Rubrik'",
                "paragraph",
            )
        )
    env["prefix"] = "inledning-"
    return ProtocolBody(_render(preamble, env), tuple(paragraphs)), problems


def _parts(content: list[Token], number: int, env: dict[str, Any]) -> list[Part]:
    groups: list[tuple[str, list[Token]]] = [("", [])]
    index = 0
    while index < len(content):
        token = content[index]
        if token.type == "heading_open" and token.tag == "h3" and token.level == 0:
            groups.append((content[index + 1].content.strip().rstrip(":").strip(), []))
            index += 3
            continue
        groups[-1][1].append(token)
        index += 1
    parts = []
    for heading, tokens in groups:
        if not heading and not tokens:
            continue
        kind = classify(heading) if heading else PartKind.TEXT
        anchor = f"paragraf-{number}-{kind.value}" if kind is PartKind.DECISION else ""
        parts.append(Part(kind, heading, _render(tokens, env), anchor))
    return parts


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
