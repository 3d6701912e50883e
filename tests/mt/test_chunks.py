"""Over-long segments cut for the model: nothing lost, pieces within the limit, cuts at
clause marks or spaces where there are any."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mt.chunks import mt_chunks

WORDS = st.sampled_from(["Wort", "lang,", "x;", "a:", "Satz", "abcdefghij" * 30, "  "])


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(words=st.lists(WORDS, max_size=400), limit=st.sampled_from([20, 100, 1000]))
def test_pieces_cover_the_text_within_the_limit(words, limit):
    text = " ".join(words)
    pieces = mt_chunks(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_cuts_prefer_clause_marks_then_spaces():
    clause = "Der erste, recht lange Teil des Satzes endet hier; "
    first, second = mt_chunks(clause + "dann kommt der Rest.", 60)
    assert (first, second) == (clause.strip(), "dann kommt der Rest.")
    early = "Kurz, " + "und weiter " * 10  # a clause mark in the first half: cut at a space
    assert mt_chunks(early, 60)[0] == "Kurz, und weiter und weiter und weiter und weiter und"
    assert mt_chunks("kurz", 60) == ["kurz"] and mt_chunks("   ", 60) == []


def test_a_run_without_spaces_is_cut_hard():
    assert mt_chunks("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
