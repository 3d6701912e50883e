"""Segmentation: the hard-case table, the sample article's golden segments, offsets and ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.article import parse_article, read_article
from pipeline.ingest.segment import segment_document, segment_ids, sentence_spans
from pipeline.model.text import normalize_space

from ..conftest import ROOT, SAMPLE
from ..helpers import assert_golden

CASES = json.loads((ROOT / "tests" / "data" / "segmentation_cases.json").read_text("utf-8"))
#: Cases SoMaJo plus our repair rules still get wrong; strict, so a fix is noticed.
KNOWN_MISSES = {
    "abbr-art-abs": "GG. is read as the abbreviation gg. (gegen)",
    "ordinal-1-fc-koeln": "2:1. is read as a score plus the ordinal 1.",
    "number-at-sentence-end-looks-ordinal": "Platz 3. is read as an ordinal",
    "social-lowercase-start": "a lowercase sentence start is not a boundary for SoMaJo",
}


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c["id"], marks=pytest.mark.xfail(reason=KNOWN_MISSES[c["id"]],
                                                          strict=True))
     if c["id"] in KNOWN_MISSES else pytest.param(c, id=c["id"]) for c in CASES],
)
def test_hard_cases(case):
    text = case["text"]
    assert [text[a:b] for a, b in sentence_spans(text)] == case["sentences"]


def test_table_is_mostly_right():
    assert len(CASES) >= 40
    assert len(KNOWN_MISSES) / len(CASES) < 0.1


def _golden(document):
    return [{"id": s.id, "kind": s.kind.value, "block": s.block, "line": s.line, "text": s.text}
            for s in segment_document(document)]


def test_sample_article_golden():
    assert_golden("sora-hollywood.segments.json", _golden(read_article(SAMPLE)))


def test_offsets_point_at_the_sentence():
    document = read_article(SAMPLE)
    for segment in segment_document(document):
        assert normalize_space(document.text[segment.start:segment.end]) == segment.text


def test_quote_stays_with_its_sentence():
    document = read_article(SAMPLE)
    texts = [s.text for s in segment_document(document)]
    assert any(t.endswith('war atemberaubend."') for t in texts)
    assert "Bloombergsagte" in " ".join(texts)


def test_ids_are_stable_and_unique():
    text = "Ein Satz. Ein Satz. Noch einer."
    doc = parse_article(text, path=Path("a.txt"))
    first = [s.id for s in segment_document(doc)]
    assert first == [s.id for s in segment_document(parse_article(text, path=Path("a.txt")))]
    assert len(set(first)) == 3 and first[1] == first[0] + "-2"


def test_ids_survive_edits_elsewhere():
    before = segment_document(parse_article("Eins ist gut.\n\nZwei ist gut.", path=Path("a.txt")))
    after = segment_document(
        parse_article("Neu ist da.\n\nEins ist gut.\n\nZwei ist gut.", path=Path("a.txt")))
    assert {s.id for s in before} <= {s.id for s in after}


@pytest.mark.parametrize(("texts", "expected_suffixes"), [
    (["a", "b"], ["", ""]),
    (["a", "a", "a"], ["", "-2", "-3"]),
    (["a  b", "a b"], ["", "-2"]),
])
def test_segment_ids_table(texts, expected_suffixes):
    ids = segment_ids(texts)
    assert [i[11:] for i in ids] == expected_suffixes


def test_whitespace_only_has_no_sentences():
    assert sentence_spans(" \n\t ") == []


_PIECES = st.sampled_from(
    list("abc ABC äöüß.,!?:;\"„“»«'()-–—…@#/\n\t0123456789")
    + ["https://t.co/x", "z. B.", "Dr.", "22. März", "\u00a0", "🙂", "\u200b", "\r"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=60)))
def test_segmentation_loses_and_invents_nothing(text):
    """Sentences plus the white space between them rebuild the text exactly."""
    position = 0
    for start, end in sentence_spans(text):
        assert position <= start < end <= len(text)
        assert text[position:start].strip() == ""
        assert text[start:end].strip()
        position = end
    assert text[position:].strip() == ""


@pytest.mark.parametrize("text", [
    "Der Film startet morgen. 🎬 Alle sind gespannt! ❤️ #KI",
    "Wir lieben es 😍😍 und ihr? 👍🏽 Klar.",
    "Ein Satz ohne Bildzeichen, aber mit :-) und ;) am Ende.",
    "Ziffern 1️⃣ 2️⃣ und Flaggen 🇩🇪 🇫🇷 zählen auch ✌.",
])
def test_the_emoji_shortcut_gives_somajos_own_tokens(text):
    from somajo import SoMaJo

    from pipeline.ingest.segment import _somajo

    plain = SoMaJo("de_CMC", split_camel_case=False, split_sentences=True,
                   character_offsets=True)

    def tokens(splitter):
        return [[(t.text, t.token_class, t.character_offset) for t in sentence]
                for sentence in splitter.tokenize_text([text])]

    assert tokens(_somajo()) == tokens(plain)
