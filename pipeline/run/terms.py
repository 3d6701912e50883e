"""The glossary inside a run: find terms once per article, steer MT, enforce, report.

The matching and enforcement rules live in :mod:`pipeline.glossary`; this module only
adapts them to the run's data (segments, translations, outputs), so the runner stays short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from pipeline.model.annotations import Choice, Reuse, TermAction
from pipeline.model.document import BlockKind, Segment, Translation
from pipeline.model.status import Status

if TYPE_CHECKING:
    from pipeline.formats.review import TermView
    from pipeline.formats.xliff_markup import GlossTerm
    from pipeline.glossary.match import Glossary, TermHit

Hits = Mapping[str, Sequence["TermHit"]]
#: choices among hypotheses, each with the concept of a hit it was made for, in hit order
Chosen = tuple[tuple[str, Choice], ...]


def find_all(glossary: Glossary | None, segments: Sequence[Segment]
             ) -> dict[str, tuple[TermHit, ...]]:
    """Term hits per segment id (empty without a glossary); the same for every language."""
    if glossary is None:
        return {}
    from pipeline.glossary.match import find_terms

    return {s.id: tuple(hits) for s in segments if (hits := find_terms(glossary, s.text))}


def steer(hits: Sequence[TermHit], lang: str, strategy: str) -> list[tuple[int, int, str]]:
    """Spans to mask before MT (by default: names only, see glossary.steer_terms)."""
    if not hits:
        return []
    from pipeline.glossary.enforcement import steer_terms

    return steer_terms(hits, lang, strategy)


def placed(hits: Sequence[TermHit], english: str) -> list[TermHit]:
    """The source's hits where a reviewed ``english`` has their English terms."""
    if not hits:
        return []
    from pipeline.glossary.enforcement import pivot_hits

    return pivot_hits(hits, english)


def steer_pivot(hits: Sequence[TermHit], lang: str, strategy: str, english: str
                ) -> list[tuple[int, int, str]]:
    """The same steering for a reviewed English translated in place of the source: each
    hit's English term, where ``english`` has it, is the span masked."""
    return steer(placed(hits, english), lang, strategy)


def signed(signature: str | None, strategy: str, n: int) -> str | None:
    """An engine's signature with what the glossary did to its output: the strategy, and
    how many hypotheses it chose among; earlier output is reused only under the same."""
    if signature is None:
        return None
    from pipeline.run.select import asks

    chosen = asks(strategy, n)
    return f"{signature}|terms:{strategy}" + (f"/{chosen}" if chosen > 1 else "")


def apply(translation: Translation, hits: Sequence[TermHit], choices: Chosen = ()
          ) -> Translation:
    """Enforce terms on machine output; only check (never touch) a person's or a verbatim
    text (a dateline made by rule takes the glossary's names first, see dateline_names).
    ``choices``: the hypotheses chosen for the machine output, kept in the decisions."""
    if not hits:
        return replace(translation, terms=())
    from pipeline.glossary.enforcement import enforce

    translation = dateline_names(translation, hits)
    target, decisions = enforce(hits, translation.target, translation.lang)
    if translation.status is not Status.MACHINE:
        target = translation.target
        decisions = [replace(d, action=TermAction.FLAGGED, detail=f"not changed: {d.detail}")
                     if d.action is TermAction.REPLACED else d for d in decisions]
    left = list(choices)
    for k, decision in enumerate(decisions):
        mine = next((i for i, (cid, _) in enumerate(left) if cid == decision.concept_id), None)
        if mine is not None:
            decisions[k] = replace(decision, choice=left.pop(mine)[1])
    return replace(translation, target=target, terms=tuple(decisions))


def dateline_names(translation: Translation, hits: Sequence[TermHit]) -> Translation:
    """A dateline is kept as written, except that a place the glossary names in the target
    language takes that name (``Brüssel –`` → ``Brussels –``; in capitals if written so).
    Only the text made by rule is changed, never a person's."""
    segment = translation.segment
    if segment.kind is not BlockKind.DATELINE or translation.reuse is not Reuse.CREDIT \
            or translation.target != segment.text:
        return translation
    text = translation.target
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        name = hit.concept.targets.get(translation.lang)
        if name and hit.kind == "word":
            name = name.upper() if hit.surface.isupper() and len(hit.surface) > 1 else name
            text = text[:hit.start] + name + text[hit.end:]
    return replace(translation, target=text)


def xliff_terms(hits: Hits, lang: str) -> dict[str, list[GlossTerm]]:
    """Glossary-module entries for XLIFF: source surface, target term, note, domain."""
    from pipeline.formats.xliff_markup import GlossTerm

    return {
        sid: [GlossTerm(h.surface, h.concept.targets.get(lang, h.surface),
                        h.concept.note or None, h.concept.domain) for h in seg_hits]
        for sid, seg_hits in hits.items()
    }


def review_terms(hits: Hits, langs: Sequence[str]) -> dict[str, list[TermView]]:
    """Highlights for the review page: where each term is and what it must become."""
    from pipeline.formats.review import TermView

    return {
        sid: [TermView(h.start, h.end, h.concept.id,
                       " / ".join(f"{lang}: {h.concept.targets.get(lang, h.surface)}"
                                  for lang in langs)) for h in seg_hits]
        for sid, seg_hits in hits.items()
    }


def render_report(translations: Sequence[Translation], used: bool
                  ) -> tuple[str | None, dict[str, int]]:
    """The per-article, per-language term report and its totals for ``--json``; None without
    term hits (or without a glossary): an old report would be stale and is removed."""
    from pipeline.glossary.enforcement import choices_made, render_term_report, term_report

    if not used:
        return None, {}
    decisions = {t.segment.id: t.terms for t in translations if t.terms}
    report = term_report(decisions)
    return render_term_report(report, choices=choices_made(decisions)) + "\n", {
        key: sum(row[key] for row in report.values())
        for key in ("found", "enforced", "flagged", "chosen")}
