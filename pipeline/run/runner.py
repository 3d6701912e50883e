"""The ``run`` job: articles in; aligned PO, Markdown, JSONL, XLIFF and a review page out.

Everything that can fail before translating (reading, languages, models) is checked first.
People's work is gathered into the translation memory before anything else, every segment
that can reuse something does, and the rest of all articles goes to the engine in one batch
per language pair. Outputs are written only when every translation is done, each atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.ingest.article import MAX_ARTICLE_BYTES, read_article
from pipeline.ingest.segment import segment_document
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model import languages
from pipeline.model.document import Document, Segment, Translation
from pipeline.model.errors import LanguageError
from pipeline.mt.engine import Engine
from pipeline.mt.protect import is_repair, mask, unmask
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, format_finding, run_checks
from pipeline.run import reuse, terms
from pipeline.run.outputs import Paths, paths, review_path, write_language, write_review

#: Longest text handed to the model in one piece (see mt_chunks).
MAX_MT_CHARS = 1000


@dataclass(frozen=True)
class RunOptions:
    """What the user asked for; defaults match the CLI's."""

    targets: tuple[str, ...]
    source: str = "de"
    out_dir: Path = Path("locales")
    tweets: str = "translate"
    quiet: bool = False
    max_bytes: int = MAX_ARTICLE_BYTES
    memory: Path | None = None
    retranslate: bool = False
    fuzzy_threshold: float = 75.0
    glossary: Path | None = None
    term_strategy: str = "dnt-only"

    @property
    def memory_path(self) -> Path:
        return self.memory or self.out_dir / "memory.sqlite"


@dataclass
class OutputSet:
    """What one article produced in one language, for reports and ``--json``."""

    article: str
    lang: str
    paths: Paths
    review: Path
    segments: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    repairs: int = 0
    errors: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    #: segments the engine translated in this run (the rest was reused)
    translated_now: int = 0


def mt_chunks(text: str, limit: int = MAX_MT_CHARS) -> list[str]:
    """Split an over-long segment at a clause mark or space, so the model sees sane inputs.

    NMT models are trained on sentences of a few hundred tokens; a 50,000-character run-on
    "sentence" would otherwise be decoded in one piece and truncated at the length cap.
    """
    chunks = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*chunks, text] if text else chunks


def check_languages(source: str, targets: Sequence[str]) -> tuple[str, ...]:
    """Known CLDR codes, at least one target, none equal to the source; canonical spelling."""
    source = languages.parse(source)
    if not targets:
        raise LanguageError("no target language given (use --to en,fr,…)")
    canonical = tuple(dict.fromkeys(languages.parse(target) for target in targets))
    for target in canonical:
        if target == source:
            raise LanguageError(f"target {target!r} is the source language")
    return canonical


@dataclass
class _Job:
    """One article in one language while the run is in progress."""

    document: Document
    segments: list[Segment]
    lang: str
    where: Paths
    previous: reuse.Previous
    hits: dict[str, list] = field(default_factory=dict)
    plan: list = field(default_factory=list)
    decisions: dict[str, list] = field(default_factory=dict)


def run(paths_in: Sequence[Path], options: RunOptions, engine: Engine) -> list[OutputSet]:
    """Translate every article into every target and write the outputs."""
    options = replace(options, targets=check_languages(options.source, options.targets),
                      source=languages.parse(options.source))
    glossary = _load_glossary(options)
    documents = [read_article(Path(p), max_bytes=options.max_bytes) for p in paths_in]
    _check_unique_slugs(documents)
    jobs = [
        _Job(doc, segments, lang, where,
             reuse.load_previous(where.po, where.xliff, where.jsonl, lang), hits)
        for doc in documents
        for segments in [segment_document(doc)]
        for hits in [terms.find_all(glossary, segments)]
        for lang in options.targets
        for where in [paths(options.out_dir, lang, doc.slug)]
    ]
    harvested = [unit for job in jobs for unit in reuse.human_units(
        job.previous, job.document.slug, options.source, job.lang)]
    # An existing memory is used (and fed people's work) at once; a new one is only created
    # at the end, so a run that fails early (a missing model) leaves nothing behind.
    memory = TranslationMemory.open(options.memory_path) if options.memory_path.exists() else None
    try:
        if memory is not None:
            memory.add(harvested)
        for job in jobs:
            job.plan = _plan(job, memory, options, _signature(engine, options.source, job.lang))
        machine = _translate(jobs, options, engine)
        finished = {id(job): _finish(job, machine.get(job.lang, {})) for job in jobs}
        if memory is None:
            memory = TranslationMemory.open(options.memory_path)
            memory.add(harvested)
        if getattr(engine, "name", "") != "pseudo":  # pseudo text is not a translation
            memory.add(  # what the engine made in this run; reused output is there already
                TmUnit(options.source, job.lang, t.segment.text, t.target, "mt",
                       article=job.document.slug, segment_id=t.segment.id)
                for job in jobs
                for t, item in zip(finished[id(job)], job.plan, strict=True)
                if isinstance(item, tuple) and t.target
            )
    finally:
        if memory is not None:
            memory.close()
    return _write_all(jobs, finished, options)


def _check_unique_slugs(documents: Sequence[Document]) -> None:
    seen: dict[str, Path] = {}
    for doc in documents:
        if doc.slug in seen:
            raise LanguageError(
                f"same output name {doc.slug!r} as {seen[doc.slug]}; rename one", path=doc.path
            )
        seen[doc.slug] = doc.path


def _signature(engine: Engine, source: str, lang: str) -> str | None:
    signature = getattr(engine, "signature", None)
    return signature(source, lang) if signature else getattr(engine, "name", None)


def _plan(job: _Job, memory: TranslationMemory | None, options: RunOptions,
          signature: str | None):
    """Per segment: a reused Translation, or (Masked, previous source, suggestions) for MT."""
    current = {s.id for s in job.segments}
    plan: list = []
    for segment in job.segments:
        found = reuse.reusable(segment, job.document, job.lang, job.previous, memory,
                               tweets=options.tweets, retranslate=options.retranslate,
                               engine=signature)
        if found is not None and found.origin != "mt":
            plan.append(found)
            continue
        changed = reuse.changed_from(segment, job.previous, current)
        hints = reuse.suggestions(memory, segment, options.source, job.lang,
                                  options.fuzzy_threshold)
        if found is not None:
            plan.append(replace(found, previous_source=changed or found.previous_source,
                                matches=hints))
        else:
            spans = terms.steer(job.hits.get(segment.id, []), job.lang, options.term_strategy)
            plan.append((mask(segment.text, spans), changed, hints, signature))
    return plan


def _translate(jobs: Sequence[_Job], options: RunOptions, engine: Engine):
    """One engine call for everything left, deduplicated; no call (no model) when nothing is."""
    pending = sorted({chunk for job in jobs for item in job.plan if isinstance(item, tuple)
                      for chunk in mt_chunks(item[0].text)})
    needing = [lang for lang in options.targets
               if any(isinstance(i, tuple) for job in jobs if job.lang == lang for i in job.plan)]
    if not pending:
        return {}
    engine.check(options.source, needing)
    outputs = engine.translate(pending, options.source, needing)
    return {lang: dict(zip(pending, outputs[lang], strict=True)) for lang in needing}


def _finish(job: _Job, machine: dict[str, str]) -> list[Translation]:
    """Restore protected items, enforce the glossary, then run the QA checks."""
    translations = []
    for segment, item in zip(job.segments, job.plan, strict=True):
        if isinstance(item, tuple):
            masked, changed, hints, signature = item
            output = " ".join(machine[chunk] for chunk in mt_chunks(masked.text))
            target, notes = unmask(masked, output, job.lang)
            item = Translation(segment, job.lang, target, origin="mt", notes=tuple(notes),
                               previous_source=changed, matches=hints, engine=signature)
        item, decisions = terms.apply(item, job.hits.get(segment.id, []))
        job.decisions[segment.id] = decisions
        translations.append(_checked(item, job.document.language, decisions))
    return translations


def _checked(translation: Translation, source_lang: str, decisions) -> Translation:
    skip = VERBATIM_SKIP if translation.origin == "verbatim" else frozenset()
    context = CheckContext(source_lang, translation.lang, glossary=decisions, disabled=skip)
    findings = run_checks(translation.segment.text, translation.target, context)
    return replace(translation, notes=translation.notes + tuple(format_finding(f)
                                                                for f in findings))


def _load_glossary(options: RunOptions):
    if options.glossary is None:
        return None
    from pipeline.glossary import load_glossary
    from pipeline.glossary.lint import raise_errors

    if not options.glossary.is_dir():
        from pipeline.model.errors import GlossaryError

        raise GlossaryError("no such glossary folder", path=options.glossary)
    glossary = load_glossary(options.glossary)
    raise_errors(glossary.concepts)  # a conflicting term base would steer MT both ways
    return glossary


def _write_all(jobs: Sequence[_Job], finished, options: RunOptions) -> list[OutputSet]:
    results = []
    by_doc: dict[str, dict[str, list[Translation]]] = {}
    for job in jobs:
        translations = finished[id(job)]
        write_language(job.document, translations, job.lang, job.where, job.previous.catalog,
                       terms.xliff_terms(job.hits, job.lang))
        report = terms.write_report(job.where.terms, job.decisions, bool(job.hits))
        by_doc.setdefault(job.document.slug, {})[job.lang] = translations
        result = _report(job, translations, review_path(options.out_dir, job.document.slug))
        result.terms = report
        results.append(result)
    for job in {job.document.slug: job for job in jobs}.values():
        write_review(job.document, by_doc[job.document.slug],
                     review_path(options.out_dir, job.document.slug),
                     terms.review_terms(job.hits, options.targets))
    return results


def _report(job: _Job, translations: Sequence[Translation], review: Path) -> OutputSet:
    counts: dict[str, int] = {}
    for t in translations:
        counts[t.origin] = counts.get(t.origin, 0) + 1
    return OutputSet(
        article=job.document.slug, lang=job.lang, paths=job.where, review=review,
        segments=len(translations), counts=counts,
        repairs=sum(1 for t in translations for note in t.notes
                    if is_repair(note)),
        errors=sum(1 for t in translations for note in t.notes if note.startswith("qa: error")),
        translated_now=sum(1 for item in job.plan if isinstance(item, tuple)),
    )
