"""JSONL: one aligned record per segment."""

from __future__ import annotations

import json

from pipeline.formats.jsonl import read_jsonl, render_jsonl

from ..helpers import translated


def test_one_record_per_segment():
    document, translations = translated()
    records = [json.loads(line) for line in render_jsonl(document, translations, "en").splitlines()]
    assert [r["id"] for r in records] == [t.segment.id for t in translations]
    assert {"id", "kind", "source", "target"} <= set(records[0])
    assert records[-1]["kind"] == "tweet" and records[-1]["target"] == records[-1]["source"].upper()


def test_a_translation_from_the_reviewed_english_says_so_and_reads_back(tmp_path):
    from dataclasses import replace

    from pipeline.formats.notes import PIVOT_NOTE, parse_pivot, suggestion_note
    from pipeline.model.annotations import MemoryOrigin, Suggestion

    document, translations = translated()
    derived = replace(translations[0], pivot="AI at the cinema")
    path = tmp_path / "a.jsonl"
    path.write_text(render_jsonl(document, [derived, *translations[1:]], "en"), "utf-8")
    records = read_jsonl(path)
    assert f"{PIVOT_NOTE}: AI at the cinema" in records[0].notes
    assert parse_pivot(records[0].notes) == "AI at the cinema"
    assert parse_pivot(records[1].notes) is None
    offer = Suggestion("KI im Kino", "L'IA au cinéma", 100.0, MemoryOrigin.PIVOT)
    assert suggestion_note(offer) == f"{PIVOT_NOTE} now: L'IA au cinéma"
    assert not MemoryOrigin.PIVOT.by_person and not MemoryOrigin.PIVOT.in_memory
