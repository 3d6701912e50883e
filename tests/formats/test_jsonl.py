"""JSONL: one aligned record per segment."""

from __future__ import annotations

import json

from pipeline.formats.jsonl import render_jsonl

from ..helpers import translated


def test_one_record_per_segment():
    document, translations = translated()
    records = [json.loads(line) for line in render_jsonl(document, translations, "en").splitlines()]
    assert [r["id"] for r in records] == [t.segment.id for t in translations]
    assert {"id", "kind", "source", "target"} <= set(records[0])
    assert records[-1]["kind"] == "tweet" and records[-1]["target"] == records[-1]["source"].upper()
