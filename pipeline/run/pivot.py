"""Pivot from the reviewed English: a target the engine reaches through English is derived
from the English a person reviewed, not from the engine's own source → English output, so
English fixed once serves every pivot language.

Only English a person signed off (reviewed or final) in the review store counts, never
English machine-translated in the same run. Machine output of such a target is replaced;
a person's text gets the re-derived text as a suggestion, and only while the English was
reviewed after that text last changed (store revisions), so nobody is asked twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pipeline.model.document import Document, InlineCode, Segment
from pipeline.mt.engine import PIVOT
from pipeline.mt.protect import Masked, mask
from pipeline.run import reuse, terms
from pipeline.store.previous import Kept, Previous, PreviousState

if TYPE_CHECKING:
    from pipeline.glossary.match import TermHit


def pasts(state: PreviousState, document: Document, targets: Sequence[str],
          routed: Iterable[str]) -> tuple[dict[str, Previous], Previous | None]:
    """Each target's past, and the English one when a target in ``routed`` goes through
    English (loaded first, and once: the English target's own when English is one)."""
    english = state.load(document, PIVOT) if set(routed) & set(targets) else None
    return {lang: english if lang == PIVOT and english is not None
            else state.load(document, lang) for lang in targets}, english


def reviewed(segment: Segment, english: Previous | None, current_ids: Mapping[str, str]
             ) -> Kept | None:
    """The English a person signed off for this very sentence, if any."""
    if english is None:
        return None
    kept = reuse.own_edit(segment, english, current_ids)
    return kept if kept is not None and kept.status.signed_off and kept.target.strip() \
        else None


def newer(english: Kept, kept: Kept | None) -> bool:
    """The English was reviewed after a person's target text last changed."""
    return kept is not None and english.revision > kept.revision


def masked(segment: Segment, english: str, hits: Sequence[TermHit], lang: str,
           strategy: str) -> tuple[Masked, tuple[TermHit, ...]]:
    """The English ready for English → ``lang``: glossary terms steered at their English
    spans, the segment's inline codes protected wherever the English has them; and the hits
    left to the model, where the English has them."""
    placed = terms.placed(hits, english)
    spans = terms.steer(placed, lang, strategy)
    steered = {(start, end) for start, end, _ in spans}
    return (mask(english, [*spans, *code_spans(segment.codes, english)]),
            tuple(h for h in placed if (h.start, h.end) not in steered))


def code_spans(codes: Sequence[InlineCode], text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of an inline code's markup in ``text`` (a person's translation keeps
    ``**`` and ``](url)`` as written), longer markup first, never overlapping."""
    taken: list[tuple[int, int, str]] = []
    for data in sorted({c.data for c in codes if c.data}, key=lambda d: (-len(d), d)):
        start = text.find(data)
        while start >= 0:
            end = start + len(data)
            if all(end <= a or start >= b for a, b, _ in taken):
                taken.append((start, end, data))
            start = text.find(data, start + 1)
    return sorted(taken)
