"""The Markdown output read by an independent CommonMark reader (markdown-it-py): the same
structure as the source article (headings, lists, quotes, links, emphasis, code), and no
translated or typed text can change it or let raw HTML through."""

from __future__ import annotations

from dataclasses import replace

import pytest
from markdown_it import MarkdownIt

from pipeline.formats.markdown import render_markdown

from ..helpers import translated

SOURCE = """# KI im **Kino**

Der Regisseur sagt, dass **generative KI** die Filmbranche *verändert*. Mehr bei
[Bloomberg](https://www.bloomberg.com/a) und im Code `sora_v2`.

- Erstens: Drehbücher werden schneller geschrieben.
- Zweitens: 204.000 Menschen arbeiten in der Branche.

> Ein Zitat über Sora von OpenAI.

## Zweiter Teil

Noch ein Absatz mit _Betonung_.
"""
#: what a person might type, or an engine emit, into any sentence
HOSTILE = ["# Injected heading", "- a list", "1. a number", "> a quote", "~~~ fence",
           "--- rule", "=== line", "    indented code", "First\n\n# split", "<script>x</script>",
           "<img src=x onerror=alert(1)>", "[link](javascript:alert(1))", "a ~~strike~~ b",
           "| a | b |", "**unclosed", "`tick", "\\ backslash", "*a* _b_ __c__ [x] <y>"]


def _structure(markdown: str) -> list[tuple[str, str]]:
    """The token types and tags, inline ones included (texts left out)."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        found.append((token.type, token.tag))
        found += [(child.type, child.tag) for child in token.children or ()
                  if child.type not in ("text", "softbreak")]
    return found


def test_the_output_has_the_source_articles_structure():
    document, translations = translated(SOURCE, fmt="markdown", name="a.md")
    # each target the sentence itself: its codes as an engine gives them back (masked)
    output = render_markdown(document, [replace(t, target=t.segment.text)
                                        for t in translations], "en")
    assert _structure(output) == _structure(SOURCE)
    assert ("link_open", "a") in _structure(output) and ("code_inline", "code") in \
        _structure(output)


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize("typed", HOSTILE)
def test_no_text_changes_the_structure_or_lets_html_through(fmt, typed):
    source = SOURCE if fmt == "markdown" else "Erster Absatz.\n\nZweiter Absatz.\n"
    document, translations = translated(source, fmt=fmt, name="a.md" if fmt == "markdown"
                                        else "a.txt")
    expected = _structure(render_markdown(document, translations, "en"))
    hostile = [replace(t, target=typed) if not t.segment.codes else t for t in translations]
    output = render_markdown(document, hostile, "en")
    found = _structure(output)
    assert [t for t in found if t[0] not in ("text",)] == [
        t for t in expected if t[0] not in ("text",)], output
    assert not [t for t in found if t[0] in ("html_inline", "html_block")]
