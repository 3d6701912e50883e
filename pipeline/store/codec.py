"""The typed core as JSON for the review store, and back: an article (its text and blocks),
its segments (with inline codes) and what a run learnt about each translation, so every view
of an article can be rendered again from the store alone, without its source file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.formats.review import TermView
from pipeline.formats.xliff_markup import GlossTerm
from pipeline.model.annotations import (
    Choice,
    Finding,
    MemoryOrigin,
    Reuse,
    Severity,
    Suggestion,
    TermAction,
    TermDecision,
)
from pipeline.model.document import (
    Attribution,
    Block,
    BlockKind,
    CodeKind,
    Document,
    InlineCode,
    Origin,
    Segment,
    Translation,
)
from pipeline.store.previous import Kept


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def document_json(document: Document) -> str:
    return _dumps({
        "path": str(document.path), "slug": document.slug, "format": document.format,
        "text": document.text, "encoding": document.encoding, "language": document.language,
        "original": document.original,
        "blocks": [[b.index, b.kind, b.text, b.start, b.end, b.line, b.level,
                    _attribution(b.attribution),
                    [b.origin.start, b.origin.end, b.origin.attribute] if b.origin else None,
                    [list(pair) for pair in b.kept]]
                   for b in document.blocks]})


def document_from(text: str) -> Document:
    data = json.loads(text)
    blocks = tuple(Block(index, BlockKind(kind), body, start, end, line, level,
                         _attribution_from(attribution),
                         Origin(*rest[0]) if rest and rest[0] else None,
                         tuple((token, raw) for token, raw in rest[1]) if len(rest) > 1 else ())
                   for index, kind, body, start, end, line, level, attribution, *rest
                   in data["blocks"])
    return Document(Path(data["path"]), data["slug"], data["format"], data["text"], blocks,
                    data["encoding"], data["language"], data.get("original"))


def _attribution(a: Attribution | None) -> list[Any] | None:
    if a is None:
        return None
    return [a.author, a.handle, a.date.isoformat() if a.date else None, a.date_text, a.dash]


def _attribution_from(data: list[Any] | None) -> Attribution | None:
    if data is None:
        return None
    author, handle, date, date_text, dash = data
    return Attribution(author, handle, dt.date.fromisoformat(date) if date else None,
                       date_text, dash)


def segment_json(segment: Segment) -> str:
    return _dumps([segment.block, segment.kind, segment.text, segment.start, segment.end,
                   segment.line, [[c.id, c.kind, c.data, c.start, c.end] for c in segment.codes]])


def segment_from(sid: str, text: str) -> Segment:
    block, kind, body, start, end, line, codes = json.loads(text)
    return Segment(sid, block, BlockKind(kind), body, start, end, line,
                   tuple(InlineCode(i, CodeKind(k), data, s, e) for i, k, data, s, e in codes))


def detail_json(t: Translation) -> str:
    """What a translation carries beyond its text and status (kept in their own columns)."""
    return _dumps({
        "reuse": t.reuse,
        "suggestions": [[s.source, s.target, s.similarity, s.origin] for s in t.suggestions],
        "terms": [[d.concept_id, d.source_surface, d.action, d.detail, d.target,
                   *([_choice(d.choice)] if d.choice else [])] for d in t.terms],
        "findings": [[f.check, f.severity, f.message] for f in t.findings],
        "pivot": t.pivot})


def translation_from(segment: Segment, lang: str, kept: Kept, detail: str) -> Translation:
    """A translation from the store: text, status, producer and alternatives as the store
    holds them now (``kept``), the rest as the last run left it (``detail``)."""
    data = json.loads(detail)
    return Translation(
        segment, lang, kept.target, kept.status,
        Reuse(data["reuse"]) if data["reuse"] else None, kept.where, kept.previous_source,
        kept.engine,
        tuple(Suggestion(s, t, sim, MemoryOrigin(o)) for s, t, sim, o in data["suggestions"]),
        kept.repairs,
        tuple(TermDecision(c, surface, TermAction(a), detail, target_term,
                           _choice_from(choice[0]) if choice else None)
              for c, surface, a, detail, target_term, *choice in data["terms"]),
        tuple(Finding(check, Severity(severity), message)
              for check, severity, message in data["findings"]),
        kept.conflicts, pivot=data.get("pivot"))


def choices_from(detail: str | None) -> tuple[tuple[str, Choice], ...]:
    """The choices among hypotheses a stored translation's term decisions carry."""
    if not detail:
        return ()
    return tuple((concept, _choice_from(choice[0]))
                 for concept, _, _, _, _, *choice in json.loads(detail)["terms"] if choice)


def _choice(c: Choice) -> list[Any]:
    return [c.rank, c.considered, c.rendered, c.best_rendered, c.required, c.logprob,
            c.best_logprob, c.part, c.parts, _choice(c.via) if c.via else None]


def _choice_from(data: list[Any]) -> Choice:
    rank, considered, rendered, best, required, logprob, best_logprob, part, parts, via = data
    return Choice(rank, considered, rendered, best, required, logprob, best_logprob, part,
                  parts, _choice_from(via) if via else None)


def glossary_json(gloss: Mapping[str, Mapping[str, Sequence[GlossTerm]]],
                  highlights: Mapping[str, Sequence[TermView]], used: bool) -> str:
    """The article's glossary views: XLIFF glossary entries per language and segment, the
    review page's highlights per segment, and whether the term base found anything."""
    return _dumps({
        "gloss": {lang: {sid: [list(g) for g in terms] for sid, terms in by_sid.items()}
                  for lang, by_sid in gloss.items()},
        "highlights": {sid: [[v.start, v.end, v.concept_id, v.target] for v in views]
                       for sid, views in highlights.items()},
        "used": used})


def glossary_from(text: str | None) -> tuple[dict[str, dict[str, list[GlossTerm]]],
                                             dict[str, list[TermView]], bool]:
    if not text:
        return {}, {}, False
    data = json.loads(text)
    gloss = {lang: {sid: [GlossTerm(*g) for g in terms] for sid, terms in by_sid.items()}
             for lang, by_sid in data["gloss"].items()}
    highlights = {sid: [TermView(*v) for v in views] for sid, views in data["highlights"].items()}
    return gloss, highlights, bool(data["used"])
