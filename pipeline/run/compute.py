"""The computing half of a run: plan what each segment reuses, ask the engine for exactly
what each target still lacks, then finish (restore, enforce terms, check). No files.

A target reached through English is derived from the reviewed English where there is one
(see pivot.py): its texts go in a request of their own, English → target. Where terms are
left to the model, the engine's n hypotheses are chosen among by the glossary (select.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.ingest.inline import markup_of
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model.annotations import Reuse, Suggestion
from pipeline.model.document import Document, Segment, Translation
from pipeline.model.status import Status
from pipeline.mt.engine import PIVOT, Engine, Request, pivot_signature
from pipeline.mt.protect import Masked, mask, unmask
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, run_checks
from pipeline.run import pivot, reuse, select, terms
from pipeline.run.options import RunOptions
from pipeline.run.select import Machine
from pipeline.store.previous import Kept, Previous

if TYPE_CHECKING:
    from pipeline.glossary.match import TermHit


@dataclass(frozen=True)
class ToTranslate:
    """A segment the engine has to translate: masked text and what to attach afterwards."""

    masked: Masked
    previous_source: str | None
    suggestions: tuple[Suggestion, ...]
    signature: str | None
    #: the reviewed English the masked text is (translated English → target), else None
    pivot: str | None = None
    #: the term hits left to the model (not masked), where the masked text has them
    terms: tuple[TermHit, ...] = ()

    def source(self, run_source: str) -> str:
        """The language of the masked text."""
        return run_source if self.pivot is None else PIVOT


@dataclass(frozen=True)
class Planned:
    """One segment's plan: a reused translation, or the work for the engine."""

    segment: Segment
    reused: Translation | None = None
    work: ToTranslate | None = None
    #: a person's translation of the sentence this one replaced: (old source, kept)
    carried: tuple[str, Kept] | None = None
    #: the reviewed English to translate and offer beside a person's reused text
    offer: ToTranslate | None = None
    #: the hypotheses chosen by terms when reused machine output was made
    choices: terms.Chosen = ()


@dataclass
class Job:
    """One article in one language while the run is in progress."""

    document: Document
    segments: list[Segment]
    lang: str
    previous: Previous
    hits: dict[str, tuple] = field(default_factory=dict)
    plan: list[Planned] = field(default_factory=list)
    #: the English past (people's reviews) when this target is reached through English
    english: Previous | None = None


def plan(job: Job, memory: TranslationMemory | None, options: RunOptions,
         engine_signature: str | None, english_signature: str | None = None
         ) -> list[Planned]:
    """Per segment: what it reuses, or what the engine must translate. ``english_signature``
    is the engine's for English → target (for texts derived from the reviewed English)."""
    current = {s.id: s.text for s in job.segments}
    planned: list[Planned] = []
    for segment in job.segments:
        english = pivot.reviewed(segment, job.english, current)
        signature = engine_signature if english is None else pivot_signature(
            english_signature, english.target)
        remembered = reuse.same_words(memory, segment, options.source, job.lang)
        found = reuse.reusable(segment, job.document, job.lang, job.previous, remembered,
                               tweets=options.tweets, retranslate=options.retranslate,
                               engine=signature, current_ids=current)
        if found is not None and found.status is not Status.MACHINE:
            offer = None
            if english is not None and found.status.by_person and pivot.newer(
                    english, reuse.own_edit(segment, job.previous, current)):
                offer = _work(job, segment, options, english, None, (), signature)
            planned.append(Planned(segment, reused=found, offer=offer))
            continue
        old = reuse.changed_from(segment, job.previous, current)
        changed = job.previous.segments[old].source if old is not None else None
        hints = reuse.suggestions(memory, segment, options.source, job.lang,
                                  options.fuzzy_threshold, remembered)
        carried = reuse.carried(segment, job.previous, current)
        if found is not None and carried is None:
            kept = job.previous.segments.get(segment.id)
            planned.append(Planned(segment, reused=replace(
                found, previous_source=changed or found.previous_source, suggestions=hints,
                pivot=english.target if english is not None else None),
                choices=kept.choices if kept is not None and found.reuse is
                Reuse.PREVIOUS_MT else ()))
        else:
            planned.append(Planned(segment, work=_work(job, segment, options, english, changed,
                                                       hints, signature), carried=carried))
    return planned


def _work(job: Job, segment: Segment, options: RunOptions, english: Kept | None,
          changed: str | None, hints: tuple[Suggestion, ...], signature: str | None
          ) -> ToTranslate:
    """The segment masked for the engine: its own text, or the reviewed English."""
    hits = job.hits.get(segment.id, ())
    if english is not None:
        masked, left = pivot.masked(segment, english.target, hits, job.lang,
                                    options.term_strategy)
        return ToTranslate(masked, changed, hints, signature, english.target, left)
    spans = terms.steer(hits, job.lang, options.term_strategy)
    steered = {(start, end) for start, end, _ in spans}
    # inline codes (``**``, a link's ``](target)``) go past the engine untouched
    spans += [(code.start, code.end, code.data) for code in segment.codes]
    return ToTranslate(mask(segment.text, spans), changed, hints, signature,
                       terms=tuple(h for h in hits if (h.start, h.end) not in steered))


def pending(jobs: Sequence[Job], source: str
            ) -> dict[tuple[str, str], dict[str, tuple[TermHit, ...]]]:
    """Per (source, target) pair, the chunks still lacking and the term hits each must
    render (the run's source, then English for texts derived from the reviewed English)."""
    found: dict[tuple[str, str], dict[str, tuple[TermHit, ...]]] = {}
    for job in jobs:
        for item in job.plan:
            for work in (item.work, item.offer):
                if work is not None:
                    chunks = found.setdefault((work.source(source), job.lang), {})
                    for part in select.parts(work.masked.text, work.terms):
                        if not chunks.get(part.text):
                            chunks[part.text] = part.hits
    return found


def translate(jobs: Sequence[Job], source: str, engine: Engine, n: int = 1) -> Machine:
    """The engine's ``n`` hypotheses per (source, target) and chunk, in one engine call
    (two, to choose English on the way to a target reached through it); no call (no model)
    when nothing is due."""
    asked, due = requested(jobs, source, engine, n)
    return select.translate(asked, due, engine) if asked else {}


def requested(jobs: Sequence[Job], source: str, engine: Engine, n: int = 1
              ) -> tuple[list[Request], select.Pending]:
    """What ``translate`` asks of the engine, and the chunks due with their hits; a pair
    the engine lacks fails here, before any model is loaded."""
    due = pending(jobs, source)
    asked = select.requests(due, source, n)
    for language in sorted({r.source for r in asked}, key=lambda lang: lang != source):
        engine.check(language, [r.target for r in asked if r.source == language])
    return asked, due


def finish(job: Job, machine: Machine, source_lang: str) -> list[Translation]:
    """Restore protected items, enforce the glossary, then run the QA checks."""
    finished = []
    for item in job.plan:
        hits = job.hits.get(item.segment.id, ())
        translation = item.reused
        choices: terms.Chosen = item.choices
        if item.work is not None:
            translation, choices = made(item.segment, job.lang, item.work, machine, source_lang)
            if item.carried is not None:  # kept for review; the engine's text beside it
                translation, choices = carry(translation, *item.carried), ()
        assert translation is not None  # a Planned holds one or the other
        translation = terms.apply(translation, hits, choices)
        if item.offer is not None:  # the reviewed English's translation, beside a person's
            offered = terms.apply(made(item.segment, job.lang, item.offer, machine,
                                       source_lang)[0], hits)
            if offered.target.strip() and offered.target != translation.target:
                translation = replace(translation, suggestions=(
                    reuse.machine_offer(offered), *translation.suggestions))
        finished.append(checked(translation, source_lang))
    return finished


def made(segment: Segment, lang: str, work: ToTranslate, machine: Machine, source_lang: str
         ) -> tuple[Translation, terms.Chosen]:
    """The engine's output for ``work`` (each chunk's hypothesis chosen by the glossary),
    protected items restored (numbers rewritten from the language of the masked text); and
    the choices made, for the term decisions."""
    table = machine.get((work.source(source_lang), lang), {})
    output, choices = select.output(work.masked.text, work.terms, table, lang)
    target, repairs = unmask(work.masked, output, lang, work.source(source_lang))
    return Translation(segment, lang, target, Status.MACHINE, previous_source=work.previous_source,
                       suggestions=work.suggestions, engine=work.signature,
                       repairs=tuple(repairs), pivot=work.pivot), choices


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
                           disabled=skip, markup=markup_of(translation.segment.codes))
    findings = run_checks(translation.segment.text, translation.target, context)
    return replace(translation, findings=tuple(findings))


def machine_units(job: Job, translations: Sequence[Translation], source: str) -> list[TmUnit]:
    """What the engine made in this run, for the memory (reused output is there already)."""
    return [TmUnit(source, job.lang, t.segment.text, t.target, "mt", article=job.document.slug,
                   segment_id=t.segment.id, plain=t.segment.plain)
            for t in translations if t.made_now and t.target]
