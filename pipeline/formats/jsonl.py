"""Aligned records, one JSON object per segment, for scripts and alignment tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pipeline.model.document import Document, Translation


def render_jsonl(document: Document, translations: Sequence[Translation], lang: str) -> str:
    """One line per segment in document order: id, kind, source, target and provenance."""
    lines = []
    for t in translations:
        record = {
            "id": t.segment.id,
            "article": document.slug,
            "block": t.segment.block,
            "kind": t.segment.kind.value,
            "source_lang": document.language,
            "target_lang": lang,
            "source": t.segment.text,
            "target": t.target,
            "origin": t.origin,
            "fuzzy": t.fuzzy,
            "start": t.segment.start,
            "end": t.segment.end,
            "notes": list(t.notes),
            "engine": t.engine,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"
