"""The review page: its structure (lxml), and in headless Chromium that it renders and that
hostile text in an article, a translation or a QA message stays text.

Chromium runs three times in this module (sample DOM, hostile DOM, screenshot); the sample
page is rendered once per module.
"""

from __future__ import annotations

import shutil
import struct
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from pipeline.formats.review import (
    CSP,
    TermView,
    highlight_terms,
    render_review,
    status,
    write_review,
)
from pipeline.ingest.article import parse_article, read_article
from pipeline.ingest.segment import segment_document
from pipeline.model.annotations import Conflict, Finding, Reuse
from pipeline.model.document import BlockKind, Translation
from pipeline.model.status import Status

from ..browser import dump_dom, screenshot
from ..helpers import translated

LANGS = ("en", "fr", "es")
SCRIPT = "<script>document.title='pwned';document.body.setAttribute('data-pwned','1')</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
SCREENSHOT_COPY = Path("/tmp/review-sample.png")


def by_class(node, cls: str, tag: str = "*") -> list:
    """Descendants of ``node`` whose class list holds ``cls`` (no cssselect in the venv)."""
    return node.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def segment_rows(node) -> list:
    return node.xpath(".//*[starts-with(@id, 'seg-')]")


def fake_translation(segment, lang: str) -> Translation:
    """Upper-cased source; a few segments vary so every status shows up."""
    if segment.kind is BlockKind.TWEET and lang == "en":
        return Translation(segment, lang, segment.text, Status.VERBATIM, Reuse.TWEET_IN_TARGET)
    if segment.line == 1 and lang == "en":
        return Translation(segment, lang, segment.text.upper(), Status.REVIEWED)
    if segment.line == 1 and lang == "fr":
        return Translation(segment, lang, segment.text.upper(), Status.DRAFT)
    return Translation(segment, lang, segment.text.upper())


@pytest.fixture(scope="module")
def sample(sample_path):
    """The sample article, segmented once, with fake translations, terms and findings."""
    document = read_article(sample_path)
    segments = segment_document(document)
    by_lang = {lang: [fake_translation(s, lang) for s in segments] for lang in LANGS}
    first = segments[0]
    sora = first.text.index("Sora")
    terms = {first.id: [
        TermView(0, 6, "openai", "OpenAI"),
        TermView(sora, sora + 4, "sora", "Sora"),
        TermView(sora + 1, sora + 10, "overlap", "dropped"),  # overlaps "Sora": dropped
        TermView(-3, 2, "negative", "dropped"),
        TermView(5, 5, "empty", "dropped"),
        TermView(10, 10_000, "past-end", "dropped"),
    ]}
    findings = {
        ("fr", segments[1].id): [Finding("numbers", "error", "800 is missing in the target"),
                                 Finding("length", "warning", "target is 2.6× the source")],
        ("es", segments[2].id): [Finding("custom", "notice", "an unknown severity")],
    }
    return document, segments, by_lang, terms, findings


@pytest.fixture(scope="module")
def sample_page(sample, tmp_path_factory) -> Path:
    document, _, by_lang, terms, findings = sample
    path = tmp_path_factory.mktemp("review") / "sora-hollywood.review.html"
    write_review(path, document, by_lang, terms=terms, findings=findings)
    return path


@pytest.fixture(scope="module")
def tree(sample_page):
    return lxml.html.parse(str(sample_page)).getroot()


# --- structure --------------------------------------------------------------------------------


def test_one_row_per_segment_with_one_cell_per_language(sample, tree):
    _, segments, _, _, _ = sample
    rows = segment_rows(tree)
    assert [row.get("id") for row in rows] == [f"seg-{s.id}" for s in segments]
    for row in rows:
        sources = by_class(row, "src")
        targets = by_class(row, "tgt")
        assert [cell.get("lang") for cell in sources] == ["de"]
        assert [cell.get("lang") for cell in targets] == list(LANGS)
        assert row.get("id")[4:] in by_class(row, "segid")[0].text_content()


def test_blocks_group_rows_in_reading_order(sample, tree):
    document, segments, _, _, _ = sample
    blocks = by_class(tree.find("body"), "block")
    assert [int(b.get("data-block")) for b in blocks] == [b.index for b in document.blocks]
    block_of = {f"seg-{s.id}": s.block for s in segments}
    for block in blocks:
        for row in segment_rows(block):
            assert block_of[row.get("id")] == int(block.get("data-block"))


def test_tweets_are_quotes_with_localized_attribution(tree):
    tweets = tree.xpath("//blockquote[contains(concat(' ', @class, ' '), ' tweet ')]")
    assert len(tweets) == 2
    first, second = tweets
    assert segment_rows(first) and segment_rows(second)
    assert "OpenAI trifft sich mit Hollywood-Studios" in first.text_content()
    cite = [c.text_content() for c in first.xpath(".//footer//cite")]
    assert cite == ["— Reid Southen (@Rahll) 22. März 2024",
                    "— Reid Southen (@Rahll) March 22, 2024",
                    "— Reid Southen (@Rahll) 22 mars 2024",
                    "— Reid Southen (@Rahll) 22 de marzo de 2024"]
    assert "@HeatherAshleyB_" in second.xpath(".//footer")[0].text_content()
    assert [c.get("lang") for c in second.xpath(".//footer/*")] == ["de", *LANGS]


def test_rows_name_the_kinds_a_reviewer_cannot_see():
    text = "BERLIN (dpa) – Die Autoren streiken.\nFoto: dpa\n• Ein Punkt.\n"
    document, translations = translated(text)
    page = lxml.html.fromstring(render_review(document, {"en": translations}))
    shown = [(row.get("data-segment"), [k.text for k in by_class(row, "kind")])
             for row in segment_rows(page)]
    assert [kinds for _, kinds in shown] == [["dateline"], [], ["credit"], []]


def test_heading_is_a_heading(tree):
    headings = tree.xpath("//main//h3")
    assert [h.text_content() for h in headings] == ["KI fordert Kreativität heraus"]
    row = headings[0].getparent().getparent()
    assert "heading" in classes(row)


def test_status_labels_and_counts(sample, tree):
    _, segments, _, _, _ = sample
    first = tree.get_element_by_id(f"seg-{segments[0].id}")
    cells = by_class(first, "tgt")
    assert [c.get("data-status") for c in cells] == ["reviewed", "draft", "machine"]
    assert [by_class(c, "status")[0].text_content() for c in cells] == [
        "reviewed", "draft", "machine"]
    tweet_en = by_class(tree.xpath("//blockquote")[0], "tgt")[0]
    assert tweet_en.get("data-status") == "verbatim"
    assert "tweet kept verbatim" in tweet_en.text_content()
    en = tree.xpath("//table[@class='counts']//tr[@data-lang='en']")[0]
    counts = {td.get("data-status"): int(td.text) for td in en.xpath("td[@data-status]")}
    verbatim = sum(s.kind is BlockKind.TWEET for s in segments)
    assert counts == {"machine": len(segments) - verbatim - 1, "draft": 0, "reviewed": 1,
                      "final": 0, "verbatim": verbatim, "from-memory": 0, "missing": 0}


def test_term_marks_cover_the_right_text(sample, tree):
    _, segments, _, _, _ = sample
    source = by_class(tree.get_element_by_id(f"seg-{segments[0].id}"), "src")[0]
    marks = source.xpath(".//mark")
    assert [m.text_content() for m in marks] == ["OpenAI", "Sora"]
    assert all(classes(m) == {"term"} for m in marks)
    assert marks[0].get("title") == "concept: openai → OpenAI"
    assert source.xpath(".//p[@class='text']")[0].text_content() == segments[0].text


def test_findings_are_badges(sample, tree):
    _, segments, _, _, _ = sample
    fr = by_class(tree.get_element_by_id(f"seg-{segments[1].id}"), "tgt")[1]
    badges = by_class(fr, "badge")
    assert [(classes(b) - {"badge", "finding"}) for b in badges] == [{"error"}, {"warning"}]
    assert "800 is missing in the target" in badges[0].text_content()
    unknown = by_class(by_class(tree.get_element_by_id(f"seg-{segments[2].id}"), "tgt")[2],
                       "badge")[0]
    assert "info" in classes(unknown)
    assert "has-findings" in classes(tree.get_element_by_id(f"seg-{segments[1].id}"))
    en = tree.xpath("//table[@class='counts']//tr[@data-lang='fr']")[0]
    assert en.xpath("td[@data-count='finding-error']")[0].text == "1"


def test_header_and_offline_safety(sample_page, tree):
    html = sample_page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert tree.xpath("//meta[@charset='utf-8']")
    assert tree.xpath("//meta[@name='viewport']")
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp == [CSP] and "default-src 'none'" in CSP and "script-src" not in CSP
    header = tree.xpath("//header")[0].text_content()
    assert "sora-hollywood" in header and "sora-hollywood.txt" in header
    assert "de → en, fr, es" in " ".join(header.split())
    assert not tree.xpath("//script | //link | //iframe | //img | //@src")
    assert "http://" not in html.split("<main")[0] and "https://" not in html.split("<main")[0]


# --- units ------------------------------------------------------------------------------------


def test_status_mapping():
    document, translations = translated()
    segment = translations[0].segment
    assert status(Translation(segment, "en", "x")) == "machine"
    assert status(Translation(segment, "en", "x", Status.DRAFT)) == "draft"
    assert status(Translation(segment, "en", "x", Status.REVIEWED)) == "reviewed"
    assert status(Translation(segment, "en", "x", Status.FINAL)) == "final"
    assert status(Translation(segment, "en", "x", Status.VERBATIM)) == "verbatim"
    assert status(Translation(segment, "en", "x", Status.FROM_MEMORY)) == "from-memory"
    assert status(None) == "missing"


def test_highlight_escapes_every_piece():
    text = 'a <b> & "c"'
    marked = highlight_terms(text, [TermView(2, 5, '"><x>', "<y>"), TermView(4, 8, "o", "o")])
    assert str(marked) == (
        'a <mark class="term" title="concept: &#34;&gt;&lt;x&gt; → &lt;y&gt;" '
        'data-concept="&#34;&gt;&lt;x&gt;">&lt;b&gt;</mark> &amp; &#34;c&#34;'
    )
    assert str(highlight_terms(text, [TermView(3, 1, "r", "r")])) == (
        "a &lt;b&gt; &amp; &#34;c&#34;")


def test_missing_language_and_unknown_locale_still_render():
    document, translations = translated()
    page = render_review(document, {"en": translations, "fr": translations[:1], "xx-bogus": []})
    tree = lxml.html.fromstring(page)
    rows = segment_rows(tree)
    assert len(rows) == len(translations)
    assert [c.get("data-status") for c in by_class(rows[-1], "tgt")] == [
        "machine", "missing", "missing"]
    assert "Jane Doe (@jane) 22. März 2024" in tree.xpath("//footer")[0].text_content()


def test_block_without_segments_is_shown():
    document, translations = translated()
    page = render_review(document, {"en": [t for t in translations if t.segment.block != 1]})
    tree = lxml.html.fromstring(page)
    block = tree.xpath("//*[@data-block='1']")[0]
    assert "Die Regisseure wollen KI." in block.text_content()
    assert by_class(block, "tgt")[0].get("data-status") == "missing"


# --- in Chromium ------------------------------------------------------------------------------


def test_chromium_renders_sample_with_tweet_quotes(sample, sample_page):
    _, segments, _, _, _ = sample
    tree = lxml.html.document_fromstring(dump_dom(sample_page))
    assert len(segment_rows(tree)) == len(segments)
    tweets = tree.xpath("//blockquote[contains(concat(' ', @class, ' '), ' tweet ')]")
    assert len(tweets) == 2
    assert "@Rahll" in tweets[0].text_content()
    assert "@HeatherAshleyB_" in tweets[1].text_content()


def hostile_document():
    """Markup as plain article text, in a tweet author, in the file name."""
    text = (
        f"Ein Angriff {SCRIPT} steht hier.\n\n"
        f"Ein Bild {IMG} steht hier.\n\n"
        "Ein Tweet mit Link. https://t.co/abc\n"
        "- <i>Eve</i> (@eve) 22. März 2024\n"
    )
    name = f"hostile-{IMG}.txt"
    return parse_article(text, path=Path(name), fmt="text")


def test_hostile_text_stays_text_in_chromium(tmp_path):
    document = hostile_document()
    segments = segment_document(document)
    weird_lang = f'en"{IMG}'
    by_lang = {
        "en": [Translation(s, "en", s.text, conflicts=(Conflict(IMG, SCRIPT),)) for s in segments],
        "fr": [Translation(s, "fr", f"{IMG} {SCRIPT}") for s in segments],
        weird_lang: [Translation(s, weird_lang, s.text) for s in segments],
    }
    terms = {s.id: [TermView(0, 3, f'"{IMG}', SCRIPT)] for s in segments}
    findings = {("fr", s.id): [Finding(SCRIPT, IMG, f"{SCRIPT}{IMG}")] for s in segments}
    page = tmp_path / "hostile.html"
    write_review(page, document, by_lang, terms=terms, findings=findings)
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()

    tree = lxml.html.document_fromstring(dump_dom(page))
    assert not tree.xpath("//*[@data-pwned]")
    assert tree.findtext(".//title").startswith("Review: ")
    assert not tree.xpath("//body//img | //body//script | //body//i")
    sources = " ".join(cell.text_content() for cell in by_class(tree, "src"))
    assert SCRIPT in sources and IMG in sources
    assert "<i>Eve</i> (@eve)" in tree.xpath("//footer")[0].text_content()
    badge = by_class(tree, "badge")[0]
    assert SCRIPT in badge.text_content() and "info" in classes(badge)


def test_screenshot_at_1280(sample_page, tmp_path):
    png = screenshot(sample_page, tmp_path / "review.png", (1280, 900))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 900)
    assert len(data) > 10_000
    shutil.copyfile(png, SCREENSHOT_COPY)


def test_invisible_characters_are_shown_by_name_and_never_reorder_text(tmp_path):
    document, translations = translated()
    first = translations[0]
    tricky = replace(first, target="safe \u202eevil\u202c end")
    page = tmp_path / "bidi.html"
    write_review(page, document, {"en": [tricky, *translations[1:]]})
    html = page.read_text(encoding="utf-8")
    assert "\u202e" not in html and "\u202c" not in html
    tree = lxml.html.document_fromstring(html)
    markers = tree.xpath("//span[@class='invisible']")
    assert [(m.get("title"), m.text) for m in markers] == [
        ("RIGHT-TO-LEFT OVERRIDE", "⟨U+202E⟩"), ("POP DIRECTIONAL FORMATTING", "⟨U+202C⟩")]
