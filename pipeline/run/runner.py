"""A run over a stream of articles: read, plan, translate, finish, in batches; the writing
half lives in write.py. ``run`` is both halves, as the CLI's ``run`` does them.

Everything that can fail before translating (reading, languages, models) fails before any
file is written. People's work is gathered first, so a fix made in one article is reused in
the others of the same run; the rest of a batch goes to the engine in one request per target
(and one more per target reached through English, for what the reviewed English yields).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.memory.store import TranslationMemory
from pipeline.memory.view import MemoryView
from pipeline.model.document import Document
from pipeline.model.errors import GlossaryError, InputError
from pipeline.mt.engine import PIVOT, Engine
from pipeline.run import compute, pivot, reuse, select, terms
from pipeline.run.options import RunOptions
from pipeline.run.results import ArticleResult, LanguageResult
from pipeline.run.write import OutputSet, write_results
from pipeline.store.previous import PreviousState

#: an article to translate: a path, or a Document already read
Source = Path | str | Document


def stream(sources: Iterable[Source], options: RunOptions, engine: Engine,
           state: PreviousState, memory: TranslationMemory | None) -> Iterator[ArticleResult]:
    """Results per article, in order, batch by batch (``options.batch_size``)."""
    glossary = load_glossary(options.glossary)
    seen: dict[str, Path] = {}
    batch: list[Document] = []
    for source in sources:
        if isinstance(source, Document):  # the run's source language is the one truth
            document = replace(source, language=options.source)
        else:
            document = read_article(Path(source), max_bytes=options.max_bytes,
                                    language=options.source)
        document = state.place(document)
        _check_unique_slug(document, seen)
        batch.append(document)
        if options.batch_size is not None and len(batch) >= options.batch_size:
            yield from translate_batch(batch, options, engine, glossary, state, memory)
            batch = []
    if batch:
        yield from translate_batch(batch, options, engine, glossary, state, memory)


def translate_batch(documents: Sequence[Document], options: RunOptions, engine: Engine,
                    glossary, state: PreviousState, memory: TranslationMemory | None
                    ) -> list[ArticleResult]:
    """Translate a batch of articles into every target; one engine call for the batch."""
    jobs = []
    routed = {lang for lang in options.targets if engine.via(options.source, lang) == PIVOT}
    for document in documents:
        segments = segment_document(document)
        hits = terms.find_all(glossary, segments)
        pasts, english = pivot.pasts(state, document, options.targets, routed)
        jobs += [compute.Job(document, segments, lang, pasts[lang], hits,
                             english=english if lang in routed else None)
                 for lang in options.targets]
    harvested = {id(job): reuse.human_units(job.previous, job.segments, job.document.slug,
                                            options.source, job.lang) for job in jobs}
    if memory is not None:  # a fix in one article serves the others of this run
        memory.add(unit for units in harvested.values() for unit in units)
    for job in jobs:
        pivoted = engine.signature(PIVOT, job.lang) if job.english is not None else None
        job.plan = compute.plan(job, memory, options,
                                _signed(engine.signature(options.source, job.lang), glossary,
                                        options), _signed(pivoted, glossary, options))
    chosen = select.asks(options.term_strategy, options.n_best) if glossary is not None else 1
    machine = compute.translate(jobs, options.source, engine, chosen)
    results = []
    for document in documents:
        mine = [job for job in jobs if job.document is document]
        languages, units = [], []
        for job in mine:
            finished = compute.finish(job, machine, options.source)
            languages.append(LanguageResult(job.lang, tuple(finished), job.previous))
            units += harvested[id(job)]
            if engine.memorable:
                units += compute.machine_units(job, finished, options.source)
        results.append(ArticleResult(document, tuple(languages), mine[0].hits if mine else {},
                                     tuple(units)))
    return results


def _signed(signature: str | None, glossary: object, options: RunOptions) -> str | None:
    """The signature machine output is reused under: with a term base, the glossary's part."""
    if glossary is None:
        return signature
    return terms.signed(signature, options.term_strategy, options.n_best)


def run(paths_in: Sequence[Path], options: RunOptions, engine: Engine) -> list[OutputSet]:
    """Translate every article into every target and write the outputs (the CLI's ``run``)."""
    from pipeline.store.review import ReviewState

    with open_memory(options.memory_path) as memory:
        state = ReviewState.for_articles(options.out_dir, options.max_bytes, xliff=options.xliff)
        results = stream(paths_in, options, engine, state, memory)
        return write_results(results, options.out_dir, memory=options.memory_path,
                             langs=options.targets, state=state)


def open_memory(path: Path | None) -> TranslationMemory:
    """The memory as a run reads it: people's units of the file, and the people's work the
    run adds on top (see memory.view); the file changes only when results are written."""
    return MemoryView.over(path)


def load_glossary(folder: Path | None):
    """The term base, checked: a conflicting one would steer MT two ways at once."""
    if folder is None:
        return None
    from pipeline.glossary.lint import raise_errors
    from pipeline.glossary.match import load_glossary as load

    if not Path(folder).is_dir():
        raise GlossaryError("no such glossary folder", path=folder)
    glossary = load(Path(folder))
    raise_errors(glossary.concepts)
    return glossary


def _check_unique_slug(document: Document, seen: dict[str, Path]) -> None:
    if document.slug in seen:
        raise InputError(
            f"same output name {document.slug!r} as {seen[document.slug]}; rename one",
            path=document.path)
    seen[document.slug] = document.path

