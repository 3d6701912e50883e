"""Masking and restoring untouchables; repairs when a model drops, repeats or invents them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats.notes import parse_repair, repair_note
from pipeline.mt.protect import localize_number, mask, unmask


@pytest.mark.parametrize(("text", "kinds"), [
    ("Siehe https://t.co/qbewb5gxoO pic.twitter.com/KSgQJdeujp", ["url", "url"]),
    ("Mail an a.b@c.de bitte", ["email"]),
    ("Danke @Rahll und @HeatherAshleyB_!", ["handle", "handle"]),
    ("Wir lieben #KI und #Film2024", ["hashtag", "hashtag"]),
    ("204.000 Jobs, 1,5 % und $800 Millionen", ["number", "number", "number"]),
    ("am 22. März 2024", ["number", "number"]),
    ("www.example.de/a.b. Danach", ["url"]),
    ("Quelle [1] und #1", ["marker", "number"]),
    ("Keine Zahl hier", []),
])
def test_mask_finds(text, kinds):
    masked = mask(text)
    assert [item.kind for item in masked.items] == kinds
    assert [item.placeholder for item in masked.items] == [f"[{i}]" for i in range(len(kinds))]
    assert unmask(masked, masked.text, "de") == (text, [])


def test_round_trip_when_model_copies_placeholders():
    text = "Bis 2026 fallen 204.000 Jobs weg, sagt @Rahll: https://t.co/x"
    masked = mask(text)
    restored, notes = unmask(masked, masked.text, "de")
    assert restored == text and notes == []


@pytest.mark.parametrize(("output", "expected", "note"), [
    ("Jobs [0] and [1].", "Jobs 204,000 and @Rahll.", None),
    ("Jobs [ 0 ] and ［1］.", "Jobs 204,000 and @Rahll.", None),
    ("Jobs [0].", "Jobs 204,000 @Rahll.", "restored dropped handle @Rahll"),
    ("Jobs [0] [0] [1].", "Jobs 204,000 @Rahll.", "removed repeated number 204.000"),
    ("Jobs [0] [1] [7].", "Jobs 204,000 @Rahll.", "removed invented placeholder [7]"),
    ("Nothing.", "Nothing 204,000 @Rahll.", "restored dropped number 204.000"),
])
def test_repairs(output, expected, note):
    masked = mask("Jobs 204.000 und @Rahll.")
    restored, repairs = unmask(masked, output, "en")
    assert restored == expected
    notes = [repair_note(r) for r in repairs]
    assert (note in notes) if note else notes == []
    assert [parse_repair(n) for n in notes] == repairs


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("204.000", "en", "204,000"), ("204.000", "fr", "204\u202f000"), ("1,5", "en", "1.5"),
    ("1,5", "fr", "1,5"), ("1.800", "es", "1.800"), ("550.000", "es", "550.000"),
    ("2024", "en", "2024"), ("3.5", "en", "3.5"), ("21", "en", "21"), ("1,25", "en", "1.25"),
])
def test_localize_number(value, lang, expected):
    assert localize_number(value, lang) == expected


def test_spans_win_over_patterns_and_restore_as_asked():
    text = "Tyler Perry und KI 2024 @OpenAI"
    masked = mask(text, spans=[(16, 18, "AI"), (0, 11, "Tyler Perry"), (25, 31, "x"),
                               (19, 23, "zweitausendvierundzwanzig")])
    assert [(i.kind, i.value) for i in masked.items] == [
        ("term", "Tyler Perry"), ("term", "KI"), ("term", "2024"), ("handle", "@OpenAI")]
    assert masked.text == "[0] und [1] [2] [3]"
    assert unmask(masked, "[0] and [1] [2] [3]", "en")[0] == \
        "Tyler Perry and AI zweitausendvierundzwanzig @OpenAI"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_mask_unmask_round_trips_any_text(text):
    masked = mask(text)
    restored, notes = unmask(masked, masked.text, "de")
    assert notes == []
    assert " ".join(restored.split()) == " ".join(text.split())
