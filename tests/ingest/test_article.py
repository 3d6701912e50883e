"""Ingest: formats, encodings, headings, tweets and the errors for unreadable input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.article import detect_format, parse_article, read_article, slugify
from pipeline.ingest.inline import html_codes
from pipeline.ingest.plain import is_heading
from pipeline.model.document import BlockKind, plain_text
from pipeline.model.errors import InputError

from ..conftest import SAMPLE
from ..helpers import assert_golden


def _blocks(document):
    return [{"kind": b.kind.value, "line": b.line, "level": b.level, "text": b.text,
             "author": b.attribution.author if b.attribution else None,
             "handle": b.attribution.handle if b.attribution else None,
             "date": b.attribution.date.isoformat() if b.attribution and b.attribution.date
             else None}
            for b in document.blocks]


def test_sample_blocks_golden():
    assert_golden("sora-hollywood.blocks.json", _blocks(read_article(SAMPLE)))


def test_sample_tweets():
    tweets = [b for b in read_article(SAMPLE).blocks if b.kind is BlockKind.TWEET]
    assert [t.attribution.handle for t in tweets] == ["@Rahll", "@HeatherAshleyB_"]
    assert tweets[0].text.startswith("OpenAI trifft sich") and "\n" in tweets[0].text
    assert tweets[0].text.endswith("pic.twitter.com/KSgQJdeujp")
    assert tweets[1].text.startswith("Ich hasse das")
    assert str(tweets[1].attribution.date) == "2024-03-24"


def test_offsets_cover_blocks():
    document = read_article(SAMPLE)
    for block in document.blocks:
        assert document.text[block.start:block.end] == block.text


@pytest.mark.parametrize(("line", "heading"), [
    ("KI fordert Kreativität heraus", True),
    ("Sie wollen KI und investieren aktiv in sie.", False),
    ("Warum wirbt OpenAI in Hollywood?", False),
    ("Siehe https://example.org", False),
    ("Ein sehr langer Satz ohne Punkt " * 5, False),
    ("", False),
])
def test_heading_rule(line, heading):
    assert is_heading(line) is heading


def test_blank_line_paragraphs_join_wrapped_lines():
    text = "Titel der Geschichte\n\nErste Zeile\nzweite Zeile.\n\nNoch ein Absatz."
    document = parse_article(text, path=Path("a.txt"))
    assert [b.kind for b in document.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH,
                                                 BlockKind.PARAGRAPH]
    assert document.blocks[1].text == "Erste Zeile\nzweite Zeile."


def test_markdown_structure():
    text = ("# Titel\n\nEin Absatz\nüber zwei Zeilen.\n\n- Punkt eins\n- Punkt zwei\n\n"
            "> Das ist ein Tweet. https://t.co/abc\n>\n> — Jane Doe (@jane) August 10, 2022\n\n"
            "> Nur ein Zitat.\n")
    document = parse_article(text, path=Path("a.md"), fmt="markdown")
    kinds = [b.kind for b in document.blocks]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM,
                     BlockKind.LIST_ITEM, BlockKind.TWEET, BlockKind.QUOTE]
    tweet = document.blocks[4]
    assert tweet.attribution.handle == "@jane" and str(tweet.attribution.date) == "2022-08-10"


def test_html_blocks_and_dropped_scripts():
    html = ("<html><head><style>p{}</style></head><body><h2>Überschrift</h2>"
            "<p>Ein <b>fetter</b> Satz.</p><script>alert('x')</script>"
            "<ul><li>Eins</li><li>Zwei</li></ul>"
            '<blockquote class="twitter-tweet"><p>Tweet-Text. '
            '<a href="https://t.co/x">pic.twitter.com/abc</a></p>&mdash; A B (@ab) '
            "<a href='#'>22. März 2024</a></blockquote></body></html>")
    document = parse_article(html, path=Path("a.html"), fmt="html")
    assert [(b.kind, b.text) for b in document.blocks][:4] == [
        (BlockKind.HEADING, "Überschrift"), (BlockKind.PARAGRAPH, "Ein <b>fetter</b> Satz."),
        (BlockKind.LIST_ITEM, "Eins"), (BlockKind.LIST_ITEM, "Zwei")]
    assert document.blocks[4].kind is BlockKind.TWEET
    assert document.blocks[4].attribution.handle == "@ab"
    assert "alert" not in document.text


@pytest.mark.parametrize(("html", "text"), [
    ("<p>Absatz<br>mit Umbruch.</p>", "Absatz mit Umbruch."),
    ("<p>Absatz<br/>mit Umbruch.</p>", "Absatz mit Umbruch."),
    ("<p>Absatz<br />mit Umbruch.</p>", "Absatz mit Umbruch."),
    ("<p>Absatz<BR>mit Umbruch.</p>", "Absatz mit Umbruch."),
    ("<p>Absatz<br><br>\n<br>mit Umbruch.</p>", "Absatz mit Umbruch."),
    ("<p>Donau<wbr>dampf<wbr/>schiff</p>", "Donaudampfschiff"),
    ("<p>Ein <b>fett</b>er Satz.</p>", "Ein fetter Satz."),
    ("<li>Eins<hr>Zwei</li>", "Eins Zwei"),
    ("<li>Eins<div>Zwei</div>Drei</li>", "Eins Zwei Drei"),
    ("<td>Eins<table><caption>Zwei</caption></table></td>", "Eins Zwei"),
])
def test_html_breaks_separate_words(html, text):
    """A <br> or nested box between words is a space; <wbr> and inline tags join (the tags
    stay in the text as codes: the words are what ids and the memory see)."""
    document = parse_article(html, path=Path("a.html"), fmt="html")
    assert [plain_text(b.text, html_codes(b.text)) for b in document.blocks] == [text]


def test_html_br_in_tweet_body():
    html = ('<blockquote class="twitter-tweet"><p>Erste Zeile<br>zweite Zeile.</p>'
            "&mdash; A B (@ab) <a href='#'>22. März 2024</a></blockquote>")
    document = parse_article(html, path=Path("a.html"), fmt="html")
    assert document.blocks[0].kind is BlockKind.TWEET
    assert document.blocks[0].text == "Erste Zeile<br> zweite Zeile."


def test_html_is_read_as_utf8_without_meta(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<p>Kreativität und Größe.</p>", encoding="utf-8")
    assert read_article(path).blocks[0].text == "Kreativität und Größe."


@pytest.mark.parametrize(("data", "expected"), [
    ("Grüße aus Köln.".encode(), "Grüße aus Köln."),
    (b"\xef\xbb\xbf" + "Grüße aus Köln.".encode(), "Grüße aus Köln."),
    ("Grüße aus Köln – „gut“.".encode("cp1252"), "Grüße aus Köln – „gut“."),
    ("Grüße\r\naus Köln.".encode(), "Grüße\naus Köln."),
])
def test_encodings(tmp_path, data, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_article(path).text.replace("\n\n", "\n") == expected


@pytest.mark.parametrize(("data", "message"), [
    (b"", "file is empty"),
    (b"   \n\t\n", "file is empty"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (bytes(range(1, 32)) * 40, "binary file"),
    (b"caf\x81 \x8d", "not UTF-8"),
])
def test_unreadable_input(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        read_article(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")


def test_attribution_without_body(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("- Reid Southen (@Rahll) 22. März 2024\nText danach.\n", encoding="utf-8")
    with pytest.raises(InputError, match="without a tweet body") as info:
        read_article(path)
    assert f"{path}:1:" in str(info.value)


@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("a.txt", "Hallo.", "text"), ("a.md", "# Hallo", "markdown"), ("a.htm", "<p>x</p>", "html"),
    ("a", "<!DOCTYPE html><p>x</p>", "html"), ("a", "Hallo.", "text"),
])
def test_detect_format(name, text, fmt):
    assert detect_format(Path(name), text) == fmt


@pytest.mark.parametrize(("stem", "slug"), [
    ("Sora Hollywood", "sora-hollywood"), ("Über_KI!", "uber-ki"), ("***", "article"),
])
def test_slugify(stem, slug):
    assert slugify(stem) == slug
