"""HTML in, HTML out: translations spliced into the source, every byte outside translated
text kept, every link and image kept, the page's tree unchanged; inline codes through MT, QA
and Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import polib
import pytest

from pipeline.formats.markdown import as_markdown
from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.mt.pseudo import PseudoEngine
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sora</title>
<script>var tpl = "<p>kein Text</p>";</script></head>
<body><article>
<h1>KI erobert <em>Hollywood</em></h1>
<p>Laut <a href="https://www.bloomberg.com/a?x=1&amp;y=2" class="ext">Bloomberg</a> hat OpenAI
 <strong>Sora</strong> vorgestellt.</p>
</article></body></html>
"""
SHAPES = {
    "nested inline markup": "<p>Ein <b>sehr <i>wichtiger</i> und <a href='/x'><code>langer"
                            "</code> Satz</a></b> hier.</p>",
    "a link across two sentences": '<p>Das ist <a href="https://e.de/s">ein Satz. Und noch'
                                   "</a> einer.</p>",
    "a figure": '<figure><img src="bild.jpg" alt="Ein Bild &amp; mehr" title=\'Titel\'>'
                "<figcaption>Die Szene im Studio. <small>Foto: dpa</small></figcaption></figure>",
    "a list": "<ul>\n  <li>Erstens ein Punkt.</li>\n  <li>Zweitens<br>mit Umbruch.\n</ul>",
    "a tweet embed": '<blockquote class="twitter-tweet"><p lang="de" dir="ltr">Heute ist ein '
                     'guter Tag. <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Sam '
                     '(@sama) <a href="https://twitter.com/sama/status/1">15. Februar 2024</a>'
                     '</blockquote>\n<script async src="https://platform.twitter.com/widgets.js"'
                     ' charset="utf-8"></script>',
    "a script inside a paragraph": "<p>Vorher steht Text. <script>track('<b>')</script> "
                                   "Nachher auch.</p>",
    "text directly in a div": "<div class=teaser>Lose Worte im Kasten. <p>Ein Absatz.</p>"
                              "Noch mehr lose Worte.</div>",
}


def _page(body: str) -> str:
    return PAGE.replace("</article>", body + "\n</article>")


def _translate(tmp_path: Path, text: str, name: str = "seite.html", encoding="utf-8",
               newline="\n") -> tuple[Path, Path]:
    source = tmp_path / name
    source.write_bytes(text.replace("\n", newline).encode(encoding))
    out = tmp_path / "out"
    run([source], RunOptions(targets=("en", "fr"), out_dir=out, quiet=True, glossary=None),
        PseudoEngine())
    return source, out / "fr" / (source.stem + ".html")


def _outside(path: Path) -> list[str]:
    """The source's text outside every translated span, in order."""
    document = read_article(path)
    source = document.original
    assert source is not None
    pieces, position = [], 0
    for block in sorted((b for b in document.blocks if b.origin), key=lambda b: b.origin.start):
        pieces.append(source[position:block.origin.start])
        position = block.origin.end
    pieces.append(source[position:])
    return pieces


def _kept_in_order(pieces: list[str], output: str) -> None:
    assert output.startswith(pieces[0]) and output.endswith(pieces[-1])
    position = len(pieces[0])
    for piece in pieces[1:]:
        found = output.find(piece, position)
        assert found >= position, f"lost {piece!r}"
        position = found + len(piece)


def _links(markup: str) -> list[tuple[str, str, str | None]]:
    tree = lxml.html.document_fromstring(markup)
    return [(e.tag, name, e.get(name)) for e in tree.iter() if isinstance(e.tag, str)
            for name in ("href", "src") if e.get(name) is not None]


def _shape(markup: str) -> list[str]:
    tree = lxml.html.document_fromstring(markup)
    return [e.tag for e in tree.iter() if isinstance(e.tag, str)]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_html_comes_back_as_html_with_everything_outside_the_text_kept(tmp_path, shape):
    source, translated = _translate(tmp_path, _page(SHAPES[shape]))
    original = source.read_text(encoding="utf-8")
    output = translated.read_text(encoding="utf-8")
    assert output != original and "⟦fr:" in output  # translated …
    unlanged = output.replace('<html lang="fr">', "<html>", 1)
    _kept_in_order(_outside(source), unlanged)  # … and only the text changed
    assert _links(output) == _links(original)
    assert _shape(output) == _shape(original)


def test_a_fragment_gets_its_language_on_its_first_element(tmp_path):
    source, translated = _translate(tmp_path, '<div class="story"><p>Ein Satz. <a href="/'
                                              'x">Ein Link</a>.</p></div>\n')
    output = translated.read_text(encoding="utf-8")
    assert output.startswith('<div class="story" lang="fr">')
    assert _links(output) == [("a", "href", "/x")]


@pytest.mark.parametrize(("encoding", "newline"), [("cp1252", "\r\n"), ("utf-8", "\r\n")])
def test_the_source_encoding_and_line_ends_are_kept(tmp_path, encoding, newline):
    page = _page("<p>Grüße aus Köln – „gut“.</p>")
    source, translated = _translate(tmp_path, page, encoding=encoding, newline=newline)
    output = translated.read_bytes().decode(encoding)  # still the page's own encoding
    pieces = _outside(source)
    assert sum(piece.count("\r\n") for piece in pieces) > 5
    _kept_in_order(pieces, output.replace('<html lang="fr">', "<html>", 1))


def test_attribute_texts_are_escaped_and_quoted(tmp_path):
    source, translated = _translate(tmp_path, _page('<img src=a.jpg alt=Bild title="Ein '
                                                    '&quot;Titel&quot;">'))
    tree = lxml.html.document_fromstring(translated.read_text(encoding="utf-8"))
    [image] = tree.iter("img")
    assert image.get("src") == "a.jpg"
    assert "Bîļd" in image.get("alt") and '"Tîtéļ"' in image.get("title")


def test_codes_go_past_the_engine_and_the_po_shows_the_tags(tmp_path):
    source, translated = _translate(tmp_path, _page(SHAPES["nested inline markup"]))
    [segment] = [s for s in segment_document(read_article(source)) if "wichtiger" in s.text]
    assert [c.data for c in segment.codes] == [
        "<b>", "<i>", "</i>", "<a href='/x'>", "<code>", "</code>", "</a>", "</b>"]
    catalog = polib.pofile(str(tmp_path / "out" / "fr" / "LC_MESSAGES" / "seite.po"))
    [entry] = [e for e in catalog if e.msgctxt == segment.id]
    assert entry.msgid == segment.text
    assert [c.data for c in segment.codes] == re.findall(r"<[^<>]+>", entry.msgstr)
    assert not [f for f in run_checks(entry.msgid, entry.msgstr, CheckContext(markup="html"))
                if f.check == "markup"]


def test_a_tag_a_person_adds_is_text_in_the_page_and_an_error_in_qa(tmp_path):
    source, translated = _translate(tmp_path, _page("<p>Ein harmloser Satz.</p>"))
    po = tmp_path / "out" / "fr" / "LC_MESSAGES" / "seite.po"
    catalog = polib.pofile(str(po))
    [entry] = [e for e in catalog if e.msgid == "Ein harmloser Satz."]
    entry.msgstr = "Une phrase <script>alert(1)</script> inoffensive."
    entry.flags = []
    catalog.save(str(po))
    run([source], RunOptions(targets=("fr",), out_dir=tmp_path / "out", quiet=True,
                             glossary=None), PseudoEngine())
    output = translated.read_text(encoding="utf-8")
    assert "Une phrase &lt;script&gt;alert(1)&lt;/script&gt; inoffensive." in output
    assert "<script>alert(1)" not in output
    findings = run_checks(entry.msgid, entry.msgstr, CheckContext(markup="html"))
    assert [f.message for f in findings if f.check == "markup"] == [
        "added </script>, <script>"]


@pytest.mark.parametrize(("source", "target", "message"), [
    ('Laut <a href="/x">Bloomberg</a> hat.', "Selon Bloomberg a.", 'lost </a>, <a href="/x">'),
    ("Ein <b>sehr <i>wichtiger</i></b> Satz.", "A <b>very <i>important</b></i> sentence.",
     "broke the nesting of <i>…</i>"),
    ("Ein <b>fetter</b> Satz.", "A <b>bold</b> <b>sentence</b>.", "added </b>, <b>"),
    ("Zeile<br> zwei.", "Line two.", "lost <br>"),
    ("Ein <b>fetter</b> Satz.", "A <b>bold</b> sentence.", None),
])
def test_the_markup_check(source, target, message):
    found = [f for f in run_checks(source, target, CheckContext(markup="html"))
             if f.check == "markup"]
    assert [f.message for f in found] == ([message] if message else [])
    assert not found or found[0].severity == "error"


@pytest.mark.parametrize(("text", "markup", "expected"), [
    ('Laut <a href="https://x.de/?a=1&amp;b=2">Bloomberg</a> hat <em>Sora</em>.', "html",
     "Laut [Bloomberg](https://x.de/?a=1&b=2) hat *Sora*."),
    ("Ein &lt;img onerror=x&gt; Bild <b>fett</b> <span>weg</span>", "html",
     r"Ein \<img onerror=x\> Bild **fett** weg"),
    ('Das <a href="/a b">Ziel</a> mit <img src="c.jpg" alt="Alt">', "html",
     "Das [Ziel](</a b>) mit ![Alt](c.jpg)"),
    ("Ein **fetter** [Link](https://x) und <b>roh</b>", "markdown",
     r"Ein **fetter** [Link](https://x) und \<b\>roh\</b\>"),
    ("5 * 3 = 15 und a_b [x]", "text", r"5 \* 3 = 15 und a\_b \[x\]"),
])
def test_markdown_out(text, markup, expected):
    assert as_markdown(text, markup) == expected


def test_a_translated_block_that_opens_like_markdown_stays_text():
    from dataclasses import replace

    from pipeline.formats.markdown import render_markdown

    from ..helpers import translated

    document, translations = translated("Eins.\n\nZwei.\n\nDrei.\n")
    targets = ["- one.", "# two.", "1. three."]
    translations = [replace(t, target=text) for t, text in zip(translations, targets,
                                                                strict=True)]
    assert render_markdown(document, translations, "en") == "\\- one.\n\n\\# two.\n\n1\\. three.\n"


def test_the_review_pages_show_codes_as_markup_kept(tmp_path):
    from starlette.testclient import TestClient

    from pipeline.workspace.app import create_app

    _translate(tmp_path, _page(SHAPES["nested inline markup"]))
    page = (tmp_path / "out" / "review" / "seite.html").read_text(encoding="utf-8")
    assert '<code class="tag" title="markup, kept as it is">&lt;i&gt;</code>' in page
    live = TestClient(create_app(tmp_path / "out"), base_url="http://127.0.0.1")
    assert '<code class="tag" title="markup, kept as it is">&lt;/b&gt;</code>' in live.get(
        "/article/seite").text


@pytest.mark.parametrize(("target", "message"), [
    ('Selon <a href="/x">Bloomberg hier.', "lost </a>"),
    ("Un <b>très <i>important</b></i> texte.", "broke the nesting of <i>…</i>"),
])
def test_check_strict_flags_a_lost_code_or_broken_nesting(tmp_path, target, message):
    from click.testing import CliRunner

    from pipeline.cli import cli

    _translate(tmp_path, _page('<p>Laut <a href="/x">Bloomberg</a> hier.</p>'
                               "<p>Ein <b>sehr <i>wichtiger</i></b> Satz.</p>"))
    po = tmp_path / "out" / "fr" / "LC_MESSAGES" / "seite.po"
    catalog = polib.pofile(str(po))
    source = 'Laut <a href="/x">' if "Bloomberg" in target else "Ein <b>"
    [entry] = [e for e in catalog if e.msgid.startswith(source)]
    entry.msgstr, entry.flags = target, []
    catalog.save(str(po))
    result = CliRunner().invoke(cli, ["check", str(po), "--strict"])
    assert result.exit_code == 1
    assert f"markup: {message}" in result.output


def test_the_store_keeps_the_page_so_it_renders_without_the_source(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    source, translated = _translate(tmp_path, _page(SHAPES["a tweet embed"]))
    before = translated.read_bytes()
    source.unlink()
    translated.unlink()
    result = CliRunner().invoke(cli, ["store", "render", "seite", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert translated.read_bytes() == before
