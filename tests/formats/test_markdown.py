"""The translated Markdown article keeps the source's block structure."""

from __future__ import annotations

from pipeline.formats.markdown import block_targets, render_markdown

from ..helpers import translated


def test_structure():
    document, translations = translated()
    markdown = render_markdown(document, translations, "en")
    chunks = markdown.strip().split("\n\n")
    assert len(chunks) == len(document.blocks)
    assert chunks[0] == "## KI IM KINO"
    assert chunks[2].startswith("> EIN TWEET MIT LINK.")
    assert chunks[2].endswith("> — Jane Doe (@jane) March 22, 2024")


def test_block_text_is_its_segments_in_order():
    document, translations = translated()
    targets = block_targets(document, translations)
    assert targets[1] == 'DIE REGISSEURE WOLLEN KI. SIE SAGEN: "DAS IST GUT."'


def test_markdown_list_and_quote():
    text = "# T\n\n- eins.\n- zwei.\n\n> Zitat.\n"
    document, translations = translated(text, fmt="markdown", name="a.md")
    assert render_markdown(document, translations, "fr") == "# T\n\n- EINS.\n- ZWEI.\n\n> ZITAT.\n"


def test_plain_text_items_credits_and_captions():
    text = ("Die Punkte:\n• Erstens.\n• Zweitens.\nFoto: dpa\nVon Anna Schmidt\n"
            "Ein Mann am Set. (Foto: dpa)\nLesen Sie auch: Der Streik\n")
    document, translations = translated(text)
    assert render_markdown(document, translations, "en") == (
        "DIE PUNKTE:\n\n- ERSTENS.\n- ZWEITENS.\n\nFOTO: DPA\n\nVON ANNA SCHMIDT\n\n"
        "*EIN MANN AM SET. (FOTO: DPA)*\n\nLESEN SIE AUCH: DER STREIK\n")


def test_a_captions_own_marks_are_escaped_inside_its_italics():
    document, translations = translated("Ein *Mann* am Set. (Foto: dpa)\n")
    assert render_markdown(document, translations, "en") == (
        "*EIN \\*MANN\\* AM SET. (FOTO: DPA)*\n")
