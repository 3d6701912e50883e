"""What each segment can reuse of its past, in order of trust: the article's own review, a
person's draft of it (a person's words are never replaced by anyone else's), a person's
translation in the memory, a tweet kept verbatim, the previous machine output of the same
engine and models; only then the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from pipeline.ingest import credits
from pipeline.ingest.inline import codes_in
from pipeline.ingest.tweets import guess_language
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model.annotations import MemoryOrigin, Reuse, Suggestion
from pipeline.model.document import BlockKind, Document, Segment, Translation, plain_text
from pipeline.model.status import Status
from pipeline.model.text import source_key
from pipeline.store.previous import Kept, Previous

#: How alike a new sentence must be to an old one to count as its edited version.
CHANGED_THRESHOLD = 70.0


def human_units(previous: Previous, segments: Sequence[Segment], article: str,
                source_lang: str, lang: str) -> list[TmUnit]:
    """People's sign-offs the memory does not have yet, as human memory units.

    Ones already added are not added again: re-adding would make an old fix the newest and
    let it overwrite a later fix made in another article. A sentence still in the article is
    keyed by its text with inline codes abstracted, like every memory lookup.
    """
    plain = {s.id: s.plain for s in segments}
    by_text = {s.id: s.text for s in segments}
    units = []  # oldest revision first: of two texts for one sentence the newest wins
    for sid, kept in sorted(previous.edits.items(), key=lambda item: item[1].revision):
        if kept.status.signed_off and not kept.memorized and kept.source.strip() \
                and kept.target.strip():
            key = plain[sid] if by_text.get(sid) == kept.source else None
            units.append(TmUnit(source_lang, lang, kept.source, kept.target,
                                MemoryOrigin.HUMAN, article=article, segment_id=sid, plain=key))
    return units


def reusable(
    segment: Segment, document: Document, lang: str, previous: Previous,
    remembered: TmUnit | None, *, tweets: str, retranslate: bool, engine: str | None,
    current_ids: Mapping[str, str] | None = None,
) -> Translation | None:
    """A finished translation for ``segment`` when one can be reused, else None (MT it);
    ``remembered`` is the memory's unit for the same words (see same_words)."""
    edit = own_edit(segment, previous, current_ids or {})
    if edit is not None:  # a person's words beat anyone else's
        return by_person(segment, lang, edit)
    if remembered is not None and _same_markup(remembered, segment):
        return Translation(segment, lang, remembered.target, Status.FROM_MEMORY, Reuse.MEMORY)
    block = document.blocks[segment.block]
    if segment.kind is BlockKind.TWEET and (tweets == "keep" or guess_language(
            plain_text(block.text, codes_in(block.text, document.format))) == lang):
        why = Reuse.TWEET_KEPT if tweets == "keep" else Reuse.TWEET_IN_TARGET
        return Translation(segment, lang, segment.text, Status.VERBATIM, why)
    if segment.kind.by_rule:  # a credit, byline, dateline or label: never the engine's
        return Translation(segment, lang, credits.localize(segment.kind, segment.text, lang),
                           Status.VERBATIM, Reuse.CREDIT)
    return _previous_machine(segment, lang, previous, retranslate, engine)


def own_edit(segment: Segment, previous: Previous, current_ids: Mapping[str, str]
             ) -> Kept | None:
    """A person's text (draft, reviewed or final) for this very sentence: under its id, else
    filed under another (see _edit_by_source); None when nobody translated these words."""
    edit = previous.edits.get(segment.id)
    if edit is None or edit.source != segment.text:
        edit = _edit_by_source(segment, previous, current_ids) or edit
    return edit if edit is not None and edit.source == segment.text else None


def by_person(segment: Segment, lang: str, kept: Kept,
              suggestions: Sequence[Suggestion] = ()) -> Translation:
    """A person's text for ``segment`` as the store holds it (reviewed, final or a draft)."""
    return Translation(segment, lang, kept.target, kept.status,
                       Reuse.REVIEWED if kept.status.signed_off else Reuse.DRAFT,
                       where=kept.where, previous_source=kept.previous_source,
                       suggestions=tuple(suggestions), conflicts=kept.conflicts)


def machine_offer(machine: Translation) -> Suggestion:
    """The engine's output for a sentence a person's text stands for: shown beside it (as
    made from the reviewed English, when it was)."""
    origin = MemoryOrigin.MT if machine.pivot is None else MemoryOrigin.PIVOT
    return Suggestion(machine.segment.text, machine.target, 100.0, origin)


def _edit_by_source(segment: Segment, previous: Previous,
                    current_ids: Mapping[str, str]) -> Kept | None:
    """A person's edit of this very sentence filed under another id: one the article no
    longer has (ids of sentences with markup changed when codes left the id), or one that now
    names a sentence with other words or markup (``**fett**`` and ``fett`` share a plain
    text, so their ids follow their order). Never the edit of an identical twin still in the
    article: that one is the twin's own. An edit under a vanished id is preferred; a
    signed-off one over a draft."""
    edits = previous.edits
    found = [(sid in current_ids, not edit.status.signed_off, sid)
             for sid, edit in edits.items()
             if sid != segment.id and edit.source == segment.text
             and current_ids.get(sid) != edit.source]
    return edits[min(found)[2]] if found else None


def _previous_machine(segment: Segment, lang: str, previous: Previous, retranslate: bool,
                      engine: str | None) -> Translation | None:
    """The last run's output when it is still what this engine and model would give."""
    old = previous.segments.get(segment.id)
    if old is None or old.source != segment.text or old.status is not Status.MACHINE:
        return None
    if retranslate or old.engine is None or old.engine != engine:
        return None
    # the #| msgid stays until a reviewer clears the fuzzy flag, as with msgmerge; the repairs
    # noted when the text was machine-translated still hold
    return Translation(segment, lang, old.target, Status.MACHINE, Reuse.PREVIOUS_MT,
                       previous_source=old.previous_source, engine=engine, repairs=old.repairs)


def carried(segment: Segment, previous: Previous, current_ids: Mapping[str, str]
            ) -> tuple[str, Kept] | None:
    """A person's translation of the sentence this one replaced (same id with other words
    or markup, else the closest sentence that left the article), kept for review as msgmerge
    keeps it: (the old source, what the store holds)."""
    kept = previous.edits.get(segment.id)
    if kept is not None and kept.source != segment.text:
        return kept.source, kept
    old = changed_from(segment, previous, current_ids, people_only=True)
    return (previous.segments[old].source, previous.segments[old]) if old else None


def same_words(memory: TranslationMemory | None, segment: Segment, source_lang: str,
               lang: str) -> TmUnit | None:
    """A person's translation of this sentence's words in the memory (looked up once per
    segment: it is either reused or offered as a suggestion)."""
    if memory is None:
        return None
    unit = memory.exact(segment.plain, source_lang, lang)
    return unit if unit is not None and MemoryOrigin(unit.origin).by_person else None


def _same_markup(unit: TmUnit, segment: Segment) -> bool:
    """Same words with other markup (a link to elsewhere, bold here) carry the other
    sentence's codes in their target: only a suggestion then."""
    return source_key(unit.source) == source_key(segment.text)


def changed_from(segment: Segment, previous: Previous, current_ids: Mapping[str, str], *,
                 people_only: bool = False) -> str | None:
    """The id of the sentence that left the article this segment is the edited version of
    (the closest one, if close enough); ``people_only``: among those a person translated."""
    best, best_score = None, CHANGED_THRESHOLD
    for sid, kept in previous.segments.items():
        if sid in current_ids or (people_only and not kept.status.by_person):
            continue
        score = fuzz.ratio(kept.source, segment.text)
        if score >= best_score:
            best, best_score = sid, score
    return best


def suggestions(memory: TranslationMemory | None, segment: Segment, source_lang: str,
                lang: str, threshold: float, remembered: TmUnit | None
                ) -> tuple[Suggestion, ...]:
    """Fuzzy matches from people's work, shown to reviewers (never used as the translation);
    first ``remembered`` (see same_words) when its other markup kept it from being reused."""
    if memory is None:
        return ()
    found = [Suggestion(remembered.source, remembered.target, 100.0,
                        MemoryOrigin(remembered.origin))] \
        if remembered is not None and not _same_markup(remembered, segment) else []
    found += [
        Suggestion(m.unit.source, m.unit.target, round(m.score, 1), MemoryOrigin(m.unit.origin))
        for m in memory.fuzzy(segment.plain, source_lang, lang, threshold=threshold)
        if MemoryOrigin(m.unit.origin).by_person
    ]
    return tuple(found)
