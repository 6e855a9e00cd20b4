"""The Markdown stage's fast paths (``markdown.parser``: block rules chosen by a line's first
character, plain text that skips the inline parser) give exactly what markdown-it gives without
them. They rely on what markdown-it's rules do, so this holds them to a plain parser with the
same options on random documents built from every character the rules react to: a change in a
new markdown-it release shows up here."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from justerat.reading import markdown


def plain_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("tables", markdown._tables)
    md.add_render_rule("table_open", markdown._render_table_open)
    md.add_render_rule("table_close", markdown._render_table_close)
    return md


PLAIN = plain_parser()

# pieces of lines: block starts, inline markup, table rows, and ordinary Swedish text
PIECES = [
    "# ",
    "## § 1 ",
    "### ",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "    ",
    "\t",
    "```",
    "~~~",
    "---",
    "***",
    "___",
    "[a]: /x",
    "[a]",
    "![b](c.png)",
    "| a | b |",
    "|---|---:|",
    "Tabell: T",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "\\",
    "<",
    ">",
    "&amp;",
    "&",
    "<http://x>",
    "[l](/u)",
    "§ 2",
    "förvaltningen föreslår",
    "Beslut",
    " ",
    "\r",
    "\0",
    "=",
    "==",
    "|",
    ":",
    "!",
    "#",
    "1",
]
line = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
document = st.lists(line, max_size=14).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(document)
def test_the_fast_parser_gives_what_markdown_it_gives(text: str) -> None:
    fast = markdown.parser()
    env_fast: dict[str, object] = {}
    env_plain: dict[str, object] = {}
    tokens_fast = fast.parse(text, env_fast)
    tokens_plain = PLAIN.parse(text, env_plain)
    assert [t.as_dict() for t in tokens_fast] == [t.as_dict() for t in tokens_plain]
    assert fast.renderer.render(tokens_fast, fast.options, env_fast) == PLAIN.renderer.render(
        tokens_plain, PLAIN.options, env_plain
    )


def test_the_sample_protocols_parse_as_markdown_it_parses_them() -> None:
    from conftest import ROOT

    for path in sorted((ROOT / "content").rglob("*.md")):
        text = path.read_text("utf-8")
        fast = markdown.parser()
        assert fast.render(text) == PLAIN.render(text), path
