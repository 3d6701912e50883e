"""Aligned records, one JSON object per segment, for scripts and alignment tools; and the
one reader of them (the run reads back what it wrote last time, ``check`` reads any)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.formats.notes import render_notes
from pipeline.infra.files import LIMITS, read_input
from pipeline.model.document import Document, Translation
from pipeline.model.errors import InputError


@dataclass(frozen=True)
class JsonlRecord:
    """One line as read back; ``line`` is its line number in the file."""

    id: str
    source: str
    target: str
    line: int
    origin: str = "mt"
    fuzzy: bool = False
    notes: tuple[str, ...] = ()
    engine: str | None = None
    source_lang: str | None = None
    target_lang: str | None = None


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
            "notes": render_notes(t),
            "engine": t.engine,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def read_jsonl(path: Path, *, strict: bool = True, limit: int = LIMITS["bilingual"]
               ) -> list[JsonlRecord]:
    """Every record of a JSONL file in order.

    ``strict``: a line that is not UTF-8 or not a record is an InputError naming its line.
    Not strict (the run reading its own last record): such a line is skipped, so a damaged
    record only costs its reuse, never a person's edit.
    """
    records = []
    data = read_input(path, "a JSONL file", limit)
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
            if not line.strip():
                continue
            records.append(_record(json.loads(line), number))
        except (UnicodeDecodeError, ValueError, AttributeError, TypeError, KeyError,
                RecursionError) as exc:
            if strict:
                reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc
                raise InputError(f"bad JSONL record: {reason}", path=path, line=number) from None
    return records


def _record(data: dict, number: int) -> JsonlRecord:
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    notes = data.get("notes") or ()
    if not isinstance(notes, list | tuple):
        raise TypeError("notes is not a list")
    return JsonlRecord(
        id=str(data.get("id", number)), source=str(data.get("source", "")),
        target=str(data.get("target") or ""), line=number,
        origin=str(data.get("origin") or "mt"), fuzzy=bool(data.get("fuzzy", False)),
        notes=tuple(str(n) for n in notes), engine=data.get("engine"),
        source_lang=data.get("source_lang"), target_lang=data.get("target_lang"),
    )
