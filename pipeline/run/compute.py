"""The computing half of a run: plan what each segment reuses, ask the engine for exactly
what each target still lacks, then finish (restore, enforce terms, check). No files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model.annotations import Reuse, Suggestion
from pipeline.model.document import Document, Segment, Translation
from pipeline.model.status import Status
from pipeline.mt.chunks import mt_chunks
from pipeline.mt.engine import Engine, Request
from pipeline.mt.protect import Masked, mask, unmask
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, run_checks
from pipeline.run import reuse, terms
from pipeline.run.options import RunOptions
from pipeline.store.previous import Kept, Previous


@dataclass(frozen=True)
class ToTranslate:
    """A segment the engine has to translate: masked text and what to attach afterwards."""

    masked: Masked
    previous_source: str | None
    suggestions: tuple[Suggestion, ...]
    signature: str | None


@dataclass(frozen=True)
class Planned:
    """One segment's plan: a reused translation, or the work for the engine."""

    segment: Segment
    reused: Translation | None = None
    work: ToTranslate | None = None
    #: a person's translation of the sentence this one replaced: (old source, kept)
    carried: tuple[str, Kept] | None = None


@dataclass
class Job:
    """One article in one language while the run is in progress."""

    document: Document
    segments: list[Segment]
    lang: str
    previous: Previous
    hits: dict[str, tuple] = field(default_factory=dict)
    plan: list[Planned] = field(default_factory=list)


def plan(job: Job, memory: TranslationMemory | None, options: RunOptions,
         engine_signature: str | None) -> list[Planned]:
    """Per segment: what it reuses, or what the engine must translate."""
    current = {s.id: s.text for s in job.segments}
    planned: list[Planned] = []
    for segment in job.segments:
        remembered = reuse.same_words(memory, segment, options.source, job.lang)
        found = reuse.reusable(segment, job.document, job.lang, job.previous, remembered,
                               tweets=options.tweets, retranslate=options.retranslate,
                               engine=engine_signature, current_ids=current)
        if found is not None and found.status is not Status.MACHINE:
            planned.append(Planned(segment, reused=found))
            continue
        old = reuse.changed_from(segment, job.previous, current)
        changed = job.previous.segments[old].source if old is not None else None
        hints = reuse.suggestions(memory, segment, options.source, job.lang,
                                  options.fuzzy_threshold, remembered)
        carried = reuse.carried(segment, job.previous, current)
        if found is not None and carried is None:
            planned.append(Planned(segment, reused=replace(
                found, previous_source=changed or found.previous_source, suggestions=hints)))
        else:
            spans = terms.steer(job.hits.get(segment.id, ()), job.lang, options.term_strategy)
            # inline codes (``**``, a link's ``](target)``) go past the engine untouched
            spans += [(code.start, code.end, code.data) for code in segment.codes]
            planned.append(Planned(segment, work=ToTranslate(
                mask(segment.text, spans), changed, hints, engine_signature), carried=carried))
    return planned


def requests(jobs: Sequence[Job], source: str) -> list[Request]:
    """One request per target, holding only the chunks that target still lacks, sorted."""
    pending: dict[str, set[str]] = {}
    for job in jobs:
        for item in job.plan:
            if item.work is not None:
                pending.setdefault(job.lang, set()).update(mt_chunks(item.work.masked.text))
    return [Request(source, lang, tuple(sorted(pending[lang])))
            for lang in dict.fromkeys(job.lang for job in jobs) if pending.get(lang)]


def translate(jobs: Sequence[Job], source: str, engine: Engine) -> dict[str, dict[str, str]]:
    """The engine's best output per target and chunk; no call (no model) when nothing is due."""
    asked = requests(jobs, source)
    if not asked:
        return {}
    engine.check(source, [r.target for r in asked])
    return {result.request.target: dict(zip(result.request.texts, result.best, strict=True))
            for result in engine.translate(asked)}


def finish(job: Job, machine: dict[str, str], source_lang: str) -> list[Translation]:
    """Restore protected items, enforce the glossary, then run the QA checks."""
    finished = []
    for item in job.plan:
        translation = item.reused
        if item.work is not None:
            work = item.work
            output = " ".join(machine[chunk] for chunk in mt_chunks(work.masked.text))
            target, repairs = unmask(work.masked, output, job.lang, source_lang)
            translation = Translation(item.segment, job.lang, target, Status.MACHINE,
                                      previous_source=work.previous_source,
                                      suggestions=work.suggestions, engine=work.signature,
                                      repairs=tuple(repairs))
            if item.carried is not None:  # kept for review; the engine's text beside it
                translation = carry(translation, *item.carried)
        assert translation is not None  # a Planned holds one or the other
        translation = terms.apply(translation, job.hits.get(item.segment.id, ()))
        finished.append(checked(translation, source_lang))
    return finished


def carry(machine: Translation, old_source: str, kept: Kept) -> Translation:
    """A person's translation of the sentence before it changed, as a draft to review (as
    msgmerge keeps it, with the old sentence); the engine's output becomes a suggestion."""
    return Translation(machine.segment, machine.lang, kept.target, Status.DRAFT, Reuse.CARRIED,
                       where=kept.where, previous_source=old_source,
                       suggestions=(reuse.machine_offer(machine), *machine.suggestions),
                       conflicts=kept.conflicts)


def checked(translation: Translation, source_lang: str) -> Translation:
    skip = VERBATIM_SKIP if translation.status is Status.VERBATIM else frozenset()
    context = CheckContext(source_lang, translation.lang, glossary=translation.terms,
                           disabled=skip)
    findings = run_checks(translation.segment.text, translation.target, context)
    return replace(translation, findings=tuple(findings))


def machine_units(job: Job, translations: Sequence[Translation], source: str) -> list[TmUnit]:
    """What the engine made in this run, for the memory (reused output is there already)."""
    return [TmUnit(source, job.lang, t.segment.text, t.target, "mt", article=job.document.slug,
                   segment_id=t.segment.id, plain=t.segment.plain)
            for t in translations if t.made_now and t.target]
